// The pickler and unpickler (tasklets/vm/pickler.hpp, unpickler.hpp): round
// trips with identity and cycles, the writer's errors, and hostile input:
// every truncation, every single-bit flip, huge counts, bad references, deep
// nesting and wrong versions must end in UnpicklingError, never a crash.
#include "vm/pickler.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickle_format.hpp"
#include "vm/table.hpp"
#include "vm/unpickler.hpp"
#include "script_fixture.hpp"

namespace {

using spindle::vm::Interpreter;
using spindle::vm::ObjKind;
using spindle::vm::PickleError;
using spindle::vm::Value;
namespace fmt = spindle::vm::pickle_format;

class Pickle : public spindle::vm::testing::ScriptTest {
protected:
    std::string dumps(Value v) {
        std::string bytes;
        EXPECT_TRUE(spindle::vm::pickle_dumps(interp, v, bytes)) << pending_text();
        return bytes;
    }

    // loads must fail with UnpicklingError; returns its message.
    std::string load_error(std::string_view bytes) {
        Value v;
        EXPECT_FALSE(spindle::vm::pickle_loads(interp, bytes, v));
        const std::string text = pending_text();
        EXPECT_EQ(text.rfind("_pickle.UnpicklingError: ", 0), 0u) << text;
        return text;
    }

    static std::string header() {
        std::string h(fmt::kMagic, sizeof fmt::kMagic);
        h.push_back(static_cast<char>(fmt::kVersion));
        return h;
    }
    static std::string zero() { return std::string(1, '\0'); }
    static char tag(fmt::Tag t) { return static_cast<char>(t); }
};

// The graphs every hostile-input test damages.
constexpr std::string_view kSamples = R"(
class Node:
    def __init__(self, name):
        self.name = name
        self.next = None
        self.tags = {"a", "b"}
a = Node("first")
b = Node("second \u00e9\u4e2d")
a.next = b
b.next = a
lst = [1, -2, 3.5, None, True, "text", (1, 2), a, b, {"k": [a, b]}, range(3), slice(1, None, 2)]
lst.append(lst)
walker = iter(lst)
next(walker)
lst.append([walker, iter("\u00e9t\u00e9"), iter(range(5, 100, 7))])
samples = [
    lst,
    {"x": 1, "y": [2, 3], 4: (5, 6), None: {"deep": [[[[]]]]}},
    a,
    [ValueError("bad", 1), len, Node, Node.__init__, a.__init__],
    "just a string",
    12345678901234,
]
)";

TEST_F(Pickle, RoundTripKeepsValuesIdentityAndCycles) {
    ASSERT_TRUE(run(std::string(kSamples) + R"(
import pickle
def check(v):
    return pickle.loads(pickle.dumps(v))
r = check(lst)
print(r[-2] is r, r[7].next.next is r[7], r[9]["k"][0] is r[7], r[7].name, r[8].name, r[:7], r[10], r[11])
print(check(samples[1]) == samples[1], check(samples[3])[1] is len, type(check(samples[3])[0]).__name__)
)")) << error();
    EXPECT_EQ(out,
              "True True True first second \u00e9\u4e2d [1, -2, 3.5, None, True, 'text', (1, 2)] range(0, 3) "
              "slice(1, None, 2)\nTrue True ValueError\n");
}

TEST_F(Pickle, RewriteGivesTheSameBytes) {
    ASSERT_TRUE(run(kSamples)) << error();
    auto* samples = static_cast<spindle::vm::ListObj*>(global("samples").o);
    for (const Value& v : samples->items) {
        const std::string first = dumps(v);
        Value back;
        spindle::vm::UnpickleOptions options;
        options.script_hooks = true;  // exceptions come back through their class (REDUCE)
        ASSERT_TRUE(spindle::vm::pickle_loads(interp, first, back, options)) << pending_text();
        EXPECT_EQ(dumps(back), first);
    }
}

// The memo lives in the objects' headers, marked with a number per pickle
// (16 bits, from 1 on a new heap): a pickle refused half way, and the
// numbers running out and starting again, must leave no mark that a later
// pickle takes for its own.
TEST_F(Pickle, MemoMarksNeverLeakIntoLaterPickles) {
    ASSERT_TRUE(run("shared = [1]\n"
                    "v = [shared, shared, (shared, 'x'), {'k': shared}]\n"
                    "bad = [shared, 'x', {}.keys()]\n"
                    "w = [[2], 'y', ([3], 'z')]\n")) << error();
    const std::string expected = dumps(global("v"));  // pickle 1: v's objects carry mark 1
    std::string bytes;
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("bad"), bytes));  // marks shared and 'x', then fails
    pending_text();
    EXPECT_EQ(dumps(global("v")), expected);
    // Pickle 4 marks w's objects and pickles 5 to 65538 leave them alone;
    // after 65535 the numbers start again at 1, so pickle 65539 is number 4
    // again: it must write w whole, not as references to marks of pickle 4.
    const std::string w_expected = dumps(global("w"));
    const Value shared = global("shared");
    for (int i = 5; i <= 65538; ++i) {
        bytes.clear();
        ASSERT_TRUE(spindle::vm::pickle_dumps(interp, shared, bytes)) << pending_text();
    }
    EXPECT_EQ(dumps(global("w")), w_expected);
}

