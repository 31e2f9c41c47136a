// The frame verifier: checks a script tasklet's saved execution state (its
// Thread) against the code of its frames before the dispatch loop may run
// it. The loop trusts what it finds: the kinds of the values an instruction
// pops (a list for LIST_APPEND, a cell in a LOAD_DEREF slot), the depth of
// the value stack, the handler blocks. A save file is hostile, so every one
// of those is re-derived from the bytecode (the same walk as the compiler's
// depth check, vm/opcodes.hpp stack_edges) and compared.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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
// dumps or loads (the code objects live that long: nothing collects
// meanwhile). Ten thousand agents parked in the same few places cost one
// derivation per code and stopping point, then a lookup per frame.
class VerifyCache {
public:
    struct Shape {
        bool derived = false;           // the walk reached pc on consistent paths
        std::vector<SlotKind> kinds;    // per value-stack slot
        std::vector<BlockShape> blocks;
        std::vector<bool> cells;        // per local: its MAKE_CELL ran before pc
    };
    struct Code {
        std::vector<int> depths;  // empty: inconsistent stack depths
        std::vector<std::pair<std::uint32_t, std::unique_ptr<Shape>>> shapes;  // by pc; few per code
    };
    // The entry for `code`, made empty (`fresh`) on first sight.
    Code& code(const CodeObj* code, bool& fresh) {
        fresh = false;
        for (const Recent& r : recent_)
            if (r.code == code) return *r.entry;
        return code_slow(code, fresh);
    }

private:
    // A parked tasklet's frames run a few codes (an agent's loop, the
    // method it called, the one that blocked), and the next tasklet's run
    // the same ones: the last few looked up answer without hashing.
    struct Recent {
        const CodeObj* code = nullptr;
        Code* entry = nullptr;
    };
    Code& code_slow(const CodeObj* code, bool& fresh) {
        auto [it, added] = codes_.try_emplace(code);
        fresh = added;
        recent_[next_recent_] = {code, &it->second};
        next_recent_ = (next_recent_ + 1) % recent_.size();
        return it->second;
    }
    std::unordered_map<const CodeObj*, Code> codes_;  // nodes: references stay valid
    std::array<Recent, 4> recent_{};
    std::size_t next_recent_ = 0;

public:
    ValidatedCodes validated;  // codes other than their function's that may run
};

std::string verify_thread(const Interpreter& in, const Thread& t, std::uint32_t max_frames, VerifyCache* cache = nullptr);

}  // namespace spindle::vm
