// The host binding API (binding.hpp): the untyped half. Index:
//   [REGISTRY]   bound types and callables per interpreter
//   [CALLS]      argument checks with CPython's wording, C++ exceptions
//   [OBJECTS]    attributes, equality, hashing, validity of host objects
//   [SAVES]      persistent ids for the pickler
//   [BUILDERS]   modules, types, exceptions, re-exports
#include "vm/binding.hpp"

#include "vm/builtins_support.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"
#include "vm/trace.hpp"

namespace spindle::vm {

void Tracer::mark(const Value& value) { mark_value(heap_, value); }

// ============================================================================
// [REGISTRY]
// ============================================================================

HostType* HostRegistry::find(const void* key) const noexcept {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
}

HostType* HostRegistry::find(std::string_view qualified_name) const noexcept {
    for (const auto& type : types_) {
        if (type->qualified_name == qualified_name) return type.get();
    }
    return nullptr;
}

HostType& HostRegistry::add(const void* key, std::string qualified_name) {
    // One class per C++ type: a host value must know which class it wraps.
    if (find(key)) throw std::logic_error("spindle binding: " + qualified_name + ": this C++ type is already bound");
    auto type = std::make_unique<HostType>();
    type->key = key;
    type->qualified_name = std::move(qualified_name);
    HostType& added = *types_.emplace_back(std::move(type));
    by_key_.emplace(key, &added);
    return added;
}

std::int64_t HostRegistry::add_callable(std::unique_ptr<detail::HostCallable> callable) {
    callables_.push_back(std::move(callable));
    return static_cast<std::int64_t>(callables_.size() - 1);
}

// Host classes stay alive even if a script deletes them from their module:
// live objects and later results still need them.
void HostRegistry::mark(Heap& heap) const {
    for (const auto& type : types_) {
        heap.mark(type->cls);
        heap.mark(type->constructor);
    }
}

// ============================================================================
// [CALLS]
// ============================================================================

namespace detail {

namespace {

std::string plural(std::uint32_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "takes 2 positional arguments but 3 were given", "takes from 1 to 2 ...".
bool wrong_count(Interpreter& in, const CallInfo& info, std::uint32_t given) {
    std::string takes = info.required == info.arity
                            ? plural(info.arity, "positional argument", "positional arguments")
                            : "from " + std::to_string(info.required) + " to " + std::to_string(info.arity) +
                                  " positional arguments";
    return in.raise_type_error(info.name + "() takes " + takes + " but " + plural(given, "was", "were") +
                               " given");
}

bool wrong_receiver(Interpreter& in, const CallInfo& info, const HostType* type, Value got) {
    const std::string owner = type ? type->name : "?";
    if (got.is_undef()) return in.raise_type_error("unbound method " + owner + "." + info.name + "() needs an argument");
    return in.raise_type_error("descriptor '" + info.name + "' for '" + owner + "' objects doesn't apply to a '" +
                               in.type_name(got) + "' object");
}

bool place_keywords(Interpreter& in, const CallArgs& args, const CallInfo& info, Value* slots) {
    const std::uint32_t positional = args.positional_count();
    for (std::uint32_t k = 0; k < args.keyword_count(); ++k) {
        const std::string_view key = static_cast<StrObj*>(args.kwnames->items[k].o)->view();
        if (info.keywords.empty()) return in.raise_type_error(info.name + "() takes no keyword arguments");
        std::size_t at = 0;
        while (at < info.keywords.size() && info.keywords[at] != key) ++at;
        if (at == info.keywords.size()) {
            return in.raise_type_error(info.name + "() got an unexpected keyword argument '" + std::string(key) + "'");
        }
        if (!slots[at].is_undef()) {
            return in.raise_type_error(info.name + "() got multiple values for argument '" + std::string(key) + "'");
        }
        slots[at] = args[positional + k];
    }
    return true;
}

}  // namespace

std::string Site::describe() const {
    if (call) return call->name + "() argument " + std::to_string(position);
    return "attribute '" + std::string(attribute) + "' of '" + (owner ? owner->name : "?") + "' objects";
}

bool wrong_type(Interpreter& in, const Site& site, std::string_view expected, Value got) {
    return in.raise_type_error(site.describe() + " must be " + std::string(expected) + ", not " + in.type_name(got));
}

bool out_of_range(Interpreter& in, const Site& site, Value got, std::string_view ctype) {
    return in.raise(in.types.OverflowError, site.describe() + " out of range for " + std::string(ctype) + ": " +
                                                std::to_string(got.as_int()));
}

bool result_out_of_range(Interpreter& in, std::uint64_t value, bool negative) {
    const std::string text = negative ? std::to_string(static_cast<std::int64_t>(value)) : std::to_string(value);
    return in.raise(in.types.OverflowError, "host result " + text + " does not fit in a 64-bit int");
}

bool unbound_host_type(Interpreter& in) {
    return in.raise(in.types.RuntimeError, "a host function returned a C++ type that no module binds");
}

const char* host_type_name(Interpreter& in, const void* key) {
    const HostType* type = in.host_registry().find(key);
    return type ? type->name.c_str() : "<unbound host type>";
}

HostObj* host_argument(Interpreter& in, const Site& site, Value v, const void* key) {
    const HostType* expected = in.host_registry().find(key);
    const bool match = v.is_obj() && v.o->kind == ObjKind::Host && static_cast<HostObj*>(v.o)->type == expected &&
                       expected != nullptr;
    const bool receiver = site.call && site.call->method && site.position == 0;
    if (!match) {
        if (receiver) wrong_receiver(in, *site.call, expected, v);
        else wrong_type(in, site, host_type_name(in, key), v);
        return nullptr;
    }
    auto* h = static_cast<HostObj*>(v.o);
    if (expected->valid && !expected->valid(*h)) {
        in.raise(in.types.ReferenceError, "'" + expected->name + "' object no longer exists");
        return nullptr;
    }
    return h;
}

Value wrap_new(Interpreter& in, const void* key, const std::function<HostObj*(HostType&)>& make) {
    HostType* type = in.host_registry().find(key);
    if (!type) {
        unbound_host_type(in);
        return Value::undef();
    }
    return Value::object(make(*type));
}

bool gather(Interpreter& in, const CallArgs& args, const CallInfo& info, Value& self, Value* slots) {
    std::uint32_t first = 0;
    std::uint32_t positional = args.positional_count();
    if (info.method) {
        // The receiver: bound (e.walk_to) or passed (Entity.walk_to(e)).
        if (positional == 0) return wrong_receiver(in, info, in.host_registry().find(info.self_key), Value::undef());
        self = args[0];
        first = 1;
        --positional;
    }
    if (positional > info.arity) return wrong_count(in, info, positional);
    for (std::uint32_t i = 0; i < info.arity; ++i) slots[i] = i < positional ? args[first + i] : Value::undef();
    if (!place_keywords(in, args, info, slots)) return false;
    for (std::uint32_t i = 0; i < info.required; ++i) {
        if (!slots[i].is_undef()) continue;
        if (info.keywords.empty()) return wrong_count(in, info, positional);
        return in.raise_type_error(info.name + "() missing required argument '" + info.keywords[i] + "' (pos " +
                                   std::to_string(i + 1) + ")");
    }
    return true;
}

HostCallable* callee(Interpreter& in, const CallArgs& args) {
    const auto* native = static_cast<const NativeObj*>(args.callee);
    if (!native || native->kind != ObjKind::Native || !native->data.is_int()) {
        in.raise(in.types.RuntimeError, "a host function was called without its native object");
        return nullptr;
    }
    return &in.host_registry().callable(native->data.i);
}

namespace {

// ScriptError's class: a builtin exception, or "module.Name".
ClassObj* exception_class(Interpreter& in, std::string_view name) {
    ModuleObj* module = in.builtins_module();
    const std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos) {
        module = in.find_module(in.intern(name.substr(0, dot)));
        name = name.substr(dot + 1);
    }
    if (!module) return nullptr;
    Value v;
    bool found = false;
    if (!table::lookup(in, module->globals->table, Value::object(in.intern(name)), v, found) || !found) return nullptr;
    if (!v.is_obj() || v.o->kind != ObjKind::Class || !static_cast<ClassObj*>(v.o)->is_exception) return nullptr;
    return static_cast<ClassObj*>(v.o);
}

}  // namespace

bool raise_from_host(Interpreter& in, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const ScriptError& e) {
        ClassObj* cls = exception_class(in, e.type());
        if (!cls) return in.raise(in.types.RuntimeError, "ScriptError names no exception class: '" + e.type() + "'");
        return in.raise(cls, e.message());
    } catch (const std::invalid_argument& e) {
        return in.raise_value_error(e.what());
    } catch (const std::domain_error& e) {
        return in.raise_value_error(e.what());
    } catch (const std::out_of_range& e) {
        return in.raise(in.types.IndexError, e.what());
    } catch (const std::overflow_error& e) {
        return in.raise(in.types.OverflowError, e.what());
    } catch (const spindle::RuntimeError&) {
        return in.raise_native_exception(error);  // the runtime's own: Stackless's messages
    } catch (const spindle::ValueError&) {
        return in.raise_native_exception(error);
    } catch (const ScriptException&) {
        return in.raise_native_exception(error);
    } catch (const std::bad_alloc&) {
        return in.raise_memory_error();
    } catch (const std::exception& e) {
        return in.raise(in.types.RuntimeError, e.what());
    } catch (...) {
        return in.raise_native_exception(error);  // TaskletExit, StopIteration, or unknown
    }
}

NativeObj* new_host_native(Interpreter& in, std::string_view name, NativeFn fn, std::unique_ptr<HostCallable> callable) {
    NativeObj* native = in.new_native(name, fn);
    native->data = Value::integer(in.host_registry().add_callable(std::move(callable)));
    return native;
}

}  // namespace detail

