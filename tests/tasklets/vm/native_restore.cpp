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
    void TearDown() override { spindle::register_native_restore("test.accumulator", nullptr); }
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
                    "print(acc2.alive, acc2.scheduled, acc2.restorable, second2)\n"
                    "feed2.insert()\n"
                    "acc2.insert()\n"
                    "stackless.run()\n"
                    "print(second2, second2 == second, acc2.blocked)\n"
                    "acc2.kill()\n"))
        << error();
    EXPECT_EQ(out,
              "[1, 3] True True\n"
              "[13, 33]\n"
              "True False True []\n"
              "[13, 33] True True\n");
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

// A native tasklet whose saved state is bytes (not a script value): a tally
// kept as its decimal text, waiting on a channel for steps.
struct Tally : spindle::NativeRestore {
    Tally(spindle::ChannelObject* i, std::int64_t t) : inbox(i), total(t) { inbox->incref(); }
    ~Tally() override { inbox->decref(); }
    const char* type_name() const noexcept override { return "test.tally"; }
    Payload save() const override { return Payload::of(std::to_string(total)); }
    spindle::ChannelObject* inbox;
    std::int64_t total;
};

Tasklet start_tally(const std::shared_ptr<Tally>& state, std::string* out) {
    Tasklet t = Tasklet::create();
    t.bind([state, out](int) {
        for (;;) {
            state->total += state->inbox->receive().get<Value>().i;
            *out += "tally " + std::to_string(state->total) + "\n";
        }
    }, 0);
    t.set_restore(state);
    return t;
}

// The state's bytes sit in the pickle between the tasklet and what follows
// it: the values after it must read back as they were.
TEST_F(NativeRestore, ABytesStateKeepsItsPlaceInThePickle) {
    spindle::vm::ModuleBuilder game(interp, "tallies");
    game.function("tally", [this](Value inbox, std::int64_t total) {
        Tasklet t = start_tally(std::make_shared<Tally>(channel_of(inbox), total), &out);
        t.insert();
        return interp.wrap_tasklet(t);
    });
    spindle::register_native_restore("test.tally", [this](Payload state) {
        // The channel is the one the test module keeps in `inbox`: found by name.
        auto* main = interp.find_module(interp.intern("__main__"));
        const std::int64_t pos = spindle::vm::table::find_interned(main->globals->table, interp.intern("inbox"));
        if (pos < 0) throw std::invalid_argument("no inbox");
        const Value inbox = main->globals->table.entries[static_cast<std::size_t>(pos)].value;
        return start_tally(std::make_shared<Tally>(channel_of(inbox), std::stoll(state.get<std::string>())), &out);
    });
    const bool ok = run("import stackless, pickle, tallies\n"
                        "inbox = stackless.channel()\n"
                        "t = tallies.tally(inbox, 1000)\n"
                        "stackless.run()\n"
                        "inbox.send(234)\n"
                        "data = pickle.dumps([t, 'after', 7])\n"
                        "t.kill()\n"
                        "t2, after, seven = pickle.loads(data)\n"
                        "print(after, seven, t2.alive, t2.scheduled)\n"
                        "t2.insert()\n"
                        "stackless.run()\n"
                        "inbox.send(5)\n"
                        "t2.kill()\n");
    spindle::register_native_restore("test.tally", nullptr);
    ASSERT_TRUE(ok) << error();
    EXPECT_EQ(out, "tally 1234\nafter 7 True False\ntally 1239\n");
}

}  // namespace
