// The `random` module: seed, random, randint, randrange, choice, uniform,
// shuffle, getstate and setstate, with CPython's signatures and messages.
//
// The generator is xoshiro256** (Blackman and Vigna), seeded through
// splitmix64. It is deterministic and portable: the same seed gives the same
// numbers on every platform and in every build, because everything is 64-bit
// integer arithmetic (random() takes the top 53 bits; bounded integers use
// Lemire's multiply-and-reject, without modulo bias). The numbers are not
// CPython's (its Mersenne Twister state would not fit a save game cheaply).
//
// Determinism is a feature here: a program that never calls seed() starts as
// if it had called seed(0), and seed() or seed(None) reseeds the same way
// (CPython would take OS entropy). A str seed is hashed with FNV-1a over its
// UTF-8 bytes, never with the per-process randomized str hash.
//
// The whole state is four 64-bit words: getstate() returns them as a tuple
// of four ints (two's complement), setstate() takes such a tuple back, so a
// save game stores the generator as plain integers. The module's functions
// are bound to one hidden `Random` object holding the four words as ints, as
// CPython binds them to its hidden Random instance; scripts cannot reach it.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {
namespace {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

constexpr u64 kDefaultSeed = 0;

// ---------------------------------------------------------------- the generator

struct State {
    u64 s[4];
};

u64 splitmix64(u64& x) noexcept {
    u64 z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

u64 rotl(u64 x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

u64 next(State& st) noexcept {
    u64* s = st.s;
    const u64 result = rotl(s[1] * 5, 7) * 9;
    const u64 t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

// A uniform integer in [0, n), n > 0 (Lemire's nearly divisionless method).
u64 below(State& st, u64 n) noexcept {
    u128 m = static_cast<u128>(next(st)) * n;
    u64 low = static_cast<u64>(m);
    if (low < n) {
        const u64 threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<u128>(next(st)) * n;
            low = static_cast<u64>(m);
        }
    }
    return static_cast<u64>(m >> 64);
}

double next_double(State& st) noexcept { return static_cast<double>(next(st) >> 11) * 0x1.0p-53; }

State seeded(u64 seed) noexcept {
    State st;
    for (u64& word : st.s) word = splitmix64(seed);
    return st;
}

// The state lives in the object bound as every function's receiver (a[0]).
SlotArray& state_words(const CallArgs& a) noexcept { return static_cast<InstanceObj*>(a[0].o)->slots; }

State load(const CallArgs& a) noexcept {
    State st;
    const SlotArray& words = state_words(a);
    for (int i = 0; i < 4; ++i) st.s[i] = static_cast<u64>(words[static_cast<std::size_t>(i)].i);
    return st;
}

void store(const CallArgs& a, const State& st) noexcept {
    SlotArray& words = state_words(a);
    for (int i = 0; i < 4; ++i) words[static_cast<std::size_t>(i)] = Value::integer(static_cast<std::int64_t>(st.s[i]));
}

// ---------------------------------------------------------------- arguments

// Binds a call as CPython binds `Random.NAME(self, params...)` with the first
// `required` parameters required; messages count self, as CPython's do.
bool bind(Interpreter& in, const CallArgs& a, const char* name, std::initializer_list<const char*> params,
          std::uint32_t required, Value* out) {
    auto fn = [name] { return std::string("Random.") + name + "()"; };  // built only for an error
    const auto nparams = static_cast<std::uint32_t>(params.size());
    const std::uint32_t npos = a.positional_count() - 1;  // without self
    if (npos > nparams) {
        std::string takes = required == nparams ? std::to_string(nparams + 1)
                                                : "from " + std::to_string(required + 1) + " to " + std::to_string(nparams + 1);
        return in.raise_type_error(fn() + " takes " + takes + " positional argument" + (nparams == 0 ? "" : "s") + " but " +
                                   std::to_string(npos + 1) + (npos + 1 == 1 ? " was" : " were") + " given");
    }
    for (std::uint32_t i = 0; i < nparams; ++i) out[i] = i < npos ? a[i + 1] : Value::undef();
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        const std::string_view kw = as_str(a.kwnames->items[k])->view();
        std::uint32_t slot = nparams;
        for (std::uint32_t i = 0; i < nparams; ++i) {
            if (kw == params.begin()[i]) slot = i;
        }
        if (slot == nparams) return in.raise_type_error(fn() + " got an unexpected keyword argument '" + std::string(kw) + "'");
        if (!out[slot].is_undef()) return in.raise_type_error(fn() + " got multiple values for argument '" + std::string(kw) + "'");
        out[slot] = a[a.positional_count() + k];
    }
    std::vector<std::string> missing;
    for (std::uint32_t i = 0; i < required; ++i) {
        if (out[i].is_undef()) missing.push_back(std::string("'") + params.begin()[i] + "'");
    }
    if (!missing.empty()) {
        std::string names;
        for (std::size_t i = 0; i < missing.size(); ++i) {
            if (i > 0) names += missing.size() == 2 ? " and " : (i + 1 == missing.size() ? ", and " : ", ");
            names += missing[i];
        }
        return in.raise_type_error(fn() + " missing " + std::to_string(missing.size()) + " required positional argument" +
                                   (missing.size() == 1 ? "" : "s") + ": " + names);
    }
    return true;
}

// randrange's argument conversion: an int, or anything int() converts
// without changing its value (CPython 3.11 still accepts 5.0, with a warning).
bool range_arg(Interpreter& in, Value v, const char* what, std::int64_t& out) {
    if (v.is_intlike()) {
        out = v.as_int();
        return true;
    }
    Value converted;
    if (!in.call(Value::object(in.types.int_), &v, 1, converted)) return false;
    bool same;
    if (!in.equal(converted, v, same)) return false;
    if (!same || !converted.is_intlike()) return in.raise_value_error(std::string("non-integer ") + what + " for randrange()");
    out = converted.as_int();
    return true;
}

std::string int128_text(__int128 v) {
    if (v >= INT64_MIN && v <= INT64_MAX) return std::to_string(static_cast<std::int64_t>(v));
    const bool negative = v < 0;
    u128 m = negative ? static_cast<u128>(0) - static_cast<u128>(v) : static_cast<u128>(v);
    std::string digits;
    while (m != 0) {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
        m /= 10;
    }
    return negative ? "-" + digits : digits;
}

// ---------------------------------------------------------------- functions

bool random_random(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("Random.random() takes no keyword arguments");
    if (a.count != 1) return in.raise_type_error("Random.random() takes no arguments (" + std::to_string(a.count - 1) + " given)");
    State st = load(a);
    out = Value::real(next_double(st));
    store(a, st);
    return true;
}

bool random_seed(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[2];
    if (!bind(in, a, "seed", {"a", "version"}, 0, args)) return false;
    const Value v = args[0];
    u64 seed = kDefaultSeed;
    if (v.is_undef() || v.is_none()) {
        seed = kDefaultSeed;
    } else if (v.is_intlike()) {
        seed = static_cast<u64>(v.as_int());
    } else if (v.is_float()) {
        const double d = v.f;
        if (d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
            seed = static_cast<u64>(static_cast<std::int64_t>(d));  // seed(5.0) is seed(5)
        } else {
            std::memcpy(&seed, &d, sizeof seed);
        }
    } else if (is_str(v)) {
        seed = 0xCBF29CE484222325ull;  // FNV-1a
        for (const char c : as_str(v)->view()) {
            seed ^= static_cast<unsigned char>(c);
            seed *= 0x100000001B3ull;
        }
    } else {
        return in.raise_type_error("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    }
    store(a, seeded(seed));
    out = Value();
    return true;
}

// randrange(start, stop=None, step=1) on 64-bit ints: widths and counts are
// computed in 128 bits, so even randrange(-2**63, 2**63 - 1) is exact.
bool randrange_impl(Interpreter& in, const CallArgs& a, Value start_v, Value stop_v, Value step_v, Value& out) {
    std::int64_t start;
    if (!range_arg(in, start_v, "arg 1", start)) return false;
    State st = load(a);
    if (stop_v.is_undef() || stop_v.is_none()) {
        if (!step_v.is_undef()) return in.raise_type_error("Missing a non-None stop argument");
        if (start <= 0) return in.raise_value_error("empty range for randrange()");
        out = Value::integer(static_cast<std::int64_t>(below(st, static_cast<u64>(start))));
        store(a, st);
        return true;
    }
    std::int64_t stop, step = 1;
    if (!range_arg(in, stop_v, "stop", stop)) return false;
    const __int128 width = static_cast<__int128>(stop) - start;
    if (!step_v.is_undef() && !range_arg(in, step_v, "step", step)) return false;
    if (step == 1) {
        if (width <= 0)
            return in.raise_value_error("empty range for randrange() (" + std::to_string(start) + ", " + std::to_string(stop) +
                                        ", " + int128_text(width) + ")");
        out = Value::integer(static_cast<std::int64_t>(start + static_cast<__int128>(below(st, static_cast<u64>(width)))));
        store(a, st);
        return true;
    }
    if (step == 0) return in.raise_value_error("zero step for randrange()");
    // Python's floor division: n = ceil(width / step) for either sign of step.
    const __int128 num = step > 0 ? width + step - 1 : width + step + 1;
    __int128 n = num / step;
    if ((num % step != 0) && ((num < 0) != (step < 0))) --n;
    if (n <= 0) return in.raise_value_error("empty range for randrange()");
    const __int128 k = static_cast<__int128>(below(st, static_cast<u64>(n)));
    out = Value::integer(static_cast<std::int64_t>(start + step * k));
    store(a, st);
    return true;
}

bool random_randrange(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[3];
    if (!bind(in, a, "randrange", {"start", "stop", "step"}, 1, args)) return false;
    return randrange_impl(in, a, args[0], args[1], args[2], out);
}

bool random_randint(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[2];
    if (!bind(in, a, "randint", {"a", "b"}, 2, args)) return false;
    Value stop;
    if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Add), args[1], Value::integer(1), stop)) return false;
    return randrange_impl(in, a, args[0], stop, Value::undef(), out);
}

bool random_choice(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!bind(in, a, "choice", {"seq"}, 1, args)) return false;
    std::int64_t n;
    if (!in.length(args[0], n)) return false;
    if (n == 0) return in.raise(in.types.IndexError, "Cannot choose from an empty sequence");
    State st = load(a);
    const auto i = static_cast<std::int64_t>(below(st, static_cast<u64>(n)));
    store(a, st);
    return in.get_item(args[0], Value::integer(i), out);
}

