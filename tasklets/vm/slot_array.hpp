// SlotArray: an instance's attribute slots. The first few live inside the
// instance itself, so making a small object (a Vec with x and y) is one
// allocation and freeing it one free; an instance with more attributes
// spills them to heap storage charged to the interpreter's memory cap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "vm/heap.hpp"
#include "vm/value.hpp"

namespace spindle::vm {

class SlotArray {
public:
    static constexpr std::uint32_t kInline = 4;

    SlotArray() noexcept {}  // the inline slots stay raw until pushed: [0, size) is all anyone reads
    ~SlotArray() { release(); }
    SlotArray(const SlotArray&) = delete;
    SlotArray& operator=(const SlotArray&) = delete;

    Value& operator[](std::size_t i) noexcept { return data_[i]; }
    const Value& operator[](std::size_t i) const noexcept { return data_[i]; }
    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return capacity_; }
    bool empty() const noexcept { return size_ == 0; }
    Value* begin() noexcept { return data_; }
    Value* end() noexcept { return data_ + size_; }
    const Value* begin() const noexcept { return data_; }
    const Value* end() const noexcept { return data_ + size_; }

    [[gnu::always_inline]] void push_back(Value v) {
        if (size_ == capacity_) [[unlikely]] grow(capacity_ * 2);
        data_[size_++] = v;
    }
    void reserve(std::size_t n) {
        if (n > capacity_) grow(n);
    }
    // Forgets every slot and gives spilled storage back.
    void clear() noexcept {
        release();
        data_ = inline_;
        capacity_ = kInline;
        size_ = 0;
    }

private:
    void grow(std::size_t n) {
        Value* bigger = TrackedAllocator<Value>().allocate(n);  // may throw: nothing changed yet
        for (std::uint32_t i = 0; i < size_; ++i) bigger[i] = data_[i];
        release();
        data_ = bigger;
        capacity_ = static_cast<std::uint32_t>(n);
    }
    void release() noexcept {
        if (data_ != inline_) TrackedAllocator<Value>().deallocate(data_, capacity_);
    }

    Value* data_ = inline_;
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = kInline;
    union {
        Value inline_[kInline];
    };
};

}  // namespace spindle::vm
