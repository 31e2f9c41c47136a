// Which game the code on a thread belongs to: the active scheduler
// (Scheduler::active: where new tasklets and channels go, whose stacks a
// switch jumps between), the current interpreter (current_interpreter) and
// the heap that script allocations are charged to. A scheduler and an
// interpreter become current when made, and give the thread back what was
// current before when destroyed, in any order. A host with more than one
// game (a save loading beside the running game, worlds side by side)
// activates the one it calls into for the length of the call; the scope
// then gives the thread back what was active before it.
//
// Nothing here runs on a hot path: the scheduler's and the heap's pointers
// stay plain thread-locals that switches and allocations read directly.
#pragma once

#include "spindle/scheduler.hpp"
#include "vm/heap.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {

class ScopedActivation {
public:
    // Remembers what is active now, and changes nothing.
    ScopedActivation() noexcept
        : scheduler_(spindle::Scheduler::active_or_null()), interpreter_(current_interpreter()), heap_(detail::g_current_heap) {}
    // ... then makes `in`, its heap and its scheduler active.
    explicit ScopedActivation(Interpreter& in) noexcept : ScopedActivation() { in.activate(); }
    ~ScopedActivation() { restore(); }
    ScopedActivation(const ScopedActivation&) = delete;
    ScopedActivation& operator=(const ScopedActivation&) = delete;

    // Gives the thread back what was active when the scope began. Whatever
    // was active then must still live (or be null).
    void restore() noexcept {
        set_current_interpreter(interpreter_);
        detail::g_current_heap = heap_;
        spindle::Scheduler::set_active(scheduler_);
    }
    // When the scope ends, `in` is active instead of what was active before
    // (a game swapped in for the one that was active).
    void restore_to(Interpreter& in) noexcept {
        scheduler_ = in.bound_scheduler() ? in.bound_scheduler() : scheduler_;
        interpreter_ = &in;
        heap_ = &in.heap();
    }

private:
    spindle::Scheduler* scheduler_;
    Interpreter* interpreter_;
    Heap* heap_;
};

}  // namespace spindle::vm
