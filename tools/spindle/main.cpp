// The `spindle` command: run and check scripts, save and load whole games,
// list save files. Exit status, as CPython's: 0 success, 1 an uncaught
// exception (traceback on stderr) or a bad save file (one line on stderr),
// 2 a compile error (FILE:LINE: message) or bad usage.
#include <CLI/CLI.hpp>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "dump.hpp"
#include "save/game_save.hpp"
#include "save/game_session.hpp"
#include "script/parser.hpp"
#include "spindle/tasklets.hpp"
#include "vm/compiler.hpp"
#include "vm/interpreter.hpp"
#include "vm/script_tasklets.hpp"

namespace {

struct RunSettings {
    std::size_t max_memory = spindle::vm::Interpreter::kDefaultMaxBytes;
    bool gc_stress = false;
    std::uint64_t runaway = spindle::vm::Interpreter::Options{}.runaway_instructions;
    std::int64_t frames = 0;        // frames of the scheduler to run after the module body
    std::int64_t slice = 0;         // instructions per time slice (0: no round-robin preemption)
    std::int64_t frame_budget = 0;  // instructions per frame (0: until everyone waits)
    bool slice_given = false;       // a loaded game keeps its own unless given again
    bool frame_budget_given = false;
    std::optional<std::int64_t> save_at;  // save after this many frames of this run (0: after the module body)
    std::string save_path;
    std::string load_path;          // instead of a script: a save game to run on from
    bool hash = false;              // print the world hash at the end
};

// Prints an error that reached main (the script's, or a runtime one).
int report(spindle::vm::Interpreter& interp, std::exception_ptr error) {
    std::cout.flush();
    try {
        std::rethrow_exception(error);
    } catch (const spindle::vm::ScriptException&) {
        std::cerr << interp.last_error().traceback;
    } catch (const std::exception& e) {
        std::cerr << "spindle: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "spindle: unknown error\n";
    }
    return 1;
}

// Saves the whole game to `path`; false (reported) if it cannot.
bool save_to(spindle::save::GameSession& game, const std::string& path) {
    std::cout.flush();
    try {
        spindle::save::write_atomically(path, game.save());
        return true;
    } catch (const std::exception& e) {
        std::cerr << "spindle: " << path << ": " << e.what() << "\n";
        return false;
    }
}

// The world hash, on stdout after the script's own output: a split run
// (save, load, run on) ends with the same line as the straight run.
void print_hash(spindle::save::GameSession& game) {
    try {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016" PRIx64, spindle::save::world_hash(game.save_sections()));
        std::cout << "world hash: " << hex << "\n";
    } catch (const std::exception& e) {
        std::cout << "world hash: unavailable (" << e.what() << ")\n";
    }
    std::cout.flush();
}

// Starts the world: runs the script's module body, or loads a save in
// place of the empty game. Returns an exit status to end with at once, or
// nothing to go on with the frames.
std::optional<int> start_world(spindle::save::GameSession& game, const std::string& path, const RunSettings& settings) {
    if (!settings.load_path.empty()) {
        try {
            game.load(spindle::save::read_file(settings.load_path), settings.load_path);
        } catch (const std::exception& e) {
            std::cerr << "spindle: " << e.what() << "\n";
            return 1;
        }
        return std::nullopt;
    }
    try {
        if (!game.run_main(path)) {
            std::cout.flush();
            std::cerr << game.interpreter().last_error().traceback;
            return game.interpreter().last_error().exit_status;
        }
    } catch (const spindle::script::CompileError& error) {
        std::cout.flush();
        std::cerr << error.format() << "\n";
        return 2;
    }
    return std::nullopt;
}

int run_command(const std::string& path, const RunSettings& settings) {
    spindle::save::SessionOptions options;
    options.interpreter.max_bytes = settings.max_memory;
    options.interpreter.runaway_instructions = settings.runaway;
    options.time_slice = settings.slice;
    options.frame_budget = settings.frame_budget;
    options.gc_stress = settings.gc_stress;
    // A loaded game keeps its own unless they are given again.
    options.override_time_slice = settings.slice_given;
    options.override_frame_budget = settings.frame_budget_given;
    spindle::save::GameSession game(options);
    if (std::optional<int> ended = start_world(game, path, settings)) return *ended;
    bool save_failed = false;
    if (settings.save_at == 0) save_failed |= !save_to(game, settings.save_path);
    // What the engine does each frame: wake the sleepers, run until everyone
    // waits or the frame's instruction budget is spent. A tasklet that dies
    // of an uncaught error is reported and the game goes on without it (the
    // exit status says it happened); SystemExit ends the run.
    auto on_error = [&](std::exception_ptr error) { report(game.interpreter(), error); };
    for (std::int64_t i = 0; i < settings.frames; ++i) {
        if (std::optional<int> exit = game.run_frames(1, on_error)) return *exit;
        if (settings.save_at == i + 1) save_failed |= !save_to(game, settings.save_path);
    }
    if (settings.hash) print_hash(game);
    std::cout.flush();
    return save_failed ? 1 : game.host().status;
}

int check_command(const std::vector<std::string>& files) {
    int status = 0;
    for (const std::string& path : files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            std::cerr << path << ":0: can't open file\n";
            status = 2;
            continue;
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        spindle::script::ParseResult parsed = spindle::script::parse(buffer.str(), path);
        if (!parsed.ok()) {
            std::cerr << parsed.error().format() << "\n";
            status = 2;
            continue;
        }
        spindle::Scheduler scheduler;
        spindle::vm::Interpreter interp;
        try {
            spindle::vm::compile_module(interp, parsed.module(), "__main__");
        } catch (const spindle::script::CompileError& error) {
            std::cerr << error.format() << "\n";
            status = 2;
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"spindle: Stackless-style tasklets for game scripting"};
    app.set_version_flag("--version", std::string("spindle ") + spindle::kVersion);
    app.require_subcommand(0, 1);

    std::string script;
    RunSettings settings;
    CLI::App* run = app.add_subcommand("run", "Run a script as CPython (or Stackless) would");
    run->add_option("file", script, "the script (.py)");
    run->add_option("--max-memory", settings.max_memory, "memory cap for script objects, in bytes (default 1 GiB; 0: none)");
    run->add_option("--frames", settings.frames, "after the module body, run this many frames of the scheduler")
        ->check(CLI::NonNegativeNumber);
    CLI::Option* slice = run->add_option("--slice", settings.slice, "instructions per time slice before round-robin preemption (0: off)")
        ->check(CLI::NonNegativeNumber);
    CLI::Option* frame_budget = run->add_option("--frame-budget", settings.frame_budget, "instructions per frame (0: until every tasklet waits)")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--runaway", settings.runaway,
                    "instructions a tasklet other than main may run without waiting before RuntimeError (0: no limit)")
        ->check(CLI::NonNegativeNumber);
    run->add_flag("--gc-stress", settings.gc_stress,
                  "collect garbage at every safe point (a debugging aid: finds values the collector cannot see)");
    CLI::Option* save_at = run->add_option("--save-at", settings.save_at,
                                           "save the whole game after this many frames of this run (0: after the module body)")
                               ->check(CLI::NonNegativeNumber);
    CLI::Option* save = run->add_option("--save", settings.save_path, "the save file --save-at writes");
    save_at->needs(save);
    save->needs(save_at);
    CLI::Option* load = run->add_option("--load", settings.load_path,
                                        "instead of a script, load this save and run on from it (its frame budget and "
                                        "time slice apply unless given again)");
    run->add_flag("--hash", settings.hash, "at the end, print the world hash (a digest of the heap and scheduler)");

    std::string dump_path;
    bool dump_json = false;
    CLI::App* dump = app.add_subcommand("dump", "List a save file: header, scheduler, tasklets, channels, modules, code changes");
    dump->add_option("save", dump_path, "the save file")->required();
    dump->add_flag("--json", dump_json, "the same listing as JSON");

    std::vector<std::string> files;
    CLI::App* check = app.add_subcommand("check", "Compile scripts and report every error without running them");
    check->add_option("files", files, "scripts")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    if (*run) {
        if (script.empty() == (load->count() == 0)) {
            std::cerr << "spindle run: give either a script or --load SAVE\n";
            return 2;
        }
        if (settings.save_at && *settings.save_at > settings.frames) {
            std::cerr << "spindle run: --save-at " << *settings.save_at << " is after the last frame (--frames " << settings.frames << ")\n";
            return 2;
        }
        settings.slice_given = slice->count() > 0;
        settings.frame_budget_given = frame_budget->count() > 0;
        return run_command(script, settings);
    }
    if (*dump) return spindle::tools::dump_command(dump_path, dump_json);
    if (*check) return check_command(files);
    std::cout << app.help();
    return 0;
}
