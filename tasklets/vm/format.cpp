// Text of values: repr/str, CPython's float repr, the format mini-language
// (f-strings, format(), str.format) and printf-style `%` formatting.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>

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

// Rounds to a number of significant digits (for %g and friends) with printf.
std::string printf_double(const char* conversion, int precision, double d) {
    char fmt[16];
    std::snprintf(fmt, sizeof fmt, "%%.%d%s", precision, conversion);
    const int n = std::snprintf(nullptr, 0, fmt, d);
    std::string out(static_cast<std::size_t>(n), '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, d);
    return out;
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
        } else {
            out += static_cast<char>(c);  // printable ASCII and UTF-8 bytes of non-ASCII text
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
            if (set->table.live == 0) {
                out += "set()";
                return true;
            }
            ReprGuard guard(g_repr_active, o);
            if (!guard.entered) {
                out += "set(...)";
                return true;
            }
            tracked_vector<Value> items;
            set_items_in_order(set, items);
            out += '{';
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i) out += ", ";
                if (!repr(items[i], out)) return false;
            }
            out += '}';
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
            if (!c->is_builtin && c->module_name) {
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
            CallArgs args{&v, 1, nullptr};
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
    if (o->kind == ObjKind::Exception) {
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
    if (cls->module_name && !cls->is_builtin) {
        out += cls->module_name->view();
        out += '.';
    }
    out += cls->name->view();
    out += " object at " + address_of(o) + ">";
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
                if (v.o->kind == ObjKind::Exception && (method.is_undef() || method.o->kind == ObjKind::Native)) {
                    Value repr_method = lookup_in_class(type_of(v), names.repr);
                    if (repr_method.is_obj() && repr_method.o->kind == ObjKind::Function) return repr(v, out);
                    auto* e = static_cast<ExceptionObj*>(v.o);
                    const std::size_t n = e->args ? e->args->items.size() : 0;
                    if (n == 0) return true;
                    if (n == 1) {
                        if (is_subclass(e->cls, types.KeyError)) return repr(e->args->items[0], out);
                        return to_str(e->args->items[0], out);
                    }
                    return repr(Value::object(e->args), out);
                }
                break;
            }
            default: break;
        }
    }
    return repr(v, out);
}

// ---------------------------------------------------------------- format specs

namespace {

struct Spec {
    char fill = ' ';
    char align = 0;  // '<', '>', '^', '='
    char sign = '-';
    bool alternate = false;
    bool zero = false;
    int width = -1;
    char grouping = 0;  // ',' or '_'
    int precision = -1;
    char type = 0;
};

bool parse_spec(std::string_view s, Spec& spec) {
    std::size_t i = 0;
    auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    if (s.size() >= 2 && is_align(s[1])) {
        spec.fill = s[0];
        spec.align = s[1];
        i = 2;
    } else if (!s.empty() && is_align(s[0])) {
        spec.align = s[0];
        i = 1;
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
    if (i < s.size() && s[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (i < s.size() && s[i] == '0') {
        spec.zero = true;
        ++i;
    }
    int width = 0;
    bool has_width = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        width = width * 10 + (s[i++] - '0');
        has_width = true;
        if (width > 100000) return false;
    }
    if (has_width) spec.width = width;
    if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
    if (i < s.size() && s[i] == '.') {
        ++i;
        int p = 0;
        bool any = false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            p = p * 10 + (s[i++] - '0');
            any = true;
            if (p > 100000) return false;
        }
        if (!any) return false;
        spec.precision = p;
    }
    if (i < s.size()) spec.type = s[i++];
    return i == s.size();
}

std::string group_digits(const std::string& digits, char sep, int every) {
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % every == 0) out += sep;
        out += digits[static_cast<std::size_t>(i)];
    }
    return out;
}

