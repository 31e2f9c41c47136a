// Channels, as real Stackless 3.7 behaves (tests/scripts/stackless:
// channel_preference.py, channel_close.py, callbacks.py), and typed channels
// carrying values that Python never had to worry about.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <numeric>
#include <ranges>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "oracle.hpp"
#include "spindle/tasklets.hpp"

namespace {

using oracle::error_of;
using oracle::Log;
using oracle::mk;
using oracle::Names;
using oracle::py;
using oracle::queue_names;
using oracle::tflags;
using spindle::Channel;
using spindle::Payload;
using spindle::Tasklet;

std::string str(int v) { return std::to_string(v); }
std::string str(const std::string& v) { return v; }

// Python exceptions with their args, to check that the arguments arrive.
class PyArgs {
public:
    explicit PyArgs(std::string a) : repr_("('" + a + "',)") {}
    PyArgs(std::string a, int b) : repr_("('" + a + "', " + std::to_string(b) + ")") {}
    const std::string& args() const { return repr_; }

private:
    std::string repr_;
};
struct PyValueError : PyArgs {
    using PyArgs::PyArgs;
};
struct PyKeyError : PyArgs {
    using PyArgs::PyArgs;
};

// The scripts' receiver/sender/other, logging as they do.
struct Actors {
    Log log;
    Names names;
    spindle::Scheduler s;
    Actors() { names.add(spindle::getmain(), "main"); }

