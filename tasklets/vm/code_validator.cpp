// The bytecode validator (code_validator.hpp). Index:
//   [KINDS]     what the abstract run knows about each value-stack slot
//   [HEADER]    counts, tables and constants
//   [OPERANDS]  each instruction on its own
//   [FLOW]      the walk over every path: depths, blocks, kinds
#include "vm/code_validator.hpp"

#include <vector>

#include "script/ast.hpp"
#include "vm/opcodes.hpp"

namespace spindle::vm {
namespace {

// ============================================================================
// [KINDS]
// ============================================================================

// Plain kinds are script values (Any, or one the loop casts to without a
// check). The others are the VM's own values, which only one instruction
// may consume: a cell (LOAD_CLOSURE) and a tuple of them, a code constant,
// LOAD_METHOD's self-or-marker slot. Poison is what a path merge makes of a
// private kind meeting anything else: nothing may read it.
enum class K : std::uint8_t { Any, List, Set, Dict, Tuple, Names, Str, Exception, Module, Cell, Cells, Code, Marker, Poison };

struct Kind {
    K k = K::Any;
    std::uint32_t n = 0;  // Names, Cells: how many; Code: the constant index
    bool operator==(const Kind&) const = default;
};

bool plain(Kind a) { return a.k <= K::Module; }
bool tuple_like(Kind a) { return a.k == K::Tuple || a.k == K::Names; }

Kind merge(Kind a, Kind b) {
    if (a == b) return a;
    if (!plain(a) || !plain(b)) return {K::Poison};
    if (tuple_like(a) && tuple_like(b)) return {K::Tuple};
    return {K::Any};
}

const char* kind_name(Kind a) {
    switch (a.k) {
        case K::Any: return "a value";
        case K::List: return "a list";
        case K::Set: return "a set";
        case K::Dict: return "a dict";
        case K::Tuple: return "a tuple";
        case K::Names: return "a tuple of names";
        case K::Str: return "a str";
        case K::Exception: return "an exception";
        case K::Module: return "a module";
        case K::Cell: return "a cell";
        case K::Cells: return "a tuple of cells";
        case K::Code: return "a code object";
        case K::Marker: return "a method call's self slot";
        case K::Poison: return "a value of different kinds on different paths";
    }
    return "?";
}

// A handler block open at an instruction (as frame_verifier.hpp BlockShape).
struct Open {
    bool except_handler;
    std::uint32_t handler;
    std::uint32_t level;
    bool operator==(const Open&) const = default;
};

struct State {
    bool seen = false;
    std::vector<Kind> stack;
    std::vector<Open> blocks;
};

bool is_fast(Op op) {
    return op == Op::LOAD_FAST || op == Op::STORE_FAST || op == Op::DELETE_FAST;
}

class Validator {
public:
    Validator(const CodeObj& code, ValidatedCodes& done, int nesting) : c_(code), done_(done), nesting_(nesting) {}

    std::string run() {
        if (header() && constants() && prologue() && operands() && flow()) return {};
        return error_;
    }

private:
    // ======================================================================
    // [HEADER]
    // ======================================================================

    bool refuse(const std::string& rule) {
        error_ = "function '" + std::string(c_.qualname ? c_.qualname->view() : "?") + "': " + rule;
        return false;
    }
    bool refuse_at(std::uint32_t pc, const std::string& rule) {
        return refuse("pc " + std::to_string(pc) + " (" + op_name_at(pc) + "): " + rule);
    }
    std::string op_name_at(std::uint32_t pc) const {
        const auto op = static_cast<unsigned>(decode_op(c_.code[pc]));
        return op < static_cast<unsigned>(Op::COUNT_) ? op_name(static_cast<Op>(op)) : "opcode " + std::to_string(op);
    }

