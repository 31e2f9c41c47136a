// Operations on values with Python's rules. Index:
//   [TYPES]       type_of, isinstance
//   [TRUTH/HASH]  truthiness, hashing (CPython's numeric and tuple hashes), equality
//   [ARITHMETIC]  binary and unary operators, int64 overflow checks
//   [COMPARE]     rich comparison
//   [CONTAINERS]  len, in, items, slices, iteration
#include <algorithm>
#include <cmath>
#include <cstring>

#include "script/ast.hpp"
#include "vm/interpreter.hpp"
#include "vm/opcodes.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"
#include "vm/views.hpp"

namespace spindle::vm {

using script::BinOpKind;
using script::CmpOpKind;

// ============================================================================
// [TYPES]
// ============================================================================

ClassObj* Interpreter::type_of(Value v) const noexcept {
    switch (v.tag) {
        case Tag::None:
        case Tag::Undef: return types.NoneType;
        case Tag::Bool: return types.bool_;
        case Tag::Int: return types.int_;
        case Tag::Float: return types.float_;
        case Tag::Obj: break;
    }
    switch (v.o->kind) {
        case ObjKind::Str: return types.str;
        case ObjKind::Tuple: return types.tuple;
        case ObjKind::List: return types.list;
        case ObjKind::Dict: return types.dict;
        case ObjKind::Set: return static_cast<const SetObj*>(v.o)->frozen ? types.frozenset : types.set;
        case ObjKind::Range: return types.range;
        case ObjKind::Slice: return types.slice;
        case ObjKind::Code: return types.code;
        case ObjKind::Function: return types.function;
        case ObjKind::Cell: return types.cell;
        case ObjKind::Class: return types.type;
        case ObjKind::Instance:
        case ObjKind::Exception: return static_cast<InstanceObj*>(v.o)->cls;
        case ObjKind::BoundMethod: return types.method;
        case ObjKind::Native: return types.builtin;
        case ObjKind::Module: return types.module;
        case ObjKind::Iterator: return types.iterator;
        case ObjKind::DictView: return view_class(*this, static_cast<DictViewObj*>(v.o));
        case ObjKind::Tasklet: {
            auto* t = static_cast<TaskletObj*>(v.o);
            return t->cls ? t->cls : types.object;
        }
        case ObjKind::Channel: {
            auto* c = static_cast<ChannelObj*>(v.o);
            return c->cls ? c->cls : types.object;
        }
        case ObjKind::Host: {
            auto* h = static_cast<HostObj*>(v.o);
            return h->cls ? h->cls : types.object;
        }
    }
    return types.object;
}

const char* Interpreter::type_name(Value v) const noexcept {
    ClassObj* cls = type_of(v);
    if (cls && cls->dotted_name) return cls->dotted_name->data.c_str();
    return cls && cls->name ? cls->name->data.c_str() : "object";
}

bool Interpreter::is_subclass(const ClassObj* cls, const ClassObj* base) const noexcept {
    for (const ClassObj* c = cls; c != nullptr; c = c->base) {
        if (c == base) return true;
    }
    return base == types.object;
}

bool Interpreter::is_instance(Value v, ClassObj* cls) const noexcept {
    if (cls == types.int_ && v.tag == Tag::Bool) return true;
    return is_subclass(type_of(v), cls);
}

// ============================================================================
// [TRUTH/HASH]
// ============================================================================

bool Interpreter::truthy(Value v, bool& result) {
    switch (v.tag) {
        case Tag::None:
        case Tag::Undef: result = false; return true;
        case Tag::Bool: result = v.b; return true;
        case Tag::Int: result = v.i != 0; return true;
        case Tag::Float: result = v.f != 0.0; return true;
        case Tag::Obj: break;
    }
    switch (v.o->kind) {
        case ObjKind::Str: result = !static_cast<StrObj*>(v.o)->data.empty(); return true;
        case ObjKind::Tuple: result = !static_cast<TupleObj*>(v.o)->items.empty(); return true;
        case ObjKind::List: result = !static_cast<ListObj*>(v.o)->items.empty(); return true;
        case ObjKind::Dict: result = static_cast<DictObj*>(v.o)->table.live != 0; return true;
        case ObjKind::Set: result = static_cast<SetObj*>(v.o)->used != 0; return true;
        case ObjKind::DictView: result = static_cast<DictViewObj*>(v.o)->dict->table.live != 0; return true;
        case ObjKind::Range: result = static_cast<RangeObj*>(v.o)->length() != 0; return true;
        case ObjKind::Instance:
        case ObjKind::Exception: {
            ClassObj* cls = type_of(v);
            Value method = lookup_in_class(cls, names.bool_);
            const bool is_len = method.is_undef();
            if (is_len) method = lookup_in_class(cls, names.len);
            if (method.is_undef()) break;
            Value out;
            if (!call(method, &v, 1, out)) return false;
            if (is_len) {
                if (!out.is_intlike()) return raise_type_error(std::string("'") + type_name(out) + "' object cannot be interpreted as an integer");
                if (out.as_int() < 0) return raise_value_error("__len__() should return >= 0");
                result = out.as_int() != 0;
                return true;
            }
            if (!out.is_bool()) return raise_type_error(std::string("__bool__ should return bool, returned ") + type_name(out));
            result = out.b;
            return true;
        }
        default: break;
    }
    result = true;
    return true;
}

namespace {

constexpr std::uint64_t kHashModulus = (1ull << 61) - 1;  // CPython's _PyHASH_MODULUS

std::int64_t fix_minus_one(std::int64_t h) { return h == -1 ? -2 : h; }

std::int64_t hash_int(std::int64_t v) {
    const std::uint64_t magnitude = v < 0 ? (v == INT64_MIN ? (1ull << 63) : static_cast<std::uint64_t>(-v)) : static_cast<std::uint64_t>(v);
    std::int64_t h = static_cast<std::int64_t>(magnitude % kHashModulus);
    if (v < 0) h = -h;
    return fix_minus_one(h);
}

// CPython's _Py_HashDouble (integral floats hash like the equal int).
std::int64_t hash_float(double v) {
    if (std::isinf(v)) return v > 0 ? 314159 : -314159;
    if (std::isnan(v)) return 0;
    int e;
    double m = std::frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    std::uint64_t x = 0;
    while (m) {
        x = ((x << 28) & kHashModulus) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        const auto y = static_cast<std::uint64_t>(m);
        m -= static_cast<double>(y);
        x += y;
        if (x >= kHashModulus) x -= kHashModulus;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & kHashModulus) | x >> (61 - e);
    std::int64_t h = static_cast<std::int64_t>(x) * sign;
    return fix_minus_one(h);
}

}  // namespace

bool Interpreter::hash(Value v, std::uint64_t& out) {
    switch (v.tag) {
        case Tag::None:
        // hash(None) is None's address in CPython 3.11; Debian's python3 is not
        // position-independent, so it is this constant, and sets holding None
        // iterate in its order.
        case Tag::Undef: out = 612812; return true;
        case Tag::Bool: out = v.b ? 1 : 0; return true;
        case Tag::Int: out = static_cast<std::uint64_t>(hash_int(v.i)); return true;
        case Tag::Float: out = static_cast<std::uint64_t>(hash_float(v.f)); return true;
        case Tag::Obj: break;
    }
    switch (v.o->kind) {
        case ObjKind::Str: out = static_cast<StrObj*>(v.o)->hash; return true;
        case ObjKind::Tuple: {
            // CPython 3.8+ tuple hash (xxHash-based), so sets of tuples iterate alike.
            constexpr std::uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull, p5 = 2870177450012600261ull;
            const auto& items = static_cast<TupleObj*>(v.o)->items;
            std::uint64_t acc = p5;
            for (const Value& item : items) {
                std::uint64_t lane;
                if (!hash(item, lane)) return false;
                acc += lane * p2;
                acc = (acc << 31) | (acc >> 33);
                acc *= p1;
            }
            acc += items.size() ^ (p5 ^ 3527539ull);
            if (acc == static_cast<std::uint64_t>(-1)) acc = 1546275796;
            out = acc;
            return true;
        }
        case ObjKind::Range: {
            // Equal ranges hash alike: CPython hashes (len, start, step), with
            // None for what does not matter to an empty or one-item range.
            const auto* r = static_cast<RangeObj*>(v.o);
            const std::int64_t n = r->length();
            TupleObj* key = new_tuple(3);
            key->items.push_back(Value::integer(n));
            key->items.push_back(n == 0 ? Value() : Value::integer(r->start));
            key->items.push_back(n <= 1 ? Value() : Value::integer(r->step));
            return hash(Value::object(key), out);
        }
        case ObjKind::Set:
            if (static_cast<SetObj*>(v.o)->frozen) {
                out = sets::frozenset_hash(*static_cast<SetObj*>(v.o));
                return true;
            }
            [[fallthrough]];
        case ObjKind::List:
        case ObjKind::Dict:
        case ObjKind::Slice: return raise_type_error(std::string("unhashable type: '") + type_name(v) + "'");
        case ObjKind::Instance:
        case ObjKind::Exception: {
            ClassObj* cls = type_of(v);
            Value method = lookup_in_class(cls, names.hash);
            if (method.is_none()) return raise_type_error(std::string("unhashable type: '") + type_name(v) + "'");
            if (!method.is_undef() && method.is_obj() && method.o->kind == ObjKind::Function) {
                Value result;
                if (!call(method, &v, 1, result)) return false;
                if (!result.is_intlike()) return raise_type_error("__hash__ method should return an integer");
                // As CPython: the int itself (it fits a machine word), -1 aside.
                const std::int64_t h = result.as_int();
                out = static_cast<std::uint64_t>(h == -1 ? -2 : h);
                return true;
            }
            break;
        }
        case ObjKind::Host: return host_hash(v, out);
        default: break;
    }
    out = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(v.o) >> 4);
    return true;
}

