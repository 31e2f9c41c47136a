// Script tasklets on the shared runtime. Index:
//   [BRIDGE]     Payload <-> Value, C++ exceptions <-> script exceptions
//   [ENGINE]     Interpreter as the scheduler's script engine: start, resume, end
//   [WRAPPERS]   the TaskletObj / ChannelObj that scripts hold
#include "vm/script_tasklets.hpp"
#include "spindle/sanitizer.hpp"

#include <iostream>
#include <unordered_set>

#include "spindle/block_pool.hpp"
#include "vm/builtins_support.hpp"
#include "vm/trace.hpp"

namespace spindle::vm {

// ============================================================================
// [BRIDGE]
// ============================================================================

namespace {
thread_local std::unordered_set<const ScriptException*> g_live_script_exceptions;
}

ScriptException::ScriptException(Value exception, std::string text) : exception_(exception), text_(std::move(text)) {
    g_live_script_exceptions.insert(this);
}
ScriptException::ScriptException(const ScriptException& other)
    : std::exception(other), exception_(other.exception_), text_(other.text_) {
    g_live_script_exceptions.insert(this);
}
ScriptException::~ScriptException() { g_live_script_exceptions.erase(this); }

void mark_script_exceptions(Heap& heap) {
    for (const ScriptException* e : g_live_script_exceptions) mark_value(heap, e->exception());
}

// Values sent by native tasklets on a shared channel.
bool from_native_payload(Interpreter& in, const Payload& p, Value& out) {
    if (p.holds<int>()) out = Value::integer(p.get<int>());
    else if (p.holds<std::int64_t>()) out = Value::integer(p.get<std::int64_t>());
    else if (p.holds<long long>()) out = Value::integer(p.get<long long>());
    else if (p.holds<double>()) out = Value::real(p.get<double>());
    else if (p.holds<bool>()) out = Value::boolean(p.get<bool>());
    else if (p.holds<std::string>()) out = in.str(p.get<std::string>());
    else return in.raise_type_error(std::string("a native tasklet sent a value of C++ type ") + p.type().name() + " that scripts cannot receive");
    return true;
}

bool Interpreter::raise_native_exception(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const spindle::detail::ForcedUnwind&) {
        throw;  // a stack being unwound by force: no script may stop it
    } catch (const ScriptException& e) {
        return raise_value(e.exception());
    } catch (const spindle::TaskletExit&) {
        return raise_without_args(types.TaskletExit);  // kill() gives TaskletExit(), args ()
    } catch (const spindle::ValueError& e) {
        return raise(types.ValueError, e.what());
    } catch (const spindle::RuntimeError& e) {
        return raise(types.RuntimeError, e.what());
    } catch (const spindle::StopIteration&) {
        return raise_without_args(types.StopIteration);
    } catch (const std::bad_alloc&) {
        return raise_memory_error();
    } catch (const std::exception& e) {
        return raise(types.RuntimeError, std::string("native error: ") + e.what());
    } catch (...) {
        return raise(types.RuntimeError, "native error of an unknown type");
    }
}

// A script exception leaving its tasklet becomes a bomb for the runtime.
std::exception_ptr Interpreter::exception_to_native(Value exception) {
    if (is_instance(exception, types.TaskletExit)) return std::make_exception_ptr(spindle::TaskletExit());
    std::string message;
    Value saved = take_pending();
    if (!to_str(exception, message)) {
        take_pending();
        message.assign(1, '?');
    }
    pending_ = saved;
    std::string text(type_name(exception));
    if (!message.empty()) text += ": " + message;
    return std::make_exception_ptr(ScriptException(exception, text));
}

// ============================================================================
// [ENGINE]
// ============================================================================

namespace {
#if !defined(SPINDLE_ASAN)
// Bound calls of up to kPooledArgs arguments (nearly all) come from a pool
// apart from the malloc heap: they live from bind to start, in between the
// script's garbage, and in the heap each one freed at start would leave a
// hole no thread fits in (block_pool.hpp).
constexpr std::uint32_t kPooledArgs = 2;
constexpr std::size_t kPooledCallBytes = sizeof(BoundCall) + kPooledArgs * sizeof(Value);
thread_local spindle::BlockPool g_bound_call_pool(kPooledCallBytes);
#endif

void* allocate_call(std::size_t bytes) {
#if !defined(SPINDLE_ASAN)
    if (bytes <= kPooledCallBytes) return g_bound_call_pool.allocate();
#endif
    return ::operator new(bytes);
}

void free_call(void* block, std::size_t bytes) noexcept {
#if !defined(SPINDLE_ASAN)
    if (bytes <= kPooledCallBytes) return g_bound_call_pool.deallocate(block);
#endif
    (void)bytes;
    ::operator delete(block);
}
}  // namespace

