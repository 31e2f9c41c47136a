#include "spindle/block_pool.hpp"

#include <sys/mman.h>

#include <new>
#include <utility>

namespace spindle {

// At the start of each chunk; the blocks follow it.
struct BlockPool::Chunk {
    Chunk* prev;
    Chunk* next;
    void* free;            // freed blocks, linked through their first word
    std::uint32_t live;    // blocks handed out
    std::uint32_t carved;  // blocks [0, carved) have been handed out at least once
};

namespace {
constexpr std::size_t kHeaderBytes = 64;  // the Chunk, rounded to a cache line
static_assert(kHeaderBytes >= sizeof(void*) * 4 + 8);

char* first_block(void* chunk) noexcept { return static_cast<char*>(chunk) + kHeaderBytes; }
}  // namespace

BlockPool::BlockPool(std::size_t block_size) noexcept
    : block_size_((block_size + alignof(void*) - 1) / alignof(void*) * alignof(void*)),  // word-aligned blocks
      blocks_per_chunk_(static_cast<std::uint32_t>((kChunkBytes - kHeaderBytes) / block_size_)) {}

BlockPool::~BlockPool() {
    if (spare_) unmap_chunk(spare_);
    while (Chunk* c = partial_) {
        unlink_partial(c);
        if (c->live == 0) unmap_chunk(c);
    }
}

BlockPool::Chunk* BlockPool::map_chunk() {
    // Twice the size, then the unaligned ends are given back.
    void* mapping = ::mmap(nullptr, 2 * kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(mapping);
    const std::uintptr_t aligned = (start + kChunkBytes - 1) & ~(std::uintptr_t{kChunkBytes} - 1);
    if (aligned > start) ::munmap(mapping, aligned - start);
    const std::uintptr_t end = start + 2 * kChunkBytes;
    if (end > aligned + kChunkBytes) ::munmap(reinterpret_cast<void*>(aligned + kChunkBytes), end - aligned - kChunkBytes);
    ++chunks_;
    return new (reinterpret_cast<void*>(aligned)) Chunk{nullptr, nullptr, nullptr, 0, 0};
}

void BlockPool::unmap_chunk(Chunk* chunk) noexcept {
    ::munmap(chunk, kChunkBytes);
    --chunks_;
}

void BlockPool::link_partial(Chunk* chunk) noexcept {
    chunk->prev = nullptr;
    chunk->next = partial_;
    if (partial_) partial_->prev = chunk;
    partial_ = chunk;
}

void BlockPool::unlink_partial(Chunk* chunk) noexcept {
    if (chunk->prev) chunk->prev->next = chunk->next;
    else partial_ = chunk->next;
    if (chunk->next) chunk->next->prev = chunk->prev;
    chunk->prev = chunk->next = nullptr;
}

void* BlockPool::allocate() {
    Chunk* c = partial_;
    if (!c) {
        c = spare_ ? std::exchange(spare_, nullptr) : map_chunk();
        link_partial(c);
    }
    void* block;
    if (c->free) {
        block = c->free;
        c->free = *static_cast<void**>(block);
    } else {
        block = first_block(c) + std::size_t{c->carved++} * block_size_;
    }
    ++c->live;
    if (!c->free && c->carved == blocks_per_chunk_) unlink_partial(c);  // full
    return block;
}

void BlockPool::deallocate(void* block) noexcept {
    auto* c = reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(block) & ~(std::uintptr_t{kChunkBytes} - 1));
    const bool was_full = !c->free && c->carved == blocks_per_chunk_;
    *static_cast<void**>(block) = c->free;
    c->free = block;
    if (--c->live == 0) {
        if (!was_full) unlink_partial(c);
        if (spare_) {
            unmap_chunk(c);
        } else {
            c->free = nullptr;  // carved afresh: its blocks are handed out in address order again
            c->carved = 0;
            spare_ = c;
        }
        return;
    }
    if (was_full) link_partial(c);
}

}  // namespace spindle
