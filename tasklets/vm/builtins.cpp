// The builtins module: functions, type constructors and exception basics.
// Methods of str/list/dict/set/tuple live in their own files (methods_*.cpp).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>

#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

void install_methods(Interpreter& interp);
void install_library_modules(Interpreter& interp);  // math, random (module_*.cpp)

namespace {

// ---------------------------------------------------------------- output and text

bool builtin_print(Interpreter& in, const CallArgs& a, Value& out) {
    std::string sep = " ", end = "\n";
    const std::uint32_t npos = a.positional_count();
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view key = static_cast<StrObj*>(a.kwnames->items[k].o)->view();
        const Value v = a[npos + k];
        if (key == "sep" || key == "end") {
            std::string* target = key == "sep" ? &sep : &end;
            if (v.is_none()) continue;
            if (!is_str(v)) return in.raise_type_error(std::string(key) + " must be None or a string, not " + in.type_name(v));
            *target = std::string(as_str(v)->view());
        } else if (key == "file" || key == "flush") {
            // output always goes to the host's stdout; flush is implicit
        } else {
            return in.raise_type_error("'" + std::string(key) + "' is an invalid keyword argument for print()");
        }
    }
    std::string text;
    for (std::uint32_t i = 0; i < npos; ++i) {
        if (i) text += sep;
        if (!in.to_str(a[i], text)) return false;
    }
    text += end;
    in.write_stdout(text);
    out = Value();
    return true;
}

bool builtin_repr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "repr", 1, 1)) return false;
    std::string text;
    if (!in.repr(a[0], text)) return false;
    out = in.str(text);
    return true;
}

bool builtin_ascii(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "ascii", 1, 1)) return false;
    std::string text;
    if (!in.repr(a[0], text)) return false;
    out = in.str(ascii_escape(text));
    return true;
}

bool builtin_format(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "format", 1, 2)) return false;
    std::string text;
    if (a.count > 1 && !is_str(a[1])) return in.raise_type_error(std::string("format() argument 2 must be str, not ") + in.type_name(a[1]));
    std::string_view spec = a.count > 1 ? as_str(a[1])->view() : std::string_view();
    if (!in.format_with_spec(a[0], spec, text)) return false;
    out = in.str(text);
    return true;
}

bool builtin_len(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "len", 1, 1)) return false;
    std::int64_t n;
    if (!in.length(a[0], n)) return false;
    out = Value::integer(n);
    return true;
}

bool builtin_chr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "chr", 1, 1)) return false;
    std::int64_t code;
    if (!index_argument(in, a[0], code)) return false;
    std::string text;
    if (!in.format_with_spec(Value::integer(code), "c", text)) {
        in.take_pending();
        return in.raise_value_error("chr() arg not in range(0x110000)");
    }
    out = in.str(text);
    return true;
}

