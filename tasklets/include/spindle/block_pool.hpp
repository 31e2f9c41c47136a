// BlockPool: fixed-size blocks for long-lived runtime objects (tasklet
// objects), kept apart from the malloc heap.
//
// Why apart: a script spawning agents makes short-lived garbage (wrappers,
// bound calls) in between its tasklet objects. In one heap, every tasklet
// object pins the holes that garbage leaves beside it, and the holes are
// too small for anything the tasklets allocate next (their threads): a
// parked agent then costs its object plus its neighbours' garbage. Here the
// objects sit in chunks of their own; the garbage between them coalesces in
// the malloc heap and is reused.
//
// Chunks are 64 KiB, mapped aligned to their size, so that a block finds its
// chunk by masking its address. Blocks carry no header. A chunk is carved
// as it is needed (its untouched pages stay unresident), and unmapped when
// its last block is freed, except one empty chunk kept for the next burst.
// Not thread-safe: one pool per thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace spindle {

class BlockPool {
public:
    static constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;

    explicit BlockPool(std::size_t block_size) noexcept;
    // Unmaps the chunks whose blocks are all free (blocks still in use are
    // left mapped: whoever holds them may still touch them).
    ~BlockPool();
    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;

    void* allocate();                   // throws std::bad_alloc
    void deallocate(void* block) noexcept;

    std::size_t block_size() const noexcept { return block_size_; }
    std::size_t blocks_per_chunk() const noexcept { return blocks_per_chunk_; }
    std::size_t chunks() const noexcept { return chunks_; }  // mapped now

private:
    struct Chunk;
    Chunk* map_chunk();
    void unmap_chunk(Chunk* chunk) noexcept;
    void link_partial(Chunk* chunk) noexcept;
    void unlink_partial(Chunk* chunk) noexcept;

    std::size_t block_size_;
    std::uint32_t blocks_per_chunk_;
    Chunk* partial_ = nullptr;  // chunks with a block to give (free or never carved)
    Chunk* spare_ = nullptr;    // one empty chunk, kept mapped
    std::size_t chunks_ = 0;
};

}  // namespace spindle
