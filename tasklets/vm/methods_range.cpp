// Methods of range: index and count, in O(1) for ints.
#include "vm/builtins_support.hpp"

namespace spindle::vm {

namespace {

RangeObj* self_range(const CallArgs& a) { return static_cast<RangeObj*>(a[0].o); }

// The position of the int `v` in the range, or -1. A range may span more
// than int64 (range(-2**63, 2**63 - 1)), so may the position: 128 bits.
__int128 position_of(const RangeObj* r, std::int64_t v) {
    const bool inside = r->step > 0 ? (v >= r->start && v < r->stop) : (v <= r->start && v > r->stop);
    if (!inside) return -1;
    const __int128 offset = static_cast<__int128>(v) - r->start;
    if (offset % r->step != 0) return -1;
    return offset / r->step;
}

// Other values (floats, instances with __eq__) are compared with each item,
// as CPython's sequence search does.
bool count_equal(Interpreter& in, const RangeObj* r, Value v, bool first_only, std::int64_t& count, std::int64_t& first) {
    count = 0;
    first = -1;
    const std::int64_t n = r->length();
    for (std::int64_t i = 0; i < n; ++i) {
        bool same;
        const auto item = static_cast<std::int64_t>(r->start + static_cast<__int128>(i) * r->step);  // inside the range
        if (!in.equal(Value::integer(item), v, same)) return false;
        if (!same) continue;
        if (first < 0) first = i;
        ++count;
        if (first_only) break;
    }
    return true;
}

bool range_index(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "range.index")) return false;
    std::int64_t pos = -1;
    if (a[1].is_intlike()) {
        const __int128 at = position_of(self_range(a), a[1].as_int());
        if (at > INT64_MAX) return in.raise(in.types.OverflowError, "integer overflow: the result does not fit in 64 bits");
        pos = static_cast<std::int64_t>(at);
        if (pos < 0) return in.raise_value_error(std::string(a[1].is_bool() ? (a[1].b ? "True" : "False") : std::to_string(a[1].i)) + " is not in range");
    } else {
        std::int64_t count;
        if (!count_equal(in, self_range(a), a[1], true, count, pos)) return false;
        if (pos < 0) return in.raise_value_error("sequence.index(x): x not in sequence");
    }
    out = Value::integer(pos);
    return true;
}

bool range_count(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "range.count")) return false;
    if (a[1].is_intlike()) {
        out = Value::integer(position_of(self_range(a), a[1].as_int()) >= 0 ? 1 : 0);
        return true;
    }
    std::int64_t count, first;
    if (!count_equal(in, self_range(a), a[1], false, count, first)) return false;
    out = Value::integer(count);
    return true;
}

}  // namespace

void install_range_methods(Interpreter& in) {
    in.define_method(in.types.range, "index", range_index);
    in.define_method(in.types.range, "count", range_count);
}

}  // namespace spindle::vm
