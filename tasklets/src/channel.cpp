// The channel protocol (Stackless channelobject.c: generic_channel_action,
// _cando and _block), on the untyped core.
#include "spindle/channel.hpp"

#include <unordered_map>

#include "spindle/scheduler.hpp"

namespace spindle {
namespace {

// Restored native tasklets blocked at their saved place whose body has not
// yet reissued the wait (block_restored). Few and short-lived, so they live
// beside the tasklet objects rather than in each; one table per thread, as
// schedulers are. The channel is only compared with, never followed (a
// reference would be a cycle: its queue holds the tasklet); a channel that
// goes away first drops its entries.
struct Reissue {
    const ChannelObject* channel;
    int direction;
};
thread_local std::unordered_map<const TaskletObject*, Reissue> g_reissues;

// Keeps a channel alive across a switch: a temporary channel must not vanish
// while a tasklet is inside one of its operations.
struct ChannelPin {
    ChannelObject* channel;
    explicit ChannelPin(ChannelObject* c) : channel(c) { channel->incref(); }
    ~ChannelPin() { channel->decref(); }
};

Payload explode(Payload&& result) {
    if (result.is_bomb()) [[unlikely]] std::rethrow_exception(result.bomb_error());
    return std::move(result);
}

}  // namespace

ChannelObject::ChannelObject() : ChannelObject(Scheduler::active()) {}

ChannelObject::ChannelObject(Scheduler& scheduler) : scheduler_(&scheduler), id_(scheduler.next_channel_id_++) {
    queue_.next = queue_.prev = &queue_;
}

// Tasklets still blocked here are unlinked and left paused, as in Stackless.
ChannelObject::~ChannelObject() { release_blocked(); }

void ChannelObject::release_blocked() noexcept {
    while (TaskletObject* t = head()) {
        remove_blocked(t);
        if (scheduler_->reissues_ != 0) forget_reissue(t);  // paused now: its body will block again itself
        t->decref();
    }
}

void ChannelObject::last_reference_dropped() noexcept { delete this; }

void ChannelObject::send(Payload value) { action(std::move(value), +1); }
Payload ChannelObject::receive() { return action(Payload(), -1); }
void ChannelObject::send_exception(std::exception_ptr error) { action(Payload::bomb(std::move(error)), +1); }

// The common case, kept free of rollback bookkeeping: no observers, no traps,
// no pending interrupt, no schedule_all. Anything else (and every error) goes
// through action_general, which follows Stackless step by step.
Payload ChannelObject::action(Payload value, int direction) {
    Scheduler& s = *scheduler_;
    if (s.reissues_ != 0) [[unlikely]] {
        // The saved wait's safe point was counted before the save: not again.
        if (std::optional<Payload> got = take_reissue(s.current_, direction)) return explode(std::move(*got));
    }
    s.tick();  // a safe point: a due preemption happens before the operation
    TaskletObject* source = s.current_;
    if (s.slow_path_ || source->pending_irq_ ||
        schedule_all_ || !source->tempval_.empty()) [[unlikely]]
        return action_general(std::move(value), direction);
    if (direction > 0 ? balance_ < 0 : balance_ > 0) {
        TaskletObject* target = head();
        remove_blocked(target);  // its reference now belongs to the run queue
        Payload received = std::move(target->tempval_);
        target->tempval_ = std::move(value);
        if (preference_ != -direction) {
            s.rq_link(target);  // the partner is appended; the caller keeps running
            return explode(std::move(received));
        }
        s.rq_link_after_current(target);  // the partner runs now, the caller right after it
        source->tempval_ = std::move(received);
        ChannelPin pin(this);
        s.enter(source, target);
        if (!s.jump(source, target)) return Payload();
        return explode(s.claim_tempval(source));
    }
    if (source->block_trap_ || closing_ || s.current_->next == s.current_) [[unlikely]]
        return action_general(std::move(value), direction);  // errors, a revived watchdog, a deadlock
    s.prepare_stack(static_cast<TaskletObject*>(source->next));  // may throw: before any change
    source->tempval_ = std::move(value);
    s.rq_remove_current();
    insert_blocked(source, direction);  // the run queue's reference moves here
    TaskletObject* next = s.current_;
    ChannelPin pin(this);
    s.enter(source, next);
    if (!s.jump(source, next)) return Payload();
    return explode(s.claim_tempval(source));
}

Payload ChannelObject::action_general(Payload value, int direction) {
    Scheduler& s = *scheduler_;
    TaskletObject* source = s.current_;
    Payload old = std::exchange(source->tempval_, std::move(value));
    const bool cando = direction > 0 ? balance_ < 0 : balance_ > 0;

    if (s.channel_callback_) {
        if (s.in_channel_callback_) {
            // As in Stackless, the failed call's value stays in the caller's
            // tempval: the outer operation then hands over this value.
            throw RuntimeError("Recursive channel call due to callbacks!");
        }
        s.in_channel_callback_ = true;
        try {
            s.channel_callback_(*this, Tasklet(source), direction > 0, !cando);
        } catch (...) {
            s.in_channel_callback_ = false;
            source->tempval_ = std::move(old);
            throw;
        }
        s.in_channel_callback_ = false;
    }

    Payload result;
    if (cando) {
        // A partner waits: exchange values, and preference decides who runs.
        TaskletObject* target = head();
        remove_blocked(target);
        source->tempval_.swap(target->tempval_);
        TaskletObject* switch_to = target;
        bool no_soft_irq = false;
        if (schedule_all_) {
            s.rq_insert(target);
            switch_to = static_cast<TaskletObject*>(source->next);
        } else if (preference_ == -direction) {
            s.rq_insert_after_current(target);  // source is current: target goes right after it
            no_soft_irq = true;
        } else {
            s.rq_insert(target);
            switch_to = source;
            no_soft_irq = true;
        }
        target->decref();  // the channel's reference; the run queue holds one now
        if (switch_to == source && !source->pending_irq_) {
            // The caller keeps running: no switch, so nothing can fail or vanish.
            result = s.claim_tempval(source);
            return explode(std::move(result));
        }
        ChannelPin pin(this);
        try {
            result = s.schedule_task(source, switch_to, no_soft_irq);
        } catch (const detail::ForcedUnwind&) {
            throw;  // unwinding by force: the switch happened, there is nothing to undo
        } catch (...) {
            s.rq_remove(target);
            s.current_ = source;
            insert_blocked(target, -direction);
            source->tempval_.swap(target->tempval_);
            source->tempval_ = std::move(old);
            throw;
        }
    } else {
        // Nobody waits: the caller blocks in the queue.
        if (source->block_trap_) {
            source->tempval_ = std::move(old);
            throw RuntimeError("this tasklet does not like to be blocked.");
        }
        if (closing_) {
            source->tempval_ = std::move(old);
            throw ValueError("Send/receive operation on a closed channel");
        }
        s.rq_remove_current();
        insert_blocked(source, direction);  // the run queue's reference moves here
        ChannelPin pin(this);
        try {
            result = s.schedule_task(source, s.current_);
        } catch (const detail::ForcedUnwind&) {
            throw;  // unwinding by force: the switch happened, there is nothing to undo
        } catch (...) {
            remove_blocked(source);
            s.rq_unremove(source);
            source->tempval_ = std::move(old);
            throw;
        }
    }
    return explode(std::move(result));
}

Tasklet ChannelObject::queue() const { return Tasklet(head()); }

std::vector<Tasklet> ChannelObject::blocked_tasklets() const {
    std::vector<Tasklet> order;
    for (ChainNode* n = queue_.next; n != &queue_; n = n->next) order.emplace_back(static_cast<TaskletObject*>(n));
    return order;
}

const Payload* ChannelObject::pending_value(const Tasklet& blocked_sender) const {
    TaskletObject* t = blocked_sender.object();
    if (!t || t->channel_ != this || t->blocked_ <= 0) return nullptr;
    return &t->tempval_;
}

bool ChannelObject::block_paused(const Tasklet& tasklet, int direction) {
    TaskletObject* t = tasklet.object();
    if (!t || (direction != 1 && direction != -1) || !t->alive() || !t->floating() || t->blocked_ != 0 || tasklet.is_current())
        return false;
    if ((balance_ > 0 && direction < 0) || (balance_ < 0 && direction > 0)) return false;
    t->incref();  // the queue's reference
    insert_blocked(t, direction);
    return true;
}

bool ChannelObject::block_restored(const Tasklet& tasklet, int direction, Payload pending) {
    TaskletObject* t = tasklet.object();
    if (!t || t->kind_ != TaskletKind::Native || t->started_ || g_reissues.count(t) || (direction < 0 && !pending.empty()))
        return false;
    g_reissues.emplace(t, Reissue{this, direction});  // may throw: before any change
    Payload old = std::exchange(t->tempval_, std::move(pending));
    if (!block_paused(tasklet, direction)) {
        t->tempval_ = std::move(old);
        g_reissues.erase(t);
        return false;
    }
    ++scheduler_->reissues_;
    scheduler_->update_slow_path();
    return true;
}

std::optional<Payload> ChannelObject::take_reissue(TaskletObject* source, int direction) {
    const auto it = g_reissues.find(source);
    if (it == g_reissues.end()) return std::nullopt;
    const Reissue r = it->second;
    forget_reissue(source);
    if (r.channel != this || r.direction != direction) {
        throw RuntimeError(
            "a restored native tasklet's first channel operation must reissue the wait it was saved in "
            "(the same channel, the same direction)");
    }
    return scheduler_->claim_tempval(source);
}

bool ChannelObject::has_reissue(const TaskletObject* tasklet) noexcept { return g_reissues.count(tasklet) != 0; }

void ChannelObject::forget_reissue(const TaskletObject* tasklet) noexcept {
    const auto it = g_reissues.find(tasklet);
    if (it == g_reissues.end()) return;
    g_reissues.erase(it);
    Scheduler& s = *tasklet->scheduler_;
    --s.reissues_;
    s.update_slow_path();
}

}  // namespace spindle
