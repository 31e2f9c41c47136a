// Tasklet lifecycle and attributes, as real Stackless 3.7 behaves
// (tests/scripts/stackless: schedule_order.py, kill_throw.py, errors_to_main.py).
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "oracle.hpp"
#include "spindle/tasklets.hpp"

namespace {

using oracle::error_of;
using oracle::flags;
using oracle::Log;
using oracle::mk;
using oracle::Names;
using oracle::tflags;
using spindle::Channel;
using spindle::RuntimeError;
using spindle::Tasklet;

// ---------------------------------------------------------------- states

TEST(Tasklet, NewTaskletHasNoFunction) {
    spindle::Scheduler s;
    Tasklet e0 = Tasklet::create();
    EXPECT_EQ(tflags(e0), "alive=False blocked=False scheduled=False paused=False");
    // oracle: schedule_order.py "insert new"
    EXPECT_EQ(error_of<RuntimeError>([&] { e0.insert(); }), "You cannot run an unbound(dead) tasklet");
    // oracle: errors_to_main.py "setup unbound"
    EXPECT_EQ(error_of<RuntimeError>([&] { e0.setup(); }), "the tasklet was not bound to a function");
    EXPECT_EQ(tflags(e0), "alive=False blocked=False scheduled=False paused=False");
    EXPECT_EQ(s.getruncount(), 1);
}

TEST(Tasklet, BoundWithoutArgumentsIsNotAlive) {
    Log log;
    spindle::Scheduler s;
    Tasklet t([&] { log.push_back("body"); });
    // oracle: kill_throw.py "kill a bound tasklet without arguments (not alive)"
    EXPECT_EQ(tflags(t), "alive=False blocked=False scheduled=False paused=False");
    t.kill();
    EXPECT_EQ(tflags(t), "alive=False blocked=False scheduled=False paused=False");
    // oracle: schedule_order.py "insert bound-only"
    EXPECT_EQ(error_of<RuntimeError>([&] { t.insert(); }), "You cannot run an unbound(dead) tasklet");
    // oracle: kill_throw.py "throw to bound-only tasklet"
    EXPECT_EQ(error_of<RuntimeError>([&] { t.raise_exception<std::invalid_argument>("x"); }),
              "You cannot throw to a dead tasklet");
    s.run();
    EXPECT_TRUE(log.empty());
}

// oracle: errors_to_main.py "bound with args" / "rebound paused"
TEST(Tasklet, BindWithArgumentsLeavesItPausedAndTheLastBindingWins) {
    Log log;
    spindle::Scheduler s;
    auto f = [&](int x) { log.push_back("f " + std::to_string(x)); };
    Tasklet p = Tasklet::create();  // a C++ function bound without arguments must be nullary
    p.bind(f, 5);
    EXPECT_EQ(tflags(p), "alive=True blocked=False scheduled=False paused=True");
    p.bind(f, 6);
    EXPECT_EQ(tflags(p), "alive=True blocked=False scheduled=False paused=True");
    EXPECT_EQ(s.getruncount(), 1);
    p.insert();
    s.run();
    EXPECT_EQ(log, (Log{"f 6"}));
}

// oracle: errors_to_main.py "bind / setup errors"
TEST(Tasklet, BindAndSetupErrors) {
    Log log;
    spindle::Scheduler s;
    auto f = [&](int x) { log.push_back("f " + std::to_string(x)); };
    EXPECT_EQ(error_of<RuntimeError>([&] { spindle::getcurrent().bind([] {}); }),
              "can't (re)bind the current tasklet");
    Tasklet t = spindle::spawn(f, 1);
    EXPECT_EQ(error_of<RuntimeError>([&] { t.bind([] {}); }), "tasklet is scheduled");
    EXPECT_EQ(error_of<RuntimeError>([&] { t.setup(); }), "tasklet is alive");
    EXPECT_EQ(error_of<RuntimeError>([&] { t(); }), "tasklet is alive");
    s.run();
    EXPECT_EQ(tflags(t), "alive=False blocked=False scheduled=False paused=False");
    // A tasklet that ran to completion has lost its function.
    EXPECT_EQ(error_of<RuntimeError>([&] { t.setup(); }), "the tasklet was not bound to a function");
    t.bind([&] { f(4); });
    t.setup();
    EXPECT_EQ(tflags(t), "alive=True blocked=False scheduled=True paused=False");
    s.run();
    EXPECT_EQ(log, (Log{"f 1", "f 4"}));
}

// oracle: errors_to_main.py "bind blocked"
TEST(Tasklet, BindOnBlockedTaskletIsScheduled) {
    Log log;
    spindle::Scheduler s;
    Channel<std::string> ch;
    Tasklet w = spindle::spawn([&] {
        log.push_back("w waiting");
        log.push_back("w got " + ch.receive());
    });
    s.run();
    log.push_back("bind blocked: " + error_of<RuntimeError>([&] { w.bind([] {}); }));
    ch.send("x");
    EXPECT_EQ(log, (Log{"w waiting", "bind blocked: tasklet is scheduled", "w got x"}));
}

// oracle: errors_to_main.py "tm bind main" (main is paused inside run())
TEST(Tasklet, BindMainFromATaskletHasCState) {
    Log log;
    spindle::Scheduler s;
    spindle::spawn([&] {
        Tasklet main = spindle::getmain();
        log.push_back("tm bind main: " + error_of<RuntimeError>([&] { main.unbind(); }));
        log.push_back("tm bind main with args: " + error_of<RuntimeError>([&] { main.bind([](int) {}, 1); }));
    });
    s.run();
    EXPECT_EQ(log, (Log{"tm bind main: tasklet has C state on its stack",
                        "tm bind main with args: tasklet has C state on its stack"}));
}

// Main merely scheduled away (not in run()) is in the run queue.
// oracle: extra Stackless 3.7 run: `main.bind(None)` from a tasklet while main is in schedule()
TEST(Tasklet, BindMainWhileItIsQueuedIsScheduled) {
    Log log;
    spindle::Scheduler s;
    spindle::spawn([&] {
        Tasklet main = spindle::getmain();
        log.push_back("bind main: " + error_of<RuntimeError>([&] { main.unbind(); }));
    });
    spindle::schedule();
    EXPECT_EQ(log, (Log{"bind main: tasklet is scheduled"}));
}

// A paused tasklet that never ran can be unbound; one that ran has its
// frames on a native stack. Stackless with hard switching refuses it the same
// way (an extra Stackless 3.7 run: enable_softswitch(False), then bind(None)
// on a paused tasklet: "tasklet has C state on its stack"); the soft-switched
// oracle case (kill_throw.py "unbind a paused tasklet") has no native equivalent.
TEST(Tasklet, UnbindPausedTasklet) {
    Log log;
    spindle::Scheduler s;
    Tasklet fresh = Tasklet::create();
    fresh.bind([&](int) { log.push_back("fresh runs"); }, 1);
    EXPECT_EQ(tflags(fresh), "alive=True blocked=False scheduled=False paused=True");
    fresh.unbind();
    EXPECT_EQ(tflags(fresh), "alive=False blocked=False scheduled=False paused=False");

    Tasklet t = spindle::spawn([&] {
        oracle::Finally fin([&] { log.push_back("t finally"); });
        log.push_back("t body starts");
        spindle::schedule();
        log.push_back("t after schedule");
    });
    spindle::schedule();
    t.remove();
    EXPECT_EQ(error_of<RuntimeError>([&] { t.unbind(); }), "tasklet has C state on its stack");
    EXPECT_EQ(tflags(t), "alive=True blocked=False scheduled=False paused=True");
    t.kill();
    EXPECT_EQ(log, (Log{"t body starts", "t finally"}));
}

// ------------------------------------------------------------ neighbours

// oracle: schedule_order.py "next/prev neighbours"
TEST(Tasklet, NextAndPrevFormARing) {
    Log log;
    spindle::Scheduler s;
    Names names;
    names.add(spindle::getmain(), "main");
    auto neighbours = [&](std::string nm) {
        Tasklet c = spindle::getcurrent();
        log.push_back(nm + " next " + names(c.next()) + " prev " + names(c.prev()));
        log.push_back(nm + " queue " + oracle::queue_names(names));
    };
    Tasklet a = mk(names, "a", neighbours, "a");
    Tasklet b = mk(names, "b", neighbours, "b");
    Tasklet main = spindle::getmain();
    log.push_back("main next " + names(main.next()) + " prev " + names(main.prev()));
    log.push_back("a next " + names(a.next()) + " prev " + names(a.prev()));
    log.push_back("main queue " + oracle::queue_names(names));
    s.run();
    log.push_back("after run: a next " + names(a.next()) + " main next " + names(main.next()));
    EXPECT_EQ(log, (Log{
                       "main next a prev b",
                       "a next b prev main",
                       "main queue main a b",
                       "a next b prev b",
                       "a queue a b",
                       "b next b prev b",
                       "b queue b",
                       "after run: a next None main next main",
                   }));
    EXPECT_EQ(main.prev(), main);
}

// ------------------------------------------------- insert/remove errors

// oracle: schedule_order.py "insert/remove errors and no-ops"
TEST(Tasklet, InsertRemoveErrorsAndNoOps) {
    Log log;
    spindle::Scheduler s;
    auto looper = [&](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " " + std::to_string(i));
            spindle::schedule();
        }
        log.push_back(nm + " end");
    };
    auto runtime_error = [&](const std::string& what, auto&& f) {
        log.push_back(what + ": " + error_of<RuntimeError>(f));
    };
    Channel<int> ch;
    Tasklet bl = spindle::spawn([&] { ch.receive(); });
    s.run();
    log.push_back("bl " + flags(bl));
    runtime_error("insert blocked", [&] { bl.insert(); });
    runtime_error("remove blocked", [&] { bl.remove(); });
    runtime_error("run blocked", [&] { bl.run(); });
    runtime_error("switch blocked", [&] { bl.switch_to(); });
    ch.send(0);
    log.push_back("bl " + flags(bl));
    runtime_error("insert dead", [&] { bl.insert(); });
    runtime_error("run dead", [&] { bl.run(); });
    log.push_back(std::string("remove dead returns self: ") + oracle::py(&bl.remove() == &bl));
    runtime_error("remove current", [&] { spindle::getcurrent().remove(); });
    Tasklet q = spindle::spawn(looper, "q", 1);
    q.insert();
    log.push_back("insert queued twice, runcount " + std::to_string(s.getruncount()));
    q.remove();
    q.remove();
    log.push_back("removed twice " + flags(q) + " runcount " + std::to_string(s.getruncount()));
    Tasklet n([&] { looper("n", 1); });
    runtime_error("insert bound-only", [&] { n.insert(); });
    Tasklet e0 = Tasklet::create();
    runtime_error("insert new", [&] { e0.insert(); });
    log.push_back("current insert is a no-op, runcount " + std::to_string(s.getruncount()));
    spindle::getcurrent().insert();
    log.push_back("runcount " + std::to_string(s.getruncount()));
    q.insert();
    s.run();
    log.push_back("done");
    EXPECT_EQ(log, (Log{
                       "bl alive=True paused=False scheduled=True blocked=True",
                       "insert blocked: You cannot run a blocked tasklet",
                       "remove blocked: You cannot remove a blocked tasklet.",
                       "run blocked: You cannot run a blocked tasklet",
                       "switch blocked: You cannot run a blocked tasklet",
                       "bl alive=False paused=False scheduled=False blocked=False",
                       "insert dead: You cannot run an unbound(dead) tasklet",
                       "run dead: You cannot run an unbound(dead) tasklet",
                       "remove dead returns self: True",
                       "remove current: The current tasklet cannot be removed.",
                       "insert queued twice, runcount 2",
                       "removed twice alive=True paused=True scheduled=False blocked=False runcount 1",
                       "insert bound-only: You cannot run an unbound(dead) tasklet",
                       "insert new: You cannot run an unbound(dead) tasklet",
                       "current insert is a no-op, runcount 1",
                       "runcount 1",
                       "q 0",
                       "q end",
                       "done",
                   }));
}

