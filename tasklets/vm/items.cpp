// Indexing, slicing and iteration (printf-style `%` is in methods_str.cpp). Index:
//   [INDEX]     get_item / set_item / del_item with Python's index and slice rules
//   [ITERATION] get_iter / iter_next / to_list
#include <algorithm>
#include <cmath>

#include "script/ast.hpp"
#include "vm/interpreter.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace {

// Byte offset of code point `index` in UTF-8 text.
std::size_t utf8_offset(std::string_view s, std::int64_t index) {
    std::size_t i = 0;
    for (std::int64_t cp = 0; cp < index && i < s.size(); ++cp) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

struct SliceBounds {
    std::int64_t start, stop, step, length;
};

}  // namespace

// ============================================================================
// [INDEX]
// ============================================================================

bool Interpreter::index_of(Value key, std::int64_t size, const char* what, std::int64_t& out) {
    if (!key.is_intlike()) {
        // CPython's wording: "string indices must be integers, not 'float'",
        // "list indices must be integers or slices, not float" (assignment too).
        const std::string_view kind(what);
        if (kind == "string") return raise_type_error(std::string("string indices must be integers, not '") + type_name(key) + "'");
        const std::string_view noun = kind == "list assignment" ? "list" : kind == "range object" ? "range" : kind;
        return raise_type_error(std::string(noun) + " indices must be integers or slices, not " + type_name(key));
    }
    std::int64_t i = key.as_int();
    if (i < 0) i += size;
    if (i < 0 || i >= size) return raise(types.IndexError, std::string(what) + " index out of range");
    out = i;
    return true;
}

bool Interpreter::slice_indices(const SliceObj* s, std::int64_t size, std::int64_t& start, std::int64_t& stop,
                                std::int64_t& step, std::int64_t& count) {
    auto read = [&](Value v, std::int64_t& out, bool& present) {
        present = !v.is_none();
        if (!present) return true;
        if (!v.is_intlike()) return raise_type_error("slice indices must be integers or None or have an __index__ method");
        out = v.as_int();
        return true;
    };
    bool has;
    step = 1;
    if (!read(s->step, step, has)) return false;
    if (step == 0) return raise_value_error("slice step cannot be zero");
    const std::int64_t lower = step < 0 ? -1 : 0;
    const std::int64_t upper = step < 0 ? size - 1 : size;
    if (!read(s->start, start, has)) return false;
    if (!has) {
        start = step < 0 ? upper : lower;
    } else {
        if (start < 0) start = std::max(start + size, lower);
        else start = std::min(start, upper);
    }
    if (!read(s->stop, stop, has)) return false;
    if (!has) {
        stop = step < 0 ? lower : upper;
    } else {
        if (stop < 0) stop = std::max(stop + size, lower);
        else stop = std::min(stop, upper);
    }
    if (step > 0) count = start < stop ? (stop - start - 1) / step + 1 : 0;
    else count = stop < start ? (start - stop - 1) / (-step) + 1 : 0;
    return true;
}

