// Value: one script value in 16 bytes, unboxed for None, bool, int and float.
//
// Why not NaN-boxing: Python ints are 64-bit here (overflow raises, never
// wraps), which does not fit in a NaN payload, and boxing large ints would
// put an allocation on hot arithmetic. Lua's TValue shows a 16-byte tagged
// pair is fast; floats and ints never touch the heap, unlike CPython, which
// allocates a float object for every float operation.
#pragma once

#include <cstdint>
#include <cstring>

namespace spindle::vm {

struct Obj;

// Undef marks an unbound local slot or an absent result; scripts never see it.
// A full word, though a byte would hold it: with no padding in Value, GCC
// copies a Value as two words instead of a word, a byte and a spill.
enum class Tag : std::uint64_t { None, Bool, Int, Float, Obj, Undef };

struct Value {
    union {
        std::int64_t i;
        double f;
        Obj* o;
        bool b;
    };
    Tag tag;

    constexpr Value() noexcept : i(0), tag(Tag::None) {}

    static constexpr Value none() noexcept { return Value(); }
    static constexpr Value boolean(bool v) noexcept {
        Value r;
        r.i = 0;
        r.b = v;
        r.tag = Tag::Bool;
        return r;
    }
    static constexpr Value integer(std::int64_t v) noexcept {
        Value r;
        r.i = v;
        r.tag = Tag::Int;
        return r;
    }
    static constexpr Value real(double v) noexcept {
        Value r;
        r.f = v;
        r.tag = Tag::Float;
        return r;
    }
    static constexpr Value undef() noexcept {
        Value r;
        r.tag = Tag::Undef;
        return r;
    }
    static Value object(Obj* obj) noexcept {
        Value r;
        r.o = obj;
        r.tag = Tag::Obj;
        return r;
    }

    bool is_none() const noexcept { return tag == Tag::None; }
    bool is_bool() const noexcept { return tag == Tag::Bool; }
    bool is_int() const noexcept { return tag == Tag::Int; }
    bool is_float() const noexcept { return tag == Tag::Float; }
    bool is_obj() const noexcept { return tag == Tag::Obj; }
    bool is_undef() const noexcept { return tag == Tag::Undef; }
    // bool is a subclass of int in Python: arithmetic treats True as 1.
    bool is_intlike() const noexcept { return tag == Tag::Int || tag == Tag::Bool; }
    std::int64_t as_int() const noexcept { return tag == Tag::Bool ? (b ? 1 : 0) : i; }

    // Identity (Python `is`): same tag and same bits.
    bool identical(const Value& other) const noexcept {
        if (tag != other.tag) return false;
        switch (tag) {
            case Tag::None:
            case Tag::Undef: return true;
            case Tag::Bool: return b == other.b;
            case Tag::Float: return std::memcmp(&f, &other.f, sizeof f) == 0;
            default: return i == other.i;
        }
    }
};

static_assert(sizeof(Value) == 16, "Value must stay two words");

}  // namespace spindle::vm
