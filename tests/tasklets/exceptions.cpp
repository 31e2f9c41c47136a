// Kill, throw and error routing, translated from the Stackless 3.7 oracle
// (tests/scripts/stackless/kill_throw.py and errors_to_main.py). Each test
// logs events in order and compares the whole log with what Stackless
// printed; a Python `finally` is an RAII object on the tasklet's stack.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "spindle/tasklets.hpp"

namespace {

using spindle::Channel;
using spindle::RuntimeError;
using spindle::Scheduler;
using spindle::Tasklet;
using spindle::TaskletExit;
using spindle::ValueError;
using Log = std::vector<std::string>;

std::string py(bool b) { return b ? "True" : "False"; }

std::string flags(const Tasklet& t) {
    return "alive=" + py(t.alive()) + " blocked=" + py(t.blocked()) + " scheduled=" + py(t.scheduled()) +
           " paused=" + py(t.paused());
}

std::string name(const Tasklet& t) { return t ? t.name() : "None"; }

// The run queue from the current tasklet on, by name (the oracle's queue_names()).
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

// Python's `finally:` — logs when the tasklet's stack unwinds past it.
struct Finally {
    Log& log;
    std::string text;
    ~Finally() { log.push_back(text); }
};

// kill_throw.py body(): two schedules, reports TaskletExit and its finally.
auto make_body(Log& log) {
    return [&log](std::string nm) {
        Finally fin{log, nm + " finally"};
        log.push_back(nm + " body starts");
        try {
            spindle::schedule();
            log.push_back(nm + " after schedule");
            spindle::schedule();
            log.push_back(nm + " body ends");
        } catch (const TaskletExit&) {
            log.push_back(nm + " got TaskletExit");
            throw;
        }
    };
}

auto make_other(Log& log) {
    return [&log](std::string nm) { log.push_back(nm + " runs"); };
}

// kill_throw.py blocked_body(): TaskletExit must come out of send()/receive().
auto make_blocked_body(Log& log) {
    return [&log](std::string nm, Channel<std::string> ch, bool sending) {
        Finally fin{log, nm + " finally"};
        try {
            if (sending) {
                log.push_back(nm + " sending");
                ch.send(nm);
            } else {
                log.push_back(nm + " receiving");
                ch.receive();
            }
            log.push_back(nm + " not reached");
        } catch (const TaskletExit&) {
            log.push_back(nm + " TaskletExit inside channel op, balance " + std::to_string(ch.balance()));
            throw;
        }
    };
}

// errors_to_main.py other(): runs, yields once, runs again.
auto make_other2(Log& log) {
    return [&log](std::string nm) {
        log.push_back(nm + " runs");
        spindle::schedule();
        log.push_back(nm + " runs again");
    };
}

auto make_failer(Log& log) {
    return [&log](std::string nm, std::string msg) {
        log.push_back(nm + " raises " + msg);
        throw ValueError(msg);
    };
}

const std::string kDead = "alive=False blocked=False scheduled=False paused=False";
const std::string kRunnable = "alive=True blocked=False scheduled=True paused=False";
const std::string kBlocked = "alive=True blocked=True scheduled=True paused=False";
const std::string kPaused = "alive=True blocked=False scheduled=False paused=True";

// ---------------------------------------------------------------------------
// kill
// ---------------------------------------------------------------------------

TEST(Kill, NewTaskletNeverRunsItsBody) {
    // oracle: kill_throw.py "kill a new tasklet that never ran"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_body(log), std::string("t"));
    log.push_back("before " + flags(t) + " runcount " + std::to_string(s.getruncount()));
    t.kill();
    log.push_back("after " + flags(t) + " runcount " + std::to_string(s.getruncount()));
    EXPECT_EQ(log, (Log{"before " + kRunnable + " runcount 2", "after " + kDead + " runcount 1"}));
}

TEST(Kill, BoundWithoutArgumentsIsANoOp) {
    // oracle: kill_throw.py "kill a bound tasklet without arguments (not alive)"
    Log log;
    Scheduler s;
    Tasklet t([&] { log.push_back("not reached"); });  // bind(f): a function, no arguments
    log.push_back("before " + flags(t));
    t.kill();
    t.kill(true);
    log.push_back("after " + flags(t));
    s.run();
    EXPECT_EQ(log, (Log{"before " + kDead, "after " + kDead}));
}

TEST(Kill, RunnableVictimKeepsItsPlace) {
    // oracle: kill_throw.py "kill a runnable tasklet (pending=False)"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_body(log), std::string("t"));
    mk("x", make_other(log), std::string("x"));
    s.schedule();
    log.push_back("main: t " + flags(t));
    mk("y", make_other(log), std::string("y"));
    t.kill();
    log.push_back("main after kill: t " + flags(t));
    s.run();
    EXPECT_EQ(log, (Log{"t body starts", "x runs", "main: t " + kRunnable, "t got TaskletExit", "t finally",
                        "y runs", "main after kill: t " + kDead}));
}

TEST(Kill, RunnablePendingDiesOnItsTurn) {
    // oracle: kill_throw.py "kill a runnable tasklet (pending=True)"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_body(log), std::string("t"));
    s.schedule();
    mk("y", make_other(log), std::string("y"));
    t.kill(true);
    log.push_back("main after kill(pending=True): t " + flags(t));
    s.run();
    log.push_back("t " + flags(t));
    EXPECT_EQ(log, (Log{"t body starts", "main after kill(pending=True): t " + kRunnable, "t got TaskletExit",
                        "t finally", "y runs", "t " + kDead}));
}

TEST(Kill, BlockedReceiverLeavesTheChannelFirst) {
    // oracle: kill_throw.py "kill a blocked receiver (pending=False)"
    Log log;
    Scheduler s;
    Channel<std::string> ch;
    Tasklet b = mk("b", make_blocked_body(log), std::string("b"), ch, false);
    s.run();
    mk("y", make_other(log), std::string("y"));
    log.push_back("before " + flags(b) + " balance " + std::to_string(ch.balance()));
    b.kill();
    log.push_back("after " + flags(b) + " balance " + std::to_string(ch.balance()));
    s.run();
    EXPECT_EQ(log, (Log{"b receiving", "before " + kBlocked + " balance -1",
                        "b TaskletExit inside channel op, balance 0", "b finally", "after " + kDead + " balance 0",
                        "y runs"}));
}

TEST(Kill, BlockedSenderPendingIsUnblockedAtOnce) {
    // oracle: kill_throw.py "kill a blocked sender (pending=True)"
    Log log;
    Scheduler s;
    Channel<std::string> ch;
    Tasklet b1 = mk("b1", make_blocked_body(log), std::string("b1"), ch, true);
    Tasklet b2 = mk("b2", make_blocked_body(log), std::string("b2"), ch, true);
    s.run();
    mk("y", make_other(log), std::string("y"));
    log.push_back("before " + flags(b1) + " balance " + std::to_string(ch.balance()) + " queue head " +
                  name(ch.queue()));
    b1.kill(true);
    log.push_back("after " + flags(b1) + " balance " + std::to_string(ch.balance()) + " queue head " +
                  name(ch.queue()));
    s.run();
    log.push_back("after run " + flags(b1) + " b2 " + flags(b2));
    std::string got = ch.receive();
    log.push_back("received " + got + " balance " + std::to_string(ch.balance()));
    s.run();
    EXPECT_EQ(log, (Log{"b1 sending", "b2 sending", "before " + kBlocked + " balance 2 queue head b1",
                        "after " + kRunnable + " balance 1 queue head b2", "y runs",
                        "b1 TaskletExit inside channel op, balance 1", "b1 finally",
                        "after run " + kDead + " b2 " + kBlocked, "received b2 balance 0", "b2 not reached",
                        "b2 finally"}));
}

TEST(Kill, BlockedVictimUnwindsItsStackInsideReceive) {
    // oracle: kill_throw.py "kill a blocked receiver": TaskletExit is raised inside
    // receive(), so every RAII object between the tasklet's entry and the channel
    // operation is destroyed, innermost first, and a catch(...) in between sees it.
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet t = mk("deep", [&] {
        Finally outer{log, "outer destroyed"};
        auto inner = [&] {
            Finally in{log, "inner destroyed"};
            try {
                ch.receive();
            } catch (...) {
                log.push_back("catch(...) sees it, balance " + std::to_string(ch.balance()));
                throw;
            }
        };
        try {
            inner();
        } catch (const std::exception&) {
            log.push_back("not reached: TaskletExit is no std::exception");
        }
        log.push_back("not reached either");
    });
    s.run();
    t.kill();
    log.push_back("killed " + flags(t));
    EXPECT_EQ(log, (Log{"catch(...) sees it, balance 0", "inner destroyed", "outer destroyed", "killed " + kDead}));
}

TEST(Kill, PausedVictimRunsNowAndMainResumesFirst) {
    // oracle: kill_throw.py "kill a paused tasklet"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_body(log), std::string("t"));
    s.schedule();
    t.remove();
    mk("y", make_other(log), std::string("y"));
    log.push_back("before " + flags(t));
    t.kill();
    log.push_back("after " + flags(t));
    s.run();
    EXPECT_EQ(log, (Log{"t body starts", "before " + kPaused, "t got TaskletExit", "t finally", "after " + kDead,
                        "y runs"}));
}

TEST(Kill, PausedVictimPendingIsAppended) {
    // oracle: kill_throw.py "kill a paused tasklet (pending=True)"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_body(log), std::string("t"));
    s.schedule();
    t.remove();
    mk("y", make_other(log), std::string("y"));
    t.kill(true);
    log.push_back("after " + flags(t));
    s.run();
    log.push_back("after run " + flags(t));
    EXPECT_EQ(log, (Log{"t body starts", "after " + kRunnable, "y runs", "t got TaskletExit", "t finally",
                        "after run " + kDead}));
}

TEST(Kill, DeadTaskletIsASilentNoOp) {
    // oracle: kill_throw.py "kill a dead tasklet"
    Log log;
    Scheduler s;
    Tasklet t = mk("t", make_other(log), std::string("t"));
    s.run();
    t.kill();
    t.kill(true);
    log.push_back("no error " + flags(t));
    EXPECT_EQ(log, (Log{"t runs", "no error " + kDead}));
}

TEST(Kill, CurrentTaskletRaisesInTheCaller) {
    // oracle: kill_throw.py "kill the current tasklet"
    Log log;
    Scheduler s;
    Tasklet t = mk("sk", [&](std::string nm) {
        try {
            spindle::getcurrent().kill();
            log.push_back(nm + " not reached");
        } catch (const TaskletExit&) {
            log.push_back(nm + " caught TaskletExit from self-kill");
        }
        log.push_back(nm + " continues");
        spindle::getcurrent().kill(true);  // pending makes no difference for the current tasklet
        log.push_back(nm + " not reached either");
    }, std::string("sk"));
    s.run();
    log.push_back("sk " + flags(t));
    try {
        s.getmain().kill();
        log.push_back("main not reached");
    } catch (const TaskletExit&) {
        log.push_back("main caught TaskletExit from main.kill()");
    }
    EXPECT_EQ(log, (Log{"sk caught TaskletExit from self-kill", "sk continues", "sk " + kDead,
                        "main caught TaskletExit from main.kill()"}));
}

TEST(Kill, TaskletCatchingTaskletExitKeepsRunning) {
    // oracle: kill_throw.py "a tasklet catching TaskletExit keeps running"
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet t = mk("st", [&](std::string nm) {
        int n = 0;
        while (n < 2) {
            try {
                ch.receive();
            } catch (const TaskletExit&) {
                ++n;
                log.push_back(nm + " ignores TaskletExit " + std::to_string(n));
            }
        }
        log.push_back(nm + " gives up");
    }, std::string("st"));
    s.run();
    t.kill();
    log.push_back("after first kill " + flags(t) + " balance " + std::to_string(ch.balance()));
    t.kill();
    log.push_back("after second kill " + flags(t) + " balance " + std::to_string(ch.balance()));
    EXPECT_EQ(log, (Log{"st ignores TaskletExit 1", "after first kill " + kBlocked + " balance -1",
                        "st ignores TaskletExit 2", "st gives up", "after second kill " + kDead + " balance 0"}));
}

TEST(Kill, ErrorRaisedWhileDyingReachesMainWhereItWaits) {
    // Extra oracle probe (Stackless 3.7): a victim turns TaskletExit into
    // ValueError. kill() raises it in main; with pending=True, run() does,
    // after the tasklet queued before the victim ran:
    //   a converts TaskletExit / kill raised ('a',) False / after pending kill /
    //   y runs / b converts TaskletExit / run raised ('b',) False 1
    Log log;
    Scheduler s;
    auto converter = [&](std::string nm) {
        try {
            spindle::schedule_remove();
        } catch (const TaskletExit&) {
            log.push_back(nm + " converts TaskletExit");
            throw ValueError(nm);
        }
    };
    Tasklet t = mk("a", converter, std::string("a"));
    s.run();
    try {
        t.kill();
        log.push_back("kill returned");
    } catch (const ValueError& e) {
        log.push_back(std::string("kill raised ") + e.what() + " " + py(t.alive()));
    }
    t = mk("b", converter, std::string("b"));
    s.run();
    mk("y", make_other(log), std::string("y"));
    t.kill(true);
    log.push_back("after pending kill");
    try {
        s.run();
        log.push_back("run returned");
    } catch (const ValueError& e) {
        log.push_back(std::string("run raised ") + e.what() + " " + py(t.alive()) + " " +
                      std::to_string(s.getruncount()));
    }
    EXPECT_EQ(log, (Log{"a converts TaskletExit", "kill raised a False", "after pending kill", "y runs",
                        "b converts TaskletExit", "run raised b False 1"}));
}

// ---------------------------------------------------------------------------
// throw_exception / raise_exception
// ---------------------------------------------------------------------------

auto make_catcher(Log& log) {
    return [&log](std::string nm, Channel<int> ch) {
        try {
            ch.receive();
        } catch (const ValueError& e) {
            log.push_back(nm + " caught ValueError " + e.what());
        }
        log.push_back(nm + " end");
    };
}

TEST(Throw, BlockedTargetRunsNow) {
    // oracle: kill_throw.py "throw with pending=False and pending=True" (first part)
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet c = mk("c", make_catcher(log), std::string("c"), ch);
    s.run();
    mk("y", make_other(log), std::string("y"));
    c.throw_exception(std::make_exception_ptr(ValueError("now")));
    log.push_back("main after throw " + flags(c) + " balance " + std::to_string(ch.balance()));
    s.run();
    EXPECT_EQ(log, (Log{"c caught ValueError now", "c end", "main after throw " + kDead + " balance 0", "y runs"}));
}

TEST(Throw, BlockedTargetPendingIsUnblockedAndAppended) {
    // oracle: kill_throw.py "throw with pending=False and pending=True" (second part)
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet c = mk("c", make_catcher(log), std::string("c"), ch);
    s.run();
    mk("y", make_other(log), std::string("y"));
    c.throw_exception(std::make_exception_ptr(ValueError("later")), true);
    log.push_back("main after throw(pending=True) " + flags(c) + " balance " + std::to_string(ch.balance()));
    s.run();
    EXPECT_EQ(log, (Log{"main after throw(pending=True) " + kRunnable + " balance 0", "y runs",
                        "c caught ValueError later", "c end"}));
}

TEST(Throw, RaiseExceptionConstructsTheError) {
    // oracle: kill_throw.py raise_exception(ValueError, "re", 2)
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet c = mk("c", make_catcher(log), std::string("c"), ch);
    s.run();
    c.raise_exception<ValueError>("re");
    log.push_back("main after raise_exception " + flags(c));
    EXPECT_EQ(log, (Log{"c caught ValueError re", "c end", "main after raise_exception " + kDead}));
}

TEST(Throw, ToDeadTaskletIsAnErrorExceptTaskletExit) {
    // oracle: kill_throw.py "throw to dead and new tasklets"
    Log log;
    Scheduler s;
    Tasklet c = mk("c", make_other(log), std::string("c"));
    s.run();
    auto attempt = [&](const std::string& what, auto&& action) {
        try {
            action();
            log.push_back(what + ": accepted");
        } catch (const RuntimeError& e) {
            log.push_back(what + ": " + e.what());
        }
    };
    attempt("throw dead", [&] { c.throw_exception(std::make_exception_ptr(ValueError("v"))); });
    attempt("throw dead pending", [&] { c.throw_exception(std::make_exception_ptr(ValueError("v")), true); });
    attempt("raise_exception dead", [&] { c.raise_exception<ValueError>("x"); });
    attempt("throw TaskletExit to dead", [&] { c.throw_exception(std::make_exception_ptr(TaskletExit())); });
    attempt("raise_exception TaskletExit to dead", [&] { c.raise_exception<TaskletExit>(); });
    Tasklet bound_only([&] { log.push_back("not reached"); });
    attempt("throw to bound-only tasklet", [&] { bound_only.throw_exception(std::make_exception_ptr(ValueError("v"))); });
    log.push_back("c " + flags(c));
    EXPECT_EQ(log, (Log{"c runs", "throw dead: You cannot throw to a dead tasklet",
                        "throw dead pending: You cannot throw to a dead tasklet",
                        "raise_exception dead: You cannot throw to a dead tasklet",
                        "throw TaskletExit to dead: accepted", "raise_exception TaskletExit to dead: accepted",
                        "throw to bound-only tasklet: You cannot throw to a dead tasklet", "c " + kDead}));
}

TEST(Throw, IntoNewTaskletSkipsTheBodyAndReachesMain) {
    // oracle: kill_throw.py throw(ValueError, "into new")
    Log log;
    Scheduler s;
    Tasklet n = mk("n", make_body(log), std::string("n"));
    try {
        n.throw_exception(std::make_exception_ptr(ValueError("into new")));
        log.push_back("not reached");
    } catch (const ValueError& e) {
        log.push_back(std::string("main got ValueError ") + e.what() + " n " + flags(n));
    }
    EXPECT_EQ(log, (Log{"main got ValueError into new n " + kDead}));
    EXPECT_EQ(s.getruncount(), 1);
}

TEST(Throw, ToCurrentRaisesDirectly) {
    // reference §2 throw(): "Target is current → raised directly in the caller"
    Log log;
    Scheduler s;
    mk("t", [&] {
        try {
            spindle::getcurrent().throw_exception(std::make_exception_ptr(ValueError("self")), true);
            log.push_back("not reached");
        } catch (const ValueError& e) {
            log.push_back(std::string("caught ") + e.what());
        }
    });
    s.run();
    EXPECT_EQ(log, (Log{"caught self"}));
}

// ---------------------------------------------------------------------------
// Uncaught errors reach main (or the innermost watchdog)
// ---------------------------------------------------------------------------

TEST(ErrorsToMain, RunRaisesAndMainTakesTheFailedTaskletsPlace) {
    // oracle: errors_to_main.py "uncaught error while main is in run()"
    Log log;
    Scheduler s;
    mk("a", make_other2(log), std::string("a"));
    mk("f", make_failer(log), std::string("f"), std::string("boom"));
    mk("b", make_other2(log), std::string("b"));
    try {
        s.run();
        log.push_back("not reached");
    } catch (const ValueError& e) {
        log.push_back(std::string("run() raised ValueError ") + e.what() + " main " + flags(s.getmain()));
    }
    log.push_back("queue after error " + queue_names(s));
    s.run();
    log.push_back("second run() finished");
    EXPECT_EQ(log, (Log{"a runs", "f raises boom", "run() raised ValueError boom main " + kRunnable,
                        "queue after error main b a", "b runs", "a runs again", "b runs again",
                        "second run() finished"}));
}

TEST(ErrorsToMain, ScheduleRaises) {
    // oracle: errors_to_main.py "uncaught error while main is in schedule()"
    Log log;
    Scheduler s;
    mk("f", make_failer(log), std::string("f"), std::string("from schedule"));
    mk("a", make_other2(log), std::string("a"));
    try {
        s.schedule();
        log.push_back("not reached");
    } catch (const ValueError& e) {
        log.push_back(std::string("schedule() raised ValueError ") + e.what());
    }
    log.push_back("queue " + queue_names(s));
    s.run();
    EXPECT_EQ(log, (Log{"f raises from schedule", "schedule() raised ValueError from schedule", "queue main a",
                        "a runs", "a runs again"}));
}

TEST(ErrorsToMain, BlockedReceiveRaisesAndMainLeavesTheChannel) {
    // oracle: errors_to_main.py "uncaught error while main is blocked in receive()"
    Log log;
    Scheduler s;
    Channel<int> ch;
    mk("f", make_failer(log), std::string("f"), std::string("from receive"));
    try {
        ch.receive();
        log.push_back("not reached");
    } catch (const ValueError& e) {
        log.push_back(std::string("receive() raised ValueError ") + e.what() + " balance " +
                      std::to_string(ch.balance()) + " main " + flags(s.getmain()));
    }
    EXPECT_EQ(log, (Log{"f raises from receive",
                        "receive() raised ValueError from receive balance 0 main " + kRunnable}));
}

TEST(ErrorsToMain, BlockedSendRaisesWithOthersQueued) {
    // oracle: errors_to_main.py "uncaught error while main is blocked in send(), other tasklets queued"
    Log log;
    Scheduler s;
    Channel<int> ch;
    mk("a", make_other2(log), std::string("a"));
    mk("f", make_failer(log), std::string("f"), std::string("from send"));
    try {
        ch.send(1);
        log.push_back("not reached");
    } catch (const ValueError& e) {
        log.push_back(std::string("send() raised ValueError ") + e.what() + " balance " +
                      std::to_string(ch.balance()));
    }
    log.push_back("queue " + queue_names(s));
    s.run();
    EXPECT_EQ(log, (Log{"a runs", "f raises from send", "send() raised ValueError from send balance 0",
                        "queue main a", "a runs again"}));
}

TEST(ErrorsToMain, NonStdExceptionTypesArriveUnchanged) {
    // reference §2 rule 5: any other exception is re-raised in main as is.
    Scheduler s;
    mk("f", [] { throw 42; });
    try {
        s.run();
        FAIL() << "run() returned normally";
    } catch (int value) {
        EXPECT_EQ(value, 42);
    }
    EXPECT_TRUE(s.getmain().scheduled());
    EXPECT_EQ(s.getruncount(), 1);
}

TEST(ErrorHandler, HandlesErrorsInTheFailingTasklet) {
    // oracle: errors_to_main.py "set_error_handler" (handler part)
    Log log;
    Scheduler s;
    Channel<int> ch;
    auto handler = [&](std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const ValueError& e) {
            log.push_back(std::string("handler got ValueError ") + e.what() +
                          " current is main: " + py(spindle::getcurrent().is_main()));
        }
    };
    spindle::ErrorHandler old = s.set_error_handler(handler);
    log.push_back(std::string("old handler ") + (old ? "set" : "None"));
    mk("f1", make_failer(log), std::string("f1"), std::string("one"));
    mk("a", make_other2(log), std::string("a"));
    mk("f2", make_failer(log), std::string("f2"), std::string("two"));
    s.run();
    log.push_back("run() returned normally");
    mk("f3", make_failer(log), std::string("f3"), std::string("three"));
    try {
        ch.receive();
    } catch (const RuntimeError& e) {
        log.push_back(std::string("receive: ") + e.what());
    }
    EXPECT_EQ(log, (Log{"old handler None", "f1 raises one", "handler got ValueError one current is main: False",
                        "a runs", "f2 raises two", "handler got ValueError two current is main: False",
                        "a runs again", "run() returned normally", "f3 raises three",
                        "handler got ValueError three current is main: False",
                        "receive: the main tasklet is receiving without a sender available."}));
}

