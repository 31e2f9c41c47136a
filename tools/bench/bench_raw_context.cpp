// Raw Boost.Context: the floor every fiber runtime here is built on. No
// scheduler, no queues; fibers on boost::context::pooled_fixedsize_stack of
// kStackSize bytes.
#include <boost/context/fiber.hpp>
#include <boost/context/pooled_fixedsize_stack.hpp>
#include <cstddef>
#include <vector>

#include "common.hpp"

namespace bench {
namespace {

namespace ctx = boost::context;

}  // namespace

// Resume pairs between main and one fiber: each iteration is two switches.
void raw_context_yield_2(benchmark::State& state) {
    ctx::pooled_fixedsize_stack pool(kStackSize);
    bool stop = false;
    ctx::fiber worker(std::allocator_arg, pool, [&stop](ctx::fiber&& caller) {
        while (!stop) caller = std::move(caller).resume();
        return std::move(caller);
    });
    worker = std::move(worker).resume();  // first entry, untimed
    for (auto _ : state) {
        worker = std::move(worker).resume();  // main -> worker -> main
    }
    stop = true;
    worker = std::move(worker).resume();  // it returns
    state.SetItemsProcessed(state.iterations() * 2);
}

// The minimal symmetric round robin: main + 1000 fibers in a ring, each
// switching straight to the next (one resume() per switch) and storing the
// continuation it was resumed from in the switcher's slot.
void raw_context_yield_1000(benchmark::State& state) {
    struct Ring {
        std::vector<ctx::fiber> slots;  // slot 0: main
        std::size_t current = 0;
        std::size_t from = 0;
        bool stop = false;

        std::size_t next_index() const { return (current + 1) % slots.size(); }
        void switch_to(std::size_t next) {
            from = current;
            current = next;
            ctx::fiber resumer = std::move(slots[next]).resume();
            slots[from] = std::move(resumer);  // `from` is now whoever switched to us
        }
    } ring;
    ctx::pooled_fixedsize_stack pool(kStackSize);
    ring.slots.resize(kYieldMany + 1);
    for (int i = 1; i <= kYieldMany; ++i) {
        ring.slots[static_cast<std::size_t>(i)] =
            ctx::fiber(std::allocator_arg, pool, [&ring](ctx::fiber&& resumer) {
                ring.slots[ring.from] = std::move(resumer);
                while (!ring.stop) ring.switch_to(ring.next_index());
                // Leave for good: hand control to the next one.
                const std::size_t next = ring.next_index();
                ring.from = ring.current;
                ring.current = next;
                return std::move(ring.slots[next]);
            });
    }
    ring.switch_to(1);  // first entries, untimed
    for (auto _ : state) {
        ring.switch_to(1);  // once around the ring
    }
    ring.stop = true;
    ring.switch_to(1);  // every fiber returns
    state.SetItemsProcessed(state.iterations() * (kYieldMany + 1));
}

// Create a fiber on a pooled stack, run it to its end, back: the floor of spawn.
void raw_context_spawn(benchmark::State& state) {
    static double rss = 0;
    report_rss(state, rss, [] {
        auto& pool = leak<ctx::pooled_fixedsize_stack>(kStackSize);
        auto& parked = leak<std::vector<ctx::fiber>>(kParked);  // touched before the baseline
        const long before = rss_bytes();
        for (auto& f : parked) {
            f = ctx::fiber(std::allocator_arg, pool, [](ctx::fiber&& caller) {
                caller = std::move(caller).resume();  // park
                return std::move(caller);
            });
            f = std::move(f).resume();  // started, suspended
        }
        return static_cast<double>(rss_bytes() - before) / kParked;
    });

    ctx::pooled_fixedsize_stack pool(kStackSize);
    auto body = [](ctx::fiber&& caller) { return std::move(caller); };
    ctx::fiber(std::allocator_arg, pool, body).resume();  // the pool's first block, untimed
    for (auto _ : state) {
        ctx::fiber f(std::allocator_arg, pool, body);
        f = std::move(f).resume();  // runs to its end: f is empty again
        benchmark::DoNotOptimize(f);
    }
    state.SetItemsProcessed(state.iterations());
}

// 10,000 fibers resumed one after the other by main, each switching straight
// back: one tasklet-frame is two switches and no scheduler at all.
void raw_context_frame_10k(benchmark::State& state) {
    ctx::pooled_fixedsize_stack pool(kStackSize);
    bool stop = false;
    std::vector<ctx::fiber> fibers(kFrameTasklets);
    for (auto& f : fibers) {
        f = ctx::fiber(std::allocator_arg, pool, [&stop](ctx::fiber&& caller) {
            while (!stop) caller = std::move(caller).resume();
            return std::move(caller);
        });
    }
    for (auto& f : fibers) f = std::move(f).resume();
    for (auto _ : state) {
        for (auto& f : fibers) f = std::move(f).resume();
    }
    stop = true;
    for (auto& f : fibers) f = std::move(f).resume();
    state.SetItemsProcessed(state.iterations() * kFrameTasklets);
}

}  // namespace bench