BoundCall* BoundCall::make(Value function, const Value* args, std::uint32_t count, Value kwargs) {
    const std::size_t bytes = sizeof(BoundCall) + std::size_t{count} * sizeof(Value);
    detail::charge(bytes);
    void* block;
    try {
        block = allocate_call(bytes);
    } catch (...) {
        detail::refund(bytes);
        throw;
    }
    auto* call = new (block) BoundCall();
    call->function = function;
    call->kwargs = kwargs;
    call->count = count;
    std::uninitialized_copy_n(args, count, call->args());
    return call;
}

// Threads of ended tasklets, kept with their buffers for the next tasklet to
// start: spawning many short tasklets then costs no allocation per start.
// Only small ones are kept, so that a deep recursion's stack is not hoarded.
namespace {
constexpr std::size_t kMaxPooledThreads = 256;
constexpr std::size_t kMaxPooledStack = 64;  // values
constexpr std::size_t kMaxPooledFrames = 8;
struct ThreadPool {
    std::vector<Thread*> free;
    ~ThreadPool() { clear(); }
    void clear() noexcept {
        for (Thread* t : free) delete t;
        free.clear();
    }
};
thread_local ThreadPool g_thread_pool;

Thread* acquire_thread() {
    if (!g_thread_pool.free.empty()) {
        Thread* t = g_thread_pool.free.back();
        g_thread_pool.free.pop_back();
        return t;
    }
    return new Thread();
}
}  // namespace

spindle::Tasklet ScriptTaskletState::create(ScriptTaskletState*& state) {
    detail::charge(sizeof(spindle::TaskletObject));
    spindle::Tasklet t;
    try {
        t = spindle::Tasklet::create_script_in_place(state);
    } catch (...) {
        detail::refund(sizeof(spindle::TaskletObject));
        throw;
    }
    state->object_charged = true;
    return t;
}

ScriptTaskletState::~ScriptTaskletState() {
    release_thread();
    if (object_charged) detail::refund(sizeof(spindle::TaskletObject));
}

void ScriptTaskletState::charge_thread() {
    if (thread_charged || !owns_thread) return;
    detail::charge(sizeof(Thread));
    thread_charged = true;
}

void ScriptTaskletState::release_thread() noexcept {
    Thread* t = std::exchange(thread, nullptr);
    if (std::exchange(thread_charged, false)) detail::refund(sizeof(Thread));
    if (!std::exchange(owns_thread, false) || !t) return;
    if (g_thread_pool.free.size() >= kMaxPooledThreads || t->stack.capacity() > kMaxPooledStack ||
        t->frames.capacity() > kMaxPooledFrames || current_interpreter() == nullptr) {
        delete t;
        return;
    }
    // Back to a fresh thread, keeping only the three buffers.
    t->stack.clear();
    t->frames.clear();
    t->blocks.clear();
    t->handled_exception = Value();
    t->nesting = 0;
    t->pending = Pending::None;
    t->running = false;
    t->result_slot = 0;
    t->run_since_wait = 0;
    try {
        g_thread_pool.free.push_back(t);
    } catch (...) {
        delete t;
    }
}

// Pooled threads' stacks are charged to the interpreter's heap: they go
// before it does.
void release_pooled_threads() noexcept { g_thread_pool.clear(); }

void BoundCall::destroy(BoundCall* call) noexcept {
    const std::size_t bytes = sizeof(BoundCall) + call->count * sizeof(Value);
    detail::refund(bytes);
    free_call(static_cast<void*>(call), bytes);
}

