// Whole-game saves in one process: save a running world, load it into a
// fresh scheduler and interpreter, run on, and compare with the world that
// never stopped; and every kind of damaged save refused by name.
#include "save/game_save.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "spindle/tasklets.hpp"
#include "walkers_world.hpp"
#include "vm/binding.hpp"
#include "vm/interpreter.hpp"
#include "vm/pickle_format.hpp"

namespace {

namespace fs = std::filesystem;
using spindle::save::SaveFileError;
using spindle::vm::Value;

// A world agents live in: random walks, sleeps, a channel with a blocked
// sender, a tasklet preempted by the time slice, exceptions being handled.
const std::string kWorld = std::string(spindle::save::testing::kWalkersWorld) + R"(
random.seed(3)

def reader():
    while True:
        spindle.sleep(2)
        try:
            letter = mail.receive()
            raise KeyError(letter[1])
        except KeyError as e:
            spindle.next_frame()
            print(spindle.frame(), "read", letter, e.args)

def busy():
    total = 0
    for i in range(2000):
        total = (total * 7 + i) % 10007
        if i % 250 == 0:
            print(spindle.frame(), "busy", i, total)
    print("busy done", total)

for name in ["ann", "bob"]:
    stackless.tasklet(Walker(name).walk)()
stackless.tasklet(postman)()
stackless.tasklet(reader)()
stackless.tasklet(busy)()
)";

class TempScript {
public:
    explicit TempScript(const std::string& source) {
        dir_ = fs::temp_directory_path() / ("spindle-gamesave-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        write(source);
    }
    ~TempScript() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    void write(const std::string& source) const { std::ofstream(path()) << source; }
    std::string path() const { return (dir_ / "world.py").string(); }

private:
    fs::path dir_;
};

// One scheduler and interpreter, printing into a string.
struct World {
    explicit World(std::int64_t slice = 5) {
        scheduler = std::make_unique<spindle::Scheduler>();
        scheduler->set_time_slice(slice);
        spindle::vm::Interpreter::Options options;
        options.write_stdout = [this](std::string_view text) { out += text; };
        interp = std::make_unique<spindle::vm::Interpreter>(options);
    }
    ~World() {
        interp.reset();
        scheduler.reset();
    }
    void frames(int n, std::int64_t budget = 400) {
        for (int i = 0; i < n; ++i) {
            bool begun = false;
            for (;;) {
                try {
                    if (begun) scheduler->continue_frame(budget);
                    else scheduler->run_frame(budget);
                    break;
                } catch (...) {
                    begun = true;
                    out += "<error>\n";
                }
            }
        }
    }
    std::uint64_t hash() { return spindle::save::world_hash(spindle::save::save_game_sections(*interp)); }