bool random_shuffle(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!bind(in, a, "shuffle", {"x"}, 1, args)) return false;
    const Value x = args[0];
    std::int64_t n;
    if (!in.length(x, n)) return false;
    State st = load(a);
    out = Value();
    if (x.is_obj() && x.o->kind == ObjKind::List) {
        auto& items = static_cast<ListObj*>(x.o)->items;
        for (std::int64_t i = n - 1; i > 0; --i) {
            const auto j = static_cast<std::size_t>(below(st, static_cast<u64>(i + 1)));
            std::swap(items[static_cast<std::size_t>(i)], items[j]);
        }
        store(a, st);
        return true;
    }
    for (std::int64_t i = n - 1; i > 0; --i) {
        const auto j = static_cast<std::int64_t>(below(st, static_cast<u64>(i + 1)));
        store(a, st);
        Value xi, xj;
        if (!in.get_item(x, Value::integer(j), xj) || !in.get_item(x, Value::integer(i), xi)) return false;
        if (!in.set_item(x, Value::integer(i), xj) || !in.set_item(x, Value::integer(j), xi)) return false;
        st = load(a);
    }
    store(a, st);
    return true;
}

bool random_uniform(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[2];
    if (!bind(in, a, "uniform", {"a", "b"}, 2, args)) return false;
    Value span, scaled;
    if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Sub), args[1], args[0], span)) return false;
    State st = load(a);
    const double r = next_double(st);
    store(a, st);
    if (!in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Mult), span, Value::real(r), scaled)) return false;
    return in.binary_op(static_cast<std::uint32_t>(script::BinOpKind::Add), args[0], scaled, out);
}

