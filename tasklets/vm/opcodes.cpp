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

}  // namespace spindle::vm
