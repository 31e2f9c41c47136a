// CPython 3.11's "Did you mean" hints on uncaught NameError/AttributeError.
#pragma once

#include <string>
#include <string_view>

#include "vm/interpreter.hpp"

namespace spindle::vm {

// Records on the pending AttributeError which object lacked which name, for
// the traceback printer's hint (two stores: hasattr() misses stay cheap).
void note_attribute_error(Interpreter& interp, Value object, StrObj* name);

// ". Did you mean: 'value'?" for an exception whose str() is `message`, or "".
std::string error_suggestion(Interpreter& interp, Value exception, std::string_view message);

}  // namespace spindle::vm
