// The pickler and unpickler (tasklets/vm/pickler.hpp, unpickler.hpp): round
// trips with identity and cycles, the writer's errors, and hostile input:
// every truncation, every single-bit flip, huge counts, bad references, deep
// nesting, FORWARD/DEFINE records that do not match and wrong versions must
// end in UnpicklingError, never a crash. Graphs of any depth round-trip.
#include "vm/pickler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
deep = {"tail": a, "keys": {a: 1, "k": 2, b: 3}, "set": {"x", 5}}
for i in range(300):
    deep = [deep]
deep.append(deep)
samples = [
    lst,
    {"x": 1, "y": [2, 3], 4: (5, 6), None: {"deep": [[[[]]]]}},
    a,
    [ValueError("bad", 1), len, Node, Node.__init__, a.__init__],
    "just a string",
    12345678901234,
    deep,
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

// UnpickleOptions::read_for_good promises that the bytes it reports are
// never read again (a save's loader gives their pages back). Here they are
// overwritten as soon as they are reported, with bytes that would be
// refused or read differently: the load must still give the same value.
TEST_F(Pickle, BytesReportedReadForGoodAreNeverReadAgain) {
    ASSERT_TRUE(run(R"(
import stackless
ch = stackless.channel()

def agent(i, memory):
    memory.append(ch.receive())

def make_counter(start):
    count = [start]
    def step(by):
        count[0] += by
        return count[0]
    return step

shared = {"name": "shared", "items": list(range(50))}
world = []
for i in range(45000):
    memory = ["agent " + str(i), shared, (i, i * 0.5)]
    world.append((memory, stackless.tasklet(agent)(i, memory)))
    if i % 5000 == 0:
        world.append((make_counter(i), lambda x, i=i: x + i))
world.append(ch)
stackless.run()
)")) << error();
    const std::string bytes = dumps(global("world"));
    ASSERT_GT(bytes.size(), 3u << 20) << "to report several times, the pickle must span megabytes";

    std::string scribbled = bytes;
    std::vector<std::size_t> reports;
    spindle::vm::UnpickleOptions options;
    options.read_for_good = [&](std::size_t read) {
        ASSERT_LE(read, scribbled.size());
        ASSERT_TRUE(reports.empty() || read > reports.back());
        std::fill(scribbled.begin(), scribbled.begin() + static_cast<std::ptrdiff_t>(read), '\xff');
        reports.push_back(read);
    };
    Value back;
    ASSERT_TRUE(spindle::vm::pickle_loads(interp, scribbled, back, options)) << pending_text();
    EXPECT_GE(reports.size(), 3u);
    EXPECT_GT(reports.back(), bytes.size() / 2) << "reports come throughout the load";
    EXPECT_EQ(dumps(back), bytes);
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

// A sink takes the pickle in pieces: together they are the bytes a string
// gets. On failure the sink has had pieces, and the error is the same.
TEST_F(Pickle, ASinkGetsTheSameBytesInPieces) {
    ASSERT_TRUE(run("v = [[i, str(i) * 3, {'k': float(i)}] for i in range(20000)]\n"
                    "def f():\n"
                    "    class Local: pass\n"
                    "    return Local\n"
                    "bad = [v, f()]\n")) << error();
    struct Collect final : spindle::vm::PickleSink {
        void write(const char* data, std::size_t n) override {
            // Whole pieces, not a write per value: all but the last nearly full.
            EXPECT_TRUE(pieces == 0 || sizes.back() + 16 > spindle::vm::PickleOptions::kSinkPiece) << sizes.back();
            EXPECT_LE(n, spindle::vm::PickleOptions::kSinkPiece);
            bytes.append(data, n);
            sizes.push_back(n);
            ++pieces;
        }
        std::string bytes;
        std::vector<std::size_t> sizes;
        std::size_t pieces = 0;
    } sink;
    spindle::vm::PickleOptions options;
    options.sink = &sink;
    std::string untouched = "untouched";
    ASSERT_TRUE(spindle::vm::pickle_dumps(interp, global("v"), untouched, options)) << pending_text();
    EXPECT_EQ(untouched, "untouched");
    EXPECT_GT(sink.pieces, 4u);
    EXPECT_EQ(sink.bytes, dumps(global("v")));
    Collect failed;
    options.sink = &failed;
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("bad"), untouched, options));
    EXPECT_EQ(pending_text(), "AttributeError: Can't pickle local object 'f.<locals>.Local'");
}

// Dicts come back with their items in order and found by key, whatever
// their size (the loader sizes small tables once) and after deletions.
TEST_F(Pickle, DictsKeepOrderAndLookupsAtEverySize) {
    ASSERT_TRUE(run("import pickle\n"
                    "ok = True\n"
                    "for n in [0, 1, 2, 7, 8, 9, 255, 256, 257, 3000]:\n"
                    "    d = {('k', i) if i % 3 else str(i): i for i in range(n)}\n"
                    "    for i in range(0, n, 5):\n"
                    "        del d[('k', i) if i % 3 else str(i)]\n"
                    "    d['late'] = -1\n"
                    "    back = pickle.loads(pickle.dumps(d))\n"
                    "    ok = ok and list(back.items()) == list(d.items()) and all([back[k] == v for k, v in d.items()])\n"
                    "    back['new'] = 1\n"
                    "    ok = ok and list(back)[-1] == 'new' and len(back) == len(d) + 1\n"
                    "print(ok)\n")) << error();
    EXPECT_EQ(out, "True\n");
}

// A tasklet's stack can reach another started tasklet (a local holding
// it): the loader reads that one's stack while its own is half read.
TEST_F(Pickle, TaskletsReachEachOtherThroughTheirStacks) {
    ASSERT_TRUE(run("import stackless, pickle\n"
                    "ch = stackless.channel()\n"
                    "def worker(name, box, pad):\n"
                    "    a, b, c = pad * 2, [pad], (pad, name)\n"
                    "    got = ch.receive()\n"
                    "    print(name, got, a, b, c, box[0].alive, box[0] is not stackless.getcurrent())\n"
                    "box1, box2 = [], []\n"
                    "t1 = stackless.tasklet(worker)('one', box1, 'x')\n"
                    "t2 = stackless.tasklet(worker)('two', box2, 'y')\n"
                    "box1.append(t2)\n"
                    "box2.append(t1)\n"
                    "stackless.run()\n"
                    "data = pickle.dumps((t1, ch))\n"
                    "t1.kill()\n"
                    "t2.kill()\n"
                    "u1, ch2 = pickle.loads(data)\n"
                    "print(u1.alive, u1.blocked, ch2.balance)\n"
                    "ch2.send(1)\n"
                    "ch2.send(2)\n")) << error();
    EXPECT_EQ(out,
              "True True -2\n"
              "one 1 xx ['x'] ('x', 'one') True True\n"
              "two 2 yy ['y'] ('y', 'two') False True\n");
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
    // CPython's (and Stackless's) exception and words; nothing written.
    EXPECT_EQ(pending_text(), "AttributeError: Can't pickle local object 'f.<locals>.Local'");
    EXPECT_EQ(bytes, "");
}

// A local function goes by content: its code, module, defaults (keyword-only
// ones too), closure cells (shared, as between two closures) and names.
TEST_F(Pickle, LocalFunctionsPickleByContent) {
    ASSERT_TRUE(run("import pickle\n"
                    "import stackless  # (Stackless pickles local functions once it is imported)\n"
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
                    "import stackless  # (Stackless pickles local functions once it is imported)\n"
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

// Tuples cannot be made empty and filled later: a chain of them deeper
// than kMaxDepth is still refused.
TEST_F(Pickle, TooDeepTupleChainIsRefusedWhenWritten) {
    ASSERT_TRUE(run("v = ()\n"
                    "for i in range(5000):\n"
                    "    v = (v,)\n")) << error();
    std::string bytes;
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("v"), bytes));
    EXPECT_NE(pending_text().find("nests deeper than 3000"), std::string::npos);
}

// Mutable objects past kDeferDepth are forwarded and defined after the
// root: a list 200,000 deep and a linked list of 100,000 instances whose
// tail points at its head come back whole, and the same graph gives the
// same bytes again. (Neither side recurses deeper than kDeferDepth plus the
// tuples below a forwarded object: under ASan's larger frames, 200,000
// levels of recursion would overflow the stack.)
TEST_F(Pickle, DeepGraphsRoundTrip) {
    ASSERT_TRUE(run("import pickle\n"
                    "class Node:\n"
                    "    pass\n"
                    "head = Node()\n"
                    "node = head\n"
                    "for i in range(100000):\n"
                    "    node.value = i\n"
                    "    node.next = Node()\n"
                    "    node = node.next\n"
                    "node.value = -1\n"
                    "node.next = head\n"
                    "nest = ['bottom']\n"
                    "for i in range(200000):\n"
                    "    nest = [nest, (i, 'x')]\n"
                    "v = [head, nest, node]\n"
                    "back = pickle.loads(pickle.dumps(v))\n"
                    "h, n, last = back\n"
                    "count, node, ok = 0, h, True\n"
                    "while node.value >= 0:\n"
                    "    ok = ok and node.value == count\n"
                    "    count += 1\n"
                    "    node = node.next\n"
                    "print(count, ok, node is last, last.next is h)\n"
                    "depth = 0\n"
                    "while len(n) == 2:\n"
                    "    ok = ok and n[1] == (199999 - depth, 'x')\n"
                    "    n = n[0]\n"
                    "    depth += 1\n"
                    "print(depth, ok, n)\n")) << error();
    EXPECT_EQ(out, "100000 True True True\n200000 True ['bottom']\n");
    const std::string bytes = dumps(global("v"));
    EXPECT_NE(bytes.find(tag(fmt::Tag::Define)), std::string::npos);
    EXPECT_EQ(dumps(global("back")), bytes);
}

// An error inside an object written after the root names its whole path,
// through the object it was forwarded from.
TEST_F(Pickle, ErrorInsideADeferredObjectNamesItsWholePath) {
    ASSERT_TRUE(run("class C: pass\n"
                    "c = C()\n"
                    "c.inner = {'k': [0, super(C, c)]}\n"
                    "v = c\n"
                    "for i in range(600):\n"
                    "    v = [v]\n")) << error();
    std::string bytes = "untouched";
    EXPECT_FALSE(spindle::vm::pickle_dumps(interp, global("v"), bytes));
    std::string path = "root";
    for (int i = 0; i < 600; ++i) path += "[0]";
    EXPECT_EQ(pending_text(), "_pickle.PicklingError: cannot pickle 'super' object (at " + path + ".inner['k'][1])");
    EXPECT_EQ(bytes, "untouched");
}

// What a FORWARD needs from its DEFINE: exactly one, of its kind, at top
// level; references to nothing and records for nothing are errors.
TEST_F(Pickle, HostileForwardAndDefineRecords) {
    const std::string h = header();
    const auto forward = [](fmt::Tag kind) { return std::string{tag(fmt::Tag::Forward), tag(kind)}; };
    const auto define = [](char index) { return std::string{tag(fmt::Tag::Define), index}; };
    const std::string empty_list = std::string{tag(fmt::Tag::List), '\0'};
    EXPECT_EQ(load_error(h + forward(fmt::Tag::List)),
              "_pickle.UnpicklingError: invalid pickle at offset 5: object 0 (a list) is forwarded but never defined");
    // A list that holds a dict never defined: a reference that points nowhere.
    EXPECT_EQ(load_error(h + forward(fmt::Tag::List) + define(0) + tag(fmt::Tag::List) + "\x01" + forward(fmt::Tag::Dict)),
              "_pickle.UnpicklingError: invalid pickle at offset 11: object 1 (a dict) is forwarded but never defined");
    EXPECT_EQ(load_error(h + empty_list + define(0) + empty_list),
              "_pickle.UnpicklingError: invalid pickle at offset 7: DEFINE of object 0, which was not forwarded");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::List) + define(0) + empty_list + define(0) + empty_list),
              "_pickle.UnpicklingError: invalid pickle at offset 11: object 0 is defined twice");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::List) + define(0) + tag(fmt::Tag::Dict) + zero()),
              "_pickle.UnpicklingError: invalid pickle at offset 9: object 0 was forwarded as a list, but its DEFINE holds a dict");
    EXPECT_EQ(load_error(h + tag(fmt::Tag::None) + define(3)),
              "_pickle.UnpicklingError: invalid pickle at offset 6: memo reference 3 points past the 0 objects read so far");
    EXPECT_EQ(load_error(h + tag(fmt::Tag::List) + "\x01" + define(0)),
              "_pickle.UnpicklingError: invalid pickle at offset 7: a DEFINE inside a value (DEFINE records follow the root value)");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::Tuple)),
              "_pickle.UnpicklingError: invalid pickle at offset 5: a FORWARD of tag 7, which cannot be forwarded");
    EXPECT_EQ(load_error(h + tag(fmt::Tag::Forward) + "\xC8"),
              "_pickle.UnpicklingError: invalid pickle at offset 5: a FORWARD of tag 200, which cannot be forwarded");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::Cell)), "_pickle.UnpicklingError: invalid pickle at offset 5: a cell outside a frame slot");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::Tasklet) + define(0) + tag(fmt::Tag::Tasklet) + "\x80"),
              "_pickle.UnpicklingError: invalid pickle at offset 9: a native tasklet cannot be forwarded");
    EXPECT_EQ(load_error(h + forward(fmt::Tag::List) + define(0) + empty_list + "x"),
              "_pickle.UnpicklingError: invalid pickle at offset 11: 1 bytes of garbage after the pickle");
    // A forwarded instance used as a dict key, never defined: refused before
    // anything hashes the empty shell.
    EXPECT_EQ(load_error(h + tag(fmt::Tag::Dict) + "\x01" + forward(fmt::Tag::Instance) + tag(fmt::Tag::None)),
              "_pickle.UnpicklingError: invalid pickle at offset 7: object 1 (an instance) is forwarded but never defined");
}

