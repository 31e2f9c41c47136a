// Tasklet: a microthread, as in Stackless Python.
//
// `Tasklet` is a reference-counted handle (like a Python reference) to a
// TaskletObject, which the scheduler owns while the tasklet is queued, blocked
// or sleeping. A tasklet is in at most one chain at a time: the run queue or a
// channel's queue; both are circular lists through the same next/prev links,
// which is what makes Stackless's "floating" (paused) test one pointer check.
//
// Kinds. Native tasklets run a C++ callable on their own Boost.Context stack
// (hard switching). Script tasklets (the interpreter, next) keep their frames
// on the heap and are run by driver fibers (soft switching; a hard switch
// only while blocked inside a call from C++, see script_drivers.cpp);
// everything in this header and in the scheduler and channels is kind-neutral
// except the one place that transfers control (Scheduler::begin_switch).
#pragma once

#include <boost/context/stack_context.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "spindle/errors.hpp"
#include "spindle/native_context.hpp"
#include "spindle/payload.hpp"

namespace spindle {

class Scheduler;
class ChannelObject;
class Tasklet;

enum class TaskletKind : std::uint8_t { Main, Native, Script };

// The restore interface of a native tasklet.
//
// A native tasklet keeps its state in C++ frames on its own stack, which no
// file can hold. One that implements this interface is saved as its type
// name and its state instead, and loading makes a new tasklet from them:
//
//   - type_name(): a stable string key ("game.patrol"), the same in every
//     build, under which a factory is registered (register_native_restore).
//   - save(): the state out, as a Payload holding either bytes
//     (std::string) or, where a script engine is present, a script value
//     (vm::Value): the pickler then writes it like any other value, so the
//     state may refer to channels, entities and other tasklets, identity kept.
//   - the factory: the state in, plus the restart. Given the saved state it
//     returns a new native tasklet, bound with its arguments (alive), not
//     scheduled, with its restore interface set; the loader hands it back
//     paused, and insert() runs it.
//
// The restarted body begins again at its top, from the saved state, not in
// the middle of its old C++ frames. So a restorable body is written as a
// loop over explicit state (Doom 3's Save/Restore pairing): everything it
// needs in order to continue lives in the object save() writes, and each
// wait (a channel operation, a sleep) is reissued from there. A tasklet that
// was blocked on a channel is saved in that channel's queue (a blocked
// sender's value must then be a script value) and comes back there, at its
// place, without having run (ChannelObject::block_restored): when a partner
// completes the wait, the body starts, and its first channel operation,
// which must reissue that wait, returns the value the wait got (a sender's
// returns at once) instead of blocking again.
//
// A native tasklet without the interface that has started cannot be saved:
// the pickler refuses it by name (Tasklet::restorable() is false).
class NativeRestore {
public:
    virtual ~NativeRestore() = default;
    virtual const char* type_name() const noexcept = 0;
    virtual Payload save() const = 0;
};

using NativeRestoreFactory = std::function<Tasklet(Payload state)>;
// Registers the factory for a type name (replacing any earlier one; an
// empty factory removes it); done once at start-up, before any load.
void register_native_restore(std::string type_name, NativeRestoreFactory factory);
// The factory for a type name, or null: a save naming an unknown type is refused.
const NativeRestoreFactory* find_native_restore(std::string_view type_name);

// What a script engine keeps per script tasklet (its heap frames). The
// runtime only owns it; see Scheduler::ScriptEngine.
struct ScriptState {
    virtual ~ScriptState() = default;
};

// A link in a circular chain. A channel's queue has a sentinel node, so that
// `next` of the last blocked tasklet is the channel, read as "none".
struct ChainNode {
    ChainNode* next = nullptr;
    ChainNode* prev = nullptr;
};

// Final: every one is a block of the same pool (tasklet.cpp).
class TaskletObject final : public ChainNode {
public:
    TaskletObject(Scheduler& scheduler, TaskletKind kind, std::uint64_t id);
    // From a pool of their own (spindle/block_pool.hpp): spawning costs no
    // malloc, and a parked tasklet no malloc header.
    static void* operator new(std::size_t size);
    static void operator delete(void* p) noexcept;
    TaskletObject(const TaskletObject&) = delete;
    TaskletObject& operator=(const TaskletObject&) = delete;
    ~TaskletObject();

    void incref() noexcept { ++refs_; }
    void decref() noexcept {
        if (--refs_ == 0) last_reference_dropped();
    }
    std::uint32_t refcount() const noexcept { return refs_; }