// oracle: extra Stackless 3.7 run "switch to dead / new"
TEST(Tasklet, SwitchToDeadOrNewTasklet) {
    spindle::Scheduler s;
    Tasklet d = spindle::spawn([] {});
    s.run();
    EXPECT_EQ(error_of<RuntimeError>([&] { d.switch_to(); }), "You cannot run an unbound(dead) tasklet");
    EXPECT_EQ(error_of<RuntimeError>([&] { Tasklet::create().switch_to(); }),
              "You cannot run an unbound(dead) tasklet");
    EXPECT_EQ(flags(spindle::getmain()), "alive=True paused=False scheduled=True blocked=False");
    EXPECT_EQ(s.getruncount(), 1);
}

// ------------------------------------------------------------ kill states

// The body of kill_throw.py: body(nm).
struct KillCase {
    Log log;
    spindle::Scheduler s;
    std::function<void(std::string)> body = [this](std::string nm) {
        oracle::Finally fin([this, nm] { log.push_back(nm + " finally"); });
        log.push_back(nm + " body starts");
        try {
            spindle::schedule();
            log.push_back(nm + " after schedule");
            spindle::schedule();
            log.push_back(nm + " body ends");
        } catch (const spindle::TaskletExit&) {
            log.push_back(nm + " got TaskletExit");
            throw;
        }
    };
    std::function<void(std::string)> other = [this](std::string nm) { log.push_back(nm + " runs"); };
    std::string runcount() const { return " runcount " + std::to_string(s.getruncount()); }
};

