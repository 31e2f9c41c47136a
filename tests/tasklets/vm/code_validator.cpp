// The bytecode validator: it accepts everything the compiler makes from the
// script tests, refuses each kind of damage by name (qualname, pc, rule), and
// every mutant of compiled code is either refused or runs without a
// sanitizer error (this runs under ASan and UBSan in the asan preset).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "script/parser.hpp"
#include "spindle/tasklets.hpp"
#include "vm/code_validator.hpp"
#include "vm/compiler.hpp"
#include "vm/interpreter.hpp"
#include "vm/opcodes.hpp"
#include "vm/table.hpp"

namespace {

using spindle::vm::CodeObj;
using spindle::vm::Interpreter;
using spindle::vm::ObjKind;
using spindle::vm::Op;
using spindle::vm::Value;
using spindle::vm::decode_op;
using spindle::vm::decode_operand;
using spindle::vm::encode;
using spindle::vm::validate_code;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// Every script test, in a stable order.
std::vector<std::filesystem::path> script_tests() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SPINDLE_TEST_SCRIPTS_DIR)) {
        if (entry.path().extension() == ".py") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// A module's code and every code nested in its constants.
void collect(CodeObj* code, std::vector<CodeObj*>& out) {
    out.push_back(code);
    for (const Value& k : code->constants)
        if (k.is_obj() && k.o->kind == ObjKind::Code) collect(static_cast<CodeObj*>(k.o), out);
}

// Compiles a script without running it; null if it does not compile.
CodeObj* compile(Interpreter& in, const std::filesystem::path& path) {
    spindle::script::ParseResult parsed = spindle::script::parse(read_file(path), path.string());
    if (!parsed.ok()) return nullptr;
    try {
        return spindle::vm::compile_module(in, parsed.module(), "__main__");
    } catch (const spindle::script::CompileError&) {
        return nullptr;
    }
}

CodeObj* copy_code(Interpreter& in, const CodeObj& c) {
    auto* m = in.heap().make<CodeObj>();
    m->name = c.name;
    m->qualname = c.qualname;
    m->filename = c.filename;
    m->first_line = c.first_line;
    m->code = c.code;
    m->constants = c.constants;
    m->names = c.names;
    m->local_names = c.local_names;
    m->cell_of_local = c.cell_of_local;
    m->lines = c.lines;
    m->arg_count = c.arg_count;
    m->kwonly_count = c.kwonly_count;
    m->has_varargs = c.has_varargs;
    m->has_varkw = c.has_varkw;
    m->local_count = c.local_count;
    m->cell_count = c.cell_count;
    m->free_count = c.free_count;
    m->max_stack = c.max_stack;
    return m;
}

class CodeValidator : public ::testing::Test {
public:
    static Interpreter::Options options() {
        Interpreter::Options o;
        o.write_stdout = [](std::string_view) {};
        o.runaway_instructions = 20000;
        o.max_bytes = std::size_t{32} << 20;
        return o;
    }
    CodeObj* compiled(std::string_view source) {
        spindle::script::ParseResult parsed = spindle::script::parse(source, "test.py");
        EXPECT_TRUE(parsed.ok());
        return spindle::vm::compile_module(interp, parsed.module(), "__main__");
    }
    // The first nested code named `qualname`.
    CodeObj* function_code(CodeObj* module, std::string_view qualname) {
        std::vector<CodeObj*> all;
        collect(module, all);
        for (CodeObj* c : all)
            if (c->qualname->view() == qualname) return c;
        ADD_FAILURE() << "no code " << qualname;
        return module;
    }
    std::uint32_t find_last(const CodeObj& c, Op op) {
        for (std::uint32_t pc = static_cast<std::uint32_t>(c.code.size()); pc-- > 0;)
            if (decode_op(c.code[pc]) == op) return pc;
        ADD_FAILURE() << "no " << spindle::vm::op_name(op);
        return 0;
    }
    std::uint32_t find(const CodeObj& c, Op op) {
        for (std::uint32_t pc = 0; pc < c.code.size(); ++pc)
            if (decode_op(c.code[pc]) == op) return pc;
        ADD_FAILURE() << "no " << spindle::vm::op_name(op);
        return 0;
    }

    spindle::Scheduler scheduler;
    Interpreter interp{options()};
};

TEST_F(CodeValidator, AcceptsEverythingTheCompilerMakes) {
    std::size_t codes = 0;
    for (const auto& path : script_tests()) {
        CodeObj* module = compile(interp, path);
        if (!module) continue;
        std::vector<CodeObj*> all;
        collect(module, all);
        for (CodeObj* c : all) {
            EXPECT_EQ(validate_code(*c), "") << path;
            ++codes;
        }
    }
    EXPECT_GT(codes, 1000u);
}

constexpr const char* kSample =
    "import stackless\n"
    "class Agent:\n"
    "    def __init__(self, name):\n"
    "        self.name = name\n"
    "def outer(items, *rest, scale=2, **kw):\n"
    "    total = 0\n"
    "    def add(v):\n"
    "        nonlocal total\n"
    "        total += v * scale\n"
    "    for i in items:\n"
    "        try:\n"
    "            add(i)\n"
    "        except ValueError as e:\n"
    "            raise\n"
    "    with open_thing() as t:\n"
    "        pass\n"
    "    squares = [x * x for x in items]\n"
    "    print(f'{total:>{scale}}', sep='')\n"
    "    print(*rest, **kw)\n"
    "    from stackless import channel\n"
    "    items.sort()\n"
    "    return (lambda y=1: y + total)()\n";

// Each kind of damage, refused with the code's qualname, the pc and the rule.
TEST_F(CodeValidator, RefusesDamageByName) {
    CodeObj* module = compiled(kSample);
    struct Case {
        const char* what;
        const char* function;
        void (*damage)(CodeValidator&, CodeObj&);
        const char* expect;
    };
    const Case cases[] = {
        {"unknown opcode", "outer", [](CodeValidator&, CodeObj& c) { c.code[3] = 0xfe; }, "function 'outer': pc 3 (opcode 254): unknown opcode"},
        {"constant index", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::LOAD_CONST)] = encode(Op::LOAD_CONST, 999); },
         "function 'outer': pc"},
        {"name index", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::LOAD_GLOBAL)] = encode(Op::LOAD_GLOBAL, 999); },
         "operand 999 is not a name index"},
        {"local slot", "outer.<locals>.add", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::LOAD_FAST)] = encode(Op::LOAD_FAST, 50); },
         "operand 50 is not a plain local slot"},
        {"fast access to a cell", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::STORE_DEREF)] = encode(Op::STORE_FAST, decode_operand(c.code[t.find(c, Op::STORE_DEREF)])); },
         "is not a plain local slot"},
        {"deref of a plain slot", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::LOAD_FAST)] = encode(Op::LOAD_DEREF, decode_operand(c.code[t.find(c, Op::LOAD_FAST)])); },
         "is not a cell slot"},
        {"jump outside", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::FOR_ITER)] = encode(Op::FOR_ITER, 100000); },
         "jumps outside the code"},
        {"jump into the prologue", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::JUMP)] = encode(Op::JUMP, 0); },
         "jumps into the cell prologue"},
        {"falls off the end", "Agent.__init__", [](CodeValidator&, CodeObj& c) { c.code.back() = encode(Op::NOP, 0); },
         "runs off the end of the code"},
        {"stack underflow", "Agent.__init__", [](CodeValidator&, CodeObj& c) { c.code[0] = encode(Op::POP_TOP, 0); },
         "function 'Agent.__init__': pc 0 (POP_TOP): reads 1 values from a stack of 0"},
        {"max_stack", "outer", [](CodeValidator&, CodeObj& c) { c.max_stack -= 1; }, "above max_stack"},
        {"depth differs", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::POP_BLOCK)] = encode(Op::LOAD_NONE, 0); },
         "function 'outer': pc"},
        {"operand where none", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::RETURN_VALUE)] = encode(Op::RETURN_VALUE, 1); },
         "where the instruction takes none"},
        {"binary op enum", "outer.<locals>.add", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::BINARY_OP)] = encode(Op::BINARY_OP, 14); },
         "is outside the instruction's enum"},
        {"list append on a non-list", "outer.<locals>.<listcomp>", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::LIST_APPEND);
             c.code[pc] = encode(Op::LIST_APPEND, decode_operand(c.code[pc]) + 1);
         }, "(LIST_APPEND)"},
        {"call_kw without names", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::CALL_KW);
             c.code[pc - 1] = encode(Op::LOAD_NONE, 0);
         }, "not a constant tuple of at most `count` names"},
        {"call_kw with too many names", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::CALL_KW);
             c.code[pc] = encode(Op::CALL_KW, 0);
         }, "names"},
        {"make_function without code", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::MAKE_FUNCTION);
             c.code[pc - 2] = encode(Op::LOAD_NONE, 0);
         }, "not a code constant"},
        {"closure of the wrong size", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::MAKE_FUNCTION);
             c.code[pc - 3] = encode(Op::BUILD_TUPLE, 0);
         }, "not a tuple of the code's"},
        {"cell leaks", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::LOAD_CLOSURE);
             c.code[pc + 1] = encode(Op::STORE_FAST, decode_operand(c.code[t.find(c, Op::LOAD_FAST)]));
         }, "a cell, not a script value"},
        {"marker leaks", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::LOAD_METHOD);
             c.code[pc + 1] = encode(Op::RETURN_VALUE, 0);
         }, "a method call's self slot, not a script value"},
        {"reraise of a value", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::RERAISE);
             c.code[pc - 1] = encode(Op::LOAD_NONE, 0);
         }, "function 'outer': pc"},
        {"pop_block without a block", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find_last(c, Op::POP_EXCEPT)] = encode(Op::POP_BLOCK, 0); },
         "no finally block of this frame is open"},
        {"import_from on a value", "outer", [](CodeValidator& t, CodeObj& c) { c.code[t.find(c, Op::IMPORT_NAME)] = encode(Op::LOAD_CONST, 0); },
         "not a module"},
        {"build_string of a value", "outer", [](CodeValidator& t, CodeObj& c) {
             const std::uint32_t pc = t.find(c, Op::BUILD_STRING);
             c.code[pc - 1] = encode(Op::LOAD_NONE, 0);
         }, "function 'outer': pc"},
        {"too many parameters", "outer", [](CodeValidator&, CodeObj& c) { c.arg_count = c.local_count + 1; }, "parameters in"},
        {"local names short", "outer", [](CodeValidator&, CodeObj& c) { c.local_names.pop_back(); }, "local name table"},
        {"huge stack", "outer", [](CodeValidator&, CodeObj& c) { c.max_stack = 1u << 30; }, "max_stack 1073741824 is too large"},
        {"line table order", "outer", [](CodeValidator&, CodeObj& c) { std::swap(c.lines[0], c.lines[1]); }, "line table: entry 1 is out of order"},
        {"line past code", "outer", [](CodeValidator&, CodeObj& c) { c.lines.back().pc = 100000; }, "is past the code"},
        {"cell table", "outer", [](CodeValidator&, CodeObj& c) { c.cell_of_local.assign(c.local_count, -1); }, "disagrees with the MAKE_CELL prologue"},
        {"constant kind", "outer", [](CodeValidator& t, CodeObj& c) { c.constants[0] = Value::object(t.interp.heap().make<spindle::vm::ListObj>()); },
         "constant 0: not a kind of constant"},
        {"no qualname", "outer", [](CodeValidator&, CodeObj& c) { c.qualname = nullptr; }, "function '?': code: name, qualname"},
    };
    for (const Case& c : cases) {
        CodeObj* copy = copy_code(interp, *function_code(module, c.function));
        ASSERT_EQ(validate_code(*copy), "") << c.what;
        c.damage(*this, *copy);
        const std::string problem = validate_code(*copy);
        EXPECT_NE(problem.find(c.expect), std::string::npos) << c.what << ": " << problem;
        EXPECT_EQ(problem.rfind("function '", 0), 0u) << c.what << ": " << problem;
    }
}