// A load's objects are live: the collection their allocation would make due
// at the next safe point would mark them all and free none of them.
TEST_F(Pickle, LoadingLeavesNoCollectionDue) {
    ASSERT_TRUE(run("v = [[i, str(i)] for i in range(60000)]\n")) << error();
    const std::string bytes = dumps(global("v"));
    ASSERT_TRUE(run("v = None\n")) << error();
    interp.collect_garbage();
    const std::size_t before = interp.heap().bytes();
    Value back;
    ASSERT_TRUE(spindle::vm::pickle_loads(interp, bytes, back)) << pending_text();
    ASSERT_GT(interp.heap().bytes() - before, std::size_t{8} << 20);  // more than the 4 MiB a collection leaves room for
    EXPECT_FALSE(interp.heap().should_collect());
}

TEST_F(Pickle, UnpicklableValueNamesItsPath) {
    ASSERT_TRUE(run("class C: pass\n"
                    "c = C()\n"
                    "c.attr = [0, super(C, c)]\n"
                    "v = [1, {'k': c}]\n"
                    "w = {(1, 'x'): {}.keys()}\n")) << error();
    std::string bytes = "untouched";
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("v"), bytes));
    EXPECT_EQ(pending_text(), "_pickle.PicklingError: cannot pickle 'super' object (at root[1]['k'].attr[1])");
    EXPECT_EQ(bytes, "untouched");
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("w"), bytes));
    // Dict views are refused as Stackless 3.7 refuses them.
    EXPECT_EQ(pending_text(), "TypeError: can't pickle dict_keys objects");
}

// A local class is not found by name and has no content form: refused.
TEST_F(Pickle, LocalClassesAreRefused) {
    ASSERT_TRUE(run("def f():\n"
                    "    class Local: pass\n"
                    "    return Local\n"
                    "Local = f()\n")) << error();
    std::string bytes;
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("Local"), bytes));
    EXPECT_EQ(pending_text().rfind("_pickle.PicklingError: cannot pickle class 'f.<locals>.Local'", 0), 0u);
}

