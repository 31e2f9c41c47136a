// The syntax tree of Spindle's Python subset, as the parser builds it and the
// compiler consumes it. Shapes follow CPython's `ast` module (same names, same
// fields) so that "what CPython means" is easy to check node by node; nodes
// outside the subset are never built: the parser rejects them with
// `FILE:LINE: ... is not supported`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spindle::script {

struct Location {
    int line = 0;
    int column = 0;  // 0-based, in characters
};

// ---------------------------------------------------------------- expressions

enum class ExprKind : std::uint8_t {
    Name,            // id
    Constant,        // None, True, False, int, float, str, Ellipsis
    JoinedStr,       // f-string: values are Constant(str) and FormattedValue
    FormattedValue,  // {value!conversion:format_spec}
    Tuple,
    List,
    Set,
    Dict,            // keys[i] null means `**values[i]`
    ListComp,
    SetComp,
    DictComp,
    GeneratorExp,    // parsed; the compiler decides what it supports
    Attribute,       // value.attr
    Subscript,       // value[slice]
    Slice,           // lower:upper:step inside a subscript (parts may be null)
    Starred,         // *value in calls, displays
    Call,
    Lambda,
    UnaryOp,
    BinOp,
    BoolOp,
    Compare,
    IfExp,
};

enum class ExprContext : std::uint8_t { Load, Store, Del };
enum class UnaryOpKind : std::uint8_t { Not, Neg, Pos, Invert };
enum class BinOpKind : std::uint8_t { Add, Sub, Mult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, MatMult };
enum class BoolOpKind : std::uint8_t { And, Or };
enum class CmpOpKind : std::uint8_t { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };
enum class ConstantKind : std::uint8_t { None, True, False, Int, Float, Str, Ellipsis };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct Expr {
    explicit Expr(ExprKind k, Location l) : kind(k), loc(l) {}
    virtual ~Expr() = default;
    ExprKind kind;
    Location loc;
};

struct NameExpr : Expr {
    NameExpr(Location l, std::string i, ExprContext c) : Expr(ExprKind::Name, l), id(std::move(i)), ctx(c) {}
    std::string id;
    ExprContext ctx;
};

struct ConstantExpr : Expr {
    ConstantExpr(Location l, ConstantKind k) : Expr(ExprKind::Constant, l), constant(k) {}
    ConstantKind constant;
    std::int64_t int_value = 0;  // an int literal beyond int64 is a compile error (OverflowError at parse)
    double float_value = 0.0;
    std::string str_value;       // decoded (escapes processed), UTF-8
};

struct JoinedStrExpr : Expr {
    explicit JoinedStrExpr(Location l) : Expr(ExprKind::JoinedStr, l) {}
    std::vector<ExprPtr> values;  // ConstantExpr(Str) and FormattedValueExpr, in order
};

struct FormattedValueExpr : Expr {
    explicit FormattedValueExpr(Location l) : Expr(ExprKind::FormattedValue, l) {}
    ExprPtr value;
    char conversion = 0;   // 0, 's', 'r' or 'a'
    ExprPtr format_spec;   // a JoinedStrExpr, or null
};

// Tuple, List and Set displays share one shape.
struct SequenceExpr : Expr {
    SequenceExpr(ExprKind k, Location l, ExprContext c) : Expr(k, l), ctx(c) {}
    std::vector<ExprPtr> elts;
    ExprContext ctx;
};

struct DictExpr : Expr {
    explicit DictExpr(Location l) : Expr(ExprKind::Dict, l) {}
    std::vector<ExprPtr> keys;    // null entry: `**values[i]`
    std::vector<ExprPtr> values;
};

struct Comprehension {
    ExprPtr target;               // a Store-context target
    ExprPtr iter;
    std::vector<ExprPtr> ifs;
};

// ListComp, SetComp, GeneratorExp (elt) and DictComp (key, value).
struct ComprehensionExpr : Expr {
    ComprehensionExpr(ExprKind k, Location l) : Expr(k, l) {}
    ExprPtr elt;    // ListComp, SetComp, GeneratorExp
    ExprPtr key;    // DictComp
    ExprPtr value;  // DictComp
    std::vector<Comprehension> generators;
};

