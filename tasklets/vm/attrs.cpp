// Attributes, classes and dunder operators. Index:
//   [SHAPES]     instance layouts shared between instances
//   [LOOKUP]     get_attr / set_attr / del_attr / load_method
//   [CLASSES]    __build_class__ and finishing a class body
//   [DUNDERS]    operators on instances as heap frames, with reflected fallback
#include <cstring>

#include "script/ast.hpp"
#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"
#include "vm/opcodes.hpp"
#include "vm/suggestions.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

// ============================================================================
// [SHAPES]
// ============================================================================

Shape* Interpreter::shape_with(Shape* shape, StrObj* key) {
    for (auto& [name, next] : shape->transitions) {
        if (name == key) return next;
    }
    auto child = std::make_unique<Shape>();
    child->parent = shape;
    child->key = key;
    child->slot_count = shape->slot_count + 1;
    Shape* raw = child.get();
    shapes_.push_back(std::move(child));
    shape->transitions.emplace_back(key, raw);
    return raw;
}

namespace {

// Past this many attributes an instance keeps a dict instead of a shape.
constexpr std::uint32_t kMaxShapeSlots = 64;

}  // namespace

// ============================================================================
// [LOOKUP]
// ============================================================================

Value Interpreter::lookup_in_class(const ClassObj* cls, const StrObj* name) const noexcept {
    for (const ClassObj* c = cls; c != nullptr; c = c->base) {
        if (!c->dict) continue;
        const std::int64_t pos = table::find_interned(c->dict->table, name);
        if (pos >= 0) return c->dict->table.entries[static_cast<std::size_t>(pos)].value;
    }
    if (cls != types.object && types.object && types.object->dict) {
        const std::int64_t pos = table::find_interned(types.object->dict->table, name);
        if (pos >= 0) return types.object->dict->table.entries[static_cast<std::size_t>(pos)].value;
    }
    return Value::undef();
}

namespace {

bool is_static_native(Value v) {
    return v.is_obj() && v.o->kind == ObjKind::Native && static_cast<NativeObj*>(v.o)->is_static;
}

// What a class attribute read through an instance binds to it.
bool is_function_like(Value v) {
    return v.is_obj() && (v.o->kind == ObjKind::Function || v.o->kind == ObjKind::Native) && !is_static_native(v);
}

// A code object's co_* attributes that a script may read (what a frame's
// f_code is asked for: its name, file and lines, and its variables).
bool code_attr(Interpreter& in, const CodeObj* code, std::string_view name, Value& out) {
    const auto text = [](const StrObj* s) { return s ? Value::object(const_cast<StrObj*>(s)) : Value(); };
    if (name == "co_name") out = text(code->name);
    else if (name == "co_qualname") out = text(code->qualname);
    else if (name == "co_filename") out = text(code->filename);
    else if (name == "co_firstlineno") out = Value::integer(code->first_line);
    else if (name == "co_argcount") out = Value::integer(code->arg_count);
    else if (name == "co_kwonlyargcount") out = Value::integer(code->kwonly_count);
    else if (name == "co_nlocals" || name == "co_varnames") {
        // Parameters and plain locals; a local that only a closure's cell
        // holds is a cell variable, not one of these (as in CPython).
        const std::uint32_t params = code->arg_count + code->kwonly_count + (code->has_varargs ? 1 : 0) + (code->has_varkw ? 1 : 0);
        std::vector<bool> cell(code->local_count, false);  // the slots the prologue's MAKE_CELLs wrap
        for (const std::uint32_t word : code->code) {
            if ((word & 0xff) == static_cast<std::uint32_t>(Op::MAKE_CELL) && (word >> 8) < cell.size()) cell[word >> 8] = true;
        }
        TupleObj* names = in.new_tuple();
        for (std::uint32_t i = 0; i < code->local_count && i < code->local_names.size(); ++i) {
            if (i < params || !cell[i]) names->items.push_back(Value::object(code->local_names[i]));
        }
        out = name == "co_nlocals" ? Value::integer(static_cast<std::int64_t>(names->items.size())) : Value::object(names);
    } else {
        return false;
    }
    return true;
}

}  // namespace

