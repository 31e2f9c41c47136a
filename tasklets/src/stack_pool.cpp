#include "spindle/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace spindle {
namespace {

std::size_t page_size() noexcept {
    static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

std::size_t round_up_to_pages(std::size_t bytes) noexcept {
    const std::size_t page = page_size();
    return (bytes + page - 1) / page * page;
}

}  // namespace

StackPool::StackPool(StackPoolOptions options)
    : options_(options),
      usable_size_(round_up_to_pages(options.stack_size < 16 * 1024 ? 16 * 1024 : options.stack_size)),
      mapping_size_(usable_size_ + (options.guard_page ? page_size() : 0)) {}

StackPool::~StackPool() {
    for (void* top : free_) unmap(top);
}

boost::context::stack_context StackPool::allocate() {
    void* top;
    if (!free_.empty()) {
        top = free_.back();
        free_.pop_back();
    } else {
        void* base = ::mmap(nullptr, mapping_size_, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (base == MAP_FAILED) throw std::bad_alloc();
        // The guard page sits at the low end: stacks grow down, so an overflow
        // faults on it instead of silently corrupting the neighbouring mapping.
        if (options_.guard_page && ::mprotect(base, page_size(), PROT_NONE) != 0) {
            ::munmap(base, mapping_size_);
            throw std::bad_alloc();
        }
        top = static_cast<char*>(base) + mapping_size_;
        ++mapped_;
    }
    boost::context::stack_context stack;
    stack.sp = top;
    stack.size = usable_size_;
    return stack;
}

void StackPool::deallocate(const boost::context::stack_context& stack) noexcept {
    if (free_.size() < options_.max_cached) {
        try {
            free_.push_back(stack.sp);
            return;
        } catch (...) {
            // fall through: no room to remember it, so give it back to the OS
        }
    }
    unmap(stack.sp);
}

void StackPool::unmap(void* stack_top) noexcept {
    ::munmap(static_cast<char*>(stack_top) - mapping_size_, mapping_size_);
    --mapped_;
}

}  // namespace spindle
