// Channels: Stackless's synchronous rendezvous between tasklets.
//
// ChannelObject is the untyped core: it moves Payloads and implements the whole
// protocol (balance, preference, schedule_all, close/open, blocked queue in
// FIFO order). Channel<T> is a typed handle over it; native and script tasklets
// meet on the same core. A channel is reference counted like a tasklet; when
// the last handle goes while tasklets are blocked on it, they are unlinked and
// left paused, as in Stackless.
#pragma once

#include <cstdint>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "spindle/payload.hpp"
#include "spindle/tasklet.hpp"

namespace spindle {

class ChannelObject {
public:
    ChannelObject();  // on the thread's active scheduler
    explicit ChannelObject(Scheduler& scheduler);
    ChannelObject(const ChannelObject&) = delete;
    ChannelObject& operator=(const ChannelObject&) = delete;
    ~ChannelObject();

    void incref() noexcept { ++refs_; }
    void decref() noexcept {
        if (--refs_ == 0) last_reference_dropped();
    }

    // The protocol. send/receive block the caller when no partner waits.
    void send(Payload value);
    Payload receive();
    void send_exception(std::exception_ptr error);  // the receiver raises it

    void close() noexcept { closing_ = true; }
    void open() noexcept { closing_ = false; }
    bool closing() const noexcept { return closing_; }
    bool closed() const noexcept { return closing_ && balance_ == 0; }
    int balance() const noexcept { return balance_; }
    int preference() const noexcept { return preference_; }
    void set_preference(int value) noexcept { preference_ = value < 0 ? -1 : (value > 0 ? 1 : 0); }
    bool schedule_all() const noexcept { return schedule_all_; }
    void set_schedule_all(bool value) noexcept { schedule_all_ = value; }
    std::uint64_t id() const noexcept { return id_; }
    const std::string& name() const noexcept { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }

    // For script engines, whose tasklets switch softly (their frames are
    // heap data): the common cases of send (+1) and receive (-1), without a
    // stack switch, for the engine's own plain values (a T that a Payload
    // holds inline and copies as bytes). `slot` holds the value to send, and
    // gets the value received. Done: no switch; `slot` is what the partner
    // handed over (T{} for nothing). Handed: no switch either, but the
    // partner handed over a payload of another kind (a native value, a bomb):
    // it is the caller's tempval now. Switched: the caller is blocked or
    // yielded to its partner, and gets its value as its tempval when it
    // resumes. General: something is unusual (observers, a due preemption,
    // errors to raise ...) and nothing has changed: use send()/receive().
    enum class SoftOutcome : std::uint8_t { Done, Handed, Switched, General };
    template <int Direction, class T>
    [[gnu::always_inline]] inline SoftOutcome soft_transfer(T& slot);

    Tasklet queue() const;                    // first blocked tasklet, or empty
    bool is_sentinel(const ChainNode* node) const noexcept { return node == &queue_; }
    std::vector<Tasklet> blocked_tasklets() const;  // in FIFO order
    const Payload* pending_value(const Tasklet& blocked_sender) const;
    // Appends a paused tasklet to the blocked queue without switching, as
    // if it had blocked in `direction` (+1 sending, its tempval the value;
    // -1 receiving): how an unpickled channel gets its tasklets back. False
    // (nothing changed) unless it is alive, paused, not current, and the
    // direction agrees with the tasklets already blocked.
    bool block_paused(const Tasklet& tasklet, int direction);
    // block_paused for a native tasklet a restore factory has just made (its
    // body has not run): it takes its saved place in the queue, holding
    // `pending` (a blocked sender's value) as its tempval. A partner then
    // completes the wait as with any blocked tasklet, and the restarted body's
    // first channel operation, which reissues that wait (spindle/tasklet.hpp
    // NativeRestore), returns what the wait got without blocking again.
    bool block_restored(const Tasklet& tasklet, int direction, Payload pending);
    // Unlinks every blocked tasklet and leaves it paused (Stackless's
    // channel_clear, as a channel's __setstate__ and its end do).
    void release_blocked() noexcept;

private:
    friend class Scheduler;