// ============================================================================
// [OBJECTS]
// ============================================================================

namespace {

const HostType* type_of_host(Value v) noexcept { return static_cast<HostObj*>(v.o)->type; }

}  // namespace

bool Interpreter::host_get_attr(Value object, const StrObj* name, Value& out, bool& found) {
    const HostType* type = type_of_host(object);
    auto it = type ? type->attributes.find(name) : decltype(type->attributes.end()){};
    found = type && it != type->attributes.end();
    if (!found) return true;
    auto* h = static_cast<HostObj*>(object.o);
    if (type->valid && !type->valid(*h)) return raise(types.ReferenceError, "'" + type->name + "' object no longer exists");
    return it->second.get(*this, *h, out);
}

// value Undef: `del obj.name`.
bool Interpreter::host_set_attr(Value object, const StrObj* name, Value value, bool& found) {
    const HostType* type = type_of_host(object);
    auto it = type ? type->attributes.find(name) : decltype(type->attributes.end()){};
    found = type && it != type->attributes.end();
    if (!found) return true;
    const std::string where = "attribute '" + std::string(name->view()) + "' of '" + type->name + "' objects";
    if (value.is_undef()) return raise(types.AttributeError, "cannot delete " + where);
    if (!it->second.set) return raise(types.AttributeError, where + " is not writable");
    auto* h = static_cast<HostObj*>(object.o);
    if (type->valid && !type->valid(*h)) return raise(types.ReferenceError, "'" + type->name + "' object no longer exists");
    return it->second.set(*this, *h, value);
}

