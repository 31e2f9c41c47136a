// The dispatch loop and the calling convention. Index:
//   [CALLS]     call_at and friends: functions, natives, bound methods, classes
//   [UNWIND]    exceptions: handler blocks, tracebacks
//   [LOOP]      Interpreter::execute, one computed-goto dispatch per instruction
//
// Frames live in Thread::frames and values in Thread::stack (both heap
// vectors), so a script call never recurses in C++. Either vector may move
// when it grows: the loop keeps raw pointers in registers and reloads them
// (LOAD_FRAME) after anything that can push a frame or grow the stack.
#include <cmath>
#include <cstring>

#include "vm/interpreter.hpp"
#include "vm/opcodes.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/set.hpp"

namespace spindle::vm {

// ============================================================================
// [CALLS]
// ============================================================================

// Grows a thread's value stack to what the next frame needs (rounded up a
// little), at least doubling: parked agents are many and mostly shallow, so
// a new thread's stack is no larger than its first frames ask for.
// The items of a sequence being unpacked into targets, with CPython's
// TypeError for what cannot be iterated.
bool Interpreter::unpack_items(Value seq, tracked_vector<Value>& items) {
    if (seq.is_obj() && (seq.o->kind == ObjKind::Tuple || seq.o->kind == ObjKind::List)) {
        const auto& src = seq.o->kind == ObjKind::Tuple ? static_cast<TupleObj*>(seq.o)->items : static_cast<ListObj*>(seq.o)->items;
        items.assign(src.begin(), src.end());
        return true;
    }
    if (to_list(seq, items)) return true;
    if (has_pending() && is_instance(pending_, types.TypeError)) {
        take_pending();
        raise_type_error(std::string("cannot unpack non-iterable ") + type_name(seq) + " object");
    }
    return false;
}

void Interpreter::grow_stack(Thread& t, std::size_t needed) {
    // To the size needed while the stack is small: a parked agent keeps the
    // stack it grew, and doubling would leave most of it empty (some 200
    // bytes an agent, a fifth of a big world). A thread reaches a new
    // depth only a few times, so the reallocations cost little. Past
    // kExactStackGrowth values it grows by half again, so that deep
    // recursion stays amortized O(1).
    constexpr std::size_t kExactStackGrowth = 64;
    const std::size_t fit = (needed + 3) / 4 * 4;
    const std::size_t size = t.stack.size() < kExactStackGrowth ? fit : std::max(fit, t.stack.size() / 2 * 3);
    t.stack.reserve(size);
    t.stack.resize(size, Value::undef());
}

namespace {

// The fast op of `callable` called with `count` arguments, if it has one
// and the call has its usual shape: schedule() and next_frame() with no
// arguments; a channel's send(v) and receive() (method form, self a channel).
inline FastOp fast_function_op(Value callable, std::uint32_t count) noexcept {
    if (!callable.is_obj() || callable.o->kind != ObjKind::Native) return FastOp::None;
    const FastOp op = static_cast<const NativeObj*>(callable.o)->fast_op;
    if (op == FastOp::Print) return op;  // the loop checks its arguments for a script __str__
    return count == 0 && (op == FastOp::Schedule || op == FastOp::NextFrame) ? op : FastOp::None;
}
inline FastOp fast_method_op(Value callable, Value self, std::uint32_t count) noexcept {
    if (!callable.is_obj() || callable.o->kind != ObjKind::Native || !self.is_obj() || self.o->kind != ObjKind::Channel)
        return FastOp::None;
    const FastOp op = static_cast<const NativeObj*>(callable.o)->fast_op;
    if ((op == FastOp::ChannelSend && count == 1) || (op == FastOp::ChannelReceive && count == 0)) return op;
    return FastOp::None;
}

// An int that converts to a double without rounding: compared as a double,
// it compares as Python compares the int itself.
inline bool exactly_double(Value v) noexcept {
    constexpr std::int64_t kExact = std::int64_t{1} << 53;
    return v.tag == Tag::Int && v.i >= -kExact && v.i <= kExact;
}

std::string describe_count(std::uint32_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
        out += "'" + names[i] + "'";
    }
    return out;
}

// CPython's _PyObject_FunctionStr: how call errors name a callable.
std::string function_str(Interpreter& in, Value callable) {
    if (callable.is_obj()) {
        switch (callable.o->kind) {
            case ObjKind::BoundMethod: return function_str(in, static_cast<BoundMethodObj*>(callable.o)->function);
            case ObjKind::Function: {
                auto* f = static_cast<FunctionObj*>(callable.o);
                return std::string(f->module->name->view()) + "." + std::string(f->qualname->view()) + "()";
            }
            case ObjKind::Class: {
                auto* c = static_cast<ClassObj*>(callable.o);
                const Value qualname = in.lookup_in_class(c, in.names.qualname);
                const bool named = qualname.is_obj() && qualname.o->kind == ObjKind::Str;
                const std::string name(named ? static_cast<StrObj*>(qualname.o)->view() : c->name->view());
                const bool builtin = !c->module_name || c->module_name->view() == "builtins";
                return (builtin ? "" : std::string(c->module_name->view()) + ".") + name + "()";
            }
            case ObjKind::Native: return std::string(static_cast<NativeObj*>(callable.o)->name->view()) + "()";
            default: break;
        }
    }
    return std::string(in.type_name(callable)) + " object";
}

// Whether `*v` can iterate v at all: its type has __iter__ or is a sequence.
bool has_iter_protocol(Interpreter& in, Value v) {
    if (!v.is_obj()) return false;
    switch (v.o->kind) {
        case ObjKind::List:
        case ObjKind::Tuple:
        case ObjKind::Str:
        case ObjKind::Range:
        case ObjKind::Dict:
        case ObjKind::Set:
        case ObjKind::DictView:
        case ObjKind::Iterator: return true;
        case ObjKind::Channel:
        case ObjKind::Tasklet:
        case ObjKind::Instance:
        case ObjKind::Exception: {
            const ClassObj* cls = in.type_of(v);
            return !in.lookup_in_class(cls, in.names.iter).is_undef() || !in.lookup_in_class(cls, in.intern("__getitem__")).is_undef();
        }
        default: return false;
    }
}

}  // namespace

// Python's argument binding: positional, keywords, defaults, *args, **kwargs.
bool Interpreter::bind_arguments(FunctionObj* fn, const Value* args, std::uint32_t count, const TupleObj* kwnames,
                                 tracked_vector<Value>& params) {
    const CodeObj* code = fn->code;
    const std::string_view qual = code->qualname->view();  // a string only for error messages
    const std::uint32_t nkw = kwnames ? static_cast<std::uint32_t>(kwnames->items.size()) : 0;
    const std::uint32_t npos = count - nkw;
    const std::uint32_t named = code->arg_count + code->kwonly_count;
    const std::uint32_t total = named + (code->has_varargs ? 1 : 0) + (code->has_varkw ? 1 : 0);
    params.assign(total, Value::undef());

    const std::uint32_t direct = npos < code->arg_count ? npos : code->arg_count;
    for (std::uint32_t i = 0; i < direct; ++i) params[i] = args[i];
    if (npos > code->arg_count) {
        if (!code->has_varargs) {
            const std::uint32_t ndef = static_cast<std::uint32_t>(fn->defaults.size());
            std::string takes = ndef == 0 ? describe_count(code->arg_count, "positional argument")
                                          : "from " + std::to_string(code->arg_count - ndef) + " to " +
                                                std::to_string(code->arg_count) + " positional arguments";
            if (ndef == 0) takes = std::to_string(code->arg_count) + " positional argument" + (code->arg_count == 1 ? "" : "s");
            return raise_type_error(std::string(qual) + "() takes " + takes + " but " + std::to_string(npos) +
                                    (npos == 1 ? " was" : " were") + " given");
        }
    }
    if (code->has_varargs) {
        TupleObj* rest = new_tuple();
        for (std::uint32_t i = code->arg_count; i < npos; ++i) rest->items.push_back(args[i]);
        params[named] = Value::object(rest);
    }
    DictObj* varkw = nullptr;
    if (code->has_varkw) {
        varkw = new_dict();
        params[total - 1] = Value::object(varkw);
    }
    for (std::uint32_t k = 0; k < nkw; ++k) {
        auto* key = static_cast<StrObj*>(kwnames->items[k].o);
        std::uint32_t slot = named;
        for (std::uint32_t i = 0; i < named; ++i) {
            if (code->local_names[i] == key || code->local_names[i]->data == key->data) {
                slot = i;
                break;
            }
        }
        if (slot == named) {
            if (!varkw) return raise_type_error(std::string(qual) + "() got an unexpected keyword argument '" + std::string(key->view()) + "'");
            if (!table::insert(*this, varkw->table, kwnames->items[k], args[npos + k])) return false;
            continue;
        }
        if (!params[slot].is_undef())
            return raise_type_error(std::string(qual) + "() got multiple values for argument '" + std::string(key->view()) + "'");
        params[slot] = args[npos + k];
    }
    const std::uint32_t ndef = static_cast<std::uint32_t>(fn->defaults.size());
    std::vector<std::string> missing;
    for (std::uint32_t i = 0; i < code->arg_count; ++i) {
        if (!params[i].is_undef()) continue;
        if (i >= code->arg_count - ndef) params[i] = fn->defaults[i - (code->arg_count - ndef)];
        else missing.emplace_back(code->local_names[i]->view());
    }
    if (!missing.empty()) {
        return raise_type_error(std::string(qual) + "() missing " + describe_count(static_cast<std::uint32_t>(missing.size()), "required positional argument") + ": " + join_names(missing));
    }
    for (std::uint32_t i = 0; i < code->kwonly_count; ++i) {
        Value& p = params[code->arg_count + i];
        if (!p.is_undef()) continue;
        if (i < fn->kw_default_present.size() && fn->kw_default_present[i]) p = fn->kw_defaults[i];
        else missing.emplace_back(code->local_names[code->arg_count + i]->view());
    }
    if (!missing.empty()) {
        return raise_type_error(std::string(qual) + "() missing " + describe_count(static_cast<std::uint32_t>(missing.size()), "required keyword-only argument") + ": " + join_names(missing));
    }
    return true;
}

Interpreter::CallOutcome Interpreter::call_function(Thread& t, FunctionObj* fn, std::uint32_t callable_at,
                                                    std::uint32_t count, const TupleObj* kwnames,
                                                    ReturnAction action) {
    CodeObj* code = fn->code;
    if (t.frames.size() >= options_.max_depth) {
        raise(types.RecursionError, "maximum recursion depth exceeded");
        return CallOutcome::Error;
    }
    const std::uint32_t base = callable_at + 1;
    const bool simple = !kwnames && count == code->arg_count && !code->has_varargs && !code->has_varkw &&
                        code->kwonly_count == 0;
    const std::uint32_t slots = code->local_count + code->free_count;
    ensure_stack(t, static_cast<std::size_t>(base) + slots + code->max_stack);
    if (!simple) {
        tracked_vector<Value> params;
        if (!bind_arguments(fn, t.stack.data() + base, count, kwnames, params)) return CallOutcome::Error;
        std::copy(params.begin(), params.end(), t.stack.begin() + base);
        count = static_cast<std::uint32_t>(params.size());
    }
    Value* locals = t.stack.data() + base;
    for (std::uint32_t i = count; i < code->local_count; ++i) locals[i] = Value::undef();
    for (std::uint32_t i = 0; i < code->free_count; ++i) locals[code->local_count + i] = Value::object(fn->closure[i]);
    Frame frame;
    frame.code = code;
    frame.function = fn;
    frame.base = base;
    frame.sp = base + slots;
    frame.block_base = static_cast<std::uint32_t>(t.blocks.size());
    frame.on_return = action;
    t.frames.push_back(frame);
    return CallOutcome::Pushed;
}