bool random_getstate(Interpreter& in, const CallArgs& a, Value& out) {
    if (!bind(in, a, "getstate", {}, 0, nullptr)) return false;
    TupleObj* t = in.new_tuple(4);
    for (const Value& v : state_words(a)) t->items.push_back(v);
    out = Value::object(t);
    return true;
}

bool random_setstate(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!bind(in, a, "setstate", {"state"}, 1, args)) return false;
    const Value v = args[0];
    if (!(v.is_obj() && v.o->kind == ObjKind::Tuple)) return in.raise_type_error("state vector must be a tuple");
    const auto& items = static_cast<TupleObj*>(v.o)->items;
    if (items.size() != 4) return in.raise_value_error("state vector is the wrong size");
    State st;
    bool all_zero = true;
    for (int i = 0; i < 4; ++i) {
        const Value& w = items[static_cast<std::size_t>(i)];
        if (!w.is_int()) return in.raise_type_error("state vector items must be integers");
        st.s[i] = static_cast<u64>(w.i);
        all_zero = all_zero && w.i == 0;
    }
    if (all_zero) return in.raise_value_error("invalid state: all words are zero");
    store(a, st);
    out = Value();
    return true;
}

}  // namespace

void install_random_module(Interpreter& in) {
    ModuleObj* m = in.new_module("random");
    ClassObj* cls = in.new_class("Random", in.types.object, true);
    cls->module_name = in.intern("random");
    auto* state = in.heap().make<InstanceObj>(cls);
    state->shape = nullptr;  // never gains attributes: slots hold the four state words
    const State st = seeded(kDefaultSeed);
    for (const u64 word : st.s) state->slots.push_back(Value::integer(static_cast<std::int64_t>(word)));
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry functions[] = {
        {"seed", random_seed},         {"random", random_random},     {"randint", random_randint},
        {"randrange", random_randrange}, {"choice", random_choice},   {"shuffle", random_shuffle},
        {"uniform", random_uniform},   {"getstate", random_getstate}, {"setstate", random_setstate},
    };
    for (const Entry& e : functions) in.define(m->globals, e.name, Value::object(in.new_native(e.name, e.fn, Value::object(state))));
    in.register_module(m);
}

}  // namespace spindle::vm
