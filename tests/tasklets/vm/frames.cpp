// Started tasklets in pickles: the frame verifier against hostile frames
// (each field of a real parked thread damaged in turn), and every truncation
// and bit flip of a tasklet pickle (an error, or a tasklet that runs: never
// a crash; these run under ASan).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "spindle/tasklets.hpp"
#include "vm/frame_verifier.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/table.hpp"
#include "vm/unpickler.hpp"
#include "script_fixture.hpp"

namespace {

using spindle::vm::Block;
using spindle::vm::Interpreter;
using spindle::vm::ObjKind;
using spindle::vm::Pending;
using spindle::vm::ReturnAction;
using spindle::vm::Thread;
using spindle::vm::Value;

// An agent parked in a nested call, with a cell variable, a finally block
// and a list under construction ([name, *steps(hits)]) on its value stack.
constexpr const char* kAgent =
    "import stackless, pickle\n"
    "log = []\n"
    "def steps(n):\n"
    "    stackless.schedule()\n"
    "    return [n]\n"
    "def agent(name, rounds):\n"
    "    hits = 0\n"
    "    def bump():\n"
    "        nonlocal hits\n"
    "        hits += 1\n"
    "    for i in range(rounds):\n"
    "        try:\n"
    "            parts = [name, *steps(hits)]\n"
    "            bump()\n"
    "            log.append(parts)\n"
    "        finally:\n"
    "            pass\n"
    "    return hits\n"
    "t = stackless.tasklet(agent)('ant', 3)\n"
    "stackless.schedule()\n"
    "t.remove()\n";

// The same without the closure.
constexpr const char* kPlainAgent =
    "import stackless, pickle\n"
    "log = []\n"
    "def steps(n):\n"
    "    stackless.schedule()\n"
    "    return [n]\n"
    "def agent(name, rounds):\n"
    "    hits = 0\n"
    "    for i in range(rounds):\n"
    "        try:\n"
    "            parts = [name, *steps(hits)]\n"
    "            hits += 1\n"
    "            log.append(parts)\n"
    "        finally:\n"
    "            pass\n"
    "    return hits\n"
    "t = stackless.tasklet(agent)('ant', 3)\n"
    "stackless.schedule()\n"
    "t.remove()\n";

class Frames : public spindle::vm::testing::ScriptTest {
protected:
    const Thread& thread_of(Value t) {
        auto* w = static_cast<spindle::vm::TaskletObj*>(t.o);
        auto* state = dynamic_cast<spindle::vm::ScriptTaskletState*>(w->tasklet.script_state());
        return *state->thread;
    }
    // A copy of a parked thread, to damage.
    static std::unique_ptr<Thread> copy(const Thread& from) {
        auto t = std::make_unique<Thread>();
        t->stack.assign(from.stack.begin(), from.stack.end());
        t->frames.assign(from.frames.begin(), from.frames.end());
        t->blocks.assign(from.blocks.begin(), from.blocks.end());
        t->handled_exception = from.handled_exception;
        t->pending = from.pending;
        t->result_slot = from.result_slot;
        return t;
    }
    std::string verify(const Thread& t) { return spindle::vm::verify_thread(interp, t, 1000); }
};

TEST_F(Frames, AParkedAgentVerifies) {
    ASSERT_TRUE(run(kAgent)) << error();
    const Thread& th = thread_of(global("t"));
    ASSERT_EQ(th.frames.size(), 2u);
    EXPECT_EQ(verify(th), "");
    EXPECT_EQ(th.blocks.size(), 1u);
}

// Each damaged field is refused with the function and the field named.
TEST_F(Frames, HostileFramesAreRefused) {
    ASSERT_TRUE(run(kAgent)) << error();
    const Thread& good = thread_of(global("t"));
    struct Case {
        const char* what;
        void (*damage)(Thread&);
        const char* expect;
    };
    const Case cases[] = {
        {"pc not after a call", [](Thread& t) { t.frames[0].pc -= 1; }, "function 'agent': pc:"},
        {"pc past the code", [](Thread& t) { t.frames[0].pc = 100000; }, "function 'agent': pc: 100000 is outside the code"},
        {"pc zero", [](Thread& t) { t.frames[1].pc = 0; }, "function 'steps': pc: 0"},
        {"stack depth", [](Thread& t) { t.frames[1].sp += 1; }, "function 'steps': sp: stack depth"},
        {"sp below stack base", [](Thread& t) { t.frames[1].sp = t.frames[1].stack_base() - 1; }, "function 'steps': sp:"},
        {"sp past the stack", [](Thread& t) { t.frames[1].sp = 1u << 30; }, "function 'steps': sp:"},
        {"base", [](Thread& t) { t.frames[1].base += 1; }, "function 'steps': base:"},
        {"bottom base", [](Thread& t) { t.frames[0].base = 0; }, "function 'agent': base:"},
        {"cell",
         [](Thread& t) {
             const auto* code = t.frames[0].code;
             for (std::uint32_t k = 0; k < code->local_count; ++k)
                 if (code->local_names[k]->view() == "hits") t.stack[t.frames[0].base + k] = Value::integer(7);
         },
         "function 'agent': local 'hits': not a cell"},
        {"list slot", [](Thread& t) { t.stack[t.frames[0].stack_base() + 1] = Value::integer(7); },
         "function 'agent': value stack slot 1: not the kind the code put there"},
        {"unbound on the value stack", [](Thread& t) { t.stack[t.frames[0].stack_base()] = Value::undef(); },
         "function 'agent': value stack slot 0: not the kind the code put there"},
        {"block handler", [](Thread& t) { t.blocks[0].handler += 1; }, "function 'agent': block 0: handler"},
        {"block level", [](Thread& t) { t.blocks[0].level += 1; }, "function 'agent': block 0:"},
        {"block kind", [](Thread& t) { t.blocks[0].kind = static_cast<Block::Kind>(9); }, "function 'agent': block 0: unknown kind"},
        {"block base", [](Thread& t) { t.frames[1].block_base = 0; }, "function 'agent': blocks:"},
        {"blocks past", [](Thread& t) { t.frames[1].block_base = 5; }, "function 'agent': block_base:"},
        {"on_return", [](Thread& t) { t.frames[1].on_return = ReturnAction::Binary; }, "function 'steps': on_return:"},
        {"nested", [](Thread& t) { t.frames[1].on_return = ReturnAction::Nested; }, "function 'steps': on_return:"},
        {"unknown on_return", [](Thread& t) { t.frames[1].on_return = static_cast<ReturnAction>(77); }, "function 'steps': on_return:"},
        {"init without instance", [](Thread& t) { t.frames[1].on_return = ReturnAction::DiscardInit; }, "function 'steps': aux:"},
        {"aux", [](Thread& t) { t.frames[1].aux = Value::integer(1); }, "function 'steps': aux:"},
        {"return_arg", [](Thread& t) { t.frames[1].return_arg = 3; }, "function 'steps': return_arg:"},
        {"result slot", [](Thread& t) { t.result_slot += 1; }, "function 'steps': result_slot:"},
        {"pending", [](Thread& t) { t.pending = Pending::Watchdog; }, "tasklet: pending:"},
        {"handled exception", [](Thread& t) { t.handled_exception = Value::integer(1); }, "tasklet: handled exception:"},
        {"no frames", [](Thread& t) { t.frames.clear(); }, "tasklet: frames:"},
        {"code swapped", [](Thread& t) { t.frames[1].code = t.frames[0].code; }, "function 'steps': "},
        {"class body", [](Thread& t) { t.frames[1].on_return = ReturnAction::FinishClass; }, "function 'steps': on_return:"},
    };
    for (const Case& c : cases) {
        auto t = copy(good);
        c.damage(*t);
        const std::string problem = verify(*t);
        EXPECT_EQ(problem.rfind(c.expect, 0), 0u) << c.what << ": " << problem;
    }
}

// A game saved before a script edit continues exactly: the frame parked in
// the edited function finishes with the code saved with it, and the calls
// made after the load run the new code.
TEST_F(Frames, AChangedFunctionResumesItsSavedCode) {
    ASSERT_TRUE(run(std::string(kPlainAgent) +
                    "data = pickle.dumps(t)\n"
                    "t.kill()\n"
                    "def steps(n):\n"
                    "    return [n, n * 10]\n"
                    "u = pickle.loads(data)\n"
                    "u.insert()\n"
                    "stackless.run()\n"
                    "print(log)\n")) << error();
    EXPECT_EQ(out, "[['ant', 0], ['ant', 1, 10], ['ant', 2, 20]]\n");
}

// LEB128, as the pickle writes counts and instruction words.
std::string leb128(std::uint64_t v) {
    std::string out;
    do {
        const auto low = static_cast<char>(v & 0x7f);
        v >>= 7;
        out += static_cast<char>(low | (v ? 0x80 : 0));
    } while (v);
    return out;
}

// Saved code that fails the validator is the refusal path: the load names
// the function, the pc and the rule, and nothing runs.
TEST_F(Frames, InvalidSavedCodeIsRefusedByName) {
    ASSERT_TRUE(run(std::string(kPlainAgent) + "data = pickle.dumps(t)\n")) << error();
    const auto* steps = static_cast<spindle::vm::FunctionObj*>(global("steps").o)->code;
    std::string words = leb128(steps->code.size());
    for (std::uint32_t w : steps->code) words += leb128(w);
    const auto* text = static_cast<spindle::vm::StrObj*>(global("data").o);
    // dumps gives a str whose code points are the bytes.
    std::string bytes;
    for (std::size_t i = 0; i < text->data.size(); ++i) {
        const auto c = static_cast<unsigned char>(text->data[i]);
        if (c < 0x80) bytes += static_cast<char>(c);
        else bytes += static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(text->data[++i]) & 0x3f));
    }
    const std::size_t at = bytes.find(words);
    ASSERT_NE(at, std::string::npos);
    // The first instruction's opcode becomes one no build has.
    std::string damaged = bytes;
    damaged[at + leb128(steps->code.size()).size()] = static_cast<char>(0x7f);
    Value out_value;
    EXPECT_FALSE(spindle::vm::pickle_loads(interp, damaged, out_value));
    const std::string problem = pending_text();
    EXPECT_NE(problem.find("function 'steps' has changed since the save, and its saved code cannot run: "
                           "function 'steps': pc 0 (opcode 127): unknown opcode"),
              std::string::npos)
        << problem;
}

