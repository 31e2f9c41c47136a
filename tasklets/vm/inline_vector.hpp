// InlineVector: a vector whose first N elements live inside the object, so
// that a small one costs no allocation of its own. A thread keeps its first
// frame and its first value-stack slots this way: a parked agent is then one
// block (the Thread) instead of three. It spills to Alloc's storage when it
// grows past N, and never moves back.
//
// The interface is the part of std::vector the VM uses, with pointer
// iterators. Elements must be trivially copyable and destructible (Value,
// Frame, Block): growing is a memcpy. Not copyable or movable: a Thread is
// reset in place, never assigned.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

namespace spindle::vm {

template <class T, std::size_t N, class Alloc = std::allocator<T>>
class InlineVector {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
    static_assert(N > 0 && N < UINT32_MAX);

public:
    using value_type = T;
    using size_type = std::size_t;
    using iterator = T*;
    using const_iterator = const T*;

    InlineVector() noexcept = default;
    InlineVector(const InlineVector&) = delete;
    InlineVector& operator=(const InlineVector&) = delete;
    ~InlineVector() { release(); }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    std::size_t capacity() const noexcept { return capacity_; }
    bool is_inline() const noexcept { return data_ == inline_data(); }

    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }
    T* begin() noexcept { return data_; }
    T* end() noexcept { return data_ + size_; }
    const T* begin() const noexcept { return data_; }
    const T* end() const noexcept { return data_ + size_; }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    T& front() noexcept { return data_[0]; }
    const T& front() const noexcept { return data_[0]; }
    T& back() noexcept { return data_[size_ - 1]; }
    const T& back() const noexcept { return data_[size_ - 1]; }

    void push_back(const T& v) {
        if (size_ == capacity_) [[unlikely]] {
            const T copy = v;  // v may be an element
            grow(size_ + 1);
            data_[size_++] = copy;
            return;
        }
        data_[size_++] = v;
    }
    template <class... Args>
    T& emplace_back(Args&&... args) {
        if (size_ == capacity_) [[unlikely]] grow(size_ + 1);
        T* slot = ::new (static_cast<void*>(data_ + size_)) T{std::forward<Args>(args)...};
        ++size_;
        return *slot;
    }
    void pop_back() noexcept { --size_; }
    void clear() noexcept { size_ = 0; }
    void reserve(std::size_t n) {
        if (n > capacity_) grow_exact(n);
    }
    void resize(std::size_t n) { resize(n, T{}); }
    void resize(std::size_t n, const T& v) {
        if (n > capacity_) grow_exact(n);
        for (std::size_t i = size_; i < n; ++i) ::new (static_cast<void*>(data_ + i)) T(v);
        size_ = static_cast<std::uint32_t>(n);
    }
    // Replaces the contents with [first, last) (not from this vector itself).
    void assign(const T* first, const T* last) {
        const auto n = static_cast<std::size_t>(last - first);
        if (n > capacity_) grow_exact(n);
        std::copy(first, last, data_);
        size_ = static_cast<std::uint32_t>(n);
    }
    // Gives spilled storage back and returns to the inline elements (empty).
    void reset() noexcept {
        release();
        data_ = inline_data();
        size_ = 0;
        capacity_ = N;
    }

private:
    T* inline_data() noexcept { return std::launder(reinterpret_cast<T*>(inline_)); }
    const T* inline_data() const noexcept { return std::launder(reinterpret_cast<const T*>(inline_)); }
    void release() noexcept {
        if (!is_inline()) Alloc().deallocate(data_, capacity_);
    }
    // By half again, not double: a thread's frames stay as deep as they
    // went, and in a parked agent a doubled array would be a third empty.
    void grow(std::size_t needed) { grow_exact(std::max<std::size_t>(needed, std::size_t{capacity_} / 2 * 3)); }
    // Exactly n elements, as std::vector::reserve does: the stack sizes itself.
    void grow_exact(std::size_t n) {
        if (n >= UINT32_MAX) throw std::bad_alloc();
        T* fresh = Alloc().allocate(n);
        if (size_ != 0) std::memcpy(static_cast<void*>(fresh), static_cast<const void*>(data_), size_ * sizeof(T));
        release();
        data_ = fresh;
        capacity_ = static_cast<std::uint32_t>(n);
    }

    T* data_ = reinterpret_cast<T*>(inline_);
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = N;
    alignas(T) unsigned char inline_[N * sizeof(T)];
};

}  // namespace spindle::vm
