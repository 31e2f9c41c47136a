// libFuzzer target: the unpickler must turn any input into either a value or
// pickle.UnpicklingError (MemoryError past the cap): no crash, no leak, no
// allocation the input merely claims to need. A value it accepts must pickle
// again. One interpreter serves every input; a script module gives the
// pickles classes and functions to name. tools/fuzz.sh runs it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_module.hpp"
#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"
#include "vm/unpickler.hpp"

namespace {


struct World {
    spindle::Scheduler scheduler;
    spindle::vm::Interpreter interp{options()};
    static spindle::vm::Interpreter::Options options() {
        spindle::vm::Interpreter::Options o;
        o.max_bytes = std::size_t{256} << 20;
        o.write_stdout = [](std::string_view) {};
        return o;
    }
    World() {
        if (!interp.run_source(kFuzzModule, "fuzz_module.py")) __builtin_trap();
    }
};

World& world() {
    static World* w = new World();  // never destroyed: the fuzzer exits without unwinding
    return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    World& w = world();
    spindle::vm::Value value;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (spindle::vm::pickle_loads(w.interp, bytes, value)) {
        std::string again;
        if (!spindle::vm::pickle_dumps(w.interp, value, again)) w.interp.take_pending();  // e.g. a half-built hash
    } else {
        if (!w.interp.has_pending()) __builtin_trap();  // an error must say what is wrong
        w.interp.take_pending();
    }
    // Collected after every input: garbage left for later is, to
    // libFuzzer, more mallocs than frees, and each such input costs a full
    // LeakSanitizer scan (ten times the runs per second lost).
    w.interp.collect_garbage();
    return 0;
}
