// Tokens for the tricky parts of Python's lexical rules, literal values and
// reprs, and source-level checks (encoding, NULs, BOM, newlines).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "script/ast_dump.hpp"
#include "script/lexer.hpp"
#include "script/literals.hpp"

namespace spindle::script {
namespace {

struct TokenCase {
    const char* source;
    const char* tokens;
};

void expect_tokens(const TokenCase* cases, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        SCOPED_TRACE(cases[i].source);
        EXPECT_EQ(dump_tokens(cases[i].source), cases[i].tokens);
    }
}

TEST(Lexer, Indentation) {
    const TokenCase cases[] = {
        {"if x:\n    y\nz\n", "KwIf Name 'x' Colon Newline Indent Name 'y' Newline Dedent Name 'z' Newline EndMarker"},
        // Blank lines and comment-only lines never change indentation.
        {"if x:\n\n    # note\n  \n    y\n", "KwIf Name 'x' Colon Newline Indent Name 'y' Newline Dedent EndMarker"},
        // Several dedents at once, and at end of input without a newline.
        {"a:\n b:\n  c", "Name 'a' Colon Newline Indent Name 'b' Colon Newline Indent Name 'c' Newline Dedent Dedent EndMarker"},
        {"a\n  b\n    c\nd\n",
         "Name 'a' Newline Indent Name 'b' Newline Indent Name 'c' Newline Dedent Dedent Name 'd' Newline EndMarker"},
        // A tab counts to the next multiple of 8: "\t" and 8 spaces agree...
        {"if x:\n\ty\n\tz\n", "KwIf Name 'x' Colon Newline Indent Name 'y' Newline Name 'z' Newline Dedent EndMarker"},
        // ...but mixing them so that the meaning depends on the tab size is a TabError.
        {"if x:\n\ty\n        z\n",
         "KwIf Name 'x' Colon Newline Indent Name 'y' Newline error 3: inconsistent use of tabs and spaces in indentation"},
        {"if x:\n    y\n  z\n",
         "KwIf Name 'x' Colon Newline Indent Name 'y' Newline error 3: unindent does not match any outer indentation level"},
        // Form feed resets the column.
        {"if x:\n    y\n\fz\n", "KwIf Name 'x' Colon Newline Indent Name 'y' Newline Dedent Name 'z' Newline EndMarker"},
        {"", "EndMarker"},
        {"\n\n# only a comment", "EndMarker"},
        {"x  # trailing comment", "Name 'x' Newline EndMarker"},
    };
    expect_tokens(cases, std::size(cases));
}

TEST(Lexer, LineJoining) {
    const TokenCase cases[] = {
        // Newlines and indentation inside brackets are ignored.
        {"f(a,\n        b)\n", "Name 'f' LPar Name 'a' Comma Name 'b' RPar Newline EndMarker"},
        {"x = [\n1,\n  2]\n", "Name 'x' Equal LSqb Number '1' Comma Number '2' RSqb Newline EndMarker"},
        // Backslash continuation joins lines; the next line's indent is irrelevant.
        {"x = 1 + \\\n        2\n", "Name 'x' Equal Number '1' Plus Number '2' Newline EndMarker"},
        {"x = 1 \\ 2", "Name 'x' Equal Number '1' error 1: unexpected character after line continuation character"},
        {"x = \\", "Name 'x' Equal error 1: unexpected EOF while parsing"},
        {"x = (1,\n2\n", "Name 'x' Equal LPar Number '1' Comma Number '2' error 1: '(' was never closed"},
        {"x)", "Name 'x' error 1: unmatched ')'"},
        {"(\n]", "LPar error 2: closing parenthesis ']' does not match opening parenthesis '(' on line 1"},
        {"{)", "LBrace error 1: closing parenthesis ')' does not match opening parenthesis '{'"},
    };
    expect_tokens(cases, std::size(cases));
}

TEST(Lexer, NamesKeywordsOperators) {
    const TokenCase cases[] = {
        {"match case _ print", "Name 'match' Name 'case' Name '_' Name 'print' Newline EndMarker"},
        {"if not None in is", "KwIf KwNot KwNone KwIn KwIs Newline EndMarker"},
        {"a**=b//=c>>=d<<=e", "Name 'a' DoubleStarEqual Name 'b' DoubleSlashEqual Name 'c' RightShiftEqual Name 'd' "
                              "LeftShiftEqual Name 'e' Newline EndMarker"},
        {"a->b:=c!=d...e", "Name 'a' Arrow Name 'b' ColonEqual Name 'c' NotEqual Name 'd' Ellipsis Name 'e' Newline EndMarker"},
        {"x.y", "Name 'x' Dot Name 'y' Newline EndMarker"},
        {"x = $", "Name 'x' Equal error 1: invalid syntax"},
        {"x = !", "Name 'x' Equal error 1: invalid syntax"},
        {"\xc3\xa9t\xc3\xa9 = 1", "Name '\xc3\xa9t\xc3\xa9' Equal Number '1' Newline EndMarker"},
        {"\xce\xb1\xce\xb2", "Name '\xce\xb1\xce\xb2' Newline EndMarker"},
        {"x\xe2\x82\xac", "Name 'x' error 1: invalid character '\xe2\x82\xac' (U+20AC)"},
        {"\xe2\x80\x8b", "error 1: invalid non-printable character U+200B"},
        // U+FB01 (the "fi" ligature) is NFKC-normalized by CPython to "fi".
        {"\xef\xac\x81 = 1", "error 1: identifier character U+FB01 is not supported (it is not in NFKC normal form or may combine)"},
    };
    expect_tokens(cases, std::size(cases));
}

TEST(Lexer, Numbers) {
    const TokenCase cases[] = {
        {"1_000 0x_Ff 0o17 0b1010 00 0_0", "Number '1_000' Number '0x_Ff' Number '0o17' Number '0b1010' Number '00' "
                                           "Number '0_0' Newline EndMarker"},
        {"1. .5 1e-3 1_000.5 1E+10 07.5 0e5", "Number '1.' Number '.5' Number '1e-3' Number '1_000.5' Number '1E+10' "
                                             "Number '07.5' Number '0e5' Newline EndMarker"},
        // A number may run straight into a keyword that can follow it.
        {"1if x else 2", "Number '1' KwIf Name 'x' KwElse Number '2' Newline EndMarker"},
        {"1else", "Number '1' KwElse Newline EndMarker"},
        {"1_", "error 1: invalid decimal literal"},
        {"1__0", "error 1: invalid decimal literal"},
        {"1abc", "error 1: invalid decimal literal"},
        {"1.real", "error 1: invalid decimal literal"},
        {"1e", "error 1: invalid decimal literal"},
        {"1e+", "error 1: invalid decimal literal"},
        {"0x", "error 1: invalid hexadecimal literal"},
        {"0x1_", "error 1: invalid hexadecimal literal"},
        {"0b102", "error 1: invalid digit '2' in binary literal"},
        {"0o8", "error 1: invalid digit '8' in octal literal"},
        {"0o", "error 1: invalid octal literal"},
        {"07", "error 1: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"},
        {"1j", "error 1: complex numbers are not supported"},
        {"1.5J", "error 1: complex numbers are not supported"},
        {"0x10j", "error 1: invalid hexadecimal literal"},
    };
    expect_tokens(cases, std::size(cases));
}

TEST(Lexer, Strings) {
    const TokenCase cases[] = {
        {"'a' \"b\" '''c''' \"\"\"d\"\"\"", "String ''a'' String '\"b\"' String ''''c'''' String '\"\"\"d\"\"\"' Newline EndMarker"},
        {"r'\\'' R\"x\" u'y' f'{a}' rf'z' Fr'w'", "String 'r'\\''' String 'R\"x\"' String 'u'y'' String 'f'{a}'' "
                                                "String 'rf'z'' String 'Fr'w'' Newline EndMarker"},
        // An f-string is one token, quotes of the other kind inside included.
        {"f\"{d['k']!r:>{w}}\"", "String 'f\"{d['k']!r:>{w}}\"' Newline EndMarker"},
        {"'''a\nb''' x", "String ''''a\nb'''' Name 'x' Newline EndMarker"},
        {"'a\\\nb'", "String ''a\\\nb'' Newline EndMarker"},
        {"ur'x'", "Name 'ur' String ''x'' Newline EndMarker"},
        {"x = 'abc", "Name 'x' Equal error 1: unterminated string literal (detected at line 1)"},
        {"x = 'abc\ny'", "Name 'x' Equal error 1: unterminated string literal (detected at line 1)"},
        {"\n'''abc\n\n", "error 2: unterminated triple-quoted string literal (detected at line 3)"},
        {"r'\\'", "error 1: unterminated string literal (detected at line 1)"},
        {"b'x'", "error 1: bytes literals are not supported"},
        {"Rb'x'", "error 1: bytes literals are not supported"},
    };
    expect_tokens(cases, std::size(cases));
}

TEST(Lexer, SourceChecks) {
    EXPECT_EQ(dump_tokens("\xEF\xBB\xBFx"), "Name 'x' Newline EndMarker");
    EXPECT_EQ(dump_tokens("x\r\ny\rz"), "Name 'x' Newline Name 'y' Newline Name 'z' Newline EndMarker");
    EXPECT_EQ(dump_tokens(std::string("x = 1\ny\0", 8)), "error 2: source code cannot contain null bytes");
    EXPECT_EQ(dump_tokens("x = '\xff'"), "error 1: invalid UTF-8");
    EXPECT_EQ(dump_tokens("\n\n'\xed\xa0\x80'"), "error 3: invalid UTF-8");  // an encoded surrogate
    EXPECT_EQ(dump_tokens("'\xc0\x80'"), "error 1: invalid UTF-8");          // overlong
    EXPECT_EQ(dump_tokens("'\xf4\x90\x80\x80'"), "error 1: invalid UTF-8");  // past U+10FFFF
    EXPECT_EQ(dump_tokens("'\xe2\x82'"), "error 1: invalid UTF-8");          // truncated
    EXPECT_EQ(dump_tokens("# -*- coding: utf-8 -*-\nx"), "Name 'x' Newline EndMarker");
    EXPECT_EQ(dump_tokens("#!/usr/bin/env python\n# coding=UTF8\nx"), "Name 'x' Newline EndMarker");
    EXPECT_EQ(dump_tokens("# coding: latin-1\nx"), "error 1: source encodings other than UTF-8 are not supported");
    EXPECT_EQ(dump_tokens("#!python\n# vim: set fileencoding=cp1252 :\n"),
              "error 2: source encodings other than UTF-8 are not supported");
    // A cookie on line 2 counts only after a comment or blank line 1.
    EXPECT_EQ(dump_tokens("x\n# coding: latin-1\n"), "Name 'x' Newline EndMarker");
}

TEST(Lexer, Limits) {
    std::string parens(kMaxParenDepth, '(');
    EXPECT_EQ(dump_tokens(parens + "(").substr(dump_tokens(parens + "(").rfind("error")),
              "error 1: too many nested parentheses");
    std::string deep;
    for (int i = 0; i <= kMaxIndentLevels; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    std::string tokens = dump_tokens(deep + std::string(kMaxIndentLevels + 1, ' ') + "pass\n");
    EXPECT_EQ(tokens.substr(tokens.rfind("error")), "error 101: too many levels of indentation");
}

TEST(Literals, Integers) {
    std::int64_t v = 0;
    EXPECT_TRUE(parse_int_literal("9223372036854775807", v));
    EXPECT_EQ(v, std::numeric_limits<std::int64_t>::max());
    EXPECT_FALSE(parse_int_literal("9223372036854775808", v));
    EXPECT_TRUE(parse_int_literal("0x7fff_ffff_ffff_ffff", v));
    EXPECT_EQ(v, std::numeric_limits<std::int64_t>::max());
    EXPECT_FALSE(parse_int_literal("0xFFFFFFFFFFFFFFFF", v));
    EXPECT_TRUE(parse_int_literal("0o17", v));
    EXPECT_EQ(v, 15);
    EXPECT_TRUE(parse_int_literal("0B1_0", v));
    EXPECT_EQ(v, 2);
    EXPECT_TRUE(parse_int_literal("000", v));
    EXPECT_EQ(v, 0);
    EXPECT_FALSE(number_is_float("0x1e"));
    EXPECT_TRUE(number_is_float("1e5"));
}

TEST(Literals, Floats) {
    EXPECT_EQ(parse_float_literal("1_000.5"), 1000.5);
    EXPECT_EQ(parse_float_literal(".5"), 0.5);
    EXPECT_EQ(parse_float_literal("1."), 1.0);
    EXPECT_TRUE(std::isinf(parse_float_literal("1e400")));
    EXPECT_TRUE(std::isinf(parse_float_literal("1e99999999999999999999")));
    EXPECT_EQ(parse_float_literal("1e-400"), 0.0);
    EXPECT_EQ(parse_float_literal("0.000001e-99999999999999999999"), 0.0);
    EXPECT_EQ(parse_float_literal("5e-324"), 5e-324);
    EXPECT_EQ(parse_float_literal("12345678901234567890e-330"), 12345678901234567890e-330);
}

TEST(Literals, FloatRepr) {
    // Python's repr(): shortest round trip, positional for exponents in [-4, 16).
    const std::pair<double, const char*> cases[] = {
        {1.0, "1.0"},          {0.1, "0.1"},         {100.0, "100.0"},     {1e16, "1e+16"},
        {1.5e16, "1.5e+16"},   {1e15, "1000000000000000.0"},               {0.0001, "0.0001"},
        {0.00001, "1e-05"},    {-0.0, "-0.0"},       {-2.5, "-2.5"},       {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},               {123456789.123, "123456789.123"},
        {std::numeric_limits<double>::infinity(), "inf"},                  {0.1 + 0.2, "0.30000000000000004"},
    };
    for (auto& [value, text] : cases) EXPECT_EQ(python_float_repr(value), text);
}

TEST(Literals, StrRepr) {
    EXPECT_EQ(python_str_repr("abc"), "'abc'");
    EXPECT_EQ(python_str_repr("it's"), "\"it's\"");
    EXPECT_EQ(python_str_repr("'\""), "'\\'\"'");
    EXPECT_EQ(python_str_repr("a\nb\t\\\x01\x7f"), "'a\\nb\\t\\\\\\x01\\x7f'");
    EXPECT_EQ(python_str_repr("\xc3\xa9\xe2\x80\x8b"), "'\xc3\xa9\\u200b'");
}

TEST(Literals, Escapes) {
    Location loc{1, 0};
    EXPECT_EQ(decode_string_body("a\\n\\t\\\\\\'\\\"", false, loc), "a\n\t\\'\"");
    EXPECT_EQ(decode_string_body("\\x41\\101\\u00e9\\U0001F600", false, loc), "AA\xc3\xa9\xf0\x9f\x98\x80");
    EXPECT_EQ(decode_string_body("\\777", false, loc), "\xc7\xbf");  // octal escapes go up to U+01FF
    EXPECT_EQ(decode_string_body("\\q\\d", false, loc), "\\q\\d");  // unknown escapes keep the backslash
    EXPECT_EQ(decode_string_body("a\\\nb", false, loc), "ab");
    EXPECT_EQ(decode_string_body("\\n\\'", true, loc), "\\n\\'");
    auto error_of = [&](std::string_view body) {
        try {
            decode_string_body(body, false, loc);
        } catch (const SyntaxErrorAt& e) {
            return e.message;
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of("\\x4"), "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape");
    EXPECT_EQ(error_of("ab\\u12"), "(unicode error) 'unicodeescape' codec can't decode bytes in position 2-5: truncated \\uXXXX escape");
    EXPECT_EQ(error_of("\\U00110000"), "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character");
    EXPECT_EQ(error_of("\\N{DASH}"), "\\N{...} escapes are not supported");
    EXPECT_EQ(error_of("\\ud800"), "surrogate code points in string literals are not supported");
}

}  // namespace
}  // namespace spindle::script