TEST(ErrorHandler, TaskletExitNeverReachesTheHandler) {
    // Extra oracle probe (Stackless 3.7): a raised TaskletExit and a kill() end
    // tasklets silently, with or without a handler:
    //   b raises TaskletExit / a finally / after kill / b raises TaskletExit / done
    Log log;
    Scheduler s;
    s.set_error_handler([&](std::exception_ptr) { log.push_back("handler"); });
    auto a = [&] {
        Finally fin{log, "a finally"};
        spindle::schedule_remove();
    };
    auto b = [&] {
        log.push_back("b raises TaskletExit");
        throw TaskletExit();
    };
    Tasklet t = mk("a", a);
    mk("b", b);
    s.run();
    t.kill();
    log.push_back("after kill");
    s.set_error_handler(nullptr);
    mk("b", b);
    s.run();
    log.push_back("done");
    EXPECT_EQ(log, (Log{"b raises TaskletExit", "a finally", "after kill", "b raises TaskletExit", "done"}));
}

TEST(ErrorHandler, ThrowingHandlerRaisesItsOwnErrorInMain) {
    // oracle: errors_to_main.py "set_error_handler" (bad_handler part)
    Log log;
    Scheduler s;
    auto handler = [&](std::exception_ptr) { log.push_back("handler"); };
    auto bad_handler = [&](std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const ValueError& e) {
            log.push_back(std::string("bad_handler got ") + e.what());
        }
        throw std::out_of_range("from handler");  // Python's KeyError
    };
    s.set_error_handler(handler);
    spindle::ErrorHandler old = s.set_error_handler(bad_handler);
    log.push_back("old handler is handler: " + py(old.target_type() == typeid(handler)));
    mk("f4", make_failer(log), std::string("f4"), std::string("four"));
    mk("a", make_other2(log), std::string("a"));
    try {
        s.run();
        log.push_back("not reached");
    } catch (const std::out_of_range& e) {
        log.push_back(std::string("run() raised KeyError ") + e.what());
    }
    s.run();
    old = s.set_error_handler(nullptr);
    log.push_back("old handler is bad_handler: " + py(old.target_type() == typeid(bad_handler)));
    EXPECT_EQ(log, (Log{"old handler is handler: True", "f4 raises four", "bad_handler got four",
                        "run() raised KeyError from handler", "a runs", "a runs again",
                        "old handler is bad_handler: True"}));
}

