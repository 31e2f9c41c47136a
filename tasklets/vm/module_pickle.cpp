// The `pickle` script module: dumps(obj), loads(data), and PickleError with
// its subclasses PicklingError and UnpicklingError (CPython's hierarchy;
// they print as _pickle.PicklingError, as CPython's do).
//
// What dumps returns: a str whose code points are the pickle's bytes
// (U+0000..U+00FF, one per byte). The script language has no bytes type, and
// adding an object kind for one function's result would touch every switch
// over kinds in the VM. A str of byte-valued code points already has what
// scripts do with a pickle: len(), ==, hash, slicing, concatenation, and
// byte access through ord(data[i]); so a test can damage a pickle with
// data[:i] + chr(ord(data[i]) ^ 1) + data[i + 1:] and watch loads refuse it.
// loads accepts exactly such a str: a code point above U+00FF is an
// UnpicklingError naming its offset. (CPython returns bytes, so scripts that
// must run under both compare and round-trip pickles, never print them.)
#include <string>

#include "vm/builtins_support.hpp"
#include "vm/pickler.hpp"
#include "vm/table.hpp"
#include "vm/unpickler.hpp"

namespace spindle::vm {
namespace {

ClassObj* pickle_class(Interpreter& in, const char* name) {
    ModuleObj* m = in.find_module(in.intern("pickle"));
    if (!m) return nullptr;
    const std::int64_t pos = table::find_interned(m->globals->table, in.intern(name));
    if (pos < 0) return nullptr;
    const Value v = m->globals->table.entries[static_cast<std::size_t>(pos)].value;
    return v.is_obj() && v.o->kind == ObjKind::Class ? static_cast<ClassObj*>(v.o) : nullptr;
}

// Bytes as code points U+0000..U+00FF, UTF-8 encoded.
std::string bytes_to_text(std::string_view bytes) {
    std::string text;
    text.reserve(bytes.size() + bytes.size() / 2);
    for (const char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) {
            text.push_back(static_cast<char>(b));
        } else {
            text.push_back(static_cast<char>(0xC0 | (b >> 6)));
            text.push_back(static_cast<char>(0x80 | (b & 0x3F)));
        }
    }
    return text;
}

// The inverse; false with UnpicklingError pending at a code point above U+00FF.
bool text_to_bytes(Interpreter& in, std::string_view text, std::string& bytes) {
    bytes.reserve(text.size());
    std::size_t offset = 0;
    for (std::size_t i = 0; i < text.size(); ++offset) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            bytes.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        // The str is valid UTF-8: C2 and C3 lead exactly U+0080..U+00FF.
        if ((c == 0xC2 || c == 0xC3) && i + 1 < text.size()) {
            const auto d = static_cast<unsigned char>(text[i + 1]);
            bytes.push_back(static_cast<char>(((c & 0x1Fu) << 6) | (d & 0x3Fu)));
            i += 2;
            continue;
        }
        return raise_pickle_error(in, PickleError::Unpickling,
                                  "invalid pickle at offset " + std::to_string(offset) +
                                      ": not a byte (pickle data is a str of code points below 256, as pickle.dumps returns)");
    }
    return true;
}

// Stackless 3.7's pickle: protocols 0 to 4, 3 by default, a negative one
// meaning the highest. There is one format; the protocol only changes what
// script classes' hooks see and do (pickler.hpp PickleOptions::protocol).
constexpr int kHighestProtocol = 4;
constexpr int kDefaultProtocol = 3;

bool pickle_dumps_fn(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[2];
    if (!function_clinic(in, a, "dumps", {"obj", "protocol"}, 0, 1, args)) return false;
    PickleOptions options;
    options.protocol = kDefaultProtocol;
    if (!args[1].is_undef() && !args[1].is_none()) {
        if (!args[1].is_intlike()) return in.raise_type_error(std::string("an integer is required (got type ") + in.type_name(args[1]) + ")");
        const std::int64_t protocol = args[1].as_int();
        if (protocol > kHighestProtocol) return in.raise_value_error("pickle protocol must be <= " + std::to_string(kHighestProtocol));
        options.protocol = protocol < 0 ? kHighestProtocol : static_cast<int>(protocol);
    }
    std::string bytes;
    if (!pickle_dumps(in, args[0], bytes, options)) return false;
    out = in.str(bytes_to_text(bytes));
    return true;
}

bool pickle_loads_fn(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!function_clinic(in, a, "loads", {"data"}, 1, 1, args)) return false;
    if (!is_str(args[0])) {
        // CPython's words (its pickles are bytes; ours are a str of bytes).
        return in.raise_type_error(std::string("a bytes-like object is required, not '") + in.type_name(args[0]) + "'");
    }
    std::string bytes;
    if (!text_to_bytes(in, as_str(args[0])->view(), bytes)) return false;
    UnpickleOptions options;
    options.script_hooks = true;
    return pickle_loads(in, bytes, out, options);
}

}  // namespace

bool raise_pickle_error(Interpreter& in, PickleError kind, std::string_view message) {
    ClassObj* cls = pickle_class(in, kind == PickleError::Pickling ? "PicklingError" : "UnpicklingError");
    return in.raise(cls ? cls : in.types.ValueError, message);
}

void install_pickle_module(Interpreter& in) {
    ModuleObj* m = in.new_module("pickle");
    auto make = [&](const char* name, ClassObj* base) {
        ClassObj* cls = in.new_exception_class(name, base);
        cls->module_name = in.intern("pickle");
        cls->dotted_name = in.intern(std::string("_pickle.") + name);
        in.define(m->globals, name, Value::object(cls));
        return cls;
    };
    ClassObj* base = make("PickleError", in.types.Exception);
    make("PicklingError", base);
    make("UnpicklingError", base);
    in.define(m->globals, "HIGHEST_PROTOCOL", Value::integer(kHighestProtocol));
    in.define(m->globals, "DEFAULT_PROTOCOL", Value::integer(kDefaultProtocol));
    in.define_function(m, "dumps", pickle_dumps_fn);
    in.define_function(m, "loads", pickle_loads_fn);
    in.register_module(m);
}

}  // namespace spindle::vm
