// The `stackless` and `spindle` script modules: Stackless Python's API on the
// shared runtime. Index:
//   [SOFT OPS]   running a scheduler operation from a script tasklet
//   [MODULE]     schedule, run, getcurrent, callbacks, atomic, ...
//   [TASKLET]    the tasklet class: bind/setup/run/kill/throw and attributes
//   [CHANNEL]    the channel class
//   [SPINDLE]    frame ticks: next_frame, sleep, frame
//   [PRELUDE]    methods written in Python (they may block: heap frames)
#include <cstdio>
#include <string>

#include "script/parser.hpp"
#include "vm/builtins_support.hpp"
#include "vm/compiler.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

// ============================================================================
// [SOFT OPS]
// ============================================================================

// A runtime callback runs in the middle of a switch: it may not make one.
bool refuse_in_callback(Interpreter& in) {
    return in.raise(in.types.RuntimeError, "cannot switch tasklets inside a schedule or channel callback or an error handler");
}

// `op` for a tasklet inside a call from C++ (a key= function, __eq__ on a
// hash collision, __next__ for list() ...): those C++ frames cannot be
// unwound, so a switch keeps them on the tasklet's stack (a hard switch,
// as Stackless makes) and `op` returns when the tasklet is resumed.
template <class Op>
bool hard_op(Interpreter& in, Op&& op, Value& out) {
    if (in.in_runtime_callback()) return refuse_in_callback(in);
    Payload result;
    try {
        in.scheduler().reserve_driver();  // the one step that may fail, before anything changes
        result = op();
    } catch (const spindle::detail::ForcedUnwind&) {
        throw;
    } catch (...) {
        return in.raise_native_exception(std::current_exception());
    }
    if (result.is_bomb()) return in.raise_native_exception(result.bomb_error());
    return from_payload(in, result, out);
}

// Runs `op` (a scheduler call) for the current script tasklet. If it switched
// away, the call's value comes when the tasklet is resumed; otherwise `op`'s
// result is the value now.
template <class Op>
bool soft_op(Interpreter& in, Op&& op, Value& out, Pending pending = Pending::Result, bool channel_op = false) {
    Thread& th = in.current_thread();
    spindle::Scheduler& s = in.scheduler();
    if (channel_op && th.nesting > 0 && s.in_channel_callback()) {
        // Inside a channel callback the runtime refuses the channel call
        // itself (with Stackless's message) before anything could switch.
        spindle::Scheduler::SoftCall call(s);
        try {
            Payload result = op();
            (void)result;
        } catch (...) {
            call.switched();
            return in.raise_native_exception(std::current_exception());
        }
    }
    if (th.nesting > 0) return hard_op(in, op, out);
    spindle::Scheduler::SoftCall call(s);
    Payload result;
    try {
        result = op();
    } catch (...) {
        call.switched();
        return in.raise_native_exception(std::current_exception());
    }
    if (call.switched()) {
        in.request_switch(pending);
        out = Value();
        return true;
    }
    if (result.is_bomb()) return in.raise_native_exception(result.bomb_error());
    return from_payload(in, result, out);
}

// Argument counts with the wording Stackless's C functions get from CPython
// (METH_NOARGS, METH_O, PyArg's "at most"): "send() takes exactly one
// argument (0 given)". `self` is 1 for methods, whose receiver is a[0] and
// is not counted.
bool arity(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t min, std::uint32_t max,
           std::uint32_t self = 0) {
    if (a.kwnames == nullptr && a.count >= min + self && a.count <= max + self) [[likely]] return true;
    if (a.kwnames) return in.raise_type_error(std::string(name) + "() takes no keyword arguments");
    const std::string given = " (" + std::to_string(a.count - self) + " given)";
    if (max == 0) return in.raise_type_error(std::string(name) + "() takes no arguments" + given);
    if (min == 1 && max == 1) return in.raise_type_error(std::string(name) + "() takes exactly one argument" + given);
    if (a.count - self > max) {
        return in.raise_type_error(std::string(name) + "() takes at most " + std::to_string(max) + " argument" +
                                   (max == 1 ? "" : "s") + given);
    }
    return in.raise_type_error(std::string(name) + "() takes at least " + std::to_string(min) + " argument" +
                               (min == 1 ? "" : "s") + given);
}

// Converts runtime errors (bad state, closed channel) to script exceptions.
template <class Op>
bool guarded(Interpreter& in, Op&& op) {
    try {
        op();
        return true;
    } catch (...) {
        return in.raise_native_exception(std::current_exception());
    }
}

spindle::Tasklet& tasklet_of(Value v) { return static_cast<TaskletObj*>(v.o)->tasklet; }
spindle::ChannelObject& channel_of(Value v) { return *static_cast<ChannelObj*>(v.o)->channel; }

bool bool_arg(Interpreter& in, const CallArgs& a, std::uint32_t index, std::string_view name, bool fallback, bool& out) {
    Value v = index < a.positional_count() ? a[index] : keyword(a, name);
    if (v.is_undef()) {
        out = fallback;
        return true;
    }
    return in.truthy(v, out);
}

// ============================================================================
// [MODULE]
// ============================================================================

bool sl_getcurrent(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getcurrent", 0, 0)) return false;
    out = in.wrap_tasklet(in.scheduler().getcurrent());
    return true;
}

bool sl_getmain(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getmain", 0, 0)) return false;
    out = in.wrap_tasklet(in.scheduler().getmain());
    return true;
}

bool sl_getruncount(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getruncount", 0, 0)) return false;
    out = Value::integer(in.scheduler().getruncount());
    return true;
}

bool sl_getcurrentid(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getcurrentid", 0, 0)) return false;
    out = Value::integer(static_cast<std::int64_t>(in.scheduler().getcurrent().id()));
    return true;
}

