// Expressions, assignment targets, call arguments and parameter lists.
// Index: helpers; star_expressions and the precedence ladder (lambda,
// if-else, or, and, not, comparisons, binary operators by precedence
// climbing, unary, **, primaries); atoms and displays; comprehensions;
// calls and subscripts; targets; parameters.
#include <algorithm>
#include <set>

#include "script/literals.hpp"
#include "script/parser_impl.hpp"

namespace spindle::script {
namespace {

int max_height(std::initializer_list<int> hs) { return std::max(hs); }

// Binary operators by precedence level, lowest first (| ^ & shifts + *).
bool binary_operator(TokenKind kind, int& level, BinOpKind& op) {
    switch (kind) {
        case TokenKind::VBar: level = 1; op = BinOpKind::BitOr; return true;
        case TokenKind::Circumflex: level = 2; op = BinOpKind::BitXor; return true;
        case TokenKind::Amper: level = 3; op = BinOpKind::BitAnd; return true;
        case TokenKind::LeftShift: level = 4; op = BinOpKind::LShift; return true;
        case TokenKind::RightShift: level = 4; op = BinOpKind::RShift; return true;
        case TokenKind::Plus: level = 5; op = BinOpKind::Add; return true;
        case TokenKind::Minus: level = 5; op = BinOpKind::Sub; return true;
        case TokenKind::Star: level = 6; op = BinOpKind::Mult; return true;
        case TokenKind::Slash: level = 6; op = BinOpKind::Div; return true;
        case TokenKind::DoubleSlash: level = 6; op = BinOpKind::FloorDiv; return true;
        case TokenKind::Percent: level = 6; op = BinOpKind::Mod; return true;
        case TokenKind::At: level = 6; op = BinOpKind::MatMult; return true;
        default: return false;
    }
}

}  // namespace

std::string expression_description(const Expr& e) {
    switch (e.kind) {
        case ExprKind::Name: return "name";
        case ExprKind::Constant:
            switch (static_cast<const ConstantExpr&>(e).constant) {
                case ConstantKind::None: return "None";
                case ConstantKind::True: return "True";
                case ConstantKind::False: return "False";
                case ConstantKind::Ellipsis: return "ellipsis";
                default: return "literal";
            }
        case ExprKind::JoinedStr:
        case ExprKind::FormattedValue: return "f-string expression";
        case ExprKind::Tuple: return "tuple";
        case ExprKind::List: return "list";
        case ExprKind::Set: return "set display";
        case ExprKind::Dict: return "dict literal";
        case ExprKind::ListComp: return "list comprehension";
        case ExprKind::SetComp: return "set comprehension";
        case ExprKind::DictComp: return "dict comprehension";
        case ExprKind::GeneratorExp: return "generator expression";
        case ExprKind::Attribute: return "attribute";
        case ExprKind::Subscript: return "subscript";
        case ExprKind::Slice: return "slice";
        case ExprKind::Starred: return "starred";
        case ExprKind::Call: return "function call";
        case ExprKind::Lambda: return "lambda";
        case ExprKind::Compare: return "comparison";
        case ExprKind::IfExp: return "conditional expression";
        case ExprKind::UnaryOp:
        case ExprKind::BinOp:
        case ExprKind::BoolOp: return "expression";
    }
    return "expression";
}

Parsed Parser::finish(ExprPtr e, int height) {
    if (height > kMaxExprHeight) fail(e->loc, "too deeply nested");
    return Parsed{std::move(e), height};
}

bool Parser::starts_expression(const Token& t) const {
    switch (t.kind) {
        case TokenKind::Name:
        case TokenKind::Number:
        case TokenKind::String:
        case TokenKind::LPar:
        case TokenKind::LSqb:
        case TokenKind::LBrace:
        case TokenKind::Minus:
        case TokenKind::Plus:
        case TokenKind::Tilde:
        case TokenKind::Star:
        case TokenKind::Ellipsis:
        case TokenKind::KwNot:
        case TokenKind::KwLambda:
        case TokenKind::KwNone:
        case TokenKind::KwTrue:
        case TokenKind::KwFalse:
        case TokenKind::KwAwait:
        case TokenKind::KwYield: return true;
        default: return false;
    }
}

// The ')' ']' or '}' after the elements of a display or call. An operand
// right after an operand is most likely a missing comma, as CPython guesses.
void Parser::expect_closer(TokenKind closer) {
    switch (cur().kind) {
        case TokenKind::Name:
        case TokenKind::Number:
        case TokenKind::String:
        case TokenKind::LBrace:
        case TokenKind::KwNone:
        case TokenKind::KwTrue:
        case TokenKind::KwFalse:
        case TokenKind::Ellipsis:
        case TokenKind::KwLambda:
        case TokenKind::KwNot: fail(cur().loc, "invalid syntax. Perhaps you forgot a comma?");
        default: expect(closer);
    }
}

void Parser::reject_bare_starred(const Parsed& p) {
    if (p->kind == ExprKind::Starred) fail(p->loc, "can't use starred expression here");
}

// ------------------------------------------------------ precedence ladder

// star_expressions: a tuple when there is a comma ("a, b = b, a").
Parsed Parser::parse_star_expressions() {
    Location start = cur().loc;
    Parsed first = parse_star_element();
    if (!at(TokenKind::Comma)) return first;
    auto tuple = make_node<SequenceExpr>(ExprKind::Tuple, start, ExprContext::Load);
    int height = first.height;
    tuple->elts.push_back(std::move(first.expr));
    while (accept(TokenKind::Comma)) {
        if (!starts_expression(cur())) break;
        Parsed e = parse_star_element();
        height = std::max(height, e.height);
        tuple->elts.push_back(std::move(e.expr));
    }
    return finish(std::move(tuple), height + 1);
}

Parsed Parser::parse_star_element() {
    if (!at(TokenKind::Star)) return parse_expression();
    Token star = advance();
    Parsed value = parse_binary(1);
    return finish(make_node<StarredExpr>(star.loc, std::move(value.expr), ExprContext::Load), value.height + 1);
}

Parsed Parser::parse_expression() {
    NestingGuard guard(*this, cur().loc);
    if (at(TokenKind::KwLambda)) return parse_lambda();
    Location start = cur().loc;
    Parsed body = parse_disjunction();
    if (!at(TokenKind::KwIf)) return body;
    advance();
    Parsed test = parse_disjunction();
    if (!at(TokenKind::KwElse)) fail(start, "expected 'else' after 'if' expression");
    advance();
    Parsed orelse = parse_expression();
    auto node = make_node<IfExpExpr>(start);
    int height = max_height({body.height, test.height, orelse.height}) + 1;
    node->test = std::move(test.expr);
    node->body = std::move(body.expr);
    node->orelse = std::move(orelse.expr);
    return finish(std::move(node), height);
}

Parsed Parser::parse_lambda() {
    Token kw = advance();
    auto node = make_node<LambdaExpr>(kw.loc);
    int height = 0;
    parse_parameters(node->args, TokenKind::Colon, false, height);
    expect(TokenKind::Colon);
    scopes_.push_back(Scope{true, 0});  // for `yield`: a lambda is a function
    Parsed body = parse_expression();
    scopes_.pop_back();
    node->body = std::move(body.expr);
    return finish(std::move(node), std::max(height, body.height) + 1);
}

Parsed Parser::parse_disjunction() {
    Location start = cur().loc;
    Parsed first = parse_conjunction();
    if (!at(TokenKind::KwOr)) return first;
    auto node = make_node<BoolOpExpr>(start, BoolOpKind::Or);
    int height = first.height;
    node->values.push_back(std::move(first.expr));
    while (accept(TokenKind::KwOr)) {
        Parsed e = parse_conjunction();
        height = std::max(height, e.height);
        node->values.push_back(std::move(e.expr));
    }
    return finish(std::move(node), height + 1);
}

Parsed Parser::parse_conjunction() {
    Location start = cur().loc;
    Parsed first = parse_inversion();
    if (!at(TokenKind::KwAnd)) return first;
    auto node = make_node<BoolOpExpr>(start, BoolOpKind::And);
    int height = first.height;
    node->values.push_back(std::move(first.expr));
    while (accept(TokenKind::KwAnd)) {
        Parsed e = parse_inversion();
        height = std::max(height, e.height);
        node->values.push_back(std::move(e.expr));
    }
    return finish(std::move(node), height + 1);
}

Parsed Parser::parse_inversion() {
    if (!at(TokenKind::KwNot)) return parse_comparison();
    Token kw = advance();
    NestingGuard guard(*this, kw.loc);
    Parsed operand = parse_inversion();
    int height = operand.height + 1;
    return finish(make_node<UnaryOpExpr>(kw.loc, UnaryOpKind::Not, std::move(operand.expr)), height);
}

Parsed Parser::parse_comparison() {
    Location start = cur().loc;
    Parsed left = parse_binary(1);
    std::unique_ptr<CompareExpr> node;
    int height = left.height;
    for (;;) {
        CmpOpKind op;
        switch (cur().kind) {
            case TokenKind::EqEqual: op = CmpOpKind::Eq; break;
            case TokenKind::NotEqual: op = CmpOpKind::NotEq; break;
            case TokenKind::Less: op = CmpOpKind::Lt; break;
            case TokenKind::LessEqual: op = CmpOpKind::LtE; break;
            case TokenKind::Greater: op = CmpOpKind::Gt; break;
            case TokenKind::GreaterEqual: op = CmpOpKind::GtE; break;
            case TokenKind::KwIn: op = CmpOpKind::In; break;
            case TokenKind::KwIs: op = peek(1).kind == TokenKind::KwNot ? CmpOpKind::IsNot : CmpOpKind::Is; break;
            case TokenKind::KwNot:
                if (peek(1).kind != TokenKind::KwIn) return node ? finish(std::move(node), height + 1) : std::move(left);
                op = CmpOpKind::NotIn;
                break;
            default: return node ? finish(std::move(node), height + 1) : std::move(left);
        }
        advance();
        if (op == CmpOpKind::IsNot || op == CmpOpKind::NotIn) advance();
        if (!node) {
            node = make_node<CompareExpr>(start);
            node->left = std::move(left.expr);
        }
        Parsed right = parse_binary(1);
        height = std::max(height, right.height);
        node->ops.push_back(op);
        node->comparators.push_back(std::move(right.expr));
    }
}

// Precedence climbing over the six binary levels; operators of one level
// associate to the left.
Parsed Parser::parse_binary(int min_level) {
    Location start = cur().loc;
    Parsed left = parse_factor();
    for (;;) {
        int level = 0;
        BinOpKind op{};
        if (!binary_operator(cur().kind, level, op) || level < min_level) return left;
        advance();
        Parsed right = parse_binary(level + 1);
        int height = std::max(left.height, right.height) + 1;
        left = finish(make_node<BinOpExpr>(start, std::move(left.expr), op, std::move(right.expr)), height);
    }
}

Parsed Parser::parse_factor() {
    UnaryOpKind op;
    switch (cur().kind) {
        case TokenKind::Minus: op = UnaryOpKind::Neg; break;
        case TokenKind::Plus: op = UnaryOpKind::Pos; break;
        case TokenKind::Tilde: op = UnaryOpKind::Invert; break;
        default: return parse_power();
    }
    Token t = advance();
    NestingGuard guard(*this, t.loc);
    Parsed operand = parse_factor();
    int height = operand.height + 1;
    return finish(make_node<UnaryOpExpr>(t.loc, op, std::move(operand.expr)), height);
}

// "-2**2" is -(2**2) and "2**-1" is 2**(-1): ** binds tighter than a unary
// operator on its left and looser than one on its right.
Parsed Parser::parse_power() {
    Location start = cur().loc;
    Parsed base = parse_primary();
    if (!at(TokenKind::DoubleStar)) return base;
    Token op = advance();
    NestingGuard guard(*this, op.loc);
    Parsed exponent = parse_factor();
    int height = std::max(base.height, exponent.height) + 1;
    return finish(make_node<BinOpExpr>(start, std::move(base.expr), BinOpKind::Pow, std::move(exponent.expr)), height);
}

Parsed Parser::parse_primary() {
    if (at(TokenKind::KwAwait)) syntax_error();  // CPython's "'await' outside ..." messages
    Location start = cur().loc;
    Parsed e = parse_atom();
    for (;;) {
        if (accept(TokenKind::Dot)) {
            Token name = expect_name();
            int height = e.height + 1;
            e = finish(make_node<AttributeExpr>(start, std::move(e.expr), std::string(name.text), ExprContext::Load),
                       height);
        } else if (at(TokenKind::LPar)) {
            e = parse_call(std::move(e), start);
        } else if (at(TokenKind::LSqb)) {
            e = parse_subscript(std::move(e), start);
        } else {
            return e;
        }
    }
}

// ------------------------------------------------------- atoms, displays

Parsed Parser::parse_atom() {
    const Token& t = cur();
    Location loc = t.loc;
    auto constant = [&](ConstantKind k) {
        advance();
        return finish(make_node<ConstantExpr>(loc, k), 1);
    };
    switch (t.kind) {
        case TokenKind::Name: {
            std::string id(t.text);
            advance();
            return finish(make_node<NameExpr>(loc, std::move(id), ExprContext::Load), 1);
        }
        case TokenKind::Number: {
            Token num = advance();
            if (number_is_float(num.text)) {
                auto c = make_node<ConstantExpr>(loc, ConstantKind::Float);
                c->float_value = parse_float_literal(num.text);
                return finish(std::move(c), 1);
            }
            auto c = make_node<ConstantExpr>(loc, ConstantKind::Int);
            if (!parse_int_literal(num.text, c->int_value)) fail(loc, "integer literal too large");
            return finish(std::move(c), 1);
        }
        case TokenKind::String: return parse_strings();
        case TokenKind::KwNone: return constant(ConstantKind::None);
        case TokenKind::KwTrue: return constant(ConstantKind::True);
        case TokenKind::KwFalse: return constant(ConstantKind::False);
        case TokenKind::Ellipsis: return constant(ConstantKind::Ellipsis);
        case TokenKind::LPar: return parse_paren();
        case TokenKind::LSqb: return parse_list();
        case TokenKind::LBrace: return parse_brace();
        default: syntax_error();
    }
}

// "()" "(x)" "(x,)" "(x for ...)"
Parsed Parser::parse_paren() {
    Token open = advance();
    if (accept(TokenKind::RPar))
        return finish(make_node<SequenceExpr>(ExprKind::Tuple, open.loc, ExprContext::Load), 1);
    Parsed first = parse_star_element();
    if (at(TokenKind::KwFor)) {
        if (first->kind == ExprKind::Starred) fail(first->loc, "iterable unpacking cannot be used in comprehension");
        Parsed gen = parse_comprehension(ExprKind::GeneratorExp, open.loc, std::move(first));
        expect(TokenKind::RPar);
        return gen;
    }
    if (!at(TokenKind::Comma)) {
        expect_closer(TokenKind::RPar);
        if (first->kind == ExprKind::Starred) fail(first->loc, "cannot use starred expression here");
        return first;  // a parenthesized expression is no node of its own
    }
    auto tuple = make_node<SequenceExpr>(ExprKind::Tuple, open.loc, ExprContext::Load);
    int height = first.height;
    tuple->elts.push_back(std::move(first.expr));
    while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RPar)) break;
        Parsed e = parse_star_element();
        height = std::max(height, e.height);
        tuple->elts.push_back(std::move(e.expr));
    }
    expect_closer(TokenKind::RPar);
    return finish(std::move(tuple), height + 1);
}