bool Interpreter::get_attr(Value object, StrObj* name, Value& out) {
    if (!name->interned) name = intern(name->view());
    if (object.is_obj()) {
        switch (object.o->kind) {
            case ObjKind::Instance:
            case ObjKind::Exception: {
                auto* inst = static_cast<InstanceObj*>(object.o);
                if (inst->cls == types.super_) return super_attr(inst, name, out);
                if (inst->shape) {
                    const std::int32_t slot = inst->shape->find(name);
                    if (slot >= 0) {
                        out = inst->slots[static_cast<std::size_t>(slot)];
                        return true;
                    }
                } else if (inst->dict) {
                    const std::int64_t pos = table::find_interned(inst->dict->table, name);
                    if (pos >= 0) {
                        out = inst->dict->table.entries[static_cast<std::size_t>(pos)].value;
                        return true;
                    }
                }
                if (object.o->kind == ObjKind::Exception) {
                    auto* e = static_cast<ExceptionObj*>(object.o);
                    if (name->view() == "args") {
                        out = Value::object(e->args ? e->args : new_tuple());
                        return true;
                    }
                    if (name->view() == "__cause__") {
                        out = e->cause.is_undef() ? Value() : e->cause;
                        return true;
                    }
                    if (name->view() == "__context__") {
                        out = e->context.is_undef() ? Value() : e->context;
                        return true;
                    }
                    if (name->view() == "__suppress_context__") {
                        out = Value::boolean(e->suppress_context);
                        return true;
                    }
                }
                if (name == names.class_) {
                    out = Value::object(inst->cls);
                    return true;
                }
                if (name == names.dict) {
                    // The instance's own dict, live as in CPython
                    // (`self.__dict__.update(state)` in a __setstate__): the
                    // attributes move out of their shape slots into it for good.
                    if (inst->shape || !inst->dict) {
                        DictObj* d = new_dict();
                        std::vector<Shape*> chain;  // shapes run newest-first
                        for (Shape* s = inst->shape; s && s->key; s = s->parent) chain.push_back(s);
                        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                            if (!table::insert(*this, d->table, Value::object((*it)->key), inst->slots[(*it)->slot_count - 1])) return false;
                        }
                        if (inst->dict) table::copy(inst->dict->table, d->table);
                        inst->dict = d;
                        inst->shape = nullptr;
                        inst->slots.clear();
                    }
                    out = Value::object(inst->dict);
                    return true;
                }
                break;
            }
            case ObjKind::Module: {
                auto* m = static_cast<ModuleObj*>(object.o);
                const std::int64_t pos = table::find_interned(m->globals->table, name);
                if (pos >= 0) {
                    out = m->globals->table.entries[static_cast<std::size_t>(pos)].value;
                    return true;
                }
                if (name == names.dict) {
                    out = Value::object(m->globals);
                    return true;
                }
                if (m->dynamic_attr) {
                    Value args[2] = {object, Value::object(name)};
                    if (!m->dynamic_attr(*this, CallArgs{args, 2, nullptr}, out)) return false;
                    if (!out.is_undef()) return true;
                }
                raise(types.AttributeError, "module '" + std::string(m->name->view()) + "' has no attribute '" +
                                                std::string(name->view()) + "'");
                note_attribute_error(*this, object, name);
                return false;
            }
            case ObjKind::Class: {
                auto* c = static_cast<ClassObj*>(object.o);
                Value v = lookup_in_class(c, name);
                if (!v.is_undef()) {
                    out = v;  // functions come back plain: C.f(self) works as in Python 3
                    return true;
                }
                if (name == names.name) {
                    out = Value::object(c->name);
                    return true;
                }
                if (name == names.qualname) {
                    Value q = lookup_in_class(c, names.qualname);
                    out = q.is_undef() ? Value::object(c->name) : q;
                    return true;
                }
                if (name == names.module) {
                    out = c->module_name ? Value::object(c->module_name) : str("builtins");
                    return true;
                }
                if (name->view() == "__bases__") {
                    TupleObj* t = new_tuple();
                    if (c->base) t->items.push_back(Value::object(c->base));
                    else if (c != types.object) t->items.push_back(Value::object(types.object));
                    out = Value::object(t);
                    return true;
                }
                if (name == names.dict) {
                    // The namespace may be changed through this dict behind our
                    // back: method caches must not trust it any more.
                    classes_changed();
                    out = Value::object(c->dict);
                    return true;
                }
                raise(types.AttributeError, "type object '" + std::string(c->name->view()) + "' has no attribute '" +
                                                std::string(name->view()) + "'");
                note_attribute_error(*this, object, name);
                return false;
            }
            case ObjKind::Function: {
                auto* f = static_cast<FunctionObj*>(object.o);
                if (name == names.name) {
                    out = Value::object(f->name);
                    return true;
                }
                if (name == names.qualname) {
                    out = Value::object(f->qualname);
                    return true;
                }
                if (name == names.module) {
                    out = Value::object(f->module->name);
                    return true;
                }
                if (name->view() == "__code__") {
                    out = Value::object(f->code);
                    return true;
                }
                break;
            }
            case ObjKind::Code:
                if (code_attr(*this, static_cast<const CodeObj*>(object.o), name->view(), out)) return true;
                break;
            case ObjKind::Native:
                if (name == names.name) {
                    out = Value::object(static_cast<NativeObj*>(object.o)->name);
                    return true;
                }
                break;
            case ObjKind::Tasklet:
            case ObjKind::Channel: {
                bool found = false;
                if (!runtime_attr(object, name, out, found)) return false;
                if (found) return true;
                if (DictObj* d = runtime_object_dict(object)) {
                    const std::int64_t pos = table::find_interned(d->table, name);
                    if (pos >= 0) {
                        out = d->table.entries[static_cast<std::size_t>(pos)].value;
                        return true;
                    }
                }
                break;
            }
            case ObjKind::Host: {
                bool found = false;
                if (!host_get_attr(object, name, out, found)) return false;
                if (found) return true;
                break;
            }
            case ObjKind::Range:
            case ObjKind::Slice: {  // start, stop, step
                const std::string_view n = name->view();
                const int which = n == "start" ? 0 : n == "stop" ? 1 : n == "step" ? 2 : -1;
                if (which < 0) break;
                if (object.o->kind == ObjKind::Range) {
                    auto* r = static_cast<RangeObj*>(object.o);
                    out = Value::integer(which == 0 ? r->start : which == 1 ? r->stop : r->step);
                } else {
                    auto* s = static_cast<SliceObj*>(object.o);
                    out = which == 0 ? s->start : which == 1 ? s->stop : s->step;
                }
                return true;
            }
            default: break;
        }
    }
    ClassObj* cls = type_of(object);
    Value v = lookup_in_class(cls, name);
    if (!v.is_undef()) {
        if (v.is_obj() && v.o->kind == ObjKind::Function && name != names.new_) {  // (__new__ is implicitly static)
            out = Value::object(heap_.make<BoundMethodObj>(object, v));
        } else if (v.is_obj() && v.o->kind == ObjKind::Native && !is_static_native(v)) {
            auto* native = static_cast<NativeObj*>(v.o);
            NativeObj* bound = new_native(native->name->view(), native->fn, object);
            bound->data = native->data;
            out = Value::object(bound);
        } else {
            out = v;
        }
        return true;
    }
    if (name == names.class_) {
        out = Value::object(cls);
        return true;
    }
    if (!object.is_obj() && number_attribute(object, name, out)) return true;
    raise(types.AttributeError, std::string("'") + type_name(object) + "' object has no attribute '" +
                                    std::string(name->view()) + "'");
    note_attribute_error(*this, object, name);
    return false;
}