bool Interpreter::host_equal(Value a, Value b, bool& out) {
    const HostType* type = type_of_host(a);
    out = a.o == b.o;
    if (!out && type && type == type_of_host(b) && type->equal) {
        try {
            out = type->equal(*static_cast<HostObj*>(a.o), *static_cast<HostObj*>(b.o));
        } catch (...) {
            return detail::raise_from_host(*this, std::current_exception());
        }
    }
    return true;
}

bool Interpreter::host_hash(Value v, std::uint64_t& out) {
    const HostType* type = type_of_host(v);
    if (type && type->hash) {
        try {
            out = type->hash(*static_cast<HostObj*>(v.o));
        } catch (...) {
            return detail::raise_from_host(*this, std::current_exception());
        }
        return true;
    }
    out = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(v.o) >> 4);  // identity, as object.__hash__
    return true;
}

// ============================================================================
// [SAVES]
// ============================================================================

bool save_host_object(Interpreter& in, Value object, PersistentId& out) {
    const bool host = object.is_obj() && object.o->kind == ObjKind::Host;
    const HostType* type = host ? type_of_host(object) : nullptr;
    if (!type || !type->save_id) {
        const std::string name = type ? type->qualified_name : in.type_name(object);
        return in.raise_type_error("cannot pickle '" + name + "' object");
    }
    try {
        out = type->save_id(*static_cast<HostObj*>(object.o));
    } catch (...) {
        return detail::raise_from_host(in, std::current_exception());
    }
    return true;
}

