// run() as a watchdog: timeouts, soft and total budgets, atomic sections,
// nested run() calls and round-robin time slices, translated from the
// Stackless 3.7 oracle (tests/scripts/stackless/watchdog_atomic.py).
//
// Python ticks per bytecode; native tasklets tick only at safe points
// (schedule(), channel operations, preemption_point()), so a Python busy loop
// becomes a preemption_point() loop. Spindle's ticks are counted, not timed,
// so where the oracle only says "far beyond the budget" these tests can pin
// the exact tick at which a tasklet is cut off.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "spindle/tasklets.hpp"

namespace {

using spindle::Channel;
using spindle::RunOptions;
using spindle::Scheduler;
using spindle::Tasklet;
using spindle::ValueError;
using Log = std::vector<std::string>;

std::string py(bool b) { return b ? "True" : "False"; }

std::string flags(const Tasklet& t) {
    return "alive=" + py(t.alive()) + " blocked=" + py(t.blocked()) + " scheduled=" + py(t.scheduled()) +
           " paused=" + py(t.paused());
}

std::string name(const Tasklet& t) { return t ? t.name() : "None"; }

std::string queue_names(const Scheduler& s) {
    std::string out;
    for (const Tasklet& t : s.run_queue()) out += (out.empty() ? "" : " ") + name(t);
    return out;
}

template <class F, class... Args>
Tasklet mk(const std::string& nm, F&& f, Args&&... args) {
    Tasklet t = spindle::spawn(std::forward<F>(f), std::forward<Args>(args)...);
    t.set_name(nm);
    return t;
}

RunOptions timeout(std::int64_t ticks) { return RunOptions{.timeout = ticks}; }

const std::string kDead = "alive=False blocked=False scheduled=False paused=False";
const std::string kRunnable = "alive=True blocked=False scheduled=True paused=False";
const std::string kPaused = "alive=True blocked=False scheduled=False paused=True";

// watchdog_atomic.py busy(): never yields, only passes safe points.
auto make_busy(Log& log, const bool& stop) {
    return [&log, &stop](std::string nm) {
        log.push_back(nm + " starts busy loop");
        while (!stop) spindle::preemption_point();
        log.push_back(nm + " busy loop stopped");
    };
}

// watchdog_atomic.py chatty(): yields after every line.
auto make_chatty(Log& log) {
    return [&log](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " " + std::to_string(i));
            spindle::schedule();
        }
        log.push_back(nm + " end");
    };
}

void safe_points(int n) {
    for (int i = 0; i < n; ++i) spindle::preemption_point();
}

// ---------------------------------------------------------------------------
// run(timeout)
// ---------------------------------------------------------------------------

TEST(Watchdog, TimeoutReturnsTheInterruptedTaskletPaused) {
    // oracle: watchdog_atomic.py "run(n) interrupts a busy tasklet and returns it"
    Log log;
    bool stop = false;
    Scheduler s;
    Tasklet a = mk("a", make_busy(log, stop), std::string("a"));
    Tasklet v = s.run(timeout(100));
    log.push_back("run returned " + name(v) + " " + flags(v));
    log.push_back("next " + name(v.next()) + " prev " + name(v.prev()) + " runcount " +
                  std::to_string(s.getruncount()));
    log.push_back("main " + flags(s.getmain()));
    log.push_back("ticks " + std::to_string(s.ticks()));  // cut off at its 100th safe point
    stop = true;
    v.insert();
    s.run();
    log.push_back("a " + flags(a));
    EXPECT_EQ(log, (Log{"a starts busy loop", "run returned a " + kPaused, "next None prev None runcount 1",
                        "main " + kRunnable, "ticks 100", "a busy loop stopped", "a " + kDead}));
    EXPECT_EQ(s.stats().preemptions, 1u);
}

