// Entry point, token buffer and statements.
// Index: parse() and errors; the token buffer; statement dispatch and blocks;
// compound statements (if, while, for, with, try, def, class); simple
// statements (expressions and assignments, return, raise, del, assert,
// import, global/nonlocal, pass/break/continue).
#include <algorithm>

#include "script/parser_impl.hpp"

namespace spindle::script {

std::string CompileError::format() const { return filename + ":" + std::to_string(line) + ": " + message; }

ParseResult parse(std::string_view source, std::string filename) {
    try {
        std::string prepared = prepare_source(source);
        Parser parser(prepared, Location{1, 0}, 0);
        try {
            return ParseResult{parser.parse_module(filename)};
        } catch (const SyntaxErrorAt& e) {
            throw parser.prefer_tokenizer_error(e);
        }
    } catch (const SyntaxErrorAt& e) {
        return ParseResult{CompileError{std::move(filename), e.loc.line, e.loc.column, e.message}};
    }
}

SyntaxErrorAt Parser::prefer_tokenizer_error(SyntaxErrorAt error) {
    if (lexer_failed_) return error;
    lexer_.set_lenient();
    try {
        while (lexer_.next().kind != TokenKind::EndMarker) {
        }
    } catch (const SyntaxErrorAt& later) {
        if (!lexer_.unclosed_at_end()) return later;
        if (last_line_ > later.loc.line) return later;
    }
    return error;
}

void Parser::defer(Location loc, std::string message, Stage stage) {
    auto& slot = deferred_[static_cast<int>(stage)];
    if (!slot) slot = SyntaxErrorAt{loc, std::move(message)};
}

void Parser::adopt_deferred(Parser& sub) {
    for (int i = 0; i < 2; ++i) {
        if (sub.deferred_[i]) defer(sub.deferred_[i]->loc, sub.deferred_[i]->message, static_cast<Stage>(i));
    }
}

void Parser::throw_deferred() {
    for (auto& slot : deferred_) {
        if (slot) throw *slot;
    }
}

Parser::Parser(std::string_view source, Location first, int nesting)
    : lexer_(source, first.line, first.column), nesting_(nesting) {}

NestingGuard::NestingGuard(Parser& p, Location loc) : parser(p) {
    if (++parser.nesting_ > kMaxExprNesting) parser.fail(loc, "too deeply nested");
}

// ------------------------------------------------------------- token buffer

const Token& Parser::peek(std::size_t ahead) {
    while (ahead_.size() <= ahead) {
        if (!ahead_.empty() && ahead_.back().kind == TokenKind::EndMarker) return ahead_.back();
        try {
            ahead_.push_back(lexer_.next());
        } catch (const SyntaxErrorAt&) {
            lexer_failed_ = true;
            throw;
        }
        last_line_ = ahead_.back().loc.line;
    }
    return ahead_[ahead];
}

Token Parser::advance() {
    Token t = cur();
    if (t.kind != TokenKind::EndMarker) ahead_.pop_front();
    return t;
}

bool Parser::accept(TokenKind kind) {
    if (!at(kind)) return false;
    advance();
    return true;
}

Token Parser::expect(TokenKind kind, const char* message) {
    if (!at(kind)) {
        const Token& t = cur();
        bool special = t.kind == TokenKind::ColonEqual || t.kind == TokenKind::KwYield ||
                       t.kind == TokenKind::KwAwait || t.kind == TokenKind::KwAsync;
        if (message && !special) fail(t.loc, message);
        syntax_error();
    }
    return advance();
}

Token Parser::expect_name() { return expect(TokenKind::Name); }

void Parser::fail(Location loc, std::string message) { throw SyntaxErrorAt{loc, std::move(message)}; }

// Tokens that begin a construct outside the subset get its rejection message
// wherever they turn up; everything else is CPython's generic message.
void Parser::syntax_error() {
    const Token& t = cur();
    switch (t.kind) {
        case TokenKind::ColonEqual: fail(t.loc, "assignment expressions are not supported");
        case TokenKind::KwYield:
            // Outside any function CPython rejects it too, with its own message.
            fail(t.loc, scopes_.back().function ? "generators are not supported" : "'yield' outside function");
        case TokenKind::KwAwait:
            fail(t.loc, scopes_.back().function ? "'await' outside async function" : "'await' outside function");
        case TokenKind::KwAsync: fail(t.loc, "async is not supported");
        case TokenKind::Indent: fail(t.loc, "unexpected indent");
        default: fail(t.loc, "invalid syntax");
    }
}

// ------------------------------------------------------ statements, blocks

Module Parser::parse_module(std::string filename) {
    Module module;
    module.filename = std::move(filename);
    while (!at(TokenKind::EndMarker)) parse_statement(module.body);
    throw_deferred();
    return module;
}

void Parser::parse_statement(Body& body) {
    const Token& t = cur();
    switch (t.kind) {
        case TokenKind::KwIf: body.push_back(parse_if(false)); return;
        case TokenKind::KwWhile: body.push_back(parse_while()); return;
        case TokenKind::KwFor: body.push_back(parse_for()); return;
        case TokenKind::KwWith: body.push_back(parse_with()); return;
        case TokenKind::KwTry: body.push_back(parse_try()); return;
        case TokenKind::KwDef: body.push_back(parse_def()); return;
        case TokenKind::KwClass: body.push_back(parse_class()); return;
        case TokenKind::At: fail(t.loc, "decorators are not supported");
        case TokenKind::KwAsync: fail(t.loc, "async is not supported");
        case TokenKind::Indent: fail(t.loc, "unexpected indent");
        default: break;
    }
    if (at_match_statement()) fail(t.loc, "match statements are not supported");
    parse_simple_statements(body);
}

// `match` is a soft keyword: "match x:" opens a match statement, while
// "match = 3" or "match(x)" use a name. Like CPython's grammar, a line that
// starts with `match` followed by an expression and ends in ':' is one.
bool Parser::at_match_statement() {
    if (!at(TokenKind::Name) || cur().text != "match") return false;
    if (!starts_expression(peek(1))) return false;
    // Scan the logical line (brackets are already balanced by the lexer).
    TokenKind last = TokenKind::Newline;
    for (std::size_t i = 1;; ++i) {
        const Token& t = peek(i);
        if (t.kind == TokenKind::Newline || t.kind == TokenKind::EndMarker) return last == TokenKind::Colon;
        last = t.kind;
    }
}

// ':' then either simple statements on the same line or an indented block.
void Parser::parse_block(Body& body, const char* what, Location header) {
    expect(TokenKind::Colon, "expected ':'");
    if (!accept(TokenKind::Newline)) {
        parse_simple_statements(body);
        return;
    }
    if (!at(TokenKind::Indent)) {
        fail(cur().loc, std::string("expected an indented block after ") + what + " on line " +
                            std::to_string(header.line));
    }
    if (++stmt_nesting_ > kMaxStmtNesting) fail(cur().loc, "too deeply nested");
    advance();
    while (!accept(TokenKind::Dedent)) parse_statement(body);
    --stmt_nesting_;
}

// ---------------------------------------------------- compound statements

StmtPtr Parser::parse_if(bool elif) {
    Token kw = advance();
    auto stmt = make_node<IfStmt>(kw.loc);
    stmt->test = parse_expression().expr;
    parse_block(stmt->body, elif ? "'elif' statement" : "'if' statement", kw.loc);
    if (at(TokenKind::KwElif)) {
        // elif chains nest; count them as nesting too.
        if (++stmt_nesting_ > kMaxStmtNesting) fail(cur().loc, "too deeply nested");
        stmt->orelse.push_back(parse_if(true));
        --stmt_nesting_;
    } else if (at(TokenKind::KwElse)) {
        Token else_kw = advance();
        parse_block(stmt->orelse, "'else' statement", else_kw.loc);
    }
    return stmt;
}

StmtPtr Parser::parse_while() {
    Token kw = advance();
    auto stmt = make_node<WhileStmt>(kw.loc);
    stmt->test = parse_expression().expr;
    ++scopes_.back().loops;
    parse_block(stmt->body, "'while' statement", kw.loc);
    --scopes_.back().loops;
    if (at(TokenKind::KwElse)) {
        Token else_kw = advance();
        parse_block(stmt->orelse, "'else' statement", else_kw.loc);
    }
    return stmt;
}

StmtPtr Parser::parse_for() {
    Token kw = advance();
    auto stmt = make_node<ForStmt>(kw.loc);
    stmt->target = parse_target_list(TargetUse::Other).expr;
    expect(TokenKind::KwIn);
    Parsed iter = parse_star_expressions();
    reject_bare_starred(iter);
    stmt->iter = std::move(iter.expr);
    ++scopes_.back().loops;
    parse_block(stmt->body, "'for' statement", kw.loc);
    --scopes_.back().loops;
    if (at(TokenKind::KwElse)) {
        Token else_kw = advance();
        parse_block(stmt->orelse, "'else' statement", else_kw.loc);
    }
    return stmt;
}

StmtPtr Parser::parse_with() {
    Token kw = advance();
    auto stmt = make_node<WithStmt>(kw.loc);
    // "with (a as b, c):" is a parenthesized item list when the matching ')'
    // is followed by ':'; otherwise the parentheses belong to an expression.
    bool parenthesized = false;
    if (at(TokenKind::LPar) && peek(1).kind != TokenKind::RPar) {
        int depth = 0;
        for (std::size_t i = 0;; ++i) {
            TokenKind k = peek(i).kind;
            if (k == TokenKind::LPar || k == TokenKind::LSqb || k == TokenKind::LBrace) ++depth;
            if (k == TokenKind::RPar || k == TokenKind::RSqb || k == TokenKind::RBrace) --depth;
            if (depth == 0) {
                parenthesized = peek(i + 1).kind == TokenKind::Colon;
                break;
            }
            if (k == TokenKind::EndMarker || k == TokenKind::Newline) break;
        }
    }
    parse_with_items(*stmt, parenthesized);
    parse_block(stmt->body, "'with' statement", kw.loc);
    return stmt;
}

void Parser::parse_with_items(WithStmt& stmt, bool parenthesized) {
    if (parenthesized) advance();
    do {
        if (parenthesized && at(TokenKind::RPar)) break;  // trailing comma
        WithItem item;
        item.context_expr = parse_expression().expr;
        if (accept(TokenKind::KwAs)) {
            Parsed target = parse_target_element();
            to_target(*target.expr, ExprContext::Store, TargetUse::Other);
            item.optional_vars = std::move(target.expr);
        }
        stmt.items.push_back(std::move(item));
    } while (accept(TokenKind::Comma));
    if (parenthesized) expect(TokenKind::RPar);
}

StmtPtr Parser::parse_try() {
    Token kw = advance();
    auto stmt = make_node<TryStmt>(kw.loc);
    parse_block(stmt->body, "'try' statement", kw.loc);
    while (at(TokenKind::KwExcept)) {
        if (!stmt->handlers.empty() && !stmt->handlers.back().type)
            defer(stmt->handlers.back().loc, "default 'except:' must be last", Stage::Compiler);
        stmt->handlers.push_back(parse_except_clause());
    }
    if (!stmt->handlers.empty() && at(TokenKind::KwElse)) {
        Token else_kw = advance();
        parse_block(stmt->orelse, "'else' statement", else_kw.loc);
    }
    if (at(TokenKind::KwFinally)) {
        Token fin = advance();
        parse_block(stmt->finalbody, "'finally' statement", fin.loc);
    }
    if (stmt->handlers.empty() && stmt->finalbody.empty())
        fail(cur().loc, "expected 'except' or 'finally' block");
    return stmt;
}

ExceptHandler Parser::parse_except_clause() {
    Token kw = advance();
    ExceptHandler handler;
    handler.loc = kw.loc;
    if (at(TokenKind::Star)) fail(cur().loc, "exception groups are not supported");
    if (!at(TokenKind::Colon)) {
        Location type_loc = cur().loc;
        handler.type = parse_expression().expr;
        if (at(TokenKind::Comma)) fail(type_loc, "multiple exception types must be parenthesized");
        if (accept(TokenKind::KwAs)) handler.name = std::string(expect_name().text);
    }
    parse_block(handler.body, "'except' statement", kw.loc);
    return handler;
}

StmtPtr Parser::parse_def() {
    Token kw = advance();
    auto stmt = make_node<FunctionDefStmt>(kw.loc);
    stmt->name = std::string(expect_name().text);
    expect(TokenKind::LPar, "expected '('");
    int height = 0;
    parse_parameters(stmt->args, TokenKind::RPar, true, height);
    expect(TokenKind::RPar);
    if (at(TokenKind::Arrow)) fail(cur().loc, "annotations are not supported");
    scopes_.push_back(Scope{true, 0});
    parse_block(stmt->body, "function definition", kw.loc);
    scopes_.pop_back();
    return stmt;
}

StmtPtr Parser::parse_class() {
    Token kw = advance();
    auto stmt = make_node<ClassDefStmt>(kw.loc);
    stmt->name = std::string(expect_name().text);
    if (at(TokenKind::LPar)) {
        Location paren = cur().loc;
        Parsed call = parse_call(Parsed{make_node<NameExpr>(paren, stmt->name, ExprContext::Load), 1}, paren);
        auto& c = static_cast<CallExpr&>(*call.expr);
        if (!c.keywords.empty()) fail(c.keywords.front().loc, "class keywords are not supported");
        if (c.args.size() > 1) fail(c.args[1]->loc, "multiple inheritance is not supported");
        if (c.args.size() == 1) {
            if (c.args[0]->kind == ExprKind::Starred) fail(c.args[0]->loc, "multiple inheritance is not supported");
            stmt->base = std::move(c.args[0]);
        }
    }
    scopes_.push_back(Scope{false, 0});
    parse_block(stmt->body, "class definition", kw.loc);
    scopes_.pop_back();
    return stmt;
}

// ------------------------------------------------------ simple statements

void Parser::parse_simple_statements(Body& body) {
    for (;;) {
        body.push_back(parse_simple_statement());
        if (!accept(TokenKind::Semi)) break;
        if (at(TokenKind::Newline)) break;
    }
    expect(TokenKind::Newline);
}

StmtPtr Parser::parse_simple_statement() {
    const Token& t = cur();
    switch (t.kind) {
        case TokenKind::KwPass: return make_node<SimpleStmt>(StmtKind::Pass, advance().loc);
        case TokenKind::KwBreak: return parse_loop_control(StmtKind::Break);
        case TokenKind::KwContinue: return parse_loop_control(StmtKind::Continue);
        case TokenKind::KwReturn: return parse_return();
        case TokenKind::KwRaise: return parse_raise();
        case TokenKind::KwDel: return parse_delete();
        case TokenKind::KwAssert: return parse_assert();
        case TokenKind::KwImport: return parse_import();
        case TokenKind::KwFrom: return parse_from_import();
        case TokenKind::KwGlobal: return parse_names(StmtKind::Global);
        case TokenKind::KwNonlocal: return parse_names(StmtKind::Nonlocal);
        default: return parse_expression_statement();
    }
}

StmtPtr Parser::parse_loop_control(StmtKind kind) {
    Token kw = advance();
    if (scopes_.back().loops == 0)
        defer(kw.loc, kind == StmtKind::Break ? "'break' outside loop" : "'continue' not properly in loop",
              Stage::Compiler);
    return make_node<SimpleStmt>(kind, kw.loc);
}

namespace {

bool augmented_operator(TokenKind kind, BinOpKind& op) {
    switch (kind) {
        case TokenKind::PlusEqual: op = BinOpKind::Add; return true;
        case TokenKind::MinusEqual: op = BinOpKind::Sub; return true;
        case TokenKind::StarEqual: op = BinOpKind::Mult; return true;
        case TokenKind::SlashEqual: op = BinOpKind::Div; return true;
        case TokenKind::DoubleSlashEqual: op = BinOpKind::FloorDiv; return true;
        case TokenKind::PercentEqual: op = BinOpKind::Mod; return true;
        case TokenKind::DoubleStarEqual: op = BinOpKind::Pow; return true;
        case TokenKind::LeftShiftEqual: op = BinOpKind::LShift; return true;
        case TokenKind::RightShiftEqual: op = BinOpKind::RShift; return true;
        case TokenKind::VBarEqual: op = BinOpKind::BitOr; return true;
        case TokenKind::CircumflexEqual: op = BinOpKind::BitXor; return true;
        case TokenKind::AmperEqual: op = BinOpKind::BitAnd; return true;
        case TokenKind::AtEqual: op = BinOpKind::MatMult; return true;
        default: return false;
    }
}

}  // namespace

// Expression statements, assignments (chained and augmented) and the
// rejected annotated assignment all start with an expression.
StmtPtr Parser::parse_expression_statement() {
    Location start = cur().loc;
    Parsed first = parse_star_expressions();
    BinOpKind op{};
    if (at(TokenKind::Equal)) {
        auto stmt = make_node<AssignStmt>(start);
        Parsed value = std::move(first);
        while (accept(TokenKind::Equal)) {
            to_target(*value.expr, ExprContext::Store, TargetUse::Assign);
            stmt->targets.push_back(std::move(value.expr));
            value = parse_star_expressions();
        }
        reject_bare_starred(value);
        stmt->value = std::move(value.expr);
        return stmt;
    }
    if (augmented_operator(cur().kind, op)) {
        ExprKind k = first->kind;
        if (k != ExprKind::Name && k != ExprKind::Attribute && k != ExprKind::Subscript)
            fail(first->loc, "'" + expression_description(*first.expr) +
                                 "' is an illegal expression for augmented assignment");
        to_target(*first.expr, ExprContext::Store, TargetUse::Other);
        advance();
        auto stmt = make_node<AugAssignStmt>(start);
        stmt->target = std::move(first.expr);
        stmt->op = op;
        Parsed value = parse_star_expressions();
        reject_bare_starred(value);
        stmt->value = std::move(value.expr);
        return stmt;
    }
    if (at(TokenKind::Colon)) fail(cur().loc, "annotations are not supported");
    if (first->kind == ExprKind::Name && starts_expression(cur()) && !at(TokenKind::LPar)) {
        const std::string& id = static_cast<NameExpr&>(*first.expr).id;
        if (id == "print" || id == "exec")
            fail(start, "Missing parentheses in call to '" + id + "'. Did you mean " + id + "(...)?");
    }
    reject_bare_starred(first);
    return make_node<ExprStmt>(start, std::move(first.expr));
}

StmtPtr Parser::parse_return() {
    Token kw = advance();
    if (!scopes_.back().function) defer(kw.loc, "'return' outside function", Stage::Compiler);
    auto stmt = make_node<ReturnStmt>(kw.loc);
    if (starts_expression(cur())) {
        Parsed value = parse_star_expressions();
        reject_bare_starred(value);
        stmt->value = std::move(value.expr);
    }
    return stmt;
}

StmtPtr Parser::parse_raise() {
    Token kw = advance();
    auto stmt = make_node<RaiseStmt>(kw.loc);
    if (starts_expression(cur())) {
        stmt->exc = parse_expression().expr;
        if (accept(TokenKind::KwFrom)) stmt->cause = parse_expression().expr;
    }
    return stmt;
}

StmtPtr Parser::parse_delete() {
    Token kw = advance();
    auto stmt = make_node<DeleteStmt>(kw.loc);
    do {
        if (!stmt->targets.empty() && !starts_expression(cur())) break;  // trailing comma
        Parsed target = parse_target_element();
        to_target(*target.expr, ExprContext::Del, TargetUse::Delete);
        stmt->targets.push_back(std::move(target.expr));
    } while (accept(TokenKind::Comma));
    return stmt;
}

StmtPtr Parser::parse_assert() {
    Token kw = advance();
    auto stmt = make_node<AssertStmt>(kw.loc);
    stmt->test = parse_expression().expr;
    if (accept(TokenKind::Comma)) stmt->msg = parse_expression().expr;
    return stmt;
}

std::string Parser::parse_dotted_name() {
    std::string name(expect_name().text);
    while (accept(TokenKind::Dot)) {
        name += '.';
        name += expect_name().text;
    }
    return name;
}

StmtPtr Parser::parse_import() {
    Token kw = advance();
    auto stmt = make_node<ImportStmt>(kw.loc);
    do {
        Alias alias;
        alias.name = parse_dotted_name();
        if (accept(TokenKind::KwAs)) alias.asname = std::string(expect_name().text);
        stmt->names.push_back(std::move(alias));
    } while (accept(TokenKind::Comma));
    return stmt;
}

StmtPtr Parser::parse_from_import() {
    Token kw = advance();
    auto stmt = make_node<ImportFromStmt>(kw.loc);
    if (at(TokenKind::Dot) || at(TokenKind::Ellipsis)) fail(cur().loc, "relative imports are not supported");
    Location module_loc = cur().loc;
    stmt->module = parse_dotted_name();
    if (stmt->module == "__future__") fail(module_loc, "__future__ imports are not supported");
    expect(TokenKind::KwImport);
    if (at(TokenKind::Star)) fail(cur().loc, "star imports are not supported");
    bool parens = accept(TokenKind::LPar);
    do {
        if (parens && at(TokenKind::RPar) && !stmt->names.empty()) break;  // trailing comma
        if (!parens && at(TokenKind::Newline) && !stmt->names.empty())
            fail(cur().loc, "trailing comma not allowed without surrounding parentheses");
        Alias alias;
        alias.name = std::string(expect_name().text);
        if (accept(TokenKind::KwAs)) alias.asname = std::string(expect_name().text);
        stmt->names.push_back(std::move(alias));
    } while (accept(TokenKind::Comma));
    if (parens) expect(TokenKind::RPar);
    return stmt;
}

StmtPtr Parser::parse_names(StmtKind kind) {
    Token kw = advance();
    if (kind == StmtKind::Nonlocal && scopes_.size() == 1)
        defer(kw.loc, "nonlocal declaration not allowed at module level", Stage::Symtable);
    auto stmt = make_node<NamesStmt>(kind, kw.loc);
    do stmt->names.emplace_back(expect_name().text);
    while (accept(TokenKind::Comma));
    return stmt;
}

}  // namespace spindle::script
