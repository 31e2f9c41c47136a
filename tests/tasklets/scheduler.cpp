// The run queue and switching, as real Stackless 3.7 behaves
// (tests/scripts/stackless: schedule_order.py, callbacks.py).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "oracle.hpp"
#include "spindle/tasklets.hpp"

namespace {

using oracle::flags;
using oracle::Log;
using oracle::mk;
using oracle::Names;
using oracle::py;
using oracle::queue_names;
using spindle::Payload;
using spindle::Tasklet;

TEST(Scheduler, RoundRobinOrder) {
    spindle::Scheduler s;
    std::vector<std::string> log;
    auto worker = [&](std::string name) {
        for (int i = 0; i < 3; ++i) {
            log.push_back(name + std::to_string(i));
            spindle::schedule();
        }
    };
    spindle::spawn(worker, std::string("a"));
    spindle::spawn(worker, std::string("b"));
    s.run();
    EXPECT_EQ(log, (std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"}));
    EXPECT_EQ(s.getruncount(), 1);
}

// schedule_order.py's looper(nm, n)
struct Looper {
    Log& log;
    void operator()(const std::string& nm, int n) const {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " " + std::to_string(i));
            spindle::schedule();
        }
        log.push_back(nm + " end");
    }
};

std::string runcount() { return std::to_string(spindle::getruncount()); }

// oracle: schedule_order.py "round robin under run()"
TEST(Scheduler, RoundRobinUnderRunDropsFinishedTasklets) {
    Log log;
    spindle::Scheduler s;
    Looper looper{log};
    spindle::spawn(looper, "a", 3);
    spindle::spawn(looper, "b", 2);
    spindle::spawn(looper, "c", 1);
    log.push_back("runcount " + runcount());
    s.run();
    log.push_back("after run runcount " + runcount());
    EXPECT_EQ(log, (Log{"runcount 4", "a 0", "b 0", "c 0", "a 1", "b 1", "c end", "a 2", "b end", "a end",
                        "after run runcount 1"}));
}

// oracle: schedule_order.py "round robin with main in the queue"
TEST(Scheduler, ScheduleFromMainRunsEveryOtherTaskletOnce) {
    Log log;
    spindle::Scheduler s;
    Looper looper{log};
    spindle::spawn(looper, "a", 2);
    spindle::spawn(looper, "b", 2);
    log.push_back("main before schedule");
    spindle::schedule();
    log.push_back("main after first schedule");
    spindle::schedule();
    log.push_back("main after second schedule");
    spindle::schedule();
    log.push_back("main after third schedule, runcount " + runcount());
    EXPECT_EQ(log, (Log{
                       "main before schedule",
                       "a 0",
                       "b 0",
                       "main after first schedule",
                       "a 1",
                       "b 1",
                       "main after second schedule",
                       "a end",
                       "b end",
                       "main after third schedule, runcount 1",
                   }));
}

// oracle: schedule_order.py "getruncount inside tasklets"
TEST(Scheduler, GetruncountCountsMainOnlyWhileQueued) {
    Log log;
    spindle::Scheduler s;
    auto counter = [&](std::string nm) {
        log.push_back(nm + " runcount " + runcount() + " main scheduled " + py(spindle::getmain().scheduled()));
    };
    spindle::spawn(counter, "x");
    spindle::spawn(counter, "y");
    s.run();
    spindle::spawn(counter, "x");
    spindle::spawn(counter, "y");
    spindle::schedule();
    spindle::schedule();
    log.push_back("main runcount " + runcount());
    EXPECT_EQ(log, (Log{
                       "x runcount 2 main scheduled False",
                       "y runcount 1 main scheduled False",
                       "x runcount 3 main scheduled True",
                       "y runcount 2 main scheduled True",
                       "main runcount 1",
                   }));
}

std::string str(const Payload& p) {
    if (p.empty()) return "None";
    return p.get<std::string>();
}

// oracle: schedule_order.py "schedule retval and schedule_remove + insert".
// Stackless's schedule() without an argument returns the current tasklet;
// Spindle's default retval is an empty payload (None), so that case reads
// "schedule() returned None" here.
TEST(Scheduler, ScheduleRetvalAndScheduleRemoveWithTempval) {
    Log log;
    spindle::Scheduler s;
    Names names;
    Tasklet r = mk(names, "r", [&] {
        Payload v = spindle::schedule(Payload::of(std::string("sched-retval")));
        log.push_back("schedule returned " + str(v));
        v = spindle::schedule(Payload());
        log.push_back("schedule() returned " + str(v));
        v = spindle::schedule_remove(Payload::of(std::string("remove-retval")));
        log.push_back("schedule_remove returned " + str(v));
        v = spindle::schedule_remove(Payload::of(std::string("remove-retval-2")));
        log.push_back("schedule_remove returned " + str(v));
        log.push_back("remover end");
    });
    s.run();
    log.push_back("r " + flags(r) + " runcount " + runcount());
    r.insert();
    log.push_back("r inserted " + flags(r) + " runcount " + runcount());
    r.set_tempval(Payload::of(std::string("tempval-set-by-main")));
    s.run();
    log.push_back("r " + flags(r));
    r.insert();
    s.run();
    log.push_back("r " + flags(r));
    EXPECT_EQ(log, (Log{
                       "schedule returned sched-retval",
                       "schedule() returned None",
                       "r alive=True paused=True scheduled=False blocked=False runcount 1",
                       "r inserted alive=True paused=False scheduled=True blocked=False runcount 2",
                       "schedule_remove returned tempval-set-by-main",
                       "r alive=True paused=True scheduled=False blocked=False",
                       "schedule_remove returned remove-retval-2",
                       "remover end",
                       "r alive=False paused=False scheduled=False blocked=False",
                   }));
}

// schedule_order.py's forever(nm)
struct Forever {
    Log& log;
    const Names& names;
    void operator()(const std::string& nm) const {
        for (;;) {
            log.push_back(nm + " next " + names(spindle::getcurrent().next()) + " main.scheduled " +
                          py(spindle::getmain().scheduled()));
            spindle::schedule();
        }
    }
};

// oracle: schedule_order.py "tasklet.run on queued targets (t1/t2/t3)"
TEST(Scheduler, RunOnQueuedTargetsRotatesTheRing) {
    Log log;
    spindle::Scheduler s;
    Names names;
    names.add(spindle::getmain(), "main");
    Forever forever{log, names};
    Tasklet t1 = mk(names, "t1", forever, "t1");
    Tasklet t2 = mk(names, "t2", forever, "t2");
    Tasklet t3 = mk(names, "t3", forever, "t3");
    log.push_back("queue " + queue_names(names));
    t1.run();
    log.push_back("main back after t1.run(); queue " + queue_names(names));
    t2.run();
    log.push_back("main back after t2.run(); queue " + queue_names(names));
    t3.run();
    log.push_back("main back after t3.run(); queue " + queue_names(names));
    log.push_back("- kill t1 (queued)");
    t1.kill();
    log.push_back("- kill t2 (queued)");
    t2.kill();
    log.push_back("- kill t3 (queued)");
    t3.kill();
    log.push_back("runcount " + runcount());
    EXPECT_EQ(log, (Log{
                       "queue main t1 t2 t3",
                       "t1 next t2 main.scheduled True",
                       "t2 next t3 main.scheduled True",
                       "t3 next main main.scheduled True",
                       "main back after t1.run(); queue main t1 t2 t3",
                       "t2 next t3 main.scheduled True",
                       "t3 next main main.scheduled True",
                       "main back after t2.run(); queue main t1 t2 t3",
                       "t3 next main main.scheduled True",
                       "main back after t3.run(); queue main t1 t2 t3",
                       "- kill t1 (queued)",
                       "t2 next t3 main.scheduled True",
                       "t3 next main main.scheduled True",
                       "- kill t2 (queued)",
                       "t3 next main main.scheduled True",
                       "- kill t3 (queued)",
                       "runcount 1",
                   }));
}

// oracle: schedule_order.py "tasklet.run on a non-queued target"
TEST(Scheduler, RunOnAPausedTargetInsertsItBeforeTheCaller) {
    Log log;
    spindle::Scheduler s;
    Names names;
    names.add(spindle::getmain(), "main");
    Forever forever{log, names};
    Tasklet t1 = mk(names, "t1", forever, "t1");
    Tasklet t2 = mk(names, "t2", forever, "t2");
    Tasklet t3 = mk(names, "t3", forever, "t3");
    t2.remove();
    log.push_back("t2 removed " + flags(t2) + " queue " + queue_names(names));
    t2.run();
    log.push_back("main back after t2.run(); queue " + queue_names(names));
    log.push_back("- kill t1 (queued)");
    t1.kill();
    log.push_back("- kill t2 (queued)");
    t2.kill();
    log.push_back("- kill t3 (queued)");
    t3.kill();
    EXPECT_EQ(log, (Log{
                       "t2 removed alive=True paused=True scheduled=False blocked=False queue main t1 t3",
                       "t2 next main main.scheduled True",
                       "main back after t2.run(); queue main t1 t3 t2",
                       "- kill t1 (queued)",
                       "t3 next t2 main.scheduled True",
                       "t2 next main main.scheduled True",
                       "- kill t2 (queued)",
                       "- kill t3 (queued)",
                   }));
    EXPECT_EQ(spindle::getruncount(), 1);
}

// oracle: schedule_order.py "run on a bound but paused tasklet"
TEST(Scheduler, RunOnATaskletBoundWithArguments) {
    Log log;
    spindle::Scheduler s;
    Names names;
    names.add(spindle::getmain(), "main");
    Looper looper{log};
    Tasklet p = Tasklet::create();
    names.add(p, "p");
    p.bind(looper, "p", 2);
    log.push_back("p " + flags(p));
    mk(names, "x", looper, "x", 2);
    p.run();
    log.push_back("main back; queue " + queue_names(names));
    s.run();
    EXPECT_EQ(log, (Log{
                       "p alive=True paused=True scheduled=False blocked=False",
                       "p 0",
                       "main back; queue main x p",
                       "x 0",
                       "p 1",
                       "x 1",
                       "p end",
                       "x end",
                   }));
}

// oracle: schedule_order.py "switch"
TEST(Scheduler, SwitchPausesTheCaller) {
    Log log;
    spindle::Scheduler s;
    Names names;
    names.add(spindle::getmain(), "main");
    Looper looper{log};
    auto switcher = [&](std::string nm) {
        Tasklet main = spindle::getmain();
        log.push_back(nm + " running; main " + flags(main));
        log.push_back(nm + " queue " + queue_names(names));
        main.switch_to();
        log.push_back(nm + " resumed by switch; main " + flags(main));
        main.insert();
        log.push_back(nm + " end");
    };
    Tasklet st = mk(names, "s", switcher, "s");
    mk(names, "o", looper, "o", 3);
    st.switch_to();
    log.push_back("main back; s " + flags(st) + " queue " + queue_names(names));
    st.switch_to();
    log.push_back("main back again; s " + flags(st) + " queue " + queue_names(names));
    s.run();
    EXPECT_EQ(log, (Log{
                       "s running; main alive=True paused=True scheduled=False blocked=False",
                       "s queue s o",
                       "main back; s alive=True paused=True scheduled=False blocked=False queue main o",
                       "s resumed by switch; main alive=True paused=True scheduled=False blocked=False",
                       "s end",
                       "o 0",
                       "main back again; s alive=False paused=False scheduled=False blocked=False queue main o",
                       "o 1",
                       "o 2",
                       "o end",
                   }));
}

// ------------------------------------------------------ schedule callback

// callbacks.py's chatty(nm, n) and sched_cb
struct Traced {
    Log log;
    Names names;
    spindle::Scheduler s;
    Traced() { names.add(spindle::getmain(), "main"); }
    void chatty(const std::string& nm, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " " + std::to_string(i));
            spindle::schedule();
        }
        log.push_back(nm + " end");
    }
    Tasklet mk_chatty(const std::string& nm, int n) {
        return mk(names, nm, [this](std::string name, int count) { chatty(name, count); }, nm, n);
    }
    void trace() {
        s.set_schedule_callback([this](const Tasklet& prev, const Tasklet& next) {
            log.push_back("  switch " + names(prev) + " -> " + names(next));
        });
    }
};

