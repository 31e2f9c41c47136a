// Helpers shared by the builtin functions and the methods of builtin types.
#pragma once

#include <string>

#include "vm/interpreter.hpp"

namespace spindle::vm {

inline bool is_str(Value v) noexcept { return v.is_obj() && v.o->kind == ObjKind::Str; }
inline StrObj* as_str(Value v) noexcept { return static_cast<StrObj*>(v.o); }

// Checks a call's argument count (no keywords allowed) with CPython's wording.
bool expect_count(Interpreter& in, const CallArgs& a, const char* name, std::uint32_t min, std::uint32_t max);
// The keyword argument `name`, or Undef.
Value keyword(const CallArgs& a, std::string_view name) noexcept;
// Rejects keywords other than the listed ones.
bool only_keywords(Interpreter& in, const CallArgs& a, const char* function, std::initializer_list<std::string_view> allowed);

// list.sort(self, *, key=None, reverse=False); sorted() shares it.
bool list_sort(Interpreter& in, const CallArgs& a, Value& out);
// A bound super object: attribute lookup starts after `cls` in self's class chain.
Value make_super(Interpreter& in, ClassObj* cls, Value self);

}  // namespace spindle::vm
