// `spindle dump` (dump.hpp). The listing is built once as JSON; the text
// form is printed from the same document, so the two cannot disagree.
#include "dump.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "save/game_save.hpp"
#include "save/script_version.hpp"
#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/script_tasklets.hpp"

namespace spindle::tools {
namespace {

using nlohmann::json;
using vm::ObjKind;
using vm::Value;

constexpr std::size_t kReprLimit = 60;

// Tasklets and channels by their place in the listing: the ids of the
// process that saved are not in the save.
class Names {
public:
    std::size_t tasklet(const spindle::TaskletObject* t) { return tasklets_.try_emplace(t, tasklets_.size() + 1).first->second; }
    std::size_t channel(const spindle::ChannelObject* c) { return channels_.try_emplace(c, channels_.size() + 1).first->second; }

private:
    std::unordered_map<const spindle::TaskletObject*, std::size_t> tasklets_;
    std::unordered_map<const spindle::ChannelObject*, std::size_t> channels_;
};

// A short repr that runs no script code (no __repr__): containers shallowly,
// instances by class.
class ShortRepr {
public:
    ShortRepr(vm::Interpreter& in, Names& names) : in_(in), names_(names) {}

    std::string operator()(Value v) {
        std::string out;
        write(v, 0, out);
        if (out.size() > kReprLimit) out = out.substr(0, kReprLimit - 3) + "...";
        return out;
    }

private:
    void items(const vm::tracked_vector<Value>& list, int depth, std::string& out) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) out += ", ";
            if (out.size() > kReprLimit) {
                out += "...";
                return;
            }
            write(list[i], depth + 1, out);
        }
    }

    void write(Value v, int depth, std::string& out) {
        switch (v.tag) {
            case vm::Tag::None: out += "None"; return;
            case vm::Tag::Bool: out += v.b ? "True" : "False"; return;
            case vm::Tag::Int: out += std::to_string(v.i); return;
            case vm::Tag::Float: out += in_.float_repr(v.f); return;
            case vm::Tag::Undef: out += "<unbound>"; return;
            case vm::Tag::Obj: break;
        }
        if (depth > 2) {
            out += "...";
            return;
        }
        vm::Obj* o = v.o;
        switch (o->kind) {
            case ObjKind::Str: {
                std::string text(static_cast<vm::StrObj*>(o)->view());
                if (text.size() > kReprLimit) text = text.substr(0, kReprLimit);
                out += "'" + text + "'";
                return;
            }
            case ObjKind::Tuple: {
                const auto& list = static_cast<vm::TupleObj*>(o)->items;
                out += "(";
                items(list, depth, out);
                out += list.size() == 1 ? ",)" : ")";
                return;
            }
            case ObjKind::List:
                out += "[";
                items(static_cast<vm::ListObj*>(o)->items, depth, out);
                out += "]";
                return;
            case ObjKind::Dict: {
                out += "{";
                bool first = true;
                for (const auto& e : static_cast<vm::DictObj*>(o)->table.entries) {
                    if (e.deleted) continue;
                    if (!first) out += ", ";
                    first = false;
                    if (out.size() > kReprLimit) {
                        out += "...";
                        break;
                    }
                    write(e.key, depth + 1, out);
                    out += ": ";
                    write(e.value, depth + 1, out);
                }
                out += "}";
                return;
            }
            case ObjKind::Function: out += "<function " + name(static_cast<vm::FunctionObj*>(o)->qualname) + ">"; return;
            case ObjKind::Class: out += "<class '" + name(static_cast<vm::ClassObj*>(o)->name) + "'>"; return;
            case ObjKind::Module: out += "<module '" + name(static_cast<vm::ModuleObj*>(o)->name) + "'>"; return;
            case ObjKind::Native: out += "<built-in function " + name(static_cast<vm::NativeObj*>(o)->name) + ">"; return;
            case ObjKind::Instance: out += "<" + name(static_cast<vm::InstanceObj*>(o)->cls->name) + " object>"; return;
            case ObjKind::Exception: {
                auto* e = static_cast<vm::ExceptionObj*>(o);
                out += name(e->cls->name) + "(";
                if (e->args) items(e->args->items, depth, out);
                out += ")";
                return;
            }
            case ObjKind::Tasklet:
                if (static_cast<vm::TaskletObj*>(o)->tasklet.is_main()) {
                    out += "<main tasklet>";  // the game's own, whichever loads it
                    return;
                }
                out += "<" + subclass_prefix(static_cast<vm::TaskletObj*>(o)->cls, in_.stackless_tasklet_class()) + "tasklet #" +
                       std::to_string(names_.tasklet(static_cast<vm::TaskletObj*>(o)->tasklet.object())) + ">";
                return;
            case ObjKind::Channel:
                out += "<" + subclass_prefix(static_cast<vm::ChannelObj*>(o)->cls, in_.stackless_channel_class()) + "channel #" +
                       std::to_string(names_.channel(static_cast<vm::ChannelObj*>(o)->channel)) + ">";
                return;
            case ObjKind::Iterator: {
                // Its kind and where it is: a save game keeps both exactly.
                auto* it = static_cast<vm::IteratorObj*>(o);
                out += std::string("<") + iterator_kind(it->iter_kind) + " at " + std::to_string(it->index);
                if (!it->source.is_none() && !it->source.is_undef()) {
                    out += " over ";
                    write(it->source, depth + 1, out);
                }
                out += ">";
                return;
            }
            case ObjKind::DictView: {
                out += std::string("<") + in_.type_name(v) + " of ";
                write(Value::object(static_cast<vm::DictViewObj*>(o)->dict), depth + 1, out);
                out += ">";
                return;
            }
            default: out += std::string("<") + in_.type_name(v) + ">"; return;
        }
    }

    // CPython's type names for the iterator kinds.
    static const char* iterator_kind(vm::IterKind k) {
        using vm::IterKind;
        switch (k) {
            case IterKind::Sequence: return "list_iterator";
            case IterKind::Range: return "range_iterator";
            case IterKind::DictKeys: return "dict_keyiterator";
            case IterKind::DictValues: return "dict_valueiterator";
            case IterKind::DictItems: return "dict_itemiterator";
            case IterKind::Set: return "set_iterator";
            case IterKind::Str: return "str_iterator";
            case IterKind::Zip: return "zip";
            case IterKind::Enumerate: return "enumerate";
            case IterKind::Map: return "map";
            case IterKind::Filter: return "filter";
            case IterKind::Reversed: return "reversed";
            case IterKind::Channel: return "channel_iterator";
        }
        return "iterator";
    }

    static std::string name(const vm::StrObj* s) { return s ? std::string(s->view()) : "?"; }

    // "Guard " for an instance of a script subclass (class Guard(stackless.tasklet)).
    static std::string subclass_prefix(const vm::ClassObj* cls, const vm::ClassObj* base) {
        if (!cls || cls == base || !cls->name) return {};
        return std::string(cls->name->view()) + " ";
    }

    vm::Interpreter& in_;
    Names& names_;
};