TEST(Watchdog, TwoBusyTaskletsAreVictimsInTurn) {
    // oracle: watchdog_atomic.py "run(n) with two busy tasklets: round robin of victims"
    Log log;
    bool stop = false;
    Scheduler s;
    Tasklet a = mk("a", make_busy(log, stop), std::string("a"));
    Tasklet b = mk("b", make_busy(log, stop), std::string("b"));
    Tasklet v = s.run(timeout(100));
    log.push_back("victim 1 " + name(v) + " runcount " + std::to_string(s.getruncount()) + " b " + flags(b));
    v.insert();
    v = s.run(timeout(100));
    log.push_back("victim 2 " + name(v) + " a " + flags(a));
    v.insert();
    v = s.run(timeout(100));
    log.push_back("victim 3 " + name(v));
    stop = true;
    v.insert();
    v = s.run(timeout(100));
    log.push_back("final run returned " + name(v));
    EXPECT_EQ(log, (Log{"a starts busy loop", "victim 1 a runcount 2 b " + kRunnable, "b starts busy loop",
                        "victim 2 b a " + kRunnable, "victim 3 a", "b busy loop stopped", "a busy loop stopped",
                        "final run returned None"}));
    // The budget is per time slice: each victim had exactly 100 ticks.
    EXPECT_EQ(s.ticks(), 300u);
}

TEST(Watchdog, CooperativeTaskletsFinishAndRunReturnsNothing) {
    // oracle: watchdog_atomic.py "run(n) with cooperative tasklets returns None"
    Log log;
    Scheduler s;
    mk("x", make_chatty(log), std::string("x"), 3);
    mk("y", make_chatty(log), std::string("y"), 2);
    Tasklet v = s.run(timeout(1000));
    log.push_back("run returned " + name(v));
    EXPECT_EQ(log, (Log{"x 0", "y 0", "x 1", "y 1", "x 2", "y end", "x end", "run returned None"}));
}

TEST(Watchdog, KillingTheVictimUnwindsIt) {
    // oracle: watchdog_atomic.py "kill the returned victim"
    Log log;
    bool stop = false;
    Scheduler s;
    auto busy = make_busy(log, stop);
    mk("a", [&](std::string nm) {
        struct Finally {
            Log& log;
            std::string text;
            ~Finally() { log.push_back(text); }
        } fin{log, nm + " finally"};
        busy(nm);
    }, std::string("a"));
    Tasklet v = s.run(timeout(100));
    log.push_back("victim " + name(v));
    v.kill();
    log.push_back("after kill " + flags(v));
    EXPECT_EQ(log, (Log{"a starts busy loop", "victim a", "a finally", "after kill " + kDead}));
}

TEST(Watchdog, TotalTimeoutCoversTheWholeRun) {
    // oracle: watchdog_atomic.py "totaltimeout with tasklets that schedule forever".
    // Stackless leaves open which one is cut off; Spindle's count says q: p and q
    // tick alternately from 1, so q spends the 1000th tick.
    Scheduler s;
    auto forever = [] {
        for (;;) spindle::schedule();
    };
    Tasklet p = mk("p", forever);
    Tasklet q = mk("q", forever);
    Tasklet v = s.run(RunOptions{.timeout = 1000, .totaltimeout = true});
    Log log{"run returned " + name(v) + " " + flags(v), "runcount " + std::to_string(s.getruncount()),
            "queue " + queue_names(s), "ticks " + std::to_string(s.ticks())};
    p.kill();
    q.kill();
    log.push_back("killed " + flags(p) + " " + flags(q));
    EXPECT_EQ(log, (Log{"run returned q " + kPaused, "runcount 2", "queue main p", "ticks 1000",
                        "killed " + kDead + " " + kDead}));
}

TEST(Watchdog, PerSliceTimeoutNeverFiresForCooperativeTasklets) {
    // reference §5: without totaltimeout the watermark is reset at every switch,
    // so two tasklets that each yield within their budget are never cut off.
    Scheduler s;
    int rounds = 0;
    auto worker = [&] {
        for (int i = 0; i < 500; ++i) {
            safe_points(8);
            spindle::schedule();  // the 9th tick of this slice
            ++rounds;
        }
    };
    mk("p", worker);
    mk("q", worker);
    Tasklet v = s.run(timeout(10));
    EXPECT_FALSE(v);
    EXPECT_EQ(rounds, 1000);
    EXPECT_EQ(s.ticks(), 9000u);
    EXPECT_EQ(s.stats().preemptions, 0u);
}

