// The `spindle` command. Script commands (run, check, dump, bench) arrive
// with the interpreter; today it reports its version and what it can do.
#include <CLI/CLI.hpp>
#include <iostream>

#include "spindle/tasklets.hpp"

int main(int argc, char** argv) {
    CLI::App app{"spindle: Stackless-style tasklets for game scripting"};
    app.set_version_flag("--version", std::string("spindle ") + spindle::kVersion);
    app.footer(
        "Commands for scripts (run, check, dump) come with the interpreter.\n"
        "Benchmarks: build/bin/spindle-bench-native. Demo: build/bin/spindle-demo.");
    app.require_subcommand(0, 1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? 0 : 2;
    }
    std::cout << app.help();
    return 0;
}