bool Interpreter::push_plain_call(Thread& t, std::uint32_t callable_at, std::uint32_t count) {
    const Value callable = t.stack[callable_at];
    if (!callable.is_obj()) return false;
    FunctionObj* fn;
    ClassObj* cls = nullptr;
    if (callable.o->kind == ObjKind::Function) {
        fn = static_cast<FunctionObj*>(callable.o);
    } else if (callable.o->kind == ObjKind::Class) {
        // What instantiate() and init_instance() do for a plain script class
        // whose __init__ (as cached for this class epoch) is a function.
        cls = static_cast<ClassObj*>(callable.o);
        if (cls->constructor || cls->is_exception || cls->init_epoch != class_epoch_ || !cls->new_cache.is_undef()) return false;
        const Value init = cls->init_cache;
        if (!(init.is_obj() && init.o->kind == ObjKind::Function)) return false;
        fn = static_cast<FunctionObj*>(init.o);
        ++count;  // self
    } else {
        return false;
    }
    CodeObj* code = fn->code;
    if (count != code->arg_count || code->has_varargs || code->has_varkw || code->kwonly_count != 0 ||
        t.frames.size() >= options_.max_depth) {
        return false;  // call_at() binds the arguments or raises
    }
    const std::uint32_t base = callable_at + 1;
    const std::uint32_t slots = code->local_count + code->free_count;
    ensure_stack(t, static_cast<std::size_t>(base) + slots + code->max_stack);
    Value* locals = t.stack.data() + base;
    Value instance;
    if (cls) {
        instance = make_instance(cls, nullptr, 0);
        // [cls, args...] -> [__init__, self, args...]
        std::memmove(static_cast<void*>(locals + 1), locals, (count - 1) * sizeof(Value));
        locals[-1] = Value::object(fn);
        locals[0] = instance;
    }
    for (std::uint32_t i = count; i < code->local_count; ++i) locals[i] = Value::undef();
    for (std::uint32_t i = 0; i < code->free_count; ++i) locals[code->local_count + i] = Value::object(fn->closure[i]);
    // Each field written once (Frame is an aggregate).
    t.frames.push_back(Frame{code, fn, 0u, base, base + slots,
                             static_cast<std::uint32_t>(t.blocks.size()),
                             cls ? ReturnAction::DiscardInit : ReturnAction::Push, 0u, instance, Value()});
    return true;
}

// Runs a builtin on its copied arguments and stores its result in the
// callable's slot, or marks the tasklet switched if the builtin blocked.
Interpreter::CallOutcome Interpreter::run_native(Thread& t, NativeObj* native, const CallArgs& args,
                                                 std::uint32_t callable_at) {
    Value result;
    if (!native->fn(*this, args, result)) return CallOutcome::Error;
    if (switch_requested_) [[unlikely]] {
        // The builtin soft-switched: this tasklet stops here, and the
        // call's value arrives when it is resumed.
        switch_requested_ = false;
        t.pending = switch_pending_;
        t.result_slot = callable_at;
        return CallOutcome::Switched;
    }
    t.stack[callable_at] = result;
    return CallOutcome::Done;
}

// A builtin called with more arguments than fit the C++ stack buffer.
Interpreter::CallOutcome Interpreter::call_native_many(Thread& t, NativeObj* native, std::uint32_t callable_at,
                                                       std::uint32_t count, const TupleObj* kwnames) {
    const bool bound = native->self.tag != Tag::None;
    tracked_vector<Value> copy;
    copy.reserve(count + (bound ? 1 : 0));
    if (bound) copy.push_back(native->self);
    copy.insert(copy.end(), t.stack.begin() + callable_at + 1, t.stack.begin() + callable_at + 1 + count);
    return run_native(t, native, CallArgs{copy.data(), static_cast<std::uint32_t>(copy.size()), kwnames, native},
                      callable_at);
}

Value Interpreter::make_instance(ClassObj* cls, const Value* args, std::uint32_t positional) {
    if (cls->is_exception) {
        auto* e = heap_.make<ExceptionObj>(cls);
        e->args = new_tuple();
        e->args->items.assign(args, args + positional);
        return Value::object(e);
    }
    InstanceObj* inst = heap_.make<InstanceObj>(cls);
    // Room for the attributes instances of this class usually get: no
    // regrowth while __init__ assigns them.
    if (cls->typical_slots != 0) inst->slots.reserve(cls->typical_slots);
    return Value::object(inst);
}

Interpreter::CallOutcome Interpreter::instantiate(Thread& t, ClassObj* cls, std::uint32_t callable_at,
                                                  std::uint32_t count, const TupleObj* kwnames) {
    if (cls->constructor && !cls->is_builtin) {
        // A script subclass of stackless.tasklet or channel: the runtime
        // object is made bare (its __new__ ignores the arguments, as in
        // Stackless) and becomes an instance of the subclass; __init__ then
        // gets the arguments like any class's.
        Value instance;
        if (!cls->constructor(*this, CallArgs{nullptr, 0, nullptr, cls}, instance)) return CallOutcome::Error;
        set_runtime_object_class(instance, cls);
        return init_instance(t, cls, instance, callable_at, count, kwnames);
    }
    if (cls->constructor) {
        Value result;
        CallArgs args{t.stack.data() + callable_at + 1, count, kwnames, cls};
        tracked_vector<Value> copy(args.values, args.values + count);
        args.values = copy.data();
        if (!cls->constructor(*this, args, result)) return CallOutcome::Error;
        t.stack[callable_at] = result;
        return CallOutcome::Done;
    }
    if (cls->init_epoch != class_epoch_) refresh_constructors(cls);
    if (!cls->new_cache.is_undef()) return construct_with_new(t, cls, cls->new_cache, callable_at, count, kwnames);
    const std::uint32_t npos = count - (kwnames ? static_cast<std::uint32_t>(kwnames->items.size()) : 0);
    Value instance = make_instance(cls, t.stack.data() + callable_at + 1, npos);
    return init_instance(t, cls, instance, callable_at, count, kwnames);
}

// The class's own __init__ and __new__, if any (object's do nothing a
// class call needs to run).
void Interpreter::refresh_constructors(ClassObj* cls) {
    Value init = lookup_in_class(cls, names.init);
    if (init.identical(lookup_in_class(types.object, names.init))) init = Value::undef();
    Value made_by = lookup_in_class(cls, names.new_);
    if (made_by.identical(lookup_in_class(types.object, names.new_)) ||
        made_by.identical(lookup_in_class(types.BaseException, names.new_)))
        made_by = Value::undef();
    cls->init_cache = init;
    cls->new_cache = made_by;
    cls->init_epoch = class_epoch_;
}

// A class with a __new__ of its own: as in CPython, __new__(cls, *args,
// **kwargs) makes the object, then __init__ gets the same arguments if the
// object is an instance of the class. __new__ runs as a nested call (it
// cannot block on a channel, as in a Stackless __new__ written in C).
Interpreter::CallOutcome Interpreter::construct_with_new(Thread& t, ClassObj* cls, Value new_fn,
                                                         std::uint32_t callable_at, std::uint32_t count,
                                                         const TupleObj* kwnames) {
    tracked_vector<Value> args;
    args.reserve(count + 1);
    args.push_back(Value::object(cls));
    args.insert(args.end(), t.stack.begin() + callable_at + 1, t.stack.begin() + callable_at + 1 + count);
    Value made;
    if (!call(new_fn, args.data(), count + 1, made, kwnames)) return CallOutcome::Error;
    ClassObj* made_cls = type_of(made);
    if (!is_subclass(made_cls, cls)) {
        t.stack[callable_at] = made;
        return CallOutcome::Done;
    }
    if (made_cls->init_epoch != class_epoch_) refresh_constructors(made_cls);
    return init_instance(t, made_cls, made, callable_at, count, kwnames, true);
}

// Calls the class's __init__ on a new instance (the callable's slot gets
// the instance), or checks that there were no arguments if it has none
// (`own_new`: the class's __new__ took them).
Interpreter::CallOutcome Interpreter::init_instance(Thread& t, ClassObj* cls, Value instance, std::uint32_t callable_at,
                                                    std::uint32_t count, const TupleObj* kwnames, bool own_new) {
    if (cls->init_epoch != class_epoch_) refresh_constructors(cls);
    const Value init = cls->init_cache;
    if (init.is_undef()) {
        if (count != 0 && !cls->is_exception && !own_new && cls->new_cache.is_undef()) {
            raise_type_error(std::string(cls->name->view()) + "() takes no arguments");
            return CallOutcome::Error;
        }
        t.stack[callable_at] = instance;
        return CallOutcome::Done;
    }
    // Make room for self: [init, self, args...].
    ensure_stack(t, static_cast<std::size_t>(callable_at) + count + 2);
    Value* slot = t.stack.data() + callable_at;
    std::memmove(slot + 2, slot + 1, count * sizeof(Value));
    slot[0] = init;
    slot[1] = instance;
    if (init.is_obj() && init.o->kind == ObjKind::Function) {
        CallOutcome outcome = call_function(t, static_cast<FunctionObj*>(init.o), callable_at, count + 1, kwnames,
                                            ReturnAction::DiscardInit);
        if (outcome == CallOutcome::Pushed) t.frames.back().aux = instance;
        return outcome;
    }
    CallOutcome outcome = call_at(t, callable_at, count + 1, kwnames, ReturnAction::Push);
    if (outcome == CallOutcome::Done) t.stack[callable_at] = instance;
    return outcome;
}

// __build_class__(body, name[, base]): the class body runs as a heap frame
// whose names go to a fresh namespace; finish_class makes the class from it.
Interpreter::CallOutcome Interpreter::start_class_body(Thread& t, std::uint32_t callable_at, std::uint32_t count,
                                                       const TupleObj* kwnames) {
    Value* args = t.stack.data() + callable_at + 1;
    if (kwnames || count < 2 || count > 3 || !(args[0].is_obj() && args[0].o->kind == ObjKind::Function)) {
        raise_type_error("__build_class__: bad arguments");
        return CallOutcome::Error;
    }
    Value body = args[0], name = args[1], base = count == 3 ? args[2] : Value();
    // The compiler passes a str constant; code from a file may not (finish_class relies on it).
    if (!(name.is_obj() && name.o->kind == ObjKind::Str)) {
        raise_type_error("__build_class__: name is not a string");
        return CallOutcome::Error;
    }
    if (count == 3) {
        if (!(base.is_obj() && base.o->kind == ObjKind::Class)) {
            raise_type_error("bases must be types");
            return CallOutcome::Error;
        }
        auto* b = static_cast<ClassObj*>(base.o);
        if (b->is_builtin && !b->is_exception && b != types.object && !subclassable_runtime_type(b)) {
            raise_type_error("subclassing the builtin type '" + std::string(b->name->view()) + "' is not supported");
            return CallOutcome::Error;
        }
    }
    DictObj* ns = new_dict();
    t.stack[callable_at] = body;
    CallOutcome outcome = call_function(t, static_cast<FunctionObj*>(body.o), callable_at, 0, nullptr, ReturnAction::FinishClass);
    if (outcome != CallOutcome::Pushed) return outcome;
    // The namespace rides in aux2 (Frame::names), and the base class in the
    // frame's result slot, where finish_class reads it before the class lands.
    Frame& frame = t.frames.back();
    frame.aux = name;
    frame.aux2 = Value::object(ns);
    t.stack[callable_at] = base;
    return CallOutcome::Pushed;
}