// The scheduler made `first` current on a driver fiber: run its frames until
// it switches away or ends. When the tasklet that comes next is a script
// tasklet too, run it here as well, and so on: a soft switch between script
// tasklets then never goes back through the scheduler's driver loop.
void Interpreter::run(const spindle::Tasklet& first) {
    Thread* saved = current_thread_;
    spindle::Tasklet t = first;
    for (;;) {
        run_one(t, saved);
        TaskletObject* next = scheduler().current_script_tasklet();
        if (next == nullptr) break;
        auto* state = static_cast<ScriptTaskletState*>(next->script());
        // A tasklet whose run is still on the C++ stack (it switched away
        // from inside a builtin) resumes there, not here.
        if (state->thread && state->thread->running) break;
        t = spindle::Tasklet(next);
    }
}

// One tasklet's turn; `outer` is the thread that is current again once it
// has switched away or ended (callbacks that run then must not see a thread
// that is being freed).
void Interpreter::run_one(const spindle::Tasklet& first, Thread* outer) {
    // The dispatch loop may go on into other script tasklets (chain_to):
    // the outcome belongs to whichever ran last, kept in running_tasklet_.
    spindle::Tasklet enclosing = std::exchange(running_tasklet_, first);
    {
        auto* state = static_cast<ScriptTaskletState*>(first.script_state());
        if (!state->thread) {
            state->thread = acquire_thread();
            state->owns_thread = true;
        }
        Thread& th = *state->thread;
        current_thread_ = &th;
        scheduler().script_resumed(first);
        th.running = true;
    }
    Value result;
    Exec exec;
    try {
        auto* state = static_cast<ScriptTaskletState*>(first.script_state());
        exec = state->started ? resume_thread(first, *state->thread, result) : start_thread(first, *state, result);
    } catch (const std::bad_alloc&) {
        raise_memory_error();
        exec = Exec::Raised;
    }
    const spindle::Tasklet t = std::exchange(running_tasklet_, std::move(enclosing));
    auto* state = static_cast<ScriptTaskletState*>(t.script_state());
    Thread& th = *state->thread;
    th.running = false;
    current_thread_ = outer;
    if (exec == Exec::Switched) return;
    std::exception_ptr error;
    if (exec == Exec::Raised) {
        Value exc = take_pending();
        if (!is_instance(exc, types.TaskletExit)) {
            report_error(exc);  // keeps the traceback text for the host
            error = exception_to_native(exc);
        }
    }
    if (state->owns_thread) {
        state->release_thread();  // a finished tasklet keeps no frames
        // The schedule callback the end runs calls into the current thread:
        // `outer` may be a thread freed meanwhile (this one, or one a driver
        // took up as current before its tasklet ended elsewhere). Main's
        // thread is always there, and a nested call works above its top.
        current_thread_ = &main_thread();
    } else {
        th.frames.clear();
        th.blocks.clear();
        th.stack.clear();
        th.handled_exception = Value();
    }
    state->unbind();
    scheduler().end_script_tasklet(t, error);
}