    template <class T>
    void receiver(const std::string& nm, Channel<T> ch) {
        log.push_back(nm + " receiving");
        T v = ch.receive();
        log.push_back(nm + " got " + str(v));
    }
    template <class T>
    void sender(const std::string& nm, Channel<T> ch, T v) {
        log.push_back(nm + " sending " + str(v));
        ch.send(v);
        log.push_back(nm + " sent " + str(v));
    }
    void other(const std::string& nm) {
        log.push_back(nm + " runs");
        spindle::schedule();
        log.push_back(nm + " runs again");
    }
    template <class T>
    Tasklet mk_receiver(const std::string& nm, Channel<T> ch) {
        return mk(names, nm, [this, nm, ch] { receiver(nm, ch); });
    }
    template <class T>
    Tasklet mk_sender(const std::string& nm, Channel<T> ch, T v) {
        return mk(names, nm, [this, nm, ch, v] { sender(nm, ch, v); });
    }
    Tasklet mk_other(const std::string& nm) {
        return mk(names, nm, [this, nm] { other(nm); });
    }
    std::string queue() const { return queue_names(names); }
};

// ------------------------------------------------------------ preference

struct PreferenceCase {
    int preference;
    bool schedule_all;
    Log expected;
};

// Stable test names ("preference_minus1_schedule_all"): CTest discovers tests
// by name, so a name must not depend on the bytes of the parameter.
std::string case_name(const testing::TestParamInfo<PreferenceCase>& info) {
    std::string name = info.param.preference < 0 ? "preference_minus1" : "preference_" + std::to_string(info.param.preference);
    return name + (info.param.schedule_all ? "_schedule_all" : "");
}

// oracle: channel_preference.py send_case(pref, sched_all): R, S, X queued, main in run()
class SendWithWaitingReceiver : public testing::TestWithParam<PreferenceCase> {};

TEST_P(SendWithWaitingReceiver, RunOrder) {
    Actors a;
    Channel<std::string> ch;
    ch.set_preference(GetParam().preference);
    ch.set_schedule_all(GetParam().schedule_all);
    a.mk_receiver("R", ch);
    a.mk_sender("S", ch, std::string("v"));
    a.mk_other("X");
    a.s.run();
    EXPECT_EQ(a.log, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    ChannelPreference, SendWithWaitingReceiver,
    testing::Values(
        // "send with waiting receiver, preference -1 schedule_all 0": the receiver runs at once
        PreferenceCase{-1, false, {"R receiving", "S sending v", "R got v", "X runs", "S sent v", "X runs again"}},
        // "preference 0 schedule_all 0": the sender continues
        PreferenceCase{0, false, {"R receiving", "S sending v", "S sent v", "X runs", "R got v", "X runs again"}},
        // "preference 1 schedule_all 0"
        PreferenceCase{1, false, {"R receiving", "S sending v", "S sent v", "X runs", "R got v", "X runs again"}},
        // "preference -1 schedule_all 1": partner appended, the caller yields
        PreferenceCase{-1, true, {"R receiving", "S sending v", "X runs", "R got v", "S sent v", "X runs again"}},
        // "preference 1 schedule_all 1"
        PreferenceCase{1, true, {"R receiving", "S sending v", "X runs", "R got v", "S sent v", "X runs again"}}),
    case_name);

// oracle: channel_preference.py recv_case(pref, sched_all): S, R, X queued, main in run()
class ReceiveWithWaitingSender : public testing::TestWithParam<PreferenceCase> {};

TEST_P(ReceiveWithWaitingSender, RunOrder) {
    Actors a;
    Channel<std::string> ch;
    ch.set_preference(GetParam().preference);
    ch.set_schedule_all(GetParam().schedule_all);
    a.mk_sender("S", ch, std::string("v"));
    a.mk_receiver("R", ch);
    a.mk_other("X");
    a.s.run();
    EXPECT_EQ(a.log, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    ChannelPreference, ReceiveWithWaitingSender,
    testing::Values(
        // "receive with waiting sender, preference -1 schedule_all 0": the receiver continues
        PreferenceCase{-1, false, {"S sending v", "R receiving", "R got v", "X runs", "S sent v", "X runs again"}},
        // "preference 0 schedule_all 0"
        PreferenceCase{0, false, {"S sending v", "R receiving", "R got v", "X runs", "S sent v", "X runs again"}},
        // "preference 1 schedule_all 0": the sender runs at once
        PreferenceCase{1, false, {"S sending v", "R receiving", "S sent v", "X runs", "R got v", "X runs again"}},
        // "preference -1 schedule_all 1"
        PreferenceCase{-1, true, {"S sending v", "R receiving", "X runs", "S sent v", "R got v", "X runs again"}},
        // extra Stackless 3.7 run "schedule_all, receive, preference 1"
        PreferenceCase{1, true, {"S sending v", "R receiving", "X runs", "S sent v", "R got v", "X runs again"}}),
    case_name);

// oracle: channel_preference.py "preference clamping and defaults"
TEST(ChannelPreference, ClampingAndDefaults) {
    spindle::Scheduler s;
    Channel<int> ch;
    EXPECT_EQ(ch.preference(), -1);
    EXPECT_FALSE(ch.schedule_all());
    ch.set_preference(5);
    EXPECT_EQ(ch.preference(), 1);
    ch.set_preference(-7);
    EXPECT_EQ(ch.preference(), -1);
    ch.set_preference(0);
    EXPECT_EQ(ch.preference(), 0);
    ch.set_schedule_all(true);
    EXPECT_TRUE(ch.schedule_all());
}

// oracle: channel_preference.py main_send_case(pref): main in the queue sends to a waiting R
Log main_send_case(int pref) {
    Actors a;
    Channel<std::string> ch;
    ch.set_preference(pref);
    a.mk_receiver("R", ch);
    a.mk_other("X");
    spindle::schedule();
    a.log.push_back("main: balance " + str(ch.balance()) + " queue " + a.queue());
    ch.send("m");
    a.log.push_back("main after send; queue " + a.queue());
    a.s.run();
    return a.log;
}

TEST(ChannelPreference, MainSendsToAWaitingReceiver) {
    // "- preference -1"
    EXPECT_EQ(main_send_case(-1), (Log{"R receiving", "X runs", "main: balance -1 queue main X", "R got m",
                                       "X runs again", "main after send; queue main"}));
    // "- preference 0"
    EXPECT_EQ(main_send_case(0), (Log{"R receiving", "X runs", "main: balance -1 queue main X",
                                      "main after send; queue main X R", "X runs again", "R got m"}));
    // "- preference 1"
    EXPECT_EQ(main_send_case(1), (Log{"R receiving", "X runs", "main: balance -1 queue main X",
                                      "main after send; queue main X R", "X runs again", "R got m"}));
}

// oracle: channel_preference.py main_recv_case(pref): main in the queue receives from a waiting S
Log main_recv_case(int pref) {
    Actors a;
    Channel<std::string> ch;
    ch.set_preference(pref);
    a.mk_sender("S", ch, std::string("m"));
    a.mk_other("X");
    spindle::schedule();
    a.log.push_back("main: balance " + str(ch.balance()) + " queue " + a.queue());
    std::string v = ch.receive();
    a.log.push_back("main received " + v + " queue " + a.queue());
    a.s.run();
    return a.log;
}

TEST(ChannelPreference, MainReceivesFromAWaitingSender) {
    // "- preference -1"
    EXPECT_EQ(main_recv_case(-1), (Log{"S sending m", "X runs", "main: balance 1 queue main X",
                                       "main received m queue main X S", "X runs again", "S sent m"}));
    // "- preference 0"
    EXPECT_EQ(main_recv_case(0), (Log{"S sending m", "X runs", "main: balance 1 queue main X",
                                      "main received m queue main X S", "X runs again", "S sent m"}));
    // "- preference 1"
    EXPECT_EQ(main_recv_case(1), (Log{"S sending m", "X runs", "main: balance 1 queue main X", "S sent m",
                                      "X runs again", "main received m queue main"}));
}

// ------------------------------------------------------- balance and queue

// oracle: channel_preference.py "balance and queue with blocked senders"
TEST(ChannelQueue, BlockedSendersInFifoOrder) {
    Actors a;
    Channel<int> ch;
    Tasklet s1 = a.mk_sender("s1", ch, 1);
    Tasklet s2 = a.mk_sender("s2", ch, 2);
    Tasklet s3 = a.mk_sender("s3", ch, 3);
    auto state = [&] { return "balance " + str(ch.balance()) + " queue " + oracle::chan_queue(ch, a.names); };
    a.log.push_back(state());
    a.s.run();
    a.log.push_back(state());
    a.log.push_back("s1 next " + a.names(s1.next()) + " prev " + a.names(s1.prev()));
    a.log.push_back("s2 next " + a.names(s2.next()) + " prev " + a.names(s2.prev()));
    a.log.push_back("s3 next " + a.names(s3.next()) + " prev " + a.names(s3.prev()));
    a.log.push_back("s2 blocked " + py(s2.blocked()) + " scheduled " + py(s2.scheduled()) + " paused " +
                    py(s2.paused()) + " channel is ch " + py(s2.channel() == &ch.object()));
    a.log.push_back("runcount " + str(spindle::getruncount()));
    EXPECT_EQ(ch.blocked_tasklets(), (std::vector<Tasklet>{s1, s2, s3}));
    EXPECT_EQ(s2.blocked_direction(), 1);
    int v = ch.receive();
    a.log.push_back("main received " + str(v) + " " + state());
    a.log.push_back("main queue " + a.queue());
    a.s.run();
    a.log.push_back(state());
    v = ch.receive();
    a.log.push_back("received " + str(v) + " balance " + str(ch.balance()));
    a.log.push_back("main queue " + a.queue());
    v = ch.receive();
    a.log.push_back("received " + str(v) + " balance " + str(ch.balance()));
    a.s.run();
    a.log.push_back(state());
    EXPECT_EQ(a.log, (Log{
                         "balance 0 queue []",
                         "s1 sending 1",
                         "s2 sending 2",
                         "s3 sending 3",
                         "balance 3 queue [s1 s2 s3]",
                         "s1 next s2 prev None",
                         "s2 next s3 prev s1",
                         "s3 next None prev s2",
                         "s2 blocked True scheduled True paused False channel is ch True",
                         "runcount 1",
                         "main received 1 balance 2 queue [s2 s3]",
                         "main queue main s1",
                         "s1 sent 1",
                         "balance 2 queue [s2 s3]",
                         "received 2 balance 1",
                         "main queue main s2",
                         "received 3 balance 0",
                         "s2 sent 2",
                         "s3 sent 3",
                         "balance 0 queue []",
                     }));
    EXPECT_TRUE(ch.blocked_tasklets().empty());
}

// oracle: channel_preference.py "balance and queue with blocked receivers"
TEST(ChannelQueue, BlockedReceiversServedFifo) {
    Actors a;
    Channel<std::string> ch;
    Tasklet r1 = a.mk_receiver("r1", ch);
    Tasklet r2 = a.mk_receiver("r2", ch);
    a.s.run();
    a.log.push_back("balance " + str(ch.balance()) + " queue " + oracle::chan_queue(ch, a.names) + " r1 blocked " +
                    py(r1.blocked()));
    EXPECT_EQ(ch.blocked_tasklets(), (std::vector<Tasklet>{r1, r2}));
    EXPECT_EQ(r1.blocked_direction(), -1);
    ch.send("a");
    a.log.push_back("after send a: balance " + str(ch.balance()) + " queue " + oracle::chan_queue(ch, a.names));
    ch.send("b");
    a.log.push_back("after send b: balance " + str(ch.balance()) + " queue " + oracle::chan_queue(ch, a.names));
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "r1 receiving",
                         "r2 receiving",
                         "balance -2 queue [r1 r2] r1 blocked True",
                         "r1 got a",
                         "after send a: balance -1 queue [r2]",
                         "r2 got b",
                         "after send b: balance 0 queue []",
                     }));
}