// A local function goes by content: its code, module, defaults (keyword-only
// ones too), closure cells (shared, as between two closures) and names.
TEST_F(Pickle, LocalFunctionsPickleByContent) {
    ASSERT_TRUE(run("import pickle\n"
                    "def f(base):\n"
                    "    total = [base]\n"
                    "    def add(x, y=2, *, z=3, w):\n"
                    "        total[0] += x + y + z + w\n"
                    "        return total[0]\n"
                    "    def get():\n"
                    "        return total[0]\n"
                    "    return add, get\n"
                    "add, get = pickle.loads(pickle.dumps(f(100)))\n"
                    "print(add(1, w=0), add(1, 0, z=0, w=10), get(), add.__name__, add.__qualname__)\n"
                    "print(add.__module__, pickle.loads(pickle.dumps(add)) is not add)\n")) << error();
    EXPECT_EQ(out, "106 117 117 add f.<locals>.add\n__main__ True\n");
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

// A by-content function whose code fails the validator is refused by name.
TEST_F(Pickle, LocalFunctionWithInvalidCodeIsRefused) {
    ASSERT_TRUE(run("import pickle\n"
                    "def f():\n"
                    "    return lambda: 41 + 1\n"
                    "g = f()\n"
                    "data = pickle.dumps(g)\n")) << error();
    const auto* code = static_cast<spindle::vm::FunctionObj*>(global("g").o)->code;
    std::string words = leb128(code->code.size());
    for (std::uint32_t w : code->code) words += leb128(w);
    const auto* text = static_cast<spindle::vm::StrObj*>(global("data").o);
    std::string bytes;  // dumps gives a str whose code points are the bytes
    for (std::size_t i = 0; i < text->data.size(); ++i) {
        const auto c = static_cast<unsigned char>(text->data[i]);
        if (c < 0x80) bytes += static_cast<char>(c);
        else bytes += static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(text->data[++i]) & 0x3f));
    }
    const std::size_t at = bytes.find(words);
    ASSERT_NE(at, std::string::npos);
    Value back;
    ASSERT_TRUE(spindle::vm::pickle_loads(interp, bytes, back)) << pending_text();
    bytes[at + leb128(code->code.size()).size()] = static_cast<char>(0x7f);
    EXPECT_FALSE(spindle::vm::pickle_loads(interp, bytes, back));
    const std::string problem = pending_text();
    EXPECT_NE(problem.find("function 'f.<locals>.<lambda>': its code cannot run: function 'f.<locals>.<lambda>': pc 0 "
                           "(opcode 127): unknown opcode"),
              std::string::npos)
        << problem;
}

TEST_F(Pickle, TooDeepGraphIsRefusedWhenWritten) {
    ASSERT_TRUE(run("v = []\n"
                    "for i in range(5000):\n"
                    "    v = [v]\n")) << error();
    std::string bytes;
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("v"), bytes));
    EXPECT_NE(pending_text().find("nests deeper than"), std::string::npos);
}

TEST_F(Pickle, EveryTruncationFails) {
    ASSERT_TRUE(run(kSamples)) << error();
    auto* samples = static_cast<spindle::vm::ListObj*>(global("samples").o);
    for (const Value& v : samples->items) {
        const std::string bytes = dumps(v);
        for (std::size_t n = 0; n < bytes.size(); ++n) load_error(std::string_view(bytes).substr(0, n));
    }
}

TEST_F(Pickle, EveryBitFlipFailsCleanlyOrDecodes) {
    ASSERT_TRUE(run(kSamples)) << error();
    auto* samples = static_cast<spindle::vm::ListObj*>(global("samples").o);
    std::size_t failed = 0, decoded = 0;
    for (const Value& v : samples->items) {
        const std::string bytes = dumps(v);
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            for (int bit = 0; bit < 8; ++bit) {
                std::string damaged = bytes;
                damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
                Value back;
                if (spindle::vm::pickle_loads(interp, damaged, back)) {
                    ++decoded;
                } else {
                    ++failed;
                    const std::string text = pending_text();
                    ASSERT_EQ(text.rfind("_pickle.UnpicklingError: ", 0), 0u) << "byte " << i << " bit " << bit << ": " << text;
                }
            }
        }
    }
    EXPECT_GT(failed, 0u);
    EXPECT_GT(decoded, 0u);  // a flipped digit of an int is still a pickle
}

TEST_F(Pickle, HostileHeaders) {
    EXPECT_EQ(load_error(""), "_pickle.UnpicklingError: not a Spindle pickle (bad magic at offset 0)");
    EXPECT_EQ(load_error("SPKX\x01\x00"), "_pickle.UnpicklingError: not a Spindle pickle (bad magic at offset 0)");
    const std::string current = std::to_string(fmt::kVersion);
    EXPECT_EQ(load_error(std::string("SPKL\x02\x00", 6)),
              "_pickle.UnpicklingError: unsupported pickle format version 2 (this build reads version " + current + ")");
    const char newer = static_cast<char>(fmt::kVersion + 1);
    EXPECT_EQ(load_error(std::string("SPKL") + newer + std::string(1, '\0')),
              "_pickle.UnpicklingError: unsupported pickle format version " + std::to_string(fmt::kVersion + 1) +
                  " (this build reads version " + current + ")");
    EXPECT_EQ(load_error(header() + std::string(1, tag(fmt::Tag::None)) + "x"),
              "_pickle.UnpicklingError: invalid pickle at offset 6: 1 bytes of garbage after the pickle");
    EXPECT_EQ(load_error(header() + "\xEE"), "_pickle.UnpicklingError: invalid pickle at offset 5: unknown tag 238");
}

