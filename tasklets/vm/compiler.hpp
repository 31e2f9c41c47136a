// Compiler: syntax tree -> code objects (bytecode on the heap).
//
// Two passes per module. The scope pass decides, for every name in every
// function, whether it is a fast local, a cell (captured by an inner
// function), a free variable (captured from outside) or a global; the code
// pass emits instructions. Exception handling follows CPython 3.10's shape:
// SETUP_FINALLY handler blocks, `finally` bodies emitted once for the normal
// path and once for the exceptional one, and explicit clean-up code for
// return/break/continue leaving a try, with or except block.
#pragma once

#include <string>
#include <vector>

#include "script/ast.hpp"
#include "script/parser.hpp"
#include "vm/object.hpp"

namespace spindle::vm {

class Interpreter;

// Compiles a parsed module. On an unsupported construct or a scope error
// (e.g. `nonlocal x` with no binding), throws script::CompileError.
CodeObj* compile_module(Interpreter& interp, const script::Module& module, std::string_view module_name);

// The deepest value stack a code object can need; -1 if the code is
// inconsistent (a malformed save file, or a compiler bug).
int compute_max_stack(const CodeObj& code);
// The same walk, keeping the depth on entry to each instruction (-1: never
// reached). Returns the deepest depth, or -1 if the code is inconsistent.
int compute_stack_depths(const CodeObj& code, std::vector<int>& depth_at);

}  // namespace spindle::vm
