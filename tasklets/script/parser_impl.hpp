// Internals of the recursive-descent parser, shared by parser.cpp
// (statements), parser_expr.cpp (expressions, targets, arguments) and
// parser_strings.cpp (string literals and f-strings).
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "script/ast.hpp"
#include "script/lexer.hpp"
#include "script/parser.hpp"

namespace spindle::script {

// An expression under construction with the height of its tree, which the
// parser tracks so that no tree deeper than kMaxExprHeight is ever built.
struct Parsed {
    ExprPtr expr;
    int height = 0;

    Expr* operator->() const { return expr.get(); }
    explicit operator bool() const { return expr != nullptr; }
};

// Where a target is being bound, for CPython's error messages.
enum class TargetUse { Assign, Other, Delete };

class Parser {
public:
    // `source` must be prepared (prepare_source) and outlive the parser.
    Parser(std::string_view source, Location first, int nesting);

    Module parse_module(std::string filename);
    Parsed parse_fstring_expression();  // "(expr)" wrapped text of an f-string field
    // After the parser failed with `error`: CPython then tokenizes the rest of
    // the file, and a tokenizer error there wins; so does "'(' was never
    // closed" when the parser had read past the line of that bracket.
    SyntaxErrorAt prefer_tokenizer_error(SyntaxErrorAt error);

private:
    // ---- tokens (parser.cpp)
    const Token& peek(std::size_t ahead = 0);
    const Token& cur() { return peek(0); }
    Token advance();
    bool at(TokenKind kind) { return cur().kind == kind; }
    bool accept(TokenKind kind);
    Token expect(TokenKind kind, const char* message = nullptr);
    Token expect_name();
    [[noreturn]] void fail(Location loc, std::string message);
    [[noreturn]] void syntax_error();  // at the current token
    // Errors CPython finds after parsing (symtable, then compiler): kept until
    // the whole file parsed, so that any syntax error takes precedence.
    enum class Stage { Symtable, Compiler };
    void defer(Location loc, std::string message, Stage stage);
    void adopt_deferred(Parser& sub);
    void throw_deferred();

    // ---- statements (parser.cpp)
    void parse_statement(Body& body);
    void parse_simple_statements(Body& body);
    StmtPtr parse_simple_statement();
    void parse_block(Body& body, const char* what, Location header);
    bool at_match_statement();
    StmtPtr parse_if(bool elif);
    StmtPtr parse_while();
    StmtPtr parse_for();
    StmtPtr parse_with();
    void parse_with_items(WithStmt& stmt, bool parenthesized);
    StmtPtr parse_try();
    ExceptHandler parse_except_clause();
    StmtPtr parse_def();
    StmtPtr parse_class();
    StmtPtr parse_expression_statement();
    StmtPtr parse_return();
    StmtPtr parse_raise();
    StmtPtr parse_delete();
    StmtPtr parse_assert();
    StmtPtr parse_import();
    StmtPtr parse_from_import();
    std::string parse_dotted_name();
    StmtPtr parse_names(StmtKind kind);
    StmtPtr parse_loop_control(StmtKind kind);

    // ---- expressions (parser_expr.cpp)
    Parsed parse_star_expressions();
    Parsed parse_star_element();
    Parsed parse_expression();
    Parsed parse_lambda();
    Parsed parse_disjunction();
    Parsed parse_conjunction();
    Parsed parse_inversion();
    Parsed parse_comparison();
    Parsed parse_binary(int min_level);
    Parsed parse_factor();
    Parsed parse_power();
    Parsed parse_primary();
    Parsed parse_atom();
    Parsed parse_paren();
    Parsed parse_list();
    Parsed parse_brace();
    Parsed parse_dict_rest(Location start, Parsed first_key, Parsed first_value);
    Parsed parse_comprehension(ExprKind kind, Location start, Parsed elt, Parsed value = {});
    Parsed parse_call(Parsed func, Location start);
    Parsed parse_subscript(Parsed value, Location start);
    Parsed parse_slice();
    Parsed parse_target_list(TargetUse use);
    Parsed parse_target_element();
    void parse_parameters(Arguments& args, TokenKind closer, bool allow_annotations, int& height);
    bool starts_expression(const Token& t) const;
    void expect_closer(TokenKind closer);
    void reject_bare_starred(const Parsed& p);
    void to_target(Expr& e, ExprContext ctx, TargetUse use);
    Parsed finish(ExprPtr e, int height);
    void check_assignable_name(const std::string& name, Location loc, ExprContext ctx);

    // ---- strings (parser_strings.cpp)
    Parsed parse_strings();
    std::size_t parse_fstring_body(std::string_view body, std::size_t i, bool raw, Location loc, int nesting_level,
                            std::vector<ExprPtr>& values, std::string& pending, int& height);
    std::size_t parse_fstring_field(std::string_view body, std::size_t open, bool raw, Location loc,
                                    int nesting_level, std::vector<ExprPtr>& values, int& height);

    // ---- scope bookkeeping for break/continue/return
    struct Scope {
        bool function = false;
        int loops = 0;
    };

    Lexer lexer_;
    std::deque<Token> ahead_;
    bool lexer_failed_ = false;  // the pending error came from the tokenizer
    int last_line_ = 0;          // line of the furthest token read
    std::optional<SyntaxErrorAt> deferred_[2];  // by Stage
    std::vector<Scope> scopes_{Scope{}};
    int nesting_;        // recursion counter shared with f-string sub-parsers
    int stmt_nesting_ = 0;
    struct BodyCursor {
        std::string_view body;
        Location start;
        std::size_t offset = 0;
        Location loc;
    };
    Location offset_location(std::string_view body, std::size_t offset, Location body_start);
    BodyCursor body_cursor_;
    Location string_loc_;  // CPython gives every part of an f-string the literal's location

    friend struct NestingGuard;
};

// Counts one level of recursion; throws "too deeply nested" past the limit.
struct NestingGuard {
    NestingGuard(Parser& p, Location loc);
    ~NestingGuard() { --parser.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
    Parser& parser;
};

// CPython's name for an expression kind in "cannot assign to ..." messages.
std::string expression_description(const Expr& e);

template <class T, class... A>
std::unique_ptr<T> make_node(A&&... args) {
    return std::make_unique<T>(std::forward<A>(args)...);
}

}  // namespace spindle::script