// oracle: kill_throw.py "kill a new tasklet that never ran"
TEST(Tasklet, KillNewTaskletThatNeverRan) {
    KillCase k;
    Tasklet t = spindle::spawn(k.body, "t");
    k.log.push_back("before " + tflags(t) + k.runcount());
    t.kill();
    k.log.push_back("after " + tflags(t) + k.runcount());
    k.s.run();
    EXPECT_EQ(k.log, (Log{
                         "before alive=True blocked=False scheduled=True paused=False runcount 2",
                         "after alive=False blocked=False scheduled=False paused=False runcount 1",
                     }));
}

// oracle: kill_throw.py "kill a runnable tasklet (pending=False)"
TEST(Tasklet, KillRunnableTasklet) {
    KillCase k;
    Tasklet t = spindle::spawn(k.body, "t");
    spindle::spawn(k.other, "x");
    spindle::schedule();
    k.log.push_back("main: t " + tflags(t));
    spindle::spawn(k.other, "y");
    t.kill();
    k.log.push_back("main after kill: t " + tflags(t));
    k.s.run();
    EXPECT_EQ(k.log, (Log{
                         "t body starts",
                         "x runs",
                         "main: t alive=True blocked=False scheduled=True paused=False",
                         "t got TaskletExit",
                         "t finally",
                         "y runs",
                         "main after kill: t alive=False blocked=False scheduled=False paused=False",
                     }));
}