// ---------------------------------------------------------------------------
// Deadlocks
// ---------------------------------------------------------------------------

TEST(Deadlock, MainBlockedWhenTheLastTaskletEnds) {
    // oracle: errors_to_main.py "main receiving/sending, last tasklet ends normally"
    Log log;
    Scheduler s;
    Channel<int> ch;
    mk("a", make_other2(log), std::string("a"));
    try {
        ch.receive();
    } catch (const RuntimeError& e) {
        log.push_back(std::string("receive: ") + e.what() + " balance " + std::to_string(ch.balance()));
    }
    mk("a", make_other2(log), std::string("a"));
    try {
        ch.send(1);
    } catch (const RuntimeError& e) {
        log.push_back(std::string("send: ") + e.what() + " balance " + std::to_string(ch.balance()));
    }
    EXPECT_EQ(log, (Log{"a runs", "a runs again",
                        "receive: the main tasklet is receiving without a sender available. balance 0", "a runs",
                        "a runs again", "send: the main tasklet is sending without a receiver available. balance 0"}));
    EXPECT_EQ(s.getruncount(), 1);
}

TEST(Deadlock, MainBlockingWithNothingElseRunnable) {
    // oracle: errors_to_main.py "main receiving, nothing else runnable"
    Log log;
    Scheduler s;
    Channel<int> ch;
    try {
        ch.receive();
    } catch (const RuntimeError& e) {
        log.push_back(std::string("receive: ") + e.what() + " balance " + std::to_string(ch.balance()));
    }
    try {
        ch.send(1);
    } catch (const RuntimeError& e) {
        log.push_back(std::string("send: ") + e.what() + " balance " + std::to_string(ch.balance()));
    }
    EXPECT_EQ(log, (Log{"receive: Deadlock: the last runnable tasklet cannot be blocked. balance 0",
                        "send: Deadlock: the last runnable tasklet cannot be blocked. balance 0"}));
    EXPECT_TRUE(s.getmain().scheduled());
}

