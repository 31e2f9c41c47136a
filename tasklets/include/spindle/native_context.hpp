// NativeContext: the only code that switches native stacks.
//
// Built on Boost.Context's fcontext primitives (make_fcontext, jump_fcontext,
// ontop_fcontext) with a hand-over protocol of our own instead of the
// boost::context::fiber wrapper's. Whoever jumps passes, as the jump's data,
// the address where its own continuation belongs (its tasklet's slot, or the
// main stack's); the side that wakes up stores the continuation there. A
// switch is then one jump and one store. The fiber wrapper moves and tests
// handles on both sides of every jump, which cost about as many instructions
// as the jump itself; the scheduler's hottest path cannot afford that.
//
// Sanitizer builds bracket every jump with __sanitizer_start_switch_fiber and
// __sanitizer_finish_switch_fiber, so AddressSanitizer always knows which
// stack is running and its reports on fiber code are real.
#pragma once

#include <boost/context/detail/fcontext.hpp>
#include "spindle/sanitizer.hpp"
#include <boost/context/stack_context.hpp>
#include <cstddef>

namespace spindle::detail {

namespace fc = boost::context::detail;

// A suspended stack's resume point; null while that stack runs (or never ran).
using ContextHandle = fc::fcontext_t;

// Where a stack lies; the sanitizer needs it for the stack being entered.
struct StackBounds {
    const void* bottom = nullptr;  // lowest usable address
    std::size_t size = 0;
};

// Where a suspended stack waits: its continuation and, for the sanitizer,
// its bounds. The side that wakes up fills in both for the side that left
// (the sanitizer reports the bounds of the stack just left), so even the
// thread's own stack, whose bounds nobody told us, is described correctly.
struct ContextSlot {
    ContextHandle handle = nullptr;
#if defined(SPINDLE_ASAN)
    StackBounds bounds;
#endif
    explicit operator bool() const noexcept { return handle != nullptr; }
};

// Thrown into a suspended stack to unwind it (destructors run) when it must
// go without finishing; the stack's entry function catches it and leaves for
// good to `unwinder`. Deliberately not derived from std::exception.
struct ForcedUnwind {
    ContextSlot* unwinder;
};

#if defined(SPINDLE_ASAN)
void sanitizer_before_jump(void** fake_stack, const ContextSlot& target) noexcept;
void sanitizer_after_jump(void* fake_stack, ContextSlot* resumer) noexcept;
#endif

// Leaves the running stack for the one waiting in `target` (emptied);
// returns when some stack jumps back. `save_to` is where our continuation
// goes; whoever wakes up next stores it there. Not noexcept: ForcedUnwind
// may be raised out of it.
[[gnu::always_inline]] inline void jump_to(ContextSlot& target, ContextSlot* save_to) {
#if defined(SPINDLE_ASAN)
    void* fake_stack = nullptr;
    sanitizer_before_jump(&fake_stack, target);
    ContextHandle to = target.handle;
    target.handle = nullptr;
    fc::transfer_t from = fc::jump_fcontext(to, save_to);
    sanitizer_after_jump(fake_stack, static_cast<ContextSlot*>(from.data));
#else
    ContextHandle to = target.handle;
    target.handle = nullptr;
    fc::transfer_t from = fc::jump_fcontext(to, save_to);
#endif
    static_cast<ContextSlot*>(from.data)->handle = from.fctx;
}

// A stack's first instant: store the continuation of whoever started it.
inline void arrived(fc::transfer_t from) noexcept {
#if defined(SPINDLE_ASAN)
    sanitizer_after_jump(nullptr, static_cast<ContextSlot*>(from.data));
#endif
    static_cast<ContextSlot*>(from.data)->handle = from.fctx;
}

// Leaves a stack that has ended, for good: it may be reused once we are gone.
[[noreturn]] void leave_for_good(ContextSlot& target) noexcept;

// A fresh context on `stack` that starts in `entry`.
ContextSlot make_context(const boost::context::stack_context& stack, void (*entry)(fc::transfer_t)) noexcept;

// Unwinds the suspended stack in `victim` (emptied): ForcedUnwind is raised
// where it waits, and this returns once its entry function has jumped back.
// The stack is then dead and may be reused.
void force_unwind(ContextSlot& victim) noexcept;

}  // namespace spindle::detail
