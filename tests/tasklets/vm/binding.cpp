// The host binding API (tasklets/vm/binding.hpp): a small fake `game` module
// with entity handles, run through the interpreter; every test asserts on
// what the script printed or on the exact error it raised.
#include "vm/binding.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spindle/tasklets.hpp"
#include "vm/interpreter.hpp"

namespace {

using spindle::vm::HostObj;
using spindle::vm::Interpreter;
using spindle::vm::ModuleBuilder;
using spindle::vm::PersistentId;
using spindle::vm::ScriptError;
using spindle::vm::Value;

// ---------------------------------------------------------------- a tiny world

// An engine entity handle: slot index plus the slot's generation when it was made.
struct EntityRef {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    bool operator==(const EntityRef&) const = default;
};

struct Body {
    std::string kind;
    double x = 0, y = 0;
    std::uint32_t generation = 0;
    bool alive = false;
};

struct World {
    std::vector<Body> bodies;
    EntityRef spawn(std::string_view kind) {
        for (std::uint32_t i = 0; i < bodies.size(); ++i) {
            if (!bodies[i].alive) return revive(i, kind);
        }
        bodies.emplace_back();
        return revive(static_cast<std::uint32_t>(bodies.size() - 1), kind);
    }
    EntityRef revive(std::uint32_t i, std::string_view kind) {
        bodies[i] = Body{std::string(kind), 0, 0, bodies[i].generation, true};
        return {i, bodies[i].generation};
    }
    bool alive(EntityRef e) const {
        return e.index < bodies.size() && bodies[e.index].alive && bodies[e.index].generation == e.generation;
    }
    Body& body(EntityRef e) { return bodies.at(e.index); }
    void destroy(EntityRef e) {
        bodies.at(e.index).alive = false;
        ++bodies[e.index].generation;
    }
};

// A value type with member functions and fields, constructible from scripts.
struct Vec2 {
    double x = 0, y = 0;
    double length() const { return x * x + y * y == 25 ? 5.0 : -1.0; }  // enough for 3-4-5
    void scale(double k) {
        x *= k;
        y *= k;
    }
};

// Counts destructions of live (not moved-from) probes.
struct Probe {
    explicit Probe(int* counter) : destroyed(counter) {}
    Probe(Probe&& other) noexcept : destroyed(std::exchange(other.destroyed, nullptr)) {}
    Probe(const Probe&) = delete;
    ~Probe() {
        if (destroyed) ++*destroyed;
    }
    int* destroyed;
};

// Holds a script value: must be traced.
struct Slot {
    Value value;
};

// A free-function getter, as an engine would write it.
std::uint32_t entity_index(const EntityRef& e) { return e.index; }

class Binding : public ::testing::Test {
protected:
    Binding() : interp(options()) { bind(); }

    Interpreter::Options options() {
        Interpreter::Options o;
        o.write_stdout = [this](std::string_view text) { out += text; };
        return o;
    }

