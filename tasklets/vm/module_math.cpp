// The `math` module: CPython 3.11's functions, results and error messages,
// within Spindle's 64-bit ints (an integer result that does not fit raises
// OverflowError where CPython would return a big int).
//
// Float functions follow CPython's math_1/math_2 rules: a NaN result from a
// non-NaN argument is "math domain error" (ValueError); an infinite result
// from finite arguments is "math range error" (OverflowError) for functions
// that can overflow and "math domain error" for the others (singularities).
// fsum is Shewchuk's exact summation and hypot/dist the same compensated
// vector norm as CPython, so every float result is bit-identical.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {

void install_random_module(Interpreter& interp);
void install_pickle_module(Interpreter& interp);
void install_copyreg_module(Interpreter& interp);  // module_copyreg.cpp

namespace {

constexpr const char* kOverflow = "integer overflow: the result does not fit in 64 bits";

bool domain_error(Interpreter& in) { return in.raise_value_error("math domain error"); }
bool range_error(Interpreter& in) { return in.raise(in.types.OverflowError, "math range error"); }

// ---------------------------------------------------------------- argument conversion

// A real number as a double: int, bool, float, or an object with __float__.
bool to_double(Interpreter& in, Value v, double& out) {
    if (v.is_float()) {
        out = v.f;
        return true;
    }
    if (v.is_intlike()) {
        out = static_cast<double>(v.as_int());
        return true;
    }
    if (v.is_obj() && v.o->kind == ObjKind::Instance) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern("__float__"));
        if (!method.is_undef()) {
            Value result;
            if (!in.call(method, &v, 1, result)) return false;
            if (!result.is_float())
                return in.raise_type_error(std::string(in.type_name(v)) + ".__float__ returned non-float (type " +
                                           in.type_name(result) + ")");
            out = result.f;
            return true;
        }
    }
    return in.raise_type_error(std::string("must be real number, not ") + in.type_name(v));
}

// An integer argument: int, bool, or an object with __index__.
bool to_index(Interpreter& in, Value v, std::int64_t& out) {
    if (v.is_intlike()) {
        out = v.as_int();
        return true;
    }
    if (v.is_obj() && v.o->kind == ObjKind::Instance) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern("__index__"));
        if (!method.is_undef()) {
            Value result;
            if (!in.call(method, &v, 1, result)) return false;
            if (!result.is_intlike())
                return in.raise_type_error(std::string("__index__ returned non-int (type ") + in.type_name(result) + ")");
            out = result.as_int();
            return true;
        }
    }
    return in.raise_type_error(std::string("'") + in.type_name(v) + "' object cannot be interpreted as an integer");
}

bool no_keywords(Interpreter& in, const CallArgs& a, const char* name) {
    if (a.keyword_count() == 0) return true;
    return in.raise_type_error(std::string("math.") + name + "() takes no keyword arguments");
}

// METH_O functions: "math.sqrt() takes exactly one argument (2 given)".
bool one_arg(Interpreter& in, const CallArgs& a, const char* name) {
    if (!no_keywords(in, a, name)) return false;
    if (a.count == 1) return true;
    return in.raise_type_error(std::string("math.") + name + "() takes exactly one argument (" + std::to_string(a.count) +
                               " given)");
}

// Fixed-arity functions: "pow expected 2 arguments, got 1".
bool n_args(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t n) {
    if (!no_keywords(in, a, name)) return false;
    if (a.count == n) return true;
    return in.raise_type_error(std::string(name) + " expected " + std::to_string(n) + " arguments, got " +
                               std::to_string(a.count));
}

bool float_to_int(Interpreter& in, double d, Value& out) {
    if (std::isnan(d)) return in.raise_value_error("cannot convert float NaN to integer");
    if (std::isinf(d)) return in.raise(in.types.OverflowError, "cannot convert float infinity to integer");
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return in.raise(in.types.OverflowError, kOverflow);
    out = Value::integer(static_cast<std::int64_t>(d));
    return true;
}

