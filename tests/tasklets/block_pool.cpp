// BlockPool: fixed-size blocks in chunks of their own, reused, and chunks
// given back when their last block is freed (one empty chunk is kept).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

#include "spindle/block_pool.hpp"

namespace {

using spindle::BlockPool;

TEST(BlockPool, BlocksAreWordAlignedDistinctAndWritable) {
    BlockPool pool(200);
    EXPECT_EQ(pool.block_size(), 200u);
    std::vector<void*> blocks;
    std::set<std::uintptr_t> seen;
    for (int i = 0; i < 1000; ++i) {  // past one 64 KiB chunk
        void* b = pool.allocate();
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) % alignof(void*), 0u);
        std::memset(b, i & 0xff, pool.block_size());
        blocks.push_back(b);
        seen.insert(reinterpret_cast<std::uintptr_t>(b));
    }
    EXPECT_EQ(seen.size(), blocks.size());
    // No two blocks overlap: every block still holds what was written to it.
    for (int i = 0; i < 1000; ++i) {
        const auto* bytes = static_cast<const unsigned char*>(blocks[static_cast<std::size_t>(i)]);
        EXPECT_TRUE(std::all_of(bytes, bytes + pool.block_size(), [&](unsigned char c) { return c == (i & 0xff); })) << i;
    }
    EXPECT_GE(pool.chunks(), 1000 * 200 / BlockPool::kChunkBytes + 1);
    for (void* b : blocks) pool.deallocate(b);
}

TEST(BlockPool, SizesAreRoundedUpToWords) {
    BlockPool pool(57);
    EXPECT_EQ(pool.block_size(), 64u);
}

TEST(BlockPool, AFreedBlockIsReusedFirst) {
    BlockPool pool(64);
    void* a = pool.allocate();
    void* b = pool.allocate();
    pool.deallocate(a);
    EXPECT_EQ(pool.allocate(), a);
    pool.deallocate(a);
    pool.deallocate(b);
}

// Tasklets spawned in a burst and then finished must not keep the burst's
// memory: empty chunks are unmapped, except one kept for the next burst.
TEST(BlockPool, EmptyChunksAreGivenBackButOne) {
    BlockPool pool(200);
    std::vector<void*> blocks(5000);
    for (void*& b : blocks) b = pool.allocate();
    const std::size_t mapped = pool.chunks();
    EXPECT_GE(mapped, 15u);
    for (void* b : blocks) pool.deallocate(b);
    EXPECT_EQ(pool.chunks(), 1u);
    // The kept chunk serves the next allocations.
    for (void*& b : blocks) b = pool.allocate();
    EXPECT_EQ(pool.chunks(), mapped);
    // Freed in another order (every other block first), the result is the same.
    for (std::size_t i = 0; i < blocks.size(); i += 2) pool.deallocate(blocks[i]);
    EXPECT_EQ(pool.chunks(), mapped);  // no chunk is empty yet
    for (std::size_t i = 1; i < blocks.size(); i += 2) pool.deallocate(blocks[i]);
    EXPECT_EQ(pool.chunks(), 1u);
}

// A chunk that was full and has a free block again is used before any new
// chunk is mapped.
TEST(BlockPool, AFullChunkWithAFreedBlockIsUsedAgain) {
    BlockPool pool(4096);
    ASSERT_GE(pool.blocks_per_chunk(), 2u);
    std::vector<void*> blocks(2 * pool.blocks_per_chunk());
    for (void*& b : blocks) b = pool.allocate();
    ASSERT_EQ(pool.chunks(), 2u);  // both full
    pool.deallocate(blocks.front());
    void* again = pool.allocate();
    EXPECT_EQ(again, blocks.front());
    EXPECT_EQ(pool.chunks(), 2u);
    for (void* b : blocks) pool.deallocate(b);
    EXPECT_EQ(pool.chunks(), 1u);
}

}  // namespace