// First run: call the bound function with its arguments as the bottom frame.
Exec Interpreter::start_thread(const spindle::Tasklet& t, ScriptTaskletState& state, Value& result) {
    state.charge_thread();  // past the cap: MemoryError in this tasklet
    // A safe point (no frames yet, its bound call is a root): the charge
    // may have crossed the collector's threshold, and a new agent may park
    // before the dispatch loop checks (after calls and jumps). Spawning
    // agents then sweep the garbage made between them while their threads
    // can still reuse its memory.
    if (heap_.should_collect()) collect_garbage();
    state.started = true;
    scheduler().mark_script_started(t);
    Thread& th = *state.thread;
    // A kill or throw before the first instruction raises at once.
    Payload handed = scheduler().take_tempval(t);
    if (handed.is_bomb()) {
        raise_native_exception(handed.bomb_error());
        return Exec::Raised;
    }
    // The bound call moves onto the value stack, which is sized once for the
    // call and its first frame: a parked tasklet keeps neither the bound
    // arguments nor a half-empty stack. The block stays (a root) until the
    // call has its frame.
    const BoundCall* call = state.bound.get();
    std::uint32_t count = static_cast<std::uint32_t>(call->count);
    TupleObj* kwnames = nullptr;
    const DictObj* kwargs = call->kwargs.is_obj() ? static_cast<DictObj*>(call->kwargs.o) : nullptr;
    if (kwargs) {
        for (const auto& e : kwargs->table.entries) count += e.deleted ? 0 : 1;
    }
    std::size_t needed = std::size_t{count} + 2;
    if (call->function.is_obj() && call->function.o->kind == ObjKind::Function) {
        const CodeObj* code = static_cast<FunctionObj*>(call->function.o)->code;
        needed = std::max<std::size_t>(needed, 1 + std::max<std::size_t>(count, code->local_count) + code->free_count + code->max_stack);
    }
    if (th.stack.size() < needed) {
        th.stack.reserve(needed);
        th.stack.resize(needed, Value::undef());
    }
    th.stack[0] = call->function;
    std::copy_n(call->args(), call->count, th.stack.begin() + 1);
    if (kwargs) {
        kwnames = new_tuple();
        extra_roots_.push_back(Value::object(kwnames));
        std::uint32_t at = static_cast<std::uint32_t>(call->count) + 1;
        for (const auto& e : kwargs->table.entries) {
            if (e.deleted) continue;
            kwnames->items.push_back(Value::object(intern(static_cast<StrObj*>(e.key.o)->view())));
            th.stack[at++] = e.value;
        }
        extra_roots_.pop_back();
    }
    extra_roots_.push_back(kwnames ? Value::object(kwnames) : Value());
    CallOutcome outcome = call_at(th, 0, count, kwnames, ReturnAction::Push);
    extra_roots_.pop_back();
    state.bound.reset();
    switch (outcome) {
        case CallOutcome::Error: return Exec::Raised;
        case CallOutcome::Done: result = th.stack[0]; return Exec::Returned;
        case CallOutcome::Switched: return Exec::Switched;
        case CallOutcome::Pushed: break;
    }
    return execute(th, 0, result);
}

// Resumes after a soft switch: finish what the switch left open (the value a
// call was waiting for, or a bomb to raise), then run on.
Exec Interpreter::resume_thread(const spindle::Tasklet& t, Thread& th, Value& result) {
    const Pending pending = std::exchange(th.pending, Pending::None);
    Payload handed = scheduler().take_tempval(t);
    bool raising = false;
    Value value;
    if (pending == Pending::Watchdog) {
        try {
            const auto call = std::move(static_cast<ScriptTaskletState*>(t.script_state())->watchdog);
            spindle::Tasklet victim = scheduler().finish_run(*call, std::move(handed));
            value = victim ? wrap_tasklet(victim) : Value();
        } catch (...) {
            raising = !raise_native_exception(std::current_exception());
        }
    } else if (handed.is_bomb()) {
        raising = !raise_native_exception(handed.bomb_error());
    } else if (pending == Pending::Result) {
        raising = !from_payload(*this, handed, value);
    } else if (pending == Pending::SelfResult) {
        if (handed.empty()) value = wrap_tasklet(t);
        else raising = !from_payload(*this, handed, value);
    }
    if (pending != Pending::None && !raising) {
        if (th.frames.empty()) {  // the tasklet's function itself was the switching builtin
            result = value;
            return Exec::Returned;
        }
        th.stack[th.result_slot] = value;
    }
    if (th.frames.empty()) return raising ? Exec::Raised : Exec::Returned;
    if (raising && !unwind_exception(th, 0, true)) return Exec::Raised;
    return execute(th, 0, result);
}

// A hard switch leaves C++ frames on the suspended tasklet's stack: while
// any are there, the collector waits (nested_suspended_). On resume the
// interpreter's notion of who runs is the resumed tasklet's again.
namespace {
bool keeps_c_state(spindle::TaskletObject* t, Thread*& thread) {
    auto* state = static_cast<ScriptTaskletState*>(t->script());
    thread = state ? state->thread : nullptr;
    if (t->kind() == spindle::TaskletKind::Script) return true;
    return thread != nullptr && thread->nesting > 0;  // main: only inside a call from C++
}
}  // namespace

void Interpreter::suspending(spindle::TaskletObject* t) noexcept {
    Thread* thread;
    if (keeps_c_state(t, thread)) ++nested_suspended_;
}