    void bind() {
        ModuleBuilder game(interp, "game");
        game.constant("WIDTH", 640)
            .constant("TITLE", "demo")
            .function("log", [this](std::string_view text) { logged.emplace_back(text); })
            .function("distance", [](double x, double y) { return x * x + y * y == 25 ? 5.0 : -1.0; })
            .function("small", [](std::uint8_t v) { return v; })
            .function("flag", [](bool b) { return !b; })
            .function("greet", [](std::string name, std::optional<std::string> greeting) {
                return greeting.value_or("hello") + " " + name;
            })
            .function("span", [](std::int64_t a, std::int64_t b) { return b - a; }, {"start", "stop"})
            .function("identity", [](Value v) { return v; })
            .function("huge", []() -> std::uint64_t { return UINT64_MAX; })
            .function("squares", [](std::vector<std::int64_t> v) {
                for (auto& x : v) x *= x;
                return v;
            })
            .function("apply", [](Interpreter& in, Value f, Value arg) {
                Value result;
                in.call(f, &arg, 1, result);  // on failure the pending exception propagates
                return result;
            })
            .function("fail", [](std::string_view how) {
                if (how == "value") throw std::invalid_argument("bad value");
                if (how == "index") throw std::out_of_range("no such slot");
                if (how == "key") throw ScriptError("KeyError", "orc");
                if (how == "gone") throw ScriptError("game.EntityGone", "entity 3 is gone");
                if (how == "nonsense") throw ScriptError("NoSuchError", "x");
                if (how == "int") throw 42;
                throw std::runtime_error("engine on fire");
            })
            .exception("EntityGone", "LookupError");

        auto entity = game.type<EntityRef>("Entity");
        entity.attribute("x", [this](const EntityRef& e) { return world.body(e).x; },
                         [this](EntityRef& e, double x) { world.body(e).x = x; })
            .attribute("kind", [this](const EntityRef& e) { return world.body(e).kind; })
            .attribute("index", &entity_index)
            .method("walk_to", [this](EntityRef& e, double x, double y) {
                world.body(e).x = x;
                world.body(e).y = y;
            })
            .method("position", [this](const EntityRef& e) {
                return std::to_string(world.body(e).x) + "," + std::to_string(world.body(e).y);
            })
            .valid_if([this](const EntityRef& e) { return world.alive(e); })
            .equality([](const EntityRef& e) { return e.index * 31 + e.generation; })
            .persistent_id([](const EntityRef& e) { return PersistentId{e.index, e.generation, {}}; },
                           [this](const PersistentId& id) {
                               EntityRef e{static_cast<std::uint32_t>(id.index), static_cast<std::uint32_t>(id.generation)};
                               if (!world.alive(e)) throw ScriptError("ReferenceError", "no entity " + std::to_string(id.index));
                               return e;
                           });
        game.function("spawn", [this](std::string_view kind) { return world.spawn(kind); })
            .function("destroy", [this](EntityRef e) { world.destroy(e); })
            .function("distance_between", [this](const EntityRef& a, const EntityRef& b) {
                return world.body(b).x - world.body(a).x;
            });

        game.type<Vec2>("Vec2")
            .constructor([](double x, double y) { return Vec2{x, y}; })
            .field("x", &Vec2::x)
            .field("y", &Vec2::y)
            .method("length", &Vec2::length)
            .method("scale", &Vec2::scale)
            .repr([](const Vec2& v) { return "Vec2(" + std::to_string(int(v.x)) + ", " + std::to_string(int(v.y)) + ")"; });

        game.type<Probe>("Probe");
        game.function("probe", [this]() { return Probe(&probes_destroyed); });
        game.type<Slot>("Slot")
            .attribute("value", &Slot::value)
            .trace([](const Slot& s, spindle::vm::Tracer& t) { t.mark(s.value); });
        game.function("slot", [](Value v) { return Slot{v}; });
        game.reexport("spindle", "next_frame").reexport("spindle", "frame", "current_frame");
    }

    // Runs a script; false if it raised (then error() says what).
    bool run(std::string_view source) { return interp.run_source(source, "test.py"); }
    std::string error() const { return interp.last_error().type + ": " + interp.last_error().message; }
    // The error a one-line script raises.
    std::string raised(const std::string& line) {
        EXPECT_FALSE(run("import game\n" + line + "\n")) << line;
        return error();
    }

