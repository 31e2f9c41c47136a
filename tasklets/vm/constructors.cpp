// Calling the builtin types: int(), float(), str(), bool(), list(), tuple(),
// dict(), set(), range(), slice(), object(); plus the argument helpers that
// every builtin shares and super objects (list.sort is in listsort.cpp).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "vm/builtins_support.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

bool expect_count_failed(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t min, std::uint32_t max) {
    if (a.keyword_count() != 0) return in.raise_type_error(std::string(name) + "() takes no keyword arguments");
    if (a.count >= min && a.count <= max) return true;
    if (min == max) {
        if (min == 1) return in.raise_type_error(std::string(name) + "() takes exactly one argument (" + std::to_string(a.count) + " given)");
        return in.raise_type_error(std::string(name) + " expected " + std::to_string(min) + " arguments, got " + std::to_string(a.count));
    }
    if (a.count < min) return in.raise_type_error(std::string(name) + " expected at least " + std::to_string(min) + " argument" + (min == 1 ? "" : "s") + ", got " + std::to_string(a.count));
    return in.raise_type_error(std::string(name) + " expected at most " + std::to_string(max) + " argument" + (max == 1 ? "" : "s") + ", got " + std::to_string(a.count));
}

Value keyword(const CallArgs& a, std::string_view name) noexcept {
    const std::uint32_t npos = a.positional_count();
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        if (as_str(a.kwnames->items[k])->view() == name) return a[npos + k];
    }
    return Value::undef();
}

bool only_keywords(Interpreter& in, const CallArgs& a, const char* function, std::initializer_list<std::string_view> allowed) {
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view kw = as_str(a.kwnames->items[k])->view();
        if (std::find(allowed.begin(), allowed.end(), kw) == allowed.end())
            return in.raise_type_error("'" + std::string(kw) + "' is an invalid keyword argument for " + function + "()");
    }
    return true;
}

Value make_super(Interpreter& in, ClassObj* cls, Value self) {
    auto* s = in.heap().make<InstanceObj>(in.types.super_);
    s->shape = nullptr;  // never gains attributes; slots hold (class, object)
    s->slots.push_back(Value::object(cls));
    s->slots.push_back(self);
    return Value::object(s);
}

namespace {

bool parse_int_text(Interpreter& in, std::string_view text, std::int64_t base, Value& out) {
    std::string s(text);
    auto trim = [](std::string& x) {
        const std::size_t a = x.find_first_not_of(" \t\n\r\f\v");
        const std::size_t b = x.find_last_not_of(" \t\n\r\f\v");
        x = a == std::string::npos ? "" : x.substr(a, b - a + 1);
    };
    trim(s);
    const std::string original = s;
    const std::int64_t given_base = base;  // errors name it, not the base a prefix chose
    bool negative = false;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (base == 0 || base == 16 || base == 8 || base == 2) {
        if (i + 1 < s.size() && s[i] == '0') {
            const char p = static_cast<char>(s[i + 1] | 0x20);
            const std::int64_t prefixed = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
            if (prefixed != 0 && (base == 0 || base == prefixed)) {
                base = prefixed;
                i += 2;
                if (i < s.size() && s[i] == '_') ++i;
            }
        }
        if (base == 0) {
            // Base 0 reads literals as the parser does: "010" is an error, "00" is 0.
            if (i + 1 < s.size() && s[i] == '0' && s.find_first_not_of("0_", i) != std::string::npos) {
                std::string shown;
                in.repr(in.str(original), shown);
                return in.raise_value_error("invalid literal for int() with base 0: " + shown);
            }
            base = 10;
        }
    }
    auto invalid = [&]() {
        std::string shown;
        in.repr(in.str(original.empty() ? std::string(text) : original), shown);
        return in.raise_value_error("invalid literal for int() with base " + std::to_string(given_base) + ": " + shown);
    };
    if (i >= s.size()) return invalid();
    unsigned __int128 value = 0;
    bool last_underscore = true;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '_') {
            if (last_underscore) return invalid();
            last_underscore = true;
            continue;
        }
        int digit;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'z') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z') digit = c - 'A' + 10;
        else return invalid();
        if (digit >= base) return invalid();
        value = value * static_cast<unsigned>(base) + static_cast<unsigned>(digit);
        if (value > (static_cast<unsigned __int128>(1) << 63)) {
            return in.raise(in.types.OverflowError, "integer overflow: int() result does not fit in 64 bits");
        }
        last_underscore = false;
    }
    if (last_underscore) return invalid();
    if (!negative && value == (static_cast<unsigned __int128>(1) << 63))
        return in.raise(in.types.OverflowError, "integer overflow: int() result does not fit in 64 bits");
    out = Value::integer(negative ? -static_cast<std::int64_t>(value - 1) - 1 : static_cast<std::int64_t>(value));
    return true;
}

