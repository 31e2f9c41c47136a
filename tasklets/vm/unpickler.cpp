// The unpickler (unpickler.hpp): reads pickle_format.hpp back into objects.
// Index:
//   [INPUT]     bounds-checked bytes and varints
//   [DEFERRED]  FORWARD shells, DEFINE records, and what waits for them
//   [OBJECTS]   the recursive reader, one case per tag
#include "vm/unpickler.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vm/binding.hpp"
#include "vm/code_validator.hpp"
#include "vm/frame_verifier.hpp"
#include "vm/opcodes.hpp"
#include "vm/pickle_format.hpp"
#include "vm/pickler.hpp"
#include "vm/pointer_map.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

using pickle_format::Tag;

// Strict UTF-8: no overlong forms, nothing past U+10FFFF, no truncated
// sequences. (Surrogates are let through: the VM's str can hold them.)
bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;  // the sequence runs past the end
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF) return false;
        i += n + 1;
    }
    return true;
}

class Unpickler {
public:
    Unpickler(Interpreter& in, std::string_view data, const UnpickleOptions& options)
        : in_(in), data_(data), options_(options) {
        if (options_.read_for_good) next_read_report_ = kReadReportStep;
    }

    bool run(Value& out) {
        if (data_.size() < sizeof pickle_format::kMagic ||
            std::memcmp(data_.data(), pickle_format::kMagic, sizeof pickle_format::kMagic) != 0) {
            return raise_pickle_error(in_, PickleError::Unpickling, "not a Spindle pickle (bad magic at offset 0)");
        }
        pos_ = sizeof pickle_format::kMagic;
        std::uint64_t version = 0;
        if (!varint(version, "the format version")) return false;
        if (version != pickle_format::kVersion) {
            return raise_pickle_error(in_, PickleError::Unpickling,
                                      "unsupported pickle format version " + std::to_string(version) +
                                          " (this build reads version " + std::to_string(pickle_format::kVersion) + ")");
        }
        Value result;
        if (!value(result)) return false;
        while (pos_ != data_.size())
            if (!define()) return false;
        if (!finish_deferred() || !table_iterators_done() || !reblock()) return false;
        out = result;
        return true;
    }

private:
    // ======================================================================
    // [INPUT]
    // ======================================================================

    // Error paths are out of line: the recursive reader's frames stay small,
    // which bounds the C++ stack kMaxDepth levels take (ASan included).
    [[gnu::noinline, gnu::cold]] bool fail(std::size_t at, const std::string& what) {
        return raise_pickle_error(in_, PickleError::Unpickling, "invalid pickle at offset " + std::to_string(at) + ": " + what);
    }
    [[gnu::noinline, gnu::cold]] bool fail(std::size_t at, const char* what) { return fail(at, std::string(what)); }
    [[gnu::noinline, gnu::cold]] bool truncated(const char* what) { return fail(pos_, std::string("data truncated reading ") + what); }
    [[gnu::noinline, gnu::cold]] bool bad_varint(std::size_t at, const char* problem, const char* what) {
        return fail(at, std::string(problem) + what);
    }
    [[gnu::noinline, gnu::cold]] bool bad_ref(std::size_t at, std::uint64_t index) {
        return fail(at, "memo reference " + std::to_string(index) + " points past the " + std::to_string(memo_.size()) +
                            " objects read so far");
    }
    [[gnu::noinline, gnu::cold]] bool bad_tag(std::size_t at, unsigned t) { return fail(at, "unknown tag " + std::to_string(t)); }
    [[gnu::noinline, gnu::cold]] bool too_deep(std::size_t at) {
        return fail(at, "nesting deeper than " + std::to_string(pickle_format::kMaxDepth));
    }

    std::size_t left() const noexcept { return data_.size() - pos_; }

    bool byte(std::uint8_t& out, const char* what) {
        if (left() < 1) return truncated(what);
        out = static_cast<std::uint8_t>(data_[pos_++]);
        return true;
    }

    bool varint(std::uint64_t& out, const char* what) {
        // Most varints are one byte (small counts, offsets, indexes).
        if (pos_ < data_.size() && static_cast<std::uint8_t>(data_[pos_]) < 0x80) [[likely]] {
            out = static_cast<std::uint8_t>(data_[pos_++]);
            return true;
        }
        return varint_bytes(out, what);
    }

