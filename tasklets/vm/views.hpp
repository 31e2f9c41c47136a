// Dict views (d.keys(), d.values(), d.items()): the operations the VM's
// generic paths (len, in, repr, ==, iteration) need (methods_views.cpp).
#pragma once

#include <string>

#include "vm/object.hpp"

namespace spindle::vm {

class Interpreter;

ClassObj* view_class(const Interpreter& in, const DictViewObj* view) noexcept;
bool view_contains(Interpreter& in, DictViewObj* view, Value item, bool& out);
bool view_repr(Interpreter& in, DictViewObj* view, std::string& out);
// `a == b` where a is a view; false in `handled` leaves it to identity.
bool view_equal(Interpreter& in, DictViewObj* a, Value b, bool& handled, bool& out);

}  // namespace spindle::vm
