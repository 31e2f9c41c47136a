// Script tasklets: how the interpreter runs tasklets whose frames are heap
// data (Stackless's soft switching), and how values and exceptions cross
// between scripts and the runtime's Payloads.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <typeinfo>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {

// What a tasklet was bound to, from bind()/setup() until it first runs: its
// callable, and its arguments inline in the same block (no tuple, nothing
// for the collector to sweep). Charged to the script heap like any storage.
class BoundCall {
public:
    static BoundCall* make(Value function, const Value* args, std::uint32_t count, Value kwargs);
    static void destroy(BoundCall* call) noexcept;
    struct Deleter {
        void operator()(BoundCall* call) const noexcept { destroy(call); }
    };

    Value function;               // Undef: unbound
    Value kwargs;                 // a dict, or Undef
    std::uint64_t count = 0;      // positional arguments, inline after this header
    Value* args() noexcept { return reinterpret_cast<Value*>(this + 1); }
    const Value* args() const noexcept { return reinterpret_cast<const Value*>(this + 1); }

private:
    BoundCall() = default;
};
static_assert(sizeof(BoundCall) % alignof(Value) == 0);

// The script side of one tasklet: its thread of heap frames, and the callable
// and arguments it was bound to until it starts. It lives inside the
// tasklet object (TaskletObject::kScriptStateRoom), so keep it small.
struct ScriptTaskletState final : spindle::ScriptState {
    ScriptTaskletState() = default;
    ScriptTaskletState(const ScriptTaskletState&) = delete;
    ScriptTaskletState& operator=(const ScriptTaskletState&) = delete;
    ~ScriptTaskletState() override;

    // A new script tasklet with its state in place, its object charged to
    // the script heap (the memory cap counts tasklets, and their bytes pace
    // the collector like any other allocation). May throw std::bad_alloc.
    static spindle::Tasklet create(ScriptTaskletState*& state);
    // Charges the thread it owns, once (a started tasklet's thread). May throw std::bad_alloc.
    void charge_thread();

    // Its own thread is made when the tasklet first runs and given back when
    // it ends: a queued or finished tasklet carries no frames. Main's state
    // points at the interpreter's main thread instead.
    Thread* thread = nullptr;
    std::unique_ptr<BoundCall, BoundCall::Deleter> bound;  // null once started, or when never bound
    TaskletObj* wrapper = nullptr;  // the object scripts see (weakly: not a GC root)
    // stackless.run() in progress on this tasklet (a script main calling
    // it): rare, so it is here, not in the Thread every parked agent pays for.
    std::unique_ptr<spindle::Scheduler::WatchdogCall> watchdog;
    bool started = false;
    bool owns_thread = false;
    bool object_charged = false;
    bool thread_charged = false;

    void release_thread() noexcept;
    Value function() const noexcept { return bound ? bound->function : Value::undef(); }
    bool has_function() const noexcept {
        return bound && !bound->function.is_undef() && !bound->function.is_none();
    }
    void bind(Value function, const Value* args, std::uint32_t count, Value kwargs) {
        bound.reset(BoundCall::make(function, args, count, kwargs));
    }
    // A new function; the arguments bound so far stay.
    void set_function(Value function) {
        if (bound) bound->function = function;
        else bind(function, nullptr, 0, Value::undef());
    }
    // The function stays; no arguments.
    void drop_arguments() {
        if (bound && (bound->count != 0 || !bound->kwargs.is_undef())) bind(bound->function, nullptr, 0, Value::undef());
    }
    void unbind() noexcept { bound.reset(); }
};

// The interpreter's state of a tasklet, or null (none, or another engine's).
// A type check rather than dynamic_cast: a save asks it of every tasklet,
// and the class is final, so the exact type is the only one.
inline ScriptTaskletState* script_tasklet_state(spindle::ScriptState* s) noexcept {
    return s && typeid(*s) == typeid(ScriptTaskletState) ? static_cast<ScriptTaskletState*>(s) : nullptr;
}
inline const ScriptTaskletState* script_tasklet_state(const spindle::ScriptState* s) noexcept {
    return s && typeid(*s) == typeid(ScriptTaskletState) ? static_cast<const ScriptTaskletState*>(s) : nullptr;
}
// A script exception travelling through the runtime as a bomb (a tasklet's
// uncaught error on its way to main, a throw() into a native tasklet). Its
// what() is the Python-style "Type: message".
class ScriptException : public std::exception {
public:
    ScriptException(Value exception, std::string text);
    ~ScriptException() override;
    ScriptException(const ScriptException& other);
    ScriptException& operator=(const ScriptException&) = delete;
    const char* what() const noexcept override { return text_.c_str(); }
    Value exception() const noexcept { return exception_; }

private:
    Value exception_;
    std::string text_;
    // The heap current when it was made (Heap::serial; 0: none), the one
    // whose collections keep its value: another game's heap must never
    // mark an object of this one.
    std::uint64_t heap_serial_;
    friend void mark_script_exceptions(Heap& heap);
};

