// Script tasklets: how the interpreter runs tasklets whose frames are heap
// data (Stackless's soft switching), and how values and exceptions cross
// between scripts and the runtime's Payloads.
#pragma once

#include <exception>
#include <memory>
#include <string>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"

namespace spindle::vm {

// The script side of one tasklet: its thread of heap frames, and the callable
// and arguments it was bound to until it starts.
struct ScriptTaskletState : spindle::ScriptState {
    // Made when the tasklet first runs and freed when it ends: a queued or
    // finished tasklet carries no frames. Main's state points at the
    // interpreter's main thread instead.
    std::unique_ptr<Thread> own_thread;
    Thread* thread = nullptr;
    Value function;                // Undef: unbound
    Value args;                    // a tuple, or Undef when bound without arguments
    Value kwargs;                  // a dict, or Undef
    Value wrapper;                 // the TaskletObj that scripts see (weakly: not a GC root)
    bool started = false;
};

// A script exception travelling through the runtime as a bomb (a tasklet's
// uncaught error on its way to main, a throw() into a native tasklet). Its
// what() is the Python-style "Type: message".
class ScriptException : public std::exception {
public:
    ScriptException(Value exception, std::string text);
    ~ScriptException() override;
    ScriptException(const ScriptException& other);
    ScriptException& operator=(const ScriptException&) = delete;
    const char* what() const noexcept override { return text_.c_str(); }
    Value exception() const noexcept { return exception_; }

private:
    Value exception_;
    std::string text_;
};

// Every live ScriptException's value is a root for the collector.
void mark_script_exceptions(Heap& heap);

// Payload <-> Value for channel transfers and tempvals.
inline Payload to_payload(Value v) { return Payload::of(v); }
// Inline for the two cases of every script-to-script transfer: nothing, or a Value.
bool from_native_payload(Interpreter& in, const Payload& p, Value& out);
inline bool from_payload(Interpreter& in, const Payload& p, Value& out) {
    if (p.empty()) {
        out = Value();
        return true;
    }
    if (p.holds<Value>()) {
        out = p.get<Value>();
        return true;
    }
    return from_native_payload(in, p, out);
}

// The stackless and spindle modules.
void install_stackless_module(Interpreter& in);

}  // namespace spindle::vm