    std::string out;
    std::unique_ptr<spindle::Scheduler> scheduler;
    std::unique_ptr<spindle::vm::Interpreter> interp;
};

std::vector<std::uint8_t> saved_after(const std::string& path, int frames, std::string* out = nullptr) {
    World w;
    EXPECT_TRUE(w.interp->run_main(path));
    w.frames(frames);
    if (out) *out = w.out;
    return spindle::save::save_game(*w.interp);
}

// Loads into a fresh world; the error text if it is refused.
std::string load_error(const std::vector<std::uint8_t>& bytes) {
    World w;
    try {
        spindle::save::load_game(*w.interp, bytes, "test.sav");
    } catch (const SaveFileError& e) {
        return e.what();
    }
    // Loaded: it must also run without harm.
    w.frames(3);
    return "";
}

TEST(GameSave, SplitRunsMatchTheStraightRunAtEveryFrame) {
    TempScript script(kWorld);
    constexpr int kFrames = 14;
    World straight;
    ASSERT_TRUE(straight.interp->run_main(script.path()));
    straight.frames(kFrames);
    const std::uint64_t straight_hash = straight.hash();
    ASSERT_NE(straight.out.find("read"), std::string::npos) << straight.out;
    ASSERT_NE(straight.out.find("busy 250"), std::string::npos) << straight.out;
    for (int k = 0; k <= kFrames; ++k) {
        std::string first;
        const std::vector<std::uint8_t> bytes = saved_after(script.path(), k, &first);
        World second;
        const auto game = spindle::save::load_game(*second.interp, bytes, "split.sav");
        EXPECT_EQ(game.host.status, 0);
        second.frames(kFrames - k);
        EXPECT_EQ(first + second.out, straight.out) << "split at frame " << k;
        EXPECT_EQ(second.hash(), straight_hash) << "split at frame " << k;
    }
}

// Native tasklets with the restore interface in a world: a relay blocked
// receiving between two script tasklets in one channel's queue (or blocked
// sending what it got), and a spinner that stays runnable in the run queue.
// Their states are script values: (inbox, outbox, phase, value) and (count,).
std::map<const spindle::Scheduler*, spindle::vm::Interpreter*> g_interps;  // whose interpreter a restored state uses

spindle::vm::Interpreter& interp_here() { return *g_interps.at(&spindle::Scheduler::active()); }

struct Relay : spindle::NativeRestore {
    Relay(Value in, Value out, std::int64_t ph, Value v) : inbox(in), outbox(out), phase(ph), value(v) {}
    const char* type_name() const noexcept override { return "test.relay"; }
    spindle::Payload save() const override {
        auto* state = interp_here().new_tuple();
        state->items = {inbox, outbox, Value::integer(phase), value};
        return spindle::Payload::of(Value::object(state));
    }
    spindle::ChannelObject& channel(Value v) const { return *static_cast<spindle::vm::ChannelObj*>(v.o)->channel; }
    Value inbox, outbox;  // the world's globals hold them
    std::int64_t phase;   // 0 receiving, 1 sending `value`
    Value value;          // an int (the collector does not see this object)
};

struct Spinner : spindle::NativeRestore {
    explicit Spinner(std::int64_t n) : count(n) {}
    const char* type_name() const noexcept override { return "test.spinner"; }
    spindle::Payload save() const override {
        auto* state = interp_here().new_tuple();
        state->items = {Value::integer(count)};
        return spindle::Payload::of(Value::object(state));
    }
    std::int64_t count;
};

// Each body's loop top is the wait its state says it was in.
spindle::Tasklet start_relay(std::shared_ptr<Relay> r) {
    spindle::Tasklet t = spindle::Tasklet::create();
    t.bind([r](int) {
        for (;;) {
            if (r->phase == 0) {
                r->value = r->channel(r->inbox).receive().get<Value>();
                r->phase = 1;
            }
            r->channel(r->outbox).send(spindle::Payload::of(r->value));
            r->phase = 0;
            r->value = Value();
        }
    }, 0);
    t.set_restore(r);
    return t;
}

spindle::Tasklet start_spinner(std::shared_ptr<Spinner> s) {
    spindle::Tasklet t = spindle::Tasklet::create();
    t.bind([s](int) {
        for (;;) {
            ++s->count;
            spindle::schedule();
        }
    }, 0);
    t.set_restore(s);
    return t;
}

constexpr const char* kNativeWorld = R"(
import spindle
import stackless
import natives

inbox = stackless.channel()
outbox = stackless.channel()

def taker(name):
    while True:
        print(spindle.frame(), name, "took", inbox.receive())

def producer():
    n = 0
    while True:
        for i in range(2):
            n += 1
            inbox.send(n)
        spindle.next_frame()

def consumer():
    while True:
        spindle.sleep(2)
        print(spindle.frame(), "relayed", outbox.receive(), outbox.balance)

stackless.tasklet(taker)("t1")
stackless.run()
natives.relay(inbox, outbox)
stackless.run()
stackless.tasklet(taker)("t2")
stackless.run()
natives.spinner()
stackless.tasklet(producer)()
stackless.tasklet(consumer)()
)";

// A World whose script sees the `natives` module, and whose restored
// states find its interpreter.
struct NativeWorld : World {
    NativeWorld() {
        g_interps[scheduler.get()] = interp.get();
        spindle::vm::ModuleBuilder natives(*interp, "natives");
        natives.function("relay", [](Value in, Value out) {
            start_relay(std::make_shared<Relay>(in, out, 0, Value())).insert();
        });
        natives.function("spinner", [] { start_spinner(std::make_shared<Spinner>(0)).insert(); });
    }
    ~NativeWorld() { g_interps.erase(scheduler.get()); }
};