bool Interpreter::get_item(Value container, Value key, Value& out) {
    if (!container.is_obj()) {
        return raise_type_error(std::string("'") + type_name(container) + "' object is not subscriptable");
    }
    const bool is_slice = key.is_obj() && key.o->kind == ObjKind::Slice;
    switch (container.o->kind) {
        case ObjKind::List:
        case ObjKind::Tuple: {
            const bool list = container.o->kind == ObjKind::List;
            const auto& items = list ? static_cast<ListObj*>(container.o)->items : static_cast<TupleObj*>(container.o)->items;
            const auto size = static_cast<std::int64_t>(items.size());
            if (is_slice) {
                std::int64_t start, stop, step, count;
                if (!slice_indices(static_cast<SliceObj*>(key.o), size, start, stop, step, count)) return false;
                tracked_vector<Value> picked;
                picked.reserve(static_cast<std::size_t>(count));
                for (std::int64_t i = 0, at = start; i < count; ++i, at += step) picked.push_back(items[static_cast<std::size_t>(at)]);
                if (list) {
                    ListObj* l = new_list();
                    l->items.swap(picked);
                    out = Value::object(l);
                } else {
                    TupleObj* t = new_tuple();
                    t->items.swap(picked);
                    out = Value::object(t);
                }
                return true;
            }
            std::int64_t i;
            if (!index_of(key, size, list ? "list" : "tuple", i)) return false;
            out = items[static_cast<std::size_t>(i)];
            return true;
        }
        case ObjKind::Str: {
            auto* s = static_cast<StrObj*>(container.o);
            if (is_slice) {
                std::int64_t start, stop, step, count;
                if (!slice_indices(static_cast<SliceObj*>(key.o), s->length, start, stop, step, count)) return false;
                std::string picked;
                if (s->ascii) {
                    for (std::int64_t i = 0, at = start; i < count; ++i, at += step) picked += s->data[static_cast<std::size_t>(at)];
                } else {
                    for (std::int64_t i = 0, at = start; i < count; ++i, at += step) {
                        const std::size_t from = utf8_offset(s->view(), at);
                        const std::size_t to = utf8_offset(s->view(), at + 1);
                        picked.append(s->data.data() + from, to - from);
                    }
                }
                out = str(picked);
                return true;
            }
            std::int64_t i;
            if (!index_of(key, s->length, "string", i)) return false;
            if (s->ascii) {
                out = str(std::string_view(s->data.data() + i, 1));
            } else {
                const std::size_t from = utf8_offset(s->view(), i);
                const std::size_t to = utf8_offset(s->view(), i + 1);
                out = str(std::string_view(s->data.data() + from, to - from));
            }
            return true;
        }
        case ObjKind::Dict: {
            bool found;
            if (!table::lookup(*this, static_cast<DictObj*>(container.o)->table, key, out, found)) return false;
            if (!found) {
                TupleObj* t = new_tuple();
                t->items.push_back(key);
                auto* e = heap_.make<ExceptionObj>(types.KeyError);
                e->args = t;
                return raise_value(Value::object(e));
            }
            return true;
        }
        case ObjKind::Range: {
            auto* r = static_cast<RangeObj*>(container.o);
            const std::int64_t n = r->length();
            if (is_slice) {
                std::int64_t start, stop, step, count;
                if (!slice_indices(static_cast<SliceObj*>(key.o), n, start, stop, step, count)) return false;
                // compute_slice: the slice's adjusted start and stop, mapped through the range.
                (void)count;
                const std::int64_t new_start = r->start + start * r->step;
                const std::int64_t new_stop = r->start + stop * r->step;
                const std::int64_t new_step = r->step * step;
                out = Value::object(heap_.make<RangeObj>(new_start, new_stop, new_step));
                return true;
            }
            // range(-2**63, 0) has 2**63 items: one more than int64 holds.
            const __int128 span = r->step > 0 ? static_cast<__int128>(r->stop) - r->start : static_cast<__int128>(r->start) - r->stop;
            const __int128 step = r->step > 0 ? r->step : -static_cast<__int128>(r->step);
            const __int128 size = span > 0 ? (span - 1) / step + 1 : 0;
            if (size > INT64_MAX && key.is_intlike()) {
                __int128 k = key.as_int();
                if (k < 0) k += size;
                out = Value::integer(static_cast<std::int64_t>(r->start + k * static_cast<__int128>(r->step)));
                return true;
            }
            std::int64_t i;
            if (!index_of(key, n, "range object", i)) return false;
            out = Value::integer(static_cast<std::int64_t>(r->start + static_cast<__int128>(i) * r->step));
            return true;
        }
        case ObjKind::Instance:
        case ObjKind::Exception: {
            Value method = lookup_in_class(type_of(container), names.getitem);
            if (method.is_undef()) break;
            Value args[2] = {container, key};
            return call(method, args, 2, out);
        }
        case ObjKind::Class: {
            if (container.o == types.list || container.o == types.dict || container.o == types.tuple || container.o == types.set) {
                out = container;  // list[int] in annotations-free code: harmless alias
                return true;
            }
            break;
        }
        default: break;
    }
    return raise_type_error(std::string("'") + type_name(container) + "' object is not subscriptable");
}