    bool header() {
        if (!c_.qualname || !c_.name || !c_.filename) return refuse("code: name, qualname or filename missing");
        if (c_.code.empty()) return refuse("code: no instructions");
        if (c_.code.size() > kMaxCodeWords) return refuse("code: " + std::to_string(c_.code.size()) + " instructions is too many");
        const std::uint64_t slots = std::uint64_t{c_.local_count} + c_.free_count;
        if (slots > kMaxCodeSlots) return refuse("code: " + std::to_string(slots) + " local slots is too many");
        if (c_.max_stack > kMaxCodeStack) return refuse("code: max_stack " + std::to_string(c_.max_stack) + " is too large");
        // The abstract run keeps a stack of kinds per instruction.
        if (c_.code.size() * (std::uint64_t{c_.max_stack} + 1) > (std::uint64_t{1} << 26))
            return refuse("code: too large to validate");
        const std::uint64_t params = std::uint64_t{c_.arg_count} + c_.kwonly_count + (c_.has_varargs ? 1 : 0) + (c_.has_varkw ? 1 : 0);
        if (params > c_.local_count) return refuse("code: " + std::to_string(params) + " parameters in " + std::to_string(c_.local_count) + " local slots");
        if (c_.local_names.size() != slots) return refuse("code: the local name table does not cover the local and free slots");
        for (const StrObj* s : c_.local_names)
            if (!s || !s->interned) return refuse("code: a local name is missing or not interned");
        for (const StrObj* s : c_.names)
            if (!s || !s->interned) return refuse("code: a name is missing or not interned");
        if (c_.first_line < 0) return refuse("code: first line is negative");
        for (std::size_t i = 0; i < c_.lines.size(); ++i) {
            const LineEntry& e = c_.lines[i];
            if (e.pc >= c_.code.size()) return refuse("line table: entry " + std::to_string(i) + " is past the code");
            if (i > 0 && e.pc <= c_.lines[i - 1].pc) return refuse("line table: entry " + std::to_string(i) + " is out of order");
            if (e.line < 0) return refuse("line table: entry " + std::to_string(i) + " has a negative line");
        }
        return true;
    }

    // Constants the compiler makes: scalars, strs, tuples and (frozen) sets
    // of those, and code at the top level, for MAKE_FUNCTION.
    bool constant_ok(Value v, int depth) {
        if (depth > 32) return false;
        switch (v.tag) {
            case Tag::None: case Tag::Bool: case Tag::Int: case Tag::Float: return true;
            case Tag::Undef: return false;
            case Tag::Obj: break;
        }
        switch (v.o->kind) {
            case ObjKind::Str: return true;
            case ObjKind::Tuple:
                for (const Value& item : static_cast<const TupleObj*>(v.o)->items)
                    if (!constant_ok(item, depth + 1)) return false;
                return true;
            case ObjKind::Set:
                for (const auto& slot : static_cast<const SetObj*>(v.o)->slots)
                    if (!slot.key.is_undef() && !constant_ok(slot.key, depth + 1)) return false;
                return true;
            default: return false;
        }
    }

    bool constants() {
        for (std::size_t i = 0; i < c_.constants.size(); ++i) {
            const Value v = c_.constants[i];
            if (v.is_obj() && v.o->kind == ObjKind::Code) {
                if (nesting_ + 1 > kMaxCodeNesting) return refuse("constant " + std::to_string(i) + ": code nested too deeply");
                const auto* inner = static_cast<const CodeObj*>(v.o);
                if (done_.count(inner)) continue;
                std::string problem = Validator(*inner, done_, nesting_ + 1).run();
                if (!problem.empty()) {
                    error_ = std::move(problem);
                    return false;
                }
                done_.insert(inner);
            } else if (!constant_ok(v, 0)) {
                return refuse("constant " + std::to_string(i) + ": not a kind of constant the compiler makes");
            }
        }
        return true;
    }