bool sl_getdebug(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getdebug", 0, 0)) return false;
    out = Value::boolean(false);  // what a release build of Stackless says
    return true;
}

// Tasklets with a C stack of their own: in Spindle, the native tasklets that
// have started, and script tasklets waiting inside a call from C++.
Value uncollectables(Interpreter& in) {
    ListObj* list = in.new_list();
    Value result = Value::object(list);
    for (const spindle::Tasklet& t : in.scheduler().all_tasklets()) {
        if (t.kind() != spindle::TaskletKind::Main && t.alive() && !t.restorable()) {
            list->items.push_back(in.wrap_tasklet(t));
        }
    }
    return result;
}

bool sl_getuncollectables(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "getuncollectables", 0, 0)) return false;
    out = uncollectables(in);
    return true;
}

bool schedule_common(Interpreter& in, const CallArgs& a, Value& out, bool remove) {
    if (a.kwnames && !only_keywords(in, a, remove ? "schedule_remove" : "schedule", {"retval"})) return false;
    if (a.positional_count() > 1) {
        return in.raise_type_error(std::string(remove ? "schedule_remove" : "schedule") + "() takes at most 1 argument (" +
                                   std::to_string(a.positional_count()) + " given)");
    }
    Value retval = a.positional_count() == 1 ? a[0] : a.kwnames ? keyword(a, "retval") : Value::undef();
    if (retval.is_undef()) retval = in.wrap_tasklet(in.scheduler().getcurrent());
    spindle::Scheduler& s = in.scheduler();
    return soft_op(in, [&] { return remove ? s.schedule_remove(to_payload(retval)) : s.schedule(to_payload(retval)); }, out);
}
bool sl_schedule(Interpreter& in, const CallArgs& a, Value& out) { return schedule_common(in, a, out, false); }
bool sl_schedule_remove(Interpreter& in, const CallArgs& a, Value& out) { return schedule_common(in, a, out, true); }

// run(timeout=0, threadblock=False, soft=False, ignore_nesting=False, totaltimeout=False)
bool sl_run(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "run", {"timeout", "threadblock", "soft", "ignore_nesting", "totaltimeout"})) return false;
    spindle::RunOptions options;
    Value timeout = a.positional_count() > 0 ? a[0] : keyword(a, "timeout");
    if (!timeout.is_undef() && !timeout.is_none()) {
        if (!timeout.is_intlike()) return in.raise_type_error("run() timeout must be an integer");
        options.timeout = timeout.as_int();
    }
    bool threadblock;
    if (!bool_arg(in, a, 1, "threadblock", false, threadblock)) return false;
    if (!bool_arg(in, a, 2, "soft", false, options.soft)) return false;
    if (!bool_arg(in, a, 3, "ignore_nesting", false, options.ignore_nesting)) return false;
    if (!bool_arg(in, a, 4, "totaltimeout", false, options.totaltimeout)) return false;
    spindle::Scheduler& s = in.scheduler();
    Thread& th = in.current_thread();
    if (th.nesting > 0) {
        // Inside a call from C++: the watchdog waits on this stack (hard).
        if (in.in_runtime_callback()) return refuse_in_callback(in);
        try {
            s.reserve_driver();
            spindle::Tasklet victim = s.run(options);
            out = victim ? in.wrap_tasklet(victim) : Value();
            return true;
        } catch (const spindle::detail::ForcedUnwind&) {
            throw;
        } catch (...) {
            return in.raise_native_exception(std::current_exception());
        }
    }
    // Where the call waits if it switches away (the current tasklet changes then).
    auto* self = static_cast<ScriptTaskletState*>(s.getcurrent().script_state());
    if (!self) return in.raise(in.types.RuntimeError, "run() called from a tasklet that is not running a script");
    // The soft call must name this tasklet before begin_run takes it out of the queue.
    spindle::Scheduler::SoftCall soft(s);
    spindle::Scheduler::WatchdogCall call = s.begin_run(options, false);
    Payload result;
    try {
        result = s.run_switch(call);
    } catch (...) {
        soft.switched();
        s.abort_run(call);
        return in.raise_native_exception(std::current_exception());
    }
    if (soft.switched()) {
        self->watchdog = std::make_unique<spindle::Scheduler::WatchdogCall>(call);
        in.request_switch(Pending::Watchdog);
        out = Value();
        return true;
    }
    try {
        spindle::Tasklet victim = s.finish_run(call, std::move(result));
        out = victim ? in.wrap_tasklet(victim) : Value();
        return true;
    } catch (...) {
        return in.raise_native_exception(std::current_exception());
    }
}

// stackless.current, .main, .runcount: read live from the scheduler.
bool sl_dynamic_attr(Interpreter& in, const CallArgs& a, Value& out) {
    const std::string_view name = as_str(a[1])->view();
    spindle::Scheduler& s = in.scheduler();
    if (name == "current") out = in.wrap_tasklet(s.getcurrent());
    else if (name == "main") out = in.wrap_tasklet(s.getmain());
    else if (name == "runcount") out = Value::integer(s.getruncount());
    else if (name == "debug") out = Value::boolean(false);
    else if (name == "uncollectables") out = uncollectables(in);
    else out = Value::undef();
    return true;
}

bool sl_switch_trap(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "switch_trap", 0, 1)) return false;  // switch_trap(delta=0): 0 just reads it
    const Value delta = a.count == 1 ? a[0] : Value::integer(0);
    if (!delta.is_intlike()) return in.raise_type_error("switch_trap() argument must be an integer");
    out = Value::integer(in.scheduler().switch_trap(static_cast<int>(delta.as_int())));
    return true;
}

bool sl_enable_softswitch(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "enable_softswitch", 1, 1)) return false;
    out = Value::boolean(true);  // script tasklets always soft-switch
    return true;
}

