// Native tasklets with the restore interface (spindle/tasklet.hpp
// NativeRestore) in pickles: a native accumulator and a script tasklet talk
// over channels, the whole conversation is pickled mid-way, the originals
// are killed, and the loaded copies finish it with the same results as an
// uninterrupted run. Without the interface a native tasklet is refused by
// name; an unknown type name, or a factory that fails, refuses the load.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "spindle/tasklets.hpp"
#include "vm/binding.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"

namespace {

using spindle::Payload;
using spindle::Tasklet;
using spindle::vm::Interpreter;
using spindle::vm::ObjKind;
using spindle::vm::Value;

spindle::ChannelObject* channel_of(Value v) {
    if (!(v.is_obj() && v.o->kind == ObjKind::Channel)) throw std::invalid_argument("not a channel");
    return static_cast<spindle::vm::ChannelObj*>(v.o)->channel;
}

// Adds each number received on `inbox` to a running total and sends the
// total back on `outbox`. Its state is a script value: the two channels (so
// the pickle keeps their identity) and the total.
struct Accumulator : spindle::NativeRestore {
    Accumulator(Interpreter& in, spindle::ChannelObject* i, spindle::ChannelObject* o, std::int64_t t) : interp(in), inbox(i), outbox(o), total(t) {
        inbox->incref();
        outbox->incref();
    }
    ~Accumulator() override {
        inbox->decref();
        outbox->decref();
    }
    const char* type_name() const noexcept override { return "test.accumulator"; }
    Payload save() const override {
        auto* state = interp.new_tuple();
        state->items = {interp.wrap_channel(inbox), interp.wrap_channel(outbox), Value::integer(total)};
        return Payload::of(Value::object(state));
    }
    Interpreter& interp;
    spindle::ChannelObject* inbox;
    spindle::ChannelObject* outbox;
    std::int64_t total;
};

// The body restarts at its loop: its only wait is the receive it reissues.
Tasklet start(const std::shared_ptr<Accumulator>& state) {
    Tasklet t = Tasklet::create();
    t.bind([state](int) {
        for (;;) {
            const Payload got = state->inbox->receive();
            state->total += got.get<Value>().i;
            state->outbox->send(Payload::of(Value::integer(state->total)));
        }
    }, 0);
    t.set_restore(state);
    return t;
}

// Sends next, next + 1, ... on `outbox`; its state is (outbox, next).
struct Emitter : spindle::NativeRestore {
    Emitter(Interpreter& in, spindle::ChannelObject* o, std::int64_t n) : interp(in), outbox(o), next(n) { outbox->incref(); }
    ~Emitter() override { outbox->decref(); }
    const char* type_name() const noexcept override { return "test.emitter"; }
    Payload save() const override {
        auto* state = interp.new_tuple();
        state->items = {interp.wrap_channel(outbox), Value::integer(next)};
        return Payload::of(Value::object(state));
    }
    Interpreter& interp;
    spindle::ChannelObject* outbox;
    std::int64_t next;
};

// Its loop top is the send it was blocked in, so a restarted body reissues it.
Tasklet start_emitter(const std::shared_ptr<Emitter>& state) {
    Tasklet t = Tasklet::create();
    t.bind([state](int) {
        for (;;) {
            state->outbox->send(Payload::of(Value::integer(state->next)));
            ++state->next;
        }
    }, 0);
    t.set_restore(state);
    return t;
}

class NativeRestore : public ::testing::Test {
protected:
    Interpreter::Options options() {
        Interpreter::Options o;
        o.write_stdout = [this](std::string_view text) { out += text; };
        return o;
    }
    void SetUp() override {
        spindle::vm::ModuleBuilder game(interp, "game");
        game.function("accumulator", [this](Value inbox, Value outbox, bool restorable) {
            auto state = std::make_shared<Accumulator>(interp, channel_of(inbox), channel_of(outbox), 0);
            Tasklet t = start(state);
            if (!restorable) t.set_restore(nullptr);
            t.insert();
            return interp.wrap_tasklet(t);
        });
        spindle::register_native_restore("test.accumulator", [this](Payload state) {
            const Value v = state.get<Value>();
            const auto* items = v.is_obj() && v.o->kind == ObjKind::Tuple ? &static_cast<spindle::vm::TupleObj*>(v.o)->items : nullptr;
            if (!items || items->size() != 3 || (*items)[2].tag != spindle::vm::Tag::Int) throw std::invalid_argument("bad accumulator state");
            if ((*items)[2].i < 0) throw std::invalid_argument("negative total");
            return start(std::make_shared<Accumulator>(interp, channel_of((*items)[0]), channel_of((*items)[1]), (*items)[2].i));
        });
    }
    void TearDown() override {
        spindle::register_native_restore("test.accumulator", nullptr);
        spindle::register_native_restore("test.emitter", nullptr);
    }
    void register_emitter() {
        spindle::vm::ModuleBuilder game(interp, "emitters");
        game.function("emitter", [this](Value outbox, std::int64_t first) {
            Tasklet t = start_emitter(std::make_shared<Emitter>(interp, channel_of(outbox), first));
            t.insert();
            return interp.wrap_tasklet(t);
        });
        spindle::register_native_restore("test.emitter", [this](Payload state) {
            const auto& items = static_cast<spindle::vm::TupleObj*>(state.get<Value>().o)->items;
            return start_emitter(std::make_shared<Emitter>(interp, channel_of(items[0]), items[1].i));
        });
    }
    bool run(std::string_view source) { return interp.run_source(source, "test.py"); }
    std::string error() const { return interp.last_error().type + ": " + interp.last_error().message; }