    // Cell variables: the leading run of MAKE_CELL makes them before the
    // body runs, once each. Nothing jumps back into it, so after it every
    // cell slot holds a cell, which LOAD_DEREF and friends take on trust.
    bool prologue() {
        cell_.assign(c_.local_count, false);
        while (prologue_end_ < c_.code.size() && decode_op(c_.code[prologue_end_]) == Op::MAKE_CELL) {
            const std::uint32_t slot = decode_operand(c_.code[prologue_end_]);
            if (slot >= c_.local_count) return refuse_at(prologue_end_, "slot " + std::to_string(slot) + " is not a local slot");
            if (cell_[slot]) return refuse_at(prologue_end_, "slot " + std::to_string(slot) + " is made a cell twice");
            cell_[slot] = true;
            ++prologue_end_;
        }
        if (c_.cell_of_local.empty()) {
            if (c_.cell_count != 0) return refuse("code: cell_count without a cell table");
            return true;
        }
        if (c_.cell_of_local.size() != c_.local_count) return refuse("code: the cell table does not cover the local slots");
        std::vector<bool> used(c_.cell_count, false);
        std::uint32_t cells = 0;
        for (std::uint32_t k = 0; k < c_.local_count; ++k) {
            const std::int32_t cell = c_.cell_of_local[k];
            if (cell < -1 || (cell >= 0 && static_cast<std::uint32_t>(cell) >= c_.cell_count) || (cell >= 0 && used[static_cast<std::size_t>(cell)]))
                return refuse("code: cell table entry " + std::to_string(k) + " is out of range or repeated");
            if ((cell >= 0) != cell_[k]) return refuse("code: cell table entry " + std::to_string(k) + " disagrees with the MAKE_CELL prologue");
            if (cell >= 0) {
                used[static_cast<std::size_t>(cell)] = true;
                ++cells;
            }
        }
        if (cells != c_.cell_count) return refuse("code: cell_count does not match the cell table");
        return true;
    }

    // ======================================================================
    // [OPERANDS]
    // ======================================================================

    bool is_cell_slot(std::uint32_t slot) const {
        return slot < c_.local_count ? static_cast<bool>(cell_[slot]) : slot < c_.local_count + c_.free_count;
    }
    bool plain_slot(std::uint32_t slot) const { return slot < c_.local_count && !cell_[slot]; }

    bool operand_ok(std::uint32_t pc, Op op, std::uint32_t arg) {
        auto bad = [&](const std::string& why) { return refuse_at(pc, "operand " + std::to_string(arg) + " " + why); };
        switch (op_operand_kind(op)) {
            case OperandKind::NONE: return arg == 0 || bad("where the instruction takes none");
            case OperandKind::CONST: return arg < c_.constants.size() || bad("is not a constant index");
            case OperandKind::NAME: return arg < c_.names.size() || bad("is not a name index");
            case OperandKind::JUMP:
                if (arg >= c_.code.size()) return bad("jumps outside the code");
                return arg >= prologue_end_ || bad("jumps into the cell prologue");
            case OperandKind::LOCAL:
                if (op == Op::MAKE_CELL) return pc < prologue_end_ || refuse_at(pc, "MAKE_CELL outside the prologue");
                if (is_fast(op)) return plain_slot(arg) || bad("is not a plain local slot");
                return is_cell_slot(arg) || bad("is not a cell slot");
            case OperandKind::LOCAL_NAME:
                if (!plain_slot(arg & 0xff)) return bad("does not name a plain local slot");
                return (arg >> 8) < c_.names.size() || bad("does not name a name index");
            case OperandKind::COUNT: return count_ok(op, arg) || bad("is not a count this instruction takes");
            case OperandKind::OPARG: return oparg_ok(op, arg) || bad("is outside the instruction's enum");
        }
        return bad("has an unknown operand kind");
    }

    static bool count_ok(Op op, std::uint32_t arg) {
        switch (op) {
            case Op::BUILD_SLICE: return arg == 2 || arg == 3;
            case Op::RAISE_VARARGS: return arg <= 2;
            case Op::LIST_APPEND: case Op::SET_ADD: case Op::MAP_ADD:
            case Op::SET_UPDATE: case Op::DICT_UPDATE: case Op::DICT_MERGE: return arg >= 1;
            case Op::LIST_EXTEND: return (arg & ~kSoleStarFlag) >= 1 && (arg & ~kSoleStarFlag) < kSoleStarFlag;
            default: return true;  // the stack walk bounds the rest
        }
    }

