// Turning raw file bytes into the text the lexer reads, and the small UTF-8
// helpers the lexer and string decoding share.
#include <cctype>
#include <string>

#include "script/lexer.hpp"

namespace spindle::script {
namespace {

[[noreturn]] void fail_line(int line, std::string message) {
    throw SyntaxErrorAt{Location{line, 0}, std::move(message)};
}

// Length of the UTF-8 sequence at s[pos], or 0 if it is malformed (overlong
// forms, surrogates and code points past U+10FFFF included, as Python's codec).
std::size_t utf8_sequence_length(std::string_view s, std::size_t pos) {
    auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    auto cont = [&](std::size_t i) { return (byte(i) & 0xC0) == 0x80; };
    unsigned b0 = byte(pos);
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(pos + 1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        unsigned b1 = byte(pos + 1);
        if (!cont(pos + 1) || !cont(pos + 2)) return 0;
        if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
        if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        unsigned b1 = byte(pos + 1);
        if (!cont(pos + 1) || !cont(pos + 2) || !cont(pos + 3)) return 0;
        if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
        if (b0 == 0xF4 && b1 >= 0x90) return 0;  // past U+10FFFF
        return 4;
    }
    return 0;
}

// The encoding named by a PEP 263 cookie on `line`, or "" if there is none.
std::string coding_cookie(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
    if (i >= line.size() || line[i] != '#') return "";
    std::size_t at = line.find("coding", i);
    while (at != std::string_view::npos) {
        std::size_t j = at + 6;
        if (j < line.size() && (line[j] == ':' || line[j] == '=')) {
            ++j;
            while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
            std::string name;
            while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '-' ||
                                       line[j] == '_' || line[j] == '.'))
                name += line[j++];
            if (!name.empty()) return name;
        }
        at = line.find("coding", at + 1);
    }
    return "";
}

bool is_blank_or_comment(std::string_view line) {
    for (char c : line) {
        if (c == '#') return true;
        if (c != ' ' && c != '\t' && c != '\f') return false;
    }
    return true;
}

// CPython honours a coding cookie on line 1, or on line 2 after a comment or
// blank line 1. Another encoding would give the same bytes another meaning.
void check_coding_cookies(std::string_view text) {
    std::size_t end1 = text.find('\n');
    std::string_view line1 = text.substr(0, end1);
    for (int line = 1; line <= 2; ++line) {
        std::string_view l = line1;
        if (line == 2) {
            if (end1 == std::string_view::npos || !is_blank_or_comment(line1)) return;
            l = text.substr(end1 + 1);
            l = l.substr(0, l.find('\n'));
        }
        std::string name = coding_cookie(l);
        if (name.empty()) continue;
        for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "utf-8" || name == "utf8" || name.rfind("utf-8-", 0) == 0) return;
        fail_line(line, "source encodings other than UTF-8 are not supported");
    }
}

}  // namespace

std::string prepare_source(std::string_view raw) {
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    std::string out;
    out.reserve(raw.size() + 1);
    int line = 1;
    for (std::size_t i = 0; i < raw.size();) {
        char c = raw[i];
        if (c == '\0') fail_line(line, "source code cannot contain null bytes");
        if (c == '\r') {
            out += '\n';
            ++line;
            i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        std::size_t n = utf8_sequence_length(raw, i);
        if (n == 0) fail_line(line, "invalid UTF-8");
        if (c == '\n') ++line;
        out.append(raw.substr(i, n));
        i += n;
    }
    check_coding_cookies(out);
    return out;
}

char32_t decode_utf8(std::string_view s, std::size_t& pos) {
    auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
    char32_t c = b(pos);
    if (c < 0x80) {
        pos += 1;
        return c;
    }
    if (c < 0xE0) {
        char32_t r = ((c & 0x1F) << 6) | (b(pos + 1) & 0x3F);
        pos += 2;
        return r;
    }
    if (c < 0xF0) {
        char32_t r = ((c & 0x0F) << 12) | ((b(pos + 1) & 0x3F) << 6) | (b(pos + 2) & 0x3F);
        pos += 3;
        return r;
    }
    char32_t r = ((c & 0x07) << 18) | ((b(pos + 1) & 0x3F) << 12) | ((b(pos + 2) & 0x3F) << 6) | (b(pos + 3) & 0x3F);
    pos += 4;
    return r;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace spindle::script