    spindle::Scheduler scheduler;
    std::string out;
    Interpreter interp{options()};
};

constexpr const char* kConversation =
    "import stackless, pickle, game\n"
    "inbox = stackless.channel()\n"
    "outbox = stackless.channel()\n"
    "def feeder(inbox, outbox, values, results):\n"
    "    for v in values:\n"
    "        inbox.send(v)\n"
    "        results.append(outbox.receive())\n"
    "    return results\n"
    "acc = game.accumulator(inbox, outbox, True)\n"
    "first = []\n"
    "stackless.tasklet(feeder)(inbox, outbox, [1, 2], first)\n"
    "stackless.run()\n"
    "print(first, acc.restorable, acc.blocked)\n";

TEST_F(NativeRestore, ANativeAndAScriptTaskletTalkAcrossAPickleRoundTrip) {
    ASSERT_TRUE(run(std::string(kConversation) +
                    // The accumulator waits on inbox; a new feeder is ready to run.
                    "second = []\n"
                    "feed = stackless.tasklet(feeder)(inbox, outbox, [10, 20], second)\n"
                    "feed.remove()\n"
                    "data = pickle.dumps((inbox, outbox, feed, acc, second))\n"
                    "# Uninterrupted, for comparison.\n"
                    "feed.insert()\n"
                    "stackless.run()\n"
                    "print(second)\n"
                    "acc.kill()\n"
                    "inbox2, outbox2, feed2, acc2, second2 = pickle.loads(data)\n"
                    "# The accumulator is blocked again on the copy of its channel.\n"
                    "print(acc2.alive, acc2.blocked, acc2.restorable, second2, inbox2.balance)\n"
                    "feed2.insert()\n"
                    "stackless.run()\n"
                    "print(second2, second2 == second, acc2.blocked)\n"
                    "acc2.kill()\n"))
        << error();
    EXPECT_EQ(out,
              "[1, 3] True True\n"
              "[13, 33]\n"
              "True True True [] -1\n"
              "[13, 33] True True\n");
}

// A native tasklet blocked on a channel between script tasklets comes back
// at its place in the queue: receiving (the accumulator, whose state holds
// the channel it waits on) and sending with its value (the emitter, state
// as bytes). Each restarted body's first channel operation reissues the
// wait and gets what the wait got.
TEST_F(NativeRestore, ABlockedNativeTaskletKeepsItsPlaceInTheChannelQueue) {
    register_emitter();
    ASSERT_TRUE(run("import stackless, pickle, game, emitters\n"
                    "inbox = stackless.channel()\n"
                    "outbox = stackless.channel()\n"
                    "got = []\n"
                    "def taker(name):\n"
                    "    got.append((name, inbox.receive()))\n"
                    "def giver(name):\n"
                    "    outbox.send(name)\n"
                    "s1 = stackless.tasklet(taker)('s1')\n"
                    "stackless.run()\n"
                    "acc = game.accumulator(inbox, outbox, True)\n"
                    "stackless.run()\n"
                    "s2 = stackless.tasklet(taker)('s2')\n"
                    "stackless.run()\n"
                    "g1 = stackless.tasklet(giver)('g1')\n"
                    "stackless.run()\n"
                    "em = emitters.emitter(outbox, 7)\n"
                    "stackless.run()\n"
                    "g2 = stackless.tasklet(giver)('g2')\n"
                    "stackless.run()\n"
                    "print(inbox.balance, outbox.balance, acc.blocked, em.blocked)\n"
                    "data = pickle.dumps((acc, em, inbox, outbox, s1, s2, g1, g2, got))\n"
                    "for t in (s1, acc, s2, g1, em, g2):\n"
                    "    t.kill()\n"
                    "acc, em, inbox, outbox, s1, s2, g1, g2, got = pickle.loads(data)\n"
                    "print(inbox.balance, outbox.balance, acc.blocked, em.blocked, acc.paused, em.paused)\n"
                    "print([outbox.receive() for i in range(3)], outbox.balance, em.blocked)\n"
                    "def feeder():\n"
                    "    for v in (1, 2, 3):\n"
                    "        inbox.send(v)\n"
                    "stackless.tasklet(feeder)()\n"
                    "stackless.run()\n"
                    "print(got, outbox.balance)\n"
                    "print([outbox.receive() for i in range(2)])\n"
                    "acc.kill()\n"
                    "em.kill()\n"))
        << error();
    EXPECT_EQ(out,
              "-3 3 True True\n"
              "-3 3 True True False False\n"
              // The emitter's saved value 7 between the givers; it is runnable
              // now, and restarted, it sends 8 next.
              "['g1', 7, 'g2'] 0 False\n"
              // The accumulator gets the second value, in its old place.
              "[('s1', 1), ('s2', 3)] 2\n"
              "[8, 2]\n");
}

// A state saved as bytes comes back byte for byte (it is written raw into
// the pickle, between the values around it).
struct Blob : spindle::NativeRestore {
    explicit Blob(std::string b) : bytes(std::move(b)) {}
    const char* type_name() const noexcept override { return "test.blob"; }
    Payload save() const override { return Payload::of(bytes); }
    std::string bytes;
};

TEST_F(NativeRestore, AStateOfBytesRoundTrips) {
    std::string restored;
    spindle::register_native_restore("test.blob", [&](Payload state) {
        restored = state.get<std::string>();
        Tasklet t = Tasklet::create();
        t.bind([](int) {}, 0);
        t.set_restore(std::make_shared<Blob>(restored));
        return t;
    });
    const std::string bytes("state\0with\xff" "bytes", 16);
    spindle::vm::ModuleBuilder blobs(interp, "blobs");
    blobs.function("blob", [&] {
        Tasklet t = Tasklet::create();
        t.bind([](int) {}, 0);
        t.set_restore(std::make_shared<Blob>(bytes));
        return interp.wrap_tasklet(t);
    });
    ASSERT_TRUE(run("import pickle, blobs\n"
                    "b = blobs.blob()\n"
                    "copy, after = pickle.loads(pickle.dumps((b, 'after')))\n"
                    "print(copy.alive, copy.paused, after)\n"))
        << error();
    EXPECT_EQ(out, "True True after\n");
    EXPECT_EQ(restored, bytes);
    spindle::register_native_restore("test.blob", nullptr);
}

TEST_F(NativeRestore, WithoutTheInterfaceANativeTaskletIsRefusedByName) {
    ASSERT_TRUE(run("import stackless, pickle, game\n"
                    "inbox = stackless.channel()\n"
                    "outbox = stackless.channel()\n"
                    "acc = game.accumulator(inbox, outbox, False)\n"
                    "stackless.run()\n"
                    "try:\n"
                    "    pickle.dumps([acc])\n"
                    "except pickle.PicklingError as e:\n"
                    "    print(str(e).replace(str(acc.tasklet_id), 'N') if hasattr(acc, 'tasklet_id') else str(e).split(':', 1)[1])\n"
                    "print(acc.restorable)\n"
                    "acc.kill()\n"))
        << error();
    EXPECT_EQ(out, " a native tasklet has no restore interface (at root[0])\nFalse\n");
}

TEST_F(NativeRestore, UnknownTypesAndFailingFactoriesRefuseTheLoad) {
    ASSERT_TRUE(run("import stackless, pickle, game\n"
                    "inbox = stackless.channel()\n"
                    "outbox = stackless.channel()\n"
                    "acc = game.accumulator(inbox, outbox, True)\n"
                    "stackless.run()\n"
                    "data = pickle.dumps(acc)\n"
                    "acc.kill()\n"))
        << error();
    Value data;
    {
        auto* main = interp.find_module(interp.intern("__main__"));
        const std::int64_t pos = spindle::vm::table::find_interned(main->globals->table, interp.intern("data"));
        ASSERT_GE(pos, 0);
        data = main->globals->table.entries[static_cast<std::size_t>(pos)].value;
    }
    auto load_error = [&]() -> std::string {
        out.clear();
        interp.define(interp.find_module(interp.intern("builtins"))->globals, "saved", data);
        EXPECT_TRUE(run("import pickle\n"
                        "try:\n"
                        "    t = pickle.loads(saved)\n"
                        "    print('loaded', t.alive)\n"
                        "    t.kill()\n"
                        "except pickle.UnpicklingError as e:\n"
                        "    print(str(e).split(': ', 1)[1])\n"))
            << error();
        return out;
    };
    EXPECT_EQ(load_error(), "loaded True\n");
    spindle::register_native_restore("test.accumulator", [](Payload) -> Tasklet { throw std::invalid_argument("bad accumulator state"); });
    EXPECT_EQ(load_error(), "the restore factory of 'test.accumulator' failed: bad accumulator state\n");
    spindle::register_native_restore("test.accumulator", nullptr);
    EXPECT_EQ(load_error(), "no restore factory is registered for native tasklet type 'test.accumulator'\n");
}

}  // namespace
