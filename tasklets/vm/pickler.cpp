// The pickler (pickler.hpp): one recursive walk over the object graph,
// writing pickle_format.hpp. Index:
//   [OUTPUT]    varints and raw bytes
//   [PATHS]     where the walk is, for error messages
//   [DEFERRED]  objects met too deep: FORWARD now, DEFINE after the root
//   [GLOBALS]   classes, functions and builtins by module and qualified name
//   [VALUES]    the walk itself
#include "vm/pickler.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "vm/binding.hpp"
#include "vm/frame_verifier.hpp"
#include "vm/pickle_format.hpp"
#include "vm/read_ahead.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

using pickle_format::Tag;

class Pickler {
public:
    Pickler(Interpreter& in, const PickleOptions& options)
        : in_(in), whole_game_(options.whole_game), protocol_(options.protocol), in_reach_order_(options.in_reach_order),
          runtime_objects_(options.runtime_objects), sink_(options.sink), read_ahead_(options.read_ahead),
          epoch_(in.heap().begin_pickle()) {}

    // `size_hint`: about how big the pickle will be (the last one's size):
    // room made once, not by doublings that copy everything written so far.
    // A sink takes the pickle in pieces instead: the buffer is one piece,
    // small enough to stay in the cache while the sink reads it.
    bool run(Value root, std::string& out, std::size_t size_hint) {
        start_read_ahead();
        buf_.resize(sink_ ? PickleOptions::kSinkPiece : size_hint + size_hint / 8);
        cur_ = buf_.data();
        end_ = cur_ + buf_.size();
        raw(pickle_format::kMagic, sizeof pickle_format::kMagic);
        varint(pickle_format::kVersion);
        if (!value(root) || !define_deferred()) return false;
        if (sink_) {
            flush();
            return true;
        }
        buf_.resize(used());
        if (out.empty()) out.swap(buf_);
        else out += buf_;
        return true;
    }

private:
    // ======================================================================
    // [OUTPUT]
    // ======================================================================