    static bool oparg_ok(Op op, std::uint32_t arg) {
        constexpr auto kLastBinary = static_cast<std::uint32_t>(script::BinOpKind::MatMult);
        switch (op) {
            case Op::BINARY_OP: return (arg & ~kInplaceFlag) <= kLastBinary;
            case Op::UNARY_OP: return arg <= static_cast<std::uint32_t>(script::UnaryOpKind::Invert);
            case Op::COMPARE_OP: return arg <= static_cast<std::uint32_t>(script::CmpOpKind::GtE);
            case Op::IS_OP: case Op::CONTAINS_OP: case Op::CALL_EX: return arg <= 1;
            case Op::MAKE_FUNCTION: return (arg & ~11u) == 0;
            case Op::FORMAT_VALUE: return arg <= 7;
            default: return false;
        }
    }

    bool operands() {
        for (std::uint32_t pc = 0; pc < c_.code.size(); ++pc) {
            const std::uint32_t word = c_.code[pc];
            if ((word & 0xff) >= static_cast<std::uint32_t>(Op::COUNT_)) return refuse_at(pc, "unknown opcode");
            if (!operand_ok(pc, decode_op(word), decode_operand(word))) return false;
        }
        return true;
    }

    // ======================================================================
    // [FLOW]
    // ======================================================================

    // The kind of constant `index` on the stack.
    Kind constant_kind(std::uint32_t index) const {
        const Value v = c_.constants[index];
        if (!v.is_obj()) return {K::Any};
        switch (v.o->kind) {
            case ObjKind::Str: return {K::Str};
            case ObjKind::Code: return {K::Code, index};
            case ObjKind::Tuple: {
                const auto& items = static_cast<const TupleObj*>(v.o)->items;
                for (const Value& item : items)
                    if (!(item.is_obj() && item.o->kind == ObjKind::Str)) return {K::Tuple};
                return {K::Names, static_cast<std::uint32_t>(items.size())};
            }
            default: return {K::Any};
        }
    }

