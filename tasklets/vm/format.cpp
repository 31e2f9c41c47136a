// Text of values: repr/str, CPython's float repr, the format mini-language
// (f-strings, format(), str.format) and printf-style `%` formatting.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "script/lexer.hpp"
#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

// Shortest round-trip digits of a finite, non-zero |d|: "12345" and the
// decimal exponent of the first digit (d = 1.2345 * 10^exponent).
void shortest_digits(double d, std::string& digits, int& exponent) {
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(d), std::chars_format::scientific);
    std::string s(buffer, result.ptr);
    const std::size_t e = s.find('e');
    exponent = std::stoi(s.substr(e + 1));
    digits.clear();
    for (std::size_t i = 0; i < e; ++i) {
        if (s[i] != '.') digits += s[i];
    }
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

std::string exponent_suffix(int exponent) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
    return buffer;
}

void append_repr_string(std::string& out, std::string_view s) {
    const bool has_single = s.find('\'') != std::string_view::npos;
    const bool has_double = s.find('"') != std::string_view::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    out += quote;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '\\': out += "\\\\"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            default: break;
        }
        if (c == static_cast<unsigned char>(quote)) {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            out += buffer;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            // Non-ASCII: kept if printable, else escaped as unicode_repr does.
            const std::size_t start = i;
            const char32_t cp = script::decode_utf8(s, i);
            if (script::is_printable(cp)) {
                out.append(s.data() + start, i - start);
            } else {
                char buffer[16];
                if (cp <= 0xff) std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(cp));
                else if (cp <= 0xffff) std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(cp));
                else std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(cp));
                out += buffer;
            }
            --i;  // the loop's ++i
        }
    }
    out += quote;
}

std::string address_of(const void* p) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "0x%012llx", static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(p)));
    return buffer;
}

}  // namespace

std::string Interpreter::float_repr(double d) const {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
    std::string digits;
    int exponent;
    shortest_digits(d, digits, exponent);
    std::string out = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += exponent_suffix(exponent);
        return out;
    }
    if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out += digits;
        return out;
    }
    const std::size_t point = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= point) {
        out += digits;
        out.append(point - digits.size(), '0');
        out += ".0";
    } else {
        out += digits.substr(0, point);
        out += '.';
        out += digits.substr(point);
    }
    return out;
}

namespace {

// Guards against infinite recursion when a container contains itself.
struct ReprGuard {
    std::unordered_set<const Obj*>& active;
    const Obj* object;
    bool entered;
    ReprGuard(std::unordered_set<const Obj*>& a, const Obj* o) : active(a), object(o), entered(a.insert(o).second) {}
    ~ReprGuard() {
        if (entered) active.erase(object);
    }
};
thread_local std::unordered_set<const Obj*> g_repr_active;

}  // namespace

