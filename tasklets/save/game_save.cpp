// Whole-game saves (game_save.hpp). Index:
//   [BYTES]      varints for the SCHD section, and errors naming offsets
//   [CODE]       saved code against the scripts on disk
//   [SAVE]       collecting the roots, the two sections
//   [LOAD]       reading, validating, then filling the fresh scheduler
#include "save/game_save.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <sys/mman.h>
#include <unistd.h>

#include "script/parser.hpp"
#include "spindle/version.hpp"
#include "vm/compiler.hpp"
#include "vm/pickler.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"
#include "vm/unpickler.hpp"

namespace spindle::save {
namespace {

using vm::Interpreter;
using vm::ObjKind;
using vm::Value;

constexpr std::string_view kRootFormat = "spindle-game";
constexpr std::uintmax_t kMaxScriptBytes = std::uintmax_t{16} << 20;

// ============================================================================
// [BYTES]
// ============================================================================

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}
void put_svarint(std::vector<std::uint8_t>& out, std::int64_t v) {
    put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

// Reads one section's fields; every error names the section, the offset in
// its uncompressed bytes and the field.
class SectionReader {
public:
    SectionReader(std::string_view source, const Section& section) : source_(source), section_(section) {}

    [[noreturn]] void fail(std::size_t at, const std::string& what) const {
        throw SaveFileError(std::string(source_) + ": section '" + section_.name + "': offset " + std::to_string(at) + ": " + what);
    }
    std::uint64_t varint(const char* field) {
        const std::size_t start = pos_;
        std::uint64_t v = 0;
        for (int shift = 0;; shift += 7) {
            if (pos_ >= section_.bytes.size()) fail(start, std::string(field) + ": truncated");
            const std::uint8_t b = section_.bytes[pos_++];
            if (shift == 63 && b > 1) fail(start, std::string(field) + ": varint too large");
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
    }
    std::int64_t svarint(const char* field) {
        const std::uint64_t v = varint(field);
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    // A count of items that take at least one byte each.
    std::size_t count(const char* field) {
        const std::size_t at = pos_;
        const std::uint64_t n = varint(field);
        if (n > section_.bytes.size() - pos_) {
            fail(at, std::string(field) + ": " + std::to_string(n) + " is more than the " +
                         std::to_string(section_.bytes.size() - pos_) + " bytes left could hold");
        }
        return static_cast<std::size_t>(n);
    }
    std::size_t pos() const noexcept { return pos_; }
    bool at_end() const noexcept { return pos_ == section_.bytes.size(); }

private:
    std::string_view source_;
    const Section& section_;
    std::size_t pos_ = 0;
};

// SCHD, decoded.
struct SchedulerRecord {
    std::int64_t frame = 0;
    std::uint64_t ticks = 0;
    std::int64_t time_slice = 0;
    HostLoop host;
    std::size_t runnable = 0;
    std::vector<std::int64_t> wake_frames;   // per sleeper, after the runnable ones
    std::vector<std::uint64_t> run_since_wait;  // per queued tasklet
    std::uint64_t next_tasklet_id = 0;
    std::uint64_t next_channel_id = 0;
    std::vector<std::uint64_t> ids;  // of the tasklets and channels in HEAP, in the order they are read
    // Which of them (indices into ids, rising) are tasklets with a preemption
    // pending: it fell due inside an atomic section they then waited in.
    std::vector<std::uint64_t> preemption_pending;
    std::size_t queued() const noexcept { return runnable + wake_frames.size(); }
};

std::vector<std::uint8_t> encode_scheduler(const SchedulerRecord& r) {
    std::vector<std::uint8_t> out;
    put_varint(out, kGameSectionsVersion);
    put_svarint(out, r.frame);
    put_varint(out, r.ticks);
    put_svarint(out, r.time_slice);
    put_svarint(out, r.host.frame_budget);
    put_svarint(out, r.host.status);
    put_varint(out, r.runnable);
    put_varint(out, r.wake_frames.size());
    for (std::int64_t f : r.wake_frames) put_svarint(out, f);
    put_varint(out, r.run_since_wait.size());
    for (std::uint64_t n : r.run_since_wait) put_varint(out, n);
    put_varint(out, r.next_tasklet_id);
    put_varint(out, r.next_channel_id);
    put_varint(out, r.ids.size());
    for (std::uint64_t id : r.ids) put_varint(out, id);
    put_varint(out, r.preemption_pending.size());
    for (std::uint64_t i : r.preemption_pending) put_varint(out, i);
    return out;
}

SchedulerRecord decode_scheduler(std::string_view source, const Section& section) {
    SectionReader in(source, section);
    SchedulerRecord r;
    const std::uint64_t version = in.varint("section version");
    if (version != kGameSectionsVersion) {
        in.fail(0, "section version " + std::to_string(version) + " is not supported (this build reads version " +
                       std::to_string(kGameSectionsVersion) + ")");
    }
    std::size_t at = in.pos();
    r.frame = in.svarint("frame counter");
    if (r.frame < 0) in.fail(at, "frame counter: " + std::to_string(r.frame) + " is negative");
    r.ticks = in.varint("ticks");
    at = in.pos();
    r.time_slice = in.svarint("time slice");
    if (r.time_slice < 0) in.fail(at, "time slice: " + std::to_string(r.time_slice) + " is negative");
    at = in.pos();
    r.host.frame_budget = in.svarint("frame budget");
    if (r.host.frame_budget < 0) in.fail(at, "frame budget: " + std::to_string(r.host.frame_budget) + " is negative");
    at = in.pos();
    const std::int64_t status = in.svarint("exit status");
    if (status < 0 || status > 255) in.fail(at, "exit status: " + std::to_string(status) + " is not 0 to 255");
    r.host.status = static_cast<int>(status);
    r.runnable = in.count("runnable count");
    const std::size_t sleepers = in.count("sleeper count");
    std::int64_t last = r.frame + 1;
    for (std::size_t i = 0; i < sleepers; ++i) {
        at = in.pos();
        const std::int64_t wake = in.svarint("sleeper wake frame");
        if (wake <= r.frame || wake < last) {
            in.fail(at, "sleeper wake frame: " + std::to_string(wake) + " is not after frame " + std::to_string(r.frame) +
                            " in wake order");
        }
        last = wake;
        r.wake_frames.push_back(wake);
    }
    at = in.pos();
    const std::size_t n = in.count("runaway counter count");
    if (n != r.queued()) {
        in.fail(at, "runaway counter count: " + std::to_string(n) + " is not the " + std::to_string(r.queued()) + " queued tasklets");
    }
    for (std::size_t i = 0; i < n; ++i) r.run_since_wait.push_back(in.varint("runaway counter"));
    r.next_tasklet_id = in.varint("next tasklet id");
    r.next_channel_id = in.varint("next channel id");
    const std::size_t ids = in.count("id count");
    for (std::size_t i = 0; i < ids; ++i) r.ids.push_back(in.varint("tasklet or channel id"));
    const std::size_t pending = in.count("pending preemption count");
    for (std::size_t i = 0; i < pending; ++i) {
        at = in.pos();
        const std::uint64_t index = in.varint("pending preemption");
        if (index >= r.ids.size() || (!r.preemption_pending.empty() && index <= r.preemption_pending.back()))
            in.fail(at, "pending preemption: " + std::to_string(index) + " is not a rising index into the " + std::to_string(r.ids.size()) + " ids");
        r.preemption_pending.push_back(index);
    }
    if (!in.at_end()) in.fail(in.pos(), "bytes after the last field");
    return r;
}

// ============================================================================
// [CODE]
// ============================================================================

// Compiles each script once, and answers whether a saved code object is
// still what its file compiles to.
class CodeChecker {
public:
    explicit CodeChecker(Interpreter& in) : in_(in) {}

    CodeState check(const vm::CodeObj& code) {
        if (!code.filename || !code.qualname) return CodeState::Missing;
        const Compiled& compiled = compiled_for(std::string(code.filename->view()));
        auto [first, last] = compiled.by_qualname.equal_range(std::string(code.qualname->view()));
        if (first == last) return CodeState::Missing;
        for (auto it = first; it != last; ++it)
            if (vm::same_code(*it->second, code)) return CodeState::Same;
        return CodeState::Changed;
    }

private:
    struct Compiled {
        std::multimap<std::string, const vm::CodeObj*> by_qualname;
    };

    const Compiled& compiled_for(const std::string& filename) {
        auto [it, fresh] = files_.try_emplace(filename);
        if (!fresh) return it->second;
        // The name comes from the save: read it only if it is a plain file of
        // a script's size (not a device, a pipe, a directory).
        std::error_code ec;
        if (!std::filesystem::is_regular_file(filename, ec) || std::filesystem::file_size(filename, ec) > kMaxScriptBytes || ec)
            return it->second;
        std::ifstream file(filename, std::ios::binary);
        if (!file) return it->second;
        std::stringstream text;
        text << file.rdbuf();
        script::ParseResult parsed = script::parse(text.str(), filename);
        if (!parsed.ok()) return it->second;
        try {
            add(it->second, vm::compile_module(in_, parsed.module(), "__main__"), 0);
        } catch (const script::CompileError&) {
        }
        return it->second;
    }

    static void add(Compiled& into, const vm::CodeObj* code, int depth) {
        if (depth > 200) return;
        if (code->qualname) into.by_qualname.emplace(std::string(code->qualname->view()), code);
        for (const Value& k : code->constants)
            if (k.is_obj() && k.o->kind == ObjKind::Code) add(into, static_cast<const vm::CodeObj*>(k.o), depth + 1);
    }

    Interpreter& in_;
    std::unordered_map<std::string, Compiled> files_;
};

// ============================================================================
// [SAVE]
// ============================================================================

std::string tasklet_label(const spindle::Tasklet& t) {
    return "tasklet " + std::to_string(t.id()) + (t.name().empty() ? "" : " '" + t.name() + "'");
}

// A tasklet the save can hold: a script tasklet, or a native one with a
// restore interface (main is the host's).
void check_saveable(const spindle::Tasklet& t, const char* where) {
    if (t.kind() != spindle::TaskletKind::Script && !(t.kind() == spindle::TaskletKind::Native && t.restore_interface())) {
        throw GameSaveError("cannot save: " + tasklet_label(t) + " (" + where +
                            ") is a native tasklet without a restore interface");
    }
}

std::string pending_message(Interpreter& in) {
    const Value error = in.take_pending();
    std::string message;
    if (!in.to_str(error, message)) {
        in.take_pending();
        message = "error";
    }
    return std::string(in.type_name(error)) + ": " + message;
}

Value random_state(Interpreter& in) {
    vm::ModuleObj* random = in.find_module(in.intern("random"));
    if (!random) return Value();
    const std::int64_t pos = vm::table::find_interned(random->globals->table, in.intern("getstate"));
    if (pos < 0) return Value();
    Value state;
    if (!in.call(random->globals->table.entries[static_cast<std::size_t>(pos)].value, nullptr, 0, state)) {
        throw GameSaveError("cannot save the random state: " + pending_message(in));
    }
    return state;
}

void put(Interpreter& in, vm::DictObj* d, std::string_view key, Value v) { in.define(d, key, v); }

// The HEAP root and the SCHD record, from the live interpreter.
// The last root entry is the channels list, written in reach order
// (PickleOptions::in_reach_order): `channels` is set to it.
Value collect_roots(Interpreter& in, SchedulerRecord& record, const vm::ListObj*& channels_out) {
    spindle::Scheduler& s = in.scheduler();
    if (!s.getcurrent().is_main()) throw GameSaveError("cannot save: only between frames (the main tasklet is not current)");
    if (!in.main_thread().frames.empty()) throw GameSaveError("cannot save: the main module's body is still running");
    // One pass over every tasklet: refused ones first, and the channels
    // some are blocked on (in registry order, which the reach order below
    // replaces). On a big world each pass is a cache miss per tasklet.
    std::vector<spindle::ChannelObject*> blocked_on;
    std::unordered_set<const spindle::ChannelObject*> seen;
    for (const spindle::Tasklet& t : s.all_tasklets()) {
        if (!t.alive()) continue;
        if (!t.is_main()) check_saveable(t, "alive");
        spindle::ChannelObject* c = t.channel();
        if (c && seen.insert(c).second) blocked_on.push_back(c);
    }
    vm::DictObj* root = in.new_dict();
    put(in, root, "format", Value::object(in.intern(kRootFormat)));
    put(in, root, "script_directory", in.str(in.script_directory()));
    std::vector<vm::ModuleObj*> modules;
    for (const auto& [name, m] : in.modules())
        if (m->filename) modules.push_back(m);
    std::sort(modules.begin(), modules.end(), [](auto* a, auto* b) { return a->name->view() < b->name->view(); });
    vm::DictObj* module_dict = in.new_dict();
    put(in, root, "modules", Value::object(module_dict));
    for (vm::ModuleObj* m : modules) put(in, module_dict, m->name->view(), Value::object(m));
    vm::TupleObj* callbacks = in.new_tuple(3);
    callbacks->items.push_back(in.schedule_callback_value());
    callbacks->items.push_back(in.channel_callback_value());
    callbacks->items.push_back(in.error_handler_value());
    put(in, root, "callbacks", Value::object(callbacks));

    vm::ListObj* queued = in.new_list();
    auto queue = [&](const spindle::Tasklet& t, const char* where) {
        check_saveable(t, where);
        queued->items.push_back(in.wrap_tasklet(t));
        auto* state = vm::script_tasklet_state(t.script_state());
        record.run_since_wait.push_back(state && state->thread ? state->thread->run_since_wait : 0);
    };
    for (const spindle::Tasklet& t : s.run_queue()) {
        if (t.is_main()) continue;
        queue(t, "in the run queue");
        ++record.runnable;
    }
    for (const auto& sleeper : s.sleepers_in_wake_order()) {
        queue(sleeper.tasklet, "sleeping");
        record.wake_frames.push_back(sleeper.wake_frame);
    }
    put(in, root, "queued", Value::object(queued));

    vm::ListObj* channels = in.new_list();
    for (spindle::ChannelObject* c : blocked_on) {
        for (const spindle::Tasklet& b : c->blocked_tasklets()) check_saveable(b, "blocked on a channel");
        channels->items.push_back(in.wrap_channel(c));
    }
    put(in, root, "random", random_state(in));
    put(in, root, "channels", Value::object(channels));
    channels_out = channels;

    record.frame = s.frame();
    record.ticks = s.ticks();
    record.time_slice = s.time_slice();
    return Value::object(root);
}

// ============================================================================
// [LOAD]
// ============================================================================

// The HEAP root's fields, checked for type.
struct Roots {
    std::string script_directory;
    std::vector<vm::ModuleObj*> modules;
    Value callbacks[3];
    std::vector<spindle::Tasklet> queued;
    Value random;
};

class HeapError {
public:
    HeapError(std::string_view source) : source_(source) {}
    [[noreturn]] void operator()(const std::string& what) const {
        throw SaveFileError(std::string(source_) + ": section 'HEAP': " + what);
    }

private:
    std::string_view source_;
};

// A root field of the given kind (none: any value).
Value field(Interpreter& in, const vm::DictObj* root, const char* name, std::optional<ObjKind> kind, const HeapError& fail) {
    const std::int64_t pos = vm::table::find_interned(root->table, in.intern(name));
    if (pos < 0) fail(std::string("root field '") + name + "' is missing");
    const Value v = root->table.entries[static_cast<std::size_t>(pos)].value;
    if (kind && !(v.is_obj() && v.o->kind == *kind)) fail(std::string("root field '") + name + "' has the wrong type");
    return v;
}

Roots check_roots(Interpreter& in, Value root_value, const SchedulerRecord& record, const HeapError& fail) {
    if (!(root_value.is_obj() && root_value.o->kind == ObjKind::Dict)) fail("the root is not a dict");
    const auto* root = static_cast<vm::DictObj*>(root_value.o);
    Roots r;
    const Value format = field(in, root, "format", ObjKind::Str, fail);
    if (static_cast<vm::StrObj*>(format.o)->view() != kRootFormat) fail("root field 'format' is not '" + std::string(kRootFormat) + "'");
    r.script_directory = std::string(static_cast<vm::StrObj*>(field(in, root, "script_directory", ObjKind::Str, fail).o)->view());
    const auto* modules = static_cast<vm::DictObj*>(field(in, root, "modules", ObjKind::Dict, fail).o);
    for (const auto& e : modules->table.entries) {
        if (e.deleted) continue;
        if (!(e.value.is_obj() && e.value.o->kind == ObjKind::Module)) fail("root field 'modules' holds something that is not a module");
        auto* m = static_cast<vm::ModuleObj*>(e.value.o);
        if (!m->filename || !e.key.is_obj() || e.key.o->kind != ObjKind::Str ||
            static_cast<vm::StrObj*>(e.key.o)->view() != m->name->view()) {
            fail("module '" + std::string(m->name->view()) + "' is not a script module under its own name");
        }
        if (in.find_module(m->name)) fail("module '" + std::string(m->name->view()) + "' clashes with a builtin module");
        r.modules.push_back(m);
    }
    const auto* callbacks = static_cast<vm::TupleObj*>(field(in, root, "callbacks", ObjKind::Tuple, fail).o);
    if (callbacks->items.size() != 3) fail("root field 'callbacks' does not have 3 items");
    for (int i = 0; i < 3; ++i) r.callbacks[i] = callbacks->items[static_cast<std::size_t>(i)];
    const auto* queued = static_cast<vm::ListObj*>(field(in, root, "queued", ObjKind::List, fail).o);
    if (queued->items.size() != record.queued()) {
        fail("root field 'queued' holds " + std::to_string(queued->items.size()) + " tasklets; section 'SCHD' lists " +
             std::to_string(record.queued()));
    }
    std::unordered_set<const vm::Obj*> seen;
    for (std::size_t i = 0; i < queued->items.size(); ++i) {
        const Value v = queued->items[i];
        const std::string which = "queued tasklet " + std::to_string(i);
        if (!(v.is_obj() && v.o->kind == ObjKind::Tasklet)) fail(which + " is not a tasklet");
        if (!seen.insert(v.o).second) fail(which + " is queued twice");
        const spindle::Tasklet& t = static_cast<vm::TaskletObj*>(v.o)->tasklet;
        if (!t.alive() || !t.paused() || t.blocked()) fail(which + " is not alive and free to queue (it is blocked on a channel or dead)");
        auto* state = vm::script_tasklet_state(t.script_state());
        if (record.run_since_wait[i] != 0 && !(state && state->thread)) fail(which + " has a runaway counter but has not started");
        r.queued.push_back(t);
    }
    r.random = field(in, root, "random", std::nullopt, fail);
    if (!r.random.is_none() && !(r.random.is_obj() && r.random.o->kind == ObjKind::Tuple)) fail("root field 'random' is not a tuple");
    return r;
}

void restore_random(Interpreter& in, Value state, const HeapError& fail) {
    if (state.is_none()) return;
    vm::ModuleObj* random = in.find_module(in.intern("random"));
    const std::int64_t pos = random ? vm::table::find_interned(random->globals->table, in.intern("setstate")) : -1;
    if (pos < 0) fail("the random module is not available to restore its state");
    Value ignored;
    if (!in.call(random->globals->table.entries[static_cast<std::size_t>(pos)].value, &state, 1, ignored)) {
        fail("root field 'random': " + pending_message(in));
    }
}

// Everything is valid: the fresh interpreter and scheduler take the game.
void install(Interpreter& in, const Roots& roots, const SchedulerRecord& record, const HeapError& fail) {
    restore_random(in, roots.random, fail);
    for (vm::ModuleObj* m : roots.modules) in.register_module(m);
    in.set_script_directory(roots.script_directory);
    in.set_schedule_callback_value(roots.callbacks[0]);
    in.set_channel_callback_value(roots.callbacks[1]);
    in.set_error_handler_value(roots.callbacks[2]);
    spindle::Scheduler& s = in.scheduler();
    s.set_time_slice(record.time_slice);
    s.restore_clock(record.frame, record.ticks);
    for (std::size_t i = 0; i < roots.queued.size(); ++i) {
        const spindle::Tasklet& t = roots.queued[i];
        if (auto* state = vm::script_tasklet_state(t.script_state()); state && state->thread)
            state->thread->run_since_wait = record.run_since_wait[i];
        if (i < record.runnable) spindle::Tasklet(t).insert();
        else s.restore_sleeper(t, record.wake_frames[i - record.runnable]);
    }
}

// Every tasklet and channel the heap made has its saved id, below the saved counters.
void check_ids(std::string_view source, const std::vector<Value>& made, const SchedulerRecord& record) {
    auto fail = [&](const std::string& what) {
        throw SaveFileError(std::string(source) + ": section 'SCHD': field ids: " + what);
    };
    if (made.size() != record.ids.size()) {
        fail(std::to_string(record.ids.size()) + " ids for the " + std::to_string(made.size()) + " tasklets and channels in section 'HEAP'");
    }
    for (std::size_t i = 0; i < made.size(); ++i) {
        const bool tasklet = made[i].o->kind == ObjKind::Tasklet;
        if (record.ids[i] == 0 && tasklet) fail("id 0 is the main tasklet's");
        if (record.ids[i] >= (tasklet ? record.next_tasklet_id : record.next_channel_id))
            fail("id " + std::to_string(record.ids[i]) + " is not below the next id");
    }
    for (std::uint64_t i : record.preemption_pending)
        if (made[i].o->kind != ObjKind::Tasklet) fail("a pending preemption names channel " + std::to_string(record.ids[i]));
}

void restore_ids(spindle::Scheduler& s, const std::vector<Value>& made, const SchedulerRecord& record) {
    for (std::size_t i = 0; i < made.size(); ++i) {
        if (made[i].o->kind == ObjKind::Tasklet) s.restore_id(static_cast<vm::TaskletObj*>(made[i].o)->tasklet, record.ids[i]);
        else s.restore_id(*static_cast<vm::ChannelObj*>(made[i].o)->channel, record.ids[i]);
    }
    s.restore_id_counters(record.next_tasklet_id, record.next_channel_id);
    for (std::uint64_t i : record.preemption_pending) static_cast<vm::TaskletObj*>(made[i].o)->tasklet.restore_preemption_pending(true);
}

const Section& section(const SaveFile& file, std::string_view source, const char* name) {
    const Section* s = file.find(name);
    if (!s) throw SaveFileError(std::string(source) + ": section '" + name + "' is missing");
    return *s;
}

// Gives the operating system back the whole pages among the first `read`
// bytes of `bytes`, which nothing reads again: they read as zeros after.
// While a big save loads, its heap section's pages go as the world they
// describe is made, instead of adding their size to the load's peak.
void give_back_pages(std::vector<std::uint8_t>& bytes, std::size_t read) noexcept {
    static const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(bytes.data());
    const std::uintptr_t first = (start + page - 1) / page * page;
    const std::uintptr_t end = (start + std::min(read, bytes.size())) / page * page;
    // Only a hint: where it fails, the pages stay until the section goes.
    if (end > first) madvise(reinterpret_cast<void*>(first), end - first, MADV_DONTNEED);
}

// The HEAP section's pickle, into `heap` or, if given, `sink`; returns the
// SCHD record that goes with it.
SchedulerRecord save_heap(Interpreter& in, const GameSaveOptions& options, std::string& heap, vm::PickleSink* sink) {
    SchedulerRecord record;
    record.host = options.host;
    vm::PickleOptions pickle_options;
    pickle_options.whole_game = true;
    pickle_options.sink = sink;
    pickle_options.read_ahead = options.read_ahead;
    const Value root = collect_roots(in, record, pickle_options.in_reach_order);
    std::vector<Value> runtime_objects;
    pickle_options.runtime_objects = &runtime_objects;
    if (!vm::pickle_dumps(in, root, heap, pickle_options)) throw GameSaveError("cannot save: " + pending_message(in));
    record.next_tasklet_id = in.scheduler().next_tasklet_id();
    record.next_channel_id = in.scheduler().next_channel_id();
    for (const Value& v : runtime_objects) {
        const bool tasklet = v.o->kind == ObjKind::Tasklet;
        if (tasklet && static_cast<vm::TaskletObj*>(v.o)->tasklet.preemption_pending()) record.preemption_pending.push_back(record.ids.size());
        record.ids.push_back(tasklet ? static_cast<vm::TaskletObj*>(v.o)->tasklet.id() : static_cast<vm::ChannelObj*>(v.o)->channel->id());
    }
    return record;
}

// The pickler's pieces, compressed as they come.
class CompressingSink final : public vm::PickleSink {
public:
    explicit CompressingSink(SectionEncoder& encoder) : encoder_(encoder) {}
    void write(const char* data, std::size_t n) override { encoder_.write(data, n); }

private:
    SectionEncoder& encoder_;
};

StoredSection stored_section(const char* name, const std::vector<std::uint8_t>& bytes, int level) {
    SectionEncoder encoder(name, level);
    encoder.pledge(bytes.size());
    encoder.write(bytes.data(), bytes.size());
    return encoder.finish();
}

}  // namespace

SaveFile save_game_sections(Interpreter& in, const GameSaveOptions& options) {
    std::string heap;
    const SchedulerRecord record = save_heap(in, options, heap, nullptr);
    SaveFile file;
    file.build_version = spindle::kVersion;
    file.script_version = options.script_version;
    file.sections.push_back(Section{"WRLD", options.world});
    // One block copy (an iterator-range copy from char to uint8_t goes byte by byte).
    std::vector<std::uint8_t> heap_bytes(heap.size());
    if (!heap.empty()) std::memcpy(heap_bytes.data(), heap.data(), heap.size());
    file.sections.push_back(Section{"HEAP", std::move(heap_bytes)});
    file.sections.push_back(Section{"SCHD", encode_scheduler(record)});
    return file;
}

// The sections save_game_sections makes, but the heap is compressed while
// the pickler walks: the raw pickle is never held whole (tens of megabytes
// for a big world), and each piece is compressed while it is in the cache.
std::vector<std::uint8_t> save_game(Interpreter& in, const GameSaveOptions& options) {
    std::vector<StoredSection> sections;
    sections.push_back(stored_section("WRLD", options.world, options.compression_level));
    SchedulerRecord record;
    {
        SectionEncoder heap("HEAP", options.compression_level, options.compression_workers);
        CompressingSink sink(heap);
        std::string unused;
        record = save_heap(in, options, unused, &sink);
        sections.push_back(heap.finish());
    }
    sections.push_back(stored_section("SCHD", encode_scheduler(record), options.compression_level));
    return encode_stored(spindle::kVersion, options.script_version, sections);
}

std::uint64_t world_hash(const SaveFile& file) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char* name : {"HEAP", "SCHD"}) {
        const Section* s = file.find(name);
        if (!s) continue;
        for (std::uint8_t b : s->bytes) {
            h ^= b;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

LoadedGame load_game(Interpreter& in, std::span<const std::uint8_t> bytes, std::string_view source, const LoadOptions& options) {
    SaveFile file = decode(bytes, source, options.limits);
    const Section& world = section(file, source, "WRLD");
    Section& heap = const_cast<Section&>(section(file, source, "HEAP"));  // this load's own copy
    const SchedulerRecord record = decode_scheduler(source, section(file, source, "SCHD"));
    const HeapError fail(source);

    CodeChecker checker(in);
    vm::UnpickleOptions unpickle;
    unpickle.whole_game = true;
    // Saved code runs even if its script changed since (the unpickler's
    // validator passes it first): the listing says which did.
    if (options.code_report) {
        unpickle.check_code = [&](const vm::CodeObj& code) -> std::string {
            options.code_report->push_back(CodeReport{code.qualname ? std::string(code.qualname->view()) : "?",
                                                      code.filename ? std::string(code.filename->view()) : "?",
                                                      code.first_line, checker.check(code)});
            return "";
        };
    }
    std::vector<Value> runtime_objects;
    unpickle.runtime_objects = &runtime_objects;
    unpickle.read_for_good = [&heap](std::size_t read) { give_back_pages(heap.bytes, read); };
    Value root;
    const std::string_view text(reinterpret_cast<const char*>(heap.bytes.data()), heap.bytes.size());
    if (!vm::pickle_loads(in, text, root, unpickle)) fail(pending_message(in));
    const Roots roots = check_roots(in, root, record, fail);
    check_ids(source, runtime_objects, record);
    install(in, roots, record, fail);
    restore_ids(in.scheduler(), runtime_objects, record);
    return LoadedGame{file.build_version, file.script_version, world.bytes, record.host};
}

}  // namespace spindle::save
