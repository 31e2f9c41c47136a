// Scheduler: one per thread; the run queue, the main tasklet, watchdogs,
// atomic/preemption, deadlock detection, frame ticks and observer callbacks.
//
// The run queue is Stackless's: a circular chain whose head is the current
// tasklet. schedule() moves the head one step, so the old current ends up last
// (round robin); insert() links a tasklet in before the head, i.e. at the end.
// Every algorithm here follows Stackless 3.7 (scheduling.c, stacklessmodule.c,
// channelobject.c, taskletobject.c) step by step, because the order in which
// tasklets run after a send or a kill *is* the semantics users rely on.
//
// Budgets are counted, not timed: native tasklets tick once per safe point
// (schedule, channel operation, explicit preemption_point()); the interpreter
// will tick once per instruction. A run is therefore deterministic.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <vector>

#include "spindle/channel.hpp"
#include "spindle/live_chain.hpp"
#include "spindle/payload.hpp"
#include "spindle/stack_pool.hpp"
#include "spindle/tasklet.hpp"

namespace spindle {

// Options of Stackless's run(): see reference §5.
struct RunOptions {
    std::int64_t timeout = 0;   // > 0: preempt after this many ticks (per time slice)
    bool soft = false;          // never cut a tasklet; return at its next voluntary switch
    bool ignore_nesting = false;
    bool totaltimeout = false;  // timeout covers the whole run() call
};

struct SchedulerStats {
    std::uint64_t switches = 0;
    std::uint64_t preemptions = 0;       // tasklets cut off by a budget
    std::uint64_t tasklets_created = 0;
    std::uint64_t tasklets_finished = 0;
};

using ScheduleCallback = std::function<void(const Tasklet& prev, const Tasklet& next)>;
using ChannelCallback = std::function<void(ChannelObject& channel, const Tasklet& tasklet, bool sending, bool will_block)>;
using ErrorHandler = std::function<void(std::exception_ptr error)>;

class Scheduler {
public:
    // Runs script tasklets, which have no stack of their own (soft switching):
    // a driver fiber (script_drivers.cpp) calls run() whenever a script
    // tasklet is current, and run() returns once that tasklet has switched
    // away or ended. A script tasklet (or main) that switches outside a
    // SoftCall (blocked inside a call from C++) keeps the stack it runs on: a
    // hard switch, bracketed by suspending() and resumed() on that stack.
    class ScriptEngine {
    public:
        virtual ~ScriptEngine() = default;
        virtual void run(const Tasklet& tasklet) = 0;
        virtual void suspending(TaskletObject* tasklet) noexcept { (void)tasklet; }
        virtual void resumed(TaskletObject* tasklet) noexcept { (void)tasklet; }
        // The scheduler is being destroyed before its engine: forget it.
        virtual void scheduler_destroyed() noexcept {}
    };

    explicit Scheduler(StackPoolOptions stacks = {});
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // The scheduler of this thread: the one tasklets, channels and the free
    // functions below use, and the one whose stacks a switch jumps between.
    // A new scheduler becomes active; make_active() activates another (a
    // host switching between games). Destroying a scheduler activates it for
    // its own teardown (killing its tasklets switches stacks), then gives
    // the thread back the one active before, or, if that was itself, the one
    // that was active when it was made (if it still lives), so schedulers
    // may be destroyed in any order.
    static Scheduler& active() {
        Scheduler* s = detail_active;
        if (!s) [[unlikely]] no_active_scheduler();
        return *s;
    }
    static Scheduler* active_or_null() noexcept { return detail_active; }
    // Activates this scheduler; returns the one that was active (or null).
    // Only between frames or from the host: never while one of its tasklets runs.
    Scheduler* make_active() noexcept { return std::exchange(detail_active, this); }
    // Activates `s` (null: none), e.g. what make_active() returned.
    static void set_active(Scheduler* s) noexcept { detail_active = s; }
    bool is_active() const noexcept { return detail_active == this; }