bool builtin_ord(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "ord", 1, 1)) return false;
    if (!is_str(a[0])) return in.raise_type_error(std::string("ord() expected string of length 1, but ") + in.type_name(a[0]) + " found");
    StrObj* s = as_str(a[0]);
    if (s->length != 1) return in.raise_type_error("ord() expected a character, but string of length " + std::to_string(s->length) + " found");
    const auto* p = reinterpret_cast<const unsigned char*>(s->data.data());
    std::uint32_t cp = p[0];
    if (cp >= 0xF0) cp = ((cp & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    else if (cp >= 0xE0) cp = ((cp & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    else if (cp >= 0xC0) cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
    out = Value::integer(cp);
    return true;
}

// ---------------------------------------------------------------- numbers

// hex(), oct() and bin() are format(index(x), "#x") and friends.
bool int_to_base_text(Interpreter& in, const CallArgs& a, const char* name, std::string_view spec, Value& out) {
    if (!expect_count(in, a, name, 1, 1)) return false;
    std::int64_t n;
    if (!index_argument(in, a[0], n)) return false;
    std::string text;
    if (!in.format_with_spec(Value::integer(n), spec, text)) return false;
    out = in.str(text);
    return true;
}

bool builtin_hex(Interpreter& in, const CallArgs& a, Value& out) { return int_to_base_text(in, a, "hex", "#x", out); }
bool builtin_oct(Interpreter& in, const CallArgs& a, Value& out) { return int_to_base_text(in, a, "oct", "#o", out); }
bool builtin_bin(Interpreter& in, const CallArgs& a, Value& out) { return int_to_base_text(in, a, "bin", "#b", out); }

bool builtin_abs(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "abs", 1, 1)) return false;
    const Value v = a[0];
    if (v.is_intlike()) {
        if (v.as_int() == INT64_MIN) return in.raise(in.types.OverflowError, "integer overflow: the result does not fit in 64 bits");
        out = Value::integer(v.as_int() < 0 ? -v.as_int() : v.as_int());
        return true;
    }
    if (v.is_float()) {
        out = Value::real(std::fabs(v.f));
        return true;
    }
    Value method = in.lookup_in_class(in.type_of(v), in.intern("__abs__"));
    if (!method.is_undef()) return in.call(method, &v, 1, out);
    return in.raise_type_error(std::string("bad operand type for abs(): '") + in.type_name(v) + "'");
}

bool builtin_divmod(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "divmod", 2, 2)) return false;
    auto number = [](Value v) { return v.is_intlike() || v.is_float(); };
    if (number(a[0]) && number(a[1]) && (a[0].is_float() || a[1].is_float()) &&
        (a[1].is_float() ? a[1].f == 0.0 : a[1].as_int() == 0))
        return in.raise(in.types.ZeroDivisionError, "float divmod()");
    for (int side = 0; side < 2; ++side) {  // __divmod__, then the reflected __rdivmod__
        const Value self = a[side], other = a[1 - side];
        if (!(self.is_obj() && (self.o->kind == ObjKind::Instance || self.o->kind == ObjKind::Exception))) continue;
        if (side == 1 && in.type_of(a[0]) == in.type_of(a[1])) break;
        const Value method = in.lookup_in_class(in.type_of(self), in.intern(side == 0 ? "__divmod__" : "__rdivmod__"));
        if (method.is_undef() || method.is_none()) continue;
        Value args[2] = {self, other};
        if (!in.call(method, args, 2, out)) return false;
        if (!out.identical(in.not_implemented())) return true;
    }
    // Only __divmod__ counts: // and % of other types do not make a divmod.
    if (!number(a[0]) || !number(a[1]))
        return in.raise_type_error(std::string("unsupported operand type(s) for divmod(): '") + in.type_name(a[0]) + "' and '" +
                                   in.type_name(a[1]) + "'");
    Value q, r;
    if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::FloorDiv), a[0], a[1], q)) return false;
    if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Mod), a[0], a[1], r)) return false;
    TupleObj* t = in.new_tuple(2);
    t->items.push_back(q);
    t->items.push_back(r);
    out = Value::object(t);
    return true;
}

// The inverse of b modulo m (0 <= b < m) by the extended Euclidean
// algorithm: pow(b, -e, m) is pow(inverse, e, m), as in CPython 3.8+.
bool modular_inverse(__int128 b, __int128 m, __int128& inverse) {
    __int128 r0 = m, r1 = b, t0 = 0, t1 = 1;
    while (r1 != 0) {
        const __int128 q = r0 / r1;
        const __int128 r2 = r0 - q * r1, t2 = t0 - q * t1;
        r0 = r1, r1 = r2, t0 = t1, t1 = t2;
    }
    if (r0 != 1) return false;
    inverse = t0 < 0 ? t0 + m : t0;
    return true;
}

bool builtin_pow(Interpreter& in, const CallArgs& call, Value& out) {
    Value args[3];
    if (!function_clinic(in, call, "pow", {"base", "exp", "mod"}, 0, 2, args)) return false;
    const CallArgs a{args, args[2].is_undef() || args[2].is_none() ? 2u : 3u, nullptr};
    if (a.count == 3) {
        if (!a[0].is_intlike() || !a[1].is_intlike() || !a[2].is_intlike())
            return in.raise_type_error("pow() 3rd argument not allowed unless all arguments are integers");
        const std::int64_t m = a[2].as_int();
        if (m == 0) return in.raise_value_error("pow() 3rd argument cannot be 0");
        // Work modulo |m| in 128 bits, so INT64_MIN operands cannot overflow.
        const __int128 modulus = m < 0 ? -static_cast<__int128>(m) : static_cast<__int128>(m);
        __int128 b = a[0].as_int() % modulus;
        if (b < 0) b += modulus;
        const std::int64_t e = a[1].as_int();
        if (e < 0 && !modular_inverse(b, modulus, b)) return in.raise_value_error("base is not invertible for the given modulus");
        // -(e + 1) + 1 is |e| without overflowing at INT64_MIN.
        std::uint64_t n = e < 0 ? static_cast<std::uint64_t>(-(e + 1)) + 1 : static_cast<std::uint64_t>(e);
        __int128 result = 1 % modulus;
        while (n > 0) {
            if (n & 1) result = (result * b) % modulus;
            b = (b * b) % modulus;
            n >>= 1;
        }
        // Python's result takes the sign of the modulus.
        if (m < 0 && result != 0) result -= modulus;
        out = Value::integer(static_cast<std::int64_t>(result));
        return true;
    }
    return in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Pow), a[0], a[1], out);
}

