// The object-graph pickler: writes a script value and everything it reaches
// in the format of pickle_format.hpp, keeping identity and cycles.
//
// Functions, classes and builtins are written by module and qualified name,
// as CPython's pickle does: one that cannot be found again under that name
// (a lambda, a function local to another) is an error. Host objects are
// written as the persistent id their type supplies. Anything else that
// cannot be written raises pickle.PicklingError naming its type and its path
// from the root ("root[2]['k'].attr"), and nothing is returned.
//
// Whole-game saves never run script code (no __reduce__, no __repr__), so
// the graph cannot change under them. The `pickle` module runs script
// classes' pickle hooks (__reduce_ex__, __reduce__, __getstate__,
// __getnewargs__) as CPython does; no collection happens during those
// nested calls.
//
// Any depth: the walk recurses, but a mutable object met more than
// pickle_format::kDeferDepth levels down is written as a FORWARD and its
// record after the root (pickle_format.hpp, "Deep graphs"), so the C++
// stack never holds more than kDeferDepth levels of those. Only a chain of
// immutable objects (tuples) deeper than kMaxDepth is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vm/interpreter.hpp"

namespace spindle::vm {

// Where a pickle can go piece by piece instead of into one string: a save
// game compresses it as the walk goes on, and never holds all of it.
class PickleSink {
public:
    virtual void write(const char* data, std::size_t n) = 0;

protected:
    ~PickleSink() = default;
};

struct PickleOptions {
    // A save game's heap (tasklets/save/game_save.hpp): script modules,
    // functions and classes are written by content, not by name, and
    // exceptions with their cause, context and traceback.
    bool whole_game = false;
    // The `pickle` module's protocol argument: what a script class's
    // __reduce_ex__ is given, and whether the default reduction uses
    // __getnewargs__ (2 and up). The bytes written are the same format.
    int protocol = 3;
    // A list whose items are written in the order the walk first reached
    // them (items it has not reached keep their order, after those): a save
    // game lists its channels with blocked tasklets last this way, so the
    // same world always gives the same bytes. It is forwarded where it is
    // met and defined after every other forwarded object, so that the walk
    // has reached all it will before the order is taken.
    const ListObj* in_reach_order = nullptr;
    // If set, every tasklet and channel written is appended, in the order
    // the unpickler will make them (a save game restores their ids).
    std::vector<Value>* runtime_objects = nullptr;
    // If set, the pickle goes here in pieces (of up to kSinkPiece bytes; a
    // longer str makes a longer one), and `out` is left alone. On failure the pieces already given
    // are not a pickle: the sink's owner throws them away.
    PickleSink* sink = nullptr;
    static constexpr std::size_t kSinkPiece = std::size_t{64} << 10;
    // With whole_game: a second thread reads the world ahead of the pickler
    // (read_ahead.hpp). Auto: for a heap past ReadAhead::kMinHeapBytes, in a
    // process that may use two cores. The bytes written are the same either
    // way; only the time differs.
    enum class ReadAhead : std::uint8_t { Auto, Always, Never };
    ReadAhead read_ahead = ReadAhead::Auto;
};

// Appends the pickle of `root` to `out` (or gives it to options.sink). False
// with pickle.PicklingError (or MemoryError, past the heap's cap) pending;
// `out` is then unchanged.
bool pickle_dumps(Interpreter& in, Value root, std::string& out, const PickleOptions& options = {});

// pickle.PickleError's subclasses, raised by the pickler and the unpickler
// (module_pickle.cpp); ValueError if the pickle module is not installed.
enum class PickleError : std::uint8_t { Pickling, Unpickling };
bool raise_pickle_error(Interpreter& in, PickleError kind, std::string_view message);

// The `pickle` script module: dumps, loads and the exception classes.
void install_pickle_module(Interpreter& in);

}  // namespace spindle::vm
