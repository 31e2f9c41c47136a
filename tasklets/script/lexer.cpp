// The tokenizer. Layout: token tables; line starts and indentation; the main
// scanner; names and strings; numbers; operators and brackets; dump_tokens.
#include "script/lexer.hpp"

#include <array>
#include <cstdio>

namespace spindle::script {
namespace {

struct KindInfo {
    std::string_view name;
    std::string_view spelling;
};

constexpr KindInfo kKindInfo[] = {
#define SPINDLE_TOKEN_INFO(name, spelling) {#name, spelling},
    SPINDLE_TOKEN_ALL(SPINDLE_TOKEN_INFO)
#undef SPINDLE_TOKEN_INFO
};

constexpr TokenKind kFirstKeyword = TokenKind::KwFalse;

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }
bool is_binary_digit(char c) { return c == '0' || c == '1'; }
bool is_ascii_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || is_ascii_digit(c);
}
// CPython's is_potential_identifier_char: any non-ASCII byte counts.
bool is_potential_identifier_char(char c) { return is_ascii_name_char(c) || static_cast<unsigned char>(c) >= 0x80; }

bool is_string_prefix(std::string_view word) {
    if (word.size() > 2) return false;
    std::string lower;
    for (char c : word) lower += static_cast<char>(c | 0x20);
    return lower == "r" || lower == "u" || lower == "f" || lower == "b" || lower == "br" || lower == "rb" ||
           lower == "fr" || lower == "rf";
}

std::string code_point_label(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace

std::string_view token_spelling(TokenKind kind) { return kKindInfo[static_cast<int>(kind)].spelling; }
std::string_view token_kind_name(TokenKind kind) { return kKindInfo[static_cast<int>(kind)].name; }
bool is_keyword(TokenKind kind) { return kind >= kFirstKeyword; }

bool keyword_kind(std::string_view word, TokenKind& out) {
    constexpr int first = static_cast<int>(kFirstKeyword);
    constexpr int count = static_cast<int>(std::size(kKindInfo));
    for (int i = first; i < count; ++i) {
        if (kKindInfo[i].spelling == word) {
            out = static_cast<TokenKind>(i);
            return true;
        }
    }
    return false;
}

// ------------------------------------------------------------------ basics

Lexer::Lexer(std::string_view source, int first_line, int first_column)
    : src_(source), line_(first_line), first_line_(first_line), first_column_(first_column) {}

char Lexer::peek(std::size_t ahead) const {
    std::size_t at = pos_ + ahead;
    return at < src_.size() ? src_[at] : '\0';
}

Location Lexer::loc_at(std::size_t pos) {
    // At the end of input after a final newline, CPython's tokenizer is still
    // on the last line it read (no further line was fetched).
    if (pos >= src_.size() && !src_.empty() && src_.back() == '\n' && line_ > first_line_ && line_start_ == src_.size())
        return Location{line_ - 1, 0};
    if (col_cache_pos_ < line_start_ || pos < col_cache_pos_) {
        col_cache_pos_ = line_start_;
        col_cache_chars_ = 0;
    }
    for (; col_cache_pos_ < pos; ++col_cache_pos_) {
        if ((static_cast<unsigned char>(src_[col_cache_pos_]) & 0xC0) != 0x80) ++col_cache_chars_;
    }
    return Location{line_, col_cache_chars_ + (line_ == first_line_ ? first_column_ : 0)};
}

void Lexer::newline_at(std::size_t pos) {
    ++line_;
    line_start_ = pos + 1;
}

void Lexer::fail(std::size_t pos, std::string message) { fail_at(loc_at(pos), std::move(message)); }

void Lexer::fail_at(Location loc, std::string message) { throw SyntaxErrorAt{loc, std::move(message)}; }

Token Lexer::make(TokenKind kind, std::size_t start) {
    line_has_tokens_ = true;
    return Token{kind, loc_at(start), src_.substr(start, pos_ - start)};
}

// ------------------------------------------------------ line starts, indents

// Measures the indentation at pos_ (CPython: col with tabs to multiples of 8,
// altcol with tabs as 1, a form feed resets both). Returns false for a line
// that holds nothing but blanks or a comment: such lines never indent.
bool Lexer::measure_indent(int& col, int& altcol) {
    col = altcol = 0;
    for (;; ++pos_) {
        char c = peek();
        if (c == ' ') {
            ++col;
            ++altcol;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            ++altcol;
        } else if (c == '\f') {
            col = altcol = 0;
        } else {
            break;
        }
    }
    char c = peek();
    return !(c == '#' || c == '\n' || c == '\0');
}

Token Lexer::indent_change(int col, int altcol) {
    Location here = loc_at(pos_);
    const char* tab_error = "inconsistent use of tabs and spaces in indentation";
    if (col > indents_.back()) {
        if (static_cast<int>(indents_.size()) >= kMaxIndentLevels) fail_at(here, "too many levels of indentation");
        if (altcol <= altindents_.back()) fail_at(here, tab_error);
        indents_.push_back(col);
        altindents_.push_back(altcol);
        return Token{TokenKind::Indent, here, {}};
    }
    int popped = 0;
    while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        altindents_.pop_back();
        ++popped;
    }
    if (col != indents_.back()) fail_at(here, "unindent does not match any outer indentation level");
    if (altcol != altindents_.back()) fail_at(here, tab_error);
    pending_dedents_ = popped - 1;
    return Token{TokenKind::Dedent, here, {}};
}