// oracle: callbacks.py "set/get schedule callback"
TEST(ScheduleCallback, SetReturnsTheOldCallback) {
    spindle::Scheduler s;
    EXPECT_FALSE(s.schedule_callback());
    int calls = 0;
    auto cb = [&](const Tasklet&, const Tasklet&) { ++calls; };
    spindle::ScheduleCallback old = s.set_schedule_callback(cb);
    EXPECT_FALSE(old);
    EXPECT_TRUE(s.schedule_callback());
    spindle::spawn([] {});
    spindle::schedule();
    EXPECT_EQ(calls, 2);
    old = s.set_schedule_callback(nullptr);
    ASSERT_TRUE(old);
    EXPECT_FALSE(s.schedule_callback());
    old(spindle::getmain(), spindle::getmain());  // the old callback is handed back, not a copy of nothing
    EXPECT_EQ(calls, 3);
}

// oracle: callbacks.py "schedule() round robin with main in the queue"
TEST(ScheduleCallback, RoundRobinWithMainInTheQueue) {
    Traced t;
    t.trace();
    t.mk_chatty("a", 1);
    t.mk_chatty("b", 1);
    spindle::schedule();
    t.log.push_back("main back");
    spindle::schedule();
    t.log.push_back("main back again");
    EXPECT_EQ(t.log, (Log{
                         "  switch main -> a",
                         "a 0",
                         "  switch a -> b",
                         "b 0",
                         "  switch b -> main",
                         "main back",
                         "  switch main -> a",
                         "a end",
                         "  switch a -> b",
                         "b end",
                         "  switch b -> main",
                         "main back again",
                     }));
}

