// The unpickler: rebuilds a value from bytes written by pickle_dumps.
//
// The input is hostile until proven otherwise: truncation, flipped bits,
// unknown tags, a newer version, counts larger than the bytes left, memo
// references past the objects read so far and nesting past
// pickle_format::kMaxDepth each give pickle.UnpicklingError naming the byte
// offset and what is wrong; never a crash and never an allocation larger
// than the input justifies. Classes and functions are found by name in
// modules already loaded: reading a pickle never imports or runs a file.
#pragma once

#include <string_view>

#include "vm/interpreter.hpp"

namespace spindle::vm {

// False with pickle.UnpicklingError (or MemoryError, past the heap's cap) pending.
bool pickle_loads(Interpreter& in, std::string_view data, Value& out);

}  // namespace spindle::vm
