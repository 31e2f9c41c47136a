// Script tasklets that wait inside calls from C++ (a key= function, __next__
// called by list()): each keeps its driver's stack while it waits, the
// collector waits for them, spare drivers are bounded, and such a tasklet
// refuses to pickle with the reason named.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "script_fixture.hpp"

namespace {

using spindle::vm::Interpreter;

class Nesting : public spindle::vm::testing::ScriptTest {};

// While a tasklet waits inside sorted(), the only references to the items
// and keys it sorts are in sorted's C++ frames: a collection then would free
// them. The collector waits until no tasklet waits so.
TEST_F(Nesting, TheCollectorWaitsForTaskletsWaitingInsideCallsFromCpp) {
    ASSERT_TRUE(run("import stackless\n"
                    "ch = stackless.channel()\n"
                    "def agent():\n"
                    "    print(sorted([[i] for i in range(3)], key=lambda x: ch.receive()))\n"
                    "t = stackless.tasklet(agent)()\n"
                    "stackless.run()\n"))
        << error();
    EXPECT_EQ(interp.nested_suspended(), 1u);
    const auto before = interp.heap().collections();
    interp.collect_garbage();
    EXPECT_EQ(interp.heap().collections(), before);
    ASSERT_TRUE(run("import stackless\n"
                    "ch = stackless.channel()\n"
                    "def blocked():\n"
                    "    return [t for t in stackless.uncollectables if t.blocked]\n"
                    "for v in (2, 0, 1):\n"
                    "    blocked()[0]._channel.send(v)\n"))
        << error();
    EXPECT_EQ(out, "[[1], [2], [0]]\n");
    EXPECT_EQ(interp.nested_suspended(), 0u);
    interp.collect_garbage();
    EXPECT_EQ(interp.heap().collections(), before + 1);
}

// Fifty tasklets waiting at once take fifty driver stacks; once they have
// finished, only a few spare drivers and the pool's cache stay mapped.
TEST_F(Nesting, SpareDriversAreBounded) {
    ASSERT_TRUE(run("import stackless\n"
                    "ch = stackless.channel()\n"
                    "def agent():\n"
                    "    sorted([1], key=lambda x: ch.receive())\n"
                    "ts = [stackless.tasklet(agent)() for i in range(50)]\n"
                    "stackless.run()\n"
                    "print(len([t for t in ts if t.blocked]))\n"))
        << error();
    EXPECT_EQ(out, "50\n");
    EXPECT_GE(scheduler.driver_stacks().mapped(), 50u);
    ASSERT_TRUE(run("import stackless\n"
                    "ch = [t for t in stackless.uncollectables if t.blocked][0]._channel\n"
                    "while ch.balance < 0:\n"
                    "    ch.send(0)\n"
                    "stackless.run()\n"
                    "print(len(stackless.uncollectables))\n"))
        << error();
    EXPECT_EQ(out, "50\n0\n");
    EXPECT_LE(scheduler.driver_stacks().mapped(), 16u + 6u);
}

TEST_F(Nesting, PicklingATaskletWaitingInsideACallFromCppNamesTheReason) {
    ASSERT_TRUE(run("import stackless, pickle\n"
                    "ch = stackless.channel()\n"
                    "def agent():\n"
                    "    sorted([1], key=lambda x: ch.receive())\n"
                    "t = stackless.tasklet(agent)()\n"
                    "stackless.run()\n"
                    "try:\n"
                    "    pickle.dumps([t])\n"
                    "except pickle.PicklingError as e:\n"
                    "    print(e)\n"
                    "ch.send(0)\n"))
        << error();
    EXPECT_NE(out.find("cannot pickle tasklet"), std::string::npos) << out;
    EXPECT_NE(out.find("blocked inside a call from C++ (not restorable) (at root[0])"), std::string::npos) << out;
}

}  // namespace