    // buf_ is written through room(): its size is the capacity, [cur_,
    // end_) the room left, so a byte costs a compare and a store
    // (std::string's push_back is an out-of-line call). Pointers rather
    // than a length: a char store may alias any member, and the compiler
    // reloads what it cannot rule out; two pointers are the least to reload.
    [[gnu::always_inline]] char* room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - cur_) < n) [[unlikely]] grow(n);
        return cur_;
    }
    std::size_t used() const { return static_cast<std::size_t>(cur_ - buf_.data()); }
    [[gnu::noinline]] void grow(std::size_t n) {
        if (sink_) flush();
        const std::size_t len = used();
        if (buf_.size() - len < n) buf_.resize(std::max({buf_.size() * 2, len + n, std::size_t{4096}}));
        cur_ = buf_.data() + len;
        end_ = buf_.data() + buf_.size();
    }
    void flush() {
        if (cur_ != buf_.data()) sink_->write(buf_.data(), used());
        cur_ = buf_.data();
    }
    [[gnu::always_inline]] void byte(std::uint8_t b) {
        char* p = room(1);
        *p = static_cast<char>(b);
        cur_ = p + 1;
    }
    void raw(const char* data, std::size_t n) {
        if (n <= 16) return raw_short(data, n);
        char* p = room(n);
        std::memcpy(p, data, n);
        cur_ = p + n;
    }
    // Most strings are short: two overlapping copies of a fixed size each
    // instead of a call to memcpy.
    [[gnu::always_inline]] void raw_short(const char* data, std::size_t n) {
        char* p = room(n);
        if (n >= 8) {
            std::memcpy(p, data, 8);
            std::memcpy(p + n - 8, data + n - 8, 8);
        } else if (n >= 4) {
            std::memcpy(p, data, 4);
            std::memcpy(p + n - 4, data + n - 4, 4);
        } else if (n != 0) {
            p[0] = data[0];
            p[n / 2] = data[n / 2];
            p[n - 1] = data[n - 1];
        }
        cur_ = p + n;
    }
    [[gnu::always_inline]] void tag(Tag t) { byte(static_cast<std::uint8_t>(t)); }
    // Most varints are one byte (counts, indexes, small ints): that case inline.
    [[gnu::always_inline]] void varint(std::uint64_t v) {
        if (v < 0x80) [[likely]] return byte(static_cast<std::uint8_t>(v));
        if (v < (1u << 21)) [[likely]] {  // (a memo index in a world of thousands of agents)
            char* p = room(3);
            p[0] = static_cast<char>(v | 0x80);
            if (v < 0x4000) {
                p[1] = static_cast<char>(v >> 7);
                cur_ = p + 2;
            } else {
                p[1] = static_cast<char>((v >> 7) | 0x80);
                p[2] = static_cast<char>(v >> 14);
                cur_ = p + 3;
            }
            return;
        }
        long_varint(v);
    }
    [[gnu::noinline]] void long_varint(std::uint64_t v) {
        char* p = room(10);
        while (v >= 0x80) {
            *p++ = static_cast<char>(v | 0x80);
            v >>= 7;
        }
        *p++ = static_cast<char>(v);
        cur_ = p;
    }
    [[gnu::always_inline]] void svarint(std::int64_t v) { varint(pickle_format::zigzag(v)); }

    // The memo, in the objects' headers: an object's index is taken before
    // its children are written.
    bool memoized(const Obj* o) const { return o->pickle_epoch == epoch_; }
    void remember(Obj* o) {
        o->pickle_epoch = epoch_;
        o->pickle_index = next_index_++;
    }
    [[gnu::always_inline]] bool ref(const Obj* o) {
        tag(Tag::Ref);
        varint(o->pickle_index);
        return true;
    }

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
        // Inside a DEFINE, the path continues the one its object was forwarded at.
        std::vector<const PathNode*> saved;
        for (std::uint32_t n = path_base_; n != kNoPath; n = path_nodes_[n].parent) saved.push_back(&path_nodes_[n]);
        std::string text = "root";
        for (auto it = saved.rbegin(); it != saved.rend(); ++it)
            for (std::uint32_t k = 0; k < (*it)->repeat; ++k) step_text((*it)->step, text);
        for (const Step& s : path_) step_text(s, text);
        return text;
    }

    void step_text(const Step& s, std::string& text) {
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
    // Out of line: object() recurses once per level of a nested value, so
    // its frame stays as small as it can be (3000 levels under ASan).
    [[gnu::noinline, gnu::cold]] bool refuse_frame() { return in_.raise_type_error("can't pickle frame objects"); }
    [[gnu::noinline]] bool cannot(Value v) { return fail(std::string("cannot pickle '") + in_.type_name(v) + "' object"); }

    // ======================================================================
    // [DEFERRED]
    // ======================================================================

    struct PathNode {
        Step step;
        std::uint32_t parent;  // kNoPath: the root
        std::uint32_t repeat;  // how many times the step is taken
    };
    struct Deferred {
        Obj* object = nullptr;
        std::uint32_t path = 0;  // where it was forwarded (path_nodes_)
    };
    static constexpr std::uint32_t kNoPath = UINT32_MAX;

    // Whether a FORWARD can stand for `o` (and the reader make it empty and
    // fill it later): the mutable objects that chain, as the writer would
    // write them. Anything else nests in its parent's record.
    [[gnu::noinline]] bool deferrable(const Obj* o) const {
        switch (o->kind) {
            case ObjKind::Set: return !static_cast<const SetObj*>(o)->frozen;  // (a frozenset nests, as a tuple does)
            case ObjKind::List: case ObjKind::Dict: case ObjKind::Exception: return true;
            case ObjKind::Instance: {
                const ClassObj* cls = static_cast<const InstanceObj*>(o)->cls;
                return cls != in_.stackless_atomic_class() && (!cls->is_builtin || cls == in_.types.object);
            }
            case ObjKind::Cell: return whole_game_;  // (elsewhere cells are slots: slot() forwards them)
            case ObjKind::Channel: return static_cast<const ChannelObj*>(o)->cls == in_.stackless_channel_class();
            case ObjKind::Tasklet: {
                const auto* w = static_cast<const TaskletObj*>(o);
                const spindle::Tasklet& t = w->tasklet;
                return w->cls == in_.stackless_tasklet_class() && !t.is_current() && !t.is_main() &&
                       t.kind() == spindle::TaskletKind::Script && script_tasklet_state(t.script_state());
            }
            default: return false;
        }
    }

    static Tag record_tag(ObjKind kind) {
        switch (kind) {
            case ObjKind::List: return Tag::List;
            case ObjKind::Dict: return Tag::Dict;
            case ObjKind::Set: return Tag::Set;
            case ObjKind::Exception: return Tag::Exception;
            case ObjKind::Instance: return Tag::Instance;
            case ObjKind::Cell: return Tag::Cell;
            case ObjKind::Channel: return Tag::Channel;
            default: return Tag::Tasklet;
        }
    }

    // FORWARD: `o` (its memo index taken) is written after the root.
    [[gnu::noinline]] bool forward(Obj* o) {
        tag(Tag::Forward);
        tag(record_tag(o->kind));
        // Listed where the reader makes them: at the FORWARD.
        if (runtime_objects_ && (o->kind == ObjKind::Tasklet || o->kind == ObjKind::Channel))
            runtime_objects_->push_back(Value::object(o));
        const Deferred d{o, save_path()};
        if (o == in_reach_order_) reach_list_ = d;
        else deferred_.push_back(d);
        return true;
    }

    // The forwarded objects' records, each from depth zero; they may forward
    // more. The reach-order list comes once nothing else is left.
    bool define_deferred() {
        for (std::size_t i = 0;;) {
            for (; i < deferred_.size(); ++i)
                if (!define(deferred_[i])) return false;
            if (!reach_list_.object) return true;
            if (!define(std::exchange(reach_list_, Deferred{}))) return false;
        }
    }

    bool define(const Deferred& d) {
        path_.clear();
        path_base_ = d.path;
        defining_ = d.object;
        tag(Tag::Define);
        varint(d.object->pickle_index);
        ++depth_;
        const bool ok = object(Value::object(d.object));
        --depth_;
        return ok;
    }

    // The path to where the walk is, kept for a deferred object's errors,
    // as a chain of nodes, each a run of one step repeated (`.next` 256
    // times is one node). Paths share their beginnings: the runs saved by
    // the last call are reused as far as they still match, so a thousand
    // objects forwarded from one list cost a node each, not a path each.
    std::uint32_t save_path() {
        path_saved_.resize(path_.size(), kNoPath);
        std::uint32_t parent = path_base_;
        bool reuse = true;
        for (std::size_t start = 0, end; start < path_.size(); start = end) {
            for (end = start + 1; end < path_.size() && same_step(path_[end], path_[start]);) ++end;
            const auto repeat = static_cast<std::uint32_t>(end - start);
            const std::uint32_t n = path_saved_[start];
            if (reuse && n != kNoPath && path_nodes_[n].parent == parent && path_nodes_[n].repeat == repeat &&
                same_step(path_nodes_[n].step, path_[start])) {
                parent = n;
                continue;
            }
            reuse = false;
            path_nodes_.push_back({path_[start], parent, repeat});
            parent = path_saved_[start] = static_cast<std::uint32_t>(path_nodes_.size() - 1);
        }
        return parent;
    }

    static bool same_step(const Step& a, const Step& b) {
        return a.kind == b.kind && a.index == b.index && a.key.identical(b.key) && a.label == b.label;
    }

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
        if (!module_name || !qualname || !resolve(module_name, qualname->view(), found) || !found.identical(v))
            return global_error(module_name, qualname, what, found);
        tag(Tag::Global);
        return str_value(module_name) && str_value(qualname);
    }

    // A class not found where its name says: CPython's exception and words
    // (Stackless 3.7's are the same), which scripts may print or catch.
    [[gnu::noinline]] bool global_error(StrObj* module_name, StrObj* qualname, const char* what, Value found) {
        const std::string mod = module_name ? std::string(module_name->view()) : "?";
        const std::string qual = qualname ? std::string(qualname->view()) : "?";
        if (std::string_view(what) != "class")
            return fail(std::string("cannot pickle ") + what + " '" + qual + "': it is not found as " + mod + "." + qual);
        if (qual.find("<locals>") != std::string::npos) return in_.raise(in_.types.AttributeError, "Can't pickle local object '" + qual + "'");
        const std::string shown = "Can't pickle <class '" + mod + "." + qual + "'>: ";
        if (!module_name || !in_.find_module(module_name)) return reduce_error(shown + "import of module '" + mod + "' failed");
        if (found.is_undef() || found.is_none()) return reduce_error(shown + "attribute lookup " + qual + " on " + mod + " failed");
        return reduce_error(shown + "it's not the same object as " + mod + "." + qual);
    }

    // A builtin (len, math.sqrt, a host function) has no module of its own:
    // it is found by identity among the globals of the loaded modules.
    [[gnu::noinline]] bool native(NativeObj* n) {
        if (natives_.empty()) {
            for (const auto& [name, module] : in_.modules()) {
                // A save game reads script modules while it resolves names:
                // builtins are found in builtin modules only.
                if (whole_game_ && module->filename) continue;
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
        if (it == natives_.end() && !n->self.is_none()) return bound_native(n);
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
        if (whole_game_) {
            // A save keeps an instance whose __dict__ was read as that dict,
            // one object with whatever else holds it (a frame's local).
            const bool own_dict = !inst->shape && inst->dict;
            byte(own_dict ? pickle_format::kAttributesDict : pickle_format::kAttributesListed);
            if (own_dict) {
                StepGuard g(*this, {Step::Label, 0, Value(), "__dict__"});
                return value(Value::object(inst->dict));
            }
        }
        // The shape chain runs newest first: stacked on shapes_ (shared by
        // the nested calls, each using the part above its own start).
        const std::size_t first = shapes_.size();
        for (Shape* s = inst->shape; s && s->key; s = s->parent) shapes_.push_back(s);
        const std::size_t shaped = shapes_.size() - first;
        std::size_t count = shaped + (inst->dict ? inst->dict->table.live : 0);
        varint(count);
        prefetch(inst->slots.begin(), inst->slots.size());
        for (std::size_t i = shaped; i-- > 0;) {
            const Shape* shape = shapes_[first + i];
            StrObj* key = shape->key;
            bool ok = str_value(key);
            if (ok) {
                StepGuard g(*this, {Step::Attr, 0, Value::object(key)});
                ok = value(inst->slots[shape->slot_count - 1]);
            }
            if (!ok) {
                shapes_.resize(first);
                return false;
            }
        }
        shapes_.resize(first);
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

    // The writer walks the graph depth first, one dependent load after
    // another: on a graph bigger than the cache each object header is a
    // miss. Asking for a container's children up front overlaps those misses.
    static void prefetch(const Value* items, std::size_t n) {
        for (std::size_t i = 0; i < n && i < 16; ++i)
            if (items[i].is_obj()) __builtin_prefetch(items[i].o);
    }

    bool sequence(const tracked_vector<Value>& items) {
        varint(items.size());
        prefetch(items.data(), items.size());
        if (items.size() > 16) return long_sequence(items);
        for (std::size_t i = 0; i < items.size(); ++i) {
            StepGuard g(*this, {Step::Index, static_cast<std::int64_t>(i), Value()});
            if (!value(items[i])) return false;
        }
        return true;
    }

    // The thread of a started script tasklet not yet written that `v` is,
    // or holds in a tuple (a game's list of (agent, tasklet) pairs), or null.
    const Thread* unwritten_thread(Value v) const {
        if (!v.is_obj()) return nullptr;
        if (v.o->kind == ObjKind::Tuple) {
            for (const Value& item : static_cast<const TupleObj*>(v.o)->items)
                if (const Thread* th = unwritten_tasklet_thread(item)) return th;
            return nullptr;
        }
        return unwritten_tasklet_thread(v);
    }
    const Thread* unwritten_tasklet_thread(Value v) const {
        if (!v.is_obj() || v.o->kind != ObjKind::Tasklet || memoized(v.o)) return nullptr;
        return script_thread(static_cast<const TaskletObj*>(v.o)->tasklet.object());
    }

    // A long list (a game's agents) is walked like a channel's queue: the
    // tasklets' threads found first, in one pass whose misses overlap (each
    // item's chain is independent of the next), then their blocks asked
    // for a few items ahead. In windows, so that a list of millions costs
    // no list as long beside it; on a stack shared with the nested ones
    // (a list of lists), by index, since those may move it.
    static constexpr std::size_t kThreadWindow = 256;
    bool long_sequence(const tracked_vector<Value>& items) {
        const std::size_t n = items.size();
        const std::size_t base = sequence_threads_.size();
        std::size_t window_start = 0;
        std::size_t window_end = 0;  // sequence_threads_ holds [window_start, window_end)
        bool ok = true;
        for (std::size_t i = 0; ok && i < n; ++i) {
            post_ahead(i, n, [&](std::size_t k) {
                if (items[k].is_obj()) ahead_->post(items[k].o);
            });
            if (i + 3 >= window_end && window_end < n) {
                window_start = i;
                window_end = std::min(n, i + kThreadWindow);
                sequence_threads_.resize(base);
                for (std::size_t k = window_start; k < window_end; ++k) sequence_threads_.push_back(unwritten_thread(items[k]));
            }
            prefetch_next_threads(sequence_threads_.data() + base + (i + 1 - window_start), window_end - i - 1);
            StepGuard g(*this, {Step::Index, static_cast<std::int64_t>(i), Value()});
            ok = value(items[i]);
        }
        sequence_threads_.resize(base);
        return ok;
    }

    // ======================================================================
    // [READ AHEAD]
    // ======================================================================

    // Only a save game: no script code runs while it is written, which the
    // reader needs (read_ahead.hpp). Without a thread to spare it is only slower.
    void start_read_ahead() {
        using Mode = PickleOptions::ReadAhead;
        if (!whole_game_ || read_ahead_ == Mode::Never) return;
        if (read_ahead_ == Mode::Auto && (in_.heap().bytes() < ReadAhead::kMinHeapBytes || !ReadAhead::has_spare_core())) return;
        try {
            ahead_.emplace(in_);
        } catch (const std::system_error&) {
        }
    }
    // Before item `i` of `n` is written: the reader is given the item a
    // lead ahead (at the first, a lead's worth), `post(k)` posting item k.
    template <class Post>
    void post_ahead(std::size_t i, std::size_t n, Post post) {
        if (!ahead_) return;
        if (i == 0)
            for (std::size_t k = 0; k < n && k < ReadAhead::kLead; ++k) post(k);
        else if (i + ReadAhead::kLead - 1 < n)
            post(i + ReadAhead::kLead - 1);
    }

    // Plain values and references inline; a first visit goes out of line,
    // so that this, called for every value, stays small.
    bool value(Value v) {
        switch (v.tag) {
            case vm::Tag::None: tag(Tag::None); return true;
            case vm::Tag::Bool: tag(v.b ? Tag::True : Tag::False); return true;
            case vm::Tag::Int: tag(Tag::Int); svarint(v.i); return true;
            case vm::Tag::Float: return real(v.f);
            case vm::Tag::Undef: return fail("cannot pickle an unbound value");
            case vm::Tag::Obj: break;
        }
        if (memoized(v.o)) {
            if (!reducing_.empty() && std::find(reducing_.begin(), reducing_.end(), v.o) != reducing_.end()) [[unlikely]]
                return reduce_cycle(v);
            return ref(v.o);
        }
        return first_visit(v);
    }

    bool real(double f) {
        tag(Tag::Float);
        std::uint64_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        char* p = room(8);
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(p, &bits, 8);
        } else {
            for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(bits >> (8 * i));  // little-endian on any host
        }
        cur_ = p + 8;
        return true;
    }

    [[gnu::noinline]] bool first_visit(Value v) {
        Obj* o = v.o;
        if (depth_ >= pickle_format::kMaxDepth) return too_deep();
        // Checked before the memo entry: an object that cannot be written
        // must not take an index.
        switch (o->kind) {
            case ObjKind::Str: case ObjKind::Tuple: case ObjKind::List: case ObjKind::Dict: case ObjKind::Set:
            case ObjKind::Range: case ObjKind::Slice: case ObjKind::Class: case ObjKind::Function:
            case ObjKind::Native: case ObjKind::Module: case ObjKind::Instance: case ObjKind::Exception:
            case ObjKind::BoundMethod: case ObjKind::Host: case ObjKind::Tasklet: case ObjKind::Channel:
            case ObjKind::DictView: break;
            case ObjKind::Iterator:
                if (picklable_iterator(static_cast<IteratorObj*>(o))) break;
                return cannot(v);
            case ObjKind::Cell:
                // A frame's value stack can hold closure cells anywhere in a
                // save game (a tuple of them being built for a function).
                if (whole_game_) break;
                return cannot(v);
            default: return cannot(v);
        }
        // (Compared with the constant first: one instruction on the hot path.)
        if (depth_ >= pickle_format::kDeferDepth && depth_ >= defer_at_ && deferrable(o)) [[unlikely]] {
            remember(o);
            return forward(o);
        }
        remember(o);
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
                tag(whole_game_ && s->interned ? Tag::InternedStr : Tag::Str);
                varint(s->data.size());
                raw(s->data.data(), s->data.size());
                return true;
            }
            case ObjKind::Tuple: tag(Tag::Tuple); return sequence(static_cast<TupleObj*>(o)->items);
            case ObjKind::List:
                // The reach-order list is always forwarded: defined last,
                // when the walk has reached all it will.
                if (o == in_reach_order_ && o != defining_) return forward(o);
                tag(Tag::List);
                if (o == in_reach_order_) return sequence(reach_order(static_cast<ListObj*>(o)->items));
                return sequence(static_cast<ListObj*>(o)->items);
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
                tag(static_cast<SetObj*>(o)->frozen ? Tag::FrozenSet : Tag::Set);
                return sequence(items) && (!whole_game_ || set_layout(static_cast<SetObj*>(o)));
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
                if (whole_game_ && !cls->is_builtin && !cls->host) return class_content(cls);
                StrObj* module = cls->module_name ? cls->module_name : (cls->is_builtin ? in_.names.builtins : nullptr);
                // stackless.tasklet and .channel say they come from _stackless,
                // which scripts reach as stackless (Stackless has both modules).
                if (module && module->view() == "_stackless" && !in_.find_module(module)) module = in_.intern("stackless");
                return global(v, module, class_qualname(in_, cls), "class");
            }
            case ObjKind::Function: {
                auto* f = static_cast<FunctionObj*>(o);
                if (whole_game_) return function_by_content(f);
                StrObj* module = f->module ? f->module->name : nullptr;
                Value found;
                if (module && f->qualname && resolve(module, f->qualname->view(), found) && found.identical(v))
                    return global(v, module, f->qualname, "function");
                // Stackless writes a lambda or local function by content
                // once `stackless` is imported; before, it refuses them so.
                if (!in_.stackless_imported()) return in_.raise_type_error("can't pickle function objects");
                return function_by_content(f);
            }
            case ObjKind::Native: return native(static_cast<NativeObj*>(o));
            case ObjKind::Module: return module(static_cast<ModuleObj*>(o));
            case ObjKind::Instance: {
                auto* inst = static_cast<InstanceObj*>(o);
                if (inst->cls == in_.stackless_atomic_class()) return atomic_instance(inst);
                // tasklet.frame's snapshots: Stackless pickles frames only
                // inside their tasklet, and refuses them alone with these words.
                if (inst->cls == in_.types.frame && !whole_game_) return refuse_frame();
                if (inst->cls->is_builtin && inst->cls != in_.types.object) return cannot(v);
                if (!whole_game_) {
                    bool ok = true;
                    if (script_hooks(v, inst->cls, ok)) return ok;
                }
                tag(Tag::Instance);
                return class_ref(inst->cls) && attributes(inst);
            }
            case ObjKind::Exception: {
                auto* e = static_cast<ExceptionObj*>(o);
                if (!whole_game_) {
                    bool ok = true;
                    if (script_hooks(v, e->cls, ok, false)) return ok;
                    return exception_reduce(e);
                }
                tag(Tag::Exception);
                if (!class_ref(e->cls) || !exception_args(e)) return false;
                return attributes(e) && (!whole_game_ || exception_extras(e));
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
            case ObjKind::DictView: return dict_view(static_cast<DictViewObj*>(o));
            case ObjKind::Cell: {
                auto* cell = static_cast<CellObj*>(o);
                tag(Tag::Cell);
                byte(cell->empty ? 1 : 0);
                return value(cell->empty ? Value() : cell->value);
            }
            default: return cannot(v);
        }
    }

    [[gnu::noinline]] bool module(ModuleObj* m) {
        if (whole_game_ && m->filename) return module_content(m);
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

    // Iterators as CPython pickles them; one over a dict or a set is written
    // as a list iterator over the items it has left (exactly, in a save
    // game). `iter(obj)` over a __getitem__ and channel iterators are refused.
    static bool picklable_iterator(const IteratorObj* it) {
        switch (it->iter_kind) {
            case IterKind::Sequence:
                // step 0: iter() of an object with __getitem__
                return (it->step == 1 || it->step == 0) && it->source.is_obj();
            case IterKind::Channel: return false;
            default: return true;
        }
    }

    bool iterator(IteratorObj* it) {
        using pickle_format::IteratorKind;
        switch (it->iter_kind) {
            case IterKind::Range:
                iterator_kind(IteratorKind::Range);
                svarint(it->index);
                svarint(it->end);
                svarint(it->step);
                return true;
            case IterKind::Sequence:
            case IterKind::Str:
                iterator_kind(it->iter_kind == IterKind::Str ? IteratorKind::Str
                              : it->step == 0              ? IteratorKind::GetItem
                                                           : IteratorKind::Sequence);
                return iterator_source(it->source) && (svarint(it->index), true);
            case IterKind::Reversed:
                iterator_kind(IteratorKind::Reversed);
                return iterator_source(it->source) && (svarint(it->index), true);
            case IterKind::Enumerate:
                iterator_kind(IteratorKind::Enumerate);
                svarint(it->index);
                return iterator_parts(it->parts, false);
            case IterKind::Zip:
                iterator_kind(IteratorKind::Zip);
                byte(it->end == 1 ? 1 : 0);
                return iterator_parts(it->parts, true);
            case IterKind::Map:
                iterator_kind(IteratorKind::Map);
                return iterator_parts(it->parts, true);
            case IterKind::Filter:
                iterator_kind(IteratorKind::Filter);
                return iterator_parts(it->parts, false);
            case IterKind::DictKeys:
            case IterKind::DictValues:
            case IterKind::DictItems:
            case IterKind::Set:
                return whole_game_ ? exact_table_iterator(it) : items_left(it);
            default: return cannot(Value::object(it));
        }
    }

    void iterator_kind(pickle_format::IteratorKind kind) {
        tag(Tag::Iterator);
        byte(static_cast<std::uint8_t>(kind));
    }

    bool iterator_source(Value source) {
        StepGuard g(*this, {Step::Label, 0, Value(), "__iterable__"});
        return value(source);
    }

    // zip's and map's parts are preceded by their count; enumerate's and
    // filter's have a fixed number.
    bool iterator_parts(const tracked_vector<Value>& parts, bool counted) {
        if (counted) varint(parts.size());
        StepGuard g(*this, {Step::Label, 0, Value(), "__iterators__"});
        for (std::size_t i = 0; i < parts.size(); ++i) {
            path_.back().kind = Step::Index;
            path_.back().index = static_cast<std::int64_t>(i);
            if (!value(parts[i])) return false;
        }
        return true;
    }

    // CPython's dict and set iterators pickle as iter(list(rest)): a copy of
    // the iterator is run to the end (a dict that changed size raises
    // RuntimeError here, as in CPython) and the list is written in its place.
    [[gnu::noinline]] bool items_left(IteratorObj* it) {
        auto* copy = in_.heap().make<IteratorObj>(it->iter_kind);
        copy->source = it->source;
        copy->index = it->index;
        copy->end = it->end;
        ListObj* rest = in_.new_list();
        Value item;
        while (in_.iter_next(Value::object(copy), item)) rest->items.push_back(item);
        if (in_.has_pending()) return false;
        iterator_kind(pickle_format::IteratorKind::Sequence);
        if (!iterator_source(Value::object(rest))) return false;
        svarint(0);
        return true;
    }

    // A save game's dict or set iterator: the same container, at the same
    // place. A dict is read back without the holes of removed entries, so
    // the position is written as the number of live entries before it.
    [[gnu::noinline]] bool exact_table_iterator(IteratorObj* it) {
        if (it->iter_kind == IterKind::Set) {
            iterator_kind(pickle_format::IteratorKind::Set);
            if (!iterator_source(it->source)) return false;
            svarint(it->index);
            svarint(it->end);
            return true;
        }
        auto* d = static_cast<DictObj*>(it->source.o);
        iterator_kind(pickle_format::IteratorKind::Dict);
        byte(static_cast<std::uint8_t>(dict_part(it->iter_kind)));
        if (!iterator_source(it->source)) return false;
        std::uint64_t live_before = 0;
        const auto stop = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(it->index, 0)), d->table.entries.size());
        for (std::size_t i = 0; i < stop; ++i) live_before += d->table.entries[i].deleted ? 0 : 1;
        varint(live_before);
        byte(static_cast<std::uint64_t>(it->end) != d->table.keys_version ? 1 : 0);
        return true;
    }

    static int dict_part(IterKind k) { return k == IterKind::DictKeys ? 0 : k == IterKind::DictValues ? 1 : 2; }

    // A dict view: only in a save game (CPython refuses them, with 3.7's words).
    [[gnu::noinline]] bool dict_view(DictViewObj* view) {
        if (!whole_game_) {
            in_.raise_type_error(std::string("can't pickle ") + in_.type_name(Value::object(view)) + " objects");
            return false;
        }
        tag(Tag::DictView);
        byte(static_cast<std::uint8_t>(dict_part(view->which)));
        StepGuard g(*this, {Step::Label, 0, Value(), "__dict__"});
        return value(Value::object(view->dict));
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

    // How errors name a tasklet; made only for an error message.
    [[gnu::noinline]] static std::string label(const spindle::Tasklet& t) {
        return "tasklet " + std::to_string(t.id()) + (t.name().empty() ? "" : " '" + t.name() + "'");
    }

    // A script tasklet that has not started: its function and arguments.
    // Started ones go to started_tasklet, with their frames.
    [[gnu::noinline]] bool tasklet(TaskletObj* w) {
        if (w->cls == in_.stackless_tasklet_class()) return tasklet_record(w);
        return subclass_head(w->cls) && tasklet_record(w) && subclass_tail(w->cls, w->dict);
    }

    // An instance of a script subclass of stackless.tasklet or .channel.
    // The `pickle` module writes its class before its record: the reader
    // makes it as Stackless does, by calling the class (its __init__ runs),
    // and drops its attributes, as Stackless does. A save writes class and
    // attributes after the record: a class by content may refer back to its
    // instance, and a save keeps everything and runs no script code.
    bool subclass_head(ClassObj* cls) {
        tag(Tag::Subclassed);
        return whole_game_ || class_ref(cls);
    }
    bool subclass_tail(ClassObj* cls, DictObj* dict) {
        if (!whole_game_) return true;
        if (!class_ref(cls)) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "__dict__"});
        return value(dict ? Value::object(dict) : Value());
    }

    bool tasklet_record(TaskletObj* w) {
        const spindle::Tasklet& t = w->tasklet;
        if (t.is_main() && whole_game_) {
            tag(Tag::MainTasklet);  // the loaded game's own main tasklet stands for it
            return true;
        }
        // Stackless's exception and words.
        if (t.is_current()) return in_.raise(in_.types.RuntimeError, "You cannot __reduce__ the tasklet which is current.");
        if (t.is_main()) return fail("cannot pickle " + label(t) + ": it is the main tasklet");
        auto* state = script_tasklet_state(t.script_state());
        if (t.kind() != spindle::TaskletKind::Script || !state) {
            if (t.kind() == spindle::TaskletKind::Native && t.alive()) {
                if (spindle::NativeRestore* restore = t.restore_interface()) {
                    if (runtime_objects_) runtime_objects_->push_back(Value::object(w));  // a save keeps its id
                    return native_tasklet(t, *restore);
                }
            }
            return fail("cannot pickle " + label(t) + ": a native tasklet has no restore interface");
        }
        if (runtime_objects_ && w != defining_) runtime_objects_->push_back(Value::object(w));
        if (state->started && t.alive()) return started_tasklet(t, *state);
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
    [[gnu::noinline]] bool native_tasklet(const spindle::Tasklet& t, const spindle::NativeRestore& restore) {
        spindle::Payload state;
        try {
            state = restore.save();
        } catch (const std::exception& e) {
            return fail("cannot pickle " + label(t) + ": its restore interface failed to save: " + e.what());
        }
        const bool bytes = state.holds<std::string>();
        if (!bytes && !state.holds<Value>()) return fail("cannot pickle " + label(t) + ": its saved state is neither bytes nor a script value");
        // A blocked sender's value goes with it: it comes back at its place
        // in the channel's queue (ChannelObject::block_restored).
        const bool sending = t.blocked_direction() > 0 && !t.tempval().empty();
        if (sending && !t.tempval().holds<Value>())
            return fail("cannot pickle " + label(t) + ": the value it is blocked sending is not a script value");
        if (!tasklet_header(t, pickle_format::kNative | (sending ? pickle_format::kHasTempval : 0))) return false;
        if (!value(Value::object(in_.new_str(restore.type_name())))) return false;
        byte(bytes ? 0 : 1);
        StepGuard g(*this, {Step::Label, 0, Value(), "state"});
        if (!bytes) {
            // Its factory reads the state as soon as it is read: nothing in
            // it may be left for a DEFINE.
            const std::uint32_t defer_at = std::exchange(defer_at_, UINT32_MAX);
            const bool ok = value(state.get<Value>());
            defer_at_ = defer_at;
            if (!ok) return false;
        } else {
            const std::string& data = state.get<std::string>();
            varint(data.size());
            raw(data.data(), data.size());
        }
        path_.back().label = "tempval";
        return !sending || value(t.tempval().get<Value>());
    }

    [[gnu::noinline]] bool channel(ChannelObj* w) {
        const spindle::ChannelObject& c = *w->channel;
        const bool subclassed = w->cls != in_.stackless_channel_class();
        if (runtime_objects_ && w != defining_) runtime_objects_->push_back(Value::object(w));
        if (subclassed && !subclass_head(w->cls)) return false;
        tag(Tag::Channel);
        svarint(c.preference());
        std::uint8_t flags = 0;
        if (c.closing()) flags |= pickle_format::kClosing;
        if (c.schedule_all()) flags |= pickle_format::kScheduleAll;
        byte(flags);
        // Its blocked tasklets in FIFO order (their pending values are their
        // tempvals), native ones with a restore interface included: they come
        // back at their place (spindle/tasklet.hpp NativeRestore).
        const std::vector<spindle::Tasklet> blocked = c.blocked_tasklets();
        const auto count = static_cast<std::int64_t>(blocked.size());
        svarint(c.balance() < 0 ? -count : count);
        std::vector<const Thread*> threads;  // (the loop reaches other channels: not shared scratch)
        threads.reserve(blocked.size());
        for (const spindle::Tasklet& t : blocked) threads.push_back(script_thread(t.object()));
        for (std::size_t i = 0; i < blocked.size(); ++i) {
            post_ahead(i, blocked.size(), [&](std::size_t k) { ahead_->post(blocked[k].object()); });
            prefetch_next_threads(threads.data() + i + 1, blocked.size() - i - 1);
            StepGuard g(*this, {Step::Label, 0, Value(), "blocked"});
            path_.back().kind = Step::Index;
            path_.back().index = static_cast<std::int64_t>(i);
            if (!value(in_.wrap_tasklet(blocked[i]))) return false;
        }
        return !subclassed || subclass_tail(w->cls, w->dict);
    }

    // ----- started tasklets: their thread of frames

    // A parked tasklet is a chain of blocks (its thread, the thread's stack
    // and frames, the objects on the stack): a channel's queue of them is
    // walked with the next ones' blocks requested a step per tasklet ahead,
    // each step reading only what the step before requested.
    // The thread of a script tasklet that has one (started, not ended), or null.
    static const Thread* script_thread(const spindle::TaskletObject* t) {
        if (!t || t->kind() != spindle::TaskletKind::Script) return nullptr;
        const auto* state = script_tasklet_state(t->script());
        return state ? state->thread : nullptr;
    }

    // Before one tasklet of a queue or list is written: the threads of the
    // `left` after it (`next`, the nearest first), each a step further
    // along the fetch the nearer it is.
    static void prefetch_next_threads(const Thread* const* next, std::size_t left) {
        for (std::size_t ahead = 1; ahead <= 3 && ahead <= left; ++ahead) prefetch_thread(next[ahead - 1], ahead);
    }

    static void prefetch_thread(const Thread* th, std::size_t ahead) {
        if (!th) return;
        if (ahead == 3) {
            __builtin_prefetch(th);
        } else if (ahead == 2) {
            for (std::size_t k = 0; k < th->stack.size() && k < 16; k += 4) __builtin_prefetch(th->stack.data() + k);
            __builtin_prefetch(th->frames.data());
        } else {
            prefetch(th->stack.data(), th->stack.size());
        }
    }

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
        if (memoized(v.o)) return ref(v.o);
        remember(v.o);
        if (depth_ >= defer_at_) return forward(v.o);
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
        if (memoized(t)) return ref(t);
        remember(t);
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
        path_.back().label = "__class__";
        // The pickle module writes it where CPython has a __class__ cell (the
        // code calls super()), by name as Stackless pickles that cell's class.
        const bool wanted = whole_game_ || calls_super(f->code);
        return value(wanted && f->defining_class ? Value::object(f->defining_class) : Value());
    }

    bool calls_super(const CodeObj* code) const {
        return std::any_of(code->names.begin(), code->names.end(), [&](const StrObj* n) { return n->view() == "super"; });
    }

    // A live frame's code, whole: a load resumes exactly what ran, or refuses.
    [[gnu::noinline]] bool code_value(CodeObj* c) {
        if (memoized(c)) return ref(c);
        if (depth_ >= pickle_format::kMaxDepth) return too_deep();
        remember(c);
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

    [[gnu::noinline]] bool started_tasklet(const spindle::Tasklet& t, ScriptTaskletState& state) {
        const Thread* th = state.thread;
        if (th && th->nesting != 0) return fail("cannot pickle " + label(t) + ": it is blocked inside a call from C++ (not restorable)");
        if (!th || th->running) return fail("cannot pickle " + label(t) + ": it is running inside a call from C++ code (not restorable)");
        if (state.watchdog || th->pending == Pending::Watchdog) return fail("cannot pickle " + label(t) + ": it is inside stackless.run()");
        prefetch(th->stack.data(), th->stack.size());  // the verifier reads their kinds, the writer them
        if (!(ahead_ && ahead_->verified(*th))) {  // (the reader may have verified it already)
            const std::string problem = verify_thread(in_, *th, UINT32_MAX, &verify_cache_);
            if (!problem.empty()) return fail("cannot pickle " + label(t) + ": " + problem);
        }
        const Payload& tempval = t.tempval();
        // A bomb: an exception thrown with pending=True, raised when it runs.
        const Value thrown = tempval.is_bomb() ? thrown_exception(tempval) : Value::undef();
        if (!tempval.empty() && !tempval.holds<Value>() && thrown.is_undef())
            return fail("cannot pickle " + label(t) + ": its tempval is not a script value");
        std::uint8_t flags = pickle_format::kStarted;
        if (!tempval.empty()) flags |= pickle_format::kHasTempval;
        if (!tasklet_header(t, flags)) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "tempval"});
        if (!tempval.empty()) {
            if (!value(thrown.is_undef() ? tempval.get<Value>() : thrown)) return false;
            byte(thrown.is_undef() ? 0 : 1);
        }
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
        // (The verifier checked that the frames' sps rise: one pass finds them.)
        const std::size_t waiting_frames = th->frames.size() - (th->pending != Pending::None ? 0 : 1);
        std::size_t next_waiting = 0;
        for (std::uint32_t i = 0; i < top; ++i) {
            bool waiting = false;
            while (next_waiting < waiting_frames && th->frames[next_waiting].sp - 1 == i) {
                waiting = true;
                ++next_waiting;
            }
            if (!slot(waiting ? Value() : th->stack[i])) return false;
        }
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
            varint(f.stack_base());  // derived; kept in the format, and checked on load
            varint(f.sp);
            varint(f.block_base);
            byte(static_cast<std::uint8_t>(f.on_return));
            varint(f.return_arg);
            if (!slot(f.aux) || !slot(f.aux2)) return false;
        }
        return true;
    }

    // The script exception a bomb carries (undef if it carries none).
    static Value thrown_exception(const Payload& bomb) {
        try {
            std::rethrow_exception(bomb.bomb_error());
        } catch (const ScriptException& e) {
            return e.exception();
        } catch (...) {
            return Value::undef();
        }
    }

    // A set's table as it is: its size, where each item and each deleted
    // entry sits, and pop()'s finger. Iteration follows the table, and a
    // table rebuilt from its items alone may order them differently (it
    // would not have grown, nor kept the holes of removed items).
    bool set_layout(const SetObj* set) {
        varint(set->slots.size());
        varint(set->finger);
        std::size_t dummies = 0;
        for (std::size_t i = 0; i < set->slots.size(); ++i) {
            const SetObj::Slot& slot = set->slots[i];
            if (!slot.key.is_undef()) varint(i);
            else if (slot.hash == SetObj::kDummyHash) ++dummies;
        }
        varint(dummies);
        for (std::size_t i = 0; i < set->slots.size(); ++i)
            if (set->slots[i].key.is_undef() && set->slots[i].hash == SetObj::kDummyHash) varint(i);
        return true;
    }

    // A builtin method read from its receiver (`with stackless.atomic()`
    // keeps the atomic's __exit__ on the stack): its receiver and the
    // class's method, as BOUND_METHOD.
    [[gnu::noinline]] bool bound_native(NativeObj* n) {
        const Value method = n->name ? in_.lookup_in_class(in_.type_of(n->self), n->name) : Value();
        if (!(method.is_obj() && method.o->kind == ObjKind::Native && static_cast<NativeObj*>(method.o)->fn == n->fn)) {
            return fail("cannot pickle builtin '" + std::string(n->name ? n->name->view() : "?") + "': it is not a module attribute");
        }
        tag(Tag::BoundMethod);
        StepGuard g(*this, {Step::Label, 0, Value(), "__self__"});
        return value(n->self) && value(method);
    }

    // stackless.atomic(): its one field, the atomic flag __enter__ saved.
    bool atomic_instance(InstanceObj* inst) {
        tag(Tag::Instance);
        // Its class is reached as stackless.atomic (its __module__ is _stackless).
        if (memoized(inst->cls)) {
            if (!ref(inst->cls)) return false;
        } else {
            remember(inst->cls);
            tag(Tag::Global);
            if (!str_value(in_.intern("stackless")) || !str_value(in_.intern("atomic"))) return false;
        }
        varint(1);
        if (!str_value(in_.intern(pickle_format::kAtomicSavedField))) return false;
        return value(inst->slots.empty() ? Value::boolean(false) : inst->slots[0]);
    }

    // ======================================================================
    // [HOOKS]
    // ======================================================================
    // The `pickle` module runs a script class's hooks as CPython's pickle
    // does: __reduce_ex__(protocol), else __reduce__(), else the default
    // reduction, which uses __getnewargs_ex__/__getnewargs__ (protocol 2 and
    // up) and __getstate__ (else the instance's attributes), read back with
    // __setstate__. Whole-game saves never run them: a save holds the exact
    // state, and script code run mid-save could change the world being saved.
    // (No collection runs during these calls: they are nested calls from C++.)

    // A class's hooks, looked up once per class and pickle (most pickles
    // hold many instances of few classes, and most classes have none).
    struct Hooks {
        Value reduce_ex, reduce, getstate, setstate, newargs_ex, newargs;
        bool any = false;
    };

    Value hook(const ClassObj* cls, const char* name) {
        const Value f = in_.lookup_in_class(cls, in_.intern(name));
        return f.is_obj() && f.o->kind == ObjKind::Function ? f : Value::undef();
    }

    const Hooks& hooks_of(const ClassObj* cls) {
        if (cls == last_hooks_class_) return *last_hooks_;
        auto [it, added] = hooks_.try_emplace(cls);
        Hooks& h = it->second;
        if (added) {
            h.reduce_ex = hook(cls, "__reduce_ex__");
            h.reduce = hook(cls, "__reduce__");
            h.getstate = hook(cls, "__getstate__");
            h.setstate = hook(cls, "__setstate__");
            h.newargs_ex = hook(cls, "__getnewargs_ex__");
            h.newargs = hook(cls, "__getnewargs__");
            for (const Value& f : {h.reduce_ex, h.reduce, h.getstate, h.setstate, h.newargs_ex, h.newargs}) h.any = h.any || !f.is_undef();
        }
        last_hooks_class_ = cls;
        last_hooks_ = &h;
        return h;
    }

    // True if the class has a hook: the object was then written through it,
    // and `ok` says whether that worked. `state_hooks`: whether
    // __getstate__ and friends count (not for exceptions: their default
    // reduction, BaseException's, calls the class again).
    bool script_hooks(Value v, const ClassObj* cls, bool& ok, bool state_hooks = true) {
        const Hooks& h = hooks_of(cls);
        if (!h.any) return false;
        if (!h.reduce_ex.is_undef() || !h.reduce.is_undef()) {
            Value args[2] = {v, Value::integer(protocol_)};
            Value rv;
            const bool ex = !h.reduce_ex.is_undef();
            ok = in_.call(ex ? h.reduce_ex : h.reduce, args, ex ? 2 : 1, rv) && reduce_value(v, rv);
            return true;
        }
        if (!state_hooks) return false;
        const Hooks copy = h;  // the calls below may pickle other classes (hooks_ may grow)
        ok = new_object(v, copy.getstate, copy.newargs_ex, copy.newargs);
        return true;
    }

    // CPython's messages for bad reduce values (PicklingError, no path: a
    // script compares them with CPython's).
    [[gnu::noinline]] bool reduce_error(const std::string& message) {
        return raise_pickle_error(in_, PickleError::Pickling, message);
    }

    [[gnu::noinline]] bool reduce_cycle(Value v) {
        return fail(std::string("cannot pickle '") + in_.type_name(v) + "' object: the arguments its __reduce__ returned contain the object itself");
    }

    bool callable(Value v) {
        if (v.is_obj() && (v.o->kind == ObjKind::Function || v.o->kind == ObjKind::Native || v.o->kind == ObjKind::BoundMethod ||
                           v.o->kind == ObjKind::Class))
            return true;
        return !in_.lookup_in_class(in_.type_of(v), in_.names.call).is_undef();
    }

    bool is_iterator(Value v) {
        return (v.is_obj() && v.o->kind == ObjKind::Iterator) || !in_.lookup_in_class(in_.type_of(v), in_.names.next).is_undef();
    }

    [[gnu::noinline]] bool reduce_value(Value obj, Value rv) {
        if (rv.is_obj() && rv.o->kind == ObjKind::Str) return global_value(obj, static_cast<StrObj*>(rv.o));
        if (!(rv.is_obj() && rv.o->kind == ObjKind::Tuple)) return reduce_error("__reduce__ must return a string or tuple");
        const auto& parts = static_cast<TupleObj*>(rv.o)->items;
        if (parts.size() < 2 || parts.size() > 5) return reduce_error("tuple returned by __reduce__ must contain 2 through 5 elements");
        auto part = [&](std::size_t i) { return i < parts.size() ? parts[i] : Value(); };
        if (!callable(parts[0])) return reduce_error("first item of the tuple returned by __reduce__ must be callable");
        if (!(parts[1].is_obj() && parts[1].o->kind == ObjKind::Tuple))
            return reduce_error("second item of the tuple returned by __reduce__ must be a tuple");
        ListObj* list_items = nullptr;
        ListObj* dict_items = nullptr;
        if (!part(3).is_none() && !drain(part(3), "fourth", false, list_items)) return false;
        if (!part(4).is_none() && !drain(part(4), "fifth", true, dict_items)) return false;
        return reduce_record(obj, parts[0], parts[1], list_items, dict_items, part(2));
    }

    // REDUCE: callable, args, then what follows the object's making.
    bool reduce_record(Value obj, Value callable, Value args, ListObj* list_items, ListObj* dict_items, Value state) {
        tag(Tag::Reduce);
        reducing_.push_back(obj.o);
        StepGuard g(*this, {Step::Label, 0, Value(), "__reduce__"});
        const bool made = value(callable) && value(args);
        reducing_.pop_back();
        if (!made) return false;
        using namespace pickle_format;
        byte(static_cast<std::uint8_t>((list_items ? kListItems : 0) | (dict_items ? kDictItems : 0) | (state.is_none() ? 0 : kState)));
        if (list_items) {
            path_.back().label = "__reduce__ list items";
            varint(list_items->items.size());
            for (const Value& item : list_items->items)
                if (!value(item)) return false;
        }
        if (dict_items) {
            path_.back().label = "__reduce__ dict items";
            varint(dict_items->items.size());
            for (const Value& pair : dict_items->items)
                for (const Value& half : static_cast<TupleObj*>(pair.o)->items)
                    if (!value(half)) return false;
        }
        path_.back().label = "__getstate__";
        return state.is_none() || value(state);
    }

    // A reduce value's list or dict items: an iterator, run to its end first.
    [[gnu::noinline]] bool drain(Value it, const char* which, bool pairs, ListObj*& out) {
        if (!is_iterator(it)) {
            return reduce_error(std::string(which) + " element of the tuple returned by __reduce__ must be an iterator, not " + in_.type_name(it));
        }
        out = in_.new_list();
        Value item;
        while (in_.iter_next(it, item)) {
            const bool pair = item.is_obj() && item.o->kind == ObjKind::Tuple && static_cast<TupleObj*>(item.o)->items.size() == 2;
            if (pairs && !pair) return in_.raise_type_error("dict items iterator must return 2-tuples");
            out->items.push_back(item);
        }
        return !in_.has_pending();
    }

    // __reduce__ returned a str: the object is that global of its class's module.
    [[gnu::noinline]] bool global_value(Value obj, StrObj* name) {
        const ClassObj* cls = in_.type_of(obj);
        StrObj* module = cls->module_name ? cls->module_name : in_.names.builtins;
        Value found;
        if (!resolve(module, name->view(), found) || !found.identical(obj)) {
            std::string shown;
            if (!in_.repr(obj, shown)) {
                in_.take_pending();
                shown = std::string("<") + in_.type_name(obj) + " object>";
            }
            const bool missing = !resolve(module, name->view(), found);
            return reduce_error("Can't pickle " + shown + ": " +
                                (missing ? "attribute lookup " + std::string(name->view()) + " on " + std::string(module->view()) + " failed"
                                         : "it's not the same object as " + std::string(module->view()) + "." + std::string(name->view())));
        }
        tag(Tag::GlobalValue);
        return str_value(module) && str_value(name);
    }

    // The default reduction of an instance whose class has __getstate__,
    // __setstate__ or __getnewargs(_ex)__: NEWOBJ.
    [[gnu::noinline]] bool new_object(Value v, Value getstate, Value newargs_ex, Value newargs) {
        Value args = Value::object(in_.new_tuple());
        Value kwargs;  // None, or a non-empty dict from __getnewargs_ex__
        if (protocol_ >= 2 && !(newargs_ex.is_undef() && newargs.is_undef()) && !new_args(v, newargs_ex, newargs, args, kwargs)) return false;
        Value state;
        if (!getstate.is_undef()) {
            if (!in_.call(getstate, &v, 1, state)) return false;
        } else if (!plain_state(static_cast<InstanceObj*>(v.o), state)) {
            return false;
        }
        if (protocol_ < 2 && !state.is_none()) {
            // copyreg's reduction for protocols 0 and 1: a false state is not saved.
            bool keep = false;
            if (!in_.truthy(state, keep)) return false;
            if (!keep) state = Value();
        }
        tag(Tag::NewObj);
        if (!class_ref(in_.type_of(v))) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "__getnewargs__"});
        if (!value(args)) return false;
        byte(static_cast<std::uint8_t>((state.is_none() ? 0 : 1) | (protocol_ >= 2 ? 2 : 0) | (kwargs.is_none() ? 0 : 4)));
        if (!kwargs.is_none() && !value(kwargs)) return false;
        path_.back().label = "__getstate__";
        return state.is_none() || value(state);
    }

    bool new_args(Value v, Value newargs_ex, Value newargs, Value& args, Value& kwargs) {
        Value rv;
        if (!newargs_ex.is_undef()) {
            if (!in_.call(newargs_ex, &v, 1, rv)) return false;
            if (!(rv.is_obj() && rv.o->kind == ObjKind::Tuple))
                return in_.raise_type_error(std::string("__getnewargs_ex__ should return a tuple, not '") + in_.type_name(rv) + "'");
            const auto& pair = static_cast<TupleObj*>(rv.o)->items;
            if (pair.size() != 2)
                return in_.raise_value_error("__getnewargs_ex__ should return a tuple of length 2, not " + std::to_string(pair.size()));
            if (!(pair[0].is_obj() && pair[0].o->kind == ObjKind::Tuple))
                return in_.raise_type_error(std::string("first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '") + in_.type_name(pair[0]) + "'");
            if (!(pair[1].is_obj() && pair[1].o->kind == ObjKind::Dict))
                return in_.raise_type_error(std::string("second item of the tuple returned by __getnewargs_ex__ must be a dict, not '") + in_.type_name(pair[1]) + "'");
            if (static_cast<DictObj*>(pair[1].o)->table.live != 0) {
                // Written for the record; a class without its own __new__ is
                // made as object.__new__ makes it, whatever the arguments. One
                // with __new__ would need a keyword call, which loads cannot make.
                const Value new_fn = in_.lookup_in_class(in_.type_of(v), in_.names.new_);
                if (new_fn.is_obj() && new_fn.o->kind == ObjKind::Function)
                    return fail("cannot pickle '" + std::string(in_.type_name(v)) +
                                "' object: keyword arguments from __getnewargs_ex__ for a class with __new__ are not supported");
                kwargs = pair[1];
            }
            args = pair[0];
            return true;
        }
        if (!in_.call(newargs, &v, 1, rv)) return false;
        if (!(rv.is_obj() && rv.o->kind == ObjKind::Tuple))
            return in_.raise_type_error(std::string("__getnewargs__ should return a tuple, not '") + in_.type_name(rv) + "'");
        args = rv;
        return true;
    }

    // No __getstate__: the attributes as a dict, or None if there are none.
    bool plain_state(InstanceObj* inst, Value& state) {
        if (!inst->shape && !(inst->dict && inst->dict->table.live)) {
            bool any = false;
            for (Shape* s = inst->shape; s && s->key; s = s->parent) any = true;
            if (!any) {
                state = Value();
                return true;
            }
        }
        if (!in_.get_attr(Value::object(inst), in_.names.dict, state)) return false;
        if (state.is_obj() && state.o->kind == ObjKind::Dict && static_cast<DictObj*>(state.o)->table.live == 0) state = Value();
        return true;
    }

    // An exception's args; an exception made without them (args not yet
    // set) is written as the empty tuple, which takes a memo index.
    bool exception_args(ExceptionObj* e) {
        StepGuard g(*this, {Step::Label, 0, Value(), "args"});
        if (e->args) return value(Value::object(e->args));
        tag(Tag::Tuple);
        varint(0);
        ++next_index_;
        return true;
    }

    // An exception as BaseException.__reduce__ gives it: its class called
    // with its args (so a script __init__ runs again on load, as in CPython),
    // then its attributes as state.
    [[gnu::noinline]] bool exception_reduce(ExceptionObj* e) {
        tag(Tag::Reduce);
        if (!class_ref(e->cls) || !exception_args(e)) return false;
        std::size_t count = 0;
        for (Shape* s = e->shape; s && s->key; s = s->parent) ++count;
        if (e->dict) count += e->dict->table.live;
        byte(count ? pickle_format::kState : 0);
        if (!count) return true;
        // The attributes as a DICT: attributes() writes DICT's payload.
        tag(Tag::Dict);
        ++next_index_;
        return attributes(e);
    }

    // ----- save games: script modules, functions and classes by content

    bool module_content(ModuleObj* m) {
        tag(Tag::ScriptModule);
        if (!str_value(m->name) || !str_value(m->filename)) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "__dict__"});
        return value(Value::object(m->globals));
    }

    bool class_content(ClassObj* cls) {
        tag(Tag::Class);
        if (!str_value(cls->name)) return false;
        StepGuard g(*this, {Step::Label, 0, Value(), "__base__"});
        if (!value(cls->base ? Value::object(cls->base) : Value())) return false;
        path_.back().label = "__dict__";
        return value(Value::object(cls->dict));
    }

    bool exception_extras(ExceptionObj* e) {
        StepGuard g(*this, {Step::Label, 0, Value(), "__cause__"});
        if (!value(e->cause)) return false;
        path_.back().label = "__context__";
        if (!value(e->context)) return false;
        byte(e->suppress_context ? 1 : 0);
        path_.back().label = "__traceback__";
        varint(e->traceback.size());
        for (const TraceEntry& entry : e->traceback) {
            if (!code_value(entry.code)) return false;
            svarint(entry.line);
        }
        return true;
    }

    tracked_vector<Value> reach_order(const tracked_vector<Value>& items) const {
        tracked_vector<Value> sorted(items.begin(), items.end());
        auto rank = [&](const Value& v) {
            return v.is_obj() && memoized(v.o) ? v.o->pickle_index : UINT32_MAX;
        };
        std::stable_sort(sorted.begin(), sorted.end(), [&](const Value& a, const Value& b) { return rank(a) < rank(b); });
        return sorted;
    }

    Interpreter& in_;
    const bool whole_game_;
    const int protocol_;  // what __reduce_ex__ is given
    std::vector<const Obj*> reducing_;  // objects whose __reduce__ arguments are being written
    std::unordered_map<const ClassObj*, Hooks> hooks_;
    const ClassObj* last_hooks_class_ = nullptr;
    const Hooks* last_hooks_ = nullptr;
    const ListObj* in_reach_order_;
    std::vector<Value>* runtime_objects_;
    PickleSink* sink_;
    const PickleOptions::ReadAhead read_ahead_;
    std::vector<const Thread*> sequence_threads_;  // long_sequence's windows
    std::optional<ReadAhead> ahead_;  // a save of a big world: its reader
    std::string buf_;  // written up to cur_
    char* cur_ = nullptr;
    char* end_ = nullptr;
    std::vector<Step> path_;
    std::vector<Shape*> shapes_;  // attributes()' scratch
    std::uint32_t depth_ = 0;
    // [DEFERRED]
    std::uint32_t defer_at_ = pickle_format::kDeferDepth;
    std::vector<Deferred> deferred_;     // in FORWARD order; defined in that order
    Deferred reach_list_;                // in_reach_order_, once forwarded
    std::vector<PathNode> path_nodes_;   // the saved paths, sharing their beginnings
    std::vector<std::uint32_t> path_saved_;  // path_[i]'s node as save_path() last saved it
    std::uint32_t path_base_ = kNoPath;  // inside a DEFINE: its object's path
    const Obj* defining_ = nullptr;      // the object whose DEFINE is being written
    const std::uint16_t epoch_;  // this pickle's mark (Obj::pickle_epoch)
    std::uint32_t next_index_ = 0;
    std::unordered_map<const Obj*, std::pair<StrObj*, StrObj*>> natives_;
    VerifyCache verify_cache_;
};

}  // namespace

bool pickle_dumps(Interpreter& in, Value root, std::string& out, const PickleOptions& options) {
    // The memo marks in the objects belong to one writer at a time (a host's
    // persistent-id callback that pickled again would overwrite the outer ones).
    static thread_local bool writing = false;
    if (writing) return raise_pickle_error(in, PickleError::Pickling, "cannot pickle while another pickle is being written");
    struct Writing {
        Writing() { writing = true; }
        ~Writing() { writing = false; }
    } guard;
    try {
        // Games save the same world again and again: the last size is a good guess.
        static thread_local std::size_t last_size = 0;
        Pickler p(in, options);
        const std::size_t before = out.size();
        if (!p.run(root, out, last_size)) return false;
        if (!options.sink) last_size = out.size() - before;
        return true;
    } catch (const std::bad_alloc&) {
        return in.raise_memory_error();
    }
}

}  // namespace spindle::vm
