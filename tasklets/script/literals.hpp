// Values of number and string tokens. The lexer has already checked their
// shape, so these only convert (and reject what the subset cannot hold).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "script/ast.hpp"

namespace spindle::script {

struct StringToken {
    bool raw = false;
    bool formatted = false;   // f-string
    std::string_view body;    // between the quotes
    int body_line = 0;        // line where the body starts
    int body_column = 0;
};

// Splits a String token's text into prefix flags and body.
StringToken split_string_token(std::string_view text, Location loc);

bool number_is_float(std::string_view text);
// False if the value does not fit in int64.
bool parse_int_literal(std::string_view text, std::int64_t& out);
double parse_float_literal(std::string_view text);

// Processes backslash escapes as CPython does for str literals (unknown
// escapes keep their backslash). Throws SyntaxErrorAt at `loc` for escapes
// that are malformed or name a character our UTF-8 strings cannot hold.
std::string decode_string_body(std::string_view body, bool raw, Location loc);

}  // namespace spindle::script