void Interpreter::resumed(spindle::TaskletObject* t) noexcept {
    Thread* thread;
    if (keeps_c_state(t, thread)) --nested_suspended_;
    if (!thread) return;
    current_thread_ = thread;
    running_tasklet_ = t->kind() == spindle::TaskletKind::Script ? spindle::Tasklet(t) : spindle::Tasklet();
}

// Stackless's nesting level: the calls from C++ into scripts on the
// tasklet's stack, plus one for the switch itself while it waits on that
// stack; main waiting in run() has one too.
int Interpreter::nesting_level_of(const spindle::Tasklet& t) {
    auto* state = static_cast<ScriptTaskletState*>(t.script_state());
    if (!state) return t.nesting_level();
    const int nesting = state->thread && t.alive() ? static_cast<int>(state->thread->nesting) : 0;
    spindle::Scheduler& s = scheduler();
    if (s.hard_suspended(t)) return nesting + 1;
    if (t.is_main() && !t.is_current() && nesting > 0) return nesting + 1;
    if (nesting == 0 && s.waiting_in_run(t)) return 1;
    return nesting;
}

bool Interpreter::nested_preemptible() const {
    const spindle::Scheduler& s = scheduler();
    return s.run_ignores_nesting() || s.getcurrent().ignore_nesting();
}

// A due budget inside a call from C++ (ignore_nesting): the preemption
// switches hard. False: an exception is pending (a bomb on resume).
bool Interpreter::preempt_nested() {
    try {
        spindle::Scheduler& s = scheduler();
        s.reserve_driver();
        s.budget_check();
    } catch (...) {
        return raise_native_exception(std::current_exception());
    }
    return true;
}

// At the end, as Stackless does at thread end: each tasklet with C state is
// killed once, in creation order (its finally blocks run); one that goes
// on waiting (it caught TaskletExit) is unwound by force, with no script
// code run (ForcedUnwind passes every handler).
void Interpreter::kill_hard_suspended() noexcept {
    spindle::Scheduler* s = spindle::Scheduler::active_or_null();
    if (!s) return;
    try {
        for (spindle::Tasklet& v : s->all_tasklets()) {
            if (!s->hard_suspended(v)) continue;
            try {
                v.kill();
            } catch (...) {
                // an error routed to main while tearing down is dropped
            }
        }
        for (const spindle::Tasklet& v : s->all_tasklets()) s->force_unwind_script(v);
    } catch (...) {
        // no memory for the list: their stacks stay mapped
    }
}

// Observers, errors, preemption: the channel's full protocol, switching
// softly. The stack holds [native, channel, value?] at callable_at.
Interpreter::CallOutcome Interpreter::channel_transfer_general(Thread& t, std::uint32_t callable_at, int direction) {
    if (t.nesting > 0) {
        // C++ frames in between: the builtin switches hard.
        return call_at(t, callable_at, direction > 0 ? 2 : 1, nullptr, ReturnAction::Push);
    }
    spindle::ChannelObject& channel = *static_cast<ChannelObj*>(t.stack[callable_at + 1].o)->channel;
    Payload result;
    {
        spindle::Scheduler::SoftCall call(scheduler());
        try {
            if (direction > 0) channel.send(to_payload(t.stack[callable_at + 2]));
            else result = channel.receive();
        } catch (...) {
            call.switched();
            raise_native_exception(std::current_exception());
            return CallOutcome::Error;
        }
        if (call.switched()) {
            t.pending = Pending::Result;
            t.result_slot = callable_at;
            return CallOutcome::Switched;
        }
    }
    if (result.is_bomb()) {
        raise_native_exception(result.bomb_error());
        return CallOutcome::Error;
    }
    Value value;
    if (!from_payload(*this, result, value)) return CallOutcome::Error;
    t.stack[callable_at] = value;
    return CallOutcome::Done;
}

Interpreter::FastStep Interpreter::channel_received(Thread& t, std::uint32_t callable_at) {
    spindle::Scheduler& s = scheduler();
    Payload received = s.take_tempval(s.getcurrent());
    try {
        Value value;
        if (received.is_bomb()) raise_native_exception(received.bomb_error());
        else if (from_native_payload(*this, received, value)) {
            t.stack[callable_at] = value;
            return FastStep::Done;
        }
    } catch (const std::bad_alloc&) {
        raise_memory_error();
    }
    return FastStep::Error;
}