// oracle: kill_throw.py "kill a runnable tasklet (pending=True)"
TEST(Tasklet, KillRunnableTaskletPending) {
    KillCase k;
    Tasklet t = spindle::spawn(k.body, "t");
    spindle::schedule();
    spindle::spawn(k.other, "y");
    t.kill(true);
    k.log.push_back("main after kill(pending=True): t " + tflags(t));
    k.s.run();
    k.log.push_back("t " + tflags(t));
    EXPECT_EQ(k.log, (Log{
                         "t body starts",
                         "main after kill(pending=True): t alive=True blocked=False scheduled=True paused=False",
                         "t got TaskletExit",
                         "t finally",
                         "y runs",
                         "t alive=False blocked=False scheduled=False paused=False",
                     }));
}

// kill_throw.py's blocked_body(nm, ch, sending)
void blocked_body(Log& log, Channel<std::string> ch, std::string nm, bool sending) {
    oracle::Finally fin([&log, nm] { log.push_back(nm + " finally"); });
    try {
        if (sending) {
            log.push_back(nm + " sending");
            ch.send(nm);
        } else {
            log.push_back(nm + " receiving");
            ch.receive();
        }
        log.push_back(nm + " not reached");
    } catch (const spindle::TaskletExit&) {
        log.push_back(nm + " TaskletExit inside channel op, balance " + std::to_string(ch.balance()));
        throw;
    }
}

