// The frame loop: Scheduler::run_frame(budget), frame(), next_frame() and
// sleep_frames(n). This is Spindle's built-in form of the EVE game loop
// (reference §5): wake the sleepers whose frame has come, then run the queue
// as a watchdog with a total tick budget; a tasklet cut off by the budget
// stays at the head of the queue and runs first next frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "spindle/tasklets.hpp"

namespace {

using spindle::Channel;
using spindle::Scheduler;
using spindle::Tasklet;
using spindle::TaskletExit;
using Log = std::vector<std::string>;

std::string name(const Tasklet& t) { return t ? t.name() : "None"; }

template <class F, class... Args>
Tasklet mk(const std::string& nm, F&& f, Args&&... args) {
    Tasklet t = spindle::spawn(std::forward<F>(f), std::forward<Args>(args)...);
    t.set_name(nm);
    return t;
}

std::string at(const Scheduler& s, const std::string& what) { return std::to_string(s.frame()) + " " + what; }

void safe_points(int n) {
    for (int i = 0; i < n; ++i) spindle::preemption_point();
}

TEST(Frames, FrameCountStartsAtZeroAndRunFrameAdvancesIt) {
    Scheduler s;
    EXPECT_EQ(s.frame(), 0);
    EXPECT_FALSE(s.run_frame());
    EXPECT_FALSE(s.run_frame(10));
    EXPECT_EQ(s.frame(), 2);
    EXPECT_EQ(s.getruncount(), 1);
}

TEST(Frames, SleepersWakeAtTheirFrameInFifoOrder) {
    Log log;
    Scheduler s;
    auto sleeper = [&](std::string nm, std::int64_t frames) {
        log.push_back(at(s, nm + " sleeps " + std::to_string(frames)));
        spindle::sleep_frames(frames);
        log.push_back(at(s, nm + " wakes"));
    };
    // Registered in this order; a and c are due at frame 3, b and d at frame 2.
    Tasklet a = mk("a", sleeper, std::string("a"), 2);
    mk("b", sleeper, std::string("b"), 1);
    mk("c", sleeper, std::string("c"), 2);
    mk("d", sleeper, std::string("d"), 1);
    for (int f = 0; f < 4; ++f) {
        if (f == 1) log.push_back(at(s, "a sleeping " + std::to_string(a.sleeping()) + " until " +
                                            std::to_string(a.wake_frame()) + " paused " + std::to_string(a.paused())));
        s.run_frame();
    }
    EXPECT_EQ(log, (Log{"1 a sleeps 2", "1 b sleeps 1", "1 c sleeps 2", "1 d sleeps 1", "1 a sleeping 1 until 3 paused 1",
                        "2 b wakes", "2 d wakes", "3 a wakes", "3 c wakes"}));
    EXPECT_FALSE(a.sleeping());
    EXPECT_EQ(a.wake_frame(), -1);
}

TEST(Frames, SameFrameWakesInRegistrationOrderNotDurationOrder) {
    Log log;
    Scheduler s;
    // In frame 1, "long" asks for 3 frames; in frame 3, "short" asks for 1:
    // both are due at frame 4, and "long" registered first.
    mk("long", [&] {
        spindle::sleep_frames(3);
        log.push_back(at(s, "long"));
    });
    mk("short", [&] {
        spindle::sleep_frames(2);
        spindle::next_frame();
        log.push_back(at(s, "short"));
    });
    for (int f = 0; f < 5; ++f) s.run_frame();
    EXPECT_EQ(log, (Log{"4 long", "4 short"}));
}

TEST(Frames, NextFrameYieldsOncePerFrame) {
    Log log;
    Scheduler s;
    auto ticker = [&](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(at(s, nm));
            spindle::next_frame();
        }
    };
    mk("a", ticker, std::string("a"), 3);
    mk("b", ticker, std::string("b"), 2);
    for (int f = 0; f < 4; ++f) s.run_frame();
    EXPECT_EQ(log, (Log{"1 a", "1 b", "2 a", "2 b", "3 a"}));
    EXPECT_EQ(s.stats().tasklets_finished, 2u);
}

TEST(Frames, SleepZeroFramesIsASchedule) {
    Log log;
    Scheduler s;
    auto worker = [&](std::string nm) {
        log.push_back(at(s, nm + " 1"));
        spindle::sleep_frames(0);
        log.push_back(at(s, nm + " 2"));
    };
    mk("a", worker, std::string("a"));
    mk("b", worker, std::string("b"));
    s.run_frame();
    EXPECT_EQ(log, (Log{"1 a 1", "1 b 1", "1 a 2", "1 b 2"}));
}

