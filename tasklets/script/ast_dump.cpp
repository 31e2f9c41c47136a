// The dump format is described in ast_dump.hpp. Index: Python reprs; the
// Dumper (expressions, then statements); public entry points.
#include "script/ast_dump.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "script/lexer.hpp"

namespace spindle::script {
namespace {

const char* const kBinOpNames[] = {"Add",    "Sub",    "Mult",  "Div",    "FloorDiv", "Mod",    "Pow",
                                   "LShift", "RShift", "BitOr", "BitXor", "BitAnd",   "MatMult"};
const char* const kUnaryNames[] = {"Not", "USub", "UAdd", "Invert"};
const char* const kBoolNames[] = {"And", "Or"};
const char* const kCmpNames[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
const char* const kCtxNames[] = {"Load", "Store", "Del"};

void append_hex_escape(std::string& out, char32_t cp) {
    char buf[16];
    if (cp < 0x100)
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
    else if (cp < 0x10000)
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
    else
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
    out += buf;
}

}  // namespace

std::string python_float_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    // Shortest round-trip digits, then Python's layout: positional for
    // decimal exponents in [-4, 16), scientific with a 2-digit exponent else.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    std::string sign;
    if (sci[0] == '-') {
        sign = "-";
        sci.erase(0, 1);
    }
    std::size_t e = sci.find('e');
    int exponent = std::stoi(sci.substr(e + 1));
    std::string digits = sci.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
    if (exponent < -4 || exponent >= 16) {
        std::string mant = digits.substr(0, 1);
        if (digits.size() > 1) mant += "." + digits.substr(1);
        char ebuf[16];
        std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        return sign + mant + ebuf;
    }
    std::string out;
    if (exponent < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
        out = digits + std::string(static_cast<std::size_t>(exponent + 1) - digits.size(), '0') + ".0";
    } else {
        out = digits.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
              digits.substr(static_cast<std::size_t>(exponent + 1));
    }
    return sign + out;
}

std::string python_str_repr(std::string_view s) {
    bool has_single = s.find('\'') != std::string_view::npos;
    bool has_double = s.find('"') != std::string_view::npos;
    char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = decode_utf8(s, i);
        if (cp == static_cast<char32_t>(quote) || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (!is_printable(cp)) {
            append_hex_escape(out, cp);
        } else {
            append_utf8(out, cp);
        }
    }
    out += quote;
    return out;
}

namespace {

class Dumper {
public:
    explicit Dumper(DumpOptions o) : opts_(o) {}
    std::string out;

    void expr(const Expr* e);
    void stmt(const Stmt& s);
    void body(const char* name, const Body& b);

private:
    // Field separators: fields are written by name after the first.
    struct Node {
        Dumper& d;
        bool first = true;
        Node(Dumper& dumper, const char* kind, const Location* loc) : d(dumper) {
            d.out += kind;
            if (loc && d.opts_.locations) d.out += "@" + std::to_string(loc->line) + ":" + std::to_string(loc->column);
            d.out += '(';
        }
        ~Node() { d.out += ')'; }
        Node(const Node&) = delete;
        Node& operator=(const Node&) = delete;
        void sep() {
            if (!first) d.out += ", ";
            first = false;
        }
        void field(const char* name) {
            sep();
            d.out += name;
            d.out += '=';
        }
    };

    void exprs(const std::vector<ExprPtr>& list);
    void opt_expr(Node& n, const char* name, const ExprPtr& e);
    void list_field(Node& n, const char* name, const std::vector<ExprPtr>& list);
    void constant(const ConstantExpr& c);
    void arguments(const Arguments& a);
    void arg(const Arg& a);
    void comprehension(const Comprehension& c);
    void expr_fields(const Expr& e);
    void stmt_fields(const Stmt& s);
    void compound_fields(const Stmt& s);
    void string(std::string_view s) { out += python_str_repr(s); }

