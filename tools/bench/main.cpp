// spindle-bench-native: registers every case as <side>/<case>, grouped by case
// so that the sides of one case run (and print) next to each other.
#include "common.hpp"

namespace {

struct Case {
    const char* name;
    void (*function)(benchmark::State&);
};

const Case kCases[] = {
    {"spindle/yield_2", bench::spindle_yield_2},
    {"boost_fiber/yield_2", bench::boost_fiber_yield_2},
    {"raw_context/yield_2", bench::raw_context_yield_2},
    {"spindle/yield_1000", bench::spindle_yield_1000},
    {"boost_fiber/yield_1000", bench::boost_fiber_yield_1000},
    {"raw_context/yield_1000", bench::raw_context_yield_1000},
    {"spindle/pingpong", bench::spindle_pingpong},
    {"boost_fiber/pingpong", bench::boost_fiber_pingpong},
    {"spindle/spawn", bench::spindle_spawn},
    {"boost_fiber/spawn", bench::boost_fiber_spawn},
    {"raw_context/spawn", bench::raw_context_spawn},
    {"spindle/frame_10k", bench::spindle_frame_10k},
    {"boost_fiber/frame_10k", bench::boost_fiber_frame_10k},
    {"raw_context/frame_10k", bench::raw_context_frame_10k},
};

}  // namespace

int main(int argc, char** argv) {
    for (const Case& c : kCases) benchmark::RegisterBenchmark(c.name, c.function);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
