#include "vm/read_ahead.hpp"

#include <sched.h>
#include <sys/prctl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>

#include "vm/frame_verifier.hpp"
#include "vm/interpreter.hpp"
#include "vm/object.hpp"
#include "vm/script_tasklets.hpp"

namespace spindle::vm {
namespace {

constexpr std::size_t kBatch = 32;     // roots walked together, a level at a time
constexpr std::size_t kLevels = 16;    // an agent is some 12 deep; past that a miss is not worth it
constexpr std::size_t kSpanItems = 64;  // children read per container: a bigger one is shared, or a list the pickler posts itself
constexpr std::size_t kNodesPerBatch = kBatch * 96;  // an agent is some 60 nodes; a root reaching a big shared graph stops here
// Idle, the reader sleeps rather than spins: its core is the compressor's
// too, and its CPU time counts. The pickler posts about one root a
// microsecond, so a sleep of this much leaves most of kLead still ahead.
constexpr auto kIdleSleep = std::chrono::microseconds(40);
constexpr unsigned long kTimerSlackNs = 5'000;  // Linux's default 50 us slack would double the sleep

void prefetch_range(const void* first, std::size_t bytes) noexcept {
    const char* p = static_cast<const char*>(first);
    for (std::size_t at = 0; at < bytes; at += 64) __builtin_prefetch(p + at);
}

// What to read at the next level: a heap object, a tasklet's parts (each
// the pointer the one before holds), or a run of values (items, slots, a
// stack; a dict's keys or its values, `stride` bytes apart).
struct Node {
    enum Kind : std::uint8_t { Object, Tasklet, State, ThreadOf, Values } kind;
    std::uint32_t count = 0;   // Values: how many
    std::uint32_t stride = 0;  // Values: bytes from one to the next
    const void* p = nullptr;
};

}  // namespace

// Walks a batch of roots breadth first. Each level's nodes were prefetched
// when the level before found them, so reading them waits for about one
// miss, not one per node.
class ReadAhead::Walker {
public:
    Walker(const Interpreter& in, std::uint32_t serial) : in_(in), serial_(serial) {}