// Runs a loaded tasklet to its end (or to a script error: damaged values
// may make it raise), then kills what is left.
void run_to_end(spindle::Scheduler& scheduler, Value v) {
    spindle::Tasklet t = static_cast<spindle::vm::TaskletObj*>(v.o)->tasklet;
    try {
        t.insert();
        scheduler.run();
    } catch (...) {
    }
    try {
        if (t.alive()) t.kill();
    } catch (...) {
    }
}

// Every truncation fails; every single-bit flip fails cleanly or gives a
// tasklet that then runs: never a crash.
TEST_F(Frames, EveryTruncationAndBitFlipOfATaskletPickle) {
    ASSERT_TRUE(run(kPlainAgent)) << error();
    std::string bytes;
    ASSERT_TRUE(spindle::vm::pickle_dumps(interp, global("t"), bytes)) << pending_text();
    static_cast<spindle::vm::TaskletObj*>(global("t").o)->tasklet.kill();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        Value v;
        EXPECT_FALSE(spindle::vm::pickle_loads(interp, std::string_view(bytes).substr(0, n), v)) << n;
        const std::string text = pending_text();
        EXPECT_EQ(text.rfind("_pickle.UnpicklingError: ", 0), 0u) << n << ": " << text;
    }
    std::size_t loaded = 0;
    for (std::size_t i = 0; i < bytes.size() * 8; ++i) {
        std::string damaged = bytes;
        damaged[i / 8] = static_cast<char>(damaged[i / 8] ^ (1 << (i % 8)));
        Value v;
        if (!spindle::vm::pickle_loads(interp, damaged, v)) {
            const std::string text = pending_text();
            EXPECT_TRUE(text.rfind("_pickle.UnpicklingError: ", 0) == 0 || text.rfind("MemoryError", 0) == 0) << i << ": " << text;
            continue;
        }
        ++loaded;
        if (v.is_obj() && v.o->kind == ObjKind::Tasklet) run_to_end(scheduler, v);
        if (interp.has_pending()) interp.take_pending();
    }
    EXPECT_GT(loaded, 0u);
    // The intact pickle resumes where the agent was.
    auto* log = static_cast<spindle::vm::ListObj*>(global("log").o);
    log->items.clear();
    Value v;
    ASSERT_TRUE(spindle::vm::pickle_loads(interp, bytes, v)) << pending_text();
    run_to_end(scheduler, v);
    std::string text;
    ASSERT_TRUE(interp.repr(global("log"), text));
    EXPECT_EQ(text, "[['ant', 0], ['ant', 1], ['ant', 2]]");
}

}  // namespace
