// The pickle format: what the writer (pickler.cpp) and the reader
// (unpickler.cpp) agree on. One place, so the two cannot drift apart.
//
//   pickle   := magic "SPKL" , version:varint , value , define*   (nothing after them)
//   value    := tag:u8 , payload
//   define   := DEFINE tag , varint memo index , value
//
// Integers are LEB128 varints; signed ones are zigzag-encoded first, so
// small negative numbers stay one byte. Floats are 8 bytes, little-endian
// IEEE 754. Every heap object a value writes (everything but None, bools,
// ints, floats and REF) takes the next memo index when its tag is read,
// before its children: a later REF names it, which is how shared objects
// are written once and how cycles close (`a = []; a.append(a)` is
// LIST 1, REF 0). Because containers are made empty and filled afterwards,
// a tuple that reaches itself through a list round-trips too.
//
// Payloads by tag:
//   NONE FALSE TRUE        -
//   INT                    zigzag varint
//   FLOAT                  8 bytes
//   STR                    varint byte length, UTF-8 bytes
//   REF                    varint memo index (an object already started)
//   TUPLE LIST SET         varint count, values
//   FROZENSET              as SET (in a save game with its table too);
//                          never forwarded: it is complete before anything
//                          can hold it
//   DICT                   varint count, (key value, value) pairs in insertion order
//   RANGE                  zigzag start, stop, step
//   SLICE                  start, stop, step values
//   GLOBAL                 module value (str), qualified name value (str):
//                          a class, function or builtin found there by name
//   MODULE                 name value (str): a module already loaded
//   INSTANCE               class value, varint count, (name str value, value) pairs
//                          (in a save game: a mode byte first, kAttributesDict)
//   EXCEPTION              class value, args value (tuple), count, pairs as INSTANCE
//   BOUND_METHOD           self value, function value
//   HOST                   type name value (str), zigzag index, zigzag generation,
//                          key value (str): the host's persistent id
//   TASKLET                flags:u8 (TaskletFlag), name value (str or None), then
//                          if kHasFunction: function value, args value (tuple),
//                          kwargs value (dict or None). A script tasklet that
//                          has not started yet; it comes back alive and paused.
//                          if kStarted (a tasklet that has run: paused, blocked or
//                          preempted): [tempval value, kind:u8 (0 a value,
//                          1 an exception thrown with pending=True, raised
//                          when it runs) if kHasTempval], pending:u8,
//                          result_slot, handled exception value, stack count,
//                          slots (SLOT), block count, blocks (kind:u8, handler,
//                          level, saved exception value), frame count, frames
//                          (function value, CODE value, pc, base, stack_base,
//                          sp, block_base, on_return:u8, return_arg, aux SLOT,
//                          aux2 SLOT). It comes back alive and paused; the
//                          frames pass the verifier (frame_verifier.hpp) first.
//                          if kNative (a native tasklet with a restore
//                          interface, spindle/tasklet.hpp NativeRestore): type
//                          name value (str), state kind:u8, then for 0 varint
//                          length and the state's bytes, for 1 the state as a
//                          value, then if kHasTempval the value it is blocked
//                          sending. It comes back as the tasklet the factory
//                          registered for the type name makes, paused (or
//                          blocked at its place, if a channel lists it).
//   CHANNEL                zigzag preference, flags:u8 (ChannelFlag), balance
//                          (zigzag), then |balance| tasklet values in FIFO
//                          order, each blocked in the direction of balance's
//                          sign (native ones with a restore interface too)
//   CODE                   the code of a live frame or of a FUNCTION: qualname
//                          value, name value, filename value, zigzag first line, arg_count, kwonly_count,
//                          flags:u8 (1 varargs, 2 varkw), local_count,
//                          cell_count, free_count, max_stack, word count,
//                          words, constant count, constants (values; CODE
//                          allowed), name count, names (str), local name
//                          count, local names, cell_of_local count, zigzag
//                          entries, line count, (pc, zigzag line) pairs.
//                          Only inside a frame, a FUNCTION or another code's
//                          constants; it runs only once code_validator.hpp
//                          has passed it.
//   FUNCTION               a function not found by module and qualified name
//                          (a lambda, a local function): CODE value, module
//                          value (MODULE), name value (str), qualname value
//                          (str), default count, defaults (values), keyword-
//                          only count, per keyword-only parameter present:u8
//                          [value], closure count, closure cells (SLOT: CELL
//                          or REF to one, shared with frames and closures),
//                          defining class value (class or None: zero-argument
//                          super() needs it; the pickle module writes it for
//                          code that calls super())
//   CELL                   empty:u8, value: only as a SLOT
//   CELLS                  count, cells (SLOT): a closure tuple on a frame's
//                          value stack (between BUILD_TUPLE and MAKE_FUNCTION),
//                          only as a SLOT
//   UNDEF                  -: an unbound local or a method call's marker, only as a SLOT
//   SLOT                   a value, or CELL, CELLS, UNDEF or CODE
//   ITERATOR               kind:u8 (IteratorKind), then for a list, tuple or str
//                          iterator: source value, zigzag position; for a range
//                          iterator: zigzag next, end, step; for
//                          ENUMERATE: zigzag next count, iterator value;
//                          ZIP: strict:u8, count, iterator values;
//                          MAP: count (at least 2), function value, iterator
//                          values; FILTER: function value (or None), iterator
//                          value; REVERSED: source value (list or tuple, or
//                          None when exhausted), zigzag position (items left).
//                          The `pickle` module writes a dict or set iterator as
//                          CPython does: a list iterator over a new list of
//                          the items left. Save games keep them exactly:
//                          DICT: which:u8 (0 keys, 1 values, 2 items), dict
//                          value, varint live entries before the position,
//                          stale:u8 (1: the dict changed size since the
//                          iterator was made, so its next step raises);
//                          SET: source value (set, or None when exhausted),
//                          zigzag slot position, zigzag size seen (the set's
//                          table is saved exactly, so these stay valid);
//                          GETITEM (iter() of an object with __getitem__):
//                          source value, zigzag next index
//   REDUCE                 `pickle` module only: what a script class's
//                          __reduce_ex__/__reduce__ returned. callable value,
//                          args value (tuple); the object is callable(*args)
//                          and takes its memo index at the tag (args may not
//                          refer to it). Then parts:u8 (1 list items, 2 dict
//                          items, 4 state), [count, items: obj.append(item)],
//                          [count, (key, value): obj[key] = value], [state
//                          value: BUILD, below]
//   NEWOBJ                 `pickle` module only: an instance of a script class
//                          with __getstate__, __setstate__ or
//                          __getnewargs(_ex)__: class value, args value
//                          (tuple), flags:u8 (1 a state follows, 2 protocol 2
//                          or up: call the class's own __new__, 4 keyword
//                          arguments follow), [keyword arguments value (dict,
//                          from __getnewargs_ex__; only for a class without
//                          its own __new__, so unused)], [state value]. The object is cls.__new__(cls, *args) if
//                          flag 2 and the class defines __new__, else a plain
//                          instance; then BUILD with the state
//                          BUILD (CPython's): obj.__setstate__(state) if it
//                          has one; else state is a dict of attributes, or a
//                          (dict or None, dict of attributes) pair
//   GLOBAL_VALUE           `pickle` module only: module value (str), qualified
//                          name value (str): any object found there by name
//                          (__reduce__ returned a str)
//   SUBCLASSED             an instance of a script subclass of
//                          stackless.tasklet or stackless.channel. From the
//                          `pickle` module: class value, then the TASKLET or
//                          CHANNEL record; the instance takes its memo index
//                          at the tag, before its class. The reader makes it
//                          as Stackless does, calling the class: a script
//                          __init__ runs (no arguments) before the state is
//                          read; its own attributes are not kept. In a save
//                          game: the record, then the class value and the
//                          attributes value (DICT or None). Such instances
//                          are never forwarded.
//   FORWARD                kind:u8 (the tag its DEFINE's value will have: LIST,
//                          DICT, SET, INSTANCE, EXCEPTION, TASKLET (a script
//                          tasklet), CHANNEL or CELL): an object the writer
//                          met past kDeferDepth, written later at top level.
//                          It takes its memo index here, so references to it
//                          work at once; the reader makes an empty object of
//                          that kind (a shell) and fills it at its DEFINE.
//
// Deep graphs: the writer and the reader recurse once per level of nesting,
// so a mutable object (one of FORWARD's kinds) met kDeferDepth levels down
// is written as FORWARD and queued; after the root, each queued object is
// written as DEFINE (its memo index, then its ordinary record, at depth
// zero), which may queue more. A linked list of a million nodes is then a
// run of records each kDeferDepth deep, and neither side's C++ stack grows
// with the graph's depth. Every FORWARD needs exactly one DEFINE of its kind.
// A dict key or set item that may hash by running script code is added once
// every DEFINE is read (its hash may depend on what they fill in); so is a
// save game's set layout, and a class whose namespace was forwarded learns
// its __module__ then. Immutable objects (tuples, str, code, functions by
// content) cannot be filled later: their nesting is still capped at
// kMaxDepth, as is a record's.
//
// Save games only (pickle_dumps with PickleOptions::whole_game; the
// `pickle` module neither writes nor reads them): a save holds the script
// modules themselves, so their functions and classes are written by content
// and a load never looks anything up in a module it is still reading.
//   INTERNED_STR           as STR: an interned string (a name, a constant),
//                          interned again when read, so identity is kept
//   SCRIPT_MODULE          name value (str), filename value (str or None),
//                          globals value (DICT); its memo index comes first,
//                          so the functions in its globals can name it
//   FUNCTION               every script function, as above, its defining
//                          class always written
//   CLASS                  name value (str), base value (class or None),
//                          namespace value (DICT)
//   SET                    in a save game, after its items: table size,
//                          finger, each item's slot index (in item order),
//                          deleted-entry count and slot indices: the table
//                          exactly as it was, so iteration order is kept
//   CELL                   in a save game, anywhere (a frame's value stack
//                          can hold a tuple of closure cells)
//   MAIN_TASKLET           -: the main tasklet (a game keeps
//                          `main = stackless.getcurrent()`), read as the
//                          loaded game's main tasklet
//   DICT_VIEW              which:u8 (0 keys, 1 values, 2 items), dict value
//                          (the `pickle` module refuses views, as CPython)
//   EXCEPTION              in a save game, after its attributes: cause value,
//                          context value, suppress_context:u8, traceback
//                          count, (CODE, zigzag line) pairs, innermost last
//
// The reader trusts nothing: every count is checked against the bytes left,
// every REF against the memo, nesting against kMaxDepth, and every string
// for valid UTF-8; an error names the offset where it was found.
#pragma once