// Python's round: half to even; round(x, n) for floats via correctly rounded decimal text.
bool builtin_round(Interpreter& in, const CallArgs& call, Value& out) {
    Value args[2];
    if (!function_clinic(in, call, "round", {"number", "ndigits"}, 0, 1, args)) return false;
    const CallArgs a{args, args[1].is_undef() ? 1u : 2u, nullptr};
    const Value v = a[0];
    const bool has_digits = a.count == 2 && !a[1].is_none();
    if (has_digits && !a[1].is_intlike()) return in.raise_type_error(std::string("'") + in.type_name(a[1]) + "' object cannot be interpreted as an integer");
    const std::int64_t digits = has_digits ? a[1].as_int() : 0;
    if (v.is_intlike()) {
        if (!has_digits || digits >= 0) {
            out = Value::integer(v.as_int());
            return true;
        }
        if (digits < -18) {
            out = Value::integer(0);
            return true;
        }
        std::int64_t p = 1;
        for (std::int64_t i = 0; i < -digits; ++i) p *= 10;
        const std::int64_t x = v.as_int();
        std::int64_t q = x / p, r = x % p;
        if (r < 0) {
            r += p;
            --q;
        }
        if (2 * r > p || (2 * r == p && (q & 1))) ++q;
        out = Value::integer(q * p);
        return true;
    }
    if (!v.is_float()) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern("__round__"));
        if (!method.is_undef()) return in.call(method, a.values, a.count, out);
        return in.raise_type_error(std::string("type ") + in.type_name(v) + " doesn't define __round__ method");
    }
    const double d = v.f;
    if (!has_digits) {
        if (std::isnan(d)) return in.raise_value_error("cannot convert float NaN to integer");
        if (std::isinf(d)) return in.raise(in.types.OverflowError, "cannot convert float infinity to integer");
        double r = std::nearbyint(d);  // the default rounding mode is to nearest, ties to even
        if (std::fabs(r) >= 9.2233720368547758e18) return in.raise(in.types.OverflowError, "integer overflow: the result does not fit in 64 bits");
        out = Value::integer(static_cast<std::int64_t>(r));
        return true;
    }
    if (!std::isfinite(d) || d == 0.0) {
        out = v;
        return true;
    }
    if (digits > 300) {
        out = v;
        return true;
    }
    if (digits < -308) {
        out = Value::real(std::copysign(0.0, d));
        return true;
    }
    // Round the exact decimal expansion (as CPython's dtoa does), half to even.
    char buffer[512];
    const int precision = static_cast<int>(std::max<std::int64_t>(digits, 0));
    if (digits >= 0) {
        auto res = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed, precision);
        out = Value::real(std::strtod(std::string(buffer, res.ptr).c_str(), nullptr));
        return true;
    }
    const double scale = std::pow(10.0, static_cast<double>(-digits));
    double y = d / scale;
    double z = std::nearbyint(y);
    if (std::fabs(y - z) == 0.5) z = 2.0 * std::nearbyint(y / 2.0);
    out = Value::real(z * scale);
    return true;
}

// ---------------------------------------------------------------- reductions

bool iterate(Interpreter& in, Value iterable, tracked_vector<Value>& items) { return in.to_list(iterable, items); }

bool builtin_sum(Interpreter& in, const CallArgs& call, Value& out) {
    Value args[2];
    if (!function_clinic(in, call, "sum", {"iterable", "start"}, 1, 1, args)) return false;
    const CallArgs a{args, args[1].is_undef() ? 1u : 2u, nullptr};
    Value total = a.count > 1 ? a[1] : Value::integer(0);
    if (is_str(total)) return in.raise_type_error("sum() can't sum strings [use ''.join(seq) instead]");
    tracked_vector<Value> items;
    if (!iterate(in, a[0], items)) return false;
    for (const Value& v : items) {
        if (!binary_op_nested(in, static_cast<std::uint32_t>(script::BinOpKind::Add), total, v, total)) return false;
    }
    out = total;
    return true;
}

bool builtin_any_all(Interpreter& in, const CallArgs& a, Value& out, bool any) {
    if (!expect_count(in, a, any ? "any" : "all", 1, 1)) return false;
    Value it;
    if (!in.get_iter(a[0], it)) return false;
    Value item;
    while (in.iter_next(it, item)) {
        bool truth;
        if (!in.truthy(item, truth)) return false;
        if (truth == any) {
            out = Value::boolean(any);
            return true;
        }
    }
    if (in.has_pending()) return false;
    out = Value::boolean(!any);
    return true;
}
bool builtin_any(Interpreter& in, const CallArgs& a, Value& out) { return builtin_any_all(in, a, out, true); }
bool builtin_all(Interpreter& in, const CallArgs& a, Value& out) { return builtin_any_all(in, a, out, false); }

