// PointerMap, the pickler's memo: every key inserted is found with its value
// across growth, and keys never inserted (neighbours in memory included) are not.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "vm/pointer_map.hpp"

namespace {

using spindle::vm::PointerMap;

TEST(PointerMap, FindsEveryKeyAcrossGrowth) {
    std::vector<std::uint64_t> objects(10000);  // adjacent 8-byte addresses: the worst spread
    PointerMap<std::uint32_t> map;
    EXPECT_EQ(map.find(&objects[0]), nullptr);
    for (std::uint32_t i = 0; i < objects.size(); i += 2) map.insert(&objects[i], i * 3);
    EXPECT_EQ(map.size(), objects.size() / 2);
    for (std::uint32_t i = 0; i < objects.size(); ++i) {
        const std::uint32_t* found = map.find(&objects[i]);
        if (i % 2 == 0) {
            ASSERT_NE(found, nullptr) << i;
            EXPECT_EQ(*found, i * 3);
        } else {
            EXPECT_EQ(found, nullptr) << i;
        }
    }
}

TEST(PointerMap, FindOrInsertAddsOnce) {
    int a = 0, b = 0;
    PointerMap<int*> map;
    bool added = false;
    map.find_or_insert(&a, added) = &b;
    EXPECT_TRUE(added);
    int*& again = map.find_or_insert(&a, added);
    EXPECT_FALSE(added);
    EXPECT_EQ(again, &b);
    EXPECT_EQ(map.size(), 1u);
}

}  // namespace