    bool floating() const noexcept { return next == nullptr; }
    TaskletKind kind() const noexcept { return kind_; }
    ScriptState* script() const noexcept {
        return kind_ == TaskletKind::Script ? script_parts_.state : native_.script;
    }
    bool alive() const noexcept { return started_ ? !finished_ : has_args_; }

private:
    friend class Scheduler;
    friend class ChannelObject;
    friend class Tasklet;

    void last_reference_dropped() noexcept;
    void destroy_script_state() noexcept;

    // What only a tasklet with a C++ body needs. A script tasklet has no
    // body and no stack, and keeps its ScriptState in the same bytes.
    struct NativeParts {
        boost::context::stack_context stack{};  // from its first run to its end
        std::function<void()> body;
        ScriptState* script = nullptr;  // main's, when a script engine runs it (owned)
    };
    ScriptState*& script_slot() noexcept {
        return kind_ == TaskletKind::Script ? script_parts_.state : native_.script;
    }

    // Hot fields first: a switch touches only the first two cache lines.
    detail::ContextSlot context_;  // where a suspended native tasklet resumes
    std::uint32_t refs_ = 0;
    TaskletKind kind_;
    std::int8_t blocked_ = 0;  // +1 blocked sending, -1 receiving (Stackless's encoding)
    bool atomic_ = false;
    bool ignore_nesting_ = false;
    bool block_trap_ = false;
    bool pending_irq_ = false;
    bool has_args_ = false;   // bound with its arguments: alive even before it first runs
    bool started_ = false;    // its body has begun (it has a frame / a stack)
    bool finished_ = false;   // its body has ended
    bool in_registry_ = false;
    bool bound_ = false;      // has a function (native body or script callable)
    bool script_inline_ = false;  // a script tasklet's state lives in script_parts_.room (else it is owned)
    ChannelObject* channel_ = nullptr;  // the channel it is blocked on
    Scheduler* scheduler_;
    std::uint64_t ticks_ = 0;        // safe points (native) or instructions (script) it has run
    Payload tempval_;
    // Cold fields.
    std::uint64_t id_;
    std::int64_t wake_frame_ = -1;   // >= 0 while sleeping in the scheduler
    std::uint64_t sleep_ticket_ = 0;
    std::unique_ptr<std::string> name_;  // most tasklets have none: a pointer, not a string, in every tasklet
    TaskletObject* registry_next_ = nullptr;  // every live tasklet, for teardown and observers
    TaskletObject* registry_prev_ = nullptr;

public:
    static constexpr std::size_t kScriptStateRoom = sizeof(NativeParts) - sizeof(ScriptState*);

private:
    struct ScriptParts {
        ScriptState* state;  // in room (script_inline_) or owned on the heap
        alignas(void*) unsigned char room[kScriptStateRoom];
    };
    // Native and main tasklets: native_. Script tasklets: their state, in
    // place, so that a script tasklet is one allocation.
    union {
        NativeParts native_;
        ScriptParts script_parts_;
    };
};

// The handle. Copying it shares the tasklet; comparison is identity.
class Tasklet {
public:
    Tasklet() noexcept = default;
    // A new tasklet in the "bound" state: it has a function but no arguments.
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Tasklet>>>
    explicit Tasklet(F&& function) : Tasklet(create()) {
        bind(std::forward<F>(function));
    }
    static Tasklet create();  // a new tasklet with no function (Stackless's tasklet())
    // A script tasklet: no stack of its own; the scheduler's script engine runs it.
    static Tasklet create_script(std::unique_ptr<ScriptState> state);
    // The same, with its state made in place inside the tasklet object (one
    // allocation): a State of at most TaskletObject::kScriptStateRoom bytes.
    template <class State>
    static Tasklet create_script_in_place(State*& state) {
        static_assert(std::is_base_of_v<ScriptState, State>);
        static_assert(sizeof(State) <= TaskletObject::kScriptStateRoom && alignof(State) <= alignof(void*));
        Tasklet t = create_script(nullptr);
        state = new (t.object_->script_parts_.room) State();
        t.object_->script_parts_.state = state;
        t.object_->script_inline_ = true;
        return t;
    }
    ScriptState* script_state() const;
    void set_script_state(std::unique_ptr<ScriptState> state);

