// String literals: adjacent concatenation and f-strings. As in CPython 3.11
// an f-string is one String token whose replacement fields are found here
// and whose expressions are parsed by a nested Parser over "(expr)".
#include <algorithm>

#include "script/literals.hpp"
#include "script/parser_impl.hpp"

namespace spindle::script {
namespace {

ExprPtr string_constant(Location loc, std::string value) {
    auto c = make_node<ConstantExpr>(loc, ConstantKind::Str);
    c->str_value = std::move(value);
    return c;
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f'; });
}

// Finds where the expression of a replacement field ends (at '!', ':', '=',
// or '}' outside brackets and quotes), as CPython's fstring_find_expr does.
[[noreturn]] void fstring_error(Location loc, std::string message) { throw SyntaxErrorAt{loc, std::move(message)}; }

std::size_t find_expression_end(std::string_view body, std::size_t i, Location loc) {
    std::string brackets;
    char quote = 0;
    bool triple = false;
    auto fail = [&](const std::string& message) { fstring_error(loc, message); };
    for (; i < body.size(); ++i) {
        char c = body[i];
        if (c == '\\') fail("f-string expression part cannot include a backslash");
        if (quote) {
            if (c != quote) continue;
            if (!triple) {
                quote = 0;
            } else if (body.substr(i, 3) == std::string(3, quote)) {
                quote = 0;
                i += 2;
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            triple = body.substr(i, 3) == std::string(3, c);
            if (triple) i += 2;
            continue;
        }
        if (c == '[' || c == '(' || c == '{') {
            if (brackets.size() >= static_cast<std::size_t>(kMaxParenDepth)) fail("f-string: too many nested parenthesis");
            brackets += c;
            continue;
        }
        if (c == '#') fail("f-string expression part cannot include '#'");
        if (brackets.empty() && (c == '!' || c == ':' || c == '}' || c == '=' || c == '<' || c == '>')) {
            bool two_char = i + 1 < body.size() && body[i + 1] == '=' && c != ':' && c != '}';
            if (two_char) {
                ++i;  // != == <= >=
                continue;
            }
            if (c == '<' || c == '>') continue;
            return i;
        }
        if (c == ']' || c == ')' || c == '}') {
            if (brackets.empty()) fail(std::string("f-string: unmatched '") + c + "'");
            char open = brackets.back();
            char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
            if (c != expected)
                fail(std::string("f-string: closing parenthesis '") + c + "' does not match opening parenthesis '" +
                     open + "'");
            brackets.pop_back();
        }
    }
    if (quote) fstring_error(loc, "f-string: unterminated string");
    if (!brackets.empty()) fstring_error(loc, std::string("f-string: unmatched '") + brackets.back() + "'");
    fstring_error(loc, "f-string: expecting '}'");
}

}  // namespace

// Location of body[offset]. Lookups mostly move forward through one body, so
// the cursor is kept between calls to stay linear on huge f-strings.
Location Parser::offset_location(std::string_view body, std::size_t offset, Location body_start) {
    BodyCursor& c = body_cursor_;
    if (c.body.data() != body.data() || c.start.line != body_start.line || c.start.column != body_start.column ||
        offset < c.offset) {
        c = BodyCursor{body, body_start, 0, body_start};
    }
    for (; c.offset < offset && c.offset < body.size(); ++c.offset) {
        char ch = body[c.offset];
        if (ch == '\n') {
            ++c.loc.line;
            c.loc.column = 0;
        } else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) {
            ++c.loc.column;
        }
    }
    return c.loc;
}

Parsed Parser::parse_strings() {
    Location start = cur().loc;
    string_loc_ = start;
    std::vector<ExprPtr> values;
    std::string pending;
    bool formatted = false;
    int height = 0;
    while (at(TokenKind::String)) {
        Token t = advance();
        StringToken st = split_string_token(t.text, t.loc);
        Location body_loc{st.body_line, st.body_column};
        if (!st.formatted) {
            pending += decode_string_body(st.body, st.raw, t.loc);
            continue;
        }
        formatted = true;
        parse_fstring_body(st.body, 0, st.raw, body_loc, 0, values, pending, height);
    }
    if (!formatted) return finish(string_constant(start, std::move(pending)), 1);
    if (!pending.empty()) values.push_back(string_constant(start, std::move(pending)));
    auto joined = make_node<JoinedStrExpr>(start);
    joined->values = std::move(values);
    return finish(std::move(joined), std::max(height, 1) + 1);
}

// Literal text and replacement fields of an f-string body from `i`. At level
// 0 it runs to the end of the body; inside a format spec (level 1) it stops
// at the '}' that closes the field and returns that index. Literal text is
// accumulated in `pending` so adjacent pieces merge as in CPython.
std::size_t Parser::parse_fstring_body(std::string_view body, std::size_t i, bool raw, Location loc, int level,
                                       std::vector<ExprPtr>& values, std::string& pending, int& height) {
    std::string literal;
    auto flush_literal = [&] {
        pending += decode_string_body(literal, raw, offset_location(body, i, loc));
        literal.clear();
    };
    while (i < body.size()) {
        char c = body[i];
        bool doubled = level == 0 && i + 1 < body.size() && body[i + 1] == c;
        if ((c == '{' || c == '}') && doubled) {
            literal += c;
            i += 2;
            continue;
        }
        if (c == '}') {
            if (level > 0) break;
            fail(offset_location(body, i, loc), "f-string: single '}' is not allowed");
        }
        if (c == '{') {
            flush_literal();
            if (!pending.empty()) values.push_back(string_constant(string_loc_, std::move(pending)));
            pending.clear();
            i = parse_fstring_field(body, i, raw, loc, level, values, height);
            continue;
        }
        if (c == '\\' && !raw && i + 1 < body.size()) {
            // Keep escape pairs together so "\\{" stays a backslash and a field.
            if (body[i + 1] == 'N') fail(offset_location(body, i, loc), "\\N{...} escapes are not supported");
            if (body[i + 1] == '\\') {
                literal += "\\\\";
                i += 2;
                continue;
            }
        }
        literal += c;
        ++i;
    }
    flush_literal();
    return i;
}

// One "{expr!c:spec}" field starting at body[open] == '{'; returns the index
// after its closing '}'.
std::size_t Parser::parse_fstring_field(std::string_view body, std::size_t open, bool raw, Location loc, int level,
                                        std::vector<ExprPtr>& values, int& height) {
    Location field_loc = offset_location(body, open, loc);
    if (level >= 2) fail(field_loc, "f-string: expressions nested too deeply");
    std::size_t end = find_expression_end(body, open + 1, field_loc);
    std::string_view text = body.substr(open + 1, end - open - 1);
    if (is_blank(text)) fail(field_loc, "f-string: empty expression not allowed");
    if (body[end] == '=') fail(field_loc, "self-documenting f-string expressions (x=) are not supported");

    Location expr_loc = offset_location(body, open + 1, loc);
    std::string wrapped = "(" + std::string(text) + ")";
    Parsed value;
    {
        // The '(' we add sits where the '{' is, as in CPython's own wrapping.
        Parser sub(wrapped, Location{expr_loc.line, expr_loc.column - 1}, nesting_);
        sub.scopes_.back().function = scopes_.back().function;
        try {
            value = sub.parse_fstring_expression();
            adopt_deferred(sub);
        } catch (SyntaxErrorAt& e) {
            if (e.message == "invalid syntax") e.message = "f-string: invalid syntax";
            throw;
        }
    }
    auto fv = make_node<FormattedValueExpr>(string_loc_);
    int h = value.height;
    fv->value = std::move(value.expr);

    std::size_t i = end;
    auto expecting = [&] { fail(field_loc, "f-string: expecting '}'"); };
    if (body[i] == '!') {
        if (++i >= body.size()) expecting();
        char conv = body[i];
        if (conv != 's' && conv != 'r' && conv != 'a')
            fail(field_loc, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        fv->conversion = conv;
        ++i;
        if (i >= body.size() || (body[i] != ':' && body[i] != '}')) expecting();
    }
    if (i < body.size() && body[i] == ':') {
        std::vector<ExprPtr> spec_values;
        std::string spec_pending;
        int spec_height = 0;
        i = parse_fstring_body(body, i + 1, raw, loc, level + 1, spec_values, spec_pending, spec_height);
        if (!spec_pending.empty()) spec_values.push_back(string_constant(string_loc_, std::move(spec_pending)));
        auto spec = make_node<JoinedStrExpr>(string_loc_);
        spec->values = std::move(spec_values);
        fv->format_spec = std::move(spec);
        h = std::max(h, std::max(spec_height, 1) + 1);
    }
    if (i >= body.size() || body[i] != '}') expecting();
    height = std::max(height, h + 1);
    values.push_back(std::move(fv));
    return i + 1;
}

// The body of a nested parser: one parenthesized expression, then the end.
Parsed Parser::parse_fstring_expression() {
    Parsed value = parse_star_expressions();
    if (!at(TokenKind::Newline)) syntax_error();
    advance();
    if (!at(TokenKind::EndMarker)) syntax_error();
    return value;
}

}  // namespace spindle::script
