#include "memory_latency.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

namespace spindle::bench {
namespace {

constexpr std::size_t kLine = 64;
constexpr std::size_t kLinesPerPage = 4096 / kLine;

struct alignas(kLine) Line {
    const Line* next;
};

// The order the chain visits the lines in: one cycle through all of them.
std::vector<std::size_t> visit_order(std::size_t lines, bool page_by_page, std::mt19937_64& rng) {
    std::vector<std::size_t> order(lines);
    if (!page_by_page) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::shuffle(order.begin(), order.end(), rng);
        return order;
    }
    std::vector<std::size_t> pages(lines / kLinesPerPage);
    std::iota(pages.begin(), pages.end(), std::size_t{0});
    std::shuffle(pages.begin(), pages.end(), rng);
    std::size_t k = 0;
    for (std::size_t page : pages) {
        std::vector<std::size_t> within(kLinesPerPage);
        std::iota(within.begin(), within.end(), std::size_t{0});
        std::shuffle(within.begin(), within.end(), rng);
        for (std::size_t line : within) order[k++] = page * kLinesPerPage + line;
    }
    return order;
}

}  // namespace

double dependent_read_ns(std::size_t bytes, bool page_by_page) {
    const std::size_t lines = std::max<std::size_t>(bytes / kLine / kLinesPerPage, 1) * kLinesPerPage;
    std::unique_ptr<Line[]> memory(new Line[lines]);
    std::mt19937_64 rng(7);
    const std::vector<std::size_t> order = visit_order(lines, page_by_page, rng);
    for (std::size_t i = 0; i < lines; ++i) memory[order[i]].next = &memory[order[(i + 1) % lines]];
    const Line* at = &memory[order[0]];
    for (std::size_t i = 0; i < lines; ++i) at = at->next;  // every page touched once before timing
    const std::size_t reads = std::max<std::size_t>(lines * 2, 4'000'000);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < reads; ++i) at = at->next;
    // The chain's end is stored before the clock is read again: without a
    // side effect the compiler may move the loop past the clock, or drop it.
    const Line* volatile sink = at;
    (void)sink;
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    return took.count() / static_cast<double>(reads);
}

}  // namespace spindle::bench