// set_schedule_callback(cb): cb(prev, next) on every switch.
bool sl_set_schedule_callback(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "set_schedule_callback", 1, 1)) return false;
    out = in.schedule_callback_value();
    in.set_schedule_callback_value(a[0]);
    return true;
}
bool sl_get_schedule_callback(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "get_schedule_callback", 0, 0)) return false;
    out = in.schedule_callback_value();
    return true;
}
bool sl_set_channel_callback(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "set_channel_callback", 1, 1)) return false;
    out = in.channel_callback_value();
    in.set_channel_callback_value(a[0]);
    return true;
}
bool sl_get_channel_callback(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "get_channel_callback", 0, 0)) return false;
    out = in.channel_callback_value();
    return true;
}
bool sl_set_error_handler(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "set_error_handler", 1, 1)) return false;
    out = in.error_handler_value();
    in.set_error_handler_value(a[0]);
    return true;
}

// atomic(): a context manager that sets current.atomic and restores it.
bool atomic_new(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "atomic", 0, 0)) return false;
    auto* inst = in.heap().make<InstanceObj>(in.stackless_atomic_class());
    inst->shape = nullptr;
    inst->slots.push_back(Value::boolean(false));
    out = Value::object(inst);
    return true;
}
bool atomic_enter(Interpreter& in, const CallArgs& a, Value& out) {
    auto* inst = static_cast<InstanceObj*>(a[0].o);
    inst->slots[0] = Value::boolean(in.scheduler().getcurrent().set_atomic(true));
    out = a[0];
    return true;
}
bool atomic_exit(Interpreter& in, const CallArgs& a, Value& out) {
    auto* inst = static_cast<InstanceObj*>(a[0].o);
    in.scheduler().getcurrent().set_atomic(inst->slots[0].b);
    out = Value::boolean(false);
    return true;
}

// ============================================================================
// [TASKLET]
// ============================================================================

ScriptTaskletState* state_of(const spindle::Tasklet& t) { return static_cast<ScriptTaskletState*>(t.script_state()); }

bool bind_arguments_to(Interpreter& in, ScriptTaskletState* state, Value func, Value args, Value kwargs) {
    if (!func.is_none() && !func.is_undef()) state->set_function(func);
    tracked_vector<Value> list;
    if (!args.is_undef() && !args.is_none() && !in.to_list(args, list)) return false;
    state->bind(state->function(), list.data(), static_cast<std::uint32_t>(list.size()),
                (kwargs.is_undef() || kwargs.is_none()) ? Value::undef() : kwargs);
    return true;
}

// tasklet(func=None, args=None, kwargs=None)
bool tasklet_new(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "tasklet", {"func", "args", "kwargs"})) return false;
    Value func = a.positional_count() > 0 ? a[0] : keyword(a, "func");
    Value args = a.positional_count() > 1 ? a[1] : keyword(a, "args");
    Value kwargs = a.positional_count() > 2 ? a[2] : keyword(a, "kwargs");
    ScriptTaskletState* raw = nullptr;
    spindle::Tasklet t = ScriptTaskletState::create(raw);
    out = in.wrap_tasklet(t);
    const bool has_func = !func.is_undef() && !func.is_none();
    if (has_func) {
        bool callable = func.is_obj() && (func.o->kind == ObjKind::Function || func.o->kind == ObjKind::Native ||
                                         func.o->kind == ObjKind::BoundMethod || func.o->kind == ObjKind::Class);
        if (!callable) callable = !in.lookup_in_class(in.type_of(func), in.names.call).is_undef();
        if (!callable) return in.raise_type_error("tasklet function must be a callable or None");
        raw->set_function(func);
    }
    const bool with_args = !args.is_undef() || !kwargs.is_undef();
    if (!guarded(in, [&] { t.bind_script(has_func, with_args && has_func); })) return false;
    if (with_args && has_func && !bind_arguments_to(in, raw, func, args, kwargs)) return false;
    return true;
}

bool tasklet_bind(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "bind", {"func", "args", "kwargs"})) return false;
    spindle::Tasklet& t = tasklet_of(a[0]);
    ScriptTaskletState* state = state_of(t);
    if (!state) return in.raise(in.types.RuntimeError, "tasklet has C state on its stack");
    Value func = a.positional_count() > 1 ? a[1] : keyword(a, "func");
    Value args = a.positional_count() > 2 ? a[2] : keyword(a, "args");
    Value kwargs = a.positional_count() > 3 ? a[3] : keyword(a, "kwargs");
    const bool has_func = !func.is_undef() && !func.is_none();
    const bool with_args = (!args.is_undef() && !args.is_none()) || (!kwargs.is_undef() && !kwargs.is_none());
    // Arguments alone need a function bound earlier.
    if (!has_func && with_args && !state->has_function()) {
        return in.raise(in.types.RuntimeError, "the tasklet was not bound to a function");
    }
    if (!guarded(in, [&] { t.bind_script(has_func || (with_args && !state->function().is_undef()), with_args); })) return false;
    state->started = false;
    if (has_func) state->set_function(func);
    else if (!with_args) state->unbind();
    if (with_args && !bind_arguments_to(in, state, func, args, kwargs)) return false;
    if (!with_args) state->drop_arguments();
    out = a[0];
    return true;
}

// tasklet.__init__(func=None, args=None, kwargs=None): what a subclass's
// constructor reaches (the base class's own calls bind in tasklet_new).
bool tasklet_init(Interpreter& in, const CallArgs& a, Value& out) {
    out = Value();
    if (a.count <= 1) return true;
    Value ignored;
    return tasklet_bind(in, a, ignored);
}

// channel.__init__(): nothing to set up beyond what channel_new made.
// Stackless's channel takes and ignores any arguments, in __new__ and in
// __init__ (a subclass's constructor arguments reach both).
bool channel_init(Interpreter&, const CallArgs&, Value& out) {
    out = Value();
    return true;
}

