// The frame verifier: checks a script tasklet's saved execution state (its
// Thread) against the code of its frames before the dispatch loop may run
// it. The loop trusts what it finds: the kinds of the values an instruction
// pops (a list for LIST_APPEND, a cell in a LOAD_DEREF slot), the depth of
// the value stack, the handler blocks. A save file is hostile, so every one
// of those is re-derived from the bytecode (the same walk as the compiler's
// depth check, vm/opcodes.hpp stack_edges) and compared.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vm/code_validator.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {

// Empty if `t` can be resumed; otherwise "function 'qualname': field: what is
// wrong". The thread is one parked at a soft switch (pending Result or
// SelfResult: its top frame's call waits for a value) or a preemption
// (pending None). A frame runs its function's code, or other code that
// passes the code validator (code_validator.hpp): the code saved with it,
// when the function has changed since the save.
// The value-stack slots a frame's code guarantees a kind for at `pc`.
// Marker: LOAD_METHOD's second slot, self or the unbound marker (Undef);
// no other slot may hold Undef. Code: a code constant of the frame's code
// (LOAD_CONST before MAKE_FUNCTION); Cells: a tuple of cells (a closure
// being made); neither may stand anywhere else.
enum class SlotKind : std::uint8_t { Any, List, Set, Dict, Tuple, Str, Exception, Cell, Marker, Code, Cells };

// A handler block the code has open at a pc.
struct BlockShape {
    bool except_handler;
    std::uint32_t handler;
    std::uint32_t level;
    bool operator==(const BlockShape&) const = default;
};

// What the walk derived for each code, kept across the tasklets of one
// dumps or loads (the code objects live that long: nothing collects meanwhile).
struct VerifyCache {
    struct Shape {
        std::vector<SlotKind> kinds;  // per value-stack slot
        std::vector<BlockShape> blocks;
    };
    std::unordered_map<const CodeObj*, std::vector<int>> depths;
    std::map<std::pair<const CodeObj*, std::uint32_t>, Shape> kinds;
    ValidatedCodes validated;  // codes other than their function's that may run
};

std::string verify_thread(const Interpreter& in, const Thread& t, std::uint32_t max_frames, VerifyCache* cache = nullptr);

}  // namespace spindle::vm
