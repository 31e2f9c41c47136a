// Argument checking shared by the methods of builtin types, with CPython's
// messages (METH_NOARGS, METH_O, METH_VARARGS, Argument Clinic and
// PyArg_ParseTuple each word their errors differently), and the entry point
// that installs the str, set and dict-view methods (methods_str.cpp,
// methods_set.cpp, methods_views.cpp).
#include <algorithm>
#include <cstdio>

#include "script/lexer.hpp"
#include "vm/builtins_support.hpp"

namespace spindle::vm {

void install_str_methods(Interpreter& in);
void install_set_methods(Interpreter& in);
void install_view_methods(Interpreter& in);
void install_number_methods(Interpreter& in);
void install_range_methods(Interpreter& in);

namespace {

std::string plural(std::uint32_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string_view short_name(const char* qualname) {
    const std::string_view q(qualname);
    const std::size_t dot = q.rfind('.');
    return dot == std::string_view::npos ? q : q.substr(dot + 1);
}

}  // namespace

// An unbound call (set.add(x, 1)) must get a receiver of the method's type.
bool method_self(Interpreter& in, const CallArgs& a, const char* qualname) {
    const std::string_view q(qualname);
    const std::size_t dot = q.find('.');
    if (dot == std::string_view::npos) return true;
    if (a.positional_count() == 0) return in.raise_type_error("unbound method " + std::string(q) + "() needs an argument");
    const std::string_view type = q.substr(0, dot);
    if (in.type_name(a[0]) == type) return true;
    if (type == "int" && a[0].is_bool()) return true;  // bool is the one builtin subclass of a builtin type
    return in.raise_type_error("descriptor '" + std::string(q.substr(dot + 1)) + "' for '" + std::string(type) +
                               "' objects doesn't apply to a '" + in.type_name(a[0]) + "' object");
}

bool method_no_keywords(Interpreter& in, const CallArgs& a, const char* qualname) {
    if (!method_self(in, a, qualname)) return false;
    if (a.keyword_count() == 0) return true;
    return in.raise_type_error(std::string(qualname) + "() takes no keyword arguments");
}

bool method_no_args(Interpreter& in, const CallArgs& a, const char* qualname) {
    if (!method_no_keywords(in, a, qualname)) return false;
    if (a.count == 1) return true;
    return in.raise_type_error(std::string(qualname) + "() takes no arguments (" + std::to_string(a.count - 1) + " given)");
}

bool method_one_arg(Interpreter& in, const CallArgs& a, const char* qualname) {
    if (!method_no_keywords(in, a, qualname)) return false;
    if (a.count == 2) return true;
    return in.raise_type_error(std::string(qualname) + "() takes exactly one argument (" + std::to_string(a.count - 1) + " given)");
}

bool method_positional(Interpreter& in, const CallArgs& a, const char* qualname, std::uint32_t min, std::uint32_t max) {
    if (!method_no_keywords(in, a, qualname)) return false;
    const std::uint32_t n = a.count - 1;
    if (n >= min && n <= max) return true;
    const std::string name(short_name(qualname));
    if (min == max) return in.raise_type_error(name + " expected " + plural(min, "argument") + ", got " + std::to_string(n));
    if (n < min) return in.raise_type_error(name + " expected at least " + plural(min, "argument") + ", got " + std::to_string(n));
    return in.raise_type_error(name + " expected at most " + plural(max, "argument") + ", got " + std::to_string(n));
}

bool method_parse_tuple(Interpreter& in, const CallArgs& a, const char* qualname, std::uint32_t min, std::uint32_t max) {
    if (!method_no_keywords(in, a, qualname)) return false;
    const std::uint32_t n = a.count - 1;
    if (n >= min && n <= max) return true;
    const std::string name(short_name(qualname));
    const char* how = min == max ? "exactly" : n < min ? "at least" : "at most";
    return in.raise_type_error(name + "() takes " + how + " " + plural(n < min ? min : max, "argument") + " (" +
                               std::to_string(n) + " given)");
}

namespace {

// _PyArg_UnpackKeywords: the arguments after the first `first` (self), of
// which the first `posonly` parameters cannot be given by keyword.
bool unpack_keywords(Interpreter& in, const CallArgs& a, std::uint32_t first, const std::string& name,
                     std::initializer_list<std::string_view> params, std::uint32_t posonly, std::uint32_t min, Value* out) {
    const std::uint32_t npos = a.positional_count() - first;
    std::uint32_t nkw = a.keyword_count();
    const auto maxargs = static_cast<std::uint32_t>(params.size());
    if (npos + nkw > maxargs) {
        return in.raise_type_error(name + "() takes at most " + std::to_string(maxargs) + " " + (npos == 0 ? "keyword " : "") +
                                   (maxargs == 1 ? "argument" : "arguments") + " (" + std::to_string(npos + nkw) + " given)");
    }
    const std::uint32_t minposonly = std::min(posonly, min);
    if (npos < minposonly) {
        return in.raise_type_error(name + "() takes " + (minposonly < maxargs ? "at least " : "exactly ") + plural(minposonly, "positional argument") +
                                   " (" + std::to_string(npos) + " given)");
    }
    auto find_keyword = [&](std::string_view key) {
        for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
            if (as_str(a.kwnames->items[k])->view() == key) return a[a.positional_count() + k];
        }
        return Value::undef();
    };
    std::uint32_t i = 0;
    for (std::string_view param : params) {
        if (i < npos) {
            out[i] = a[first + i];
        } else {
            out[i] = nkw && i >= posonly ? find_keyword(param) : Value::undef();
            if (!out[i].is_undef()) {
                --nkw;
            } else if (i < min) {
                return in.raise_type_error(name + "() missing required argument '" + std::string(param) + "' (pos " +
                                           std::to_string(i + 1) + ")");
            }
        }
        ++i;
    }
    if (nkw > 0) {
        i = 0;
        for (std::string_view param : params) {
            if (i >= npos) break;
            if (i >= posonly && !find_keyword(param).is_undef()) {
                return in.raise_type_error("argument for " + name + "() given by name ('" + std::string(param) +
                                           "') and position (" + std::to_string(i + 1) + ")");
            }
            ++i;
        }
        for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
            const std::string_view key = as_str(a.kwnames->items[k])->view();
            const auto at = std::find(params.begin(), params.end(), key);
            if (at == params.end() || static_cast<std::uint32_t>(at - params.begin()) < posonly)
                return in.raise_type_error("'" + std::string(key) + "' is an invalid keyword argument for " + name + "()");
        }
    }
    return true;
}

}  // namespace