// ---------------------------------------------------------------- one-argument float functions

struct UnaryFn {
    const char* name;
    double (*fn)(double);
    bool can_overflow;
};

double m_fabs(double x) { return std::fabs(x); }
double m_sqrt(double x) { return std::sqrt(x); }
double m_exp(double x) { return std::exp(x); }
double m_exp2(double x) { return std::exp2(x); }
double m_expm1(double x) { return std::expm1(x); }
double m_sin(double x) { return std::sin(x); }
double m_cos(double x) { return std::cos(x); }
double m_tan(double x) { return std::tan(x); }
double m_asin(double x) { return std::asin(x); }
double m_acos(double x) { return std::acos(x); }
double m_atan(double x) { return std::atan(x); }
double m_sinh(double x) { return std::sinh(x); }
double m_cosh(double x) { return std::cosh(x); }
double m_tanh(double x) { return std::tanh(x); }
double m_asinh(double x) { return std::asinh(x); }
double m_acosh(double x) { return std::acosh(x); }
double m_atanh(double x) { return std::atanh(x); }
double m_cbrt(double x) { return std::cbrt(x); }
double m_log1p(double x) { return x == 0.0 ? x : std::log1p(x); }
double m_erf(double x) { return std::erf(x); }
double m_erfc(double x) { return std::erfc(x); }

// CPython's m_log family: log(0) is -inf and log(negative) NaN, both domain
// errors through the math_1 rules; infinities and NaNs pass through.
template <double (*F)(double)>
double m_loglike(double x) {
    if (std::isfinite(x)) {
        if (x > 0.0) return F(x);
        return x == 0.0 ? -HUGE_VAL : NAN;
    }
    if (std::isnan(x) || x > 0.0) return x;
    return NAN;
}
double libm_log(double x) { return std::log(x); }
double libm_log2(double x) { return std::log2(x); }
double libm_log10(double x) { return std::log10(x); }

const UnaryFn kUnary[] = {
    {"fabs", m_fabs, false},   {"sqrt", m_sqrt, false},   {"exp", m_exp, true},     {"exp2", m_exp2, true},
    {"expm1", m_expm1, true},  {"sin", m_sin, false},     {"cos", m_cos, false},    {"tan", m_tan, false},
    {"asin", m_asin, false},   {"acos", m_acos, false},   {"atan", m_atan, false},  {"sinh", m_sinh, true},
    {"cosh", m_cosh, true},    {"tanh", m_tanh, false},   {"asinh", m_asinh, false}, {"acosh", m_acosh, false},
    {"atanh", m_atanh, false}, {"cbrt", m_cbrt, false},   {"log1p", m_log1p, false},
    {"erf", m_erf, false},     {"erfc", m_erfc, false},
    {"log2", m_loglike<libm_log2>, false}, {"log10", m_loglike<libm_log10>, false},
};
constexpr int kUnaryCount = sizeof kUnary / sizeof kUnary[0];

bool apply_unary(Interpreter& in, double x, double (*fn)(double), bool can_overflow, Value& out) {
    const double r = fn(x);
    if (std::isnan(r) && !std::isnan(x)) return domain_error(in);
    if (std::isinf(r) && std::isfinite(x)) return can_overflow ? range_error(in) : domain_error(in);
    out = Value::real(r);
    return true;
}

template <int I>
bool math_unary(Interpreter& in, const CallArgs& a, Value& out) {
    const UnaryFn& f = kUnary[I];
    if (!one_arg(in, a, f.name)) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    return apply_unary(in, x, f.fn, f.can_overflow, out);
}

template <int... I>
void define_unary(Interpreter& in, ModuleObj* m, std::integer_sequence<int, I...>) {
    (in.define_function(m, kUnary[I].name, math_unary<I>), ...);
}