// oracle: callbacks.py "run() with tasklets ending" and "schedule() with nothing else runnable"
TEST(ScheduleCallback, RunWithTaskletsEnding) {
    Traced t;
    t.trace();
    t.mk_chatty("a", 1);
    t.mk_chatty("b", 0);
    t.s.run();
    t.log.push_back("run returned");
    spindle::schedule();
    t.log.push_back("main continues");
    EXPECT_EQ(t.log, (Log{
                         "  switch main -> a",
                         "a 0",
                         "  switch a -> b",
                         "b end",
                         "  switch b -> a",
                         "a end",
                         "  switch a -> main",
                         "run returned",
                         "main continues",
                     }));
}

// oracle: callbacks.py "channel hand-off, preference -1" and "main blocks on receive"
TEST(ScheduleCallback, ChannelHandOffs) {
    Traced t;
    t.trace();
    spindle::Channel<int> ch;
    auto receiver = [&](std::string nm) {
        t.log.push_back(nm + " receiving");
        int v = ch.receive();
        t.log.push_back(nm + " got " + std::to_string(v));
    };
    auto sender = [&](std::string nm, int v) {
        t.log.push_back(nm + " sending " + std::to_string(v));
        ch.send(v);
        t.log.push_back(nm + " sent " + std::to_string(v));
    };
    mk(t.names, "r", receiver, "r");
    mk(t.names, "s", sender, "s", 1);
    t.s.run();
    t.log.push_back("---");
    mk(t.names, "s", sender, "s", 2);
    t.log.push_back("main got " + std::to_string(ch.receive()));
    t.s.run();
    EXPECT_EQ(t.log, (Log{
                         "  switch main -> r",
                         "r receiving",
                         "  switch r -> s",
                         "s sending 1",
                         "  switch s -> r",
                         "r got 1",
                         "  switch r -> s",
                         "s sent 1",
                         "  switch s -> main",
                         "---",
                         "  switch main -> s",
                         "s sending 2",
                         "  switch s -> main",
                         "main got 2",
                         "  switch main -> s",
                         "s sent 2",
                         "  switch s -> main",
                     }));
}