struct AttributeExpr : Expr {
    AttributeExpr(Location l, ExprPtr v, std::string a, ExprContext c)
        : Expr(ExprKind::Attribute, l), value(std::move(v)), attr(std::move(a)), ctx(c) {}
    ExprPtr value;
    std::string attr;
    ExprContext ctx;
};

struct SubscriptExpr : Expr {
    SubscriptExpr(Location l, ExprPtr v, ExprPtr s, ExprContext c)
        : Expr(ExprKind::Subscript, l), value(std::move(v)), slice(std::move(s)), ctx(c) {}
    ExprPtr value;
    ExprPtr slice;  // any expression, a SliceExpr, or a Tuple containing SliceExprs
    ExprContext ctx;
};

struct SliceExpr : Expr {
    explicit SliceExpr(Location l) : Expr(ExprKind::Slice, l) {}
    ExprPtr lower, upper, step;  // each may be null
};

struct StarredExpr : Expr {
    StarredExpr(Location l, ExprPtr v, ExprContext c) : Expr(ExprKind::Starred, l), value(std::move(v)), ctx(c) {}
    ExprPtr value;
    ExprContext ctx;
};

struct Keyword {
    Location loc;
    std::optional<std::string> arg;  // empty: `**value`
    ExprPtr value;
};

struct CallExpr : Expr {
    explicit CallExpr(Location l) : Expr(ExprKind::Call, l) {}
    ExprPtr func;
    std::vector<ExprPtr> args;  // may contain StarredExpr (`*x`)
    std::vector<Keyword> keywords;
};

struct Arg {
    Location loc;
    std::string name;
};

// Parameters of a def or lambda (no positional-only, no annotations).
struct Arguments {
    std::vector<Arg> args;              // positional-or-keyword
    std::vector<ExprPtr> defaults;      // for the last defaults.size() of args
    std::optional<Arg> vararg;          // *args
    std::vector<Arg> kwonlyargs;        // after * or *args
    std::vector<ExprPtr> kw_defaults;   // same length as kwonlyargs; null = required
    std::optional<Arg> kwarg;           // **kwargs
};

struct LambdaExpr : Expr {
    explicit LambdaExpr(Location l) : Expr(ExprKind::Lambda, l) {}
    Arguments args;
    ExprPtr body;
};

struct UnaryOpExpr : Expr {
    UnaryOpExpr(Location l, UnaryOpKind o, ExprPtr e) : Expr(ExprKind::UnaryOp, l), op(o), operand(std::move(e)) {}
    UnaryOpKind op;
    ExprPtr operand;
};

struct BinOpExpr : Expr {
    BinOpExpr(Location l, ExprPtr a, BinOpKind o, ExprPtr b)
        : Expr(ExprKind::BinOp, l), left(std::move(a)), op(o), right(std::move(b)) {}
    ExprPtr left;
    BinOpKind op;
    ExprPtr right;
};

struct BoolOpExpr : Expr {
    BoolOpExpr(Location l, BoolOpKind o) : Expr(ExprKind::BoolOp, l), op(o) {}
    BoolOpKind op;
    std::vector<ExprPtr> values;  // two or more
};

struct CompareExpr : Expr {
    explicit CompareExpr(Location l) : Expr(ExprKind::Compare, l) {}
    ExprPtr left;
    std::vector<CmpOpKind> ops;
    std::vector<ExprPtr> comparators;
};

struct IfExpExpr : Expr {
    explicit IfExpExpr(Location l) : Expr(ExprKind::IfExp, l) {}
    ExprPtr test, body, orelse;
};

// ----------------------------------------------------------------- statements

enum class StmtKind : std::uint8_t {
    FunctionDef,
    ClassDef,
    Return,
    Delete,
    Assign,
    AugAssign,
    For,
    While,
    If,
    With,
    Raise,
    Try,
    Assert,
    Import,
    ImportFrom,
    Global,
    Nonlocal,
    Expr,
    Pass,
    Break,
    Continue,
};

struct Stmt {
    explicit Stmt(StmtKind k, Location l) : kind(k), loc(l) {}
    virtual ~Stmt() = default;
    StmtKind kind;
    Location loc;
};