Parsed Parser::parse_list() {
    Token open = advance();
    auto list = make_node<SequenceExpr>(ExprKind::List, open.loc, ExprContext::Load);
    if (accept(TokenKind::RSqb)) return finish(std::move(list), 1);
    Parsed first = parse_star_element();
    if (at(TokenKind::KwFor)) {
        if (first->kind == ExprKind::Starred) fail(first->loc, "iterable unpacking cannot be used in comprehension");
        Parsed comp = parse_comprehension(ExprKind::ListComp, open.loc, std::move(first));
        expect(TokenKind::RSqb);
        return comp;
    }
    int height = first.height;
    list->elts.push_back(std::move(first.expr));
    while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RSqb)) break;
        Parsed e = parse_star_element();
        height = std::max(height, e.height);
        list->elts.push_back(std::move(e.expr));
    }
    expect_closer(TokenKind::RSqb);
    return finish(std::move(list), height + 1);
}

// "{}" dicts, "{a, b}" sets and their comprehensions.
Parsed Parser::parse_brace() {
    Token open = advance();
    if (accept(TokenKind::RBrace)) return finish(make_node<DictExpr>(open.loc), 1);
    if (at(TokenKind::DoubleStar)) {
        Location star = advance().loc;
        Parsed value = parse_binary(1);
        if (at(TokenKind::KwFor)) fail(star, "dict unpacking cannot be used in dict comprehension");
        return parse_dict_rest(open.loc, Parsed{}, std::move(value));
    }
    Parsed first = parse_star_element();
    if (first->kind != ExprKind::Starred && accept(TokenKind::Colon)) {
        Parsed value = parse_expression();
        if (at(TokenKind::KwFor)) {
            Parsed comp = parse_comprehension(ExprKind::DictComp, open.loc, std::move(first), std::move(value));
            expect(TokenKind::RBrace);
            return comp;
        }
        return parse_dict_rest(open.loc, std::move(first), std::move(value));
    }
    if (at(TokenKind::KwFor)) {
        if (first->kind == ExprKind::Starred) fail(first->loc, "iterable unpacking cannot be used in comprehension");
        Parsed comp = parse_comprehension(ExprKind::SetComp, open.loc, std::move(first));
        expect(TokenKind::RBrace);
        return comp;
    }
    auto set = make_node<SequenceExpr>(ExprKind::Set, open.loc, ExprContext::Load);
    int height = first.height;
    set->elts.push_back(std::move(first.expr));
    while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RBrace)) break;
        Parsed e = parse_star_element();
        height = std::max(height, e.height);
        set->elts.push_back(std::move(e.expr));
    }
    expect_closer(TokenKind::RBrace);
    return finish(std::move(set), height + 1);
}