TEST(Deadlock, LastTaskletBlockingInsideRunReturnsFromRun) {
    // oracle: errors_to_main.py "tasklet blocks as last runnable inside run(): run() returns"
    Log log;
    Scheduler s;
    Channel<std::string> ch;
    Tasklet w = mk("w", [&](std::string nm) {
        log.push_back(nm + " waiting");
        std::string v = ch.receive();
        log.push_back(nm + " got " + v);
    }, std::string("w"));
    s.run();
    log.push_back("run() returned, w " + flags(w) + " balance " + std::to_string(ch.balance()));
    ch.send("late");
    EXPECT_EQ(log, (Log{"w waiting", "run() returned, w " + kBlocked + " balance -1", "w got late"}));
}

TEST(Deadlock, TaskletBlockingWhileMainIsBlocked) {
    // oracle: errors_to_main.py "tasklet blocks as last runnable while main is blocked"
    Log log;
    Scheduler s;
    Channel<int> ch1, ch2;
    Tasklet b = mk("b", [&](std::string nm) {
        log.push_back(nm + " receiving on ch2");
        try {
            ch2.receive();
            log.push_back(nm + " not reached");
        } catch (const RuntimeError& e) {
            log.push_back(nm + " got RuntimeError: " + e.what());
        }
    }, std::string("b"));
    try {
        ch1.receive();
        log.push_back("main not reached");
    } catch (const RuntimeError& e) {
        log.push_back(std::string("main got RuntimeError: ") + e.what());
    }
    log.push_back("b " + flags(b) + " ch1 " + std::to_string(ch1.balance()) + " ch2 " +
                  std::to_string(ch2.balance()));
    EXPECT_EQ(log, (Log{"b receiving on ch2", "b got RuntimeError: Deadlock: the last runnable tasklet cannot be blocked.",
                        "main got RuntimeError: the main tasklet is receiving without a sender available.",
                        "b " + kDead + " ch1 0 ch2 0"}));
}

