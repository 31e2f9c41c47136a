// dict.keys(), dict.values(), dict.items(): live views of a dict (their
// classes dict_keys, dict_values, dict_items), and what the VM's generic
// paths need from them (views.hpp). Iterating a view makes the same dict
// iterator as iterating the dict, so `for k, v in d.items()` stays one
// allocation per loop.
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
