// The pickler (pickler.hpp): one recursive walk over the object graph,
// writing pickle_format.hpp. Index:
//   [OUTPUT]    varints and raw bytes
//   [PATHS]     where the walk is, for error messages
//   [GLOBALS]   classes, functions and builtins by module and qualified name
//   [VALUES]    the walk itself
#include "vm/pickler.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "vm/binding.hpp"
#include "vm/frame_verifier.hpp"
#include "vm/pickle_format.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

using pickle_format::Tag;

class Pickler {
public:
    explicit Pickler(Interpreter& in) : in_(in) {}

    bool run(Value root, std::string& out) {
        buf_.append(pickle_format::kMagic, sizeof pickle_format::kMagic);
        varint(pickle_format::kVersion);
        if (!value(root)) return false;
        out += buf_;
        return true;
    }

private:
    // ======================================================================
    // [OUTPUT]
    // ======================================================================

    void byte(std::uint8_t b) { buf_.push_back(static_cast<char>(b)); }
    void tag(Tag t) { byte(static_cast<std::uint8_t>(t)); }
    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            byte(static_cast<std::uint8_t>(v | 0x80));
            v >>= 7;
        }
        byte(static_cast<std::uint8_t>(v));
    }
    void svarint(std::int64_t v) { varint(pickle_format::zigzag(v)); }

    // ======================================================================
    // [PATHS]
    // ======================================================================

    // One step from a container to a child: [index], [key] or .attr.
    struct Step {
        enum Kind : std::uint8_t { Index, Key, Attr, Label } kind;
        std::int64_t index = 0;
        Value key;
        const char* label = nullptr;
    };

    struct StepGuard {
        StepGuard(Pickler& p, Step s) : p(p) { p.path_.push_back(s); }
        ~StepGuard() { p.path_.pop_back(); }
        Pickler& p;
    };

    [[gnu::noinline]] std::string path_text() {
        std::string text = "root";
        for (const Step& s : path_) {
            switch (s.kind) {
                case Step::Index: text += "[" + std::to_string(s.index) + "]"; break;
                case Step::Attr: text += "." + std::string(static_cast<StrObj*>(s.key.o)->view()); break;
                case Step::Label: text += "."; text += s.label; break;
                case Step::Key: {
                    // Only keys whose repr runs no script code are spelled out.
                    std::string shown;
                    if (plain_key(s.key, 0) && in_.repr(s.key, shown)) {
                        if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
                        text += "[" + shown + "]";
                    } else {
                        if (in_.has_pending()) in_.take_pending();
                        text += std::string("[<") + in_.type_name(s.key) + " key>]";
                    }
                    break;
                }
            }
        }
        return text;
    }

    // A key whose repr is plain data: None, bools, numbers, str, and tuples of them.
    static bool plain_key(Value k, int depth) {
        if (!k.is_obj()) return true;
        if (k.o->kind == ObjKind::Str) return true;
        if (k.o->kind != ObjKind::Tuple || depth > 2) return false;
        for (const Value& item : static_cast<TupleObj*>(k.o)->items) {
            if (!plain_key(item, depth + 1)) return false;
        }
        return true;
    }

    [[gnu::noinline]] bool fail(const std::string& what) {
        return raise_pickle_error(in_, PickleError::Pickling, what + " (at " + path_text() + ")");
    }
    [[gnu::noinline]] bool fail(const char* what) { return fail(std::string(what)); }
    [[gnu::noinline]] bool too_deep() {
        return fail("cannot pickle: the object graph nests deeper than " + std::to_string(pickle_format::kMaxDepth));
    }
    [[gnu::noinline]] bool cannot(Value v) { return fail(std::string("cannot pickle '") + in_.type_name(v) + "' object"); }

    // ======================================================================
    // [GLOBALS]
    // ======================================================================

    // Finds `qualname` ("Outer.method") in `module` as the unpickler will.
    bool resolve(StrObj* module_name, std::string_view qualname, Value& out) {
        ModuleObj* m = in_.find_module(module_name);
        if (!m) return false;
        Value at = Value::object(m);
        std::size_t start = 0;
        while (start <= qualname.size()) {
            std::size_t dot = qualname.find('.', start);
            if (dot == std::string_view::npos) dot = qualname.size();
            const std::string_view part = qualname.substr(start, dot - start);
            if (part.empty() || part.front() == '<') return false;  // <locals>, <lambda>
            Value next;
            if (at.o->kind == ObjKind::Module) {
                const DictObj* globals = static_cast<ModuleObj*>(at.o)->globals;
                const std::int64_t pos = table::find_interned(globals->table, in_.intern(part));
                if (pos < 0) return false;
                next = globals->table.entries[static_cast<std::size_t>(pos)].value;
            } else if (at.o->kind == ObjKind::Class) {
                const Value v = in_.lookup_in_class(static_cast<ClassObj*>(at.o), in_.intern(part));
                if (v.is_undef() || v.is_none()) return false;
                next = v;
            } else {
                return false;
            }
            if (!next.is_obj()) return false;
            at = next;
            start = dot + 1;
        }
        out = at;
        return true;
    }

    static StrObj* class_qualname(Interpreter& in, const ClassObj* cls) {
        if (cls->dict) {
            const std::int64_t pos = table::find_interned(cls->dict->table, in.names.qualname);
            if (pos >= 0) {
                const Value q = cls->dict->table.entries[static_cast<std::size_t>(pos)].value;
                if (q.is_obj() && q.o->kind == ObjKind::Str) return static_cast<StrObj*>(q.o);
            }
        }
        return cls->name;
    }

    // GLOBAL module qualname, after checking that the name leads back to `v`.
    [[gnu::noinline]] bool global(Value v, StrObj* module_name, StrObj* qualname, const char* what) {
        Value found;
        if (!module_name || !qualname || !resolve(module_name, qualname->view(), found) || !found.identical(v)) {
            const std::string mod = module_name ? std::string(module_name->view()) : "?";
            const std::string qual = qualname ? std::string(qualname->view()) : "?";
            return fail(std::string("cannot pickle ") + what + " '" + qual + "': it is not found as " + mod + "." + qual);
        }
        tag(Tag::Global);
        return str_value(module_name) && str_value(qualname);
    }

    // A builtin (len, math.sqrt, a host function) has no module of its own:
    // it is found by identity among the globals of the loaded modules.
    [[gnu::noinline]] bool native(NativeObj* n) {
        if (natives_.empty()) {
            for (const auto& [name, module] : in_.modules()) {
                const Table& t = module->globals->table;
                for (std::int64_t i = table::next_live(t, 0); i >= 0; i = table::next_live(t, i + 1)) {
                    const Table::Entry& e = t.entries[static_cast<std::size_t>(i)];
                    if (!e.value.is_obj() || !e.key.is_obj()) continue;
                    if (e.value.o->kind == ObjKind::Class) {
                        // Methods of a class (list.append, channel.send): a frame
                        // waiting in a method call has them on its stack.
                        const auto* cls = static_cast<ClassObj*>(e.value.o);
                        if (!cls->dict) continue;
                        const std::string prefix = std::string(static_cast<StrObj*>(e.key.o)->view()) + ".";
                        const Table& ct = cls->dict->table;
                        for (std::int64_t j = table::next_live(ct, 0); j >= 0; j = table::next_live(ct, j + 1)) {
                            const Table::Entry& m = ct.entries[static_cast<std::size_t>(j)];
                            if (!m.value.is_obj() || m.value.o->kind != ObjKind::Native || !m.key.is_obj()) continue;
                            StrObj* qual = in_.intern(prefix + std::string(static_cast<StrObj*>(m.key.o)->view()));
                            natives_.try_emplace(m.value.o, name, qual);
                        }
                        continue;
                    }
                    if (e.value.o->kind != ObjKind::Native) continue;
                    auto* key = static_cast<StrObj*>(e.key.o);
                    auto [it, added] = natives_.try_emplace(e.value.o, name, key);
                    // Bound under two names: the smallest, so output does not
                    // depend on hash-table order.
                    if (!added && std::pair(name->view(), key->view()) < std::pair(it->second.first->view(), it->second.second->view()))
                        it->second = {name, key};
                }
            }
        }
        auto it = natives_.find(n);
        if (it == natives_.end()) {
            return fail("cannot pickle builtin '" + std::string(n->name ? n->name->view() : "?") +
                        "': it is not a module attribute");
        }
        tag(Tag::Global);
        return str_value(it->second.first) && str_value(it->second.second);
    }

    // ======================================================================
    // [VALUES]
    // ======================================================================

    bool str_value(StrObj* s) { return value(Value::object(s)); }

    // Instance attributes in the order they were added: shape slots, then
    // the fallback dict.
    bool attributes(InstanceObj* inst) {
        std::vector<Shape*> chain;
        for (Shape* s = inst->shape; s && s->key; s = s->parent) chain.push_back(s);
        std::size_t count = chain.size() + (inst->dict ? inst->dict->table.live : 0);
        varint(count);
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            StrObj* key = (*it)->key;
            if (!str_value(key)) return false;
            StepGuard g(*this, {Step::Attr, 0, Value::object(key)});
            if (!value(inst->slots[(*it)->slot_count - 1])) return false;
        }
        if (inst->dict) {
            const Table& t = inst->dict->table;
            for (std::int64_t i = table::next_live(t, 0); i >= 0; i = table::next_live(t, i + 1)) {
                const Table::Entry& e = t.entries[static_cast<std::size_t>(i)];
                if (!(e.key.is_obj() && e.key.o->kind == ObjKind::Str)) return fail("instance attribute name is not a str");
                if (!value(e.key)) return false;
                StepGuard g(*this, {Step::Attr, 0, e.key});
                if (!value(e.value)) return false;
            }
        }
        return true;
    }

    bool class_ref(ClassObj* cls) {
        StepGuard g(*this, {Step::Label, 0, Value(), "__class__"});
        return value(Value::object(cls));
    }

    bool sequence(const tracked_vector<Value>& items) {
        varint(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            StepGuard g(*this, {Step::Index, static_cast<std::int64_t>(i), Value()});
            if (!value(items[i])) return false;
        }
        return true;
    }

    bool value(Value v) {
        switch (v.tag) {
            case vm::Tag::None: tag(Tag::None); return true;
            case vm::Tag::Bool: tag(v.b ? Tag::True : Tag::False); return true;
            case vm::Tag::Int: tag(Tag::Int); svarint(v.i); return true;
            case vm::Tag::Float: {
                tag(Tag::Float);
                std::uint64_t bits;
                std::memcpy(&bits, &v.f, sizeof bits);
                for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(bits >> (8 * i)));
                return true;
            }
            case vm::Tag::Undef: return fail("cannot pickle an unbound value");
            case vm::Tag::Obj: break;
        }
        Obj* o = v.o;
        if (auto it = memo_.find(o); it != memo_.end()) {
            tag(Tag::Ref);
            varint(it->second);
            return true;
        }
        if (depth_ >= pickle_format::kMaxDepth) return too_deep();
        // Checked before the memo entry: an object that cannot be written
        // must not take an index.
        switch (o->kind) {
            case ObjKind::Str: case ObjKind::Tuple: case ObjKind::List: case ObjKind::Dict: case ObjKind::Set:
            case ObjKind::Range: case ObjKind::Slice: case ObjKind::Class: case ObjKind::Function:
            case ObjKind::Native: case ObjKind::Module: case ObjKind::Instance: case ObjKind::Exception:
            case ObjKind::BoundMethod: case ObjKind::Host: case ObjKind::Tasklet: case ObjKind::Channel: break;
            case ObjKind::Iterator:
                if (picklable_iterator(static_cast<IteratorObj*>(o))) break;
                return cannot(v);
            default: return cannot(v);
        }
        memo_.emplace(o, next_index_++);
        ++depth_;
        const bool ok = object(v);
        --depth_;
        return ok;
    }

    bool object(Value v) {
        Obj* o = v.o;
        switch (o->kind) {
            case ObjKind::Str: {
                auto* s = static_cast<StrObj*>(o);
                tag(Tag::Str);
                varint(s->data.size());
                buf_.append(s->data.data(), s->data.size());
                return true;
            }
            case ObjKind::Tuple: tag(Tag::Tuple); return sequence(static_cast<TupleObj*>(o)->items);
            case ObjKind::List: tag(Tag::List); return sequence(static_cast<ListObj*>(o)->items);
            case ObjKind::Dict: {
                const Table& t = static_cast<DictObj*>(o)->table;
                tag(Tag::Dict);
                varint(t.live);
                for (std::int64_t i = table::next_live(t, 0); i >= 0; i = table::next_live(t, i + 1)) {
                    const Table::Entry& e = t.entries[static_cast<std::size_t>(i)];
                    StepGuard g(*this, {Step::Key, 0, e.key});
                    if (!value(e.key) || !value(e.value)) return false;
                }
                return true;
            }
            case ObjKind::Set: {
                tracked_vector<Value> items;
                in_.set_items_in_order(static_cast<SetObj*>(o), items);
                tag(Tag::Set);
                return sequence(items);
            }
            case ObjKind::Range: {
                auto* r = static_cast<RangeObj*>(o);
                tag(Tag::Range);
                svarint(r->start);
                svarint(r->stop);
                svarint(r->step);
                return true;
            }
            case ObjKind::Slice: {
                auto* s = static_cast<SliceObj*>(o);
                tag(Tag::Slice);
                return value(s->start) && value(s->stop) && value(s->step);
            }
            case ObjKind::Class: {
                auto* cls = static_cast<ClassObj*>(o);
                StrObj* module = cls->module_name ? cls->module_name : (cls->is_builtin ? in_.names.builtins : nullptr);
                return global(v, module, class_qualname(in_, cls), "class");
            }
            case ObjKind::Function: {
                auto* f = static_cast<FunctionObj*>(o);
                StrObj* module = f->module ? f->module->name : nullptr;
                Value found;
                if (module && f->qualname && resolve(module, f->qualname->view(), found) && found.identical(v))
                    return global(v, module, f->qualname, "function");
                return function_by_content(f);
            }
            case ObjKind::Native: return native(static_cast<NativeObj*>(o));
            case ObjKind::Module: return module(static_cast<ModuleObj*>(o));
            case ObjKind::Instance: {
                auto* inst = static_cast<InstanceObj*>(o);
                if (inst->cls->is_builtin && inst->cls != in_.types.object) return cannot(v);
                tag(Tag::Instance);
                return class_ref(inst->cls) && attributes(inst);
            }
            case ObjKind::Exception: {
                auto* e = static_cast<ExceptionObj*>(o);
                tag(Tag::Exception);
                if (!class_ref(e->cls)) return false;
                {
                    StepGuard g(*this, {Step::Label, 0, Value(), "args"});
                    if (e->args) {
                        if (!value(Value::object(e->args))) return false;
                    } else {
                        tag(Tag::Tuple);
                        varint(0);
                        ++next_index_;
                    }
                }
                return attributes(e);
            }
            case ObjKind::BoundMethod: {
                auto* m = static_cast<BoundMethodObj*>(o);
                tag(Tag::BoundMethod);
                StepGuard g(*this, {Step::Label, 0, Value(), "__self__"});
                return value(m->self) && value(m->function);
            }
            case ObjKind::Host: return host(v);
            case ObjKind::Tasklet: return tasklet(static_cast<TaskletObj*>(o));
            case ObjKind::Iterator: return iterator(static_cast<IteratorObj*>(o));
            case ObjKind::Channel: return channel(static_cast<ChannelObj*>(o));
            default: return cannot(v);
        }
    }

    [[gnu::noinline]] bool module(ModuleObj* m) {
        if (in_.find_module(m->name) != m) return fail("cannot pickle module '" + std::string(m->name->view()) + "': it is not loaded under its name");
        tag(Tag::Module);
        return str_value(m->name);
    }

    [[gnu::noinline]] bool host(Value v) {
        Obj* o = v.o;
        PersistentId id;
        if (!save_host_object(in_, v, id)) {
            Value error = in_.take_pending();
            std::string message;
            if (!in_.to_str(error, message)) {
                in_.take_pending();
                message = "cannot pickle host object";
            }
            return fail(message);
        }
        const HostType* type = static_cast<HostObj*>(o)->type;
        tag(Tag::Host);
        if (!str_value(in_.intern(type->qualified_name))) return false;
        svarint(id.index);
        svarint(id.generation);
        return str_value(in_.new_str(id.key));
    }

    // Iterators over a list, tuple, str or range, as CPython pickles them
    // (the others, over dicts, sets, zip, map..., are refused).
    static bool picklable_iterator(const IteratorObj* it) {
        switch (it->iter_kind) {
            case IterKind::Sequence:
                return it->step == 1 && it->source.is_obj() &&
                       (it->source.o->kind == ObjKind::List || it->source.o->kind == ObjKind::Tuple);
            case IterKind::Str:
            case IterKind::Range: return true;
            default: return false;
        }
    }

    bool iterator(IteratorObj* it) {
        using pickle_format::IteratorKind;
        tag(Tag::Iterator);
        if (it->iter_kind == IterKind::Range) {
            byte(static_cast<std::uint8_t>(IteratorKind::Range));
            svarint(it->index);
            svarint(it->end);
            svarint(it->step);
            return true;
        }
        byte(static_cast<std::uint8_t>(it->iter_kind == IterKind::Str ? IteratorKind::Str : IteratorKind::Sequence));
        StepGuard g(*this, {Step::Label, 0, Value(), "__iterable__"});
        if (!value(it->source)) return false;
        svarint(it->index);
        return true;
    }

    // What every tasklet record starts with: its tag, the flags (the given
    // ones plus the tasklet's own switches) and its name.
    bool tasklet_header(const spindle::Tasklet& t, std::uint8_t flags) {
        if (t.atomic()) flags |= pickle_format::kAtomic;
        if (t.ignore_nesting()) flags |= pickle_format::kIgnoreNesting;
        if (t.block_trap()) flags |= pickle_format::kBlockTrap;
        tag(Tag::Tasklet);
        byte(flags);
        return value(t.name().empty() ? Value() : Value::object(in_.new_str(t.name())));
    }

    // A script tasklet that has not started: its function and arguments.
    // Started ones go to started_tasklet, with their frames.
    [[gnu::noinline]] bool tasklet(TaskletObj* w) {
        const spindle::Tasklet& t = w->tasklet;
        const std::string label = "tasklet " + std::to_string(t.id()) + (t.name().empty() ? "" : " '" + t.name() + "'");
        if (w->cls != in_.stackless_tasklet_class()) return fail("cannot pickle " + label + ": instances of tasklet subclasses are not supported yet");
        if (t.is_current()) return fail("cannot pickle " + label + ": it is the current tasklet");
        if (t.is_main()) return fail("cannot pickle " + label + ": it is the main tasklet");
        auto* state = dynamic_cast<ScriptTaskletState*>(t.script_state());
        if (t.kind() != spindle::TaskletKind::Script || !state) {
            if (t.kind() == spindle::TaskletKind::Native && t.alive()) {
                if (spindle::NativeRestore* restore = t.restore_interface()) return native_tasklet(t, *restore, label);
            }
            return fail("cannot pickle " + label + ": a native tasklet has no restore interface");
        }
        if (state->started && t.alive()) return started_tasklet(t, *state, label);
        const bool has_function = state->has_function();
        const bool has_args = has_function && t.alive();
        std::uint8_t flags = 0;
        if (has_function) flags |= pickle_format::kHasFunction;
        if (has_args) flags |= pickle_format::kHasArgs;
        if (!tasklet_header(t, flags)) return false;
        if (!has_function) return true;
        StepGuard g(*this, {Step::Label, 0, Value(), "function"});
        if (!value(state->function())) return false;
        path_.back().label = "args";
        // The arguments live inline in the bound call: written as the tuple
        // Stackless's format has.
        TupleObj* args = in_.new_tuple();
        if (has_args) args->items.assign(state->bound->args(), state->bound->args() + state->bound->count);
        if (!value(Value::object(args))) return false;
        path_.back().label = "kwargs";
        const Value kwargs = has_args ? state->bound->kwargs : Value::undef();
        const bool kwargs_dict = kwargs.is_obj() && kwargs.o->kind == ObjKind::Dict;
        return value(kwargs_dict ? kwargs : Value());
    }

    // A native tasklet by its restore interface: type name and saved state
    // (bytes, or a script value written like any other).
    [[gnu::noinline]] bool native_tasklet(const spindle::Tasklet& t, const spindle::NativeRestore& restore, const std::string& label) {
        spindle::Payload state;
        try {
            state = restore.save();
        } catch (const std::exception& e) {
            return fail("cannot pickle " + label + ": its restore interface failed to save: " + e.what());
        }
        const bool bytes = state.holds<std::string>();
        if (!bytes && !state.holds<Value>()) return fail("cannot pickle " + label + ": its saved state is neither bytes nor a script value");
        if (!tasklet_header(t, pickle_format::kNative)) return false;
        if (!value(Value::object(in_.new_str(restore.type_name())))) return false;
        byte(bytes ? 0 : 1);
        StepGuard g(*this, {Step::Label, 0, Value(), "state"});
        if (!bytes) return value(state.get<Value>());
        const std::string& data = state.get<std::string>();
        varint(data.size());
        buf_.insert(buf_.end(), data.begin(), data.end());
        return true;
    }

    [[gnu::noinline]] bool channel(ChannelObj* w) {
        const spindle::ChannelObject& c = *w->channel;
        if (w->cls != in_.stackless_channel_class()) return fail("cannot pickle a channel subclass instance: not supported yet");
        tag(Tag::Channel);
        svarint(c.preference());
        std::uint8_t flags = 0;
        if (c.closing()) flags |= pickle_format::kClosing;
        if (c.schedule_all()) flags |= pickle_format::kScheduleAll;
        byte(flags);
        // Its blocked tasklets in FIFO order (their pending values are their
        // tempvals). A native one with a restore interface restarts from its
        // own state and blocks again itself (spindle/tasklet.hpp NativeRestore):
        // it is not in the queue written here.
        std::vector<spindle::Tasklet> blocked;
        for (const spindle::Tasklet& t : c.blocked_tasklets())
            if (!(t.kind() == spindle::TaskletKind::Native && t.restore_interface())) blocked.push_back(t);
        const auto count = static_cast<std::int64_t>(blocked.size());
        svarint(c.balance() < 0 ? -count : count);
        std::int64_t i = 0;
        for (const spindle::Tasklet& t : blocked) {
            StepGuard g(*this, {Step::Label, 0, Value(), "blocked"});
            path_.back().kind = Step::Index;
            path_.back().index = i++;
            if (!value(in_.wrap_tasklet(t))) return false;
        }
        return true;
    }

    // ----- started tasklets: their thread of frames

    // A value as a frame slot holds it: also an unbound local (UNDEF) or a cell.
    // A frame preempted inside `def` may also hold, on its value stack, the
    // new function's code (LOAD_CONST) and its tuple of cells (LOAD_CLOSURE,
    // BUILD_TUPLE): CODE and CELLS, only as slots.
    bool slot(Value v) {
        if (v.is_undef()) {
            tag(Tag::Undef);
            return true;
        }
        if (v.is_obj() && v.o->kind == ObjKind::Code) return code_value(static_cast<CodeObj*>(v.o));
        if (closure_tuple(v)) return cells(static_cast<TupleObj*>(v.o));
        if (!(v.is_obj() && v.o->kind == ObjKind::Cell)) return value(v);
        if (auto it = memo_.find(v.o); it != memo_.end()) {
            tag(Tag::Ref);
            varint(it->second);
            return true;
        }
        memo_.emplace(v.o, next_index_++);
        auto* cell = static_cast<CellObj*>(v.o);
        tag(Tag::Cell);
        byte(cell->empty ? 1 : 0);
        return value(cell->empty ? Value() : cell->value);
    }

    static bool closure_tuple(Value v) {
        if (!(v.is_obj() && v.o->kind == ObjKind::Tuple)) return false;
        const auto& items = static_cast<TupleObj*>(v.o)->items;
        return !items.empty() && std::all_of(items.begin(), items.end(), [](Value c) { return c.is_obj() && c.o->kind == ObjKind::Cell; });
    }

    [[gnu::noinline]] bool cells(TupleObj* t) {
        if (auto it = memo_.find(t); it != memo_.end()) {
            tag(Tag::Ref);
            varint(it->second);
            return true;
        }
        memo_.emplace(t, next_index_++);
        tag(Tag::Cells);
        varint(t->items.size());
        for (const Value& c : t->items)
            if (!slot(c)) return false;
        return true;
    }

    // A function not found by its name (a lambda, a local function, one
    // whose name now means something else): its code and everything
    // MAKE_FUNCTION gave it, as Stackless pickles functions.
    [[gnu::noinline]] bool function_by_content(FunctionObj* f) {
        if (!f->module || !f->code || !f->name || !f->qualname) return cannot(Value::object(f));
        tag(Tag::Function);
        if (!code_value(f->code) || !value(Value::object(f->module)) || !str_value(f->name) || !str_value(f->qualname)) return false;
        {
            StepGuard g(*this, {Step::Label, 0, Value(), "__defaults__"});
            varint(f->defaults.size());
            for (const Value& d : f->defaults)
                if (!value(d)) return false;
        }
        {
            StepGuard g(*this, {Step::Label, 0, Value(), "__kwdefaults__"});
            varint(f->kw_defaults.size());
            for (std::size_t i = 0; i < f->kw_defaults.size(); ++i) {
                const bool present = i < f->kw_default_present.size() && f->kw_default_present[i];
                byte(present ? 1 : 0);
                if (present && !value(f->kw_defaults[i])) return false;
            }
        }
        StepGuard g(*this, {Step::Label, 0, Value(), "__closure__"});
        varint(f->closure.size());
        for (CellObj* cell : f->closure)
            if (!slot(Value::object(cell))) return false;
        return true;
    }

    // A live frame's code, whole: a load resumes exactly what ran, or refuses.
    [[gnu::noinline]] bool code_value(CodeObj* c) {
        if (auto it = memo_.find(c); it != memo_.end()) {
            tag(Tag::Ref);
            varint(it->second);
            return true;
        }
        if (depth_ >= pickle_format::kMaxDepth) return too_deep();
        memo_.emplace(c, next_index_++);
        ++depth_;
        tag(Tag::Code);
        bool ok = value(c->qualname ? Value::object(c->qualname) : Value()) &&
                  value(c->name ? Value::object(c->name) : Value()) &&
                  value(c->filename ? Value::object(c->filename) : Value());
        if (ok) {
            svarint(c->first_line);
            varint(c->arg_count);
            varint(c->kwonly_count);
            byte(static_cast<std::uint8_t>((c->has_varargs ? 1 : 0) | (c->has_varkw ? 2 : 0)));
            varint(c->local_count);
            varint(c->cell_count);
            varint(c->free_count);
            varint(c->max_stack);
            varint(c->code.size());
            for (std::uint32_t w : c->code) varint(w);
            varint(c->constants.size());
            for (const Value& k : c->constants) {
                if (k.is_obj() && k.o->kind == ObjKind::Code) ok = code_value(static_cast<CodeObj*>(k.o));
                else ok = value(k);
                if (!ok) break;
            }
        }
        if (ok) {
            varint(c->names.size());
            for (StrObj* n : c->names) if (!(ok = str_value(n))) break;
        }
        if (ok) {
            varint(c->local_names.size());
            for (StrObj* n : c->local_names) if (!(ok = str_value(n))) break;
        }
        if (ok) {
            varint(c->cell_of_local.size());
            for (std::int32_t k : c->cell_of_local) svarint(k);
            varint(c->lines.size());
            for (const LineEntry& e : c->lines) {
                varint(e.pc);
                svarint(e.line);
            }
        }
        --depth_;
        return ok;
    }

    [[gnu::noinline]] bool started_tasklet(const spindle::Tasklet& t, ScriptTaskletState& state, const std::string& label) {
        const Thread* th = state.thread;
        if (!th || th->running || th->nesting != 0) return fail("cannot pickle " + label + ": it is running inside a call from C++ code (not restorable)");
        if (th->watchdog || th->pending == Pending::Watchdog) return fail("cannot pickle " + label + ": it is inside stackless.run()");
        const std::string problem = verify_thread(in_, *th, UINT32_MAX, &verify_cache_);
        if (!problem.empty()) return fail("cannot pickle " + label + ": " + problem);
        const Payload& tempval = t.tempval();
        if (!tempval.empty() && !tempval.holds<Value>()) return fail("cannot pickle " + label + ": its tempval is not a script value");
        std::uint8_t flags = pickle_format::kStarted;
        if (!tempval.empty()) flags |= pickle_format::kHasTempval;
        if (!tasklet_header(t, flags)) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "tempval"});
        if (!tempval.empty() && !value(tempval.get<Value>())) return false;
        byte(static_cast<std::uint8_t>(th->pending));
        varint(th->result_slot);
        path_.back().label = "handled_exception";
        if (!value(th->handled_exception)) return false;
        const std::uint32_t top = th->frames.back().sp;
        varint(top);
        path_.back().label = "stack";
        // A slot whose call is waiting for its value is written as None: the
        // value arrives there on resume (the top frame's tempval, or a
        // callee's return), and the callable it holds meanwhile may be
        // anything (a bound builtin).
        std::vector<bool> waiting(top, false);
        for (std::size_t i = 0; i < th->frames.size(); ++i) {
            if (i + 1 < th->frames.size() || th->pending != Pending::None) waiting[th->frames[i].sp - 1] = true;
        }
        for (std::uint32_t i = 0; i < top; ++i) if (!slot(waiting[i] ? Value() : th->stack[i])) return false;
        varint(th->blocks.size());
        path_.back().label = "blocks";
        for (const Block& b : th->blocks) {
            byte(static_cast<std::uint8_t>(b.kind));
            varint(b.handler);
            varint(b.level);
            if (!value(b.saved_exception)) return false;
        }
        varint(th->frames.size());
        path_.back().label = "frames";
        for (const Frame& f : th->frames) {
            if (!value(Value::object(f.function)) || !code_value(f.code)) return false;
            varint(f.pc);
            varint(f.base);
            varint(f.stack_base);
            varint(f.sp);
            varint(f.block_base);
            byte(static_cast<std::uint8_t>(f.on_return));
            varint(f.return_arg);
            if (!slot(f.aux) || !slot(f.aux2)) return false;
        }
        return true;
    }

    Interpreter& in_;
    std::string buf_;
    std::unordered_map<const Obj*, std::uint32_t> memo_;
    std::vector<Step> path_;
    std::uint32_t depth_ = 0;
    std::uint32_t next_index_ = 0;
    std::unordered_map<const Obj*, std::pair<StrObj*, StrObj*>> natives_;
    VerifyCache verify_cache_;
};

}  // namespace

bool pickle_dumps(Interpreter& in, Value root, std::string& out) {
    try {
        Pickler p(in);
        return p.run(root, out);
    } catch (const std::bad_alloc&) {
        return in.raise_memory_error();
    }
}

}  // namespace spindle::vm
