// `spindle dump SAVE [--json]`: a readable listing of a save game, like
// Python's pickletools for whole games. It loads the save into a sandbox
// interpreter whose recursion limit is 0, so no script code from the file
// can run, and lists what it holds.
#pragma once

#include <string>

namespace spindle::tools {

// Prints the listing of `path` on stdout; 0, or 1 with one line on stderr
// for a file that is not a valid save.
int dump_command(const std::string& path, bool json);

}  // namespace spindle::tools