TEST(GameSave, RestoredNativeTaskletsKeepTheirPlacesAcrossASplit) {
    spindle::register_native_restore("test.relay", [](spindle::Payload state) {
        const auto& items = static_cast<spindle::vm::TupleObj*>(state.get<Value>().o)->items;
        return start_relay(std::make_shared<Relay>(items[0], items[1], items[2].i, items[3]));
    });
    spindle::register_native_restore("test.spinner", [](spindle::Payload state) {
        const auto& items = static_cast<spindle::vm::TupleObj*>(state.get<Value>().o)->items;
        return start_spinner(std::make_shared<Spinner>(items[0].i));
    });
    TempScript script(kNativeWorld);
    constexpr int kFrames = 10;
    NativeWorld straight;
    ASSERT_TRUE(straight.interp->run_main(script.path()));
    straight.frames(kFrames, 150);
    const std::uint64_t straight_hash = straight.hash();
    ASSERT_NE(straight.out.find("relayed"), std::string::npos) << straight.out;
    for (int k = 0; k <= kFrames; ++k) {
        std::string first;
        std::vector<std::uint8_t> bytes;
        {
            NativeWorld w;
            ASSERT_TRUE(w.interp->run_main(script.path()));
            w.frames(k, 150);
            first = w.out;
            bytes = spindle::save::save_game(*w.interp);
        }
        NativeWorld second;
        spindle::save::load_game(*second.interp, bytes, "split.sav");
        second.frames(kFrames - k, 150);
        EXPECT_EQ(first + second.out, straight.out) << "split at frame " << k;
        EXPECT_EQ(second.hash(), straight_hash) << "split at frame " << k;
    }
    spindle::register_native_restore("test.relay", nullptr);
    spindle::register_native_restore("test.spinner", nullptr);
}

TEST(GameSave, ASaveOfALoadedGameIsTheSameBytes) {
    TempScript script(kWorld);
    const std::vector<std::uint8_t> bytes = saved_after(script.path(), 5);
    World w;
    spindle::save::load_game(*w.interp, bytes, "again.sav");
    EXPECT_EQ(spindle::save::save_game(*w.interp), bytes);
}

// A load gives back the pages of the heap section it has read as it goes
// (the unpickler's read_for_good): over a heap of several megabytes, the
// loaded game must still be exactly the saved one.
TEST(GameSave, ABigLoadGivesBackWhatItReadAndLosesNothing) {
    TempScript script(std::string(kWorld) + "\nblobs = [str(i) * 20 for i in range(60000)]\n");
    const std::vector<std::uint8_t> bytes = saved_after(script.path(), 5);
    ASSERT_GT(spindle::save::decode(bytes, "big.sav").find("HEAP")->bytes.size(), std::size_t{4} << 20);
    World w;
    spindle::save::load_game(*w.interp, bytes, "big.sav");
    EXPECT_TRUE(spindle::save::save_game(*w.interp) == bytes);
}

// save_game compresses the heap while the pickler writes it, in pieces and,
// if asked, on zstd's threads: the file holds exactly the sections
// save_game_sections makes.
TEST(GameSave, AStreamedSaveHoldsExactlyTheSections) {
    TempScript script(std::string(kWorld) + "\nblobs = [str(i) * 20 for i in range(20000)]\n");
    World w;
    ASSERT_TRUE(w.interp->run_main(script.path()));
    w.frames(3);
    const spindle::save::SaveFile sections = spindle::save::save_game_sections(*w.interp);
    ASSERT_GT(sections.find("HEAP")->bytes.size(), std::size_t{1} << 20);  // many pieces, and several jobs for a thread
    for (int workers : {0, 1, 2}) {
        spindle::save::GameSaveOptions options;
        options.compression_workers = workers;
        const spindle::save::SaveFile file = spindle::save::decode(spindle::save::save_game(*w.interp, options), "streamed.sav");
        ASSERT_EQ(file.sections.size(), sections.sections.size());
        for (std::size_t i = 0; i < file.sections.size(); ++i) {
            EXPECT_EQ(file.sections[i].name, sections.sections[i].name);
            EXPECT_TRUE(file.sections[i].bytes == sections.sections[i].bytes) << file.sections[i].name << ", workers " << workers;
        }
    }
}

