// spindle-bench-idle: what one parked script tasklet costs, measured inside
// the process, where tools/bench/compare can only see peak RSS.
//
//   spindle-bench-idle [COUNT]     (default 100000)
//
// Runs tools/bench/scripts/idle.py (COUNT tasklets, each blocked in a
// receive) twice, each in a fresh forked child: with COUNT and with no
// tasklets. The difference divided by COUNT is printed for
//   * malloc heap: bytes glibc took from the system (arena + mmapped), which
//     is what becomes resident, holes and free lists included;
//   * malloc in use: bytes in allocated blocks (block headers included);
//   * RSS now and peak RSS (VmHWM), which compare reports;
//   * script heap: bytes charged to the interpreter's heap (its memory cap).
// Then the sizes of the structures a parked tasklet is made of, each with
// the malloc block it occupies (16-byte steps, 8 bytes of header).
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/script_tasklets.hpp"

#ifndef SPINDLE_BENCH_SCRIPTS
#error "SPINDLE_BENCH_SCRIPTS must name tools/bench/scripts"
#endif

namespace {

struct Sample {
    double malloc_heap = 0;
    double malloc_in_use = 0;
    double rss = 0;
    double peak_rss = 0;
    double script_heap = 0;
    double objects = 0;
    bool ok = false;
};

// "VmRSS" or "VmHWM" of this process, in bytes.
double status_bytes(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) return std::atof(line.c_str() + prefix.size()) * 1024.0;
    }
    return -1;
}

Sample run_idle(const std::string& source) {
    Sample s;
    spindle::Scheduler& scheduler = *new spindle::Scheduler();  // never freed: the child exits
    spindle::vm::Interpreter::Options options;
    options.write_stdout = [](std::string_view) {};
    auto& interp = *new spindle::vm::Interpreter(options);
    if (!interp.run_source(source, "idle.py")) return s;
    (void)scheduler;
    const struct mallinfo2 m = mallinfo2();
    s.malloc_heap = static_cast<double>(m.arena + m.hblkhd);
    s.malloc_in_use = static_cast<double>(m.uordblks + m.hblkhd);
    s.rss = status_bytes("VmRSS");
    s.peak_rss = status_bytes("VmHWM");
    s.script_heap = static_cast<double>(interp.heap().bytes());
    s.objects = static_cast<double>(interp.heap().object_count());
    s.ok = true;
    return s;
}

// One measurement in a fresh child, so that neither run sees the other's heap.
Sample in_child(const std::string& source) {
    int fds[2];
    Sample s;
    if (::pipe(fds) != 0) return s;
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        Sample result = run_idle(source);
        const ssize_t written = ::write(fds[1], &result, sizeof result);
        ::_exit(written == sizeof result ? 0 : 1);
    }
    ::close(fds[1]);
    if (child > 0 && ::read(fds[0], &s, sizeof s) != sizeof s) s.ok = false;
    ::close(fds[0]);
    int status = 0;
    if (child > 0) ::waitpid(child, &status, 0);
    return s;
}

std::string with_count(const std::string& text, long count) {
    return std::regex_replace(text, std::regex("^COUNT = \\d+$", std::regex::multiline), "COUNT = " + std::to_string(count));
}

// The malloc block a request of `bytes` occupies.
std::size_t block_of(std::size_t bytes) {
    void* p = std::malloc(bytes);
    const std::size_t usable = malloc_usable_size(p);
    std::free(p);
    return usable + sizeof(void*);
}

void size_row(const char* name, std::size_t bytes) {
    std::printf("  %-34s %5zu B  (malloc block %zu B)\n", name, bytes, block_of(bytes));
}

}  // namespace

int main(int argc, char** argv) {
    const long count = argc > 1 ? std::atol(argv[1]) : 100000;
    if (count <= 0) {
        std::fprintf(stderr, "usage: spindle-bench-idle [COUNT > 0]\n");
        return 2;
    }
    std::ifstream file(std::string(SPINDLE_BENCH_SCRIPTS) + "/idle.py");
    std::stringstream text;
    text << file.rdbuf();
    if (!file) {
        std::fprintf(stderr, "spindle-bench-idle: cannot read %s/idle.py\n", SPINDLE_BENCH_SCRIPTS);
        return 1;
    }
    const Sample full = in_child(with_count(text.str(), count));
    const Sample empty = in_child(with_count(text.str(), 0));
    if (!full.ok || !empty.ok) {
        std::fprintf(stderr, "spindle-bench-idle: a run failed\n");
        return 1;
    }
    const double n = static_cast<double>(count);
    std::printf("idle script tasklets: %ld, bytes per tasklet\n", count);
    std::printf("  %-34s %7.1f\n", "malloc heap (holes included)", (full.malloc_heap - empty.malloc_heap) / n);
    std::printf("  %-34s %7.1f\n", "malloc in use", (full.malloc_in_use - empty.malloc_in_use) / n);
    std::printf("  %-34s %7.1f\n", "RSS at the end", (full.rss - empty.rss) / n);
    std::printf("  %-34s %7.1f\n", "peak RSS (what compare reports)", (full.peak_rss - empty.peak_rss) / n);
    std::printf("  %-34s %7.1f\n", "script heap (charged)", (full.script_heap - empty.script_heap) / n);
    std::printf("  %-34s %7.2f\n", "script objects alive", (full.objects - empty.objects) / n);
    std::printf("structures:\n");
    size_row("TaskletObject", sizeof(spindle::TaskletObject));
    size_row("  its room for ScriptTaskletState", spindle::TaskletObject::kScriptStateRoom);
    size_row("ScriptTaskletState", sizeof(spindle::vm::ScriptTaskletState));
    size_row("Thread", sizeof(spindle::vm::Thread));
    size_row("Frame", sizeof(spindle::vm::Frame));
    size_row("Block", sizeof(spindle::vm::Block));
    size_row("BoundCall (+ 16 per argument)", sizeof(spindle::vm::BoundCall));
    size_row("TaskletObj (the script wrapper)", sizeof(spindle::vm::TaskletObj));
    return 0;
}