json header(const save::SaveFile& file, const std::vector<std::uint8_t>& bytes, const std::string& path) {
    json sections = json::array();
    for (const save::SectionInfo& s : save::describe(bytes, path))
        sections.push_back({{"name", s.name}, {"raw_bytes", s.raw_bytes}, {"stored_bytes", s.stored_bytes}});
    return {{"file", path},
            {"file_bytes", bytes.size()},
            {"format_version", save::kFormatVersion},
            {"build_version", file.build_version},
            {"script_version", file.script_version},
            {"sections", sections}};
}

json call_stack(const spindle::Tasklet& t) {
    json stack = json::array();
    auto* state = vm::script_tasklet_state(t.script_state());
    if (!state || !state->thread) return stack;
    for (const vm::Frame& f : state->thread->frames) {
        const std::uint32_t pc = f.pc > 0 ? f.pc - 1 : 0;
        stack.push_back({{"function", f.code->qualname ? std::string(f.code->qualname->view()) : "?"},
                         {"file", f.code->filename ? std::string(f.code->filename->view()) : "?"},
                         {"line", f.code->line_of(pc)}});
    }
    return stack;
}

json tasklet_entry(vm::Interpreter& in, const spindle::Tasklet& t, const std::map<const void*, std::size_t>& queue_pos,
                   Names& names, ShortRepr& repr) {
    json j = {{"id", names.tasklet(t.object())}, {"name", t.name()}};
    if (t.blocked()) {
        j["state"] = "blocked";
        j["channel"] = names.channel(t.channel());
        j["direction"] = t.blocked_direction() > 0 ? "sending" : "receiving";
        if (t.blocked_direction() > 0 && t.tempval().holds<Value>()) j["value"] = repr(t.tempval().get<Value>());
    } else if (t.sleeping()) {
        j["state"] = "sleeping";
        j["wake_frame"] = t.wake_frame();
    } else if (auto it = queue_pos.find(t.object()); it != queue_pos.end()) {
        j["state"] = "runnable";
        j["queue_position"] = it->second;
    } else {
        j["state"] = "paused";
    }
    auto* state = vm::script_tasklet_state(t.script_state());
    if (state && !state->started && state->has_function()) j["not_started"] = repr(state->function());
    j["stack"] = call_stack(t);
    (void)in;
    return j;
}