bool construct_int(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "int", {"base"})) return false;
    const std::uint32_t npos = a.positional_count();
    Value base_arg = npos > 1 ? a[1] : keyword(a, "base");
    if (npos > 2) return in.raise_type_error("int() takes at most 2 arguments (" + std::to_string(npos) + " given)");
    if (npos == 0) {
        out = Value::integer(0);
        return true;
    }
    const Value v = a[0];
    if (!base_arg.is_undef()) {
        if (!is_str(v)) return in.raise_type_error("int() can't convert non-string with explicit base");
        if (!base_arg.is_intlike()) return in.raise_type_error("'" + std::string(in.type_name(base_arg)) + "' object cannot be interpreted as an integer");
        const std::int64_t base = base_arg.as_int();
        if (base != 0 && (base < 2 || base > 36)) return in.raise_value_error("int() base must be >= 2 and <= 36, or 0");
        return parse_int_text(in, as_str(v)->view(), base, out);
    }
    if (v.is_intlike()) {
        out = Value::integer(v.as_int());
        return true;
    }
    if (v.is_float()) {
        if (std::isnan(v.f)) return in.raise_value_error("cannot convert float NaN to integer");
        if (std::isinf(v.f)) return in.raise(in.types.OverflowError, "cannot convert float infinity to integer");
        const double t = std::trunc(v.f);
        if (t >= 9.2233720368547758e18 || t < -9.2233720368547758e18)
            return in.raise(in.types.OverflowError, "integer overflow: int() result does not fit in 64 bits");
        out = Value::integer(static_cast<std::int64_t>(t));
        return true;
    }
    if (is_str(v)) return parse_int_text(in, as_str(v)->view(), 10, out);
    Value method = in.lookup_in_class(in.type_of(v), in.intern("__int__"));
    if (!method.is_undef()) return in.call(method, &v, 1, out);
    return in.raise_type_error(std::string("int() argument must be a string, a bytes-like object or a real number, not '") + in.type_name(v) + "'");
}

bool construct_float(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "float", 0, 1)) return false;
    if (a.count == 0) {
        out = Value::real(0.0);
        return true;
    }
    const Value v = a[0];
    if (v.is_float()) {
        out = v;
        return true;
    }
    if (v.is_intlike()) {
        out = Value::real(static_cast<double>(v.as_int()));
        return true;
    }
    if (is_str(v)) {
        std::string s(as_str(v)->view());
        const std::size_t first = s.find_first_not_of(" \t\n\r\f\v");
        const std::size_t last = s.find_last_not_of(" \t\n\r\f\v");
        std::string t = first == std::string::npos ? "" : s.substr(first, last - first + 1);
        std::string lower = t;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string body = lower;
        double sign = 1.0;
        if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
            sign = body[0] == '-' ? -1.0 : 1.0;
            body = body.substr(1);
        }
        if (body == "inf" || body == "infinity") {
            out = Value::real(sign * HUGE_VAL);
            return true;
        }
        if (body == "nan") {
            out = Value::real(std::copysign(NAN, sign));
            return true;
        }
        std::string digits;
        bool valid = !t.empty();
        for (std::size_t i = 0; i < t.size() && valid; ++i) {
            const char c = t[i];
            if (c == '_') {
                valid = i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) && std::isdigit(static_cast<unsigned char>(t[i + 1]));
                continue;
            }
            if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') digits += c;
            else valid = false;
        }
        char* end = nullptr;
        errno = 0;
        const double d = valid ? std::strtod(digits.c_str(), &end) : 0.0;
        if (!valid || end == digits.c_str() || *end != '\0') {
            std::string shown;
            in.repr(v, shown);
            return in.raise_value_error("could not convert string to float: " + shown);
        }
        out = Value::real(d);
        return true;
    }
    Value method = in.lookup_in_class(in.type_of(v), in.intern("__float__"));
    if (!method.is_undef()) return in.call(method, &v, 1, out);
    return in.raise_type_error(std::string("float() argument must be a string or a real number, not '") + in.type_name(v) + "'");
}

bool construct_str(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "str", 0, 1)) return false;
    if (a.count == 0) {
        out = in.str("");
        return true;
    }
    if (is_str(a[0])) {
        out = a[0];
        return true;
    }
    std::string text;
    if (!in.to_str(a[0], text)) return false;
    out = in.str(text);
    return true;
}

bool construct_bool(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "bool", 0, 1)) return false;
    bool truth = false;
    if (a.count == 1 && !in.truthy(a[0], truth)) return false;
    out = Value::boolean(truth);
    return true;
}

bool construct_list(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "list", 0, 1)) return false;
    ListObj* list = in.new_list();
    if (a.count == 1 && !in.to_list(a[0], list->items)) return false;
    out = Value::object(list);
    return true;
}