TEST_F(Pickle, HugeDeclaredLengthsAllocateNothing) {
    for (const fmt::Tag t : {fmt::Tag::Str, fmt::Tag::List, fmt::Tag::Tuple, fmt::Tag::Set, fmt::Tag::Dict}) {
        // 2^62 items, then a few bytes.
        std::string bytes = header() + tag(t) + std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x40", 9) + "abc";
        const std::string text = load_error(bytes);
        EXPECT_NE(text.find("is more than the 3 bytes left could hold"), std::string::npos) << text;
    }
    // A varint longer than 64 bits.
    const std::string text = load_error(header() + tag(fmt::Tag::Int) + std::string(11, '\xFF'));
    EXPECT_NE(text.find("varint too"), std::string::npos) << text;
}

TEST_F(Pickle, BadMemoReferences) {
    EXPECT_EQ(load_error(header() + tag(fmt::Tag::Ref) + zero()),
              "_pickle.UnpicklingError: invalid pickle at offset 5: memo reference 0 points past the 0 objects read so far");
    // [REF 1] inside a one-element list: only index 0 exists.
    EXPECT_EQ(load_error(header() + tag(fmt::Tag::List) + "\x01" + tag(fmt::Tag::Ref) + "\x01"),
              "_pickle.UnpicklingError: invalid pickle at offset 7: memo reference 1 points past the 1 objects read so far");
}

// Found by the load_pickle fuzzer: a tuple holding a reference to itself
// made hash() recurse until the stack overflowed.
TEST_F(Pickle, CyclesThroughTuplesOnlyAreRefused) {
    const std::string t = std::string(1, tag(fmt::Tag::Tuple));
    const std::string ref = std::string(1, tag(fmt::Tag::Ref));
    // (REF 0,): the tuple is its own item.
    EXPECT_EQ(load_error(header() + t + "\x01" + ref + zero()),
              "_pickle.UnpicklingError: invalid pickle at offset 7: a tuple that contains itself through tuples only");
    // ((REF 0,),): two tuples in a ring.
    EXPECT_NE(load_error(header() + t + "\x01" + t + "\x01" + ref + zero()).find("contains itself through tuples only"),
              std::string::npos);
    // ({(REF 0,): None},): a dict key that reaches the unfinished tuple (its
    // hash would change once the tuple is complete).
    const std::string key = header() + t + "\x01" + tag(fmt::Tag::Dict) + "\x01" + t + "\x01" + ref + zero() +
                            tag(fmt::Tag::None);
    EXPECT_NE(load_error(key).find("a dict key reaches a tuple that is not complete yet"), std::string::npos)
        << load_error(key);
    const std::string key2 = header() + t + "\x01" + tag(fmt::Tag::Dict) + "\x01" + ref + zero() + tag(fmt::Tag::None);
    EXPECT_NE(load_error(key2).find("a dict key reaches a tuple that is not complete yet"), std::string::npos)
        << load_error(key2);
    const std::string element = header() + t + "\x01" + tag(fmt::Tag::Set) + "\x01" + ref + zero();
    EXPECT_NE(load_error(element).find("a set element reaches a tuple that is not complete yet"), std::string::npos)
        << load_error(element);
    // Through a list the cycle is ordinary Python: t = ([],); t[0].append(t).
    ASSERT_TRUE(run("t = ([],)\nt[0].append(t)\n"));
    Value back;
    ASSERT_TRUE(spindle::vm::pickle_loads(interp, dumps(global("t")), back)) << pending_text();
    auto* tuple = static_cast<spindle::vm::TupleObj*>(back.o);
    auto* list = static_cast<spindle::vm::ListObj*>(tuple->items[0].o);
    EXPECT_TRUE(list->items[0].identical(back));
}

TEST_F(Pickle, DeepNestingIsRefused) {
    std::string bytes = header();
    for (int i = 0; i < 100000; ++i) bytes += std::string(1, tag(fmt::Tag::List)) + "\x01";
    bytes += tag(fmt::Tag::None);
    const std::string text = load_error(bytes);
    EXPECT_NE(text.find("nesting deeper than 3000"), std::string::npos) << text;
}