// The module's script on disk against the digest the save recorded for it
// (save/script_version.hpp).
std::string source_status(const save::ScriptDigests& recorded, const vm::ModuleObj& m) {
    const auto it = recorded.find(m.name->view());
    if (it == recorded.end() || it->second == "?") return "not recorded";
    const std::optional<std::string> now = save::file_digest(std::string(m.filename->view()));
    if (!now) return "missing";
    return *now == it->second ? "same" : "changed";
}

json listing(vm::Interpreter& in, const save::LoadedGame& game, const std::vector<save::CodeReport>& code) {
    spindle::Scheduler& s = in.scheduler();
    Names names;
    ShortRepr repr(in, names);
    std::map<const void*, std::size_t> queue_pos;
    json run_queue = json::array();
    for (const spindle::Tasklet& t : s.run_queue()) {
        if (t.is_main()) continue;
        queue_pos[t.object()] = queue_pos.size() + 1;
        run_queue.push_back(names.tasklet(t.object()));
    }
    json doc;
    doc["scheduler"] = {{"frame", s.frame()},           {"ticks", s.ticks()},
                        {"time_slice", s.time_slice()}, {"frame_budget", game.host.frame_budget},
                        {"exit_status", game.host.status}, {"run_queue", run_queue}};
    json tasklets = json::array();
    std::vector<const spindle::ChannelObject*> channels;
    for (const spindle::Tasklet& t : s.all_tasklets()) {
        if (t.is_main() || !t.alive()) continue;
        tasklets.push_back(tasklet_entry(in, t, queue_pos, names, repr));
        if (t.blocked() && std::find(channels.begin(), channels.end(), t.channel()) == channels.end()) channels.push_back(t.channel());
    }
    std::sort(tasklets.begin(), tasklets.end(), [](const json& a, const json& b) { return a["id"] < b["id"]; });
    doc["tasklets"] = tasklets;
    json channel_list = json::array();
    for (const spindle::ChannelObject* c : channels) {
        json blocked = json::array();
        for (const spindle::Tasklet& t : c->blocked_tasklets()) blocked.push_back(names.tasklet(t.object()));
        channel_list.push_back({{"id", names.channel(c)},
                                {"balance", c->balance()},
                                {"preference", c->preference()},
                                {"closing", c->closing()},
                                {"blocked", blocked}});
    }
    std::sort(channel_list.begin(), channel_list.end(), [](const json& a, const json& b) { return a["id"] < b["id"]; });
    doc["channels"] = channel_list;
    json modules = json::array();
    std::vector<vm::ModuleObj*> scripts;
    for (const auto& [name, m] : in.modules())
        if (m->filename) scripts.push_back(m);
    std::sort(scripts.begin(), scripts.end(), [](auto* a, auto* b) { return a->name->view() < b->name->view(); });
    const save::ScriptDigests recorded = save::parse_script_version(game.script_version);
    for (vm::ModuleObj* m : scripts) {
        json globals = json::array();
        for (const auto& e : m->globals->table.entries) {
            if (e.deleted || !e.key.is_obj() || e.key.o->kind != ObjKind::Str) continue;
            const std::string key(static_cast<vm::StrObj*>(e.key.o)->view());
            if (key.starts_with("__")) continue;
            globals.push_back({{"name", key}, {"value", repr(e.value)}});
        }
        modules.push_back({{"name", std::string(m->name->view())},
                           {"file", std::string(m->filename->view())},
                           {"source", source_status(recorded, *m)},
                           {"globals", globals}});
    }
    doc["modules"] = modules;
    json functions = json::array();
    static const char* const kStates[] = {"same", "changed", "missing"};
    for (const save::CodeReport& r : code) {
        functions.push_back({{"function", r.qualname}, {"file", r.filename}, {"line", r.first_line},
                             {"status", kStates[static_cast<int>(r.state)]}});
    }
    doc["code"] = functions;
    return doc;
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_text(const json& doc) {
    std::cout << "save " << value_text(doc["file"]) << ": " << value_text(doc["file_bytes"]) << " bytes, format "
              << value_text(doc["format_version"]) << ", build " << value_text(doc["build_version"]) << ", scripts '"
              << value_text(doc["script_version"]) << "'\n";
    for (const json& s : doc["sections"])
        std::cout << "  section " << value_text(s["name"]) << ": " << value_text(s["raw_bytes"]) << " bytes, "
                  << value_text(s["stored_bytes"]) << " stored\n";
    const json& sc = doc["scheduler"];
    std::cout << "scheduler: frame " << sc["frame"] << ", ticks " << sc["ticks"] << ", time slice " << sc["time_slice"]
              << ", frame budget " << sc["frame_budget"] << ", exit status so far " << sc["exit_status"] << "\n";
    std::cout << "  run queue:";
    if (sc["run_queue"].empty()) std::cout << " (empty)";
    for (const json& id : sc["run_queue"]) std::cout << " #" << id;
    std::cout << "\n";
    std::cout << "tasklets: " << doc["tasklets"].size() << "\n";
    for (const json& t : doc["tasklets"]) {
        std::cout << "  #" << t["id"];
        if (!t["name"].get<std::string>().empty()) std::cout << " '" << value_text(t["name"]) << "'";
        const std::string state = t["state"];
        std::cout << ": " << state;
        if (state == "blocked") {
            std::cout << " on channel #" << t["channel"] << " " << value_text(t["direction"]);
            if (t.contains("value")) std::cout << " " << value_text(t["value"]);
        } else if (state == "sleeping") {
            std::cout << " until frame " << t["wake_frame"];
        } else if (state == "runnable") {
            std::cout << " (queue position " << t["queue_position"] << ")";
        }
        if (t.contains("not_started")) std::cout << ", not started: " << value_text(t["not_started"]);
        std::cout << "\n";
        for (const json& f : t["stack"])
            std::cout << "      " << value_text(f["file"]) << ":" << f["line"] << " " << value_text(f["function"]) << "\n";
    }
    std::cout << "channels: " << doc["channels"].size() << "\n";
    for (const json& c : doc["channels"]) {
        std::cout << "  #" << c["id"] << ": balance " << c["balance"] << ", preference " << c["preference"]
                  << (c["closing"].get<bool>() ? ", closing" : "") << ", blocked:";
        for (const json& id : c["blocked"]) std::cout << " #" << id;
        std::cout << "\n";
    }
    for (const json& m : doc["modules"]) {
        std::cout << "module " << value_text(m["name"]) << " (" << value_text(m["file"]) << ", script " << value_text(m["source"])
                  << "): " << m["globals"].size() << " globals\n";
        for (const json& g : m["globals"]) std::cout << "  " << value_text(g["name"]) << " = " << value_text(g["value"]) << "\n";
    }
    std::cout << "code: " << doc["code"].size() << " saved functions\n";
    for (const json& f : doc["code"])
        std::cout << "  " << value_text(f["status"]) << ": " << value_text(f["function"]) << " (" << value_text(f["file"]) << ":"
                  << f["line"] << ")\n";
}

}  // namespace

int dump_command(const std::string& path, bool as_json) {
    json doc;
    try {
        const std::vector<std::uint8_t> bytes = save::read_file(path);
        doc = header(save::decode(bytes, path), bytes, path);
        // The sandbox: its own scheduler and interpreter, and no script
        // frame may ever start in it.
        spindle::Scheduler scheduler;
        vm::Interpreter::Options options;
        options.max_depth = 0;
        vm::Interpreter sandbox(options);
        std::vector<save::CodeReport> code;
        save::LoadOptions load;
        load.code_report = &code;
        const save::LoadedGame game = save::load_game(sandbox, bytes, path, load);
        doc.update(listing(sandbox, game, code));
    } catch (const std::exception& e) {
        std::cerr << "spindle: " << e.what() << "\n";
        return 1;
    }
    if (as_json) std::cout << doc.dump(2) << "\n";
    else print_text(doc);
    return 0;
}

}  // namespace spindle::tools
