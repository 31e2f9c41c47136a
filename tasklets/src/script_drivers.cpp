// Driver fibers: the stacks script tasklets run on.
//
// A script tasklet keeps its frames on the heap and switches softly: the
// dispatch loop returns, and whoever runs script tasklets picks the next one.
// That "whoever" is a driver, a fiber from its own pool whose loop runs the
// current script tasklet through the engine, and jumps to main or a native
// tasklet when one of those is current. Script tasklets never run on the
// thread's own stack, which belongs to main.
//
// When a script tasklet blocks inside a call from C++ (a key= function, a
// __next__ called by list(), ...), the C++ frames cannot be unwound. It then
// switches hard, as Stackless does: the driver's stack becomes the tasklet's
// own (its continuation goes in its context slot, like a native tasklet's),
// and a spare driver carries on. When the tasklet ends or goes back to
// switching softly, the stack's driver loop simply goes on driving.
#include <cstdio>
#include <memory>

#include "spindle/scheduler.hpp"

namespace spindle {

struct Scheduler::Driver {
    boost::context::stack_context stack{};
    detail::ContextSlot context;
};

namespace {
// Idle drivers kept for reuse; more than this and a driver going idle retires.
constexpr std::size_t kMaxIdleDrivers = 4;
}  // namespace

// As big as a thread's usual stack: script code on a driver recurses in C++
// (nested calls, repr of nested containers) exactly as deep as main can.
// Only touched pages cost memory (MAP_NORESERVE).
StackPoolOptions Scheduler::driver_stack_options() noexcept {
    StackPoolOptions options;
    options.stack_size = std::size_t{8} << 20;
    options.max_cached = 16;
    return options;
}

Scheduler::Driver* Scheduler::take_driver() {
    if (!idle_drivers_.empty()) {
        Driver* d = idle_drivers_.back();
        idle_drivers_.pop_back();
        return d;
    }
    auto d = std::make_unique<Driver>();
    d->stack = driver_stacks_.allocate();
    d->context = detail::make_context(d->stack, &Scheduler::driver_entry);
    entering_driver_ = d.get();
    return d.release();
}

void Scheduler::reserve_driver() {
    if (!idle_drivers_.empty()) return;
    idle_drivers_.reserve(idle_drivers_.size() + 1);
    Driver* d = take_driver();
    idle_drivers_.push_back(d);
}

detail::ContextSlot* Scheduler::resume_slot(TaskletObject* t) {
    if (t->kind_ == TaskletKind::Main) return &root_context_;
    if (t->kind_ == TaskletKind::Native || t->context_) return &t->context_;
    return &take_driver()->context;
}

bool Scheduler::hard_suspended(const Tasklet& t) const noexcept {
    const TaskletObject* object = t.object();
    return object->kind_ == TaskletKind::Script && object->context_;
}

// Every switch that leaves a stack other than a native tasklet's for
// another: main, a hard-switching script tasklet, or a driver's stack.
void Scheduler::hard_jump(TaskletObject* prev, TaskletObject* next) {
    const bool scripted = prev->kind_ != TaskletKind::Native && script_engine_;
    if (scripted) script_engine_->suspending(prev);
    detail::jump_to(*resume_slot(next), continuation_of(prev));
    after_switch();
    if (scripted && script_engine_) script_engine_->resumed(prev);
}

void Scheduler::driver_entry(detail::fc::transfer_t from) noexcept {
    detail::arrived(from);
    Scheduler& self = *detail_active;
    Driver* me = std::exchange(self.entering_driver_, nullptr);
    self.after_switch();
    self.drive(me);
}

// The driver loop: run the current script tasklet (the engine chains on to
// the next ones in place), and hand the stack over to anyone else. No
// object with a destructor may be alive at the jumps: an idle driver's
// stack is freed without unwinding.
void Scheduler::drive(Driver* me) noexcept {
    for (;;) {
        if (TaskletObject* t = std::exchange(release_after_switch_, nullptr)) t->decref();
        TaskletObject* t = current_ ? current_ : main_;
        if (t->kind_ == TaskletKind::Script && !t->context_ && script_engine_) {
            try {
                Tasklet hold(t);
                script_engine_->run(hold);
            } catch (const detail::ForcedUnwind& unwind) {
                // This stack belonged to a hard-suspended tasklet being unwound by force.
                detail::ContextSlot* back = unwind.unwinder;
                retire_driver_stack(me);
                detail::leave_for_good(*back);
            } catch (...) {
                std::fputs("spindle: a script tasklet's driver caught an error; ignored\n", stderr);
            }
            if (current_ == t && !t->context_ && t->kind_ == TaskletKind::Script) {
                std::fputs("spindle: internal error: a script tasklet would not run\n", stderr);
                std::abort();
            }
            continue;
        }
        if (idle_drivers_.size() >= kMaxIdleDrivers) {
            detail::ContextSlot* resume = resume_slot(t);
            retire_driver_stack(me);
            detail::leave_for_good(*resume);
        }
        try {
            idle_drivers_.push_back(me);
        } catch (...) {
            detail::ContextSlot* resume = resume_slot(t);
            retire_driver_stack(me);
            detail::leave_for_good(*resume);
        }
        detail::jump_to(*resume_slot(t), &me->context);
        after_switch();
    }
}

// A driver leaving for good cannot free the stack it runs on: the next one
// to retire (or the scheduler's end) does.
void Scheduler::retire_driver_stack(Driver* me) noexcept {
    if (dead_driver_stack_.sp) driver_stacks_.deallocate(dead_driver_stack_);
    dead_driver_stack_ = me->stack;
    delete me;
}

void Scheduler::force_unwind_script(const Tasklet& t) noexcept {
    TaskletObject* object = t.object();
    if (object->kind_ != TaskletKind::Script || !object->context_) return;
    leave_queues(object);
    detail::force_unwind(object->context_);
    if (dead_driver_stack_.sp) driver_stacks_.deallocate(std::exchange(dead_driver_stack_, {}));
}

void Scheduler::release_drivers() noexcept {
    for (Driver* d : idle_drivers_) {
        driver_stacks_.deallocate(d->stack);
        delete d;
    }
    idle_drivers_.clear();
    if (dead_driver_stack_.sp) driver_stacks_.deallocate(std::exchange(dead_driver_stack_, {}));
}

}  // namespace spindle