// log(x[, base]); an int argument must be positive (CPython's loghelper).
bool log_of(Interpreter& in, Value v, double& out) {
    if (v.is_intlike() && v.as_int() <= 0) return domain_error(in);
    double x;
    if (!to_double(in, v, x)) return false;
    Value r;
    if (!apply_unary(in, x, m_loglike<libm_log>, false, r)) return false;
    out = r.f;
    return true;
}

bool math_log(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("log() takes no keyword arguments");
    if (a.count < 1 || a.count > 2) return in.raise_type_error("math.log requires 1 to 2 arguments");
    double num;
    if (!log_of(in, a[0], num)) return false;
    if (a.count == 2) {
        double den;
        if (!log_of(in, a[1], den)) return false;
        if (den == 0.0) return in.raise(in.types.ZeroDivisionError, "float division by zero");
        num /= den;
    }
    out = Value::real(num);
    return true;
}

// ---------------------------------------------------------------- two-argument float functions

// CPython's math_2 error rules.
bool finish_binary(Interpreter& in, double x, double y, double r, bool can_overflow, Value& out) {
    if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) return domain_error(in);
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y)) return can_overflow ? range_error(in) : domain_error(in);
    out = Value::real(r);
    return true;
}

bool two_doubles(Interpreter& in, const CallArgs& a, const char* name, double& x, double& y) {
    return n_args(in, a, name, 2) && to_double(in, a[0], x) && to_double(in, a[1], y);
}

double m_atan2(double y, double x) {
    if (std::isnan(x) || std::isnan(y)) return NAN;
    if (std::isinf(y)) {
        if (std::isinf(x)) return std::copysign(x > 0 ? 0.25 * std::numbers::pi : 0.75 * std::numbers::pi, y);
        return std::copysign(0.5 * std::numbers::pi, y);
    }
    if (std::isinf(x) || y == 0.0) return std::copysign(std::signbit(x) ? std::numbers::pi : 0.0, y);
    return std::atan2(y, x);
}

bool math_atan2(Interpreter& in, const CallArgs& a, Value& out) {
    double y, x;
    if (!two_doubles(in, a, "atan2", y, x)) return false;
    return finish_binary(in, y, x, m_atan2(y, x), false, out);
}

bool math_copysign(Interpreter& in, const CallArgs& a, Value& out) {
    double x, y;
    if (!two_doubles(in, a, "copysign", x, y)) return false;
    out = Value::real(std::copysign(x, y));
    return true;
}

bool math_fmod(Interpreter& in, const CallArgs& a, Value& out) {
    double x, y;
    if (!two_doubles(in, a, "fmod", x, y)) return false;
    if (std::isinf(y) && std::isfinite(x)) {
        out = Value::real(x);
        return true;
    }
    const double r = std::fmod(x, y);
    if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) return domain_error(in);
    out = Value::real(r);
    return true;
}

bool math_remainder(Interpreter& in, const CallArgs& a, Value& out) {
    double x, y;
    if (!two_doubles(in, a, "remainder", x, y)) return false;
    if (std::isnan(x) || std::isnan(y)) {
        out = Value::real(std::isnan(x) ? x : y);
        return true;
    }
    if (std::isinf(x) || y == 0.0) return domain_error(in);
    if (std::isinf(y)) {
        out = Value::real(x);
        return true;
    }
    out = Value::real(std::remainder(x, y));
    return true;
}

