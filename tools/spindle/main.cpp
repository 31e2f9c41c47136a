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

namespace {

int run_command(const std::string& path, std::size_t max_memory) {
    spindle::Scheduler scheduler;
    spindle::vm::Interpreter::Options options;
    options.max_bytes = max_memory;
    spindle::vm::Interpreter interp(options);
    try {
        if (interp.run_main(path)) {
            std::cout.flush();
            return 0;
        }
    } catch (const spindle::script::CompileError& error) {
        std::cout.flush();
        std::cerr << error.format() << "\n";
        return 2;
    }
    std::cout.flush();
    std::cerr << interp.last_error().traceback;
    return 1;
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
    std::size_t max_memory = 0;
    CLI::App* run = app.add_subcommand("run", "Run a script as CPython would");
    run->add_option("file", script, "the script (.py)")->required();
    run->add_option("--max-memory", max_memory, "memory cap for script objects, in bytes (0: none)");

    std::vector<std::string> files;
    CLI::App* check = app.add_subcommand("check", "Compile scripts and report every error without running them");
    check->add_option("files", files, "scripts")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    if (*run) return run_command(script, max_memory);
    if (*check) return check_command(files);
    std::cout << app.help();
    return 0;
}
