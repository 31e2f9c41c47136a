#include "vm/table.hpp"

#include <algorithm>

#include "vm/interpreter.hpp"

namespace spindle::vm::table {
namespace {

constexpr std::int32_t kEmpty = -1;
constexpr std::int32_t kDummy = -2;  // a removed entry's index slot: probing continues past it

std::size_t mask_of(const Table& t) noexcept { return t.index.size() - 1; }

// Fast equality that needs no interpreter: identical values, or two strings.
// Returns 1 equal, 0 different, -1 "ask the interpreter".
int quick_equal(Value a, Value b) noexcept {
    if (a.identical(b)) return 1;
    if (a.tag == Tag::Obj && b.tag == Tag::Obj && a.o->kind == ObjKind::Str && b.o->kind == ObjKind::Str) {
        auto* x = static_cast<StrObj*>(a.o);
        auto* y = static_cast<StrObj*>(b.o);
        return x->hash == y->hash && x->data == y->data ? 1 : 0;
    }
    if (a.tag == Tag::Int && b.tag == Tag::Int) return 0;
    return -1;
}

void rebuild(Table& t, std::size_t capacity) {
    std::size_t size = 8;
    while (size < capacity * 3 / 2 + 1) size <<= 1;
    tracked_vector<Table::Entry> live;
    live.reserve(t.live);
    for (auto& e : t.entries) {
        if (!e.deleted) live.push_back(e);
    }
    tracked_vector<std::int32_t> index(size, kEmpty);
    const std::size_t mask = size - 1;
    for (std::size_t i = 0; i < live.size(); ++i) {
        std::uint64_t perturb = live[i].hash;
        std::size_t slot = static_cast<std::size_t>(perturb) & mask;
        while (index[slot] != kEmpty) {
            perturb >>= 5;
            slot = (slot * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
        }
        index[slot] = static_cast<std::int32_t>(i);
    }
    t.entries.swap(live);
    t.index.swap(index);
}

}  // namespace

bool find(Interpreter& interp, const Table& t, Value key, std::uint64_t hash, std::int64_t& position) {
    position = -1;
    if (t.index.empty()) return true;
    const std::size_t mask = mask_of(t);
    std::uint64_t perturb = hash;
    std::size_t slot = static_cast<std::size_t>(hash) & mask;
    for (;;) {
        const std::int32_t ix = t.index[slot];
        if (ix == kEmpty) return true;
        if (ix >= 0) {
            const Table::Entry& e = t.entries[static_cast<std::size_t>(ix)];
            if (e.hash == hash) {
                int q = quick_equal(e.key, key);
                if (q < 0) {
                    bool eq = false;
                    const std::size_t version = t.keys_version;
                    if (!interp.equal(e.key, key, eq)) return false;
                    if (version != t.keys_version) {
                        return interp.raise(interp.types.RuntimeError, "dictionary changed size during iteration");
                    }
                    q = eq ? 1 : 0;
                }
                if (q == 1) {
                    position = ix;
                    return true;
                }
            }
        }
        perturb >>= 5;
        slot = (slot * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
    }
}

bool lookup(Interpreter& interp, const Table& t, Value key, Value& value, bool& found) {
    std::uint64_t h;
    if (!interp.hash(key, h)) return false;
    std::int64_t pos;
    if (!find(interp, t, key, h, pos)) return false;
    found = pos >= 0;
    if (found) value = t.entries[static_cast<std::size_t>(pos)].value;
    return true;
}

bool insert(Interpreter& interp, Table& t, Value key, Value value) {
    std::uint64_t h;
    if (!interp.hash(key, h)) return false;
    return insert_hashed(interp, t, key, h, value);
}

bool insert_hashed(Interpreter& interp, Table& t, Value key, std::uint64_t hash, Value value) {
    std::int64_t pos;
    if (!find(interp, t, key, hash, pos)) return false;
    if (pos >= 0) {
        t.entries[static_cast<std::size_t>(pos)].value = value;
        return true;
    }
    if ((t.entries.size() + 1) * 3 >= t.index.size() * 2) rebuild(t, t.live + 1 < 8 ? 8 : (t.live + 1) * 2);
    const std::size_t mask = mask_of(t);
    std::uint64_t perturb = hash;
    std::size_t slot = static_cast<std::size_t>(hash) & mask;
    while (t.index[slot] >= 0) {
        perturb >>= 5;
        slot = (slot * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
    }
    t.entries.push_back(Table::Entry{hash, key, value, false});
    t.index[slot] = static_cast<std::int32_t>(t.entries.size() - 1);
    ++t.live;
    ++t.keys_version;
    return true;
}

bool remove(Interpreter& interp, Table& t, Value key, bool& found, Value* removed) {
    std::uint64_t h;
    if (!interp.hash(key, h)) return false;
    std::int64_t pos;
    if (!find(interp, t, key, h, pos)) return false;
    found = pos >= 0;
    if (!found) return true;
    Table::Entry& e = t.entries[static_cast<std::size_t>(pos)];
    if (removed) *removed = e.value;
    e.deleted = true;
    e.key = Value();
    e.value = Value();
    // Mark the index slot as a dummy so probe chains through it stay intact.
    const std::size_t mask = mask_of(t);
    std::uint64_t perturb = h;
    std::size_t slot = static_cast<std::size_t>(h) & mask;
    while (t.index[slot] != pos) {
        perturb >>= 5;
        slot = (slot * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
    }
    t.index[slot] = kDummy;
    --t.live;
    ++t.keys_version;
    if (t.live * 4 < t.entries.size() && t.entries.size() > 16) rebuild(t, t.live);
    return true;
}

void clear(Table& t) {
    t.entries.clear();
    t.index.clear();
    t.live = 0;
    ++t.keys_version;
}

void reserve(Table& t, std::size_t n) {
    if (n == 0 || !t.entries.empty()) return;
    rebuild(t, std::max<std::size_t>(n, 8));
    t.entries.reserve(n);
}

void copy(const Table& from, Table& to) {
    to.entries = from.entries;
    to.index = from.index;
    to.live = from.live;
    ++to.keys_version;
}

std::int64_t find_interned(const Table& t, const StrObj* key) noexcept {
    if (t.index.empty()) return -1;
    const std::size_t mask = mask_of(t);
    std::uint64_t perturb = key->hash;
    std::size_t slot = static_cast<std::size_t>(key->hash) & mask;
    for (;;) {
        const std::int32_t ix = t.index[slot];
        if (ix == kEmpty) return -1;
        if (ix >= 0) {
            const Table::Entry& e = t.entries[static_cast<std::size_t>(ix)];
            if (e.key.tag == Tag::Obj) {
                if (e.key.o == key) return ix;
                if (e.hash == key->hash && e.key.o->kind == ObjKind::Str &&
                    static_cast<StrObj*>(e.key.o)->data == key->data)
                    return ix;
            }
        }
        perturb >>= 5;
        slot = (slot * 5 + 1 + static_cast<std::size_t>(perturb)) & mask;
    }
}

std::int64_t next_live(const Table& t, std::int64_t position) noexcept {
    const auto n = static_cast<std::int64_t>(t.entries.size());
    while (position < n && t.entries[static_cast<std::size_t>(position)].deleted) ++position;
    return position < n ? position : -1;
}

}  // namespace spindle::vm::table
