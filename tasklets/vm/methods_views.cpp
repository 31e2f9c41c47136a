// dict.keys(), dict.values(), dict.items(): live views of a dict (their
// classes dict_keys, dict_values, dict_items), and what the VM's generic
// paths need from them (views.hpp). Iterating a view makes the same dict
// iterator as iterating the dict, so `for k, v in d.items()` stays one
// allocation per loop.
#include <utility>

#include "vm/builtins_support.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"
#include "vm/views.hpp"

namespace spindle::vm {

ClassObj* view_class(const Interpreter& in, const DictViewObj* view) noexcept {
    switch (view->which) {
        case IterKind::DictKeys: return in.types.dict_keys;
        case IterKind::DictValues: return in.types.dict_values;
        default: return in.types.dict_items;
    }
}

bool view_contains(Interpreter& in, DictViewObj* view, Value item, bool& out) {
    Table& t = view->dict->table;
    switch (view->which) {
        case IterKind::DictKeys: {
            Value ignored;
            return table::lookup(in, t, item, ignored, out);
        }
        case IterKind::DictItems: {
            out = false;
            if (!(item.is_obj() && item.o->kind == ObjKind::Tuple && static_cast<TupleObj*>(item.o)->items.size() == 2)) return true;
            const TupleObj* pair = static_cast<TupleObj*>(item.o);
            Value value;
            bool found;
            if (!table::lookup(in, t, pair->items[0], value, found)) return false;
            if (!found) return true;
            return in.equal(value, pair->items[1], out);
        }
        default: {
            out = false;
            for (std::size_t i = 0; i < t.entries.size(); ++i) {
                if (t.entries[i].deleted) continue;
                const Value v = t.entries[i].value;
                if (v.identical(item) && !v.is_float()) {
                    out = true;
                    return true;
                }
                bool same;
                if (!in.equal(v, item, same)) return false;
                if (same) {
                    out = true;
                    return true;
                }
            }
            return true;
        }
    }
}

namespace {

bool is_set_like(Value v) {
    if (!v.is_obj()) return false;
    if (v.o->kind == ObjKind::Set) return true;
    return v.o->kind == ObjKind::DictView && static_cast<DictViewObj*>(v.o)->which != IterKind::DictValues;
}

}  // namespace

// dictview_richcompare(Py_EQ): keys and items views compare as sets.
bool view_equal(Interpreter& in, DictViewObj* a, Value b, bool& handled, bool& out) {
    handled = a->which != IterKind::DictValues && is_set_like(b);
    if (!handled) return true;
    std::int64_t na, nb;
    if (!in.length(Value::object(a), na) || !in.length(b, nb)) return false;
    out = false;
    if (na != nb) return true;
    Value it;
    if (!in.get_iter(Value::object(a), it)) return false;
    Value item;
    while (in.iter_next(it, item)) {
        bool found;
        if (!in.contains(b, item, found)) return false;
        if (!found) return true;
    }
    if (in.has_pending()) return false;
    out = true;
    return true;
}

bool is_set_view_operand(Value a, Value b) noexcept {
    auto set_view = [](Value v) {
        return v.is_obj() && v.o->kind == ObjKind::DictView && static_cast<DictViewObj*>(v.o)->which != IterKind::DictValues;
    };
    return set_view(a) || set_view(b);
}

namespace {

// dictviews_to_set: a keys view converts through its dict (stored hashes, one resize).
bool view_to_set(Interpreter& in, Value v, SetObj*& out) {
    if (v.is_obj() && v.o->kind == ObjKind::DictView && static_cast<DictViewObj*>(v.o)->which == IterKind::DictKeys)
        v = Value::object(static_cast<DictViewObj*>(v.o)->dict);
    return sets::make(in, v, out);
}

bool is_view(Value v, IterKind which) {
    return v.is_obj() && v.o->kind == ObjKind::DictView && static_cast<DictViewObj*>(v.o)->which == which;
}

// _PyDictView_Intersect.
bool view_intersect(Interpreter& in, Value self, Value other, Value& out) {
    auto set_view = [](Value v) { return is_view(v, IterKind::DictKeys) || is_view(v, IterKind::DictItems); };
    if (!set_view(self)) std::swap(self, other);
    std::int64_t len_self;
    if (!in.length(self, len_self)) return false;
    if (other.is_obj() && other.o->kind == ObjKind::Set && len_self <= static_cast<SetObj*>(other.o)->used) {
        SetObj* result;
        if (!sets::intersection(in, static_cast<SetObj*>(other.o), self, result)) return false;
        out = Value::object(result);
        return true;
    }
    if (set_view(other)) {
        std::int64_t len_other;
        if (!in.length(other, len_other)) return false;
        if (len_other > len_self) std::swap(self, other);
    }
    SetObj* result = in.new_set();
    out = Value::object(result);
    Value it;
    if (!in.get_iter(other, it)) return false;
    Value key;
    while (in.iter_next(it, key)) {
        bool found;
        if (!view_contains(in, static_cast<DictViewObj*>(self.o), key, found)) return false;
        if (found && !sets::add(in, result, key)) return false;
    }
    return !in.has_pending();
}

// dictitems_xor: items ^ items compares values too.
bool items_xor(Interpreter& in, DictViewObj* self, DictViewObj* other, Value& out) {
    DictObj* temp = in.new_dict();
    table::copy(self->dict->table, temp->table);
    SetObj* result = in.new_set();
    out = Value::object(result);
    const Table& t2 = other->dict->table;
    for (std::size_t i = 0; i < t2.entries.size(); ++i) {
        const Table::Entry e = t2.entries[i];
        if (e.deleted) continue;
        Value val1;
        bool found;
        if (!table::lookup(in, temp->table, e.key, val1, found)) return false;
        bool same = false;
        if (found && !in.equal(val1, e.value, same)) return false;
        if (same) {
            bool removed;
            if (!table::remove(in, temp->table, e.key, removed)) return false;
        } else {
            TupleObj* pair = in.new_tuple(2);
            pair->items.push_back(e.key);
            pair->items.push_back(e.value);
            if (!sets::add(in, result, Value::object(pair))) return false;
        }
    }
    return sets::update(in, result, Value::object(in.heap().make<DictViewObj>(temp, IterKind::DictItems)));
}

}  // namespace

// dictviews_or / _and / _sub / _xor: the view's slot gets (left, right) in order.
bool view_set_operation(Interpreter& in, script::BinOpKind kind, Value a, Value b, Value& out) {
    if (kind == script::BinOpKind::BitAnd) return view_intersect(in, a, b, out);
    if (kind == script::BinOpKind::BitXor && is_view(a, IterKind::DictItems) && is_view(b, IterKind::DictItems))
        return items_xor(in, static_cast<DictViewObj*>(a.o), static_cast<DictViewObj*>(b.o), out);
    SetObj* result;
    if (!view_to_set(in, a, result)) return false;
    out = Value::object(result);
    switch (kind) {
        case script::BinOpKind::BitOr: return sets::update(in, result, b);
        case script::BinOpKind::Sub: return sets::difference_update(in, result, b);
        default: return sets::symmetric_difference_update(in, result, b);
    }
}

namespace {

// all_contained_in: every item of `a` is in `b`.
bool all_contained_in(Interpreter& in, Value a, Value b, bool& out) {
    Value it;
    if (!in.get_iter(a, it)) return false;
    Value item;
    out = true;
    while (in.iter_next(it, item)) {
        bool found;
        if (!in.contains(b, item, found)) return false;
        if (!found) {
            out = false;
            return true;
        }
    }
    return !in.has_pending();
}

}  // namespace

bool view_order(Interpreter& in, script::CmpOpKind op, Value a, Value b, bool& handled, Value& out) {
    auto set_view = [](Value v) { return is_view(v, IterKind::DictKeys) || is_view(v, IterKind::DictItems); };
    auto set_like = [&](Value v) { return set_view(v) || (v.is_obj() && v.o->kind == ObjKind::Set); };
    handled = (set_view(a) || set_view(b)) && set_like(a) && set_like(b);
    if (!handled) return true;
    if (!set_view(a)) {  // the reflected comparison, from the view's side
        std::swap(a, b);
        op = op == script::CmpOpKind::Lt ? script::CmpOpKind::Gt : op == script::CmpOpKind::Gt ? script::CmpOpKind::Lt
           : op == script::CmpOpKind::LtE ? script::CmpOpKind::GtE : script::CmpOpKind::LtE;
    }
    std::int64_t na, nb;
    if (!in.length(a, na) || !in.length(b, nb)) return false;
    bool ok = false;
    switch (op) {
        case script::CmpOpKind::Lt: if (na < nb && !all_contained_in(in, a, b, ok)) return false; break;
        case script::CmpOpKind::LtE: if (na <= nb && !all_contained_in(in, a, b, ok)) return false; break;
        case script::CmpOpKind::Gt: if (na > nb && !all_contained_in(in, b, a, ok)) return false; break;
        default: if (na >= nb && !all_contained_in(in, b, a, ok)) return false; break;
    }
    out = Value::boolean(ok);
    return true;
}

namespace {

bool make_view(Interpreter& in, const CallArgs& a, IterKind kind, const char* qualname, Value& out) {
    if (!method_no_args(in, a, qualname)) return false;
    out = Value::object(in.heap().make<DictViewObj>(static_cast<DictObj*>(a[0].o), kind));
    return true;
}
bool dict_keys(Interpreter& in, const CallArgs& a, Value& out) { return make_view(in, a, IterKind::DictKeys, "dict.keys", out); }
bool dict_values(Interpreter& in, const CallArgs& a, Value& out) { return make_view(in, a, IterKind::DictValues, "dict.values", out); }
bool dict_items(Interpreter& in, const CallArgs& a, Value& out) { return make_view(in, a, IterKind::DictItems, "dict.items", out); }

// reversed(view): the view's items, last first.
bool view_reversed(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "__reversed__")) return false;
    ListObj* items = in.new_list();
    if (!in.to_list(a[0], items->items)) return false;
    IteratorObj* it = in.heap().make<IteratorObj>(IterKind::Reversed);
    it->source = Value::object(items);
    it->index = static_cast<std::int64_t>(items->items.size());
    out = Value::object(it);
    return true;
}

