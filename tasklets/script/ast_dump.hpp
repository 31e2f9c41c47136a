// A compact, deterministic text form of the syntax tree, close to CPython's
// ast.dump() so that a dump can be checked against what CPython produces
// (tests/tasklets/script/cpython_dump.py prints CPython's tree in this form).
//
// Rules:
//  - Nodes print as Kind(field=value, ...) with CPython's names and field
//    order; fields that are null, empty lists, the Load context, or an absent
//    conversion are left out: `Call(func=Name('f'))`, `Slice()`.
//  - Leaf-like nodes print positionally: Name('x'), Name('x', Store),
//    Constant(1), Constant('s'), Constant(None), Attribute(Name('a'), 'b'),
//    BinOp(left, Add, right), UnaryOp(USub, operand), BoolOp(And, [a, b]),
//    Compare(left, [Lt, LtE], [b, c]), arg('a'), alias('a.b', 'c').
//  - Operators and contexts are bare words (Add, Store); other contexts are
//    `ctx=Store`. Constants use Python's repr (1.0, 1e-05, 'it\'s' → "it's").
//  - ClassDef shows its base as `bases=[...]`; FormattedValue its conversion
//    as conversion='r'.
//  - With locations, each node that has one prints as Kind@LINE:COL(...).
#pragma once

#include <string>

#include "script/ast.hpp"

namespace spindle::script {

struct DumpOptions {
    bool locations = false;
};

std::string dump(const Module& module, DumpOptions options = {});
std::string dump(const Stmt& stmt, DumpOptions options = {});
std::string dump(const Expr& expr, DumpOptions options = {});

// Python's repr() of a float and of a str (UTF-8 in, UTF-8 out).
std::string python_float_repr(double value);
std::string python_str_repr(std::string_view utf8);

}  // namespace spindle::script
