// Whole-game saves: one call writes everything a running script world's
// future depends on into a save file (save_file.hpp), and one call rebuilds
// it in a fresh interpreter, so that running on from the load gives exactly
// what running on from the save would have given.
//
// Sections (each compressed and checksummed by the container):
//   WRLD  the engine's world, opaque here (empty for `spindle run`)
//   HEAP  one whole-game pickle (pickler.hpp, PickleOptions::whole_game) of
//         the root dict: format ("spindle-game"), script_directory (where
//         imports resolve), modules (the script modules by name, in name
//         order), callbacks (schedule, channel, error handler), queued (the
//         run queue in order, then the sleepers in wake order), random (the
//         generator's state) and, last, channels (those with blocked
//         tasklets, in the order the walk reached them). Modules, functions
//         and classes are written by content, so loading never runs a module
//         body again, and an error's path reads like
//         root['modules']['__main__'].__dict__['agents'][3].
//   SCHD  the scheduler and the host loop: section version, frame counter,
//         ticks, time slice, frame budget, exit status so far, how many of
//         HEAP's queued tasklets are runnable, each sleeper's wake frame, and
//         each queued tasklet's instructions since it last waited (the
//         runaway counter), the next tasklet and channel ids, the id of
//         each tasklet and channel in HEAP in the order it is read (their
//         reprs show them), and which of those tasklets have a preemption
//         pending (it fell due inside an atomic section they then waited
//         in: their next voluntary switch under a soft watchdog goes to the
//         watchdog), all LEB128 varints (signed ones zigzagged).
//
// Loading validates every section (the container's checks, the pickle's,
// the frame verifier for every frame, the scheduler's fields against the
// heap) and names the section, offset and field of anything wrong. The save
// carries the code of every function, so a game saved before a script edit
// resumes exactly: saved code runs once the bytecode validator
// (code_validator.hpp) has passed it, whatever the script on disk says now.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "save/save_file.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"

namespace spindle::save {

inline constexpr std::uint32_t kGameSectionsVersion = 2;

// The host loop's settings and outcome that travel with a save.
struct HostLoop {
    std::int64_t frame_budget = 0;  // instructions per frame (0: none)
    int status = 0;                 // exit status so far (1 once a tasklet died of an uncaught error)
};

struct GameSaveOptions {
    std::string script_version;
    std::vector<std::uint8_t> world;  // the WRLD section
    HostLoop host;
    // Level 1: zstd's fastest regular level; a save is written while the
    // game waits, and level 3 shrinks agent worlds by a few percent only.
    int compression_level = 1;
    // 0: save_game compresses the heap on the calling thread; more: on a
    // thread of its own while the pickler walks (save_file.hpp
    // SectionEncoder). That takes the compression out of the save's wall
    // time (the game's frame stall) where a core is free; the CPU time
    // stays. The bytes written are the same either way.
    int compression_workers = 1;
    // Whether a second thread reads the world ahead of the pickler
    // (vm/read_ahead.hpp): by default for a big world. Same bytes either way.
    vm::PickleOptions::ReadAhead read_ahead = vm::PickleOptions::ReadAhead::Auto;
};

// Saving refused: a native tasklet without a restore interface, an
// unpicklable value (named with its path from the root), a tasklet inside
// a call from C++. Nothing is written.
class GameSaveError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The sections of a save of `interp` (uncompressed). Call between frames:
// the main tasklet current, its thread idle. Throws GameSaveError.
SaveFile save_game_sections(vm::Interpreter& interp, const GameSaveOptions& options = {});
// save_game_sections, encoded as a save file's bytes.
std::vector<std::uint8_t> save_game(vm::Interpreter& interp, const GameSaveOptions& options = {});
// A digest of the world: FNV-1a (64 bits) over the HEAP and SCHD sections.
// Two worlds with the same future have the same hash.
std::uint64_t world_hash(const SaveFile& sections);

struct LoadedGame {
    std::string build_version;
    std::string script_version;
    std::vector<std::uint8_t> world;
    HostLoop host;
};

// A saved function's code against its script on disk now.
enum class CodeState : std::uint8_t { Same, Changed, Missing };
struct CodeReport {
    std::string qualname;
    std::string filename;
    std::int32_t first_line = 0;
    CodeState state = CodeState::Same;
};

struct LoadOptions {
    Limits limits;
    // If set, every saved function's code is reported here, in load order.
    std::vector<CodeReport>* code_report = nullptr;
};

// Loads a save into `fresh`: an interpreter made on a scheduler of its own
// that has run nothing yet. Everything is read and validated before the
// scheduler's queues are filled; on a SaveFileError (naming the source,
// section, offset and field) the caller discards `fresh` and whatever game
// was running before is untouched.
LoadedGame load_game(vm::Interpreter& fresh, std::span<const std::uint8_t> bytes, std::string_view source = "save file",
                     const LoadOptions& options = {});

}  // namespace spindle::save