// ---------------------------------------------------------------------------
// Traps
// ---------------------------------------------------------------------------

TEST(Traps, BlockTrapRefusesOnlyBlockingOperations) {
    // oracle: errors_to_main.py "block_trap"
    Log log;
    Scheduler s;
    Channel<std::string> ch;
    mk("tr", [&](std::string nm) {
        spindle::getcurrent().set_block_trap(true);
        try {
            ch.receive();
        } catch (const RuntimeError& e) {
            log.push_back(nm + " receive: " + e.what() + " balance " + std::to_string(ch.balance()));
        }
        spindle::schedule();
        log.push_back(nm + " block_trap " + py(spindle::getcurrent().block_trap()) + " balance " +
                      std::to_string(ch.balance()));
        log.push_back(nm + " receives from waiting sender: " + ch.receive());
        spindle::getcurrent().set_block_trap(false);
        log.push_back(nm + " receives after clearing the trap: " + ch.receive());
    }, std::string("tr"));
    s.schedule();
    log.push_back("main sends s1");
    ch.send("s1");
    log.push_back("main sends s2");
    ch.send("s2");
    s.getmain().set_block_trap(true);
    try {
        ch.receive();
    } catch (const RuntimeError& e) {
        log.push_back(std::string("main receive: ") + e.what());
    }
    try {
        ch.send("x");
    } catch (const RuntimeError& e) {
        log.push_back(std::string("main send: ") + e.what());
    }
    s.getmain().set_block_trap(false);
    log.push_back("main block_trap " + py(s.getmain().block_trap()));
    EXPECT_EQ(log, (Log{"tr receive: this tasklet does not like to be blocked. balance 0", "main sends s1",
                        "tr block_trap True balance 1", "tr receives from waiting sender: s1", "main sends s2",
                        "tr receives after clearing the trap: s2",
                        "main receive: this tasklet does not like to be blocked.",
                        "main send: this tasklet does not like to be blocked.", "main block_trap False"}));
    EXPECT_EQ(ch.balance(), 0);
}