bool Interpreter::equal(Value a, Value b, bool& out) {
    if (a.is_intlike() && b.is_intlike()) {
        out = a.as_int() == b.as_int();
        return true;
    }
    if ((a.is_intlike() || a.is_float()) && (b.is_intlike() || b.is_float())) {
        const double x = a.is_float() ? a.f : static_cast<double>(a.as_int());
        const double y = b.is_float() ? b.f : static_cast<double>(b.as_int());
        out = x == y;
        return true;
    }
    if (a.identical(b) && !(a.is_float())) {
        out = true;
        return true;
    }
    if (!a.is_obj() || !b.is_obj()) {
        if ((a.is_obj() && (a.o->kind == ObjKind::Instance || a.o->kind == ObjKind::Exception)) ||
            (b.is_obj() && (b.o->kind == ObjKind::Instance || b.o->kind == ObjKind::Exception))) {
            Value r;
            if (!compare(static_cast<std::uint32_t>(CmpOpKind::Eq), a, b, r)) return false;
            return truthy(r, out);
        }
        out = false;
        return true;
    }
    const ObjKind ka = a.o->kind, kb = b.o->kind;
    if (ka == ObjKind::Str && kb == ObjKind::Str) {
        auto* x = static_cast<StrObj*>(a.o);
        auto* y = static_cast<StrObj*>(b.o);
        out = x->hash == y->hash && x->data == y->data;
        return true;
    }
    if (ka == kb && (ka == ObjKind::Tuple || ka == ObjKind::List)) {
        const auto& x = ka == ObjKind::Tuple ? static_cast<TupleObj*>(a.o)->items : static_cast<ListObj*>(a.o)->items;
        const auto& y = kb == ObjKind::Tuple ? static_cast<TupleObj*>(b.o)->items : static_cast<ListObj*>(b.o)->items;
        if (x.size() != y.size()) {
            out = false;
            return true;
        }
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
            if (x[i].identical(y[i]) && !x[i].is_float()) continue;
            bool e;
            if (!equal(x[i], y[i], e)) return false;
            if (!e) {
                out = false;
                return true;
            }
        }
        out = true;
        return true;
    }
    if (ka == ObjKind::Set && kb == ObjKind::Set) return sets::equal(*this, static_cast<SetObj*>(a.o), static_cast<SetObj*>(b.o), out);
    if (ka == ObjKind::DictView || kb == ObjKind::DictView) {
        bool handled = false;
        if (ka == ObjKind::DictView && !view_equal(*this, static_cast<DictViewObj*>(a.o), b, handled, out)) return false;
        if (!handled && kb == ObjKind::DictView && !view_equal(*this, static_cast<DictViewObj*>(b.o), a, handled, out)) return false;
        if (handled) return true;
    }
    if (ka == kb && ka == ObjKind::Dict) {
        const Table& x = static_cast<DictObj*>(a.o)->table;
        const Table& y = static_cast<DictObj*>(b.o)->table;
        if (x.live != y.live) {
            out = false;
            return true;
        }
        for (const auto& e : x.entries) {
            if (e.deleted) continue;
            Value other;
            bool found;
            if (!table::lookup(*this, y, e.key, other, found)) return false;
            if (!found) {
                out = false;
                return true;
            }
            if (ka == ObjKind::Dict) {
                bool same;
                if (!equal(e.value, other, same)) return false;
                if (!same) {
                    out = false;
                    return true;
                }
            }
        }
        out = true;
        return true;
    }
    if (ka == ObjKind::Range && kb == ObjKind::Range) {
        auto* x = static_cast<RangeObj*>(a.o);
        auto* y = static_cast<RangeObj*>(b.o);
        const std::int64_t n = x->length();
        out = n == y->length() && (n == 0 || (x->start == y->start && (n == 1 || x->step == y->step)));
        return true;
    }
    if (ka == ObjKind::Instance || ka == ObjKind::Exception || kb == ObjKind::Instance || kb == ObjKind::Exception) {
        Value r;
        if (!compare(static_cast<std::uint32_t>(CmpOpKind::Eq), a, b, r)) return false;
        return truthy(r, out);
    }
    if (ka == ObjKind::Host && kb == ObjKind::Host) return host_equal(a, b, out);
    out = a.o == b.o;
    return true;
}