// oracle: kill_throw.py "kill a blocked receiver (pending=False)"
TEST(Tasklet, KillBlockedReceiver) {
    KillCase k;
    Channel<std::string> ch;
    Tasklet b = spindle::spawn([&] { blocked_body(k.log, ch, "b", false); });
    k.s.run();
    spindle::spawn(k.other, "y");
    k.log.push_back("before " + tflags(b) + " balance " + std::to_string(ch.balance()));
    b.kill();
    k.log.push_back("after " + tflags(b) + " balance " + std::to_string(ch.balance()));
    k.s.run();
    EXPECT_EQ(k.log, (Log{
                         "b receiving",
                         "before alive=True blocked=True scheduled=True paused=False balance -1",
                         "b TaskletExit inside channel op, balance 0",
                         "b finally",
                         "after alive=False blocked=False scheduled=False paused=False balance 0",
                         "y runs",
                     }));
}

// oracle: kill_throw.py "kill a blocked sender (pending=True)"
TEST(Tasklet, KillBlockedSenderPending) {
    KillCase k;
    Names names;
    Channel<std::string> ch;
    Tasklet b1 = mk(names, "b1", [&] { blocked_body(k.log, ch, "b1", true); });
    Tasklet b2 = mk(names, "b2", [&] { blocked_body(k.log, ch, "b2", true); });
    k.s.run();
    spindle::spawn(k.other, "y");
    auto state = [&](const Tasklet& t) {
        return tflags(t) + " balance " + std::to_string(ch.balance()) + " queue head " + names(ch.queue());
    };
    k.log.push_back("before " + state(b1));
    b1.kill(true);
    k.log.push_back("after " + state(b1));
    k.s.run();
    k.log.push_back("after run " + tflags(b1) + " b2 " + tflags(b2));
    std::string got = ch.receive();
    k.log.push_back("received " + got + " balance " + std::to_string(ch.balance()));
    k.s.run();
    EXPECT_EQ(k.log,
              (Log{
                  "b1 sending",
                  "b2 sending",
                  "before alive=True blocked=True scheduled=True paused=False balance 2 queue head b1",
                  "after alive=True blocked=False scheduled=True paused=False balance 1 queue head b2",
                  "y runs",
                  "b1 TaskletExit inside channel op, balance 1",
                  "b1 finally",
                  "after run alive=False blocked=False scheduled=False paused=False b2 alive=True blocked=True "
                  "scheduled=True paused=False",
                  "received b2 balance 0",
                  "b2 not reached",
                  "b2 finally",
              }));
}

