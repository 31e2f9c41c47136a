// PointerMap: a map from object addresses to small integers (the pickler's
// memo: object -> index). Open addressing with linear probes in one flat
// array; no erase. The pickler looks up every object it reaches, so the
// lookup is one multiply, one shift and usually one cache line, where a
// std::unordered_map costs a bucket pointer chase and a node per entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spindle::vm {

template <class V>
class PointerMap {
public:
    // The value stored for `key`, or null.
    const V* find(const void* key) const noexcept {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.key == key) return &s.value;
            if (!s.key) return nullptr;
        }
    }

    // Adds `key` (not null, not present) with `value`.
    void insert(const void* key, V value) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (!s.key) {
                s.key = key;
                s.value = value;
                ++size_;
                return;
            }
        }
    }

    // The value for `key`, inserted as V{} first if absent; `added` tells which.
    V& find_or_insert(const void* key, bool& added) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        for (std::size_t i = home(key);; i = (i + 1) & mask_) {
            Slot& s = slots_[i];
            if (s.key == key) {
                added = false;
                return s.value;
            }
            if (!s.key) {
                s.key = key;
                s.value = V{};
                ++size_;
                added = true;
                return s.value;
            }
        }
    }

    std::size_t size() const noexcept { return size_; }

private:
    struct Slot {
        const void* key = nullptr;
        V value{};
    };

    // Fibonacci hashing: the multiply spreads the aligned low bits of an
    // address over the high bits the shift keeps.
    std::size_t home(const void* key) const noexcept {
        const auto bits = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(key));
        return static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> shift_);
    }

    void grow() {
        std::vector<Slot> old;
        old.swap(slots_);
        const std::size_t capacity = old.empty() ? 64 : old.size() * 2;
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
        shift_ = 64;
        for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
        size_ = 0;
        for (const Slot& s : old)
            if (s.key) insert(s.key, s.value);
    }

    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0;
    unsigned shift_ = 64;
};

}  // namespace spindle::vm