// ============================================================================
// [WRAPPERS]
// ============================================================================

Value Interpreter::wrap_tasklet(const spindle::Tasklet& t) {
    if (auto* state = static_cast<ScriptTaskletState*>(t.script_state())) {
        if (state->wrapper) return Value::object(state->wrapper);
        TaskletObj* w = heap_.make<TaskletObj>(t);
        w->cls = stackless_tasklet_class_;
        state->wrapper = w;
        return Value::object(w);
    }
    auto it = native_wrappers_.find(t.object());
    if (it != native_wrappers_.end()) return Value::object(it->second);
    TaskletObj* w = heap_.make<TaskletObj>(t);
    w->cls = stackless_tasklet_class_;
    native_wrappers_[t.object()] = w;
    return Value::object(w);
}

// A wrapper is being collected: whoever cached it must forget it.
void Interpreter::forget_wrapper(TaskletObj* wrapper) noexcept {
    TaskletObject* object = wrapper->tasklet.object();
    if (!object) return;
    if (auto* state = static_cast<ScriptTaskletState*>(object->script())) {
        if (state->wrapper == wrapper) state->wrapper = nullptr;
        return;
    }
    auto it = native_wrappers_.find(object);
    if (it != native_wrappers_.end() && it->second == wrapper) native_wrappers_.erase(it);
}

Value Interpreter::wrap_channel(spindle::ChannelObject* c) {
    auto it = channel_wrappers_.find(c);
    if (it != channel_wrappers_.end()) return Value::object(it->second);
    ChannelObj* w = heap_.make<ChannelObj>(c);
    w->cls = stackless_channel_class_;
    channel_wrappers_[c] = w;
    return Value::object(w);
}

void Interpreter::forget_wrapper(ChannelObj* wrapper) noexcept {
    auto it = channel_wrappers_.find(wrapper->channel);
    if (it != channel_wrappers_.end() && it->second == wrapper) channel_wrappers_.erase(it);
}

TaskletObj::~TaskletObj() {
    if (Interpreter* in = current_interpreter()) in->forget_wrapper(this);
}

ChannelObj::~ChannelObj() {
    if (Interpreter* in = current_interpreter()) in->forget_wrapper(this);
    channel->decref();
}

void Interpreter::report_callback_error(const char* what) {
    Value error = take_pending();
    std::string text;
    if (!to_str(error, text)) take_pending();
    std::cerr << "spindle: the " << what << " raised " << type_name(error) << (text.empty() ? "" : ": ") << text << " (ignored)\n";
}

// Script callbacks for the runtime's observers. They run as nested calls (no
// switching inside them, as Stackless requires of its callbacks).
struct Interpreter::CallbackScope {
    explicit CallbackScope(Interpreter& in) noexcept : in_(in) { ++in_.callback_depth_; }
    ~CallbackScope() { --in_.callback_depth_; }
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;
    Interpreter& in_;
};

void Interpreter::set_schedule_callback_value(Value callback) {
    schedule_callback_ = callback;
    spindle::Scheduler& s = scheduler();
    if (callback.is_none()) {
        s.set_schedule_callback(nullptr);
        return;
    }
    s.set_schedule_callback([this](const spindle::Tasklet& prev, const spindle::Tasklet& next) {
        Value args[2] = {wrap_tasklet(prev), wrap_tasklet(next)};
        Value ignored;
        CallbackScope scope(*this);
        if (!call(schedule_callback_, args, 2, ignored)) report_callback_error("schedule callback");
    });
}

void Interpreter::set_channel_callback_value(Value callback) {
    channel_callback_ = callback;
    spindle::Scheduler& s = scheduler();
    if (callback.is_none()) {
        s.set_channel_callback(nullptr);
        return;
    }
    s.set_channel_callback([this](spindle::ChannelObject& c, const spindle::Tasklet& t, bool sending, bool will_block) {
        Value args[4] = {wrap_channel(&c), wrap_tasklet(t), Value::integer(sending ? 1 : 0), Value::integer(will_block ? 1 : 0)};
        Value ignored;
        CallbackScope scope(*this);
        if (!call(channel_callback_, args, 4, ignored)) {
            // Unlike the schedule callback, a failing channel callback fails the operation.
            Value error = take_pending();
            throw ScriptException(error, "channel callback failed");
        }
    });
}