TEST(Watchdog, SoftTimeoutWaitsForTheNextSchedule) {
    // oracle: watchdog_atomic.py "soft interrupt waits for the next schedule()"
    Log log;
    Scheduler s;
    Tasklet a = mk("a", [&](std::string nm) {
        log.push_back(nm + " starts");
        safe_points(3000);  // far past the budget: soft mode never cuts here
        log.push_back(nm + " yields");
        spindle::schedule();
        log.push_back(nm + " resumed");
    }, std::string("a"));
    Tasklet b = mk("b", make_chatty(log), std::string("b"), 1);
    Tasklet v = s.run(RunOptions{.timeout = 100, .soft = true});
    log.push_back("run(soft) returned " + name(v));
    log.push_back("a " + flags(a) + " b " + flags(b));
    log.push_back("queue " + queue_names(s));
    s.run();
    EXPECT_EQ(log, (Log{"a starts", "a yields", "run(soft) returned None", "a " + kRunnable + " b " + kRunnable,
                        "queue main b a", "b 0", "a resumed", "b end"}));
    EXPECT_EQ(s.stats().preemptions, 0u);
}

TEST(Watchdog, SoftInterruptIsPassedOnByAPreferenceHandOff) {
    // Extra oracle probe (Stackless 3.7), "soft interrupt passed on by a
    // preference hand-off": the send switches to the receiver at once (a
    // NO_SOFT_IRQ switch), so the receiver's next schedule() goes to main.
    Log log;
    Scheduler s;
    Channel<int> ch;
    mk("r", [&](std::string nm) {
        log.push_back(nm + " waiting");
        int v = ch.receive();
        log.push_back(nm + " got " + std::to_string(v));
        spindle::schedule();
        log.push_back(nm + " resumed");
    }, std::string("r"));
    mk("s", [&](std::string nm) {
        log.push_back(nm + " starts");
        safe_points(3000);
        log.push_back(nm + " sends");
        ch.send(1);
        log.push_back(nm + " after send");
    }, std::string("s"));
    mk("x", [&](std::string nm) {
        log.push_back(nm + " runs");
        spindle::schedule();
        log.push_back(nm + " end");
    }, std::string("x"));
    Tasklet v = s.run(RunOptions{.timeout = 100, .soft = true});
    log.push_back("run returned " + name(v) + " queue " + queue_names(s));
    s.run();
    EXPECT_EQ(log, (Log{"r waiting", "s starts", "s sends", "r got 1", "run returned None queue main x s r", "x runs",
                        "s after send", "r resumed", "x end"}));
}

TEST(Watchdog, SoftInterruptIsTakenWhenTheTaskletBlocksOrEnds) {
    // Extra oracle probe (Stackless 3.7), "soft interrupt taken when the busy
    // tasklet blocks" and "soft: busy tasklet ends".
    Log log;
    Scheduler s;
    Channel<int> ch;
    auto x = [&](std::string nm) {
        log.push_back(nm + " runs");
        spindle::schedule();
        log.push_back(nm + " end");
    };
    Tasklet b = mk("b", [&](std::string nm) {
        log.push_back(nm + " starts");
        safe_points(3000);
        log.push_back(nm + " blocks");
        int got = ch.receive();
        log.push_back(nm + " got " + std::to_string(got));
    }, std::string("b"));
    mk("x", x, std::string("x"));
    Tasklet v = s.run(RunOptions{.timeout = 100, .soft = true});
    log.push_back("run returned " + name(v) + " b " + flags(b) + " queue " + queue_names(s));
    ch.send(5);
    s.run();
    mk("e", [&](std::string nm) {
        log.push_back(nm + " starts");
        safe_points(3000);
        log.push_back(nm + " ends");
    }, std::string("e"));
    mk("x", x, std::string("x"));
    v = s.run(RunOptions{.timeout = 100, .soft = true});
    log.push_back("run returned " + name(v) + " queue " + queue_names(s));
    s.run();
    EXPECT_EQ(log, (Log{"b starts", "b blocks",
                        "run returned None b alive=True blocked=True scheduled=True paused=False queue main x",
                        "b got 5", "x runs", "x end", "e starts", "e ends", "run returned None queue main x", "x runs",
                        "x end"}));
}

