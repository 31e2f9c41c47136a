// ScriptTest: the fixture the VM's C++ tests share. An interpreter on a
// scheduler of its own, its printed output collected in `out`, and the
// helpers every suite used to write again: run a script, read its error,
// a global, or the pending exception.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/table.hpp"

namespace spindle::vm::testing {

class ScriptTest : public ::testing::Test {
protected:
    Interpreter::Options options() {
        Interpreter::Options o;
        o.write_stdout = [this](std::string_view text) { out += text; };
        return o;
    }

    bool run(std::string_view source) { return interp.run_source(source, "test.py"); }
    std::string error() const { return interp.last_error().type + ": " + interp.last_error().message; }

    // A global of the last script run.
    Value global(std::string_view name) {
        auto* main = interp.find_module(interp.intern("__main__"));
        const std::int64_t pos = table::find_interned(main->globals->table, interp.intern(name));
        EXPECT_GE(pos, 0) << name;
        return pos < 0 ? Value() : main->globals->table.entries[static_cast<std::size_t>(pos)].value;
    }

    // The pending exception as "Type: message", and clears it.
    std::string pending_text() {
        if (!interp.has_pending()) return "(nothing pending)";
        Value e = interp.take_pending();
        std::string text;
        if (!interp.to_str(e, text)) interp.take_pending();
        return std::string(interp.type_name(e)) + ": " + text;
    }

    Scheduler scheduler;  // before the interpreter: it runs on the active scheduler
    std::string out;
    Interpreter interp{options()};
};

}  // namespace spindle::vm::testing
