// The set table: CPython 3.11's setobject.c algorithms on SetObj, so that
// iteration order (and so printing) matches CPython for values whose hashes
// match CPython's (ints, floats, bools, None, tuples of those). Every
// operation follows the C function named beside it, including which operand
// it iterates and when it resizes, because both decide the slot order.
//
// Functions returning bool fail (false) only with a script exception pending:
// hashing or comparing keys can run script code, which may also mutate the
// set; lookups then restart as CPython's do.
#pragma once

#include <cstdint>

#include "vm/object.hpp"

namespace spindle::vm {

class Interpreter;

namespace sets {

// hash(key) as the set stores it (never CPython's -1).
bool hash_of(Interpreter& in, Value key, std::uint64_t& hash);

// Iteration in slot order: the next active slot at or after `pos`
// (set_next); false at the end. Re-reads the table every call.
bool next(const SetObj* set, std::size_t& pos, Value& key, std::uint64_t& hash) noexcept;

bool contains(Interpreter& in, SetObj* set, Value key, bool& found);                           // set_contains_key
bool contains_entry(Interpreter& in, SetObj* set, Value key, std::uint64_t hash, bool& found);  // set_contains_entry
bool add(Interpreter& in, SetObj* set, Value key);                                              // set_add_key
bool add_entry(Interpreter& in, SetObj* set, Value key, std::uint64_t hash);                    // set_add_entry
bool discard(Interpreter& in, SetObj* set, Value key, bool& found);                             // set_discard_key
bool discard_entry(Interpreter& in, SetObj* set, Value key, std::uint64_t hash, bool& found);
bool pop(Interpreter& in, SetObj* set, Value& key);                                             // set_pop
void clear(SetObj* set);                                                                        // set_clear_internal

// set |= iterable (set_update_internal): sets merge, dicts use their hashes.
bool update(Interpreter& in, SetObj* set, Value iterable);
// set(iterable) (make_new_set); iterable Undef: an empty set.
bool make(Interpreter& in, Value iterable, SetObj*& out);
SetObj* copy(Interpreter& in, SetObj* set);                                                     // set_copy

bool intersection(Interpreter& in, SetObj* set, Value other, SetObj*& out);     // set_intersection
bool intersection_update(Interpreter& in, SetObj* set, Value other);            // set_intersection_update
bool difference(Interpreter& in, SetObj* set, Value other, SetObj*& out);       // set_difference
bool difference_update(Interpreter& in, SetObj* set, Value other);              // set_difference_update_internal
bool symmetric_difference_update(Interpreter& in, SetObj* set, Value other);    // set_symmetric_difference_update
bool symmetric_difference(Interpreter& in, SetObj* set, Value other, SetObj*& out);
bool union_with(Interpreter& in, SetObj* set, Value other, SetObj*& out);       // set_or
bool issubset(Interpreter& in, SetObj* set, Value other, bool& out);
bool issuperset(Interpreter& in, SetObj* set, Value other, bool& out);
bool isdisjoint(Interpreter& in, SetObj* set, Value other, bool& out);
bool equal(Interpreter& in, SetObj* a, SetObj* b, bool& out);                   // set_richcompare(Py_EQ)

// A set display of constants, as CPython 3.11 compiles it: the constants
// become a frozenset, which the compiler rebuilds once more from its own
// iteration order (merge_consts_recursive). `for x in {1, 2, 3}` iterates
// that frozenset; `{1, 2, 3}` as a value is a new set merged from it.
bool constant_frozenset(Interpreter& in, const Value* items, std::size_t count, SetObj*& out);
// A frozenset's hash as CPython computes it (frozenset_hash): from its slots,
// so equal frozensets hash alike and a set of them iterates as in CPython.
std::uint64_t frozenset_hash(const SetObj& set) noexcept;

}  // namespace sets
}  // namespace spindle::vm