// oracle: kill_throw.py "kill a paused tasklet"
TEST(Tasklet, KillPausedTasklet) {
    KillCase k;
    Tasklet t = spindle::spawn(k.body, "t");
    spindle::schedule();
    t.remove();
    spindle::spawn(k.other, "y");
    k.log.push_back("before " + tflags(t));
    t.kill();
    k.log.push_back("after " + tflags(t));
    k.s.run();
    EXPECT_EQ(k.log, (Log{
                         "t body starts",
                         "before alive=True blocked=False scheduled=False paused=True",
                         "t got TaskletExit",
                         "t finally",
                         "after alive=False blocked=False scheduled=False paused=False",
                         "y runs",
                     }));
}

// oracle: kill_throw.py "kill a paused tasklet (pending=True)" and "kill a dead tasklet"
TEST(Tasklet, KillPausedTaskletPendingThenKillTheDead) {
    KillCase k;
    Tasklet t = spindle::spawn(k.body, "t");
    spindle::schedule();
    t.remove();
    spindle::spawn(k.other, "y");
    t.kill(true);
    k.log.push_back("after " + tflags(t));
    k.s.run();
    k.log.push_back("after run " + tflags(t));
    t.kill();
    t.kill(true);
    k.log.push_back("no error " + tflags(t));
    EXPECT_EQ(k.log, (Log{
                         "t body starts",
                         "after alive=True blocked=False scheduled=True paused=False",
                         "y runs",
                         "t got TaskletExit",
                         "t finally",
                         "after run alive=False blocked=False scheduled=False paused=False",
                         "no error alive=False blocked=False scheduled=False paused=False",
                     }));
}

// oracle: kill_throw.py "kill the current tasklet"
TEST(Tasklet, KillTheCurrentTasklet) {
    Log log;
    spindle::Scheduler s;
    Tasklet t = spindle::spawn([&] {
        try {
            spindle::getcurrent().kill();
            log.push_back("sk not reached");
        } catch (const spindle::TaskletExit&) {
            log.push_back("sk caught TaskletExit from self-kill");
        }
        log.push_back("sk continues");
        spindle::getcurrent().kill();
        log.push_back("sk not reached either");
    });
    s.run();
    log.push_back("sk " + tflags(t));
    try {
        spindle::getmain().kill();
    } catch (const spindle::TaskletExit&) {
        log.push_back("main caught TaskletExit from main.kill()");
    }
    EXPECT_EQ(log, (Log{
                       "sk caught TaskletExit from self-kill",
                       "sk continues",
                       "sk alive=False blocked=False scheduled=False paused=False",
                       "main caught TaskletExit from main.kill()",
                   }));
}

// oracle: kill_throw.py "a tasklet catching TaskletExit keeps running"
TEST(Tasklet, CatchingTaskletExitKeepsItAlive) {
    Log log;
    spindle::Scheduler s;
    Channel<int> ch;
    Tasklet t = spindle::spawn([&] {
        int n = 0;
        while (n < 2) {
            try {
                ch.receive();
            } catch (const spindle::TaskletExit&) {
                n = n + 1;
                log.push_back("st ignores TaskletExit " + std::to_string(n));
            }
        }
        log.push_back("st gives up");
    });
    s.run();
    t.kill();
    log.push_back("after first kill " + tflags(t) + " balance " + std::to_string(ch.balance()));
    t.kill();
    log.push_back("after second kill " + tflags(t) + " balance " + std::to_string(ch.balance()));
    EXPECT_EQ(log, (Log{
                       "st ignores TaskletExit 1",
                       "after first kill alive=True blocked=True scheduled=True paused=False balance -1",
                       "st ignores TaskletExit 2",
                       "st gives up",
                       "after second kill alive=False blocked=False scheduled=False paused=False balance 0",
                   }));
}

