// The set table (set.hpp) and the methods and operators of set. Index:
//   [TABLE]    lookup, insertion, resize: setobject.c's probing, slot for slot
//   [ALGEBRA]  update/merge, intersection, difference, symmetric difference, subset tests
//   [VM]       the Interpreter entry points the VM uses (set_add, operators, comparisons)
//   [METHODS]  set.add ... set.symmetric_difference_update
#include <utility>

#include "vm/builtins_support.hpp"
#include "vm/set.hpp"
#include "vm/table.hpp"

namespace spindle::vm {
namespace sets {
namespace {

// ============================================================================
// [TABLE]
// ============================================================================

using Slot = SetObj::Slot;
constexpr std::size_t kLinearProbes = 9;
constexpr unsigned kPerturbShift = 5;

bool is_unused(const Slot& s) noexcept { return s.key.is_undef() && s.hash == 0; }
bool is_active(const Slot& s) noexcept { return !s.key.is_undef(); }

bool is_set(Value v) noexcept { return v.is_obj() && v.o->kind == ObjKind::Set; }
SetObj* as_set(Value v) noexcept { return static_cast<SetObj*>(v.o); }

// A new set's table is allocated on its first insertion.
void ensure_table(SetObj* so) {
    if (so->slots.empty()) so->slots.assign(so->mask + 1, Slot{});
}

// Identity or equal strings: 1; different ints: 0; otherwise -1 (ask __eq__).
int quick_equal(Value a, Value b) noexcept {
    if (a.identical(b)) return 1;
    if (a.is_obj() && b.is_obj() && a.o->kind == ObjKind::Str && b.o->kind == ObjKind::Str) {
        auto* x = static_cast<StrObj*>(a.o);
        auto* y = static_cast<StrObj*>(b.o);
        return x->data == y->data ? 1 : 0;
    }
    if (a.is_int() && b.is_int()) return 0;
    return -1;
}

// set_lookkey: the index of the active slot holding `key`, or -1.
bool lookkey(Interpreter& in, SetObj* so, Value key, std::uint64_t hash, std::int64_t& index) {
restart:
    index = -1;
    if (so->slots.empty()) return true;
    std::size_t mask = so->mask;
    std::uint64_t perturb = hash;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    for (;;) {
        const std::size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
        for (std::size_t j = i; j <= i + probes; ++j) {
            const Slot& e = so->slots[j];
            if (is_unused(e)) return true;
            if (e.hash != hash) continue;  // a dummy's hash equals no key's
            const Value startkey = e.key;
            int q = quick_equal(startkey, key);
            if (q < 0) {
                const std::uint64_t version = so->table_version;
                bool eq = false;
                if (!in.equal(startkey, key, eq)) return false;
                if (so->table_version != version || !so->slots[j].key.identical(startkey)) goto restart;
                q = eq ? 1 : 0;
                mask = so->mask;
            }
            if (q == 1) {
                index = static_cast<std::int64_t>(j);
                return true;
            }
        }
        perturb >>= kPerturbShift;
        i = static_cast<std::size_t>(i * 5 + 1 + perturb) & mask;
    }
}

// set_insert_clean: `key` is known to be absent and the table has no dummies.
void insert_clean(tracked_vector<Slot>& table, std::size_t mask, Value key, std::uint64_t hash) {
    std::uint64_t perturb = hash;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    for (;;) {
        if (table[i].key.is_undef()) {
            table[i] = Slot{key, hash};
            return;
        }
        if (i + kLinearProbes <= mask) {
            for (std::size_t j = 1; j <= kLinearProbes; ++j) {
                if (table[i + j].key.is_undef()) {
                    table[i + j] = Slot{key, hash};
                    return;
                }
            }
        }
        perturb >>= kPerturbShift;
        i = static_cast<std::size_t>(i * 5 + 1 + perturb) & mask;
    }
}

// set_table_resize: the smallest power of two above `minused` slots.
void resize(SetObj* so, std::int64_t minused) {
    std::size_t newsize = SetObj::kMinSize;
    while (newsize <= static_cast<std::size_t>(minused)) newsize <<= 1;
    if (newsize == SetObj::kMinSize && so->mask + 1 == SetObj::kMinSize && so->fill == so->used) return;
    tracked_vector<Slot> old;
    old.swap(so->slots);
    so->slots.assign(newsize, Slot{});
    so->mask = newsize - 1;
    ++so->table_version;
    so->fill = so->used;
    for (const Slot& e : old) {
        if (is_active(e)) insert_clean(so->slots, so->mask, e.key, e.hash);
    }
}

void swap_bodies(SetObj* a, SetObj* b) noexcept {
    a->slots.swap(b->slots);
    std::swap(a->mask, b->mask);
    std::swap(a->fill, b->fill);
    std::swap(a->used, b->used);
    ++a->table_version;
    ++b->table_version;
}

// set_merge: other is a set.
bool merge(Interpreter& in, SetObj* so, SetObj* other) {
    if (other == so || other->used == 0) return true;
    if (static_cast<std::size_t>(so->fill + other->used) * 5 >= so->mask * 3) resize(so, (so->used + other->used) * 2);
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        ensure_table(so);
        for (std::size_t i = 0; i <= other->mask; ++i) {
            if (is_active(other->slots[i])) so->slots[i] = other->slots[i];
        }
        so->fill = other->fill;
        so->used = other->used;
        return true;
    }
    if (so->fill == 0) {
        ensure_table(so);
        so->fill = other->used;
        so->used = other->used;
        for (const Slot& e : other->slots) {
            if (is_active(e)) insert_clean(so->slots, so->mask, e.key, e.hash);
        }
        return true;
    }
    // Duplicates are possible: ordinary insertions (which may run __eq__).
    for (std::size_t i = 0; i < other->slots.size(); ++i) {
        const Slot e = other->slots[i];
        if (is_active(e) && !add_entry(in, so, e.key, e.hash)) return false;
    }
    return true;
}

bool raise_key_error(Interpreter& in, Value key) {
    auto* e = in.heap().make<ExceptionObj>(in.types.KeyError);
    e->args = in.new_tuple();
    e->args->items.push_back(key);
    return in.raise_value(Value::object(e));
}

}  // namespace

bool hash_of(Interpreter& in, Value key, std::uint64_t& hash) {
    if (!in.hash(key, hash)) return false;
    if (hash == SetObj::kDummyHash) hash = SetObj::kDummyHash - 1;
    return true;
}

bool next(const SetObj* set, std::size_t& pos, Value& key, std::uint64_t& hash) noexcept {
    const std::size_t n = set->slots.size();
    while (pos < n && !is_active(set->slots[pos])) ++pos;
    if (pos >= n) return false;
    key = set->slots[pos].key;
    hash = set->slots[pos].hash;
    ++pos;
    return true;
}

bool contains_entry(Interpreter& in, SetObj* set, Value key, std::uint64_t hash, bool& found) {
    std::int64_t index;
    if (!lookkey(in, set, key, hash, index)) return false;
    found = index >= 0;
    return true;
}

bool contains(Interpreter& in, SetObj* set, Value key, bool& found) {
    std::uint64_t hash;
    return hash_of(in, key, hash) && contains_entry(in, set, key, hash, found);
}

// set_add_entry: a dummy met on the probe path is reused (the last one seen).
bool add_entry(Interpreter& in, SetObj* so, Value key, std::uint64_t hash) {
restart:
    ensure_table(so);
    std::size_t mask = so->mask;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    std::uint64_t perturb = hash;
    std::int64_t freeslot = -1;
    std::size_t unused = 0;
    for (;;) {
        const std::size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
        for (std::size_t j = i; j <= i + probes; ++j) {
            const Slot& e = so->slots[j];
            if (is_unused(e)) {
                unused = j;
                goto found_unused_or_dummy;
            }
            if (e.hash == hash) {
                const Value startkey = e.key;
                int q = quick_equal(startkey, key);
                if (q < 0) {
                    const std::uint64_t version = so->table_version;
                    bool eq = false;
                    if (!in.equal(startkey, key, eq)) return false;
                    if (eq) return true;
                    if (so->table_version != version || !so->slots[j].key.identical(startkey)) goto restart;
                    mask = so->mask;
                    q = 0;
                }
                if (q == 1) return true;  // already present: the set keeps its own key
            } else if (e.hash == SetObj::kDummyHash) {
                freeslot = static_cast<std::int64_t>(j);
            }
        }
        perturb >>= kPerturbShift;
        i = static_cast<std::size_t>(i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    if (freeslot >= 0) {
        ++so->used;
        so->slots[static_cast<std::size_t>(freeslot)] = Slot{key, hash};
        return true;
    }
    ++so->fill;
    ++so->used;
    so->slots[unused] = Slot{key, hash};
    if (static_cast<std::size_t>(so->fill) * 5 < mask * 3) return true;
    resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
    return true;
}

bool add(Interpreter& in, SetObj* set, Value key) {
    std::uint64_t hash;
    return hash_of(in, key, hash) && add_entry(in, set, key, hash);
}

bool discard_entry(Interpreter& in, SetObj* set, Value key, std::uint64_t hash, bool& found) {
    std::int64_t index;
    if (!lookkey(in, set, key, hash, index)) return false;
    found = index >= 0;
    if (found) {
        set->slots[static_cast<std::size_t>(index)] = Slot{Value::undef(), SetObj::kDummyHash};
        --set->used;
    }
    return true;
}

bool discard(Interpreter& in, SetObj* set, Value key, bool& found) {
    std::uint64_t hash;
    return hash_of(in, key, hash) && discard_entry(in, set, key, hash, found);
}

bool pop(Interpreter& in, SetObj* so, Value& key) {
    if (so->used == 0) return in.raise(in.types.KeyError, "pop from an empty set");
    std::size_t i = so->finger & so->mask;
    while (!is_active(so->slots[i])) {
        if (++i > so->mask) i = 0;
    }
    key = so->slots[i].key;
    so->slots[i] = Slot{Value::undef(), SetObj::kDummyHash};
    --so->used;
    so->finger = i + 1;
    return true;
}

void clear(SetObj* set) {
    set->slots.clear();
    set->mask = SetObj::kMinSize - 1;
    set->fill = 0;
    set->used = 0;
    ++set->table_version;
}

// ============================================================================
// [ALGEBRA]
// ============================================================================

bool update(Interpreter& in, SetObj* so, Value other) {
    if (is_set(other)) return merge(in, so, as_set(other));
    if (other.is_obj() && other.o->kind == ObjKind::Dict) {
        auto* dict = static_cast<DictObj*>(other.o);
        const auto size = static_cast<std::int64_t>(dict->table.live);
        if (static_cast<std::size_t>(so->fill + size) * 5 >= so->mask * 3) resize(so, (so->used + size) * 2);
        for (std::size_t i = 0; i < dict->table.entries.size(); ++i) {
            const Table::Entry e = dict->table.entries[i];
            if (e.deleted) continue;
            const std::uint64_t hash = e.hash == SetObj::kDummyHash ? SetObj::kDummyHash - 1 : e.hash;
            if (!add_entry(in, so, e.key, hash)) return false;
        }
        return true;
    }
    Value it;
    if (!in.get_iter(other, it)) return false;
    Value key;
    while (in.iter_next(it, key)) {
        if (!add(in, so, key)) return false;
    }
    return !in.has_pending();
}

bool make(Interpreter& in, Value iterable, SetObj*& out) {
    out = in.new_set();
    return iterable.is_undef() || update(in, out, iterable);
}

SetObj* copy(Interpreter& in, SetObj* set) {
    SetObj* result = in.new_set();
    merge(in, result, set);  // into an empty set: no comparisons, cannot fail
    return result;
}

bool intersection(Interpreter& in, SetObj* so, Value other, SetObj*& out) {
    if (is_set(other) && as_set(other) == so) {
        out = copy(in, so);
        return true;
    }
    SetObj* result = in.new_set();
    out = result;
    if (is_set(other)) {
        SetObj* larger = so;
        SetObj* smaller = as_set(other);
        if (smaller->used > larger->used) std::swap(larger, smaller);
        std::size_t pos = 0;
        Value key;
        std::uint64_t hash;
        while (next(smaller, pos, key, hash)) {
            bool found;
            if (!contains_entry(in, larger, key, hash, found)) return false;
            if (found && !add_entry(in, result, key, hash)) return false;
        }
        return true;
    }
    Value it;
    if (!in.get_iter(other, it)) return false;
    Value key;
    while (in.iter_next(it, key)) {
        std::uint64_t hash;
        bool found;
        if (!hash_of(in, key, hash) || !contains_entry(in, so, key, hash, found)) return false;
        if (found) {
            if (!add_entry(in, result, key, hash)) return false;
            if (result->used >= so->used) break;
        }
    }
    return !in.has_pending();
}

bool intersection_update(Interpreter& in, SetObj* set, Value other) {
    SetObj* tmp;
    if (!intersection(in, set, other, tmp)) return false;
    swap_bodies(set, tmp);
    return true;
}

bool difference_update(Interpreter& in, SetObj* so, Value other) {
    if (is_set(other) && as_set(other) == so) {
        clear(so);
        return true;
    }
    if (is_set(other)) {
        SetObj* o = as_set(other);
        // When the other set is much larger, only the common elements matter.
        if ((o->used >> 3) > so->used && !intersection(in, so, other, o)) return false;
        std::size_t pos = 0;
        Value key;
        std::uint64_t hash;
        while (next(o, pos, key, hash)) {
            bool found;
            if (!discard_entry(in, so, key, hash, found)) return false;
        }
    } else {
        Value it;
        if (!in.get_iter(other, it)) return false;
        Value key;
        while (in.iter_next(it, key)) {
            bool found;
            if (!discard(in, so, key, found)) return false;
        }
        if (in.has_pending()) return false;
    }
    // More than a quarter dummies: resize them away.
    if (static_cast<std::size_t>(so->fill - so->used) <= so->mask / 4) return true;
    resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
    return true;
}

bool difference(Interpreter& in, SetObj* so, Value other, SetObj*& out) {
    std::int64_t other_size = -1;
    const bool other_dict = other.is_obj() && other.o->kind == ObjKind::Dict;
    if (is_set(other)) other_size = as_set(other)->used;
    else if (other_dict) other_size = static_cast<std::int64_t>(static_cast<DictObj*>(other.o)->table.live);
    if (other_size < 0 || (so->used >> 2) > other_size) {
        out = copy(in, so);
        return difference_update(in, out, other);
    }
    SetObj* result = in.new_set();
    out = result;
    std::size_t pos = 0;
    Value key;
    std::uint64_t hash;
    while (next(so, pos, key, hash)) {
        bool found;
        if (other_dict) {
            Value ignored;
            if (!table::lookup(in, static_cast<DictObj*>(other.o)->table, key, ignored, found)) return false;
        } else if (!contains_entry(in, as_set(other), key, hash, found)) {
            return false;
        }
        if (!found && !add_entry(in, result, key, hash)) return false;
    }
    return true;
}

bool symmetric_difference_update(Interpreter& in, SetObj* so, Value other) {
    if (is_set(other) && as_set(other) == so) {
        clear(so);
        return true;
    }
    auto toggle = [&](Value key, std::uint64_t hash) {
        bool found;
        if (!discard_entry(in, so, key, hash, found)) return false;
        return found || add_entry(in, so, key, hash);
    };
    if (other.is_obj() && other.o->kind == ObjKind::Dict) {
        auto* dict = static_cast<DictObj*>(other.o);
        for (std::size_t i = 0; i < dict->table.entries.size(); ++i) {
            const Table::Entry e = dict->table.entries[i];
            if (e.deleted) continue;
            if (!toggle(e.key, e.hash == SetObj::kDummyHash ? SetObj::kDummyHash - 1 : e.hash)) return false;
        }
        return true;
    }
    SetObj* otherset;
    if (is_set(other)) otherset = as_set(other);
    else if (!make(in, other, otherset)) return false;
    std::size_t pos = 0;
    Value key;
    std::uint64_t hash;
    while (next(otherset, pos, key, hash)) {
        if (!toggle(key, hash)) return false;
    }
    return true;
}

bool symmetric_difference(Interpreter& in, SetObj* so, Value other, SetObj*& out) {
    return make(in, other, out) && symmetric_difference_update(in, out, Value::object(so));
}

bool union_with(Interpreter& in, SetObj* so, Value other, SetObj*& out) {
    out = copy(in, so);
    if (is_set(other) && as_set(other) == so) return true;
    return update(in, out, other);
}

bool issubset(Interpreter& in, SetObj* so, Value other, bool& out) {
    if (!is_set(other)) {
        SetObj* tmp;
        return make(in, other, tmp) && issubset(in, so, Value::object(tmp), out);
    }
    SetObj* o = as_set(other);
    out = false;
    if (so->used > o->used) return true;
    std::size_t pos = 0;
    Value key;
    std::uint64_t hash;
    while (next(so, pos, key, hash)) {
        bool found;
        if (!contains_entry(in, o, key, hash, found)) return false;
        if (!found) return true;
    }
    out = true;
    return true;
}

bool issuperset(Interpreter& in, SetObj* so, Value other, bool& out) {
    if (!is_set(other)) {
        SetObj* tmp;
        return make(in, other, tmp) && issubset(in, tmp, Value::object(so), out);
    }
    return issubset(in, as_set(other), Value::object(so), out);
}

bool isdisjoint(Interpreter& in, SetObj* so, Value other, bool& out) {
    out = false;
    if (is_set(other)) {
        SetObj* larger = so;
        SetObj* smaller = as_set(other);
        if (smaller == larger) {
            out = so->used == 0;
            return true;
        }
        if (smaller->used > larger->used) std::swap(larger, smaller);
        std::size_t pos = 0;
        Value key;
        std::uint64_t hash;
        while (next(smaller, pos, key, hash)) {
            bool found;
            if (!contains_entry(in, larger, key, hash, found)) return false;
            if (found) return true;
        }
        out = true;
        return true;
    }
    Value it;
    if (!in.get_iter(other, it)) return false;
    Value key;
    while (in.iter_next(it, key)) {
        bool found;
        if (!contains(in, so, key, found)) return false;
        if (found) return true;
    }
    if (in.has_pending()) return false;
    out = true;
    return true;
}

bool equal(Interpreter& in, SetObj* a, SetObj* b, bool& out) {
    if (a->used != b->used) {
        out = false;
        return true;
    }
    return issubset(in, a, Value::object(b), out);
}

bool constant_frozenset(Interpreter& in, const Value* items, std::size_t count, SetObj*& out) {
    SetObj* first = in.new_set();
    for (std::size_t i = 0; i < count; ++i) {
        if (!add(in, first, items[i])) return false;
    }
    out = in.new_set();
    std::size_t pos = 0;
    Value key;
    std::uint64_t hash;
    while (next(first, pos, key, hash)) {
        if (!add_entry(in, out, key, hash)) return false;
    }
    return true;
}

namespace {
std::uint64_t shuffle_bits(std::uint64_t h) noexcept { return ((h ^ 89869747u) ^ (h << 16)) * 3644798167u; }
}  // namespace

std::uint64_t frozenset_hash(const SetObj& set) noexcept {
    // Every slot's hash shuffled and xored (order does not matter), unused
    // slots (hash 0) included: CPython's loop reads them too. An empty set
    // has no table yet here; CPython's has kMinSize unused slots, an even
    // number, whose shuffled hashes cancel out.
    std::uint64_t hash = 0;
    const std::size_t size = set.slots.empty() ? SetObj::kMinSize : set.slots.size();
    for (const SetObj::Slot& s : set.slots) hash ^= shuffle_bits(s.hash);
    const auto fill = static_cast<std::uint64_t>(set.fill), used = static_cast<std::uint64_t>(set.used);
    // Take back an odd number of unused slots, then of dummies (CPython's
    // table has no other kind).
    if ((size - fill) & 1) hash ^= shuffle_bits(0);
    if ((fill - used) & 1) hash ^= shuffle_bits(SetObj::kDummyHash);
    hash ^= (used + 1) * 1927868237u;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923u;
    if (hash == ~std::uint64_t{0}) hash = 590923713u;
    return hash;
}

}  // namespace sets

// ============================================================================
// [VM]
// ============================================================================

bool Interpreter::set_add(SetObj* set, Value item) { return sets::add(*this, set, item); }

void Interpreter::set_items_in_order(const SetObj* set, tracked_vector<Value>& out) const {
    out.clear();
    out.reserve(static_cast<std::size_t>(set->used));
    for (const SetObj::Slot& s : set->slots) {
        if (!s.key.is_undef()) out.push_back(s.key);
    }
}

// a | b, a & b, a - b, a ^ b and their in-place forms (set_or ... set_ixor).
bool Interpreter::set_operation(script::BinOpKind kind, SetObj* a, SetObj* b, bool inplace, Value& out) {
    const Value other = Value::object(b);
    if (a->frozen) inplace = false;  // a frozenset has no |= of its own: a new one, as for |
    SetObj* result = a;
    bool ok = true;
    switch (kind) {
        case script::BinOpKind::BitOr: ok = inplace ? sets::update(*this, a, other) : sets::union_with(*this, a, other, result); break;
        case script::BinOpKind::BitAnd: ok = inplace ? sets::intersection_update(*this, a, other) : sets::intersection(*this, a, other, result); break;
        case script::BinOpKind::Sub: ok = inplace ? sets::difference_update(*this, a, other) : sets::difference(*this, a, other, result); break;
        default:
            ok = inplace ? sets::symmetric_difference_update(*this, a, other) : sets::symmetric_difference(*this, a, other, result);
            break;
    }
    if (!ok) return false;
    if (!inplace) result->frozen = a->frozen;  // the left operand's type, as in CPython
    out = Value::object(result);
    return true;
}

bool Interpreter::set_compare(script::CmpOpKind op, SetObj* a, SetObj* b, Value& out) {
    bool r = false;
    const Value vb = Value::object(b);
    switch (op) {
        case script::CmpOpKind::Eq:
        case script::CmpOpKind::NotEq:
            if (!sets::equal(*this, a, b, r)) return false;
            if (op == script::CmpOpKind::NotEq) r = !r;
            break;
        case script::CmpOpKind::LtE:
            if (!sets::issubset(*this, a, vb, r)) return false;
            break;
        case script::CmpOpKind::GtE:
            if (!sets::issuperset(*this, a, vb, r)) return false;
            break;
        case script::CmpOpKind::Lt:
            if (a->used < b->used && !sets::issubset(*this, a, vb, r)) return false;
            break;
        case script::CmpOpKind::Gt:
            if (a->used > b->used && !sets::issuperset(*this, a, vb, r)) return false;
            break;
        default: return raise_type_error("set comparison");
    }
    out = Value::boolean(r);
    return true;
}

// ============================================================================
// [METHODS]
// ============================================================================

namespace {

SetObj* self_set(const CallArgs& a) { return static_cast<SetObj*>(a[0].o); }

// The methods a frozenset shares with set are instantiated for each
// (Frozen: a frozenset's, by its name, returning frozensets as CPython's do).
#define SET_QUALNAME(method) (Frozen ? "frozenset." method : "set." method)
template <bool Frozen>
bool frozen_if(SetObj* result, Value& out) {
    result->frozen = Frozen;
    out = Value::object(result);
    return true;
}

bool set_add_method(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "set.add")) return false;
    out = Value();
    return sets::add(in, self_set(a), a[1]);
}

bool set_discard(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "set.discard")) return false;
    bool found;
    out = Value();
    return sets::discard(in, self_set(a), a[1], found);
}