TEST(Traps, SwitchTrapRefusesEverySwitch) {
    // oracle: watchdog_atomic.py "switch_trap"
    Log log;
    Scheduler s;
    auto chatty = [&](std::string nm, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " " + std::to_string(i));
            spindle::schedule();
        }
        log.push_back(nm + " end");
    };
    log.push_back("old level " + std::to_string(s.switch_trap(1)));
    mk("x", chatty, std::string("x"), 1);
    try {
        s.schedule();
        log.push_back("not reached");
    } catch (const RuntimeError& e) {
        log.push_back(std::string("schedule: ") + e.what());
    }
    log.push_back("level " + std::to_string(s.switch_trap(-1)));
    log.push_back("level now " + std::to_string(s.switch_trap(0)));
    log.push_back("runcount " + std::to_string(s.getruncount()));
    s.run();
    EXPECT_EQ(log, (Log{"old level 0", "schedule: switch_trap", "level 1", "level now 0", "runcount 2", "x 0",
                        "x end"}));
}

TEST(Traps, SwitchTrapRefusesChannelSwitchesAndUndoesThem) {
    // reference §1 switch_trap: "any tasklet switch raises RuntimeError("switch_trap")".
    Log log;
    Scheduler s;
    Channel<int> ch;
    Tasklet r = mk("r", [&] { log.push_back("r got " + std::to_string(ch.receive())); });
    s.run();
    s.switch_trap(1);
    try {
        ch.send(7);  // the receiver would run at once (preference -1): a switch
        log.push_back("not reached");
    } catch (const RuntimeError& e) {
        log.push_back(std::string("send: ") + e.what() + " balance " + std::to_string(ch.balance()) + " r " +
                      flags(r));
    }
    s.switch_trap(-1);
    ch.send(8);
    EXPECT_EQ(log, (Log{"send: switch_trap balance -1 r " + kBlocked, "r got 8"}));
}

