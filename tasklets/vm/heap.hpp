// Heap: allocation accounting, the memory cap and the tracing collector.
//
// Every byte a script can cause to exist is counted: object headers through
// Heap::make, and container storage (list items, string bytes, dict tables)
// through TrackedAllocator, which charges the heap of the running thread.
// Passing the cap throws std::bad_alloc from wherever the allocation is; the
// VM turns that into a script MemoryError at the instruction that caused it,
// so a memory bomb ends one tasklet, never the game.
//
// The collector is mark-and-sweep over an intrusive list of all objects. It
// traces the same graph the pickler and the debugger walk; cycles are freed.
#pragma once

#include <cstddef>
#include "spindle/sanitizer.hpp"
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <vector>

namespace spindle::vm {

struct Obj;
class Heap;

namespace detail {
inline thread_local Heap* g_current_heap = nullptr;
inline void charge(std::size_t bytes);   // may throw std::bad_alloc
void refund(std::size_t bytes) noexcept;
// Storage for heap objects (Obj::operator new): small sizes recycle through
// per-thread free lists, so the millions of short-lived objects a script
// makes (a Vec per arithmetic step) skip malloc. The heap still charges and
// refunds every object's size; this only changes where the bytes come from.
// Free blocks by size class (16-byte steps up to kLargest bytes); each list
// is bounded, and a thread gives its blocks back to malloc when it ends.
struct FreeLists {
    static constexpr std::size_t kStep = 16;
    static constexpr std::size_t kLargest = 256;
    static constexpr std::size_t kClasses = kLargest / kStep;
    static constexpr std::uint32_t kMaxBlocks = 1u << 15;  // per class
    void* head[kClasses];
    std::uint32_t count[kClasses];
};
// Plain data, so the fast paths below reach it without a TLS guard.
inline constinit thread_local FreeLists g_free_lists{};
void* object_alloc_slow(std::size_t size);
void object_free_slow(void* block, std::size_t size) noexcept;

#if defined(SPINDLE_ASAN)
// AddressSanitizer must see every free to catch a use after free.
inline void* object_alloc(std::size_t size) { return ::operator new(size); }
inline void object_free(void* block, std::size_t) noexcept { ::operator delete(block); }
#else
inline void* object_alloc(std::size_t size) {
    const std::size_t c = (size - 1) / FreeLists::kStep;
    if (c < FreeLists::kClasses) [[likely]] {
        if (void* block = g_free_lists.head[c]) [[likely]] {
            void* next = *static_cast<void**>(block);
            g_free_lists.head[c] = next;
            --g_free_lists.count[c];
            // The next block of this size is written soon and read now (for
            // its link): recycled blocks are scattered, so ask for it early.
            __builtin_prefetch(next, 1);
            return block;
        }
    }
    return object_alloc_slow(size);
}
inline void object_free(void* block, std::size_t size) noexcept {
    const std::size_t c = (size - 1) / FreeLists::kStep;
    if (c < FreeLists::kClasses && g_free_lists.count[c] < FreeLists::kMaxBlocks) [[likely]] {
        *static_cast<void**>(block) = g_free_lists.head[c];
        g_free_lists.head[c] = block;
        ++g_free_lists.count[c];
        return;
    }
    object_free_slow(block, size);
}
#endif
}  // namespace detail

template <class T>
struct TrackedAllocator {
    using value_type = T;
    TrackedAllocator() noexcept = default;
    template <class U>
    TrackedAllocator(const TrackedAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        detail::charge(n * sizeof(T));
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        detail::refund(n * sizeof(T));
        ::operator delete(p);
    }
    template <class U>
    bool operator==(const TrackedAllocator<U>&) const noexcept { return true; }
};

template <class T>
using tracked_vector = std::vector<T, TrackedAllocator<T>>;
using tracked_string = std::basic_string<char, std::char_traits<char>, TrackedAllocator<char>>;

class Heap {
public:
    explicit Heap(std::size_t max_bytes = 0);  // 0: no cap
    ~Heap();
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // Makes this heap the one TrackedAllocator charges on this thread.
    void activate() noexcept { detail::g_current_heap = this; }

    template <class T, class... Args>
    T* make(Args&&... args) {
        detail::charge(sizeof(T));
        T* object;
        try {
            object = new T(std::forward<Args>(args)...);
        } catch (...) {
            detail::refund(sizeof(T));
            throw;
        }
        link(object, sizeof(T));
        return object;
    }

    // Roots are supplied by the owner (the interpreter) at collection time.
    using RootVisitor = std::function<void(Heap&)>;
    void set_root_visitor(RootVisitor visitor) { roots_ = std::move(visitor); }

    void mark(Obj* object);            // marks and queues for tracing
    void collect();
    bool should_collect() const noexcept { return bytes_ >= next_collection_; }
    // A load (pickle_loads) has just made a graph of live objects: the
    // collection its allocations would trigger at the next safe point would
    // mark all of it and free nothing of it, a pause of its own right after
    // the load. The threshold moves as if that collection had run. (None runs
    // during a load: collections happen only at safe points of the dispatch
    // loop outside nested calls, and the loader runs no script code except
    // nested __hash__/__eq__ calls.)
    void after_load() noexcept;

    // Different for every heap a process makes, even at a reused address:
    // what a value kept outside any heap (a script exception in flight)
    // names its heap by.
    std::uint64_t serial() const noexcept { return serial_; }
    std::size_t bytes() const noexcept { return bytes_; }
    std::size_t max_bytes() const noexcept { return max_bytes_; }
    void set_max_bytes(std::size_t cap) noexcept { max_bytes_ = cap; }
    std::size_t object_count() const noexcept { return objects_; }
    // A number for a new pickle to mark the objects it writes with
    // (Obj::pickle_epoch), different from every mark now on this heap's
    // objects: when the numbers run out, every mark is cleared first.
    std::uint16_t begin_pickle() noexcept;
    std::uint64_t collections() const noexcept { return collections_; }
    // A collection every allocation when set: finds missing roots fast.
    void set_stress(bool on) noexcept {
        stress_ = on;
        if (on) next_collection_ = 0;
    }

private:
    friend void detail::charge(std::size_t);
    friend void detail::refund(std::size_t) noexcept;

    void link(Obj* object, std::size_t size) noexcept;
    void schedule_next(std::size_t live) noexcept;
    void sweep();

    Obj* all_ = nullptr;
    std::vector<Obj*> gray_;
    RootVisitor roots_;
    std::size_t bytes_ = 0;
    std::size_t max_bytes_;
    std::size_t next_collection_ = 1 << 20;
    std::size_t objects_ = 0;
    std::uint64_t collections_ = 0;
    bool stress_ = false;
    bool collecting_ = false;
    std::uint16_t pickle_epoch_ = 0;  // the last number begin_pickle gave
    std::uint64_t serial_;
};

namespace detail {
inline void charge(std::size_t bytes) {
    Heap* heap = g_current_heap;
    if (!heap) return;
    if (heap->max_bytes_ != 0 && heap->bytes_ + bytes > heap->max_bytes_) [[unlikely]] throw std::bad_alloc();
    heap->bytes_ += bytes;
}
}  // namespace detail

}  // namespace spindle::vm