// The rest of a dict display after its first entry (a null key: `**value`).
Parsed Parser::parse_dict_rest(Location start, Parsed key, Parsed value) {
    auto dict = make_node<DictExpr>(start);
    int height = std::max(key ? key.height : 0, value.height);
    dict->keys.push_back(std::move(key.expr));
    dict->values.push_back(std::move(value.expr));
    while (accept(TokenKind::Comma)) {
        if (at(TokenKind::RBrace)) break;
        Parsed k, v;
        if (accept(TokenKind::DoubleStar)) {
            v = parse_binary(1);
        } else {
            k = parse_expression();
            expect(TokenKind::Colon);
            v = parse_expression();
            height = std::max(height, k.height);
        }
        height = std::max(height, v.height);
        dict->keys.push_back(std::move(k.expr));
        dict->values.push_back(std::move(v.expr));
    }
    expect_closer(TokenKind::RBrace);
    return finish(std::move(dict), height + 1);
}

// ---------------------------------------------------------- comprehensions

Parsed Parser::parse_comprehension(ExprKind kind, Location start, Parsed elt, Parsed value) {
    auto node = make_node<ComprehensionExpr>(kind, start);
    int height = std::max(elt.height, value ? value.height : 0);
    if (kind == ExprKind::DictComp) {
        node->key = std::move(elt.expr);
        node->value = std::move(value.expr);
    } else {
        node->elt = std::move(elt.expr);
    }
    while (at(TokenKind::KwFor) || at(TokenKind::KwAsync)) {
        if (at(TokenKind::KwAsync)) syntax_error();
        advance();
        Comprehension gen;
        Parsed target = parse_target_list(TargetUse::Other);
        expect(TokenKind::KwIn);
        Parsed iter = parse_disjunction();
        height = max_height({height, target.height, iter.height});
        gen.target = std::move(target.expr);
        gen.iter = std::move(iter.expr);
        while (accept(TokenKind::KwIf)) {
            Parsed cond = parse_disjunction();
            height = std::max(height, cond.height);
            gen.ifs.push_back(std::move(cond.expr));
        }
        node->generators.push_back(std::move(gen));
    }
    return finish(std::move(node), height + 1);
}

