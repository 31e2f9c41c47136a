// Dunders the VM calls outside the operator protocol, run as heap frames so a
// tasklet can block, be preempted or be saved inside them: __getitem__,
// __setitem__ and __delitem__ (the subscript opcodes, eval.cpp), __len__ for
// len(), __str__/__repr__/__format__ for str(), repr(), format(), print() and
// f-string fields. Each starts here by pushing the method's frame with a
// ReturnAction; the dispatch loop's RETURN_VALUE finishes it here too. The
// state a frame carries (return_arg, aux, aux2) is plain data.
//
// Callers that are C++ code (sorted's key=, a list() over a script iterator,
// __hash__/__eq__ in tables, ...) still call nested: no switch inside.
#include "vm/builtins_support.hpp"
#include "vm/interpreter.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

namespace {

// Which conversion dunder a ToStr/FormatValue/PrintArg frame runs.
constexpr std::uint32_t kWhichStr = 0, kWhichRepr = 1, kWhichFormat = 2;

bool is_instance_kind(Value v) noexcept {
    return v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception);
}

bool is_function(Value v) noexcept { return v.is_obj() && v.o->kind == ObjKind::Function; }

}  // namespace

Value Interpreter::script_method(Value v, const StrObj* name) const noexcept {
    if (!is_instance_kind(v)) return Value::undef();
    Value m = lookup_in_class(type_of(v), name);
    return is_function(m) ? m : Value::undef();
}

// Mirrors to_str() and repr() (format.cpp): str() of an instance runs its
// __str__, else (object.__str__, or BaseException's) its __repr__.
Value Interpreter::script_str_method(Value v, bool for_repr, std::uint32_t& which) const noexcept {
    if (!is_instance_kind(v)) return Value::undef();
    ClassObj* cls = type_of(v);
    if (!for_repr) {
        Value m = lookup_in_class(cls, names.str);
        if (is_function(m)) {
            which = kWhichStr;
            return m;
        }
        if (v.o->kind == ObjKind::Exception) return Value::undef();  // BaseException.__str__: no __repr__
    }
    Value r = lookup_in_class(cls, names.repr);
    if (!is_function(r)) return Value::undef();
    which = kWhichRepr;
    return r;
}

Interpreter::CallOutcome Interpreter::push_dunder_frame(Thread& t, std::uint32_t at, Value function,
                                                        std::uint32_t count, ReturnAction action,
                                                        std::uint32_t return_arg) {
    t.stack[at] = function;
    CallOutcome outcome = call_function(t, static_cast<FunctionObj*>(function.o), at, count, nullptr, action);
    if (outcome == CallOutcome::Pushed) t.frames.back().return_arg = return_arg;
    return outcome;
}

bool Interpreter::start_dunder_builtin(Thread& t, NativeObj* native, std::uint32_t at, std::uint32_t count,
                                       const TupleObj* kwnames, CallOutcome& outcome) {
    if (kwnames || count == 0) return false;
    const Value x = t.stack[at + 1];
    if (!is_instance_kind(x)) return false;
    std::uint32_t which = kWhichStr;
    switch (native->fast_op) {
        case FastOp::Len: {
            if (count != 1) return false;
            Value m = script_method(x, names.len);
            if (m.is_undef()) return false;
            outcome = push_dunder_frame(t, at, m, 1, ReturnAction::Len, 0);
            return true;
        }
        case FastOp::Repr: {
            if (count != 1) return false;
            Value m = script_str_method(x, true, which);
            if (m.is_undef()) return false;
            outcome = push_dunder_frame(t, at, m, 1, ReturnAction::ToStr, which);
            return true;
        }
        case FastOp::Format: {
            if (count > 2) return false;
            const Value spec = count == 2 ? t.stack[at + 2] : Value();
            if (count == 2 && !is_str(spec)) return false;  // the builtin raises
            Value m = script_method(x, names.format);
            if (!m.is_undef()) {
                ensure_stack(t, static_cast<std::size_t>(at) + 3);
                if (count == 1) t.stack[at + 2] = str("");
                outcome = push_dunder_frame(t, at, m, 2, ReturnAction::ToStr, kWhichFormat);
                return true;
            }
            if (count == 2 && as_str(spec)->length != 0) return false;  // object.__format__ refuses a spec
            m = script_str_method(x, false, which);
            if (m.is_undef()) return false;
            outcome = push_dunder_frame(t, at, m, 1, ReturnAction::ToStr, which);
            return true;
        }
        default: return false;
    }
}