TEST_F(Pickle, WrongKindsWhereNamesOrClassesBelong) {
    ASSERT_TRUE(run("x = [1]\n")) << error();
    // INSTANCE whose class is an int.
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Instance) + tag(fmt::Tag::Int) + "\x02" + zero()).find("is not a class"),
              std::string::npos);
    // GLOBAL naming a module that is not loaded, and a name that is not there.
    const std::string nowhere = header() + tag(fmt::Tag::Global) + tag(fmt::Tag::Str) + "\x03" + "zzz" + tag(fmt::Tag::Str) +
                                "\x01" + "f";
    EXPECT_NE(load_error(nowhere).find("module 'zzz' is not loaded"), std::string::npos);
    const std::string missing = header() + tag(fmt::Tag::Global) + tag(fmt::Tag::Str) + "\x08" + "__main__" +
                                tag(fmt::Tag::Str) + "\x01" + "y";
    EXPECT_NE(load_error(missing).find("'__main__.y' not found"), std::string::npos);
    // GLOBAL naming something that is not a class or function.
    const std::string data = header() + tag(fmt::Tag::Global) + tag(fmt::Tag::Str) + "\x08" + "__main__" +
                             tag(fmt::Tag::Str) + "\x01" + "x";
    const std::string not_class = load_error(data);
    EXPECT_NE(not_class.find("is a list, not a class or function"), std::string::npos) << not_class;
    // Invalid UTF-8 and an unhashable dict key.
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Str) + "\x02" + "\xC3\x28").find("not valid UTF-8"), std::string::npos);
    const std::string unhashable = header() + tag(fmt::Tag::Dict) + "\x01" + tag(fmt::Tag::List) + zero() + tag(fmt::Tag::None);
    const std::string unhashable_error = load_error(unhashable);
    EXPECT_NE(unhashable_error.find("unhashable type"), std::string::npos) << unhashable_error;
}

}  // namespace

namespace {

TEST_F(Pickle, StartedTaskletsAndBusyChannelsPickleButNotTheCurrentOne) {
    ASSERT_TRUE(run("import stackless, pickle\n"
                    "ch = stackless.channel()\n"
                    "def f():\n"
                    "    print('got', ch.receive())\n"
                    "t = stackless.tasklet(f)()\n"
                    "stackless.schedule()\n"
                    "t2, ch2 = pickle.loads(pickle.dumps([t, ch]))\n"
                    "print(t2.blocked, ch2.balance, ch2.queue is t2)\n"
                    "try:\n"
                    "    pickle.dumps([stackless.current])\n"
                    "except pickle.PicklingError as e:\n"
                    "    print(str(e).split(':')[1])\n"
                    "ch2.send(1)\n"
                    "t.kill()\n")) << error();
    EXPECT_EQ(out, "True -1 True\n it is the current tasklet (at root[0])\ngot 1\n");
}

TEST_F(Pickle, HostileIterators) {
    const std::string it = header() + tag(fmt::Tag::Iterator);
    // A range iterator that would step past its end, and one with step 0.
    EXPECT_NE(load_error(it + "\x02" + zero() + "\x0A" + "\x06").find("whole steps"), std::string::npos);
    EXPECT_NE(load_error(it + "\x02" + zero() + "\x0A" + zero()).find("whole steps"), std::string::npos);
    // A str iterator inside a character, a list iterator over an int.
    EXPECT_NE(load_error(it + "\x01" + tag(fmt::Tag::Str) + "\x02" + "\xC3\xA9" + "\x02").find("character boundary"),
              std::string::npos);
    EXPECT_NE(load_error(it + zero() + tag(fmt::Tag::Int) + "\x02" + zero()).find("iterator source is a int"), std::string::npos);
    EXPECT_NE(load_error(it + "\x0B").find("unknown iterator kind 11"), std::string::npos);
}

// The iterator kinds and records added for CPython's protocol: each
// malformed one is refused by name, and the records that call script code
// (REDUCE, NEWOBJ, GLOBAL_VALUE) or belong to save games (dict and set
// iterators, dict views) are refused outside pickle.loads and save games.
TEST_F(Pickle, HostileProtocolRecords) {
    using fmt::IteratorKind;
    auto kind = [](IteratorKind k) { return std::string(1, static_cast<char>(k)); };
    const std::string it = header() + tag(fmt::Tag::Iterator);
    const std::string list0 = std::string(1, tag(fmt::Tag::List)) + zero();
    EXPECT_NE(load_error(it + kind(IteratorKind::Reversed) + tag(fmt::Tag::Int) + "\x02" + zero()).find("reversed iterator source is a int"),
              std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Reversed) + list0 + "\x01").find("position is negative"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Zip) + zero() + zero()).find("too few iterators"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Zip) + "\x02" + "\x01" + list0).find("bad zip strict flag"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Map) + "\x01" + tag(fmt::Tag::None)).find("too few iterators"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Enumerate) + "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01" + list0).find("out of range"),
              std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Dict) + zero()).find("only valid in a save game"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::Set) + tag(fmt::Tag::None)).find("only valid in a save game"), std::string::npos);
    EXPECT_NE(load_error(it + kind(IteratorKind::GetItem) + tag(fmt::Tag::Int) + "\x02" + zero()).find("iterator source is a int"),
              std::string::npos);
    EXPECT_NE(load_error(header() + tag(fmt::Tag::DictView) + zero()).find("only valid in a save game"), std::string::npos);
    for (fmt::Tag t : {fmt::Tag::Reduce, fmt::Tag::NewObj, fmt::Tag::GlobalValue})
        EXPECT_NE(load_error(header() + tag(t)).find("allowed only in pickle.loads"), std::string::npos);
}