// ----------------------------------------------------- calls, subscripts

Parsed Parser::parse_call(Parsed func, Location start) {
    Token open = advance();
    auto call = make_node<CallExpr>(start);
    int height = func.height;
    call->func = std::move(func.expr);
    bool seen_keyword = false, seen_unpack = false;
    std::set<std::string> names;
    while (!at(TokenKind::RPar)) {
        Location loc = cur().loc;
        if (accept(TokenKind::Star)) {
            Parsed v = parse_expression();
            if (seen_unpack) fail(loc, "iterable argument unpacking follows keyword argument unpacking");
            height = std::max(height, v.height + 1);
            call->args.push_back(make_node<StarredExpr>(loc, std::move(v.expr), ExprContext::Load));
        } else if (accept(TokenKind::DoubleStar)) {
            Parsed v = parse_expression();
            height = std::max(height, v.height);
            call->keywords.push_back(Keyword{loc, std::nullopt, std::move(v.expr)});
            seen_unpack = true;
        } else if (at(TokenKind::Name) && peek(1).kind == TokenKind::Equal) {
            std::string name(advance().text);
            advance();
            check_assignable_name(name, loc, ExprContext::Store);
            if (!names.insert(name).second) defer(loc, "keyword argument repeated: " + name, Stage::Compiler);
            Parsed v = parse_expression();
            height = std::max(height, v.height);
            call->keywords.push_back(Keyword{loc, name, std::move(v.expr)});
            seen_keyword = true;
        } else {
            Parsed a = parse_expression();
            if (at(TokenKind::KwFor)) {
                // A generator expression needs no parentheses of its own only
                // as the sole argument.
                bool alone = call->args.empty() && call->keywords.empty();
                a = parse_comprehension(ExprKind::GeneratorExp, open.loc, std::move(a));
                if (!alone || !at(TokenKind::RPar)) fail(loc, "Generator expression must be parenthesized");
            }
            if (at(TokenKind::Equal)) fail(loc, "expression cannot contain assignment, perhaps you meant \"==\"?");
            if (seen_unpack) fail(loc, "positional argument follows keyword argument unpacking");
            if (seen_keyword) fail(loc, "positional argument follows keyword argument");
            height = std::max(height, a.height);
            call->args.push_back(std::move(a.expr));
        }
        if (!accept(TokenKind::Comma)) break;
    }
    expect_closer(TokenKind::RPar);
    return finish(std::move(call), height + 1);
}