bool Interpreter::repr(Value v, std::string& out) {
    switch (v.tag) {
        case Tag::None: out += "None"; return true;
        case Tag::Undef: out += "<undefined>"; return true;
        case Tag::Bool: out += v.b ? "True" : "False"; return true;
        case Tag::Int: out += std::to_string(v.i); return true;
        case Tag::Float: out += float_repr(v.f); return true;
        case Tag::Obj: break;
    }
    if (v.identical(not_implemented_)) {
        out += "NotImplemented";
        return true;
    }
    Obj* o = v.o;
    switch (o->kind) {
        case ObjKind::Str: append_repr_string(out, static_cast<StrObj*>(o)->view()); return true;
        case ObjKind::List:
        case ObjKind::Tuple: {
            const bool list = o->kind == ObjKind::List;
            ReprGuard guard(g_repr_active, o);
            if (!guard.entered) {
                out += list ? "[...]" : "(...)";
                return true;
            }
            // Copy: a __repr__ called below may mutate the list.
            tracked_vector<Value> items = list ? static_cast<ListObj*>(o)->items : static_cast<TupleObj*>(o)->items;
            out += list ? '[' : '(';
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += ", ";
                if (!repr(items[i], out)) return false;
            }
            if (!list && items.size() == 1) out += ',';
            out += list ? ']' : ')';
            return true;
        }
        case ObjKind::Dict: {
            ReprGuard guard(g_repr_active, o);
            if (!guard.entered) {
                out += "{...}";
                return true;
            }
            tracked_vector<Table::Entry> entries = static_cast<DictObj*>(o)->table.entries;
            out += '{';
            bool first = true;
            for (const auto& e : entries) {
                if (e.deleted) continue;
                if (!first) out += ", ";
                first = false;
                if (!repr(e.key, out)) return false;
                out += ": ";
                if (!repr(e.value, out)) return false;
            }
            out += '}';
            return true;
        }
        case ObjKind::Set: {
            auto* set = static_cast<SetObj*>(o);
            const char* const name = set->frozen ? "frozenset" : "set";
            if (set->used == 0) {
                out += std::string(name) + "()";
                return true;
            }
            ReprGuard guard(g_repr_active, o);
            if (!guard.entered) {
                out += std::string(name) + "(...)";
                return true;
            }
            tracked_vector<Value> items;
            set_items_in_order(set, items);
            if (set->frozen) out += "frozenset(";
            out += '{';
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += ", ";
                if (!repr(items[i], out)) return false;
            }
            out += '}';
            if (set->frozen) out += ')';
            return true;
        }
        case ObjKind::Range: {
            auto* r = static_cast<RangeObj*>(o);
            out += "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
            if (r->step != 1) out += ", " + std::to_string(r->step);
            out += ')';
            return true;
        }
        case ObjKind::Slice: {
            auto* s = static_cast<SliceObj*>(o);
            out += "slice(";
            if (!repr(s->start, out)) return false;
            out += ", ";
            if (!repr(s->stop, out)) return false;
            out += ", ";
            if (!repr(s->step, out)) return false;
            out += ')';
            return true;
        }
        case ObjKind::Function:
            out += "<function " + std::string(static_cast<FunctionObj*>(o)->qualname->view()) + " at " + address_of(o) + ">";
            return true;
        case ObjKind::Native: {
            auto* n = static_cast<NativeObj*>(o);
            if (n->self.is_none()) out += "<built-in function " + std::string(n->name->view()) + ">";
            else out += "<built-in method " + std::string(n->name->view()) + " of " + type_name(n->self) + " object at " + address_of(n->self.is_obj() ? n->self.o : nullptr) + ">";
            return true;
        }
        case ObjKind::BoundMethod: {
            auto* m = static_cast<BoundMethodObj*>(o);
            std::string self;
            if (!repr(m->self, self)) return false;
            const std::string name = m->function.is_obj() && m->function.o->kind == ObjKind::Function
                                         ? std::string(static_cast<FunctionObj*>(m->function.o)->qualname->view())
                                         : "?";
            out += "<bound method " + name + " of " + self + ">";
            return true;
        }
        case ObjKind::Class: {
            auto* c = static_cast<ClassObj*>(o);
            out += "<class '";
            if (c->dotted_name) {
                out += c->dotted_name->view();
                out += "'>";
                return true;
            }
            if ((!c->is_builtin || c->host) && c->module_name) {
                out += c->module_name->view();
                out += '.';
            }
            out += c->name->view();
            out += "'>";
            return true;
        }
        case ObjKind::Module: out += "<module '" + std::string(static_cast<ModuleObj*>(o)->name->view()) + "'>"; return true;
        case ObjKind::Code: out += "<code object " + std::string(static_cast<CodeObj*>(o)->name->view()) + ">"; return true;
        case ObjKind::Cell: out += "<cell at " + address_of(o) + ">"; return true;
        case ObjKind::Iterator: out += "<iterator object at " + address_of(o) + ">"; return true;
        case ObjKind::DictView: {
            ReprGuard guard(g_repr_active, o);
            if (!guard.entered) {
                out += "...";
                return true;
            }
            ListObj* items = new_list();
            if (!to_list(v, items->items)) return false;
            out += type_name(v);
            out += '(';
            if (!repr(Value::object(items), out)) return false;
            out += ')';
            return true;
        }
        case ObjKind::Exception:
        case ObjKind::Instance:
        case ObjKind::Tasklet:
        case ObjKind::Channel:
        case ObjKind::Host: break;
    }
    ClassObj* cls = type_of(v);
    Value method = lookup_in_class(cls, names.repr);
    if (!method.is_undef() && !(method.is_obj() && method.o->kind == ObjKind::Native && static_cast<NativeObj*>(method.o)->data.is_undef())) {
        if (method.is_obj() && method.o->kind == ObjKind::Native) {
            Value result;
            CallArgs args{&v, 1, nullptr, method.o};
            if (!static_cast<NativeObj*>(method.o)->fn(*this, args, result)) return false;
            out += static_cast<StrObj*>(result.o)->view();
            return true;
        }
        Value result;
        if (!call(method, &v, 1, result)) return false;
        if (!(result.is_obj() && result.o->kind == ObjKind::Str)) {
            return raise_type_error(std::string("__repr__ returned non-string (type ") + type_name(result) + ")");
        }
        out += static_cast<StrObj*>(result.o)->view();
        return true;
    }
    return default_repr(v, true, out);
}

