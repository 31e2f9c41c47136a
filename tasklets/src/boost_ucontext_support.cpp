// Sanitizer builds use Boost.Context's ucontext back end, whose fiber switches
// tell AddressSanitizer about every stack change (BOOST_USE_ASAN). Debian's
// libboost_context is built for the fcontext back end only, so the one symbol
// the ucontext back end needs from the library is defined here: the per-thread
// pointer to the running activation record, which starts at a record for the
// thread's own (main) context.
#if defined(BOOST_USE_UCONTEXT)
#include <boost/context/fiber.hpp>

namespace boost::context::detail {

fiber_activation_record*& fiber_activation_record::current() noexcept {
    thread_local fiber_activation_record main_context_record;
    thread_local fiber_activation_record* current_record = &main_context_record;
    return current_record;
}

}  // namespace boost::context::detail
#endif