TEST(Frames, BudgetCutTaskletRunsFirstNextFrame) {
    Log log;
    Scheduler s;
    mk("a", [&] {
        for (int i = 0; i < 3; ++i) {
            log.push_back(at(s, "a"));
            spindle::next_frame();  // one tick
        }
    });
    mk("hog", [&] {
        safe_points(120);  // 49 + 50 + 21 ticks
        log.push_back(at(s, "hog done"));
    });
    for (int f = 0; f < 5; ++f) {
        Tasklet cut = s.run_frame(50);
        log.push_back(at(s, "returned " + name(cut)));
        if (cut) {
            // It stays queued, right after main: first in line for the next frame.
            std::vector<Tasklet> q = s.run_queue();
            log.push_back(at(s, "queue " + std::to_string(q.size()) + " next " + name(q.at(1))));
        }
    }
    // a was due at frame 2 but only runs in frame 3: the hog, cut off in frame 1,
    // goes first in frame 2 and spends the whole budget.
    EXPECT_EQ(log, (Log{"1 a", "1 returned hog", "1 queue 2 next hog", "2 returned hog", "2 queue 3 next hog",
                        "3 hog done", "3 a", "3 returned None", "4 a", "4 returned None", "5 returned None"}));
    EXPECT_EQ(s.ticks(), 123u);
}

TEST(Frames, BudgetCoversTheWholeFrame) {
    // The frame budget is a total (run()'s totaltimeout), not a per-tasklet slice.
    Log log;
    Scheduler s;
    auto worker = [&](std::string nm) {
        for (int i = 0; i < 3; ++i) {
            log.push_back(at(s, nm));
            safe_points(9);
            spindle::next_frame();  // the 10th tick
        }
    };
    mk("a", worker, std::string("a"));
    mk("b", worker, std::string("b"));
    mk("c", worker, std::string("c"));
    for (int f = 0; f < 4; ++f) {
        std::uint64_t before = s.ticks();
        Tasklet cut = s.run_frame(25);
        log.push_back(at(s, "cut " + name(cut) + " after " + std::to_string(s.ticks() - before)));
    }
    EXPECT_EQ(log, (Log{"1 a", "1 b", "1 c", "1 cut c after 25",
                        // c finishes frame 1's work first, then a and b do frame 2's
                        "2 a", "2 b", "2 cut b after 25",
                        // b was cut in its next_frame(): its frame has come, it goes on
                        "3 b", "3 c", "3 a", "3 cut a after 25",
                        // a finishes frame 3's work, b's loop ends, c does frame 4's
                        "4 c", "4 cut None after 15"}));
}

TEST(Frames, CutInsideNextFrameDoesNotLoseTheWakeup) {
    // A tasklet whose next_frame() is the tick that spends the budget stays at
    // the head of the queue. Its frame has come when it resumes, so it must go
    // on in that frame, not stay asleep for good.
    Log log;
    Scheduler s;
    Tasklet t = mk("t", [&] {
        for (int i = 0; i < 4; ++i) {
            log.push_back(at(s, "t"));
            safe_points(4);
            spindle::next_frame();  // the 5th tick
        }
        log.push_back(at(s, "t done"));
    });
    for (int f = 0; f < 6; ++f) {
        Tasklet cut = s.run_frame(5);
        log.push_back(at(s, "cut " + name(cut)));
    }
    EXPECT_EQ(log, (Log{"1 t", "1 cut t", "2 t", "2 cut t", "3 t", "3 cut t", "4 t", "4 cut t", "5 t done",
                        "5 cut None", "6 cut None"}));
    EXPECT_FALSE(t.alive());
}

TEST(Frames, KilledSleeperNeverWakes) {
    Log log;
    Scheduler s;
    auto sleeper = [&](std::string nm) {
        struct Finally {
            Log& log;
            Scheduler& s;
            std::string text;
            ~Finally() { log.push_back(at(s, text)); }
        } fin{log, s, nm + " unwound"};
        try {
            spindle::sleep_frames(2);
            log.push_back(at(s, nm + " woke"));
        } catch (const TaskletExit&) {
            log.push_back(at(s, nm + " killed in its sleep"));
            throw;
        }
    };
    Tasklet a = mk("a", sleeper, std::string("a"));
    Tasklet b = mk("b", sleeper, std::string("b"));
    Tasklet c = mk("c", sleeper, std::string("c"));
    s.run_frame();
    a.kill();      // runs now
    b.kill(true);  // dies on its turn, in the next frame
    log.push_back(at(s, "b sleeping " + std::to_string(b.sleeping()) + " scheduled " + std::to_string(b.scheduled())));
    for (int f = 0; f < 3; ++f) s.run_frame();
    EXPECT_EQ(log, (Log{"1 a killed in its sleep", "1 a unwound", "1 b sleeping 0 scheduled 1",
                        "2 b killed in its sleep", "2 b unwound", "3 c woke", "3 c unwound"}));
    EXPECT_FALSE(a.alive());
    EXPECT_FALSE(b.alive());
}

TEST(Frames, InsertedSleeperWakesEarlyAndItsOldWakeupIsIgnored) {
    Log log;
    Scheduler s;
    Tasklet a = mk("a", [&] {
        log.push_back(at(s, "a sleeps until 6"));
        spindle::sleep_frames(5);
        log.push_back(at(s, "a woke; sleeps 4"));
        spindle::sleep_frames(4);
        log.push_back(at(s, "a woke again"));
    });
    s.run_frame();
    s.run_frame();
    a.insert();  // wake it early, from outside
    log.push_back(at(s, "inserted: sleeping " + std::to_string(a.sleeping())));
    for (int f = 0; f < 6; ++f) s.run_frame();
    // The stale wakeup at frame 6 must not wake the second sleep (due at 7).
    EXPECT_EQ(log, (Log{"1 a sleeps until 6", "2 inserted: sleeping 0", "3 a woke; sleeps 4", "7 a woke again"}));
}