// ---------------------------------------------------------------------------
// Lifetime: unwinding abandoned tasklets
// ---------------------------------------------------------------------------

TEST(Lifetime, DroppingTheLastHandleOfAPausedTaskletUnwindsItAtTheNextRun) {
    // reference §2 __del__: an alive tasklet with C state is killed when collected.
    Log log;
    Scheduler s;
    {
        Tasklet t = mk("w", [&] {
            Finally fin{log, "w unwound"};
            log.push_back("w starts");
            try {
                spindle::schedule_remove();
            } catch (const TaskletExit&) {
                log.push_back("w got TaskletExit");
                throw;
            }
            log.push_back("w not reached");
        });
        s.run();
        log.push_back("w " + flags(t));
    }
    log.push_back("handle dropped");
    s.run();
    log.push_back("after run");
    EXPECT_EQ(log, (Log{"w starts", "w " + kPaused, "handle dropped", "w got TaskletExit", "w unwound",
                        "after run"}));
    EXPECT_EQ(s.stats().tasklets_finished, 1u);
}

TEST(Lifetime, UnreferencedPausedTaskletIsUnwoundBeforeRunReturns) {
    // A tasklet that pauses itself while nobody holds a handle is collected by run().
    Log log;
    Scheduler s;
    spindle::spawn([&] {
        Finally fin{log, "w unwound"};
        log.push_back("w starts");
        spindle::schedule_remove();
        log.push_back("w not reached");
    });
    s.run();
    log.push_back("run returned");
    EXPECT_EQ(log, (Log{"w starts", "w unwound", "run returned"}));
}