// ============================================================================
// [ARITHMETIC]
// ============================================================================

namespace {

const char* operator_symbol(std::uint32_t op) {
    static const char* const symbols[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "^", "&", "@"};
    return op < 13 ? symbols[op] : "?";
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    std::int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

double float_mod(double a, double b) {
    double r = std::fmod(a, b);
    if (r != 0.0) {
        if ((b < 0) != (r < 0)) r += b;
    } else {
        r = std::copysign(0.0, b);
    }
    return r;
}

}  // namespace

bool Interpreter::binary_op(std::uint32_t raw_op, Value a, Value b, Value& out) {
    const std::uint32_t op = raw_op & ~kInplaceFlag;
    const auto kind = static_cast<BinOpKind>(op);
    const char* overflow = "integer overflow: the result does not fit in 64 bits";
    if (a.is_intlike() && b.is_intlike()) {
        const std::int64_t x = a.as_int(), y = b.as_int();
        std::int64_t r;
        switch (kind) {
            case BinOpKind::Add:
                if (__builtin_add_overflow(x, y, &r)) return raise(types.OverflowError, overflow);
                out = Value::integer(r);
                return true;
            case BinOpKind::Sub:
                if (__builtin_sub_overflow(x, y, &r)) return raise(types.OverflowError, overflow);
                out = Value::integer(r);
                return true;
            case BinOpKind::Mult:
                if (__builtin_mul_overflow(x, y, &r)) return raise(types.OverflowError, overflow);
                out = Value::integer(r);
                return true;
            case BinOpKind::Div:
                if (y == 0) return raise(types.ZeroDivisionError, "division by zero");
                out = Value::real(static_cast<double>(x) / static_cast<double>(y));
                return true;
            case BinOpKind::FloorDiv:
                if (y == 0) return raise(types.ZeroDivisionError, "integer division or modulo by zero");
                if (x == INT64_MIN && y == -1) return raise(types.OverflowError, overflow);
                out = Value::integer(floor_div(x, y));
                return true;
            case BinOpKind::Mod:
                if (y == 0) return raise(types.ZeroDivisionError, "integer modulo by zero");
                out = Value::integer(y == -1 ? 0 : floor_mod(x, y));
                return true;
            case BinOpKind::Pow: {
                if (y < 0) {
                    if (x == 0) return raise(types.ZeroDivisionError, "0.0 cannot be raised to a negative power");
                    out = Value::real(std::pow(static_cast<double>(x), static_cast<double>(y)));
                    return true;
                }
                std::int64_t result = 1, base = x, e = y;
                while (e > 0) {
                    if (e & 1) {
                        if (__builtin_mul_overflow(result, base, &result)) return raise(types.OverflowError, overflow);
                    }
                    e >>= 1;
                    if (e > 0 && __builtin_mul_overflow(base, base, &base)) return raise(types.OverflowError, overflow);
                }
                out = Value::integer(result);
                return true;
            }
            case BinOpKind::LShift:
                if (y < 0) return raise_value_error("negative shift count");
                if (x == 0) {
                    out = Value::integer(0);
                    return true;
                }
                if (y >= 63 || (x > 0 ? x > (INT64_MAX >> y) : x < (INT64_MIN >> y))) return raise(types.OverflowError, overflow);
                out = Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << y));
                return true;
            case BinOpKind::RShift:
                if (y < 0) return raise_value_error("negative shift count");
                out = Value::integer(y >= 64 ? (x < 0 ? -1 : 0) : (x >> y));
                return true;
            case BinOpKind::BitOr:
            case BinOpKind::BitXor:
            case BinOpKind::BitAnd: {
                r = kind == BinOpKind::BitOr ? (x | y) : kind == BinOpKind::BitXor ? (x ^ y) : (x & y);
                out = (a.is_bool() && b.is_bool()) ? Value::boolean(r != 0) : Value::integer(r);
                return true;
            }
            case BinOpKind::MatMult: break;
        }
    }
    const bool a_num = a.is_intlike() || a.is_float();
    const bool b_num = b.is_intlike() || b.is_float();
    if (a_num && b_num && kind <= BinOpKind::Pow) {
        const double x = a.is_float() ? a.f : static_cast<double>(a.as_int());
        const double y = b.is_float() ? b.f : static_cast<double>(b.as_int());
        switch (kind) {
            case BinOpKind::Add: out = Value::real(x + y); return true;
            case BinOpKind::Sub: out = Value::real(x - y); return true;
            case BinOpKind::Mult: out = Value::real(x * y); return true;
            case BinOpKind::Div:
                if (y == 0.0) return raise(types.ZeroDivisionError, "float division by zero");
                out = Value::real(x / y);
                return true;
            case BinOpKind::FloorDiv:
                if (y == 0.0) return raise(types.ZeroDivisionError, "float floor division by zero");
                {
                    // CPython's _float_div_mod: div = (x - fmod) / y from the raw
                    // fmod, less one when the remainder takes the divisor's sign
                    // (so 3 // -inf is -1.0, not nan), then snapped to an integer.
                    const double mod = std::fmod(x, y);
                    double div = (x - mod) / y;
                    if (mod != 0.0 && ((y < 0) != (mod < 0))) div -= 1.0;
                    if (div != 0.0) {
                        double floordiv = std::floor(div);
                        if (div - floordiv > 0.5) floordiv += 1.0;
                        out = Value::real(floordiv);
                    } else {
                        out = Value::real(std::copysign(0.0, x / y));
                    }
                }
                return true;
            case BinOpKind::Mod:
                if (y == 0.0) return raise(types.ZeroDivisionError, "float modulo");
                out = Value::real(float_mod(x, y));
                return true;
            case BinOpKind::Pow:
                if (x == 0.0 && y < 0.0) return raise(types.ZeroDivisionError, "0.0 cannot be raised to a negative power");
                if (x < 0.0 && std::isfinite(x) && y != std::floor(y)) return raise_value_error("math domain error: complex result from a negative base");
                out = Value::real(std::pow(x, y));
                if (std::isinf(out.f) && std::isfinite(x) && std::isfinite(y)) return raise(types.OverflowError, "(34, 'Numerical result out of range')");
                return true;
            default: break;
        }
    }
    if (a.is_obj() && b.is_obj()) {
        const ObjKind ka = a.o->kind, kb = b.o->kind;
        if (kind == BinOpKind::Add && ka == kb) {
            if (ka == ObjKind::Str) {
                auto* x = static_cast<StrObj*>(a.o);
                auto* y = static_cast<StrObj*>(b.o);
                std::string joined;
                joined.reserve(x->data.size() + y->data.size());
                joined.append(x->view());
                joined.append(y->view());
                out = str(joined);
                return true;
            }
            if (ka == ObjKind::List) {
                ListObj* list = new_list();
                const auto& x = static_cast<ListObj*>(a.o)->items;
                const auto& y = static_cast<ListObj*>(b.o)->items;
                if ((raw_op & kInplaceFlag) != 0) {
                    static_cast<ListObj*>(a.o)->items.insert(static_cast<ListObj*>(a.o)->items.end(), y.begin(), y.end());
                    out = a;
                    return true;
                }
                list->items.reserve(x.size() + y.size());
                list->items.insert(list->items.end(), x.begin(), x.end());
                list->items.insert(list->items.end(), y.begin(), y.end());
                out = Value::object(list);
                return true;
            }
            if (ka == ObjKind::Tuple) {
                TupleObj* tuple = new_tuple();
                const auto& x = static_cast<TupleObj*>(a.o)->items;
                const auto& y = static_cast<TupleObj*>(b.o)->items;
                tuple->items.reserve(x.size() + y.size());
                tuple->items.insert(tuple->items.end(), x.begin(), x.end());
                tuple->items.insert(tuple->items.end(), y.begin(), y.end());
                out = Value::object(tuple);
                return true;
            }
        }
        if (ka == ObjKind::List && kb != ObjKind::List && kind == BinOpKind::Add && (raw_op & kInplaceFlag)) {
            tracked_vector<Value> items;
            if (!to_list(b, items)) return false;
            auto& target = static_cast<ListObj*>(a.o)->items;
            target.insert(target.end(), items.begin(), items.end());
            out = a;
            return true;
        }
        if (ka == ObjKind::Set && kb == ObjKind::Set &&
            (kind == BinOpKind::BitOr || kind == BinOpKind::BitAnd || kind == BinOpKind::Sub || kind == BinOpKind::BitXor)) {
            return set_operation(kind, static_cast<SetObj*>(a.o), static_cast<SetObj*>(b.o), (raw_op & kInplaceFlag) != 0, out);
        }
        if (ka == ObjKind::Dict && kb == ObjKind::Dict && kind == BinOpKind::BitOr) {
            DictObj* d = (raw_op & kInplaceFlag) ? static_cast<DictObj*>(a.o) : new_dict();
            if (!(raw_op & kInplaceFlag)) table::copy(static_cast<DictObj*>(a.o)->table, d->table);
            if (!dict_merge(d, b, {})) return false;
            out = Value::object(d);
            return true;
        }
    }
    if (a.is_obj() && a.o->kind == ObjKind::Dict && kind == BinOpKind::BitOr && (raw_op & kInplaceFlag)) {
        // d |= pairs is d.update(pairs): any iterable of pairs, unlike d | pairs.
        const Value args[2] = {a, b};
        Value ignored;
        if (!call(lookup_in_class(types.dict, intern("update")), args, 2, ignored)) return false;
        out = a;
        return true;
    }
    if (kind == BinOpKind::Mult) {
        Value seq = a, count = b;
        if (a.is_intlike()) std::swap(seq, count);
        if (count.is_intlike() && seq.is_obj()) {
            const std::int64_t n = std::max<std::int64_t>(0, count.as_int());
            switch (seq.o->kind) {
                case ObjKind::Str: {
                    const auto& s = static_cast<StrObj*>(seq.o)->data;
                    if (n > 0 && s.size() > 0 && static_cast<std::uint64_t>(n) > (std::uint64_t{1} << 40) / s.size()) return raise_memory_error();
                    std::string repeated;
                    repeated.reserve(s.size() * static_cast<std::size_t>(n));
                    for (std::int64_t i = 0; i < n; ++i) repeated.append(s.data(), s.size());
                    out = str(repeated);
                    return true;
                }
                case ObjKind::List:
                case ObjKind::Tuple: {
                    const auto& items = seq.o->kind == ObjKind::List ? static_cast<ListObj*>(seq.o)->items : static_cast<TupleObj*>(seq.o)->items;
                    if (n > 0 && items.size() > 0 && static_cast<std::uint64_t>(n) > (std::uint64_t{1} << 36) / items.size()) return raise_memory_error();
                    tracked_vector<Value> repeated;
                    repeated.reserve(items.size() * static_cast<std::size_t>(n));
                    for (std::int64_t i = 0; i < n; ++i) repeated.insert(repeated.end(), items.begin(), items.end());
                    if (seq.o->kind == ObjKind::List) {
                        if ((raw_op & kInplaceFlag) && seq.identical(a)) {
                            static_cast<ListObj*>(seq.o)->items.swap(repeated);
                            out = seq;
                            return true;
                        }
                        ListObj* list = new_list();
                        list->items.swap(repeated);
                        out = Value::object(list);
                    } else {
                        TupleObj* tuple = new_tuple();
                        tuple->items.swap(repeated);
                        out = Value::object(tuple);
                    }
                    return true;
                }
                default: break;
            }
        }
    }
    if ((kind == BinOpKind::BitOr || kind == BinOpKind::BitAnd || kind == BinOpKind::Sub || kind == BinOpKind::BitXor) &&
        is_set_view_operand(a, b))
        return view_set_operation(*this, kind, a, b, out);
    if (kind == BinOpKind::Mod && a.is_obj() && a.o->kind == ObjKind::Str) return percent_format(static_cast<StrObj*>(a.o), b, out);
    auto is_sequence = [](Value v) {
        return v.is_obj() && (v.o->kind == ObjKind::Str || v.o->kind == ObjKind::List || v.o->kind == ObjKind::Tuple);
    };
    if (kind == BinOpKind::Add && is_sequence(a))
        return raise_type_error(std::string("can only concatenate ") + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
    if (kind == BinOpKind::Mult) {
        if (is_sequence(a) || is_sequence(b))
            return raise_type_error(std::string("can't multiply sequence by non-int of type '") + type_name(is_sequence(a) ? b : a) + "'");
    }
    const bool inplace = (raw_op & kInplaceFlag) != 0;
    return raise_type_error(std::string("unsupported operand type(s) for ") + operator_symbol(op) +
                            (inplace ? "=" : kind == BinOpKind::Pow ? " or pow()" : "") + ": '" + type_name(a) + "' and '" +
                            type_name(b) + "'");
}

