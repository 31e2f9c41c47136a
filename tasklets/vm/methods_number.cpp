// Methods and attributes of int, bool and float: bit_length, is_integer,
// as_integer_ratio, real/imag/numerator/denominator...
#include <bit>
#include <cmath>

#include "vm/builtins_support.hpp"

namespace spindle::vm {

namespace {

// |v| as unsigned, without overflowing at INT64_MIN.
std::uint64_t magnitude(std::int64_t v) {
    return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

Value pair(Interpreter& in, Value first, Value second) {
    TupleObj* t = in.new_tuple(2);
    t->items.push_back(first);
    t->items.push_back(second);
    return Value::object(t);
}

bool int_bit_length(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "int.bit_length")) return false;
    out = Value::integer(std::bit_width(magnitude(a[0].as_int())));
    return true;
}

bool int_bit_count(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "int.bit_count")) return false;
    out = Value::integer(std::popcount(magnitude(a[0].as_int())));
    return true;
}

// True.conjugate() is 1: bool's numeric methods return plain ints.
bool int_conjugate(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "int.conjugate")) return false;
    out = Value::integer(a[0].as_int());
    return true;
}

bool int_as_integer_ratio(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "int.as_integer_ratio")) return false;
    out = pair(in, Value::integer(a[0].as_int()), Value::integer(1));
    return true;
}

bool float_is_integer(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "float.is_integer")) return false;
    const double x = a[0].f;
    out = Value::boolean(std::isfinite(x) && x == std::floor(x));
    return true;
}

bool float_conjugate(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "float.conjugate")) return false;
    out = a[0];
    return true;
}

// The exact fraction of a float, in lowest terms: the mantissa is doubled
// until it is whole, so it is odd whenever the denominator is above 1.
bool float_as_integer_ratio(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "float.as_integer_ratio")) return false;
    const double x = a[0].f;
    if (std::isinf(x)) return in.raise(in.types.OverflowError, "cannot convert Infinity to integer ratio");
    if (std::isnan(x)) return in.raise_value_error("cannot convert NaN to integer ratio");
    int exponent;
    double mantissa = std::frexp(x, &exponent);
    while (mantissa != std::floor(mantissa)) {
        mantissa *= 2;
        --exponent;
    }
    const auto numerator = static_cast<std::int64_t>(mantissa);  // at most 53 bits
    const char* overflow = "integer overflow: the result does not fit in 64 bits";
    if (exponent >= 0) {
        if (exponent >= 63 || magnitude(numerator) > (static_cast<std::uint64_t>(INT64_MAX) >> exponent))
            return in.raise(in.types.OverflowError, overflow);
        out = pair(in, Value::integer(numerator * (std::int64_t{1} << exponent)), Value::integer(1));
        return true;
    }
    if (-exponent >= 63) return in.raise(in.types.OverflowError, overflow);
    out = pair(in, Value::integer(numerator), Value::integer(std::int64_t{1} << -exponent));
    return true;
}

}  // namespace

bool number_attribute(Value v, const StrObj* name, Value& out) {
    const std::string_view n = name->view();
    if (v.is_intlike()) {
        const std::int64_t i = v.as_int();
        if (n == "real" || n == "numerator") out = Value::integer(i);
        else if (n == "imag") out = Value::integer(0);
        else if (n == "denominator") out = Value::integer(1);
        else return false;
        return true;
    }
    if (v.is_float()) {
        if (n == "real") out = v;
        else if (n == "imag") out = Value::real(0.0);
        else return false;
        return true;
    }
    return false;
}

void install_number_methods(Interpreter& in) {
    in.define_method(in.types.int_, "bit_length", int_bit_length);
    in.define_method(in.types.int_, "bit_count", int_bit_count);
    in.define_method(in.types.int_, "conjugate", int_conjugate);
    in.define_method(in.types.int_, "as_integer_ratio", int_as_integer_ratio);
    in.define_method(in.types.float_, "is_integer", float_is_integer);
    in.define_method(in.types.float_, "conjugate", float_conjugate);
    in.define_method(in.types.float_, "as_integer_ratio", float_as_integer_ratio);
}

}  // namespace spindle::vm