// Blocked senders keep their values in their tempval, readable in queue order.
// oracle: extra Stackless 3.7 run (blocked senders' tempval 'one', 'two')
TEST(ChannelQueue, PendingValuesOfBlockedSenders) {
    spindle::Scheduler s;
    Channel<std::string> ch;
    Channel<std::string> other;
    Tasklet s1 = spindle::spawn([&] { ch.send("one"); });
    Tasklet s2 = spindle::spawn([&] { ch.send("two"); });
    Tasklet r = spindle::spawn([&] { ch.receive(); });  // pairs with s1 once it runs
    Tasklet idle = spindle::spawn([&] { other.receive(); });
    s.run();
    ASSERT_EQ(ch.blocked_tasklets(), (std::vector<Tasklet>{s2}));
    const Payload* pending = ch.object().pending_value(s2);
    ASSERT_NE(pending, nullptr);
    EXPECT_EQ(pending->get<std::string>(), "two");
    EXPECT_EQ(ch.object().pending_value(s1), nullptr);    // dead: not blocked here
    EXPECT_EQ(ch.object().pending_value(idle), nullptr);  // blocked, but on another channel
    EXPECT_EQ(other.object().pending_value(idle), nullptr);  // a receiver has no pending value
    EXPECT_EQ(ch.receive(), "two");
    other.send("bye");
}

// oracle: channel_preference.py "send_exception to a waiting receiver"
TEST(ChannelQueue, SendExceptionAndSendThrowReachTheReceiver) {
    Actors a;
    Channel<std::string> ch;
    auto catcher = [&](std::string nm) {
        try {
            ch.receive();
        } catch (const PyValueError& e) {
            a.log.push_back(nm + " caught ValueError " + e.args());
        }
    };
    mk(a.names, "c1", catcher, "c1");
    a.s.run();
    ch.send_exception<PyValueError>("x", 2);
    a.log.push_back("main after send_exception, balance " + str(ch.balance()));
    mk(a.names, "c2", catcher, "c2");
    a.s.run();
    ch.send_throw(std::make_exception_ptr(PyValueError("thrown")));
    a.log.push_back("main after send_throw, balance " + str(ch.balance()));
    EXPECT_EQ(a.log, (Log{
                         "c1 caught ValueError ('x', 2)",
                         "main after send_exception, balance 0",
                         "c2 caught ValueError ('thrown',)",
                         "main after send_throw, balance 0",
                     }));
}

// A sender of an exception that blocks carries the bomb in its tempval; when it
// blocks as the last runnable tasklet, Stackless hands that bomb to the
// watchdog too, so run() raises it (schedule_task_block), and the receiver
// still gets it later.
// oracle: extra Stackless 3.7 run "send_exception blocks as a sender"
TEST(ChannelQueue, BlockedExceptionSender) {
    Actors a;
    Channel<std::string> ch;
    Tasklet xs = mk(a.names, "xs", [&] {
        a.log.push_back("xs sending exception");
        ch.send_exception<PyKeyError>("late");
        a.log.push_back("xs done");
    });
    try {
        a.s.run();
    } catch (const PyKeyError& e) {
        a.log.push_back("run raised KeyError " + e.args());
    }
    a.log.push_back("balance " + str(ch.balance()) + " xs " + tflags(xs));
    try {
        ch.receive();
    } catch (const PyKeyError& e) {
        a.log.push_back("main caught KeyError " + e.args());
    }
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "xs sending exception",
                         "run raised KeyError ('late',)",
                         "balance 1 xs alive=True blocked=True scheduled=True paused=False",
                         "main caught KeyError ('late',)",
                         "xs done",
                     }));
}

// oracle: extra Stackless 3.7 run "block_trap: pairing works, blocking fails"
TEST(ChannelQueue, BlockTrapAllowsPairingButNotBlocking) {
    Actors a;
    Channel<std::string> ch;
    a.mk_sender("S", ch, std::string("w"));
    a.s.run();
    Tasklet main = spindle::getmain();
    main.set_block_trap(true);
    std::string v = ch.receive();
    a.log.push_back("main got " + v);
    a.log.push_back("blocking receive: " + error_of<spindle::RuntimeError>([&] { ch.receive(); }));
    main.set_block_trap(false);
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "S sending w",
                         "main got w",
                         "blocking receive: this tasklet does not like to be blocked.",
                         "S sent w",
                     }));
    EXPECT_EQ(ch.balance(), 0);
}