bool Interpreter::unary_op(std::uint32_t op, Value v, Value& out) {
    const auto kind = static_cast<script::UnaryOpKind>(op);
    if (kind == script::UnaryOpKind::Not) {
        bool truth;
        if (!truthy(v, truth)) return false;
        out = Value::boolean(!truth);
        return true;
    }
    if (v.is_intlike()) {
        const std::int64_t x = v.as_int();
        switch (kind) {
            case script::UnaryOpKind::Neg:
                if (x == INT64_MIN) return raise(types.OverflowError, "integer overflow: the result does not fit in 64 bits");
                out = Value::integer(-x);
                return true;
            case script::UnaryOpKind::Pos: out = Value::integer(x); return true;
            case script::UnaryOpKind::Invert: out = Value::integer(~x); return true;
            default: break;
        }
    }
    if (v.is_float()) {
        if (kind == script::UnaryOpKind::Neg) {
            out = Value::real(-v.f);
            return true;
        }
        if (kind == script::UnaryOpKind::Pos) {
            out = v;
            return true;
        }
    }
    if (v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception)) {
        StrObj* name = intern(kind == script::UnaryOpKind::Neg ? "__neg__" : kind == script::UnaryOpKind::Pos ? "__pos__" : "__invert__");
        Value method = lookup_in_class(type_of(v), name);
        if (!method.is_undef()) return call(method, &v, 1, out);
    }
    const char* symbol = kind == script::UnaryOpKind::Neg ? "-" : kind == script::UnaryOpKind::Pos ? "+" : "~";
    return raise_type_error(std::string("bad operand type for unary ") + symbol + ": '" + type_name(v) + "'");
}