// pow(x, y) with CPython's treatment of the IEEE special cases.
bool math_pow(Interpreter& in, const CallArgs& a, Value& out) {
    double x, y;
    if (!two_doubles(in, a, "pow", x, y)) return false;
    double r;
    if (!std::isfinite(x) || !std::isfinite(y)) {
        if (std::isnan(x)) r = y == 0.0 ? 1.0 : x;
        else if (std::isnan(y)) r = x == 1.0 ? 1.0 : y;
        else if (std::isinf(x)) {
            const bool odd_y = std::isfinite(y) && std::fmod(std::fabs(y), 2.0) == 1.0;
            if (y > 0.0) r = odd_y ? x : std::fabs(x);
            else if (y == 0.0) r = 1.0;
            else r = odd_y ? std::copysign(0.0, x) : 0.0;
        } else {  // y infinite
            if (std::fabs(x) == 1.0) r = 1.0;
            else if (y > 0.0 && std::fabs(x) > 1.0) r = y;
            else if (y < 0.0 && std::fabs(x) < 1.0) r = -y;
            else r = 0.0;
        }
        out = Value::real(r);
        return true;
    }
    r = std::pow(x, y);
    if (std::isnan(r)) return domain_error(in);
    if (std::isinf(r)) return x == 0.0 ? domain_error(in) : range_error(in);
    out = Value::real(r);
    return true;
}

bool math_ldexp(Interpreter& in, const CallArgs& a, Value& out) {
    if (!n_args(in, a, "ldexp", 2)) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    if (!a[1].is_intlike()) return in.raise_type_error("Expected an int as second argument to ldexp.");
    const std::int64_t e = a[1].as_int();
    if (x == 0.0 || !std::isfinite(x)) {
        out = Value::real(x);
        return true;
    }
    const int exp = static_cast<int>(std::clamp<std::int64_t>(e, -100000, 100000));
    const double r = std::ldexp(x, exp);
    if (std::isinf(r)) return range_error(in);
    out = Value::real(r);
    return true;
}

bool math_frexp(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "frexp")) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    int e = 0;
    const double m = (x == 0.0 || !std::isfinite(x)) ? x : std::frexp(x, &e);
    TupleObj* t = in.new_tuple(2);
    t->items.push_back(Value::real(m));
    t->items.push_back(Value::integer(e));
    out = Value::object(t);
    return true;
}

bool math_modf(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "modf")) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    double ip, fp;
    if (std::isinf(x)) {
        ip = x;
        fp = std::copysign(0.0, x);
    } else if (std::isnan(x)) {
        ip = fp = x;
    } else {
        fp = std::modf(x, &ip);
    }
    TupleObj* t = in.new_tuple(2);
    t->items.push_back(Value::real(fp));
    t->items.push_back(Value::real(ip));
    out = Value::object(t);
    return true;
}

bool math_nextafter(Interpreter& in, const CallArgs& a, Value& out) {
    double x, y;
    if (!two_doubles(in, a, "nextafter", x, y)) return false;
    out = Value::real(std::nextafter(x, y));
    return true;
}

bool math_ulp(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "ulp")) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    if (std::isnan(x) || std::isinf(x)) {
        out = Value::real(std::fabs(x));
        return true;
    }
    x = std::fabs(x);
    double next = std::nextafter(x, HUGE_VAL);
    if (std::isinf(next)) {
        next = std::nextafter(x, -HUGE_VAL);  // the largest finite float: the gap below it
        out = Value::real(x - next);
        return true;
    }
    out = Value::real(next - x);
    return true;
}

bool math_degrees(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "degrees")) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    out = Value::real(x * (180.0 / std::numbers::pi));
    return true;
}

bool math_radians(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "radians")) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    out = Value::real(x * (std::numbers::pi / 180.0));
    return true;
}

template <int Which>
bool math_classify(Interpreter& in, const CallArgs& a, Value& out) {
    static const char* const names[] = {"isfinite", "isinf", "isnan"};
    if (!one_arg(in, a, names[Which])) return false;
    double x;
    if (!to_double(in, a[0], x)) return false;
    out = Value::boolean(Which == 0 ? std::isfinite(x) : Which == 1 ? std::isinf(x) : std::isnan(x));
    return true;
}