// oracle: callbacks.py "kill, insert, remove, switch"
TEST(ScheduleCallback, KillInsertRemoveSwitch) {
    Traced t;
    t.trace();
    Tasklet victim = t.mk_chatty("t", 5);
    spindle::schedule();
    t.log.push_back("main: remove t");
    victim.remove();
    t.log.push_back("main: insert t");
    victim.insert();
    t.log.push_back("main: kill t");
    victim.kill();
    Tasklet u = t.mk_chatty("u", 1);
    t.log.push_back("main: u.switch()");
    u.switch_to();
    t.log.push_back("main back");
    EXPECT_EQ(t.log, (Log{
                         "  switch main -> t",
                         "t 0",
                         "  switch t -> main",
                         "main: remove t",
                         "main: insert t",
                         "main: kill t",
                         "  switch main -> t",
                         "  switch t -> main",
                         "main: u.switch()",
                         "  switch main -> u",
                         "u 0",
                         "u end",
                         "  switch u -> main",
                         "main back",
                     }));
}

// oracle: callbacks.py "current inside the schedule callback" (current is prev)
TEST(ScheduleCallback, CurrentIsPrevInsideTheCallback) {
    Traced t;
    t.s.set_schedule_callback([&](const Tasklet& prev, const Tasklet& next) {
        t.log.push_back("  switch " + t.names(prev) + " -> " + t.names(next) +
                        " current is prev: " + py(spindle::getcurrent() == prev));
    });
    t.mk_chatty("a", 0);
    spindle::schedule();
    EXPECT_EQ(t.log, (Log{
                         "  switch main -> a current is prev: True",
                         "a end",
                         "  switch a -> main current is prev: True",
                     }));
}

