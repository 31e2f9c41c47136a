// A running game as a host holds it: one scheduler and one interpreter
// with the host loop's settings, run frame by frame, saved, and replaced by
// a loaded save while the host keeps the same session object.
//
//   spindle::save::GameSession game(options);
//   game.run_main("main.py");
//   game.run_frames(1, report);                  // once per frame
//   write_atomically(path, game.save());         // F5
//   game.load(read_file(path), path);            // F9: throws SaveFileError, or swaps
//
// load() builds the new game completely, every check of load_game
// included, beside the running one, which stays untouched and runnable: on
// any error it is still the game, exactly as it was. Only then is the new
// game swapped in and the old one torn down, the way an interpreter ends:
// its script tasklets are dropped with their frames and run no more code
// (no finally block, as Stackless at interpreter exit: the old world is
// gone, and its scripts must not act on the new one through host calls);
// its native tasklets are killed with TaskletExit on their own stacks, so
// their destructors run; tasklets inside calls from C++ are killed once
// and unwound by force if they refuse. Values and tasklet handles the host
// kept from the old game are dead after a swap.
//
// Each call into a session activates it for the length of the call (vm/
// activation.hpp), so sessions may live side by side, each destroyed in any
// order. A new session is active, as a new scheduler is; interpreter() and
// scheduler() are for a host with one session, or inside activate().
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "save/game_save.hpp"
#include "save/script_version.hpp"
#include "vm/activation.hpp"
#include "vm/interpreter.hpp"

namespace spindle::save {

struct SessionOptions {
    vm::Interpreter::Options interpreter;  // memory cap, runaway limit, stdout
    std::int64_t time_slice = 0;           // instructions per time slice (0: no round robin)
    std::int64_t frame_budget = 0;         // instructions per frame (0: until everyone waits)
    bool gc_stress = false;                // a collection at every safe point (debugging)
    // A loaded game keeps the time slice and frame budget it was saved with
    // unless these say to use the ones above.
    bool override_time_slice = false;
    bool override_frame_budget = false;
    // Called for every new game (the first, and each a load builds), active,
    // before any script runs or any save is read: the host binds its modules
    // and persistent ids here (vm/binding.hpp), which a loaded game needs too.
    std::function<void(vm::Interpreter&)> bind_host;
};

class GameSession {
public:
    // A fresh, empty game (active, as a new scheduler is).
    explicit GameSession(SessionOptions options = {});
    ~GameSession();
    GameSession(const GameSession&) = delete;
    GameSession& operator=(const GameSession&) = delete;

    // Valid until the next successful load().
    vm::Interpreter& interpreter() noexcept;
    spindle::Scheduler& scheduler() noexcept;
    // This session's game, active until the scope ends.
    [[nodiscard]] std::unique_ptr<vm::ScopedActivation> activate();
    bool is_active() const noexcept;

    // Runs a script as __main__ (its module body). False: it raised, the
    // error is in interpreter().last_error(). Compile errors throw
    // script::CompileError.
    bool run_main(const std::string& path);

    // Runs `frames` frames as an engine does: wake the sleepers, run until
    // every tasklet waits or the frame budget is spent. A tasklet that dies
    // of an uncaught error goes to `on_error` (interpreter().last_error()
    // has a script's traceback) and the frame goes on; host().status
    // becomes 1. SystemExit ends the run: its exit status is returned.
    using ErrorSink = std::function<void(std::exception_ptr error)>;
    std::optional<int> run_frames(std::int64_t frames, const ErrorSink& on_error = {});

    // The game's save file (between frames). The script version is
    // script_version(). Throws GameSaveError; nothing changes.
    SaveFile save_sections(const std::vector<std::uint8_t>& world = {});
    // save() streams the heap through zstd as it is pickled (save_game).
    std::vector<std::uint8_t> save(const std::vector<std::uint8_t>& world = {}, int compression_level = 1);

    // Loads a save into a new game and swaps it in for this one (see the
    // top of this file). Throws SaveFileError (naming the source, section,
    // offset and field) with this session's game untouched.
    LoadedGame load(std::span<const std::uint8_t> bytes, std::string_view source = "save file", const LoadOptions& options = {});

    HostLoop& host() noexcept;  // the frame budget in use and the exit status so far
    // The scripts this game runs, as save files record them
    // (script_version.hpp). Modules restored from a save keep the digest
    // the save recorded for them.
    std::string script_version() const;

private:
    struct Game;
    std::unique_ptr<Game> make_game() const;
    static void destroy(std::unique_ptr<Game> game) noexcept;
    GameSaveOptions save_options(const std::vector<std::uint8_t>& world) const;

    SessionOptions options_;
    std::unique_ptr<Game> game_;
};

}  // namespace spindle::save
