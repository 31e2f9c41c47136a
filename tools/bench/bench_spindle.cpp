// Spindle: native tasklets on Boost.Context fibers, driven from the main
// tasklet exactly as an application would (spindle::schedule(), Channel<int>,
// spawn + run(), next_frame() + Scheduler::run_frame()).
#include <vector>

#include "common.hpp"
#include "spindle/tasklets.hpp"

namespace bench {
namespace {

spindle::StackPoolOptions stacks() {
    spindle::StackPoolOptions options;
    options.stack_size = kStackSize;  // same usable size as the Boost pools
    return options;
}

}  // namespace

// main <-> one worker; every schedule() is one switch.
void spindle_yield_2(benchmark::State& state) {
    spindle::Scheduler s(stacks());
    bool stop = false;
    spindle::spawn([&stop] {
        while (!stop) spindle::schedule();
    });
    spindle::schedule();  // first entry: stack and fiber creation, untimed
    for (auto _ : state) {
        spindle::schedule();  // main -> worker -> main
    }
    stop = true;
    s.run();
    state.SetItemsProcessed(state.iterations() * 2);
}

// main + 1000 workers in the run queue: one schedule() of main is 1001 switches.
void spindle_yield_1000(benchmark::State& state) {
    spindle::Scheduler s(stacks());
    bool stop = false;
    for (int i = 0; i < kYieldMany; ++i) {
        spindle::spawn([&stop] {
            while (!stop) spindle::schedule();
        });
    }
    spindle::schedule();
    for (auto _ : state) {
        spindle::schedule();
    }
    stop = true;
    s.run();
    state.SetItemsProcessed(state.iterations() * (kYieldMany + 1));
}

// One round trip: main sends on `ping`, the echo tasklet receives and sends
// the value + 1 back on `pong`. Default preference (-1, prefer the receiver).
void spindle_pingpong(benchmark::State& state) {
    spindle::Scheduler s(stacks());
    {
        spindle::Channel<int> ping, pong;
        spindle::spawn([ping, pong]() mutable {
            for (;;) {
                int v = ping.receive();
                if (v < 0) break;
                pong.send(v + 1);
            }
        });
        s.run();  // the echo tasklet starts and blocks on ping
        int value = 0;
        for (auto _ : state) {
            ping.send(value);
            value = pong.receive();
            benchmark::DoNotOptimize(value);
        }
        ping.send(-1);  // it finishes
        s.run();
    }
    state.SetItemsProcessed(state.iterations());
}

// Spawn a no-op tasklet and run it to completion: spawn + switch in (a pooled
// stack, fresh fiber) + finish + switch back + release.
void spindle_spawn(benchmark::State& state) {
    static double rss = 0;
    report_rss(state, rss, [] {
        auto& s = leak<spindle::Scheduler>(stacks());
        auto& gate = leak<spindle::Channel<int>>();
        auto& handles = leak<std::vector<spindle::Tasklet>>(kParked);  // touched before the baseline
        const long before = rss_bytes();
        for (auto& h : handles) {
            h = spindle::spawn([&gate] { gate.receive(); });
        }
        s.run();  // every tasklet starts and blocks on `gate`
        return static_cast<double>(rss_bytes() - before) / kParked;
    });

    spindle::Scheduler s(stacks());
    spindle::spawn([] {});
    s.run();  // maps the one stack the loop will reuse
    for (auto _ : state) {
        spindle::spawn([] {});
        s.run();
    }
    state.SetItemsProcessed(state.iterations());
}

// 10,000 tasklets, each calling next_frame() once per frame; one iteration is
// one Scheduler::run_frame().
void spindle_frame_10k(benchmark::State& state) {
    spindle::Scheduler s(stacks());
    bool stop = false;
    for (int i = 0; i < kFrameTasklets; ++i) {
        spindle::spawn([&stop] {
            while (!stop) spindle::next_frame();
        });
    }
    s.run_frame();  // all start and go to sleep
    for (auto _ : state) {
        s.run_frame();
    }
    stop = true;
    s.run_frame();  // all finish
    state.SetItemsProcessed(state.iterations() * kFrameTasklets);
}

}  // namespace bench