    Tasklet getcurrent() const { return Tasklet(current_); }
    Tasklet getmain() const { return Tasklet(main_); }
    int getruncount() const noexcept { return runcount_; }

    // Yield; the caller stays runnable (or is removed: paused). Returns the
    // retval, or whatever was put in the caller's tempval meanwhile.
    inline void schedule();  // the fast path: no value handed over
    Payload schedule(Payload retval);
    Payload schedule_remove(Payload retval = {});

    // Stackless run(): the caller becomes the watchdog and runs the queue
    // until it empties; with a timeout, returns the interrupted tasklet
    // (taken out of the queue) or an empty handle.
    Tasklet run(RunOptions options = {});

    // One frame: wake tasklets whose frame has come, then run until every
    // tasklet waits or `budget` ticks are spent (0: no limit). A tasklet cut
    // off by the budget stays at the head of the queue and runs first next
    // frame. Returns it, or an empty handle.
    Tasklet run_frame(std::int64_t budget = 0);
    // The rest of the current frame, after run_frame() raised a tasklet's
    // uncaught error into the host: the others run on, in the same frame.
    Tasklet continue_frame(std::int64_t budget = 0);
    std::int64_t frame() const noexcept { return frame_; }
    void next_frame() { sleep(1); }         // block until the next frame
    void sleep(std::int64_t frames);        // block for this many frames (<= 0: schedule())

    // A safe point: counts a tick and takes a due preemption.
    void preemption_point() { tick(); }

    // Round-robin preemption: a tasklet (other than main) that runs this many
    // ticks without switching is moved to the back of the run queue, and the
    // frame goes on. 0 turns it off. Independent of run()'s timeout and of the
    // frame budget, which hand control back to the watchdog instead.
    void set_time_slice(std::int64_t ticks) noexcept;
    std::int64_t time_slice() const noexcept { return time_slice_; }
    std::uint64_t ticks() const noexcept { return tick_counter_; }
    // Per-tasklet tick counts (Tasklet::ticks()) cost a little on every
    // switch, so they are kept only while an observer (the debugger) wants them.
    void set_tasklet_tick_accounting(bool on) noexcept {
        count_tasklet_ticks_ = on;
        slice_start_ = tick_counter_;
    }

    int switch_trap(int delta) noexcept {
        int old = switch_trap_;
        switch_trap_ += delta;
        update_slow_path();
        return old;
    }

    ScheduleCallback set_schedule_callback(ScheduleCallback callback);
    const ScheduleCallback& schedule_callback() const noexcept { return schedule_callback_; }
    ChannelCallback set_channel_callback(ChannelCallback callback);
    const ChannelCallback& channel_callback() const noexcept { return channel_callback_; }
    ErrorHandler set_error_handler(ErrorHandler handler);

    // ---- for script engines
    void set_script_engine(ScriptEngine* engine) noexcept { script_engine_ = engine; }
    // While a SoftCall lives, switches away from the calling script tasklet
    // leave the C stack alone: the call returns at once with switched() true,
    // and the engine resumes the tasklet's heap frames later.
    class SoftCall {
    public:
        explicit SoftCall(Scheduler& s) noexcept : s_(s), saved_(s.soft_prev_) { s.soft_prev_ = s.current_; }
        ~SoftCall() { s_.soft_prev_ = saved_; }
        SoftCall(const SoftCall&) = delete;
        SoftCall& operator=(const SoftCall&) = delete;
        bool switched() noexcept { return std::exchange(s_.soft_switched_, false); }