#include <cstddef>
#include <cstdint>

namespace spindle::vm::pickle_format {

inline constexpr char kMagic[4] = {'S', 'P', 'K', 'L'};
inline constexpr std::uint32_t kVersion = 6;
// Nesting within one record, on both sides: a chain of immutable objects
// deeper than this is refused when written, and hostile input cannot
// exhaust the C++ stack.
inline constexpr std::uint32_t kMaxDepth = 3000;
// How deep the writer nests before it forwards mutable objects (FORWARD):
// deep enough that ordinary worlds never need it (no DEFINE records, no
// cost), shallow enough to leave room below kMaxDepth for the immutable
// objects a deferred one may hold.
inline constexpr std::uint32_t kDeferDepth = 256;
// In a save game, an INSTANCE's or EXCEPTION's attributes start with a
// mode byte: listed (count, then name and value pairs, as elsewhere) or the
// instance's own __dict__ (one DICT value: once a script has read
// obj.__dict__ that dict is the attributes, and others may hold it).
inline constexpr std::uint8_t kAttributesListed = 0;
inline constexpr std::uint8_t kAttributesDict = 1;
// A stackless.atomic() instance is written as INSTANCE with this one
// attribute: the atomic flag its __enter__ saved.
inline constexpr const char* kAtomicSavedField = "__atomic_saved__";

enum class Tag : std::uint8_t {
    None = 0,
    False,
    True,
    Int,
    Float,
    Str,
    Ref,
    Tuple,
    List,
    Dict,
    Set,
    Range,
    Slice,
    Global,
    Module,
    Instance,
    Exception,
    BoundMethod,
    Host,
    Tasklet,
    Channel,
    Iterator,
    Code,
    Cell,
    Undef,
    Function,
    Cells,
    InternedStr,
    ScriptModule,
    Class,
    MainTasklet,
    Forward,
    Define,
    DictView,
    Reduce,
    NewObj,
    GlobalValue,
    Subclassed,
    FrozenSet,
    Count_,  // not a tag: the number of tags
};

enum TaskletFlag : std::uint8_t {
    kHasFunction = 1,
    kHasArgs = 2,
    kAtomic = 4,
    kIgnoreNesting = 8,
    kBlockTrap = 16,
    kStarted = 32,
    kHasTempval = 64,
    kNative = 128,
    kTaskletFlagsKnown = 255,
};

enum class IteratorKind : std::uint8_t { Sequence, Str, Range, Enumerate, Zip, Map, Filter, Reversed, Dict, Set, GetItem, Count_ };

// REDUCE's parts byte.
enum ReduceParts : std::uint8_t {
    kListItems = 1,
    kDictItems = 2,
    kState = 4,
    kReducePartsKnown = 7,
};

enum ChannelFlag : std::uint8_t {
    kClosing = 1,
    kScheduleAll = 2,
    kChannelFlagsKnown = 3,
};

inline constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline constexpr std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

}  // namespace spindle::vm::pickle_format