bool method_clinic(Interpreter& in, const CallArgs& a, const char* qualname, std::initializer_list<std::string_view> params,
                   std::uint32_t min, Value* out) {
    if (!method_self(in, a, qualname)) return false;
    return unpack_keywords(in, a, 1, std::string(short_name(qualname)), params, 0, min, out);
}

bool function_clinic(Interpreter& in, const CallArgs& a, const char* name, std::initializer_list<std::string_view> params,
                     std::uint32_t posonly, std::uint32_t min, Value* out) {
    return unpack_keywords(in, a, 0, name, params, posonly, min, out);
}

bool index_argument(Interpreter& in, Value v, std::int64_t& out) {
    if (v.is_intlike()) {
        out = v.as_int();
        return true;
    }
    if (v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception)) {
        Value method = in.lookup_in_class(in.type_of(v), in.intern("__index__"));
        if (!method.is_undef()) {
            Value r;
            if (!in.call(method, &v, 1, r)) return false;
            if (!r.is_intlike())
                return in.raise_type_error(std::string("__index__ returned non-int (type ") + in.type_name(r) + ")");
            out = r.as_int();
            return true;
        }
    }
    return in.raise_type_error(std::string("'") + in.type_name(v) + "' object cannot be interpreted as an integer");
}

bool binary_op_nested(Interpreter& in, std::uint32_t op, Value a, Value b, Value& out) {
    auto is_instance = [](Value v) { return v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception); };
    if (is_instance(a) || is_instance(b)) {
        auto attempt = [&](Value self, StrObj* name, Value other, bool& done) {
            done = false;
            if (!is_instance(self)) return true;
            const Value method = in.lookup_in_class(in.type_of(self), name);
            if (method.is_undef() || method.is_none()) return true;
            Value args[2] = {self, other};
            if (!in.call(method, args, 2, out)) return false;
            done = !out.identical(in.not_implemented());
            return true;
        };
        bool done;
        if (!attempt(a, in.names.binary[op], b, done)) return false;
        if (done) return true;
        if (in.type_of(a) != in.type_of(b)) {
            if (!attempt(b, in.names.rbinary[op], a, done)) return false;
            if (done) return true;
        }
    }
    return in.binary_op(op, a, b, out);
}

std::string ascii_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            out += text[i++];
            continue;
        }
        const char32_t cp = script::decode_utf8(text, i);
        char buffer[16];
        if (cp < 0x100) std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(cp));
        else if (cp < 0x10000) std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(cp));
        else std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(cp));
        out += buffer;
    }
    return out;
}

void install_other_methods(Interpreter& in) {
    install_str_methods(in);
    install_set_methods(in);
    install_view_methods(in);
    install_number_methods(in);
    install_range_methods(in);
}

}  // namespace spindle::vm
