// Payload: the type-erased value a switch hands over (Stackless's tempval).
// Small nothrow-movable values live inline, others on the heap; every value
// is destroyed exactly once, whichever path it takes through the runtime.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>

#include "spindle/tasklets.hpp"

namespace {

using spindle::Channel;
using spindle::Payload;
using spindle::Scheduler;
using spindle::Tasklet;

struct Counters {
    int made = 0;
    int copies = 0;
    int moves = 0;
    int destroyed = 0;
    int live() const { return made + copies + moves - destroyed; }
};

// A value that counts its constructions and destructions. Pad sets its size;
// NothrowMove decides whether it may live inline at all.
template <std::size_t Pad, bool NothrowMove = true>
struct Tracked {
    Counters* counters;
    int value;
    char pad[Pad] = {};

    Tracked(Counters& c, int v) : counters(&c), value(v) { ++counters->made; }
    Tracked(const Tracked& other) : counters(other.counters), value(other.value) { ++counters->copies; }
    Tracked(Tracked&& other) noexcept(NothrowMove) : counters(other.counters), value(other.value) {
        other.value = -1;
        ++counters->moves;
    }
    Tracked& operator=(const Tracked&) = delete;
    Tracked& operator=(Tracked&&) = delete;
    ~Tracked() { ++counters->destroyed; }
};

using Small = Tracked<1>;          // 16 bytes: inline
using Big = Tracked<64>;           // 80 bytes: heap
using SmallThrowingMove = Tracked<1, false>;  // small, but a throwing move: heap
static_assert(sizeof(Small) <= 3 * sizeof(void*));
static_assert(sizeof(Big) > 3 * sizeof(void*));

struct alignas(64) OverAligned {
    int value;
};

// Whether the value sits inside the Payload object itself.
template <class T>
bool stored_inline(Payload& p) {
    const auto* value = reinterpret_cast<const unsigned char*>(&p.get<T>());
    const auto* begin = reinterpret_cast<const unsigned char*>(&p);
    return value >= begin && value < begin + sizeof(Payload);
}

TEST(Payload, EmptyByDefault) {
    Payload p;
    EXPECT_TRUE(p.empty());
    EXPECT_FALSE(p.is_bomb());
    EXPECT_EQ(p.type(), typeid(void));
    EXPECT_EQ(p.bomb_error(), nullptr);
    EXPECT_FALSE(p.holds<int>());
    EXPECT_THROW(p.get<int>(), std::bad_cast);
}

TEST(Payload, SmallNothrowValuesLiveInline) {
    Payload i = Payload::of(42);
    EXPECT_TRUE(stored_inline<int>(i));
    EXPECT_TRUE(i.holds<int>());
    EXPECT_EQ(i.type(), typeid(int));
    EXPECT_EQ(i.get<int>(), 42);

    int x = 0;
    Payload ptr = Payload::of(&x);
    EXPECT_TRUE(stored_inline<int*>(ptr));
    EXPECT_EQ(ptr.get<int*>(), &x);

    Payload three = Payload::of(std::array<void*, 3>{&x, nullptr, &x});
    EXPECT_TRUE((stored_inline<std::array<void*, 3>>(three)));

    Counters c;
    Payload small = Payload::of(Small(c, 7));
    EXPECT_TRUE(stored_inline<Small>(small));
}

TEST(Payload, LargeThrowingOrOverAlignedValuesLiveOnTheHeap) {
    Counters c;
    Payload big = Payload::of(Big(c, 1));
    EXPECT_FALSE(stored_inline<Big>(big));
    Payload throwing = Payload::of(SmallThrowingMove(c, 2));
    EXPECT_FALSE(stored_inline<SmallThrowingMove>(throwing));
    Payload four = Payload::of(std::array<void*, 4>{});
    EXPECT_FALSE((stored_inline<std::array<void*, 4>>(four)));
    Payload aligned = Payload::of(OverAligned{5});
    EXPECT_FALSE(stored_inline<OverAligned>(aligned));
    EXPECT_EQ(aligned.get<OverAligned>().value, 5);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(&aligned.get<OverAligned>()) % 64, 0u);
}

TEST(Payload, OfCopiesLvaluesAndMovesRvalues) {
    Counters c;
    Small original(c, 3);
    {
        Payload copied = Payload::of(original);
        EXPECT_EQ(c.copies, 1);
        EXPECT_EQ(c.moves, 0);
        EXPECT_EQ(original.value, 3);
        Payload moved = Payload::of(std::move(original));
        EXPECT_EQ(c.moves, 1);
        EXPECT_EQ(original.value, -1);
        EXPECT_EQ(moved.get<Small>().value, 3);
    }
    EXPECT_EQ(c.live(), 1);  // only `original` is left
}

TEST(Payload, MovingAnInlineValueRelocatesItOnce) {
    Counters c;
    {
        Payload a = Payload::of(Small(c, 9));
        const int moves_before = c.moves;
        const int destroyed_before = c.destroyed;
        Payload b(std::move(a));
        EXPECT_TRUE(a.empty());
        EXPECT_EQ(b.get<Small>().value, 9);
        EXPECT_EQ(c.moves - moves_before, 1);          // move-constructed into b
        EXPECT_EQ(c.destroyed - destroyed_before, 1);  // and the moved-from one in a destroyed
        EXPECT_EQ(c.live(), 1);
    }
    EXPECT_EQ(c.live(), 0);
}

