// The opcode enum and tables generated from opcodes.def.
#pragma once

#include <cstdint>

namespace spindle::vm {

enum class Op : std::uint8_t {
#define OP(name, effect, operand) name,
#include "vm/opcodes.def"
#undef OP
    COUNT_
};

enum class OperandKind : std::uint8_t { NONE, CONST, LOCAL, NAME, JUMP, COUNT, OPARG, LOCAL_NAME };

inline constexpr int kVariableEffect = 1000;

const char* op_name(Op op) noexcept;
OperandKind op_operand_kind(Op op) noexcept;
// Stack effect of one instruction on its fall-through path.
int stack_effect(Op op, std::uint32_t operand) noexcept;

// An instruction word: the opcode in the low 8 bits, a 24-bit operand above.
inline constexpr std::uint32_t kMaxOperand = (1u << 24) - 1;
inline std::uint32_t encode(Op op, std::uint32_t operand) noexcept {
    return static_cast<std::uint32_t>(op) | (operand << 8);
}
inline Op decode_op(std::uint32_t word) noexcept { return static_cast<Op>(word & 0xff); }
inline std::uint32_t decode_operand(std::uint32_t word) noexcept { return word >> 8; }

// BINARY_OP operands: the BinOpKind, plus this flag for the in-place form.
inline constexpr std::uint32_t kInplaceFlag = 16;

// LIST_EXTEND operands: the list's depth, plus this flag when `*x` is a
// call's only argument (f(*x)): an x that is not iterable is then reported
// with the callable's name, which lies just below the list.
inline constexpr std::uint32_t kSoleStarFlag = 1u << 16;

}  // namespace spindle::vm