bool Interpreter::start_str_call(Thread& t, std::uint32_t at, CallOutcome& outcome) {
    std::uint32_t which = kWhichStr;
    Value m = script_str_method(t.stack[at + 1], false, which);
    if (m.is_undef()) return false;
    outcome = push_dunder_frame(t, at, m, 1, ReturnAction::ToStr, which);
    return true;
}

bool Interpreter::check_converted(Value v, std::uint32_t which) {
    if (is_str(v)) return true;
    switch (which) {
        case kWhichStr: return raise_type_error(std::string("__str__ returned non-string (type ") + type_name(v) + ")");
        case kWhichRepr: return raise_type_error(std::string("__repr__ returned non-string (type ") + type_name(v) + ")");
        default: return raise_type_error(std::string("__format__ must return a str, not ") + type_name(v));
    }
}

bool Interpreter::check_length(Value& v) {
    if (!v.is_intlike()) {
        return raise_type_error(std::string("'") + type_name(v) + "' object cannot be interpreted as an integer");
    }
    if (v.as_int() < 0) return raise_value_error("__len__() should return >= 0");
    v = Value::integer(v.as_int());
    return true;
}

// FORMAT_VALUE's operand: conversion in bits 0-1 (1 !s, 2 !r, 3 !a), bit 2 a
// spec above the value. The caller's saved stack top is above both.
bool Interpreter::start_format_value(Thread& t, std::uint32_t operand, CallOutcome& outcome) {
    const std::uint32_t top = t.frames.back().sp;
    const bool has_spec = (operand & 4) != 0;
    const Value v = t.stack[top - (has_spec ? 2 : 1)];
    const Value spec = has_spec ? t.stack[top - 1] : Value();
    const std::uint32_t conversion = operand & 3;
    std::uint32_t which = kWhichStr;
    Value m;
    std::uint32_t count = 1;
    if (conversion != 0) {
        m = script_str_method(v, conversion != 1, which);
    } else if (m = script_method(v, names.format); !m.is_undef()) {
        which = kWhichFormat;
        count = 2;
    } else if (!has_spec || as_str(spec)->length == 0) {
        m = script_str_method(v, false, which);
    }
    if (m.is_undef()) return false;
    ensure_stack(t, static_cast<std::size_t>(top) + 3);
    t.stack[top + 1] = v;
    if (count == 2) t.stack[top + 2] = has_spec ? spec : str("");
    outcome = push_dunder_frame(t, top, m, count, ReturnAction::FormatValue, operand | which << 4);
    return true;
}

bool Interpreter::finish_format_value(Thread& t, const Frame& done, Value value) {
    const std::uint32_t operand = done.return_arg & 15;
    const std::uint32_t which = done.return_arg >> 4;
    if (!check_converted(value, which)) return false;
    Frame& caller = t.frames.back();
    const bool has_spec = (operand & 4) != 0;
    const std::uint32_t slot = caller.sp - (has_spec ? 2 : 1);
    if (which != kWhichFormat) {
        if ((operand & 3) == 3) value = str(ascii_escape(as_str(value)->view()));
        if (has_spec && as_str(t.stack[caller.sp - 1])->length != 0) {
            std::string text;
            if (!format_with_spec(value, as_str(t.stack[caller.sp - 1])->view(), text)) return false;
            value = str(text);
        }
    }
    t.stack[slot] = value;
    caller.sp = slot + 1;
    return true;
}

// ---------------------------------------------------------------- print()

namespace {

// print()'s sep and end; false if a keyword is one the builtin rejects (it
// raises before converting anything, as CPython does).
bool print_options(const Value* kwvalues, const TupleObj* kwnames, std::string_view& sep, std::string_view& end) {
    sep = " ";
    end = "\n";
    const std::size_t n = kwnames ? kwnames->items.size() : 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::string_view key = as_str(kwnames->items[k])->view();
        const Value v = kwvalues[k];
        if (key == "sep" || key == "end") {
            if (v.is_none()) continue;
            if (!is_str(v)) return false;
            (key == "sep" ? sep : end) = as_str(v)->view();
        } else if (key != "file" && key != "flush") {
            return false;
        }
    }
    return true;
}

}  // namespace

bool Interpreter::print_needs_frames(const Thread& t, std::uint32_t at, std::uint32_t count,
                                     const TupleObj* kwnames) const {
    const std::uint32_t keywords = kwnames ? static_cast<std::uint32_t>(kwnames->items.size()) : 0;
    const Value* args = t.stack.data() + at + 1;
    bool needs = false;
    std::uint32_t which;
    for (std::uint32_t i = 0; i + keywords < count && !needs; ++i) {
        needs = !script_str_method(args[i], false, which).is_undef();
    }
    if (!needs) return false;
    std::string_view sep, end;
    return print_options(args + count - keywords, kwnames, sep, end);
}

