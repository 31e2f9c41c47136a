// Methods of list and dict.
#include "vm/builtins_support.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

void install_constructors(Interpreter& in);
void install_other_methods(Interpreter& in);

namespace {

ListObj* self_list(const CallArgs& a) { return static_cast<ListObj*>(a[0].o); }
DictObj* self_dict(const CallArgs& a) { return static_cast<DictObj*>(a[0].o); }

bool raise_key_error(Interpreter& in, Value key) {
    auto* e = in.heap().make<ExceptionObj>(in.types.KeyError);
    e->args = in.new_tuple();
    e->args->items.push_back(key);
    return in.raise_value(Value::object(e));
}

// ---------------------------------------------------------------- list

bool list_append(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "list.append")) return false;
    self_list(a)->items.push_back(a[1]);
    out = Value();
    return true;
}

bool list_extend(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "list.extend")) return false;
    tracked_vector<Value> items;
    if (!in.to_list(a[1], items)) return false;
    auto& target = self_list(a)->items;
    target.insert(target.end(), items.begin(), items.end());
    out = Value();
    return true;
}

bool list_insert(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "list.insert", 2, 2)) return false;
    if (!a[1].is_intlike()) return in.raise_type_error(std::string("'") + in.type_name(a[1]) + "' object cannot be interpreted as an integer");
    auto& items = self_list(a)->items;
    const auto n = static_cast<std::int64_t>(items.size());
    std::int64_t i = a[1].as_int();
    if (i < 0) i = std::max<std::int64_t>(0, i + n);
    if (i > n) i = n;
    items.insert(items.begin() + i, a[2]);
    out = Value();
    return true;
}

bool list_pop(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "list.pop", 0, 1)) return false;
    auto& items = self_list(a)->items;
    std::int64_t i = -1;
    if (a.count == 2 && !index_argument(in, a[1], i)) return false;  // the argument is converted first
    if (items.empty()) return in.raise(in.types.IndexError, "pop from empty list");
    if (a.count == 1) {
        i = static_cast<std::int64_t>(items.size()) - 1;
    } else {
        if (i < 0) i += static_cast<std::int64_t>(items.size());
        if (i < 0 || i >= static_cast<std::int64_t>(items.size())) return in.raise(in.types.IndexError, "pop index out of range");
    }
    out = items[static_cast<std::size_t>(i)];
    items.erase(items.begin() + i);
    return true;
}

// Position of the first element equal to `v` in [start, stop), or -1.
bool find_equal(Interpreter& in, const tracked_vector<Value>& items, Value v, std::int64_t start, std::int64_t stop, std::int64_t& pos) {
    for (std::int64_t i = start; i < stop && i < static_cast<std::int64_t>(items.size()); ++i) {
        bool same;
        if (!in.equal(items[static_cast<std::size_t>(i)], v, same)) return false;
        if (same) {
            pos = i;
            return true;
        }
    }
    pos = -1;
    return true;
}

bool list_remove(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "list.remove")) return false;
    auto& items = self_list(a)->items;
    std::int64_t pos;
    if (!find_equal(in, items, a[1], 0, static_cast<std::int64_t>(items.size()), pos)) return false;
    if (pos < 0) return in.raise_value_error("list.remove(x): x not in list");
    items.erase(items.begin() + pos);
    out = Value();
    return true;
}

bool clamp_bounds(Interpreter& in, const CallArgs& a, std::int64_t n, std::int64_t& start, std::int64_t& stop) {
    start = 0;
    stop = n;
    for (std::uint32_t i = 2; i < a.count && i < 4; ++i) {
        if (!a[i].is_intlike()) return in.raise_type_error("slice indices must be integers or have an __index__ method");
        std::int64_t v = a[i].as_int();
        if (v < 0) v = std::max<std::int64_t>(0, v + n);
        if (v > n) v = n;
        (i == 2 ? start : stop) = v;
    }
    return true;
}