bool Interpreter::set_item(Value container, Value key, Value value) {
    if (container.is_obj()) {
        switch (container.o->kind) {
            case ObjKind::List: {
                auto& items = static_cast<ListObj*>(container.o)->items;
                if (key.is_obj() && key.o->kind == ObjKind::Slice) {
                    std::int64_t start, stop, step, count;
                    if (!slice_indices(static_cast<SliceObj*>(key.o), static_cast<std::int64_t>(items.size()), start, stop, step, count)) return false;
                    tracked_vector<Value> replacement;
                    if (!to_list(value, replacement)) return false;
                    if (step == 1) {
                        if (stop < start) stop = start;
                        items.erase(items.begin() + start, items.begin() + stop);
                        items.insert(items.begin() + start, replacement.begin(), replacement.end());
                        return true;
                    }
                    if (static_cast<std::int64_t>(replacement.size()) != count) {
                        return raise_value_error("attempt to assign sequence of size " + std::to_string(replacement.size()) +
                                                 " to extended slice of size " + std::to_string(count));
                    }
                    for (std::int64_t i = 0, at = start; i < count; ++i, at += step) items[static_cast<std::size_t>(at)] = replacement[static_cast<std::size_t>(i)];
                    return true;
                }
                std::int64_t i;
                if (!index_of(key, static_cast<std::int64_t>(items.size()), "list assignment", i)) return false;
                items[static_cast<std::size_t>(i)] = value;
                return true;
            }
            case ObjKind::Dict: return table::insert(*this, static_cast<DictObj*>(container.o)->table, key, value);
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(container), names.setitem);
                if (method.is_undef()) break;
                Value args[3] = {container, key, value};
                Value ignored;
                return call(method, args, 3, ignored);
            }
            default: break;
        }
    }
    return raise_type_error(std::string("'") + type_name(container) + "' object does not support item assignment");
}

bool Interpreter::del_item(Value container, Value key) {
    if (container.is_obj()) {
        switch (container.o->kind) {
            case ObjKind::List: {
                auto& items = static_cast<ListObj*>(container.o)->items;
                if (key.is_obj() && key.o->kind == ObjKind::Slice) {
                    std::int64_t start, stop, step, count;
                    if (!slice_indices(static_cast<SliceObj*>(key.o), static_cast<std::int64_t>(items.size()), start, stop, step, count)) return false;
                    tracked_vector<bool> doomed(items.size(), false);
                    for (std::int64_t i = 0, at = start; i < count; ++i, at += step) doomed[static_cast<std::size_t>(at)] = true;
                    tracked_vector<Value> kept;
                    for (std::size_t i = 0; i < items.size(); ++i) {
                        if (!doomed[i]) kept.push_back(items[i]);
                    }
                    items.swap(kept);
                    return true;
                }
                std::int64_t i;
                if (!index_of(key, static_cast<std::int64_t>(items.size()), "list assignment", i)) return false;
                items.erase(items.begin() + i);
                return true;
            }
            case ObjKind::Dict: {
                bool found;
                if (!table::remove(*this, static_cast<DictObj*>(container.o)->table, key, found)) return false;
                if (!found) {
                    auto* e = heap_.make<ExceptionObj>(types.KeyError);
                    e->args = new_tuple();
                    e->args->items.push_back(key);
                    return raise_value(Value::object(e));
                }
                return true;
            }
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(container), names.delitem);
                if (method.is_undef()) break;
                Value args[2] = {container, key};
                Value ignored;
                return call(method, args, 2, ignored);
            }
            default: break;
        }
    }
    return raise_type_error(std::string("'") + type_name(container) + "' object does not support item deletion");
}

