// The frame verifier (frame_verifier.hpp). Index:
//   [KINDS]    what each value-stack slot must hold, derived from the code
//   [FRAMES]   the checks, frame by frame
#include "vm/frame_verifier.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "vm/compiler.hpp"
#include "vm/opcodes.hpp"

namespace spindle::vm {
namespace {

// ============================================================================
// [KINDS]
// ============================================================================

// The kind of the value an instruction pushes (the last of its pushes).
SlotKind pushed_kind(Op op, std::uint32_t arg) {
    switch (op) {
        case Op::BUILD_LIST: return SlotKind::List;
        case Op::BUILD_SET: return SlotKind::Set;
        case Op::BUILD_MAP: return SlotKind::Dict;
        case Op::BUILD_TUPLE: case Op::LIST_TO_TUPLE: return SlotKind::Tuple;
        case Op::FORMAT_VALUE: case Op::BUILD_STRING: return SlotKind::Str;
        case Op::LOAD_CLOSURE: return SlotKind::Cell;
        case Op::LOAD_METHOD: return SlotKind::Marker;
        default: (void)arg; return SlotKind::Any;
    }
}

// Slot kinds on entry to each instruction, by a forward walk along the same
// edges as the depth check. Where two paths disagree the code relies on no
// particular kind there (the compiler emits a kind-assuming instruction only
// where every path made that kind): the slot becomes Any.
// The handler blocks each instruction runs under, found by the same walk:
// SETUP_* pushes a Finally block at the depth it leaves, POP_BLOCK pops it,
// an exception reaching it turns it into an ExceptHandler block at its
// handler, POP_EXCEPT pops that. The compiler keeps this the same on every
// path to an instruction; where it is not, nothing stopped there verifies.

bool slot_kinds(const CodeObj& code, const std::vector<int>& depth_at, std::uint32_t target,
                std::vector<SlotKind>& out, std::vector<BlockShape>& blocks_out) {
    const std::size_t n = code.code.size();
    std::vector<std::vector<SlotKind>> at(n);
    std::vector<std::vector<BlockShape>> blocks_at(n);
    std::vector<bool> conflict(n, false);
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> work;
    seen[0] = true;
    work.push_back(0);
    while (!work.empty()) {
        const std::uint32_t pc = work.back();
        work.pop_back();
        const Op op = decode_op(code.code[pc]);
        const std::uint32_t arg = decode_operand(code.code[pc]);
        StackEdge edges[2];
        const int count = stack_edges(op, arg, pc, edges);
        for (int i = 0; i < count; ++i) {
            std::vector<SlotKind> s = at[pc];
            const StackEdge& e = edges[i];
            if (static_cast<int>(s.size()) < e.pops || e.target >= n) return false;
            std::vector<SlotKind> popped(s.end() - e.pops, s.end());
            s.resize(s.size() - static_cast<std::size_t>(e.pops));
            if (op == Op::DUP_TOP || op == Op::DUP_TOP_TWO) {
                s.insert(s.end(), popped.begin(), popped.end());
                s.insert(s.end(), popped.begin(), popped.end());
            } else if (op == Op::ROT_TWO || op == Op::ROT_THREE || op == Op::ROT_FOUR) {
                // TOS moves down to the bottom of the rotated group.
                s.push_back(popped.back());
                s.insert(s.end(), popped.begin(), popped.end() - 1);
            } else if (e.pushes > 0) {
                const bool handler = (op == Op::SETUP_FINALLY || op == Op::SETUP_WITH) && e.target == arg && i == 0;
                for (int k = 0; k + 1 < e.pushes; ++k) s.push_back(SlotKind::Any);
                SlotKind pushed = handler ? SlotKind::Exception : pushed_kind(op, arg);
                if (op == Op::LOAD_CONST && arg < code.constants.size() && code.constants[arg].is_obj() &&
                    code.constants[arg].o->kind == ObjKind::Code) {
                    pushed = SlotKind::Code;
                } else if (op == Op::BUILD_TUPLE && !popped.empty() &&
                           std::all_of(popped.begin(), popped.end(), [](SlotKind k) { return k == SlotKind::Cell; })) {
                    pushed = SlotKind::Cells;
                }
                s.push_back(pushed);
            }
            if (depth_at[e.target] != static_cast<int>(s.size())) return false;
            std::vector<BlockShape> b = blocks_at[pc];
            bool bad = conflict[pc];
            const bool setup = op == Op::SETUP_FINALLY || op == Op::SETUP_WITH;
            const std::uint32_t level = static_cast<std::uint32_t>(depth_at[pc] - (op == Op::SETUP_WITH ? 1 : 0));
            if (setup && i == 0) b.push_back({true, arg, level});        // its handler runs under the clause's block
            else if (setup) b.push_back({false, arg, level});
            else if (op == Op::POP_BLOCK) {
                if (b.empty() || b.back().except_handler) bad = true;
                else b.pop_back();
            } else if (op == Op::POP_EXCEPT) {
                if (b.empty() || !b.back().except_handler) bad = true;
                else b.pop_back();
            }
            if (!seen[e.target]) {
                seen[e.target] = true;
                at[e.target] = std::move(s);
                blocks_at[e.target] = std::move(b);
                conflict[e.target] = bad;
                work.push_back(e.target);
            } else {
                if ((bad || blocks_at[e.target] != b) && !conflict[e.target]) {
                    conflict[e.target] = true;
                    work.push_back(e.target);
                }
                bool changed = false;
                std::vector<SlotKind>& old = at[e.target];
                for (std::size_t k = 0; k < old.size(); ++k) {
                    if (old[k] != s[k] && old[k] != SlotKind::Any) {
                        old[k] = SlotKind::Any;
                        changed = true;
                    }
                }
                if (changed) work.push_back(e.target);
            }
        }
    }
    if (target >= n || !seen[target] || conflict[target]) return false;
    out = at[target];
    blocks_out = blocks_at[target];
    return true;
}

bool cell_tuple(Value v) {
    if (!(v.is_obj() && v.o->kind == ObjKind::Tuple)) return false;
    const auto& items = static_cast<const TupleObj*>(v.o)->items;
    return std::any_of(items.begin(), items.end(), [](Value c) { return c.is_obj() && c.o->kind == ObjKind::Cell; });
}

// SlotKind::Any: a value scripts can see (not unbound, not a cell, a code
// object or a tuple of cells). Inline: the verifier asks it of every local
// and most stack slots, and only a tuple needs a look inside.
inline bool plain_value(Value v) {
    if (!v.is_obj()) return !v.is_undef();
    switch (v.o->kind) {
        case ObjKind::Cell: case ObjKind::Code: return false;
        case ObjKind::Tuple: return !cell_tuple(v);
        default: return true;
    }
}

bool has_kind(Value v, SlotKind k) {
    const bool obj = v.is_obj();
    switch (k) {
        case SlotKind::Any: return plain_value(v);
        case SlotKind::Code: return obj && v.o->kind == ObjKind::Code;  // and one of the frame code's constants
        case SlotKind::Cells:
            return obj && v.o->kind == ObjKind::Tuple && !static_cast<const TupleObj*>(v.o)->items.empty() &&
                   std::all_of(static_cast<const TupleObj*>(v.o)->items.begin(), static_cast<const TupleObj*>(v.o)->items.end(),
                               [](Value c) { return c.is_obj() && c.o->kind == ObjKind::Cell; });
        case SlotKind::Marker: return v.is_undef() || plain_value(v);
        case SlotKind::List: return obj && v.o->kind == ObjKind::List;
        case SlotKind::Set: return obj && v.o->kind == ObjKind::Set;
        case SlotKind::Dict: return obj && v.o->kind == ObjKind::Dict;
        case SlotKind::Tuple: return obj && v.o->kind == ObjKind::Tuple && !cell_tuple(v);
        case SlotKind::Str: return obj && v.o->kind == ObjKind::Str;
        case SlotKind::Exception: return obj && v.o->kind == ObjKind::Exception;
        case SlotKind::Cell: return obj && v.o->kind == ObjKind::Cell;
    }
    return false;
}

// A local slot's value: unbound (Undef) or a script value.
bool is_constant_of(const CodeObj& code, Value v) {
    return std::any_of(code.constants.begin(), code.constants.end(), [&](Value c) { return c.is_obj() && c.o == v.o; });
}

inline bool plain(Value v) { return v.is_undef() || plain_value(v); }
bool is_exception_or_none(Value v) { return v.is_none() || (v.is_obj() && v.o->kind == ObjKind::Exception); }

bool is_call_site(Op op) {
    switch (op) {
        case Op::CALL: case Op::CALL_KW: case Op::CALL_EX: case Op::CALL_METHOD: case Op::WITH_EXCEPT_START: return true;
        default: return false;
    }
}

// ============================================================================
// [FRAMES]
// ============================================================================

// The shape of `code` at `pc`, derived on first use. (info.depths is valid.)
const VerifyCache::Shape& shape_at(VerifyCache::Code& info, const CodeObj& code, std::uint32_t pc) {
    for (const auto& [at, shape] : info.shapes)
        if (at == pc) return *shape;
    auto shape = std::make_unique<VerifyCache::Shape>();
    shape->derived = slot_kinds(code, info.depths, pc, shape->kinds, shape->blocks);
    shape->cells.assign(code.local_count, false);  // its MAKE_CELL ran (the prologue makes them)
    for (std::uint32_t i = 0; i < pc && i < code.code.size(); ++i) {
        if (decode_op(code.code[i]) == Op::MAKE_CELL && decode_operand(code.code[i]) < code.local_count)
            shape->cells[decode_operand(code.code[i])] = true;
    }
    info.shapes.emplace_back(pc, std::move(shape));
    return *info.shapes.back().second;
}

[[gnu::noinline]] std::string name_of(const Frame& f) {
    const StrObj* q = f.function && f.function->qualname ? f.function->qualname : (f.code ? f.code->qualname : nullptr);
    return "function '" + (q ? std::string(q->view()) : std::string("?")) + "'";
}

}  // namespace

std::string verify_thread(const Interpreter&, const Thread& t, std::uint32_t max_frames, VerifyCache* cache) {
    std::optional<VerifyCache> local;  // made only without the caller's: a pickle passes one per thread
    if (!cache) cache = &local.emplace();
    if (t.frames.empty()) return "tasklet: frames: a started tasklet has no frames";
    if (t.frames.size() > max_frames) return "tasklet: frames: " + std::to_string(t.frames.size()) + " frames is past the recursion limit";
    if (t.pending != Pending::None && t.pending != Pending::Result && t.pending != Pending::SelfResult)
        return "tasklet: pending: not a call waiting for its value or a preemption";
    if (!is_exception_or_none(t.handled_exception)) return "tasklet: handled exception: not an exception";
    std::uint32_t expected_base = 1;  // the bottom call's callable lies in slot 0
    std::uint32_t expected_block_base = 0;
    for (std::size_t i = 0; i < t.frames.size(); ++i) {
        const Frame& f = t.frames[i];
        const bool top = i + 1 == t.frames.size();
        if (!f.function || !f.code) return name_of(f) + ": code: missing";
        const auto who = [&f] { return name_of(f); };  // error messages only
        if (f.function->code != f.code) {
            // Saved code of a function changed since: it runs only if valid.
            const std::string problem = validate_code(*f.code, &cache->validated);
            if (!problem.empty()) return who() + ": code: not the function's code, and not valid code: " + problem;
        }
        const CodeObj& code = *f.code;
        switch (f.on_return) {
            case ReturnAction::Push:
                if (!f.aux.is_none() && !f.aux.is_undef()) return who() + ": aux: set for a plain call";
                break;
            case ReturnAction::DiscardInit:
                if (i == 0) return who() + ": on_return: the bottom frame is not an __init__ call";
                if (!(f.aux.is_obj() && f.aux.o->kind == ObjKind::Instance)) return who() + ": aux: __init__'s instance is not an instance";
                break;
            default: return who() + ": on_return: kind " + std::to_string(static_cast<int>(f.on_return)) + " cannot be resumed";
        }
        if (!f.aux2.is_none() && !f.aux2.is_undef()) return who() + ": aux2: set for a call";
        if (f.return_arg != 0) return who() + ": return_arg: set for a call";
        if (f.base != expected_base) return who() + ": base: " + std::to_string(f.base) + ", expected " + std::to_string(expected_base);
        const std::uint64_t slots = std::uint64_t{code.local_count} + code.free_count;
        if (code.local_names.size() < code.local_count) return who() + ": code: local name table is short";
        const std::uint64_t stack_base = f.base + slots;  // Frame::stack_base(), without wrapping
        if (f.sp < stack_base || f.sp - stack_base > code.max_stack) return who() + ": sp: outside the frame's value stack";
        if (f.sp > t.stack.size()) return who() + ": sp: past the saved stack";
        // Where the frame stopped: after a call that waits for its value
        // (every frame below the top, and the top one at a soft switch), or
        // before any instruction (the top one, preempted).
        const bool waiting = !top || t.pending != Pending::None;
        if (f.pc >= code.code.size() + (waiting ? 1 : 0) || (waiting && f.pc == 0))
            return who() + ": pc: " + std::to_string(f.pc) + " is outside the code";
        if (waiting && !is_call_site(decode_op(code.code[f.pc - 1])))
            return who() + ": pc: " + std::to_string(f.pc) + " does not follow a call";
        bool fresh = false;
        VerifyCache::Code& info = cache->code(&code, fresh);
        std::vector<int>& depth_at = info.depths;
        if (fresh && compute_stack_depths(code, depth_at) < 0) depth_at.clear();
        if (depth_at.empty()) return who() + ": code: inconsistent stack depths";
        if (f.pc >= depth_at.size()) return who() + ": pc: " + std::to_string(f.pc) + " is past the last instruction";
        const int depth = depth_at[f.pc];
        if (depth < 0) return who() + ": pc: " + std::to_string(f.pc) + " is never reached";
        if (static_cast<std::uint32_t>(depth) != f.sp - stack_base)
            return who() + ": sp: stack depth " + std::to_string(f.sp - stack_base) + " where the code has " + std::to_string(depth);
        if (waiting && depth < 1) return who() + ": sp: no slot for the call's value";
        if (top && t.pending != Pending::None && t.result_slot != f.sp - 1) return who() + ": result_slot: not the call's slot";
        const VerifyCache::Shape& shape = shape_at(info, code, f.pc);
        // Locals: free variables and (once their MAKE_CELL ran) cell
        // variables hold cells, everything else plain values or unbound.
        const Value* locals = t.stack.data() + f.base;
        for (std::uint32_t k = 0; k < code.local_count; ++k) {
            const Value v = locals[k];
            const bool made = shape.cells[k];
            if (made ? !has_kind(v, SlotKind::Cell) : !plain(v))
                return who() + ": local '" + std::string(code.local_names[k]->view()) + "': " + (made ? "not a cell" : "a cell or code object");
        }
        for (std::uint32_t k = 0; k < code.free_count; ++k) {
            if (!has_kind(locals[code.local_count + k], SlotKind::Cell)) return who() + ": free variable " + std::to_string(k) + ": not a cell";
        }
        const std::vector<SlotKind>& kinds = shape.kinds;
        if (!shape.derived || kinds.size() != static_cast<std::size_t>(depth))
            return who() + ": code: slot kinds and blocks cannot be derived at pc " + std::to_string(f.pc);
        for (int k = 0; k < depth; ++k) {
            // The waiting call's slot gets its value on resume.
            if (waiting && k == depth - 1) continue;
            const Value v = t.stack[stack_base + static_cast<std::uint64_t>(k)];
            const SlotKind want = kinds[static_cast<std::size_t>(k)];
            if (!has_kind(v, want) || (want == SlotKind::Code && !is_constant_of(code, v)))
                return who() + ": value stack slot " + std::to_string(k) + ": not the kind the code put there";
        }
        // Handler blocks: each frame's own run starts at its block_base.
        if (f.block_base != expected_block_base) return who() + ": block_base: not where the caller's blocks end";
        const std::size_t block_end = top ? t.blocks.size() : t.frames[i + 1].block_base;
        if (block_end < f.block_base || block_end > t.blocks.size()) return who() + ": block_base: past the saved blocks";
        if (block_end - f.block_base != shape.blocks.size())
            return who() + ": blocks: " + std::to_string(block_end - f.block_base) + " handler blocks where the code has " +
                   std::to_string(shape.blocks.size());
        for (std::size_t b = f.block_base; b < block_end; ++b) {
            const Block& blk = t.blocks[b];
            const auto& want = shape.blocks[b - f.block_base];
            const auto which = [&] { return who() + ": block " + std::to_string(b - f.block_base) + ": "; };
            if (blk.kind != Block::Finally && blk.kind != Block::ExceptHandler) return which() + "unknown kind";
            if ((blk.kind == Block::ExceptHandler) != want.except_handler) return which() + "not the kind the code has there";
            if (blk.level != want.level) return which() + "level is not the depth its SETUP_* left";
            if (blk.kind == Block::Finally) {
                if (blk.handler != want.handler) return which() + "handler is not its SETUP_*'s";
                if (!blk.saved_exception.is_none()) return which() + "a finally block saves no exception";
            } else if (!is_exception_or_none(blk.saved_exception)) {
                return which() + "saved exception is not an exception";
            }
        }
        expected_block_base = static_cast<std::uint32_t>(block_end);
        expected_base = f.sp;
    }
    return {};
}

}  // namespace spindle::vm