// min/max with key= and default=.
bool builtin_minmax(Interpreter& in, const CallArgs& a, Value& out, bool want_max) {
    const char* name = want_max ? "max" : "min";
    Value key, fallback = Value::undef();
    const std::uint32_t npos = a.positional_count();
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view kw = as_str(a.kwnames->items[k])->view();
        if (kw == "key") key = a[npos + k];
        else if (kw == "default") fallback = a[npos + k];
        else return in.raise_type_error(std::string("'") + std::string(kw) + "' is an invalid keyword argument for " + name + "()");
    }
    if (npos == 0) return in.raise_type_error(std::string(name) + " expected at least 1 argument, got 0");
    tracked_vector<Value> items;
    if (npos == 1) {
        if (!iterate(in, a[0], items)) return false;
    } else {
        if (!fallback.is_undef()) return in.raise_type_error(std::string("Cannot specify a default for ") + name + "() with multiple positional arguments");
        items.assign(a.values, a.values + npos);
    }
    if (items.empty()) {
        if (!fallback.is_undef()) {
            out = fallback;
            return true;
        }
        return in.raise_value_error(std::string(name) + "() arg is an empty sequence");
    }
    Value best = items[0], best_key = items[0];
    if (!key.is_none() && !in.call(key, &items[0], 1, best_key)) return false;
    for (std::size_t i = 1; i < items.size(); ++i) {
        Value k = items[i];
        if (!key.is_none() && !in.call(key, &items[i], 1, k)) return false;
        Value better;
        const auto op = want_max ? script::CmpOpKind::Gt : script::CmpOpKind::Lt;
        if (!in.compare(static_cast<std::uint32_t>(op), k, best_key, better)) return false;
        bool truth;
        if (!in.truthy(better, truth)) return false;
        if (truth) {
            best = items[i];
            best_key = k;
        }
    }
    out = best;
    return true;
}
bool builtin_min(Interpreter& in, const CallArgs& a, Value& out) { return builtin_minmax(in, a, out, false); }
bool builtin_max(Interpreter& in, const CallArgs& a, Value& out) { return builtin_minmax(in, a, out, true); }

bool builtin_sorted(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.positional_count() != 1) return in.raise_type_error("sorted expected 1 argument, got " + std::to_string(a.positional_count()));
    ListObj* list = in.new_list();
    if (!iterate(in, a[0], list->items)) return false;
    out = Value::object(list);
    CallArgs rest{a.values, a.count, a.kwnames};
    tracked_vector<Value> with_self;
    with_self.push_back(out);
    for (std::uint32_t i = 1; i < a.count; ++i) with_self.push_back(a[i]);
    rest.values = with_self.data();
    rest.count = static_cast<std::uint32_t>(with_self.size());
    Value ignored;
    return list_sort(in, rest, ignored);
}

// ---------------------------------------------------------------- iteration

IteratorObj* new_iterator(Interpreter& in, IterKind kind) { return in.heap().make<IteratorObj>(kind); }

bool builtin_iter(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "iter", 1, 2)) return false;
    if (a.count == 2) return in.raise_type_error("iter(callable, sentinel) is not supported");
    return in.get_iter(a[0], out);
}

bool builtin_next(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "next", 1, 2)) return false;
    if (in.iter_next(a[0], out)) return true;
    if (in.has_pending()) return false;
    if (a.count == 2) {
        out = a[1];
        return true;
    }
    ExceptionObj* e = in.heap().make<ExceptionObj>(in.types.StopIteration);
    e->args = in.new_tuple();
    return in.raise_value(Value::object(e));
}

bool builtin_enumerate(Interpreter& in, const CallArgs& call, Value& out) {
    Value args[2];
    if (call.positional_count() == 0 && call.keyword_count() < 3) {
        bool named = false;
        for (std::uint32_t k = 0; k < call.keyword_count(); ++k) named = named || as_str(call.kwnames->items[k])->view() == "iterable";
        if (!named) return in.raise_type_error("enumerate() missing required argument 'iterable'");
    }
    if (call.count > 2) return in.raise_type_error("enumerate() takes at most 2 arguments (" + std::to_string(call.count) + " given)");
    if (!function_clinic(in, call, "enumerate", {"iterable", "start"}, 0, 1, args)) return false;
    const CallArgs a{args, args[1].is_undef() ? 1u : 2u, nullptr};
    IteratorObj* it = new_iterator(in, IterKind::Enumerate);
    Value source;
    if (!in.get_iter(a[0], source)) return false;
    it->parts.push_back(source);
    if (a.count == 2) {
        if (!a[1].is_intlike()) return in.raise_type_error(std::string("'") + in.type_name(a[1]) + "' object cannot be interpreted as an integer");
        it->index = a[1].as_int();
    }
    out = Value::object(it);
    return true;
}