    // What one instruction reads must be of the kinds it assumes. `s` is the
    // stack on entry; slot(i) is i places below the top.
    bool reads_ok(std::uint32_t pc, Op op, std::uint32_t arg, const std::vector<Kind>& s) {
        const auto depth = static_cast<std::int64_t>(s.size());
        const std::int64_t in = stack_inputs(op, arg);
        if (in > depth) return refuse_at(pc, "reads " + std::to_string(in) + " values from a stack of " + std::to_string(depth));
        auto slot = [&](std::int64_t below_top) { return s[static_cast<std::size_t>(depth - 1 - below_top)]; };
        auto need = [&](std::int64_t below_top, bool ok, const char* what) {
            if (ok) return true;
            return refuse_at(pc, "stack slot " + std::to_string(depth - 1 - below_top) + " is " + kind_name(slot(below_top)) + ", not " + what);
        };
        auto inputs_plain = [&](std::int64_t from) {
            for (std::int64_t i = from; i < in; ++i)
                if (!need(i, plain(slot(i)), "a script value")) return false;
            return true;
        };
        // A container lying `below_top` places down, under the inputs.
        auto container = [&](std::int64_t below_top, K k, const char* what) {
            if (below_top >= depth) return refuse_at(pc, "the container lies below the frame's stack");
            return need(below_top, slot(below_top).k == k, what);
        };
        switch (op) {
            case Op::POP_TOP: case Op::DUP_TOP: case Op::DUP_TOP_TWO:
            case Op::ROT_TWO: case Op::ROT_THREE: case Op::ROT_FOUR: return true;
            case Op::BUILD_TUPLE: {
                std::int64_t cells = 0;
                for (std::int64_t i = 0; i < in; ++i) cells += slot(i).k == K::Cell ? 1 : 0;
                if (cells > 0 && cells < in) return refuse_at(pc, "a tuple of cells and other values");
                return cells > 0 || inputs_plain(0);
            }
            case Op::CALL_METHOD:
                for (std::int64_t i = 0; i < in; ++i) {
                    const bool self_slot = i == static_cast<std::int64_t>(arg);
                    if (!need(i, plain(slot(i)) || (self_slot && slot(i).k == K::Marker), "a script value")) return false;
                }
                return true;
            case Op::MAKE_FUNCTION: return make_function_ok(pc, arg, s);
            case Op::CALL_KW:
                if (!need(0, slot(0).k == K::Names && slot(0).n <= arg, "a constant tuple of at most `count` names")) return false;
                return inputs_plain(1);
            case Op::CALL_EX:
                if (arg == 1 && !need(0, slot(0).k == K::Dict, "a dict")) return false;
                if (!need(arg, tuple_like(slot(arg)), "a tuple")) return false;
                return inputs_plain(0) ;
            case Op::LIST_TO_TUPLE: return need(0, slot(0).k == K::List, "a list");
            case Op::BUILD_STRING:
                for (std::int64_t i = 0; i < in; ++i)
                    if (!need(i, slot(i).k == K::Str, "a str")) return false;
                return true;
            case Op::FORMAT_VALUE: return ((arg & 4) == 0 || need(0, slot(0).k == K::Str, "a str")) && inputs_plain(0);
            case Op::RERAISE: return need(0, slot(0).k == K::Exception, "an exception");
            case Op::IMPORT_FROM:
                if (depth < 1) return refuse_at(pc, "reads 1 value from an empty stack");
                return need(0, slot(0).k == K::Module, "a module");
            case Op::WITH_EXCEPT_START:
                if (depth < 2) return refuse_at(pc, "reads 2 values from a stack of " + std::to_string(depth));
                return need(0, plain(slot(0)), "a script value") && need(1, plain(slot(1)), "a script value");
            case Op::LIST_APPEND: return container(arg, K::List, "a list") && inputs_plain(0);
            case Op::SET_ADD: return container(arg, K::Set, "a set") && inputs_plain(0);
            case Op::MAP_ADD: return container(std::int64_t{arg} + 1, K::Dict, "a dict") && inputs_plain(0);
            case Op::SET_UPDATE: return container(arg, K::Set, "a set") && inputs_plain(0);
            case Op::DICT_UPDATE: return container(arg, K::Dict, "a dict") && inputs_plain(0);
            case Op::DICT_MERGE:
                if (!container(arg, K::Dict, "a dict")) return false;
                if (std::int64_t{arg} + 2 >= depth) return refuse_at(pc, "the callable lies below the frame's stack");
                return need(std::int64_t{arg} + 2, plain(slot(std::int64_t{arg} + 2)), "a script value") && inputs_plain(0);
            case Op::LIST_EXTEND: {
                const std::int64_t list = arg & ~kSoleStarFlag;
                if (!container(list, K::List, "a list")) return false;
                if (arg & kSoleStarFlag) {
                    if (list + 1 >= depth) return refuse_at(pc, "the callable lies below the frame's stack");
                    if (!need(list + 1, plain(slot(list + 1)), "a script value")) return false;
                }
                return inputs_plain(0);
            }
            default: return inputs_plain(0);
        }
    }