    private:
        Scheduler& s_;
        TaskletObject* saved_;
    };
    // A resumed script tasklet takes what it was handed (value or bomb).
    Payload take_tempval(const Tasklet& t) { return std::move(t.object()->tempval_); }
    Payload take_tempval(TaskletObject* t) noexcept { return std::move(t->tempval_); }
    const Payload& tempval_of(const TaskletObject* t) const noexcept { return t->tempval_; }
    void clear_tempval(TaskletObject* t) noexcept { t->tempval_.reset(); }
    // Post-switch duties when a script tasklet resumes (the hard path's adopt).
    void script_resumed(const Tasklet& t) { script_resumed(t.object()); }
    void script_resumed(TaskletObject* t) noexcept {
        t->wake_frame_ = -1;
        after_switch();
    }
    // A script tasklet's body ended (error: an exception to route, or null).
    void end_script_tasklet(const Tasklet& t, std::exception_ptr error);
    void mark_script_started(const Tasklet& t);
    // The engine is going away: the tasklet leaves every queue and is dead.
    void discard_script_tasklet(const Tasklet& t);
    // Lets other tasklets run until `me` (main, on the thread's own stack) is current again.
    void wait_until_current(const Tasklet& me);
    // A script tasklet about to switch inside a call from C++ keeps its
    // driver's stack: this makes sure a spare driver exists first, so that
    // the switch itself cannot fail. Throws std::bad_alloc.
    void reserve_driver();
    // True while `t` (a script tasklet or main) waits on a stack of its own.
    bool hard_suspended(const Tasklet& t) const noexcept;
    // Unwinds a hard-suspended script tasklet that would not die by kill():
    // ForcedUnwind is raised where it waits; its driver stack is freed.
    void force_unwind_script(const Tasklet& t) noexcept;
    // run()'s ignore_nesting while a watchdog owns the interrupt.
    bool run_ignores_nesting() const noexcept { return interrupt_armed_ && ignore_nesting_; }
    // stackless.run() in two halves, so a script main can soft-switch between them.
    struct WatchdogCall {
        TaskletObject* self = nullptr;
        bool interrupt = false;
        bool keep_victim = false;
        bool soft = false;
        bool armed, soft_mode, total, ignore;
        std::int64_t interval;
        std::uint64_t watermark;
    };
    WatchdogCall begin_run(RunOptions options, bool keep_victim);
    Tasklet finish_run(const WatchdogCall& call, Payload result);
    void abort_run(const WatchdogCall& call) noexcept;  // the switch failed before anything ran
    Payload run_switch(const WatchdogCall& call) { return schedule_task(call.self, current_); }
    // The switch of sleep() after register_sleep (its safe point is spent).
    Payload sleep_switch();
    // Instruction budgets for an interpreter loop: it counts down privately
    // and reports the instructions it ran, so ticks stay exact and cheap.
    std::uint64_t ticks_until_check() const noexcept {
        return next_check_ > tick_counter_ ? next_check_ - tick_counter_ : 0;
    }
    void add_ticks(std::uint64_t n) noexcept { tick_counter_ += n; }
    // A watchdog or a time slice is armed: switches move the next check.
    bool budget_armed() const noexcept { return budget_armed_; }
    void budget_check() {
        if (tick_counter_ >= next_check_) on_budget_expired();
    }
    Tasklet run_queue_head() const { return Tasklet(current_); }
    // A script engine's fast paths for schedule() and next_frame(), for the
    // running script tasklet: true if it switched away (softly: nothing
    // jumps, the engine resumes whoever is current); false if anything is
    // unusual, and then nothing has changed and the engine takes the
    // general path (inside a SoftCall).
    inline bool try_soft_schedule() noexcept;
    inline bool try_soft_next_frame();
    // The current tasklet if it is a script tasklet other than main: the
    // engine may run it at once, without going back to the driver loop.
    TaskletObject* current_script_tasklet() const noexcept {
        return current_ != nullptr && current_->kind_ == TaskletKind::Script ? current_ : nullptr;
    }
    bool in_channel_callback() const noexcept { return in_channel_callback_; }
    bool waiting_in_run(const Tasklet& t) const;  // t called run() and has not got control back
    void begin_frame();  // run_frame's first half: the frame counter and the sleepers
    // The sleep registration, without the switch (sleep() = this + schedule_remove()).
    bool register_sleep(std::int64_t frames, bool safe_point = true);

