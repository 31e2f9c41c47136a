// Number and string literal values.
#include "script/literals.hpp"

#include <charconv>
#include <algorithm>
#include <limits>

#include "script/lexer.hpp"

namespace spindle::script {
namespace {

std::string without_underscores(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        if (c != '_') out += c;
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void escape_error(Location loc, std::size_t first, std::size_t last, const std::string& what) {
    throw SyntaxErrorAt{loc, "(unicode error) 'unicodeescape' codec can't decode bytes in position " +
                                 std::to_string(first) + "-" + std::to_string(last) + ": " + what};
}

// \xhh, \uXXXX, \UXXXXXXXX: exactly `digits` hex digits at body[i].
char32_t hex_escape(std::string_view body, std::size_t& i, int digits, Location loc) {
    char32_t value = 0;
    for (int k = 0; k < digits; ++k, ++i) {
        int v = i < body.size() ? hex_value(body[i]) : -1;
        if (v < 0) {
            const char* names[] = {"", "", "truncated \\xXX escape", "", "truncated \\uXXXX escape", "", "", "",
                                   "truncated \\UXXXXXXXX escape"};
            escape_error(loc, i - static_cast<std::size_t>(k) - 2, i - 1, names[digits]);
        }
        value = value * 16 + static_cast<char32_t>(v);
    }
    return value;
}

void append_code_point(std::string& out, char32_t cp, Location loc, std::size_t first = 0, std::size_t last = 0) {
    if (cp > 0x10FFFF) escape_error(loc, first, last, "illegal Unicode character");
    if (cp >= 0xD800 && cp <= 0xDFFF)
        throw SyntaxErrorAt{loc, "surrogate code points in string literals are not supported"};
    append_utf8(out, cp);
}

// One escape sequence; body[i] is the character after the backslash.
void decode_escape(std::string_view body, std::size_t& i, std::string& out, Location loc) {
    char c = body[i++];
    switch (c) {
        case '\n': return;  // backslash-newline continues the literal
        case '\\': out += '\\'; return;
        case '\'': out += '\''; return;
        case '"': out += '"'; return;
        case 'a': out += '\a'; return;
        case 'b': out += '\b'; return;
        case 'f': out += '\f'; return;
        case 'n': out += '\n'; return;
        case 'r': out += '\r'; return;
        case 't': out += '\t'; return;
        case 'v': out += '\v'; return;
        case 'x': append_code_point(out, hex_escape(body, i, 2, loc), loc); return;
        case 'u': append_code_point(out, hex_escape(body, i, 4, loc), loc); return;
        case 'U': {
            char32_t cp = hex_escape(body, i, 8, loc);
            append_code_point(out, cp, loc, i - 10, i - 1);
            return;
        }
        case 'N': throw SyntaxErrorAt{loc, "\\N{...} escapes are not supported"};
        default: break;
    }
    if (c >= '0' && c <= '7') {
        char32_t value = static_cast<char32_t>(c - '0');
        for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k)
            value = value * 8 + static_cast<char32_t>(body[i++] - '0');
        append_code_point(out, value, loc);
        return;
    }
    out += '\\';  // unknown escape: CPython keeps it (with a DeprecationWarning)
    --i;
}

}  // namespace

StringToken split_string_token(std::string_view text, Location loc) {
    StringToken st;
    std::size_t p = 0;
    while (text[p] != '\'' && text[p] != '"') {
        char c = static_cast<char>(text[p] | 0x20);
        if (c == 'r') st.raw = true;
        if (c == 'f') st.formatted = true;
        ++p;
    }
    char q = text[p];
    std::size_t quote_len = (text.size() - p >= 6 && text[p + 1] == q && text[p + 2] == q) ? 3 : 1;
    st.body = text.substr(p + quote_len, text.size() - p - 2 * quote_len);
    st.body_line = loc.line;
    st.body_column = loc.column + static_cast<int>(p + quote_len);
    return st;
}

bool number_is_float(std::string_view text) {
    if (text.size() > 1 && text[0] == '0' && std::string_view("xXoObB").find(text[1]) != std::string_view::npos)
        return false;
    return text.find_first_of(".eE") != std::string_view::npos;
}

bool parse_int_literal(std::string_view text, std::int64_t& out) {
    std::string digits = without_underscores(text);
    int base = 10;
    std::size_t skip = 0;
    if (digits.size() > 1 && digits[0] == '0') {
        char k = static_cast<char>(digits[1] | 0x20);
        if (k == 'x') base = 16;
        if (k == 'o') base = 8;
        if (k == 'b') base = 2;
        if (base != 10) skip = 2;
    }
    const char* first = digits.data() + skip;
    const char* last = digits.data() + digits.size();
    auto [ptr, ec] = std::from_chars(first, last, out, base);
    return ec == std::errc() && ptr == last;
}

double parse_float_literal(std::string_view text) {
    std::string digits = without_underscores(text);
    double value = 0.0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec != std::errc::result_out_of_range) return value;
    // CPython gives inf for too large and 0.0 for too small: the decimal
    // exponent of the leading significant digit tells which.
    std::size_t e = std::min(digits.find_first_of("eE"), digits.size());
    long exponent = 0;
    if (e < digits.size()) {
        std::size_t from = e + 1 + (digits[e + 1] == '+' ? 1 : 0);
        auto r = std::from_chars(digits.data() + from, digits.data() + digits.size(), exponent);
        if (r.ec == std::errc::result_out_of_range) exponent = digits[e + 1] == '-' ? -100000 : 100000;
    }
    std::size_t dot = std::min(digits.find('.'), e);
    std::size_t first = digits.find_first_not_of("0.");
    long lead = first < dot ? static_cast<long>(dot - first - 1) : -static_cast<long>(first - dot);
    return lead + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

std::string decode_string_body(std::string_view body, bool raw, Location loc) {
    std::string out;
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size();) {
        char c = body[i++];
        if (c != '\\' || raw) {
            out += c;
            if (c == '\\' && i < body.size()) out += body[i++];  // raw: backslash keeps the next char
            continue;
        }
        if (i >= body.size()) {
            out += '\\';
            break;
        }
        decode_escape(body, i, out, loc);
    }
    return out;
}

}  // namespace spindle::script