// setup(*args, **kwargs) and __call__: bind the arguments and insert.
bool tasklet_setup(Interpreter& in, const CallArgs& a, Value& out) {
    spindle::Tasklet& t = tasklet_of(a[0]);
    ScriptTaskletState* state = state_of(t);
    if (!state) return in.raise(in.types.RuntimeError, "tasklet is alive");
    if (t.alive()) return in.raise(in.types.RuntimeError, "tasklet is alive");
    if (state->function().is_undef()) return in.raise(in.types.RuntimeError, "the tasklet was not bound to a function");
    Value kwargs = Value::undef();
    if (a.keyword_count() > 0) {
        DictObj* dict = in.new_dict();
        kwargs = Value::object(dict);
        for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
            if (!table::insert(in, dict->table, a.kwnames->items[k], a[a.positional_count() + k])) return false;
        }
    }
    state->bind(state->function(), a.values + 1, a.positional_count() - 1, kwargs);
    state->started = false;
    if (!guarded(in, [&] { t.setup(); })) return false;
    out = a[0];
    return true;
}

bool tasklet_insert(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "insert", 0, 0, 1)) return false;
    out = a[0];
    return guarded(in, [&] { tasklet_of(a[0]).insert(); });
}

bool tasklet_remove(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "remove", 0, 0, 1)) return false;
    out = a[0];
    return guarded(in, [&] { tasklet_of(a[0]).remove(); });
}

bool tasklet_run(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "run", 0, 0, 1)) return false;
    spindle::Tasklet t = tasklet_of(a[0]);
    return soft_op(in, [&] { t.run(); return Payload(); }, out);
}

bool tasklet_switch(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "switch", 0, 0, 1)) return false;
    spindle::Tasklet t = tasklet_of(a[0]);
    return soft_op(in, [&] { t.switch_to(); return Payload(); }, out);
}

bool tasklet_kill(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "kill", {"pending"})) return false;
    if (a.positional_count() > 2) {
        return in.raise_type_error("kill() takes at most 1 argument (" + std::to_string(a.positional_count() - 1) + " given)");
    }
    bool pending;
    if (!bool_arg(in, a, 1, "pending", false, pending)) return false;
    spindle::Tasklet t = tasklet_of(a[0]);
    return soft_op(in, [&] { t.kill(pending); return Payload(); }, out);
}

bool is_exception_class(Value v) {
    return v.is_obj() && v.o->kind == ObjKind::Class && static_cast<ClassObj*>(v.o)->is_exception;
}

// send_exception and raise_exception take a class only (never an instance):
// `cls(*args)`. `who` names the method in Stackless's message.
bool make_exception(Interpreter& in, const char* who, Value exc, const Value* args, std::uint32_t count, Value& out) {
    if (is_exception_class(exc)) return in.call(exc, args, count, out);
    return in.raise_type_error(std::string(who) + " needs Exception or string subclass as first parameter");
}

// throw and send_throw follow `raise` (CPython's PyErr_Restore + normalize):
// a class with an optional value (a tuple spreads into args), or an
// instance with no separate value.
bool make_thrown(Interpreter& in, Value exc, Value val, Value& out) {
    const bool no_val = val.is_undef() || val.is_none();
    if (is_exception_class(exc)) {
        if (no_val) return in.call(exc, nullptr, 0, out);
        if (in.is_instance(val, static_cast<ClassObj*>(exc.o))) {
            out = val;
            return true;
        }
        if (val.is_obj() && val.o->kind == ObjKind::Tuple) {
            const auto& items = static_cast<TupleObj*>(val.o)->items;
            return in.call(exc, items.data(), static_cast<std::uint32_t>(items.size()), out);
        }
        return in.call(exc, &val, 1, out);
    }
    if (exc.is_obj() && exc.o->kind == ObjKind::Exception) {
        if (!no_val) return in.raise_type_error("instance exception may not have a separate value");
        out = exc;
        return true;
    }
    return in.raise_type_error(std::string("exceptions must be classes, or instances, not ") + in.type_name(exc));
}

// throw(exc=None, val=None, tb=None, pending=False)
bool tasklet_throw(Interpreter& in, const CallArgs& a, Value& out) {
    if (!only_keywords(in, a, "throw", {"exc", "val", "tb", "pending"})) return false;
    Value exc = a.positional_count() > 1 ? a[1] : keyword(a, "exc");
    Value val = a.positional_count() > 2 ? a[2] : keyword(a, "val");
    bool pending;
    if (!bool_arg(in, a, 4, "pending", false, pending)) return false;
    if (exc.is_undef()) return in.raise_type_error("throw() missing required argument 'exc' (pos 1)");
    Value instance;
    if (!make_thrown(in, exc, val, instance)) return false;
    spindle::Tasklet t = tasklet_of(a[0]);
    std::exception_ptr error = in.exception_to_native(instance);
    return soft_op(in, [&] { t.throw_exception(error, pending); return Payload(); }, out);
}

// raise_exception(cls, *args)
bool tasklet_raise_exception(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.positional_count() < 2) return in.raise_type_error("raise_exception() takes at least 1 argument");
    Value instance;
    if (!make_exception(in, "tasklet.raise_exception", a[1], a.values + 2, a.positional_count() - 2, instance)) return false;
    spindle::Tasklet t = tasklet_of(a[0]);
    std::exception_ptr error = in.exception_to_native(instance);
    return soft_op(in, [&] { t.throw_exception(error, false); return Payload(); }, out);
}

bool tasklet_set_atomic(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "set_atomic", 1, 1, 1)) return false;
    bool flag;
    if (!in.truthy(a[1], flag)) return false;
    out = Value::boolean(tasklet_of(a[0]).set_atomic(flag));
    return true;
}