    // ---- for save games (tasklets/save/game_save.hpp): the state a frame
    // loop's future depends on, read at the end of a frame and restored into
    // a scheduler that has not run yet.
    struct SleeperRecord {
        Tasklet tasklet;
        std::int64_t wake_frame;
    };
    // Every sleeping tasklet, in the order it will wake (stale entries left).
    std::vector<SleeperRecord> sleepers_in_wake_order() const;
    void restore_clock(std::int64_t frame, std::uint64_t ticks);
    // A paused tasklet sleeps until wake_frame (> frame()). Called in wake
    // order, the restored sleepers wake in that order.
    void restore_sleeper(const Tasklet& t, std::int64_t wake_frame);
    // Ids show in reprs: a loaded world's tasklets and channels take the ids
    // they had, and new ones continue from the saved counters.
    std::uint64_t next_tasklet_id() const noexcept { return next_id_; }
    std::uint64_t next_channel_id() const noexcept { return next_channel_id_; }
    void restore_id(const Tasklet& t, std::uint64_t id) noexcept;
    void restore_id(ChannelObject& c, std::uint64_t id) noexcept;
    void restore_id_counters(std::uint64_t next_tasklet, std::uint64_t next_channel) noexcept {
        next_id_ = next_tasklet;
        next_channel_id_ = next_channel;
    }

    const SchedulerStats& stats() const noexcept { return stats_; }
    StackPool& stacks() noexcept { return stacks_; }
    const StackPool& driver_stacks() const noexcept { return driver_stacks_; }  // script tasklets' drivers
    std::vector<Tasklet> run_queue() const;    // in the order they will run, current first
    std::vector<Tasklet> all_tasklets() const;  // every tasklet that is alive or referenced by the runtime
    // The same tasklets, newest first, without building a list: for the
    // collector, which visits them all at every collection.
    template <class F>
    void for_each_tasklet(F&& visit) const {
        for (TaskletObject* t = registry_; t != nullptr;) {
            TaskletObject* following = t->registry_next_;
            visit(Tasklet(t));
            t = following;
        }
    }

private:
    friend class Tasklet;
    friend class TaskletObject;
    friend class ChannelObject;

    // run queue (the chain whose head is current_)
    void rq_insert(TaskletObject* t) noexcept;           // at the end
    // Linking without a new reference: the caller hands over the one it holds.
    void rq_link(TaskletObject* t) noexcept {
        if (current_ == nullptr) {
            t->next = t->prev = t;
            current_ = t;
        } else {
            t->next = current_;
            t->prev = current_->prev;
            current_->prev->next = t;
            current_->prev = t;
        }
        ++runcount_;
    }
    void rq_link_after_current(TaskletObject* t) noexcept {
        TaskletObject* hold = current_;
        current_ = static_cast<TaskletObject*>(current_->next);
        rq_link(t);
        current_ = hold;
    }
    void rq_insert_after_current(TaskletObject* t) noexcept;
    // Unlinks `t` (the head: rq_remove_current); the caller takes over the
    // run queue's reference. Inline: every blocking channel operation does it.
    TaskletObject* rq_remove_current() noexcept {
        TaskletObject* t = current_;
        rq_remove(t);
        return t;
    }
    void rq_remove(TaskletObject* t) noexcept {
        --runcount_;
        if (t->next == t) {
            current_ = nullptr;
        } else {
            t->prev->next = t->next;
            t->next->prev = t->prev;
            if (current_ == t) current_ = static_cast<TaskletObject*>(t->next);
        }
        t->next = t->prev = nullptr;
    }
    void rq_unremove(TaskletObject* t) noexcept;         // re-link and make it current again