TEST(Payload, MovingAHeapValueMovesOnlyThePointer) {
    Counters c;
    {
        Payload a = Payload::of(Big(c, 9));
        const Big* address = &a.get<Big>();
        const int moves_before = c.moves;
        Payload b(std::move(a));
        Payload d;
        d = std::move(b);
        EXPECT_TRUE(a.empty());
        EXPECT_TRUE(b.empty());
        EXPECT_EQ(&d.get<Big>(), address);
        EXPECT_EQ(c.moves, moves_before);
        EXPECT_EQ(c.live(), 1);
    }
    EXPECT_EQ(c.live(), 0);
}

TEST(Payload, MoveAssignmentDestroysTheOldValue) {
    Counters c;
    Payload a = Payload::of(Small(c, 1));
    Payload b = Payload::of(Big(c, 2));
    EXPECT_EQ(c.live(), 2);
    a = std::move(b);  // the Small in a goes
    EXPECT_EQ(c.live(), 1);
    EXPECT_EQ(a.get<Big>().value, 2);
    EXPECT_TRUE(b.empty());
    Payload& self = a;
    a = std::move(self);  // self-move: no change
    EXPECT_EQ(a.get<Big>().value, 2);
    EXPECT_EQ(c.live(), 1);
    a.reset();
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(c.live(), 0);
    a.reset();  // twice is fine
    EXPECT_EQ(c.destroyed, c.made + c.copies + c.moves);
}

TEST(Payload, TakeEmptiesThePayload) {
    Counters c;
    Payload p = Payload::of(Big(c, 4));
    {
        Big taken = p.take<Big>();
        EXPECT_EQ(taken.value, 4);
        EXPECT_TRUE(p.empty());
        EXPECT_EQ(c.live(), 1);
    }
    EXPECT_EQ(c.live(), 0);
    Payload s = Payload::of(std::string(100, 'x'));
    EXPECT_EQ(s.take<std::string>(), std::string(100, 'x'));
    EXPECT_TRUE(s.empty());
}

TEST(Payload, TypeMismatchThrowsBadCastAndKeepsTheValue) {
    Counters c;
    Payload p = Payload::of(Small(c, 8));
    EXPECT_THROW(p.get<int>(), std::bad_cast);
    EXPECT_THROW(p.get<Big>(), std::bad_cast);
    EXPECT_THROW(p.take<Big>(), std::bad_cast);
    EXPECT_THROW(static_cast<const Payload&>(p).get<int>(), std::bad_cast);
    EXPECT_TRUE(p.holds<Small>());
    EXPECT_EQ(p.get<Small>().value, 8);
    EXPECT_EQ(c.live(), 1);
    // Decayed on the way in: a const lvalue is stored as its plain type.
    const long l = 5;
    EXPECT_TRUE(Payload::of(l).holds<long>());
    EXPECT_THROW(Payload::of(l).get<int>(), std::bad_cast);
    // A typed channel end reports a mismatch in the receiver the same way.
    Scheduler s;
    spindle::ChannelObject& raw = *new spindle::ChannelObject();
    raw.incref();
    spindle::spawn([&raw] { raw.send(Payload::of(std::string("text"))); });
    s.run();
    Payload got = raw.receive();
    EXPECT_THROW(got.take<int>(), std::bad_cast);
    EXPECT_EQ(got.take<std::string>(), "text");
    s.run();  // the sender returns from send()
    raw.decref();
}

TEST(Payload, BombCarriesItsException) {
    Payload b = Payload::bomb(std::make_exception_ptr(std::out_of_range("boom")));
    EXPECT_TRUE(b.is_bomb());
    EXPECT_FALSE(b.empty());
    EXPECT_NE(b.type(), typeid(void));
    EXPECT_FALSE(b.holds<std::exception_ptr>());
    EXPECT_THROW(b.get<std::exception_ptr>(), std::bad_cast);
    Payload moved(std::move(b));
    EXPECT_FALSE(b.is_bomb());
    EXPECT_EQ(b.bomb_error(), nullptr);
    ASSERT_TRUE(moved.is_bomb());
    try {
        std::rethrow_exception(moved.bomb_error());
    } catch (const std::out_of_range& e) {
        EXPECT_STREQ(e.what(), "boom");
    }
    EXPECT_TRUE(moved.is_bomb());  // reading the error does not defuse it
    EXPECT_FALSE(Payload::of(42).is_bomb());
    EXPECT_EQ(Payload::of(42).bomb_error(), nullptr);
}