bool tasklet_set_ignore_nesting(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "set_ignore_nesting", 1, 1, 1)) return false;
    bool flag;
    if (!in.truthy(a[1], flag)) return false;
    out = Value::boolean(tasklet_of(a[0]).set_ignore_nesting(flag));
    return true;
}

bool tasklet_repr(Interpreter& in, const CallArgs& a, Value& out) {
    const spindle::Tasklet& t = tasklet_of(a[0]);
    out = in.str("<_stackless.tasklet object at 0x" + std::to_string(t.id()) + ">");
    return true;
}

// ============================================================================
// [CHANNEL]
// ============================================================================

bool channel_new(Interpreter& in, const CallArgs&, Value& out) {
    out = in.wrap_channel(new spindle::ChannelObject(in.scheduler()));
    return true;
}

bool channel_send(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "send", 1, 1, 1)) return false;
    spindle::ChannelObject& ch = channel_of(a[0]);
    Value v = a[1];
    return soft_op(in, [&] { ch.send(to_payload(v)); return Payload(); }, out, Pending::Result, true);
}

bool channel_receive(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "receive", 0, 0, 1)) return false;
    spindle::ChannelObject& ch = channel_of(a[0]);
    return soft_op(in, [&] { return ch.receive(); }, out, Pending::Result, true);
}

// send_exception(cls, *args)
bool channel_send_exception(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.positional_count() < 2) return in.raise_type_error("send_exception() takes at least 1 argument");
    Value instance;
    if (!make_exception(in, "channel.send_exception", a[1], a.values + 2, a.positional_count() - 2, instance)) return false;
    spindle::ChannelObject& ch = channel_of(a[0]);
    std::exception_ptr error = in.exception_to_native(instance);
    return soft_op(in, [&] { ch.send_exception(error); return Payload(); }, out, Pending::Result, true);
}

// send_throw(exc, val=None, tb=None)
bool channel_send_throw(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.positional_count() < 2 || a.positional_count() > 4) return in.raise_type_error("send_throw() takes 1 to 3 arguments");
    Value val = a.positional_count() > 2 ? a[2] : Value();
    Value instance;
    if (!make_thrown(in, a[1], val, instance)) return false;
    spindle::ChannelObject& ch = channel_of(a[0]);
    std::exception_ptr error = in.exception_to_native(instance);
    return soft_op(in, [&] { ch.send_exception(error); return Payload(); }, out, Pending::Result, true);
}

// ---- channel pickling protocol: Stackless's (type, (), (balance, flags, [blocked tasklets]))

// Stackless packs the flags as bits: closing, the preference in two bits
// (two's complement), schedule_all.
int channel_flags(const spindle::ChannelObject& ch) {
    return (ch.closing() ? 1 : 0) | ((ch.preference() & 3) << 1) | (ch.schedule_all() ? 8 : 0);
}

Value channel_reduction(Interpreter& in, Value self) {
    const spindle::ChannelObject& ch = channel_of(self);
    ListObj* blocked = in.new_list();
    for (const spindle::Tasklet& t : ch.blocked_tasklets()) blocked->items.push_back(in.wrap_tasklet(t));
    TupleObj* state = in.new_tuple();
    state->items.assign({Value::integer(ch.balance()), Value::integer(channel_flags(ch)), Value::object(blocked)});
    TupleObj* reduction = in.new_tuple();
    reduction->items.assign({Value::object(in.type_of(self)), Value::object(in.new_tuple()), Value::object(state)});
    return Value::object(reduction);
}

bool channel_reduce(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "__reduce__", 0, 0, 1)) return false;
    out = channel_reduction(in, a[0]);
    return true;
}

// (Stackless takes any arguments here, and ignores them.)
bool channel_reduce_ex(Interpreter& in, const CallArgs& a, Value& out) {
    out = channel_reduction(in, a[0]);
    return true;
}

// A C int from a state field, with the words of Stackless's argument parser.
bool c_int_field(Interpreter& in, Value v, int& out) {
    if (v.is_float()) return in.raise_type_error("integer argument expected, got float");
    if (!v.is_intlike()) return in.raise_type_error(std::string("an integer is required (got type ") + in.type_name(v) + ")");
    const std::int64_t i = v.as_int();
    if (i > INT32_MAX) return in.raise(in.types.OverflowError, "signed integer is greater than maximum");
    if (i < INT32_MIN) return in.raise(in.types.OverflowError, "signed integer is less than minimum");
    out = static_cast<int>(i);
    return true;
}

// __setstate__((balance, flags, [tasklets])): the channel lets go of the
// tasklets blocked on it (they are left paused), takes the flags, and
// blocks each listed tasklet that can block, in order, in the direction of
// `balance`. Stackless also links tasklets that cannot run (dead, in the
// run queue, current) into the queue; here those are left as they are.
bool channel_setstate(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "__setstate__", 1, 1, 1)) return false;
    const Value state = a[1];
    if (!state.is_obj() || state.o->kind != ObjKind::Tuple) {
        return in.raise(in.types.SystemError, "new style getargs format but argument is not a tuple");
    }
    const auto& fields = static_cast<TupleObj*>(state.o)->items;
    if (fields.size() != 3) {
        return in.raise_type_error("channel() takes exactly 3 arguments (" + std::to_string(fields.size()) + " given)");
    }
    int balance = 0, flags = 0;
    if (!c_int_field(in, fields[0], balance) || !c_int_field(in, fields[1], flags)) return false;
    if (!fields[2].is_obj() || fields[2].o->kind != ObjKind::List) {
        return in.raise_type_error(std::string("channel() argument 3 must be list, not ") + in.type_name(fields[2]));
    }
    spindle::ChannelObject& ch = channel_of(a[0]);
    ch.release_blocked();
    if (flags & 1) ch.close();
    else ch.open();
    // Two bits, signed (Stackless keeps 2 as -2; the runtime knows -1, 0 and 1).
    const int preference_bits = flags >> 1 & 3;
    ch.set_preference(preference_bits >= 2 ? preference_bits - 4 : preference_bits);
    ch.set_schedule_all((flags & 8) != 0);
    const int direction = balance > 0 ? 1 : -1;
    for (const Value& item : static_cast<ListObj*>(fields[2].o)->items) {  // (blocking runs no script code)
        if (item.is_obj() && item.o->kind == ObjKind::Tasklet) ch.block_paused(tasklet_of(item), direction);
    }
    out = a[0];
    return true;
}

