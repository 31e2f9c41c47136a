// "Did you mean" hints for uncaught NameError and AttributeError, as CPython
// 3.11 appends them to the last line of a traceback (Python/suggestions.c):
// the candidate closest to the missing name by a Levenshtein distance where
// a case change costs 1 and any other edit 2, within a third of the names'
// combined length.
//
// An AttributeError raised by the VM records the object and the name (as
// CPython's .obj and .name); candidates are then dir(obj), sorted. A NameError's candidates
// are the failing frame's local variables, then its module's globals, then
// the builtins, in that order.
#include "vm/suggestions.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "vm/table.hpp"

namespace spindle::vm {
namespace {

constexpr std::size_t kMaxCandidates = 750;
constexpr std::size_t kMaxStringSize = 40;
constexpr std::size_t kMoveCost = 2;
constexpr std::size_t kCaseCost = 1;

std::size_t substitution_cost(char a, char b) {
    if ((a & 31) != (b & 31)) return kMoveCost;
    if (a == b) return 0;
    if ('A' <= a && a <= 'Z') a = static_cast<char>(a + ('a' - 'A'));
    if ('A' <= b && b <= 'Z') b = static_cast<char>(b + ('a' - 'A'));
    return a == b ? kCaseCost : kMoveCost;
}

// CPython's levenshtein_distance over UTF-8 bytes, giving up past max_cost.
std::size_t distance(std::string_view a, std::string_view b, std::size_t max_cost) {
    while (!a.empty() && !b.empty() && a.front() == b.front()) {
        a.remove_prefix(1);
        b.remove_prefix(1);
    }
    while (!a.empty() && !b.empty() && a.back() == b.back()) {
        a.remove_suffix(1);
        b.remove_suffix(1);
    }
    if (a.empty() || b.empty()) return (a.size() + b.size()) * kMoveCost;
    if (a.size() > kMaxStringSize || b.size() > kMaxStringSize) return max_cost + 1;
    if (b.size() < a.size()) std::swap(a, b);
    if ((b.size() - a.size()) * kMoveCost > max_cost) return max_cost + 1;
    std::size_t buffer[kMaxStringSize];
    for (std::size_t i = 0; i < a.size(); ++i) buffer[i] = (i + 1) * kMoveCost;
    std::size_t result = 0;
    for (std::size_t bi = 0; bi < b.size(); ++bi) {
        const char code = b[bi];
        std::size_t dist = result = bi * kMoveCost;
        std::size_t minimum = SIZE_MAX;
        for (std::size_t ai = 0; ai < a.size(); ++ai) {
            const std::size_t substitute = dist + substitution_cost(code, a[ai]);
            dist = buffer[ai];
            const std::size_t insert_delete = std::min(result, dist) + kMoveCost;
            result = std::min(insert_delete, substitute);
            buffer[ai] = result;
            minimum = std::min(minimum, result);
        }
        if (minimum > max_cost) return max_cost + 1;
    }
    return result;
}

// The closest candidate, or an empty view.
std::string_view closest(const std::vector<std::string_view>& candidates, std::string_view name) {
    if (candidates.size() >= kMaxCandidates) return {};
    std::size_t best_distance = SIZE_MAX;
    std::string_view best;
    bool found = false;
    for (std::string_view item : candidates) {
        if (item == name) continue;
        std::size_t max_distance = (name.size() + item.size() + 3) * kMoveCost / 6;
        if (best_distance != SIZE_MAX) max_distance = std::min(max_distance, best_distance - 1);
        const std::size_t d = distance(name, item, max_distance);
        if (d > max_distance) continue;
        if (!found || d < best_distance) {
            best = item;
            best_distance = d;
            found = true;
        }
    }
    return best;
}

void add_keys(const Table& t, std::vector<std::string_view>& out) {
    for (const Table::Entry& e : t.entries) {
        if (!e.deleted && e.key.is_obj() && e.key.o->kind == ObjKind::Str) out.push_back(static_cast<StrObj*>(e.key.o)->view());
    }
}

// What dir(cls) lists: the dicts of the class and its bases, and object's.
void add_class_names(Interpreter& in, const ClassObj* cls, std::vector<std::string_view>& out) {
    for (const ClassObj* c = cls; c != nullptr; c = c->base) {
        if (c->dict) add_keys(c->dict->table, out);
        if (!c->is_builtin) {
            for (const char* n : {"__dict__", "__doc__", "__module__", "__weakref__"}) out.emplace_back(n);
        }
    }
    for (const char* n : {"__class__", "__delattr__", "__dir__", "__doc__", "__eq__", "__format__", "__ge__",
                          "__getattribute__", "__gt__", "__hash__", "__init__", "__init_subclass__", "__le__", "__lt__",
                          "__ne__", "__new__", "__reduce__", "__reduce_ex__", "__repr__", "__setattr__", "__sizeof__",
                          "__str__", "__subclasshook__"})
        out.emplace_back(n);
    (void)in;
}

void add_instance_names(const InstanceObj* inst, std::vector<std::string_view>& out) {
    for (const Shape* s = inst->shape; s != nullptr && s->key != nullptr; s = s->parent) out.push_back(s->key->view());
    if (inst->dict) add_keys(inst->dict->table, out);
}

// dir(obj), sorted and without duplicates.
std::vector<std::string_view> dir_of(Interpreter& in, Value obj) {
    std::vector<std::string_view> names;
    if (obj.is_obj() && obj.o->kind == ObjKind::Module) {
        auto* m = static_cast<ModuleObj*>(obj.o);
        add_keys(m->globals->table, names);
        for (const char* n : {"__doc__", "__loader__", "__name__", "__package__", "__spec__"}) names.emplace_back(n);
        if (m->filename) {
            for (const char* n : {"__builtins__", "__cached__", "__file__"}) names.emplace_back(n);
        }
    } else if (obj.is_obj() && obj.o->kind == ObjKind::Class) {
        add_class_names(in, static_cast<ClassObj*>(obj.o), names);
    } else {
        if (obj.is_obj() && (obj.o->kind == ObjKind::Instance || obj.o->kind == ObjKind::Exception))
            add_instance_names(static_cast<InstanceObj*>(obj.o), names);
        if (obj.is_obj() && obj.o->kind == ObjKind::Exception) {
            for (const char* n : {"__cause__", "__context__", "__setstate__", "__suppress_context__", "__traceback__",
                                  "add_note", "args", "with_traceback"})
                names.emplace_back(n);
        }
        add_class_names(in, in.type_of(obj), names);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

// The module whose code raised: by the file of the innermost traceback entry.
ModuleObj* module_of(Interpreter& in, const CodeObj* code) {
    const std::string_view file = code->filename->view();
    std::string_view stem = file.substr(file.find_last_of('/') + 1);
    if (stem.size() > 3 && stem.substr(stem.size() - 3) == ".py") stem.remove_suffix(3);
    for (const std::string_view candidate : {stem, std::string_view("__main__")}) {
        ModuleObj* m = in.find_module(in.intern(candidate));
        if (m && m->filename && m->filename->view() == file) return m;
    }
    return nullptr;
}

}  // namespace

void note_attribute_error(Interpreter& in, Value object, StrObj* name) {
    Value exc = in.take_pending();
    if (exc.is_obj() && exc.o->kind == ObjKind::Exception) {
        auto* e = static_cast<ExceptionObj*>(exc.o);
        e->hint_object = object;
        e->hint_name = name;
    }
    in.raise_value(exc);
}

std::string error_suggestion(Interpreter& in, Value exception, std::string_view message) {
    if (!(exception.is_obj() && exception.o->kind == ObjKind::Exception)) return "";
    auto* e = static_cast<ExceptionObj*>(exception.o);
    std::string_view found;
    if (e->cls == in.types.AttributeError) {
        if (!e->hint_name) return "";
        const std::vector<std::string_view> names = dir_of(in, e->hint_object);
        found = closest(names, e->hint_name->view());
    } else if (e->cls == in.types.NameError && !e->traceback.empty()) {
        constexpr std::string_view prefix = "name '", suffix = "' is not defined";
        if (message.size() <= prefix.size() + suffix.size() || message.substr(0, prefix.size()) != prefix ||
            message.substr(message.size() - suffix.size()) != suffix)
            return "";
        const std::string_view name = message.substr(prefix.size(), message.size() - prefix.size() - suffix.size());
        const CodeObj* code = e->traceback.front().code;  // the innermost frame
        std::vector<std::string_view> names;
        for (std::uint32_t i = 0; i < code->local_count && i < code->local_names.size(); ++i)
            names.push_back(code->local_names[i]->view());
        found = closest(names, name);
        if (found.empty()) {
            names.clear();
            if (ModuleObj* m = module_of(in, code)) add_keys(m->globals->table, names);
            found = closest(names, name);
        }
        if (found.empty()) {
            names.clear();
            add_keys(in.builtins_module()->globals->table, names);
            found = closest(names, name);
        }
    }
    if (found.empty()) return "";
    return ". Did you mean: '" + std::string(found) + "'?";
}

}  // namespace spindle::vm