    DumpOptions opts_;
};

void Dumper::exprs(const std::vector<ExprPtr>& list) {
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += ", ";
        expr(list[i].get());
    }
    out += ']';
}

void Dumper::opt_expr(Node& n, const char* name, const ExprPtr& e) {
    if (!e) return;
    n.field(name);
    expr(e.get());
}

void Dumper::list_field(Node& n, const char* name, const std::vector<ExprPtr>& list) {
    if (list.empty()) return;
    n.field(name);
    exprs(list);
}

void Dumper::constant(const ConstantExpr& c) {
    switch (c.constant) {
        case ConstantKind::None: out += "None"; break;
        case ConstantKind::True: out += "True"; break;
        case ConstantKind::False: out += "False"; break;
        case ConstantKind::Ellipsis: out += "Ellipsis"; break;
        case ConstantKind::Int: out += std::to_string(c.int_value); break;
        case ConstantKind::Float: out += python_float_repr(c.float_value); break;
        case ConstantKind::Str: string(c.str_value); break;
    }
}

void Dumper::arg(const Arg& a) {
    Node n(*this, "arg", &a.loc);
    string(a.name);
}

void Dumper::arguments(const Arguments& a) {
    Node n(*this, "arguments", nullptr);
    auto args_field = [&](const char* name, const std::vector<Arg>& list) {
        if (list.empty()) return;
        n.field(name);
        out += '[';
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (i) out += ", ";
            arg(list[i]);
        }
        out += ']';
    };
    args_field("args", a.args);
    if (a.vararg) {
        n.field("vararg");
        arg(*a.vararg);
    }
    args_field("kwonlyargs", a.kwonlyargs);
    if (!a.kw_defaults.empty()) {
        n.field("kw_defaults");
        exprs(a.kw_defaults);
    }
    if (a.kwarg) {
        n.field("kwarg");
        arg(*a.kwarg);
    }
    list_field(n, "defaults", a.defaults);
}

void Dumper::comprehension(const Comprehension& c) {
    Node n(*this, "comprehension", nullptr);
    opt_expr(n, "target", c.target);
    opt_expr(n, "iter", c.iter);
    list_field(n, "ifs", c.ifs);
}

void Dumper::expr(const Expr* e) {
    if (!e) {
        out += "None";
        return;
    }
    static const char* const kNames[] = {"Name",     "Constant",     "JoinedStr", "FormattedValue", "Tuple",
                                         "List",     "Set",          "Dict",      "ListComp",       "SetComp",
                                         "DictComp", "GeneratorExp", "Attribute", "Subscript",      "Slice",
                                         "Starred",  "Call",         "Lambda",    "UnaryOp",        "BinOp",
                                         "BoolOp",   "Compare",      "IfExp"};
    Node n(*this, kNames[static_cast<int>(e->kind)], &e->loc);
    (void)n;  // expr_fields writes the fields and their separators
    expr_fields(*e);
}