// ---------------------------------------------------------------------------
// Atomic sections
// ---------------------------------------------------------------------------

TEST(Atomic, GuardDefersPreemptionToTheFirstSafePointAfterTheSection) {
    // oracle: watchdog_atomic.py "atomic defers preemption"
    Log log;
    bool stop = false;
    Scheduler s;
    std::uint64_t section_end = 0;
    auto busy = make_busy(log, stop);
    mk("a", [&](std::string nm) {
        log.push_back(nm + " atomic before " + py(spindle::getcurrent().atomic()));
        {
            spindle::Atomic atomic;
            log.push_back(nm + " atomic inside " + py(spindle::getcurrent().atomic()));
            safe_points(10000);
            log.push_back(nm + " atomic section done");
            section_end = s.ticks();
        }
        safe_points(20);  // short_loop(): cut at its first safe point
        log.push_back(nm + " atomic after " + py(spindle::getcurrent().atomic()));
        busy(nm);
    }, std::string("a"));
    Tasklet v = s.run(timeout(1000));
    log.push_back("victim " + name(v) + " " + flags(v));
    log.push_back("cut off " + std::to_string(s.ticks() - section_end) + " tick after the section");
    stop = true;
    v.insert();
    s.run();
    EXPECT_EQ(log, (Log{"a atomic before False", "a atomic inside True", "a atomic section done",
                        "victim a " + kPaused, "cut off 1 tick after the section", "a atomic after False",
                        "a starts busy loop", "a busy loop stopped"}));
}

TEST(Atomic, ClearingTheFlagLetsThePendingInterruptFire) {
    // oracle: watchdog_atomic.py "clearing atomic with a pending interrupt"
    Log log;
    Scheduler s;
    std::uint64_t cleared_at = 0;
    mk("a", [&](std::string nm) {
        spindle::getcurrent().set_atomic(true);
        safe_points(10000);
        log.push_back(nm + " clears atomic");
        spindle::getcurrent().set_atomic(false);
        cleared_at = s.ticks();
        safe_points(20);
        log.push_back(nm + " after clearing atomic");
    }, std::string("a"));
    Tasklet v = s.run(timeout(1000));
    log.push_back("victim " + name(v) + " " + flags(v) + " after " + std::to_string(s.ticks() - cleared_at));
    v.insert();
    s.run();
    EXPECT_EQ(log, (Log{"a clears atomic", "victim a " + kPaused + " after 1", "a after clearing atomic"}));
}

TEST(Atomic, SetAtomicReturnsTheOldValueAndGuardsNest) {
    // oracle: watchdog_atomic.py "set_atomic returns the old value"
    Scheduler s;
    Tasklet main = s.getmain();
    EXPECT_FALSE(main.set_atomic(true));
    EXPECT_TRUE(main.atomic());
    EXPECT_TRUE(main.set_atomic(false));
    EXPECT_FALSE(main.atomic());
    {
        spindle::Atomic outer;
        {
            spindle::Atomic inner;
            EXPECT_TRUE(main.atomic());
        }
        EXPECT_TRUE(main.atomic());  // the inner guard restores the outer's state
    }
    EXPECT_FALSE(main.atomic());
}

TEST(Atomic, TaskletEndingWhileAtomicIsNeverInterrupted) {
    // oracle: watchdog_atomic.py "atomic tasklet is not interrupted even past the budget"
    Log log;
    Scheduler s;
    mk("a", [&](std::string nm) {
        spindle::getcurrent().set_atomic(true);
        safe_points(3000);
        log.push_back(nm + " finished while atomic");
    }, std::string("a"));
    mk("b", make_chatty(log), std::string("b"), 1);
    Tasklet v = s.run(timeout(100));
    log.push_back("run returned " + name(v));
    EXPECT_EQ(log, (Log{"a finished while atomic", "b 0", "b end", "run returned None"}));
    EXPECT_EQ(s.stats().preemptions, 0u);
}