bool math_isclose(Interpreter& in, const CallArgs& a, Value& out) {
    const std::uint32_t npos = a.positional_count();
    if (npos > 2) return in.raise_type_error("isclose() takes exactly 2 positional arguments (" + std::to_string(npos) + " given)");
    Value args[4] = {Value::undef(), Value::undef(), Value::undef(), Value::undef()};
    static const char* const names[] = {"a", "b", "rel_tol", "abs_tol"};
    for (std::uint32_t i = 0; i < npos; ++i) args[i] = a[i];
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view kw = as_str(a.kwnames->items[k])->view();
        int slot = -1;
        for (int i = 0; i < 4; ++i) {
            if (kw == names[i]) slot = i;
        }
        if (slot < 0) return in.raise_type_error("'" + std::string(kw) + "' is an invalid keyword argument for isclose()");
        if (!args[slot].is_undef())
            return in.raise_type_error("argument for isclose() given by name ('" + std::string(kw) + "') and position (" +
                                       std::to_string(slot + 1) + ")");
        args[slot] = a[npos + k];
    }
    for (int i = 0; i < 2; ++i) {
        if (args[i].is_undef())
            return in.raise_type_error(std::string("isclose() missing required argument '") + names[i] + "' (pos " +
                                       std::to_string(i + 1) + ")");
    }
    double x, y, rel_tol = 1e-09, abs_tol = 0.0;
    if (!to_double(in, args[0], x) || !to_double(in, args[1], y)) return false;
    if (!args[2].is_undef() && !to_double(in, args[2], rel_tol)) return false;
    if (!args[3].is_undef() && !to_double(in, args[3], abs_tol)) return false;
    if (rel_tol < 0.0 || abs_tol < 0.0) return in.raise_value_error("tolerances must be non-negative");
    bool close;
    if (x == y) {
        close = true;
    } else if (std::isinf(x) || std::isinf(y)) {
        close = false;
    } else {
        const double diff = std::fabs(y - x);
        close = diff <= std::fabs(rel_tol * y) || diff <= std::fabs(rel_tol * x) || diff <= abs_tol;
    }
    out = Value::boolean(close);
    return true;
}

// ---------------------------------------------------------------- rounding to int

// floor/ceil: ints pass through, floats round, instances may define the dunder.
template <bool Ceil>
bool math_round_to_int(Interpreter& in, const CallArgs& a, Value& out) {
    const char* name = Ceil ? "ceil" : "floor";
    if (!one_arg(in, a, name)) return false;
    const Value v = a[0];
    if (v.is_intlike()) {
        out = Value::integer(v.as_int());
        return true;
    }
    if (v.is_float()) return float_to_int(in, Ceil ? std::ceil(v.f) : std::floor(v.f), out);
    if (v.is_obj() && v.o->kind == ObjKind::Instance) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern(Ceil ? "__ceil__" : "__floor__"));
        if (!method.is_undef()) return in.call(method, &v, 1, out);
    }
    double x;
    if (!to_double(in, v, x)) return false;
    return float_to_int(in, Ceil ? std::ceil(x) : std::floor(x), out);
}

bool math_trunc(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "trunc")) return false;
    const Value v = a[0];
    if (v.is_intlike()) {
        out = Value::integer(v.as_int());
        return true;
    }
    if (v.is_float()) return float_to_int(in, std::trunc(v.f), out);
    if (v.is_obj() && v.o->kind == ObjKind::Instance) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern("__trunc__"));
        if (!method.is_undef()) return in.call(method, &v, 1, out);
    }
    return in.raise_type_error(std::string("type ") + in.type_name(v) + " doesn't define __trunc__ method");
}

// ---------------------------------------------------------------- integer functions

std::uint64_t magnitude(std::int64_t v) noexcept {
    return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

std::uint64_t gcd_u(std::uint64_t x, std::uint64_t y) noexcept {
    while (y != 0) {
        const std::uint64_t r = x % y;
        x = y;
        y = r;
    }
    return x;
}

bool int_result(Interpreter& in, std::uint64_t v, Value& out) {
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return in.raise(in.types.OverflowError, kOverflow);
    out = Value::integer(static_cast<std::int64_t>(v));
    return true;
}

bool math_gcd(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_keywords(in, a, "gcd")) return false;
    std::uint64_t g = 0;
    for (std::uint32_t i = 0; i < a.count; ++i) {
        std::int64_t v;
        if (!to_index(in, a[i], v)) return false;
        g = gcd_u(g, magnitude(v));
    }
    return int_result(in, g, out);
}

