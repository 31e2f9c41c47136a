// The pickler's reader thread (vm/read_ahead.hpp) must change nothing but
// the time a save takes: the same world pickles to the same bytes with it
// and without it. The world here has what the reader walks (long lists of
// (agent, tasklet) pairs, channel queues longer than its lead, tasklets not
// yet started, closures, dicts, long strings, containers longer than it
// reads, nesting deeper than it goes) and more roots than its ring holds,
// so that the ring laps. Under AddressSanitizer this is also the test that
// the reader reads only live memory.
#include <gtest/gtest.h>

#include <string>

#include "script_fixture.hpp"
#include "vm/pickler.hpp"
#include "vm/read_ahead.hpp"

namespace {

using spindle::vm::PickleOptions;
using spindle::vm::Value;

constexpr const char* kWorld = R"(
import stackless

news = stackless.channel()
pipes = [stackless.channel() for _ in range(3)]
later = stackless.channel()


class Agent:
    def __init__(self, i):
        self.i = i
        self.name = "agent-" + str(i) + "x" * (i % 50)
        self.memory = {"seen": i, "items": list(range(i % 90)), "pos": (float(i), -0.5)}
        self.spare = None


def remember(i):
    kept = [i]

    def recall():
        return kept
    return recall


def live(agent, deep):
    recall = remember(agent.i)
    step = agent.i % 3
    if step == 0:
        agent.memory["last"] = news.receive()
    elif step == 1:
        pipes[agent.i % len(pipes)].send((agent.i, recall, deep))
    else:
        later.receive()
    return recall


deep = []
at = deep
for _ in range(40):
    at.append([])
    at = at[0]

agents = []
for i in range(1500):
    agent = Agent(i)
    agents.append((agent, stackless.tasklet(live)(agent, deep)))
stackless.run()
assert news.balance < -400 and later.balance < -400 and pipes[1].balance > 400
waiting = [stackless.tasklet(live)(Agent(-i), deep) for i in range(300)]
world = (agents, [agents, agents[::-1]], news, pipes, later, waiting)
)";

class ReadAheadTest : public spindle::vm::testing::ScriptTest {
protected:
    std::string save_bytes(Value root, PickleOptions::ReadAhead mode) {
        PickleOptions options;
        options.whole_game = true;
        options.read_ahead = mode;
        std::string bytes;
        EXPECT_TRUE(spindle::vm::pickle_dumps(interp, root, bytes, options)) << pending_text();
        return bytes;
    }
};

TEST_F(ReadAheadTest, ChangesNoByteOfASave) {
    ASSERT_TRUE(run(kWorld)) << error();
    const Value world = global("world");
    // The world is as described: queues past the reader's lead, roots past its ring.
    EXPECT_GT(scheduler.all_tasklets().size(), 1500u);
    const std::string without = save_bytes(world, PickleOptions::ReadAhead::Never);
    ASSERT_GT(without.size(), 10000u);
    // The reader may not have woken before a save this small ends: rounds
    // until it has read in one (each round must give the same bytes).
    int rounds_read = 0;
    for (int round = 0; round < 20 && rounds_read < 3; ++round) {
        const std::uint64_t read_before = spindle::vm::ReadAhead::roots_read();
        const std::string with = save_bytes(world, PickleOptions::ReadAhead::Always);
        if (spindle::vm::ReadAhead::roots_read() > read_before) ++rounds_read;
        ASSERT_EQ(with.size(), without.size()) << "round " << round;
        EXPECT_TRUE(with == without) << "round " << round;
    }
    EXPECT_GT(rounds_read, 0) << "the reader read nothing in 20 saves";
}

}  // namespace