// With a compression thread (the default), the file is still a function of
// the world alone: saved again, or compressed on the calling thread, it is
// the same bytes, however the threads were scheduled.
TEST(GameSave, AThreadedSaveIsTheSameBytesEveryTime) {
    TempScript script(std::string(kWorld) + "\nblobs = [str(i) * 20 for i in range(20000)]\n");
    World w;
    ASSERT_TRUE(w.interp->run_main(script.path()));
    w.frames(3);
    spindle::save::GameSaveOptions options;
    ASSERT_EQ(options.compression_workers, 1);
    const std::vector<std::uint8_t> first = spindle::save::save_game(*w.interp, options);
    for (int workers : {1, 1, 0, 2}) {
        options.compression_workers = workers;
        EXPECT_TRUE(spindle::save::save_game(*w.interp, options) == first) << "workers " << workers;
    }
}

TEST(GameSave, SavingRefusesANativeTaskletByName) {
    TempScript script("import spindle\n");
    World w;
    ASSERT_TRUE(w.interp->run_main(script.path()));
    spindle::Tasklet native = spindle::spawn([] { spindle::next_frame(); });
    native.set_name("engine-helper");
    try {
        spindle::save::save_game(*w.interp);
        FAIL() << "a native tasklet was saved";
    } catch (const spindle::save::GameSaveError& e) {
        EXPECT_NE(std::string(e.what()).find("'engine-helper'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("native tasklet without a restore interface"), std::string::npos) << e.what();
    }
    native.kill();
}

TEST(GameSave, SavingRefusesAnUnpicklableValueWithItsPath) {
    TempScript script("class Seq:\n    pass\ntable = {'cursor': [1, super(Seq, Seq())]}\n");
    World w;
    ASSERT_TRUE(w.interp->run_main(script.path()));
    try {
        spindle::save::save_game(*w.interp);
        FAIL() << "a super object was saved";
    } catch (const spindle::save::GameSaveError& e) {
        EXPECT_NE(std::string(e.what()).find("root['modules']['__main__'].__dict__['table']['cursor'][1]"), std::string::npos)
            << e.what();
    }
}

// The save carries every function's code: edited scripts change nothing
// in a game saved before the edit.
TEST(GameSave, ChangedScriptsResumeTheSavedCode) {
    TempScript script(kWorld);
    World straight;
    ASSERT_TRUE(straight.interp->run_main(script.path()));
    straight.frames(10);
    std::string first;
    const std::vector<std::uint8_t> bytes = saved_after(script.path(), 3, &first);
    std::string changed(kWorld);
    changed.replace(changed.find("total * 7"), 9, "total * 9");
    changed.replace(changed.find("\"read\""), 6, "\"READ\"");
    script.write(changed);
    World second;
    std::vector<spindle::save::CodeReport> report;
    spindle::save::LoadOptions options;
    options.code_report = &report;
    spindle::save::load_game(*second.interp, bytes, "edited.sav", options);
    second.frames(7);
    EXPECT_EQ(first + second.out, straight.out);
    bool busy_changed = false, walk_same = false;
    for (const auto& r : report) {
        if (r.qualname == "busy") busy_changed = r.state == spindle::save::CodeState::Changed;
        if (r.qualname == "Walker.walk") walk_same = r.state == spindle::save::CodeState::Same;
    }
    EXPECT_TRUE(busy_changed);
    EXPECT_TRUE(walk_same);
}

TEST(GameSave, AFailedLoadLeavesTheRunningGameAsItWas) {
    TempScript script(kWorld);
    World straight;
    ASSERT_TRUE(straight.interp->run_main(script.path()));
    straight.frames(8);

    World running;
    ASSERT_TRUE(running.interp->run_main(script.path()));
    running.frames(4);
    std::vector<std::uint8_t> bad = spindle::save::save_game(*running.interp);
    bad.resize(bad.size() / 2);
    {
        World fresh;  // nested: a load beside the running game
        EXPECT_THROW(spindle::save::load_game(*fresh.interp, bad, "bad.sav"), SaveFileError);
    }
    running.frames(4);
    EXPECT_EQ(running.out, straight.out);
}

// ---------------------------------------------------------------- hostile saves

spindle::save::SaveFile sections_after(const std::string& path, int frames) {
    World w;
    EXPECT_TRUE(w.interp->run_main(path));
    w.frames(frames);
    return spindle::save::save_game_sections(*w.interp);
}

TEST(GameSaveHostile, EveryTruncationIsRefused) {
    TempScript script(kWorld);
    const std::vector<std::uint8_t> bytes = saved_after(script.path(), 4);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_NE(load_error(cut), "") << "truncated to " << n << " bytes";
    }
}

TEST(GameSaveHostile, DamagedSectionsAreRefusedOrLoadSafely) {
    TempScript script(kWorld);
    const spindle::save::SaveFile good = sections_after(script.path(), 4);
    // The container's checksums catch damage to stored bytes; damage made
    // before compression reaches the section readers themselves.
    int refused = 0;
    for (const char* name : {"SCHD", "HEAP"}) {
        const auto& original = good.find(name)->bytes;
        const std::size_t stride = std::string(name) == "HEAP" ? 7 : 1;
        for (std::size_t i = 0; i < original.size(); i += stride) {
            for (std::uint8_t bit : {0x01, 0x10, 0x80}) {
                spindle::save::SaveFile damaged = good;
                for (auto& s : damaged.sections)
                    if (s.name == name) s.bytes[i] ^= bit;
                const std::string error = load_error(spindle::save::encode(damaged));
                if (error.empty()) continue;
                ++refused;
                EXPECT_NE(error.find(std::string("section '") + name + "'"), std::string::npos) << error;
            }
        }
    }
    EXPECT_GT(refused, 0);
}

TEST(GameSaveHostile, SchedulerFieldsAreCheckedByName) {
    TempScript script(kWorld);
    const spindle::save::SaveFile good = sections_after(script.path(), 4);
    auto with_schd = [&](std::vector<std::uint8_t> schd) {
        spindle::save::SaveFile f = good;
        for (auto& s : f.sections)
            if (s.name == "SCHD") s.bytes = std::move(schd);
        return load_error(spindle::save::encode(f));
    };
    const auto& schd = good.find("SCHD")->bytes;
    // A newer section version.
    std::vector<std::uint8_t> newer = schd;
    newer[0] = spindle::save::kGameSectionsVersion + 1;
    EXPECT_NE(with_schd(newer).find("section 'SCHD': offset 0: section version " + std::to_string(newer[0]) + " is not supported"),
              std::string::npos)
        << with_schd(newer);
    // A huge declared count: the runnable count is the seventh field.
    std::vector<std::uint8_t> huge(schd.begin(), schd.begin() + 1);
    for (int i = 0; i < 5; ++i) huge.push_back(0);
    for (int i = 0; i < 9; ++i) huge.push_back(0xff);
    huge.push_back(0x01);
    EXPECT_NE(with_schd(huge).find("runnable count"), std::string::npos) << with_schd(huge);
    // Nothing at all, and bytes after the last field.
    EXPECT_NE(with_schd({}).find("section version: truncated"), std::string::npos) << with_schd({});
    std::vector<std::uint8_t> longer = schd;
    longer.push_back(0);
    EXPECT_NE(with_schd(longer).find("bytes after the last field"), std::string::npos) << with_schd(longer);
}

TEST(GameSaveHostile, MissingSectionsAndWrongContainersAreNamed) {
    TempScript script(kWorld);
    const spindle::save::SaveFile good = sections_after(script.path(), 2);
    for (const char* name : {"WRLD", "HEAP", "SCHD"}) {
        spindle::save::SaveFile f = good;
        std::erase_if(f.sections, [&](const auto& s) { return s.name == name; });
        EXPECT_NE(load_error(spindle::save::encode(f)).find(std::string("section '") + name + "' is missing"), std::string::npos);
    }
    std::vector<std::uint8_t> bytes = spindle::save::encode(good);
    bytes[8] = 9;  // the container's format version
    EXPECT_NE(load_error(bytes), "");
    // A heap that is not a game: a plain pickle of a list.
    spindle::save::SaveFile plain = good;
    for (auto& s : plain.sections)
        if (s.name == "HEAP") {
            s.bytes = {'S', 'P', 'K', 'L', static_cast<std::uint8_t>(spindle::vm::pickle_format::kVersion),
                       static_cast<std::uint8_t>(spindle::vm::pickle_format::Tag::List), 0};
        }
    EXPECT_NE(load_error(spindle::save::encode(plain)).find("section 'HEAP': the root is not a dict"), std::string::npos)
        << load_error(spindle::save::encode(plain));
}

}  // namespace