// Main blocked in receive() with main-in-queue scheduling: the sender (pref -1)
// switches to main at once and is queued right before it.
// oracle: extra Stackless 3.7 run "main blocked receiver is fed by a tasklet inside schedule"
TEST(ChannelQueue, BlockedMainIsFedByATasklet) {
    Actors a;
    Channel<std::string> ch;
    mk(a.names, "feeder", [&] {
        a.log.push_back("feeder sends");
        ch.send("fed");
        a.log.push_back("feeder after send");
    });
    a.mk_other("X");
    std::string v = ch.receive();
    a.log.push_back("main got " + v + " rc " + str(spindle::getruncount()));
    a.s.run();
    EXPECT_EQ(a.log, (Log{"feeder sends", "main got fed rc 3", "X runs", "feeder after send", "X runs again"}));
}

// ------------------------------------------------------------ close/open

std::string state(const Channel<std::string>& ch) {
    return "balance=" + str(ch.balance()) + " closing=" + py(ch.closing()) + " closed=" + py(ch.closed());
}
std::string state(const Channel<int>& ch) {
    return "balance=" + str(ch.balance()) + " closing=" + py(ch.closing()) + " closed=" + py(ch.closed());
}

// channel_close.py's sender and receiver, which catch ValueError
struct CloseActors : Actors {
    void sender(const std::string& nm, Channel<std::string> ch, const std::string& v) {
        log.push_back(nm + " sending " + v);
        try {
            ch.send(v);
            log.push_back(nm + " sent " + v);
        } catch (const spindle::ValueError& e) {
            log.push_back(nm + " send ValueError: " + e.what());
        }
    }
    void receiver(const std::string& nm, Channel<std::string> ch) {
        log.push_back(nm + " receiving");
        try {
            std::string v = ch.receive();
            log.push_back(nm + " got " + v);
        } catch (const spindle::ValueError& e) {
            log.push_back(nm + " receive ValueError: " + e.what());
        }
    }
    Tasklet mk_sender(const std::string& nm, Channel<std::string> ch, std::string v) {
        return mk(names, nm, [this, nm, ch, v] { sender(nm, ch, v); });
    }
    Tasklet mk_receiver(const std::string& nm, Channel<std::string> ch) {
        return mk(names, nm, [this, nm, ch] { receiver(nm, ch); });
    }
};

// oracle: channel_close.py "close and open an empty channel"
TEST(ChannelClose, CloseAndOpenAnEmptyChannel) {
    spindle::Scheduler s;
    Channel<std::string> ch;
    Log log{state(ch)};
    ch.close();
    log.push_back("after close " + state(ch));
    ch.close();
    log.push_back("after second close " + state(ch));
    ch.open();
    log.push_back("after open " + state(ch));
    EXPECT_EQ(log, (Log{
                       "balance=0 closing=False closed=False",
                       "after close balance=0 closing=True closed=True",
                       "after second close balance=0 closing=True closed=True",
                       "after open balance=0 closing=False closed=False",
                   }));
}

// oracle: channel_close.py "blocking operations on a closed channel"
TEST(ChannelClose, BlockingOperationsRaiseValueError) {
    CloseActors a;
    Channel<std::string> ch;
    ch.close();
    auto value_error = [](auto&& f) { return error_of<spindle::ValueError>(f); };
    a.log.push_back("send: " + value_error([&] { ch.send("1"); }));
    a.log.push_back("receive: " + value_error([&] { ch.receive(); }));
    a.log.push_back("send_exception: " + value_error([&] { ch.send_exception<PyValueError>("k"); }));
    a.log.push_back(state(ch));
    a.mk_sender("S", ch, "1");
    a.mk_receiver("R", ch);
    a.s.run();
    a.log.push_back(state(ch));
    EXPECT_EQ(a.log, (Log{
                         "send: Send/receive operation on a closed channel",
                         "receive: Send/receive operation on a closed channel",
                         "send_exception: Send/receive operation on a closed channel",
                         "balance=0 closing=True closed=True",
                         "S sending 1",
                         "S send ValueError: Send/receive operation on a closed channel",
                         "R receiving",
                         "R receive ValueError: Send/receive operation on a closed channel",
                         "balance=0 closing=True closed=True",
                     }));
    EXPECT_EQ(spindle::getcurrent().tempval().empty(), true);  // the failed send left nothing behind
}

// oracle: channel_close.py "close with blocked senders: the queue drains"
TEST(ChannelClose, BlockedSendersDrainAfterClose) {
    CloseActors a;
    Channel<std::string> ch;
    a.mk_sender("s1", ch, "1");
    a.mk_sender("s2", ch, "2");
    a.s.run();
    ch.close();
    a.log.push_back("after close " + state(ch));
    std::string v = ch.receive();
    a.log.push_back("received " + v + " " + state(ch));
    v = ch.receive();
    a.log.push_back("received " + v + " " + state(ch));
    a.log.push_back("third receive: " + error_of<spindle::ValueError>([&] { ch.receive(); }));
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "s1 sending 1",
                         "s2 sending 2",
                         "after close balance=2 closing=True closed=False",
                         "received 1 balance=1 closing=True closed=False",
                         "received 2 balance=0 closing=True closed=True",
                         "third receive: Send/receive operation on a closed channel",
                         "s1 sent 1",
                         "s2 sent 2",
                     }));
}

