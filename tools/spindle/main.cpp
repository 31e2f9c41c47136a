// The `spindle` command: run and check scripts. Exit status, as CPython's:
// 0 success, 1 an uncaught exception (traceback on stderr), 2 a compile
// error (FILE:LINE: message) or bad usage.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

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

bool ended_by_system_exit(const spindle::vm::Interpreter& interp, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const spindle::vm::ScriptException&) {
        return interp.last_error().type == "SystemExit";
    } catch (...) {
        return false;
    }
}

int run_command(const std::string& path, const RunSettings& settings) {
    spindle::Scheduler scheduler;
    scheduler.set_time_slice(settings.slice);
    spindle::vm::Interpreter::Options options;
    options.max_bytes = settings.max_memory;
    options.runaway_instructions = settings.runaway;
    spindle::vm::Interpreter interp(options);
    interp.heap().set_stress(settings.gc_stress);
    try {
        if (!interp.run_main(path)) {
            std::cout.flush();
            std::cerr << interp.last_error().traceback;
            return interp.last_error().exit_status;
        }
    } catch (const spindle::script::CompileError& error) {
        std::cout.flush();
        std::cerr << error.format() << "\n";
        return 2;
    }
    // What the engine does each frame: wake the sleepers, run until everyone
    // waits or the frame's instruction budget is spent. A tasklet that dies
    // of an uncaught error is reported and the game goes on without it (the
    // exit status says it happened); SystemExit ends the run.
    int status = 0;
    for (std::int64_t i = 0; i < settings.frames; ++i) {
        bool frame_begun = false;
        for (;;) {
            try {
                if (frame_begun) scheduler.continue_frame(settings.frame_budget);
                else scheduler.run_frame(settings.frame_budget);
                break;
            } catch (...) {
                frame_begun = true;
                report(interp, std::current_exception());
                if (ended_by_system_exit(interp, std::current_exception())) return interp.last_error().exit_status;
                status = 1;
            }
        }
    }
    std::cout.flush();
    return status;
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
    run->add_option("file", script, "the script (.py)")->required();
    run->add_option("--max-memory", settings.max_memory, "memory cap for script objects, in bytes (default 1 GiB; 0: none)");
    run->add_option("--frames", settings.frames, "after the module body, run this many frames of the scheduler")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--slice", settings.slice, "instructions per time slice before round-robin preemption (0: off)")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--frame-budget", settings.frame_budget, "instructions per frame (0: until every tasklet waits)")
        ->check(CLI::NonNegativeNumber);
    run->add_option("--runaway", settings.runaway,
                    "instructions a tasklet other than main may run without waiting before RuntimeError (0: no limit)")
        ->check(CLI::NonNegativeNumber);
    run->add_flag("--gc-stress", settings.gc_stress,
                  "collect garbage at every safe point (a debugging aid: finds values the collector cannot see)");

    std::vector<std::string> files;
    CLI::App* check = app.add_subcommand("check", "Compile scripts and report every error without running them");
    check->add_option("files", files, "scripts")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    if (*run) return run_command(script, settings);
    if (*check) return check_command(files);
    std::cout << app.help();
    return 0;
}
