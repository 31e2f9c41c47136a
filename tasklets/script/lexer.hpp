// Tokenizer for Spindle's Python subset. It follows CPython 3.11's tokenizer
// (Parser/tokenizer.c) for everything the subset accepts: INDENT/DEDENT with
// tab stops of 8 plus the tab-size-1 consistency check, implicit joining
// inside brackets, backslash continuation, and number/string token shapes.
// Tokens are produced on demand so that the first error in source order is
// the one reported, as CPython does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "script/token.hpp"

namespace spindle::script {

// Thrown by the lexer and parser; parse() turns it into a CompileError.
struct SyntaxErrorAt {
    Location loc;
    std::string message;
};

// Limits that keep hostile input from exhausting the C++ stack (CPython's
// tokenizer has the same two: MAXLEVEL and MAXINDENT).
inline constexpr int kMaxParenDepth = 200;
inline constexpr int kMaxIndentLevels = 100;

// Checks raw file bytes (no NULs, valid UTF-8, no foreign coding cookie),
// drops a leading BOM and turns \r\n and \r into \n as CPython's universal
// newline reading does. Throws SyntaxErrorAt.
std::string prepare_source(std::string_view raw);

class Lexer {
public:
    // `source` must come from prepare_source and outlive the lexer.
    // first_line/first_column place a nested source (an f-string field) in
    // its file: columns on the first line are shifted by first_column.
    explicit Lexer(std::string_view source, int first_line = 1, int first_column = 0);
    Token next();  // throws SyntaxErrorAt
    // The last error was "'(' was never closed" at the end of the input.
    bool unclosed_at_end() const noexcept { return unclosed_at_end_; }
    // Accept what CPython's tokenizer accepts (bytes, complex numbers, any
    // identifier): for scanning the rest of a file only for CPython's errors.
    void set_lenient() noexcept { lenient_ = true; }

private:
    struct OpenBracket {
        char ch;
        Location loc;
    };

    Token scan_token();
    bool handle_line_start(Token& out);
    bool measure_indent(int& col, int& altcol);
    Token indent_change(int col, int altcol);
    void skip_blanks_and_comments();
    Token at_end_of_input();
    Token scan_name_or_string();
    Token scan_number();
    Token scan_string(std::size_t start, std::size_t prefix_len);
    Token scan_operator();
    void open_bracket(char ch, Location loc);
    void close_bracket(char ch, Location loc);

    // Number pieces (CPython's tok_decimal_tail and friends).
    void scan_digits(bool (*is_digit)(char), const char* kind);
    void scan_decimal_tail();
    void scan_exponent_and_suffix();
    void verify_end_of_number(const char* kind);
    void reject_imaginary();

    Location loc_at(std::size_t pos);
    void newline_at(std::size_t pos);  // pos is the '\n' just consumed
    Token make(TokenKind kind, std::size_t start);
    [[noreturn]] void fail(std::size_t pos, std::string message);
    [[noreturn]] void fail_at(Location loc, std::string message);
    char peek(std::size_t ahead = 0) const;

    std::string_view src_;
    std::size_t pos_ = 0;
    int line_;
    int first_line_;
    int first_column_;
    std::size_t line_start_ = 0;
    std::size_t col_cache_pos_ = 0;  // column counting is incremental: linear on long lines
    int col_cache_chars_ = 0;

    std::vector<int> indents_{0};
    std::vector<int> altindents_{0};
    int pending_dedents_ = 0;
    bool at_line_start_ = true;
    bool line_has_tokens_ = false;
    bool finished_ = false;
    std::vector<OpenBracket> brackets_;
    bool unclosed_at_end_ = false;
    bool lenient_ = false;
};

// "Name 'x' Equal Number '1' Newline EndMarker", or the tokens up to an error
// followed by "error 3: message". For tests.
std::string dump_tokens(std::string_view raw_source);

// Unicode identifier classification (unicode_tables.cpp, generated from
// CPython 3.11's unicodedata by gen_unicode_tables.py).
enum IdentifierClass : unsigned { kIdStart = 1, kIdContinue = 2, kIdNotNormalized = 4, kNotPrintable = 8 };
unsigned identifier_class(char32_t cp);

// Decodes one UTF-8 sequence at s[pos] (input already validated).
char32_t decode_utf8(std::string_view s, std::size_t& pos);
void append_utf8(std::string& out, char32_t cp);
// Python's str.isprintable() for one code point (unicode_tables.cpp).
bool is_printable(char32_t cp);

}  // namespace spindle::script