Parsed Parser::parse_subscript(Parsed value, Location start) {
    advance();
    Location first_loc = cur().loc;
    Parsed index = parse_slice();
    if (at(TokenKind::Comma)) {
        auto tuple = make_node<SequenceExpr>(ExprKind::Tuple, first_loc, ExprContext::Load);
        int height = index.height;
        tuple->elts.push_back(std::move(index.expr));
        while (accept(TokenKind::Comma)) {
            if (at(TokenKind::RSqb)) break;
            Parsed e = parse_slice();
            height = std::max(height, e.height);
            tuple->elts.push_back(std::move(e.expr));
        }
        index = finish(std::move(tuple), height + 1);
    } else if (index->kind == ExprKind::Starred) {
        auto tuple = make_node<SequenceExpr>(ExprKind::Tuple, first_loc, ExprContext::Load);
        int height = index.height + 1;
        tuple->elts.push_back(std::move(index.expr));
        index = finish(std::move(tuple), height);
    }
    expect(TokenKind::RSqb);
    int height = std::max(value.height, index.height) + 1;
    return finish(make_node<SubscriptExpr>(start, std::move(value.expr), std::move(index.expr), ExprContext::Load),
                  height);
}

// One element of a subscript: an expression, `*x`, or lower:upper:step.
Parsed Parser::parse_slice() {
    Location loc = cur().loc;
    if (at(TokenKind::Star)) return parse_star_element();
    Parsed lower;
    if (!at(TokenKind::Colon)) {
        lower = parse_expression();
        if (!at(TokenKind::Colon)) return lower;
    }
    advance();
    auto ends_part = [&] { return at(TokenKind::Colon) || at(TokenKind::RSqb) || at(TokenKind::Comma); };
    Parsed upper, step;
    if (!ends_part()) upper = parse_expression();
    if (accept(TokenKind::Colon) && !at(TokenKind::RSqb) && !at(TokenKind::Comma)) step = parse_expression();
    auto slice = make_node<SliceExpr>(loc);
    int height = max_height({lower.height, upper.height, step.height}) + 1;
    slice->lower = std::move(lower.expr);
    slice->upper = std::move(upper.expr);
    slice->step = std::move(step.expr);
    return finish(std::move(slice), height);
}