Interpreter::CallOutcome Interpreter::call_at(Thread& t, std::uint32_t callable_at, std::uint32_t count,
                                              const TupleObj* kwnames, ReturnAction action) {
    Value callable = t.stack[callable_at];
    if (callable.is_obj()) {
        switch (callable.o->kind) {
            case ObjKind::Function:
                return call_function(t, static_cast<FunctionObj*>(callable.o), callable_at, count, kwnames, action);
            case ObjKind::Native: {
                if (callable.identical(build_class_)) return start_class_body(t, callable_at, count, kwnames);
                auto* native = static_cast<NativeObj*>(callable.o);
                if (native->fast_op >= FastOp::Len && action == ReturnAction::Push) [[unlikely]] {
                    CallOutcome outcome;  // len/repr/format running a script dunder as a frame
                    if (start_dunder_builtin(t, native, callable_at, count, kwnames, outcome)) return outcome;
                }
                // Natives get a stable copy of their arguments (a nested call
                // may move the stack): on the C++ stack for the usual few.
                const bool bound = native->self.tag != Tag::None;
                const std::uint32_t total = count + (bound ? 1 : 0);
                if (total > 8) [[unlikely]] return call_native_many(t, native, callable_at, count, kwnames);
                alignas(Value) unsigned char small[8 * sizeof(Value)];  // no need to construct: all written below
                Value* copy = reinterpret_cast<Value*>(small);
                if (bound) ::new (static_cast<void*>(copy)) Value(native->self);
                std::uninitialized_copy(t.stack.begin() + callable_at + 1, t.stack.begin() + callable_at + 1 + count,
                                        copy + (bound ? 1 : 0));
                return run_native(t, native, CallArgs{copy, total, kwnames, native}, callable_at);
            }
            case ObjKind::BoundMethod: {
                auto* m = static_cast<BoundMethodObj*>(callable.o);
                ensure_stack(t, static_cast<std::size_t>(callable_at) + count + 2);
                Value* slot = t.stack.data() + callable_at;
                std::memmove(slot + 2, slot + 1, count * sizeof(Value));
                slot[0] = m->function;
                slot[1] = m->self;
                return call_at(t, callable_at, count + 1, kwnames, action);
            }
            case ObjKind::Class: {
                if (callable.o == types.str && count == 1 && !kwnames && action == ReturnAction::Push) {
                    CallOutcome outcome;  // str(x) with a script __str__/__repr__: a frame
                    if (start_str_call(t, callable_at, outcome)) return outcome;
                }
                return instantiate(t, static_cast<ClassObj*>(callable.o), callable_at, count, kwnames);
            }
            default: break;
        }
    }
    Value dunder = lookup_in_class(type_of(callable), names.call);
    if (!dunder.is_undef()) {
        ensure_stack(t, static_cast<std::size_t>(callable_at) + count + 2);
        Value* slot = t.stack.data() + callable_at;
        std::memmove(slot + 2, slot + 1, count * sizeof(Value));
        slot[0] = dunder;
        slot[1] = callable;
        return call_at(t, callable_at, count + 1, kwnames, action);
    }
    raise_type_error("'" + std::string(type_name(callable)) + "' object is not callable");
    return CallOutcome::Error;
}

Interpreter::CallOutcome Interpreter::push_method_frame(Thread& t, Value function, Value self, ReturnAction action,
                                                       std::uint32_t return_arg) {
    const std::uint32_t at = t.frames.back().sp;
    ensure_stack(t, static_cast<std::size_t>(at) + 3);
    t.stack[at] = function;
    t.stack[at + 1] = self;
    CallOutcome outcome = call_function(t, static_cast<FunctionObj*>(function.o), at, 1, nullptr, action);
    if (outcome == CallOutcome::Pushed) t.frames.back().return_arg = return_arg;
    return outcome;
}

// A call from C++: runs a nested dispatch loop until the callee returns.
bool Interpreter::call(Value callable, const Value* args, std::uint32_t count, Value& result, const TupleObj* kwnames) {
    Thread& t = *current_thread_;
    std::uint32_t at = t.frames.empty() ? 0 : t.frames.back().sp;
    // Leave the caller's values alone: nested calls work above its stack top.
    if (!t.frames.empty()) {
        const Frame& f = t.frames.back();
        at = std::max(at, f.stack_base() + f.code->max_stack);
    }
    ensure_stack(t, static_cast<std::size_t>(at) + count + 2);
    t.stack[at] = callable;
    std::copy(args, args + count, t.stack.begin() + at + 1);
    const std::size_t depth = t.frames.size();
    ++t.nesting;  // a builtin called from here cannot soft-switch: C++ frames are in the way
    CallOutcome outcome = call_at(t, at, count, kwnames, ReturnAction::Nested);
    if (outcome == CallOutcome::Error) {
        --t.nesting;
        return false;
    }
    if (outcome == CallOutcome::Done) {
        --t.nesting;
        result = t.stack[at];
        return true;
    }
    const Exec exec = execute(t, depth, result);
    --t.nesting;
    return exec == Exec::Returned;
}

// ============================================================================
// [UNWIND]
// ============================================================================

// Finds the innermost handler for the pending exception in frames above
// `exit_depth`. True: a handler is ready (exception pushed, pc moved).
// False: the exception leaves the entry frame.
namespace {
// The runtime's own script code (the channel methods Stackless writes in C,
// module_stackless.cpp's preludes) stays out of tracebacks, as C functions
// do in CPython's. By name: a save brings such code back by content.
bool runtime_code(const CodeObj& code) noexcept {
    return code.filename && code.filename->view().starts_with("<stackless ");
}
}  // namespace

bool Interpreter::unwind_exception(Thread& t, std::size_t exit_depth, bool add_trace) {
    Value exc = pending_;
    auto* e = static_cast<ExceptionObj*>(exc.o);
    bool first = true;
    while (t.frames.size() > exit_depth) {
        Frame& f = t.frames.back();
        if ((add_trace || !first) && !runtime_code(*f.code)) {
            const std::uint32_t pc = f.pc > 0 ? f.pc - 1 : 0;
            e->traceback.push_back(TraceEntry{f.code, f.code->line_of(pc)});
        }
        first = false;
        while (t.blocks.size() > f.block_base) {
            Block b = t.blocks.back();
            t.blocks.pop_back();
            if (b.kind == Block::ExceptHandler) {
                t.handled_exception = b.saved_exception;
                continue;
            }
            Block handler{Block::ExceptHandler, 0, b.level, t.handled_exception};
            t.blocks.push_back(handler);
            t.handled_exception = exc;
            f.sp = f.stack_base() + b.level;
            t.stack[f.sp++] = exc;
            f.pc = b.handler;
            pending_ = Value();
            return true;
        }
        const bool nested = f.on_return == ReturnAction::Nested;
        const bool for_iter = f.on_return == ReturnAction::ForIter;
        const std::uint32_t loop_exit = f.return_arg;
        t.frames.pop_back();
        if (nested) break;
        if (for_iter && is_instance(exc, types.StopIteration) && t.frames.size() > exit_depth) {
            // __next__ raised StopIteration: the for loop is over.
            Frame& loop = t.frames.back();
            loop.sp -= 1;  // the iterator
            loop.pc = loop_exit;
            pending_ = Value();
            return true;
        }
    }
    return false;
}

// ============================================================================
// [LOOP]
// ============================================================================

// A module's global read as an attribute (`spindle.next_frame`), through the
// instruction's cache: while the module's dict has gained or lost no key,
// the name stays in the same entry. Null: not a global of the module (the
// general lookup decides: a dynamic attribute, or AttributeError).
const Value* Interpreter::module_attr_lookup(ModuleObj* module, StrObj* name, AttrCache& cache) {
    Table& globals = module->globals->table;
    const std::int64_t pos = table::find_interned(globals, name);
    if (pos < 0) return nullptr;
    cache.method = module->globals;
    cache.epoch = globals.keys_version;
    cache.slot = static_cast<std::uint32_t>(pos);
    cache.cls = nullptr;
    cache.shape = nullptr;
    return &globals.entries[static_cast<std::size_t>(pos)].value;
}

// The dispatch loop's countdown: to the scheduler's next check (a time
// slice or a watchdog) if it is preemptible, and in any case no further than
// the next runaway check.
std::int64_t Interpreter::next_budget(const spindle::Scheduler& sched, bool preemptible) const noexcept {
    constexpr std::uint64_t kRunawayCheck = std::uint64_t{1} << 22;  // instructions between checks
    const std::uint64_t until = preemptible ? sched.ticks_until_check() : UINT64_MAX;
    return static_cast<std::int64_t>(std::min(until, options_.runaway_instructions == 0 ? std::uint64_t{INT64_MAX / 2} : kRunawayCheck));
}

// Main may compute as long as it likes (a batch script's module body);
// any other tasklet that runs too long without waiting is a runaway.
bool Interpreter::is_runaway(const Thread& t) const noexcept {
    return options_.runaway_instructions != 0 && t.run_since_wait >= options_.runaway_instructions &&
           &t != &main_thread_;
}

// A variable of the dispatch loop pinned to a callee-saved register (GNU
// explicit register variables, GCC on x86-64); elsewhere an ordinary local.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define SPINDLE_PINNED(declaration, reg) register declaration asm(reg)
#else
#define SPINDLE_PINNED(declaration, reg) declaration
#endif

