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

// How many values an instruction reads off the top of the stack (its
// pushes are that plus stack_effect()). Ops that work on a container lying
// deeper (LIST_APPEND ...) count only what they pop; DUP_TOP and the ROT
// family count what they rearrange.
int stack_inputs(Op op, std::uint32_t operand) noexcept;

// One way control leaves an instruction, and what it does to the stack on
// that way: `pops` values taken off the depth at the instruction, then
// `pushes` new ones. The control flow of every opcode, defined once: the
// compiler's depth check and the save-file frame verifier both walk it.
struct StackEdge {
    std::uint32_t target;
    int pops;
    int pushes;
};
// Fills `out` with 0 (return, raise), 1 or 2 edges and returns how many.
int stack_edges(Op op, std::uint32_t operand, std::uint32_t pc, StackEdge out[2]) noexcept;

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
