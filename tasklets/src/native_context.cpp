#include "spindle/native_context.hpp"
#include "spindle/sanitizer.hpp"

#if defined(SPINDLE_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace spindle::detail {
namespace {
// Where a stack that leaves for good "stores" its continuation: nobody reads it.
thread_local ContextSlot g_sink;
}  // namespace

#if defined(SPINDLE_ASAN)
void sanitizer_before_jump(void** fake_stack, const ContextSlot& target) noexcept {
    __sanitizer_start_switch_fiber(fake_stack, target.bounds.bottom, target.bounds.size);
}

void sanitizer_after_jump(void* fake_stack, ContextSlot* resumer) noexcept {
    const void* bottom = nullptr;
    std::size_t size = 0;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    resumer->bounds = {bottom, size};
}
#endif

void leave_for_good(ContextSlot& target) noexcept {
    ContextHandle to = target.handle;
    target.handle = nullptr;
#if defined(SPINDLE_ASAN)
    // A null fake-stack slot: this stack is gone for good, drop its fake frames.
    __sanitizer_start_switch_fiber(nullptr, target.bounds.bottom, target.bounds.size);
#endif
    fc::jump_fcontext(to, &g_sink);
    __builtin_unreachable();
}

ContextSlot make_context(const boost::context::stack_context& stack, void (*entry)(fc::transfer_t)) noexcept {
    ContextSlot slot;
    slot.handle = fc::make_fcontext(stack.sp, stack.size, entry);
#if defined(SPINDLE_ASAN)
    slot.bounds = {static_cast<const char*>(stack.sp) - stack.size, stack.size};
#endif
    return slot;
}

namespace {
// Runs on the victim's stack, on top of the jump where it waits.
fc::transfer_t raise_forced_unwind(fc::transfer_t from) {
#if defined(SPINDLE_ASAN)
    sanitizer_after_jump(nullptr, static_cast<ContextSlot*>(from.data));
#endif
    auto* unwinder = static_cast<ContextSlot*>(from.data);
    unwinder->handle = from.fctx;
    throw ForcedUnwind{unwinder};
}
}  // namespace

void force_unwind(ContextSlot& victim) noexcept {
    ContextSlot unwinder;  // the victim jumps back here when it has unwound
    ContextHandle to = victim.handle;
    victim.handle = nullptr;
#if defined(SPINDLE_ASAN)
    void* fake_stack = nullptr;
    sanitizer_before_jump(&fake_stack, victim);
    fc::transfer_t back = fc::ontop_fcontext(to, &unwinder, &raise_forced_unwind);
    sanitizer_after_jump(fake_stack, static_cast<ContextSlot*>(back.data));
#else
    fc::ontop_fcontext(to, &unwinder, &raise_forced_unwind);
#endif
}

}  // namespace spindle::detail