// ============================================================================
// [COMPARE]
// ============================================================================

namespace {

const char* compare_symbol(CmpOpKind op) {
    switch (op) {
        case CmpOpKind::Eq: return "==";
        case CmpOpKind::NotEq: return "!=";
        case CmpOpKind::Lt: return "<";
        case CmpOpKind::LtE: return "<=";
        case CmpOpKind::Gt: return ">";
        default: return ">=";
    }
}

template <class T>
bool ordered(CmpOpKind op, const T& x, const T& y) {
    switch (op) {
        case CmpOpKind::Lt: return x < y;
        case CmpOpKind::LtE: return x <= y;
        case CmpOpKind::Gt: return x > y;
        case CmpOpKind::GtE: return x >= y;
        case CmpOpKind::Eq: return x == y;
        default: return x != y;
    }
}

}  // namespace

bool Interpreter::compare(std::uint32_t raw, Value a, Value b, Value& out) {
    const auto op = static_cast<CmpOpKind>(raw);
    if (a.is_intlike() && b.is_intlike()) {
        out = Value::boolean(ordered(op, a.as_int(), b.as_int()));
        return true;
    }
    if ((a.is_intlike() || a.is_float()) && (b.is_intlike() || b.is_float())) {
        // Exact int/float comparison: a large int must not round to the float.
        if (a.is_float() && b.is_float()) {
            out = Value::boolean(ordered(op, a.f, b.f));
            return true;
        }
        const double x = a.is_float() ? a.f : static_cast<double>(a.as_int());
        const double y = b.is_float() ? b.f : static_cast<double>(b.as_int());
        if (std::isnan(x) || std::isnan(y)) {
            out = Value::boolean(op == CmpOpKind::NotEq);
            return true;
        }
        long double lx = a.is_float() ? static_cast<long double>(a.f) : static_cast<long double>(a.as_int());
        long double ly = b.is_float() ? static_cast<long double>(b.f) : static_cast<long double>(b.as_int());
        out = Value::boolean(ordered(op, lx, ly));
        return true;
    }
    if (op == CmpOpKind::Eq || op == CmpOpKind::NotEq) {
        const bool instance = (a.is_obj() && (a.o->kind == ObjKind::Instance || a.o->kind == ObjKind::Exception)) ||
                              (b.is_obj() && (b.o->kind == ObjKind::Instance || b.o->kind == ObjKind::Exception));
        if (!instance) {
            bool e;
            if (!equal(a, b, e)) return false;
            out = Value::boolean(e == (op == CmpOpKind::Eq));
            return true;
        }
    }
    if (a.is_obj() && b.is_obj()) {
        const ObjKind ka = a.o->kind, kb = b.o->kind;
        if (ka == ObjKind::Str && kb == ObjKind::Str) {
            out = Value::boolean(ordered(op, static_cast<StrObj*>(a.o)->view(), static_cast<StrObj*>(b.o)->view()));
            return true;
        }
        if (ka == kb && (ka == ObjKind::Tuple || ka == ObjKind::List)) {
            const auto& x = ka == ObjKind::Tuple ? static_cast<TupleObj*>(a.o)->items : static_cast<ListObj*>(a.o)->items;
            const auto& y = ka == ObjKind::Tuple ? static_cast<TupleObj*>(b.o)->items : static_cast<ListObj*>(b.o)->items;
            std::size_t i = 0;
            for (; i < x.size() && i < y.size(); ++i) {
                bool same;
                if (!equal(x[i], y[i], same)) return false;
                if (!same) break;
            }
            if (i >= x.size() || i >= y.size()) {
                out = Value::boolean(ordered(op, x.size(), y.size()));
                return true;
            }
            return compare(raw, x[i], y[i], out);
        }
        if (ka == ObjKind::Set && kb == ObjKind::Set) return set_compare(op, static_cast<SetObj*>(a.o), static_cast<SetObj*>(b.o), out);
        if ((ka == ObjKind::DictView || kb == ObjKind::DictView) && op != CmpOpKind::Eq && op != CmpOpKind::NotEq) {
            bool handled;
            if (!view_order(*this, op, a, b, handled, out)) return false;
            if (handled) return true;
        }
    }
    // Instances with rich comparison methods (called nested here; the VM's
    // COMPARE_OP runs them as heap frames instead).
    static const char* const forward[] = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"};
    static const char* const reflected[] = {"__eq__", "__ne__", "__gt__", "__ge__", "__lt__", "__le__"};
    const auto index = static_cast<std::size_t>(op);
    if (index < 6) {
        Value method = lookup_in_class(type_of(a), intern(forward[index]));
        if (!method.is_undef() && !(method.is_obj() && method.o->kind == ObjKind::Native)) {
            Value args[2] = {a, b};
            if (!call(method, args, 2, out)) return false;
            if (!out.identical(not_implemented_)) return true;
        }
        Value rmethod = lookup_in_class(type_of(b), intern(reflected[index]));
        if (!rmethod.is_undef() && !(rmethod.is_obj() && rmethod.o->kind == ObjKind::Native)) {
            Value args[2] = {b, a};
            if (!call(rmethod, args, 2, out)) return false;
            if (!out.identical(not_implemented_)) return true;
        }
        if (op == CmpOpKind::NotEq) {
            Value eq = lookup_in_class(type_of(a), names.eq);
            if (!eq.is_undef() && !(eq.is_obj() && eq.o->kind == ObjKind::Native)) {
                Value args[2] = {a, b};
                Value r;
                if (!call(eq, args, 2, r)) return false;
                if (!r.identical(not_implemented_)) {
                    bool t;
                    if (!truthy(r, t)) return false;
                    out = Value::boolean(!t);
                    return true;
                }
            }
        }
        if (op == CmpOpKind::Eq || op == CmpOpKind::NotEq) {
            out = Value::boolean(a.identical(b) == (op == CmpOpKind::Eq));
            return true;
        }
    }
    return raise_type_error(std::string("'") + compare_symbol(op) + "' not supported between instances of '" +
                            type_name(a) + "' and '" + type_name(b) + "'");
}

