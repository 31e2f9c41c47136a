// The default reduction, as CPython's: object.__reduce_ex__(protocol) and
// object.__reduce__(), and the `copyreg` functions their tuples name
// (__newobj__, __newobj_ex__, _reconstructor). A script class's own
// __reduce_ex__ can then start from what object's gives
// (super().__reduce_ex__(protocol)), and the pickle module writes those
// functions by name, so the tuple comes back through them.
//
// The pickler does not call these for a class without hooks: it writes
// such an instance directly (INSTANCE, or NEWOBJ with __getnewargs__),
// which loads the same way.
#include <string>

#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

bool expect_class(Interpreter& in, Value v, const char* who) {
    if (v.is_obj() && v.o->kind == ObjKind::Class) return true;
    return in.raise_type_error(std::string(who) + ": the first argument must be a class, not '" + in.type_name(v) + "'");
}

// copyreg.__newobj__(cls, *args): cls.__new__(cls, *args).
bool copyreg_newobj(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("__newobj__() takes no keyword arguments");
    if (a.count == 0) return in.raise_type_error("__newobj__() missing 1 required positional argument: 'cls'");
    if (!expect_class(in, a[0], "__newobj__")) return false;
    Value make;
    return in.get_attr(a[0], in.names.new_, make) && in.call(make, a.values, a.count, out);
}

// copyreg.__newobj_ex__(cls, args, kwargs): cls.__new__(cls, *args, **kwargs).
bool copyreg_newobj_ex(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "__newobj_ex__", 3, 3)) return false;
    if (!expect_class(in, a[0], "__newobj_ex__")) return false;
    if (!(a[1].is_obj() && a[1].o->kind == ObjKind::Tuple)) return in.raise_type_error("__newobj_ex__: args must be a tuple");
    if (!(a[2].is_obj() && a[2].o->kind == ObjKind::Dict)) return in.raise_type_error("__newobj_ex__: kwargs must be a dict");
    tracked_vector<Value> values{a[0]};
    const auto& positional = static_cast<TupleObj*>(a[1].o)->items;
    values.insert(values.end(), positional.begin(), positional.end());
    TupleObj* names = in.new_tuple();
    const Table& t = static_cast<DictObj*>(a[2].o)->table;
    for (std::int64_t i = table::next_live(t, 0); i >= 0; i = table::next_live(t, i + 1)) {
        const Table::Entry& e = t.entries[static_cast<std::size_t>(i)];
        if (!(e.key.is_obj() && e.key.o->kind == ObjKind::Str)) return in.raise_type_error("keywords must be strings");
        names->items.push_back(e.key);
        values.push_back(e.value);
    }
    Value make;
    if (!in.get_attr(a[0], in.names.new_, make)) return false;
    return in.call(make, values.data(), static_cast<std::uint32_t>(values.size()), out, names->items.empty() ? nullptr : names);
}

// copyreg._reconstructor(cls, base, state): for a class whose nearest
// builtin base is object, a bare instance (protocols 0 and 1).
bool copyreg_reconstructor(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "_reconstructor", 3, 3)) return false;
    if (!expect_class(in, a[0], "_reconstructor")) return false;
    if (!a[1].identical(Value::object(in.types.object)))
        return in.raise_type_error("_reconstructor: only object is supported as the base in this subset");
    Value make;
    const Value cls = a[0];
    return in.get_attr(Value::object(in.types.object), in.names.new_, make) && in.call(make, &cls, 1, out);
}

// A script class instance's state as CPython's default reduction takes it:
// __getstate__() if the class has one, else its attributes (None if none).
bool default_state(Interpreter& in, Value self, Value& state) {
    const Value getstate = in.lookup_in_class(in.type_of(self), in.intern("__getstate__"));
    if (getstate.is_obj() && getstate.o->kind == ObjKind::Function) return in.call(getstate, &self, 1, state);
    Value attributes;
    if (!in.get_attr(self, in.names.dict, attributes)) return false;
    const bool empty = !(attributes.is_obj() && attributes.o->kind == ObjKind::Dict) ||
                       static_cast<DictObj*>(attributes.o)->table.live == 0;
    state = empty ? Value() : attributes;
    return true;
}

bool script_instance(Interpreter& in, Value self, const char* who) {
    if (self.is_obj() && self.o->kind == ObjKind::Instance && !in.type_of(self)->is_builtin) return true;
    return in.raise_type_error(std::string("cannot reduce '") + in.type_name(self) + "' object: " + who +
                               " covers instances of script classes only in this subset");
}

TupleObj* tuple_of(Interpreter& in, std::initializer_list<Value> items) {
    TupleObj* t = in.new_tuple(items.size());
    t->items.assign(items.begin(), items.end());
    return t;
}

Value copyreg_function(Interpreter& in, const char* name) {
    ModuleObj* m = in.find_module(in.intern("copyreg"));
    const std::int64_t pos = table::find_interned(m->globals->table, in.intern(name));
    return m->globals->table.entries[static_cast<std::size_t>(pos)].value;
}

// Protocols 0 and 1: (copyreg._reconstructor, (cls, object, None)[, state]).
bool reduce_old(Interpreter& in, Value self, Value& out) {
    Value state;
    if (!default_state(in, self, state)) return false;
    TupleObj* args = tuple_of(in, {Value::object(in.type_of(self)), Value::object(in.types.object), Value()});
    const Value constructor = copyreg_function(in, "_reconstructor");
    bool truth = false;
    if (!state.is_none() && !in.truthy(state, truth)) return false;
    out = Value::object(truth ? tuple_of(in, {constructor, Value::object(args), state}) : tuple_of(in, {constructor, Value::object(args)}));
    return true;
}