Exec Interpreter::execute(Thread& first_thread, std::size_t exit_depth, Value& result) {
    static void* const dispatch_table[] = {
#define OP(name, effect, operand) &&op_##name,
#include "vm/opcodes.def"
#undef OP
    };

    Frame* f;
    CodeObj* code;
    // Every dispatch reads and writes the instruction pointer and the budget,
    // and most instructions the stack top and the locals: they are pinned to callee-saved
    // registers (GNU explicit register variables). Left to itself, GCC spills
    // them in a function this large, and each dispatch then waits on a
    // store-to-load round trip.
    SPINDLE_PINNED(const std::uint32_t* ip, "r14");
    const std::uint32_t* code_start;
    SPINDLE_PINNED(Value* locals, "r13");
    SPINDLE_PINNED(Value* sp, "r12");
    const Value* consts;
    std::uint32_t arg;
    bool add_trace = true;
    std::uint32_t switch_at = 0;  // soft_switched: where the switching call's value will land
    spindle::Scheduler& sched = scheduler();
    Thread* thread = &first_thread;
    // The instruction budget: counted down in a register, reported to the
    // scheduler in bulk. Nested runs (C++ calling script code) are not
    // preempted unless ignore_nesting is set, as in Stackless.
    const bool preemptible = first_thread.nesting == 0 || nested_preemptible();
    std::int64_t budget_start = next_budget(sched, preemptible);
    SPINDLE_PINNED(std::int64_t budget, "r15") = budget_start;
    // A soft switch to another script tasklet that chain_to() resumed goes
    // on here, with that tasklet's thread: no return to the driver loop.
    // Only a preemptible run chains, to a thread with no nested calls (so
    // preemptible too); its ticks are synced, and the budget runs on unless
    // the switch restarted a time slice or a watchdog's interval.
chain:
    Thread& t = *thread;
#define CHAIN_TO(next)                                                        \
    do {                                                                      \
        thread = (next);                                                      \
        if (sched.budget_armed()) budget_start = budget = next_budget(sched, true); \
        goto chain;                                                           \
    } while (0)
#define SYNC_TICKS()                                                         \
    do {                                                                     \
        sched.add_ticks(static_cast<std::uint64_t>(budget_start - budget)); \
        t.run_since_wait += static_cast<std::uint64_t>(budget_start - budget); \
        budget_start = budget;                                               \
    } while (0)

#define LOAD_FRAME()                                  \
    do {                                              \
        f = &t.frames.back();                         \
        code = f->code;                               \
        code_start = code->code.data();               \
        ip = code_start + f->pc;                      \
        locals = t.stack.data() + f->base;            \
        sp = t.stack.data() + f->sp;                  \
        consts = code->constants.data();              \
        if (code->attr_caches.empty()) [[unlikely]]   \
            code->make_caches();                      \
    } while (0)
#define SAVE_FRAME()                                                  \
    do {                                                              \
        f->pc = static_cast<std::uint32_t>(ip - code_start);          \
        f->sp = static_cast<std::uint32_t>(sp - t.stack.data());      \
    } while (0)
// After anything that may run script code (a nested call), the frame and
// stack vectors may have moved: re-derive the pointers from the saved state.
#define RELOAD()                                      \
    do {                                              \
        f = &t.frames.back();                         \
        locals = t.stack.data() + f->base;            \
        sp = t.stack.data() + f->sp;                  \
    } while (0)
#define DISPATCH()                                    \
    do {                                              \
        if (--budget < 0) [[unlikely]] goto budget_spent; \
        const std::uint32_t word_ = *ip++;            \
        arg = word_ >> 8;                             \
        goto* dispatch_table[word_ & 0xff];           \
    } while (0)
#define ERROR()           \
    do {                  \
        SAVE_FRAME();     \
        goto error;       \
    } while (0)
// The running instruction's inline cache (LOAD_FRAME made them).
#define CACHE() (code->attr_caches.data()[ip - code_start - 1])
#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
// Runs a call that may push a frame; the callable is at `at` (absolute index).
// A plain call (a script function or class given exactly its positional
// parameters) pushes its frame directly; anything else goes through call_at.
#define DO_CALL(at, count, kwnames)                                                          \
    RUN_CALL(at, ((kwnames) == nullptr && push_plain_call(t, at_, (count)))                  \
                     ? CallOutcome::Pushed                                                   \
                     : call_at(t, at_, (count), (kwnames), ReturnAction::Push))
// The same for any call step `call` (an expression of at_ giving a CallOutcome).
#define RUN_CALL(at, call)                                                                       \
    do {                                                                                         \
        SAVE_FRAME();                                                                            \
        const std::uint32_t at_ = (at);                                                          \
        CallOutcome outcome_;                                                                    \
        try {                                                                                    \
            outcome_ = (call);                                                                   \
        } catch (const std::bad_alloc&) {                                                        \
            raise_memory_error();                                                                \
            outcome_ = CallOutcome::Error;                                                       \
        }                                                                                        \
        if (outcome_ == CallOutcome::Error) goto error;                                          \
        if (outcome_ == CallOutcome::Switched) {                                                 \
            f = &t.frames.back();                                                                \
            f->sp = at_ + 1;                                                                     \
            SYNC_TICKS();                                                                        \
            t.run_since_wait = 0; /* it blocked, yielded or slept */                             \
            if (exit_depth == 0 && preemptible && t.running) {                                   \
                if (Thread* next_ = chain_to(t, sched)) CHAIN_TO(next_);                         \
            }                                                                                    \
            return Exec::Switched;                                                               \
        }                                                                                        \
        if (outcome_ == CallOutcome::Done) {                                                     \
            f = &t.frames.back();                                                                \
            f->sp = at_ + 1;                                                                     \
        } else {                                                                                 \
            t.frames[t.frames.size() - 2].sp = at_ + 1;                                          \
        }                                                                                        \
        LOAD_FRAME();                                                                            \
        if (heap_.should_collect() && t.nesting == 0) {                                          \
            SAVE_FRAME();                                                                        \
            collect_garbage();                                                                   \
        }                                                                                        \
    } while (0)
// Runs a fast op (a FastStep expression of fast_at_), or on General the
// call step `general` (a CallOutcome expression of at_) through RUN_CALL.
#define RUN_FAST(at, step, general)                                        \
    do {                                                                   \
        const std::uint32_t fast_at_ = (at);                               \
        FastStep step_;                                                    \
        try {                                                              \
            step_ = (step);                                                \
        } catch (const std::bad_alloc&) {                                  \
            raise_memory_error();                                          \
            step_ = FastStep::Error;                                       \
        }                                                                  \
        switch (step_) {                                                   \
            case FastStep::Done: sp = t.stack.data() + fast_at_ + 1; DISPATCH(); \
            case FastStep::Switched: switch_at = fast_at_; goto soft_switched; \
            case FastStep::Error: ERROR();                                 \
            case FastStep::General: break;                                 \
        }                                                                  \
        RUN_CALL(fast_at_, general);                                       \
        DISPATCH();                                                        \
    } while (0)
#define STACK_INDEX(ptr) static_cast<std::uint32_t>((ptr) - t.stack.data())
// A dict or set operation whose key is an instance with a script __hash__:
// the hash runs as a frame, whose return finishes the operation (dunders.cpp).
#define START_HASH(op, operand, key)                                          \
    do {                                                                      \
        const Value key_ = (key);                                             \
        if (key_.is_obj() && (key_.o->kind == ObjKind::Instance || key_.o->kind == ObjKind::Exception)) { \
            SAVE_FRAME();                                                     \
            CallOutcome outcome_;                                             \
            if (start_hash(t, (op), (operand), key_, outcome_)) {             \
                if (outcome_ == CallOutcome::Error) goto error;               \
                LOAD_FRAME();                                                 \
                DISPATCH();                                                   \
            }                                                                 \
        }                                                                     \
    } while (0)

    LOAD_FRAME();
    DISPATCH();

op_NOP:
    DISPATCH();
op_POP_TOP:
    --sp;
    DISPATCH();
op_DUP_TOP:
    sp[0] = sp[-1];
    ++sp;
    DISPATCH();
op_DUP_TOP_TWO:
    sp[0] = sp[-2];
    sp[1] = sp[-1];
    sp += 2;
    DISPATCH();
op_ROT_TWO:
    std::swap(sp[-1], sp[-2]);
    DISPATCH();
op_ROT_THREE: {
    Value top = sp[-1];
    sp[-1] = sp[-2];
    sp[-2] = sp[-3];
    sp[-3] = top;
    DISPATCH();
}
op_ROT_FOUR: {
    Value top = sp[-1];
    sp[-1] = sp[-2];
    sp[-2] = sp[-3];
    sp[-3] = sp[-4];
    sp[-4] = top;
    DISPATCH();
}
op_LOAD_CONST:
    PUSH(consts[arg]);
    DISPATCH();
op_LOAD_NONE:
    PUSH(Value());
    DISPATCH();

op_LOAD_FAST: {
    const Value v = locals[arg];
    if (v.tag == Tag::Undef) {
        raise_unbound_local(code->local_names[arg]);
        ERROR();
    }
    PUSH(v);
    DISPATCH();
}
op_STORE_FAST:
    locals[arg] = POP();
    DISPATCH();
op_DELETE_FAST:
    if (locals[arg].tag == Tag::Undef) {
        raise_unbound_local(code->local_names[arg]);
        ERROR();
    }
    locals[arg] = Value::undef();
    DISPATCH();
op_LOAD_DEREF:
op_LOAD_CLASS_DEREF: {
    auto* cell = static_cast<CellObj*>(locals[arg].o);
    if (cell->empty) {
        const std::string n(code->local_names[arg]->view());
        if (arg < code->local_count)
            raise(types.UnboundLocalError, "cannot access local variable '" + n + "' where it is not associated with a value");
        else
            raise(types.NameError, "cannot access free variable '" + n +
                                       "' where it is not associated with a value in enclosing scope");
        ERROR();
    }
    PUSH(cell->value);
    DISPATCH();
}
op_STORE_DEREF: {
    auto* cell = static_cast<CellObj*>(locals[arg].o);
    cell->value = POP();
    cell->empty = false;
    DISPATCH();
}
op_DELETE_DEREF: {
    auto* cell = static_cast<CellObj*>(locals[arg].o);
    cell->value = Value();
    cell->empty = true;
    DISPATCH();
}
op_MAKE_CELL: {
    SAVE_FRAME();
    CellObj* cell = heap_.make<CellObj>();
    if (!locals[arg].is_undef()) {
        cell->value = locals[arg];
        cell->empty = false;
    }
    locals[arg] = Value::object(cell);
    DISPATCH();
}
op_LOAD_CLOSURE:
    PUSH(locals[arg]);
    DISPATCH();

op_LOAD_GLOBAL: {
    StrObj* name = code->names[arg];
    DictObj* globals = f->module()->globals;
    // Inline cache: while neither dict has gained or lost a key, the name
    // is in the same entry (values change in place).
    AttrCache& cache = CACHE();
    if (cache.method == globals && cache.epoch == globals->table.keys_version) {
        PUSH(globals->table.entries[cache.slot].value);
        DISPATCH();
    }
    if (cache.method == builtins_->globals && cache.epoch == builtins_->globals->table.keys_version &&
        cache.epoch2 == globals->table.keys_version) {
        PUSH(builtins_->globals->table.entries[cache.slot].value);
        DISPATCH();
    }
    std::int64_t pos = table::find_interned(globals->table, name);
    if (pos >= 0) {
        cache.method = globals;
        cache.epoch = globals->table.keys_version;
        cache.slot = static_cast<std::uint32_t>(pos);
        PUSH(globals->table.entries[static_cast<std::size_t>(pos)].value);
        DISPATCH();
    }
    pos = table::find_interned(builtins_->globals->table, name);
    if (pos >= 0) {
        cache.method = builtins_->globals;
        cache.epoch = builtins_->globals->table.keys_version;
        cache.epoch2 = globals->table.keys_version;
        cache.slot = static_cast<std::uint32_t>(pos);
        PUSH(builtins_->globals->table.entries[static_cast<std::size_t>(pos)].value);
        DISPATCH();
    }
    raise(types.NameError, "name '" + std::string(name->view()) + "' is not defined");
    ERROR();
}
op_STORE_GLOBAL: {
    SAVE_FRAME();
    if (!table::insert(*this, f->module()->globals->table, Value::object(code->names[arg]), TOP())) goto error;
    --sp;
    DISPATCH();
}
op_DELETE_GLOBAL: {
    SAVE_FRAME();
    bool found = false;
    if (!table::remove(*this, f->module()->globals->table, Value::object(code->names[arg]), found)) goto error;
    if (!found) {
        raise(types.NameError, "name '" + std::string(code->names[arg]->view()) + "' is not defined");
        goto error;
    }
    DISPATCH();
}
op_LOAD_NAME: {
    StrObj* name = code->names[arg];
    for (DictObj* scope : {f->names(), f->module()->globals, builtins_->globals}) {
        if (!scope) continue;
        const std::int64_t pos = table::find_interned(scope->table, name);
        if (pos >= 0) {
            PUSH(scope->table.entries[static_cast<std::size_t>(pos)].value);
            DISPATCH();
        }
    }
    raise(types.NameError, "name '" + std::string(name->view()) + "' is not defined");
    ERROR();
}
op_STORE_NAME: {
    SAVE_FRAME();
    DictObj* scope = f->names() ? f->names() : f->module()->globals;
    if (!table::insert(*this, scope->table, Value::object(code->names[arg]), TOP())) goto error;
    --sp;
    DISPATCH();
}
op_DELETE_NAME: {
    SAVE_FRAME();
    DictObj* scope = f->names() ? f->names() : f->module()->globals;
    bool found = false;
    if (!table::remove(*this, scope->table, Value::object(code->names[arg]), found)) goto error;
    if (!found) {
        raise(types.NameError, "name '" + std::string(code->names[arg]->view()) + "' is not defined");
        goto error;
    }
    DISPATCH();
}

op_LOAD_ATTR: {
    {
        // Inline cache: an instance whose shape this instruction has seen
        // keeps the attribute in a known slot (shapes never change).
        const Value object = TOP();
        AttrCache& cache = CACHE();
        if (object.is_obj() && object.o->kind == ObjKind::Instance) {
            auto* inst = static_cast<InstanceObj*>(object.o);
            if (inst->shape == cache.shape && inst->shape != nullptr) [[likely]] {
                TOP() = inst->slots[cache.slot];
                DISPATCH();
            }
            if (inst->shape != nullptr && inst->cls != types.super_) {
                const std::int32_t slot = inst->shape->find(code->names[arg]);
                if (slot >= 0) {
                    cache.shape = inst->shape;
                    cache.slot = static_cast<std::uint32_t>(slot);
                    TOP() = inst->slots[static_cast<std::size_t>(slot)];
                    DISPATCH();
                }
            }
        }
        if (object.is_obj() && object.o->kind == ObjKind::Module) {
            if (const Value* found = module_attr_cached(static_cast<ModuleObj*>(object.o), code->names[arg], cache)) {
                TOP() = *found;
                DISPATCH();
            }
        }
    }
    SAVE_FRAME();
    Value out;
    if (!get_attr(TOP(), code->names[arg], out)) goto error;
    RELOAD();
    TOP() = out;
    DISPATCH();
}
op_LOAD_FAST_ATTR: {
    // `local.attr`: the instance fast path of LOAD_ATTR on a local, else
    // exactly LOAD_FAST then LOAD_ATTR (same cache, same errors).
    const Value object = locals[arg & 0xff];
    if (object.is_obj() && object.o->kind == ObjKind::Instance) {
        auto* inst = static_cast<InstanceObj*>(object.o);
        const AttrCache& cache = CACHE();
        if (inst->shape == cache.shape && inst->shape != nullptr) [[likely]] {
            PUSH(inst->slots[cache.slot]);
            DISPATCH();
        }
    }
    arg &= 0xff;
    goto fast_attr_fallback;
}
op_STORE_FAST_ATTR: {
    const Value object = locals[arg & 0xff];
    if (object.is_obj() && object.o->kind == ObjKind::Instance) {
        auto* inst = static_cast<InstanceObj*>(object.o);
        const AttrCache& cache = CACHE();
        if (inst->shape == cache.shape && inst->shape != nullptr) [[likely]] {
            if (cache.next == nullptr) {
                inst->slots[cache.slot] = POP();  // an existing attribute
                DISPATCH();
            }
            if (inst->slots.size() == cache.slot && inst->slots.capacity() > cache.slot) {
                inst->slots.push_back(POP());  // a new attribute, same transition as last time
                inst->shape = const_cast<Shape*>(cache.next);
                DISPATCH();
            }
        }
    }
    arg &= 0xff;
    goto fast_attr_fallback;
}
fast_attr_fallback: {
    // As LOAD_FAST of the local (arg holds the slot), then the plain
    // attribute instruction with the name's operand.
    const Value v = locals[arg];
    if (v.tag == Tag::Undef) {
        raise_unbound_local(code->local_names[arg]);
        ERROR();
    }
    PUSH(v);
    arg = ip[-1] >> 16;
    if (decode_op(ip[-1]) == Op::LOAD_FAST_ATTR) goto op_LOAD_ATTR;
    goto op_STORE_ATTR;
}
op_STORE_ATTR: {
    {
        const Value object = TOP();
        AttrCache& cache = CACHE();
        if (object.is_obj() && object.o->kind == ObjKind::Instance) {
            auto* inst = static_cast<InstanceObj*>(object.o);
            if (inst->shape != nullptr && inst->shape == cache.shape) {
                if (cache.next == nullptr) {
                    inst->slots[cache.slot] = SECOND();  // an existing attribute
                    sp -= 2;
                    DISPATCH();
                }
                if (inst->slots.size() == cache.slot && inst->slots.capacity() > cache.slot) {
                    inst->slots.push_back(SECOND());  // a new attribute, same transition as last time
                    inst->shape = const_cast<Shape*>(cache.next);
                    sp -= 2;
                    DISPATCH();
                }
            }
        }
    }
    SAVE_FRAME();
    {
        const Value object = TOP();
        Shape* before = (object.is_obj() && object.o->kind == ObjKind::Instance) ? static_cast<InstanceObj*>(object.o)->shape : nullptr;
        if (!set_attr(object, code->names[arg], SECOND())) goto error;
        if (before != nullptr && object.o->kind == ObjKind::Instance) {
            auto* inst = static_cast<InstanceObj*>(object.o);
            AttrCache& cache = CACHE();
            if (inst->shape == before) {
                cache = AttrCache{before, nullptr, static_cast<std::uint32_t>(before->find(code->names[arg]))};
            } else if (inst->shape != nullptr && inst->shape->parent == before) {
                cache = AttrCache{before, inst->shape, inst->shape->slot_count - 1};
                if (inst->cls->typical_slots < inst->shape->slot_count) inst->cls->typical_slots = inst->shape->slot_count;
            }
        }
    }
    RELOAD();
    sp -= 2;
    DISPATCH();
}
op_DELETE_ATTR: {
    SAVE_FRAME();
    if (!del_attr(TOP(), code->names[arg])) goto error;
    RELOAD();
    --sp;
    DISPATCH();
}
op_LOAD_METHOD: {
    if (code->names[arg] != names.new_) {  // (__new__ is implicitly static: load_method never binds it)
        // Inline cache: same shape (so same class, attribute not shadowed by
        // the instance) and no class changed since: the same function.
        const Value self = TOP();
        AttrCache& cache = CACHE();
        if (self.is_obj() && self.o->kind == ObjKind::Channel) {
            // `ch.send(...)`: a channel without attributes of its own (not a
            // subclass instance that has some) and the class unchanged.
            const auto* channel = static_cast<const ChannelObj*>(self.o);
            if (channel->dict == nullptr && channel->cls == cache.cls && cache.epoch == class_epoch_) {
                TOP() = Value::object(cache.method);
                PUSH(self);
                DISPATCH();
            }
        }
        if (self.is_obj() && self.o->kind == ObjKind::Module) {
            // `module.function(...)`: a plain attribute, nothing to bind.
            if (const Value* found = module_attr_cached(static_cast<ModuleObj*>(self.o), code->names[arg], cache)) {
                TOP() = *found;
                PUSH(Value::undef());
                DISPATCH();
            }
        }
        if (self.is_obj() && self.o->kind != ObjKind::Instance && self.o->kind != ObjKind::Module &&
            self.o->kind != ObjKind::Class && self.o->kind != ObjKind::Exception && !runtime_object_dict(self)) {
            // Builtin types (list, dict, str, channel...): their methods live in
            // their class and values have no attributes of their own.
            const ClassObj* cls = type_of(self);
            if (cls == cache.cls && cache.epoch == class_epoch_) {
                TOP() = Value::object(cache.method);
                PUSH(self);
                DISPATCH();
            }
            Value method = lookup_in_class(cls, code->names[arg]);
            const bool bindable = method.is_obj() && (method.o->kind == ObjKind::Function ||
                                                      (method.o->kind == ObjKind::Native && !static_cast<NativeObj*>(method.o)->is_static));
            if (bindable) {
                cache.cls = cls;
                cache.shape = nullptr;
                cache.method = method.o;
                cache.epoch = class_epoch_;
                TOP() = method;
                PUSH(self);
                DISPATCH();
            }
        }
        if (self.is_obj() && self.o->kind == ObjKind::Instance) {
            auto* inst = static_cast<InstanceObj*>(self.o);
            if (inst->shape != nullptr && inst->shape == cache.shape && cache.epoch == class_epoch_) {
                TOP() = Value::object(cache.method);
                PUSH(self);
                DISPATCH();
            }
            if (inst->shape != nullptr && inst->cls != types.super_ && inst->shape->find(code->names[arg]) < 0) {
                Value method = lookup_in_class(inst->cls, code->names[arg]);
                if (method.is_obj() && method.o->kind == ObjKind::Function) {
                    cache.shape = inst->shape;
                    cache.cls = nullptr;
                    cache.method = method.o;
                    cache.epoch = class_epoch_;
                    TOP() = method;
                    PUSH(self);
                    DISPATCH();
                }
            }
        }
    }
    SAVE_FRAME();
    Value self = TOP();
    Value method;
    bool unbound = false;
    if (!load_method(self, code->names[arg], method, unbound)) goto error;
    RELOAD();
    if (unbound) {
        TOP() = method;
        PUSH(self);
    } else {
        TOP() = method;
        PUSH(Value::undef());
    }
    DISPATCH();
}
op_CALL_METHOD: {
    // [method, self|undef, args...]
    Value* callable = sp - arg - 2;
    if (callable[1].is_undef()) {
        for (std::uint32_t i = 0; i < arg; ++i) callable[1 + i] = callable[2 + i];  // few: no memmove call
        --sp;
        if (const FastOp op = fast_function_op(callable[0], arg); op != FastOp::None) {
            RUN_FAST(STACK_INDEX(callable), schedule_fast(t, fast_at_, op), call_at(t, at_, 0, nullptr, ReturnAction::Push));
        }
        DO_CALL(STACK_INDEX(callable), arg, nullptr);
    } else if (const FastOp op = fast_method_op(callable[0], callable[1], arg); op != FastOp::None) {
        if (op == FastOp::ChannelSend)
            RUN_FAST(STACK_INDEX(callable), channel_fast<+1>(t, fast_at_), channel_transfer_general(t, at_, +1));
        RUN_FAST(STACK_INDEX(callable), channel_fast<-1>(t, fast_at_), channel_transfer_general(t, at_, -1));
    } else {
        DO_CALL(STACK_INDEX(callable), arg + 1, nullptr);
    }
    DISPATCH();
}
op_BINARY_SUBSCR: {
    const Value container = SECOND();
    const Value key = TOP();
    if (container.is_obj() && key.tag == Tag::Int) {
        if (container.o->kind == ObjKind::List) {
            auto& items = static_cast<ListObj*>(container.o)->items;
            std::int64_t i = key.i < 0 ? key.i + static_cast<std::int64_t>(items.size()) : key.i;
            if (i >= 0 && i < static_cast<std::int64_t>(items.size())) {
                --sp;
                TOP() = items[static_cast<std::size_t>(i)];
                DISPATCH();
            }
        } else if (container.o->kind == ObjKind::Tuple) {
            auto& items = static_cast<TupleObj*>(container.o)->items;
            std::int64_t i = key.i < 0 ? key.i + static_cast<std::int64_t>(items.size()) : key.i;
            if (i >= 0 && i < static_cast<std::int64_t>(items.size())) {
                --sp;
                TOP() = items[static_cast<std::size_t>(i)];
                DISPATCH();
            }
        }
    }
    if (const Value m = script_method(container, names.getitem); !m.is_undef()) {
        // [container, key] -> [__getitem__, container, key]: its frame returns into the container's slot.
        SAVE_FRAME();
        ensure_stack(t, STACK_INDEX(sp) + 1);
        RELOAD();
        sp[0] = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = m;
        ++sp;
        RUN_CALL(STACK_INDEX(sp - 3), call_function(t, static_cast<FunctionObj*>(m.o), at_, 2, nullptr, ReturnAction::Push));
        DISPATCH();
    }
    if (container.is_obj() && container.o->kind == ObjKind::Dict) START_HASH(HashOp::Subscr, 0, key);
    SAVE_FRAME();
    if (container.is_obj() && container.o->kind == ObjKind::Dict && key.is_obj() && key.o->kind == ObjKind::Str) {
        // A string key: its hash is cached, so straight to the table (a
        // missing key takes the general path for its KeyError).
        const Table& table = static_cast<DictObj*>(container.o)->table;
        std::int64_t pos;
        if (!table::find(*this, table, key, static_cast<StrObj*>(key.o)->hash, pos)) goto error;
        RELOAD();
        if (pos >= 0) {
            --sp;
            TOP() = table.entries[static_cast<std::size_t>(pos)].value;
            DISPATCH();
        }
    }
    Value out;
    try {
        if (!get_item(container, key, out)) goto error;
    RELOAD();
    } catch (const std::bad_alloc&) {
        raise_memory_error();
        goto error;
    }
    --sp;
    TOP() = out;
    DISPATCH();
}
op_STORE_SUBSCR: {
    // [value, container, key]. `items[i] = v` on a list: as BINARY_SUBSCR's fast path.
    if (SECOND().is_obj() && SECOND().o->kind == ObjKind::List && TOP().tag == Tag::Int) {
        auto& items = static_cast<ListObj*>(SECOND().o)->items;
        const std::int64_t i = TOP().i < 0 ? TOP().i + static_cast<std::int64_t>(items.size()) : TOP().i;
        if (i >= 0 && i < static_cast<std::int64_t>(items.size())) {
            items[static_cast<std::size_t>(i)] = sp[-3];
            sp -= 3;
            DISPATCH();
        }
    }
    SAVE_FRAME();
    if (const Value m = script_method(SECOND(), names.setitem); !m.is_undef()) {
        // [value, container, key] -> [__setitem__, container, key, value]; the None it returns is dropped.
        ensure_stack(t, STACK_INDEX(sp) + 1);
        RELOAD();
        sp[0] = sp[-3];
        sp[-3] = m;
        ++sp;
        RUN_CALL(STACK_INDEX(sp - 4), call_function(t, static_cast<FunctionObj*>(m.o), at_, 3, nullptr, ReturnAction::Discard));
        DISPATCH();
    }
    if (SECOND().is_obj() && SECOND().o->kind == ObjKind::Dict) START_HASH(HashOp::Store, 0, TOP());
    if (SECOND().is_obj() && SECOND().o->kind == ObjKind::Dict && TOP().is_obj() && TOP().o->kind == ObjKind::Str) {
        try {
            if (!table::insert_hashed(*this, static_cast<DictObj*>(SECOND().o)->table, TOP(),
                                      static_cast<StrObj*>(TOP().o)->hash, sp[-3])) {
                goto error;
            }
        } catch (const std::bad_alloc&) {
            raise_memory_error();
            goto error;
        }
        RELOAD();
        sp -= 3;
        DISPATCH();
    }
    try {
        if (!set_item(SECOND(), TOP(), sp[-3])) goto error;
    RELOAD();
    } catch (const std::bad_alloc&) {
        raise_memory_error();
        goto error;
    }
    sp -= 3;
    DISPATCH();
}
op_DELETE_SUBSCR: {
    SAVE_FRAME();
    if (const Value m = script_method(SECOND(), names.delitem); !m.is_undef()) {
        // [container, key] -> [__delitem__, container, key]; the None it returns is dropped.
        ensure_stack(t, STACK_INDEX(sp) + 1);
        RELOAD();
        sp[0] = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = m;
        ++sp;
        RUN_CALL(STACK_INDEX(sp - 3), call_function(t, static_cast<FunctionObj*>(m.o), at_, 2, nullptr, ReturnAction::Discard));
        DISPATCH();
    }
    if (!del_item(SECOND(), TOP())) goto error;
    RELOAD();
    sp -= 2;
    DISPATCH();
}
op_BUILD_SLICE: {
    SAVE_FRAME();
    SliceObj* s = heap_.make<SliceObj>();
    if (arg == 3) {
        s->step = POP();
    }
    s->stop = POP();
    s->start = POP();
    PUSH(Value::object(s));
    DISPATCH();
}

op_BINARY_OP: {
    Value a = SECOND();
    Value b = TOP();
    const std::uint32_t op = arg & ~kInplaceFlag;
    if (a.tag == Tag::Float && b.tag == Tag::Float) {
        // Two floats: the usual case in game arithmetic.
        double r;
        switch (static_cast<script::BinOpKind>(op)) {
            case script::BinOpKind::Add: r = a.f + b.f; break;
            case script::BinOpKind::Sub: r = a.f - b.f; break;
            case script::BinOpKind::Mult: r = a.f * b.f; break;
            default: goto binary_mixed;
        }
        --sp;
        TOP() = Value::real(r);
        DISPATCH();
    }
binary_mixed:
    if (a.tag == Tag::Int && b.tag == Tag::Int) {
        std::int64_t r;
        switch (static_cast<script::BinOpKind>(op)) {
            case script::BinOpKind::Add:
                if (!__builtin_add_overflow(a.i, b.i, &r)) goto int_result;
                break;
            case script::BinOpKind::Sub:
                if (!__builtin_sub_overflow(a.i, b.i, &r)) goto int_result;
                break;
            case script::BinOpKind::Mult:
                if (!__builtin_mul_overflow(a.i, b.i, &r)) goto int_result;
                break;
            default: break;
        }
        goto binary_slow;
    int_result:
        --sp;
        TOP() = Value::integer(r);
        DISPATCH();
    }
    if ((a.tag == Tag::Float || a.tag == Tag::Int) && (b.tag == Tag::Float || b.tag == Tag::Int)) {
        // Floats, or an int with a float: Python converts the int (correctly
        // rounded, as a C++ conversion is) and does float arithmetic.
        const double x = a.tag == Tag::Float ? a.f : static_cast<double>(a.i);
        const double y = b.tag == Tag::Float ? b.f : static_cast<double>(b.i);
        double r;
        switch (static_cast<script::BinOpKind>(op)) {
            case script::BinOpKind::Add: r = x + y; break;
            case script::BinOpKind::Sub: r = x - y; break;
            case script::BinOpKind::Mult: r = x * y; break;
            case script::BinOpKind::Div:
                if (y == 0.0) goto binary_slow;
                r = x / y;
                break;
            default: goto binary_slow;
        }
        --sp;
        TOP() = Value::real(r);
        DISPATCH();
    }
binary_slow : {
    SAVE_FRAME();
    // An instance operand with a script dunder runs it as a heap frame.
    if ((a.is_obj() && a.o->kind == ObjKind::Instance) || (b.is_obj() && b.o->kind == ObjKind::Instance)) {
        int pushed = 0;
        try {
            pushed = start_dunder_binary(t, arg, a, b);
        } catch (const std::bad_alloc&) {
            raise_memory_error();
            goto error;
        }
        if (pushed < 0) goto error;
        if (pushed > 0) {
            LOAD_FRAME();
            DISPATCH();
        }
    }
    Value out;
    try {
        if (!binary_op(arg, a, b, out)) goto error;
    RELOAD();
    } catch (const std::bad_alloc&) {
        raise_memory_error();
        goto error;
    }
    --sp;
    TOP() = out;
    DISPATCH();
}
}
op_UNARY_OP: {
    SAVE_FRAME();
    Value out;
    if (!unary_op(arg, TOP(), out)) goto error;
    RELOAD();
    TOP() = out;
    DISPATCH();
}
op_COMPARE_OP: {
    Value a = SECOND();
    Value b = TOP();
    if (a.tag == Tag::Int && b.tag == Tag::Int) {
        bool r;
        switch (static_cast<script::CmpOpKind>(arg)) {
            case script::CmpOpKind::Eq: r = a.i == b.i; break;
            case script::CmpOpKind::NotEq: r = a.i != b.i; break;
            case script::CmpOpKind::Lt: r = a.i < b.i; break;
            case script::CmpOpKind::LtE: r = a.i <= b.i; break;
            case script::CmpOpKind::Gt: r = a.i > b.i; break;
            default: r = a.i >= b.i; break;
        }
        --sp;
        TOP() = Value::boolean(r);
        DISPATCH();
    }
    if ((a.tag == Tag::Float && (b.tag == Tag::Float || exactly_double(b))) ||
        (b.tag == Tag::Float && exactly_double(a))) {
        // Floats, or a float with an int that a double holds exactly (NaN
        // compares false, as in Python).
        const double x = a.tag == Tag::Float ? a.f : static_cast<double>(a.i);
        const double y = b.tag == Tag::Float ? b.f : static_cast<double>(b.i);
        bool r;
        switch (static_cast<script::CmpOpKind>(arg)) {
            case script::CmpOpKind::Eq: r = x == y; break;
            case script::CmpOpKind::NotEq: r = x != y; break;
            case script::CmpOpKind::Lt: r = x < y; break;
            case script::CmpOpKind::LtE: r = x <= y; break;
            case script::CmpOpKind::Gt: r = x > y; break;
            default: r = x >= y; break;
        }
        --sp;
        TOP() = Value::boolean(r);
        DISPATCH();
    }
    SAVE_FRAME();
    if ((a.is_obj() && a.o->kind == ObjKind::Instance) || (b.is_obj() && b.o->kind == ObjKind::Instance)) {
        const int pushed = start_dunder_compare(t, arg, a, b);
        if (pushed < 0) goto error;
        if (pushed > 0) {
            LOAD_FRAME();
            DISPATCH();
        }
    }
    Value out;
    if (!compare(arg, a, b, out)) goto error;
    RELOAD();
    --sp;
    TOP() = out;
    DISPATCH();
}
op_IS_OP: {
    const bool same = SECOND().identical(TOP());
    --sp;
    TOP() = Value::boolean(same != (arg == 1));
    DISPATCH();
}
op_CONTAINS_OP: {
    if (TOP().is_obj() && (TOP().o->kind == ObjKind::Dict || TOP().o->kind == ObjKind::Set)) START_HASH(HashOp::Contains, arg, SECOND());
    SAVE_FRAME();
    bool found = false;
    if (!contains(TOP(), SECOND(), found)) goto error;
    RELOAD();
    --sp;
    TOP() = Value::boolean(found != (arg == 1));
    DISPATCH();
}

op_JUMP:
    ip = code_start + arg;
    if (heap_.should_collect() && t.nesting == 0) {
        SAVE_FRAME();
        collect_garbage();
    }
    DISPATCH();
op_POP_JUMP_IF_FALSE:
op_POP_JUMP_IF_TRUE: {
    const Value v = POP();
    bool truth;
    if (v.tag == Tag::Bool) {
        truth = v.b;
    } else if (v.tag == Tag::Int) {
        truth = v.i != 0;
    } else if (v.tag == Tag::None) {
        truth = false;
    } else {
        SAVE_FRAME();
        if (!truthy(v, truth)) goto error;
    RELOAD();
    }
    if (truth == (decode_op(ip[-1]) == Op::POP_JUMP_IF_TRUE)) ip = code_start + arg;
    DISPATCH();
}
op_JUMP_IF_FALSE_OR_POP:
op_JUMP_IF_TRUE_OR_POP: {
    bool truth;
    if (TOP().tag == Tag::Bool) {
        truth = TOP().b;
    } else {
        SAVE_FRAME();
        if (!truthy(TOP(), truth)) goto error;
        RELOAD();
    }
    if (truth == (decode_op(ip[-1]) == Op::JUMP_IF_TRUE_OR_POP)) ip = code_start + arg;
    else --sp;
    DISPATCH();
}
op_GET_ITER: {
    SAVE_FRAME();
    Value it;
    if (!get_iter(TOP(), it)) goto error;
    RELOAD();
    TOP() = it;
    DISPATCH();
}
op_FOR_ITER: {
    Value it = TOP();
    if (it.is_obj() && it.o->kind == ObjKind::Iterator) {
        auto* iter = static_cast<IteratorObj*>(it.o);
        if (iter->iter_kind == IterKind::Range) {
            if (iter->step > 0 ? iter->index < iter->end : iter->index > iter->end) {
                PUSH(Value::integer(iter->index));
                iter->index += iter->step;
                DISPATCH();
            }
            --sp;
            ip = code_start + arg;
            DISPATCH();
        }
        if (iter->iter_kind == IterKind::Sequence && iter->source.o->kind == ObjKind::List) {
            auto& items = static_cast<ListObj*>(iter->source.o)->items;
            if (iter->index < static_cast<std::int64_t>(items.size())) {
                PUSH(items[static_cast<std::size_t>(iter->index++)]);
                DISPATCH();
            }
            iter->index = INT64_MAX;  // an exhausted list iterator stays exhausted
            --sp;
            ip = code_start + arg;
            DISPATCH();
        }
    }
    SAVE_FRAME();
    if (it.is_obj() && it.o->kind != ObjKind::Iterator) {
        // A __next__ written in Python runs as a heap frame: it may block.
        Value method = lookup_in_class(type_of(it), names.next);
        if (method.is_obj() && method.o->kind == ObjKind::Function) {
            CallOutcome outcome = push_method_frame(t, method, it, ReturnAction::ForIter, arg);
            if (outcome == CallOutcome::Error) goto error;
            LOAD_FRAME();
            DISPATCH();
        }
    }
    Value next;
    const bool got = iter_next(it, next);
    RELOAD();
    if (got) {
        PUSH(next);
        DISPATCH();
    }
    if (has_pending()) goto error;
    --sp;
    ip = code_start + arg;
    DISPATCH();
}
op_RETURN_VALUE: {
    Value value = POP();
    while (t.blocks.size() > f->block_base) t.blocks.pop_back();
    const ReturnAction action = f->on_return;
    if ((action == ReturnAction::Push || (action == ReturnAction::DiscardInit && value.is_none())) &&
        t.frames.size() - 1 > exit_depth) [[likely]] {
        // The usual return, to a caller in this run: no copy of the frame.
        if (action == ReturnAction::DiscardInit) value = f->aux;
        const std::uint32_t result_slot = f->base - 1;
        t.frames.pop_back();
        t.stack[result_slot] = value;
        t.frames.back().sp = result_slot + 1;
        LOAD_FRAME();
        DISPATCH();
    }
    const Frame done = *f;
    t.frames.pop_back();
    const std::uint32_t result_slot = done.base - 1;
    switch (action) {
        case ReturnAction::Push: break;
        case ReturnAction::DiscardInit:
            if (!value.is_none()) {
                raise_type_error(std::string("__init__() should return None, not '") + type_name(value) + "'");
                goto error_after_return;
            }
            value = done.aux;
            break;
        case ReturnAction::FinishClass:
            if (!finish_class(t, const_cast<Frame&>(done), value)) goto error_after_return;
            break;
        case ReturnAction::Binary:
            // The result replaced the operands on the caller's stack, or
            // another dunder frame (the reflected method) was pushed.
            if (continue_dunder(t, done, value) < 0) goto error_after_return;
            LOAD_FRAME();
            DISPATCH();
        case ReturnAction::Truth:
        case ReturnAction::ForIter: break;
        case ReturnAction::Discard:
            t.frames.back().sp = result_slot;
            LOAD_FRAME();
            DISPATCH();
        case ReturnAction::Len:
            if (!check_length(value)) goto error_after_return;
            break;
        case ReturnAction::ToStr:
            if (!check_converted(value, done.return_arg)) goto error_after_return;
            break;
        case ReturnAction::FormatValue:
            if (!finish_format_value(t, done, value)) goto error_after_return;
            LOAD_FRAME();
            DISPATCH();
        case ReturnAction::PrintArg:
            if (!finish_print_arg(t, done, value)) goto error_after_return;
            LOAD_FRAME();
            DISPATCH();
        case ReturnAction::Hash:
            if (!finish_hash(t, done, value)) goto error_after_return;
            LOAD_FRAME();
            DISPATCH();
        case ReturnAction::Nested:
            result = value;
            SYNC_TICKS();
            return Exec::Returned;
    }
    if (t.frames.size() <= exit_depth) {
        result = value;
        SYNC_TICKS();
        return Exec::Returned;
    }
    t.stack[result_slot] = value;
    t.frames.back().sp = result_slot + 1;
    LOAD_FRAME();
    DISPATCH();
}

op_BUILD_TUPLE: {
    SAVE_FRAME();
    TupleObj* tuple = new_tuple();
    tuple->items.assign(sp - arg, sp);
    sp -= arg;
    PUSH(Value::object(tuple));
    DISPATCH();
}
op_BUILD_LIST: {
    SAVE_FRAME();
    ListObj* list = new_list();
    list->items.assign(sp - arg, sp);
    sp -= arg;
    PUSH(Value::object(list));
    DISPATCH();
}
op_BUILD_SET: {
    SAVE_FRAME();
    SetObj* set = new_set();
    if (build_needs_frames(t, arg, false)) [[unlikely]] {
        CallOutcome outcome = build_from(t, Value::object(set), arg, 0);
        if (outcome == CallOutcome::Error) goto error;
        LOAD_FRAME();
        DISPATCH();
    }
    const std::uint32_t first = STACK_INDEX(sp) - arg;
    for (std::uint32_t i = 0; i < arg; ++i) {
        // By index: hashing may run script code that moves the stack.
        const bool ok = set_add(set, t.stack[first + i]);
        RELOAD();
        if (!ok) goto error;
    }
    sp = t.stack.data() + first;
    PUSH(Value::object(set));
    DISPATCH();
}
op_BUILD_MAP: {
    SAVE_FRAME();
    DictObj* dict = new_dict();
    if (build_needs_frames(t, arg, true)) [[unlikely]] {
        CallOutcome outcome = build_from(t, Value::object(dict), arg, 0);
        if (outcome == CallOutcome::Error) goto error;
        LOAD_FRAME();
        DISPATCH();
    }
    const std::uint32_t first = STACK_INDEX(sp) - 2 * arg;
    for (std::uint32_t i = 0; i < arg; ++i) {
        const bool ok = table::insert(*this, dict->table, t.stack[first + 2 * i], t.stack[first + 2 * i + 1]);
        RELOAD();
        if (!ok) goto error;
    }
    sp = t.stack.data() + first;
    PUSH(Value::object(dict));
    DISPATCH();
}
op_LIST_APPEND: {
    Value v = POP();
    static_cast<ListObj*>(sp[-static_cast<std::ptrdiff_t>(arg)].o)->items.push_back(v);
    DISPATCH();
}
op_SET_ADD: {
    START_HASH(HashOp::SetAdd, arg, TOP());
    SAVE_FRAME();
    Value v = TOP();
    if (!set_add(static_cast<SetObj*>(sp[-1 - static_cast<std::ptrdiff_t>(arg)].o), v)) goto error;
    RELOAD();
    --sp;
    DISPATCH();
}
op_MAP_ADD: {
    START_HASH(HashOp::MapAdd, arg, SECOND());
    SAVE_FRAME();
    auto* dict = static_cast<DictObj*>(sp[-2 - static_cast<std::ptrdiff_t>(arg)].o);
    if (!table::insert(*this, dict->table, SECOND(), TOP())) goto error;
    RELOAD();
    sp -= 2;
    DISPATCH();
}
op_LIST_EXTEND: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        SAVE_FRAME();
        const auto depth = static_cast<std::ptrdiff_t>(arg & ~kSoleStarFlag);
        auto* list = static_cast<ListObj*>(sp[-1 - depth].o);
        if (!has_iter_protocol(*this, TOP())) {
            // CPython words this by where the star stands.
            const std::string where = (arg & kSoleStarFlag) ? function_str(*this, sp[-2 - depth]) + " argument" : "Value";
            raise_type_error(where + " after * must be an iterable, not " + type_name(TOP()));
            goto error;
        }
        tracked_vector<Value> items;
        if (!to_list(TOP(), items)) goto error;
    RELOAD();
        list->items.insert(list->items.end(), items.begin(), items.end());
        --sp;
    }
    DISPATCH();
}
op_SET_UPDATE: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        SAVE_FRAME();
        auto* set = static_cast<SetObj*>(sp[-1 - static_cast<std::ptrdiff_t>(arg)].o);
        if (!sets::update(*this, set, TOP())) goto error;  // a set operand merges, as _PySet_Update does
        --sp;
    }
    DISPATCH();
}
op_DICT_UPDATE: {
    SAVE_FRAME();
    auto* dict = static_cast<DictObj*>(sp[-1 - static_cast<std::ptrdiff_t>(arg)].o);
    if (!dict_merge(dict, TOP(), {})) goto error;
    RELOAD();
    --sp;
    DISPATCH();
}
op_DICT_MERGE: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        SAVE_FRAME();
        // A call's keywords: [callable, args tuple, keywords dict, ..., operand].
        auto* dict = static_cast<DictObj*>(sp[-1 - static_cast<std::ptrdiff_t>(arg)].o);
        const std::string function = function_str(*this, sp[-3 - static_cast<std::ptrdiff_t>(arg)]);
        if (!(TOP().is_obj() && TOP().o->kind == ObjKind::Dict)) {
            raise_type_error(function + " argument after ** must be a mapping, not " + type_name(TOP()));
            goto error;
        }
        if (!dict_merge(dict, TOP(), function)) goto error;
        RELOAD();
        --sp;
    }
    DISPATCH();
}
op_LIST_TO_TUPLE: {
    SAVE_FRAME();
    TupleObj* tuple = new_tuple();
    tuple->items.assign(static_cast<ListObj*>(TOP().o)->items.begin(), static_cast<ListObj*>(TOP().o)->items.end());
    TOP() = Value::object(tuple);
    DISPATCH();
}
op_UNPACK_SEQUENCE: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        Value seq = POP();
        SAVE_FRAME();
        tracked_vector<Value> items;
        if (!unpack_items(seq, items)) goto error;
        RELOAD();
        if (items.size() != arg) {
            if (items.size() > arg)
                raise_value_error("too many values to unpack (expected " + std::to_string(arg) + ")");
            else
                raise_value_error("not enough values to unpack (expected " + std::to_string(arg) + ", got " +
                                  std::to_string(items.size()) + ")");
            goto error;
        }
        for (std::size_t i = items.size(); i-- > 0;) PUSH(items[i]);
    }
    DISPATCH();
}
op_UNPACK_EX: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        Value seq = POP();
        SAVE_FRAME();
        tracked_vector<Value> items;
        if (!unpack_items(seq, items)) goto error;
        const std::size_t before = arg & 0xff, after = arg >> 8;
        if (items.size() < before + after) {
            raise_value_error("not enough values to unpack (expected at least " + std::to_string(before + after) +
                              ", got " + std::to_string(items.size()) + ")");
            goto error;
        }
        ListObj* rest = new_list();  // (no collection inside an instruction: items stay alive)
        rest->items.assign(items.begin() + static_cast<std::ptrdiff_t>(before), items.end() - static_cast<std::ptrdiff_t>(after));
        RELOAD();
        for (std::size_t i = items.size(); i-- > items.size() - after;) PUSH(items[i]);
        PUSH(Value::object(rest));
        for (std::size_t i = before; i-- > 0;) PUSH(items[i]);
    }
    DISPATCH();
}
op_FORMAT_VALUE: {
    if (const Value v = (arg & 4) ? SECOND() : TOP(); v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception)) [[unlikely]] {
        SAVE_FRAME();
        CallOutcome outcome;
        if (start_format_value(t, arg, outcome)) {
            if (outcome == CallOutcome::Error) goto error;
            LOAD_FRAME();
            DISPATCH();
        }
    }
    Value spec = (arg & 4) ? POP() : Value();
    SAVE_FRAME();
    Value out;
    if (!format_value(TOP(), arg & 3, spec, out)) goto error;
    RELOAD();
    TOP() = out;
    DISPATCH();
}
op_BUILD_STRING: {
    {  // locals with destructors end before DISPATCH: a computed goto skips them
        SAVE_FRAME();
        std::string text;
        for (Value* v = sp - arg; v < sp; ++v) text += static_cast<StrObj*>(v->o)->view();
        sp -= arg;
        PUSH(str(text));
    }
    DISPATCH();
}