bool set_remove(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "set.remove")) return false;
    bool found;
    if (!sets::discard(in, self_set(a), a[1], found)) return false;
    if (!found) return sets::raise_key_error(in, a[1]);
    out = Value();
    return true;
}

bool set_pop(Interpreter& in, const CallArgs& a, Value& out) {
    return method_no_args(in, a, "set.pop") && sets::pop(in, self_set(a), out);
}

bool set_clear(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "set.clear")) return false;
    sets::clear(self_set(a));
    out = Value();
    return true;
}

bool set_copy(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "set.copy")) return false;
    out = Value::object(sets::copy(in, self_set(a)));
    return true;
}

// A frozenset's copy is itself: it cannot change.
bool frozenset_copy(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "frozenset.copy")) return false;
    out = a[0];
    return true;
}

bool set_update(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, "set.update")) return false;
    for (std::uint32_t i = 1; i < a.count; ++i) {
        if (!sets::update(in, self_set(a), a[i])) return false;
    }
    out = Value();
    return true;
}

template <bool Frozen>
bool set_union(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, SET_QUALNAME("union"))) return false;
    SetObj* result = sets::copy(in, self_set(a));
    result->frozen = Frozen;
    out = Value::object(result);
    for (std::uint32_t i = 1; i < a.count; ++i) {
        if (a[i].identical(a[0])) continue;
        if (!sets::update(in, result, a[i])) return false;
    }
    return true;
}