    // [defaults tuple][kw-defaults dict][cell tuple] code qualname: the cell
    // tuple exactly as long as the code's free variables, which call_function
    // copies into the callee's frame without a check.
    bool make_function_ok(std::uint32_t pc, std::uint32_t arg, const std::vector<Kind>& s) {
        std::size_t at = s.size();
        auto next = [&]() { return s[--at]; };
        const Kind qualname = next();
        if (qualname.k != K::Str) return refuse_at(pc, std::string("the qualname is ") + kind_name(qualname) + ", not a str");
        const Kind code = next();
        if (code.k != K::Code) return refuse_at(pc, std::string("the code is ") + kind_name(code) + ", not a code constant");
        const auto* inner = static_cast<const CodeObj*>(c_.constants[code.n].o);
        if (arg & 8) {
            const Kind cells = next();
            if (cells.k != K::Cells || cells.n != inner->free_count)
                return refuse_at(pc, "the closure is " + std::string(kind_name(cells)) + ", not a tuple of the code's " +
                                         std::to_string(inner->free_count) + " cells");
        } else if (inner->free_count != 0) {
            return refuse_at(pc, "code with free variables made without a closure");
        }
        if (arg & 2) {
            const Kind kw = next();
            if (kw.k != K::Dict) return refuse_at(pc, std::string("the keyword defaults are ") + kind_name(kw) + ", not a dict");
        }
        if (arg & 1) {
            const Kind defaults = next();
            if (!tuple_like(defaults)) return refuse_at(pc, std::string("the defaults are ") + kind_name(defaults) + ", not a tuple");
        }
        return true;
    }

    // The stack after one edge of the instruction.
    std::vector<Kind> transfer(Op op, std::uint32_t arg, const std::vector<Kind>& s, const StackEdge& e, bool handler_edge) const {
        std::vector<Kind> out(s.begin(), s.end() - e.pops);
        const std::vector<Kind> popped(s.end() - e.pops, s.end());
        switch (op) {
            case Op::DUP_TOP: case Op::DUP_TOP_TWO:
                out.insert(out.end(), popped.begin(), popped.end());
                out.insert(out.end(), popped.begin(), popped.end());
                return out;
            case Op::ROT_TWO: case Op::ROT_THREE: case Op::ROT_FOUR:
                out.push_back(popped.back());
                out.insert(out.end(), popped.begin(), popped.end() - 1);
                return out;
            default: break;
        }
        if (e.pushes == 0) return out;
        if (handler_edge) {
            out.push_back({K::Exception});
            return out;
        }
        for (int k = 0; k + 1 < e.pushes; ++k) out.push_back({K::Any});
        switch (op) {
            case Op::LOAD_METHOD: out.push_back({K::Marker}); break;
            case Op::LOAD_CONST: out.push_back(constant_kind(arg)); break;
            case Op::LOAD_CLOSURE: out.push_back({K::Cell}); break;
            case Op::IMPORT_NAME: out.push_back({K::Module}); break;
            case Op::BUILD_LIST: out.push_back({K::List}); break;
            case Op::BUILD_SET: out.push_back({K::Set}); break;
            case Op::BUILD_MAP: out.push_back({K::Dict}); break;
            case Op::LIST_TO_TUPLE: out.push_back({K::Tuple}); break;
            case Op::FORMAT_VALUE: case Op::BUILD_STRING: out.push_back({K::Str}); break;
            case Op::BUILD_TUPLE:
                if (!popped.empty() && popped[0].k == K::Cell) out.push_back({K::Cells, arg});
                else out.push_back({K::Tuple});
                break;
            default: out.push_back({K::Any}); break;
        }
        return out;
    }

    bool blocks_after(std::uint32_t pc, Op op, std::uint32_t arg, std::uint32_t depth, bool handler_edge, std::vector<Open>& b) {
        if (op == Op::SETUP_FINALLY || op == Op::SETUP_WITH) {
            if (op == Op::SETUP_WITH && depth < 1) return refuse_at(pc, "no __enter__ result to start the block below");
            b.push_back({handler_edge, arg, depth - (op == Op::SETUP_WITH ? 1u : 0u)});
        } else if (op == Op::POP_BLOCK) {
            if (b.empty() || b.back().except_handler) return refuse_at(pc, "no finally block of this frame is open");
            b.pop_back();
        } else if (op == Op::POP_EXCEPT) {
            if (b.empty() || !b.back().except_handler) return refuse_at(pc, "no except handler of this frame is open");
            b.pop_back();
        }
        return true;
    }