bool builtin_zip(Interpreter& in, const CallArgs& a, Value& out) {
    bool strict = false;
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view key = as_str(a.kwnames->items[k])->view();
        if (key != "strict") return in.raise_type_error("'" + std::string(key) + "' is an invalid keyword argument for zip()");
        if (!in.truthy(a[a.positional_count() + k], strict)) return false;
    }
    IteratorObj* it = new_iterator(in, IterKind::Zip);
    it->end = strict ? 1 : 0;
    for (std::uint32_t i = 0; i < a.positional_count(); ++i) {
        Value source;
        if (!in.get_iter(a[i], source)) return false;
        it->parts.push_back(source);
    }
    if (a.positional_count() == 0) it->iter_kind = IterKind::Reversed;  // empty: exhausted at once
    out = Value::object(it);
    return true;
}

bool builtin_map(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.count < 2) return in.raise_type_error("map() must have at least two arguments.");
    IteratorObj* it = new_iterator(in, IterKind::Map);
    it->parts.push_back(a[0]);
    for (std::uint32_t i = 1; i < a.count; ++i) {
        Value source;
        if (!in.get_iter(a[i], source)) return false;
        it->parts.push_back(source);
    }
    out = Value::object(it);
    return true;
}

bool builtin_filter(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "filter", 2, 2)) return false;
    IteratorObj* it = new_iterator(in, IterKind::Filter);
    Value source;
    if (!in.get_iter(a[1], source)) return false;
    it->parts.push_back(a[0]);
    it->parts.push_back(source);
    out = Value::object(it);
    return true;
}

bool builtin_reversed(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("reversed() takes no keyword arguments");
    if (a.count != 1) return in.raise_type_error("reversed expected 1 argument, got " + std::to_string(a.count));
    Value v = a[0];
    if (v.is_obj() && (v.o->kind == ObjKind::List || v.o->kind == ObjKind::Tuple)) {
        IteratorObj* it = new_iterator(in, IterKind::Reversed);
        it->source = v;
        std::int64_t n;
        in.length(v, n);
        it->index = n;
        out = Value::object(it);
        return true;
    }
    if (v.is_obj() && (v.o->kind == ObjKind::Range || v.o->kind == ObjKind::Str || v.o->kind == ObjKind::Dict)) {
        ListObj* items = in.new_list();
        if (!in.to_list(v, items->items)) return false;
        IteratorObj* it = new_iterator(in, IterKind::Reversed);
        it->source = Value::object(items);
        it->index = static_cast<std::int64_t>(items->items.size());
        out = Value::object(it);
        return true;
    }
    Value method = in.lookup_in_class(in.type_of(v), in.intern("__reversed__"));
    if (!method.is_undef()) return in.call(method, &v, 1, out);
    return in.raise_type_error(std::string("'") + in.type_name(v) + "' object is not reversible");
}

// ---------------------------------------------------------------- types and attributes

bool builtin_isinstance(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "isinstance", 2, 2)) return false;
    // A tuple of classes may nest tuples (object_isinstance recurses).
    std::function<bool(Value, bool&, int)> check = [&](Value cls, bool& ok, int depth) {
        if (cls.is_obj() && cls.o->kind == ObjKind::Tuple) {
            if (depth > 1000) return in.raise(in.types.RecursionError, "maximum recursion depth exceeded in __instancecheck__");
            for (const Value& c : static_cast<TupleObj*>(cls.o)->items) {
                if (!check(c, ok, depth + 1)) return false;
                if (ok) return true;
            }
            return true;
        }
        if (!(cls.is_obj() && cls.o->kind == ObjKind::Class))
            return in.raise_type_error("isinstance() arg 2 must be a type, a tuple of types, or a union");
        ok = in.is_instance(a[0], static_cast<ClassObj*>(cls.o));
        return true;
    };
    bool ok = false;
    if (!check(a[1], ok, 0)) return false;
    out = Value::boolean(ok);
    return true;
}