template <bool Frozen>
bool set_intersection(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, SET_QUALNAME("intersection"))) return false;
    if (a.count == 1) return frozen_if<Frozen>(sets::copy(in, self_set(a)), out);
    SetObj* result = self_set(a);
    for (std::uint32_t i = 1; i < a.count; ++i) {
        if (!sets::intersection(in, result, a[i], result)) return false;
    }
    return frozen_if<Frozen>(result, out);
}

bool set_intersection_update(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, "set.intersection_update")) return false;
    // set_intersection_multi, then set_swap_bodies: self takes the result's
    // table (with no arguments, a copy's, which may be laid out differently).
    SetObj* result = a.count == 1 ? sets::copy(in, self_set(a)) : self_set(a);
    for (std::uint32_t i = 1; i < a.count; ++i) {
        if (!sets::intersection(in, result, a[i], result)) return false;
    }
    sets::swap_bodies(self_set(a), result);
    out = Value();
    return true;
}

template <bool Frozen>
bool set_difference(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, SET_QUALNAME("difference"))) return false;
    if (a.count == 1) return frozen_if<Frozen>(sets::copy(in, self_set(a)), out);
    SetObj* result;
    if (!sets::difference(in, self_set(a), a[1], result)) return false;
    frozen_if<Frozen>(result, out);
    for (std::uint32_t i = 2; i < a.count; ++i) {
        if (!sets::difference_update(in, result, a[i])) return false;
    }
    return true;
}

