#include "vm/heap.hpp"

#include <algorithm>

#include "vm/object.hpp"
#include "vm/trace.hpp"

namespace spindle::vm {
namespace detail {

void charge(std::size_t bytes) {
    Heap* heap = g_current_heap;
    if (!heap) return;
    if (heap->max_bytes_ != 0 && heap->bytes_ + bytes > heap->max_bytes_) throw std::bad_alloc();
    heap->bytes_ += bytes;
}

void refund(std::size_t bytes) noexcept {
    Heap* heap = g_current_heap;
    if (!heap) return;
    heap->bytes_ -= std::min(bytes, heap->bytes_);
}

namespace {

// Free blocks by size class (16-byte steps up to kLargest bytes). Each list
// is bounded, and a thread gives its blocks back to malloc when it ends.
struct FreeLists {
    static constexpr std::size_t kStep = 16;
    static constexpr std::size_t kLargest = 256;
    static constexpr std::size_t kClasses = kLargest / kStep;
    static constexpr std::uint32_t kMaxBlocks = 1u << 15;  // per class
    void* head[kClasses] = {};
    std::uint32_t count[kClasses] = {};
    ~FreeLists() {
        for (void*& block : head) {
            while (block) {
                void* next = *static_cast<void**>(block);
                ::operator delete(block);
                block = next;
            }
        }
    }
};
thread_local FreeLists g_free_lists;

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer must see every free to catch a use after free.
void* object_alloc(std::size_t size) { return ::operator new(size); }
void object_free(void* block, std::size_t) noexcept { ::operator delete(block); }
#else
void* object_alloc(std::size_t size) {
    const std::size_t c = (size - 1) / FreeLists::kStep;
    if (c < FreeLists::kClasses) {
        FreeLists& lists = g_free_lists;
        if (void* block = lists.head[c]) {
            lists.head[c] = *static_cast<void**>(block);
            --lists.count[c];
            return block;
        }
        return ::operator new((c + 1) * FreeLists::kStep);  // the class's full size: any later object of the class fits
    }
    return ::operator new(size);
}

void object_free(void* block, std::size_t size) noexcept {
    const std::size_t c = (size - 1) / FreeLists::kStep;
    if (c < FreeLists::kClasses) {
        FreeLists& lists = g_free_lists;
        if (lists.count[c] < FreeLists::kMaxBlocks) {
            *static_cast<void**>(block) = lists.head[c];
            lists.head[c] = block;
            ++lists.count[c];
            return;
        }
    }
    ::operator delete(block);
}
#endif

}  // namespace detail

Heap::Heap(std::size_t max_bytes) : max_bytes_(max_bytes) {}

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
    std::size_t headroom = std::max<std::size_t>(bytes_, 1 << 20);
    next_collection_ = bytes_ + headroom;
    if (max_bytes_ != 0 && next_collection_ > bytes_ + (max_bytes_ - std::min(bytes_, max_bytes_)) / 2) {
        next_collection_ = bytes_ + (max_bytes_ - std::min(bytes_, max_bytes_)) / 2;
    }
    if (stress_) next_collection_ = 0;
    collecting_ = false;
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