// ============================================================================
// [ITERATION]
// ============================================================================

bool Interpreter::get_iter(Value v, Value& out) {
    if (v.is_obj()) {
        IteratorObj* it = nullptr;
        switch (v.o->kind) {
            case ObjKind::List:
            case ObjKind::Tuple:
            case ObjKind::Str:
                it = heap_.make<IteratorObj>(v.o->kind == ObjKind::Str ? IterKind::Str : IterKind::Sequence);
                it->source = v;
                break;
            case ObjKind::Range: {
                auto* r = static_cast<RangeObj*>(v.o);
                it = heap_.make<IteratorObj>(IterKind::Range);
                it->index = r->start;
                it->end = r->start + r->length() * r->step;
                it->step = r->step;
                if (r->length() == 0) it->end = it->index;
                break;
            }
            case ObjKind::Dict:
                it = heap_.make<IteratorObj>(IterKind::DictKeys);
                it->source = v;
                it->end = static_cast<std::int64_t>(static_cast<DictObj*>(v.o)->table.keys_version);
                break;
            case ObjKind::Set:
                // setiter: slot order; `end` holds the size to detect mutation.
                it = heap_.make<IteratorObj>(IterKind::Set);
                it->source = v;
                it->end = static_cast<SetObj*>(v.o)->used;
                break;
            case ObjKind::DictView: {
                auto* view = static_cast<DictViewObj*>(v.o);
                it = heap_.make<IteratorObj>(view->which);
                it->source = Value::object(view->dict);
                it->end = static_cast<std::int64_t>(view->dict->table.keys_version);
                break;
            }
            case ObjKind::Iterator: out = v; return true;
            case ObjKind::Channel:
            case ObjKind::Tasklet:
            case ObjKind::Instance:
            case ObjKind::Exception: {
                Value method = lookup_in_class(type_of(v), names.iter);
                if (!method.is_undef()) {
                    if (!call(method, &v, 1, out)) return false;
                    // PyObject_GetIter: the result must itself be an iterator.
                    const bool iterator = (out.is_obj() && out.o->kind == ObjKind::Iterator) ||
                                          !lookup_in_class(type_of(out), names.next).is_undef();
                    if (!iterator) return raise_type_error(std::string("iter() returned non-iterator of type '") + type_name(out) + "'");
                    return true;
                }
                Value getitem = lookup_in_class(type_of(v), names.getitem);
                if (!getitem.is_undef()) {
                    it = heap_.make<IteratorObj>(IterKind::Sequence);
                    it->source = v;
                    it->step = 0;  // marks "call __getitem__ until IndexError"
                    break;
                }
                break;
            }
            default: break;
        }
        if (it) {
            out = Value::object(it);
            return true;
        }
    }
    return raise_type_error(std::string("'") + type_name(v) + "' object is not iterable");
}

namespace {

// zip(strict=True) stopped because argument `exhausted` (from 0) ran out:
// raises ValueError unless every argument ran out at the same point.
void check_zip_lengths(Interpreter& in, IteratorObj* it, std::size_t exhausted) {
    auto message = [](std::size_t i, const char* what) {
        return "zip() argument " + std::to_string(i + 1) + " is " + what + " than argument" + (i == 1 ? " " : "s 1-") + std::to_string(i);
    };
    if (exhausted > 0) {
        in.raise_value_error(message(exhausted, "shorter"));
        return;
    }
    for (std::size_t i = 1; i < it->parts.size(); ++i) {
        Value item;
        if (in.iter_next(it->parts[i], item)) {
            in.raise_value_error(message(i, "longer"));
            return;
        }
        if (in.has_pending()) return;
    }
}

}  // namespace