// BaseException.__repr__ for exceptions if `exception_form`, else
// object.__repr__: no dispatch to the class's own __repr__.
bool Interpreter::default_repr(Value v, bool exception_form, std::string& out) {
    if (!v.is_obj()) return repr(v, out);
    Obj* o = v.o;
    const ClassObj* cls = type_of(v);
    if (o->kind == ObjKind::Exception && exception_form) {
        auto* e = static_cast<ExceptionObj*>(o);
        out += e->cls->name->view();
        out += '(';
        for (std::size_t i = 0; e->args && i < e->args->items.size(); ++i) {
            if (i) out += ", ";
            if (!repr(e->args->items[i], out)) return false;
        }
        out += ')';
        return true;
    }
    out += "<";
    if (cls->module_name && (!cls->is_builtin || cls->host)) {
        out += cls->module_name->view();
        out += '.';
    }
    out += cls->name->view();
    // A host object has no address a script should see: runs stay deterministic.
    out += o->kind == ObjKind::Host ? " object>" : " object at " + address_of(o) + ">";
    return true;
}

bool Interpreter::to_str(Value v, std::string& out) {
    if (v.is_obj()) {
        switch (v.o->kind) {
            case ObjKind::Str: out += static_cast<StrObj*>(v.o)->view(); return true;
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(v), names.str);
                if (!method.is_undef() && method.is_obj() && method.o->kind == ObjKind::Function) {
                    Value result;
                    if (!call(method, &v, 1, result)) return false;
                    if (!(result.is_obj() && result.o->kind == ObjKind::Str)) {
                        return raise_type_error(std::string("__str__ returned non-string (type ") + type_name(result) + ")");
                    }
                    out += static_cast<StrObj*>(result.o)->view();
                    return true;
                }
                // BaseException.__str__ shows the arguments; it never calls __repr__.
                if (v.o->kind == ObjKind::Exception && (method.is_undef() || method.o->kind == ObjKind::Native)) {
                    return default_str(v, out);
                }
                break;
            }
            default: break;
        }
    }
    return repr(v, out);
}

// object.__str__ (BaseException.__str__ for exceptions): an exception shows
// its arguments; anything else is repr(), whose __repr__ may be overridden.
bool Interpreter::default_str(Value v, std::string& out) {
    if (!(v.is_obj() && v.o->kind == ObjKind::Exception)) return repr(v, out);
    auto* e = static_cast<ExceptionObj*>(v.o);
    const std::size_t n = e->args ? e->args->items.size() : 0;
    if (n == 0) return true;
    if (n == 1) {
        if (is_subclass(e->cls, types.KeyError)) return repr(e->args->items[0], out);
        return to_str(e->args->items[0], out);
    }
    return repr(Value::object(e->args), out);
}

// ---------------------------------------------------------------- format specs
// The format mini-language as CPython's formatter_unicode.c implements it:
// parse_internal_render_format_spec, then format_long_internal,
// format_float_internal or format_string_internal, with calc_number_widths
// and fill_number laying out sign, prefix, grouped digits and padding.