    [[gnu::noinline]] bool varint_bytes(std::uint64_t& out, const char* what) {
        const std::size_t start = pos_;
        std::uint64_t v = 0;
        for (int shift = 0;; shift += 7) {
            std::uint8_t b = 0;
            if (!byte(b, what)) return false;
            if (shift == 63 && b > 1) return bad_varint(start, "varint too large in ", what);
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) break;
            if (shift == 63) return bad_varint(start, "varint too long in ", what);
        }
        out = v;
        return true;
    }

    bool svarint(std::int64_t& out, const char* what) {
        std::uint64_t v = 0;
        if (!varint(v, what)) return false;
        out = pickle_format::unzigzag(v);
        return true;
    }

    // A count of things that each take at least `min_bytes` more input.
    [[gnu::noinline]] bool count(std::size_t& out, std::size_t min_bytes, const char* what) {
        const std::size_t at = pos_;
        std::uint64_t n = 0;
        if (!varint(n, what)) return false;
        if (n > left() / min_bytes) {
            return fail(at, std::string(what) + " of " + std::to_string(n) + " is more than the " + std::to_string(left()) +
                                " bytes left could hold");
        }
        out = static_cast<std::size_t>(n);
        return true;
    }

    // Turns an error raised by the VM while building (an unhashable key from
    // damaged data, a failed host lookup) into UnpicklingError at `at`.
    [[gnu::noinline]] bool vm_failed(std::size_t at, const char* doing) {
        Value error = in_.take_pending();
        if (error.is_obj() && in_.is_instance(error, in_.types.MemoryError)) return in_.raise_value(error);
        std::string message;
        if (!in_.to_str(error, message)) {
            in_.take_pending();
            message = "error";
        }
        return fail(at, std::string(doing) + ": " + in_.type_name(error) + ": " + message);
    }

    // ======================================================================
    // [DEFERRED]
    // ======================================================================

    // An object the writer forwarded: made empty at its FORWARD (a shell,
    // in the memo at once), filled at its DEFINE.
    struct Forward {
        std::size_t index;  // memo index
        std::size_t at;     // the FORWARD's offset
        Tag kind = Tag::None;
        bool defined;
    };

    static const char* kind_name(Tag t) {
        switch (t) {
            case Tag::List: return "list";
            case Tag::Dict: return "dict";
            case Tag::Set: return "set";
            case Tag::Instance: return "instance";
            case Tag::Exception: return "exception";
            case Tag::Tasklet: return "tasklet";
            case Tag::Channel: return "channel";
            case Tag::Cell: return "cell";
            default: return nullptr;  // not a kind a FORWARD may have
        }
    }
    static std::string kind_text(std::uint8_t t) {
        const char* name = kind_name(static_cast<Tag>(t));
        if (!name) return "tag " + std::to_string(t);
        return (name[0] == 'i' || name[0] == 'e' ? "an " : "a ") + std::string(name);
    }

    [[gnu::noinline]] bool read_forward(std::size_t at, std::uint8_t allow, Value& out) {
        std::uint8_t kind = 0;
        if (!byte(kind, "a FORWARD's kind")) return false;
        switch (static_cast<Tag>(kind)) {
            case Tag::List: out = Value::object(in_.new_list()); break;
            case Tag::Dict: out = Value::object(in_.new_dict()); break;
            case Tag::Set: out = Value::object(in_.new_set()); break;
            // Of class object until its DEFINE names the class: no script
            // code runs on it meanwhile (must_wait).
            case Tag::Instance: out = Value::object(in_.heap().make<InstanceObj>(in_.types.object)); break;
            case Tag::Exception: {
                auto* e = in_.heap().make<ExceptionObj>(in_.types.Exception);
                e->args = in_.new_tuple();
                out = Value::object(e);
                break;
            }
            case Tag::Cell:
                if (!(allow & kAllowSlot) && !options_.whole_game) return fail(at, "a cell outside a frame slot");
                out = Value::object(in_.heap().make<CellObj>());
                break;
            // Made here, as a nested record makes them at their tag: the
            // runtime objects stay in the order the writer listed them.
            case Tag::Tasklet: {
                ScriptTaskletState* state = nullptr;
                out = new_script_tasklet(state);
                break;
            }
            case Tag::Channel: out = new_channel(); break;
            default: return fail(at, "a FORWARD of " + kind_text(kind) + ", which cannot be forwarded");
        }
        if (kind != static_cast<std::uint8_t>(Tag::Tasklet) && kind != static_cast<std::uint8_t>(Tag::Channel)) remember(out);
        forward_of_.emplace(out.o, forwards_.size());
        forwards_.push_back({memo_.size() - 1, at, static_cast<Tag>(kind), false});
        ++forwards_pending_;
        return true;
    }

    // One DEFINE record, at top level after the root: its shell's body,
    // read from depth zero.
    [[gnu::noinline]] bool define() {
        const std::size_t at = pos_;
        if (static_cast<Tag>(data_[pos_]) != Tag::Define)
            return fail(at, std::to_string(data_.size() - pos_) + " bytes of garbage after the pickle");
        ++pos_;
        std::uint64_t index = 0;
        if (!varint(index, "a DEFINE's memo index")) return false;
        if (index >= memo_.size()) return bad_ref(at, index);
        const Value shell = memo_[static_cast<std::size_t>(index)];
        const auto found = shell.is_obj() ? forward_of_.find(shell.o) : forward_of_.end();
        if (found == forward_of_.end() || forwards_[found->second].index != index)
            return fail(at, "DEFINE of object " + std::to_string(index) + ", which was not forwarded");
        const std::size_t k = found->second;
        if (forwards_[k].defined) return fail(at, "object " + std::to_string(index) + " is defined twice");
        const std::size_t body_at = pos_;
        std::uint8_t body = 0;
        if (!byte(body, "a DEFINE's value tag")) return false;
        const Tag kind = forwards_[k].kind;
        if (body != static_cast<std::uint8_t>(kind)) {
            return fail(body_at, "object " + std::to_string(index) + " was forwarded as " + kind_text(static_cast<std::uint8_t>(kind)) +
                                     ", but its DEFINE holds " + kind_text(body));
        }
        depth_ = 1;
        open_.push_back(nullptr);
        const bool ok = fill(kind, body_at, shell);
        open_.pop_back();
        depth_ = 0;
        if (!ok) return false;
        forwards_[k].defined = true;
        --forwards_pending_;
        return true;
    }

    bool fill(Tag kind, std::size_t at, Value shell) {
        switch (kind) {
            case Tag::List: return list_body(*static_cast<ListObj*>(shell.o));
            case Tag::Dict: return dict_body(*static_cast<DictObj*>(shell.o));
            case Tag::Set: return set_body(at, *static_cast<SetObj*>(shell.o));
            case Tag::Cell: return cell_body(at, *static_cast<CellObj*>(shell.o));
            case Tag::Channel: return channel_body(at, shell);
            case Tag::Tasklet: {
                std::uint8_t flags = 0;
                if (!tasklet_flags(at, flags)) return false;
                if (flags & pickle_format::kNative) return fail(at, "a native tasklet cannot be forwarded");
                // (A FORWARD made it with ScriptTaskletState::create.)
                auto* state = script_tasklet_state(static_cast<TaskletObj*>(shell.o)->tasklet.script_state());
                if (!state) return fail(at, "a forwarded tasklet is not a script tasklet");
                return script_tasklet_body(at, flags, shell, *state);
            }
            case Tag::Instance:
            case Tag::Exception: {
                const bool exception = kind == Tag::Exception;
                ClassObj* cls;
                if (!class_value(cls, exception)) return false;
                if (cls == in_.stackless_atomic_class()) return fail(at, "a stackless.atomic instance cannot be forwarded");
                auto* inst = static_cast<InstanceObj*>(shell.o);
                inst->cls = cls;
                inst->shape = cls->root_shape;
                if (exception) return exception_body(at, *static_cast<ExceptionObj*>(inst));
                return attributes(shell);
            }
            default: return bad_tag(at, static_cast<unsigned>(kind));
        }
    }

    bool pending(const Obj* o) const {
        const auto found = forward_of_.find(o);
        return found != forward_of_.end() && !forwards_[found->second].defined;
    }

    // A dict key or set item whose hash (or __eq__) may run script code
    // that reads a shell still empty: it waits until every DEFINE is read.
    bool must_wait(Value key) const { return forwards_pending_ != 0 && !hashes_plainly(key, 0); }

    static bool hashes_plainly(Value key, int depth) {
        if (!key.is_obj() || key.o->kind == ObjKind::Str) return true;
        if (key.o->kind != ObjKind::Tuple || depth > 8) return false;
        for (const Value& item : static_cast<TupleObj*>(key.o)->items)
            if (!hashes_plainly(item, depth + 1)) return false;
        return true;
    }

    // After the last DEFINE: every FORWARD must have been defined; then what
    // waited for them, in the order it was read.
    [[gnu::noinline]] bool finish_deferred() {
        if (forwards_pending_ != 0) {
            for (const Forward& f : forwards_) {
                if (f.defined) continue;
                return fail(f.at, "object " + std::to_string(f.index) + " (" + kind_text(static_cast<std::uint8_t>(f.kind)) +
                                      ") is forwarded but never defined");
            }
        }
        for (const Waiting& w : waiting_items_) {
            if (w.container.o->kind == ObjKind::Dict) {
                if (!in_.set_item(w.container, w.key, w.value)) return vm_failed(w.at, "adding to a dict");
            } else if (!in_.set_add(static_cast<SetObj*>(w.container.o), w.key)) {
                return vm_failed(w.at, "adding to a set");
            }
        }
        for (const WaitingLayout& w : waiting_layouts_)
            if (!apply_set_layout(w.at, *w.set, w.items, w.layout)) return false;
        for (ClassObj* cls : waiting_classes_) class_module_name(cls);
        return true;
    }

    // ======================================================================
    // [OBJECTS]
    // ======================================================================

    std::size_t remember(Value v) {
        memo_.push_back(v);
        return memo_.size() - 1;
    }

    // A value that must be a str (names, module names).
    [[gnu::noinline]] bool str(StrObj*& out, const char* what) {
        const std::size_t at = pos_;
        Value v;
        if (!value(v)) return false;
        if (!(v.is_obj() && v.o->kind == ObjKind::Str)) return fail(at, std::string(what) + " is not a str");
        out = static_cast<StrObj*>(v.o);
        return true;
    }

    // A class, as INSTANCE and EXCEPTION name it.
    [[gnu::noinline]] bool class_value(ClassObj*& out, bool exception) {
        const std::size_t at = pos_;
        Value v;
        if (!value(v)) return false;
        if (!(v.is_obj() && v.o->kind == ObjKind::Class)) return fail(at, "instance class is not a class");
        auto* cls = static_cast<ClassObj*>(v.o);
        if (exception != cls->is_exception) {
            return fail(at, "class '" + std::string(cls->name->view()) + (exception ? "' is not an exception class" : "' is an exception class"));
        }
        const bool script_class = !cls->is_builtin && !cls->host && !cls->constructor && cls->instance_kind == ObjKind::Instance;
        if (!script_class && cls != in_.types.object && cls != in_.stackless_atomic_class() && !(cls->is_exception && !cls->host)) {
            return fail(at, "cannot make instances of class '" + std::string(cls->name->view()) + "'");
        }
        out = cls;
        return true;
    }

    bool attributes(Value inst) {
        if (options_.whole_game) {
            const std::size_t at = pos_;
            std::uint8_t mode = 0;
            if (!byte(mode, "attribute mode")) return false;
            if (mode == pickle_format::kAttributesDict) return own_dict(at, static_cast<InstanceObj*>(inst.o));
            if (mode != pickle_format::kAttributesListed) return fail(at, "unknown attribute mode " + std::to_string(mode));
        }
        std::size_t n = 0;
        if (!count(n, 2, "attribute count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            StrObj* name;
            if (!str(name, "attribute name")) return false;
            const std::size_t at = pos_;
            Value v;
            if (!value(v)) return false;
            if (!in_.set_attr(inst, interned(name), v)) return vm_failed(at, "setting an attribute");
        }
        return true;
    }

    // An instance whose attributes live in its own __dict__ (a save game).
    bool own_dict(std::size_t at, InstanceObj* inst) {
        Value d;
        if (!value(d)) return false;
        if (!d.is_obj() || d.o->kind != ObjKind::Dict) return fail(at, "an instance's __dict__ is not a dict");
        inst->shape = nullptr;
        inst->slots.clear();
        inst->dict = static_cast<DictObj*>(d.o);
        return true;
    }

    // Attribute names are read once and referenced after: intern each once.
    StrObj* interned(StrObj* name) {
        if (name->interned) return name;
        bool added = false;
        StrObj*& found = interned_.find_or_insert(name, added);
        if (added) found = in_.intern(name->view());
        return found;
    }

    bool items(tracked_vector<Value>& into, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            Value v;
            if (!value(v)) return false;
            into.push_back(v);
        }
        return true;
    }

    // GLOBAL: module, then qualified name, found as the pickler checked it.
    // `any`: GLOBAL_VALUE, any object; GLOBAL names a class or function.
    [[gnu::noinline]] bool global(Value& out, std::size_t at, bool any = false) {
        StrObj* module_name;
        StrObj* qualname;
        if (!str(module_name, "module name") || !str(qualname, "qualified name")) return false;
        const std::string where = std::string(module_name->view()) + "." + std::string(qualname->view());
        ModuleObj* m = in_.find_module(in_.intern(module_name->view()));
        if (!m) return fail(at, "module '" + std::string(module_name->view()) + "' is not loaded (for " + where + ")");
        in_.note_import(m);  // (pickle imports a global's module)
        const std::string_view q = qualname->view();
        Value cur = Value::object(m);
        std::size_t start = 0;
        while (true) {
            std::size_t dot = q.find('.', start);
            if (dot == std::string_view::npos) dot = q.size();
            const std::string_view part = q.substr(start, dot - start);
            if (part.empty() || part.front() == '<') return fail(at, "bad qualified name '" + std::string(q) + "'");
            StrObj* key = in_.intern(part);
            Value next = Value::undef();
            if (cur.o->kind == ObjKind::Module) {
                const DictObj* g = static_cast<ModuleObj*>(cur.o)->globals;
                const std::int64_t p = table::find_interned(g->table, key);
                if (p >= 0) next = g->table.entries[static_cast<std::size_t>(p)].value;
            } else if (cur.o->kind == ObjKind::Class) {
                next = in_.lookup_in_class(static_cast<ClassObj*>(cur.o), key);
            }
            if (next.is_undef() || !next.is_obj()) return fail(at, "'" + where + "' not found");
            cur = next;
            if (dot == q.size()) break;
            start = dot + 1;
        }
        const ObjKind k = cur.o->kind;
        if (!any && k != ObjKind::Class && k != ObjKind::Function && k != ObjKind::Native) {
            return fail(at, "'" + where + "' is a " + in_.type_name(cur) + ", not a class or function");
        }
        out = cur;
        return true;
    }

    enum Allow : std::uint8_t { kAllowSlot = 1, kAllowCode = 2 };

    bool value(Value& out) {
        const std::size_t at = pos_;
        if (at >= next_read_report_) [[unlikely]] report_read(at);
        const std::uint8_t allow = std::exchange(allow_, 0);  // only this value, not its children
        std::uint8_t t = 0;
        if (!byte(t, "a value tag")) return false;
        switch (static_cast<Tag>(t)) {
            case Tag::Undef:
                if (!(allow & kAllowSlot)) return fail(at, "an unbound value outside a frame slot");
                out = Value::undef();
                return true;
            case Tag::Cell:
                if (!(allow & kAllowSlot) && !options_.whole_game) return fail(at, "a cell outside a frame slot");
                break;
            case Tag::Code:
                if (!(allow & kAllowCode)) return fail(at, "a code object outside a frame");
                break;
            case Tag::Cells:
                if (!(allow & kAllowSlot)) return fail(at, "a closure tuple outside a frame slot");
                break;
            case Tag::InternedStr:
            case Tag::ScriptModule:
            case Tag::Class:
            case Tag::MainTasklet:
            case Tag::DictView:
                if (!options_.whole_game) return fail(at, "tag " + std::to_string(t) + " is only valid in a save game");
                break;
            case Tag::Forward: return read_forward(at, allow, out);
            case Tag::Define: return fail(at, "a DEFINE inside a value (DEFINE records follow the root value)");
            case Tag::None: out = Value(); return true;
            case Tag::False: out = Value::boolean(false); return true;
            case Tag::True: out = Value::boolean(true); return true;
            case Tag::Int: {
                std::int64_t i = 0;
                if (!svarint(i, "an int")) return false;
                out = Value::integer(i);
                return true;
            }
            case Tag::Float: {
                if (left() < 8) return truncated("a float");
                std::uint64_t bits = 0;
                if constexpr (std::endian::native == std::endian::little) {
                    std::memcpy(&bits, data_.data() + pos_, sizeof bits);
                } else {
                    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(data_[pos_ + i])) << (8 * i);
                }
                pos_ += 8;
                double d;
                std::memcpy(&d, &bits, sizeof d);
                out = Value::real(d);
                return true;
            }
            case Tag::Ref: {
                std::uint64_t index = 0;
                if (!varint(index, "a memo reference")) return false;
                if (index >= memo_.size()) return bad_ref(at, index);
                out = memo_[static_cast<std::size_t>(index)];
                // These checks leave the object itself alone: a reference is
                // mostly to one made long before, no longer in the cache.
                if (closes_tuple_cycle(out)) return fail(at, "a tuple that contains itself through tuples only");
                if (!options_.whole_game && !(allow & kAllowSlot) && out.is_obj() && out.o->kind == ObjKind::Cell)
                    return fail(at, "a cell outside a frame slot");
                if (!(allow & kAllowCode) && !code_slots_.empty() && std::binary_search(code_slots_.begin(), code_slots_.end(), index))
                    return fail(at, "a code object outside a frame");
                if (!(allow & kAllowSlot) && !cell_tuples_.empty() && out.is_obj() && cell_tuples_.count(out.o))
                    return fail(at, "a closure tuple outside a frame slot");
                if (out.is_undef()) return fail(at, "a reference to an object not made yet");
                return true;
            }
            default: break;
        }
        if (t >= static_cast<std::uint8_t>(Tag::Count_)) return bad_tag(at, t);
        if (depth_ >= pickle_format::kMaxDepth) return too_deep(at);
        ++depth_;
        open_.push_back(nullptr);  // the tuple case names itself here
        const bool ok = object(static_cast<Tag>(t), at, out);
        open_.pop_back();
        --depth_;
        return ok;
    }

    // Python code cannot make a cycle of tuples alone (a tuple's items exist
    // before it does), and hashing, comparing or printing one would recurse
    // forever: a reference back to a tuple still being read is accepted only
    // through some other container (a list, a dict, an instance ...).
    bool closes_tuple_cycle(Value v) const {
        if (open_tuples_ == 0 || !v.is_obj()) return false;
        for (auto it = open_.rbegin(); it != open_.rend() && *it != nullptr; ++it)
            if (*it == v.o) return true;
        return false;
    }

    // A set element or dict key hashed now must not reach a tuple still being
    // read: its hash would change once the tuple is complete.
    bool reaches_open_tuple(Value v) const {
        if (open_tuples_ == 0) return false;
        std::vector<const Obj*> to_visit;
        std::unordered_set<const Obj*> seen;
        if (v.is_obj() && v.o->kind == ObjKind::Tuple) to_visit.push_back(v.o);
        while (!to_visit.empty()) {
            const Obj* t = to_visit.back();
            to_visit.pop_back();
            if (!seen.insert(t).second) continue;
            if (std::find(open_.begin(), open_.end(), t) != open_.end()) return true;
            for (const Value& item : static_cast<const TupleObj*>(t)->items)
                if (item.is_obj() && item.o->kind == ObjKind::Tuple) to_visit.push_back(item.o);
        }
        return false;
    }

    bool object(Tag t, std::size_t at, Value& out) {
        switch (t) {
            case Tag::Str:
            case Tag::InternedStr: {
                std::size_t n = 0;
                if (!count(n, 1, "str length")) return false;
                const std::string_view text = data_.substr(pos_, n);
                if (!valid_utf8(text)) return fail(at, "str is not valid UTF-8");
                pos_ += n;
                out = t == Tag::Str ? in_.str(text) : Value::object(in_.intern(text));
                remember(out);
                return true;
            }
            case Tag::Tuple: {
                std::size_t n = 0;
                const std::size_t slot = remember(Value());
                if (!count(n, 1, "item count")) return false;
                TupleObj* tu = in_.new_tuple(n);
                out = memo_[slot] = Value::object(tu);
                open_.back() = tu;
                ++open_tuples_;
                const bool ok = items(tu->items, n);
                --open_tuples_;
                return ok;
            }
            case Tag::List: {
                ListObj* l = in_.new_list();
                out = Value::object(l);
                remember(out);
                return list_body(*l);
            }
            case Tag::Set: {
                SetObj* s = in_.new_set();
                out = Value::object(s);
                remember(out);
                return set_body(at, *s);
            }
            case Tag::FrozenSet: {
                // Frozen once whole: until then, as a set, it is unhashable,
                // so no item can hold it as a key or element.
                SetObj* s = in_.new_set();
                out = Value::object(s);
                remember(out);
                if (!set_body(at, *s)) return false;
                s->frozen = true;
                return true;
            }
            case Tag::Dict: {
                DictObj* d = in_.new_dict();
                out = Value::object(d);
                remember(out);
                return dict_body(*d);
            }
            case Tag::Range: {
                std::int64_t a = 0, b = 0, c = 0;
                if (!svarint(a, "a range") || !svarint(b, "a range") || !svarint(c, "a range")) return false;
                if (c == 0) return fail(at, "range step is zero");
                out = Value::object(in_.heap().make<RangeObj>(a, b, c));
                remember(out);
                return true;
            }
            case Tag::Slice: {
                SliceObj* s = in_.heap().make<SliceObj>();
                out = Value::object(s);
                remember(out);
                return value(s->start) && value(s->stop) && value(s->step);
            }
            case Tag::Global: {
                const std::size_t slot = remember(Value());
                if (!global(out, at)) return false;
                memo_[slot] = out;
                return true;
            }
            case Tag::Module: return read_module(at, out);
            case Tag::Instance: {
                const std::size_t slot = remember(Value());
                ClassObj* cls;
                if (!class_value(cls, false)) return false;
                if (cls == in_.stackless_atomic_class()) return read_atomic(memo_[slot], out);
                out = memo_[slot] = Value::object(in_.heap().make<InstanceObj>(cls));
                return attributes(out);
            }
            case Tag::Exception: {
                const std::size_t slot = remember(Value());
                ClassObj* cls;
                if (!class_value(cls, true)) return false;
                auto* e = in_.heap().make<ExceptionObj>(cls);
                e->args = in_.new_tuple();
                out = memo_[slot] = Value::object(e);
                return exception_body(at, *e);
            }
            case Tag::BoundMethod: {
                const std::size_t slot = remember(Value());
                Value self, function;
                if (!value(self)) return false;
                const std::size_t fn_at = pos_;
                if (!value(function)) return false;
                if (!(function.is_obj() && (function.o->kind == ObjKind::Function || function.o->kind == ObjKind::Native))) {
                    return fail(fn_at, "bound method's function is not a function");
                }
                out = memo_[slot] = Value::object(in_.heap().make<BoundMethodObj>(self, function));
                return true;
            }
            case Tag::Host: return read_host(at, out);
            case Tag::Tasklet: return tasklet(at, out);
            case Tag::Iterator: return read_iterator(at, out);
            case Tag::Channel: return read_channel(at, out);
            case Tag::Subclassed: return read_subclassed(at, out);
            case Tag::Code: return read_code(at, out);
            case Tag::ScriptModule: return read_script_module(at, out);
            case Tag::Function: return read_function(at, out);
            case Tag::Cells: {
                auto* t = in_.heap().make<TupleObj>();
                out = Value::object(t);
                remember(out);
                cell_tuples_.insert(t);
                std::size_t n = 0;
                if (!count(n, 1, "a closure tuple")) return false;
                for (std::size_t i = 0; i < n; ++i) {
                    const std::size_t cell_at = pos_;
                    Value c;
                    if (!slot(c)) return false;
                    if (!(c.is_obj() && c.o->kind == ObjKind::Cell)) return fail(cell_at, "a closure tuple holds something other than a cell");
                    t->items.push_back(c);
                }
                return true;
            }
            case Tag::Class: return read_class(at, out);
            case Tag::MainTasklet:
                out = in_.wrap_tasklet(in_.scheduler().getmain());
                remember(out);
                return true;
            case Tag::DictView: return read_dict_view(at, out);
            case Tag::Reduce: return read_reduce(at, out);
            case Tag::NewObj: return read_newobj(at, out);
            case Tag::GlobalValue: {
                if (!hooks_allowed(at)) return false;
                const std::size_t slot = remember(Value());
                if (!global(out, at, true)) return false;
                memo_[slot] = out;
                return true;
            }
            case Tag::Cell: {
                auto* cell = in_.heap().make<CellObj>();
                out = Value::object(cell);
                remember(out);
                return cell_body(at, *cell);
            }
            default: return bad_tag(at, static_cast<unsigned>(t));
        }
    }

    // The bodies of the objects a FORWARD can stand for: read into an object
    // already made (and in the memo), nested or at its DEFINE.

    bool list_body(ListObj& l) {
        std::size_t n = 0;
        if (!count(n, 1, "item count")) return false;
        l.items.reserve(n);
        return items(l.items, n);
    }

    bool dict_body(DictObj& d) {
        std::size_t n = 0;
        if (!count(n, 2, "dict size")) return false;
        // (At most a page of entries ahead of the items read: a hostile
        // size must not buy a big allocation.)
        table::reserve(d.table, std::min<std::size_t>(n, 256));
        bool waiting = false;  // once one entry waits, the rest wait behind it: insertion order is kept
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t item_at = pos_;
            Value k, v;
            if (!value(k) || !value(v)) return false;
            if (reaches_open_tuple(k)) return fail(item_at, "a dict key reaches a tuple that is not complete yet");
            waiting = waiting || must_wait(k);
            if (waiting) waiting_items_.push_back({Value::object(&d), k, v, item_at});
            else if (!in_.set_item(Value::object(&d), k, v)) return vm_failed(item_at, "adding to a dict");
        }
        return true;
    }

    bool set_body(std::size_t at, SetObj& s) {
        std::size_t n = 0;
        if (!count(n, 1, "item count")) return false;
        tracked_vector<Value> read;
        bool waiting = false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t item_at = pos_;
            Value v;
            if (!value(v)) return false;
            if (reaches_open_tuple(v)) return fail(item_at, "a set element reaches a tuple that is not complete yet");
            waiting = waiting || must_wait(v);
            if (waiting) waiting_items_.push_back({Value::object(&s), v, Value::undef(), item_at});
            else if (!in_.set_add(&s, v)) return vm_failed(item_at, "adding to a set");
            if (options_.whole_game) read.push_back(v);
        }
        if (!options_.whole_game) return true;
        SetLayout layout;
        if (!read_set_layout(at, read.size(), layout)) return false;
        if (!waiting) return apply_set_layout(at, s, read, layout);
        waiting_layouts_.push_back({&s, std::move(read), std::move(layout), at});
        return true;
    }

    bool exception_body(std::size_t at, ExceptionObj& e) {
        const std::size_t args_at = pos_;
        Value args;
        if (!value(args)) return false;
        if (!(args.is_obj() && args.o->kind == ObjKind::Tuple)) return fail(args_at, "exception args is not a tuple");
        e.args = static_cast<TupleObj*>(args.o);
        return attributes(Value::object(&e)) && (!options_.whole_game || exception_extras(at, e));
    }

    bool cell_body(std::size_t at, CellObj& cell) {
        std::uint8_t empty = 0;
        if (!byte(empty, "a cell")) return false;
        if (empty > 1) return fail(at, "bad cell flag");
        Value v;
        if (!value(v)) return false;
        cell.empty = empty != 0;
        cell.value = cell.empty ? Value() : v;
        return true;
    }

    // A save game's set table (pickler set_layout), as read: applied once
    // its items can be hashed.
    struct SetLayout {
        std::uint64_t size = 0;
        std::uint64_t finger = 0;
        std::vector<std::uint64_t> slots;    // each item's, in item order
        std::vector<std::uint64_t> dummies;  // the deleted entries'
    };

    [[gnu::noinline]] bool read_set_layout(std::size_t at, std::size_t items, SetLayout& layout) {
        if (!varint(layout.size, "a set's table size") || !varint(layout.finger, "a set's finger")) return false;
        // A table is at most 8 times the entries it has held since it last
        // grew: a bigger one is a hostile size, refused before allocating.
        const std::uint64_t size = layout.size;
        const std::uint64_t bound = std::max<std::uint64_t>(SetObj::kMinSize, 8 * (items + left()));
        const bool empty_table = size == 0 && items == 0;
        if (!empty_table && (size < SetObj::kMinSize || (size & (size - 1)) != 0 || size > bound || layout.finger >= size))
            return fail(at, "set table size " + std::to_string(size) + " is not possible for its items");
        layout.slots.resize(items);
        for (std::uint64_t& index : layout.slots)
            if (!varint(index, "a set slot")) return false;
        std::size_t dummies = 0;
        if (!count(dummies, 1, "a set's deleted entry count")) return false;
        layout.dummies.resize(dummies);
        for (std::uint64_t& index : layout.dummies)
            if (!varint(index, "a set slot")) return false;
        return true;
    }

    // A save game's set: the table exactly as it was, checked by looking
    // every item up in it.
    [[gnu::noinline]] bool apply_set_layout(std::size_t at, SetObj& set, const tracked_vector<Value>& read, const SetLayout& layout) {
        if (static_cast<std::size_t>(set.used) != read.size()) return fail(at, "a set lists an item twice");
        std::vector<SetObj::Slot> items;
        for (const Value& key : read) {
            std::uint64_t hash = 0;
            if (!sets::hash_of(in_, key, hash)) return vm_failed(at, "hashing a set item");
            items.push_back(SetObj::Slot{key, hash});
        }
        const std::uint64_t size = layout.size, finger = layout.finger;
        const bool empty_table = size == 0 && items.empty();
        std::vector<SetObj::Slot> table(static_cast<std::size_t>(size));
        for (std::size_t k = 0; k < items.size(); ++k) {
            const std::uint64_t index = layout.slots[k];
            if (index >= size || !table[index].key.is_undef()) return fail(at, "set slot index out of range or used twice");
            table[index] = items[k];
        }
        const std::size_t dummies = layout.dummies.size();
        for (const std::uint64_t index : layout.dummies) {
            if (index >= size || !table[index].key.is_undef() || table[index].hash != 0)
                return fail(at, "set slot index out of range or used twice");
            table[index].hash = SetObj::kDummyHash;
        }
        if (!empty_table && items.size() + dummies >= size) return fail(at, "a set table with no free slot");
        set.slots.assign(table.begin(), table.end());
        set.mask = empty_table ? SetObj::kMinSize - 1 : static_cast<std::size_t>(size - 1);
        set.used = static_cast<std::int64_t>(items.size());
        set.fill = static_cast<std::int64_t>(items.size() + dummies);
        set.finger = static_cast<std::size_t>(finger);
        ++set.table_version;
        for (const SetObj::Slot& item : items) {
            bool found = false;
            if (!in_.contains(Value::object(&set), item.key, found)) return vm_failed(at, "checking a set");
            if (!found) return fail(at, "a set item is not where its hash leads");
        }
        return true;
    }

    // stackless.atomic(): as module_stackless.cpp makes it, with the saved flag.
    [[gnu::noinline]] bool read_atomic(Value& memo_slot, Value& out) {
        auto* inst = in_.heap().make<InstanceObj>(in_.stackless_atomic_class());
        inst->shape = nullptr;
        inst->slots.push_back(Value::boolean(false));
        out = memo_slot = Value::object(inst);
        const std::size_t at = pos_;
        std::size_t n = 0;
        StrObj* name;
        if (!count(n, 2, "attribute count")) return false;
        if (n != 1) return fail(at, "a stackless.atomic instance has one field");
        if (!str(name, "attribute name")) return false;
        const std::size_t flag_at = pos_;
        Value flag;
        if (!value(flag)) return false;
        if (name->view() != pickle_format::kAtomicSavedField || flag.tag != vm::Tag::Bool)
            return fail(flag_at, "a stackless.atomic instance's field is not its saved flag");
        inst->slots[0] = flag;
        return true;
    }

    [[gnu::noinline]] bool read_module(std::size_t at, Value& out) {
        const std::size_t slot = remember(Value());
        StrObj* name;
        if (!str(name, "module name")) return false;
        ModuleObj* m = in_.find_module(in_.intern(name->view()));
        if (!m) return fail(at, "module '" + std::string(name->view()) + "' is not loaded");
        in_.note_import(m);
        out = memo_[slot] = Value::object(m);
        return true;
    }

    [[gnu::noinline]] bool read_host(std::size_t at, Value& out) {
        const std::size_t slot = remember(Value());
        StrObj* type;
        StrObj* key;
        PersistentId id;
        if (!str(type, "host type name") || !svarint(id.index, "a persistent id") ||
            !svarint(id.generation, "a persistent id") || !str(key, "a persistent id key")) {
            return false;
        }
        id.key = std::string(key->view());
        if (!load_host_object(in_, type->view(), id, out)) return vm_failed(at, "loading a host object");
        memo_[slot] = out;
        return true;
    }

    // A channel as its constructor makes it, in the memo.
    Value new_channel() {
        auto* c = new spindle::ChannelObject(in_.scheduler());
        Value out;
        try {
            out = in_.wrap_channel(c);  // the wrapper holds the only reference
        } catch (...) {
            delete c;
            throw;
        }
        place(out);
        if (options_.runtime_objects) options_.runtime_objects->push_back(out);
        return out;
    }

    // SUBCLASSED: an instance of a script subclass of stackless.tasklet or
    // .channel. In a save game its record (made by it, not a REF to one),
    // then its class and attributes; from the `pickle` module its class
    // first, then its record (pickle_format.hpp).
    [[gnu::noinline]] bool read_subclassed(std::size_t at, Value& out) {
        if (options_.whole_game) {
            Tag kind = Tag::None;
            if (!subclassed_record_tag(at, kind) || !value(out)) return false;
            ClassObj* cls = nullptr;
            if (!subclass_of(kind, cls)) return false;
            const std::size_t dict_at = pos_;
            Value dict;
            if (!value(dict)) return false;
            if (!dict.is_none() && !(dict.is_obj() && dict.o->kind == ObjKind::Dict))
                return fail(dict_at, "a subclass instance's attributes are not a dict or None");
            give_class(out, cls, dict.is_none() ? nullptr : static_cast<DictObj*>(dict.o));
            return true;
        }
        // The instance's memo index comes before its class's, as it was written.
        const std::size_t slot = remember(Value::undef());
        const std::size_t cls_at = pos_;
        Value c;
        if (!value(c)) return false;
        Tag kind = Tag::None;
        ClassObj* cls = nullptr;
        if (!subclassed_record_tag(at, kind) || !check_subclass(cls_at, c, kind, cls)) return false;
        subclass_ = {cls, slot};
        const bool ok = value(out);
        subclass_ = {};  // (made by the record, unless it failed first)
        return ok;
    }

    // A tasklet or channel becomes an instance of a script subclass.
    static void give_class(Value object, ClassObj* cls, DictObj* attrs) {
        if (object.o->kind == ObjKind::Tasklet) {
            static_cast<TaskletObj*>(object.o)->cls = cls;
            static_cast<TaskletObj*>(object.o)->dict = attrs;
        } else {
            static_cast<ChannelObj*>(object.o)->cls = cls;
            static_cast<ChannelObj*>(object.o)->dict = attrs;
        }
    }

    bool subclassed_record_tag(std::size_t at, Tag& kind) {
        if (left() < 1) return truncated("a subclass instance");
        kind = static_cast<Tag>(data_[pos_]);
        if (kind != Tag::Tasklet && kind != Tag::Channel) return fail(at, "SUBCLASSED is not followed by a tasklet or channel record");
        return true;
    }

    bool subclass_of(Tag kind, ClassObj*& cls) {
        const std::size_t cls_at = pos_;
        Value c;
        return value(c) && check_subclass(cls_at, c, kind, cls);
    }

    bool check_subclass(std::size_t cls_at, Value c, Tag kind, ClassObj*& cls) {
        const bool tasklet = kind == Tag::Tasklet;
        ClassObj* base = tasklet ? in_.stackless_tasklet_class() : in_.stackless_channel_class();
        cls = c.is_obj() && c.o->kind == ObjKind::Class ? static_cast<ClassObj*>(c.o) : nullptr;
        if (!cls || cls == base || cls->is_builtin || cls->host || !in_.is_subclass(cls, base))
            return fail(cls_at, std::string("a subclass instance's class is not a script subclass of stackless.") + (tasklet ? "tasklet" : "channel"));
        return true;
    }

    [[gnu::noinline]] bool read_channel(std::size_t at, Value& out) {
        out = new_channel();
        return run_subclass_init(at, out) && channel_body(at, out);
    }

    bool channel_body(std::size_t at, Value channel) {
        spindle::ChannelObject* c = static_cast<ChannelObj*>(channel.o)->channel;
        std::int64_t preference = 0;
        std::uint8_t flags = 0;
        if (!svarint(preference, "a channel") || !byte(flags, "a channel")) return false;
        if (preference < -1 || preference > 1) return fail(at, "channel preference " + std::to_string(preference) + " is not -1, 0 or 1");
        if (flags & ~pickle_format::kChannelFlagsKnown) return fail(at, "unknown channel flags");
        c->set_preference(static_cast<int>(preference));
        c->set_schedule_all((flags & pickle_format::kScheduleAll) != 0);
        if (flags & pickle_format::kClosing) c->close();
        const std::size_t balance_at = pos_;
        std::int64_t balance = 0;
        if (!svarint(balance, "a channel balance")) return false;
        const std::uint64_t n = balance < 0 ? 0 - static_cast<std::uint64_t>(balance) : static_cast<std::uint64_t>(balance);
        if (n > left()) return fail(balance_at, "channel balance " + std::to_string(balance) + " is more than the bytes left could hold");
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::size_t t_at = pos_;
            // A native tasklet whose saved state holds this channel is still
            // being made when its own place in the queue is read: a REF to it
            // is resolved when the tasklets are blocked again.
            std::size_t pending_index = SIZE_MAX;
            Value t;
            if (!native_in_making(pending_index) && !value(t)) return false;
            if (pending_index == SIZE_MAX && !(t.is_obj() && t.o->kind == ObjKind::Tasklet))
                return fail(t_at, "a channel's blocked tasklet is not a tasklet");
            // Blocked once the whole graph is read and every tasklet verified.
            blocks_.push_back({channel, t, balance > 0 ? 1 : -1, t_at, pending_index});
        }
        return true;
    }

    // A REF, next, to a native tasklet its factory has not made yet: its
    // memo index, and the REF is consumed.
    bool native_in_making(std::size_t& index) {
        if (pos_ >= data_.size() || static_cast<Tag>(data_[pos_]) != Tag::Ref) return false;
        const std::size_t start = pos_;
        ++pos_;
        std::uint64_t i = 0;
        if (varint(i, "a memo reference") && i < memo_.size() && memo_[static_cast<std::size_t>(i)].is_undef() &&
            natives_in_making_.count(static_cast<std::size_t>(i))) {
            index = static_cast<std::size_t>(i);
            return true;
        }
        if (in_.has_pending()) in_.take_pending();
        pos_ = start;  // read again as a value, with its errors
        return false;
    }

    // Re-blocks every channel's tasklets, in the order they were listed.
    [[gnu::noinline]] bool reblock() {
        for (Reblock& r : blocks_) {
            if (r.memo_index != SIZE_MAX) r.tasklet = memo_[r.memo_index];  // made by now
            spindle::ChannelObject& c = *static_cast<ChannelObj*>(r.channel.o)->channel;
            const spindle::Tasklet& t = static_cast<TaskletObj*>(r.tasklet.o)->tasklet;
            if (t.kind() == spindle::TaskletKind::Native) {
                if (!reblock_native(r, c, t)) return false;
                continue;
            }
            auto* state = script_tasklet_state(t.script_state());
            if (!state || !state->started || !state->thread || state->thread->pending == Pending::None)
                return fail(r.at, "a channel's blocked tasklet is not waiting in a call");
            if (!t.paused() || t.blocked()) return fail(r.at, "a tasklet is blocked on two channels");
            if (!c.block_paused(t, r.direction)) return fail(r.at, "cannot block the tasklet on its channel");
        }
        if (!native_pending_.empty()) return fail(native_pending_.front().at, "a native tasklet holds a value to send but is blocked on no channel");
        return true;
    }

    // An iterator must be one the VM could have made: its position inside
    // its source (on a code point boundary for a str), and a range
    // iterator's next value a whole number of steps from its end, so that
    // stepping to the end cannot overflow. Until its parts are read and
    // checked it is an exhausted range iterator: script code run meanwhile
    // (a __hash__) may reach it.
    [[gnu::noinline]] bool read_iterator(std::size_t at, Value& out) {
        using pickle_format::IteratorKind;
        std::uint8_t kind = 0;
        if (!byte(kind, "an iterator kind")) return false;
        if (kind >= static_cast<std::uint8_t>(IteratorKind::Count_)) return fail(at, "unknown iterator kind " + std::to_string(kind));
        auto* it = in_.heap().make<IteratorObj>(IterKind::Range);
        out = Value::object(it);
        remember(out);
        switch (static_cast<IteratorKind>(kind)) {
            case IteratorKind::Range: return range_iterator(at, *it);
            case IteratorKind::Sequence:
            case IteratorKind::Str: return sequence_iterator(*it, static_cast<IteratorKind>(kind) == IteratorKind::Str);
            case IteratorKind::GetItem: return getitem_iterator(*it);
            case IteratorKind::Reversed: return reversed_iterator(*it);
            case IteratorKind::Enumerate:
            case IteratorKind::Zip:
            case IteratorKind::Map:
            case IteratorKind::Filter: return composite_iterator(at, *it, static_cast<IteratorKind>(kind));
            case IteratorKind::Dict:
            case IteratorKind::Set:
                if (!options_.whole_game) return fail(at, "a dict or set iterator is only valid in a save game");
                return table_iterator(at, *it, static_cast<IteratorKind>(kind) == IteratorKind::Set);
            case IteratorKind::Count_: break;
        }
        return fail(at, "unknown iterator kind " + std::to_string(kind));
    }

    bool range_iterator(std::size_t at, IteratorObj& it) {
        std::int64_t next = 0, end = 0, step = 0;
        if (!svarint(next, "a range iterator") || !svarint(end, "a range iterator") || !svarint(step, "a range iterator")) return false;
        const __int128 span = static_cast<__int128>(end) - next;
        if (step == 0 || (step > 0 ? span < 0 : span > 0) || span % step != 0) {
            return fail(at, "range iterator does not reach its end in whole steps");
        }
        it.index = next;
        it.end = end;
        it.step = step;
        return true;
    }

    bool sequence_iterator(IteratorObj& it, bool str_kind) {
        const std::size_t source_at = pos_;
        Value source;
        std::int64_t index = 0;
        if (!value(source) || !svarint(index, "an iterator position")) return false;
        const ObjKind k = source.is_obj() ? source.o->kind : ObjKind::Host;
        if (str_kind ? k != ObjKind::Str : (k != ObjKind::List && k != ObjKind::Tuple)) {
            return fail(source_at, std::string("iterator source is a ") + in_.type_name(source));
        }
        if (index < 0) return fail(source_at, "iterator position is negative");
        if (str_kind) {
            const auto& data = static_cast<StrObj*>(source.o)->data;
            if (static_cast<std::uint64_t>(index) > data.size() ||
                (static_cast<std::size_t>(index) < data.size() && (static_cast<unsigned char>(data[static_cast<std::size_t>(index)]) & 0xC0) == 0x80)) {
                return fail(source_at, "str iterator position is not a character boundary");
            }
        }
        it.source = source;
        it.index = index;
        it.iter_kind = str_kind ? IterKind::Str : IterKind::Sequence;
        return true;
    }

    // iter() of an object with __getitem__: any source (the VM looks
    // __getitem__ up at every step), a position from 0.
    bool getitem_iterator(IteratorObj& it) {
        const std::size_t source_at = pos_;
        Value source;
        std::int64_t index = 0;
        if (!value(source) || !svarint(index, "an iterator position")) return false;
        if (!source.is_obj()) return fail(source_at, std::string("iterator source is a ") + in_.type_name(source));
        if (index < 0) return fail(source_at, "iterator position is negative");
        it.source = source;
        it.index = index;
        it.step = 0;
        it.iter_kind = IterKind::Sequence;
        return true;
    }

    // reversed(): a list or tuple and the number of items left before the
    // position (the VM checks it against the length at every step); an
    // exhausted one, or zip() of nothing, has no source.
    bool reversed_iterator(IteratorObj& it) {
        const std::size_t source_at = pos_;
        Value source;
        std::int64_t index = 0;
        if (!value(source) || !svarint(index, "an iterator position")) return false;
        const bool sequence = source.is_obj() && (source.o->kind == ObjKind::List || source.o->kind == ObjKind::Tuple);
        if (!sequence && !(source.is_none() && index == 0)) return fail(source_at, std::string("reversed iterator source is a ") + in_.type_name(source));
        if (index < 0) return fail(source_at, "iterator position is negative");
        it.source = source;
        it.index = index;
        it.iter_kind = IterKind::Reversed;
        return true;
    }

    // enumerate, zip, map, filter: their parts are any values (iter_next
    // and call() check what they are given when they run).
    bool composite_iterator(std::size_t at, IteratorObj& it, pickle_format::IteratorKind kind) {
        using pickle_format::IteratorKind;
        std::int64_t count_from = 0;
        std::uint8_t strict = 0;
        std::size_t n = kind == IteratorKind::Enumerate ? 1 : 2;
        if (kind == IteratorKind::Enumerate && !svarint(count_from, "enumerate's count")) return false;
        // Far from the int64 edge: counting on from it must not overflow.
        if (count_from > (INT64_C(1) << 62) || count_from < -(INT64_C(1) << 62)) return fail(at, "enumerate's count is out of range");
        if (kind == IteratorKind::Zip && !byte(strict, "zip's strict flag")) return false;
        if (strict > 1) return fail(at, "bad zip strict flag");
        if (kind == IteratorKind::Zip || kind == IteratorKind::Map) {
            if (!count(n, 1, "an iterator's part count")) return false;
            if (n < (kind == IteratorKind::Zip ? 1u : 2u)) return fail(at, "too few iterators for zip or map");
        }
        tracked_vector<Value> parts;
        if (!items(parts, n)) return false;
        it.parts.assign(parts.begin(), parts.end());
        it.index = count_from;
        it.end = strict;
        it.iter_kind = kind == IteratorKind::Enumerate ? IterKind::Enumerate
                       : kind == IteratorKind::Zip     ? IterKind::Zip
                       : kind == IteratorKind::Map     ? IterKind::Map
                                                       : IterKind::Filter;
        return true;
    }

    // A save game's dict or set iterator. Its container may still be being
    // read (the iterator can sit inside it): the position is checked, and the
    // iterator made live, once the whole graph is read (table_iterators_done).
    bool table_iterator(std::size_t at, IteratorObj& it, bool set) {
        std::uint8_t which = 0;
        if (!set && !byte(which, "a dict iterator's kind")) return false;
        if (which > 2) return fail(at, "bad dict iterator kind");
        const std::size_t source_at = pos_;
        Value source;
        if (!value(source)) return false;
        TableIterator pending{&it, source, 0, 0, IterKind::Set, at};
        if (set) {
            if (!(source.is_none() || (source.is_obj() && source.o->kind == ObjKind::Set)))
                return fail(source_at, std::string("set iterator source is a ") + in_.type_name(source));
            if (!svarint(pending.index, "a set iterator position") || !svarint(pending.end, "a set iterator size")) return false;
            if (pending.index < 0) return fail(source_at, "iterator position is negative");
        } else {
            if (!(source.is_obj() && source.o->kind == ObjKind::Dict)) return fail(source_at, std::string("dict iterator source is a ") + in_.type_name(source));
            std::uint64_t live_before = 0;
            std::uint8_t stale = 0;
            if (!varint(live_before, "a dict iterator position") || !byte(stale, "a dict iterator's stale flag")) return false;
            if (stale > 1 || live_before > static_cast<std::uint64_t>(INT64_MAX)) return fail(source_at, "bad dict iterator position");
            pending.index = static_cast<std::int64_t>(live_before);
            pending.end = stale;
            pending.kind = which == 0 ? IterKind::DictKeys : which == 1 ? IterKind::DictValues : IterKind::DictItems;
        }
        table_iterators_.push_back(pending);
        return true;
    }

    // The dict a save game's dict iterator walks is read back without holes:
    // live entry k sits at index k.
    [[gnu::noinline]] bool table_iterators_done() {
        for (const TableIterator& p : table_iterators_) {
            IteratorObj& it = *p.it;
            if (p.kind == IterKind::Set) {
                if (p.source.is_obj() && static_cast<std::uint64_t>(p.index) > static_cast<SetObj*>(p.source.o)->slots.size())
                    return fail(p.at, "set iterator position is past its table");
                it.end = p.end;
            } else {
                const Table& t = static_cast<DictObj*>(p.source.o)->table;
                if (static_cast<std::uint64_t>(p.index) > t.entries.size()) return fail(p.at, "dict iterator position is past its dict");
                // A stale iterator (its dict changed size) raises at its next step.
                it.end = static_cast<std::int64_t>(t.keys_version) - p.end;
            }
            it.source = p.source;
            it.index = p.index;
            it.iter_kind = p.kind;
        }
        return true;
    }

    // ----- the `pickle` module's script hooks (pickler.cpp [HOOKS])

    // Script code must not see a tuple still being read (its hash and
    // length would change under it).
    static constexpr const char* incomplete_tuple = "script code would be given a tuple that is not complete yet";

    bool hooks_allowed(std::size_t at) {
        if (options_.script_hooks) return true;
        return fail(at, "a record that calls script code (REDUCE, NEWOBJ or GLOBAL_VALUE), allowed only in pickle.loads");
    }

    // REDUCE: callable(*args). Errors the call raises are the script's own
    // and pass through unchanged, as in CPython.
    [[gnu::noinline]] bool read_reduce(std::size_t at, Value& out) {
        if (!hooks_allowed(at)) return false;
        const std::size_t slot = remember(Value::undef());  // args may not refer to it
        Value callable, args;
        if (!value(callable)) return false;
        const std::size_t args_at = pos_;
        if (!value(args)) return false;
        if (!(args.is_obj() && args.o->kind == ObjKind::Tuple)) return fail(args_at, "REDUCE arguments are not a tuple");
        if (reaches_open_tuple(args)) return fail(args_at, incomplete_tuple);
        const auto& items = static_cast<TupleObj*>(args.o)->items;
        if (!in_.call(callable, items.data(), static_cast<std::uint32_t>(items.size()), out)) return false;
        memo_[slot] = out;
        std::uint8_t parts = 0;
        if (!byte(parts, "REDUCE's parts")) return false;
        if (parts & ~pickle_format::kReducePartsKnown) return fail(at, "unknown REDUCE parts");
        if ((parts & pickle_format::kListItems) && !reduce_list_items(out)) return false;
        if ((parts & pickle_format::kDictItems) && !reduce_dict_items(out)) return false;
        return !(parts & pickle_format::kState) || read_build(out);
    }

    // obj.append(item) for each, as CPython 3.7 loads APPENDS into a non-list.
    bool reduce_list_items(Value obj) {
        std::size_t n = 0;
        if (!count(n, 1, "REDUCE list item count")) return false;
        Value append;
        if (n && !in_.get_attr(obj, in_.intern("append"), append)) return false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t item_at = pos_;
            Value item, ignored;
            if (!value(item)) return false;
            if (reaches_open_tuple(item)) return fail(item_at, incomplete_tuple);
            if (!in_.call(append, &item, 1, ignored)) return false;
        }
        return true;
    }

    bool reduce_dict_items(Value obj) {
        std::size_t n = 0;
        if (!count(n, 2, "REDUCE dict item count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t item_at = pos_;
            Value k, v;
            if (!value(k) || !value(v)) return false;
            if (reaches_open_tuple(k) || reaches_open_tuple(v)) return fail(item_at, incomplete_tuple);
            if (!in_.set_item(obj, k, v)) return false;
        }
        return true;
    }

    // NEWOBJ: cls.__new__(cls, *args) for protocols 2 and up (when the class
    // defines __new__), else a plain instance; then BUILD.
    [[gnu::noinline]] bool read_newobj(std::size_t at, Value& out) {
        if (!hooks_allowed(at)) return false;
        const std::size_t slot = remember(Value::undef());
        ClassObj* cls;
        if (!class_value(cls, false)) return false;
        if (cls == in_.stackless_atomic_class()) return fail(at, "NEWOBJ of stackless.atomic");
        const std::size_t args_at = pos_;
        Value args;
        if (!value(args)) return false;
        if (!(args.is_obj() && args.o->kind == ObjKind::Tuple)) return fail(args_at, "NEWOBJ arguments are not a tuple");
        if (reaches_open_tuple(args)) return fail(args_at, incomplete_tuple);
        std::uint8_t flags = 0;
        if (!byte(flags, "NEWOBJ flags")) return false;
        if (flags > 7) return fail(at, "unknown NEWOBJ flags");
        const Value new_fn = in_.lookup_in_class(cls, in_.names.new_);
        if (flags & 4) {
            // Keyword arguments: kept for the record. The writer gives them only
            // for a class made as object.__new__ makes it, which ignores them.
            const std::size_t kwargs_at = pos_;
            Value kwargs;
            if (!value(kwargs)) return false;
            if (!(kwargs.is_obj() && kwargs.o->kind == ObjKind::Dict)) return fail(kwargs_at, "NEWOBJ keyword arguments are not a dict");
            if (new_fn.is_obj() && new_fn.o->kind == ObjKind::Function)
                return fail(kwargs_at, "NEWOBJ keyword arguments for a class with its own __new__");
        }
        if ((flags & 2) && new_fn.is_obj() && new_fn.o->kind == ObjKind::Function) {
            tracked_vector<Value> call_args{Value::object(cls)};
            const auto& items = static_cast<TupleObj*>(args.o)->items;
            call_args.insert(call_args.end(), items.begin(), items.end());
            if (!in_.call(new_fn, call_args.data(), static_cast<std::uint32_t>(call_args.size()), out)) return false;
        } else {
            out = Value::object(in_.heap().make<InstanceObj>(cls));
        }
        memo_[slot] = out;
        return !(flags & 1) || read_build(out);
    }

    // BUILD, as CPython's: obj.__setstate__(state) if it has one; else the
    // state is a dict of attributes, or a (dict or None, dict) pair.
    [[gnu::noinline]] bool read_build(Value obj) {
        const std::size_t state_at = pos_;
        Value state;
        if (!value(state)) return false;
        if (reaches_open_tuple(state)) return fail(state_at, incomplete_tuple);
        const Value setstate = in_.lookup_in_class(in_.type_of(obj), in_.intern("__setstate__"));
        if (!setstate.is_undef()) {
            Value args[2] = {obj, state}, ignored;
            return in_.call(setstate, args, 2, ignored);
        }
        Value slot_state;
        if (state.is_obj() && state.o->kind == ObjKind::Tuple && static_cast<TupleObj*>(state.o)->items.size() == 2) {
            slot_state = static_cast<TupleObj*>(state.o)->items[1];
            state = static_cast<TupleObj*>(state.o)->items[0];
        }
        return state_attributes(obj, state, "state is not a dictionary") &&
               state_attributes(obj, slot_state, "slot state is not a dictionary");
    }

    bool state_attributes(Value obj, Value state, const char* not_dict) {
        if (state.is_none()) return true;
        if (!(state.is_obj() && state.o->kind == ObjKind::Dict)) return raise_pickle_error(in_, PickleError::Unpickling, not_dict);
        const Table& t = static_cast<DictObj*>(state.o)->table;
        for (std::int64_t i = table::next_live(t, 0); i >= 0; i = table::next_live(t, i + 1)) {
            const Table::Entry& e = t.entries[static_cast<std::size_t>(i)];
            if (!(e.key.is_obj() && e.key.o->kind == ObjKind::Str))
                return in_.raise_type_error(std::string("attribute name must be string, not '") + in_.type_name(e.key) + "'");
            if (!in_.set_attr(obj, interned(static_cast<StrObj*>(e.key.o)), e.value)) return false;
        }
        return true;
    }

    // A save game's dict view.
    [[gnu::noinline]] bool read_dict_view(std::size_t at, Value& out) {
        const std::size_t slot = remember(Value());
        std::uint8_t which = 0;
        if (!byte(which, "a dict view's kind")) return false;
        if (which > 2) return fail(at, "bad dict view kind");
        const std::size_t dict_at = pos_;
        Value d;
        if (!value(d)) return false;
        if (!(d.is_obj() && d.o->kind == ObjKind::Dict)) return fail(dict_at, std::string("dict view source is a ") + in_.type_name(d));
        const IterKind k = which == 0 ? IterKind::DictKeys : which == 1 ? IterKind::DictValues : IterKind::DictItems;
        out = memo_[slot] = Value::object(in_.heap().make<DictViewObj>(static_cast<DictObj*>(d.o), k));
        return true;
    }

    // An unstarted script tasklet: alive (if it had arguments) and paused,
    // as Stackless unpickles one; insert() schedules it.
    [[gnu::noinline]] bool tasklet(std::size_t at, Value& out) {
        std::uint8_t flags = 0;
        if (!tasklet_flags(at, flags)) return false;
        if (flags & pickle_format::kNative) {
            if (subclass_.cls) return fail(at, "a native tasklet as a subclass instance");
            return native_tasklet(at, flags, out);
        }
        ScriptTaskletState* state = nullptr;
        out = new_script_tasklet(state);
        return run_subclass_init(at, out) && script_tasklet_body(at, flags, out, *state);
    }

    bool tasklet_flags(std::size_t at, std::uint8_t& flags) {
        if (!byte(flags, "tasklet flags")) return false;
        if (flags & ~pickle_format::kTaskletFlagsKnown) return fail(at, "unknown tasklet flags");
        if ((flags & pickle_format::kHasArgs) && !(flags & pickle_format::kHasFunction)) return fail(at, "tasklet has arguments but no function");
        return true;
    }

    // A script tasklet not bound to anything yet, in the memo.
    Value new_script_tasklet(ScriptTaskletState*& raw) {
        const spindle::Tasklet t = ScriptTaskletState::create(raw);
        const Value out = in_.wrap_tasklet(t);
        place(out);
        if (options_.runtime_objects) options_.runtime_objects->push_back(out);
        return out;
    }

    // A tasklet or channel just made takes its memo index: the one its
    // SUBCLASSED record reserved before its class (the `pickle` module's
    // layout), with that class, or the next.
    void place(Value out) {
        if (!subclass_.cls) {
            remember(out);
            return;
        }
        memo_[subclass_.slot] = out;
        give_class(out, subclass_.cls, nullptr);
        subclass_init_ = subclass_.cls;
        subclass_ = {};
    }

    // As Stackless makes a subclass instance it unpickles, by calling the
    // class with no arguments: a script __init__ runs on the new, empty
    // tasklet or channel (in pickle.loads only), then its state is read in.
    // What that __init__ binds is replaced by the saved state, as
    // Stackless's __setstate__ replaces it.
    bool run_subclass_init(std::size_t at, Value out) {
        ClassObj* cls = std::exchange(subclass_init_, nullptr);
        if (!cls || !options_.script_hooks) return true;
        const Value init = in_.lookup_in_class(cls, in_.names.init);
        if (!(init.is_obj() && init.o->kind == ObjKind::Function)) return true;
        Value ignored;
        if (!in_.call(init, &out, 1, ignored)) return false;
        if (out.o->kind != ObjKind::Tasklet) return true;
        spindle::Tasklet& t = static_cast<TaskletObj*>(out.o)->tasklet;
        auto* state = static_cast<ScriptTaskletState*>(t.script_state());
        if (t.alive() || !state) return fail(at, "the __init__ of tasklet subclass '" + std::string(cls->name->view()) + "' set the tasklet up");
        state->unbind();
        state->drop_arguments();
        return true;
    }

    bool script_tasklet_body(std::size_t at, std::uint8_t flags, Value out, ScriptTaskletState& state) {
        spindle::Tasklet& t = static_cast<TaskletObj*>(out.o)->tasklet;
        ScriptTaskletState* raw = &state;
        const bool has_function = (flags & pickle_format::kHasFunction) != 0;
        const bool has_args = (flags & pickle_format::kHasArgs) != 0;
        const std::size_t name_at = pos_;
        Value name;
        if (!value(name)) return false;
        if (!name.is_none() && !(name.is_obj() && name.o->kind == ObjKind::Str)) return fail(name_at, "tasklet name is not a str");
        if (flags & pickle_format::kStarted) {
            if (has_function || has_args) return fail(at, "a started tasklet has a bound function");
            return started_tasklet(at, flags, t, *raw, name);
        }
        Value function = Value::undef(), args = Value::undef(), kwargs = Value::undef();
        if (has_function) {
            const std::size_t fn_at = pos_;
            if (!value(function)) return false;
            const bool callable = function.is_obj() && (function.o->kind == ObjKind::Function || function.o->kind == ObjKind::Native ||
                                                        function.o->kind == ObjKind::BoundMethod || function.o->kind == ObjKind::Class);
            if (!callable) return fail(fn_at, "tasklet function is not callable");
            const std::size_t args_at = pos_;
            if (!value(args)) return false;
            if (!(args.is_obj() && args.o->kind == ObjKind::Tuple)) return fail(args_at, "tasklet args is not a tuple");
            const std::size_t kwargs_at = pos_;
            if (!value(kwargs)) return false;
            if (kwargs.is_none()) kwargs = Value::undef();
            else if (!(kwargs.is_obj() && kwargs.o->kind == ObjKind::Dict)) return fail(kwargs_at, "tasklet kwargs is not a dict");
        }
        try {
            t.bind_script(has_function, has_args);
            if (name.is_obj()) t.set_name(std::string(static_cast<StrObj*>(name.o)->view()));
            t.set_atomic((flags & pickle_format::kAtomic) != 0);
            t.set_ignore_nesting((flags & pickle_format::kIgnoreNesting) != 0);
            t.set_block_trap((flags & pickle_format::kBlockTrap) != 0);
        } catch (...) {
            in_.raise_native_exception(std::current_exception());
            return vm_failed(at, "making a tasklet");
        }
        if (has_function) {
            const auto& items = static_cast<TupleObj*>(args.o)->items;
            if (has_args) raw->bind(function, items.data(), static_cast<std::uint32_t>(items.size()), kwargs);
            else raw->set_function(function);
        }
        return true;
    }

    // A native tasklet: the factory registered for its type name makes it
    // from the saved state (spindle/tasklet.hpp NativeRestore), paused.
    [[gnu::noinline]] bool native_tasklet(std::size_t at, std::uint8_t flags, Value& out) {
        if (flags & (pickle_format::kHasFunction | pickle_format::kHasArgs | pickle_format::kStarted))
            return fail(at, "a native tasklet with script tasklet fields");
        const std::size_t slot = remember(Value::undef());  // a REF to it before it exists is refused
        natives_in_making_.insert(slot);                     // (but in its channel's queue: read_channel)
        // Its place in the save's id list is taken now, in the order the writer took it.
        const std::size_t id_slot = options_.runtime_objects ? options_.runtime_objects->size() : 0;
        if (options_.runtime_objects) options_.runtime_objects->push_back(Value());
        const std::size_t name_at = pos_;
        Value name;
        if (!value(name)) return false;
        if (!name.is_none() && !(name.is_obj() && name.o->kind == ObjKind::Str)) return fail(name_at, "tasklet name is not a str");
        StrObj* type;
        std::uint8_t kind = 0;
        if (!str(type, "a native tasklet's type name") || !byte(kind, "a native tasklet's state kind")) return false;
        const std::string type_name(type->view());
        const spindle::NativeRestoreFactory* factory = spindle::find_native_restore(type_name);
        if (!factory) return fail(at, "no restore factory is registered for native tasklet type '" + type_name + "'");
        spindle::Payload state;
        if (kind == 0) {
            std::size_t n = 0;
            if (!count(n, 1, "a native tasklet's state size")) return false;
            state = spindle::Payload::of(std::string(data_.substr(pos_, n)));
            pos_ += n;
        } else if (kind == 1) {
            Value v;
            if (!value(v)) return false;
            state = to_payload(v);
        } else {
            return fail(at, "unknown native tasklet state kind " + std::to_string(kind));
        }
        // A blocked sender's value: it blocks again with it (reblock).
        Value pending = Value::undef();
        if ((flags & pickle_format::kHasTempval) && !value(pending)) return false;
        spindle::Tasklet t;
        try {
            t = (*factory)(std::move(state));
            if (!t || t.kind() != spindle::TaskletKind::Native || !t.alive() || t.scheduled())
                return fail(at, "the restore factory of '" + type_name + "' did not make a paused native tasklet");
            if (!t.restore_interface()) return fail(at, "the restore factory of '" + type_name + "' made a tasklet without a restore interface");
            if (name.is_obj()) t.set_name(std::string(static_cast<StrObj*>(name.o)->view()));
            t.set_atomic((flags & pickle_format::kAtomic) != 0);
            t.set_ignore_nesting((flags & pickle_format::kIgnoreNesting) != 0);
            t.set_block_trap((flags & pickle_format::kBlockTrap) != 0);
        } catch (const std::exception& e) {
            return fail(at, "the restore factory of '" + type_name + "' failed: " + e.what());
        }
        out = in_.wrap_tasklet(t);
        memo_[slot] = out;
        if (options_.runtime_objects) (*options_.runtime_objects)[id_slot] = out;
        if (!pending.is_undef()) native_pending_.push_back({out, pending, at});
        return true;
    }

    bool slot(Value& out) {
        allow_ = kAllowSlot | kAllowCode;  // the frame verifier decides where a code may stand
        return value(out);
    }

    bool u32(std::uint32_t& out, const char* what) {
        const std::size_t at = pos_;
        std::uint64_t v = 0;
        if (!varint(v, what)) return false;
        if (v > UINT32_MAX) return fail(at, std::string(what) + " is too large");
        out = static_cast<std::uint32_t>(v);
        return true;
    }

    bool str_or_none(StrObj*& out, const char* what) {
        const std::size_t at = pos_;
        Value v;
        if (!value(v)) return false;
        if (v.is_none()) out = nullptr;
        else if (v.is_obj() && v.o->kind == ObjKind::Str) out = interned(static_cast<StrObj*>(v.o));
        else return fail(at, std::string(what) + " is not a str");
        return true;
    }

    // CODE: read as data only. A frame runs the function's current code if
    // it is the same (code_equal), else this code once the validator
    // (code_validator.hpp) has passed it; unvalidated, it never runs.
    [[gnu::noinline]] bool read_code(std::size_t at, Value& out) {
        auto* c = in_.heap().make<CodeObj>();
        out = Value::object(c);
        code_slots_.push_back(remember(out));
        std::uint8_t flags = 0;
        std::int64_t first_line = 0;
        if (!str_or_none(c->qualname, "code qualname") || !str_or_none(c->name, "code name") ||
            !str_or_none(c->filename, "code filename") ||
            !svarint(first_line, "code") || !u32(c->arg_count, "code") || !u32(c->kwonly_count, "code") ||
            !byte(flags, "code") || !u32(c->local_count, "code") || !u32(c->cell_count, "code") ||
            !u32(c->free_count, "code") || !u32(c->max_stack, "code")) {
            return false;
        }
        if (flags > 3) return fail(at, "unknown code flags");
        c->first_line = static_cast<std::int32_t>(first_line);
        c->has_varargs = (flags & 1) != 0;
        c->has_varkw = (flags & 2) != 0;
        std::size_t n = 0;
        if (!count(n, 1, "code size")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t w = 0;
            if (!u32(w, "an instruction")) return false;
            c->code.push_back(w);
        }
        if (!count(n, 1, "constant count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            allow_ = kAllowCode;
            Value k;
            if (!value(k)) return false;
            c->constants.push_back(k);
        }
        if (!count(n, 1, "name count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            StrObj* name;
            if (!str(name, "a code name")) return false;
            c->names.push_back(interned(name));
        }
        if (!count(n, 1, "local name count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            StrObj* name;
            if (!str(name, "a local name")) return false;
            c->local_names.push_back(interned(name));
        }
        if (!count(n, 1, "cell table size")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            std::int64_t k = 0;
            if (!svarint(k, "a cell index")) return false;
            c->cell_of_local.push_back(static_cast<std::int32_t>(k));
        }
        if (!count(n, 2, "line table size")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t pc = 0;
            std::int64_t line = 0;
            if (!u32(pc, "a line entry") || !svarint(line, "a line entry")) return false;
            c->lines.push_back(LineEntry{pc, static_cast<std::int32_t>(line)});
        }
        return true;
    }

    // FUNCTION: a function by content. Until it is read and its code
    // validated it is a function that returns None: script code run
    // meanwhile (a __hash__) may reach it through the memo.
    [[gnu::noinline]] bool read_function(std::size_t at, Value& out) {
        auto* fn = in_.heap().make<FunctionObj>();
        fn->code = placeholder_code();
        fn->name = fn->qualname = fn->code->qualname;
        fn->module = in_.builtins_module();
        out = Value::object(fn);
        remember(out);
        const std::size_t code_at = pos_;
        Value code, module;
        allow_ = kAllowCode;
        if (!value(code)) return false;
        if (!(code.is_obj() && code.o->kind == ObjKind::Code)) return fail(code_at, "a function's code is not code");
        auto* c = static_cast<CodeObj*>(code.o);
        const std::size_t module_at = pos_;
        if (!value(module)) return false;
        if (!(module.is_obj() && module.o->kind == ObjKind::Module)) return fail(module_at, "a function's module is not a module");
        StrObj *name, *qualname;
        if (!str(name, "a function name") || !str(qualname, "a function qualname")) return false;
        const std::string who = "function '" + std::string(qualname->view()) + "'";
        if (options_.check_code) {
            auto [checked, fresh] = checked_code_.try_emplace(c);
            if (fresh) checked->second = options_.check_code(*c);
            if (!checked->second.empty()) return fail(code_at, who + ": " + checked->second);
        }
        std::size_t n = 0;
        tracked_vector<Value> defaults, kw_defaults;
        tracked_vector<bool> kw_present;
        if (!count(n, 1, "default count")) return false;
        if (n > c->arg_count) return fail(at, who + ": more defaults than positional parameters");
        for (std::size_t i = 0; i < n; ++i) {
            Value d;
            if (!value(d)) return false;
            defaults.push_back(d);
        }
        if (!count(n, 1, "keyword default count")) return false;
        if (n != 0 && n != c->kwonly_count) return fail(at, who + ": keyword defaults do not match the keyword-only parameters");
        for (std::size_t i = 0; i < n; ++i) {
            std::uint8_t present = 0;
            Value d;
            if (!byte(present, "a keyword default")) return false;
            if (present > 1) return fail(at, who + ": bad keyword default flag");
            if (present && !value(d)) return false;
            kw_defaults.push_back(d);
            kw_present.push_back(present != 0);
        }
        if (!count(n, 1, "closure size")) return false;
        if (n != c->free_count) return fail(at, who + ": " + std::to_string(n) + " closure cells for " + std::to_string(c->free_count) + " free variables");
        tracked_vector<CellObj*> closure;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t cell_at = pos_;
            Value cell;
            if (!slot(cell)) return false;
            if (!(cell.is_obj() && cell.o->kind == ObjKind::Cell)) return fail(cell_at, who + ": a closure entry is not a cell");
            closure.push_back(static_cast<CellObj*>(cell.o));
        }
        const std::string problem = validate_code(*c, &verify_cache_.validated);
        if (!problem.empty()) return fail(code_at, who + ": its code cannot run: " + problem);
        fn->code = c;
        fn->module = static_cast<ModuleObj*>(module.o);
        fn->name = interned(name);
        fn->qualname = interned(qualname);
        fn->defaults = std::move(defaults);
        fn->kw_defaults = std::move(kw_defaults);
        fn->kw_default_present = std::move(kw_present);
        fn->closure = std::move(closure);
        const std::size_t class_at = pos_;
        Value cls;
        if (!value(cls)) return false;
        if (cls.is_obj() && cls.o->kind == ObjKind::Class) fn->defining_class = static_cast<ClassObj*>(cls.o);
        else if (!cls.is_none()) return fail(class_at, who + ": its defining class is not a class");
        return true;
    }

    // `return None`, the code of a function still being read.
    CodeObj* placeholder_code() {
        auto* c = in_.heap().make<CodeObj>();
        c->name = c->qualname = c->filename = in_.intern("<loading>");
        c->code.push_back(encode(Op::LOAD_NONE, 0));
        c->code.push_back(encode(Op::RETURN_VALUE, 0));
        c->max_stack = 1;
        return c;
    }

    static bool same_str(const StrObj* a, const StrObj* b) {
        if (!a || !b) return a == b;
        return a->view() == b->view();
    }

    static bool constant_equal(Value a, Value b, int depth) {
        if (a.tag != b.tag || depth > 100) return false;
        switch (a.tag) {
            case vm::Tag::None: case vm::Tag::Undef: return true;
            case vm::Tag::Bool: return a.b == b.b;
            case vm::Tag::Int: return a.i == b.i;
            case vm::Tag::Float: return std::memcmp(&a.f, &b.f, sizeof a.f) == 0;
            case vm::Tag::Obj: break;
        }
        if (a.o->kind != b.o->kind) return false;
        switch (a.o->kind) {
            case ObjKind::Str: return same_str(static_cast<StrObj*>(a.o), static_cast<StrObj*>(b.o));
            case ObjKind::Tuple: {
                const auto& x = static_cast<TupleObj*>(a.o)->items;
                const auto& y = static_cast<TupleObj*>(b.o)->items;
                if (x.size() != y.size()) return false;
                for (std::size_t i = 0; i < x.size(); ++i) if (!constant_equal(x[i], y[i], depth + 1)) return false;
                return true;
            }
            case ObjKind::Code: return code_equal(*static_cast<CodeObj*>(a.o), *static_cast<CodeObj*>(b.o), depth + 1);
            default: return a.o == b.o;
        }
    }

public:
    static bool same_code(const CodeObj& a, const CodeObj& b) { return code_equal(a, b, 0); }

private:
    static bool code_equal(const CodeObj& a, const CodeObj& b, int depth) {
        if (a.code != b.code || a.arg_count != b.arg_count || a.kwonly_count != b.kwonly_count ||
            a.has_varargs != b.has_varargs || a.has_varkw != b.has_varkw || a.local_count != b.local_count ||
            a.cell_count != b.cell_count || a.free_count != b.free_count || a.max_stack != b.max_stack ||
            a.constants.size() != b.constants.size() || a.names.size() != b.names.size() ||
            a.local_names.size() != b.local_names.size() || a.cell_of_local != b.cell_of_local ||
            a.lines.size() != b.lines.size() || !same_str(a.qualname, b.qualname)) {
            return false;
        }
        for (std::size_t i = 0; i < a.names.size(); ++i) if (!same_str(a.names[i], b.names[i])) return false;
        for (std::size_t i = 0; i < a.local_names.size(); ++i) if (!same_str(a.local_names[i], b.local_names[i])) return false;
        for (std::size_t i = 0; i < a.lines.size(); ++i)
            if (a.lines[i].pc != b.lines[i].pc || a.lines[i].line != b.lines[i].line) return false;
        for (std::size_t i = 0; i < a.constants.size(); ++i) if (!constant_equal(a.constants[i], b.constants[i], depth)) return false;
        return true;
    }

    // A tasklet that has run: its thread is read whole, then verified
    // against the code of its frames; only then does it become alive.
    [[gnu::noinline]] bool started_tasklet(std::size_t at, std::uint8_t flags, spindle::Tasklet& t, ScriptTaskletState& state, Value name) {
        Value tempval = Value::undef();
        std::uint8_t tempval_kind = 0;
        if (flags & pickle_format::kHasTempval) {
            const std::size_t tempval_at = pos_;
            if (!value(tempval) || !byte(tempval_kind, "a tempval kind")) return false;
            if (tempval_kind > 1) return fail(tempval_at, "unknown tempval kind " + std::to_string(tempval_kind));
            if (tempval_kind == 1 && !(tempval.is_obj() && tempval.o->kind == ObjKind::Exception))
                return fail(tempval_at, "a tasklet's pending exception is not an exception");
        }
        std::uint8_t pending = 0;
        if (!byte(pending, "tasklet pending")) return false;
        if (pending > static_cast<std::uint8_t>(Pending::SelfResult) || pending == static_cast<std::uint8_t>(Pending::Watchdog))
            return fail(at, "tasklet pending state " + std::to_string(pending) + " cannot be resumed");
        auto th = std::make_unique<Thread>();
        th->pending = static_cast<Pending>(pending);
        if (!u32(th->result_slot, "tasklet result slot") || !value(th->handled_exception)) return false;
        // The stack is read into scratch_stack_ (shared with the tasklets its
        // slots reach, each using the part above its own start) and moved
        // into the thread once the frames tell its final size: one
        // allocation, not one for the saved slots and another for the room
        // above them.
        const std::size_t stack_at = scratch_stack_.size();
        const struct Truncate {
            std::vector<Value>& v;
            std::size_t to;
            ~Truncate() { v.resize(to); }
        } truncate{scratch_stack_, stack_at};
        std::size_t n = 0;
        if (!count(n, 1, "tasklet stack size")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            Value v;
            if (!slot(v)) return false;
            scratch_stack_.push_back(v);
        }
        if (!count(n, 4, "tasklet block count")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            std::uint8_t kind = 0;
            Block b{Block::Finally, 0, 0, Value()};
            if (!byte(kind, "a block")) return false;
            if (kind > Block::ExceptHandler) return fail(at, "unknown block kind " + std::to_string(kind));
            b.kind = static_cast<Block::Kind>(kind);
            if (!u32(b.handler, "a block") || !u32(b.level, "a block") || !value(b.saved_exception)) return false;
            th->blocks.push_back(b);
        }
        if (!count(n, 10, "tasklet frame count")) return false;
        th->frames.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            Frame f;
            const std::size_t fn_at = pos_;
            Value fn, code;
            if (!value(fn)) return false;
            if (!(fn.is_obj() && fn.o->kind == ObjKind::Function)) return fail(fn_at, "a frame's function is not a script function");
            f.function = static_cast<FunctionObj*>(fn.o);
            const FunctionObj* function = f.function;
            const auto who = [function] {  // error messages only
                return "function '" + std::string(function->qualname ? function->qualname->view() : "?") + "'";
            };
            const std::size_t code_at = pos_;
            allow_ = kAllowCode;
            if (!value(code)) return false;
            if (!(code.is_obj() && code.o->kind == ObjKind::Code)) return fail(code_at, "a frame's code is not code");
            // The frame resumes the code that ran: the function's own if it
            // is unchanged (its caches are warm), else the saved code, once
            // the validator has passed it; new calls get the current code.
            // (Compared once per saved code and function: shared code is one memo entry.)
            auto [same, fresh] = same_code_.try_emplace(std::pair(code.o, f.function->code), false);
            if (fresh) same->second = code_equal(*static_cast<CodeObj*>(code.o), *f.function->code, 0);
            f.code = same->second ? f.function->code : static_cast<CodeObj*>(code.o);
            if (!same->second) {
                const std::string problem = validate_code(*f.code, &verify_cache_.validated);
                if (!problem.empty()) {
                    return fail(code_at, who() + " has changed since the save, and its saved code cannot run: " + problem);
                }
            }
            std::uint8_t on_return = 0;
            std::uint32_t stack_base = 0;
            if (!u32(f.pc, "a frame") || !u32(f.base, "a frame") || !u32(stack_base, "a frame") || !u32(f.sp, "a frame") ||
                !u32(f.block_base, "a frame") || !byte(on_return, "a frame") || !u32(f.return_arg, "a frame") ||
                !slot(f.aux) || !slot(f.aux2)) {
                return false;
            }
            if (on_return > static_cast<std::uint8_t>(ReturnAction::Nested)) return fail(at, who() + ": on_return: unknown kind");
            if (f.code != code.o) remap_code_constants(std::span(scratch_stack_).subspan(stack_at), f, *static_cast<CodeObj*>(code.o));
            f.on_return = static_cast<ReturnAction>(on_return);
            // A frame keeps no stack_base (Frame::stack_base() derives it): the saved one must be the derived one.
            if (stack_base != std::uint64_t{f.base} + f.code->local_count + f.code->free_count)
                return fail(at, "tasklet frames do not fit their code: " + who() + ": stack_base: does not leave room for exactly the local slots");
            th->frames.push_back(f);
        }
        // Room for the top frame's whole value stack, as a call would have
        // made. (Sized before the verifier has passed the frames only when
        // the top frame's value stack starts within the saved slots, as the
        // verifier requires: a hostile base must not size an allocation.
        // Its code's max_stack is bounded: compiled, or passed by the validator.)
        const std::size_t saved = scratch_stack_.size() - stack_at;
        std::size_t needed = saved;
        if (!th->frames.empty()) {
            const Frame& top = th->frames.back();
            const std::uint64_t stack_base = std::uint64_t{top.base} + top.code->local_count + top.code->free_count;
            if (stack_base <= saved) needed = std::max<std::size_t>(saved, stack_base + top.code->max_stack + 1);
        }
        th->stack.reserve(needed);
        th->stack.assign(scratch_stack_.data() + stack_at, scratch_stack_.data() + scratch_stack_.size());
        const std::string problem = verify_thread(in_, *th, 1000, &verify_cache_);
        if (!problem.empty()) return fail(at, "tasklet frames do not fit their code: " + problem);
        th->stack.resize(needed, Value::undef());
        try {
            t.bind_script(false, false);
            if (name.is_obj()) t.set_name(std::string(static_cast<StrObj*>(name.o)->view()));
            t.set_atomic((flags & pickle_format::kAtomic) != 0);
            t.set_ignore_nesting((flags & pickle_format::kIgnoreNesting) != 0);
            t.set_block_trap((flags & pickle_format::kBlockTrap) != 0);
            if (tempval_kind == 1) t.set_tempval(spindle::Payload::bomb(std::make_exception_ptr(ScriptException(tempval, in_.type_name(tempval)))));
            else if (!tempval.is_undef()) t.set_tempval(to_payload(tempval));
        } catch (...) {
            in_.raise_native_exception(std::current_exception());
            return vm_failed(at, "making a tasklet");
        }
        state.thread = th.release();
        state.owns_thread = true;
        state.charge_thread();
        state.started = true;
        in_.scheduler().mark_script_started(t);
        return true;
    }

    // A frame that runs its function's current code (equal to the saved
    // one) may hold the saved code's nested code constants on its value
    // stack (preempted inside `def`): they become the current code's own,
    // which the frame verifier requires there.
    static void remap_code_constants(std::span<Value> stack, const Frame& f, const CodeObj& saved) {
        const std::size_t end = std::min<std::size_t>(f.sp, stack.size());
        for (std::size_t k = f.stack_base(); k < end; ++k) {
            const Value v = stack[k];
            if (!(v.is_obj() && v.o->kind == ObjKind::Code)) continue;
            for (std::size_t j = 0; j < saved.constants.size() && j < f.code->constants.size(); ++j) {
                if (saved.constants[j].is_obj() && saved.constants[j].o == v.o) {
                    stack[k] = f.code->constants[j];
                    break;
                }
            }
        }
    }

    // ----- save games: script modules, functions and classes by content

    // Made empty before its globals are read, so they can name it.
    [[gnu::noinline]] bool read_script_module(std::size_t at, Value& out) {
        const std::size_t slot = remember(Value());
        StrObj* name;
        StrObj* filename;
        if (!str(name, "module name") || !str(filename, "module filename")) return false;
        auto* m = in_.heap().make<ModuleObj>();
        m->name = in_.intern(name->view());
        m->filename = in_.intern(filename->view());
        m->globals = in_.new_dict();
        out = memo_[slot] = Value::object(m);
        const std::size_t globals_at = pos_;
        Value globals;
        if (!value(globals)) return false;
        if (!(globals.is_obj() && globals.o->kind == ObjKind::Dict)) return fail(globals_at, "module globals are not a dict");
        m->globals = static_cast<DictObj*>(globals.o);
        (void)at;
        return true;
    }

    // A base the VM could have built a script class on.
    bool usable_base(const ClassObj* base) const {
        return base == in_.types.object || base->is_exception || base == in_.stackless_tasklet_class() ||
               base == in_.stackless_channel_class() || (!base->is_builtin && !base->host);
    }

    [[gnu::noinline]] bool read_class(std::size_t at, Value& out) {
        const std::size_t slot = remember(Value());
        StrObj* name;
        if (!str(name, "class name")) return false;
        const std::size_t base_at = pos_;
        Value base;
        if (!value(base)) return false;
        ClassObj* base_cls = nullptr;
        if (base.is_obj() && base.o->kind == ObjKind::Class) base_cls = static_cast<ClassObj*>(base.o);
        else if (!base.is_none()) return fail(base_at, "class '" + std::string(name->view()) + "': its base is not a class");
        if (base_cls && !usable_base(base_cls)) {
            return fail(base_at, "class '" + std::string(name->view()) + "': cannot derive from '" + std::string(base_cls->name->view()) + "'");
        }
        ClassObj* cls = in_.new_class(name->view(), base_cls, false);
        // A subclass of stackless.tasklet or channel makes its runtime object as its base does.
        if (base_cls && base_cls->constructor) cls->constructor = base_cls->constructor;
        out = memo_[slot] = Value::object(cls);
        const std::size_t dict_at = pos_;
        Value ns;
        if (!value(ns)) return false;
        if (!(ns.is_obj() && ns.o->kind == ObjKind::Dict)) return fail(dict_at, "class '" + std::string(name->view()) + "': its namespace is not a dict");
        cls->dict = static_cast<DictObj*>(ns.o);
        // A forwarded namespace is empty until its DEFINE.
        if (pending(ns.o)) waiting_classes_.push_back(cls);
        else class_module_name(cls);
        (void)at;
        return true;
    }

    void class_module_name(ClassObj* cls) {
        const std::int64_t pos = table::find_interned(cls->dict->table, in_.names.module);
        if (pos >= 0) {
            const Value m = cls->dict->table.entries[static_cast<std::size_t>(pos)].value;
            if (m.is_obj() && m.o->kind == ObjKind::Str) cls->module_name = in_.intern(static_cast<StrObj*>(m.o)->view());
        }
        in_.classes_changed();
    }

    bool exception_extras(std::size_t at, ExceptionObj& e) {
        auto exception_or_none = [&](Value& v, const char* what) {
            const std::size_t v_at = pos_;
            if (!value(v)) return false;
            if (!v.is_none() && !(v.is_obj() && v.o->kind == ObjKind::Exception)) return fail(v_at, std::string("exception ") + what + " is not an exception");
            return true;
        };
        std::uint8_t suppress = 0;
        if (!exception_or_none(e.cause, "cause") || !exception_or_none(e.context, "context") ||
            !byte(suppress, "suppress_context"))
            return false;
        if (suppress > 1) return fail(at, "bad suppress_context flag");
        e.suppress_context = suppress != 0;
        std::size_t n = 0;
        if (!count(n, 2, "traceback size")) return false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t code_at = pos_;
            allow_ = kAllowCode;
            Value code;
            std::int64_t line = 0;
            if (!value(code)) return false;
            if (!(code.is_obj() && code.o->kind == ObjKind::Code)) return fail(code_at, "a traceback entry's code is not code");
            if (!svarint(line, "a traceback line")) return false;
            if (line < INT32_MIN || line > INT32_MAX) return fail(code_at, "a traceback line is out of range");
            e.traceback.push_back(TraceEntry{static_cast<CodeObj*>(code.o), static_cast<std::int32_t>(line)});
        }
        return true;
    }

    // A dict entry or set item (value undefined) that waits for the DEFINEs.
    struct Waiting {
        Value container;
        Value key;
        Value value;
        std::size_t at;
    };
    struct WaitingLayout {
        SetObj* set;
        tracked_vector<Value> items;
        SetLayout layout;
        std::size_t at;
    };

    struct Reblock {
        Value channel;
        Value tasklet;
        int direction;
        std::size_t at;
        std::size_t memo_index;  // SIZE_MAX, or where `tasklet` will be (native_in_making)
    };
    // A native tasklet read with a value to send.
    struct NativePending {
        Value tasklet;
        Value value;
        std::size_t at;
    };

    // A restored native tasklet takes its place in the queue without having
    // run, a sender with its value (ChannelObject::block_restored).
    bool reblock_native(const Reblock& r, spindle::ChannelObject& c, const spindle::Tasklet& t) {
        auto pending = std::find_if(native_pending_.begin(), native_pending_.end(),
                                    [&](const NativePending& p) { return p.tasklet.o == r.tasklet.o; });
        Payload value;
        if (pending != native_pending_.end()) {
            if (r.direction < 0) return fail(r.at, "a native tasklet blocked receiving holds a value to send");
            value = to_payload(pending->value);
            native_pending_.erase(pending);
        }
        if (!c.block_restored(t, r.direction, std::move(value))) return fail(r.at, "cannot block the native tasklet on its channel");
        return true;
    }


    // UnpickleOptions::read_for_good, at every kReadReportStep bytes.
    static constexpr std::size_t kReadReportStep = std::size_t{1} << 20;
    [[gnu::noinline, gnu::cold]] void report_read(std::size_t at) {
        options_.read_for_good(at);
        next_read_report_ = at + kReadReportStep;
    }

    Interpreter& in_;
    std::string_view data_;
    std::size_t pos_ = 0;
    std::size_t next_read_report_ = SIZE_MAX;
    std::uint32_t depth_ = 0;
    std::vector<Value> memo_;
    std::vector<std::uint64_t> code_slots_;  // the memo indexes of CODE records, ascending
    std::vector<const Obj*> open_;  // the objects being read, outermost first: a tuple, or null for any other
    std::size_t open_tuples_ = 0;
    PointerMap<StrObj*> interned_;
    std::uint8_t allow_ = 0;
    std::vector<Reblock> blocks_;  // memo_ keeps their objects alive
    std::vector<Value> scratch_stack_;  // started_tasklet's
    std::vector<NativePending> native_pending_;
    std::unordered_set<std::size_t> natives_in_making_;  // memo slots of native tasklet records  // until reblock() blocks them with their values
    VerifyCache verify_cache_;
    // SUBCLASSED (the `pickle` module's layout): the class and reserved memo
    // index for the tasklet or channel record that follows; then the class
    // whose __init__ is still to run on the object that record made.
    struct PendingSubclass {
        ClassObj* cls = nullptr;
        std::size_t slot = 0;
    };
    PendingSubclass subclass_;
    ClassObj* subclass_init_ = nullptr;
    // A save game's dict and set iterators, made live at the end.
    struct TableIterator {
        IteratorObj* it;
        Value source;
        std::int64_t index, end;
        IterKind kind;
        std::size_t at;
    };
    std::vector<TableIterator> table_iterators_;
    std::unordered_set<const Obj*> cell_tuples_;  // read as CELLS: only frame slots may refer to them
    std::map<std::pair<const Obj*, const CodeObj*>, bool> same_code_;
    std::vector<Forward> forwards_;
    std::unordered_map<const Obj*, std::size_t> forward_of_;  // shell -> its forwards_ entry
    std::size_t forwards_pending_ = 0;                        // not defined yet
    std::vector<Waiting> waiting_items_;                      // memo_ keeps their objects alive
    std::vector<WaitingLayout> waiting_layouts_;
    std::vector<ClassObj*> waiting_classes_;
    const UnpickleOptions& options_;
    std::unordered_map<const CodeObj*, std::string> checked_code_;
};

}  // namespace

bool same_code(const CodeObj& a, const CodeObj& b) { return Unpickler::same_code(a, b); }

bool pickle_loads(Interpreter& in, std::string_view data, Value& out, const UnpickleOptions& options) {
    // Past the memory cap the objects made so far are garbage: the collector
    // takes them back.
    try {
        Unpickler u(in, data, options);
        if (!u.run(out)) return false;
        in.heap().after_load();
        return true;
    } catch (const std::bad_alloc&) {
        return in.raise_memory_error();
    }
}

}  // namespace spindle::vm