// super(): slot 0 is the class to start after, slot 1 the bound object.
bool Interpreter::super_attr(InstanceObj* super, StrObj* name, Value& out) {
    auto* start = static_cast<ClassObj*>(super->slots[0].o);
    const Value self = super->slots[1];
    Value v = Value::undef();
    for (const ClassObj* c = start->base; c != nullptr && v.is_undef(); c = c->base) {
        if (!c->dict) continue;
        const std::int64_t pos = table::find_interned(c->dict->table, name);
        if (pos >= 0) v = c->dict->table.entries[static_cast<std::size_t>(pos)].value;
    }
    if (v.is_undef() && types.object->dict) {
        const std::int64_t pos = table::find_interned(types.object->dict->table, name);
        if (pos >= 0) v = types.object->dict->table.entries[static_cast<std::size_t>(pos)].value;
    }
    if (v.is_undef()) return raise(types.AttributeError, "'super' object has no attribute '" + std::string(name->view()) + "'");
    if (v.is_obj() && v.o->kind == ObjKind::Function && name != names.new_) {
        out = Value::object(heap_.make<BoundMethodObj>(self, v));
    } else if (v.is_obj() && v.o->kind == ObjKind::Native && !is_static_native(v)) {
        auto* native = static_cast<NativeObj*>(v.o);
        NativeObj* bound = new_native(native->name->view(), native->fn, self);
        bound->data = native->data;
        out = Value::object(bound);
    } else {
        out = v;
    }
    return true;
}