    spindle::Scheduler scheduler;
    World world;
    std::string out;
    std::vector<std::string> logged;
    int probes_destroyed = 0;
    Interpreter interp;
};

// ---------------------------------------------------------------- functions and conversions

TEST_F(Binding, FunctionsConvertArgumentsAndResults) {
    ASSERT_TRUE(run("import game\n"
                    "game.log('hi')\n"
                    "print(game.distance(3, 4), game.distance(3.0, 4))\n"
                    "print(game.WIDTH, game.TITLE, game.small(255), game.flag(False), game.flag(1))\n"
                    "print(game.greet('bob'), game.greet('bob', 'hey'), game.greet('bob', None))\n"
                    "print(game.identity([1, 'a']), game.squares([1, 2, 3]), game.squares((4,)))\n"
                    "print(game.log('x'))\n"))
        << error();
    EXPECT_EQ(out, "5.0 5.0\n640 demo 255 True False\nhello bob hey bob hello bob\n[1, 'a'] [1, 4, 9] [16]\nNone\n");
    EXPECT_EQ(logged, (std::vector<std::string>{"hi", "x"}));
}

TEST_F(Binding, FromImportFindsTheModule) {
    ASSERT_TRUE(run("from game import spawn, WIDTH\n"
                    "print(WIDTH, spawn('orc').kind)\n"))
        << error();
    EXPECT_EQ(out, "640 orc\n");
}

TEST_F(Binding, ArgumentCountErrorsUseCPythonWording) {
    EXPECT_EQ(raised("game.distance(1, 2, 3)"), "TypeError: distance() takes 2 positional arguments but 3 were given");
    EXPECT_EQ(raised("game.distance(1)"), "TypeError: distance() takes 2 positional arguments but 1 was given");
    EXPECT_EQ(raised("game.greet()"), "TypeError: greet() takes from 1 to 2 positional arguments but 0 were given");
    EXPECT_EQ(raised("game.huge(1)"), "TypeError: huge() takes 0 positional arguments but 1 was given");
}

TEST_F(Binding, ArgumentTypeErrorsNameTheFunctionAndPosition) {
    EXPECT_EQ(raised("game.distance('a', 2)"), "TypeError: distance() argument 1 must be float, not str");
    EXPECT_EQ(raised("game.distance(1, None)"), "TypeError: distance() argument 2 must be float, not NoneType");
    EXPECT_EQ(raised("game.small(1.5)"), "TypeError: small() argument 1 must be int, not float");
    EXPECT_EQ(raised("game.log(3)"), "TypeError: log() argument 1 must be str, not int");
    EXPECT_EQ(raised("game.greet('a', 5)"), "TypeError: greet() argument 2 must be str, not int");
    EXPECT_EQ(raised("game.squares([1, 'x'])"), "TypeError: squares() argument 1 must be int, not str");
    EXPECT_EQ(raised("game.destroy(5)"), "TypeError: destroy() argument 1 must be Entity, not int");
    EXPECT_EQ(raised("game.destroy(game.Vec2(1, 2))"), "TypeError: destroy() argument 1 must be Entity, not Vec2");
}

TEST_F(Binding, IntegersAreRangeChecked) {
    EXPECT_EQ(raised("game.small(256)"), "OverflowError: small() argument 1 out of range for uint8: 256");
    EXPECT_EQ(raised("game.small(-1)"), "OverflowError: small() argument 1 out of range for uint8: -1");
    EXPECT_EQ(raised("game.huge()"), "OverflowError: host result 18446744073709551615 does not fit in a 64-bit int");
}

TEST_F(Binding, KeywordsNeedNamedParameters) {
    ASSERT_TRUE(run("import game\nprint(game.span(stop=10, start=4), game.span(1, stop=3))\n")) << error();
    EXPECT_EQ(out, "6 2\n");
    EXPECT_EQ(raised("game.distance(x=1, y=2)"), "TypeError: distance() takes no keyword arguments");
    EXPECT_EQ(raised("game.span(1, end=2)"), "TypeError: span() got an unexpected keyword argument 'end'");
    EXPECT_EQ(raised("game.span(1, start=2)"), "TypeError: span() got multiple values for argument 'start'");
    EXPECT_EQ(raised("game.span(stop=2)"), "TypeError: span() missing required argument 'start' (pos 1)");
}

TEST_F(Binding, CppExceptionsBecomeScriptExceptions) {
    EXPECT_EQ(raised("game.fail('value')"), "ValueError: bad value");
    EXPECT_EQ(raised("game.fail('index')"), "IndexError: no such slot");
    EXPECT_EQ(raised("game.fail('key')"), "KeyError: 'orc'");
    EXPECT_EQ(raised("game.fail('gone')"), "EntityGone: entity 3 is gone");
    EXPECT_EQ(raised("game.fail('fire')"), "RuntimeError: engine on fire");
    EXPECT_EQ(raised("game.fail('nonsense')"), "RuntimeError: ScriptError names no exception class: 'NoSuchError'");
    EXPECT_EQ(raised("game.fail('int')"), "RuntimeError: native error of an unknown type");
}

TEST_F(Binding, HostExceptionsAreCatchableAndTracebackShowsTheCallingLine) {
    ASSERT_TRUE(run("import game\n"
                    "try:\n"
                    "    game.fail('gone')\n"
                    "except LookupError as e:\n"
                    "    print(type(e).__name__, e)\n"
                    "try:\n"
                    "    game.fail('value')\n"
                    "except ValueError as e:\n"
                    "    print('caught', e)\n"))
        << error();
    EXPECT_EQ(out, "EntityGone entity 3 is gone\ncaught bad value\n");
    EXPECT_FALSE(run("import game\n"
                     "def f():\n"
                     "    game.fail('index')\n"
                     "f()\n"));
    const std::string& tb = interp.last_error().traceback;
    EXPECT_NE(tb.find("line 4, in <module>"), std::string::npos) << tb;
    EXPECT_NE(tb.find("line 3, in f"), std::string::npos) << tb;
    EXPECT_NE(tb.find("IndexError: no such slot"), std::string::npos) << tb;
}

TEST_F(Binding, NestedScriptCallsAndTheirErrorsPassThrough) {
    ASSERT_TRUE(run("import game\nprint(game.apply(lambda v: v * 2, 21))\n")) << error();
    EXPECT_EQ(out, "42\n");
    EXPECT_EQ(raised("game.apply(lambda v: 1 // v, 0)"), "ZeroDivisionError: integer division or modulo by zero");
}

TEST_F(Binding, ReexportsShareTheOriginal) {
    ASSERT_TRUE(run("import game, spindle\n"
                    "print(game.next_frame is spindle.next_frame, game.current_frame is spindle.frame)\n"
                    "print(game.current_frame())\n"))
        << error();
    EXPECT_EQ(out, "True True\n0\n");
}

// ---------------------------------------------------------------- host objects

TEST_F(Binding, HostObjectsHaveTypeReprAndIsinstance) {
    ASSERT_TRUE(run("import game\n"
                    "e = game.spawn('orc')\n"
                    "print(type(e).__name__, type(e).__module__, repr(e), e)\n"
                    "print(game.Entity, isinstance(e, game.Entity), isinstance(e, game.Vec2), type(e) is game.Entity)\n"
                    "print(repr(game.Vec2(3, 4)))\n"))
        << error();
    EXPECT_EQ(out,
              "Entity game <game.Entity object> <game.Entity object>\n"
              "<class 'game.Entity'> True False True\n"
              "Vec2(3, 4)\n");
}

TEST_F(Binding, AttributesReadWriteAndMethodsMutateTheValue) {
    ASSERT_TRUE(run("import game\n"
                    "e = game.spawn('orc')\n"
                    "e.x = 2\n"
                    "print(e.x, e.kind, e.index)\n"
                    "e.walk_to(3, 4.5)\n"
                    "print(e.position(), hasattr(e, 'x'), hasattr(e, 'nope'), getattr(e, 'kind'))\n"
                    "walk = e.walk_to\n"
                    "walk(7, 8)\n"
                    "game.Entity.walk_to(e, 1, 1)\n"
                    "print(e.x, game.distance_between(game.spawn('elf'), e))\n"))
        << error();
    EXPECT_EQ(out, "2.0 orc 0\n3.000000,4.500000 True False orc\n1.0 1.0\n");
    EXPECT_EQ(world.bodies.at(0).y, 1.0);
}

TEST_F(Binding, ValueTypesWithFieldsMemberFunctionsAndConstructor) {
    ASSERT_TRUE(run("import game\n"
                    "v = game.Vec2(3, 4)\n"
                    "print(v.length(), v.x)\n"
                    "v.scale(2)\n"
                    "v.y = 1\n"
                    "print(v, v.x, v.y)\n"))
        << error();
    EXPECT_EQ(out, "5.0 3.0\nVec2(6, 1) 6.0 1.0\n");
    EXPECT_EQ(raised("game.Vec2(1)"), "TypeError: Vec2() takes 2 positional arguments but 1 was given");
}

TEST_F(Binding, AttributeErrorsUseCPythonWording) {
    const std::string spawn = "e = game.spawn('orc'); ";
    EXPECT_EQ(raised(spawn + "e.kind = 'elf'"), "AttributeError: attribute 'kind' of 'Entity' objects is not writable");
    EXPECT_EQ(raised(spawn + "e.foo"), "AttributeError: 'Entity' object has no attribute 'foo'");
    EXPECT_EQ(raised(spawn + "e.foo = 1"), "AttributeError: 'Entity' object has no attribute 'foo'");
    EXPECT_EQ(raised(spawn + "e.walk_to = 1"), "AttributeError: 'Entity' object attribute 'walk_to' is read-only");
    EXPECT_EQ(raised(spawn + "del e.x"), "AttributeError: cannot delete attribute 'x' of 'Entity' objects");
    EXPECT_EQ(raised(spawn + "e.x = 'far'"), "TypeError: attribute 'x' of 'Entity' objects must be float, not str");
    EXPECT_EQ(raised("game.Entity.x = 1"), "TypeError: cannot set 'x' attribute of immutable type 'Entity'");
}

TEST_F(Binding, MethodCallErrors) {
    const std::string spawn = "e = game.spawn('orc'); ";
    EXPECT_EQ(raised(spawn + "e.walk_to(1, 2, 3)"), "TypeError: walk_to() takes 2 positional arguments but 3 were given");
    EXPECT_EQ(raised(spawn + "e.walk_to('a', 2)"), "TypeError: walk_to() argument 1 must be float, not str");
    EXPECT_EQ(raised("game.Entity.walk_to(5, 1, 2)"),
              "TypeError: descriptor 'walk_to' for 'Entity' objects doesn't apply to a 'int' object");
    EXPECT_EQ(raised("game.Entity.walk_to()"), "TypeError: unbound method Entity.walk_to() needs an argument");
}

TEST_F(Binding, ScriptsCannotCreateOrSubclassHostTypesWithoutAConstructor) {
    EXPECT_EQ(raised("game.Entity()"), "TypeError: cannot create 'game.Entity' instances");
    EXPECT_EQ(raised("class Mine(game.Entity): pass"),
              "TypeError: subclassing the builtin type 'Entity' is not supported");
}

TEST_F(Binding, EqualityHookComparesHandlesByValueOtherTypesByIdentity) {
    ASSERT_TRUE(run("import game\n"
                    "a = game.spawn('orc')\n"
                    "b = game.spawn('elf')\n"
                    "same = game.identity(a)\n"
                    "print(a == a, a == b, a != b, a == 5)\n"
                    "d = {a: 'a', b: 'b'}\n"
                    "print(d[a], d[b], len({a, b, a}))\n"
                    "p = game.probe(); q = game.probe()\n"
                    "print(p == p, p == q, len({p, q, p}))\n"))
        << error();
    EXPECT_EQ(out, "True False True False\na b 2\nTrue False 2\n");
}

TEST_F(Binding, StaleHandlesRaiseReferenceError) {
    const std::string dead = "e = game.spawn('orc'); game.destroy(e); ";
    EXPECT_EQ(raised(dead + "e.x"), "ReferenceError: 'Entity' object no longer exists");
    EXPECT_EQ(raised(dead + "e.x = 1"), "ReferenceError: 'Entity' object no longer exists");
    EXPECT_EQ(raised(dead + "e.walk_to(1, 2)"), "ReferenceError: 'Entity' object no longer exists");
    EXPECT_EQ(raised(dead + "game.destroy(e)"), "ReferenceError: 'Entity' object no longer exists");
    // The slot is reused with a new generation: the old handle stays dead.
    ASSERT_TRUE(run("import game\n"
                    "e = game.spawn('orc'); game.destroy(e)\n"
                    "f = game.spawn('elf')\n"
                    "print(f.index, e == f, repr(e), f.kind)\n"
                    "try:\n"
                    "    e.kind\n"
                    "except ReferenceError as err:\n"
                    "    print('stale:', err)\n"))
        << error();
    EXPECT_EQ(out, "0 False <game.Entity object> elf\nstale: 'Entity' object no longer exists\n");
}

// ---------------------------------------------------------------- collection

TEST_F(Binding, CollectorRunsTheDestructorsOfUnreachableHostObjects) {
    ASSERT_TRUE(run("import game\n"
                    "game.kept = [game.probe(), game.probe()]\n"
                    "for i in range(10):\n"
                    "    game.probe()\n"))
        << error();
    interp.heap().collect();
    EXPECT_EQ(probes_destroyed, 10);
    ASSERT_TRUE(run("import game\ngame.kept.pop()\n")) << error();
    interp.heap().collect();
    EXPECT_EQ(probes_destroyed, 11);
}

TEST_F(Binding, TraceHookKeepsValuesHeldByHostObjectsAlive) {
    ASSERT_TRUE(run("import game\ngame.keep = game.slot([game.probe()])\n")) << error();
    interp.heap().collect();
    EXPECT_EQ(probes_destroyed, 0);
    ASSERT_TRUE(run("import game\nprint(type(game.keep.value[0]).__name__)\ngame.keep = None\n")) << error();
    EXPECT_EQ(out, "Probe\n");
    interp.heap().collect();
    EXPECT_EQ(probes_destroyed, 1);
}

// A collection at every safe point: host classes, constructors and the
// values host objects hold must all be reachable from the roots.
TEST_F(Binding, StressCollectionKeepsBindingsAlive) {
    interp.heap().set_stress(true);
    interp.heap().collect();  // arms the stress mode
    const std::uint64_t before = interp.heap().collections();
    ASSERT_TRUE(run("import game\n"
                    "del game.Entity, game.Vec2\n"
                    "s = game.slot([game.probe()])\n"
                    "total = 0.0\n"
                    "for i in range(50):\n"
                    "    e = game.spawn('orc' + str(i))\n"
                    "    e.walk_to(i, 1)\n"
                    "    total += e.x + type(game.slot(None)).__name__.count('S')\n"
                    "    game.destroy(e)\n"
                    "print(total, type(e).__name__, type(s.value[0]).__name__, game.Probe)\n"))
        << error();
    EXPECT_EQ(out, "1275.0 Entity Probe <class 'game.Probe'>\n");
    EXPECT_EQ(probes_destroyed, 0);
    EXPECT_GT(interp.heap().collections(), before + 100);
}

TEST(BindingLifetime, DestroyingTheInterpreterRunsHostDestructors) {
    int destroyed = 0;
    spindle::Scheduler scheduler;
    {
        Interpreter interp;
        ModuleBuilder game(interp, "game");
        game.type<Probe>("Probe");
        game.function("probe", [&destroyed] { return Probe(&destroyed); });
        ASSERT_TRUE(interp.run_source("import game\nkept = [game.probe() for i in range(3)]\n", "t.py"));
        EXPECT_EQ(destroyed, 0);
    }
    EXPECT_EQ(destroyed, 3);
}

TEST(BindingLifetime, BindingAGivenCppTypeTwiceIsRejected) {
    spindle::Scheduler scheduler;
    Interpreter interp;
    ModuleBuilder game(interp, "game");
    game.type<Vec2>("Vec2").field("x", &Vec2::x);
    EXPECT_THROW(game.type<Vec2>("Other"), std::logic_error);
    EXPECT_THROW(game.type<Slot>("Slot").method("m", [](Slot&) {}).attribute("m", &Slot::value), std::logic_error);
}

// ---------------------------------------------------------------- save games

TEST_F(Binding, PersistentIdsRoundTripThroughTheHooks) {
    ASSERT_TRUE(run("import game\ngame.a = game.spawn('orc')\ngame.b = game.spawn('elf')\n")) << error();
    Value b;
    ASSERT_TRUE(interp.get_attr(Value::object(interp.find_module(interp.intern("game"))), interp.intern("b"), b));
    PersistentId id;
    ASSERT_TRUE(spindle::vm::save_host_object(interp, b, id));
    EXPECT_EQ(id, (PersistentId{1, 0, {}}));

    Value loaded;
    ASSERT_TRUE(spindle::vm::load_host_object(interp, "game.Entity", id, loaded));
    EntityRef* ref = spindle::vm::host_value<EntityRef>(loaded);
    ASSERT_NE(ref, nullptr);
    EXPECT_EQ(*ref, (EntityRef{1, 0}));
    EXPECT_EQ(world.body(*ref).kind, "elf");
    bool same = false;
    ASSERT_TRUE(interp.equal(loaded, b, same));
    EXPECT_TRUE(same);
}

// The pickle module writes host objects as their persistent ids, host
// functions by name, and names the unpicklable one with its path.
TEST_F(Binding, PickleWritesHostObjectsAsPersistentIds) {
    ASSERT_TRUE(run("import game, pickle\n"
                    "orc = game.spawn('orc')\n"
                    "elf = game.spawn('elf')\n"
                    "data = pickle.dumps({'team': [orc, elf, orc], 'walk': game.distance_between})\n"
                    "back = pickle.loads(data)\n"
                    "print(back['team'][0] == orc, back['team'][1].kind, back['team'][0] is back['team'][2])\n"
                    "print(back['walk'] is game.distance_between)\n"
                    "try:\n"
                    "    pickle.dumps([1, {'p': game.probe()}])\n"
                    "except pickle.PicklingError as e:\n"
                    "    print(e)\n"
                    "game.destroy(elf)\n"
                    "try:\n"
                    "    pickle.loads(data)\n"
                    "except pickle.UnpicklingError as e:\n"
                    "    print(e)\n")) << error();
    EXPECT_EQ(out,
              "True elf True\n"
              "True\n"
              "cannot pickle 'game.Probe' object (at root[1]['p'])\n"
              "invalid pickle at offset 33: loading a host object: ReferenceError: no entity 1\n");
}

TEST_F(Binding, PersistentIdErrors) {
    Value probe;
    ASSERT_TRUE(run("import game\ngame.p = game.probe()\n")) << error();
    ASSERT_TRUE(interp.get_attr(Value::object(interp.find_module(interp.intern("game"))), interp.intern("p"), probe));
    PersistentId id;
    EXPECT_FALSE(spindle::vm::save_host_object(interp, probe, id));
    auto message = [&] {
        Value e = interp.take_pending();
        std::string text;
        EXPECT_TRUE(interp.to_str(e, text));
        return std::string(interp.type_name(e)) + ": " + text;
    };
    EXPECT_EQ(message(), "TypeError: cannot pickle 'game.Probe' object");
    EXPECT_FALSE(spindle::vm::save_host_object(interp, Value::integer(3), id));
    EXPECT_EQ(message(), "TypeError: cannot pickle 'int' object");
    Value out;
    EXPECT_FALSE(spindle::vm::load_host_object(interp, "game.Entity", PersistentId{7, 0, {}}, out));
    EXPECT_EQ(message(), "ReferenceError: no entity 7");
    EXPECT_FALSE(spindle::vm::load_host_object(interp, "game.Probe", PersistentId{}, out));
    EXPECT_EQ(message(), "TypeError: cannot unpickle 'game.Probe' object");
    EXPECT_FALSE(spindle::vm::load_host_object(interp, "game.Nothing", PersistentId{}, out));
    EXPECT_EQ(message(), "ImportError: no host type 'game.Nothing' is bound");
}

}  // namespace
