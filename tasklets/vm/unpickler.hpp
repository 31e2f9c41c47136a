// The unpickler: rebuilds a value from bytes written by pickle_dumps.
//
// The input is hostile until proven otherwise: truncation, flipped bits,
// unknown tags, a newer version, counts larger than the bytes left, memo
// references past the objects read so far, nesting past
// pickle_format::kMaxDepth within a record, and FORWARD/DEFINE records that
// do not pair up (a FORWARD never defined, a DEFINE of something not
// forwarded, defined twice or of another kind) each give
// pickle.UnpicklingError naming the byte offset and what is wrong; never a
// crash and never an allocation larger than the input justifies. Classes and functions are found by name in
// modules already loaded: reading a pickle never imports or runs a file.
// Only pickle.loads (UnpickleOptions::script_hooks) calls script code, for
// the records script classes' __reduce__ and friends wrote.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/interpreter.hpp"

namespace spindle::vm {

struct UnpickleOptions {
    // A save game's heap (pickler.hpp PickleOptions::whole_game): script
    // modules, functions and classes come by content; nothing else may.
    bool whole_game = false;
    // pickle.loads only: REDUCE, NEWOBJ and GLOBAL_VALUE records, which call
    // script code (a class, __new__, __setstate__, append) as CPython's
    // pickle does. Elsewhere (save games, host loads) they are refused.
    bool script_hooks = false;
    // Asked about the code of every function read by content before the
    // function is made: an empty answer accepts it, anything else is the
    // reason it is refused.
    std::function<std::string(const CodeObj& code)> check_code;
    // If set, every tasklet and channel made is appended, in the order made.
    std::vector<Value>* runtime_objects = nullptr;
    // If set, called now and then with a count of the data's first bytes
    // that the unpickler has read for good (it never looks back before
    // them), so that a caller that owns the data may give their memory
    // back while the world they describe is made: a big save's heap is
    // some 200 bytes an agent.
    std::function<void(std::size_t read)> read_for_good;
};

// Whether two code objects are the same code: instructions, constants
// (nested code included), names, line table and shape.
bool same_code(const CodeObj& a, const CodeObj& b);

// False with pickle.UnpicklingError (or MemoryError, past the heap's cap) pending.
bool pickle_loads(Interpreter& in, std::string_view data, Value& out, const UnpickleOptions& options = {});

}  // namespace spindle::vm