// Pads `body` (sign already separated) to the spec's width.
std::string pad(const Spec& spec, const std::string& sign, const std::string& body, bool numeric,
                std::int64_t body_length) {
    std::int64_t length = body_length + static_cast<std::int64_t>(sign.size());
    char align = spec.align ? spec.align : (numeric ? '>' : '<');
    char fill = spec.fill;
    if (spec.zero && !spec.align && numeric) {
        align = '=';
        fill = '0';
    }
    if (spec.width <= length) return sign + body;
    const std::size_t padding = static_cast<std::size_t>(spec.width - length);
    std::string fills(padding, fill);
    switch (align) {
        case '<': return sign + body + fills;
        case '^': return std::string(padding / 2, fill) + sign + body + std::string(padding - padding / 2, fill);
        case '=': return sign + fills + body;
        default: return fills + sign + body;
    }
}

std::int64_t utf8_length(std::string_view s) {
    std::int64_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string sign_of(bool negative, char sign) {
    if (negative) return "-";
    if (sign == '+') return "+";
    if (sign == ' ') return " ";
    return "";
}

std::string format_float_body(double a, const Spec& spec, char type, int precision, const Interpreter& interp) {
    if (std::isinf(a)) return (type >= 'A' && type <= 'Z') ? "INF" : "inf";
    if (std::isnan(a)) return (type >= 'A' && type <= 'Z') ? "NAN" : "nan";
    std::string body;
    switch (type) {
        case 'f':
        case 'F': body = printf_double("f", precision, a); break;
        case 'e':
        case 'E': body = printf_double(type == 'e' ? "e" : "E", precision, a); break;
        case '%': body = printf_double("f", precision, a * 100) + "%"; break;
        case 'g':
        case 'G': {
            const int p = precision == 0 ? 1 : precision;
            body = printf_double(spec.alternate ? (type == 'g' ? "#g" : "#G") : (type == 'g' ? "g" : "G"), p, a);
            break;
        }
        default: {  // no type: repr, or with a precision like 'g' keeping a ".0"
            if (precision < 0) {
                body = interp.float_repr(a);
            } else {
                const int p = precision == 0 ? 1 : precision;
                body = printf_double("g", p, a);
                if (body.find_first_of(".einf") == std::string::npos) body += ".0";
            }
        }
    }
    if (spec.grouping) {
        const std::size_t end = body.find_first_of(".eE%");
        const std::string whole = body.substr(0, end);
        body = group_digits(whole, spec.grouping, 3) + (end == std::string::npos ? "" : body.substr(end));
    }
    return body;
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
                return raise_type_error("__format__ must return a str");
            out += static_cast<StrObj*>(result.o)->view();
            return true;
        }
        if (text.empty()) return to_str(v, out);
        return raise_type_error(std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
    }
    Spec spec;
    if (!parse_spec(text, spec)) return raise_value_error("Invalid format specifier");
    if (v.tag == Tag::Int || v.tag == Tag::Bool) {
        if (v.tag == Tag::Bool && spec.type == 0 && text.empty()) {
            out += v.b ? "True" : "False";
            return true;
        }
        const std::int64_t n = v.as_int();
        switch (spec.type) {
            case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
                const int precision = spec.precision < 0 ? 6 : spec.precision;
                const std::string body = format_float_body(std::fabs(static_cast<double>(n)), spec, spec.type, precision, *this);
                out += pad(spec, sign_of(n < 0, spec.sign), body, true, utf8_length(body));
                return true;
            }
            case 0: case 'd': case 'n': case 'b': case 'o': case 'x': case 'X': case 'c': break;
            default: return raise_value_error(std::string("Unknown format code '") + spec.type + "' for object of type 'int'");
        }
        if (spec.precision >= 0) return raise_value_error("Precision not allowed in integer format specifier");
        if (spec.type == 'c') {
            std::string ch;
            if (n < 0 || n > 0x10FFFF) return raise(types.OverflowError, "%c arg not in range(0x110000)");
            const auto cp = static_cast<std::uint32_t>(n);
            if (cp < 0x80) ch += static_cast<char>(cp);
            else if (cp < 0x800) { ch += static_cast<char>(0xC0 | (cp >> 6)); ch += static_cast<char>(0x80 | (cp & 0x3F)); }
            else if (cp < 0x10000) { ch += static_cast<char>(0xE0 | (cp >> 12)); ch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); ch += static_cast<char>(0x80 | (cp & 0x3F)); }
            else { ch += static_cast<char>(0xF0 | (cp >> 18)); ch += static_cast<char>(0x80 | ((cp >> 12) & 0x3F)); ch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)); ch += static_cast<char>(0x80 | (cp & 0x3F)); }
            out += pad(spec, "", ch, false, 1);
            return true;
        }
        const unsigned __int128 magnitude = n < 0 ? static_cast<unsigned __int128>(-static_cast<__int128>(n)) : static_cast<unsigned __int128>(n);
        int base = 10;
        std::string prefix;
        switch (spec.type) {
            case 'b': base = 2; prefix = "0b"; break;
            case 'o': base = 8; prefix = "0o"; break;
            case 'x': base = 16; prefix = "0x"; break;
            case 'X': base = 16; prefix = "0X"; break;
            default: break;
        }
        std::string digits;
        unsigned __int128 m = magnitude;
        do {
            const int d = static_cast<int>(m % static_cast<unsigned>(base));
            digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : (spec.type == 'X' ? 'A' : 'a') + d - 10));
            m /= static_cast<unsigned>(base);
        } while (m != 0);
        if (spec.grouping) digits = group_digits(digits, spec.grouping, base == 10 ? 3 : 4);
        const std::string body = (spec.alternate ? prefix : "") + digits;
        out += pad(spec, sign_of(n < 0, spec.sign), body, true, static_cast<std::int64_t>(body.size()));
        return true;
    }
    if (v.tag == Tag::Float) {
        char type = spec.type;
        if (type == 'n') type = 'g';
        if (type != 0 && std::strchr("eEfFgG%", type) == nullptr)
            return raise_value_error(std::string("Unknown format code '") + type + "' for object of type 'float'");
        const int precision = spec.precision < 0 ? (type == 0 ? -1 : 6) : spec.precision;
        const bool negative = std::signbit(v.f) && !std::isnan(v.f);
        const std::string body = format_float_body(std::fabs(v.f), spec, type, precision, *this);
        out += pad(spec, sign_of(negative, spec.sign), body, true, utf8_length(body));
        return true;
    }
    std::string text_value;
    if (v.is_obj() && v.o->kind == ObjKind::Str) {
        if (spec.type != 0 && spec.type != 's')
            return raise_value_error(std::string("Unknown format code '") + spec.type + "' for object of type 'str'");
        if (spec.sign != '-') return raise_value_error("Sign not allowed in string format specifier");
        text_value = static_cast<StrObj*>(v.o)->view();
    } else {
        if (!text.empty()) return raise_type_error(std::string("unsupported format string passed to ") + type_name(v) + ".__format__");
        if (!to_str(v, text_value)) return false;
    }
    if (spec.precision >= 0) {
        // Truncate to `precision` code points.
        std::size_t i = 0;
        std::int64_t count = 0;
        while (i < text_value.size() && count < spec.precision) {
            ++i;
            while (i < text_value.size() && (static_cast<unsigned char>(text_value[i]) & 0xC0) == 0x80) ++i;
            ++count;
        }
        text_value.resize(i);
    }
    out += pad(spec, "", text_value, false, utf8_length(text_value));
    return true;
}

bool Interpreter::format_value(Value v, std::uint32_t conversion, Value spec, Value& out) {
    std::string converted;
    if (conversion == 1) {
        if (!to_str(v, converted)) return false;
        v = str(converted);
    } else if (conversion == 2 || conversion == 3) {
        if (!repr(v, converted)) return false;
        v = str(converted);
    }
    std::string text;
    const std::string_view spec_text = spec.is_obj() ? static_cast<StrObj*>(spec.o)->view() : std::string_view();
    if (spec_text.empty() && v.is_obj() && v.o->kind == ObjKind::Str) {
        out = v;
        return true;
    }
    if (spec_text.empty()) {
        if (!to_str(v, text)) return false;
    } else if (!format_with_spec(v, spec_text, text)) {
        return false;
    }
    out = str(text);
    return true;
}

}  // namespace spindle::vm