// At the start of a logical line: skips blank lines and returns an INDENT or
// DEDENT token in `out` when the indentation changes.
bool Lexer::handle_line_start(Token& out) {
    for (;;) {
        int col = 0, altcol = 0;
        if (!measure_indent(col, altcol)) {
            skip_blanks_and_comments();
            if (peek() != '\n') {
                at_line_start_ = false;  // end of input: let the scanner finish
                return false;
            }
            newline_at(pos_++);
            continue;
        }
        at_line_start_ = false;
        if (col == indents_.back()) {
            if (altcol != altindents_.back())
                fail(pos_, "inconsistent use of tabs and spaces in indentation");
            return false;
        }
        out = indent_change(col, altcol);
        return true;
    }
}

void Lexer::skip_blanks_and_comments() {
    for (;;) {
        char c = peek();
        if (c == ' ' || c == '\t' || c == '\f') {
            ++pos_;
        } else if (c == '#') {
            while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
        } else {
            return;
        }
    }
}

// -------------------------------------------------------------- the scanner

Token Lexer::next() {
    for (;;) {
        if (pending_dedents_ > 0) {
            --pending_dedents_;
            return Token{TokenKind::Dedent, loc_at(pos_), {}};
        }
        if (finished_) return Token{TokenKind::EndMarker, loc_at(pos_), {}};
        if (at_line_start_ && brackets_.empty()) {
            Token t;
            if (handle_line_start(t)) return t;
        }
        skip_blanks_and_comments();
        char c = peek();
        if (c == '\0') return at_end_of_input();
        if (c == '\n') {
            std::size_t at = pos_++;
            Location loc = loc_at(at);
            newline_at(at);
            if (!brackets_.empty()) continue;  // implicit line joining
            at_line_start_ = true;
            if (!line_has_tokens_) continue;
            line_has_tokens_ = false;
            return Token{TokenKind::Newline, loc, src_.substr(at, 1)};
        }
        if (c == '\\') {
            if (peek(1) == '\n') {
                newline_at(pos_ + 1);
                pos_ += 2;
                if (peek() == '\0') fail(pos_, "unexpected EOF while parsing");
                continue;
            }
            if (peek(1) == '\0') fail(pos_, "unexpected EOF while parsing");
            fail(pos_, "unexpected character after line continuation character");
        }
        return scan_token();
    }
}

Token Lexer::at_end_of_input() {
    if (!brackets_.empty()) {
        const OpenBracket& open = brackets_.back();
        unclosed_at_end_ = true;
        fail_at(open.loc, std::string("'") + open.ch + "' was never closed");
    }
    Location here = loc_at(pos_);
    if (line_has_tokens_) {
        line_has_tokens_ = false;
        return Token{TokenKind::Newline, here, {}};
    }
    pending_dedents_ = static_cast<int>(indents_.size()) - 1;
    indents_.resize(1);
    altindents_.resize(1);
    finished_ = true;
    return next();
}

Token Lexer::scan_token() {
    char c = peek();
    if (is_ascii_name_char(c) && !is_ascii_digit(c)) return scan_name_or_string();
    if (static_cast<unsigned char>(c) >= 0x80) return scan_name_or_string();
    if (is_ascii_digit(c) || (c == '.' && is_ascii_digit(peek(1)))) return scan_number();
    if (c == '\'' || c == '"') return scan_string(pos_, 0);
    return scan_operator();
}

// ---------------------------------------------------------- names, strings