// oracle: kill_throw.py "throw to dead and new tasklets" (the dead part)
TEST(Tasklet, ThrowToADeadTasklet) {
    spindle::Scheduler s;
    Tasklet c = spindle::spawn([] {});
    s.run();
    ASSERT_FALSE(c.alive());
    EXPECT_EQ(error_of<RuntimeError>(
                  [&] { c.throw_exception(std::make_exception_ptr(std::invalid_argument("x"))); }),
              "You cannot throw to a dead tasklet");
    EXPECT_EQ(error_of<RuntimeError>([&] { c.raise_exception<std::invalid_argument>("x"); }),
              "You cannot throw to a dead tasklet");
    // TaskletExit to the dead is silently accepted.
    EXPECT_NO_THROW(c.throw_exception(std::make_exception_ptr(spindle::TaskletExit())));
    EXPECT_NO_THROW(c.raise_exception<spindle::TaskletExit>());
    EXPECT_EQ(tflags(c), "alive=False blocked=False scheduled=False paused=False");
}

// --------------------------------------------------------------- tempval

// A blocked sender's tempval is the value it sends; a receiver's is None.
// oracle: extra Stackless 3.7 run (s1.tempval 'one', r.tempval None, tasklet().tempval None)
TEST(Tasklet, TempvalHoldsTheValueInTransit) {
    spindle::Scheduler s;
    Channel<std::string> ch;
    Channel<std::string> other;
    Tasklet s1 = spindle::spawn([&] { ch.send("one"); });
    Tasklet r = spindle::spawn([&] { other.receive(); });
    s.run();
    ASSERT_TRUE(s1.tempval().holds<std::string>());
    EXPECT_EQ(s1.tempval().get<std::string>(), "one");
    EXPECT_TRUE(r.tempval().empty());
    EXPECT_TRUE(Tasklet::create().tempval().empty());
    // Written by hand, it is what the tasklet receives next.
    r.set_tempval(spindle::Payload::of(42));
    EXPECT_EQ(r.tempval().get<int>(), 42);
    EXPECT_EQ(ch.receive(), "one");
    s.run();
    EXPECT_TRUE(s1.tempval().empty());
}

// ----------------------------------------------------------- ids and names

// Spindle's own attributes (Stackless has only ids of Python objects).
TEST(Tasklet, IdsNamesAndKinds) {
    spindle::Scheduler s;
    Tasklet main = spindle::getmain();
    EXPECT_TRUE(main.is_main());
    EXPECT_TRUE(main.is_current());
    EXPECT_EQ(main.name(), "main");
    EXPECT_EQ(main.kind(), spindle::TaskletKind::Main);
    EXPECT_EQ(spindle::getcurrent(), main);
    Tasklet a = Tasklet::create();
    Tasklet b = Tasklet::create();
    EXPECT_NE(a.id(), main.id());
    EXPECT_LT(a.id(), b.id());
    EXPECT_EQ(a.kind(), spindle::TaskletKind::Native);
    EXPECT_FALSE(a.is_main());
    EXPECT_FALSE(a.is_current());
    EXPECT_EQ(a.name(), "");
    a.set_name("worker");
    EXPECT_EQ(a.name(), "worker");
    Tasklet copy = a;
    EXPECT_EQ(copy, a);
    EXPECT_NE(copy, b);
    EXPECT_EQ(copy.id(), a.id());
    std::vector<std::string> seen;
    a.bind([&] {
        Tasklet me = spindle::getcurrent();
        seen.push_back(me.name() + " current=" + oracle::py(me.is_current()) +
                       " main current=" + oracle::py(spindle::getmain().is_current()));
    });
    a.setup();
    s.run();
    EXPECT_EQ(seen, (std::vector<std::string>{"worker current=True main current=False"}));
}

// A handle may outlive its scheduler: the object is then detached, and using
// it is an error rather than a crash. (Under ASan this also checks that a
// finished tasklet gave its stack back while the stack pool still existed.)
TEST(Tasklet, HandleOutlivesItsScheduler) {
    Log log;
    Tasklet finished;
    Tasklet never_ran;
    {
        spindle::Scheduler s;
        finished = spindle::spawn([&] {
            log.push_back("ran");
            spindle::schedule();
        });
        never_ran = Tasklet::create();
        s.run();
        EXPECT_FALSE(finished.alive());
    }
    EXPECT_EQ(log, (Log{"ran"}));
    EXPECT_EQ(error_of<RuntimeError>([&] { (void)finished.alive(); }), "the tasklet's scheduler is gone");
    EXPECT_EQ(error_of<RuntimeError>([&] { never_ran.insert(); }), "the tasklet's scheduler is gone");
}

}  // namespace

