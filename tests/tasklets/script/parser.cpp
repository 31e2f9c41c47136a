// Parser tests: syntax tree dumps checked against CPython 3.11, errors and
// rejections with their messages and lines, and hostile input.
//
// The expected dumps in kMatchesCPython and kSampleLocations were produced
// by CPython itself (tests/tasklets/script/cpython_dump.py), not by Spindle.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "script/ast_dump.hpp"
#include "script/parser.hpp"

namespace spindle::script {
namespace {

// "Module(...)" dump, or "error LINE: message".
std::string outcome(std::string_view source, DumpOptions options = {}) {
    ParseResult r = parse(source, "test.py");
    if (!r.ok()) return "error " + std::to_string(r.error().line) + ": " + r.error().message;
    return dump(r.module(), options);
}

bool accepted(std::string_view source) { return parse(source, "test.py").ok(); }

struct DumpCase {
    const char* source;
    const char* body;  // the statements inside Module(body=[...])
};

// ------------------------------------------------------------ valid syntax

const DumpCase kMatchesCPython[] = {
    {R"py(x = 1 + 2)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Constant(1), Add, Constant(2))))py"},
    {R"py(a, b = b, a)py",
     R"py(Assign(targets=[Tuple(elts=[Name('a', Store), Name('b', Store)], ctx=Store)], value=Tuple(elts=[Name('b'), Name('a')])))py"},
    {R"py(return_ = 1)py",
     R"py(Assign(targets=[Name('return_', Store)], value=Constant(1)))py"},
    {R"py(def f(a, b=2, *args, c, d=4, **kw):
    return a, b)py",
     R"py(FunctionDef(name='f', args=arguments(args=[arg('a'), arg('b')], vararg=arg('args'), kwonlyargs=[arg('c'), arg('d')], kw_defaults=[None, Constant(4)], kwarg=arg('kw'), defaults=[Constant(2)]), body=[Return(value=Tuple(elts=[Name('a'), Name('b')]))]))py"},
    {R"py(def f(*, a): pass)py",
     R"py(FunctionDef(name='f', args=arguments(kwonlyargs=[arg('a')], kw_defaults=[None]), body=[Pass()]))py"},
    {R"py(lambda: 0)py",
     R"py(Expr(value=Lambda(args=arguments(), body=Constant(0))))py"},
    {R"py(lambda x, y=1, *z, w, **k: x)py",
     R"py(Expr(value=Lambda(args=arguments(args=[arg('x'), arg('y')], vararg=arg('z'), kwonlyargs=[arg('w')], kw_defaults=[None], kwarg=arg('k'), defaults=[Constant(1)]), body=Name('x'))))py"},
    {R"py(x = a if b else c)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Name('b'), body=Name('a'), orelse=Name('c'))))py"},
    {R"py(x = -2**2)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(USub, BinOp(Constant(2), Pow, Constant(2)))))py"},
    {R"py(x = 2**-1)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Constant(2), Pow, UnaryOp(USub, Constant(1)))))py"},
    {R"py(x = a < b <= c != d)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [Lt, LtE, NotEq], [Name('b'), Name('c'), Name('d')])))py"},
    {R"py(x = a is not b)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [IsNot], [Name('b')])))py"},
    {R"py(x = a not in b)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [NotIn], [Name('b')])))py"},
    {R"py(x = not a and b or c)py",
     R"py(Assign(targets=[Name('x', Store)], value=BoolOp(Or, [BoolOp(And, [UnaryOp(Not, Name('a')), Name('b')]), Name('c')])))py"},
    {R"py(x = a | b ^ c & d << e >> f + g - h * i / j // k % l @ m)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Name('a'), BitOr, BinOp(Name('b'), BitXor, BinOp(Name('c'), BitAnd, BinOp(BinOp(Name('d'), LShift, Name('e')), RShift, BinOp(BinOp(Name('f'), Add, Name('g')), Sub, BinOp(BinOp(BinOp(BinOp(BinOp(Name('h'), Mult, Name('i')), Div, Name('j')), FloorDiv, Name('k')), Mod, Name('l')), MatMult, Name('m')))))))))py"},
    {R"py(x = ~a)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(Invert, Name('a'))))py"},
    {R"py(x = a.b.c(d)[e])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Call(func=Attribute(Attribute(Name('a'), 'b'), 'c'), args=[Name('d')]), slice=Name('e'))))py"},
    {R"py(x = f(a, *b, c=1, **d))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Name('f'), args=[Name('a'), Starred(value=Name('b'))], keywords=[keyword(arg='c', value=Constant(1)), keyword(value=Name('d'))])))py"},
    {R"py(x = f(x for x in y))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Name('f'), args=[GeneratorExp(elt=Name('x'), generators=[comprehension(target=Name('x', Store), iter=Name('y'))])])))py"},
    {R"py(x = f((x for x in y), 1))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Name('f'), args=[GeneratorExp(elt=Name('x'), generators=[comprehension(target=Name('x', Store), iter=Name('y'))]), Constant(1)])))py"},
    {R"py(x = [x for x in y if x if z for w in x])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Name('x'), generators=[comprehension(target=Name('x', Store), iter=Name('y'), ifs=[Name('x'), Name('z')]), comprehension(target=Name('w', Store), iter=Name('x'))])))py"},
    {R"py(x = {k: v for k, v in d.items()})py",
     R"py(Assign(targets=[Name('x', Store)], value=DictComp(key=Name('k'), value=Name('v'), generators=[comprehension(target=Tuple(elts=[Name('k', Store), Name('v', Store)], ctx=Store), iter=Call(func=Attribute(Name('d'), 'items')))])))py"},
    {R"py(x = {a for a in b})py",
     R"py(Assign(targets=[Name('x', Store)], value=SetComp(elt=Name('a'), generators=[comprehension(target=Name('a', Store), iter=Name('b'))])))py"},
    {R"py(x = {1: 2, **d, 3: 4})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict(keys=[Constant(1), None, Constant(3)], values=[Constant(2), Name('d'), Constant(4)])))py"},
    {R"py(x = {1, 2, *s})py",
     R"py(Assign(targets=[Name('x', Store)], value=Set(elts=[Constant(1), Constant(2), Starred(value=Name('s'))])))py"},
    {R"py(x = [1, *a, 2])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[Constant(1), Starred(value=Name('a')), Constant(2)])))py"},
    {R"py(x = (1, *a))py",
     R"py(Assign(targets=[Name('x', Store)], value=Tuple(elts=[Constant(1), Starred(value=Name('a'))])))py"},
    {R"py(x = ())py",
     R"py(Assign(targets=[Name('x', Store)], value=Tuple()))py"},
    {R"py(x = (1,))py",
     R"py(Assign(targets=[Name('x', Store)], value=Tuple(elts=[Constant(1)])))py"},
    {R"py(x = [1, 2,])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[Constant(1), Constant(2)])))py"},
    {R"py(x = a[1:2])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Slice(lower=Constant(1), upper=Constant(2)))))py"},
    {R"py(x = a[::2])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Slice(step=Constant(2)))))py"},
    {R"py(x = a[:])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Slice())))py"},
    {R"py(x = a[1:2, 3])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Slice(lower=Constant(1), upper=Constant(2)), Constant(3)]))))py"},
    {R"py(x = a[1, 2])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Constant(1), Constant(2)]))))py"},
    {R"py(x = a[x,])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Name('x')]))))py"},
    {R"py(x = a[lo:hi:st])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Slice(lower=Name('lo'), upper=Name('hi'), step=Name('st')))))py"},
    {R"py(a[1] = b.c = d = 5)py",
     R"py(Assign(targets=[Subscript(value=Name('a'), slice=Constant(1), ctx=Store), Attribute(Name('b'), 'c', Store), Name('d', Store)], value=Constant(5)))py"},
    {R"py(x += 1)py",
     R"py(AugAssign(target=Name('x', Store), op=Add, value=Constant(1)))py"},
    {R"py(a.b -= 2)py",
     R"py(AugAssign(target=Attribute(Name('a'), 'b', Store), op=Sub, value=Constant(2)))py"},
    {R"py(a[i] **= 3)py",
     R"py(AugAssign(target=Subscript(value=Name('a'), slice=Name('i'), ctx=Store), op=Pow, value=Constant(3)))py"},
    {R"py(for k, v in d.items():
    pass
else:
    pass)py",
     R"py(For(target=Tuple(elts=[Name('k', Store), Name('v', Store)], ctx=Store), iter=Call(func=Attribute(Name('d'), 'items')), body=[Pass()], orelse=[Pass()]))py"},
    {R"py(for (a, b), c in x: pass)py",
     R"py(For(target=Tuple(elts=[Tuple(elts=[Name('a', Store), Name('b', Store)], ctx=Store), Name('c', Store)], ctx=Store), iter=Name('x'), body=[Pass()]))py"},
    {R"py(for x, in y: pass)py",
     R"py(For(target=Tuple(elts=[Name('x', Store)], ctx=Store), iter=Name('y'), body=[Pass()]))py"},
    {R"py(while x:
    break
else:
    continue_ = 1)py",
     R"py(While(test=Name('x'), body=[Break()], orelse=[Assign(targets=[Name('continue_', Store)], value=Constant(1))]))py"},
    {R"py(if a:
    pass
elif b:
    pass
elif c:
    x = 1
else:
    y = 2)py",
     R"py(If(test=Name('a'), body=[Pass()], orelse=[If(test=Name('b'), body=[Pass()], orelse=[If(test=Name('c'), body=[Assign(targets=[Name('x', Store)], value=Constant(1))], orelse=[Assign(targets=[Name('y', Store)], value=Constant(2))])])]))py"},
    {R"py(with a as b, c as d:
    pass)py",
     R"py(With(items=[withitem(context_expr=Name('a'), optional_vars=Name('b', Store)), withitem(context_expr=Name('c'), optional_vars=Name('d', Store))], body=[Pass()]))py"},
    {R"py(with a: pass)py",
     R"py(With(items=[withitem(context_expr=Name('a'))], body=[Pass()]))py"},
    {R"py(with (a as b, c): pass)py",
     R"py(With(items=[withitem(context_expr=Name('a'), optional_vars=Name('b', Store)), withitem(context_expr=Name('c'))], body=[Pass()]))py"},
    {R"py(with (a, b): pass)py",
     R"py(With(items=[withitem(context_expr=Name('a')), withitem(context_expr=Name('b'))], body=[Pass()]))py"},
    {R"py(with (a, b) as c: pass)py",
     R"py(With(items=[withitem(context_expr=Tuple(elts=[Name('a'), Name('b')]), optional_vars=Name('c', Store))], body=[Pass()]))py"},
    {R"py(with open(f) as (a, b): pass)py",
     R"py(With(items=[withitem(context_expr=Call(func=Name('open'), args=[Name('f')]), optional_vars=Tuple(elts=[Name('a', Store), Name('b', Store)], ctx=Store))], body=[Pass()]))py"},
    {R"py(try:
    pass
except (A, B) as e:
    pass
except C:
    pass
except:
    pass
else:
    pass
finally:
    pass)py",
     R"py(Try(body=[Pass()], handlers=[ExceptHandler(type=Tuple(elts=[Name('A'), Name('B')]), name='e', body=[Pass()]), ExceptHandler(type=Name('C'), body=[Pass()]), ExceptHandler(body=[Pass()])], orelse=[Pass()], finalbody=[Pass()]))py"},
    {R"py(try:
    pass
finally:
    pass)py",
     R"py(Try(body=[Pass()], finalbody=[Pass()]))py"},
    {R"py(raise)py",
     R"py(Raise())py"},
    {R"py(raise X)py",
     R"py(Raise(exc=Name('X')))py"},
    {R"py(raise X from Y)py",
     R"py(Raise(exc=Name('X'), cause=Name('Y')))py"},
    {R"py(global a, b)py",
     R"py(Global(names=['a', 'b']))py"},
    {R"py(def f():
    x = 1
    def g():
        nonlocal x)py",
     R"py(FunctionDef(name='f', args=arguments(), body=[Assign(targets=[Name('x', Store)], value=Constant(1)), FunctionDef(name='g', args=arguments(), body=[Nonlocal(names=['x'])])]))py"},
    {R"py(del a, b[1], c.d)py",
     R"py(Delete(targets=[Name('a', Del), Subscript(value=Name('b'), slice=Constant(1), ctx=Del), Attribute(Name('c'), 'd', Del)]))py"},
    {R"py(del (a, b))py",
     R"py(Delete(targets=[Tuple(elts=[Name('a', Del), Name('b', Del)], ctx=Del)]))py"},
    {R"py(del [a, b])py",
     R"py(Delete(targets=[List(elts=[Name('a', Del), Name('b', Del)], ctx=Del)]))py"},
    {R"py(del x,)py",
     R"py(Delete(targets=[Name('x', Del)]))py"},
    {R"py(assert x)py",
     R"py(Assert(test=Name('x')))py"},
    {R"py(assert x, "msg")py",
     R"py(Assert(test=Name('x'), msg=Constant('msg')))py"},
    {R"py(import a)py",
     R"py(Import(names=[alias('a')]))py"},
    {R"py(import a as b)py",
     R"py(Import(names=[alias('a', 'b')]))py"},
    {R"py(import a.b.c)py",
     R"py(Import(names=[alias('a.b.c')]))py"},
    {R"py(import a.b as c, d)py",
     R"py(Import(names=[alias('a.b', 'c'), alias('d')]))py"},
    {R"py(from a import b as c, d)py",
     R"py(ImportFrom(module='a', names=[alias('b', 'c'), alias('d')]))py"},
    {R"py(from a.b import (c, d,))py",
     R"py(ImportFrom(module='a.b', names=[alias('c'), alias('d')]))py"},
    {R"py(from a import (b))py",
     R"py(ImportFrom(module='a', names=[alias('b')]))py"},
    {R"py(class C:
    pass)py",
     R"py(ClassDef(name='C', body=[Pass()]))py"},
    {R"py(class C(Base):
    x = 1
    def m(self): return self.x)py",
     R"py(ClassDef(name='C', bases=[Name('Base')], body=[Assign(targets=[Name('x', Store)], value=Constant(1)), FunctionDef(name='m', args=arguments(args=[arg('self')]), body=[Return(value=Attribute(Name('self'), 'x'))])]))py"},
    {R"py(class C(): pass)py",
     R"py(ClassDef(name='C', body=[Pass()]))py"},
    {R"py(pass; x = 1; )py",
     R"py(Pass(), Assign(targets=[Name('x', Store)], value=Constant(1)))py"},
    {R"py(print("hi"))py",
     R"py(Expr(value=Call(func=Name('print'), args=[Constant('hi')])))py"},
    {R"py(x = 'a' 'b')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('ab')))py"},
    {R"py(x = "it's")py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant("it's")))py"},
    {R"py(x = 'say "hi"')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('say "hi"')))py"},
    {R"py(x = 'both \' and "')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('both \' and "')))py"},
    {R"py(x = '\n\t\\\x41\u00e9\U0001F600\101')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('\n\t\\Aé😀A')))py"},
    {R"py(x = r'\n\d')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('\\n\\d')))py"},
    {R"py(x = '''multi
line''')py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('multi\nline')))py"},
    {R"py(x = f'a{b}c')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('a'), FormattedValue(value=Name('b')), Constant('c')])))py"},
    {R"py(x = f'{x!r:>10}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), conversion='r', format_spec=JoinedStr(values=[Constant('>10')]))])))py"},
    {R"py(x = f'{x:{w}.{p}f}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), format_spec=JoinedStr(values=[FormattedValue(value=Name('w')), Constant('.'), FormattedValue(value=Name('p')), Constant('f')]))])))py"},
    {R"py(x = f"{'a'}")py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Constant('a'))])))py"},
    {R"py(x = f'{{}}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('{}')])))py"},
    {R"py(x = 'a' f'b{x}' 'c')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('ab'), FormattedValue(value=Name('x')), Constant('c')])))py"},
    {R"py(x = f'')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr()))py"},
    {R"py(x = f'{x:}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), format_spec=JoinedStr())])))py"},
    {R"py(x = rf'\d{x}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('\\d'), FormattedValue(value=Name('x'))])))py"},
    {R"py(x = f'{a}{b}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('a')), FormattedValue(value=Name('b'))])))py"},
    {R"py(x = f'{a, b}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Tuple(elts=[Name('a'), Name('b')]))])))py"},
    {R"py(x = f'''{
a
}''')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('a'))])))py"},
    {R"py(x = f'{x!s}{y!a}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), conversion='s'), FormattedValue(value=Name('y'), conversion='a')])))py"},
    {R"py(x = f'{3.14:.2f}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Constant(3.14), format_spec=JoinedStr(values=[Constant('.2f')]))])))py"},
    {R"py(x = f'{a["k"]}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Subscript(value=Name('a'), slice=Constant('k')))])))py"},
    {R"py(x = f'{a == b}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Compare(Name('a'), [Eq], [Name('b')]))])))py"},
    {R"py(x = f'{a != b}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Compare(Name('a'), [NotEq], [Name('b')]))])))py"},
    {R"py(x = f'{x:{{}}}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), format_spec=JoinedStr(values=[FormattedValue(value=Dict())]))])))py"},
    {R"py(x = 1_000_000)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(1000000)))py"},
    {R"py(x = 0x_ff)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(255)))py"},
    {R"py(x = 0o17 + 0b1010)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Constant(15), Add, Constant(10))))py"},
    {R"py(x = 1.5 + .5 + 1. + 1e-3 + 1_000.5 + 1E10)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(BinOp(BinOp(BinOp(BinOp(Constant(1.5), Add, Constant(0.5)), Add, Constant(1.0)), Add, Constant(0.001)), Add, Constant(1000.5)), Add, Constant(10000000000.0))))py"},
    {R"py(x = 1e400)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(inf)))py"},
    {R"py(x = 1e-400)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0.0)))py"},
    {R"py(x = 5e-324)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(5e-324)))py"},
    {R"py(x = 1e16 + 1e15 + 123456789.123 + 0.0001 + 0.00001)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(BinOp(BinOp(BinOp(Constant(1e+16), Add, Constant(1000000000000000.0)), Add, Constant(123456789.123)), Add, Constant(0.0001)), Add, Constant(1e-05))))py"},
    {R"py(x = 9223372036854775807)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(9223372036854775807)))py"},
    {R"py(x = ...)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(Ellipsis)))py"},
    {R"py(x = None, True, False)py",
     R"py(Assign(targets=[Name('x', Store)], value=Tuple(elts=[Constant(None), Constant(True), Constant(False)])))py"},
    {R"py(x = a if b else c if d else e)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Name('b'), body=Name('a'), orelse=IfExp(test=Name('d'), body=Name('c'), orelse=Name('e')))))py"},
    {R"py(x = lambda: (yield_))py",
     R"py(Assign(targets=[Name('x', Store)], value=Lambda(args=arguments(), body=Name('yield_'))))py"},
    {R"py(x = [*a, *b])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[Starred(value=Name('a')), Starred(value=Name('b'))])))py"},
    {R"py(f(*a, *b, **c, **d))py",
     R"py(Expr(value=Call(func=Name('f'), args=[Starred(value=Name('a')), Starred(value=Name('b'))], keywords=[keyword(value=Name('c')), keyword(value=Name('d'))])))py"},
    {R"py(f(a=1, *b))py",
     R"py(Expr(value=Call(func=Name('f'), args=[Starred(value=Name('b'))], keywords=[keyword(arg='a', value=Constant(1))])))py"},
    {R"py(x = a[b][c](d)(e).f)py",
     R"py(Assign(targets=[Name('x', Store)], value=Attribute(Call(func=Call(func=Subscript(value=Subscript(value=Name('a'), slice=Name('b')), slice=Name('c')), args=[Name('d')]), args=[Name('e')]), 'f')))py"},
    {R"py(if x: pass
elif y: pass)py",
     R"py(If(test=Name('x'), body=[Pass()], orelse=[If(test=Name('y'), body=[Pass()])]))py"},
    {R"py(x = (a))py",
     R"py(Assign(targets=[Name('x', Store)], value=Name('a')))py"},
    {R"py(x = ((a, b)))py",
     R"py(Assign(targets=[Name('x', Store)], value=Tuple(elts=[Name('a'), Name('b')])))py"},
    {R"py(x = (a).b)py",
     R"py(Assign(targets=[Name('x', Store)], value=Attribute(Name('a'), 'b')))py"},
    {R"py(x = (a) + b)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Name('a'), Add, Name('b'))))py"},
    {R"py((a) = 1)py",
     R"py(Assign(targets=[Name('a', Store)], value=Constant(1)))py"},
    {R"py([a, b] = c)py",
     R"py(Assign(targets=[List(elts=[Name('a', Store), Name('b', Store)], ctx=Store)], value=Name('c')))py"},
    {R"py((a, b) = c)py",
     R"py(Assign(targets=[Tuple(elts=[Name('a', Store), Name('b', Store)], ctx=Store)], value=Name('c')))py"},
    {R"py(a, (b, c) = d)py",
     R"py(Assign(targets=[Tuple(elts=[Name('a', Store), Tuple(elts=[Name('b', Store), Name('c', Store)], ctx=Store)], ctx=Store)], value=Name('d')))py"},
    {R"py(x = y = z)py",
     R"py(Assign(targets=[Name('x', Store), Name('y', Store)], value=Name('z')))py"},
    {R"py(match = 3)py",
     R"py(Assign(targets=[Name('match', Store)], value=Constant(3)))py"},
    {R"py(match(x))py",
     R"py(Expr(value=Call(func=Name('match'), args=[Name('x')])))py"},
    {R"py(match.x = 1)py",
     R"py(Assign(targets=[Attribute(Name('match'), 'x', Store)], value=Constant(1)))py"},
    {R"py(case = 1)py",
     R"py(Assign(targets=[Name('case', Store)], value=Constant(1)))py"},
    {R"py(_ = 1)py",
     R"py(Assign(targets=[Name('_', Store)], value=Constant(1)))py"},
    {R"py(print(match, case))py",
     R"py(Expr(value=Call(func=Name('print'), args=[Name('match'), Name('case')])))py"},
    {R"py(x = a @ b)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Name('a'), MatMult, Name('b'))))py"},
    {R"py(x = not not a)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(Not, UnaryOp(Not, Name('a')))))py"},
    {R"py(x = - - a)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(USub, UnaryOp(USub, Name('a')))))py"},
    {R"py(x = +a)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(UAdd, Name('a'))))py"},
    {R"py(x = [i for i in range(3)])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Name('i'), generators=[comprehension(target=Name('i', Store), iter=Call(func=Name('range'), args=[Constant(3)]))])))py"},
    {R"py(x = [(i, j) for i in a for j in b if i != j])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Tuple(elts=[Name('i'), Name('j')]), generators=[comprehension(target=Name('i', Store), iter=Name('a')), comprehension(target=Name('j', Store), iter=Name('b'), ifs=[Compare(Name('i'), [NotEq], [Name('j')])])])))py"},
    {R"py(x = (i for i in a))py",
     R"py(Assign(targets=[Name('x', Store)], value=GeneratorExp(elt=Name('i'), generators=[comprehension(target=Name('i', Store), iter=Name('a'))])))py"},
    {R"py(x = sum(i for i in a))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Name('sum'), args=[GeneratorExp(elt=Name('i'), generators=[comprehension(target=Name('i', Store), iter=Name('a'))])])))py"},
    {R"py(def f(
    a,
    b,
):
    pass)py",
     R"py(FunctionDef(name='f', args=arguments(args=[arg('a'), arg('b')]), body=[Pass()]))py"},
    {R"py(x = [
    1,
    2,
])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[Constant(1), Constant(2)])))py"},
    {R"py(if True:
    x = 1 \
        + 2)py",
     R"py(If(test=Constant(True), body=[Assign(targets=[Name('x', Store)], value=BinOp(Constant(1), Add, Constant(2)))]))py"},
    {R"py(x = {})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict()))py"},
    {R"py(x = a.b[c:d, ::e])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Attribute(Name('a'), 'b'), slice=Tuple(elts=[Slice(lower=Name('c'), upper=Name('d')), Slice(step=Name('e'))]))))py"},
    {R"py(x = a[*b])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Starred(value=Name('b'))]))))py"},
    {R"py(x = a[*b, c])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Starred(value=Name('b')), Name('c')]))))py"},
    {R"py(a, *b = c)py",
     R"py(Assign(targets=[Tuple(elts=[Name('a', Store), Starred(value=Name('b', Store), ctx=Store)], ctx=Store)], value=Name('c')))py"},
    {R"py(for x, *y in z: pass)py",
     R"py(For(target=Tuple(elts=[Name('x', Store), Starred(value=Name('y', Store), ctx=Store)], ctx=Store), iter=Name('z'), body=[Pass()]))py"},
    {R"py(for x in *a, b: pass)py",
     R"py(For(target=Name('x', Store), iter=Tuple(elts=[Starred(value=Name('a')), Name('b')]), body=[Pass()]))py"},
    {R"py(return_value = [x for x in a if x] + [1])py",
     R"py(Assign(targets=[Name('return_value', Store)], value=BinOp(ListComp(elt=Name('x'), generators=[comprehension(target=Name('x', Store), iter=Name('a'), ifs=[Name('x')])]), Add, List(elts=[Constant(1)]))))py"},
    {R"py(x = {**a})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict(keys=[None], values=[Name('a')])))py"},
    {R"py(x = {**a, 'b': 1})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict(keys=[None, Constant('b')], values=[Name('a'), Constant(1)])))py"},
    {R"py(x = f(a)(b))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Call(func=Name('f'), args=[Name('a')]), args=[Name('b')])))py"},
    {R"py(x = 1 if 2 else 3)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Constant(2), body=Constant(1), orelse=Constant(3))))py"},
    {R"py(x = (lambda: 1)())py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Lambda(args=arguments(), body=Constant(1)))))py"},
    {R"py(x = [lambda: i for i in a])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Lambda(args=arguments(), body=Name('i')), generators=[comprehension(target=Name('i', Store), iter=Name('a'))])))py"},
    {R"py(x = a.b.c.d)py",
     R"py(Assign(targets=[Name('x', Store)], value=Attribute(Attribute(Attribute(Name('a'), 'b'), 'c'), 'd')))py"},
    {R"py(x = a < b > c)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [Lt, Gt], [Name('b'), Name('c')])))py"},
    {R"py(x = a in b)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [In], [Name('b')])))py"},
    {R"py(x = a is b)py",
     R"py(Assign(targets=[Name('x', Store)], value=Compare(Name('a'), [Is], [Name('b')])))py"},
    {R"py(x = 0)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0)))py"},
    {R"py(x = 00)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0)))py"},
    {R"py(x = 0.0)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0.0)))py"},
    {R"py(x = 1if 1 else 2)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Constant(1), body=Constant(1), orelse=Constant(2))))py"},
    {R"py(x = [0x1for x in y])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[BoolOp(Or, [Constant(31), Compare(Name('x'), [In], [Name('y')])])])))py"},
    {R"py(x = 0_0)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0)))py"},
    {R"py(x = 07.5)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(7.5)))py"},
    {R"py(x = 0e5
)py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(0.0)))py"},
    {R"py(x = f"{f'{x}'}")py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=JoinedStr(values=[FormattedValue(value=Name('x'))]))])))py"},
    {R"py(x = f'''{d['k']}''')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Subscript(value=Name('d'), slice=Constant('k')))])))py"},
    {R"py(x = f'{(lambda: 1)()}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Call(func=Lambda(args=arguments(), body=Constant(1))))])))py"},
    {R"py(x = f'{ {"a": 1}["a"] }')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Subscript(value=Dict(keys=[Constant('a')], values=[Constant(1)]), slice=Constant('a')))])))py"},
    {R"py(x = f'a' 'b' f'{c}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('ab'), FormattedValue(value=Name('c'))])))py"},
    {R"py(x = f'{x}' f'{y}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x')), FormattedValue(value=Name('y'))])))py"},
    {R"py(x = f'\n{x}\t')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('\n'), FormattedValue(value=Name('x')), Constant('\t')])))py"},
    {R"py(x = f'\\{x}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[Constant('\\'), FormattedValue(value=Name('x'))])))py"},
    {R"py(x = f'{x:%H:%M}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), format_spec=JoinedStr(values=[Constant('%H:%M')]))])))py"},
    {R"py(x = f'{x:{y}{z}}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), format_spec=JoinedStr(values=[FormattedValue(value=Name('y')), FormattedValue(value=Name('z'))]))])))py"},
    {R"py(x = F'{x}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'))])))py"},
    {R"py(x = f'{a if b else c}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=IfExp(test=Name('b'), body=Name('a'), orelse=Name('c')))])))py"},
    {R"py(x = f'{a < b}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Compare(Name('a'), [Lt], [Name('b')]))])))py"},
    {R"py(x = f'{a:>{b}}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('a'), format_spec=JoinedStr(values=[Constant('>'), FormattedValue(value=Name('b'))]))])))py"},
    {R"py(x = f"{'{'}")py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Constant('{'))])))py"},
    {R"py(x = f'{x!r:}')py",
     R"py(Assign(targets=[Name('x', Store)], value=JoinedStr(values=[FormattedValue(value=Name('x'), conversion='r', format_spec=JoinedStr())])))py"},
    {R"py(def f():
    global g
    g = 1)py",
     R"py(FunctionDef(name='f', args=arguments(), body=[Global(names=['g']), Assign(targets=[Name('g', Store)], value=Constant(1))]))py"},
    {R"py(a = b = c = [])py",
     R"py(Assign(targets=[Name('a', Store), Name('b', Store), Name('c', Store)], value=List()))py"},
    {R"py(x[1:2] = y)py",
     R"py(Assign(targets=[Subscript(value=Name('x'), slice=Slice(lower=Constant(1), upper=Constant(2)), ctx=Store)], value=Name('y')))py"},
    {R"py(del x[1:2], x.a)py",
     R"py(Delete(targets=[Subscript(value=Name('x'), slice=Slice(lower=Constant(1), upper=Constant(2)), ctx=Del), Attribute(Name('x'), 'a', Del)]))py"},
    {R"py((x) += 1)py",
     R"py(AugAssign(target=Name('x', Store), op=Add, value=Constant(1)))py"},
    {R"py(x = a[b, c:d])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Name('b'), Slice(lower=Name('c'), upper=Name('d'))]))))py"},
    {R"py(x = a[()])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple())))py"},
    {R"py(x = not a in b)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(Not, Compare(Name('a'), [In], [Name('b')]))))py"},
    {R"py(x = a if not b else c)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=UnaryOp(Not, Name('b')), body=Name('a'), orelse=Name('c'))))py"},
    {R"py(x = [a for b in c for d in e if f if g])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Name('a'), generators=[comprehension(target=Name('b', Store), iter=Name('c')), comprehension(target=Name('d', Store), iter=Name('e'), ifs=[Name('f'), Name('g')])])))py"},
    {R"py(x = (yield_ for yield_ in a))py",
     R"py(Assign(targets=[Name('x', Store)], value=GeneratorExp(elt=Name('yield_'), generators=[comprehension(target=Name('yield_', Store), iter=Name('a'))])))py"},
    {R"py(f(a)(b)(c))py",
     R"py(Expr(value=Call(func=Call(func=Call(func=Name('f'), args=[Name('a')]), args=[Name('b')]), args=[Name('c')])))py"},
    {R"py(x = 1 if a else lambda: 2)py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Name('a'), body=Constant(1), orelse=Lambda(args=arguments(), body=Constant(2)))))py"},
    {R"py(x = lambda *args, **kw: (args, kw))py",
     R"py(Assign(targets=[Name('x', Store)], value=Lambda(args=arguments(vararg=arg('args'), kwarg=arg('kw')), body=Tuple(elts=[Name('args'), Name('kw')]))))py"},
    {R"py(x = lambda a, *, b=1: a)py",
     R"py(Assign(targets=[Name('x', Store)], value=Lambda(args=arguments(args=[arg('a')], kwonlyargs=[arg('b')], kw_defaults=[Constant(1)]), body=Name('a'))))py"},
    {R"py(x = lambda a=1, b=2: a)py",
     R"py(Assign(targets=[Name('x', Store)], value=Lambda(args=arguments(args=[arg('a'), arg('b')], defaults=[Constant(1), Constant(2)]), body=Name('a'))))py"},
    {R"py(class A(B.C): pass)py",
     R"py(ClassDef(name='A', bases=[Attribute(Name('B'), 'C')], body=[Pass()]))py"},
    {R"py(class A(f()): pass)py",
     R"py(ClassDef(name='A', bases=[Call(func=Name('f'))], body=[Pass()]))py"},
    {R"py(x = -1 ** -2)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(USub, BinOp(Constant(1), Pow, UnaryOp(USub, Constant(2))))))py"},
    {R"py(x = ~-+a)py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(Invert, UnaryOp(USub, UnaryOp(UAdd, Name('a'))))))py"},
    {R"py(x = a or b and c or d)py",
     R"py(Assign(targets=[Name('x', Store)], value=BoolOp(Or, [Name('a'), BoolOp(And, [Name('b'), Name('c')]), Name('d')])))py"},
    {R"py(x = a and (b or c))py",
     R"py(Assign(targets=[Name('x', Store)], value=BoolOp(And, [Name('a'), BoolOp(Or, [Name('b'), Name('c')])])))py"},
    {R"py(x = (a, b)[0])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Tuple(elts=[Name('a'), Name('b')]), slice=Constant(0))))py"},
    {R"py(x = [1][0])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=List(elts=[Constant(1)]), slice=Constant(0))))py"},
    {R"py(x = 'a'[0])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Constant('a'), slice=Constant(0))))py"},
    {R"py(x = 1 .real)py",
     R"py(Assign(targets=[Name('x', Store)], value=Attribute(Constant(1), 'real')))py"},
    {R"py(x = 1.0.real)py",
     R"py(Assign(targets=[Name('x', Store)], value=Attribute(Constant(1.0), 'real')))py"},
    {R"py(x = ...[0])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Constant(Ellipsis), slice=Constant(0))))py"},
    {R"py(import a, b.c as d)py",
     R"py(Import(names=[alias('a'), alias('b.c', 'd')]))py"},
    {R"py(while 1:
    if a: break
    elif b: continue)py",
     R"py(While(test=Constant(1), body=[If(test=Name('a'), body=[Break()], orelse=[If(test=Name('b'), body=[Continue()])])]))py"},
    {R"py(try:
    pass
except E as e:
    raise
else:
    pass)py",
     R"py(Try(body=[Pass()], handlers=[ExceptHandler(type=Name('E'), name='e', body=[Raise()])], orelse=[Pass()]))py"},
    {R"py(with a() as b, c() as (d, e), f:
    pass)py",
     R"py(With(items=[withitem(context_expr=Call(func=Name('a')), optional_vars=Name('b', Store)), withitem(context_expr=Call(func=Name('c')), optional_vars=Tuple(elts=[Name('d', Store), Name('e', Store)], ctx=Store)), withitem(context_expr=Name('f'))], body=[Pass()]))py"},
    {R"py(for i in range(10): print(i))py",
     R"py(For(target=Name('i', Store), iter=Call(func=Name('range'), args=[Constant(10)]), body=[Expr(value=Call(func=Name('print'), args=[Name('i')]))]))py"},
    {R"py(if a: b = 1; c = 2)py",
     R"py(If(test=Name('a'), body=[Assign(targets=[Name('b', Store)], value=Constant(1)), Assign(targets=[Name('c', Store)], value=Constant(2))]))py"},
    {R"py(x = {1: {2: {3: 4}}})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict(keys=[Constant(1)], values=[Dict(keys=[Constant(2)], values=[Dict(keys=[Constant(3)], values=[Constant(4)])])])))py"},
    {R"py(x = [[[]]])py",
     R"py(Assign(targets=[Name('x', Store)], value=List(elts=[List(elts=[List()])])))py"},
    {R"py(x = ((((1)))))py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant(1)))py"},
    {R"py(assert isinstance(x, int), f"bad {x!r}")py",
     R"py(Assert(test=Call(func=Name('isinstance'), args=[Name('x'), Name('int')]), msg=JoinedStr(values=[Constant('bad '), FormattedValue(value=Name('x'), conversion='r')])))py"},
    {R"py(x = "a" \
    "b")py",
     R"py(Assign(targets=[Name('x', Store)], value=Constant('ab')))py"},
    {R"py(def f(a, b, *, c, **d): return a)py",
     R"py(FunctionDef(name='f', args=arguments(args=[arg('a'), arg('b')], kwonlyargs=[arg('c')], kw_defaults=[None], kwarg=arg('d')), body=[Return(value=Name('a'))]))py"},
    {R"py(x = a[1:2:3, ::, :])py",
     R"py(Assign(targets=[Name('x', Store)], value=Subscript(value=Name('a'), slice=Tuple(elts=[Slice(lower=Constant(1), upper=Constant(2), step=Constant(3)), Slice(), Slice()]))))py"},
    {R"py(x = {**a, **b})py",
     R"py(Assign(targets=[Name('x', Store)], value=Dict(keys=[None, None], values=[Name('a'), Name('b')])))py"},
    {R"py(print(*args, sep='', end='\n', **kw))py",
     R"py(Expr(value=Call(func=Name('print'), args=[Starred(value=Name('args'))], keywords=[keyword(arg='sep', value=Constant('')), keyword(arg='end', value=Constant('\n')), keyword(value=Name('kw'))])))py"},
    {R"py(x = 0b_1 + 0o_7 + 0X_A + 1_0e1_0 + 1E-1_0)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(BinOp(BinOp(BinOp(Constant(1), Add, Constant(7)), Add, Constant(10)), Add, Constant(100000000000.0)), Add, Constant(1e-10))))py"},
    {R"py(x = 1.e5 + 1_1.)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(Constant(100000.0), Add, Constant(11.0))))py"},
    {R"py(x = a @ b @ c)py",
     R"py(Assign(targets=[Name('x', Store)], value=BinOp(BinOp(Name('a'), MatMult, Name('b')), MatMult, Name('c'))))py"},
    {R"py(x @= y)py",
     R"py(AugAssign(target=Name('x', Store), op=MatMult, value=Name('y')))py"},
    {R"py(x = a if b else (c if d else e))py",
     R"py(Assign(targets=[Name('x', Store)], value=IfExp(test=Name('b'), body=Name('a'), orelse=IfExp(test=Name('d'), body=Name('c'), orelse=Name('e')))))py"},
    {R"py(x = [x for x in (y for y in z)])py",
     R"py(Assign(targets=[Name('x', Store)], value=ListComp(elt=Name('x'), generators=[comprehension(target=Name('x', Store), iter=GeneratorExp(elt=Name('y'), generators=[comprehension(target=Name('y', Store), iter=Name('z'))]))])))py"},
    {R"py(x = not (a and b))py",
     R"py(Assign(targets=[Name('x', Store)], value=UnaryOp(Not, BoolOp(And, [Name('a'), Name('b')]))))py"},
    {R"py(x = a.b(c=d, *e))py",
     R"py(Assign(targets=[Name('x', Store)], value=Call(func=Attribute(Name('a'), 'b'), args=[Starred(value=Name('e'))], keywords=[keyword(arg='c', value=Name('d'))])))py"},
    {R"py(def f(a, b=1, *c, d, e=2, f, **g): pass
)py",
     R"py(FunctionDef(name='f', args=arguments(args=[arg('a'), arg('b')], vararg=arg('c'), kwonlyargs=[arg('d'), arg('e'), arg('f')], kw_defaults=[None, Constant(2), None], kwarg=arg('g'), defaults=[Constant(1)]), body=[Pass()]))py"},
};

TEST(Parser, DumpsMatchCPython) {
    for (const DumpCase& c : kMatchesCPython) {
        SCOPED_TRACE(c.source);
        EXPECT_EQ(outcome(c.source), std::string("Module(body=[") + c.body + "])");
    }
}

// A game script exercising most of the grammar; the expected dump, with
// every node's line and column, is CPython's.
const char* const kSample = R"py(# A small game script touching most of the grammar.
import stackless
import spindle as sp
from math import floor, sqrt as root


class Actor(object):
    count = 0

    def __init__(self, name, hp=10, *tags, speed=1.0, **extra):
        self.name = name
        self.hp, self.tags = hp, list(tags)
        Actor.count += 1

    def __repr__(self):
        return f"Actor({self.name!r}, hp={self.hp:>3})"

    def hit(self, amount):
        self.hp -= amount
        if self.hp <= 0 and not self.tags:
            raise ValueError("dead") from None
        elif self.hp < 5:
            return "low"
        else:
            return None


def walk(actors, steps=3):
    total = 0
    for i, a in enumerate(actors):
        while steps > 0:
            steps -= 1
            if i % 2 == 0:
                continue
            total += a.hp ** 2 // 3
        else:
            pass
    table = {a.name: a for a in actors if a.hp}
    names = [n.upper() for n in table if n not in ("x", "y")]
    try:
        del table["ghost"]
    except (KeyError, IndexError) as e:
        print("missing", e, sep=": ")
    finally:
        total = -total if total < 0 else total
    with open_log() as log, lock:
        log.write(", ".join(names))
    assert total >= 0, "negative"
    return total, {*names}, [*actors][1:-1:2]


def counter():
    n = 0
    def inc(by=1):
        nonlocal n
        n += by
        return n
    return inc


square = lambda x: x * x
data = {"a": [1, 2.5, 'three'], **{"b": None}}
ch = stackless.channel()
result = walk([Actor("hero", 20), Actor("orc")]) if data else ()
)py";

const char* const kSampleLocations =
    R"py(Module(body=[Import@2:0(names=[alias('stackless')]), Import@3:0(names=[alias('spindle', 'sp')]), ImportFrom@4:)py"
    R"py(0(module='math', names=[alias('floor'), alias('sqrt', 'root')]), ClassDef@7:0(name='Actor', bases=[Name@7:12(')py"
    R"py(object')], body=[Assign@8:4(targets=[Name@8:4('count', Store)], value=Constant@8:12(0)), FunctionDef@10:4(name)py"
    R"py(='__init__', args=arguments(args=[arg@10:17('self'), arg@10:23('name'), arg@10:29('hp')], vararg=arg@10:37('ta)py"
    R"py(gs'), kwonlyargs=[arg@10:43('speed')], kw_defaults=[Constant@10:49(1.0)], kwarg=arg@10:56('extra'), defaults=[)py"
    R"py(Constant@10:32(10)]), body=[Assign@11:8(targets=[Attribute@11:8(Name@11:8('self'), 'name', Store)], value=Name)py"
    R"py(@11:20('name')), Assign@12:8(targets=[Tuple@12:8(elts=[Attribute@12:8(Name@12:8('self'), 'hp', Store), Attribu)py"
    R"py(te@12:17(Name@12:17('self'), 'tags', Store)], ctx=Store)], value=Tuple@12:29(elts=[Name@12:29('hp'), Call@12:3)py"
    R"py(3(func=Name@12:33('list'), args=[Name@12:38('tags')])])), AugAssign@13:8(target=Attribute@13:8(Name@13:8('Acto)py"
    R"py(r'), 'count', Store), op=Add, value=Constant@13:23(1))]), FunctionDef@15:4(name='__repr__', args=arguments(arg)py"
    R"py(s=[arg@15:17('self')]), body=[Return@16:8(value=JoinedStr@16:15(values=[Constant@16:15('Actor('), FormattedVal)py"
    R"py(ue@16:15(value=Attribute@16:24(Name@16:24('self'), 'name'), conversion='r'), Constant@16:15(', hp='), Formatte)py"
    R"py(dValue@16:15(value=Attribute@16:42(Name@16:42('self'), 'hp'), format_spec=JoinedStr@16:15(values=[Constant@16:)py"
    R"py(15('>3')])), Constant@16:15(')')]))]), FunctionDef@18:4(name='hit', args=arguments(args=[arg@18:12('self'), ar)py"
    R"py(g@18:18('amount')]), body=[AugAssign@19:8(target=Attribute@19:8(Name@19:8('self'), 'hp', Store), op=Sub, value)py"
    R"py(=Name@19:19('amount')), If@20:8(test=BoolOp@20:11(And, [Compare@20:11(Attribute@20:11(Name@20:11('self'), 'hp')py"
    R"py(), [LtE], [Constant@20:22(0)]), UnaryOp@20:28(Not, Attribute@20:32(Name@20:32('self'), 'tags'))]), body=[Raise)py"
    R"py(@21:12(exc=Call@21:18(func=Name@21:18('ValueError'), args=[Constant@21:29('dead')]), cause=Constant@21:42(None)py"
    R"py())], orelse=[If@22:8(test=Compare@22:13(Attribute@22:13(Name@22:13('self'), 'hp'), [Lt], [Constant@22:23(5)]),)py"
    R"py( body=[Return@23:12(value=Constant@23:19('low'))], orelse=[Return@25:12(value=Constant@25:19(None))])])])]), F)py"
    R"py(unctionDef@28:0(name='walk', args=arguments(args=[arg@28:9('actors'), arg@28:17('steps')], defaults=[Constant@)py"
    R"py(28:23(3)]), body=[Assign@29:4(targets=[Name@29:4('total', Store)], value=Constant@29:12(0)), For@30:4(target=T)py"
    R"py(uple@30:8(elts=[Name@30:8('i', Store), Name@30:11('a', Store)], ctx=Store), iter=Call@30:16(func=Name@30:16('e)py"
    R"py(numerate'), args=[Name@30:26('actors')]), body=[While@31:8(test=Compare@31:14(Name@31:14('steps'), [Gt], [Cons)py"
    R"py(tant@31:22(0)]), body=[AugAssign@32:12(target=Name@32:12('steps', Store), op=Sub, value=Constant@32:21(1)), If)py"
    R"py(@33:12(test=Compare@33:15(BinOp@33:15(Name@33:15('i'), Mod, Constant@33:19(2)), [Eq], [Constant@33:24(0)]), bo)py"
    R"py(dy=[Continue@34:16()]), AugAssign@35:12(target=Name@35:12('total', Store), op=Add, value=BinOp@35:21(BinOp@35:)py"
    R"py(21(Attribute@35:21(Name@35:21('a'), 'hp'), Pow, Constant@35:29(2)), FloorDiv, Constant@35:34(3)))], orelse=[Pa)py"
    R"py(ss@37:12()])]), Assign@38:4(targets=[Name@38:4('table', Store)], value=DictComp@38:12(key=Attribute@38:13(Name)py"
    R"py(@38:13('a'), 'name'), value=Name@38:21('a'), generators=[comprehension(target=Name@38:27('a', Store), iter=Nam)py"
    R"py(e@38:32('actors'), ifs=[Attribute@38:42(Name@38:42('a'), 'hp')])])), Assign@39:4(targets=[Name@39:4('names', S)py"
    R"py(tore)], value=ListComp@39:12(elt=Call@39:13(func=Attribute@39:13(Name@39:13('n'), 'upper')), generators=[compr)py"
    R"py(ehension(target=Name@39:27('n', Store), iter=Name@39:32('table'), ifs=[Compare@39:41(Name@39:41('n'), [NotIn],)py"
    R"py( [Tuple@39:50(elts=[Constant@39:51('x'), Constant@39:56('y')])])])])), Try@40:4(body=[Delete@41:8(targets=[Sub)py"
    R"py(script@41:12(value=Name@41:12('table'), slice=Constant@41:18('ghost'), ctx=Del)])], handlers=[ExceptHandler@42)py"
    R"py(:4(type=Tuple@42:11(elts=[Name@42:12('KeyError'), Name@42:22('IndexError')]), name='e', body=[Expr@43:8(value=)py"
    R"py(Call@43:8(func=Name@43:8('print'), args=[Constant@43:14('missing'), Name@43:25('e')], keywords=[keyword@43:28()py"
    R"py(arg='sep', value=Constant@43:32(': '))]))])], finalbody=[Assign@45:8(targets=[Name@45:8('total', Store)], valu)py"
    R"py(e=IfExp@45:16(test=Compare@45:26(Name@45:26('total'), [Lt], [Constant@45:34(0)]), body=UnaryOp@45:16(USub, Nam)py"
    R"py(e@45:17('total')), orelse=Name@45:41('total')))]), With@46:4(items=[withitem(context_expr=Call@46:9(func=Name@)py"
    R"py(46:9('open_log')), optional_vars=Name@46:23('log', Store)), withitem(context_expr=Name@46:28('lock'))], body=[)py"
    R"py(Expr@47:8(value=Call@47:8(func=Attribute@47:8(Name@47:8('log'), 'write'), args=[Call@47:18(func=Attribute@47:1)py"
    R"py(8(Constant@47:18(', '), 'join'), args=[Name@47:28('names')])]))]), Assert@48:4(test=Compare@48:11(Name@48:11(')py"
    R"py(total'), [GtE], [Constant@48:20(0)]), msg=Constant@48:23('negative')), Return@49:4(value=Tuple@49:11(elts=[Nam)py"
    R"py(e@49:11('total'), Set@49:18(elts=[Starred@49:19(value=Name@49:20('names'))]), Subscript@49:28(value=List@49:28)py"
    R"py((elts=[Starred@49:29(value=Name@49:30('actors'))]), slice=Slice@49:38(lower=Constant@49:38(1), upper=UnaryOp@4)py"
    R"py(9:40(USub, Constant@49:41(1)), step=Constant@49:43(2)))]))]), FunctionDef@52:0(name='counter', args=arguments()py"
    R"py(), body=[Assign@53:4(targets=[Name@53:4('n', Store)], value=Constant@53:8(0)), FunctionDef@54:4(name='inc', ar)py"
    R"py(gs=arguments(args=[arg@54:12('by')], defaults=[Constant@54:15(1)]), body=[Nonlocal@55:8(names=['n']), AugAssig)py"
    R"py(n@56:8(target=Name@56:8('n', Store), op=Add, value=Name@56:13('by')), Return@57:8(value=Name@57:15('n'))]), Re)py"
    R"py(turn@58:4(value=Name@58:11('inc'))]), Assign@61:0(targets=[Name@61:0('square', Store)], value=Lambda@61:9(args)py"
    R"py(=arguments(args=[arg@61:16('x')]), body=BinOp@61:19(Name@61:19('x'), Mult, Name@61:23('x')))), Assign@62:0(tar)py"
    R"py(gets=[Name@62:0('data', Store)], value=Dict@62:7(keys=[Constant@62:8('a'), None], values=[List@62:13(elts=[Con)py"
    R"py(stant@62:14(1), Constant@62:17(2.5), Constant@62:22('three')]), Dict@62:34(keys=[Constant@62:35('b')], values=)py"
    R"py([Constant@62:40(None)])])), Assign@63:0(targets=[Name@63:0('ch', Store)], value=Call@63:5(func=Attribute@63:5()py"
    R"py(Name@63:5('stackless'), 'channel'))), Assign@64:0(targets=[Name@64:0('result', Store)], value=IfExp@64:9(test=)py"
    R"py(Name@64:52('data'), body=Call@64:9(func=Name@64:9('walk'), args=[List@64:14(elts=[Call@64:15(func=Name@64:15(')py"
    R"py(Actor'), args=[Constant@64:21('hero'), Constant@64:29(20)]), Call@64:34(func=Name@64:34('Actor'), args=[Consta)py"
    R"py(nt@64:40('orc')])])]), orelse=Tuple@64:62()))]))py";

TEST(Parser, LocationsMatchCPython) { EXPECT_EQ(outcome(kSample, DumpOptions{true}), kSampleLocations); }

TEST(Parser, EmptyModule) {
    EXPECT_EQ(outcome(""), "Module()");
    EXPECT_EQ(outcome("\n\n# comment\n"), "Module()");
}

TEST(Parser, ConstantValues) {
    ParseResult r = parse("x = '\\u00e9\\t' 'b'\ny = 0x7fffffffffffffff\nz = 1e400\n", "v.py");
    ASSERT_TRUE(r.ok());
    auto value = [&](int i) -> const ConstantExpr& {
        return static_cast<const ConstantExpr&>(*static_cast<const AssignStmt&>(*r.module().body[i]).value);
    };
    EXPECT_EQ(value(0).constant, ConstantKind::Str);
    EXPECT_EQ(value(0).str_value, "\xc3\xa9\tb");
    EXPECT_EQ(value(1).int_value, INT64_MAX);
    EXPECT_TRUE(std::isinf(value(2).float_value));
    EXPECT_EQ(r.module().filename, "v.py");
}

TEST(Parser, NonAsciiColumnsCountCharacters) {
    // CPython counts UTF-8 bytes; Location.column counts characters.
    EXPECT_EQ(outcome("x = '\xc3\xa4' + y", DumpOptions{true}),
              "Module(body=[Assign@1:0(targets=[Name@1:0('x', Store)], value=BinOp@1:4(Constant@1:4('\xc3\xa4'), Add, "
              "Name@1:10('y')))])");
}

TEST(Parser, SoftKeywordsAreNames) {
    EXPECT_EQ(outcome("match = 3"), "Module(body=[Assign(targets=[Name('match', Store)], value=Constant(3))])");
    EXPECT_EQ(outcome("match(x)"), "Module(body=[Expr(value=Call(func=Name('match'), args=[Name('x')]))])");
    EXPECT_EQ(outcome("match[x] = 1"),
              "Module(body=[Assign(targets=[Subscript(value=Name('match'), slice=Name('x'), ctx=Store)], "
              "value=Constant(1))])");
    EXPECT_EQ(outcome("case, _ = 1, 2"),
              "Module(body=[Assign(targets=[Tuple(elts=[Name('case', Store), Name('_', Store)], ctx=Store)], "
              "value=Tuple(elts=[Constant(1), Constant(2)]))])");
    EXPECT_EQ(outcome("match(x).y:\n    pass"), "error 1: match statements are not supported");
}

// ------------------------------------------------------------------ errors

struct ErrorCase {
    const char* source;
    int line;
    const char* message;
};

// Programs CPython 3.11 rejects too: same message and line as CPython's
// (checked with /usr/bin/python3), except where a construct is outside the
// subset anyway.
const ErrorCase kErrors[] = {
    {"f(x for x in y, 1)", 1, "Generator expression must be parenthesized"},
    {"f(x for x in y,)", 1, "Generator expression must be parenthesized"},
    {"f(1, x for x in y)", 1, "Generator expression must be parenthesized"},
    {"def f(*a=1): pass", 1, "var-positional argument cannot have default value"},
    {"def f(**k=1): pass", 1, "var-keyword argument cannot have default value"},
    {"def f(**k, a): pass", 1, "arguments cannot follow var-keyword argument"},
    {"def f(*a, *b): pass", 1, "* argument may appear only once"},
    {"def f(*): pass", 1, "named arguments must follow bare *"},
    {"def f(*, **k): pass", 1, "named arguments must follow bare *"},
    {"def f(a=1, b): pass", 1, "non-default argument follows default argument"},
    {"f(x=1, x=2)", 1, "keyword argument repeated: x"},
    {"f(**k, *a)", 1, "iterable argument unpacking follows keyword argument unpacking"},
    {"f(k=1, a)", 1, "positional argument follows keyword argument"},
    {"f(**k, a)", 1, "positional argument follows keyword argument unpacking"},
    {"f(1=2)", 1, "expression cannot contain assignment, perhaps you meant \"==\"?"},
    {"if x\n  pass", 1, "expected ':'"},
    {"if x:\npass", 2, "expected an indented block after 'if' statement on line 1"},
    {"x = (1,\n2", 1, "'(' was never closed"},
    {"x = )", 1, "unmatched ')'"},
    {"'abc", 1, "unterminated string literal (detected at line 1)"},
    {"x = 1\ny = '''abc", 2, "unterminated triple-quoted string literal (detected at line 2)"},
    {"x = ", 1, "invalid syntax"},
    {"continue", 1, "'continue' not properly in loop"},
    {"break", 1, "'break' outside loop"},
    {"return 1", 1, "'return' outside function"},
    {"class C:\n return 1", 2, "'return' outside function"},
    {"nonlocal x", 1, "nonlocal declaration not allowed at module level"},
    {"for f() in x: pass", 1, "cannot assign to function call"},
    {"f() = 1", 1, "cannot assign to function call here. Maybe you meant '==' instead of '='?"},
    {"x + 1 = 2", 1, "cannot assign to expression here. Maybe you meant '==' instead of '='?"},
    {"None = 1", 1, "cannot assign to None"},
    {"del f()", 1, "cannot delete function call"},
    {"f() += 1", 1, "'function call' is an illegal expression for augmented assignment"},
    {"(a, b) += 1", 1, "'tuple' is an illegal expression for augmented assignment"},
    {"x = *a", 1, "can't use starred expression here"},
    {"*a", 1, "can't use starred expression here"},
    {"[*x for x in y]", 1, "iterable unpacking cannot be used in comprehension"},
    {"{**x for x in y}", 1, "dict unpacking cannot be used in dict comprehension"},
    {"try:\n pass\nx = 1", 3, "expected 'except' or 'finally' block"},
    {"try:\n pass\nelse:\n pass", 3, "expected 'except' or 'finally' block"},
    {"try:\n pass\nexcept:\n pass\nexcept A:\n pass", 3, "default 'except:' must be last"},
    {"try:\n pass\nexcept A, B:\n pass", 3, "multiple exception types must be parenthesized"},
    {"1abc", 1, "invalid decimal literal"},
    {"1_", 1, "invalid decimal literal"},
    {"1__0", 1, "invalid decimal literal"},
    {"0x", 1, "invalid hexadecimal literal"},
    {"0b2", 1, "invalid digit '2' in binary literal"},
    {"0o8", 1, "invalid digit '8' in octal literal"},
    {"07", 1, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"},
    {"0_7", 1, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"},
    {"1.real", 1, "invalid decimal literal"},
    {"1e", 1, "invalid decimal literal"},
    {"x = [1, 2)", 1, "closing parenthesis ')' does not match opening parenthesis '['"},
    {"x = (1,\n 2]", 2, "closing parenthesis ']' does not match opening parenthesis '(' on line 1"},
    {"__debug__ = 1", 1, "cannot assign to __debug__"},
    {"f(__debug__=1)", 1, "cannot assign to __debug__"},
    {"print 'x'", 1, "Missing parentheses in call to 'print'. Did you mean print(...)?"},
    {"lambda *: 0", 1, "named arguments must follow bare *"},
    {"x = 1 if 2", 1, "expected 'else' after 'if' expression"},
    {" x = 1", 1, "unexpected indent"},
    {"if x:\n  a\n b", 3, "unindent does not match any outer indentation level"},
    {"if x:\n\ta\n        b", 3, "inconsistent use of tabs and spaces in indentation"},
    {"'\\x4'", 1, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape"},
    {"x = 1\n)", 2, "unmatched ')'"},
    {"a b", 1, "invalid syntax"},
    {"if x:\npass", 2, "expected an indented block after 'if' statement on line 1"},
    {"def f():\n  x = 1\n    y = 2", 3, "unexpected indent"},
    {"while x\n  pass", 1, "expected ':'"},
    {"f'{}'", 1, "f-string: empty expression not allowed"},
    {"f'{x!}'", 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'"},
    {"f'{x!z}'", 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'"},
    {"f'{'", 1, "f-string: expecting '}'"},
    {"f'}'", 1, "f-string: single '}' is not allowed"},
    {"f'{x#}'", 1, "f-string expression part cannot include '#'"},
    {"f'{a:{b:{c}}}'", 1, "f-string: expressions nested too deeply"},
    {"x = \\ 1", 1, "unexpected character after line continuation character"},
    {"x = 1 \\", 1, "unexpected EOF while parsing"},
    {"def f():", 1, "expected an indented block after function definition on line 1"},
    {"def f(a, a): pass", 1, "duplicate argument 'a' in function definition"},
    {"lambda a, a: 0", 1, "duplicate argument 'a' in function definition"},
    {"a if b", 1, "expected 'else' after 'if' expression"},
    {"x = $", 1, "invalid syntax"},
    {"x = 1 ? 2", 1, "invalid syntax"},
    {"def f(x):\n    for i in x:\n        def g():\n            break", 4, "'break' outside loop"},
    {"for x in y:\n    class C:\n        continue", 3, "'continue' not properly in loop"},
    {"x = 'abc\ny = 2", 1, "unterminated string literal (detected at line 1)"},
    {"def f(): return\nx = (", 2, "'(' was never closed"},
    {"x = [(1, 2]", 1, "closing parenthesis ']' does not match opening parenthesis '('"},
    {"x = {1: 2", 1, "'{' was never closed"},
    {"f(a b)", 1, "invalid syntax. Perhaps you forgot a comma?"},
    {"x = a.1", 1, "invalid syntax"},
    {"class", 1, "invalid syntax"},
    {"def f(:", 1, "invalid syntax"},
    {"def f() pass", 1, "expected ':'"},
    {"else: pass", 1, "invalid syntax"},
    {"x = (1 2)", 1, "invalid syntax. Perhaps you forgot a comma?"},
    {"import", 1, "invalid syntax"},
    {"from x import", 1, "invalid syntax"},
    {"from x import a,", 1, "trailing comma not allowed without surrounding parentheses"},
    {"x = [1,, 2]", 1, "invalid syntax"},
    {"if True:\n    pass\n  else:\n    pass", 3, "unindent does not match any outer indentation level"},
    {"x = 1 +", 1, "invalid syntax"},
    {"x = f(\n    1,\n    2", 1, "'(' was never closed"},
    {"for x in range(3):\n    pass\nelse", 3, "expected ':'"},
    {"def f(a, b=1, c):\n    pass", 1, "non-default argument follows default argument"},
    {"x = 1e5j", 1, "complex numbers are not supported"},
    {"with a as f(): pass", 1, "cannot assign to function call"},
    {"[x for f() in y]", 1, "cannot assign to function call"},
    {"del *a", 1, "cannot delete starred"},
    {"del 1", 1, "cannot delete literal"},
    {"*a = c", 1, "starred assignment target must be in a list or tuple"},
    {"for *a in c: pass", 1, "starred assignment target must be in a list or tuple"},
    {"x = (*a)", 1, "cannot use starred expression here"},
    {"x: int = 1", 1, "annotations are not supported"},
    {"def f(a: int): pass", 1, "annotations are not supported"},
    {"def f() -> int: pass", 1, "annotations are not supported"},
    {"from x import *", 1, "star imports are not supported"},
    {"from . import x", 1, "relative imports are not supported"},
    {"from .a import x", 1, "relative imports are not supported"},
    {"try:\n    pass\nexcept* E:\n    pass", 3, "exception groups are not supported"},
    {"x = yield", 1, "'yield' outside function"},
    {"def f():\n    yield x", 2, "generators are not supported"},
    {"def f():\n    x = yield from g()", 2, "generators are not supported"},
    {"async def f(): pass", 1, "async is not supported"},
    {"await x", 1, "'await' outside function"},
    {"@d\ndef f(): pass", 1, "decorators are not supported"},
    {"if (x := 1): pass", 1, "assignment expressions are not supported"},
    {"match x:\n    case 1: pass", 1, "match statements are not supported"},
    {"class C(A, B): pass", 1, "multiple inheritance is not supported"},
    {"class C(metaclass=M): pass", 1, "class keywords are not supported"},
    {"class C(*b): pass", 1, "multiple inheritance is not supported"},
    {"x = b'abc'", 1, "bytes literals are not supported"},
    {"x = 1j", 1, "complex numbers are not supported"},
    {"x = 9223372036854775808", 1, "integer literal too large"},
    {"x = 0xFFFFFFFFFFFFFFFF", 1, "integer literal too large"},
    {"x = '\\N{DASH}'", 1, "\\N{...} escapes are not supported"},
    {"x = f'{x=}'", 1, "self-documenting f-string expressions (x=) are not supported"},
    {"x = '\\ud800'", 1, "surrogate code points in string literals are not supported"},
    {"from __future__ import annotations\n", 1, "__future__ imports are not supported"},
};

TEST(Parser, SyntaxErrors) {
    for (const ErrorCase& c : kErrors) {
        SCOPED_TRACE(c.source);
        EXPECT_EQ(outcome(c.source), "error " + std::to_string(c.line) + ": " + c.message);
    }
}

// Valid Python outside the subset.
const ErrorCase kRejections[] = {
    {"x = 1\ndef f():\n    yield x", 3, "generators are not supported"},
    {"x = 1\ndef f():\n    y = yield from g()", 3, "generators are not supported"},
    {"x = 1\n\nz = (yield)", 3, "'yield' outside function"},
    {"x = 1\nasync def f():\n    pass", 2, "async is not supported"},
    {"x = 1\ndef f():\n    await g()", 3, "'await' outside async function"},
    {"x = 1\nfor x in y:\n    async with a: pass", 3, "async is not supported"},
    {"x = 1\n@decorator\ndef f(): pass", 2, "decorators are not supported"},
    {"x = 1\nif (n := 10) > 5:\n    pass", 2, "assignment expressions are not supported"},
    {"x = 1\ny = [z := 1, 2]", 2, "assignment expressions are not supported"},
    {"x = 1\nmatch command:\n    case \"go\": pass", 2, "match statements are not supported"},
    {"class A: pass\nclass B: pass\nclass C(A, B): pass", 3, "multiple inheritance is not supported"},
    {"x = 1\nclass C(Base, metaclass=Meta):\n    pass", 2, "class keywords are not supported"},
    {"x = 1\n\n*b = x", 3, "starred assignment target must be in a list or tuple"},
    {"x = 1\nfor *b in x:\n    pass", 2, "starred assignment target must be in a list or tuple"},
    {"x = 1\ndef f(a, /, b):\n    pass", 2, "positional-only parameters are not supported"},
    {"x = 1\ny: int = 1", 2, "annotations are not supported"},
    {"x = 1\ny: int", 2, "annotations are not supported"},
    {"x = 1\ndef f(a: int):\n    pass", 2, "annotations are not supported"},
    {"x = 1\ndef f(a) -> int:\n    pass", 2, "annotations are not supported"},
    {"x = 1\ndef f(*args: int):\n    pass", 2, "annotations are not supported"},
    {"x = 1\nfrom math import *", 2, "star imports are not supported"},
    {"x = 1\nfrom . import sibling", 2, "relative imports are not supported"},
    {"x = 1\nfrom ..pkg import mod", 2, "relative imports are not supported"},
    {"x = 1\ntry:\n    pass\nexcept* ValueError:\n    pass", 4, "exception groups are not supported"},
    {"x = 1\ny = b'bytes'", 2, "bytes literals are not supported"},
    {"x = 1\ny = 2 + 3j", 2, "complex numbers are not supported"},
    {"x = 1\ny = 99999999999999999999", 2, "integer literal too large"},
    {"x = 1\ny = f'{x=}'", 2, "self-documenting f-string expressions (x=) are not supported"},
    {"x = 1\ny = '\\N{BULLET}'", 2, "\\N{...} escapes are not supported"},
    {"x = 1\nfrom __future__ import annotations", 2, "__future__ imports are not supported"},
    {"x = 1\nlambda: (yield)", 2, "generators are not supported"},
    {"x = 1\ny = [x async for x in z]\n", 2, "async is not supported"},
};

TEST(Parser, RejectionsOutsideTheSubset) {
    for (const ErrorCase& c : kRejections) {
        SCOPED_TRACE(c.source);
        EXPECT_EQ(outcome(c.source), "error " + std::to_string(c.line) + ": " + c.message);
    }
}

TEST(Parser, LoopAndFunctionContext) {
    EXPECT_TRUE(accepted("while x:\n    if y:\n        break\n    continue\n"));
    EXPECT_TRUE(accepted("for x in y:\n    try:\n        pass\n    finally:\n        continue\n"));
    EXPECT_TRUE(accepted("def f():\n    class C:\n        def m(self):\n            return 1\n    return C\n"));
    EXPECT_EQ(outcome("while x:\n    pass\nelse:\n    break\n"), "error 4: 'break' outside loop");
    EXPECT_EQ(outcome("for x in y:\n    def f():\n        continue\n"), "error 3: 'continue' not properly in loop");
    EXPECT_EQ(outcome("def f():\n    class C:\n        return 1\n"), "error 3: 'return' outside function");
    EXPECT_EQ(outcome("x = 1\nif x:\n    return\n"), "error 3: 'return' outside function");
}

TEST(Parser, ErrorFormat) {
    ParseResult r = parse("x = 1\ny = (\n", "scripts/intro.py");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().format(), "scripts/intro.py:2: '(' was never closed");
    EXPECT_EQ(r.error().filename, "scripts/intro.py");
    EXPECT_EQ(r.error().column, 4);
    ParseResult n = parse(std::string_view("x\0", 2), "nul.py");
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.error().format(), "nul.py:1: source code cannot contain null bytes");
}

// ------------------------------------------------------------ hostile input

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

TEST(ParserLimits, DeepNestingIsAnErrorNotACrash) {
    const std::size_t n = 100000;
    EXPECT_EQ(outcome(std::string(n, '(')), "error 1: too many nested parentheses");
    EXPECT_EQ(outcome("x = " + std::string(n, '[')), "error 1: too many nested parentheses");
    EXPECT_EQ(outcome("x = " + std::string(n, '-') + "1"), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = " + repeat("not ", n) + "y"), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = " + repeat("2**", n) + "2"), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = " + repeat("a if b else ", n) + "c"), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = " + repeat("lambda: ", n) + "0"), "error 1: too deeply nested");
    // Left-associative chains are built by loops, not recursion: their height
    // is what is limited.
    EXPECT_EQ(outcome("x = 1" + repeat(" + 1", n)), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = a" + repeat(".b", n)), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = f" + repeat("()", n)), "error 1: too deeply nested");
    EXPECT_EQ(outcome("x = a" + repeat("[0]", n)), "error 1: too deeply nested");
    EXPECT_EQ(outcome("if a:\n    pass\n" + repeat("elif a:\n    pass\n", n)), "error 2002: too deeply nested");
    // Nested brackets each holding a long chain: the height limit applies to
    // the whole tree, not to each chain.
    std::string layered = "a";
    for (int i = 0; i < 150; ++i) layered = "(" + layered + repeat(" + a", 20) + ")";
    EXPECT_EQ(outcome("x = " + layered), "error 1: too deeply nested");
}