// oracle: channel_close.py "blocked receivers stay blocked after close" and "reopened channel blocks again"
TEST(ChannelClose, BlockedReceiversStayBlockedAfterClose) {
    CloseActors a;
    Channel<std::string> ch;
    Tasklet r1 = a.mk_receiver("r1", ch);
    Tasklet r2 = a.mk_receiver("r2", ch);
    a.s.run();
    ch.close();
    a.log.push_back("after close " + state(ch) + " r1 " + tflags(r1));
    a.s.run();
    a.log.push_back("after run " + state(ch) + " r1 " + tflags(r1) + " runcount " + str(spindle::getruncount()));
    ch.send("x");
    a.log.push_back("after send " + state(ch));
    ch.open();
    a.log.push_back("after open " + state(ch) + " r2 " + tflags(r2));
    ch.send("y");
    a.log.push_back("after send " + state(ch));
    a.log.push_back("--- reopened channel blocks again");
    ch.close();
    ch.open();
    a.mk_sender("s", ch, "z");
    a.s.run();
    a.log.push_back(state(ch));
    std::string v = ch.receive();
    a.log.push_back("received " + v);
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "r1 receiving",
                         "r2 receiving",
                         "after close balance=-2 closing=True closed=False r1 alive=True blocked=True scheduled=True "
                         "paused=False",
                         "after run balance=-2 closing=True closed=False r1 alive=True blocked=True scheduled=True "
                         "paused=False runcount 1",
                         "r1 got x",
                         "after send balance=-1 closing=True closed=False",
                         "after open balance=-1 closing=False closed=False r2 alive=True blocked=True scheduled=True "
                         "paused=False",
                         "r2 got y",
                         "after send balance=0 closing=False closed=False",
                         "--- reopened channel blocks again",
                         "s sending z",
                         "balance=1 closing=False closed=False",
                         "received z",
                         "s sent z",
                     }));
}

// oracle: extra Stackless 3.7 run "close with a blocked exception sender"
TEST(ChannelClose, BlockedExceptionSenderStillDeliversAfterClose) {
    CloseActors a;
    Channel<std::string> ch;
    mk(a.names, "xs", [&] {
        a.log.push_back("xs sending exception");
        ch.send_exception<PyKeyError>("late");
        a.log.push_back("xs done");
    });
    spindle::schedule();
    ch.close();
    a.log.push_back("closing " + py(ch.closing()) + " closed " + py(ch.closed()));
    try {
        ch.receive();
    } catch (const PyKeyError& e) {
        a.log.push_back("main caught " + e.args() + " closed " + py(ch.closed()));
    }
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "xs sending exception",
                         "closing True closed False",
                         "main caught ('late',) closed True",
                         "xs done",
                     }));
}

// ------------------------------------------------------------- iteration

// channel_close.py's iterate(nm, ch) and producer(nm, ch, n)
struct Iteration : Actors {
    void iterate(const std::string& nm, Channel<int> ch) {
        log.push_back(nm + " iterating");
        for (int& x : ch) log.push_back(nm + " item " + str(x));
        log.push_back(nm + " loop ended " + state(ch));
    }
    void producer(const std::string& nm, Channel<int> ch, int n) {
        for (int i = 0; i < n; ++i) {
            log.push_back(nm + " send " + str(i));
            ch.send(i);
        }
        log.push_back(nm + " closing");
        ch.close();
        log.push_back(nm + " closed " + state(ch));
    }
    Tasklet mk_iterate(const std::string& nm, Channel<int> ch) {
        return mk(names, nm, [this, nm, ch] { iterate(nm, ch); });
    }
    Tasklet mk_producer(const std::string& nm, Channel<int> ch, int n) {
        return mk(names, nm, [this, nm, ch, n] { producer(nm, ch, n); });
    }
};

// An iterator blocked inside its receive when the producer closes stays
// blocked: close() wakes nobody.
// oracle: channel_close.py "iteration ended by close (sender closes after last send)"
TEST(ChannelIteration, CloseDoesNotWakeABlockedIterator) {
    Iteration a;
    Channel<int> ch;
    Tasklet it = a.mk_iterate("it", ch);
    a.mk_producer("p", ch, 3);
    a.s.run();
    a.log.push_back("it " + tflags(it) + " " + state(ch));
    EXPECT_EQ(a.log, (Log{
                         "it iterating",
                         "p send 0",
                         "it item 0",
                         "p send 1",
                         "it item 1",
                         "p send 2",
                         "it item 2",
                         "p closing",
                         "p closed balance=-1 closing=True closed=False",
                         "it alive=True blocked=True scheduled=True paused=False balance=-1 closing=True closed=False",
                     }));
}

// oracle: channel_close.py "iteration on a channel closed while the iterator is not blocked"
TEST(ChannelIteration, CloseEndsTheLoopOfAnIteratorThatIsNotBlocked) {
    Iteration a;
    Channel<int> ch;
    ch.set_preference(1);
    Tasklet it = a.mk_iterate("it", ch);
    a.mk_producer("p", ch, 2);
    a.s.run();
    a.log.push_back("it " + tflags(it) + " " + state(ch));
    EXPECT_EQ(a.log, (Log{
                         "it iterating",
                         "p send 0",
                         "p send 1",
                         "it item 0",
                         "p closing",
                         "p closed balance=0 closing=True closed=True",
                         "it item 1",
                         "it loop ended balance=0 closing=True closed=True",
                         "it alive=False blocked=False scheduled=False paused=False balance=0 closing=True closed=True",
                     }));
}

// oracle: channel_close.py "iteration ended by send_exception(StopIteration)"
TEST(ChannelIteration, StopIterationEndsTheLoop) {
    Iteration a;
    Channel<int> ch;
    a.mk_iterate("it", ch);
    mk(a.names, "st", [&] {
        ch.send(10);
        ch.send(11);
        a.log.push_back("st sending StopIteration");
        ch.send_exception<spindle::StopIteration>();
        a.log.push_back("st end");
    });
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "it iterating",
                         "it item 10",
                         "it item 11",
                         "st sending StopIteration",
                         "it loop ended balance=0 closing=False closed=False",
                         "st end",
                     }));
}