// print() whose arguments include an instance with a script __str__/__repr__:
// print_from writes it piece by piece, each conversion a heap frame.
#define MAYBE_PRINT(kwnames)                                                                  \
    do {                                                                                      \
        const std::uint32_t at_ = STACK_INDEX(sp - arg - 1);                                  \
        if (print_needs_frames(t, at_, arg, (kwnames))) {                                     \
            SAVE_FRAME();                                                                     \
            CallOutcome outcome_;                                                             \
            try {                                                                             \
                outcome_ = print_from(t, at_, arg, (kwnames), 0);                             \
            } catch (const std::bad_alloc&) {                                                 \
                raise_memory_error();                                                         \
                outcome_ = CallOutcome::Error;                                                \
            }                                                                                 \
            if (outcome_ == CallOutcome::Error) goto error;                                   \
            if (outcome_ == CallOutcome::Done) t.frames.back().sp = at_ + 1;                  \
            LOAD_FRAME();                                                                     \
            DISPATCH();                                                                       \
        }                                                                                     \
    } while (0)
op_CALL:
    if (const FastOp op = fast_function_op(sp[-static_cast<std::ptrdiff_t>(arg) - 1], arg); op != FastOp::None) {
        if (op == FastOp::Print) {
            MAYBE_PRINT(nullptr);
        } else {
            RUN_FAST(STACK_INDEX(sp - arg - 1), schedule_fast(t, fast_at_, op), call_at(t, at_, 0, nullptr, ReturnAction::Push));
        }
    }
    DO_CALL(STACK_INDEX(sp - arg - 1), arg, nullptr);
    DISPATCH();
