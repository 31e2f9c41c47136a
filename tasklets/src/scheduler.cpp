// Scheduler implementation. Index:
//   [RUN QUEUE]   chain operations on the run queue
//   [SWITCHING]   schedule_task and friends: the one path every switch takes
//   [NATIVE]      stack entry, tasklet end, context transfer
//   [OPERATIONS]  schedule, insert/remove, run/switch, throw/kill
//   [WATCHDOG]    run(), budgets, preemption, frames and sleepers
//   [LIFETIME]    construction, orphans, teardown, observers
//
// Error discipline, as in Stackless: an operation either fails *before* it
// switches (it throws, and undoes what it changed) or it switches, and then
// the caller may resume with a "bomb" in its tempval, which is raised only
// after all bookkeeping is done (explode()).
#include "spindle/scheduler.hpp"

#include <algorithm>
#include <cstdio>

namespace spindle {
namespace {


Payload runtime_error_bomb(const char* message) {
    return Payload::bomb(std::make_exception_ptr(RuntimeError(message)));
}

Payload explode(Payload result) {
    if (result.is_bomb()) std::rethrow_exception(result.bomb_error());
    return result;
}

// Orders the sleepers' heap by (wake frame, ticket): FIFO within a frame.
struct SleeperLater {
    bool operator()(const auto& a, const auto& b) const noexcept {
        return a.wake_frame != b.wake_frame ? a.wake_frame > b.wake_frame : a.ticket > b.ticket;
    }
};

}  // namespace

// ============================================================================
// [RUN QUEUE]
// ============================================================================

void Scheduler::rq_insert(TaskletObject* t) noexcept {
    t->incref();
    rq_link(t);
}

void Scheduler::rq_insert_after_current(TaskletObject* t) noexcept {
    t->incref();
    rq_link_after_current(t);
}

// Unlinks the head; the caller takes over the run queue's reference.

void Scheduler::rq_unremove(TaskletObject* t) noexcept {
    rq_insert(t);
    t->decref();  // rq_insert took a new reference; the caller's one moves back in
    current_ = t;
}

// ============================================================================
// [SWITCHING]
// ============================================================================

Payload Scheduler::schedule_task(TaskletObject* prev, TaskletObject* next, bool no_soft_irq) {
    if (next == nullptr) return schedule_task_block(prev);
    if (switch_trap_ != 0 && prev != next) throw RuntimeError("switch_trap");
    prepare_target(next);
    if (prev->pending_irq_) soft_irq(prev, next, no_soft_irq);
    if (prev == next) return claim_tempval(prev);
    begin_switch(prev, next);
    if (!jump(prev, next)) return Payload();
    return claim_tempval(prev);
}

// A blocked target leaves its channel, a floating one joins the run queue.
void Scheduler::prepare_target(TaskletObject* next) {
    if (next->blocked_ != 0) {
        next->channel_->remove_blocked(next);
        rq_insert(next);
        next->decref();  // the channel's reference, now replaced by the run queue's
    } else if (next->floating()) {
        rq_insert(next);
    }
}

// Everything a switch does before control leaves `prev`: observers, the time
// slice, the new current, and a stack for a tasklet that has never run.
void Scheduler::begin_switch(TaskletObject* prev, TaskletObject* next) {
    if (schedule_callback_) {
        // Stackless runs the hook with current == prev, even when prev has just
        // ended and already left the run queue (current is set to next below).
        current_ = prev;
        try {
            schedule_callback_(Tasklet(prev), Tasklet(next));
        } catch (...) {
            std::fputs("spindle: a schedule callback threw; ignored\n", stderr);
        }
    }
    enter(prev, next);
}

void Scheduler::schedule_slow() { explode(schedule_generic(Payload(), false, false)); }

void Scheduler::explode_tempval(TaskletObject* t) { explode(std::move(t->tempval_)); }

// There is nobody to switch to: revive the watchdog (or main), or it is a deadlock.
Payload Scheduler::schedule_task_block(TaskletObject* prev) {
    TaskletObject* wakeup = watchdog(false);
    if (wakeup->floating()) {
        if (prev->tempval_.is_bomb()) wakeup->tempval_ = Payload::bomb(prev->tempval_.bomb_error());
        return schedule_task(prev, wakeup);
    }
    wakeup->tempval_.reset();
    prev->tempval_ = runtime_error_bomb("Deadlock: the last runnable tasklet cannot be blocked.");
    return schedule_task(prev, prev);
}

// A soft interrupt is due: at this voluntary switch, go to the watchdog instead.
void Scheduler::soft_irq(TaskletObject* prev, TaskletObject*& next, bool no_soft_irq) {
    if (!prev->pending_irq_ || !soft_mode_) return;
    TaskletObject* dog = watchdog(true);
    prev->pending_irq_ = false;
    if (!dog->floating()) return;
    if (prev == dog || next == dog) return;
    if (no_soft_irq) {
        next->pending_irq_ = true;
        return;
    }
    interrupted_ = next;
    next->incref();
    TaskletObject* hold = current_;
    current_ = next;
    rq_insert(dog);  // before the old next, so that it runs right after the watchdog
    current_ = hold;
    next = dog;
}

// ============================================================================
// [NATIVE]
// ============================================================================

// A native tasklet's stack comes from the pool the first time it runs.
void Scheduler::start_native(TaskletObject* t) {
    t->native_.stack = stacks_.allocate();
    t->context_ = detail::make_context(t->native_.stack, &Scheduler::native_entry);
    t->started_ = true;
}

// The bottom of every native tasklet's stack. It never returns: an ended
// tasklet leaves for good, and whoever runs next gives the stack back to the
// pool (after_switch), since a stack cannot free itself while it runs. So
// nothing here may own anything when the last jump is made: no destructor
// on this stack will ever run after it.
void Scheduler::native_entry(detail::fc::transfer_t from) noexcept {
    detail::arrived(from);
    Scheduler& self = *detail_active;
    self.after_switch();
    TaskletObject* me = self.current_;
    detail::ContextSlot* unwinder = nullptr;
    TaskletObject* next = nullptr;
    {
        std::exception_ptr error = self.run_native_body(me, unwinder);
        if (!unwinder) next = self.end_tasklet(std::move(error));
    }
    if (unwinder) detail::leave_for_good(*unwinder);  // the unwinder frees the stack
    detail::ContextSlot* resume = self.resume_slot(next);
    self.dead_stack_ = std::exchange(me->native_.stack, {});
    detail::leave_for_good(*resume);
}

// Runs the body; returns the error it ended with, if any. A forced unwind
// is no error: it names the stack to return to instead.
std::exception_ptr Scheduler::run_native_body(TaskletObject* me, detail::ContextSlot*& unwinder) noexcept {
    std::exception_ptr error;
    try {
        // A tasklet killed or thrown at before it ever ran raises at once,
        // without running its body (Stackless test_kill_new).
        Payload first = explode(claim_tempval(me));
        // A restored tasklet's wait was completed before it ran: its body's
        // reissued channel operation takes the value (ChannelObject::block_restored).
        if (reissues_ != 0 && ChannelObject::has_reissue(me)) me->tempval_ = std::move(first);
        me->native_.body();
    } catch (const detail::ForcedUnwind& unwind) {
        unwinder = unwind.unwinder;  // left once the exception is finished with
    } catch (const TaskletExit&) {
        // the silent way to end a tasklet
    } catch (...) {
        error = std::current_exception();
    }
    // The body's captures may own channels and tasklets: release them while we still run.
    me->native_.body = nullptr;
    me->bound_ = false;
    return error;
}

// Post-switch duties that are rare: the reference the switch was to drop
// and the stack of a native tasklet that has ended.
void Scheduler::release_after_switch() noexcept {
    if (dead_stack_.sp) stacks_.deallocate(std::exchange(dead_stack_, {}));
    std::exchange(release_after_switch_, nullptr)->decref();
}

// Unwinds a suspended native tasklet that will not die any other way (it
// caught TaskletExit, or there was no memory to kill it properly).
void Scheduler::force_unwind(TaskletObject* t) noexcept {
    if (!t->context_) return;
    detail::force_unwind(t->context_);
    stacks_.deallocate(std::exchange(t->native_.stack, {}));
    t->finished_ = true;
}

// The bookkeeping of a tasklet's end, for both kinds; returns who runs next
// (already current). The ended tasklet's run-queue reference is dropped once
// the switch is complete (Stackless's del_post_switch).
TaskletObject* Scheduler::end_tasklet(std::exception_ptr error) {
    TaskletObject* task = current_;
    if (error && error_handler_) {
        try {
            error_handler_(error);
            error = nullptr;
        } catch (...) {
            error = std::current_exception();
        }
    }
    task->finished_ = true;
    ++stats_.tasklets_finished;
    task->tempval_ = error ? Payload::bomb(error) : Payload();

    rq_remove_current();
    TaskletObject* next = current_;
    if (next == nullptr) {
        TaskletObject* wakeup = watchdog(false);
        if (wakeup->blocked_ != 0 && !task->tempval_.is_bomb()) {
            task->tempval_ = runtime_error_bomb(wakeup->blocked_ < 0
                                                    ? "the main tasklet is receiving without a sender available."
                                                    : "the main tasklet is sending without a receiver available.");
        }
        next = wakeup;
    }
    if (task->tempval_.is_bomb()) {
        next = watchdog(false);
        next->tempval_ = std::move(task->tempval_);
    }
    task->tempval_.reset();
    release_after_switch_ = task;
    prepare_target(next);
    soft_irq(task, next, false);
    begin_switch(task, next);
    return next;
}

// ---- the main stack

// Main waits on the thread's own stack until it is current again: whoever
// is current runs meanwhile (script tasklets on a driver fiber).
void Scheduler::root_wait(TaskletObject* me) {
    while (current_ != me) {
        if (TaskletObject* t = std::exchange(release_after_switch_, nullptr)) t->decref();
        TaskletObject* t = current_;
        hard_jump(me, t);
    }
}

void Scheduler::wait_until_current(const Tasklet& me) { root_wait(me.object()); }


void Scheduler::mark_script_started(const Tasklet& t) { t.object()->started_ = true; }

// Takes a tasklet that will never run again out of its channel's queue or
// the run queue (not if it is current), dropping that queue's reference.
void Scheduler::leave_queues(TaskletObject* t) noexcept {
    if (t->blocked_ != 0) {
        t->channel_->remove_blocked(t);
        t->decref();
    } else if (!t->floating() && t != current_) {
        rq_remove(t);
        t->decref();
    }
}

void Scheduler::discard_script_tasklet(const Tasklet& t) {
    TaskletObject* task = t.object();
    leave_queues(task);
    if (task->kind_ == TaskletKind::Script) {
        task->finished_ = true;
        task->bound_ = false;
    }
    task->tempval_.reset();  // may hold script values
    task->destroy_script_state();
}

void Scheduler::end_script_tasklet(const Tasklet& t, std::exception_ptr error) {
    TaskletObject* task = t.object();
    task->bound_ = false;
    if (task != current_) return;  // already switched away (cannot happen for a well-behaved engine)
    end_tasklet(error);
}

// ============================================================================
// [OPERATIONS]
// ============================================================================

// schedule(retval): as the inline schedule(), with a value to hand over
// (scripts always pass one: Stackless's default is the tasklet itself).
Payload Scheduler::schedule(Payload retval) {
    tick();
    TaskletObject* prev = current_;
    TaskletObject* next = static_cast<TaskletObject*>(prev->next);
    if (next == prev || slow_path_ || prev->pending_irq_ || !prev->tempval_.empty()) [[unlikely]] {
        return schedule_generic(std::move(retval), false, false);  // the tick is spent
    }
    enter(prev, next);  // next is queued; a stack it needs is made first, before any change
    prev->tempval_ = std::move(retval);
    if (!jump(prev, next)) return Payload();  // a script tasklet: resumed later with its tempval
    return explode(claim_tempval(prev));
}
Payload Scheduler::schedule_remove(Payload retval) { return schedule_generic(std::move(retval), true); }

Payload Scheduler::schedule_generic(Payload retval, bool remove, bool safe_point) {
    if (safe_point) tick();
    TaskletObject* prev = current_;
    TaskletObject* next = static_cast<TaskletObject*>(prev->next);
    Payload old = std::exchange(prev->tempval_, std::move(retval));
    if (remove) {
        rq_remove_current();
        release_after_switch_ = prev;  // the run queue's reference, dropped after the switch
        if (next == prev) next = nullptr;
    }
    Payload result;
    try {
        result = schedule_task(prev, next);
    } catch (const detail::ForcedUnwind&) {
        throw;  // unwinding by force: the switch happened, there is nothing to undo
    } catch (...) {
        prev->tempval_ = std::move(old);
        if (remove) {
            release_after_switch_ = nullptr;
            if (prev->floating()) rq_unremove(prev);
            else prev->decref();
        }
        throw;
    }
    // No switch happened (revived ourselves): drop the reference now.
    if (TaskletObject* t = std::exchange(release_after_switch_, nullptr)) t->decref();
    return explode(std::move(result));
}

void Scheduler::insert(TaskletObject* t) {
    if (t->blocked_ != 0) throw RuntimeError("You cannot run a blocked tasklet");
    if (!t->floating()) return;
    if (!t->alive() && t != current_) throw RuntimeError("You cannot run an unbound(dead) tasklet");
    t->wake_frame_ = -1;  // an inserted sleeper is awake; its heap entry goes stale
    rq_insert(t);
}

void Scheduler::remove(TaskletObject* t) {
    if (t->blocked_ != 0) throw RuntimeError("You cannot remove a blocked tasklet.");
    if (t == current_) throw RuntimeError("The current tasklet cannot be removed.");
    if (t->floating()) return;
    rq_remove(t);
    t->decref();
}

// tasklet.run() (remove=false) and tasklet.switch() (remove=true).
void Scheduler::run_remove(TaskletObject* t, bool remove) {
    TaskletObject* prev = current_;
    const bool inserted = t->floating();
    insert(t);
    if (remove) {
        rq_remove_current();
        release_after_switch_ = prev;
    }
    Payload result;
    try {
        result = schedule_task(prev, t);
    } catch (const detail::ForcedUnwind&) {
        throw;  // unwinding by force: the switch happened, there is nothing to undo
    } catch (...) {
        if (remove) {
            release_after_switch_ = nullptr;
            if (prev->floating()) rq_unremove(prev);
            else prev->decref();
        }
        if (inserted && !t->floating()) {
            rq_remove(t);
            t->decref();
        }
        throw;
    }
    if (TaskletObject* p = std::exchange(release_after_switch_, nullptr)) p->decref();
    explode(std::move(result));
}

// Stackless _impl_tasklet_throw_bomb.
void Scheduler::throw_bomb(TaskletObject* t, Payload bomb, bool pending, bool is_tasklet_exit) {
    if (t == current_) explode(std::move(bomb));
    if (!t->alive()) {
        if (!is_tasklet_exit) throw RuntimeError("You cannot throw to a dead tasklet");
        // Killing the dead is no error; just make sure it is in no queue.
        if (t->blocked_ != 0) {
            t->channel_->remove_blocked(t);
            t->decref();
        } else if (!t->floating()) {
            rq_remove(t);
            t->decref();
        }
        return;
    }
    Payload old = std::exchange(t->tempval_, std::move(bomb));
    if (!pending) {
        Payload result;
        try {
            result = schedule_task(current_, t);
        } catch (...) {
            t->tempval_ = std::move(old);
            throw;
        }
        explode(std::move(result));
        return;
    }
    if (t->blocked_ != 0) {
        t->channel_->remove_blocked(t);
        rq_insert(t);
        t->decref();
    } else {
        insert(t);
    }
}

// ============================================================================
// [WATCHDOG]
// ============================================================================

TaskletObject* Scheduler::watchdog(bool interrupt) const noexcept {
    if (watchdogs_.size() == 1) return main_;
    if (interrupt) return watchdogs_[0] ? watchdogs_[0] : main_;
    return watchdogs_.back();
}

Tasklet Scheduler::run(RunOptions options) {
    Tasklet victim = run_watchdog(options, false);
    reap_orphans();
    return victim;
}

// Stackless PyStackless_RunWatchdogEx; with keep_victim the interrupted
// tasklet stays at the head of the queue (the frame loop's rule). It comes in
// halves (begin_run, the switch, finish_run) so that a script main can
// soft-switch between them and finish when it is resumed.
Tasklet Scheduler::run_watchdog(RunOptions options, bool keep_victim) {
    WatchdogCall call = begin_run(options, keep_victim);
    Payload result;
    try {
        result = schedule_task(call.self, current_);
    } catch (const detail::ForcedUnwind&) {
        throw;  // unwinding by force: the switch happened, there is nothing to undo
    } catch (...) {
        abort_run(call);
        throw;
    }
    return finish_run(call, std::move(result));
}

Scheduler::WatchdogCall Scheduler::begin_run(RunOptions options, bool keep_victim) {
    WatchdogCall call;
    call.self = current_;
    call.keep_victim = keep_victim;
    call.soft = options.soft;
    call.interrupt = options.timeout > 0 && watchdogs_[0] == nullptr;  // an outer watchdog may own the interrupt
    if (call.interrupt) {
        call.self->incref();
        watchdogs_[0] = call.self;
    }
    call.self->incref();
    watchdogs_.push_back(call.self);
    call.armed = interrupt_armed_;
    call.soft_mode = soft_mode_;
    call.total = totaltimeout_;
    call.ignore = ignore_nesting_;
    call.interval = interval_;
    call.watermark = tick_watermark_;
    if (call.interrupt) {
        interrupt_armed_ = true;
        soft_mode_ = options.soft;
        totaltimeout_ = options.totaltimeout;
        ignore_nesting_ = options.ignore_nesting;
        interval_ = options.timeout;
        tick_watermark_ = tick_counter_ + static_cast<std::uint64_t>(options.timeout);
        refresh_next_check();
    }
    rq_remove_current();
    call.self->decref();  // the watchdog stack keeps it alive
    return call;
}

TaskletObject* Scheduler::pop_watchdog() noexcept {
    TaskletObject* t = watchdogs_.back();
    watchdogs_.pop_back();
    if (t == watchdogs_[0]) {
        watchdogs_[0] = nullptr;
        t->decref();
    }
    return t;  // the caller owns the stack's reference
}

void Scheduler::restore_interrupt(const WatchdogCall& call) noexcept {
    if (!call.interrupt) return;
    interrupt_armed_ = call.armed;
    soft_mode_ = call.soft_mode;
    totaltimeout_ = call.total;
    ignore_nesting_ = call.ignore;
    interval_ = call.interval;
    tick_watermark_ = call.watermark;
    refresh_next_check();
}

bool Scheduler::waiting_in_run(const Tasklet& t) const {
    const TaskletObject* object = t.object();
    if (object == running_) return false;
    return std::find(watchdogs_.begin() + 1, watchdogs_.end(), object) != watchdogs_.end();
}

// The switch failed before anything ran: undo begin_run.
void Scheduler::abort_run(const WatchdogCall& call) noexcept {
    TaskletObject* undo = pop_watchdog();
    if (undo->floating()) rq_unremove(undo);
    else undo->decref();
    restore_interrupt(call);
}

Tasklet Scheduler::finish_run(const WatchdogCall& call, Payload result) {
    TaskletObject* self = call.self;
    // Back in the watchdog. Pop it (and any deeper watchdogs woken with it).
    if (watchdogs_.back() == self || std::find(watchdogs_.begin() + 1, watchdogs_.end(), self) != watchdogs_.end()) {
        for (;;) {
            TaskletObject* popped = pop_watchdog();
            if (popped->floating()) rq_insert(popped);
            popped->decref();
            if (popped == self) break;
        }
        restore_interrupt(call);
    }
    explode(std::move(result));
    if (TaskletObject* victim = std::exchange(interrupted_, nullptr)) {
        Tasklet handle(victim);
        victim->decref();
        if (!call.soft && !call.keep_victim && !victim->floating()) {
            rq_remove(victim);
            victim->decref();
        }
        if (!call.soft) return handle;
    }
    return Tasklet();
}

void Scheduler::set_time_slice(std::int64_t ticks) noexcept {
    time_slice_ = ticks > 0 ? ticks : 0;
    restart_time_slice();
}

void Scheduler::restart_time_slice() noexcept {
    slice_watermark_ = time_slice_ > 0 ? tick_counter_ + static_cast<std::uint64_t>(time_slice_) : UINT64_MAX;
    refresh_next_check();
}

void Scheduler::refresh_next_check() noexcept {
    budget_armed_ = interrupt_armed_ || time_slice_ > 0;
    next_check_ = std::min(interrupt_armed_ ? tick_watermark_ : UINT64_MAX, slice_watermark_);
}

// A watermark was reached at a safe point.
void Scheduler::on_budget_expired() {
    if (interrupt_armed_ && tick_counter_ >= tick_watermark_) {
        // The watchdog's budget (Stackless interrupt_timeout_return).
        TaskletObject* cur = current_;
        if (soft_mode_ || cur->atomic_ || switch_trap_ != 0) {
            // Soft mode waits for the next voluntary switch. Atomic sections and
            // switch traps keep the budget due, so the preemption happens at the
            // first safe point after they end.
            if (soft_mode_) {
                tick_watermark_ = tick_counter_ + static_cast<std::uint64_t>(interval_);
                refresh_next_check();
            }
            cur->pending_irq_ = true;
            return;
        }
        cur->pending_irq_ = false;
        TaskletObject* dog = watchdog(true);
        if (dog != cur) {
            interrupted_ = cur;
            cur->incref();
            ++stats_.preemptions;
            explode(schedule_task(cur, dog));
            return;
        }
    }
    if (tick_counter_ >= slice_watermark_) on_slice_expired();
}

// The time slice is spent: to the back of the queue, unless atomic (then at
// the first safe point after the atomic section).
void Scheduler::on_slice_expired() {
    TaskletObject* cur = current_;
    if (cur == main_ || cur->atomic_ || switch_trap_ != 0) return;
    restart_time_slice();  // if nobody else is runnable, no switch restarts it
    if (cur->next == cur) return;
    ++stats_.preemptions;
    TaskletObject* next = static_cast<TaskletObject*>(cur->next);
    Payload old = std::exchange(cur->tempval_, Payload());
    Payload result = schedule_task(cur, next);
    cur->tempval_ = std::move(old);
    explode(std::move(result));
}

void Scheduler::begin_frame() {
    ++frame_;
    wake_sleepers();
}

Tasklet Scheduler::run_frame(std::int64_t budget) {
    begin_frame();
    return continue_frame(budget);
}

Tasklet Scheduler::continue_frame(std::int64_t budget) {
    RunOptions options;
    options.timeout = budget;
    options.totaltimeout = true;
    Tasklet cut_off = run_watchdog(options, true);
    reap_orphans();
    return cut_off;
}

void Scheduler::sleep(std::int64_t frames) {
    if (frames <= 0) {
        schedule();
        return;
    }
    if (!register_sleep(frames)) return;
    TaskletObject* me = current_;
    struct Awake {
        TaskletObject* t;
        ~Awake() { t->wake_frame_ = -1; }
    } awake{me};
    explode(sleep_switch());
}

// The switch of a sleep, after register_sleep (its safe point is spent). The
// fast path of a frame loop's every tasklet, as schedule() is for yielding:
// `next` is queued, so it needs no preparation, and the run queue's
// reference can go at once, since the sleeper list holds another.
Payload Scheduler::sleep_switch() {
    TaskletObject* me = current_;
    TaskletObject* next = static_cast<TaskletObject*>(me->next);
    if (next == me || slow_path_ || me->pending_irq_ || !me->tempval_.empty()) [[unlikely]] {
        return schedule_generic(Payload(), true, false);
    }
    prepare_stack(next);  // may throw: before any change
    rq_remove_current();
    me->decref();
    enter(me, next);
    if (!jump(me, next)) return Payload();  // a script tasklet: it unwinds and is resumed later
    return claim_tempval(me);
}

// Registers the current tasklet as sleeping until frame + frames; false if
// its frame has already come (it was cut off at the safe point and resumed
// in that frame), so it must not block.
bool Scheduler::register_sleep(std::int64_t frames, bool safe_point) {
    const std::int64_t wake_frame = frame_ + frames;
    // The safe point comes before we register: a budget cut here leaves us
    // queued, and a sleeper that is still queued when its frame comes would
    // be skipped by wake_sleepers() and then remove itself for good.
    // (Script tasklets count their safe points per instruction instead.)
    if (safe_point) tick();
    if (wake_frame <= frame_) return false;
    TaskletObject* me = current_;
    me->wake_frame_ = wake_frame;
    me->sleep_ticket_ = ++next_sleep_ticket_;
    me->incref();
    if (frames == 1) {
        // next_frame(), the common case: a FIFO, no heap.
        next_frame_sleepers_.push_back(Sleeper{me->wake_frame_, me->sleep_ticket_, me});
    } else {
        sleepers_.push_back(Sleeper{me->wake_frame_, me->sleep_ticket_, me});
        std::push_heap(sleepers_.begin(), sleepers_.end(), SleeperLater{});
    }
    return true;
}

// Wakes everyone due this frame in (wake frame, ticket) order: the
// next-frame FIFO (all due, tickets ascending) merged with the heap's due
// entries.
void Scheduler::wake_sleepers() {
    // Two buffers that swap roles each frame, so neither is ever regrown.
    std::vector<Sleeper>& fifo = waking_sleepers_;
    fifo.swap(next_frame_sleepers_);
    std::size_t next = 0;
    auto wake = [this](const Sleeper& s) {
        TaskletObject* t = s.tasklet;
        if (t->sleep_ticket_ == s.ticket && t->wake_frame_ >= 0 && t->floating() && t->alive()) {
            t->wake_frame_ = -1;
            rq_link(t);  // the sleeper list's reference moves to the run queue
        } else {
            t->decref();
        }
    };
    while (!sleepers_.empty() && sleepers_.front().wake_frame <= frame_) {
        const Sleeper& top = sleepers_.front();
        if (next < fifo.size() && SleeperLater{}(top, fifo[next])) {
            wake(fifo[next++]);
            continue;
        }
        std::pop_heap(sleepers_.begin(), sleepers_.end(), SleeperLater{});
        Sleeper s = sleepers_.back();
        sleepers_.pop_back();
        wake(s);
    }
    for (; next < fifo.size(); ++next) wake(fifo[next]);
    fifo.clear();
}

// ============================================================================
// [LIFETIME]
// ============================================================================

Scheduler::Scheduler(StackPoolOptions stacks)
    : stacks_(stacks), driver_stacks_(driver_stack_options()) {
    live_.link(this, detail_newest_live, &Scheduler::live_, detail_active);
    detail_active = this;
    main_ = new TaskletObject(*this, TaskletKind::Main, next_id_++);
    main_->incref();  // the scheduler's own reference
    main_->name_ = std::make_unique<std::string>("main");
    main_->has_args_ = true;
    main_->started_ = true;
    rq_insert(main_);
}

Scheduler::~Scheduler() {
    // Killing the tasklets below switches stacks, and a stack's entry finds
    // its scheduler as the active one.
    Scheduler* const was_active = std::exchange(detail_active, this);
    tearing_down_ = true;
    kill_all_tasklets();
    unwind_survivors();
    // Detach every tasklet first, so that references dropped from here on (and
    // handles that outlive the scheduler) simply delete their objects.
    for (TaskletObject* t = registry_; t != nullptr;) {
        TaskletObject* following = t->registry_next_;
        t->scheduler_ = nullptr;
        t->in_registry_ = false;
        t = following;
    }
    registry_ = nullptr;
    while (current_) {
        TaskletObject* t = rq_remove_current();
        t->decref();
    }
    for (Sleeper& s : sleepers_) s.tasklet->decref();
    sleepers_.clear();
    for (Sleeper& s : next_frame_sleepers_) s.tasklet->decref();
    next_frame_sleepers_.clear();
    for (TaskletObject* t : watchdogs_) {
        if (t) t->decref();
    }
    main_->decref();
    release_drivers();
    if (script_engine_) script_engine_->scheduler_destroyed();
    live_.unlink(this, detail_newest_live, &Scheduler::live_);
    detail_active = was_active != this ? was_active : live_.previous;
}

void Scheduler::no_active_scheduler() { throw RuntimeError("no spindle::Scheduler is active on this thread"); }

void Scheduler::register_tasklet(TaskletObject* t) noexcept {
    t->registry_next_ = registry_;
    t->registry_prev_ = nullptr;
    if (registry_) registry_->registry_prev_ = t;
    registry_ = t;
    t->in_registry_ = true;
    ++stats_.tasklets_created;
}

void Scheduler::unregister_tasklet(TaskletObject* t) noexcept {
    if (!t->in_registry_) return;
    if (t->registry_prev_) t->registry_prev_->registry_next_ = t->registry_next_;
    else registry_ = t->registry_next_;
    if (t->registry_next_) t->registry_next_->registry_prev_ = t->registry_prev_;
    t->in_registry_ = false;
}

// Nobody references `t` any more. A native tasklet still alive on its stack
// must be unwound (its destructors run), which only a switch can do, so it
// is resurrected and killed at the next safe moment.
void Scheduler::release_tasklet(TaskletObject* t) noexcept {
    if (t->kind_ == TaskletKind::Native && t->started_ && !t->finished_ && !tearing_down_) {
        try {
            orphans_.push_back(t);
            t->incref();
            return;
        } catch (...) {
            // no memory to defer it: fall through and unwind it here
        }
    }
    force_unwind(t);
    delete t;
}

void Scheduler::reap_orphans() {
    if (orphans_.empty()) return;
    int rounds = 0;
    while (!orphans_.empty() && rounds++ < 10) {
        std::vector<TaskletObject*> batch;
        batch.swap(orphans_);
        for (TaskletObject* t : batch) {
            Tasklet handle(t);
            t->decref();
            try {
                handle.kill();
            } catch (...) {
                std::fputs("spindle: a tasklet raised while being collected; ignored\n", stderr);
            }
        }
    }
}

// Teardown: unwind every native tasklet that still has a stack.
void Scheduler::kill_all_tasklets() noexcept {
    for (int attempt = 0; attempt < 10; ++attempt) {
        std::vector<Tasklet> victims;
        for (TaskletObject* t = registry_; t != nullptr; t = t->registry_next_) {
            if (t->kind_ == TaskletKind::Native && t->started_ && !t->finished_) victims.emplace_back(t);
        }
        for (TaskletObject* t : orphans_) t->decref();  // the registry walk found them too
        orphans_.clear();
        if (victims.empty()) return;
        for (Tasklet& v : victims) {
            try {
                // As slp_kill_tasks_with_stacks: a queued victim is made floating
                // first, so its kill runs only the victim, not the tasklets queued
                // after it (which would start bodies during teardown).
                if (v.scheduled() && !v.blocked() && !v.is_current()) v.remove();
                v.kill();
            } catch (...) {
                // an error routed to main while tearing down is dropped
            }
        }
    }
}

// Tasklets that refused to die (they caught TaskletExit every time) are
// unwound by force while their stacks still belong to our pool: out of
// their queues first, since they will never block or run again.
void Scheduler::unwind_survivors() noexcept {
    std::vector<Tasklet> survivors;
    try {
        // Script tasklets on a stack of their own are the interpreter's to
        // unwind, while it still exists.
        for (TaskletObject* t = registry_; t != nullptr; t = t->registry_next_) {
            if (t->context_ && t->kind_ == TaskletKind::Native) survivors.emplace_back(t);
        }
    } catch (...) {
        return;  // no memory even for the list: their stacks stay mapped
    }
    for (Tasklet& survivor : survivors) {
        leave_queues(survivor.object());
        force_unwind(survivor.object());
    }
}

ScheduleCallback Scheduler::set_schedule_callback(ScheduleCallback callback) {
    ScheduleCallback old = std::exchange(schedule_callback_, std::move(callback));
    update_slow_path();
    return old;
}
ChannelCallback Scheduler::set_channel_callback(ChannelCallback callback) {
    ChannelCallback old = std::exchange(channel_callback_, std::move(callback));
    update_slow_path();
    return old;
}
ErrorHandler Scheduler::set_error_handler(ErrorHandler handler) {
    return std::exchange(error_handler_, std::move(handler));
}

std::vector<Tasklet> Scheduler::run_queue() const {
    std::vector<Tasklet> order;
    if (!current_) return order;
    TaskletObject* t = current_;
    do {
        order.emplace_back(t);
        t = static_cast<TaskletObject*>(t->next);
    } while (t != current_);
    return order;
}

std::vector<Scheduler::SleeperRecord> Scheduler::sleepers_in_wake_order() const {
    std::vector<Sleeper> live;
    for (const std::vector<Sleeper>* list : {&sleepers_, &next_frame_sleepers_}) {
        for (const Sleeper& s : *list) {
            const TaskletObject* t = s.tasklet;
            if (t->sleep_ticket_ == s.ticket && t->wake_frame_ >= 0 && t->floating() && t->alive()) live.push_back(s);
        }
    }
    std::sort(live.begin(), live.end(), [](const Sleeper& a, const Sleeper& b) { return SleeperLater{}(b, a); });
    std::vector<SleeperRecord> out;
    out.reserve(live.size());
    for (const Sleeper& s : live) out.push_back(SleeperRecord{Tasklet(s.tasklet), s.wake_frame});
    return out;
}

void Scheduler::restore_clock(std::int64_t frame, std::uint64_t ticks) {
    frame_ = frame;
    tick_counter_ = ticks;
    restart_time_slice();
}

void Scheduler::restore_sleeper(const Tasklet& handle, std::int64_t wake_frame) {
    TaskletObject* t = handle.object();
    if (wake_frame <= frame_ || !t->floating() || !t->alive() || t->blocked_ != 0 || t->wake_frame_ >= 0)
        throw RuntimeError("restore_sleeper: the tasklet must be paused and wake after the current frame");
    const Sleeper entry{wake_frame, next_sleep_ticket_ + 1, t};
    if (wake_frame == frame_ + 1) {
        next_frame_sleepers_.push_back(entry);
    } else {
        sleepers_.push_back(entry);
        std::push_heap(sleepers_.begin(), sleepers_.end(), SleeperLater{});
    }
    ++next_sleep_ticket_;
    t->wake_frame_ = wake_frame;
    t->sleep_ticket_ = entry.ticket;
    t->incref();  // the sleeper list's reference
}

void Scheduler::restore_id(const Tasklet& t, std::uint64_t id) noexcept { t.object()->id_ = id; }
void Scheduler::restore_id(ChannelObject& c, std::uint64_t id) noexcept { c.id_ = id; }

std::vector<Tasklet> Scheduler::all_tasklets() const {
    std::vector<Tasklet> all;
    for (TaskletObject* t = registry_; t != nullptr; t = t->registry_next_) all.emplace_back(t);
    std::reverse(all.begin(), all.end());  // creation order
    return all;
}

}  // namespace spindle