bool Interpreter::load_method(Value self, StrObj* name, Value& method, bool& unbound) {
    if (name == names.new_) {  // implicitly static: never given self
        unbound = false;
        return get_attr(self, name, method);
    }
    if (self.is_obj() && (self.o->kind == ObjKind::Instance || self.o->kind == ObjKind::Exception)) {
        auto* inst = static_cast<InstanceObj*>(self.o);
        const bool shadowed = inst->shape ? inst->shape->find(name) >= 0
                                          : (inst->dict && table::find_interned(inst->dict->table, name) >= 0);
        // A super object finds methods past its class (get_attr), not in `super`.
        if (!shadowed && inst->cls != types.super_) {
            Value v = lookup_in_class(inst->cls, name);
            if (is_function_like(v)) {
                method = v;
                unbound = true;
                return true;
            }
        }
    } else if (!self.is_obj() || (self.o->kind != ObjKind::Module && self.o->kind != ObjKind::Class)) {
        Value v = lookup_in_class(type_of(self), name);
        if (is_function_like(v)) {
            method = v;
            unbound = true;
            return true;
        }
    }
    unbound = false;
    return get_attr(self, name, method);
}

bool Interpreter::set_attr(Value object, StrObj* name, Value value) {
    if (!name->interned) name = intern(name->view());
    if (object.is_obj()) {
        switch (object.o->kind) {
            case ObjKind::Instance:
            case ObjKind::Exception: {
                auto* inst = static_cast<InstanceObj*>(object.o);
                if (name == names.dict) {
                    // `self.__dict__ = state`: the dict becomes the instance's own.
                    if (!(value.is_obj() && value.o->kind == ObjKind::Dict))
                        return raise_type_error(std::string("__dict__ must be set to a dictionary, not a '") + type_name(value) + "'");
                    inst->dict = static_cast<DictObj*>(value.o);
                    inst->shape = nullptr;
                    inst->slots.clear();
                    return true;
                }
                if (object.o->kind == ObjKind::Exception && name->view() == "args") {
                    tracked_vector<Value> items;
                    if (!to_list(value, items)) return false;
                    auto* e = static_cast<ExceptionObj*>(inst);
                    e->args = new_tuple();
                    e->args->items.swap(items);
                    return true;
                }
                if (object.o->kind == ObjKind::Exception && name->view() == "__cause__") {
                    auto* e = static_cast<ExceptionObj*>(inst);
                    e->cause = value;
                    e->suppress_context = true;
                    return true;
                }
                if (inst->shape) {
                    const std::int32_t slot = inst->shape->find(name);
                    if (slot >= 0) {
                        inst->slots[static_cast<std::size_t>(slot)] = value;
                        return true;
                    }
                    if (inst->shape->slot_count < kMaxShapeSlots) {
                        inst->shape = shape_with(inst->shape, name);
                        inst->slots.push_back(value);
                        return true;
                    }
                    // Too many attributes: move them into a dict.
                    DictObj* d = new_dict();
                    std::vector<Shape*> chain;
                    for (Shape* s = inst->shape; s && s->key; s = s->parent) chain.push_back(s);
                    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                        if (!table::insert(*this, d->table, Value::object((*it)->key), inst->slots[(*it)->slot_count - 1])) return false;
                    }
                    inst->dict = d;
                    inst->shape = nullptr;
                    inst->slots.clear();
                }
                return table::insert(*this, inst->dict->table, Value::object(name), value);
            }
            case ObjKind::Class: {
                auto* c = static_cast<ClassObj*>(object.o);
                if (c->is_builtin) {
                    return raise_type_error("cannot set '" + std::string(name->view()) + "' attribute of immutable type '" +
                                            std::string(c->name->view()) + "'");
                }
                ++c->version;
                classes_changed();
                return table::insert(*this, c->dict->table, Value::object(name), value);
            }
            case ObjKind::Module:
                return table::insert(*this, static_cast<ModuleObj*>(object.o)->globals->table, Value::object(name), value);
            case ObjKind::Tasklet:
            case ObjKind::Channel: {
                bool found = false;
                if (!runtime_set_attr(object, name, value, found)) return false;
                if (found) return true;
                // An instance of a script subclass takes attributes of its own.
                if (ClassObj* cls = type_of(object); !cls->is_builtin) {
                    DictObj*& d = object.o->kind == ObjKind::Tasklet ? static_cast<TaskletObj*>(object.o)->dict
                                                                     : static_cast<ChannelObj*>(object.o)->dict;
                    if (!d) d = new_dict();
                    return table::insert(*this, d->table, Value::object(name), value);
                }
                break;
            }
            case ObjKind::Host: {
                bool found = false;
                if (!host_set_attr(object, name, value, found)) return false;
                if (found) return true;
                break;
            }
            default: break;
        }
    }
    Value existing = lookup_in_class(type_of(object), name);
    if (existing.is_undef()) {
        return raise(types.AttributeError, std::string("'") + type_name(object) + "' object has no attribute '" +
                                               std::string(name->view()) + "'");
    }
    return raise(types.AttributeError, std::string("'") + type_name(object) + "' object attribute '" +
                                           std::string(name->view()) + "' is read-only");
}