// Writes the inside of an expression node's parentheses.
void Dumper::expr_fields(const Expr& e) {
    struct Fields {
        Dumper& d;
        bool first = true;
        void sep() {
            if (!first) d.out += ", ";
            first = false;
        }
        void field(const char* name) {
            sep();
            d.out += name;
            d.out += '=';
        }
    } f{*this};
    auto expr_field = [&](const char* name, const ExprPtr& p) {
        if (!p) return;
        f.field(name);
        expr(p.get());
    };
    auto list = [&](const char* name, const std::vector<ExprPtr>& l) {
        if (l.empty()) return;
        f.field(name);
        exprs(l);
    };
    auto ctx = [&](ExprContext c, bool positional) {
        if (c == ExprContext::Load) return;
        if (positional)
            f.sep();
        else
            f.field("ctx");
        out += kCtxNames[static_cast<int>(c)];
    };
    switch (e.kind) {
        case ExprKind::Name: {
            auto& x = static_cast<const NameExpr&>(e);
            string(x.id);
            f.first = false;
            ctx(x.ctx, true);
            break;
        }
        case ExprKind::Constant: constant(static_cast<const ConstantExpr&>(e)); break;
        case ExprKind::JoinedStr: list("values", static_cast<const JoinedStrExpr&>(e).values); break;
        case ExprKind::FormattedValue: {
            auto& x = static_cast<const FormattedValueExpr&>(e);
            expr_field("value", x.value);
            if (x.conversion) {
                f.field("conversion");
                out += std::string("'") + x.conversion + "'";
            }
            expr_field("format_spec", x.format_spec);
            break;
        }
        case ExprKind::Tuple:
        case ExprKind::List:
        case ExprKind::Set: {
            auto& x = static_cast<const SequenceExpr&>(e);
            list("elts", x.elts);
            if (e.kind != ExprKind::Set) ctx(x.ctx, false);
            break;
        }
        case ExprKind::Dict: {
            auto& x = static_cast<const DictExpr&>(e);
            list("keys", x.keys);
            list("values", x.values);
            break;
        }
        case ExprKind::ListComp:
        case ExprKind::SetComp:
        case ExprKind::DictComp:
        case ExprKind::GeneratorExp: {
            auto& x = static_cast<const ComprehensionExpr&>(e);
            expr_field("elt", x.elt);
            expr_field("key", x.key);
            expr_field("value", x.value);
            f.field("generators");
            out += '[';
            for (std::size_t i = 0; i < x.generators.size(); ++i) {
                if (i) out += ", ";
                comprehension(x.generators[i]);
            }
            out += ']';
            break;
        }
        case ExprKind::Attribute: {
            auto& x = static_cast<const AttributeExpr&>(e);
            expr(x.value.get());
            out += ", ";
            string(x.attr);
            f.first = false;
            ctx(x.ctx, true);
            break;
        }
        case ExprKind::Subscript: {
            auto& x = static_cast<const SubscriptExpr&>(e);
            expr_field("value", x.value);
            expr_field("slice", x.slice);
            ctx(x.ctx, false);
            break;
        }
        case ExprKind::Slice: {
            auto& x = static_cast<const SliceExpr&>(e);
            expr_field("lower", x.lower);
            expr_field("upper", x.upper);
            expr_field("step", x.step);
            break;
        }
        case ExprKind::Starred: {
            auto& x = static_cast<const StarredExpr&>(e);
            expr_field("value", x.value);
            ctx(x.ctx, false);
            break;
        }
        case ExprKind::Call: {
            auto& x = static_cast<const CallExpr&>(e);
            expr_field("func", x.func);
            list("args", x.args);
            if (!x.keywords.empty()) {
                f.field("keywords");
                out += '[';
                for (std::size_t i = 0; i < x.keywords.size(); ++i) {
                    if (i) out += ", ";
                    const Keyword& k = x.keywords[i];
                    Node kn(*this, "keyword", &k.loc);
                    if (k.arg) {
                        kn.field("arg");
                        string(*k.arg);
                    }
                    kn.field("value");
                    expr(k.value.get());
                }
                out += ']';
            }
            break;
        }
        case ExprKind::Lambda: {
            auto& x = static_cast<const LambdaExpr&>(e);
            f.field("args");
            arguments(x.args);
            expr_field("body", x.body);
            break;
        }
        case ExprKind::UnaryOp: {
            auto& x = static_cast<const UnaryOpExpr&>(e);
            out += kUnaryNames[static_cast<int>(x.op)];
            out += ", ";
            expr(x.operand.get());
            break;
        }
        case ExprKind::BinOp: {
            auto& x = static_cast<const BinOpExpr&>(e);
            expr(x.left.get());
            out += ", ";
            out += kBinOpNames[static_cast<int>(x.op)];
            out += ", ";
            expr(x.right.get());
            break;
        }
        case ExprKind::BoolOp: {
            auto& x = static_cast<const BoolOpExpr&>(e);
            out += kBoolNames[static_cast<int>(x.op)];
            out += ", ";
            exprs(x.values);
            break;
        }
        case ExprKind::Compare: {
            auto& x = static_cast<const CompareExpr&>(e);
            expr(x.left.get());
            out += ", [";
            for (std::size_t i = 0; i < x.ops.size(); ++i) {
                if (i) out += ", ";
                out += kCmpNames[static_cast<int>(x.ops[i])];
            }
            out += "], ";
            exprs(x.comparators);
            break;
        }
        case ExprKind::IfExp: {
            auto& x = static_cast<const IfExpExpr&>(e);
            expr_field("test", x.test);
            expr_field("body", x.body);
            expr_field("orelse", x.orelse);
            break;
        }
    }
}

void Dumper::body(const char* name, const Body& b) {
    out += name;
    out += "=[";
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i) out += ", ";
        stmt(*b[i]);
    }
    out += ']';
}

void Dumper::stmt(const Stmt& s) {
    static const char* const kNames[] = {"FunctionDef", "ClassDef", "Return", "Delete", "Assign", "AugAssign",
                                         "For",         "While",    "If",     "With",   "Raise",  "Try",
                                         "Assert",      "Import",   "ImportFrom", "Global", "Nonlocal", "Expr",
                                         "Pass",        "Break",    "Continue"};
    Node n(*this, kNames[static_cast<int>(s.kind)], &s.loc);
    (void)n;
    stmt_fields(s);
}

