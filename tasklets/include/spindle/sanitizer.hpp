// SPINDLE_ASAN: defined when AddressSanitizer instruments this build. GCC
// says so with __SANITIZE_ADDRESS__; clang (the fuzz preset) only answers
// __has_feature, and code that checked the GCC macro alone ran unannotated
// fiber switches and hid pooled blocks from LeakSanitizer there.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define SPINDLE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPINDLE_ASAN 1
#endif
#endif