bool Interpreter::del_attr(Value object, StrObj* name) {
    if (!name->interned) name = intern(name->view());
    if (object.is_obj() && (object.o->kind == ObjKind::Instance || object.o->kind == ObjKind::Exception)) {
        auto* inst = static_cast<InstanceObj*>(object.o);
        if (inst->shape) {
            if (inst->shape->find(name) < 0) {
                return raise(types.AttributeError, std::string("'") + type_name(object) + "' object has no attribute '" +
                                                       std::string(name->view()) + "'");
            }
            // Deleting breaks the shape's order guarantee: fall back to a dict.
            DictObj* d = new_dict();
            std::vector<Shape*> chain;
            for (Shape* s = inst->shape; s && s->key; s = s->parent) chain.push_back(s);
            for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                if ((*it)->key == name) continue;
                if (!table::insert(*this, d->table, Value::object((*it)->key), inst->slots[(*it)->slot_count - 1])) return false;
            }
            inst->dict = d;
            inst->shape = nullptr;
            inst->slots.clear();
            return true;
        }
        bool found = false;
        if (inst->dict && !table::remove(*this, inst->dict->table, Value::object(name), found)) return false;
        if (found) return true;
        return raise(types.AttributeError, std::string("'") + type_name(object) + "' object has no attribute '" +
                                               std::string(name->view()) + "'");
    }
    if (object.is_obj() && object.o->kind == ObjKind::Class && !static_cast<ClassObj*>(object.o)->is_builtin) {
        auto* c = static_cast<ClassObj*>(object.o);
        bool found = false;
        if (!table::remove(*this, c->dict->table, Value::object(name), found)) return false;
        ++c->version;
        classes_changed();
        if (found) return true;
        return raise(types.AttributeError, "type object '" + std::string(c->name->view()) + "' has no attribute '" +
                                               std::string(name->view()) + "'");
    }
    if (object.is_obj() && object.o->kind == ObjKind::Host) {
        // Deleting a bound attribute is assigning nothing: never allowed.
        bool found = false;
        if (!host_set_attr(object, name, Value::undef(), found)) return false;
    }
    if (object.is_obj() && object.o->kind == ObjKind::Module) {
        bool found = false;
        if (!table::remove(*this, static_cast<ModuleObj*>(object.o)->globals->table, Value::object(name), found)) return false;
        if (found) return true;
    }
    return raise(types.AttributeError, std::string("'") + type_name(object) + "' object has no attribute '" +
                                           std::string(name->view()) + "'");
}

// ============================================================================
// [CLASSES]
// ============================================================================

// __build_class__(body, name[, base]): runs the body as a heap frame whose
// namespace becomes the class dict (see finish_class).
bool build_class_native(Interpreter& interp, const CallArgs& args, Value& result);