bool channel_close(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "close", 0, 0, 1)) return false;
    channel_of(a[0]).close();
    out = Value();
    return true;
}

bool channel_open(Interpreter& in, const CallArgs& a, Value& out) {
    if (!arity(in, a, "open", 0, 0, 1)) return false;
    channel_of(a[0]).open();
    out = Value();
    return true;
}

bool channel_repr(Interpreter& in, const CallArgs& a, Value& out) {
    out = in.str("<_stackless.channel object at 0x" + std::to_string(channel_of(a[0]).id()) + ">");
    return true;
}

// ============================================================================
// [SPINDLE]
// ============================================================================

bool sleep_frames(Interpreter& in, std::int64_t frames, Value& out) {
    spindle::Scheduler& s = in.scheduler();
    if (frames <= 0) return soft_op(in, [&] { s.schedule(); return Payload(); }, out);
    if (in.current_thread().nesting > 0 && in.in_runtime_callback()) return refuse_in_callback(in);
    out = Value();
    // No extra safe point: the interpreter already counts every instruction.
    if (!s.register_sleep(frames, false)) return true;
    return soft_op(in, [&] { return s.sleep_switch(); }, out);
}

bool sp_sleep(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "sleep", 1, 1)) return false;
    if (!a[0].is_intlike()) return in.raise_type_error("sleep() takes a whole number of frames");
    return sleep_frames(in, a[0].as_int(), out);
}

bool sp_next_frame(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "next_frame", 0, 0)) return false;
    return sleep_frames(in, 1, out);
}

bool sp_frame(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "frame", 0, 0)) return false;
    out = Value::integer(in.scheduler().frame());
    return true;
}

// ============================================================================
// [PRELUDE]
// ============================================================================

// Channel iteration and send_sequence may block between items, so they are
// script code: each step is an ordinary call that can soft-switch.
const char* const kChannelPrelude = R"(
def __iter__(self):
    return self

def __next__(self):
    if self.closing and self.balance <= 0:
        raise StopIteration
    return self.receive()

def send_sequence(self, seq):
    n = 0
    for item in seq:
        self.send(item)
        n += 1
    return n
)";

// Stackless defines its types in the C module _stackless, and its messages
// and reprs say "_stackless.tasklet".
void name_stackless_type(Interpreter& in, ClassObj* cls) {
    cls->module_name = in.intern("_stackless");
    cls->dotted_name = in.intern("_stackless." + std::string(cls->name->view()));
}

void install_prelude(Interpreter& in, ClassObj* cls, const char* source, const char* filename) {
    script::ParseResult parsed = script::parse(source, filename);
    if (!parsed.ok()) return;
    CodeObj* code = compile_module(in, parsed.module(), "stackless");
    ModuleObj* scratch = in.new_module("stackless");
    Value ignored;
    FunctionObj* fn = in.heap().make<FunctionObj>();
    fn->code = code;
    fn->module = scratch;
    fn->name = code->name;
    fn->qualname = code->qualname;
    in.call(Value::object(fn), nullptr, 0, ignored);
    for (const auto& e : scratch->globals->table.entries) {
        if (!e.deleted && e.value.is_obj() && e.value.o->kind == ObjKind::Function) table::insert(in, cls->dict->table, e.key, e.value);
    }
}

}  // namespace

// A script tasklet (or a script main) has C state only while it waits in a
// nested run(): every other switch of its frames is soft.
int script_nesting_level(Interpreter& in, const spindle::Tasklet& t) { return in.nesting_level_of(t); }

// Script frames resume anywhere, unless a call from C++ is under way on
// the tasklet's stack (main waiting in run() is restorable, as in Stackless).
static bool script_restorable(Interpreter& in, const spindle::Tasklet& t) {
    const ScriptTaskletState* state = state_of(t);
    if (in.scheduler().hard_suspended(t)) return false;
    return !t.alive() || !state->thread || state->thread->nesting == 0;
}

// Stackless counts the Python frames on the tasklet's stack (main's module
// frame included).
int script_recursion_depth(const spindle::Tasklet& t) {
    const ScriptTaskletState* state = state_of(t);
    if (!state || !state->thread || !t.alive()) return 0;
    return static_cast<int>(state->thread->frames.size());
}

// ---- tasklet.frame

