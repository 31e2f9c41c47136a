// Helpers shared by the builtin functions and the methods of builtin types.
#pragma once

#include <string>

#include "vm/interpreter.hpp"

namespace spindle::vm {

inline bool is_str(Value v) noexcept { return v.is_obj() && v.o->kind == ObjKind::Str; }
inline StrObj* as_str(Value v) noexcept { return static_cast<StrObj*>(v.o); }

// Checks a call's argument count (no keywords allowed) with CPython's wording.
// Inline: every builtin call passes here, and the check itself is two compares.
bool expect_count_failed(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t min, std::uint32_t max);
inline bool expect_count(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t min, std::uint32_t max) {
    if (a.kwnames == nullptr && a.count >= min && a.count <= max) [[likely]] return true;
    return expect_count_failed(in, a, name, min, max);
}
// The keyword argument `name`, or Undef.
Value keyword(const CallArgs& a, std::string_view name) noexcept;
// Rejects keywords other than the listed ones.
bool only_keywords(Interpreter& in, const CallArgs& a, const char* function, std::initializer_list<std::string_view> allowed);

// Argument checks of builtin methods with CPython's wording; `qualname` is
// "set.add", and a.count includes self (methods_other.cpp).
bool method_self(Interpreter& in, const CallArgs& a, const char* qualname);          // the receiver's type only
bool method_no_args(Interpreter& in, const CallArgs& a, const char* qualname);       // METH_NOARGS
bool method_one_arg(Interpreter& in, const CallArgs& a, const char* qualname);       // METH_O
bool method_no_keywords(Interpreter& in, const CallArgs& a, const char* qualname);   // METH_VARARGS
// Argument Clinic, positional only: "strip expected at most 1 argument, got 2".
bool method_positional(Interpreter& in, const CallArgs& a, const char* qualname, std::uint32_t min, std::uint32_t max);
// PyArg_ParseTuple: "find() takes at least 1 argument (0 given)".
bool method_parse_tuple(Interpreter& in, const CallArgs& a, const char* qualname, std::uint32_t min, std::uint32_t max);
// Argument Clinic with keywords: fills `out` (Undef where not given) from
// positional and keyword arguments after self.
bool method_clinic(Interpreter& in, const CallArgs& a, const char* qualname, std::initializer_list<std::string_view> params,
                   std::uint32_t min, Value* out);
// The same for a builtin function, whose first `posonly` parameters are positional-only.
bool function_clinic(Interpreter& in, const CallArgs& a, const char* name, std::initializer_list<std::string_view> params,
                     std::uint32_t posonly, std::uint32_t min, Value* out);
// An int argument (bool included), as __index__ would accept it.
bool index_argument(Interpreter& in, Value v, std::int64_t& out);
// a <op> b for C++ callers (sum(), ...): instances' __op__/__rop__ are called
// nested, as the VM's BINARY_OP would run them; builtin types use binary_op.
bool binary_op_nested(Interpreter& in, std::uint32_t op, Value a, Value b, Value& out);
// ascii(): repr with non-ASCII characters escaped.
std::string ascii_escape(std::string_view repr_text);

// The data attributes of numbers (real, imag, numerator, denominator):
// false if `name` is none of them (methods_number.cpp).
bool number_attribute(Value v, const StrObj* name, Value& out);

// list.sort(self, *, key=None, reverse=False); sorted() shares it.
bool list_sort(Interpreter& in, const CallArgs& a, Value& out);
// A bound super object: attribute lookup starts after `cls` in self's class chain.
Value make_super(Interpreter& in, ClassObj* cls, Value self);

}  // namespace spindle::vm
