// Methods of str, set and the dict views.
#include "vm/builtins_support.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

bool dict_iter_of(Interpreter& in, const CallArgs& a, IterKind kind, Value& out) {
    if (!expect_count(in, a, "view", 1, 1)) return false;
    IteratorObj* it = in.heap().make<IteratorObj>(kind);
    it->source = a[0];
    it->end = static_cast<std::int64_t>(static_cast<DictObj*>(a[0].o)->table.keys_version);
    out = Value::object(it);
    return true;
}
bool dict_keys(Interpreter& in, const CallArgs& a, Value& out) { return dict_iter_of(in, a, IterKind::DictKeys, out); }
bool dict_values(Interpreter& in, const CallArgs& a, Value& out) { return dict_iter_of(in, a, IterKind::DictValues, out); }
bool dict_items(Interpreter& in, const CallArgs& a, Value& out) { return dict_iter_of(in, a, IterKind::DictItems, out); }

bool str_join(Interpreter& in, const CallArgs& a, Value& out) {
    if (!expect_count(in, a, "join", 2, 2)) return false;
    tracked_vector<Value> items;
    if (!in.to_list(a[1], items)) return false;
    std::string text;
    const std::string_view sep = as_str(a[0])->view();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!is_str(items[i])) return in.raise_type_error("sequence item " + std::to_string(i) + ": expected str instance, " + in.type_name(items[i]) + " found");
        if (i) text += sep;
        text += as_str(items[i])->view();
    }
    out = in.str(text);
    return true;
}

}  // namespace

void install_other_methods(Interpreter& in) {
    in.define_method(in.types.dict, "keys", dict_keys);
    in.define_method(in.types.dict, "values", dict_values);
    in.define_method(in.types.dict, "items", dict_items);
    in.define_method(in.types.str, "join", str_join);
}

}  // namespace spindle::vm