bool Interpreter::iter_next(Value iterator, Value& out) {
    if (!(iterator.is_obj() && iterator.o->kind == ObjKind::Iterator)) {
        if (iterator.is_obj() && (iterator.o->kind == ObjKind::Instance || iterator.o->kind == ObjKind::Exception ||
                                  iterator.o->kind == ObjKind::Channel)) {
            Value method = lookup_in_class(type_of(iterator), names.next);
            if (method.is_undef()) {
                raise_type_error(std::string("'") + type_name(iterator) + "' object is not an iterator");
                return false;
            }
            if (call(method, &iterator, 1, out)) return true;
            if (has_pending() && is_instance(pending_, types.StopIteration)) take_pending();
            return false;
        }
        raise_type_error(std::string("'") + type_name(iterator) + "' object is not an iterator");
        return false;
    }
    auto* it = static_cast<IteratorObj*>(iterator.o);
    switch (it->iter_kind) {
        case IterKind::Range:
            if (it->step > 0 ? it->index < it->end : it->index > it->end) {
                out = Value::integer(it->index);
                it->index += it->step;
                return true;
            }
            return false;
        case IterKind::Sequence: {
            if (it->step == 0) {  // old-style __getitem__ iteration
                Value args[2] = {it->source, Value::integer(it->index)};
                Value method = lookup_in_class(type_of(it->source), names.getitem);
                if (call(method, args, 2, out)) {
                    ++it->index;
                    return true;
                }
                if (has_pending() && (is_instance(pending_, types.IndexError) || is_instance(pending_, types.StopIteration))) take_pending();
                return false;
            }
            const auto& items = it->source.o->kind == ObjKind::List ? static_cast<ListObj*>(it->source.o)->items
                                                                    : static_cast<TupleObj*>(it->source.o)->items;
            if (it->index < static_cast<std::int64_t>(items.size())) {
                out = items[static_cast<std::size_t>(it->index++)];
                return true;
            }
            it->index = INT64_MAX;
            return false;
        }
        case IterKind::Str: {
            auto* s = static_cast<StrObj*>(it->source.o);
            if (it->index >= static_cast<std::int64_t>(s->data.size())) return false;
            std::size_t from = static_cast<std::size_t>(it->index), to = from + 1;
            while (to < s->data.size() && (static_cast<unsigned char>(s->data[to]) & 0xC0) == 0x80) ++to;
            it->index = static_cast<std::int64_t>(to);
            out = str(std::string_view(s->data.data() + from, to - from));
            return true;
        }
        case IterKind::DictKeys:
        case IterKind::DictValues:
        case IterKind::DictItems: {
            auto* d = static_cast<DictObj*>(it->source.o);
            if (static_cast<std::uint64_t>(it->end) != d->table.keys_version) {
                it->end = static_cast<std::int64_t>(d->table.keys_version);
                raise(types.RuntimeError, "dictionary changed size during iteration");
                return false;
            }
            const std::int64_t pos = table::next_live(d->table, it->index);
            if (pos < 0) {
                it->index = static_cast<std::int64_t>(d->table.entries.size());
                return false;
            }
            it->index = pos + 1;
            const auto& e = d->table.entries[static_cast<std::size_t>(pos)];
            if (it->iter_kind == IterKind::DictKeys) out = e.key;
            else if (it->iter_kind == IterKind::DictValues) out = e.value;
            else {
                TupleObj* pair = new_tuple();
                pair->items.push_back(e.key);
                pair->items.push_back(e.value);
                out = Value::object(pair);
            }
            return true;
        }
        case IterKind::Enumerate: {
            Value item;
            if (!iter_next(it->parts[0], item)) return false;
            TupleObj* pair = new_tuple();
            pair->items.push_back(Value::integer(it->index++));
            pair->items.push_back(item);
            out = Value::object(pair);
            return true;
        }
        case IterKind::Zip: {
            TupleObj* tuple = new_tuple();
            for (std::size_t i = 0; i < it->parts.size(); ++i) {
                Value item;
                if (!iter_next(it->parts[i], item)) {
                    if (it->end == 1 && !has_pending()) check_zip_lengths(*this, it, i);
                    return false;
                }
                tuple->items.push_back(item);
            }
            out = Value::object(tuple);
            return true;
        }
        case IterKind::Map: {
            tracked_vector<Value> args;
            for (std::size_t i = 1; i < it->parts.size(); ++i) {
                Value item;
                if (!iter_next(it->parts[i], item)) return false;
                args.push_back(item);
            }
            return call(it->parts[0], args.data(), static_cast<std::uint32_t>(args.size()), out);
        }
        case IterKind::Filter: {
            Value item;
            while (iter_next(it->parts[1], item)) {
                bool keep;
                if (it->parts[0].is_none()) {
                    if (!truthy(item, keep)) return false;
                } else {
                    Value r;
                    if (!call(it->parts[0], &item, 1, r)) return false;
                    if (!truthy(r, keep)) return false;
                }
                if (keep) {
                    out = item;
                    return true;
                }
            }
            return false;
        }
        case IterKind::Reversed: {
            if (it->index <= 0) return false;
            --it->index;
            const auto& items = it->source.o->kind == ObjKind::List ? static_cast<ListObj*>(it->source.o)->items
                                                                    : static_cast<TupleObj*>(it->source.o)->items;
            if (it->index >= static_cast<std::int64_t>(items.size())) {
                it->index = 0;
                return false;
            }
            out = items[static_cast<std::size_t>(it->index)];
            return true;
        }
        case IterKind::Set: {
            if (it->source.is_none()) return false;
            auto* set = static_cast<SetObj*>(it->source.o);
            if (it->end != set->used) {
                it->end = -1;  // sticky, as CPython's si_used = -1
                raise(types.RuntimeError, "Set changed size during iteration");
                return false;
            }
            std::size_t pos = static_cast<std::size_t>(it->index);
            std::uint64_t hash;
            if (!sets::next(set, pos, out, hash)) {
                it->source = Value();
                return false;
            }
            it->index = static_cast<std::int64_t>(pos);
            return true;
        }
        case IterKind::Channel: return false;
    }
    return false;
}