op_CALL_KW: {
    const auto* kwnames = static_cast<const TupleObj*>(POP().o);
    if (fast_function_op(sp[-static_cast<std::ptrdiff_t>(arg) - 1], arg) == FastOp::Print) MAYBE_PRINT(kwnames);
    DO_CALL(STACK_INDEX(sp - arg - 1), arg, kwnames);
    DISPATCH();
}
op_CALL_EX: {
    SAVE_FRAME();
    Value kwargs = arg == 1 ? POP() : Value();
    Value args = POP();
    const std::uint32_t at = STACK_INDEX(sp - 1);
    auto& positional = static_cast<TupleObj*>(args.o)->items;
    std::uint32_t count = static_cast<std::uint32_t>(positional.size());
    TupleObj* kwnames = nullptr;
    ensure_stack(t, static_cast<std::size_t>(at) + count + 2 +
                        (kwargs.is_obj() ? static_cast<DictObj*>(kwargs.o)->table.live : 0));
    std::copy(positional.begin(), positional.end(), t.stack.begin() + at + 1);
    if (kwargs.is_obj()) {
        kwnames = new_tuple();
        const Table& table = static_cast<DictObj*>(kwargs.o)->table;
        for (const auto& e : table.entries) {
            if (e.deleted) continue;
            if (!(e.key.is_obj() && e.key.o->kind == ObjKind::Str)) {
                raise_type_error("keywords must be strings");
                goto error;
            }
            kwnames->items.push_back(Value::object(intern(static_cast<StrObj*>(e.key.o)->view())));
            t.stack[at + 1 + count] = e.value;
            ++count;
        }
        // Keep the names alive across the call: they ride in the frame's value.
        extra_roots_.push_back(Value::object(kwnames));
    }
    LOAD_FRAME();
    sp = t.stack.data() + at + 1 + count;
    DO_CALL(at, count, kwnames);
    if (kwnames) extra_roots_.pop_back();
    DISPATCH();
}
op_MAKE_FUNCTION: {
    SAVE_FRAME();
    FunctionObj* fn = heap_.make<FunctionObj>();
    fn->qualname = static_cast<StrObj*>(POP().o);
    fn->code = static_cast<CodeObj*>(POP().o);
    fn->name = fn->code->name;
    fn->module = f->module();
    // A lambda or def inside a method sees the method's class, as CPython's
    // __class__ cell does: zero-argument super() works in it. (A method's
    // own class is set when its class is made.)
    fn->defining_class = f->function ? f->function->defining_class : nullptr;
    if (arg & 8) {
        for (const Value& c : static_cast<TupleObj*>(POP().o)->items) fn->closure.push_back(static_cast<CellObj*>(c.o));
    }
    if (arg & 2) {
        auto* kw = static_cast<DictObj*>(POP().o);
        const CodeObj* c = fn->code;
        fn->kw_defaults.assign(c->kwonly_count, Value());
        fn->kw_default_present.assign(c->kwonly_count, false);
        for (std::uint32_t i = 0; i < c->kwonly_count; ++i) {
            const std::int64_t pos = table::find_interned(kw->table, c->local_names[c->arg_count + i]);
            if (pos >= 0) {
                fn->kw_defaults[i] = kw->table.entries[static_cast<std::size_t>(pos)].value;
                fn->kw_default_present[i] = true;
            }
        }
    }
    if (arg & 1) {
        const auto& d = static_cast<TupleObj*>(POP().o)->items;
        fn->defaults.assign(d.begin(), d.end());
    }
    PUSH(Value::object(fn));
    DISPATCH();
}
op_LOAD_BUILD_CLASS:
    PUSH(build_class_);
    DISPATCH();