// getruncount() seen from the tasklets, from main and from inside the
// schedule callback, across run(), switch_to() and a tasklet that ends.
// oracle: extra Stackless 3.7 run "run/switch runcounts" and
// "schedule_remove from main with a tasklet that re-inserts main"
TEST(ScheduleCallback, RuncountAtEachSwitch) {
    Traced t;
    t.s.set_schedule_callback([&](const Tasklet& prev, const Tasklet& next) {
        t.log.push_back("  switch " + t.names(prev) + " -> " + t.names(next) + " rc " + runcount());
    });
    auto w = [&](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            t.log.push_back(nm + " " + std::to_string(i) + " rc " + runcount());
            spindle::schedule();
        }
        t.log.push_back(nm + " end rc " + runcount());
    };
    Tasklet a = mk(t.names, "a", w, "a", 2);
    Tasklet b = mk(t.names, "b", w, "b", 1);
    t.log.push_back("main rc " + runcount());
    b.remove();
    t.log.push_back("after remove rc " + runcount());
    b.run();
    t.log.push_back("main back rc " + runcount());
    a.switch_to();
    t.log.push_back("main back after switch rc " + runcount() + " main scheduled " +
                    py(spindle::getmain().scheduled()));
    t.s.run();
    t.log.push_back("after run rc " + runcount());
    mk(t.names, "v", [&] {
        t.log.push_back("v rc " + runcount() + " main paused " + py(spindle::getmain().paused()));
        spindle::getmain().insert();
        t.log.push_back("v inserted main rc " + runcount());
    });
    Payload r = spindle::schedule_remove(Payload::of(std::string("x")));
    t.log.push_back("main back " + str(r) + " rc " + runcount());
    r = spindle::schedule(Payload::of(std::string("alone")));
    t.log.push_back(str(r));
    EXPECT_EQ(t.log, (Log{
                         "main rc 3",
                         "after remove rc 2",
                         "  switch main -> b rc 3",
                         "b 0 rc 3",
                         "  switch b -> main rc 3",
                         "main back rc 3",
                         "  switch main -> a rc 2",
                         "a 0 rc 2",
                         "  switch a -> b rc 2",
                         "b end rc 2",
                         "  switch b -> a rc 1",
                         "a 1 rc 1",
                         "a end rc 1",
                         "  switch a -> main rc 1",
                         "main back after switch rc 1 main scheduled True",
                         "after run rc 1",
                         "  switch main -> v rc 1",
                         "v rc 1 main paused True",
                         "v inserted main rc 2",
                         "  switch v -> main rc 1",
                         "main back x rc 1",
                         "alone",
                     }));
}

// ------------------------------------------------------------ edge cases
// oracle: extra Stackless 3.7 runs, cases not in schedule_order.py

// "last runnable tasklet schedule_remove inside run()": run() returns, the
// tasklet is paused, and its schedule_remove returns the retval when re-inserted.
TEST(Scheduler, LastRunnableTaskletRemovesItselfInsideRun) {
    Log log;
    spindle::Scheduler s;
    Tasklet t = spindle::spawn([&] {
        log.push_back("sr before, rc " + runcount());
        Payload r = spindle::schedule_remove(Payload::of(std::string("v")));
        log.push_back("sr back " + str(r));
    });
    s.run();
    log.push_back("run returned; t " + flags(t) + " rc " + runcount());
    t.insert();
    s.run();
    log.push_back("t " + flags(t));
    EXPECT_EQ(log, (Log{
                       "sr before, rc 1",
                       "run returned; t alive=True paused=True scheduled=False blocked=False rc 1",
                       "sr back v",
                       "t alive=False paused=False scheduled=False blocked=False",
                   }));
}