// A snapshot of a thread's frames as Stackless shows them, top first:
// `frame` objects with f_code, f_lineno, f_locals, f_globals and f_back.
// Taken when asked for: unlike CPython's live frames, a snapshot keeps the
// line and locals it was taken with while its tasklet runs on.
static Value frame_snapshot(Interpreter& in, const Thread& th) {
    Value back;
    for (std::size_t i = 0; i < th.frames.size(); ++i) {
        const Frame& f = th.frames[i];
        const CodeObj& code = *f.code;
        DictObj* globals = f.function->module->globals;
        DictObj* locals = nullptr;
        if (f.names()) {
            locals = f.names();  // a class body's namespace
        } else if (code.name && code.name->view() == "<module>") {
            locals = globals;
        } else {
            locals = in.new_dict();
            for (std::size_t k = 0; k < code.local_names.size() && k < code.local_count + code.free_count; ++k) {
                Value v = th.stack[f.base + k];
                if (v.is_obj() && v.o->kind == ObjKind::Cell) {  // (scripts never see a cell as a value)
                    const auto* cell = static_cast<const CellObj*>(v.o);
                    v = cell->empty ? Value::undef() : cell->value;
                }
                if (!v.is_undef()) table::insert(in, locals->table, Value::object(code.local_names[k]), v);
            }
        }
        const Value frame = in.make_instance(in.types.frame, nullptr, 0);
        in.set_attr(frame, in.intern("f_back"), back);
        in.set_attr(frame, in.intern("f_code"), Value::object(f.code));
        in.set_attr(frame, in.intern("f_lineno"), Value::integer(code.line_of(f.pc > 0 ? f.pc - 1 : 0)));
        in.set_attr(frame, in.intern("f_locals"), Value::object(locals));
        in.set_attr(frame, in.intern("f_globals"), Value::object(globals));
        back = frame;
    }
    return back;
}

// Frames come only from tasklet.frame.
static bool frame_new(Interpreter& in, const CallArgs&, Value&) {
    return in.raise_type_error("cannot create 'frame' instances");
}

// <frame at 0x..., file 'agents.py', line 12, code think>, as CPython writes it.
static bool frame_repr(Interpreter& in, const CallArgs& a, Value& out) {
    Value code, line;
    if (!in.get_attr(a[0], in.intern("f_code"), code) || !in.get_attr(a[0], in.intern("f_lineno"), line)) return false;
    const auto* c = static_cast<const CodeObj*>(code.o);
    char address[32];
    std::snprintf(address, sizeof address, "%p", static_cast<const void*>(a[0].o));
    out = in.str("<frame at " + std::string(address) + ", file '" + std::string(c->filename->view()) + "', line " +
                 std::to_string(line.i) + ", code " + std::string(c->name->view()) + ">");
    return true;
}

// Stackless's getters without a setter refuse writes by name; any other
// name is left to the caller (found = false).
static bool read_only_attr(Interpreter& in, Value object, StrObj* name, bool& found) {
    Value probe;
    if (!in.runtime_attr(object, name, probe, found)) return false;
    if (!found) return true;
    return in.raise(in.types.AttributeError, "attribute '" + std::string(name->view()) + "' of '" + in.type_name(object) +
                                                 "' objects is not writable");
}

// Attribute reads on tasklets and channels (their state lives in the runtime).
bool Interpreter::runtime_attr(Value object, StrObj* name, Value& out, bool& found) {
    found = true;
    const std::string_view n = name->view();
    if (object.o->kind == ObjKind::Tasklet) {
        const spindle::Tasklet& t = tasklet_of(object);
        try {
            if (n == "alive") out = Value::boolean(t.alive());
            else if (n == "blocked") out = Value::boolean(t.blocked());
            else if (n == "paused") out = Value::boolean(t.paused());
            else if (n == "scheduled") out = Value::boolean(t.scheduled());
            else if (n == "restorable") out = Value::boolean(state_of(t) ? script_restorable(*this, t) : t.restorable());
            else if (n == "is_main") out = Value::boolean(t.is_main());
            else if (n == "is_current") out = Value::boolean(t.is_current());
            else if (n == "atomic") out = Value::boolean(t.atomic());
            else if (n == "ignore_nesting") out = Value::boolean(t.ignore_nesting());
            else if (n == "block_trap") out = Value::boolean(t.block_trap());
            else if (n == "nesting_level") out = Value::integer(script_nesting_level(*this, t));
            else if (n == "recursion_depth") out = Value::integer(script_recursion_depth(t));
            else if (n == "thread_id") out = Value::integer(1);
            else if (n == "next" || n == "prev") {
                spindle::Tasklet other = n == "next" ? t.next() : t.prev();
                out = other ? wrap_tasklet(other) : Value();
            } else if (n == "tempval") {
                const Payload& p = t.tempval();
                auto* state = static_cast<ScriptTaskletState*>(t.script_state());
                if (p.empty() && state && state->thread && state->thread->pending == Pending::SelfResult) {
                    out = wrap_tasklet(t);  // schedule()'s implicit retval, made on demand
                } else if (p.empty() && state && !state->started && !t.alive() && state->has_function()) {
                    out = state->function();  // bound, not set up: Stackless keeps the function there
                } else if (p.is_bomb()) {
                    out = Value();
                } else if (!from_payload(*this, p, out)) {
                    return false;
                }
            } else if (n == "frame") {
                const ScriptTaskletState* state = script_tasklet_state(t.script_state());
                const Thread* th = state ? state->thread : nullptr;
                out = th && !th->frames.empty() && t.alive() ? frame_snapshot(*this, *th) : Value();
            } else if (n == "_channel") {
                spindle::ChannelObject* c = t.channel();
                out = c ? wrap_channel(c) : Value();
            } else {
                found = false;
            }
        } catch (...) {
            return raise_native_exception(std::current_exception());
        }
        return true;
    }
    spindle::ChannelObject& c = channel_of(object);
    if (n == "balance") out = Value::integer(c.balance());
    else if (n == "closing") out = Value::boolean(c.closing());
    else if (n == "closed") out = Value::boolean(c.closed());
    else if (n == "preference") out = Value::integer(c.preference());
    else if (n == "schedule_all") out = Value::integer(c.schedule_all() ? 1 : 0);  // Stackless reports an int
    else if (n == "queue") {
        spindle::Tasklet first = c.queue();
        out = first ? wrap_tasklet(first) : Value();
    } else {
        found = false;
    }
    return true;
}