bool builtin_issubclass(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "issubclass", 2, 2)) return false;
    if (!(a[0].is_obj() && a[0].o->kind == ObjKind::Class)) return in.raise_type_error("issubclass() arg 1 must be a class");
    auto* cls = static_cast<ClassObj*>(a[0].o);
    bool ok = false;
    auto check = [&](Value base) {
        if (!(base.is_obj() && base.o->kind == ObjKind::Class))
            return in.raise_type_error("issubclass() arg 2 must be a class, a tuple of classes, or a union");
        ok = ok || in.is_subclass(cls, static_cast<ClassObj*>(base.o));
        return true;
    };
    if (a[1].is_obj() && a[1].o->kind == ObjKind::Tuple) {
        for (const Value& c : static_cast<TupleObj*>(a[1].o)->items) {
            if (!check(c)) return false;
        }
    } else if (!check(a[1])) {
        return false;
    }
    out = Value::boolean(ok);
    return true;
}

bool builtin_type(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.count != 1) return in.raise_type_error("type() takes 1 argument (creating classes with type() is not supported)");
    out = Value::object(in.type_of(a[0]));
    return true;
}

bool builtin_callable(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "callable", 1, 1)) return false;
    const Value v = a[0];
    bool ok = v.is_obj() && (v.o->kind == ObjKind::Function || v.o->kind == ObjKind::Native ||
                             v.o->kind == ObjKind::BoundMethod || v.o->kind == ObjKind::Class);
    if (!ok) ok = !in.lookup_in_class(in.type_of(v), in.names.call).is_undef();
    out = Value::boolean(ok);
    return true;
}

bool builtin_hash(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "hash", 1, 1)) return false;
    std::uint64_t h;
    if (!in.hash(a[0], h)) return false;
    out = Value::integer(static_cast<std::int64_t>(h));
    return true;
}

bool builtin_id(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "id", 1, 1)) return false;
    const Value v = a[0];
    out = Value::integer(v.is_obj() ? static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(v.o) >> 3)
                                    : static_cast<std::int64_t>(static_cast<int>(v.tag) * 1000003 + v.i));
    return true;
}

bool name_argument(Interpreter& in, const CallArgs& a, const char* fn, StrObj*& name) {
    (void)fn;
    if (!is_str(a[1])) return in.raise_type_error(std::string("attribute name must be string, not '") + in.type_name(a[1]) + "'");
    name = as_str(a[1]);
    return true;
}

bool builtin_getattr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "getattr", 2, 3)) return false;
    StrObj* name;
    if (!name_argument(in, a, "getattr", name)) return false;
    if (in.get_attr(a[0], name, out)) return true;
    if (a.count == 3 && in.is_instance(in.take_pending(), in.types.AttributeError)) {
        out = a[2];
        return true;
    }
    return false;
}

bool builtin_setattr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "setattr", 3, 3)) return false;
    StrObj* name;
    if (!name_argument(in, a, "setattr", name)) return false;
    out = Value();
    return in.set_attr(a[0], name, a[2]);
}

bool builtin_hasattr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "hasattr", 2, 2)) return false;
    StrObj* name;
    if (!name_argument(in, a, "hasattr", name)) return false;
    Value ignored;
    if (in.get_attr(a[0], name, ignored)) {
        out = Value::boolean(true);
        return true;
    }
    Value error = in.take_pending();
    if (!in.is_instance(error, in.types.AttributeError)) return in.raise_value(error);
    out = Value::boolean(false);
    return true;
}

bool builtin_delattr(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "delattr", 2, 2)) return false;
    StrObj* name;
    if (!name_argument(in, a, "delattr", name)) return false;
    out = Value();
    return in.del_attr(a[0], name);
}

// super() with zero arguments: the calling method's class and first argument.
bool builtin_super(Interpreter& in, const CallArgs& a, Value& out) {
    ClassObj* cls = nullptr;
    Value self;
    if (a.count == 2) {
        if (!(a[0].is_obj() && a[0].o->kind == ObjKind::Class)) return in.raise_type_error("super() argument 1 must be a type");
        cls = static_cast<ClassObj*>(a[0].o);
        self = a[1];
    } else if (a.count == 0) {
        Thread& t = in.current_thread();
        if (t.frames.empty()) return in.raise(in.types.RuntimeError, "super(): no arguments");
        const Frame& f = t.frames.back();
        if (!f.function || !f.function->defining_class || f.code->local_count == 0)
            return in.raise(in.types.RuntimeError, "super(): __class__ cell not found");
        cls = f.function->defining_class;
        self = t.stack[f.base];
        if (self.is_obj() && self.o->kind == ObjKind::Cell) self = static_cast<CellObj*>(self.o)->value;
    } else {
        return in.raise_type_error("super() takes 0 or 2 arguments");
    }
    out = make_super(in, cls, self);
    return true;
}

