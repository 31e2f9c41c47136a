// Boost.Fiber with its default round_robin scheduler on this thread, and
// fibers on boost::fibers::pooled_fixedsize_stack of kStackSize bytes. The
// fiber scheduler is thread-global, so every benchmark joins all of its fibers
// before it returns.
#include <boost/fiber/all.hpp>
#include <vector>

#include "common.hpp"

namespace bench {
namespace {

namespace fibers = boost::fibers;

}  // namespace

// main <-> one fiber; every this_fiber::yield() is one switch.
void boost_fiber_yield_2(benchmark::State& state) {
    fibers::pooled_fixedsize_stack pool(kStackSize);
    bool stop = false;
    fibers::fiber worker(std::allocator_arg, pool, [&stop] {
        while (!stop) boost::this_fiber::yield();
    });
    boost::this_fiber::yield();  // first entry, untimed
    for (auto _ : state) {
        boost::this_fiber::yield();  // main -> worker -> main
    }
    stop = true;
    worker.join();
    state.SetItemsProcessed(state.iterations() * 2);
}

// main + 1000 fibers in the ready queue: one yield of main is 1001 switches.
void boost_fiber_yield_1000(benchmark::State& state) {
    fibers::pooled_fixedsize_stack pool(kStackSize);
    bool stop = false;
    std::vector<fibers::fiber> workers;
    workers.reserve(kYieldMany);
    for (int i = 0; i < kYieldMany; ++i) {
        workers.emplace_back(std::allocator_arg, pool, [&stop] {
            while (!stop) boost::this_fiber::yield();
        });
    }
    boost::this_fiber::yield();
    for (auto _ : state) {
        boost::this_fiber::yield();
    }
    stop = true;
    for (auto& w : workers) w.join();
    state.SetItemsProcessed(state.iterations() * (kYieldMany + 1));
}

// One round trip over two unbuffered_channel<int>, as in the Spindle case.
void boost_fiber_pingpong(benchmark::State& state) {
    fibers::pooled_fixedsize_stack pool(kStackSize);
    fibers::unbuffered_channel<int> ping, pong;
    fibers::fiber echo(std::allocator_arg, pool, [&ping, &pong] {
        int v = 0;
        while (ping.pop(v) == fibers::channel_op_status::success) pong.push(v + 1);
    });
    boost::this_fiber::yield();  // the echo fiber starts and blocks on ping
    int value = 0;
    for (auto _ : state) {
        ping.push(value);
        pong.pop(value);
        benchmark::DoNotOptimize(value);
    }
    ping.close();
    echo.join();
    state.SetItemsProcessed(state.iterations());
}

// Spawn a no-op fiber and join it (launch::post: it runs when main waits).
void boost_fiber_spawn(benchmark::State& state) {
    static double rss = 0;
    report_rss(state, rss, [] {
        auto& pool = leak<fibers::pooled_fixedsize_stack>(kStackSize);
        auto& gate = leak<fibers::unbuffered_channel<int>>();
        boost::this_fiber::yield();  // this thread's fiber scheduler exists before the baseline
        auto& handles = leak<std::vector<fibers::fiber>>(kParked);  // touched before the baseline
        const long before = rss_bytes();
        for (auto& h : handles) {
            h = fibers::fiber(std::allocator_arg, pool, [&gate] {
                int v;
                gate.pop(v);
            });
        }
        boost::this_fiber::yield();  // every fiber starts and blocks on `gate`
        return static_cast<double>(rss_bytes() - before) / kParked;
    });

    fibers::pooled_fixedsize_stack pool(kStackSize);
    fibers::fiber(std::allocator_arg, pool, [] {}).join();  // the pool's first block, untimed
    for (auto _ : state) {
        fibers::fiber f(std::allocator_arg, pool, [] {});
        f.join();
    }
    state.SetItemsProcessed(state.iterations());
}

// The closest equivalent of a frame: 10,000 fibers that each yield once per
// round. round_robin is FIFO, so one yield of main lets every fiber run
// exactly once before main runs again (10,001 switches, like Spindle's frame
// of 10,000 tasklets plus the watchdog).
void boost_fiber_frame_10k(benchmark::State& state) {
    fibers::pooled_fixedsize_stack pool(kStackSize);
    bool stop = false;
    std::vector<fibers::fiber> workers;
    workers.reserve(kFrameTasklets);
    for (int i = 0; i < kFrameTasklets; ++i) {
        workers.emplace_back(std::allocator_arg, pool, [&stop] {
            while (!stop) boost::this_fiber::yield();
        });
    }
    boost::this_fiber::yield();
    for (auto _ : state) {
        boost::this_fiber::yield();
    }
    stop = true;
    for (auto& w : workers) w.join();
    state.SetItemsProcessed(state.iterations() * kFrameTasklets);
}

}  // namespace bench