bool construct_tuple(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "tuple", 0, 1)) return false;
    if (a.count == 1 && a[0].is_obj() && a[0].o->kind == ObjKind::Tuple) {
        out = a[0];
        return true;
    }
    TupleObj* tuple = in.new_tuple();
    if (a.count == 1 && !in.to_list(a[0], tuple->items)) return false;
    out = Value::object(tuple);
    return true;
}

bool construct_dict(Interpreter& in, const CallArgs& a, Value& out) {
    const std::uint32_t npos = a.positional_count();
    if (npos > 1) return in.raise_type_error("dict expected at most 1 argument, got " + std::to_string(npos));
    DictObj* dict = in.new_dict();
    out = Value::object(dict);
    if (npos == 1) {
        const Value source = a[0];
        if (source.is_obj() && source.o->kind == ObjKind::Dict) {
            table::copy(static_cast<DictObj*>(source.o)->table, dict->table);
        } else {
            tracked_vector<Value> pairs;
            if (!in.to_list(source, pairs)) return false;
            for (std::size_t i = 0; i < pairs.size(); ++i) {
                tracked_vector<Value> kv;
                if (!in.to_list(pairs[i], kv)) {
                    in.take_pending();
                    return in.raise_type_error("cannot convert dictionary update sequence element #" + std::to_string(i) + " to a sequence");
                }
                if (kv.size() != 2)
                    return in.raise_value_error("dictionary update sequence element #" + std::to_string(i) + " has length " + std::to_string(kv.size()) + "; 2 is required");
                if (!table::insert(in, dict->table, kv[0], kv[1])) return false;
            }
        }
    }
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        if (!table::insert(in, dict->table, a.kwnames->items[k], a[npos + k])) return false;
    }
    return true;
}

bool construct_set(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "set", 0, 1)) return false;
    SetObj* set;
    const bool ok = sets::make(in, a.count == 1 ? a[0] : Value::undef(), set);
    out = Value::object(set);
    return ok;
}

// frozenset(iterable): a frozenset given is itself (it cannot change).
bool construct_frozenset(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("frozenset() takes no keyword arguments");
    if (!expect_count(in, a, "frozenset", 0, 1)) return false;
    if (a.count == 1 && a[0].is_obj() && a[0].o->kind == ObjKind::Set && static_cast<SetObj*>(a[0].o)->frozen) {
        out = a[0];
        return true;
    }
    SetObj* set;
    const bool ok = sets::make(in, a.count == 1 ? a[0] : Value::undef(), set);
    set->frozen = true;
    out = Value::object(set);
    return ok;
}

bool as_index(Interpreter& in, Value v, std::int64_t& out) {
    if (!v.is_intlike()) return in.raise_type_error(std::string("'") + in.type_name(v) + "' object cannot be interpreted as an integer");
    out = v.as_int();
    return true;
}

bool construct_range(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("range() takes no keyword arguments");
    if (a.count == 0) return in.raise_type_error("range expected at least 1 argument, got 0");
    if (a.count > 3) return in.raise_type_error("range expected at most 3 arguments, got " + std::to_string(a.count));
    std::int64_t start = 0, stop = 0, step = 1;
    if (a.count == 1) {
        if (!as_index(in, a[0], stop)) return false;
    } else {
        if (!as_index(in, a[0], start) || !as_index(in, a[1], stop)) return false;
        if (a.count == 3 && !as_index(in, a[2], step)) return false;
    }
    if (step == 0) return in.raise_value_error("range() arg 3 must not be zero");
    out = Value::object(in.heap().make<RangeObj>(start, stop, step));
    return true;
}

bool construct_slice(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "slice", 1, 3)) return false;
    SliceObj* s = in.heap().make<SliceObj>();
    if (a.count == 1) {
        s->stop = a[0];
    } else {
        s->start = a[0];
        s->stop = a[1];
        if (a.count == 3) s->step = a[2];
    }
    out = Value::object(s);
    return true;
}

bool construct_object(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.count != 0) return in.raise_type_error("object() takes no arguments");
    out = Value::object(in.heap().make<InstanceObj>(in.types.object));
    return true;
}

}  // namespace

void install_constructors(Interpreter& in) {
    in.types.int_->constructor = construct_int;
    in.types.float_->constructor = construct_float;
    in.types.str->constructor = construct_str;
    in.types.bool_->constructor = construct_bool;
    in.types.list->constructor = construct_list;
    in.types.tuple->constructor = construct_tuple;
    in.types.dict->constructor = construct_dict;
    in.types.set->constructor = construct_set;
    in.types.frozenset->constructor = construct_frozenset;
    in.types.range->constructor = construct_range;
    in.types.slice->constructor = construct_slice;
    in.types.object->constructor = construct_object;
}

}  // namespace spindle::vm