TEST(Lifetime, DroppedPausedTaskletIsUnwoundAtSchedulerTeardown) {
    Log log;
    {
        Scheduler s;
        {
            Tasklet t = mk("w", [&] {
                Finally fin{log, "w unwound"};
                spindle::schedule_remove();
                log.push_back("w not reached");
            });
            s.run();
        }
        log.push_back("handle dropped");
    }
    log.push_back("scheduler gone");
    EXPECT_EQ(log, (Log{"handle dropped", "w unwound", "scheduler gone"}));
}

TEST(Lifetime, SchedulerTeardownUnwindsEveryLiveTasklet) {
    // Stackless kills tasklets with C state when their thread ends (reference §2
    // rule 7), in no promised order: compare as a sorted set.
    Log log;
    Log unwound;
    {
        Scheduler s;
        Channel<int> channel;
        // The bodies own the channel, so the blocked one is still blocked at teardown.
        auto worker = [&unwound, &log, ch = channel](std::string nm, int how) mutable {
            Finally fin{unwound, nm};
            try {
                if (how == 0) {
                    ch.receive();  // blocked
                } else if (how == 1) {
                    spindle::schedule_remove();  // paused
                } else {
                    for (;;) spindle::schedule();  // runnable
                }
            } catch (const TaskletExit&) {
                log.push_back(nm + " got TaskletExit");
                throw;
            }
        };
        Tasklet blocked = mk("blocked", worker, std::string("blocked"), 0);
        Tasklet paused = mk("paused", worker, std::string("paused"), 1);
        Tasklet runnable = mk("runnable", worker, std::string("runnable"), 2);
        s.schedule();  // one round: each reaches its state, main resumes
        Tasklet never_ran = mk("new", worker, std::string("new"), 0);
        log.push_back("blocked " + flags(blocked) + " paused " + flags(paused) + " runnable " + flags(runnable) +
                      " new " + flags(never_ran));
    }
    std::sort(unwound.begin(), unwound.end());
    EXPECT_EQ(unwound, (Log{"blocked", "paused", "runnable"}));  // "new" never ran: nothing to unwind
    std::sort(log.begin() + 1, log.end());
    EXPECT_EQ(log, (Log{"blocked " + kBlocked + " paused " + kPaused + " runnable " + kRunnable + " new " + kRunnable,
                        "blocked got TaskletExit", "paused got TaskletExit", "runnable got TaskletExit"}));
}

TEST(Lifetime, TeardownUnwindsByForceATaskletThatSwallowsEveryKill) {
    // Kill after kill is caught and ignored: teardown still unwinds the stack
    // (destructors run) instead of leaking it or hanging.
    Log log;
    int kills_swallowed = 0;
    {
        Scheduler s;
        Tasklet t = mk("swallower", [&] {
            Finally fin{log, "unwound"};
            for (;;) {
                try {
                    spindle::schedule_remove();
                } catch (const TaskletExit&) {
                    ++kills_swallowed;
                }
            }
        });
        s.run();
        log.push_back("paused " + flags(t));
    }
    log.push_back("scheduler gone");
    EXPECT_EQ(log, (Log{"paused " + kPaused, "unwound", "scheduler gone"}));
    EXPECT_GE(kills_swallowed, 1);
}

TEST(Lifetime, TeardownTakesABlockedSwallowerOffItsChannelBeforeUnwinding) {
    Log log;
    {
        Scheduler s;
        Channel<int> channel;
        Tasklet t = mk("swallower", [&log, ch = channel]() mutable {
            Finally fin{log, "unwound"};
            for (;;) {
                try {
                    ch.receive();
                } catch (const TaskletExit&) {
                }
            }
        });
        s.run();
        log.push_back("blocked " + flags(t) + " balance " + std::to_string(channel.balance()));
    }
    log.push_back("scheduler gone");
    EXPECT_EQ(log, (Log{"blocked " + kBlocked + " balance -1", "unwound", "scheduler gone"}));
}

}  // namespace