// ============================================================================
// [CONTAINERS]
// ============================================================================

bool Interpreter::length(Value v, std::int64_t& out) {
    if (v.is_obj()) {
        switch (v.o->kind) {
            case ObjKind::Str: out = static_cast<StrObj*>(v.o)->length; return true;
            case ObjKind::Tuple: out = static_cast<std::int64_t>(static_cast<TupleObj*>(v.o)->items.size()); return true;
            case ObjKind::List: out = static_cast<std::int64_t>(static_cast<ListObj*>(v.o)->items.size()); return true;
            case ObjKind::Dict: out = static_cast<std::int64_t>(static_cast<DictObj*>(v.o)->table.live); return true;
            case ObjKind::Set: out = static_cast<SetObj*>(v.o)->used; return true;
            case ObjKind::DictView: out = static_cast<std::int64_t>(static_cast<DictViewObj*>(v.o)->dict->table.live); return true;
            case ObjKind::Range: out = static_cast<RangeObj*>(v.o)->length(); return true;
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(v), names.len);
                if (method.is_undef()) break;
                Value r;
                if (!call(method, &v, 1, r)) return false;
                if (!r.is_intlike()) return raise_type_error(std::string("'") + type_name(r) + "' object cannot be interpreted as an integer");
                if (r.as_int() < 0) return raise_value_error("__len__() should return >= 0");
                out = r.as_int();
                return true;
            }
            default: break;
        }
    }
    return raise_type_error(std::string("object of type '") + type_name(v) + "' has no len()");
}