// oracle: extra Stackless 3.7 run "StopIteration queued before the iterator arrives"
TEST(ChannelIteration, StopIterationQueuedBeforeTheIterator) {
    Iteration a;
    Channel<int> ch;
    mk(a.names, "stopper", [&] {
        ch.send(1);
        ch.send_exception<spindle::StopIteration>();
        a.log.push_back("stopper end");
    });
    a.s.run();
    a.log.push_back("balance " + str(ch.balance()));
    mk(a.names, "it", [&] {
        for (int& v : ch) a.log.push_back("item " + str(v));
        a.log.push_back("loop ended " + str(ch.balance()));
    });
    a.s.run();
    EXPECT_EQ(a.log, (Log{"balance 1", "item 1", "loop ended 0", "stopper end"}));
}

// oracle: channel_close.py "iterating a closed empty channel"
TEST(ChannelIteration, ClosedEmptyChannelEndsAtOnce) {
    spindle::Scheduler s;
    Channel<int> ch;
    ch.close();
    Log log;
    for (int& x : ch) log.push_back("never " + str(x));
    log.push_back("loop ended at once");
    EXPECT_EQ(log, (Log{"loop ended at once"}));
    EXPECT_TRUE(ch.begin() == ch.end());
}

// oracle: channel_close.py "send_sequence"
TEST(ChannelIteration, SendSequence) {
    Iteration a;
    Channel<std::string> letters;
    mk(a.names, "c", [&] {
        std::string got;
        for (int i = 0; i < 3; ++i) got += (i ? ", '" : "'") + letters.receive() + "'";
        a.log.push_back("c collected [" + got + "]");
    });
    std::size_t n = letters.send_sequence(std::vector<std::string>{"a", "b", "c"});
    a.log.push_back("send_sequence returned " + str(static_cast<int>(n)));

    // The script reuses one channel; ints get their own here (Channel<int>).
    Channel<int> ch;
    Tasklet it2 = a.mk_iterate("it2", ch);
    spindle::schedule();
    n = ch.send_sequence(std::views::iota(0, 4));
    a.log.push_back("send_sequence returned " + str(static_cast<int>(n)) + " " + state(ch) + " it2 " + tflags(it2));
    ch.close();
    a.log.push_back("after close " + state(ch));
    n = ch.send_sequence(std::vector<int>{});
    a.log.push_back("send_sequence([]) on closed channel returned " + str(static_cast<int>(n)));
    try {
        n = ch.send_sequence(std::vector<int>{1, 2});
        a.log.push_back("send_sequence([1, 2]) returned " + str(static_cast<int>(n)));
    } catch (const spindle::ValueError& e) {
        a.log.push_back(std::string("send_sequence([1, 2]) on closed channel: ") + e.what());
    }
    a.log.push_back("it2 " + tflags(it2) + " " + state(ch));
    a.s.run();
    a.log.push_back("done");
    EXPECT_EQ(a.log,
              (Log{
                  "c collected ['a', 'b', 'c']",
                  "send_sequence returned 3",
                  "it2 iterating",
                  "it2 item 0",
                  "it2 item 1",
                  "it2 item 2",
                  "it2 item 3",
                  "send_sequence returned 4 balance=-1 closing=False closed=False it2 alive=True blocked=True "
                  "scheduled=True paused=False",
                  "after close balance=-1 closing=True closed=False",
                  "send_sequence([]) on closed channel returned 0",
                  "it2 item 1",
                  "it2 loop ended balance=0 closing=True closed=True",
                  "send_sequence([1, 2]) on closed channel: Send/receive operation on a closed channel",
                  "it2 alive=False blocked=False scheduled=False paused=False balance=0 closing=True closed=True",
                  "done",
              }));
}

// ------------------------------------------------------ channel callback

// callbacks.py's chan_cb, on channels named by their Channel(name).
struct ChannelTrace : Actors {
    void trace() {
        s.set_channel_callback([this](spindle::ChannelObject& ch, const Tasklet& t, bool sending, bool will_block) {
            log.push_back("  chan " + ch.name() + " " + names(t) + " sending " + str(sending) + " willblock " +
                          str(will_block));
        });
    }
};

// oracle: callbacks.py "channel callback" up to "closed channel error"
TEST(ChannelCallback, CalledOncePerOperationByTheCaller) {
    ChannelTrace a;
    EXPECT_FALSE(a.s.channel_callback());
    a.trace();
    ASSERT_TRUE(a.s.channel_callback());
    Channel<std::string> ch("ch");
    a.mk_receiver("r", ch);
    a.mk_sender("s", ch, std::string("1"));
    a.s.run();
    a.log.push_back("- main sends to a blocked receiver");
    a.mk_receiver("r", ch);
    a.s.run();
    ch.send("2");
    a.log.push_back("- main receives from a blocked sender");
    a.mk_sender("s", ch, std::string("3"));
    a.s.run();
    std::string v = ch.receive();
    a.log.push_back("main got " + v);
    a.log.push_back("- main receives, blocks");
    a.mk_sender("s", ch, std::string("4"));
    v = ch.receive();
    a.log.push_back("main got " + v);
    a.s.run();
    a.log.push_back("- send_exception and send_sequence");
    mk(a.names, "c", [&] {
        try {
            ch.receive();
        } catch (const PyValueError& e) {
            a.log.push_back("c caught " + e.args());
        }
        for (std::string& x : ch) a.log.push_back("c item " + x);
    });
    a.s.run();
    ch.send_exception<PyValueError>("e");
    a.s.run();
    std::size_t n = ch.send_sequence(std::vector<std::string>{"x", "y"});
    a.log.push_back("send_sequence returned " + str(static_cast<int>(n)));
    ch.close();
    a.log.push_back("- send on the closed channel pairs with the still-blocked iterator");
    ch.send("5");
    a.log.push_back("- closed channel error: callback runs before the error");
    a.log.push_back("send: " + error_of<spindle::ValueError>([&] { ch.send("6"); }));
    EXPECT_EQ(a.log, (Log{
                         "r receiving",
                         "  chan ch r sending 0 willblock 1",
                         "s sending 1",
                         "  chan ch s sending 1 willblock 0",
                         "r got 1",
                         "s sent 1",
                         "- main sends to a blocked receiver",
                         "r receiving",
                         "  chan ch r sending 0 willblock 1",
                         "  chan ch main sending 1 willblock 0",
                         "r got 2",
                         "- main receives from a blocked sender",
                         "s sending 3",
                         "  chan ch s sending 1 willblock 1",
                         "  chan ch main sending 0 willblock 0",
                         "main got 3",
                         "- main receives, blocks",
                         "  chan ch main sending 0 willblock 1",
                         "s sent 3",
                         "s sending 4",
                         "  chan ch s sending 1 willblock 0",
                         "main got 4",
                         "s sent 4",
                         "- send_exception and send_sequence",
                         "  chan ch c sending 0 willblock 1",
                         "  chan ch main sending 1 willblock 0",
                         "c caught ('e',)",
                         "  chan ch c sending 0 willblock 1",
                         "  chan ch main sending 1 willblock 0",
                         "c item x",
                         "  chan ch c sending 0 willblock 1",
                         "  chan ch main sending 1 willblock 0",
                         "c item y",
                         "  chan ch c sending 0 willblock 1",
                         "send_sequence returned 2",
                         "- send on the closed channel pairs with the still-blocked iterator",
                         "  chan ch main sending 1 willblock 0",
                         "c item 5",
                         "- closed channel error: callback runs before the error",
                         "  chan ch main sending 1 willblock 1",
                         "send: Send/receive operation on a closed channel",
                     }));
}