// ----------------------------------------------------------------- targets

// The targets of `for` and of comprehensions: stops before `in`.
Parsed Parser::parse_target_list(TargetUse use) {
    Location start = cur().loc;
    Parsed first = parse_target_element();
    if (at(TokenKind::Comma)) {
        auto tuple = make_node<SequenceExpr>(ExprKind::Tuple, start, ExprContext::Load);
        int height = first.height;
        tuple->elts.push_back(std::move(first.expr));
        while (accept(TokenKind::Comma)) {
            if (at(TokenKind::KwIn)) break;
            Parsed e = parse_target_element();
            height = std::max(height, e.height);
            tuple->elts.push_back(std::move(e.expr));
        }
        first = finish(std::move(tuple), height + 1);
    }
    to_target(*first.expr, ExprContext::Store, use);
    return first;
}

// A single target: parsed as an operand of `|` so that it stops at `in`,
// `=` and ','; to_target() then checks that it can be bound.
Parsed Parser::parse_target_element() {
    if (!at(TokenKind::Star)) return parse_binary(1);
    Token star = advance();
    Parsed value = parse_binary(1);
    return finish(make_node<StarredExpr>(star.loc, std::move(value.expr), ExprContext::Load), value.height + 1);
}

void Parser::check_assignable_name(const std::string& name, Location loc, ExprContext ctx) {
    if (name == "__debug__") fail(loc, ctx == ExprContext::Del ? "cannot delete __debug__" : "cannot assign to __debug__");
}