DictObj* Interpreter::runtime_object_dict(Value object) noexcept {
    if (!object.is_obj()) return nullptr;
    if (object.o->kind == ObjKind::Tasklet) return static_cast<TaskletObj*>(object.o)->dict;
    if (object.o->kind == ObjKind::Channel) return static_cast<ChannelObj*>(object.o)->dict;
    return nullptr;
}

void Interpreter::set_runtime_object_class(Value object, ClassObj* cls) noexcept {
    if (object.o->kind == ObjKind::Tasklet) static_cast<TaskletObj*>(object.o)->cls = cls;
    else if (object.o->kind == ObjKind::Channel) static_cast<ChannelObj*>(object.o)->cls = cls;
}

bool Interpreter::finish_class(Thread& t, Frame& body, Value& result) {
    DictObj* ns = body.names();
    auto* name = static_cast<StrObj*>(body.aux.o);
    const Value base_value = t.stack[body.base - 1];  // start_class_body left it in the result slot
    ClassObj* base = base_value.is_obj() ? static_cast<ClassObj*>(base_value.o) : nullptr;
    ClassObj* cls = new_class(name->view(), base, false);
    cls->dict = ns;
    // A subclass of stackless.tasklet or channel makes its runtime object the
    // way its base does (Interpreter::instantiate).
    if (base && subclassable_runtime_type(base)) cls->constructor = base->constructor;
    const std::int64_t pos = table::find_interned(ns->table, names.module);
    if (pos >= 0) {
        Value m = ns->table.entries[static_cast<std::size_t>(pos)].value;
        if (m.is_obj() && m.o->kind == ObjKind::Str) cls->module_name = static_cast<StrObj*>(m.o);
    }
    // Zero-argument super() needs each method's class.
    for (auto& e : ns->table.entries) {
        if (!e.deleted && e.value.is_obj() && e.value.o->kind == ObjKind::Function)
            static_cast<FunctionObj*>(e.value.o)->defining_class = cls;
    }
    // A class that defines __eq__ but not __hash__ is unhashable, as in Python.
    if (table::find_interned(ns->table, names.eq) >= 0 && table::find_interned(ns->table, names.hash) < 0) {
        if (!table::insert(*this, ns->table, Value::object(names.hash), Value())) return false;
    }
    result = Value::object(cls);
    return true;
}

// ============================================================================
// [DUNDERS]
// ============================================================================

namespace {

constexpr std::uint32_t kCompareFlag = 64;   // return_arg: a comparison, not an arithmetic operator
constexpr std::uint32_t kStageShift = 8;     // return_arg: which attempt this frame is
constexpr std::uint32_t kInvertFlag = 1u << 12;  // `!=` answered by inverting __eq__

const char* const kCompareForward[] = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"};
const char* const kCompareReflected[] = {"__eq__", "__ne__", "__gt__", "__ge__", "__lt__", "__le__"};

bool is_script_function(Value v) { return v.is_obj() && v.o->kind == ObjKind::Function; }

}  // namespace

// Pushes a frame calling function(self, other); its result comes back to
// continue_dunder with `stage` recorded.
int Interpreter::push_dunder(Thread& t, Value function, Value self, Value other, std::uint32_t stage, Value a, Value b) {
    Frame& caller = t.frames.back();
    // The operands sit in the top two slots; the call goes above them.
    const std::uint32_t at = caller.sp;
    ensure_stack(t, static_cast<std::size_t>(at) + 4);
    t.stack[at] = function;
    t.stack[at + 1] = self;
    t.stack[at + 2] = other;
    CallOutcome outcome = call_function(t, static_cast<FunctionObj*>(function.o), at, 2, nullptr, ReturnAction::Binary);
    if (outcome == CallOutcome::Error) return -1;
    Frame& frame = t.frames.back();
    frame.return_arg = stage;
    frame.aux = a;
    frame.aux2 = b;
    return 1;
}

int Interpreter::start_dunder_binary(Thread& t, std::uint32_t op, Value a, Value b) {
    const std::uint32_t base = op & ~kInplaceFlag;
    if (op & kInplaceFlag) {
        Value f = lookup_in_class(type_of(a), names.ibinary[base]);
        if (is_script_function(f)) return push_dunder(t, f, a, b, op | (0u << kStageShift), a, b);
    }
    Value f = lookup_in_class(type_of(a), names.binary[base]);
    if (is_script_function(f)) return push_dunder(t, f, a, b, op | (1u << kStageShift), a, b);
    if (type_of(a) != type_of(b)) {
        Value r = lookup_in_class(type_of(b), names.rbinary[base]);
        if (is_script_function(r)) return push_dunder(t, r, b, a, op | (2u << kStageShift), a, b);
    }
    return 0;
}

