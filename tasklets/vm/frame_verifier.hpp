// The frame verifier: checks a script tasklet's saved execution state (its
// Thread) against the code of its frames before the dispatch loop may run
// it. The loop trusts what it finds: the kinds of the values an instruction
// pops (a list for LIST_APPEND, a cell in a LOAD_DEREF slot), the depth of
// the value stack, the handler blocks. A save file is hostile, so every one
// of those is re-derived from the bytecode (the same walk as the compiler's
// depth check, vm/opcodes.hpp stack_edges) and compared.
#pragma once

#include <cstdint>
#include <string>

#include "vm/interpreter.hpp"

namespace spindle::vm {

// Empty if `t` can be resumed; otherwise "function 'qualname': field: what is
// wrong". The thread is one parked at a soft switch (pending Result or
// SelfResult: its top frame's call waits for a value) or a preemption
// (pending None), with every frame's code shared with its function.
std::string verify_thread(const Interpreter& in, const Thread& t, std::uint32_t max_frames);

// The value-stack slots a frame's code guarantees a kind for at `pc`.
enum class SlotKind : std::uint8_t { Any, List, Set, Dict, Tuple, Str, Exception, Cell };

}  // namespace spindle::vm
