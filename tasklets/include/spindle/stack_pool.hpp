// StackPool: guard-paged native stacks for native tasklets, reused.
//
// mmap and mprotect cost microseconds; a pooled stack costs a pointer pop. A
// stack returned to the pool keeps its touched pages, so a tasklet that starts
// on a reused stack takes no page faults either. This is the only allocator
// Boost.Context sees: it satisfies Boost's StackAllocator concept through
// StackPool::Allocator.
#pragma once

#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <vector>

namespace spindle {

struct StackPoolOptions {
    std::size_t stack_size = 256 * 1024;  // usable bytes, rounded up to pages
    bool guard_page = true;               // a PROT_NONE page below each stack
    std::size_t max_cached = 4096;        // stacks kept for reuse beyond this are unmapped
};

class StackPool {
public:
    explicit StackPool(StackPoolOptions options = {});
    ~StackPool();
    StackPool(const StackPool&) = delete;
    StackPool& operator=(const StackPool&) = delete;

    boost::context::stack_context allocate();
    void deallocate(const boost::context::stack_context& stack) noexcept;

    std::size_t stack_size() const noexcept { return usable_size_; }
    std::size_t cached() const noexcept { return free_.size(); }
    std::size_t mapped() const noexcept { return mapped_; }

private:
    void unmap(void* stack_top) noexcept;

    StackPoolOptions options_;
    std::size_t usable_size_;
    std::size_t mapping_size_;
    std::vector<void*> free_;  // stack tops (highest address) ready for reuse
    std::size_t mapped_ = 0;
};

}  // namespace spindle