bool math_lcm(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_keywords(in, a, "lcm")) return false;
    std::uint64_t l = 1;
    bool zero = false, overflow = false;  // keep checking the remaining arguments' types
    for (std::uint32_t i = 0; i < a.count; ++i) {
        std::int64_t v;
        if (!to_index(in, a[i], v)) return false;
        const std::uint64_t m = magnitude(v);
        if (m == 0) zero = true;
        if (zero || overflow) continue;
        if (__builtin_mul_overflow(l / gcd_u(l, m), m, &l)) overflow = true;
    }
    if (zero) l = 0;
    else if (overflow) return in.raise(in.types.OverflowError, kOverflow);
    return int_result(in, l, out);
}

bool factorial_of(Interpreter& in, std::int64_t n, Value& out) {
    if (n < 0) return in.raise_value_error("factorial() not defined for negative values");
    if (n > 20) return in.raise(in.types.OverflowError, kOverflow);
    std::int64_t r = 1;
    for (std::int64_t i = 2; i <= n; ++i) r *= i;
    out = Value::integer(r);
    return true;
}

bool math_factorial(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "factorial")) return false;
    std::int64_t n;
    if (!to_index(in, a[0], n)) return false;
    return factorial_of(in, n, out);
}

bool math_comb(Interpreter& in, const CallArgs& a, Value& out) {
    if (!n_args(in, a, "comb", 2)) return false;
    std::int64_t n, k;
    if (!to_index(in, a[0], n) || !to_index(in, a[1], k)) return false;
    if (n < 0) return in.raise_value_error("n must be a non-negative integer");
    if (k < 0) return in.raise_value_error("k must be a non-negative integer");
    if (k > n) {
        out = Value::integer(0);
        return true;
    }
    k = std::min(k, n - k);
    // C(n, i) grows with i up to n/2, so every partial product fits if the result does.
    unsigned __int128 c = 1;
    for (std::int64_t i = 0; i < k; ++i) {
        c = c * static_cast<unsigned __int128>(n - i) / static_cast<unsigned __int128>(i + 1);
        if (c > static_cast<unsigned __int128>(INT64_MAX)) return in.raise(in.types.OverflowError, kOverflow);
    }
    out = Value::integer(static_cast<std::int64_t>(c));
    return true;
}

bool math_perm(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_keywords(in, a, "perm")) return false;
    if (a.count < 1) return in.raise_type_error("perm expected at least 1 argument, got 0");
    if (a.count > 2) return in.raise_type_error("perm expected at most 2 arguments, got " + std::to_string(a.count));
    std::int64_t n;
    if (!to_index(in, a[0], n)) return false;
    if (a.count == 1 || a[1].is_none()) return factorial_of(in, n, out);
    std::int64_t k;
    if (!to_index(in, a[1], k)) return false;
    if (n < 0) return in.raise_value_error("n must be a non-negative integer");
    if (k < 0) return in.raise_value_error("k must be a non-negative integer");
    if (k > n) {
        out = Value::integer(0);
        return true;
    }
    std::int64_t r = 1;
    for (std::int64_t i = 0; i < k; ++i) {
        if (__builtin_mul_overflow(r, n - i, &r)) return in.raise(in.types.OverflowError, kOverflow);
    }
    out = Value::integer(r);
    return true;
}

bool math_isqrt(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "isqrt")) return false;
    std::int64_t n;
    if (!to_index(in, a[0], n)) return false;
    if (n < 0) return in.raise_value_error("isqrt() argument must be nonnegative");
    using u128 = unsigned __int128;
    auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
    while (static_cast<u128>(r) * r > static_cast<u128>(n)) --r;
    while (static_cast<u128>(r + 1) * (r + 1) <= static_cast<u128>(n)) ++r;
    out = Value::integer(static_cast<std::int64_t>(r));
    return true;
}