int Interpreter::start_dunder_compare(Thread& t, std::uint32_t op, Value a, Value b) {
    if (op >= 6) return 0;
    Value f = lookup_in_class(type_of(a), intern(kCompareForward[op]));
    if (is_script_function(f)) return push_dunder(t, f, a, b, op | kCompareFlag | (1u << kStageShift), a, b);
    Value r = lookup_in_class(type_of(b), intern(kCompareReflected[op]));
    if (is_script_function(r)) return push_dunder(t, r, b, a, op | kCompareFlag | (2u << kStageShift), a, b);
    if (op == static_cast<std::uint32_t>(script::CmpOpKind::NotEq)) {
        Value eq = lookup_in_class(type_of(a), names.eq);
        if (is_script_function(eq)) return push_dunder(t, eq, a, b, op | kCompareFlag | kInvertFlag | (3u << kStageShift), a, b);
    }
    return 0;
}

// A dunder frame returned `value`. Returns 1 if another frame was pushed,
// 0 when `value` is the final result, -1 on error.
int Interpreter::continue_dunder(Thread& t, const Frame& done, Value& value) {
    const std::uint32_t arg = done.return_arg;
    const std::uint32_t stage = (arg >> kStageShift) & 0xF;
    const bool comparison = (arg & kCompareFlag) != 0;
    const std::uint32_t op = arg & 0x3F;
    const Value a = done.aux, b = done.aux2;
    // The caller still has the two operands on its stack: the result replaces them.
    Frame& caller = t.frames.back();
    auto finish = [&](Value result) {
        caller.sp -= 2;
        t.stack[caller.sp++] = result;
        value = result;
        return 0;
    };
    if (arg & kInvertFlag) {
        if (value.identical(not_implemented_)) return finish(Value::boolean(!a.identical(b)));
        bool truth;
        if (!truthy(value, truth)) return -1;
        return finish(Value::boolean(!truth));
    }
    if (!value.identical(not_implemented_)) return finish(value);
    if (comparison) {
        if (stage == 1 && op < 6) {
            Value r = lookup_in_class(type_of(b), intern(kCompareReflected[op]));
            if (is_script_function(r)) return push_dunder(t, r, b, a, op | kCompareFlag | (2u << kStageShift), a, b);
        }
        if (op == static_cast<std::uint32_t>(script::CmpOpKind::NotEq) && stage < 3) {
            Value eq = lookup_in_class(type_of(a), names.eq);
            if (is_script_function(eq)) return push_dunder(t, eq, a, b, op | kCompareFlag | kInvertFlag | (3u << kStageShift), a, b);
        }
        Value out;
        // No method answered: identity for ==/!=, TypeError for ordering.
        if (op <= 1) return finish(Value::boolean(a.identical(b) == (op == 0)));
        if (!compare(op, Value(), Value::undef(), out)) {
            take_pending();
            static const char* const symbols[] = {"==", "!=", "<", "<=", ">", ">="};
            raise_type_error(std::string("'") + symbols[op] + "' not supported between instances of '" + type_name(a) +
                             "' and '" + type_name(b) + "'");
        }
        return -1;
    }
    const std::uint32_t base = op & 0x0F;
    if (stage == 0) {
        Value f = lookup_in_class(type_of(a), names.binary[base]);
        if (is_script_function(f)) return push_dunder(t, f, a, b, (arg & 0xFF) | (1u << kStageShift), a, b);
    }
    if (stage <= 1 && type_of(a) != type_of(b)) {
        Value r = lookup_in_class(type_of(b), names.rbinary[base]);
        if (is_script_function(r)) return push_dunder(t, r, b, a, (arg & 0xFF) | (2u << kStageShift), a, b);
    }
    // The builtin path may still know the operands (e.g. list + instance fails there too).
    Value out;
    if (!binary_op(arg & 0xFF, a, b, out)) return -1;
    return finish(out);
}

}  // namespace spindle::vm