    // switching
    Payload schedule_generic(Payload retval, bool remove, bool safe_point = true);
    Payload schedule_task(TaskletObject* prev, TaskletObject* next, bool no_soft_irq = false);
    Payload schedule_task_block(TaskletObject* prev);
    void soft_irq(TaskletObject* prev, TaskletObject*& next, bool no_soft_irq);
    void prepare_target(TaskletObject* next);
    void begin_switch(TaskletObject* prev, TaskletObject* next);
    void enter(TaskletObject* prev, TaskletObject* next);
    bool jump(TaskletObject* prev, TaskletObject* next);
    void root_wait(TaskletObject* me);
    void hard_jump(TaskletObject* prev, TaskletObject* next);
    // Where `t` resumes: its own stack, the thread's, or a driver for a soft script tasklet.
    detail::ContextSlot* resume_slot(TaskletObject* t);
    struct Driver;
    Driver* take_driver();
    static void driver_entry(detail::fc::transfer_t from) noexcept;
    [[noreturn]] void drive(Driver* me) noexcept;
    void retire_driver_stack(Driver* me) noexcept;
    void release_drivers() noexcept;
    static StackPoolOptions driver_stack_options() noexcept;
    TaskletObject* end_tasklet(std::exception_ptr error);
    static bool on_root(const TaskletObject* t) noexcept { return t->kind_ == TaskletKind::Main; }
    Payload claim_tempval(TaskletObject* t);
    void after_switch() noexcept;
    void release_after_switch() noexcept;
    void start_native(TaskletObject* t);
    // Gives a never-run native tasklet its stack: fast paths call it before
    // they change anything, since it is the one step that can fail.
    void prepare_stack(TaskletObject* t) {
        if (!t->context_ && t->kind_ == TaskletKind::Native) [[unlikely]] start_native(t);
    }
    static void native_entry(detail::fc::transfer_t from) noexcept;
    std::exception_ptr run_native_body(TaskletObject* me, detail::ContextSlot*& unwinder) noexcept;
    void force_unwind(TaskletObject* t) noexcept;
    void unwind_survivors() noexcept;
    void leave_queues(TaskletObject* t) noexcept;
    // Where a tasklet leaving by a hard switch stores its continuation.
    detail::ContextSlot* continuation_of(TaskletObject* t) noexcept {
        return t->kind_ == TaskletKind::Main ? &root_context_ : &t->context_;
    }

    // tasklet operations used by Tasklet
    void insert(TaskletObject* t);
    void remove(TaskletObject* t);
    void run_remove(TaskletObject* t, bool remove);
    void throw_bomb(TaskletObject* t, Payload bomb, bool pending, bool is_tasklet_exit);
    void register_tasklet(TaskletObject* t) noexcept;
    void unregister_tasklet(TaskletObject* t) noexcept;
    void release_tasklet(TaskletObject* t) noexcept;  // last reference dropped
    void reap_orphans();

    // watchdogs and ticks
    TaskletObject* watchdog(bool interrupt) const noexcept;
    Tasklet run_watchdog(RunOptions options, bool keep_victim);
    TaskletObject* pop_watchdog() noexcept;
    void restore_interrupt(const WatchdogCall& call) noexcept;
    void tick() {
        if (++tick_counter_ >= next_check_) [[unlikely]] on_budget_expired();
    }
    void on_budget_expired();
    void on_slice_expired();
    void restart_time_slice() noexcept;
    void refresh_next_check() noexcept;
    void wake_sleepers();
    void kill_all_tasklets() noexcept;

    struct Sleeper {
        std::int64_t wake_frame;
        std::uint64_t ticket;
        TaskletObject* tasklet;  // holds a reference
    };

    StackPool stacks_;
    // The scheduler active when this one was made, and the thread's other
    // live ones (live_chain.hpp).
    LiveChain<Scheduler> live_;
    TaskletObject* main_ = nullptr;
    TaskletObject* current_ = nullptr;  // head of the run queue; null while it is empty
    TaskletObject* running_ = nullptr;  // the tasklet whose code is executing
    int runcount_ = 0;
    std::uint64_t next_id_ = 0;
    std::uint64_t next_channel_id_ = 0;