// ---------------------------------------------------------------- restore interface

namespace restore {

// A counter that receives steps on a channel: its whole state is `total`
// and the channel, so it saves as text and restarts from it.
struct Counter : spindle::NativeRestore {
    Channel<int> steps;
    std::vector<int>* seen;
    int total;
    Counter(Channel<int> c, std::vector<int>* s, int t) : steps(std::move(c)), seen(s), total(t) {}
    const char* type_name() const noexcept override { return "test.counter"; }
    spindle::Payload save() const override { return spindle::Payload::of(std::to_string(total)); }
};

Tasklet start(const std::shared_ptr<Counter>& state) {
    Tasklet t = Tasklet::create();
    t.bind([state](int) {
        for (;;) {
            state->total += state->steps.receive();
            state->seen->push_back(state->total);
        }
    }, 0);
    t.set_restore(state);
    return t;
}

}  // namespace restore

TEST(Tasklet, RestoreInterfaceMakesANativeTaskletRestorable) {
    spindle::Scheduler s;
    Channel<int> steps;
    std::vector<int> seen;
    Tasklet plain = spindle::spawn([&] { steps.receive(); });
    auto state = std::make_shared<restore::Counter>(steps, &seen, 0);
    Tasklet counter = restore::start(state);
    counter.insert();
    s.run();
    // Both started and blocked: only the one with the interface is restorable.
    EXPECT_FALSE(plain.restorable());
    EXPECT_TRUE(counter.restorable());
    EXPECT_EQ(plain.restore_interface(), nullptr);
    EXPECT_EQ(counter.restore_interface(), state.get());
    Tasklet script = Tasklet::create_script(nullptr);
    EXPECT_EQ(error_of<RuntimeError>([&] { script.set_restore(state); }), "only a native tasklet takes a restore interface");
    plain.kill();
    counter.kill();
}

// Save (type name and state out), then a factory registered by type name
// makes a new tasklet from the state (state in), paused; inserted, it
// restarts and continues the count where the saved one stood.
TEST(Tasklet, RestoreFactoryRestartsFromTheSavedState) {
    spindle::Scheduler s;
    Channel<int> steps;
    std::vector<int> seen;
    spindle::register_native_restore("test.counter", [&](spindle::Payload state) {
        const int total = std::stoi(state.get<std::string>());
        return restore::start(std::make_shared<restore::Counter>(steps, &seen, total));
    });
    Tasklet first = restore::start(std::make_shared<restore::Counter>(steps, &seen, 0));
    first.insert();
    spindle::spawn([&] {
        steps.send(5);
        steps.send(7);
    });
    s.run();
    ASSERT_EQ(seen, (std::vector<int>{5, 12}));
    const std::string type = first.restore_interface()->type_name();
    spindle::Payload saved = first.restore_interface()->save();
    first.kill();
    const spindle::NativeRestoreFactory* factory = spindle::find_native_restore(type);
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(spindle::find_native_restore("test.unknown"), nullptr);
    Tasklet second = (*factory)(std::move(saved));
    EXPECT_EQ(tflags(second), "alive=True blocked=False scheduled=False paused=True");
    second.insert();
    spindle::spawn([&] { steps.send(30); });
    s.run();
    EXPECT_EQ(seen, (std::vector<int>{5, 12, 42}));
    second.kill();
    spindle::register_native_restore("test.counter", nullptr);
    EXPECT_EQ(spindle::find_native_restore("test.counter"), nullptr);
}