// Writes as CPython's print() does, piece by piece: the separator before an
// argument, then the argument, so output and the dunders' side effects interleave alike.
Interpreter::CallOutcome Interpreter::print_from(Thread& t, std::uint32_t at, std::uint32_t count,
                                                 const TupleObj* kwnames, std::uint32_t next) {
    const std::uint32_t keywords = kwnames ? static_cast<std::uint32_t>(kwnames->items.size()) : 0;
    const std::uint32_t positional = count - keywords;
    std::string_view sep, end;
    print_options(t.stack.data() + at + 1 + positional, kwnames, sep, end);
    std::string text;
    for (std::uint32_t i = next; i < positional; ++i) {
        if (i > 0) text += sep;
        const Value v = t.stack[at + 1 + i];
        std::uint32_t which;
        Value m = script_str_method(v, false, which);
        if (m.is_undef()) {
            if (!to_str(v, text)) {
                write_stdout(text);
                return CallOutcome::Error;
            }
            continue;
        }
        write_stdout(text);
        // The frame goes above the arguments, which stay on the caller's stack.
        const std::uint32_t top = at + 1 + count;
        ensure_stack(t, static_cast<std::size_t>(top) + 2);
        t.stack[top + 1] = v;
        CallOutcome outcome = push_dunder_frame(t, top, m, 1, ReturnAction::PrintArg, i | which << 24);
        if (outcome == CallOutcome::Pushed) {
            Frame& frame = t.frames.back();
            frame.aux = kwnames ? Value::object(const_cast<TupleObj*>(kwnames)) : Value();
            frame.aux2 = Value::integer(count);
        }
        return outcome;
    }
    text += end;
    write_stdout(text);
    t.stack[at] = Value();
    return CallOutcome::Done;
}

bool Interpreter::finish_print_arg(Thread& t, const Frame& done, Value value) {
    if (!check_converted(value, done.return_arg >> 24)) return false;
    write_stdout(as_str(value)->view());
    const auto count = static_cast<std::uint32_t>(done.aux2.i);
    const auto* kwnames = done.aux.is_none() ? nullptr : static_cast<const TupleObj*>(done.aux.o);
    const std::uint32_t at = done.base - 1 - 1 - count;
    const CallOutcome outcome = print_from(t, at, count, kwnames, (done.return_arg & 0xffffff) + 1);
    if (outcome == CallOutcome::Error) return false;
    if (outcome == CallOutcome::Done) t.frames.back().sp = at + 1;
    return true;
}

}  // namespace spindle::vm

// ---------------------------------------------------------------- __hash__