TEST(Payload, BombSentOnAChannelRaisesInTheReceiver) {
    Scheduler s;
    Channel<int> ch;
    std::string caught;
    spindle::spawn([&] {
        try {
            ch.receive();
        } catch (const std::out_of_range& e) {
            caught = e.what();
        }
    });
    s.run();
    ch.send_throw(std::make_exception_ptr(std::out_of_range("thrown")));
    EXPECT_EQ(caught, "thrown");
    // A raw Payload::bomb sent as a value is a bomb too: it is raised, not delivered.
    spindle::spawn([&] {
        try {
            ch.receive();
        } catch (const std::out_of_range& e) {
            caught = std::string("raw ") + e.what();
        }
    });
    s.run();
    ch.object().send(Payload::bomb(std::make_exception_ptr(std::out_of_range("bomb"))));
    EXPECT_EQ(caught, "raw bomb");
}

// ---------------------------------------------------------------------------
// Exactly-once destruction through the runtime
// ---------------------------------------------------------------------------

template <class T>
class ExactlyOnce : public ::testing::Test {};
using ValueKinds = ::testing::Types<Small, Big>;
TYPED_TEST_SUITE(ExactlyOnce, ValueKinds);

TYPED_TEST(ExactlyOnce, ThroughAChannelHandOff) {
    using T = TypeParam;
    Counters c;
    {
        Scheduler s;
        Channel<T> ch;
        int received = 0;
        spindle::spawn([&] { received = ch.receive().value; });
        s.run();
        ch.send(T(c, 11));
        EXPECT_EQ(received, 11);
        EXPECT_EQ(c.live(), 0);  // the receiver's copy died with its statement
        spindle::spawn([&] { ch.send(T(c, 12)); });
        s.run();
        EXPECT_EQ(c.live(), 2);  // the sender's argument and the pending payload
        T got = ch.receive();
        EXPECT_EQ(got.value, 12);
        s.run();
        EXPECT_EQ(c.live(), 1);  // only `got`
    }
    EXPECT_EQ(c.live(), 0);
    EXPECT_EQ(c.made, 2);
}

TYPED_TEST(ExactlyOnce, PendingValueOfAKilledSender) {
    using T = TypeParam;
    Counters c;
    Scheduler s;
    Channel<T> ch;
    Tasklet sender = spindle::spawn([&] { ch.send(T(c, 13)); });
    s.run();
    ASSERT_TRUE(sender.blocked());
    const Payload* pending = ch.object().pending_value(sender);
    ASSERT_NE(pending, nullptr);
    EXPECT_EQ(pending->template get<T>().value, 13);
    sender.kill();
    EXPECT_FALSE(sender.alive());
    EXPECT_EQ(c.live(), 0);
    EXPECT_EQ(c.destroyed, c.made + c.copies + c.moves);
}

TYPED_TEST(ExactlyOnce, PendingValueAtSchedulerTeardown) {
    using T = TypeParam;
    Counters c;
    {
        Scheduler s;
        Channel<T> ch;
        spindle::spawn([&c, ch]() mutable { ch.send(T(c, 14)); });
        s.run();
        EXPECT_EQ(c.live(), 2);
    }
    EXPECT_EQ(c.live(), 0);
}

TYPED_TEST(ExactlyOnce, PendingValueWhenTheLastHandleGoes) {
    // A native tasklet blocked in send() keeps its channel alive (like a
    // hard-switched Stackless tasklet, whose C stack holds the channel), so
    // dropping the last handle leaves it blocked, value and all, until killed.
    using T = TypeParam;
    Counters c;
    {
        Scheduler s;
        Tasklet sender;
        {
            Channel<T> ch;
            sender = spindle::spawn([&c, &ch] { ch.send(T(c, 15)); });
            s.run();
        }
        EXPECT_TRUE(sender.blocked());
        EXPECT_EQ(c.live(), 2);
        sender.kill();
        EXPECT_FALSE(sender.alive());
        EXPECT_EQ(c.live(), 0);
    }
    EXPECT_EQ(c.live(), 0);
}

TYPED_TEST(ExactlyOnce, ScheduleRetvalAndTempval) {
    using T = TypeParam;
    Counters c;
    {
        Scheduler s;
        int seen = 0;
        Tasklet t = spindle::spawn([&] {
            Payload r = spindle::schedule(Payload::of(T(c, 16)));
            seen = r.template get<T>().value;  // nobody touched our tempval: our own retval
            Payload woken = spindle::schedule_remove();
            seen += woken.template get<T>().value;  // set by main before it re-inserted us
        });
        s.run();
        EXPECT_EQ(seen, 16);
        EXPECT_TRUE(t.paused());
        t.set_tempval(Payload::of(T(c, 17)));
        t.set_tempval(Payload::of(T(c, 18)));  // replaces 17, which is destroyed
        EXPECT_EQ(c.live(), 2);                 // 18, and 16 in the paused tasklet's `r`
        t.insert();
        s.run();
        EXPECT_EQ(seen, 34);
        EXPECT_EQ(c.live(), 0);
        // A tempval left on a dead tasklet dies with it.
        t.set_tempval(Payload::of(T(c, 19)));
        EXPECT_EQ(c.live(), 1);
    }
    EXPECT_EQ(c.live(), 0);
    EXPECT_EQ(c.made, 4);
}

}  // namespace