op_IMPORT_NAME: {
    SAVE_FRAME();
    Value module;
    if (!import_module(code->names[arg], module)) goto error;
    LOAD_FRAME();
    PUSH(module);
    DISPATCH();
}
op_IMPORT_FROM: {
    SAVE_FRAME();
    Value out;
    if (!get_attr(TOP(), code->names[arg], out)) {
        if (has_pending() && is_instance(pending_, types.AttributeError)) {
            take_pending();
            auto* m = static_cast<ModuleObj*>(TOP().o);
            raise(types.ImportError, "cannot import name '" + std::string(code->names[arg]->view()) + "' from '" +
                                         std::string(m->name->view()) + "' (" +
                                         std::string(m->filename ? m->filename->view() : "unknown location") + ")");
        }
        goto error;
    }
    PUSH(out);
    DISPATCH();
}

op_SETUP_FINALLY:
    t.blocks.push_back(Block{Block::Finally, arg, STACK_INDEX(sp) - f->stack_base(), Value()});
    DISPATCH();
op_SETUP_WITH:
    t.blocks.push_back(Block{Block::Finally, arg, STACK_INDEX(sp) - 1 - f->stack_base(), Value()});
    DISPATCH();
op_POP_BLOCK:
    t.blocks.pop_back();
    DISPATCH();