// SUBCLASSED, as the `pickle` module writes it: a script subclass of the
// record's own type, then a tasklet or channel record (not a REF). As a
// save writes it: the record, then the class and a dict or None.
TEST_F(Pickle, HostileSubclassRecords) {
    ASSERT_TRUE(run("import stackless\n"
                    "class Pipe(stackless.channel):\n"
                    "    pass\n"
                    "class Worker(stackless.tasklet):\n"
                    "    pass\n"
                    "pipe = Pipe()\n"
                    "pair = (Worker, Pipe, Pipe())\n"))
        << error();
    const std::string h = header();
    const std::string sub{tag(fmt::Tag::Subclassed)};
    const std::string none{tag(fmt::Tag::None)};
    const std::string channel = std::string{tag(fmt::Tag::Channel)} + zero() + zero() + zero();
    EXPECT_EQ(load_error(h + sub), "_pickle.UnpicklingError: invalid pickle at offset 6: data truncated reading a value tag");
    EXPECT_EQ(load_error(h + sub + none + tag(fmt::Tag::Int) + "\x02"),
              "_pickle.UnpicklingError: invalid pickle at offset 5: SUBCLASSED is not followed by a tasklet or channel record");
    EXPECT_EQ(load_error(h + sub + none + channel),
              "_pickle.UnpicklingError: invalid pickle at offset 6: a subclass instance's class is not a script subclass of "
              "stackless.channel");
    // A real one, its record replaced by a REF to an earlier object.
    const std::string fresh_channel = std::string{tag(fmt::Tag::Channel), '\x01'} + zero() + zero();  // preference -1
    std::string bytes = dumps(global("pipe"));
    const std::size_t record_at = bytes.size() - fresh_channel.size();
    ASSERT_EQ(bytes.substr(record_at), fresh_channel);
    EXPECT_EQ(load_error(bytes.substr(0, record_at) + tag(fmt::Tag::Ref) + zero()),
              "_pickle.UnpicklingError: invalid pickle at offset 5: SUBCLASSED is not followed by a tasklet or channel record");
    // A channel given a tasklet subclass: (Worker, Pipe, SUBCLASSED REF Pipe CHANNEL ...).
    bytes = dumps(global("pair"));
    for (std::size_t n = 0; n < bytes.size(); ++n) load_error(std::string_view(bytes).substr(0, n));
    const std::size_t cls_at = bytes.size() - fresh_channel.size() - 2;
    ASSERT_EQ(bytes[cls_at], tag(fmt::Tag::Ref));
    bytes[cls_at + 1] = '\x01';  // the memo index of Worker (the tuple is 0)
    EXPECT_EQ(load_error(bytes), "_pickle.UnpicklingError: invalid pickle at offset " + std::to_string(cls_at) +
                                     ": a subclass instance's class is not a script subclass of stackless.channel");
    // A save's layout: its attributes must be a dict or None.
    spindle::vm::PickleOptions game;
    game.whole_game = true;
    ASSERT_TRUE(spindle::vm::pickle_dumps(interp, global("pipe"), bytes = {}, game)) << pending_text();
    ASSERT_EQ(bytes.back(), tag(fmt::Tag::None));
    bytes.back() = tag(fmt::Tag::Int);
    spindle::vm::UnpickleOptions load_game;
    load_game.whole_game = true;
    Value v;
    EXPECT_FALSE(spindle::vm::pickle_loads(interp, bytes + "\x02", v, load_game));
    EXPECT_EQ(pending_text(), "_pickle.UnpicklingError: invalid pickle at offset " + std::to_string(bytes.size() - 1) +
                                  ": a subclass instance's attributes are not a dict or None");
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
    for (const fmt::Tag t : {fmt::Tag::Str, fmt::Tag::List, fmt::Tag::Tuple, fmt::Tag::Set, fmt::Tag::FrozenSet, fmt::Tag::Dict}) {
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

// A frozenset is made whole before anything can hold it: a record whose
// items reach back to it (itself as an element, or as a key of a dict
// inside it) is refused, as the unhashable set it still is then.
TEST_F(Pickle, FrozensetsCannotHoldThemselves) {
    const std::string f = std::string(1, tag(fmt::Tag::FrozenSet));
    const std::string ref = std::string(1, tag(fmt::Tag::Ref));
    EXPECT_EQ(load_error(header() + f + "\x01" + ref + zero()),
              "_pickle.UnpicklingError: invalid pickle at offset 7: adding to a set: TypeError: unhashable type: 'set'");
    EXPECT_EQ(load_error(header() + f + "\x01" + tag(fmt::Tag::Tuple) + "\x01" + tag(fmt::Tag::Dict) + "\x01" + ref + zero() +
                         tag(fmt::Tag::None)),
              "_pickle.UnpicklingError: invalid pickle at offset 11: adding to a dict: TypeError: unhashable type: 'set'");
    // Whole, it is a frozenset, hashable: a key, and itself once more by REF.
    Value back;
    ASSERT_TRUE(spindle::vm::pickle_loads(
        interp, header() + tag(fmt::Tag::Dict) + "\x01" + f + "\x01" + tag(fmt::Tag::Int) + "\x02" + ref + "\x01", back))
        << pending_text();
    EXPECT_EQ(interp.type_name(static_cast<spindle::vm::DictObj*>(back.o)->table.entries[0].key), std::string("frozenset"));
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

// Nesting within one record is still capped: the reader's recursion is bounded.
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
                    "except RuntimeError as e:\n"
                    "    print(type(e).__name__, e)\n"
                    "ch2.send(1)\n"
                    "t.kill()\n")) << error();
    EXPECT_EQ(out, "True -1 True\nRuntimeError You cannot __reduce__ the tasklet which is current.\ngot 1\n");
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

// NEWOBJ's keyword arguments (flag 4, from __getnewargs_ex__) must be a
// dict, and only for a class made without its own __new__.
TEST_F(Pickle, HostileNewObjKeywordArguments) {
    const std::string flags_then_dict = std::string{'\x07', tag(fmt::Tag::Dict)};
    ASSERT_TRUE(run("import pickle\n"
                    "class P:\n"
                    "    def __init__(self, a, b):\n"
                    "        self.a = a\n"
                    "        self.b = b\n"
                    "    def __getnewargs_ex__(self):\n"
                    "        return (self.a,), {'b': self.b}\n"
                    "class N(P):\n"
                    "    def __new__(cls, *args):\n"
                    "        return super().__new__(cls)\n"
                    "data = pickle.dumps(P(1, 5), 2)\n"
                    "at = data.index('" + flags_then_dict + "')\n"
                    "def attempt(bad):\n"
                    "    try:\n"
                    "        pickle.loads(bad)\n"
                    "    except pickle.UnpicklingError as e:\n"
                    "        print(str(e).split(': ')[-1])\n"
                    "attempt(data[:at + 1] + '" + std::string(1, tag(fmt::Tag::List)) + "' + data[at + 2:])\n"
                    "attempt(data[:at] + '\\x0f' + data[at + 1:])\n"
                    "print(pickle.loads(data).b)\n"
                    "try:\n"
                    "    pickle.dumps(N(1, 2), 2)\n"
                    "except pickle.PicklingError as e:\n"
                    "    print(str(e).split(': ')[-1])\n"))
        << error();
    EXPECT_EQ(out, "NEWOBJ keyword arguments are not a dict\nunknown NEWOBJ flags\n5\n"
                   "keyword arguments from __getnewargs_ex__ for a class with __new__ are not supported (at root)\n");
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
