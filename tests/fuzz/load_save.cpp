// libFuzzer target: the save-file loader must turn any input into either a
// loaded game or a SaveFileError: no crash, no leak, no allocation the input
// merely claims to need. Each input goes through the container (decode,
// encode, decode) and then the whole-game loader (game_save.hpp) into a
// fresh scheduler and interpreter. tools/fuzz.sh builds and runs it (clang,
// ASan + UBSan).
#include <cstddef>
#include <cstdint>
#include <span>

#include "save/game_save.hpp"
#include "save/save_file.hpp"
#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    spindle::save::Limits limits;
    limits.max_section_bytes = std::uint64_t{64} << 20;  // keep each run small
    try {
        const auto save = spindle::save::decode(std::span(data, size), "fuzz", limits);
        // A file that decodes must encode again to something that decodes the same.
        const auto again = spindle::save::decode(spindle::save::encode(save), "fuzz", limits);
        if (again.sections.size() != save.sections.size()) __builtin_trap();
    } catch (const spindle::save::SaveFileError&) {
        return 0;
    }
    // The game loader, in a sandbox where no script frame can start (as
    // `spindle dump` loads): nothing the input holds ever runs.
    spindle::Scheduler scheduler;
    spindle::vm::Interpreter::Options options;
    options.max_depth = 0;
    options.max_bytes = std::size_t{256} << 20;
    spindle::vm::Interpreter interp(options);
    spindle::save::LoadOptions load;
    load.limits = limits;
    try {
        spindle::save::load_game(interp, std::span(data, size), "fuzz", load);
    } catch (const spindle::save::SaveFileError&) {
    }
    return 0;
}
