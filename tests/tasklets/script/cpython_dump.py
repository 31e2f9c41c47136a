#!/usr/bin/env python3
"""Prints CPython's syntax tree in Spindle's dump format (see
tasklets/script/ast_dump.hpp), so that expected dumps in parser tests can be
checked against the reference implementation:

    python3 cpython_dump.py FILE.py [--locations]
    echo 'x = 1' | python3 cpython_dump.py - [--locations]

Columns are CPython's (UTF-8 bytes); Spindle counts characters, so compare
locations on ASCII sources only.
"""
import ast
import sys

POSITIONAL = {'Name', 'Constant', 'Attribute', 'BinOp', 'UnaryOp', 'BoolOp', 'Compare', 'arg', 'alias'}
OPERATORS = (ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context)
SKIP = {'type_comment', 'kind', 'type_ignores', 'decorator_list', 'returns', 'is_async', 'level',
        'posonlyargs', 'keywords_of_class', 'annotation', 'simple'}


def fmt_value(v, loc):
    if isinstance(v, ast.AST):
        return fmt(v, loc)
    if isinstance(v, list):
        return '[' + ', '.join('None' if x is None else fmt_value(x, loc) for x in v) + ']'
    if isinstance(v, float):
        return repr(v)
    if v is Ellipsis:
        return 'Ellipsis'
    return repr(v)


def head(node, loc):
    name = type(node).__name__
    if loc and hasattr(node, 'lineno') and not isinstance(node, (ast.alias,)):
        name += '@%d:%d' % (node.lineno, node.col_offset)
    return name


def fmt(node, loc=False):
    if isinstance(node, OPERATORS):
        return type(node).__name__
    name = type(node).__name__
    h = head(node, loc)
    ctx = getattr(node, 'ctx', None)
    ctx_s = '' if ctx is None or isinstance(ctx, ast.Load) else type(ctx).__name__
    if name == 'Name':
        return '%s(%r%s)' % (h, node.id, ', ' + ctx_s if ctx_s else '')
    if name == 'Constant':
        return '%s(%s)' % (h, fmt_value(node.value, loc))
    if name == 'Attribute':
        return '%s(%s, %r%s)' % (h, fmt(node.value, loc), node.attr, ', ' + ctx_s if ctx_s else '')
    if name == 'BinOp':
        return '%s(%s, %s, %s)' % (h, fmt(node.left, loc), fmt(node.op), fmt(node.right, loc))
    if name == 'UnaryOp':
        return '%s(%s, %s)' % (h, fmt(node.op), fmt(node.operand, loc))
    if name == 'BoolOp':
        return '%s(%s, %s)' % (h, fmt(node.op), fmt_value(node.values, loc))
    if name == 'Compare':
        return '%s(%s, [%s], %s)' % (h, fmt(node.left, loc), ', '.join(fmt(o) for o in node.ops),
                                      fmt_value(node.comparators, loc))
    if name == 'arg':
        return '%s(%r)' % (h, node.arg)
    if name == 'alias':
        return 'alias(%r%s)' % (node.name, ', %r' % node.asname if node.asname else '')
    parts = []
    for field in node._fields:
        if field in SKIP:
            continue
        v = getattr(node, field)
        if field == 'ctx':
            if ctx_s and name != 'Set':
                parts.append('ctx=' + ctx_s)
            continue
        if field == 'conversion':
            if v != -1:
                parts.append("conversion=%r" % chr(v))
            continue
        if v is None or (isinstance(v, list) and not v):
            continue
        if name == 'ClassDef' and field == 'keywords':
            continue
        parts.append('%s=%s' % (field, fmt_value(v, loc)))
    return '%s(%s)' % (h, ', '.join(parts))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    loc = '--locations' in sys.argv
    src = sys.stdin.read() if not args or args[0] == '-' else open(args[0], encoding='utf-8').read()
    print(fmt(ast.parse(src), loc))


if __name__ == '__main__':
    main()
