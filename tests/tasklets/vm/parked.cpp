// What a parked script tasklet costs: its object and its thread are
// charged to the script heap (the memory cap counts agents, and their bytes
// pace the collector), given back when it ends, and small enough that a
// parked agent stays under the issue's 512 bytes.
#include <gtest/gtest.h>
#include "spindle/sanitizer.hpp"

#include <string>
#include <string_view>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"
#include "script_fixture.hpp"

namespace {

using spindle::vm::Frame;
using spindle::vm::Interpreter;
using spindle::vm::ScriptTaskletState;
using spindle::vm::Thread;

class Parked : public spindle::vm::testing::ScriptTest {};

constexpr int kAgents = 1000;

// Each run_source is a fresh __main__: the channel is kept on the stackless
// module from one to the next.
TEST_F(Parked, AgentsAreChargedForTheirObjectAndThreadUntilTheyEnd) {
    ASSERT_TRUE(run("import stackless\n"
                    "stackless.inbox = stackless.channel()\n"
                    "def agent(inbox):\n"
                    "    inbox.receive()\n"
                    "stackless.agent = agent\n")) << error();
    interp.collect_garbage();
    const std::size_t before = interp.heap().bytes();
    ASSERT_TRUE(run("import stackless\n"
                    "for i in range(1000):\n"
                    "    stackless.tasklet(stackless.agent)(stackless.inbox)\n"
                    "stackless.run()\n"
                    "print(-stackless.inbox.balance)\n")) << error();
    EXPECT_EQ(out, "1000\n");
    interp.collect_garbage();
    const std::size_t parked = interp.heap().bytes();
    ASSERT_GT(parked, before);
    EXPECT_GE((parked - before) / kAgents, sizeof(spindle::TaskletObject) + sizeof(Thread));
    // Let them all end: every byte they were charged is given back.
    ASSERT_TRUE(run("import stackless\n"
                    "for i in range(1000):\n"
                    "    stackless.inbox.send(i)\n"
                    "stackless.run()\n")) << error();
    interp.collect_garbage();
    EXPECT_LE(interp.heap().bytes(), before + 16384);  // the scripts' own leftovers (a module each) at most
}

// An agent parked several calls deep keeps the frames and value stack it
// grew for as long as it lives: they must be about the size it needs, not
// doubled (a big world is mostly such agents).
TEST_F(Parked, ADeepAgentsFramesAndStackAreSizedToItsDepth) {
    ASSERT_TRUE(run(R"(
import stackless
inbox = stackless.channel()

def act(me, tick, target, mood):
    step = (tick + me) % 3
    return inbox.receive() + step

def think(me, tick):
    target = (me + 1.5, tick - 0.5)
    mood = "calm" if me % 2 else "angry"
    return act(me, tick, target, mood) * 2

def live(me):
    tick = 0
    seen = []
    while True:
        seen.append(think(me, tick))
        tick += 1

for i in range(20):
    stackless.tasklet(live)(i)
stackless.run()
)")) << error();
    int agents = 0;
    for (const spindle::Tasklet& t : scheduler.all_tasklets()) {
        const ScriptTaskletState* state = spindle::vm::script_tasklet_state(t.script_state());
        if (!state || !state->thread || !t.blocked()) continue;
        const Thread& th = *state->thread;
        ASSERT_EQ(th.frames.size(), 3u);
        ++agents;
        const Frame& top = th.frames.back();
        const std::size_t needed = top.stack_base() + top.code->max_stack;
        EXPECT_LE(th.frames.capacity(), 3u);
        EXPECT_LE(th.stack.capacity(), (needed + 3) / 4 * 4) << "needs " << needed;
    }
    EXPECT_EQ(agents, 20);
}

// Past the cap, spawning agents ends in MemoryError: parked agents hold
// their object and thread against it (their bound calls are given back
// when they start, and their wrappers are garbage).
TEST(ParkedCap, SpawningPastTheCapIsMemoryError) {
    spindle::Scheduler scheduler;
    Interpreter::Options o;
    o.max_bytes = 8u << 20;
    o.write_stdout = [](std::string_view) {};
    Interpreter interp(o);
    ASSERT_FALSE(interp.run_source("import stackless\n"
                                   "inbox = stackless.channel()\n"
                                   "def agent(inbox):\n"
                                   "    inbox.receive()\n"
                                   "n = 0\n"
                                   "for i in range(200000):\n"
                                   "    stackless.tasklet(agent)(inbox)\n"
                                   "    stackless.schedule()\n"
                                   "    n += 1\n",
                                   "cap.py"));
    EXPECT_EQ(interp.last_error().type, "MemoryError");
    auto* main = interp.find_module(interp.intern("__main__"));
    const std::int64_t pos = spindle::vm::table::find_interned(main->globals->table, interp.intern("n"));
    ASSERT_GE(pos, 0);
    const spindle::vm::Value n = main->globals->table.entries[static_cast<std::size_t>(pos)].value;
    ASSERT_TRUE(n.is_int());
    EXPECT_GT(n.i, 1000);
    EXPECT_LE(static_cast<std::size_t>(n.i), o.max_bytes / (sizeof(spindle::TaskletObject) + sizeof(Thread)));
}

// The layout budget: a parked agent is its tasklet object (a block pool
// block, no malloc header) and its thread (one malloc block of 224 bytes:
// glibc adds 8 bytes and rounds to 16). A field added to Thread or Frame
// that crosses these lines costs every parked agent 16 bytes more.
TEST(ParkedLayout, AParkedAgentFitsTwoBlocks) {
    EXPECT_LE(sizeof(Frame), 72u);
    EXPECT_LE(sizeof(Thread), 216u);
#if !defined(SPINDLE_ASAN)  // there a suspended stack also keeps its bounds for the sanitizer
    EXPECT_LE(sizeof(spindle::TaskletObject), 200u);
#endif
    EXPECT_LE(sizeof(ScriptTaskletState), spindle::TaskletObject::kScriptStateRoom);
}

}  // namespace