    bool reach(std::uint32_t from, std::uint32_t target, std::vector<Kind>&& s, std::vector<Open>&& b) {
        State& to = states_[target];
        if (!to.seen) {
            to.seen = true;
            to.stack = std::move(s);
            to.blocks = std::move(b);
            work_.push_back(target);
            return true;
        }
        if (to.stack.size() != s.size())
            return refuse_at(target, "stack depth " + std::to_string(to.stack.size()) + " on one path, " + std::to_string(s.size()) +
                                         " from pc " + std::to_string(from));
        if (to.blocks != b) return refuse_at(target, "handler blocks differ from pc " + std::to_string(from));
        bool changed = false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const Kind m = merge(to.stack[i], s[i]);
            if (!(m == to.stack[i])) {
                to.stack[i] = m;
                changed = true;
            }
        }
        if (changed) work_.push_back(target);
        return true;
    }

    bool step(std::uint32_t pc) {
        const Op op = decode_op(c_.code[pc]);
        const std::uint32_t arg = decode_operand(c_.code[pc]);
        const std::vector<Kind> s = states_[pc].stack;
        const std::vector<Open> blocks = states_[pc].blocks;
        const auto depth = static_cast<std::uint32_t>(s.size());
        for (const Open& o : blocks) {
            // An exception here unwinds to the block's level: every value
            // below it must still be one this path pushed.
            if (!o.except_handler && o.level > depth)
                return refuse_at(pc, "the stack is below an open block's level " + std::to_string(o.level));
        }
        if (!reads_ok(pc, op, arg, s)) return false;
        // Beyond the net effect: the general path of STORE_FAST_ATTR pushes
        // the local first; WITH_EXCEPT_START lays out a 3-argument call.
        const std::uint32_t peak = depth + (op == Op::STORE_FAST_ATTR ? 1 : op == Op::WITH_EXCEPT_START ? 4 : 0);
        if (peak > c_.max_stack) return refuse_at(pc, "stack depth " + std::to_string(peak) + " above max_stack " + std::to_string(c_.max_stack));
        StackEdge edges[2];
        const int count = stack_edges(op, arg, pc, edges);
        for (int i = 0; i < count; ++i) {
            const StackEdge& e = edges[i];
            if (e.pops > static_cast<int>(depth)) return refuse_at(pc, "pops " + std::to_string(e.pops) + " values from a stack of " + std::to_string(depth));
            if (e.target >= c_.code.size()) return refuse_at(pc, "runs off the end of the code");
            const bool handler_edge = (op == Op::SETUP_FINALLY || op == Op::SETUP_WITH) && i == 0;
            std::vector<Kind> next = transfer(op, arg, s, e, handler_edge);
            if (next.size() > c_.max_stack)
                return refuse_at(pc, "stack depth " + std::to_string(next.size()) + " above max_stack " + std::to_string(c_.max_stack));
            std::vector<Open> b = blocks;
            if (!blocks_after(pc, op, arg, depth, handler_edge, b)) return false;
            if (!reach(pc, e.target, std::move(next), std::move(b))) return false;
        }
        return true;
    }

    bool flow() {
        states_.assign(c_.code.size(), State{});
        states_[0].seen = true;
        work_.push_back(0);
        while (!work_.empty()) {
            const std::uint32_t pc = work_.back();
            work_.pop_back();
            if (!step(pc)) return false;
        }
        return true;
    }

    const CodeObj& c_;
    ValidatedCodes& done_;
    int nesting_;
    std::string error_;
    std::vector<bool> cell_;  // per local slot: made a cell by the prologue
    std::uint32_t prologue_end_ = 0;
    std::vector<State> states_;
    std::vector<std::uint32_t> work_;
};

}  // namespace

std::string validate_code(const CodeObj& code, ValidatedCodes* done) {
    ValidatedCodes local;
    if (!done) done = &local;
    if (done->count(&code)) return {};
    std::string problem = Validator(code, *done, 0).run();
    if (problem.empty()) done->insert(&code);
    return problem;
}

}  // namespace spindle::vm