TEST(Frames, SleepersAndChannelsMix) {
    // A producer that paces itself by frames feeds a consumer over a channel.
    Log log;
    Scheduler s;
    Channel<int> ch;
    mk("consumer", [&] {
        for (int i = 0; i < 3; ++i) log.push_back(at(s, "got " + std::to_string(ch.receive())));
    });
    mk("producer", [&] {
        for (int i = 1; i <= 3; ++i) {
            spindle::sleep_frames(2);
            ch.send(i);
        }
    });
    for (int f = 0; f < 7; ++f) s.run_frame();
    EXPECT_EQ(log, (Log{"3 got 1", "5 got 2", "7 got 3"}));
    EXPECT_EQ(ch.balance(), 0);
}

// A deterministic pseudo-random workload: sleeps, spins, channel traffic and
// a frame budget. Returns the event log with the tick count of every event.
struct Recording {
    Log log;
    std::uint64_t ticks;
    std::uint64_t switches;
    std::int64_t frames;
};

Recording record_workload() {
    Recording r;
    Scheduler s;
    Channel<int> ch;
    std::uint32_t seed = 12345;
    auto next = [&seed](std::uint32_t bound) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % bound;
    };
    auto note = [&](const std::string& what) {
        r.log.push_back(std::to_string(s.frame()) + ":" + std::to_string(s.ticks()) + " " + what);
    };
    for (int i = 0; i < 20; ++i) {
        std::string nm = "t" + std::to_string(i);
        mk(nm, [&, nm, rounds = 3 + static_cast<int>(next(5))] {
            for (int k = 0; k < rounds; ++k) {
                note(nm + " round " + std::to_string(k));
                safe_points(static_cast<int>(next(40)));
                switch (next(4)) {
                    case 0: spindle::sleep_frames(1 + next(3)); break;
                    case 1: spindle::schedule(); break;
                    case 2: ch.send(k); break;
                    default: note(nm + " got " + std::to_string(ch.receive())); break;
                }
            }
            note(nm + " done");
        });
    }
    for (int f = 0; f < 200; ++f) {
        Tasklet cut = s.run_frame(60);
        if (cut) note("cut " + cut.name());
    }
    r.ticks = s.ticks();
    r.switches = s.stats().switches;
    r.frames = s.frame();
    return r;
}

TEST(Frames, IdenticalRunsProduceIdenticalLogsAndTicks) {
    Recording first = record_workload();
    Recording second = record_workload();
    ASSERT_GT(first.log.size(), 60u);
    EXPECT_EQ(first.log, second.log);
    EXPECT_EQ(first.ticks, second.ticks);
    EXPECT_EQ(first.switches, second.switches);
    EXPECT_EQ(first.frames, second.frames);
    // The workload does exercise budget cuts.
    EXPECT_NE(std::count_if(first.log.begin(), first.log.end(),
                            [](const std::string& line) { return line.find(" cut ") != std::string::npos; }),
              0);
}

TEST(Frames, TenThousandTaskletsEachYieldOncePerFrame) {
    constexpr int kTasklets = 10000;
    constexpr int kFrames = 3;
    Scheduler s(spindle::StackPoolOptions{.stack_size = 64 * 1024, .max_cached = 1000});
    std::vector<int> order;
    order.reserve(kTasklets * kFrames);
    for (int i = 0; i < kTasklets; ++i) {
        spindle::spawn([&order](int id) {
            for (int f = 0; f < kFrames; ++f) {
                order.push_back(id);
                spindle::next_frame();
            }
        }, i);
    }
    for (int f = 1; f <= kFrames; ++f) {
        EXPECT_FALSE(s.run_frame());
        EXPECT_EQ(s.stacks().mapped(), static_cast<std::size_t>(kTasklets));  // all alive, one stack each
        ASSERT_EQ(order.size(), static_cast<std::size_t>(kTasklets) * f) << "frame " << f;
        // Every tasklet ran exactly once this frame, in creation (FIFO) order.
        for (int i = 0; i < kTasklets; ++i) {
            ASSERT_EQ(order[static_cast<std::size_t>(kTasklets) * (f - 1) + i], i) << "frame " << f;
        }
    }
    EXPECT_FALSE(s.run_frame());  // the last next_frame() returns and every body ends
    EXPECT_EQ(s.stats().tasklets_finished, static_cast<std::uint64_t>(kTasklets));
    EXPECT_EQ(s.getruncount(), 1);
    // Finished stacks go back to the pool, up to max_cached; the rest are unmapped.
    EXPECT_EQ(s.stacks().cached(), 1000u);
    EXPECT_EQ(s.stacks().mapped(), 1000u);
}

}  // namespace