namespace {

struct Spec {
    std::string fill = " ";  // one code point, UTF-8
    bool fill_given = false;
    char align = 0;          // '<', '>', '^', '='
    char sign = 0;           // 0, '+', '-', ' '
    bool no_neg_0 = false;   // 'z'
    bool alternate = false;
    std::int64_t width = -1;
    char grouping = 0;       // ',' or '_'
    std::int64_t precision = -1;
    char type = 0;
};

bool is_align(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }

std::size_t utf8_char_length(std::string_view s, std::size_t i) {
    std::size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    return j - i;
}

// parse_internal_render_format_spec.
bool parse_spec(Interpreter& in, std::string_view s, Spec& spec, char default_type, char default_align, const char* type_name) {
    spec.type = default_type;
    spec.align = default_align;
    std::size_t i = 0;
    const std::size_t first = s.empty() ? 0 : utf8_char_length(s, 0);
    if (s.size() > first && is_align(s[first])) {
        spec.fill = std::string(s.substr(0, first));
        spec.fill_given = true;
        spec.align = s[first];
        i = first + 1;
    } else if (!s.empty() && is_align(s[0])) {
        spec.align = s[0];
        i = 1;
    }
    const bool align_given = i > 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
    if (i < s.size() && s[i] == 'z') {
        spec.no_neg_0 = true;
        ++i;
    }
    if (i < s.size() && s[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (!spec.fill_given && i < s.size() && s[i] == '0') {
        spec.fill = "0";
        if (!align_given && default_align == '>') spec.align = '=';
        ++i;
    }
    auto integer = [&](std::int64_t& value) {
        const std::size_t start = i;
        value = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (value > (INT64_MAX - (s[i] - '0')) / 10) return -1;
            value = value * 10 + (s[i++] - '0');
        }
        return static_cast<int>(i - start);
    };
    std::int64_t width;
    const int width_digits = integer(width);
    if (width_digits < 0) return in.raise_value_error("Too many decimal digits in format string");
    if (width_digits > 0) spec.width = width;
    if (i < s.size() && s[i] == ',') {
        spec.grouping = ',';
        ++i;
    }
    if (i < s.size() && s[i] == '_') {
        if (spec.grouping) return in.raise_value_error("Cannot specify both ',' and '_'.");
        spec.grouping = '_';
        ++i;
    }
    if (i < s.size() && s[i] == ',' && spec.grouping == '_') return in.raise_value_error("Cannot specify both ',' and '_'.");
    if (i < s.size() && s[i] == '.') {
        ++i;
        std::int64_t precision;
        const int digits = integer(precision);
        if (digits < 0) return in.raise_value_error("Too many decimal digits in format string");
        if (digits == 0) return in.raise_value_error("Format specifier missing precision");
        spec.precision = precision;
    }
    if (s.size() - i > 1) {
        return in.raise_value_error("Invalid format specifier '" + std::string(s) + "' for object of type '" + type_name + "'");
    }
    if (i < s.size()) spec.type = s[i];
    if (spec.grouping) {
        switch (spec.type) {
            case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0: break;
            case 'b': case 'o': case 'x': case 'X':
                if (spec.grouping == '_') break;
                [[fallthrough]];
            default: {
                const unsigned char t = static_cast<unsigned char>(spec.type);
                char buffer[64];
                if (t > 32 && t < 128) std::snprintf(buffer, sizeof buffer, "Cannot specify '%c' with '%c'.", spec.grouping, t);
                else std::snprintf(buffer, sizeof buffer, "Cannot specify '%c' with '\\x%x'.", spec.grouping, t);
                return in.raise_value_error(buffer);
            }
        }
    }
    if (spec.width > 100000000 || spec.precision > 100000000) return in.raise_memory_error();
    return true;
}

std::int64_t utf8_length(std::string_view s) {
    std::int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string repeat_fill(const std::string& fill, std::int64_t n) {
    std::string out;
    for (std::int64_t k = 0; k < n; ++k) out += fill;
    return out;
}

// _PyUnicode_InsertThousandsGrouping: `digits` grouped from the right by
// `every` (0: no grouping), padded with zeros to at least `min_width`.
std::string group_digits(std::string_view digits, char sep, int every, std::int64_t min_width) {
    std::vector<std::string> parts;  // right to left
    std::int64_t remaining = static_cast<std::int64_t>(digits.size());
    std::size_t end = digits.size();
    auto take = [&](std::int64_t l) {
        const std::int64_t zeros = std::max<std::int64_t>(0, l - remaining);
        const std::int64_t chars = std::max<std::int64_t>(0, std::min(remaining, l));
        std::string part(static_cast<std::size_t>(zeros), '0');
        part.append(digits.substr(end - static_cast<std::size_t>(chars), static_cast<std::size_t>(chars)));
        end -= static_cast<std::size_t>(chars);
        parts.push_back(part);
        remaining -= chars;
        min_width -= l;
    };
    bool broken = false;
    if (every > 0) {
        for (;;) {
            const std::int64_t l = std::min<std::int64_t>(every, std::max({remaining, min_width, std::int64_t{1}}));
            take(l);
            if (remaining <= 0 && min_width <= 0) {
                broken = true;
                break;
            }
            min_width -= 1;  // the separator
        }
    }
    if (!broken) take(std::max({remaining, min_width, std::int64_t{1}}));
    std::string out;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it != parts.rbegin()) out += sep;
        out += *it;
    }
    return out;
}

// calc_number_widths + fill_number: [pad][sign][prefix][pad][digits][.][remainder][pad].
std::string layout_number(const Spec& spec, std::string_view sign, std::string_view prefix, std::string_view digits,
                          bool has_decimal, std::string_view remainder) {
    const int every = !spec.grouping ? 0 : (spec.type == 'b' || spec.type == 'o' || spec.type == 'x' || spec.type == 'X') ? 4 : 3;
    const std::int64_t non_digits = static_cast<std::int64_t>(sign.size() + prefix.size() + (has_decimal ? 1 : 0)) + utf8_length(remainder);
    const std::int64_t min_width = spec.fill == "0" && spec.align == '=' ? spec.width - non_digits : 0;
    const std::string grouped = digits.empty() ? std::string() : group_digits(digits, spec.grouping, every, min_width);
    const std::int64_t padding = spec.width - (non_digits + static_cast<std::int64_t>(grouped.size()));
    std::int64_t left = 0, middle = 0, right = 0;
    if (padding > 0) {
        switch (spec.align) {
            case '<': right = padding; break;
            case '^': left = padding / 2; right = padding - left; break;
            case '=': middle = padding; break;
            default: left = padding; break;
        }
    }
    std::string out = repeat_fill(spec.fill, left);
    out += sign;
    out += prefix;
    out += repeat_fill(spec.fill, middle);
    out += grouped;
    if (has_decimal) out += '.';
    out += remainder;
    out += repeat_fill(spec.fill, right);
    return out;
}

std::string sign_text(bool negative, char sign) {
    if (negative) return "-";
    if (sign == '+') return "+";
    if (sign == ' ') return " ";
    return "";
}

// printf for one double with optional '#'.
std::string printf_double_flags(bool alternate, char conversion, int precision, double d) {
    char fmt[16];
    std::snprintf(fmt, sizeof fmt, "%%%s.%d%c", alternate ? "#" : "", precision, conversion);
    const int n = std::snprintf(nullptr, 0, fmt, d);
    std::string out(static_cast<std::size_t>(n), '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, d);
    return out;
}

// The digits of |d| as PyOS_double_to_string makes them for `type`
// ('r' is repr; 'g' with add_dot_0 is the no-type-with-precision form).
std::string float_body(const Interpreter& interp, double a, char type, int precision, bool alternate, bool add_dot_0) {
    if (std::isinf(a)) return (type >= 'A' && type <= 'Z') ? "INF" : "inf";
    if (std::isnan(a)) return (type >= 'A' && type <= 'Z') ? "NAN" : "nan";
    switch (type) {
        case 'r': {
            std::string r = interp.float_repr(a);
            const std::size_t e = r.find('e');
            if (alternate && e != std::string::npos && r.find('.') == std::string::npos) r.insert(e, ".");
            return r;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E': return printf_double_flags(alternate, type, precision, a);
        default: {  // 'g', 'G'
            const int p = precision == 0 ? 1 : precision;
            if (!add_dot_0) return printf_double_flags(alternate, type, p, a);
            // format_float_short with add_dot_0_if_integer: the exponent
            // form starts one digit earlier than printf's %g.
            const std::string e = printf_double_flags(false, 'e', p - 1, a);
            const int exponent = std::atoi(e.c_str() + e.find('e') + 1);
            std::string body;
            if (exponent < -4 || exponent >= p - 1) {
                std::string mantissa = e.substr(0, e.find('e'));
                if (!alternate && mantissa.find('.') != std::string::npos) {
                    while (mantissa.back() == '0') mantissa.pop_back();
                    if (mantissa.back() == '.') mantissa.pop_back();
                } else if (alternate && mantissa.find('.') == std::string::npos) {
                    mantissa += '.';
                }
                char exp[16];
                std::snprintf(exp, sizeof exp, "%c%c%02d", type == 'G' ? 'E' : 'e', exponent < 0 ? '-' : '+', std::abs(exponent));
                return mantissa + exp;
            }
            body = printf_double_flags(false, 'f', std::max(0, p - 1 - exponent), a);
            if (!alternate && body.find('.') != std::string::npos) {
                while (body.back() == '0') body.pop_back();
                if (body.back() == '.') body.pop_back();
            }
            if (body.find('.') == std::string::npos) body += ".0";
            return body;
        }
    }
}

}  // namespace

bool Interpreter::format_with_spec(Value v, std::string_view text, std::string& out) {
    if (v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception)) {
        Value method = lookup_in_class(type_of(v), names.format);
        if (method.is_obj() && method.o->kind == ObjKind::Function) {
            Value args[2] = {v, str(text)};
            Value result;
            if (!call(method, args, 2, result)) return false;
            if (!(result.is_obj() && result.o->kind == ObjKind::Str))
                return raise_type_error(std::string("__format__ must return a str, not ") + type_name(result));
            out += static_cast<StrObj*>(result.o)->view();
            return true;
        }
        if (text.empty()) return to_str(v, out);
        return raise_type_error(std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
    }
    const bool is_int = v.tag == Tag::Int || v.tag == Tag::Bool;
    const bool is_float = v.tag == Tag::Float;
    const bool is_string = v.is_obj() && v.o->kind == ObjKind::Str;
    if (text.empty()) return to_str(v, out);
    if (!is_int && !is_float && !is_string) {
        return raise_type_error(std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
    }
    Spec spec;
    if (!parse_spec(*this, text, spec, is_int ? 'd' : is_float ? 0 : 's', is_string ? '<' : '>', type_name(v))) return false;
    auto unknown_code = [&]() {
        const unsigned char t = static_cast<unsigned char>(spec.type);
        char buffer[96];
        if (t > 32 && t < 128)
            std::snprintf(buffer, sizeof buffer, "Unknown format code '%c' for object of type '%s'", t, type_name(v));
        else
            std::snprintf(buffer, sizeof buffer, "Unknown format code '\\x%x' for object of type '%s'", t, type_name(v));
        return raise_value_error(buffer);
    };
    if (is_string) {
        if (spec.type != 's') return unknown_code();
        if (spec.sign == ' ') return raise_value_error("Space not allowed in string format specifier");
        if (spec.sign) return raise_value_error("Sign not allowed in string format specifier");
        if (spec.no_neg_0) return raise_value_error("Negative zero coercion (z) not allowed in string format specifier");
        if (spec.alternate) return raise_value_error("Alternate form (#) not allowed in string format specifier");
        if (spec.align == '=') return raise_value_error("'=' alignment not allowed in string format specifier");
        std::string_view value = static_cast<StrObj*>(v.o)->view();
        if (spec.precision >= 0) {
            std::size_t i = 0;
            for (std::int64_t count = 0; i < value.size() && count < spec.precision; ++count) i += utf8_char_length(value, i);
            value = value.substr(0, i);
        }
        const std::int64_t padding = spec.width - utf8_length(value);
        std::int64_t left = 0, right = 0;
        if (padding > 0) {
            if (spec.align == '>') left = padding;
            else if (spec.align == '^') {
                left = padding / 2;
                right = padding - left;
            } else {
                right = padding;
            }
        }
        out += repeat_fill(spec.fill, left);
        out += value;
        out += repeat_fill(spec.fill, right);
        return true;
    }
    char type = spec.type;
    if (is_int) {
        switch (type) {
            case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n': break;
            case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': break;  // as a float below
            default: return unknown_code();
        }
    }
    if (is_int && std::strchr("eEfFgG%", type) == nullptr) {
        const std::int64_t n = v.as_int();
        if (spec.precision >= 0) return raise_value_error("Precision not allowed in integer format specifier");
        if (spec.no_neg_0) return raise_value_error("Negative zero coercion (z) not allowed in integer format specifier");
        if (type == 'c') {
            if (spec.sign) return raise_value_error("Sign not allowed with integer format specifier 'c'");
            if (spec.alternate) return raise_value_error("Alternate form (#) not allowed with integer format specifier 'c'");
            if (n < 0 || n > 0x10FFFF) return raise(types.OverflowError, "%c arg not in range(0x110000)");
            std::string ch;
            script::append_utf8(ch, static_cast<char32_t>(n));
            out += layout_number(spec, "", "", "", false, ch);
            return true;
        }
        const unsigned __int128 magnitude = n < 0 ? static_cast<unsigned __int128>(-static_cast<__int128>(n)) : static_cast<unsigned __int128>(n);
        unsigned base = 10;
        std::string prefix;
        switch (type) {
            case 'b': base = 2; prefix = "0b"; break;
            case 'o': base = 8; prefix = "0o"; break;
            case 'x': base = 16; prefix = "0x"; break;
            case 'X': base = 16; prefix = "0X"; break;
            default: break;
        }
        if (!spec.alternate) prefix.clear();
        std::string digits;
        unsigned __int128 m = magnitude;
        do {
            const int d = static_cast<int>(m % base);
            digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : (type == 'X' ? 'A' : 'a') + d - 10));
            m /= base;
        } while (m != 0);
        out += layout_number(spec, sign_text(n < 0, spec.sign), prefix, digits, false, "");
        return true;
    }
    if (!is_int && type != 0 && std::strchr("eEfFgGn%", type) == nullptr) return unknown_code();
    // format_float_internal
    const double d = is_int ? static_cast<double>(v.as_int()) : v.f;
    bool add_dot_0 = false;
    int default_precision = 6;
    if (type == 0) {
        add_dot_0 = true;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n') type = 'g';
    double value = d;
    bool percent = false;
    if (type == '%') {
        type = 'f';
        value *= 100;
        percent = true;
    }
    int precision = static_cast<int>(spec.precision);
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    std::string body = float_body(*this, std::fabs(value), type, precision, spec.alternate, add_dot_0 && type == 'g');
    if (percent) body += '%';
    bool negative = std::signbit(value) && !std::isnan(value);
    if (negative && spec.no_neg_0 && body.find_first_not_of("0.%eE+-") == std::string::npos) negative = false;
    std::size_t pos = 0;
    while (pos < body.size() && body[pos] >= '0' && body[pos] <= '9') ++pos;
    const std::string digits = body.substr(0, pos);
    const bool has_decimal = pos < body.size() && body[pos] == '.';
    const std::string remainder = body.substr(pos + (has_decimal ? 1 : 0));
    out += layout_number(spec, sign_text(negative, spec.sign), "", digits, has_decimal, remainder);
    return true;
}

bool Interpreter::format_value(Value v, std::uint32_t conversion, Value spec, Value& out) {
    std::string converted;
    if (conversion == 1) {
        if (!to_str(v, converted)) return false;
        v = str(converted);
    } else if (conversion == 2 || conversion == 3) {
        if (!repr(v, converted)) return false;
        v = str(conversion == 3 ? ascii_escape(converted) : converted);
    }
    std::string text;
    const std::string_view spec_text = spec.is_obj() ? static_cast<StrObj*>(spec.o)->view() : std::string_view();
    if (spec_text.empty() && v.is_obj() && v.o->kind == ObjKind::Str) {
        out = v;
        return true;
    }
    // format(v, spec): an instance's __format__ gets the empty spec too.
    if (!format_with_spec(v, spec_text, text)) return false;
    out = str(text);
    return true;
}

}  // namespace spindle::vm
