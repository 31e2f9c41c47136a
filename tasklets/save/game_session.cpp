// A game a host runs, saves and replaces by a load (game_session.hpp).
#include "save/game_session.hpp"

#include "spindle/scheduler.hpp"
#include "vm/object.hpp"
#include "vm/script_tasklets.hpp"

namespace spindle::save {

// ============================================================================
// The game: scheduler, interpreter and what the host loop keeps
// ============================================================================

struct GameSession::Game {
    // Members are destroyed in reverse: the interpreter before its scheduler.
    std::unique_ptr<spindle::Scheduler> scheduler;
    std::unique_ptr<vm::Interpreter> interpreter;
    HostLoop host;
    // Script module name -> digest of the source it was compiled from (hex).
    ScriptDigests script_digests;
};

std::unique_ptr<GameSession::Game> GameSession::make_game() const {
    auto game = std::make_unique<Game>();
    game->scheduler = std::make_unique<spindle::Scheduler>();
    game->scheduler->set_time_slice(options_.time_slice);
    vm::Interpreter::Options interp = options_.interpreter;
    Game* raw = game.get();
    interp.on_script_source = [raw, user = options_.interpreter.on_script_source](std::string_view module, std::string_view source) {
        raw->script_digests[std::string(module)] = hex_digest(source);
        if (user) user(module, source);
    };
    game->interpreter = std::make_unique<vm::Interpreter>(std::move(interp));
    game->interpreter->heap().set_stress(options_.gc_stress);
    game->host.frame_budget = options_.frame_budget;
    if (options_.bind_host) options_.bind_host(*game->interpreter);
    return game;
}

// The interpreter goes first, while the scheduler its tasklets live on
// still exists. Each makes itself active for its own teardown (its
// tasklets die on its stacks, its objects refund its heap) and then gives
// the thread back what was active before, or, if that was this game, what
// was active when it was made.
void GameSession::destroy(std::unique_ptr<Game> game) noexcept {
    if (!game) return;
    game->interpreter.reset();
    game->scheduler.reset();
}

GameSession::GameSession(SessionOptions options) : options_(std::move(options)), game_(make_game()) {}

GameSession::~GameSession() { destroy(std::move(game_)); }

vm::Interpreter& GameSession::interpreter() noexcept { return *game_->interpreter; }
spindle::Scheduler& GameSession::scheduler() noexcept { return *game_->scheduler; }
HostLoop& GameSession::host() noexcept { return game_->host; }

std::unique_ptr<vm::ScopedActivation> GameSession::activate() {
    return std::make_unique<vm::ScopedActivation>(*game_->interpreter);
}

bool GameSession::is_active() const noexcept {
    return vm::current_interpreter() == game_->interpreter.get() && game_->scheduler->is_active();
}

bool GameSession::run_main(const std::string& path) {
    vm::ScopedActivation scope(*game_->interpreter);
    return game_->interpreter->run_main(path);
}

// A script's SystemExit ends the run; other errors end one tasklet.
static bool is_system_exit(const vm::Interpreter& in, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const vm::ScriptException&) {
        return in.last_error().type == "SystemExit";
    } catch (...) {
        return false;
    }
}

std::optional<int> GameSession::run_frames(std::int64_t frames, const ErrorSink& on_error) {
    vm::ScopedActivation scope(*game_->interpreter);
    Game& g = *game_;
    for (std::int64_t i = 0; i < frames; ++i) {
        bool frame_begun = false;
        for (;;) {
            try {
                if (frame_begun) g.scheduler->continue_frame(g.host.frame_budget);
                else g.scheduler->run_frame(g.host.frame_budget);
                break;
            } catch (...) {
                frame_begun = true;
                const std::exception_ptr error = std::current_exception();
                if (on_error) on_error(error);
                if (is_system_exit(*g.interpreter, error)) return g.interpreter->last_error().exit_status;
                g.host.status = 1;
            }
        }
    }
    return std::nullopt;
}

std::string GameSession::script_version() const {
    ScriptDigests digests;
    for (const auto& [name, module] : game_->interpreter->modules()) {
        if (!module->filename) continue;  // builtin modules are the build's
        const std::string key(name->view());
        const auto it = game_->script_digests.find(key);
        digests[key] = it == game_->script_digests.end() ? "?" : it->second;
    }
    return format_script_version(digests);
}

GameSaveOptions GameSession::save_options(const std::vector<std::uint8_t>& world) const {
    GameSaveOptions options;
    options.script_version = script_version();
    options.world = world;
    options.host = game_->host;
    return options;
}

SaveFile GameSession::save_sections(const std::vector<std::uint8_t>& world) {
    vm::ScopedActivation scope(*game_->interpreter);
    return save_game_sections(*game_->interpreter, save_options(world));
}

std::vector<std::uint8_t> GameSession::save(const std::vector<std::uint8_t>& world, int compression_level) {
    vm::ScopedActivation scope(*game_->interpreter);
    GameSaveOptions options = save_options(world);
    options.compression_level = compression_level;
    return save_game(*game_->interpreter, options);
}

LoadedGame GameSession::load(std::span<const std::uint8_t> bytes, std::string_view source, const LoadOptions& options) {
    const bool was_active = is_active();
    std::unique_ptr<Game> next;
    LoadedGame loaded;
    {
        // The new game is built with itself active (its tasklets and
        // channels are made on its scheduler, its objects on its heap); the
        // scope gives the thread back whatever was active, on success or not.
        vm::ScopedActivation scope;
        try {
            next = make_game();
            loaded = load_game(*next->interpreter, bytes, source, options);
        } catch (...) {
            destroy(std::move(next));
            throw;
        }
        next->host = loaded.host;
        if (options_.override_frame_budget) next->host.frame_budget = options_.frame_budget;
        if (options_.override_time_slice) next->scheduler->set_time_slice(options_.time_slice);
        next->script_digests = parse_script_version(loaded.script_version);
        if (was_active) scope.restore_to(*next->interpreter);
    }
    // Swapped: the old game goes, the host keeps this session.
    std::swap(game_, next);
    destroy(std::move(next));
    return loaded;
}

}  // namespace spindle::save
