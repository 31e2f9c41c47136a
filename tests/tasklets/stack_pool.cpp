// StackPool: native tasklet stacks are pooled and reused, have a guard page
// below them, and have a configurable size.
#include <gtest/gtest.h>
#include "spindle/sanitizer.hpp"

#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "spindle/tasklets.hpp"

namespace {

using spindle::Scheduler;
using spindle::StackPool;
using spindle::StackPoolOptions;

#if defined(SPINDLE_ASAN)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif

std::size_t page() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

// Uses about 1 KiB of stack per level; the work after the call keeps it from
// becoming a loop. Returns something that depends on every frame.
__attribute__((noinline)) std::uint64_t recurse(std::uint64_t depth) {
    volatile char frame[1024];
    frame[0] = static_cast<char>(depth);
    frame[sizeof(frame) - 1] = static_cast<char>(depth >> 8);
    if (depth == 0) return frame[0];
    const std::uint64_t below = recurse(depth - 1);
    return below + static_cast<std::uint64_t>(frame[sizeof(frame) - 1]) + 1;  // the frame outlives the call
}

TEST(StackPool, SizeIsRoundedUpToPagesWithAMinimum) {
    EXPECT_EQ(StackPool(StackPoolOptions{.stack_size = 256 * 1024}).stack_size(), 256u * 1024);
    EXPECT_EQ(StackPool(StackPoolOptions{.stack_size = 1000 * 1000}).stack_size(),
              (1000u * 1000 + page() - 1) / page() * page());
    EXPECT_EQ(StackPool(StackPoolOptions{.stack_size = 1000}).stack_size(), 16u * 1024);  // the floor
    EXPECT_EQ(StackPool().stack_size(), 256u * 1024);  // the default
    Scheduler s(StackPoolOptions{.stack_size = 96 * 1024});
    EXPECT_EQ(s.stacks().stack_size(), 96u * 1024);
}

TEST(StackPool, AllocateMapsAndDeallocateCaches) {
    StackPool pool(StackPoolOptions{.stack_size = 64 * 1024, .max_cached = 2});
    std::vector<boost::context::stack_context> stacks;
    for (int i = 0; i < 3; ++i) stacks.push_back(pool.allocate());
    EXPECT_EQ(pool.mapped(), 3u);
    EXPECT_EQ(pool.cached(), 0u);
    for (auto& stack : stacks) EXPECT_EQ(stack.size, 64u * 1024);
    void* first = stacks[0].sp;
    pool.deallocate(stacks[0]);
    pool.deallocate(stacks[1]);
    pool.deallocate(stacks[2]);  // beyond max_cached: unmapped
    EXPECT_EQ(pool.cached(), 2u);
    EXPECT_EQ(pool.mapped(), 2u);
    boost::context::stack_context again = pool.allocate();
    boost::context::stack_context again2 = pool.allocate();
    EXPECT_EQ(pool.mapped(), 2u);  // both came from the cache
    EXPECT_EQ(pool.cached(), 0u);
    EXPECT_TRUE(again.sp == first || again2.sp == first);
    pool.deallocate(again);
    pool.deallocate(again2);
}

TEST(StackPool, StacksAreReusedAcrossSpawnFinishCycles) {
    Scheduler s;
    std::vector<const void*> frames;
    for (int cycle = 0; cycle < 1000; ++cycle) {
        spindle::spawn([&frames] {
            int local = 0;
            frames.push_back(&local);
            spindle::schedule();
        });
        s.run();
        ASSERT_EQ(s.stacks().mapped(), 1u) << "cycle " << cycle;
        ASSERT_EQ(s.stacks().cached(), 1u) << "cycle " << cycle;
    }
    // One stack, reused: the same frame lands at the same address every time.
    EXPECT_EQ(frames.front(), frames.back());
    EXPECT_EQ(s.stats().tasklets_finished, 1000u);
}

TEST(StackPool, MappedStaysAtThePeakNumberOfLiveTasklets) {
    Scheduler s;
    spindle::Channel<int> ch;
    for (int cycle = 0; cycle < 100; ++cycle) {
        for (int i = 0; i < 10; ++i) {
            spindle::spawn([&ch, i] { ch.send(i); });
        }
        s.run();  // all ten block in send(), each on its own stack
        ASSERT_EQ(s.stacks().mapped(), 10u) << "cycle " << cycle;
        int sum = 0;
        for (int i = 0; i < 10; ++i) sum += ch.receive();
        ASSERT_EQ(sum, 45);
        s.run();  // they finish and hand their stacks back
        ASSERT_EQ(s.stacks().cached(), 10u) << "cycle " << cycle;
    }
    EXPECT_EQ(s.stacks().mapped(), 10u);
}

TEST(StackPool, KilledAndCollectedTaskletsReturnTheirStacks) {
    Scheduler s;
    for (int cycle = 0; cycle < 50; ++cycle) {
        spindle::Tasklet t = spindle::spawn([] { spindle::schedule_remove(); });
        spindle::spawn([] { spindle::schedule_remove(); });  // nobody keeps this one: collected by run()
        s.run();
        t.kill();
    }
    EXPECT_EQ(s.stacks().mapped(), 2u);
    EXPECT_EQ(s.stacks().cached(), 2u);
    EXPECT_EQ(s.stats().tasklets_finished, 100u);
}

TEST(StackPool, ConfiguredSizeIsUsable) {
    // About 600 KiB of frames: more than the default 256 KiB, well inside 1 MiB.
    Scheduler s(StackPoolOptions{.stack_size = 1024 * 1024});
    std::uint64_t result = 0;
    spindle::spawn([&result] { result = recurse(600); });
    s.run();
    EXPECT_GT(result, 600u);
}

using StackPoolDeathTest = ::testing::Test;

TEST_F(StackPoolDeathTest, GuardPageBelowTheStackFaults) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    StackPool pool(StackPoolOptions{.stack_size = 64 * 1024});
    boost::context::stack_context stack = pool.allocate();
    char* lowest = static_cast<char*>(stack.sp) - stack.size;
    lowest[0] = 1;  // the lowest usable byte is writable
    static_cast<char*>(stack.sp)[-1] = 1;
    EXPECT_DEATH(*static_cast<volatile char*>(lowest - 1) = 1, "");
    pool.deallocate(stack);
}

TEST_F(StackPoolDeathTest, RunawayRecursionHitsTheGuardPage) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto overflow = [] {
        Scheduler s(StackPoolOptions{.stack_size = 32 * 1024});
        spindle::spawn([] { recurse(1u << 30); });
        s.run();
    };
    if (kAsan) {
        // ASan reports the fault from its own signal handler and exits.
        EXPECT_DEATH(overflow(), "stack-overflow|SEGV");
    } else {
        EXPECT_EXIT(overflow(), ::testing::KilledBySignal(SIGSEGV), "");
    }
}

TEST_F(StackPoolDeathTest, SmallStackIsTooSmallForTheSameRecursion) {
    // The same 600 KiB that fit in ConfiguredSizeIsUsable overflow the default size.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto overflow = [] {
        Scheduler s;
        std::uint64_t result = 0;
        spindle::spawn([&result] { result = recurse(600); });
        s.run();
        std::_Exit(result > 0 ? 0 : 1);
    };
    if (kAsan) {
        EXPECT_DEATH(overflow(), "stack-overflow|SEGV");
    } else {
        EXPECT_EXIT(overflow(), ::testing::KilledBySignal(SIGSEGV), "");
    }
}

}  // namespace
