// Dict views (d.keys(), d.values(), d.items()): the operations the VM's
// generic paths (len, in, repr, ==, iteration) need (methods_views.cpp).
#pragma once

#include <string>

#include "script/ast.hpp"
#include "vm/object.hpp"

namespace spindle::vm {

class Interpreter;

ClassObj* view_class(const Interpreter& in, const DictViewObj* view) noexcept;
bool view_contains(Interpreter& in, DictViewObj* view, Value item, bool& out);
bool view_repr(Interpreter& in, DictViewObj* view, std::string& out);
// `a == b` where a is a view; false in `handled` leaves it to identity.
bool view_equal(Interpreter& in, DictViewObj* a, Value b, bool& handled, bool& out);
// True if a or b is a keys or items view: then a | b, a & b, a - b and a ^ b make sets.
bool is_set_view_operand(Value a, Value b) noexcept;
bool view_set_operation(Interpreter& in, script::BinOpKind kind, Value a, Value b, Value& out);
// dictview_richcompare for <, <=, >, >= between set-like views and sets;
// false in `handled` when neither side qualifies.
bool view_order(Interpreter& in, script::CmpOpKind op, Value a, Value b, bool& handled, Value& out);

}  // namespace spindle::vm