// oracle: callbacks.py "kill a blocked receiver"
TEST(ChannelCallback, KillingABlockedTaskletCallsNothing) {
    ChannelTrace a;
    a.trace();
    Channel<std::string> ch2("ch2");
    Tasklet r = a.mk_receiver("r", ch2);
    a.s.run();
    r.kill();
    a.log.push_back("r alive " + py(r.alive()));
    EXPECT_EQ(a.log, (Log{"r receiving", "  chan ch2 r sending 0 willblock 1", "r alive False"}));
}

// oracle: callbacks.py "channel operation inside the channel callback"
TEST(ChannelCallback, RecursiveChannelCallIsAnError) {
    ChannelTrace a;
    Channel<std::string> ch2("ch2");
    Channel<std::string> ch3("ch3");
    bool inner_done = false;
    auto recursive_cb = [&](spindle::ChannelObject& ch, const Tasklet& t, bool sending, bool will_block) {
        a.log.push_back("  chan " + ch.name() + " " + a.names(t) + " sending " + str(sending) + " willblock " +
                        str(will_block));
        if (!inner_done) {
            inner_done = true;
            a.log.push_back("  inner send: " + error_of<spindle::RuntimeError>([&] { ch3.send("0"); }));
        }
    };
    a.s.set_channel_callback(recursive_cb);
    a.mk_receiver("r", ch2);
    a.s.run();
    ch2.send("v");
    spindle::ChannelCallback old = a.s.set_channel_callback(nullptr);
    EXPECT_TRUE(old);
    EXPECT_EQ(ch3.balance(), 0);
    EXPECT_EQ(a.log, (Log{
                         "r receiving",
                         "  chan ch2 r sending 0 willblock 1",
                         "  inner send: Recursive channel call due to callbacks!",
                         "  chan ch2 main sending 1 willblock 0",
                         "r got v",
                     }));
}

std::string repr(const Payload& p) {
    if (p.empty()) return "None";
    return "'" + p.get<std::string>() + "'";
}

// oracle: callbacks.py "tempval of the tasklet seen by the channel callback"
TEST(ChannelCallback, TempvalHoldsTheValueBeingSent) {
    Actors a;
    Channel<std::string> ch2("ch2");
    a.s.set_channel_callback([&](spindle::ChannelObject& ch, const Tasklet& t, bool sending, bool) {
        a.log.push_back("  chan " + ch.name() + " " + a.names(t) + " sending " + str(sending) + " tempval " +
                        repr(t.tempval()));
    });
    a.mk_receiver("r", ch2);
    a.s.run();
    ch2.send("payload");
    a.mk_sender("s", ch2, std::string("back"));
    a.s.run();
    std::string v = ch2.receive();
    a.log.push_back("main got " + v);
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "r receiving",
                         "  chan ch2 r sending 0 tempval None",
                         "  chan ch2 main sending 1 tempval 'payload'",
                         "r got payload",
                         "s sending back",
                         "  chan ch2 s sending 1 tempval 'back'",
                         "  chan ch2 main sending 0 tempval None",
                         "main got back",
                         "s sent back",
                     }));
}

// oracle: callbacks.py "both callbacks together"
TEST(ChannelCallback, InterleavesWithTheScheduleCallback) {
    ChannelTrace a;
    a.trace();
    a.s.set_schedule_callback([&](const Tasklet& prev, const Tasklet& next) {
        a.log.push_back("  switch " + a.names(prev) + " -> " + a.names(next));
    });
    Channel<std::string> ch("ch");
    a.mk_receiver("r", ch);
    a.mk_sender("s", ch, std::string("both"));
    a.s.run();
    EXPECT_EQ(a.log, (Log{
                         "  switch main -> r",
                         "r receiving",
                         "  chan ch r sending 0 willblock 1",
                         "  switch r -> s",
                         "s sending both",
                         "  chan ch s sending 1 willblock 0",
                         "  switch s -> r",
                         "r got both",
                         "  switch r -> s",
                         "s sent both",
                         "  switch s -> main",
                     }));
}

// oracle: callbacks.py "quirk: a failed channel call inside the callback
// clobbers the outer value". FINDINGS.md calls it a likely Stackless bug, but
// Stackless is the oracle: a script that runs on both must print the same.
TEST(ChannelCallback, FailedInnerCallClobbersTheOuterValueAsInStackless) {
    Actors a;
    Channel<std::string> ch2("ch2");
    Channel<std::string> ch3("ch3");
    a.s.set_channel_callback([&](spindle::ChannelObject&, const Tasklet&, bool, bool) {
        a.log.push_back("  inner send: " + error_of<spindle::RuntimeError>([&] { ch3.send("clobbered"); }));
    });
    a.mk_receiver("r", ch2);
    a.s.run();
    ch2.send("original");
    EXPECT_EQ(a.log, (Log{
                         "r receiving",
                         "  inner send: Recursive channel call due to callbacks!",
                         "  inner send: Recursive channel call due to callbacks!",
                         "r got clobbered",
                     }));
}