op_POP_EXCEPT: {
    // The innermost ExceptHandler block of this frame ends its clause.
    Block b = t.blocks.back();
    t.blocks.pop_back();
    t.handled_exception = b.saved_exception;
    DISPATCH();
}
op_RERAISE: {
    pending_ = POP();
    add_trace = false;
    ERROR();
}
op_RAISE_VARARGS: {
    SAVE_FRAME();
    if (arg == 0) {
        if (t.handled_exception.is_none()) {
            raise(types.RuntimeError, "No active exception to reraise");
            goto error;
        }
        pending_ = t.handled_exception;
        add_trace = false;  // a bare raise keeps the traceback as it was
        goto error;
    }
    Value cause = arg == 2 ? POP() : Value::undef();
    Value exc = POP();
    if (!raise_from(exc, cause)) goto error;
    goto error;
}
op_JUMP_IF_NOT_EXC_MATCH: {
    SAVE_FRAME();
    Value type = POP();
    Value exc = POP();
    bool match = false;
    if (!exception_matches(exc, type, match)) goto error;
    if (!match) ip = code_start + arg;
    DISPATCH();
}
op_LOAD_ASSERTION_ERROR:
    PUSH(Value::object(types.AssertionError));
    DISPATCH();
op_WITH_EXCEPT_START: {
    // [exit, exc] -> [exit, exc, exit(type, exc, None)]
    Value exc = TOP();
    Value exit = SECOND();
    sp[0] = exit;
    sp[1] = Value::object(type_of(exc));
    sp[2] = exc;
    sp[3] = Value();
    sp += 4;
    DO_CALL(STACK_INDEX(sp - 4), 3, nullptr);
    DISPATCH();
}
op_LOAD_SPECIAL: {
    SAVE_FRAME();
    Value out;
    if (!get_attr(TOP(), code->names[arg], out)) {
        if (has_pending() && is_instance(pending_, types.AttributeError)) {
            take_pending();
            raise(types.TypeError, std::string("'") + type_name(TOP()) + "' object does not support the context manager protocol");
        }
        goto error;
    }
    TOP() = out;
    DISPATCH();
}

error:
    if (pending_.is_none()) raise(types.RuntimeError, "error without an exception (interpreter bug)");
    // An error raised while an except clause runs is chained to the exception
    // it handles, as raise_from() chains a `raise` statement's exception.
    if (!t.handled_exception.is_none() && !t.handled_exception.identical(pending_)) {
        auto* raised = static_cast<ExceptionObj*>(pending_.o);
        if (raised->context.is_none()) raised->context = t.handled_exception;
    }
error_after_return:
    if (unwind_exception(t, exit_depth, add_trace)) {
        add_trace = true;
        LOAD_FRAME();
        DISPATCH();
    }
    add_trace = true;
    SYNC_TICKS();
    return Exec::Raised;

soft_switched:
    // A fast op soft-switched this tasklet away: its frame waits for the
    // call's value in switch_at. No script code ran, so the frame is where
    // it was.
    f->pc = static_cast<std::uint32_t>(ip - code_start);
    f->sp = switch_at + 1;
    sched.add_ticks(static_cast<std::uint64_t>(budget_start - budget));
    t.run_since_wait = 0;  // it blocked, yielded or slept
    budget_start = budget;
    if (exit_depth == 0 && preemptible && t.running) {
        if (Thread* next = chain_to(t, sched)) CHAIN_TO(next);
    }
    return Exec::Switched;

budget_spent:
    // The instruction at ip has not run yet: a preemption resumes right here.
    ++budget;
    SAVE_FRAME();
    SYNC_TICKS();
    if (is_runaway(t)) {
        raise(types.RuntimeError, "runaway tasklet: ran more than " + std::to_string(options_.runaway_instructions) +
                                      " instructions without blocking, yielding or sleeping");
        t.run_since_wait = 0;  // it may catch the error and go on: the count starts again
        LOAD_FRAME();
        goto error;
    }
    if (preemptible && t.nesting > 0) [[unlikely]] {
        if (!preempt_nested()) {
            LOAD_FRAME();
            goto error;
        }
    } else if (preemptible) {
        spindle::Scheduler::SoftCall call(sched);
        try {
            sched.budget_check();
        } catch (...) {
            // a bomb delivered while switching (e.g. a kill): raise it here
            if (!raise_native_exception(std::current_exception())) {
                LOAD_FRAME();
                goto error;
            }
        }
        if (call.switched()) {
            t.pending = Pending::None;
            return Exec::Switched;
        }
    }
    budget_start = budget = next_budget(sched, preemptible);
    if (budget <= 0) budget_start = budget = 1;  // due but deferred (atomic): check again after one instruction
    LOAD_FRAME();
    DISPATCH();

#undef LOAD_FRAME
#undef SAVE_FRAME
#undef DISPATCH
#undef ERROR
#undef TOP
#undef SECOND
#undef PUSH
#undef POP
#undef DO_CALL
#undef RUN_CALL
#undef RUN_FAST
#undef CHAIN_TO
#undef STACK_INDEX
#undef CACHE
#undef SYNC_TICKS
}
#undef SPINDLE_PINNED

}  // namespace spindle::vm