TEST(Atomic, SwitchTrapAlsoDefersPreemption) {
    // reference §5: a tasklet is interruptible only while switch_trap == 0.
    Scheduler s;
    std::uint64_t released_at = 0;
    mk("a", [&] {
        s.switch_trap(1);
        safe_points(500);
        s.switch_trap(-1);
        released_at = s.ticks();
        safe_points(500);
    });
    Tasklet v = s.run(timeout(100));
    ASSERT_TRUE(v);
    EXPECT_EQ(v.name(), "a");
    EXPECT_EQ(s.ticks(), released_at + 1);
    v.kill();
}

// ---------------------------------------------------------------------------
// Nested run()
// ---------------------------------------------------------------------------

TEST(NestedRun, InnerRunReturnsWhenTheQueueEmpties) {
    // oracle: watchdog_atomic.py "nested run() inside a tasklet"
    Log log;
    Scheduler s;
    mk("n", [&](std::string nm) {
        log.push_back(nm + " calls run(); main " + flags(s.getmain()));
        Tasklet r = s.run();
        log.push_back(nm + " run() returned " + name(r) + " runcount " + std::to_string(s.getruncount()));
    }, std::string("n"));
    mk("x", make_chatty(log), std::string("x"), 2);
    mk("y", make_chatty(log), std::string("y"), 1);
    s.run();
    log.push_back("outer run() returned");
    EXPECT_EQ(log, (Log{"n calls run(); main " + kPaused, "x 0", "y 0", "x 1", "y end", "x end",
                        "n run() returned None runcount 1", "outer run() returned"}));
}

TEST(NestedRun, ErrorGoesToTheInnermostRun) {
    // oracle: watchdog_atomic.py "error propagates to the innermost run()"
    Log log;
    Scheduler s;
    mk("n", [&](std::string nm) {
        try {
            s.run();
            log.push_back(nm + " not reached");
        } catch (const ValueError& e) {
            log.push_back(nm + " inner run() raised " + e.what());
        }
        log.push_back(nm + " queue " + queue_names(s));
    }, std::string("n"));
    mk("f", [&](std::string nm) {
        log.push_back(nm + " raises");
        throw ValueError(nm);
    }, std::string("f"));
    mk("x", make_chatty(log), std::string("x"), 1);
    s.run();
    log.push_back("outer run() returned");
    EXPECT_EQ(log, (Log{"f raises", "n inner run() raised f", "n queue n x", "x 0", "x end",
                        "outer run() returned"}));
}

TEST(NestedRun, OuterTimeoutPreemptsInsideANestedRun) {
    // oracle: watchdog_atomic.py "timeout of the outer run() preempts inside a nested run()"
    Log log;
    bool stop = false;
    Scheduler s;
    Tasklet n = mk("n", [&](std::string nm) {
        log.push_back(nm + " calls run()");
        Tasklet r = s.run();
        log.push_back(nm + " run() returned " + name(r));
    }, std::string("n"));
    Tasklet b = mk("b", make_busy(log, stop), std::string("b"));
    Tasklet v = s.run(timeout(100));
    log.push_back("outer run returned " + name(v) + " b " + flags(b));
    log.push_back("n " + flags(n) + " queue " + queue_names(s));
    stop = true;
    if (v) v.insert();
    s.run();
    EXPECT_EQ(log, (Log{"n calls run()", "b starts busy loop", "outer run returned b b " + kPaused,
                        "n " + kRunnable + " queue main n", "n run() returned None", "b busy loop stopped"}));
}

TEST(NestedRun, InnerTimeoutIsIgnoredWhileAnOuterOneOwnsTheInterrupt) {
    // reference §1 run() nesting: "Only the outermost call that has a timeout
    // installs the interrupt; inner timeouts are ignored".
    Log log;
    bool stop = false;
    Scheduler s;
    mk("n", [&](std::string nm) {
        Tasklet r = s.run(timeout(10));  // would cut b after 10 ticks if it counted
        log.push_back(nm + " inner run() returned " + name(r));
    }, std::string("n"));
    mk("b", make_busy(log, stop), std::string("b"));
    Tasklet v = s.run(timeout(100));
    log.push_back("outer run returned " + name(v) + " ticks " + std::to_string(s.ticks()));
    stop = true;
    v.insert();
    s.run();
    EXPECT_EQ(log, (Log{"b starts busy loop", "outer run returned b ticks 100", "n inner run() returned None",
                        "b busy loop stopped"}));
}

