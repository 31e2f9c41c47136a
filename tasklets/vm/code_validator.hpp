// The bytecode validator: decides whether code read from a save file may run.
//
// The dispatch loop (eval.cpp) trusts its code the way a CPU trusts its
// instructions: it indexes constants, names and local slots by operand
// without a bounds check, casts the values the compiler always puts at a
// given stack position (the list under LIST_APPEND, the cell tuple under
// MAKE_FUNCTION, the names tuple of CALL_KW) without looking, and runs off
// the end of the code if nothing returns. Code from a file is hostile, so
// before any of it runs every instruction is checked, and every guarantee the
// loop relies on is re-derived from the bytecode by one abstract run over
// all paths (the same edges as the compiler's depth check, vm/opcodes.hpp
// stack_edges). Code that needs a guarantee the walk cannot prove is refused,
// even if the compiler would never emit it: refusing a save is safe,
// running it is not.
//
// What is checked, per code object (nested code constants recursively):
//   header    names present, counts within limits, parameters inside the
//             local slots, the local name table covering every slot, the
//             cell table (cell_of_local) agreeing with the MAKE_CELL prologue
//   operands  known opcode; constant, name and slot indices in range and of
//             the right sort (a DEREF names a cell slot, a FAST a plain one);
//             jump targets inside the code, never into the cell prologue;
//             small-enum operands inside their enum; counts the stack holds
//   flow      the stack depth the same on every path to an instruction,
//             never below 0 nor above max_stack; no path falls off the end;
//             handler blocks the same on every path, POP_BLOCK and
//             POP_EXCEPT matching the innermost block, no value popped below
//             an open block's level
//   kinds     each value an instruction reads is of the kind it assumes:
//             containers under LIST_APPEND and friends, str pieces of
//             BUILD_STRING, a code constant, qualname and exact cell tuple
//             under MAKE_FUNCTION, a constant tuple of at most `count` str
//             names under CALL_KW, an exception under RERAISE, a module under
//             IMPORT_FROM; and the VM's private values (cells, code objects,
//             LOAD_METHOD's marker) go nowhere but where they belong
//   constants None, bools, ints, floats, strs, tuples and sets of those, and
//             code (only at the top level of the constant table)
// A refusal reads "function 'QUALNAME': pc N: RULE" (pc omitted for header
// rules).
#pragma once

#include <string>
#include <unordered_set>

#include "vm/object.hpp"

namespace spindle::vm {

// Limits on what a loaded code object may declare, so that a hostile one
// cannot make a frame allocate gigabytes before its first instruction.
inline constexpr std::uint32_t kMaxCodeSlots = 1u << 16;     // local + free slots
inline constexpr std::uint32_t kMaxCodeStack = 1u << 16;     // max_stack
inline constexpr std::uint32_t kMaxCodeWords = 1u << 20;     // the walk keeps a state per instruction
inline constexpr int kMaxCodeNesting = 64;                   // code constants inside code constants

// Code objects already accepted (shared nested code is checked once).
using ValidatedCodes = std::unordered_set<const CodeObj*>;

// Empty if `code` (and every code in its constants) may run; otherwise the
// first problem found.
std::string validate_code(const CodeObj& code, ValidatedCodes* done = nullptr);

}  // namespace spindle::vm
