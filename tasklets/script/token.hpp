// Token kinds of Spindle's Python subset, defined once as X-macro lists so
// that the enum, the spellings used in error messages and the keyword table
// cannot drift apart.
#pragma once

#include <cstdint>
#include <string_view>

#include "script/ast.hpp"

namespace spindle::script {

// X(Enumerator, "spelling")
#define SPINDLE_TOKEN_BASIC(X)      \
    X(EndMarker, "end of file")     \
    X(Newline, "newline")           \
    X(Indent, "indent")             \
    X(Dedent, "dedent")             \
    X(Name, "name")                 \
    X(Number, "number")             \
    X(String, "string")

#define SPINDLE_TOKEN_OPERATORS(X) \
    X(LPar, "(")                   \
    X(RPar, ")")                   \
    X(LSqb, "[")                   \
    X(RSqb, "]")                   \
    X(LBrace, "{")                 \
    X(RBrace, "}")                 \
    X(Colon, ":")                  \
    X(Comma, ",")                  \
    X(Semi, ";")                   \
    X(Dot, ".")                    \
    X(Ellipsis, "...")             \
    X(Plus, "+")                   \
    X(Minus, "-")                  \
    X(Star, "*")                   \
    X(DoubleStar, "**")            \
    X(Slash, "/")                  \
    X(DoubleSlash, "//")           \
    X(Percent, "%")                \
    X(At, "@")                     \
    X(Amper, "&")                  \
    X(VBar, "|")                   \
    X(Circumflex, "^")             \
    X(Tilde, "~")                  \
    X(LeftShift, "<<")             \
    X(RightShift, ">>")            \
    X(Less, "<")                   \
    X(Greater, ">")                \
    X(LessEqual, "<=")             \
    X(GreaterEqual, ">=")          \
    X(EqEqual, "==")               \
    X(NotEqual, "!=")              \
    X(Equal, "=")                  \
    X(Arrow, "->")                 \
    X(ColonEqual, ":=")            \
    X(PlusEqual, "+=")             \
    X(MinusEqual, "-=")            \
    X(StarEqual, "*=")             \
    X(DoubleStarEqual, "**=")      \
    X(SlashEqual, "/=")            \
    X(DoubleSlashEqual, "//=")     \
    X(PercentEqual, "%=")          \
    X(AtEqual, "@=")               \
    X(AmperEqual, "&=")            \
    X(VBarEqual, "|=")             \
    X(CircumflexEqual, "^=")       \
    X(LeftShiftEqual, "<<=")       \
    X(RightShiftEqual, ">>=")

// Hard keywords (soft keywords such as `match` stay Name tokens).
#define SPINDLE_TOKEN_KEYWORDS(X) \
    X(KwFalse, "False")           \
    X(KwNone, "None")             \
    X(KwTrue, "True")             \
    X(KwAnd, "and")               \
    X(KwAs, "as")                 \
    X(KwAssert, "assert")         \
    X(KwAsync, "async")           \
    X(KwAwait, "await")           \
    X(KwBreak, "break")           \
    X(KwClass, "class")           \
    X(KwContinue, "continue")     \
    X(KwDef, "def")               \
    X(KwDel, "del")               \
    X(KwElif, "elif")             \
    X(KwElse, "else")             \
    X(KwExcept, "except")         \
    X(KwFinally, "finally")       \
    X(KwFor, "for")               \
    X(KwFrom, "from")             \
    X(KwGlobal, "global")         \
    X(KwIf, "if")                 \
    X(KwImport, "import")         \
    X(KwIn, "in")                 \
    X(KwIs, "is")                 \
    X(KwLambda, "lambda")         \
    X(KwNonlocal, "nonlocal")     \
    X(KwNot, "not")               \
    X(KwOr, "or")                 \
    X(KwPass, "pass")             \
    X(KwRaise, "raise")           \
    X(KwReturn, "return")         \
    X(KwTry, "try")               \
    X(KwWhile, "while")           \
    X(KwWith, "with")             \
    X(KwYield, "yield")

#define SPINDLE_TOKEN_ALL(X) SPINDLE_TOKEN_BASIC(X) SPINDLE_TOKEN_OPERATORS(X) SPINDLE_TOKEN_KEYWORDS(X)

enum class TokenKind : std::uint8_t {
#define SPINDLE_TOKEN_ENUM(name, spelling) name,
    SPINDLE_TOKEN_ALL(SPINDLE_TOKEN_ENUM)
#undef SPINDLE_TOKEN_ENUM
};

// "(" for operators, "if" for keywords, "name"/"newline"/... for the rest.
std::string_view token_spelling(TokenKind kind);
// The enumerator's name ("LPar", "KwIf"), for token dumps in tests.
std::string_view token_kind_name(TokenKind kind);
bool is_keyword(TokenKind kind);
// The hard keyword spelled `word`, if it is one.
bool keyword_kind(std::string_view word, TokenKind& out);

struct Token {
    TokenKind kind = TokenKind::EndMarker;
    Location loc;           // start of the token
    std::string_view text;  // exact source text (empty for Indent/Dedent/EndMarker)
};

}  // namespace spindle::script
