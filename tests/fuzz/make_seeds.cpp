// Writes the fuzzers' seed corpora: a few valid save files into SAVE_DIR,
// and pickles of assorted values (the fuzz module's samples) into PICKLE_DIR.
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_module.hpp"
#include "save/game_save.hpp"
#include "save/save_file.hpp"
#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickler.hpp"

namespace {

void write_pickles(const std::string& dir) {
    spindle::Scheduler scheduler;
    spindle::vm::Interpreter interp;
    const char* values[] = {
        "None", "[1, -2, 3.5, 'text', (True, False)]", "{'a': {1, 2}, 'b': [None] * 3}",
        "{frozenset([1, 2]): frozenset([frozenset(), frozenset('ab')])}",
        "list(range(40))", "{i: str(i) for i in range(20)}", "(lambda l: l.append(l) or l)([])",
        "ValueError('bad', 7)", "iter([1, 2, 3])", "range(1, 9, 2)",
        "(lambda k: (lambda x, y=2, *, z=[k]: x + y + k))(5)",  // a closure by content: FUNCTION, CODE, CELL
        "(lambda s: (lambda: [(a, b) for a, *b in s]))(['xyz'])",  // nested code with UNPACK_EX
    };
    // Last, a parked agent tasklet (frames, a handler block, a list under
    // construction) and a channel with blocked tasklets, against the fuzz
    // target's module: the fuzzer explores the frame loader from them.
    std::vector<std::string> scripts;
    // (stackless imported: as in Stackless, that lets pickle write closures by content)
    for (const char* source : values)
        scripts.push_back(std::string("import pickle\nimport stackless\nsample = pickle.dumps(") + source + ")\n");
    scripts.push_back(std::string(kFuzzModule) +
                      "import pickle\n"
                      "ch = stackless.channel()\n"
                      "t = stackless.tasklet(agent)('ant', 3, ch)\n"
                      "stackless.schedule()\n"
                      "t.remove()\n"
                      "sample = pickle.dumps(t)\n");
    scripts.push_back(std::string(kFuzzModule) +
                      "import pickle\n"
                      "ch = stackless.channel()\n"
                      "t = stackless.tasklet(agent)('ant', 0, ch)\n"
                      "u = stackless.tasklet(agent)('bee', 0, ch)\n"
                      "stackless.run()\n"
                      "sample = pickle.dumps(ch)\n");
    // Instances of tasklet and channel subclasses: SUBCLASSED records.
    scripts.push_back(std::string(kFuzzModule) +
                      "import pickle\n"
                      "p = Pipe()\n"
                      "w = Worker(agent)('wasp', 0, p)\n"
                      "stackless.run()\n"
                      "sample = pickle.dumps((w, p, Worker(think)))\n");
    // A graph deeper than kDeferDepth: FORWARD and DEFINE records, and
    // dict keys and set items that wait for them.
    scripts.push_back(std::string(kFuzzModule) +
                      "import pickle\n"
                      "v = None\n"
                      "for i in range(300):\n"
                      "    a = Agent('a' + str(i))\n"
                      "    a.next = v\n"
                      "    v = [a, {i: a, a: i}, {a}]\n"
                      "sample = pickle.dumps(v)\n");
    int n = 0;
    for (const std::string& script : scripts) {
        if (!interp.run_source(script, "fuzz_module.py")) continue;
        auto* main = interp.find_module(interp.intern("__main__"));
        for (const auto& e : main->globals->table.entries) {
            if (!e.deleted && e.key.is_obj() && static_cast<spindle::vm::StrObj*>(e.key.o)->view() == "sample") {
                const auto text = static_cast<spindle::vm::StrObj*>(e.value.o)->view();
                // dumps gives a str whose code points are the bytes.
                std::vector<std::uint8_t> bytes;
                for (std::size_t i = 0; i < text.size(); ++i) {
                    const auto c = static_cast<unsigned char>(text[i]);
                    if (c < 0x80) bytes.push_back(c);
                    else bytes.push_back(static_cast<std::uint8_t>(((c & 0x1f) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f)));
                }
                spindle::save::write_atomically(dir + "/seed" + std::to_string(n++) + ".pkl", bytes);
            }
        }
    }
}

// A whole game of the fuzz module's agents, parked in their frames, blocked
// on a channel and sleeping: the fuzzer explores the game loader from it.
std::vector<std::uint8_t> game_seed() {
    spindle::Scheduler scheduler;
    spindle::vm::Interpreter interp;
    const std::string world = std::string(kFuzzModule) +
                              "import spindle\n"
                              "ch = stackless.channel()\n"
                              "stackless.tasklet(agent)('ant', 3, ch)\n"
                              "stackless.tasklet(agent)('bee', 0, ch)\n"
                              "def napper():\n"
                              "    while True:\n"
                              "        spindle.sleep(3)\n"
                              "stackless.tasklet(napper)()\n";
    if (!interp.run_source(world, "fuzz_module.py")) return {};
    scheduler.run_frame(0);
    scheduler.run_frame(0);
    return spindle::save::save_game(interp);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SAVE_DIR PICKLE_DIR\n", argv[0]);
        return 2;
    }
    write_pickles(argv[2]);
    using namespace spindle::save;
    SaveFile small;
    small.build_version = "0.1.0";
    small.script_version = "seed";
    small.sections.push_back(Section{"WRLD", {1, 2, 3}});
    small.sections.push_back(Section{"HEAP", std::vector<std::uint8_t>(64, 0x41)});
    SaveFile empty;
    SaveFile many;
    for (int i = 0; i < 8; ++i) many.sections.push_back(Section{"S00" + std::to_string(i), std::vector<std::uint8_t>(i * 17, static_cast<std::uint8_t>(i))});
    const SaveFile* seeds[] = {&small, &empty, &many};
    for (int i = 0; i < 3; ++i) write_atomically(std::string(argv[1]) + "/seed" + std::to_string(i) + ".sav", encode(*seeds[i]));
    write_atomically(std::string(argv[1]) + "/game.sav", game_seed());
    return 0;
}