bool Interpreter::to_list(Value iterable, tracked_vector<Value>& out) {
    if (iterable.is_obj()) {
        if (iterable.o->kind == ObjKind::List) {
            const auto& items = static_cast<ListObj*>(iterable.o)->items;
            out.assign(items.begin(), items.end());
            return true;
        }
        if (iterable.o->kind == ObjKind::Tuple) {
            const auto& items = static_cast<TupleObj*>(iterable.o)->items;
            out.assign(items.begin(), items.end());
            return true;
        }
    }
    Value it;
    if (!get_iter(iterable, it)) return false;
    Value item;
    while (iter_next(it, item)) out.push_back(item);
    return !has_pending();
}

bool Interpreter::dict_merge(DictObj* into, Value mapping, std::string_view reject_duplicates_for) {
    const bool reject_duplicates = !reject_duplicates_for.empty();
    if (!(mapping.is_obj() && mapping.o->kind == ObjKind::Dict)) {
        return raise_type_error(std::string("'") + type_name(mapping) + "' object is not a mapping");
    }
    const tracked_vector<Table::Entry> entries = static_cast<DictObj*>(mapping.o)->table.entries;
    for (const auto& e : entries) {
        if (e.deleted) continue;
        if (reject_duplicates) {
            Value existing;
            bool found;
            if (!table::lookup(*this, into->table, e.key, existing, found)) return false;
            if (found) {
                std::string key;
                to_str(e.key, key);
                return raise_type_error(std::string(reject_duplicates_for) + " got multiple values for keyword argument '" + key + "'");
            }
        }
        if (!table::insert(*this, into->table, e.key, e.value)) return false;
    }
    return true;
}

}  // namespace spindle::vm