bool Interpreter::runtime_set_attr(Value object, StrObj* name, Value value, bool& found) {
    found = true;
    const std::string_view n = name->view();
    if (object.o->kind == ObjKind::Tasklet) {
        spindle::Tasklet& t = tasklet_of(object);
        if (n == "block_trap") {
            bool flag;
            if (!truthy(value, flag)) return false;
            return guarded(*this, [&] { t.set_block_trap(flag); });
        }
        if (n == "tempval") return guarded(*this, [&] { t.set_tempval(to_payload(value)); });
        return read_only_attr(*this, object, name, found);
    }
    spindle::ChannelObject& c = channel_of(object);
    if (n == "balance") return raise(types.AttributeError, "readonly attribute");  // a member, not a getset, in Stackless
    if (n == "preference") {
        if (!value.is_intlike()) return raise_type_error("preference must be set to an integer");
        c.set_preference(static_cast<int>(std::max<std::int64_t>(-1, std::min<std::int64_t>(1, value.as_int()))));
        return true;
    }
    if (n == "schedule_all") {
        // Stackless's setter reuses the preference wording.
        if (!value.is_intlike()) return raise_type_error("preference must be set to a bool or integer");
        c.set_schedule_all(value.as_int() != 0);
        return true;
    }
    return read_only_attr(*this, object, name, found);
}

namespace {

void mark_fast(Value native, FastOp op) { static_cast<NativeObj*>(native.o)->fast_op = op; }
void mark_fast(Interpreter& in, ModuleObj* m, const char* name, FastOp op) {
    const Table& globals = m->globals->table;
    mark_fast(globals.entries[static_cast<std::size_t>(table::find_interned(globals, in.intern(name)))].value, op);
}

}  // namespace

void install_stackless_module(Interpreter& in) {
    ModuleObj* m = in.new_module("stackless");
    m->dynamic_attr = sl_dynamic_attr;
    in.register_module(m);
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry functions[] = {
        {"getcurrent", sl_getcurrent},
        {"getmain", sl_getmain},
        {"getruncount", sl_getruncount},
        {"getcurrentid", sl_getcurrentid},
        {"getdebug", sl_getdebug},
        {"getuncollectables", sl_getuncollectables},
        {"schedule", sl_schedule},
        {"schedule_remove", sl_schedule_remove},
        {"run", sl_run},
        {"switch_trap", sl_switch_trap},
        {"enable_softswitch", sl_enable_softswitch},
        {"set_schedule_callback", sl_set_schedule_callback},
        {"get_schedule_callback", sl_get_schedule_callback},
        {"set_channel_callback", sl_set_channel_callback},
        {"get_channel_callback", sl_get_channel_callback},
        {"set_error_handler", sl_set_error_handler},
    };
    for (const Entry& e : functions) in.define_function(m, e.name, e.fn);
    mark_fast(in, m, "schedule", FastOp::Schedule);
    in.define(m->globals, "TaskletExit", Value::object(in.types.TaskletExit));

    ClassObj* tasklet = in.new_class("tasklet", in.types.object, true);
    name_stackless_type(in, tasklet);
    tasklet->constructor = tasklet_new;
    static const Entry tasklet_methods[] = {
        {"bind", tasklet_bind},           {"setup", tasklet_setup},        {"__call__", tasklet_setup},
        {"insert", tasklet_insert},       {"remove", tasklet_remove},      {"run", tasklet_run},
        {"switch", tasklet_switch},       {"kill", tasklet_kill},          {"throw", tasklet_throw},
        {"raise_exception", tasklet_raise_exception}, {"set_atomic", tasklet_set_atomic},
        {"set_ignore_nesting", tasklet_set_ignore_nesting}, {"__repr__", tasklet_repr},
        {"__init__", tasklet_init},
    };
    for (const Entry& e : tasklet_methods) in.define_method(tasklet, e.name, e.fn);
    in.define(m->globals, "tasklet", Value::object(tasklet));
    in.set_stackless_classes(tasklet, nullptr, nullptr);

    ClassObj* channel = in.new_class("channel", in.types.object, true);
    name_stackless_type(in, channel);
    channel->constructor = channel_new;
    static const Entry channel_methods[] = {
        {"send", channel_send},         {"receive", channel_receive},     {"send_exception", channel_send_exception},
        {"send_throw", channel_send_throw}, {"close", channel_close},     {"open", channel_open},
        {"__repr__", channel_repr},         {"__init__", channel_init},       {"__reduce__", channel_reduce},
        {"__reduce_ex__", channel_reduce_ex}, {"__setstate__", channel_setstate},
    };
    for (const Entry& e : channel_methods) in.define_method(channel, e.name, e.fn);
    mark_fast(in.lookup_in_class(channel, in.intern("send")), FastOp::ChannelSend);
    mark_fast(in.lookup_in_class(channel, in.intern("receive")), FastOp::ChannelReceive);
    install_prelude(in, channel, kChannelPrelude, "<stackless channel>");
    in.define_method(in.types.frame, "__repr__", frame_repr);
    in.types.frame->constructor = frame_new;
    in.define(m->globals, "channel", Value::object(channel));

    ClassObj* atomic = in.new_class("atomic", in.types.object, true);
    name_stackless_type(in, atomic);
    atomic->constructor = atomic_new;
    in.define_method(atomic, "__enter__", atomic_enter);
    in.define_method(atomic, "__exit__", atomic_exit);
    in.define(m->globals, "atomic", Value::object(atomic));
    in.set_stackless_classes(tasklet, channel, atomic);

    ModuleObj* sp = in.new_module("spindle");
    in.register_module(sp);
    in.define_function(sp, "sleep", sp_sleep);
    in.define_function(sp, "next_frame", sp_next_frame);
    mark_fast(in, sp, "next_frame", FastOp::NextFrame);
    in.define_function(sp, "frame", sp_frame);
}

}  // namespace spindle::vm