bool view_isdisjoint(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "isdisjoint")) return false;
    Value it;
    if (!in.get_iter(a[1], it)) return false;
    Value item;
    while (in.iter_next(it, item)) {
        bool found;
        if (!in.contains(a[0], item, found)) return false;
        if (found) {
            out = Value::boolean(false);
            return true;
        }
    }
    if (in.has_pending()) return false;
    out = Value::boolean(true);
    return true;
}

}  // namespace

void install_view_methods(Interpreter& in) {
    in.types.dict_keys = in.new_class("dict_keys", in.types.object, true);
    in.types.dict_values = in.new_class("dict_values", in.types.object, true);
    in.types.dict_items = in.new_class("dict_items", in.types.object, true);
    in.define_method(in.types.dict, "keys", dict_keys);
    in.define_method(in.types.dict, "values", dict_values);
    in.define_method(in.types.dict, "items", dict_items);
    for (ClassObj* cls : {in.types.dict_keys, in.types.dict_values, in.types.dict_items}) {
        in.define_method(cls, "__reversed__", view_reversed);
    }
    in.define_method(in.types.dict_keys, "isdisjoint", view_isdisjoint);
    in.define_method(in.types.dict_items, "isdisjoint", view_isdisjoint);
}

}  // namespace spindle::vm