// "main schedule_remove alone", "switch to the current tasklet", "run current":
// with nobody else runnable, main simply continues and stays queued.
TEST(Scheduler, MainAloneRemovesSwitchesOrRunsItself) {
    spindle::Scheduler s;
    Tasklet main = spindle::getmain();
    Payload r = spindle::schedule_remove(Payload::of(std::string("alone")));
    EXPECT_EQ(str(r) + " main " + flags(main) + " rc " + runcount(),
              "alone main alive=True paused=False scheduled=True blocked=False rc 1");
    main.switch_to();
    EXPECT_EQ("main " + flags(main) + " rc " + runcount(),
              "main alive=True paused=False scheduled=True blocked=False rc 1");
    main.run();
    EXPECT_EQ("main " + flags(main) + " rc " + runcount(),
              "main alive=True paused=False scheduled=True blocked=False rc 1");
}

// "tasklet runs main (main queued)": run() on a queued main rotates the ring to it.
TEST(Scheduler, TaskletRunsQueuedMain) {
    Log log;
    spindle::Scheduler s;
    spindle::spawn([&] {
        log.push_back("rm runs main");
        spindle::getmain().run();
        log.push_back("rm back");
    });
    spindle::schedule();
    log.push_back("main after schedule, rc " + runcount());
    spindle::schedule();
    log.push_back("main end rc " + runcount());
    EXPECT_EQ(log, (Log{"rm runs main", "main after schedule, rc 2", "rm back", "main end rc 1"}));
}

// "tasklet switches to another paused tasklet": the switcher is left paused
// when its target ends inside run().
TEST(Scheduler, TaskletSwitchesToAPausedTasklet) {
    Log log;
    spindle::Scheduler s;
    Tasklet a = spindle::spawn([&] {
        log.push_back("pa start");
        spindle::schedule_remove();
        log.push_back("pa resumed");
    });
    spindle::schedule();
    log.push_back("pa " + flags(a));
    Tasklet b = spindle::spawn([&] {
        log.push_back("sw switches");
        a.switch_to();
        log.push_back("sw back");
    });
    s.run();
    log.push_back("pa " + flags(a) + " sw " + flags(b) + " rc " + runcount());
    b.insert();
    s.run();
    log.push_back("sw " + flags(b));
    EXPECT_EQ(log, (Log{
                       "pa start",
                       "pa alive=True paused=True scheduled=False blocked=False",
                       "sw switches",
                       "pa resumed",
                       "pa alive=False paused=False scheduled=False blocked=False sw alive=True paused=True "
                       "scheduled=False blocked=False rc 1",
                       "sw back",
                       "sw alive=False paused=False scheduled=False blocked=False",
                   }));
}

// A stack that cannot be mapped: every switch to a tasklet that has never
// run fails with bad_alloc, and must leave the scheduler as it was.
spindle::StackPoolOptions unmappable_stacks() {
    spindle::StackPoolOptions options;
    options.stack_size = std::size_t{1} << 50;  // more address space than the machine has
    return options;
}

TEST(Scheduler, ASwitchWhoseStackCannotBeMadeChangesNothing) {
    spindle::Scheduler s(unmappable_stacks());
    spindle::Channel<int> ch;
    Tasklet t = spindle::spawn([] {});
    auto intact = [&] {
        EXPECT_TRUE(spindle::getcurrent().is_main());
        EXPECT_EQ(spindle::getruncount(), 2);
        EXPECT_TRUE(t.scheduled());
        EXPECT_FALSE(t.alive() && t.blocked());
        EXPECT_EQ(ch.balance(), 0);
        EXPECT_TRUE(spindle::getcurrent().tempval().empty());
    };
    EXPECT_THROW(spindle::schedule(), std::bad_alloc);
    intact();
    EXPECT_THROW(spindle::schedule(Payload::of(7)), std::bad_alloc);
    intact();
    EXPECT_THROW(ch.send(1), std::bad_alloc);
    intact();
    EXPECT_THROW(spindle::next_frame(), std::bad_alloc);
    intact();
    t.remove();  // lets the scheduler go without running it
}

}  // namespace