bool set_difference_update(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_keywords(in, a, "set.difference_update")) return false;
    for (std::uint32_t i = 1; i < a.count; ++i) {
        if (!sets::difference_update(in, self_set(a), a[i])) return false;
    }
    out = Value();
    return true;
}

template <bool Frozen>
bool set_symmetric_difference(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, SET_QUALNAME("symmetric_difference"))) return false;
    SetObj* result;
    if (!sets::symmetric_difference(in, self_set(a), a[1], result)) return false;
    return frozen_if<Frozen>(result, out);
}

bool set_symmetric_difference_update(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "set.symmetric_difference_update")) return false;
    out = Value();
    return sets::symmetric_difference_update(in, self_set(a), a[1]);
}

bool set_predicate(Interpreter& in, const CallArgs& a, Value& out, const char* name,
                   bool (*test)(Interpreter&, SetObj*, Value, bool&)) {
    if (!method_one_arg(in, a, name)) return false;
    bool r;
    if (!test(in, self_set(a), a[1], r)) return false;
    out = Value::boolean(r);
    return true;
}

template <bool Frozen>
bool set_issubset(Interpreter& in, const CallArgs& a, Value& out) {
    return set_predicate(in, a, out, SET_QUALNAME("issubset"), sets::issubset);
}
template <bool Frozen>
bool set_issuperset(Interpreter& in, const CallArgs& a, Value& out) {
    return set_predicate(in, a, out, SET_QUALNAME("issuperset"), sets::issuperset);
}
template <bool Frozen>
bool set_isdisjoint(Interpreter& in, const CallArgs& a, Value& out) {
    return set_predicate(in, a, out, SET_QUALNAME("isdisjoint"), sets::isdisjoint);
}