// ---------------------------------------------------------------- reductions

bool math_prod(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "prod", {"start"})) return false;
    if (a.positional_count() != 1)
        return in.raise_type_error("prod() takes exactly 1 positional argument (" + std::to_string(a.positional_count()) + " given)");
    Value total = keyword(a, "start");
    if (total.is_undef()) total = Value::integer(1);
    Value it;
    if (!in.get_iter(a[0], it)) return false;
    Value item;
    while (in.iter_next(it, item)) {
        if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Mult), total, item, total)) return false;
    }
    if (in.has_pending()) return false;
    out = total;
    return true;
}

// Shewchuk's exact summation with CPython's handling of specials and of the
// final half-even rounding across partials.
bool math_fsum(Interpreter& in, const CallArgs& a, Value& out) {
    if (!one_arg(in, a, "fsum")) return false;
    Value it;
    if (!in.get_iter(a[0], it)) return false;
    std::vector<double> p;
    double special_sum = 0.0, inf_sum = 0.0;
    Value item;
    while (in.iter_next(it, item)) {
        double x;
        if (!to_double(in, item, x)) return false;
        const double xsave = x;
        std::size_t i = 0;
        for (std::size_t j = 0; j < p.size(); ++j) {
            double y = p[j];
            if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
            const double hi = x + y;
            const double yr = hi - x;
            const double lo = y - yr;
            if (lo != 0.0) p[i++] = lo;
            x = hi;
        }
        p.resize(i);
        if (x != 0.0) {
            if (!std::isfinite(x)) {
                // From intermediate overflow, or from an inf or nan summand.
                if (std::isfinite(xsave)) return in.raise(in.types.OverflowError, "intermediate overflow in fsum");
                if (std::isinf(xsave)) inf_sum += xsave;
                special_sum += xsave;
                p.clear();
            } else {
                p.push_back(x);
            }
        }
    }
    if (in.has_pending()) return false;
    if (special_sum != 0.0) {
        if (std::isnan(inf_sum)) return in.raise_value_error("-inf + inf in fsum");
        out = Value::real(special_sum);
        return true;
    }
    double hi = 0.0;
    std::size_t n = p.size();
    if (n > 0) {
        double lo = 0.0;
        hi = p[--n];
        while (n > 0) {
            const double x = hi;
            const double y = p[--n];
            hi = x + y;
            const double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            const double y = lo * 2.0;
            const double x = hi + y;
            const double yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    out = Value::real(hi);
    return true;
}

// The Euclidean norm of non-negative finite coordinates, as CPython 3.11's
// vector_norm: exact squares by Dekker splitting, compensated sums, and a
// final differential correction, so results match CPython bit for bit.
double vector_norm(std::vector<double>& vec, double max, bool found_nan) {
    if (std::isinf(max)) return max;
    if (found_nan) return NAN;
    if (max == 0.0 || vec.size() <= 1) return max;
    int max_e;
    std::frexp(max, &max_e);
    if (max_e < -1023) {
        // ldexp(1.0, -max_e) would overflow: scale subnormals up first.
        for (double& x : vec) x /= DBL_MIN;
        return DBL_MIN * vector_norm(vec, max / DBL_MIN, found_nan);
    }
    constexpr double T27 = 134217729.0;  // 2**27 + 1
    const double scale = std::ldexp(1.0, -max_e);
    double csum = 1.0, frac1 = 0.0, frac2 = 0.0, frac3 = 0.0;
    auto add = [&](double x, double& frac) {
        const double old = csum;
        csum += x;
        frac += (old - csum) + x;
    };
    auto split = [](double x, double& hi, double& lo) {
        const double t = x * T27;
        hi = t - (t - x);
        lo = x - hi;
    };
    for (double x : vec) {
        x *= scale;
        double hi, lo;
        split(x, hi, lo);
        add(hi * hi, frac1);
        add(2.0 * hi * lo, frac2);
        frac3 += lo * lo;
    }
    const double h = std::sqrt(csum - 1.0 + (frac1 + frac2 + frac3));
    double hi, lo;
    split(h, hi, lo);
    add(-hi * hi, frac1);
    add(-2.0 * hi * lo, frac2);
    add(-lo * lo, frac3);
    const double x = csum - 1.0 + (frac1 + frac2 + frac3);
    return (h + x / (2.0 * h)) / scale;
}

bool math_hypot(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_keywords(in, a, "hypot")) return false;
    std::vector<double> vec(a.count);
    double max = 0.0;
    bool found_nan = false;
    for (std::uint32_t i = 0; i < a.count; ++i) {
        double x;
        if (!to_double(in, a[i], x)) return false;
        x = std::fabs(x);
        vec[i] = x;
        found_nan |= std::isnan(x);
        if (x > max) max = x;
    }
    out = Value::real(vector_norm(vec, max, found_nan));
    return true;
}

bool math_dist(Interpreter& in, const CallArgs& a, Value& out) {
    if (!n_args(in, a, "dist", 2)) return false;
    tracked_vector<Value> p, q;
    if (!in.to_list(a[0], p) || !in.to_list(a[1], q)) return false;
    if (p.size() != q.size()) return in.raise_value_error("both points must have the same number of dimensions");
    std::vector<double> vec(p.size());
    double max = 0.0;
    bool found_nan = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        double px, qx;
        if (!to_double(in, p[i], px) || !to_double(in, q[i], qx)) return false;
        const double x = std::fabs(px - qx);
        vec[i] = x;
        found_nan |= std::isnan(x);
        if (x > max) max = x;
    }
    out = Value::real(vector_norm(vec, max, found_nan));
    return true;
}

}  // namespace

