// Parsing Spindle's Python subset into the syntax tree of ast.hpp.
//
// parse() either returns a Module or the first error in source order, with
// CPython 3.11's message where CPython rejects the program too, and
// "... is not supported" for valid Python outside the subset.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "script/ast.hpp"

namespace spindle::script {

struct CompileError {
    std::string filename;
    int line = 0;
    int column = 0;  // 0-based, in characters
    std::string message;

    std::string format() const;  // "FILE:LINE: message"
};

struct ParseResult {
    std::variant<Module, CompileError> value;

    bool ok() const { return std::holds_alternative<Module>(value); }
    Module& module() { return std::get<Module>(value); }
    const Module& module() const { return std::get<Module>(value); }
    const CompileError& error() const { return std::get<CompileError>(value); }
};

// `source` is the raw file content (UTF-8, optional BOM, any newline style).
ParseResult parse(std::string_view source, std::string filename);

// Limits on the shape of accepted trees, so that nothing that walks them
// recursively (the parser itself, the compiler, destructors) can run out of
// stack on hostile input. Parentheses are limited by the lexer (200 levels,
// as in CPython) and blocks by indentation (100 levels).
inline constexpr int kMaxExprNesting = 300;   // recursion through the expression grammar
inline constexpr int kMaxExprHeight = 1000;   // nodes from an expression's root to its deepest leaf
inline constexpr int kMaxStmtNesting = 1000;  // nested bodies, elif chains included

}  // namespace spindle::script