// ----------------------------------------------------------- typed values

// Counts live instances, so that a lost or doubly destroyed value shows.
struct Tracked {
    static inline int live = 0;
    int value;
    explicit Tracked(int v) : value(v) { ++live; }
    Tracked(const Tracked& o) : value(o.value) { ++live; }
    ~Tracked() { --live; }
};

// Strings longer than the inline buffer, moving through the queue in order.
TEST(TypedChannel, StringsKeepTheirOrderAndContent) {
    spindle::Scheduler s;
    Channel<std::string> ch;
    std::vector<std::string> values;
    for (int i = 0; i < 3; ++i) values.push_back(std::string(100 + i, static_cast<char>('a' + i)));
    std::vector<Tasklet> senders;
    for (const std::string& v : values) senders.push_back(spindle::spawn([&ch, v] { ch.send(v); }));
    s.run();
    ASSERT_EQ(ch.blocked_tasklets(), senders);
    for (std::size_t i = 0; i < senders.size(); ++i) {
        const Payload* p = ch.object().pending_value(senders[i]);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->get<std::string>(), values[i]);
    }
    for (const std::string& v : values) EXPECT_EQ(ch.receive(), v);
    s.run();
    EXPECT_EQ(ch.balance(), 0);
}

// A move-only value changes hands without a copy, and nothing leaks: not on
// a hand-off, not when a blocked sender is killed, not at teardown.
TEST(TypedChannel, UniquePtrIsMovedAndNeverLeaks) {
    Tracked::live = 0;
    Log log;
    {
        spindle::Scheduler s;
        Channel<std::unique_ptr<Tracked>> ch;
        const Tracked* sent = nullptr;
        spindle::spawn([&] {
            auto p = std::make_unique<Tracked>(7);
            sent = p.get();
            ch.send(std::move(p));
            log.push_back("sender resumed, live " + str(Tracked::live));
        });
        spindle::schedule();  // the sender blocks
        const Payload* pending = ch.object().pending_value(ch.queue());
        ASSERT_NE(pending, nullptr);
        EXPECT_EQ(pending->get<std::unique_ptr<Tracked>>().get(), sent);
        std::unique_ptr<Tracked> got = ch.receive();
        EXPECT_EQ(got.get(), sent);  // the same object: moved, never copied
        EXPECT_EQ(got->value, 7);
        got.reset();
        spindle::schedule();
        log.push_back("live after hand-off " + str(Tracked::live));

        Tasklet victim = spindle::spawn([&] { ch.send(std::make_unique<Tracked>(8)); });
        spindle::schedule();
        log.push_back("victim blocked " + py(victim.blocked()) + ", live " + str(Tracked::live));
        victim.kill();
        log.push_back("victim killed, live " + str(Tracked::live));

        spindle::spawn([&] { ch.send(std::make_unique<Tracked>(9)); });
        spindle::schedule();
        log.push_back("left blocked at teardown, live " + str(Tracked::live));
    }
    log.push_back("after teardown, live " + str(Tracked::live));
    EXPECT_EQ(log, (Log{
                       "sender resumed, live 0",
                       "live after hand-off 0",
                       "victim blocked True, live 1",
                       "victim killed, live 0",
                       "left blocked at teardown, live 1",
                       "after teardown, live 0",
                   }));
}

// A struct far larger than the inline buffer survives a ping-pong intact.
struct Big {
    std::array<std::uint64_t, 256> words{};
    std::string tag;
};

TEST(TypedChannel, LargeStructsPingPong) {
    spindle::Scheduler s;
    Channel<Big> ping;
    Channel<Big> pong;
    spindle::spawn([&] {
        for (int round = 0; round < 3; ++round) {
            Big b = ping.receive();
            for (auto& w : b.words) w *= 2;
            b.tag += "+pong";
            pong.send(std::move(b));
        }
    });
    Big b;
    std::iota(b.words.begin(), b.words.end(), std::uint64_t{1});
    b.tag = "ball";
    for (int round = 0; round < 3; ++round) {
        ping.send(std::move(b));
        b = pong.receive();
    }
    EXPECT_EQ(b.tag, "ball+pong+pong+pong");
    for (std::size_t i = 0; i < b.words.size(); ++i) ASSERT_EQ(b.words[i], (i + 1) * 8) << "word " << i;
    s.run();
}

// The untyped core carries any Payload; a typed receive of the wrong type is
// a std::bad_cast, and the value is still destroyed exactly once.
TEST(TypedChannel, UntypedCoreAndTypeMismatch) {
    Tracked::live = 0;
    {
        spindle::Scheduler s;
        Channel<int> ch;
        spindle::spawn([&] { ch.object().send(Payload::of(std::make_unique<Tracked>(5))); });
        spindle::schedule();
        Payload p = ch.object().receive();
        ASSERT_TRUE(p.holds<std::unique_ptr<Tracked>>());
        EXPECT_EQ(p.take<std::unique_ptr<Tracked>>()->value, 5);
        EXPECT_EQ(Tracked::live, 0);
        EXPECT_TRUE(p.empty());

        spindle::spawn([&] {
            Payload six = Payload::of(Tracked(6));  // no temporary may outlive the blocking send
            ch.object().send(std::move(six));
        });
        spindle::schedule();
        EXPECT_EQ(Tracked::live, 1);
        EXPECT_THROW(ch.receive(), std::bad_cast);
        EXPECT_EQ(Tracked::live, 0);
        s.run();
    }
    EXPECT_EQ(Tracked::live, 0);
}

}  // namespace
