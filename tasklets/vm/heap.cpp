#include "vm/heap.hpp"
#include "spindle/sanitizer.hpp"

#include <algorithm>
#include <atomic>

#include "vm/object.hpp"
#include "vm/trace.hpp"

namespace spindle::vm {
namespace detail {

void refund(std::size_t bytes) noexcept {
    Heap* heap = g_current_heap;
    if (!heap) return;
    heap->bytes_ -= std::min(bytes, heap->bytes_);
}

#if !defined(SPINDLE_ASAN)
namespace {

// Registered by a thread's first slow allocation: gives its free blocks back
// to malloc when the thread ends.
struct FreeListsOwner {
    ~FreeListsOwner() {
        for (std::size_t c = 0; c < FreeLists::kClasses; ++c) {
            while (void* block = g_free_lists.head[c]) {
                g_free_lists.head[c] = *static_cast<void**>(block);
                ::operator delete(block);
            }
            g_free_lists.count[c] = 0;
        }
    }
};
thread_local FreeListsOwner g_free_lists_owner;

}  // namespace

void* object_alloc_slow(std::size_t size) {
    const std::size_t c = (size - 1) / FreeLists::kStep;
    if (c < FreeLists::kClasses) {
        (void)&g_free_lists_owner;  // odr-use: constructs it, so its destructor runs at thread exit
        return ::operator new((c + 1) * FreeLists::kStep);  // the class's full size: any object of the class fits
    }
    return ::operator new(size);
}

void object_free_slow(void* block, std::size_t) noexcept { ::operator delete(block); }
#endif

}  // namespace detail

namespace {
// At least this much allocation between collections.
constexpr std::size_t kMinHeadroom = std::size_t{4} << 20;
}  // namespace

namespace {
std::atomic<std::uint64_t> g_heap_serials{0};
}  // namespace

Heap::Heap(std::size_t max_bytes) : max_bytes_(max_bytes), serial_(++g_heap_serials) {}

Heap::~Heap() {
    Heap* previous = detail::g_current_heap;
    detail::g_current_heap = this;  // refunds from the destructors below land here
    while (all_) {
        Obj* next = all_->next_object;
        detail::refund(object_size(*all_));
        delete all_;
        all_ = next;
    }
    detail::g_current_heap = previous == this ? nullptr : previous;
}

void Heap::link(Obj* object, std::size_t) noexcept {
    object->next_object = all_;
    all_ = object;
    ++objects_;
}

std::uint16_t Heap::begin_pickle() noexcept {
    if (++pickle_epoch_ == 0) {
        for (Obj* o = all_; o; o = o->next_object) o->pickle_epoch = 0;
        pickle_epoch_ = 1;
    }
    return pickle_epoch_;
}

void Heap::mark(Obj* object) {
    if (object == nullptr || object->marked) return;
    object->marked = true;
    gray_.push_back(object);
}

void Heap::collect() {
    if (collecting_) return;
    collecting_ = true;
    ++collections_;
    if (roots_) roots_(*this);
    // Tracing uses an explicit work list: a million-deep linked list of
    // objects must not overflow the C++ stack.
    while (!gray_.empty()) {
        Obj* object = gray_.back();
        gray_.pop_back();
        trace_children(*this, *object);
    }
    sweep();
    schedule_next(bytes_);
    collecting_ = false;
}

// The next collection comes once as much again as `live` has been
// allocated (at most half the room left under the cap).
void Heap::schedule_next(std::size_t live) noexcept {
    std::size_t headroom = std::max<std::size_t>(live, kMinHeadroom);
    next_collection_ = bytes_ + headroom;
    if (max_bytes_ != 0 && next_collection_ > bytes_ + (max_bytes_ - std::min(bytes_, max_bytes_)) / 2) {
        next_collection_ = bytes_ + (max_bytes_ - std::min(bytes_, max_bytes_)) / 2;
    }
    if (stress_) next_collection_ = 0;
}

void Heap::after_load() noexcept {
    if (bytes_ >= next_collection_) schedule_next(bytes_);
}

void Heap::sweep() {
    Obj** link = &all_;
    while (Obj* object = *link) {
        if (object->marked) {
            object->marked = false;
            link = &object->next_object;
        } else {
            *link = object->next_object;
            --objects_;
            detail::refund(object_size(*object));
            delete object;
        }
    }
}

}  // namespace spindle::vm