// ---------------------------------------------------------------- exceptions and classes

bool exception_init(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.count == 0 || !(a[0].is_obj() && a[0].o->kind == ObjKind::Exception)) return in.raise_type_error("descriptor '__init__' requires an exception");
    auto* e = static_cast<ExceptionObj*>(a[0].o);
    e->args = in.new_tuple();
    e->args->items.assign(a.values + 1, a.values + a.positional_count());
    out = Value();
    return true;
}

bool object_init(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.count > 1 || a.kwnames) {
        return in.raise_type_error("object.__init__() takes exactly one argument (the instance to initialize)");
    }
    out = Value();
    return true;
}

// object.__new__(cls, ...) and BaseException.__new__(cls, *args): a bare
// instance. object's refuses arguments a class call would not pass on:
// those of a class that has its own __new__ but not __init__ are for
// __new__ alone (CPython's rules, with its words).
bool object_new_common(Interpreter& in, const CallArgs& a, Value& out, bool exception) {
    const char* const who = exception ? "BaseException.__new__" : "object.__new__";
    if (a.count == 0) return in.raise_type_error(std::string(who) + "(): not enough arguments");
    if (!(a[0].is_obj() && a[0].o->kind == ObjKind::Class))
        return in.raise_type_error(std::string(who) + "(X): X is not a type object (" + in.type_name(a[0]) + ")");
    auto* cls = static_cast<ClassObj*>(a[0].o);
    const std::string name(cls->name->view());
    if (exception) {
        if (!cls->is_exception) return in.raise_type_error(std::string(who) + "(" + name + "): " + name + " is not a subtype of BaseException");
    } else {
        // Unsafe unless the class's instances are plain objects: CPython
        // names the nearest class without a __new__ of its own.
        const ClassObj* builtin = cls;
        while (builtin && !builtin->is_builtin) builtin = builtin->base;
        if (builtin && builtin != in.types.object) {
            const ClassObj* named = cls;
            while (!named->is_builtin && named->dict && table::find_interned(named->dict->table, in.names.new_) >= 0) named = named->base;
            return in.raise_type_error(std::string(who) + "(" + name + ") is not safe, use " + std::string(named->name->view()) +
                                       ".__new__()");
        }
    }
    if (!exception && (a.count > 1 || a.kwnames)) {
        in.refresh_constructors(cls);
        if (!cls->new_cache.is_undef())
            return in.raise_type_error("object.__new__() takes exactly one argument (the type to instantiate)");
        if (cls->init_cache.is_undef()) return in.raise_type_error(name + "() takes no arguments");
    }
    out = in.make_instance(cls, a.values + 1, exception ? a.positional_count() - 1 : 0);
    return true;
}
bool object_new(Interpreter& in, const CallArgs& a, Value& out) { return object_new_common(in, a, out, false); }
bool exception_new(Interpreter& in, const CallArgs& a, Value& out) { return object_new_common(in, a, out, true); }

// object.__eq__: identity, else NotImplemented (the other side may answer).
bool object_eq(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "__eq__", 2, 2)) return false;
    out = a[0].identical(a[1]) ? Value::boolean(true) : in.not_implemented();
    return true;
}

// object.__ne__: the inverse of the type's __eq__, NotImplemented passed through.
bool object_ne(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "__ne__", 2, 2)) return false;
    const Value eq = in.lookup_in_class(in.type_of(a[0]), in.names.eq);
    Value result;
    if (!in.call(eq, a.values, 2, result)) return false;
    if (result.identical(in.not_implemented())) {
        out = result;
        return true;
    }
    bool truth;
    if (!in.truthy(result, truth)) return false;
    out = Value::boolean(!truth);
    return true;
}

// __repr__ and __str__ of object and of BaseException.
bool default_text(Interpreter& in, const CallArgs& a, const char* name, bool str, bool exception_form, Value& out) {
    if (!expect_count(in, a, name, 1, 1)) return false;
    std::string text;
    // object.__str__ is repr(self): the class's own __repr__ still counts.
    const bool ok = str ? (exception_form ? in.default_str(a[0], text) : in.repr(a[0], text))
                        : in.default_repr(a[0], exception_form, text);
    if (!ok) return false;
    out = in.str(text);
    return true;
}

bool object_repr(Interpreter& in, const CallArgs& a, Value& out) { return default_text(in, a, "__repr__", false, false, out); }
bool object_str(Interpreter& in, const CallArgs& a, Value& out) { return default_text(in, a, "__str__", true, false, out); }
bool exception_repr(Interpreter& in, const CallArgs& a, Value& out) { return default_text(in, a, "__repr__", false, true, out); }
bool exception_str(Interpreter& in, const CallArgs& a, Value& out) { return default_text(in, a, "__str__", true, true, out); }


}  // namespace