void Interpreter::set_error_handler_value(Value handler) {
    error_handler_ = handler;
    spindle::Scheduler& s = scheduler();
    if (handler.is_none()) {
        s.set_error_handler(nullptr);
        return;
    }
    s.set_error_handler([this](std::exception_ptr error) {
        Value saved = take_pending();
        raise_native_exception(error);
        Value exc = take_pending();
        pending_ = saved;
        Value args[3] = {Value::object(type_of(exc)), exc, Value()};
        Value ignored;
        CallbackScope scope(*this);
        if (!call(error_handler_, args, 3, ignored)) {
            Value failure = take_pending();
            throw ScriptException(failure, "error handler failed");
        }
    });
}

namespace {

// A paused script tasklet (alive, in no queue, not sleeping) is held only by
// what references it: its wrapper, or a handle in host code. `extra` is the
// number of references the caller itself holds.
bool held_only_by_scripts(const spindle::Tasklet& t, const ScriptTaskletState& state, std::uint32_t extra) {
    if (!t.alive() || !t.paused() || t.sleeping() || t.is_main() || t.is_current()) return false;
    const std::uint32_t wrapper_refs = state.wrapper ? 1 : 0;
    return t.object()->refcount() == extra + wrapper_refs;
}

// What a script tasklet refers to: the value it was handed (schedule()'s
// default is the tasklet itself), its function, arguments and frames.
void mark_state(Heap& heap, const spindle::Tasklet& t, const ScriptTaskletState& state) {
    const Payload& tempval = t.tempval();
    if (tempval.holds<Value>()) mark_value(heap, tempval.get<Value>());
    if (const BoundCall* call = state.bound.get()) {
        mark_value(heap, call->function);
        mark_value(heap, call->kwargs);
        for (std::uint64_t i = 0; i < call->count; ++i) mark_value(heap, call->args()[i]);
    }
    if (state.thread) Interpreter::mark_thread(heap, *state.thread);
}

// A wrapper with nothing of its own to keep: the base class, no attribute dict.
bool plain_wrapper(const TaskletObj& w, const ClassObj* base) noexcept {
    return (w.cls == nullptr || w.cls == base) && w.dict == nullptr;
}

}  // namespace

void trace_script_tasklet(Heap& heap, const spindle::Tasklet& tasklet) {
    if (auto* state = static_cast<ScriptTaskletState*>(tasklet.script_state())) mark_state(heap, tasklet, *state);
}

// Roots from the runtime: every script tasklet that can still run (queued,
// blocked, sleeping, or held by host code) with its wrapper, and every
// script value sitting in a tempval or a bomb. A paused tasklet only
// scripts hold is traced through its wrapper instead, like any object: if
// nothing reaches it, it is freed with its frames and its finally blocks do
// not run, which is what Stackless does with a soft-switched tasklet.
void Interpreter::mark_runtime_roots(Heap& heap) {
    mark_script_exceptions(heap);
    spindle::Scheduler* s = spindle::Scheduler::active_or_null();
    if (!s) return;
    s->for_each_tasklet([&](const spindle::Tasklet& t) {
        auto* state = static_cast<ScriptTaskletState*>(t.script_state());
        if (!state) {
            const Payload& tempval = t.tempval();  // a native tasklet handed a script value
            if (tempval.holds<Value>()) mark_value(heap, tempval.get<Value>());
            return;
        }
        if (held_only_by_scripts(t, *state, 1)) return;  // 1: the visitor's own handle
        mark_state(heap, t, *state);
        // A plain wrapper (the base class, no attributes) that nothing else
        // reaches is garbage: wrap_tasklet() makes an identical one if the
        // tasklet is asked for again. `stackless.tasklet(f)(x)` in a loop
        // then leaves no wrapper per parked tasklet. One that carries a
        // subclass or attributes is state, and lives as long as the tasklet.
        if (t.alive() && state->wrapper && !plain_wrapper(*state->wrapper, stackless_tasklet_class_)) heap.mark(state->wrapper);
    });
    for (const auto& [object, wrapper] : native_wrappers_) {
        if (object->alive()) heap.mark(wrapper);
    }
}

}  // namespace spindle::vm