void Parser::to_target(Expr& e, ExprContext ctx, TargetUse use) {
    switch (e.kind) {
        case ExprKind::Name: {
            auto& n = static_cast<NameExpr&>(e);
            check_assignable_name(n.id, n.loc, ctx);
            n.ctx = ctx;
            return;
        }
        case ExprKind::Attribute: static_cast<AttributeExpr&>(e).ctx = ctx; return;
        case ExprKind::Subscript: static_cast<SubscriptExpr&>(e).ctx = ctx; return;
        case ExprKind::Tuple:
        case ExprKind::List: {
            auto& seq = static_cast<SequenceExpr&>(e);
            seq.ctx = ctx;
            const TargetUse inner = use == TargetUse::Assign ? TargetUse::Other : use;
            for (auto& elt : seq.elts) {
                if (elt->kind != ExprKind::Starred || ctx == ExprContext::Del) {
                    to_target(*elt, ctx, inner);
                    continue;
                }
                auto& star = static_cast<StarredExpr&>(*elt);  // takes a list of the rest
                star.ctx = ctx;
                to_target(*star.value, ctx, inner);
            }
            return;
        }
        // (CPython's SyntaxError words.)
        case ExprKind::Starred:
            if (ctx == ExprContext::Del) fail(e.loc, "cannot delete starred");
            fail(e.loc, "starred assignment target must be in a list or tuple");
        default: break;
    }
    std::string what = expression_description(e);
    if (use == TargetUse::Delete) fail(e.loc, "cannot delete " + what);
    bool keyword_constant = what == "None" || what == "True" || what == "False";
    std::string suffix = use == TargetUse::Assign && !keyword_constant ? " here. Maybe you meant '==' instead of '='?" : "";
    fail(e.loc, "cannot assign to " + what + suffix);
}

