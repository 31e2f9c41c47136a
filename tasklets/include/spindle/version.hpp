// The runtime's version, reported by `spindle --version` and, later, written
// into save files.
#pragma once

namespace spindle {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace spindle