namespace spindle::vm {

bool Interpreter::start_hash(Thread& t, HashOp op, std::uint32_t operand, Value key, CallOutcome& outcome, Value aux,
                             std::uint32_t count) {
    const Value m = script_method(key, names.hash);
    if (m.is_undef()) return false;
    const std::uint32_t top = t.frames.back().sp;
    ensure_stack(t, static_cast<std::size_t>(top) + 2);
    t.stack[top + 1] = key;
    outcome = push_dunder_frame(t, top, m, 1, ReturnAction::Hash, static_cast<std::uint32_t>(op) | operand << 4);
    if (outcome == CallOutcome::Pushed) {
        t.frames.back().aux = aux;
        t.frames.back().aux2 = Value::integer(count);
    }
    return true;
}

bool Interpreter::build_needs_frames(const Thread& t, std::uint32_t count, bool pairs) const {
    const std::uint32_t top = t.frames.back().sp;
    const std::uint32_t first = top - count * (pairs ? 2 : 1);
    for (std::uint32_t i = 0; i < count; ++i) {
        if (!script_method(t.stack[first + i * (pairs ? 2 : 1)], names.hash).is_undef()) return true;
    }
    return false;
}

// The container is in `container` (and, while a frame runs, in its aux); the
// items stay on the caller's stack until the last is in.
Interpreter::CallOutcome Interpreter::build_from(Thread& t, Value container, std::uint32_t count, std::uint32_t next) {
    const bool pairs = container.o->kind == ObjKind::Dict;
    const std::uint32_t width = pairs ? 2 : 1;
    for (std::uint32_t i = next; i < count; ++i) {
        const std::uint32_t first = t.frames.back().sp - count * width;  // re-read: a nested __eq__ may move the stack
        const Value key = t.stack[first + i * width];
        CallOutcome outcome;
        if (start_hash(t, pairs ? HashOp::BuildMap : HashOp::BuildSet, i, key, outcome, container, count)) return outcome;
        const bool ok = pairs ? table::insert(*this, static_cast<DictObj*>(container.o)->table, key, t.stack[first + i * 2 + 1])
                              : set_add(static_cast<SetObj*>(container.o), key);
        if (!ok) return CallOutcome::Error;
    }
    Frame& caller = t.frames.back();
    const std::uint32_t first = caller.sp - count * width;
    t.stack[first] = container;
    caller.sp = first + 1;
    return CallOutcome::Done;
}

bool Interpreter::finish_hash(Thread& t, const Frame& done, Value value) {
    if (!value.is_intlike()) return raise_type_error("__hash__ method should return an integer");
    // The key's hash as Interpreter::hash gives an instance's (the int itself, -1 aside)
    // and as a set stores it (sets::hash_of).
    const std::int64_t r = value.as_int();
    const std::uint64_t h = static_cast<std::uint64_t>(r == -1 ? -2 : r);
    const std::uint64_t set_h = h == SetObj::kDummyHash ? SetObj::kDummyHash - 1 : h;
    const auto op = static_cast<HashOp>(done.return_arg & 15);
    const std::uint32_t operand = done.return_arg >> 4;
    const std::uint32_t top = t.frames.back().sp;
    // Table operations below may call a script __eq__ (nested): index the stack, never keep pointers.
    auto at = [&](std::uint32_t below) -> Value { return t.stack[top - below]; };
    switch (op) {
        case HashOp::Contains: {  // [item, container]
            const Value container = at(1), item = at(2);
            bool found = false;
            if (container.o->kind == ObjKind::Dict) {
                std::int64_t pos;
                if (!table::find(*this, static_cast<DictObj*>(container.o)->table, item, h, pos)) return false;
                found = pos >= 0;
            } else if (!sets::contains_entry(*this, static_cast<SetObj*>(container.o), item, set_h, found)) {
                return false;
            }
            t.stack[top - 2] = Value::boolean(found != (operand == 1));
            t.frames.back().sp = top - 1;
            return true;
        }
        case HashOp::Subscr: {  // [dict, key]
            const Value key = at(1);
            const Table& table = static_cast<DictObj*>(at(2).o)->table;
            std::int64_t pos;
            if (!table::find(*this, table, key, h, pos)) return false;
            if (pos < 0) {
                TupleObj* args = new_tuple();
                args->items.push_back(key);
                auto* e = heap_.make<ExceptionObj>(types.KeyError);
                e->args = args;
                return raise_value(Value::object(e));
            }
            t.stack[top - 2] = table.entries[static_cast<std::size_t>(pos)].value;
            t.frames.back().sp = top - 1;
            return true;
        }
        case HashOp::Store:  // [value, dict, key]
            if (!table::insert_hashed(*this, static_cast<DictObj*>(at(2).o)->table, at(1), h, at(3))) return false;
            t.frames.back().sp = top - 3;
            return true;
        case HashOp::SetAdd:  // [set, ..., item]: the set `operand` below the item
            if (!sets::add_entry(*this, static_cast<SetObj*>(at(1 + operand).o), at(1), set_h)) return false;
            t.frames.back().sp = top - 1;
            return true;
        case HashOp::MapAdd:  // [dict, ..., key, value]
            if (!table::insert_hashed(*this, static_cast<DictObj*>(at(2 + operand).o)->table, at(2), h, at(1))) return false;
            t.frames.back().sp = top - 2;
            return true;
        case HashOp::BuildSet:
        case HashOp::BuildMap: {
            const Value container = done.aux;
            const auto count = static_cast<std::uint32_t>(done.aux2.i);
            const bool pairs = op == HashOp::BuildMap;
            const std::uint32_t first = top - count * (pairs ? 2 : 1);
            const bool ok = pairs ? table::insert_hashed(*this, static_cast<DictObj*>(container.o)->table,
                                                         t.stack[first + 2 * operand], h, t.stack[first + 2 * operand + 1])
                                  : sets::add_entry(*this, static_cast<SetObj*>(container.o), t.stack[first + operand], set_h);
            if (!ok) return false;
            return build_from(t, container, count, operand + 1) != CallOutcome::Error;
        }
    }
    return true;
}

}  // namespace spindle::vm