// A nested code constant is validated too, and named in the refusal.
TEST_F(CodeValidator, NestedCodeIsValidated) {
    CodeObj* module = compiled(kSample);
    CodeObj* outer = copy_code(interp, *function_code(module, "outer"));
    for (Value& k : outer->constants) {
        if (k.is_obj() && k.o->kind == ObjKind::Code && static_cast<CodeObj*>(k.o)->qualname->view() == "outer.<locals>.add") {
            CodeObj* add = copy_code(interp, *static_cast<CodeObj*>(k.o));
            add->code[0] = 0xfd;
            k = Value::object(add);
        }
    }
    EXPECT_EQ(validate_code(*outer).rfind("function 'outer.<locals>.add': pc 0", 0), 0u) << validate_code(*outer);
}

// The mutation fuzzer: damaged copies of compiled code (opcodes, operands,
// swapped words, header counts, constants) are validated; each one accepted
// is run as a script tasklet (a runaway limit and a memory cap end loops and
// hogs). Under ASan and UBSan, any memory error the validator lets through
// fails the run.
TEST_F(CodeValidator, MutantsAreRefusedOrRunSafely) {
    std::mt19937 rng;
    auto pick = [&](std::size_t n) { return static_cast<std::uint32_t>(rng() % std::max<std::size_t>(n, 1)); };
    auto* builtins = interp.find_module(interp.intern("builtins"));
    std::size_t tried = 0, accepted = 0, exhausted = 0;
    const auto tests = script_tests();
    for (std::size_t t = 0; t < tests.size(); ++t) {
        const auto topic = tests[t].parent_path().filename();
        if (topic != "language" && topic != "stackless" && topic != "pickle" && topic != "frames") continue;
        // Half the scripts, each with mutants of its own: chosen and seeded
        // by the script's name, so adding a script changes no other's.
        const std::string name = (topic / tests[t].filename()).string();
        std::uint32_t seed = 2166136261u;  // FNV-1a
        for (const char c : name) seed = (seed ^ static_cast<unsigned char>(c)) * 16777619u;
        if (seed % 2 != 0) continue;
        rng.seed(seed ^ 20261127u);
        CodeObj* module = compile(interp, tests[t]);
        if (!module) continue;
        // Rooted while the script and its mutants run: the module's code in a builtins global.
        interp.define(builtins->globals, "__fuzz_source", Value::object(module));
        // Mutants run in the globals the script itself made.
        try {
            (void)interp.run_source(read_file(tests[t]), tests[t].string());
        } catch (const spindle::script::CompileError&) {
            continue;
        }
        if (interp.has_pending()) interp.take_pending();
        auto* globals = interp.find_module(interp.intern("__main__"));
        std::vector<CodeObj*> all;
        collect(module, all);
        for (int m = 0; m < 24; ++m) {
            CodeObj* mutant = copy_code(interp, *all[pick(all.size())]);
            const int edits = 1 + static_cast<int>(pick(3));
            for (int e = 0; e < edits; ++e) {
                const std::uint32_t pc = pick(mutant->code.size());
                const std::uint32_t word = mutant->code[pc];
                switch (pick(7)) {
                    case 0: mutant->code[pc] = encode(static_cast<Op>(pick(static_cast<std::size_t>(Op::COUNT_) + 2)), decode_operand(word)); break;
                    case 1: mutant->code[pc] = encode(decode_op(word), pick(mutant->code.size() + 4)); break;
                    case 2: mutant->code[pc] = encode(decode_op(word), decode_operand(word) + 1); break;
                    case 3: std::swap(mutant->code[pc], mutant->code[pick(mutant->code.size())]); break;
                    case 4: mutant->code[pc] = encode(static_cast<Op>(pick(static_cast<std::size_t>(Op::COUNT_))), pick(4)); break;
                    case 5: {
                        std::uint32_t* fields[] = {&mutant->max_stack, &mutant->local_count, &mutant->arg_count, &mutant->free_count};
                        std::uint32_t& f = *fields[pick(4)];
                        f = pick(2) ? f + 1 : (f > 0 ? f - 1 : 0);
                        break;
                    }
                    default:
                        if (!mutant->constants.empty()) mutant->constants[pick(mutant->constants.size())] = mutant->constants[pick(mutant->constants.size())];
                        break;
                }
            }
            ++tried;
            if (!validate_code(*mutant).empty()) continue;
            ++accepted;
            // Run it: a function over the mutant, its closure empty cells.
            auto* fn = interp.heap().make<spindle::vm::FunctionObj>();
            fn->code = mutant;
            fn->module = globals;
            fn->name = mutant->name;
            fn->qualname = mutant->qualname;
            for (std::uint32_t k = 0; k < mutant->free_count; ++k) fn->closure.push_back(interp.heap().make<spindle::vm::CellObj>());
            interp.define(builtins->globals, "__fuzz_function", Value::object(fn));
            const std::string args = std::to_string(mutant->arg_count);
            try {
                // A total instruction budget: a mutant that loops through
                // schedule() or spawns tasklets forever is never a runaway
                // (it waits), so it is cut off here and its tasklets killed.
                (void)interp.run_source("import stackless\n"
                                        "stackless.tasklet(__fuzz_function)(*([1] * " + args + "))\n"
                                        "stackless.run(200000, totaltimeout=True)\n"
                                        "for i in range(100):\n"
                                        "    if stackless.getruncount() <= 1:\n"
                                        "        break\n"
                                        "    stackless.current.next.kill()\n"
                                        // A mutant left waiting inside a call from C++ holds the
                                        // collector off: end it, as a host would.
                                        "for t in stackless.uncollectables:\n"
                                        "    t.kill()\n",
                                        "fuzz.py");
            } catch (const spindle::script::CompileError&) {
                ADD_FAILURE() << "harness did not compile";
            } catch (const std::bad_alloc&) {
                // The memory cap, reached by the harness itself: mutants left
                // waiting inside calls from C++ hold the collector off. Clean,
                // not a crash; the next run starts over.
                ++exhausted;
            }
            if (interp.has_pending()) interp.take_pending();
        }
    }
    // Most damage is refused; some survives and ran.
    EXPECT_GT(tried, 1000u);
    EXPECT_GT(accepted, 10u);
    EXPECT_LT(accepted, tried / 2);
    std::printf("mutants: %zu tried, %zu accepted and run, %zu reached the memory cap\n", tried, accepted, exhausted);
}

}  // namespace