bool sequence_index(Interpreter& in, const CallArgs& a, const tracked_vector<Value>& items, const char* what, Value& out) {
    std::int64_t start, stop, pos;
    if (!clamp_bounds(in, a, static_cast<std::int64_t>(items.size()), start, stop)) return false;
    if (!find_equal(in, items, a[1], start, stop, pos)) return false;
    if (pos < 0) {
        if (std::string_view(what) == "list") {
            std::string shown;
            if (!in.repr(a[1], shown)) return false;
            return in.raise_value_error(shown + " is not in list");
        }
        return in.raise_value_error("tuple.index(x): x not in tuple");
    }
    out = Value::integer(pos);
    return true;
}

bool sequence_count(Interpreter& in, const CallArgs& a, const tracked_vector<Value>& items, Value& out) {
    std::int64_t n = 0;
    for (const Value& v : items) {
        bool same;
        if (!in.equal(v, a[1], same)) return false;
        n += same;
    }
    out = Value::integer(n);
    return true;
}

bool list_index(Interpreter& in, const CallArgs& a, Value& out) {
    return method_positional(in, a, "list.index", 1, 3) && sequence_index(in, a, self_list(a)->items, "list", out);
}
bool list_count(Interpreter& in, const CallArgs& a, Value& out) {
    return method_one_arg(in, a, "list.count") && sequence_count(in, a, self_list(a)->items, out);
}
bool tuple_index(Interpreter& in, const CallArgs& a, Value& out) {
    return method_positional(in, a, "tuple.index", 1, 3) && sequence_index(in, a, static_cast<TupleObj*>(a[0].o)->items, "tuple", out);
}
bool tuple_count(Interpreter& in, const CallArgs& a, Value& out) {
    return method_one_arg(in, a, "tuple.count") && sequence_count(in, a, static_cast<TupleObj*>(a[0].o)->items, out);
}

bool list_reverse(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "list.reverse")) return false;
    auto& items = self_list(a)->items;
    std::reverse(items.begin(), items.end());
    out = Value();
    return true;
}

bool list_copy(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "list.copy")) return false;
    ListObj* copy = in.new_list();
    copy->items = self_list(a)->items;
    out = Value::object(copy);
    return true;
}

bool list_clear(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "list.clear")) return false;
    self_list(a)->items.clear();
    out = Value();
    return true;
}

// ---------------------------------------------------------------- dict

bool dict_get(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "dict.get", 1, 2)) return false;
    bool found;
    if (!table::lookup(in, self_dict(a)->table, a[1], out, found)) return false;
    if (!found) out = a.count == 3 ? a[2] : Value();
    return true;
}

bool dict_pop(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "dict.pop", 1, 2)) return false;
    bool found = false;
    // _PyDict_Pop: an empty dict answers without hashing the key.
    if (self_dict(a)->table.live != 0 && !table::remove(in, self_dict(a)->table, a[1], found, &out)) return false;
    if (found) return true;
    if (a.count == 3) {
        out = a[2];
        return true;
    }
    return raise_key_error(in, a[1]);
}

bool dict_setdefault(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "dict.setdefault", 1, 2)) return false;
    bool found;
    if (!table::lookup(in, self_dict(a)->table, a[1], out, found)) return false;
    if (found) return true;
    out = a.count == 3 ? a[2] : Value();
    return table::insert(in, self_dict(a)->table, a[1], out);
}

