// The pickler's reader thread (vm/read_ahead.hpp) must change nothing but
// the time a save takes: the same world pickles to the same bytes with it
// and without it. The world here has what the reader walks (long lists of
// (agent, tasklet) pairs, channel queues longer than its lead, tasklets not
// yet started, closures, dicts, long strings, containers longer than it
// reads, nesting deeper than it goes) and more roots than its ring holds,
// so that the ring laps. Under AddressSanitizer this is also the test that
// the reader reads only live memory.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "script_fixture.hpp"
#include "vm/pickler.hpp"
#include "vm/read_ahead.hpp"
#include "vm/script_tasklets.hpp"

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
    // How much the reader overlaps a save this small depends on when the
    // host runs its thread (on a loaded machine, maybe never): several
    // rounds, each of which must give the same bytes. That it does read
    // when it runs is the next test's.
    for (int round = 0; round < 8; ++round) {
        const std::string with = save_bytes(world, PickleOptions::ReadAhead::Always);
        ASSERT_EQ(with.size(), without.size()) << "round " << round;
        EXPECT_TRUE(with == without) << "round " << round;
    }
}

TEST_F(ReadAheadTest, WalksWhatIsPostedAndVerifiesTheParkedThreads) {
    ASSERT_TRUE(run(kWorld)) << error();
    std::vector<spindle::Tasklet> parked;
    for (const spindle::Tasklet& t : scheduler.all_tasklets()) {
        const auto* state = spindle::vm::script_tasklet_state(t.script_state());
        if (state && state->thread && t.blocked()) parked.push_back(t);
    }
    // A whole number of the reader's batches, fewer than it may fall behind by.
    constexpr std::size_t kPosted = 448;
    ASSERT_GE(parked.size(), kPosted);
    parked.resize(kPosted);

    spindle::vm::ReadAhead reader(interp);
    const std::uint64_t read_before = spindle::vm::ReadAhead::roots_read();
    for (const spindle::Tasklet& t : parked) reader.post(t.object());
    // Nothing else runs here: the reader takes them all, however late the
    // host gives it a core (the deadline only keeps a hung reader from
    // hanging the test).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (spindle::vm::ReadAhead::roots_read() - read_before < kPosted && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_GE(spindle::vm::ReadAhead::roots_read() - read_before, kPosted);
    for (const spindle::Tasklet& t : parked) {
        const auto* state = spindle::vm::script_tasklet_state(t.script_state());
        EXPECT_TRUE(reader.verified(*state->thread)) << "a parked agent's thread the reader walked";
    }
    // A reader of another save has verified none of them.
    spindle::vm::ReadAhead next_save(interp);
    for (const spindle::Tasklet& t : parked) EXPECT_FALSE(next_save.verified(*spindle::vm::script_tasklet_state(t.script_state())->thread));
}

}  // namespace
