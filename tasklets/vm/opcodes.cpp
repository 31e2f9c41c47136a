#include "vm/opcodes.hpp"

namespace spindle::vm {
namespace {

#define VAR kVariableEffect
constexpr int kEffects[] = {
#define OP(name, effect, operand) effect,
#include "vm/opcodes.def"
#undef OP
};
#undef VAR

constexpr const char* kNames[] = {
#define OP(name, effect, operand) #name,
#include "vm/opcodes.def"
#undef OP
};

constexpr OperandKind kOperands[] = {
#define OP(name, effect, operand) OperandKind::operand,
#include "vm/opcodes.def"
#undef OP
};

}  // namespace

const char* op_name(Op op) noexcept { return kNames[static_cast<int>(op)]; }
OperandKind op_operand_kind(Op op) noexcept { return kOperands[static_cast<int>(op)]; }

int stack_effect(Op op, std::uint32_t n) noexcept {
    const int fixed = kEffects[static_cast<int>(op)];
    if (fixed != kVariableEffect) return fixed;
    const int count = static_cast<int>(n);
    switch (op) {
        case Op::BUILD_SLICE: return 1 - count;
        case Op::JUMP_IF_FALSE_OR_POP:
        case Op::JUMP_IF_TRUE_OR_POP: return -1;  // fall-through pops; the jump keeps it
        case Op::BUILD_TUPLE:
        case Op::BUILD_LIST:
        case Op::BUILD_SET:
        case Op::BUILD_STRING: return 1 - count;
        case Op::BUILD_MAP: return 1 - 2 * count;
        case Op::UNPACK_SEQUENCE: return count - 1;
        case Op::UNPACK_EX: return static_cast<int>((n & 0xff) + (n >> 8));  // the starred list too, less the sequence
        case Op::FORMAT_VALUE: return (n & 4) ? -1 : 0;
        case Op::CALL: return -count;                 // callable + args -> result
        case Op::CALL_KW: return -count - 1;          // ... + names tuple
        case Op::CALL_EX: return n == 1 ? -2 : -1;
        case Op::CALL_METHOD: return -count - 1;      // two slots for the method pair
        case Op::MAKE_FUNCTION:
            return -1 - ((n & 1) ? 1 : 0) - ((n & 2) ? 1 : 0) - ((n & 8) ? 1 : 0);
        case Op::RAISE_VARARGS: return -count;
        default: return 0;
    }
}

int stack_inputs(Op op, std::uint32_t n) noexcept {
    const int count = static_cast<int>(n);
    switch (op) {
        case Op::DUP_TOP: return 1;
        case Op::DUP_TOP_TWO: return 2;
        case Op::ROT_TWO: return 2;
        case Op::ROT_THREE: return 3;
        case Op::ROT_FOUR: return 4;
        case Op::LOAD_ATTR: case Op::LOAD_METHOD: case Op::UNARY_OP: case Op::GET_ITER:
        case Op::LIST_TO_TUPLE: case Op::LOAD_SPECIAL: return 1;
        case Op::BUILD_SLICE: case Op::BUILD_TUPLE: case Op::BUILD_LIST: case Op::BUILD_SET:
        case Op::BUILD_STRING: return count;
        case Op::BUILD_MAP: return 2 * count;
        case Op::UNPACK_SEQUENCE: case Op::UNPACK_EX: return 1;
        case Op::FORMAT_VALUE: return (n & 4) ? 2 : 1;
        case Op::CALL: return count + 1;
        case Op::CALL_KW: return count + 2;
        case Op::CALL_EX: return n == 1 ? 3 : 2;
        case Op::CALL_METHOD: return count + 2;
        case Op::MAKE_FUNCTION: return 2 + ((n & 1) ? 1 : 0) + ((n & 2) ? 1 : 0) + ((n & 8) ? 1 : 0);
        case Op::RAISE_VARARGS: return count;
        case Op::FOR_ITER: case Op::IMPORT_FROM: case Op::WITH_EXCEPT_START: return 0;  // what they read stays
        case Op::JUMP_IF_FALSE_OR_POP: case Op::JUMP_IF_TRUE_OR_POP: return 1;
        default: {
            const int e = stack_effect(op, n);
            return e < 0 ? -e : 0;
        }
    }
}

int stack_edges(Op op, std::uint32_t arg, std::uint32_t pc, StackEdge out[2]) noexcept {
    const int in = stack_inputs(op, arg);
    const StackEdge next{pc + 1, in, in + stack_effect(op, arg)};
    switch (op) {
        case Op::RETURN_VALUE:
        case Op::RERAISE:
        case Op::RAISE_VARARGS: return 0;
        case Op::JUMP: out[0] = {arg, 0, 0}; return 1;
        case Op::POP_JUMP_IF_FALSE:
        case Op::POP_JUMP_IF_TRUE:
        case Op::JUMP_IF_NOT_EXC_MATCH:
            out[0] = {arg, next.pops, next.pushes};
            out[1] = next;
            return 2;
        case Op::JUMP_IF_FALSE_OR_POP:
        case Op::JUMP_IF_TRUE_OR_POP:
            out[0] = {arg, 0, 0};  // the jump keeps the value
            out[1] = {pc + 1, 1, 0};
            return 2;
        case Op::FOR_ITER:
            out[0] = {arg, 1, 0};  // exhausted: the iterator is popped
            out[1] = next;
            return 2;
        case Op::SETUP_FINALLY:
            out[0] = {arg, 0, 1};  // the handler starts with the exception pushed
            out[1] = next;
            return 2;
        case Op::SETUP_WITH:
            out[0] = {arg, 1, 1};  // the block starts below the __enter__ result
            out[1] = next;
            return 2;
        default: out[0] = next; return 1;
    }
}

}  // namespace spindle::vm