void install_math_module(Interpreter& in) {
    ModuleObj* m = in.new_module("math");
    in.define(m->globals, "pi", Value::real(std::numbers::pi));
    in.define(m->globals, "e", Value::real(std::numbers::e));
    in.define(m->globals, "tau", Value::real(2.0 * std::numbers::pi));
    in.define(m->globals, "inf", Value::real(HUGE_VAL));
    in.define(m->globals, "nan", Value::real(NAN));
    define_unary(in, m, std::make_integer_sequence<int, kUnaryCount>{});
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry functions[] = {
        {"log", math_log},           {"atan2", math_atan2},         {"copysign", math_copysign},
        {"fmod", math_fmod},         {"remainder", math_remainder}, {"pow", math_pow},
        {"ldexp", math_ldexp},       {"frexp", math_frexp},         {"modf", math_modf},
        {"degrees", math_degrees},   {"radians", math_radians},     {"isfinite", math_classify<0>},
        {"isinf", math_classify<1>}, {"isnan", math_classify<2>},   {"isclose", math_isclose},
        {"floor", math_round_to_int<false>}, {"ceil", math_round_to_int<true>}, {"trunc", math_trunc},
        {"gcd", math_gcd},           {"lcm", math_lcm},             {"factorial", math_factorial},
        {"comb", math_comb},         {"perm", math_perm},           {"isqrt", math_isqrt},
        {"prod", math_prod},         {"fsum", math_fsum},           {"hypot", math_hypot},
        {"dist", math_dist},         {"nextafter", math_nextafter}, {"ulp", math_ulp},
    };
    for (const Entry& e : functions) in.define_function(m, e.name, e.fn);
    in.register_module(m);
}

// Called at the end of install_builtins: the library modules implemented in C++.
void install_library_modules(Interpreter& in) {
    install_math_module(in);
    install_random_module(in);
    install_pickle_module(in);
    install_copyreg_module(in);
}

}  // namespace spindle::vm