    // Stackless's watchdog stack: slot 0 is the interrupt watchdog (or null).
    std::vector<TaskletObject*> watchdogs_{nullptr};
    bool interrupt_armed_ = false;
    bool soft_mode_ = false;
    bool totaltimeout_ = false;
    bool ignore_nesting_ = false;
    std::int64_t interval_ = 0;
    std::uint64_t tick_counter_ = 0;
    std::uint64_t tick_watermark_ = 0;
    std::int64_t time_slice_ = 0;
    std::uint64_t slice_watermark_ = UINT64_MAX;
    std::uint64_t next_check_ = UINT64_MAX;  // the nearer of the two watermarks that are armed
    std::uint64_t slice_start_ = 0;          // tick count when the current tasklet got control
    TaskletObject* interrupted_ = nullptr;
    bool no_soft_irq_ = false;
    int switch_trap_ = 0;
    bool in_channel_callback_ = false;
    // Anything that forces every switch through the general path: a switch
    // trap or an observer. One flag, so the fast paths test one byte.
    bool slow_path_ = false;
    bool budget_armed_ = false;  // interrupt_armed_ or a time slice: switches restart budgets
    bool count_tasklet_ticks_ = false;  // per-tasklet tick accounting, for observers
    // Restored native tasklets whose reissued channel wait is still to come
    // (ChannelObject::block_restored): their channel operations take the
    // general path, which finds them.
    std::uint32_t reissues_ = 0;
    void update_slow_path() noexcept {
        slow_path_ = switch_trap_ != 0 || static_cast<bool>(schedule_callback_) || static_cast<bool>(channel_callback_) ||
                     reissues_ != 0;
    }
    [[noreturn]] static void no_active_scheduler();
    static inline thread_local Scheduler* detail_active = nullptr;
    static inline thread_local Scheduler* detail_newest_live = nullptr;
    void schedule_slow();
    static void explode_tempval(TaskletObject* t);

    std::int64_t frame_ = 0;
    std::vector<Sleeper> sleepers_;  // a min-heap by (wake_frame, ticket)
    std::vector<Sleeper> next_frame_sleepers_;  // sleep(1): FIFO by ticket, all due next frame
    std::vector<Sleeper> waking_sleepers_;      // last frame's FIFO while wake_sleepers() runs
    std::uint64_t next_sleep_ticket_ = 0;

    // A reference to drop once the switch is complete (Stackless's
    // del_post_switch); with it, the stack of a native tasklet that ended.
    TaskletObject* release_after_switch_ = nullptr;
    boost::context::stack_context dead_stack_{};
    // The thread's own stack's continuation while someone else runs: main
    // lives on it.
    detail::ContextSlot root_context_;
    ScriptEngine* script_engine_ = nullptr;
    // Driver fibers for script tasklets: idle ones wait here; a driver
    // retired (too many idle) leaves its stack to be freed by the next one.
    StackPool driver_stacks_;
    std::vector<Driver*> idle_drivers_;
    Driver* entering_driver_ = nullptr;  // the driver a jump to a fresh driver stack starts
    boost::context::stack_context dead_driver_stack_{};
    TaskletObject* soft_prev_ = nullptr;  // the script tasklet inside a SoftCall
    bool soft_switched_ = false;

    TaskletObject* registry_ = nullptr;
    std::vector<TaskletObject*> orphans_;  // alive native tasklets nobody references: killed on main
    bool tearing_down_ = false;

