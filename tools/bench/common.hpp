// Shared setup of spindle-bench-native. Every side gets the same conditions:
//
//   * stacks of kStackSize (64 KiB) usable bytes, taken from a pool that
//     recycles them (spindle::StackPool; boost::fibers/boost::context
//     pooled_fixedsize_stack). Spindle's pool adds a PROT_NONE guard page per
//     stack, Boost's pools do not; neither costs anything once a stack is
//     pooled, and a guard page is never resident.
//   * every benchmark builds its own scheduler / fibers and tears them down
//     (Spindle: one spindle::Scheduler per run of the benchmark function;
//     Boost.Fiber: every fiber is joined before the function returns, because
//     its scheduler is thread-global).
//   * work that happens once (first stack mapping, first entry into a fiber)
//     is done before the timed loop.
//
// Units: each benchmark calls SetItemsProcessed(operations), so
// items_per_second (per CPU second) is operations per second and
// 1e9 / items_per_second is the time of one operation:
//   yield_2, yield_1000  one switch (one schedule() / this_fiber::yield() /
//                        one resume()), with 2 or 1000 workers (+ main)
//   pingpong             one round trip over two unbuffered int channels
//   spawn                one spawn of a no-op tasklet/fiber until it finished
//   frame_10k            one tasklet-frame: 10,000 tasklets each waiting for
//                        the next frame once per frame
// The spawn cases also report rss_per_tasklet: resident bytes per parked
// (started, blocked) tasklet, measured in a forked child over kParked tasklets.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <functional>
#include <utility>

namespace bench {

inline constexpr std::size_t kStackSize = 64 * 1024;
inline constexpr int kYieldMany = 1000;
inline constexpr int kFrameTasklets = 10'000;
inline constexpr int kParked = 10'000;

// Resident set size of this process in bytes (/proc/self/statm).
long rss_bytes();

// Runs `park` in a forked child (so the measurement neither inherits this
// process's freed-but-resident heap nor leaves anything behind) and returns
// its result: `park` sets up its runtime, reads rss_bytes() right before it
// creates kParked tasklets, leaves them all started and blocked, and returns
// (rss_bytes() - before) / kParked. Negative on failure. The child exits
// without any teardown, so `park` keeps its runtime in leak()ed objects.
double rss_per_parked(const std::function<double()>& park);

// An object that lives until the (child) process exits.
template <class T, class... Args>
T& leak(Args&&... args) {
    return *new T(std::forward<Args>(args)...);
}

// Cached per side: the measurement costs a fork and 10k tasklets, so it is
// done once per process and attached to every run of the spawn benchmark.
void report_rss(benchmark::State& state, double& cache, const std::function<double()>& park);

// Each side's benchmarks (names are registered in main.cpp).
void spindle_yield_2(benchmark::State& state);
void spindle_yield_1000(benchmark::State& state);
void spindle_pingpong(benchmark::State& state);
void spindle_spawn(benchmark::State& state);
void spindle_frame_10k(benchmark::State& state);

void boost_fiber_yield_2(benchmark::State& state);
void boost_fiber_yield_1000(benchmark::State& state);
void boost_fiber_pingpong(benchmark::State& state);
void boost_fiber_spawn(benchmark::State& state);
void boost_fiber_frame_10k(benchmark::State& state);

void raw_context_yield_2(benchmark::State& state);
void raw_context_yield_1000(benchmark::State& state);
void raw_context_spawn(benchmark::State& state);
void raw_context_frame_10k(benchmark::State& state);

}  // namespace bench