#undef SET_QUALNAME

}  // namespace

void install_set_methods(Interpreter& in) {
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry entries[] = {
        {"add", set_add_method},
        {"discard", set_discard},
        {"remove", set_remove},
        {"pop", set_pop},
        {"clear", set_clear},
        {"copy", set_copy},
        {"update", set_update},
        {"union", set_union<false>},
        {"intersection", set_intersection<false>},
        {"intersection_update", set_intersection_update},
        {"difference", set_difference<false>},
        {"difference_update", set_difference_update},
        {"symmetric_difference", set_symmetric_difference<false>},
        {"symmetric_difference_update", set_symmetric_difference_update},
        {"issubset", set_issubset<false>},
        {"issuperset", set_issuperset<false>},
        {"isdisjoint", set_isdisjoint<false>},
    };
    for (const Entry& e : entries) in.define_method(in.types.set, e.name, e.fn);
    static const Entry frozen_entries[] = {
        {"copy", frozenset_copy},
        {"union", set_union<true>},
        {"intersection", set_intersection<true>},
        {"difference", set_difference<true>},
        {"symmetric_difference", set_symmetric_difference<true>},
        {"issubset", set_issubset<true>},
        {"issuperset", set_issuperset<true>},
        {"isdisjoint", set_isdisjoint<true>},
    };
    for (const Entry& e : frozen_entries) in.define_method(in.types.frozenset, e.name, e.fn);
}

}  // namespace spindle::vm