    ScheduleCallback schedule_callback_;
    ChannelCallback channel_callback_;
    ErrorHandler error_handler_;
    SchedulerStats stats_;
};

// ---- the switch path, inline: channels and schedule() share it

// The caller resumed: take its tempval; a bomb is returned, not raised.
inline Payload Scheduler::claim_tempval(TaskletObject* t) {
    return std::move(t->tempval_);
}

// The bookkeeping of every switch, kept to a few stores: the hot path.
inline void Scheduler::enter(TaskletObject* prev, TaskletObject* next) {
    // Main lives on the thread's stack, script tasklets on drivers; a native
    // one that has never run gets its own now, first, since that may fail.
    prepare_stack(next);
    if (budget_armed_) {
        if (interrupt_armed_ && !totaltimeout_) tick_watermark_ = tick_counter_ + static_cast<std::uint64_t>(interval_);
        restart_time_slice();
    }
    if (count_tasklet_ticks_) [[unlikely]] {
        prev->ticks_ += tick_counter_ - slice_start_;
        slice_start_ = tick_counter_;
    }
    current_ = next;
    ++stats_.switches;
}

// Leaves `prev`'s stack for `next`'s; returns true when someone has switched
// back to `prev`. False: `prev` is a script tasklet in a SoftCall, and
// nothing moved (its engine unwinds and resumes it later).
inline bool Scheduler::jump(TaskletObject* prev, TaskletObject* next) {
    if (prev == soft_prev_) [[unlikely]] {
        soft_switched_ = true;
        return false;
    }
    if (next->kind_ == TaskletKind::Native && (prev->kind_ == TaskletKind::Native || !script_engine_)) [[likely]] {
        detail::jump_to(next->context_, continuation_of(prev));
        after_switch();
        return true;
    }
    hard_jump(prev, next);  // a script tasklet, main or a driver on one side
    // Back on the thread's stack, perhaps for someone else.
    if (on_root(prev) && current_ != prev) [[unlikely]] root_wait(prev);
    return true;
}

// Runs first thing after every switch, in the tasklet that was switched to.
inline void Scheduler::after_switch() noexcept {
    if (release_after_switch_) [[unlikely]] release_after_switch();
}

// schedule() with no value to hand over: round-robin yielding, the hottest
// path in the runtime, inline in the caller. Anything unusual (a trap, an
// observer, a pending interrupt, a value in the tempval, nobody else to run)
// takes the general path.
// Always inlined: a call frame around a switch costs as much as the switch's
// own bookkeeping.
[[gnu::always_inline]] inline void Scheduler::schedule() {
    tick();
    TaskletObject* prev = current_;
    TaskletObject* next = static_cast<TaskletObject*>(prev->next);
    if (next == prev || slow_path_ || prev->pending_irq_ || !prev->tempval_.empty()) [[unlikely]] {
        schedule_slow();
        return;
    }
    enter(prev, next);  // next is queued: neither blocked nor floating
    if (!jump(prev, next)) return;
    if (!prev->tempval_.empty()) [[unlikely]] explode_tempval(prev);
}

// The common case of schedule(): as the inline schedule() above. The safe
// point is counted, unless it is due (a preemption: the general path).
inline bool Scheduler::try_soft_schedule() noexcept {
    TaskletObject* prev = current_;
    TaskletObject* next = static_cast<TaskletObject*>(prev->next);
    if (next == prev || slow_path_ || prev->pending_irq_ || !prev->tempval_.empty() ||
        tick_counter_ + 1 >= next_check_ || (next->kind_ == TaskletKind::Native && !next->context_)) [[unlikely]]
        return false;
    ++tick_counter_;
    enter(prev, next);
    return true;
}

// next_frame() from a script: register_sleep(1) + sleep_switch().
inline bool Scheduler::try_soft_next_frame() {
    TaskletObject* me = current_;
    TaskletObject* next = static_cast<TaskletObject*>(me->next);
    if (next == me || slow_path_ || me->pending_irq_ || !me->tempval_.empty() ||
        (next->kind_ == TaskletKind::Native && !next->context_)) [[unlikely]]
        return false;
    next_frame_sleepers_.push_back(Sleeper{frame_ + 1, next_sleep_ticket_ + 1, me});  // may throw: first
    me->wake_frame_ = frame_ + 1;
    me->sleep_ticket_ = ++next_sleep_ticket_;
    // The sleeper list takes over the run queue's reference.
    rq_remove_current();
    enter(me, next);
    return true;
}

// ChannelObject::action's fast path for a soft-switching caller: the same
// steps, minus the stack switch (the engine resumes whoever is current).
// The tempvals swap as in action(): the partner gets the caller's value,
// the caller the partner's old tempval.
template <int Direction, class T>
[[gnu::always_inline]] inline ChannelObject::SoftOutcome ChannelObject::soft_transfer(T& slot) {
    static_assert(Direction == 1 || Direction == -1);
    Scheduler& s = *scheduler_;
    TaskletObject* source = s.current_;
    if (s.slow_path_ || source->pending_irq_ || schedule_all_ || !source->tempval_.empty() ||
        s.tick_counter_ + 1 >= s.next_check_) [[unlikely]]
        return SoftOutcome::General;  // observers, a pending interrupt, or a preemption due at this safe point
    if (Direction > 0 ? balance_ < 0 : balance_ > 0) {
        ++s.tick_counter_;
        const T sent = slot;
        TaskletObject* target = head();
        remove_blocked(target);  // its reference now belongs to the run queue
        Payload& theirs = target->tempval_;
        SoftOutcome outcome = SoftOutcome::Switched;
        if (preference_ != -Direction) {
            s.rq_link(target);  // the partner is appended; the caller keeps running
            outcome = SoftOutcome::Done;
            if (const T* value = theirs.get_if<T>()) {
                slot = *value;
            } else if (theirs.empty()) {
                slot = T{};
            } else {
                source->tempval_ = std::move(theirs);
                outcome = SoftOutcome::Handed;
            }
        } else {
            s.rq_link_after_current(target);  // the partner runs now, the caller right after it
            source->tempval_ = std::move(theirs);
            s.enter(source, target);
        }
        if (Direction > 0) theirs.set_plain(sent);
        else theirs.reset();
        return outcome;
    }
    TaskletObject* next = static_cast<TaskletObject*>(source->next);
    if (source->block_trap_ || closing_ || next == source || (next->kind_ == TaskletKind::Native && !next->context_))
        [[unlikely]]
        return SoftOutcome::General;  // errors, a revived watchdog, a deadlock, a stack to make
    ++s.tick_counter_;
    if (Direction > 0) source->tempval_.set_plain(slot);
    s.rq_remove_current();
    insert_blocked(source, Direction);  // the run queue's reference moves here
    s.enter(source, next);
    return SoftOutcome::Switched;
}

// Free functions on the thread's active scheduler, named as in Stackless.
inline Tasklet getcurrent() { return Scheduler::active().getcurrent(); }
inline Tasklet getmain() { return Scheduler::active().getmain(); }
inline int getruncount() { return Scheduler::active().getruncount(); }
[[gnu::always_inline]] inline void schedule() { Scheduler::active().schedule(); }
inline Payload schedule(Payload retval) { return Scheduler::active().schedule(std::move(retval)); }
inline Payload schedule_remove(Payload retval = {}) { return Scheduler::active().schedule_remove(std::move(retval)); }
inline Tasklet run(RunOptions options = {}) { return Scheduler::active().run(options); }
inline void preemption_point() { Scheduler::active().preemption_point(); }
inline void next_frame() { Scheduler::active().next_frame(); }
inline void sleep_frames(std::int64_t frames) { Scheduler::active().sleep(frames); }

// `with stackless.atomic():` — no preemption while it lives.
class Atomic {
public:
    Atomic() : tasklet_(getcurrent()), old_(tasklet_.set_atomic(true)) {}
    ~Atomic() { tasklet_.set_atomic(old_); }
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

private:
    Tasklet tasklet_;
    bool old_;
};

}  // namespace spindle