    void walk(const std::uintptr_t* roots, std::size_t n) {
        next_count_ = 0;
        thread_count_ = 0;
        for (std::size_t i = 0; i < n; ++i) root(roots[i]);
        std::size_t budget = kNodesPerBatch;
        for (std::size_t level = 0; level < kLevels && next_count_ != 0 && budget > 0; ++level) {
            std::swap(now_, next_);
            const std::size_t count = next_count_;
            next_count_ = 0;
            for (std::size_t i = 0; i < count; ++i) read((*now_)[i]);
            budget -= std::min(budget, count);
        }
        verify_threads();
    }

private:
    void root(std::uintptr_t r) {
        if (r & 1) tasklet(reinterpret_cast<const spindle::TaskletObject*>(r & ~std::uintptr_t{1}));
        else if (r) object_node(reinterpret_cast<const Obj*>(r), sizeof(Obj));
    }
    // A level holds at most a batch's budget: past that, the rest is not read.
    void add(const Node& node) {
        if (next_count_ < kNodesPerBatch) (*next_)[next_count_++] = node;
    }
    void push(Node::Kind kind, const void* p, std::size_t bytes) {
        prefetch_range(p, bytes);
        add({kind, 0, 0, p});
    }
    // An object met again soon (the channel every agent of a group holds,
    // its class's constant strings) was read the first time: a small table
    // of the last ones seen skips it.
    void object_node(const Obj* o, std::size_t bytes) {
        const std::size_t at = static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(o) >> 4) * 0x9E3779B97F4A7C15u >> 55);
        if (recent_[at] == o) return;
        recent_[at] = o;
        push(Node::Object, o, bytes);
    }
    void tasklet(const spindle::TaskletObject* t) { push(Node::Tasklet, t, sizeof(spindle::TaskletObject)); }
    void values(const void* first, std::size_t n, std::size_t stride) {
        n = std::min(n, kSpanItems);
        if (n == 0) return;
        prefetch_range(first, n * stride);
        add({Node::Values, static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(stride), first});
    }

    void read(const Node& node) {
        switch (node.kind) {
            case Node::Values: {
                const char* at = static_cast<const char*>(node.p);
                for (std::uint32_t i = 0; i < node.count; ++i, at += node.stride) {
                    const Value& v = *reinterpret_cast<const Value*>(at);
                    if (v.is_obj()) object_node(v.o, sizeof(Obj));
                }
                return;
            }
            case Node::Object: return object(static_cast<const Obj*>(node.p));
            case Node::Tasklet: {
                const auto* t = static_cast<const spindle::TaskletObject*>(node.p);
                if (const spindle::ScriptState* state = t->script()) push(Node::State, state, 64);
                return;
            }
            case Node::State: {
                const auto* state = script_tasklet_state(static_cast<const spindle::ScriptState*>(node.p));
                if (state && state->thread) push(Node::ThreadOf, state->thread, sizeof(Thread));
                return;
            }
            case Node::ThreadOf: {
                const auto* th = static_cast<const Thread*>(node.p);
                if (thread_count_ < threads_.size()) threads_[thread_count_++] = th;
                prefetch_range(th->frames.data(), th->frames.size() * sizeof(Frame));
                values(th->stack.data(), th->stack.size(), sizeof(Value));
                return;
            }
        }
    }

    void object(const Obj* o) {
        switch (o->kind) {
            case ObjKind::Str: {
                const auto* s = static_cast<const StrObj*>(o);
                return prefetch_range(s->data.data(), s->data.size());
            }
            case ObjKind::Tuple: {
                const auto& items = static_cast<const TupleObj*>(o)->items;
                return values(items.data(), items.size(), sizeof(Value));
            }
            case ObjKind::List: {
                const auto& items = static_cast<const ListObj*>(o)->items;
                return values(items.data(), items.size(), sizeof(Value));
            }
            case ObjKind::Dict: {
                const auto& entries = static_cast<const DictObj*>(o)->table.entries;
                if (entries.empty()) return;
                values(&entries.front().key, entries.size(), sizeof(Table::Entry));
                return values(&entries.front().value, entries.size(), sizeof(Table::Entry));
            }
            case ObjKind::Instance: {
                const auto* inst = static_cast<const InstanceObj*>(o);
                values(inst->slots.begin(), inst->slots.size(), sizeof(Value));
                if (inst->dict) object_node(inst->dict, sizeof(DictObj));
                return;
            }
            case ObjKind::Cell: {
                const Value& v = static_cast<const CellObj*>(o)->value;
                if (v.is_obj()) object_node(v.o, sizeof(Obj));
                return;
            }
            case ObjKind::Tasklet:
                if (const spindle::TaskletObject* t = static_cast<const TaskletObj*>(o)->tasklet.object()) tasklet(t);
                return;
            default:
                // Classes, functions, code, modules, channels: shared by
                // many roots, so in the cache after the first. The pickler
                // reads the rest (a channel's queue it posts itself).
                return;
        }
    }

    using Level = std::array<Node, kNodesPerBatch>;
    std::unique_ptr<Level> levels_[2] = {std::make_unique<Level>(), std::make_unique<Level>()};
    Level* now_ = levels_[0].get();
    Level* next_ = levels_[1].get();
    std::size_t next_count_ = 0;
    std::array<const Obj*, 512> recent_{};  // indexed by a hash of the address (the top 9 bits of 64)

    // The threads a batch reached, verified once the walk has brought them
    // into the cache: the pickler then skips the verifier for each that
    // passed (one that fails, it verifies itself, for the message).
    void verify_threads() {
        for (std::size_t i = 0; i < thread_count_; ++i) {
            const Thread* th = threads_[i];
            if (th->verified_in_save == serial_ || th->running || th->nesting != 0) continue;
            if (!verify_thread(in_, *th, UINT32_MAX, &cache_).empty()) continue;
            std::atomic_ref<std::uint32_t>(const_cast<Thread*>(th)->verified_in_save).store(serial_, std::memory_order_release);
        }
    }
    const Interpreter& in_;
    const std::uint32_t serial_;
    VerifyCache cache_;
    std::array<const Thread*, kBatch * 2> threads_{};
    std::size_t thread_count_ = 0;
};

bool ReadAhead::has_spare_core() noexcept {
    static const bool spare = [] {
        cpu_set_t allowed;
        CPU_ZERO(&allowed);
        return sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) >= 2;
    }();
    return spare;
}

namespace {
std::atomic<std::uint32_t> g_save_serials{0};
}  // namespace

ReadAhead::ReadAhead(const Interpreter& in)
    : serial_(++g_save_serials), walker_(std::make_unique<Walker>(in, serial_)), reader_([this] { read(); }) {}

bool ReadAhead::verified(const Thread& thread) const noexcept {
    return std::atomic_ref<std::uint32_t>(const_cast<std::uint32_t&>(thread.verified_in_save)).load(std::memory_order_acquire) == serial_;
}

ReadAhead::~ReadAhead() {
    stop_.store(true, std::memory_order_relaxed);
    reader_.join();
}

void ReadAhead::read() noexcept {
    prctl(PR_SET_TIMERSLACK, kTimerSlackNs);  // this thread only; on failure it sleeps longer
    Walker& walker = *walker_;
    std::array<std::uintptr_t, kBatch> batch;
    std::uint64_t next = 0;
    while (!stop_.load(std::memory_order_relaxed)) {
        const std::uint64_t published = published_.load(std::memory_order_acquire);
        // Fallen far behind (the pickler is past those, or the ring has
        // lapped them): on from the newest lead's worth.
        if (published - next > kRing / 2) next = published - kLead;
        // A batch at a time, so that its misses overlap. (At a list's
        // start the pickler posts a lead's worth at once.)
        if (published - next < kBatch / 2) {
            std::this_thread::sleep_for(kIdleSleep);
            continue;
        }
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, published - next));
        for (std::size_t i = 0; i < n; ++i) batch[i] = ring_[(next + i) % kRing].load(std::memory_order_relaxed);
        walker.walk(batch.data(), n);
        next += n;
        roots_read_.fetch_add(n, std::memory_order_relaxed);
    }
}

}  // namespace spindle::vm
