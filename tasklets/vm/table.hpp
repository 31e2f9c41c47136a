// Operations on Table, the insertion-ordered hash table behind dict (sets
// have their own table: set.hpp). Lookups hash and
// compare through the interpreter, because keys may be instances whose
// __hash__ and __eq__ are script code; those fail like any script call.
#pragma once

#include <cstdint>

#include "vm/object.hpp"

namespace spindle::vm {

class Interpreter;

namespace table {

// Position of `key` in entries, or -1. False: an error is pending.
bool find(Interpreter& interp, const Table& t, Value key, std::uint64_t hash, std::int64_t& position);
bool lookup(Interpreter& interp, const Table& t, Value key, Value& value, bool& found);
bool insert(Interpreter& interp, Table& t, Value key, Value value);
bool insert_hashed(Interpreter& interp, Table& t, Value key, std::uint64_t hash, Value value);
bool remove(Interpreter& interp, Table& t, Value key, bool& found, Value* removed = nullptr);
void clear(Table& t);
void copy(const Table& from, Table& to);
// Room for `n` entries in an empty table (a loader that knows the size):
// the inserts that follow allocate nothing. Iteration order is unchanged.
void reserve(Table& t, std::size_t n);
// Fast path for interned-string keys (globals, class namespaces): identity only.
std::int64_t find_interned(const Table& t, const StrObj* key) noexcept;
// Iteration: the next live entry at or after `position`, or -1.
std::int64_t next_live(const Table& t, std::int64_t position) noexcept;

}  // namespace table
}  // namespace spindle::vm