TEST(ParserLimits, GenerousLimitsForRealCode) {
    EXPECT_TRUE(accepted("x = 1" + repeat(" + 1", 900)));
    EXPECT_TRUE(accepted("x = " + std::string(150, '(') + "1" + std::string(150, ')')));
    EXPECT_TRUE(accepted("if a:\n    pass\n" + repeat("elif a:\n    pass\n", 900)));
    std::string blocks;
    for (int i = 0; i < 99; ++i) blocks += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    EXPECT_TRUE(accepted(blocks + std::string(99, ' ') + "pass\n"));
}

TEST(ParserLimits, RandomBytes) {
    std::mt19937 rng(12345);
    std::string bytes(1 << 20, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    EXPECT_FALSE(accepted(bytes));
    // Valid UTF-8 made of Python-ish fragments reaches deep into the parser.
    const char* const pieces[] = {"(", ")", "[", "]", "{", "}", ":", ",", "\n", "    ", "\t", "x", "1", "2.5",
                                  "'s'", "f'{a}'", "+", "-", "*", "**", "=", "==", "if ", "else ", "for ", " in ",
                                  "def ", "class ", "lambda ", "not ", "and ", "\\\n", "#c", "\"", "'''", "{{", "}}",
                                  "\xc3\xa9", "return ", "while ", "try", "except", ".", ";", "@", "yield"};
    for (int round = 0; round < 200; ++round) {
        std::string text;
        while (text.size() < 5000) text += pieces[rng() % std::size(pieces)];
        ParseResult p = parse(text, "fuzz.py");
        if (!p.ok()) {
            EXPECT_GE(p.error().line, 1);
        }
    }
}

TEST(ParserLimits, EveryTruncationOfASample) {
    std::string sample = kSample;
    int modules = 0, errors = 0;
    for (std::size_t n = 0; n <= sample.size(); ++n) {
        ParseResult r = parse(std::string_view(sample).substr(0, n), "cut.py");
        if (r.ok()) {
            ++modules;
            EXPECT_FALSE(dump(r.module()).empty());
        } else {
            ++errors;
            EXPECT_GE(r.error().line, 1);
            EXPECT_FALSE(r.error().message.empty());
        }
    }
    EXPECT_GT(modules, 0);
    EXPECT_GT(errors, 0);
}

std::string many_lines(std::size_t n) { return repeat("x = [1, 'a', b.c(d)]  # comment\n", n); }
std::string one_long_line(std::size_t n) { return "x = [" + repeat("1, ", n) + "]\n"; }
std::string long_fstring(std::size_t n) { return "x = f'" + repeat("{a}b", n) + "'\n"; }

// Huge inputs parse completely and correctly. (How long they take is a
// benchmark question, not a test: timings on a shared machine are noise.)
TEST(ParserLimits, HugeInputsParseCompletely) {
    ParseResult lines = parse(many_lines(40000), "big.py");
    ASSERT_TRUE(lines.ok()) << lines.error().format();
    EXPECT_EQ(lines.module().body.size(), 40000u);

    ParseResult list = parse(one_long_line(40000), "big.py");
    ASSERT_TRUE(list.ok()) << list.error().format();
    const auto& assign = static_cast<const AssignStmt&>(*list.module().body.at(0));
    EXPECT_EQ(static_cast<const SequenceExpr&>(*assign.value).elts.size(), 40000u);

    ParseResult fstring = parse(long_fstring(40000), "big.py");
    ASSERT_TRUE(fstring.ok()) << fstring.error().format();
    const auto& fassign = static_cast<const AssignStmt&>(*fstring.module().body.at(0));
    EXPECT_EQ(static_cast<const JoinedStrExpr&>(*fassign.value).values.size(), 80000u);
}

}  // namespace
}  // namespace spindle::script