struct FunctionDefStmt : Stmt {
    explicit FunctionDefStmt(Location l) : Stmt(StmtKind::FunctionDef, l) {}
    std::string name;
    Arguments args;
    Body body;
};

struct ClassDefStmt : Stmt {
    explicit ClassDefStmt(Location l) : Stmt(StmtKind::ClassDef, l) {}
    std::string name;
    ExprPtr base;  // at most one base class (null: object)
    Body body;
};

struct ReturnStmt : Stmt {
    explicit ReturnStmt(Location l) : Stmt(StmtKind::Return, l) {}
    ExprPtr value;  // may be null
};

struct DeleteStmt : Stmt {
    explicit DeleteStmt(Location l) : Stmt(StmtKind::Delete, l) {}
    std::vector<ExprPtr> targets;  // Del context
};

struct AssignStmt : Stmt {
    explicit AssignStmt(Location l) : Stmt(StmtKind::Assign, l) {}
    std::vector<ExprPtr> targets;  // a = b = value: two targets
    ExprPtr value;
};

struct AugAssignStmt : Stmt {
    explicit AugAssignStmt(Location l) : Stmt(StmtKind::AugAssign, l) {}
    ExprPtr target;  // Name, Attribute or Subscript
    BinOpKind op;
    ExprPtr value;
};

struct ForStmt : Stmt {
    explicit ForStmt(Location l) : Stmt(StmtKind::For, l) {}
    ExprPtr target, iter;
    Body body, orelse;
};

struct WhileStmt : Stmt {
    explicit WhileStmt(Location l) : Stmt(StmtKind::While, l) {}
    ExprPtr test;
    Body body, orelse;
};

struct IfStmt : Stmt {
    explicit IfStmt(Location l) : Stmt(StmtKind::If, l) {}
    ExprPtr test;
    Body body, orelse;  // elif chains nest as a single IfStmt in orelse
};

struct WithItem {
    ExprPtr context_expr;
    ExprPtr optional_vars;  // may be null
};

struct WithStmt : Stmt {
    explicit WithStmt(Location l) : Stmt(StmtKind::With, l) {}
    std::vector<WithItem> items;
    Body body;
};

struct RaiseStmt : Stmt {
    explicit RaiseStmt(Location l) : Stmt(StmtKind::Raise, l) {}
    ExprPtr exc;    // null: bare `raise`
    ExprPtr cause;  // `from cause`, may be null
};

struct ExceptHandler {
    Location loc;
    ExprPtr type;  // null: bare `except:`
    std::optional<std::string> name;
    Body body;
};

struct TryStmt : Stmt {
    explicit TryStmt(Location l) : Stmt(StmtKind::Try, l) {}
    Body body;
    std::vector<ExceptHandler> handlers;
    Body orelse, finalbody;
};

struct AssertStmt : Stmt {
    explicit AssertStmt(Location l) : Stmt(StmtKind::Assert, l) {}
    ExprPtr test, msg;
};

struct Alias {
    std::string name;  // dotted for `import a.b`
    std::optional<std::string> asname;
};

struct ImportStmt : Stmt {
    explicit ImportStmt(Location l) : Stmt(StmtKind::Import, l) {}
    std::vector<Alias> names;
};

struct ImportFromStmt : Stmt {
    explicit ImportFromStmt(Location l) : Stmt(StmtKind::ImportFrom, l) {}
    std::string module;  // no relative imports
    std::vector<Alias> names;
};

struct NamesStmt : Stmt {  // Global and Nonlocal
    NamesStmt(StmtKind k, Location l) : Stmt(k, l) {}
    std::vector<std::string> names;
};

struct ExprStmt : Stmt {
    ExprStmt(Location l, ExprPtr v) : Stmt(StmtKind::Expr, l), value(std::move(v)) {}
    ExprPtr value;
};

struct SimpleStmt : Stmt {  // Pass, Break, Continue
    SimpleStmt(StmtKind k, Location l) : Stmt(k, l) {}
};

struct Module {
    std::string filename;
    Body body;
};

}  // namespace spindle::script