// Frees the threads kept for reuse (their stacks are charged to the heap).
void release_pooled_threads() noexcept;

// Every live ScriptException's value is a root for its heap's collector.
void mark_script_exceptions(Heap& heap);

// Payload <-> Value for channel transfers and tempvals.
inline Payload to_payload(Value v) { return Payload::of(v); }
// Inline for the two cases of every script-to-script transfer: nothing, or a Value.
bool from_native_payload(Interpreter& in, const Payload& p, Value& out);
inline bool from_payload(Interpreter& in, const Payload& p, Value& out) {
    if (p.empty()) {
        out = Value();
        return true;
    }
    if (p.holds<Value>()) {
        out = p.get<Value>();
        return true;
    }
    return from_native_payload(in, p, out);
}

// The stackless and spindle modules.
void install_stackless_module(Interpreter& in);

// ---- The dispatch loop's fast ops and soft switch, inline in execute():
// a call around each would cost as much as its work.

// schedule() or next_frame() without arguments, by the running tasklet.
[[gnu::always_inline]] inline Interpreter::FastStep Interpreter::schedule_fast(Thread& t, std::uint32_t callable_at,
                                                                               FastOp op) {
    spindle::Scheduler& s = scheduler();
    if (t.nesting != 0 || !(op == FastOp::Schedule ? s.try_soft_schedule() : s.try_soft_next_frame())) [[unlikely]]
        return FastStep::General;
    // schedule()'s default retval is the tasklet itself: made on resume,
    // only if nobody handed it another value meanwhile.
    t.pending = op == FastOp::Schedule ? Pending::SelfResult : Pending::Result;
    t.result_slot = callable_at;
    return FastStep::Switched;
}

// channel.send(v) (Direction +1) or channel.receive() (-1): the stack
// holds [native, channel, value?] at callable_at. The builtins' steps (soft
// switch, value or bomb on resume) without building a call.
template <int Direction>
[[gnu::always_inline]] inline Interpreter::FastStep Interpreter::channel_fast(Thread& t, std::uint32_t callable_at) {
    if (t.nesting != 0) [[unlikely]] return FastStep::General;  // the builtin switches hard
    Value* slot = t.stack.data() + callable_at;
    spindle::ChannelObject& channel = *static_cast<ChannelObj*>(slot[1].o)->channel;
    Value& io = slot[Direction > 0 ? 2 : 0];  // what is sent; what is received
    switch (channel.soft_transfer<Direction>(io)) {
        case spindle::ChannelObject::SoftOutcome::Done:
            if (Direction > 0) slot[0] = io;
            return FastStep::Done;
        case spindle::ChannelObject::SoftOutcome::Handed: return channel_received(t, callable_at);
        case spindle::ChannelObject::SoftOutcome::Switched:
            t.pending = Pending::Result;
            t.result_slot = callable_at;
            return FastStep::Switched;
        case spindle::ChannelObject::SoftOutcome::General: break;
    }
    return FastStep::General;
}

// The running tasklet (in run_one, no C++ frames of its own in between)
// has just soft-switched away, and the scheduler's current tasklet is a
// script tasklet the dispatch loop can take over at once: resumed, with the
// value its call was waiting for. Returns its thread, or null when anything
// is unusual (it never ran, a bomb or a host value arrives, a watchdog call
// is pending, its run is on the C++ stack): then the driver loop resumes it.
[[gnu::always_inline]] inline Thread* Interpreter::chain_to(Thread& from, spindle::Scheduler& s) {
    spindle::TaskletObject* next = s.current_script_tasklet();
    if (next == nullptr) return nullptr;
    auto* state = static_cast<ScriptTaskletState*>(next->script());
    Thread* to = state->thread;
    if (to == nullptr || !state->started || to->running || to->frames.empty() || to->pending == Pending::Watchdog)
        return nullptr;
    const Payload& handed = s.tempval_of(next);
    const Value* value = handed.get_if<Value>();
    if (value == nullptr && !handed.empty()) return nullptr;  // a bomb or a native value: the general path
    from.running = false;
    to->running = true;
    running_tasklet_ = spindle::Tasklet(next);
    current_thread_ = to;
    s.script_resumed(next);
    if (to->pending != Pending::None) {
        Value v;
        if (value) v = *value;
        else if (to->pending == Pending::SelfResult) v = state->wrapper ? Value::object(state->wrapper) : wrap_tasklet(running_tasklet_);
        to->stack[to->result_slot] = v;
        to->pending = Pending::None;
        s.clear_tempval(next);
    }
    return to;
}

}  // namespace spindle::vm