// Protocols 2 and up: (copyreg.__newobj__, (cls, *newargs), state, None,
// None), or __newobj_ex__ with __getnewargs_ex__'s keyword arguments.
bool reduce_new(Interpreter& in, Value self, std::int64_t protocol, Value& out) {
    ClassObj* cls = in.type_of(self);
    Value args = Value::object(in.new_tuple()), kwargs;
    const Value newargs_ex = in.lookup_in_class(cls, in.intern("__getnewargs_ex__"));
    const Value newargs = in.lookup_in_class(cls, in.intern("__getnewargs__"));
    if (newargs_ex.is_obj() && newargs_ex.o->kind == ObjKind::Function) {
        Value pair;
        if (!in.call(newargs_ex, &self, 1, pair)) return false;
        const auto* t = pair.is_obj() && pair.o->kind == ObjKind::Tuple ? static_cast<TupleObj*>(pair.o) : nullptr;
        if (!t || t->items.size() != 2) return in.raise_type_error("__getnewargs_ex__ should return a tuple of length 2");
        args = t->items[0];
        kwargs = t->items[1];
        if (!(args.is_obj() && args.o->kind == ObjKind::Tuple))
            return in.raise_type_error("first item of the tuple returned by __getnewargs_ex__ must be a tuple");
        if (!(kwargs.is_obj() && kwargs.o->kind == ObjKind::Dict))
            return in.raise_type_error("second item of the tuple returned by __getnewargs_ex__ must be a dict");
        if (static_cast<DictObj*>(kwargs.o)->table.live == 0) kwargs = Value();
    } else if (newargs.is_obj() && newargs.o->kind == ObjKind::Function) {
        if (!in.call(newargs, &self, 1, args)) return false;
        if (!(args.is_obj() && args.o->kind == ObjKind::Tuple))
            return in.raise_type_error(std::string("__getnewargs__ should return a tuple, not '") + in.type_name(args) + "'");
    }
    Value state;
    if (!default_state(in, self, state)) return false;
    Value function, function_args;
    if (kwargs.is_none()) {
        TupleObj* t = tuple_of(in, {Value::object(cls)});
        const auto& items = static_cast<TupleObj*>(args.o)->items;
        t->items.insert(t->items.end(), items.begin(), items.end());
        function = copyreg_function(in, "__newobj__");
        function_args = Value::object(t);
    } else {
        if (protocol < 4) return in.raise_type_error("keyword arguments from __getnewargs_ex__ need protocol 4 in this subset");
        function = copyreg_function(in, "__newobj_ex__");
        function_args = Value::object(tuple_of(in, {Value::object(cls), args, kwargs}));
    }
    out = Value::object(tuple_of(in, {function, function_args, state, Value(), Value()}));
    return true;
}

bool object_reduce_ex(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0 || a.count != 2)
        return in.raise_type_error("object.__reduce_ex__() takes exactly one argument (" + std::to_string(a.count == 0 ? 0 : a.count - 1) + " given)");
    const Value self = a[0];
    if (!a[1].is_intlike()) return in.raise_type_error(std::string("an integer is required (got type ") + in.type_name(a[1]) + ")");
    // A __reduce__ of the class's own (or of a base other than object) wins.
    const Value reduce = in.lookup_in_class(in.type_of(self), in.intern("__reduce__"));
    if (!reduce.identical(in.lookup_in_class(in.types.object, in.intern("__reduce__")))) return in.call(reduce, &self, 1, out);
    if (!script_instance(in, self, "object.__reduce_ex__")) return false;
    const std::int64_t protocol = a[1].as_int();
    return protocol >= 2 ? reduce_new(in, self, protocol, out) : reduce_old(in, self, out);
}

// (Any instance may be the receiver: no check of its type by name.)
bool no_arguments(Interpreter& in, const CallArgs& a, const char* qualname) {
    if (a.count == 1 && a.keyword_count() == 0) return true;
    return in.raise_type_error(std::string(qualname) + "() takes no arguments (" + std::to_string(a.count == 0 ? 0 : a.count - 1) + " given)");
}

bool object_reduce(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_arguments(in, a, "object.__reduce__")) return false;
    return script_instance(in, a[0], "object.__reduce__") && reduce_old(in, a[0], out);
}

// BaseException.__reduce__: (type, args), with the attributes if it has any.
bool exception_reduce(Interpreter& in, const CallArgs& a, Value& out) {
    if (!no_arguments(in, a, "BaseException.__reduce__")) return false;
    const Value self = a[0];
    Value args;
    if (!in.get_attr(self, in.names.args, args)) return false;
    Value attributes;
    if (!in.get_attr(self, in.names.dict, attributes)) return false;
    const bool has = attributes.is_obj() && attributes.o->kind == ObjKind::Dict && static_cast<DictObj*>(attributes.o)->table.live != 0;
    const Value cls = Value::object(in.type_of(self));
    out = Value::object(has ? tuple_of(in, {cls, args, attributes}) : tuple_of(in, {cls, args}));
    return true;
}

}  // namespace

void install_copyreg_module(Interpreter& in) {
    ModuleObj* m = in.new_module("copyreg");
    in.define_function(m, "__newobj__", copyreg_newobj);
    in.define_function(m, "__newobj_ex__", copyreg_newobj_ex);
    in.define_function(m, "_reconstructor", copyreg_reconstructor);
    in.register_module(m);
    in.define_method(in.types.object, "__reduce_ex__", object_reduce_ex);
    in.define_method(in.types.object, "__reduce__", object_reduce);
    in.define_method(in.types.BaseException, "__reduce__", exception_reduce);
}

}  // namespace spindle::vm