// -------------------------------------------------------------- parameters

// The parameters of a def (closer ')') or lambda (closer ':'), with
// CPython's errors for malformed lists; positional-only markers and
// annotations are outside the subset.
void Parser::parse_parameters(Arguments& args, TokenKind closer, bool allow_annotations, int& height) {
    bool star_seen = false, kwarg_seen = false, default_seen = false;
    std::set<std::string> names;
    auto take_name = [&]() {
        Token name = expect_name();
        std::string id(name.text);
        check_assignable_name(id, name.loc, ExprContext::Store);
        if (!names.insert(id).second) defer(name.loc, "duplicate argument '" + id + "' in function definition", Stage::Symtable);
        if (allow_annotations && at(TokenKind::Colon)) fail(cur().loc, "annotations are not supported");
        return Arg{name.loc, id};
    };
    while (!at(closer)) {
        if (kwarg_seen) fail(cur().loc, "arguments cannot follow var-keyword argument");
        if (at(TokenKind::Slash)) fail(cur().loc, "positional-only parameters are not supported");
        if (accept(TokenKind::DoubleStar)) {
            args.kwarg = take_name();
            if (at(TokenKind::Equal)) fail(cur().loc, "var-keyword argument cannot have default value");
            kwarg_seen = true;
        } else if (at(TokenKind::Star)) {
            Token star = advance();
            if (star_seen) fail(star.loc, "* argument may appear only once");
            star_seen = true;
            if (at(TokenKind::Name)) {
                args.vararg = take_name();
                if (at(TokenKind::Equal)) fail(cur().loc, "var-positional argument cannot have default value");
            } else if (at(closer) || (at(TokenKind::Comma) && (peek(1).kind == closer || peek(1).kind == TokenKind::DoubleStar))) {
                fail(star.loc, "named arguments must follow bare *");
            }
        } else {
            Arg arg = take_name();
            Parsed def;
            if (accept(TokenKind::Equal)) {
                def = parse_expression();
                height = std::max(height, def.height);
            }
            if (star_seen) {
                args.kwonlyargs.push_back(std::move(arg));
                args.kw_defaults.push_back(std::move(def.expr));
            } else {
                if (!def && default_seen) fail(arg.loc, "non-default argument follows default argument");
                if (def) {
                    default_seen = true;
                    args.defaults.push_back(std::move(def.expr));
                }
                args.args.push_back(std::move(arg));
            }
        }
        if (!accept(TokenKind::Comma)) break;
    }
}

}  // namespace spindle::script
