// spindle-bench-save: save and load of N agent tasklets (issue 4's benchmark).
//
//   spindle-bench-save [--runs R] [--level L] [--dir DIR] [--game [--split] [--workers W] [--read-ahead MODE]] [N ...]
//
// For each N (default 1000 10000 100000) it builds the world of
// tools/bench/scripts/save_agents.py with COUNT = N, runs a few frames so the
// agents stop at different points, then times, as medians of R runs:
//   save = pickling the __main__ globals (every agent, tasklet and channel
//          they reach) + zstd encoding of the save file + writing it
//          atomically (temporary file, fsync, rename) to DIR;
//   load = reading the file + decoding (checksums, zstd) + unpickling with
//          frame verification into a fresh interpreter that has run the
//          script's definitions (COUNT = 0).
// Each phase runs in a child process of its own, so its peak resident set
// (ru_maxrss from wait4) is that phase's alone: the save child builds the
// world, the load child only loads.
//
// The save and load calls are the two functions under [SAVE API]; switching
// the benchmark to a whole-game save API means replacing their bodies.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "memory_latency.hpp"
#include "save/game_save.hpp"
#include "save/save_file.hpp"
#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"
#include "vm/unpickler.hpp"

namespace {

// Time spent, in ms: wall clock and this process's CPU time (user + system).
// On a loaded machine the wall clock also counts waiting for a core; the
// CPU time is what the work itself took. Writing waits for the disk (fsync):
// there the wall clock is the honest one.
struct Span {
    double wall = 0, cpu = 0;
    Span& operator+=(const Span& o) {
        wall += o.wall;
        cpu += o.cpu;
        return *this;
    }
};

class Stopwatch {
public:
    Stopwatch() { restart(); }
    void restart() {
        wall_ = std::chrono::steady_clock::now();
        cpu_ = cpu_ms();
    }
    Span lap() {
        const Span s{std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_).count(), cpu_ms() - cpu_};
        restart();
        return s;
    }

private:
    static double cpu_ms() {
        timespec ts{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
    }
    std::chrono::steady_clock::time_point wall_;
    double cpu_ = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// The agents script with its COUNT line set to `count`.
std::string agents_source(const std::string& script, std::size_t count) {
    const std::string marker = "COUNT = 1000\n";
    const std::size_t at = script.find(marker);
    if (at == std::string::npos) throw std::runtime_error("save_agents.py has no 'COUNT = 1000' line");
    return script.substr(0, at) + "COUNT = " + std::to_string(count) + "\n" + script.substr(at + marker.size());
}

// An interpreter that has run the agents script (and `frames` frames of the scheduler).
struct World {
    spindle::Scheduler scheduler;  // before the interpreter: it runs on the active scheduler
    spindle::vm::Interpreter interp;

    World(const std::string& source, int frames) : interp(options()) {
        if (!interp.run_source(source, "save_agents.py")) throw std::runtime_error(interp.last_error().traceback);
        for (int i = 0; i < frames; ++i) scheduler.run_frame(0);
    }
    static spindle::vm::Interpreter::Options options() {
        spindle::vm::Interpreter::Options o;
        o.max_bytes = 0;  // the benchmark measures memory; it does not cap it
        return o;
    }
    spindle::vm::Value globals() {
        spindle::vm::ModuleObj* m = interp.find_module(interp.intern("__main__"));
        if (!m) throw std::runtime_error("no __main__ module");
        return spindle::vm::Value::object(m->globals);
    }
    [[noreturn]] void fail(const char* doing) {
        const spindle::vm::Value error = interp.take_pending();
        std::string message;
        if (!interp.to_str(error, message)) message = "?";
        throw std::runtime_error(std::string(doing) + ": " + interp.type_name(error) + ": " + message);
    }
};

// ============================================================================
// [SAVE API]: what a save and a load are. With a whole-game save API these
// become one call each (save_game(world.interp, path) / load_game(...)); the
// steps are timed apart here to show where the time goes.
// ============================================================================

struct SaveTimes {
    Span pickle, encode, write;
    std::size_t raw_bytes = 0, file_bytes = 0;
};
struct LoadTimes {
    Span read, decode, unpickle;
};

SaveTimes save_world(World& world, const std::filesystem::path& path, int level) {
    SaveTimes t;
    Stopwatch watch;
    std::string bytes;
    if (!spindle::vm::pickle_dumps(world.interp, world.globals(), bytes)) world.fail("pickle_dumps");
    t.pickle = watch.lap();
    t.raw_bytes = bytes.size();

    spindle::save::SaveFile file;
    file.build_version = spindle::kVersion;
    file.script_version = "save_agents";
    file.sections.push_back({"HEAP", std::vector<std::uint8_t>(bytes.begin(), bytes.end())});
    const std::vector<std::uint8_t> encoded = spindle::save::encode(file, level);
    t.encode = watch.lap();
    t.file_bytes = encoded.size();

    spindle::save::write_atomically(path, encoded);
    t.write = watch.lap();
    return t;
}

LoadTimes load_world(World& world, const std::filesystem::path& path) {
    LoadTimes t;
    Stopwatch watch;
    const std::vector<std::uint8_t> bytes = spindle::save::read_file(path);
    t.read = watch.lap();

    const spindle::save::SaveFile file = spindle::save::decode(bytes, path.string());
    const spindle::save::Section* heap = file.find("HEAP");
    if (!heap) throw std::runtime_error("no HEAP section");
    t.decode = watch.lap();

    spindle::vm::Value loaded;
    const std::string_view data(reinterpret_cast<const char*>(heap->bytes.data()), heap->bytes.size());
    if (!spindle::vm::pickle_loads(world.interp, data, loaded)) world.fail("pickle_loads");
    t.unpickle = watch.lap();
    return t;
}

// The same through the whole-game save (--game): save_game (every module,
// tasklet, channel and the scheduler; the heap compressed while it is
// pickled, so "pickle" is pickling and zstd together), and load_game into a
// fresh scheduler and interpreter that have run nothing. load_game decodes
// the file itself, so its time is all under "unpickle". With --split the
// save goes through save_game_sections and encode instead, one after the
// other, to show where the time goes.
SaveTimes save_game_world(World& world, const std::filesystem::path& path, int level, bool split, int workers,
                          spindle::vm::PickleOptions::ReadAhead read_ahead) {
    SaveTimes t;
    Stopwatch watch;
    std::vector<std::uint8_t> encoded;
    spindle::save::GameSaveOptions options;
    options.compression_level = level;
    options.compression_workers = workers;
    options.read_ahead = read_ahead;
    if (split) {
        const spindle::save::SaveFile file = spindle::save::save_game_sections(world.interp, options);
        t.pickle = watch.lap();
        for (const auto& section : file.sections) t.raw_bytes += section.bytes.size();
        encoded = spindle::save::encode(file, level);
        t.encode = watch.lap();
    } else {
        encoded = spindle::save::save_game(world.interp, options);
        t.pickle = watch.lap();
        for (const auto& section : spindle::save::describe(encoded)) t.raw_bytes += section.raw_bytes;
        watch.restart();  // (describe is not part of the save)
    }
    t.file_bytes = encoded.size();
    spindle::save::write_atomically(path, encoded);
    t.write = watch.lap();
    return t;
}

struct FreshGame {
    spindle::Scheduler scheduler;  // before the interpreter, as in World
    spindle::vm::Interpreter interp{World::options()};
};

LoadTimes load_game_world(FreshGame& fresh, const std::filesystem::path& path) {
    LoadTimes t;
    Stopwatch watch;
    const std::vector<std::uint8_t> bytes = spindle::save::read_file(path);
    t.read = watch.lap();
    (void)spindle::save::load_game(fresh.interp, bytes, path.string());
    t.unpickle = watch.lap();
    return t;
}

// ============================================================================
// [PHASES]: each in a child process; results come back as text.
// ============================================================================

spindle::vm::PickleOptions::ReadAhead read_ahead_mode(const std::string& name) {
    using Mode = spindle::vm::PickleOptions::ReadAhead;
    if (name == "auto") return Mode::Auto;
    if (name == "always") return Mode::Always;
    if (name == "never") return Mode::Never;
    throw std::runtime_error("--read-ahead: expected auto, always or never, not '" + name + "'");
}

struct Settings {
    int runs = 5;
    int level = 1;  // save::encode's default
    int frames = 6;
    std::filesystem::path dir = "/tmp";
    std::string script;
    bool game = false;   // --game: through save_game/load_game
    bool split = false;  // --split: with --game, pickle then compress (save_game_sections + encode)
    int workers = 1;     // --workers: with --game, zstd's compression threads (GameSaveOptions; games use 1)
    // --read-ahead auto|always|never: with --game, the pickler's reader thread (vm/read_ahead.hpp)
    spindle::vm::PickleOptions::ReadAhead read_ahead = spindle::vm::PickleOptions::ReadAhead::Auto;
};

// Runs `body` in a child; returns its output and its peak RSS in KiB.
std::pair<std::string, long> in_child(const std::function<std::string()>& body) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::fflush(stdout);
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        ::close(fds[0]);
        std::string out;
        int status = 0;
        try {
            out = body();
        } catch (const std::exception& e) {
            out = std::string("error: ") + e.what();
            status = 1;
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(fds[1], p, left);
            if (n <= 0) break;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        ::_exit(status);  // no teardown: the world dies with the process
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(child, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("child failed: " + out);
    return {out, usage.ru_maxrss};
}

long peak_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Medians of each step's wall and CPU times over the runs, as text and back.
struct Steps {
    std::vector<std::vector<Span>> runs;  // per run, per step
    std::vector<Span> medians() const {
        std::vector<Span> out(runs.empty() ? 0 : runs[0].size());
        for (std::size_t k = 0; k < out.size(); ++k) {
            std::vector<double> wall, cpu;
            for (const auto& r : runs) {
                wall.push_back(r[k].wall);
                cpu.push_back(r[k].cpu);
            }
            out[k] = {median(wall), median(cpu)};
        }
        return out;
    }
    Span fastest(std::size_t step) const {  // the least CPU time of any run: the least disturbed by other load
        Span best{0, 1e300};
        for (const auto& r : runs)
            if (r[step].cpu < best.cpu) best = r[step];
        return best;
    }
};

std::string spans_text(const std::vector<Span>& spans) {
    std::string out;
    for (const Span& s : spans) out += std::to_string(s.wall) + " " + std::to_string(s.cpu) + " ";
    return out;
}

std::vector<Span> spans_parse(std::istringstream& in, std::size_t n) {
    std::vector<Span> out(n);
    for (Span& s : out) in >> s.wall >> s.cpu;
    return out;
}

struct Row {
    std::size_t agents = 0;
    std::vector<Span> save;  // pickle, encode, write, total (medians), total (fastest run)
    std::vector<Span> load;  // read, decode, unpickle, total, total (fastest run)
    std::size_t raw_bytes = 0, file_bytes = 0;
    long world_kib = 0, save_peak_kib = 0, load_peak_kib = 0;
};

Row measure(std::size_t n, const Settings& s) {
    Row row;
    row.agents = n;
    // (The process id in the name: two benchmarks running at once in one
    // directory must not load each other's files.)
    const std::filesystem::path path = s.dir / ("spindle-bench-save-" + std::to_string(::getpid()) + "-" + std::to_string(n) + ".sav");
    auto [save_out, save_peak] = in_child([&] {
        World world(agents_source(s.script, n), s.frames);
        const long built = peak_rss_kib();
        Steps steps;
        SaveTimes t;
        for (int r = 0; r < s.runs; ++r) {
            t = s.game ? save_game_world(world, path, s.level, s.split, s.workers, s.read_ahead) : save_world(world, path, s.level);
            Span total = t.pickle;
            total += t.encode;
            total += t.write;
            steps.runs.push_back({t.pickle, t.encode, t.write, total});
        }
        return std::to_string(built) + " " + std::to_string(t.raw_bytes) + " " + std::to_string(t.file_bytes) + " " +
               spans_text(steps.medians()) + spans_text({steps.fastest(3)});
    });
    std::istringstream save_in(save_out);
    save_in >> row.world_kib >> row.raw_bytes >> row.file_bytes;
    row.save = spans_parse(save_in, 5);
    row.save_peak_kib = save_peak;

    auto [load_out, load_peak] = in_child([&] {
        const std::string empty = agents_source(s.script, 0);
        Steps steps;
        for (int r = 0; r < s.runs; ++r) {
            LoadTimes t;
            if (s.game) {
                FreshGame fresh;
                t = load_game_world(fresh, path);
            } else {
                World world(empty, 0);  // the script's classes and functions, no agents
                t = load_world(world, path);
            }
            Span total = t.read;
            total += t.decode;
            total += t.unpickle;
            steps.runs.push_back({t.read, t.decode, t.unpickle, total});
        }
        return spans_text(steps.medians()) + spans_text({steps.fastest(3)});
    });
    std::istringstream load_in(load_out);
    row.load = spans_parse(load_in, 5);
    row.load_peak_kib = load_peak;
    std::filesystem::remove(path);
    return row;
}

std::filesystem::path default_script(const char* argv0) {
    // build/bin/spindle-bench-save -> tools/bench/scripts/save_agents.py
    const std::filesystem::path here = std::filesystem::weakly_canonical(std::filesystem::path(argv0)).parent_path();
    for (std::filesystem::path p = here; !p.empty() && p != p.root_path(); p = p.parent_path()) {
        const auto candidate = p / "tools" / "bench" / "scripts" / "save_agents.py";
        if (std::filesystem::exists(candidate)) return candidate;
    }
    return SPINDLE_SAVE_AGENTS_SCRIPT;
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    std::vector<std::size_t> counts;
    std::filesystem::path script = default_script(argv[0]);
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--runs") s.runs = std::stoi(next());
        else if (arg == "--level") s.level = std::stoi(next());
        else if (arg == "--frames") s.frames = std::stoi(next());
        else if (arg == "--dir") s.dir = next();
        else if (arg == "--script") script = next();
        else if (arg == "--game") s.game = true;
        else if (arg == "--split") s.split = true;
        else if (arg == "--workers") s.workers = std::stoi(next());
        else if (arg == "--read-ahead") s.read_ahead = read_ahead_mode(next());
        else if (arg == "-h" || arg == "--help") {
            std::printf("usage: %s [--runs R] [--level L] [--frames F] [--dir DIR] [--script FILE] [--game [--split] [--workers W] "
                        "[--read-ahead auto|always|never]] [N ...]\n", argv[0]);
            return 0;
        } else counts.push_back(static_cast<std::size_t>(std::stoull(arg)));
    }
    if (counts.empty()) counts = {1000, 10000, 100000};
    s.script = read_text(script);

    std::printf("save/load of N agent tasklets (%s) through %s: medians of %d runs, zstd level %d, files in %s\n"
                "times in ms of the process's CPU time; wall clock in parentheses\n\n",
                script.filename().c_str(),
                !s.game ? "pickle_dumps/pickle_loads of __main__'s globals"
                        : s.split ? "save_game_sections + encode / load_game" : "save_game (streamed) / load_game",
                s.runs, s.level, s.dir.c_str());
    if (s.game && !s.split && s.workers > 0)
        std::printf("zstd compresses on %d thread(s) of its own beside the pickler: CPU time counts them, wall time only waits\n"
                    "for what is left when the pickler ends\n", s.workers);
    if (s.game)
        std::printf("%s\n\n", s.read_ahead == spindle::vm::PickleOptions::ReadAhead::Never ? "no reader thread ahead of the pickler"
                    : s.read_ahead == spindle::vm::PickleOptions::ReadAhead::Always
                        ? "a reader thread runs ahead of the pickler (vm/read_ahead.hpp): CPU time counts it"
                        : "a reader thread runs ahead of the pickler past 16 MiB of heap (vm/read_ahead.hpp): CPU time counts it");
    std::printf("%7s | %6s %5s %5s %6s %8s %6s | %5s %6s %8s %6s %8s %6s | %8s %7s %5s | %7s %6s %6s\n", "agents", "pickle",
                "zstd", "write", "SAVE", "(wall)", "best", "read", "unzstd", "unpickle", "LOAD", "(wall)", "best", "file KiB",
                "B/agent", "raw B", "world M", "save M", "load M");
    auto wall = [](double ms) { return "(" + std::to_string(ms).substr(0, 5) + ")"; };
    const bool streamed = s.game && !s.split;
    for (std::size_t n : counts) {
        const Row r = measure(n, s);
        const double agents = static_cast<double>(n);
        std::printf("%7zu | %6.2f %5s %5.2f %6.2f %8s %6.2f | %5.2f %6.2f %8.2f %6.2f %8s %6.2f | %8.1f %7.1f %5.0f | %7.1f %6.1f %6.1f\n",
                    n, r.save[0].cpu, streamed ? "-" : std::to_string(r.save[1].cpu).substr(0, 4).c_str(), r.save[2].cpu,
                    r.save[3].cpu, wall(r.save[3].wall).c_str(), r.save[4].cpu, r.load[0].cpu, r.load[1].cpu, r.load[2].cpu,
                    r.load[3].cpu, wall(r.load[3].wall).c_str(), r.load[4].cpu, static_cast<double>(r.file_bytes) / 1024.0,
                    static_cast<double>(r.file_bytes) / agents, static_cast<double>(r.raw_bytes) / agents,
                    static_cast<double>(r.world_kib) / 1024.0, static_cast<double>(r.save_peak_kib) / 1024.0,
                    static_cast<double>(r.load_peak_kib) / 1024.0);
        std::fflush(stdout);
    }
    std::printf("\nSAVE = pickle + zstd + write (temporary file, fsync, rename; its wall time waits for the disk); LOAD = read +\n"
                "unzstd + unpickle (with frame verification) into a fresh interpreter; best: the run with the least CPU time.\n"
                "%s"
                "raw B: pickle bytes per agent before zstd. world/save/load M: peak RSS in MiB after building the world, of\n"
                "the save process, of the load process.\n"
                "targets (10k agents): SAVE < 20 ms, LOAD < 40 ms, < 1024 B/agent on disk; 100k agents: peak < 256 MiB\n",
                streamed ? "save_game compresses the heap while it pickles it: pickle is both (--split times them apart).\n" : "");
    // The machine's memory now: a big world's save is a chain of reads like
    // the second and third (the world of 10k agents is about 27 MiB).
    std::printf("memory now: a dependent read takes %.0f ns in 4 MiB, %.0f ns in 64 MiB (%.0f ns page by page)\n",
                spindle::bench::dependent_read_ns(std::size_t{4} << 20, false),
                spindle::bench::dependent_read_ns(std::size_t{64} << 20, false),
                spindle::bench::dependent_read_ns(std::size_t{64} << 20, true));
    return 0;
}