    // Out of line: an inlined `delete this` makes GCC 12's -Wuse-after-free
    // misfire in user code that copies Channel handles.
    void last_reference_dropped() noexcept;
    friend class TaskletObject;
    Payload action(Payload value, int direction);
    Payload action_general(Payload value, int direction);
    // The reissued wait of a restored native tasklet (block_restored), if
    // `source` has one still to come: what that wait got.
    std::optional<Payload> take_reissue(TaskletObject* source, int direction);
    // A tasklet object is going away: its reissued wait with it.
    static void forget_reissue(const TaskletObject* tasklet) noexcept;
    static bool has_reissue(const TaskletObject* tasklet) noexcept;
    void insert_blocked(TaskletObject* tasklet, int direction) noexcept;
    void remove_blocked(TaskletObject* tasklet) noexcept;
    TaskletObject* head() const noexcept;

    Scheduler* scheduler_;
    std::uint32_t refs_ = 0;
    ChainNode queue_;  // sentinel of the circular queue of blocked tasklets
    int balance_ = 0;
    int preference_ = -1;
    bool schedule_all_ = false;
    bool closing_ = false;
    std::uint64_t id_;
    std::string name_;
};

inline TaskletObject* ChannelObject::head() const noexcept {
    return queue_.next == &queue_ ? nullptr : static_cast<TaskletObject*>(queue_.next);
}

// Appends `t` (taking over the caller's reference).
inline void ChannelObject::insert_blocked(TaskletObject* t, int direction) noexcept {
    t->next = &queue_;
    t->prev = queue_.prev;
    queue_.prev->next = t;
    queue_.prev = t;
    t->blocked_ = static_cast<std::int8_t>(direction);
    t->channel_ = this;
    balance_ += direction;
}

// Unlinks `t`; the caller takes over the channel's reference.
inline void ChannelObject::remove_blocked(TaskletObject* t) noexcept {
    t->prev->next = t->next;
    t->next->prev = t->prev;
    t->next = t->prev = nullptr;
    balance_ -= t->blocked_;
    t->blocked_ = 0;
    t->channel_ = nullptr;
}

// A typed handle over one ChannelObject.
template <class T>
class Channel {
public:
    Channel() : object_(new ChannelObject()) { object_->incref(); }
    explicit Channel(std::string name) : Channel() { object_->set_name(std::move(name)); }
    Channel(const Channel& other) noexcept : object_(other.object_) { object_->incref(); }
    Channel& operator=(Channel other) noexcept {
        std::swap(object_, other.object_);
        return *this;
    }
    ~Channel() {
        if (object_) object_->decref();
    }

    void send(T value) { object_->send(Payload::of(std::move(value))); }
    T receive() { return object_->receive().template take<T>(); }
    template <class E, class... Args>
    void send_exception(Args&&... args) {
        object_->send_exception(std::make_exception_ptr(E(std::forward<Args>(args)...)));
    }
    void send_throw(std::exception_ptr error) { object_->send_exception(std::move(error)); }
    template <class Range>
    std::size_t send_sequence(Range&& values) {
        std::size_t count = 0;
        for (auto&& value : values) {
            send(value);
            ++count;
        }
        return count;
    }

    // Iteration receives until a sender raises StopIteration, or the channel
    // is closing with nobody left to send.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(Channel* channel) : channel_(channel) { advance(); }
        T& operator*() { return *value_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        bool operator==(const iterator& other) const { return channel_ == other.channel_; }
        bool operator!=(const iterator& other) const { return channel_ != other.channel_; }

    private:
        void advance() {
            if (channel_->object_->closing() && channel_->object_->balance() <= 0) {
                channel_ = nullptr;
                return;
            }
            try {
                value_.emplace(channel_->receive());
            } catch (const StopIteration&) {
                channel_ = nullptr;
            }
        }
        Channel* channel_ = nullptr;
        std::optional<T> value_;
    };
    iterator begin() { return iterator(this); }
    iterator end() { return iterator(); }

    void close() noexcept { object_->close(); }
    void open() noexcept { object_->open(); }
    bool closing() const noexcept { return object_->closing(); }
    bool closed() const noexcept { return object_->closed(); }
    int balance() const noexcept { return object_->balance(); }
    int preference() const noexcept { return object_->preference(); }
    void set_preference(int value) noexcept { object_->set_preference(value); }
    bool schedule_all() const noexcept { return object_->schedule_all(); }
    void set_schedule_all(bool value) noexcept { object_->set_schedule_all(value); }
    Tasklet queue() const { return object_->queue(); }
    std::vector<Tasklet> blocked_tasklets() const { return object_->blocked_tasklets(); }
    ChannelObject& object() const noexcept { return *object_; }
    friend bool operator==(const Channel& a, const Channel& b) noexcept { return a.object_ == b.object_; }

private:
    ChannelObject* object_;
};

}  // namespace spindle