bool dict_update(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_self(in, a, "dict.update")) return false;
    const std::uint32_t npos = a.positional_count();
    if (npos > 2) return in.raise_type_error("update expected at most 1 argument, got " + std::to_string(npos - 1));
    DictObj* self = self_dict(a);
    if (npos == 2) {
        const Value source = a[1];
        if (source.is_obj() && source.o->kind == ObjKind::Dict) {
            if (!in.dict_merge(self, source, {})) return false;
        } else {
            tracked_vector<Value> pairs;
            if (!in.to_list(source, pairs)) return false;
            for (std::size_t i = 0; i < pairs.size(); ++i) {
                tracked_vector<Value> kv;
                if (!in.to_list(pairs[i], kv)) {
                    const Value error = in.take_pending();
                    if (!in.is_instance(error, in.types.TypeError)) return in.raise_value(error);
                    return in.raise_type_error("cannot convert dictionary update sequence element #" + std::to_string(i) + " to a sequence");
                }
                if (kv.size() != 2)
                    return in.raise_value_error("dictionary update sequence element #" + std::to_string(i) + " has length " + std::to_string(kv.size()) + "; 2 is required");
                if (!table::insert(in, self->table, kv[0], kv[1])) return false;
            }
        }
    }
    for (std::uint32_t k = 0; k < a.keyword_count(); ++k) {
        if (!table::insert(in, self->table, a.kwnames->items[k], a[npos + k])) return false;
    }
    out = Value();
    return true;
}

bool dict_copy(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "dict.copy")) return false;
    DictObj* copy = in.new_dict();
    table::copy(self_dict(a)->table, copy->table);
    out = Value::object(copy);
    return true;
}

bool dict_clear(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "dict.clear")) return false;
    table::clear(self_dict(a)->table);
    out = Value();
    return true;
}

bool dict_popitem(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "dict.popitem")) return false;
    Table& t = self_dict(a)->table;
    for (std::size_t i = t.entries.size(); i-- > 0;) {
        if (t.entries[i].deleted) continue;
        TupleObj* pair = in.new_tuple(2);
        pair->items.push_back(t.entries[i].key);
        pair->items.push_back(t.entries[i].value);
        bool found;
        if (!table::remove(in, t, t.entries[i].key, found)) return false;
        out = Value::object(pair);
        return true;
    }
    return in.raise(in.types.KeyError, "popitem(): dictionary is empty");
}

// dict.fromkeys(iterable, value=None, /): a static method, so no receiver.
bool dict_fromkeys(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("dict.fromkeys() takes no keyword arguments");
    if (a.count < 1) return in.raise_type_error("fromkeys expected at least 1 argument, got 0");
    if (a.count > 2) return in.raise_type_error("fromkeys expected at most 2 arguments, got " + std::to_string(a.count));
    const Value value = a.count == 2 ? a[1] : Value();
    tracked_vector<Value> keys;
    if (!in.to_list(a[0], keys)) return false;
    DictObj* d = in.new_dict();
    out = Value::object(d);
    for (const Value& key : keys) {
        if (!table::insert(in, d->table, key, value)) return false;
    }
    return true;
}

}  // namespace

void install_methods(Interpreter& in) {
    install_constructors(in);
    struct Entry {
        ClassObj* cls;
        const char* name;
        NativeFn fn;
    };
    const Entry entries[] = {
        {in.types.list, "append", list_append},    {in.types.list, "extend", list_extend},
        {in.types.list, "insert", list_insert},    {in.types.list, "pop", list_pop},
        {in.types.list, "remove", list_remove},    {in.types.list, "index", list_index},
        {in.types.list, "count", list_count},      {in.types.list, "sort", list_sort},
        {in.types.list, "reverse", list_reverse},  {in.types.list, "copy", list_copy},
        {in.types.list, "clear", list_clear},      {in.types.tuple, "index", tuple_index},
        {in.types.tuple, "count", tuple_count},    {in.types.dict, "get", dict_get},
        {in.types.dict, "pop", dict_pop},          {in.types.dict, "setdefault", dict_setdefault},
        {in.types.dict, "update", dict_update},    {in.types.dict, "copy", dict_copy},
        {in.types.dict, "clear", dict_clear},      {in.types.dict, "popitem", dict_popitem},
    };
    for (const Entry& e : entries) in.define_method(e.cls, e.name, e.fn);
    in.define_static_method(in.types.dict, "fromkeys", dict_fromkeys);
    install_other_methods(in);
}

}  // namespace spindle::vm
