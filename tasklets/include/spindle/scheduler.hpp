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
    explicit Scheduler(StackPoolOptions stacks = {});
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // The scheduler of this thread (the most recently constructed live one).
    static Scheduler& active() {
        Scheduler* s = detail_active;
        if (!s) [[unlikely]] no_active_scheduler();
        return *s;
    }
    static Scheduler* active_or_null() noexcept { return detail_active; }

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

    const SchedulerStats& stats() const noexcept { return stats_; }
    StackPool& stacks() noexcept { return stacks_; }
    std::vector<Tasklet> run_queue() const;    // in the order they will run, current first
    std::vector<Tasklet> all_tasklets() const;  // every tasklet that is alive or referenced by the runtime

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
    TaskletObject* rq_remove_current() noexcept;
    void rq_remove(TaskletObject* t) noexcept;
    void rq_unremove(TaskletObject* t) noexcept;         // re-link and make it current again

    // switching
    Payload schedule_generic(Payload retval, bool remove, bool safe_point = true);
    Payload schedule_task(TaskletObject* prev, TaskletObject* next, bool no_soft_irq = false);
    Payload schedule_task_block(TaskletObject* prev);
    void soft_irq(TaskletObject* prev, TaskletObject*& next, bool no_soft_irq);
    void prepare_target(TaskletObject* next);
    void begin_switch(TaskletObject* prev, TaskletObject* next);
    void enter(TaskletObject* prev, TaskletObject* next);
    void jump(TaskletObject* next);
    Payload claim_tempval(TaskletObject* t);
    void adopt_resumer(boost::context::fiber&& from) noexcept;
    static boost::context::fiber native_entry(boost::context::fiber&& caller);
    boost::context::fiber finish_current_tasklet(std::exception_ptr error);

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
    Scheduler* previous_active_;
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
    void update_slow_path() noexcept {
        slow_path_ = switch_trap_ != 0 || static_cast<bool>(schedule_callback_) || static_cast<bool>(channel_callback_);
    }
    [[noreturn]] static void no_active_scheduler();
    static inline thread_local Scheduler* detail_active = nullptr;
    void schedule_slow();
    static void explode_tempval(TaskletObject* t);

    std::int64_t frame_ = 0;
    std::vector<Sleeper> sleepers_;  // a min-heap by (wake_frame, ticket)
    std::uint64_t next_sleep_ticket_ = 0;

    // Context handoff: the tasklet we switched away from, and a reference to
    // drop once the switch is complete (Stackless's del_post_switch).
    TaskletObject* switched_from_ = nullptr;
    TaskletObject* release_after_switch_ = nullptr;

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
    if (budget_armed_) {
        if (interrupt_armed_ && !totaltimeout_) tick_watermark_ = tick_counter_ + static_cast<std::uint64_t>(interval_);
        restart_time_slice();
    }
    prev->ticks_ += tick_counter_ - slice_start_;
    slice_start_ = tick_counter_;
    current_ = next;
    ++stats_.switches;
    // Script tasklets (next issue) have no stack of their own: they will be run
    // by the driver loop on main's stack, so a switch to one resumes that loop.
    if (!next->context_) [[unlikely]] {
        next->context_ = boost::context::fiber(std::allocator_arg, StackPool::Allocator(stacks_),
                                               &Scheduler::native_entry);
        next->started_ = true;
    }
    switched_from_ = prev;
}

// Leaves `prev`'s stack for `next`'s; returns when someone switches back.
inline void Scheduler::jump(TaskletObject* next) {
    boost::context::fiber from = std::move(next->context_).resume();
    adopt_resumer(std::move(from));
}

// Runs first thing after every switch, in the tasklet that was switched to.
inline void Scheduler::adopt_resumer(boost::context::fiber&& from) noexcept {
    if (switched_from_) {
#if defined(BOOST_USE_UCONTEXT)
        // A tasklet that has ended hands over its terminated fiber (the ucontext
        // back end does; fcontext frees it itself). Drop it now, so its stack goes
        // back to the pool while the pool exists, not when a handle outlives us.
        if (switched_from_->finished_) from = boost::context::fiber();
        else
#endif
            switched_from_->context_ = std::move(from);
        switched_from_ = nullptr;
    }
    if (TaskletObject* t = std::exchange(release_after_switch_, nullptr)) t->decref();
}

// schedule() with no value to hand over: round-robin yielding, the hottest
// path in the runtime, inline in the caller. Anything unusual (a trap, an
// observer, a pending interrupt, a value in the tempval, nobody else to run)
// takes the general path.
inline void Scheduler::schedule() {
    tick();
    TaskletObject* prev = current_;
    TaskletObject* next = static_cast<TaskletObject*>(prev->next);
    if (next == prev || slow_path_ || prev->pending_irq_ || !prev->tempval_.empty()) [[unlikely]] {
        schedule_slow();
        return;
    }
    enter(prev, next);  // next is queued: neither blocked nor floating
    jump(next);
    if (!prev->tempval_.empty()) [[unlikely]] explode_tempval(prev);
}

// Free functions on the thread's active scheduler, named as in Stackless.
inline Tasklet getcurrent() { return Scheduler::active().getcurrent(); }
inline Tasklet getmain() { return Scheduler::active().getmain(); }
inline int getruncount() { return Scheduler::active().getruncount(); }
inline void schedule() { Scheduler::active().schedule(); }
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
