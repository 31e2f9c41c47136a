// CompactVector: a vector that is one pointer. Its size and capacity live
// at the front of its heap block, and an empty one points at a shared
// empty header, so it costs nothing until the first push_back and size()
// needs no branch. A thread's handler blocks are kept this way: most
// parked agents have none, and every byte of a Thread is paid per agent.
//
// Elements must be trivially copyable and destructible (Block): growing is
// a memcpy. Storage is charged to the script heap (TrackedAllocator), like
// the value stack. Not copyable or movable: a Thread is reset in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

#include "vm/heap.hpp"

namespace spindle::vm {

namespace detail {
struct CompactVectorHeader {
    std::uint32_t size;
    std::uint32_t capacity;
};
// Shared by every empty CompactVector; never written (capacity 0: the first
// push_back allocates).
inline constinit const CompactVectorHeader g_empty_compact_vector{0, 0};
}  // namespace detail

template <class T>
class CompactVector {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    using Header = detail::CompactVectorHeader;
    static constexpr std::size_t kItemsAt = (sizeof(Header) + alignof(T) - 1) / alignof(T) * alignof(T);

public:
    CompactVector() noexcept = default;
    CompactVector(const CompactVector&) = delete;
    CompactVector& operator=(const CompactVector&) = delete;
    ~CompactVector() { release(); }

    std::size_t size() const noexcept { return header_->size; }
    bool empty() const noexcept { return header_->size == 0; }
    std::size_t capacity() const noexcept { return header_->capacity; }

    T* data() noexcept { return items(); }
    const T* data() const noexcept { return items(); }
    T* begin() noexcept { return items(); }
    T* end() noexcept { return items() + size(); }
    const T* begin() const noexcept { return items(); }
    const T* end() const noexcept { return items() + size(); }
    T& operator[](std::size_t i) noexcept { return items()[i]; }
    const T& operator[](std::size_t i) const noexcept { return items()[i]; }
    T& back() noexcept { return items()[size() - 1]; }
    const T& back() const noexcept { return items()[size() - 1]; }

    void push_back(const T& v) {
        if (header_->size == header_->capacity) [[unlikely]] {
            const T copy = v;  // v may be an element
            grow(header_->size + 1);
            items()[mutable_header()->size++] = copy;
            return;
        }
        items()[mutable_header()->size++] = v;
    }
    void pop_back() noexcept { --mutable_header()->size; }
    // Keeps the storage (a pooled thread reuses it).
    void clear() noexcept {
        if (header_->size != 0) mutable_header()->size = 0;
    }
    // Replaces the contents with [first, last) (not from this vector itself).
    void assign(const T* first, const T* last) {
        const auto n = static_cast<std::size_t>(last - first);
        clear();
        if (n == 0) return;
        if (n > capacity()) grow(n);
        std::memcpy(static_cast<void*>(items()), static_cast<const void*>(first), n * sizeof(T));
        mutable_header()->size = static_cast<std::uint32_t>(n);
    }

private:
    static std::size_t bytes_for(std::size_t capacity) noexcept { return kItemsAt + capacity * sizeof(T); }
    bool allocated() const noexcept { return header_ != &detail::g_empty_compact_vector; }
    // Only an allocated header is ever written.
    Header* mutable_header() noexcept { return const_cast<Header*>(header_); }
    T* items() const noexcept {
        return reinterpret_cast<T*>(reinterpret_cast<std::uintptr_t>(header_) + kItemsAt);
    }
    void release() noexcept {
        if (!allocated()) return;
        const std::size_t bytes = bytes_for(header_->capacity);
        vm::detail::refund(bytes);
        ::operator delete(const_cast<Header*>(header_));
    }
    void grow(std::size_t needed) {
        std::size_t capacity = header_->capacity == 0 ? 4 : std::size_t{header_->capacity} * 2;
        if (capacity < needed) capacity = needed;
        if (capacity >= UINT32_MAX) throw std::bad_alloc();
        const std::size_t bytes = bytes_for(capacity);
        vm::detail::charge(bytes);
        void* block;
        try {
            block = ::operator new(bytes);
        } catch (...) {
            vm::detail::refund(bytes);
            throw;
        }
        auto* fresh = new (block) Header{header_->size, static_cast<std::uint32_t>(capacity)};
        std::memcpy(reinterpret_cast<char*>(block) + kItemsAt, static_cast<const void*>(items()), header_->size * sizeof(T));
        release();
        header_ = fresh;
    }

    const Header* header_ = &detail::g_empty_compact_vector;
};

}  // namespace spindle::vm