TEST_F(Pickle, HostileTaskletAndChannelRecords) {
    // A tasklet with arguments but no function, a native one with script
    // fields, one of a type no factory is registered for, a bad preference.
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Tasklet) + "\x02" + tag(fmt::Tag::None)).find("arguments but no function"),
              std::string::npos);
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Tasklet) + "\x81" + tag(fmt::Tag::None)).find("a native tasklet with script tasklet fields"),
              std::string::npos);
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Tasklet) + "\x80" + tag(fmt::Tag::None) + tag(fmt::Tag::Str) + "\x03" "abc" + zero())
                  .find("no restore factory is registered for native tasklet type 'abc'"),
              std::string::npos);
    EXPECT_NE(load_error(header() + tag(fmt::Tag::Channel) + "\x08" + zero()).find("channel preference 4"), std::string::npos);
    // A tasklet whose function is an int.
    const std::string bad_function = header() + tag(fmt::Tag::Tasklet) + "\x03" + tag(fmt::Tag::None) + tag(fmt::Tag::Int) +
                                     "\x02" + tag(fmt::Tag::Tuple) + zero() + tag(fmt::Tag::None);
    EXPECT_NE(load_error(bad_function).find("tasklet function is not callable"), std::string::npos);
}

}  // namespace

namespace {

// Under a tight memory cap a pickle that expands past it gives MemoryError,
// and what was made so far is collected.
TEST(PickleMemory, LoadPastTheCapIsMemoryError) {
    spindle::Scheduler scheduler;
    Interpreter::Options o;
    o.max_bytes = 4u << 20;
    o.write_stdout = [](std::string_view) {};
    Interpreter interp(o);
    // 200,000 empty lists in 400 KB of input: far more than 4 MiB of objects.
    std::string bytes(fmt::kMagic, sizeof fmt::kMagic);
    bytes.push_back(static_cast<char>(fmt::kVersion));
    bytes.push_back(static_cast<char>(fmt::Tag::List));
    bytes += "\xC0\x9A\x0C";  // 200,000
    for (int i = 0; i < 200000; ++i) {
        bytes.push_back(static_cast<char>(fmt::Tag::List));
        bytes.push_back('\0');
    }
    Value v;
    EXPECT_FALSE(spindle::vm::pickle_loads(interp, bytes, v));
    ASSERT_TRUE(interp.has_pending());
    EXPECT_STREQ(interp.type_name(interp.take_pending()), "MemoryError");
    const std::size_t before = interp.heap().bytes();
    interp.collect_garbage();
    EXPECT_LT(interp.heap().bytes(), before);
}

}  // namespace