bool load_host_object(Interpreter& in, std::string_view qualified_type, const PersistentId& id, Value& out) {
    const HostType* type = in.host_registry().find(qualified_type);
    if (!type) return in.raise(in.types.ImportError, "no host type '" + std::string(qualified_type) + "' is bound");
    if (!type->load_id) return in.raise_type_error("cannot unpickle '" + type->qualified_name + "' object");
    return type->load_id(in, id, out);
}

// ============================================================================
// [BUILDERS]
// ============================================================================

namespace {

// Without a constructor a host class cannot be called (CPython's wording).
bool no_constructor(Interpreter& in, const CallArgs& args, Value&) {
    const auto* cls = static_cast<const ClassObj*>(args.callee);
    return in.raise_type_error("cannot create '" + cls->host->qualified_name + "' instances");
}

// Calling the class runs the bound constructor's native.
bool construct(Interpreter& in, const CallArgs& args, Value& out) {
    const auto* cls = static_cast<const ClassObj*>(args.callee);
    NativeObj* native = cls->host->constructor;
    if (!native) return no_constructor(in, args, out);
    CallArgs forwarded = args;
    forwarded.callee = native;
    return native->fn(in, forwarded, out);
}

}  // namespace

ModuleBuilder::ModuleBuilder(Interpreter& in, std::string_view name) : in_(in), module_(in.find_module(in.intern(name))) {
    if (!module_) {
        module_ = in.new_module(name);
        in.register_module(module_);
    }
}

void ModuleBuilder::set(std::string_view name, Value value) { in_.define(module_->globals, name, value); }

HostType& ModuleBuilder::add_type(const void* key, std::string_view name) {
    const std::string module_name(module_->name->view());
    HostType& type = in_.host_registry().add(key, module_name + "." + std::string(name));
    type.name = std::string(name);
    // Builtin: scripts can neither subclass it nor change its attributes.
    ClassObj* cls = in_.new_class(name, in_.types.object, true);
    cls->module_name = module_->name;
    cls->instance_kind = ObjKind::Host;
    cls->constructor = construct;
    cls->host = &type;
    type.cls = cls;
    set(name, Value::object(cls));
    return type;
}

ModuleBuilder& ModuleBuilder::exception(std::string_view name, std::string_view base) {
    Value b;
    bool found = false;
    table::lookup(in_, in_.builtins_module()->globals->table, Value::object(in_.intern(base)), b, found);
    if (!found || !b.is_obj() || b.o->kind != ObjKind::Class || !static_cast<ClassObj*>(b.o)->is_exception) {
        throw std::logic_error("spindle binding: '" + std::string(base) + "' is not a builtin exception class");
    }
    // Not builtin: tracebacks print it as module.Name, and scripts may subclass it.
    ClassObj* cls = in_.new_class(name, static_cast<ClassObj*>(b.o), false);
    cls->is_exception = true;
    cls->module_name = module_->name;
    set(name, Value::object(cls));
    return *this;
}

ModuleBuilder& ModuleBuilder::reexport(std::string_view module, std::string_view name, std::string_view as) {
    ModuleObj* source = in_.find_module(in_.intern(module));
    Value v;
    if (!source || !in_.get_attr(Value::object(source), in_.intern(name), v)) {
        in_.take_pending();
        throw std::logic_error("spindle binding: cannot re-export " + std::string(module) + "." + std::string(name));
    }
    set(as.empty() ? name : as, v);
    return *this;
}

namespace detail {

namespace {

// Attributes and methods share one namespace, as in Python.
void check_new_name(const HostType& type, const StrObj* name) {
    if (type.attributes.count(name) || table::find_interned(type.cls->dict->table, name) >= 0) {
        throw std::logic_error("spindle binding: " + type.qualified_name + "." + std::string(name->view()) +
                               " is bound twice");
    }
}

}  // namespace

void add_attribute(HostType& type, Interpreter& in, std::string_view name, HostType::Attribute attribute) {
    const StrObj* key = in.intern(name);
    check_new_name(type, key);
    type.attributes.emplace(key, std::move(attribute));
}

void add_method(HostType& type, Interpreter& in, std::string_view name, NativeObj* native) {
    check_new_name(type, in.intern(name));
    in.define(type.cls->dict, name, Value::object(native));
    in.classes_changed();  // method caches must look again
}

}  // namespace detail

}  // namespace spindle::vm
