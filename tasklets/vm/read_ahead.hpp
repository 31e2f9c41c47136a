// ReadAhead: while the pickler writes a big world, a second thread reads
// the tasklets and objects it is about to reach, so that their blocks are
// in a cache by the time the pickler gets there.
//
// Why: a save of a big world is bound by memory latency more than by work.
// The pickler follows one pointer after another (list, tuple, tasklet,
// thread, stack, the objects on it...), and past the cache's size each is
// a miss of 100-200 ns that its own prefetches overlap only in part. The
// reader has nothing else to do: it walks a batch of roots breadth first,
// a level at a time, so that all the misses of a level are in flight
// together and a batch costs about as many latencies as it has levels.
// A line it loaded reaches the pickler from the other core in some 15 ns.
//
// The pickler posts roots a fixed distance ahead of what it writes (the
// items of a long list, the tasklets of a channel's queue); the reader
// takes them in order. Every root posted stays a live object for the whole
// save, so a slot the reader reads late (overwritten, or posted for a list
// the pickler has since left) costs a wasted walk, never a wrong read.
//
// The reader reads only what the pickler leaves alone: object kinds,
// containers' items, tasklets' threads and stacks; never the memo in the
// headers. Its one write is the mark on a thread it has verified
// (Thread::verified_in_save, atomic; the pickler only reads it). So it may
// run only while no script code runs and nothing is freed: a save game's
// pickle.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <thread>

namespace spindle {
class TaskletObject;
}

namespace spindle::vm {

struct Obj;
struct Thread;
class Interpreter;

class ReadAhead {
public:
    // How far ahead of the item it writes the pickler posts: far enough
    // that the reader, waking every kIdleSleep, still finishes first; near
    // enough that what it read is still in its core's cache (some 300 KiB
    // for 160 agents).
    static constexpr std::size_t kLead = 160;
    // A smaller heap is mostly in the cache already: the thread would cost
    // more than it saves (measured: a 1,000-agent world saves slower with it).
    static constexpr std::size_t kMinHeapBytes = std::size_t{16} << 20;

    // Whether this process may run on two cores or more: on one, the reader
    // would only take turns with the pickler, and add its work to the save.
    static bool has_spare_core() noexcept;

    // Starts the reader; throws std::system_error if it cannot.
    explicit ReadAhead(const Interpreter& in);
    ~ReadAhead();  // stops the reader and waits for it
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;

    void post(const Obj* object) noexcept { post_root(reinterpret_cast<std::uintptr_t>(object)); }
    // A channel's queue holds tasklets, which may not have a script object yet.
    void post(const spindle::TaskletObject* tasklet) noexcept {
        post_root(reinterpret_cast<std::uintptr_t>(tasklet) | kTaskletBit);
    }

    // Roots the readers of this process have walked, all told (for tests:
    // that a save which should use one did).
    static std::uint64_t roots_read() noexcept { return roots_read_.load(std::memory_order_relaxed); }

    // Whether the reader has checked `thread` with the frame verifier, and
    // found it resumable, in this save (it verifies the threads it walks).
    bool verified(const Thread& thread) const noexcept;

private:
    static constexpr std::uintptr_t kTaskletBit = 1;  // (both kinds are 8-aligned)
    static constexpr std::size_t kRing = 1024;

    void post_root(std::uintptr_t root) noexcept {
        ring_[posted_ % kRing].store(root, std::memory_order_relaxed);
        ++posted_;
        published_.store(posted_, std::memory_order_release);
    }
    void read() noexcept;

    const std::uint32_t serial_;  // this save's number (Thread::verified_in_save)
    // What the reader walks with, made here, by the pickler's thread, so
    // that the reader allocates little: its malloc arena stays small.
    class Walker;
    std::unique_ptr<Walker> walker_;

    std::array<std::atomic<std::uintptr_t>, kRing> ring_{};
    std::uint64_t posted_ = 0;  // the pickler's own count
    // Apart from what the pickler writes at every post: the reader polls it.
    alignas(64) std::atomic<std::uint64_t> published_{0};
    std::atomic<bool> stop_{false};
    std::thread reader_;
    static inline std::atomic<std::uint64_t> roots_read_{0};
};

}  // namespace spindle::vm