// ---------------------------------------------------------------------------
// set_time_slice: round-robin preemption without a watchdog
// ---------------------------------------------------------------------------

// Run-length encodes who executed each iteration: "a10 b10 ...".
std::string runs(const std::vector<std::string>& trace) {
    std::string out;
    for (std::size_t i = 0; i < trace.size();) {
        std::size_t j = i;
        while (j < trace.size() && trace[j] == trace[i]) ++j;
        out += (out.empty() ? "" : " ") + trace[i] + std::to_string(j - i);
        i = j;
    }
    return out;
}

auto make_spinner(std::vector<std::string>& trace) {
    return [&trace](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            trace.push_back(nm);
            spindle::preemption_point();
        }
    };
}

TEST(TimeSlice, BusyTaskletsTakeTurnsEverySliceExactly) {
    std::vector<std::string> trace;
    Scheduler s;
    s.set_time_slice(10);
    mk("a", make_spinner(trace), std::string("a"), 25);
    mk("b", make_spinner(trace), std::string("b"), 25);
    Tasklet v = s.run();
    EXPECT_FALSE(v);
    EXPECT_EQ(runs(trace), "a10 b10 a10 b10 a5 b5");
    EXPECT_EQ(s.stats().preemptions, 4u);
    EXPECT_EQ(s.time_slice(), 10);
}

TEST(TimeSlice, MatchesTheStacklessAutoSchedulingLoop) {
    // reference §5 auto-scheduling (demo/autoscheduling.py, test_watchdog):
    // `while runcount > 1: t = run(N); if t: t.insert()` gives the same
    // round robin as a time slice of N.
    std::vector<std::string> sliced, looped;
    {
        Scheduler s;
        s.set_time_slice(7);
        for (const char* nm : {"a", "b", "c"}) mk(nm, make_spinner(sliced), std::string(nm), 20);
        s.run();
    }
    {
        Scheduler s;
        for (const char* nm : {"a", "b", "c"}) mk(nm, make_spinner(looped), std::string(nm), 20);
        while (s.getruncount() > 1) {
            if (Tasklet t = s.run(timeout(7))) t.insert();
        }
    }
    EXPECT_EQ(runs(sliced), "a7 b7 c7 a7 b7 c7 a6 b6 c6");
    EXPECT_EQ(sliced, looped);
}

TEST(TimeSlice, AtomicSectionIsNotSliced) {
    std::vector<std::string> trace;
    Scheduler s;
    s.set_time_slice(10);
    auto spin = make_spinner(trace);
    mk("a", [&](std::string nm) {
        {
            spindle::Atomic atomic;
            spin(nm, 25);
        }
        spin(nm, 5);  // sliced at its first safe point
    }, std::string("a"));
    mk("b", spin, std::string("b"), 20);
    s.run();
    EXPECT_EQ(runs(trace), "a26 b10 a4 b10");
}

TEST(TimeSlice, YieldingRestartsTheSliceAndMainIsNeverSliced) {
    std::vector<std::string> trace;
    Scheduler s;
    s.set_time_slice(5);
    auto spin = make_spinner(trace);
    mk("a", [&](std::string nm) {
        spin(nm, 3);
        spindle::schedule();  // the 4th tick; b starts with a fresh slice of 5
        spin(nm, 4);
    }, std::string("a"));
    mk("b", spin, std::string("b"), 8);
    // Main stays in the queue and spins too: it is never moved to the back.
    spin("main", 12);
    s.run();
    EXPECT_EQ(runs(trace), "main12 a3 b5 a4 b3");
    EXPECT_EQ(s.stats().preemptions, 1u);

    s.set_time_slice(0);  // off
    trace.clear();
    mk("c", spin, std::string("c"), 30);
    mk("d", spin, std::string("d"), 30);
    s.run();
    EXPECT_EQ(runs(trace), "c30 d30");
}

}  // namespace