Token Lexer::scan_name_or_string() {
    std::size_t start = pos_;
    bool ascii = true;
    bool first = true;
    while (pos_ < src_.size()) {
        char c = src_[pos_];
        if (is_ascii_name_char(c)) {
            ++pos_;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            std::size_t at = pos_;
            std::size_t next = pos_;
            char32_t cp = decode_utf8(src_, next);
            unsigned cls = identifier_class(cp);
            if (!(cls & (first ? kIdStart : kIdContinue))) {
                if (!first) break;
                std::string shown;
                append_utf8(shown, cp);
                fail(at, is_printable(cp) ? "invalid character '" + shown + "' (" + code_point_label(cp) + ")"
                                   : "invalid non-printable character " + code_point_label(cp));
            }
            if ((cls & kIdNotNormalized) && !lenient_)
                fail(at, "identifier character " + code_point_label(cp) +
                             " is not supported (it is not in NFKC normal form or may combine)");
            ascii = false;
            pos_ = next;
        } else {
            break;
        }
        first = false;
    }
    std::string_view word = src_.substr(start, pos_ - start);
    char q = peek();
    if ((q == '\'' || q == '"') && ascii && is_string_prefix(word)) return scan_string(start, word.size());
    TokenKind kind = TokenKind::Name;
    if (ascii) keyword_kind(word, kind);
    return make(kind, start);
}

// pos_ is at the opening quote; the prefix (if any) starts at `start`.
Token Lexer::scan_string(std::size_t start, std::size_t prefix_len) {
    Location start_loc = loc_at(start);
    for (std::size_t i = 0; i < prefix_len; ++i) {
        if ((src_[start + i] | 0x20) == 'b' && !lenient_) fail_at(start_loc, "bytes literals are not supported");
    }
    char quote = peek();
    bool triple = peek(1) == quote && peek(2) == quote;
    pos_ += triple ? 3 : 1;
    for (;;) {
        char c = peek();
        if (c == '\0') {
            std::string what = triple ? "unterminated triple-quoted string literal" : "unterminated string literal";
            fail_at(start_loc, what + " (detected at line " + std::to_string(loc_at(pos_).line) + ")");
        }
        if (c == '\\') {
            ++pos_;
            if (peek() == '\n') newline_at(pos_);
            if (peek() != '\0') ++pos_;
            continue;
        }
        if (c == '\n') {
            if (!triple)
                fail_at(start_loc, "unterminated string literal (detected at line " + std::to_string(line_) + ")");
            newline_at(pos_++);
            continue;
        }
        ++pos_;
        if (c != quote) continue;
        if (!triple) break;
        if (peek() == quote && peek(1) == quote) {
            pos_ += 2;
            break;
        }
    }
    line_has_tokens_ = true;
    return Token{TokenKind::String, start_loc, src_.substr(start, pos_ - start)};
}

// ------------------------------------------------------------------ numbers

// Consumes digits separated by single underscores; pos_ is at a digit.
void Lexer::scan_digits(bool (*is_digit)(char), const char* kind) {
    for (;;) {
        while (is_digit(peek())) ++pos_;
        if (peek() != '_') return;
        ++pos_;
        if (!is_digit(peek())) fail(pos_, std::string("invalid ") + kind + " literal");
    }
}

void Lexer::scan_decimal_tail() { scan_digits(is_ascii_digit, "decimal"); }

// CPython lets a number run into one of the keywords that may follow it in
// valid code ("1if x else y"); any other name character is an error.
void Lexer::verify_end_of_number(const char* kind) {
    auto follows = [&](std::string_view word) { return src_.substr(pos_, word.size()) == word; };
    char c = peek();
    bool keyword = (c == 'a' && follows("and")) || (c == 'e' && follows("else")) || (c == 'f' && follows("for")) ||
                   (c == 'i' && (follows("if") || follows("in") || follows("is"))) || (c == 'n' && follows("not")) ||
                   (c == 'o' && follows("or"));
    if (!keyword && is_potential_identifier_char(c)) fail(pos_, std::string("invalid ") + kind + " literal");
}

void Lexer::reject_imaginary() {
    if (peek() != 'j' && peek() != 'J') return;
    if (!lenient_) fail(pos_, "complex numbers are not supported");
    ++pos_;
}

// After the integer part of a decimal number: fraction, exponent, suffix.
void Lexer::scan_exponent_and_suffix() {
    if (peek() == 'e' || peek() == 'E') {
        char sign = peek(1);
        if (sign == '+' || sign == '-') {
            if (!is_ascii_digit(peek(2))) fail(pos_, "invalid decimal literal");
            pos_ += 2;
            scan_decimal_tail();
        } else if (is_ascii_digit(sign)) {
            ++pos_;
            scan_decimal_tail();
        } else {
            // "1else": the number ends before the 'e'.
            verify_end_of_number("decimal");
            return;
        }
    }
    reject_imaginary();
    verify_end_of_number("decimal");
}