    Tasklet(const Tasklet& other) noexcept : object_(other.object_) {
        if (object_) object_->incref();
    }
    Tasklet(Tasklet&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
    Tasklet& operator=(Tasklet other) noexcept {
        std::swap(object_, other.object_);
        return *this;
    }
    ~Tasklet() {
        if (object_) object_->decref();
    }
    explicit Tasklet(TaskletObject* object) noexcept : object_(object) {
        if (object_) object_->incref();
    }

    explicit operator bool() const noexcept { return object_ != nullptr; }
    friend bool operator==(const Tasklet& a, const Tasklet& b) noexcept { return a.object_ == b.object_; }
    friend bool operator!=(const Tasklet& a, const Tasklet& b) noexcept { return a.object_ != b.object_; }
    TaskletObject* object() const noexcept { return object_; }

    // bind(f): bound, not alive. bind(f, args...): alive and paused (not inserted).
    template <class F>
    Tasklet& bind(F&& function) {
        return bind_body(std::function<void()>(std::forward<F>(function)), false);
    }
    template <class F, class Arg, class... Args>
    Tasklet& bind(F&& function, Arg&& arg, Args&&... args) {
        auto call = [f = std::forward<F>(function), ... a = std::forward<Args>(args),
                     first = std::forward<Arg>(arg)]() mutable { std::invoke(f, first, a...); };
        return bind_body(std::function<void()>(std::move(call)), true);
    }
    Tasklet& unbind();          // Stackless bind(None): drops the function (and a paused body)
    // For script tasklets, whose function and arguments the script engine keeps.
    Tasklet& bind_script(bool has_function, bool with_args);
    Tasklet& setup();           // bound -> alive and inserted at the end of the run queue
    Tasklet& operator()() { return setup(); }

    Tasklet& insert();          // append to the run queue (no-op if already queued)
    Tasklet& remove();          // take out of the run queue: paused
    void run();                 // switch to it now; the caller stays runnable
    void switch_to();           // switch to it now; the caller is paused (Stackless switch())
    void kill(bool pending = false);
    void throw_exception(std::exception_ptr error, bool pending = false);
    template <class E, class... Args>
    void raise_exception(Args&&... args) {
        throw_exception(std::make_exception_ptr(E(std::forward<Args>(args)...)), false);
    }

    bool set_atomic(bool flag);
    bool set_ignore_nesting(bool flag);
    void set_block_trap(bool flag);
    void set_name(std::string name);
    void set_tempval(Payload value);
    const Payload& tempval() const;

    std::uint64_t id() const;
    const std::string& name() const;
    TaskletKind kind() const;
    bool alive() const;
    bool blocked() const;     // waiting on a channel
    int blocked_direction() const;  // +1 sending, -1 receiving, 0 not blocked
    bool paused() const;      // alive and in no chain
    bool scheduled() const;   // in the run queue or a channel's queue
    bool is_main() const;
    bool is_current() const;
    bool atomic() const;
    bool ignore_nesting() const;
    bool block_trap() const;
    // A preemption fell due while it was atomic and waits for the section's
    // end (Stackless's pending interrupt); save games carry it.
    bool preemption_pending() const;
    void restore_preemption_pending(bool pending);
    // Script tasklets, and native ones not started, finished or with a
    // restore interface: the state can be saved and resumed elsewhere.
    bool restorable() const;
    // Gives a native tasklet its restore interface (null: none).
    Tasklet& set_restore(std::shared_ptr<NativeRestore> restore);
    NativeRestore* restore_interface() const;  // null if it has none
    int nesting_level() const;
    bool sleeping() const;    // waiting in the scheduler for a frame
    std::uint64_t ticks() const;  // ticks run, while Scheduler::set_tasklet_tick_accounting is on
    std::int64_t wake_frame() const;
    Tasklet next() const;     // neighbour in its chain, empty at a channel's end or if unlinked
    Tasklet prev() const;
    ChannelObject* channel() const;  // the channel it is blocked on, or null

private:
    Tasklet& bind_body(std::function<void()> body, bool with_args);
    void check_bindable(bool with_args) const;
    TaskletObject& self() const {
        if (!object_ || !object_->scheduler_) [[unlikely]] unusable();
        return *object_;
    }
    [[noreturn]] void unusable() const;

    TaskletObject* object_ = nullptr;
};

// Bind and insert in one step: Stackless's `tasklet(f)(*args)`.
template <class F, class... Args>
Tasklet spawn(F&& function, Args&&... args) {
    Tasklet t = Tasklet::create();
    if constexpr (sizeof...(Args) == 0) {
        t.bind(std::forward<F>(function));
        t.setup();
    } else {
        t.bind(std::forward<F>(function), std::forward<Args>(args)...);
        t.insert();
    }
    return t;
}

}  // namespace spindle