bool Interpreter::contains(Value container, Value item, bool& out) {
    if (container.is_obj()) {
        switch (container.o->kind) {
            case ObjKind::Str: {
                if (!(item.is_obj() && item.o->kind == ObjKind::Str))
                    return raise_type_error(std::string("'in <string>' requires string as left operand, not ") + type_name(item));
                out = static_cast<StrObj*>(container.o)->view().find(static_cast<StrObj*>(item.o)->view()) != std::string_view::npos;
                return true;
            }
            case ObjKind::Dict: {
                Value v;
                return table::lookup(*this, static_cast<DictObj*>(container.o)->table, item, v, out);
            }
            case ObjKind::Set: return sets::contains(*this, static_cast<SetObj*>(container.o), item, out);
            case ObjKind::DictView: return view_contains(*this, static_cast<DictViewObj*>(container.o), item, out);
            case ObjKind::Range: {
                auto* r = static_cast<RangeObj*>(container.o);
                if (item.is_intlike()) {
                    const std::int64_t x = item.as_int();
                    const bool inside = r->step > 0 ? (x >= r->start && x < r->stop) : (x <= r->start && x > r->stop);
                    out = inside && (static_cast<__int128>(x) - r->start) % r->step == 0;
                    return true;
                }
                break;
            }
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(container), names.contains);
                if (method.is_undef()) break;
                Value args[2] = {container, item};
                Value r;
                if (!call(method, args, 2, r)) return false;
                return truthy(r, out);
            }
            default: break;
        }
    }
    Value it;
    if (!get_iter(container, it)) {
        if (has_pending() && is_instance(pending_, types.TypeError)) {
            take_pending();
            return raise_type_error(std::string("argument of type '") + type_name(container) + "' is not iterable");
        }
        return false;
    }
    Value x;
    while (iter_next(it, x)) {
        bool same;
        if (!equal(x, item, same)) return false;
        if (same) {
            out = true;
            return true;
        }
    }
    if (has_pending()) return false;
    out = false;
    return true;
}

}  // namespace spindle::vm