Token Lexer::scan_number() {
    std::size_t start = pos_;
    auto radix = [&](bool (*is_digit)(char), const char* kind) {
        pos_ += 2;
        if (peek() == '_') ++pos_;
        if (!is_digit(peek())) {
            if (is_ascii_digit(peek()) && is_digit != is_hex_digit)
                fail(pos_, std::string("invalid digit '") + peek() + "' in " + kind + " literal");
            fail(pos_, std::string("invalid ") + kind + " literal");
        }
        scan_digits(is_digit, kind);
        if (is_ascii_digit(peek()) && is_digit != is_hex_digit)
            fail(pos_, std::string("invalid digit '") + peek() + "' in " + kind + " literal");
        verify_end_of_number(kind);
        return make(TokenKind::Number, start);
    };
    char c1 = static_cast<char>(peek(1) | 0x20);
    if (peek() == '0' && c1 == 'x') return radix(is_hex_digit, "hexadecimal");
    if (peek() == '0' && c1 == 'o') return radix(is_octal_digit, "octal");
    if (peek() == '0' && c1 == 'b') return radix(is_binary_digit, "binary");
    if (peek() == '.') {
        ++pos_;
        scan_decimal_tail();
        scan_exponent_and_suffix();
        return make(TokenKind::Number, start);
    }
    bool leading_zero = peek() == '0';
    scan_decimal_tail();
    bool is_float = peek() == '.' || peek() == 'e' || peek() == 'E' || peek() == 'j' || peek() == 'J';
    if (peek() == '.') {
        ++pos_;
        if (is_ascii_digit(peek())) scan_decimal_tail();
    }
    if (leading_zero && !is_float) {
        // "00" and "0_0" are zero; "07" was an octal literal in Python 2.
        std::string_view digits = src_.substr(start, pos_ - start);
        if (digits.find_first_not_of("0_") != std::string_view::npos)
            fail(start, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    }
    scan_exponent_and_suffix();
    return make(TokenKind::Number, start);
}

// ------------------------------------------------------ operators, brackets

void Lexer::open_bracket(char ch, Location loc) {
    if (static_cast<int>(brackets_.size()) >= kMaxParenDepth) fail_at(loc, "too many nested parentheses");
    brackets_.push_back(OpenBracket{ch, loc});
}

void Lexer::close_bracket(char ch, Location loc) {
    if (brackets_.empty()) fail_at(loc, std::string("unmatched '") + ch + "'");
    OpenBracket open = brackets_.back();
    char expected = open.ch == '(' ? ')' : open.ch == '[' ? ']' : '}';
    if (ch != expected) {
        std::string msg = std::string("closing parenthesis '") + ch + "' does not match opening parenthesis '" +
                          open.ch + "'";
        if (open.loc.line != loc.line) msg += " on line " + std::to_string(open.loc.line);
        fail_at(loc, msg);
    }
    brackets_.pop_back();
}

Token Lexer::scan_operator() {
    // Longest match first; the table is small enough to scan linearly.
    static constexpr std::array<TokenKind, 3> kBrackets{TokenKind::LPar, TokenKind::LSqb, TokenKind::LBrace};
    constexpr int first = static_cast<int>(TokenKind::LPar);
    constexpr int last = static_cast<int>(TokenKind::RightShiftEqual);
    std::size_t start = pos_;
    TokenKind best = TokenKind::EndMarker;
    std::size_t best_len = 0;
    for (int i = first; i <= last; ++i) {
        std::string_view s = kKindInfo[i].spelling;
        if (s.size() > best_len && src_.substr(pos_, s.size()) == s) {
            best = static_cast<TokenKind>(i);
            best_len = s.size();
        }
    }
    if (best_len == 0) {
        char c = peek();
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) fail(pos_, "invalid non-printable character " + code_point_label(u));
        fail(pos_, "invalid syntax");
    }
    Location loc = loc_at(start);
    pos_ += best_len;
    for (TokenKind open : kBrackets) {
        if (best == open) open_bracket(src_[start], loc);
    }
    if (best == TokenKind::RPar || best == TokenKind::RSqb || best == TokenKind::RBrace)
        close_bracket(src_[start], loc);
    return make(best, start);
}

// -------------------------------------------------------------- dump_tokens

std::string dump_tokens(std::string_view raw_source) {
    std::string out;
    try {
        std::string source = prepare_source(raw_source);
        Lexer lexer(source);
        for (;;) {
            Token t = lexer.next();
            if (!out.empty()) out += ' ';
            out += token_kind_name(t.kind);
            if (t.kind == TokenKind::Name || t.kind == TokenKind::Number || t.kind == TokenKind::String) {
                out += " '";
                out += t.text;
                out += "'";
            }
            if (t.kind == TokenKind::EndMarker) break;
        }
    } catch (const SyntaxErrorAt& e) {
        if (!out.empty()) out += ' ';
        out += "error " + std::to_string(e.loc.line) + ": " + e.message;
    }
    return out;
}

}  // namespace spindle::script