// Writes the inside of a statement node's parentheses.
void Dumper::stmt_fields(const Stmt& s) {
    bool first = true;
    auto field = [&](const char* name) {
        if (!first) out += ", ";
        first = false;
        out += name;
        out += '=';
    };
    auto expr_field = [&](const char* name, const ExprPtr& p) {
        if (!p) return;
        field(name);
        expr(p.get());
    };
    auto list = [&](const char* name, const std::vector<ExprPtr>& l) {
        if (l.empty()) return;
        field(name);
        exprs(l);
    };
    auto body_field = [&](const char* name, const Body& b) {
        if (b.empty()) return;
        if (!first) out += ", ";
        first = false;
        body(name, b);
    };
    auto aliases = [&](const std::vector<Alias>& names) {
        field("names");
        out += '[';
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i) out += ", ";
            out += "alias(";
            string(names[i].name);
            if (names[i].asname) {
                out += ", ";
                string(*names[i].asname);
            }
            out += ')';
        }
        out += ']';
    };
    switch (s.kind) {
        case StmtKind::FunctionDef: {
            auto& x = static_cast<const FunctionDefStmt&>(s);
            field("name");
            string(x.name);
            field("args");
            arguments(x.args);
            body_field("body", x.body);
            break;
        }
        case StmtKind::ClassDef: {
            auto& x = static_cast<const ClassDefStmt&>(s);
            field("name");
            string(x.name);
            if (x.base) {
                field("bases");
                out += '[';
                expr(x.base.get());
                out += ']';
            }
            body_field("body", x.body);
            break;
        }
        case StmtKind::Return: expr_field("value", static_cast<const ReturnStmt&>(s).value); break;
        case StmtKind::Delete: list("targets", static_cast<const DeleteStmt&>(s).targets); break;
        case StmtKind::Assign: {
            auto& x = static_cast<const AssignStmt&>(s);
            list("targets", x.targets);
            expr_field("value", x.value);
            break;
        }
        case StmtKind::AugAssign: {
            auto& x = static_cast<const AugAssignStmt&>(s);
            expr_field("target", x.target);
            field("op");
            out += kBinOpNames[static_cast<int>(x.op)];
            expr_field("value", x.value);
            break;
        }
        case StmtKind::For: {
            auto& x = static_cast<const ForStmt&>(s);
            expr_field("target", x.target);
            expr_field("iter", x.iter);
            body_field("body", x.body);
            body_field("orelse", x.orelse);
            break;
        }
        case StmtKind::While: {
            auto& x = static_cast<const WhileStmt&>(s);
            expr_field("test", x.test);
            body_field("body", x.body);
            body_field("orelse", x.orelse);
            break;
        }
        case StmtKind::If: {
            auto& x = static_cast<const IfStmt&>(s);
            expr_field("test", x.test);
            body_field("body", x.body);
            body_field("orelse", x.orelse);
            break;
        }
        case StmtKind::With: {
            auto& x = static_cast<const WithStmt&>(s);
            field("items");
            out += '[';
            for (std::size_t i = 0; i < x.items.size(); ++i) {
                if (i) out += ", ";
                Node n(*this, "withitem", nullptr);
                n.field("context_expr");
                expr(x.items[i].context_expr.get());
                opt_expr(n, "optional_vars", x.items[i].optional_vars);
            }
            out += ']';
            body_field("body", x.body);
            break;
        }
        case StmtKind::Raise: {
            auto& x = static_cast<const RaiseStmt&>(s);
            expr_field("exc", x.exc);
            expr_field("cause", x.cause);
            break;
        }
        case StmtKind::Try: {
            auto& x = static_cast<const TryStmt&>(s);
            body_field("body", x.body);
            if (!x.handlers.empty()) {
                field("handlers");
                out += '[';
                for (std::size_t i = 0; i < x.handlers.size(); ++i) {
                    if (i) out += ", ";
                    const ExceptHandler& h = x.handlers[i];
                    Node n(*this, "ExceptHandler", &h.loc);
                    opt_expr(n, "type", h.type);
                    if (h.name) {
                        n.field("name");
                        string(*h.name);
                    }
                    if (!h.body.empty()) {
                        n.sep();
                        body("body", h.body);
                    }
                }
                out += ']';
            }
            body_field("orelse", x.orelse);
            body_field("finalbody", x.finalbody);
            break;
        }
        case StmtKind::Assert: {
            auto& x = static_cast<const AssertStmt&>(s);
            expr_field("test", x.test);
            expr_field("msg", x.msg);
            break;
        }
        case StmtKind::Import: aliases(static_cast<const ImportStmt&>(s).names); break;
        case StmtKind::ImportFrom: {
            auto& x = static_cast<const ImportFromStmt&>(s);
            field("module");
            string(x.module);
            aliases(x.names);
            break;
        }
        case StmtKind::Global:
        case StmtKind::Nonlocal: {
            auto& x = static_cast<const NamesStmt&>(s);
            field("names");
            out += '[';
            for (std::size_t i = 0; i < x.names.size(); ++i) {
                if (i) out += ", ";
                string(x.names[i]);
            }
            out += ']';
            break;
        }
        case StmtKind::Expr: expr_field("value", static_cast<const ExprStmt&>(s).value); break;
        case StmtKind::Pass:
        case StmtKind::Break:
        case StmtKind::Continue: break;
    }
}

}  // namespace

std::string dump(const Module& module, DumpOptions options) {
    Dumper d(options);
    d.out += "Module(";
    if (!module.body.empty()) d.body("body", module.body);
    d.out += ')';
    return d.out;
}

std::string dump(const Stmt& stmt, DumpOptions options) {
    Dumper d(options);
    d.stmt(stmt);
    return d.out;
}

std::string dump(const Expr& expr, DumpOptions options) {
    Dumper d(options);
    d.expr(&expr);
    return d.out;
}

}  // namespace spindle::script
