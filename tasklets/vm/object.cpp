#include "vm/object.hpp"

#include <algorithm>

namespace spindle::vm {
namespace {

std::uint64_t hash_bytes(std::string_view text) noexcept {
    // FNV-1a: CPython randomises str hashes per process, so no script can
    // rely on a particular value; any good hash keeps dicts fast. The one
    // fixed value is hash('') == 0.
    if (text.empty()) return 0;
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

const char* kind_name(ObjKind kind) noexcept {
    switch (kind) {
#define SPINDLE_KIND_NAME(kind, name) \
    case ObjKind::kind:               \
        return name;
        SPINDLE_OBJECT_KINDS(SPINDLE_KIND_NAME)
#undef SPINDLE_KIND_NAME
    }
    return "object";
}

StrObj::StrObj(std::string_view text) : Obj(ObjKind::Str), data(text.begin(), text.end()) {
    std::int64_t count = 0;
    bool all_ascii = true;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++count;  // count lead bytes: one per code point
        if (c >= 0x80) all_ascii = false;
    }
    length = count;
    ascii = all_ascii;
    hash = hash_bytes(text);
}

std::int64_t RangeObj::length() const noexcept {
    if (step > 0 && start < stop) {
        const auto span = static_cast<unsigned __int128>(static_cast<__int128>(stop) - start);
        return static_cast<std::int64_t>((span - 1) / static_cast<unsigned __int128>(step) + 1);
    }
    if (step < 0 && start > stop) {
        const auto span = static_cast<unsigned __int128>(static_cast<__int128>(start) - stop);
        const auto by = static_cast<unsigned __int128>(-static_cast<__int128>(step));
        return static_cast<std::int64_t>((span - 1) / by + 1);
    }
    return 0;
}

std::int32_t CodeObj::line_of(std::uint32_t pc) const noexcept {
    std::int32_t line = first_line;
    for (const LineEntry& e : lines) {
        if (e.pc > pc) break;
        line = e.line;
    }
    return line;
}

std::int32_t Shape::find(const StrObj* name) const noexcept {
    for (const Shape* s = this; s != nullptr && s->key != nullptr; s = s->parent) {
        if (s->key == name) return static_cast<std::int32_t>(s->slot_count - 1);
    }
    return -1;
}

}  // namespace spindle::vm