bool build_class_native(Interpreter& in, const CallArgs&, Value&) {
    return in.raise(in.types.RuntimeError, "__build_class__ is only called by class statements");
}

void install_builtins(Interpreter& in) {
    ModuleObj* b = in.builtins_module();
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry functions[] = {
        {"print", builtin_print},       {"repr", builtin_repr},           {"format", builtin_format},
        {"ascii", builtin_ascii},
        {"len", builtin_len},           {"chr", builtin_chr},             {"ord", builtin_ord},
        {"hex", builtin_hex},           {"oct", builtin_oct},             {"bin", builtin_bin},
        {"abs", builtin_abs},           {"divmod", builtin_divmod},       {"pow", builtin_pow},
        {"round", builtin_round},       {"sum", builtin_sum},             {"any", builtin_any},
        {"all", builtin_all},           {"min", builtin_min},             {"max", builtin_max},
        {"sorted", builtin_sorted},     {"iter", builtin_iter},           {"next", builtin_next},
        {"enumerate", builtin_enumerate}, {"zip", builtin_zip},           {"map", builtin_map},
        {"filter", builtin_filter},     {"reversed", builtin_reversed},   {"isinstance", builtin_isinstance},
        {"issubclass", builtin_issubclass}, {"callable", builtin_callable}, {"hash", builtin_hash},
        {"id", builtin_id},             {"getattr", builtin_getattr},     {"setattr", builtin_setattr},
        {"hasattr", builtin_hasattr},   {"delattr", builtin_delattr},     {"super", builtin_super},
    };
    for (const Entry& e : functions) in.define_function(b, e.name, e.fn);
    // Builtins that may run a script dunder as a heap frame (dunders.cpp).
    const std::pair<const char*, FastOp> dunder_callers[] = {
        {"len", FastOp::Len}, {"repr", FastOp::Repr}, {"format", FastOp::Format}, {"print", FastOp::Print}};
    for (const auto& [name, op] : dunder_callers) {
        const std::int64_t pos = table::find_interned(b->globals->table, in.intern(name));
        static_cast<NativeObj*>(b->globals->table.entries[static_cast<std::size_t>(pos)].value.o)->fast_op = op;
    }
    in.define(b->globals, "NotImplemented", in.not_implemented());
    in.define(b->globals, "None", Value());

    // Classes are callable builtins: their constructors live in methods_*.cpp.
    ClassObj* const classes[] = {in.types.object, in.types.int_, in.types.float_, in.types.bool_, in.types.str,
                                 in.types.tuple, in.types.list, in.types.dict, in.types.set, in.types.frozenset, in.types.range,
                                 in.types.type, in.types.slice};
    for (ClassObj* c : classes) in.define(b->globals, c->name->view(), Value::object(c));
    in.types.type->constructor = builtin_type;
    in.define_method(in.types.object, "__init__", object_init);
    in.define_static_method(in.types.object, "__new__", object_new);
    in.define_method(in.types.object, "__repr__", object_repr);
    in.define_method(in.types.object, "__str__", object_str);
    in.define_method(in.types.object, "__eq__", object_eq);
    in.define_method(in.types.object, "__ne__", object_ne);

    ClassObj* const exceptions[] = {
        in.types.BaseException, in.types.Exception, in.types.SystemExit, in.types.TaskletExit,
        in.types.KeyboardInterrupt, in.types.StopIteration, in.types.ArithmeticError, in.types.ZeroDivisionError,
        in.types.OverflowError, in.types.AssertionError, in.types.AttributeError, in.types.LookupError,
        in.types.IndexError, in.types.KeyError, in.types.NameError, in.types.UnboundLocalError,
        in.types.RuntimeError, in.types.RecursionError, in.types.NotImplementedError, in.types.TypeError,
        in.types.ValueError, in.types.MemoryError, in.types.ImportError, in.types.ModuleNotFoundError,
        in.types.UnicodeError, in.types.ReferenceError, in.types.SystemError};
    for (ClassObj* c : exceptions) in.define(b->globals, c->name->view(), Value::object(c));
    in.define_method(in.types.BaseException, "__init__", exception_init);
    in.define_static_method(in.types.BaseException, "__new__", exception_new);
    in.define_method(in.types.BaseException, "__repr__", exception_repr);
    in.define_method(in.types.BaseException, "__str__", exception_str);
    install_methods(in);
    install_library_modules(in);
}

}  // namespace spindle::vm
