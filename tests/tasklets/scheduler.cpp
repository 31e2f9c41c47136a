#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spindle/tasklets.hpp"

namespace {

TEST(Scheduler, RoundRobinOrder) {
    spindle::Scheduler s;
    std::vector<std::string> log;
    auto worker = [&](std::string name) {
        for (int i = 0; i < 3; ++i) {
            log.push_back(name + std::to_string(i));
            spindle::schedule();
        }
    };
    spindle::spawn(worker, std::string("a"));
    spindle::spawn(worker, std::string("b"));
    s.run();
    EXPECT_EQ(log, (std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"}));
    EXPECT_EQ(s.getruncount(), 1);
}

}  // namespace
