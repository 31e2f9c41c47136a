// The demo, until the game exists: a small native-tasklet showcase. Agents on
// their own fibers exchange events over channels, sleep by frames, and one
// runaway agent is cut off by the frame budget every frame without stalling
// the others.
#include <cstdio>
#include <string>

#include "spindle/tasklets.hpp"

namespace {

struct Event {
    std::string from;
    int value;
};

void producer(spindle::Channel<Event> out, std::string name, int period) {
    for (int i = 1;; ++i) {
        spindle::sleep_frames(period);
        out.send(Event{name, i});
    }
}

void consumer(spindle::Channel<Event> in, int* received) {
    for (Event e : in) {
        ++*received;
        std::printf("  frame %lld: consumer got %s #%d\n",
                    static_cast<long long>(spindle::Scheduler::active().frame()), e.from.c_str(), e.value);
    }
}

void runaway(long long* spins) {
    for (;;) {
        ++*spins;
        spindle::preemption_point();  // a safe point: the frame budget can cut it here
    }
}

}  // namespace

int main() {
    std::puts("Spindle showcase (the game demo comes later): native tasklets on a frame-ticked scheduler.");
    spindle::Scheduler scheduler;
    scheduler.set_time_slice(100);  // a runaway goes to the back of the queue after 100 safe points
    spindle::Channel<Event> events("events");
    int received = 0;
    long long spins = 0;
    spindle::spawn(consumer, events, &received).set_name("consumer");
    spindle::spawn(producer, events, std::string("scout"), 2).set_name("scout");
    spindle::spawn(producer, events, std::string("miner"), 3).set_name("miner");
    spindle::spawn(runaway, &spins).set_name("runaway");

    const int frames = 6;
    const long long budget = 1000;
    for (int f = 0; f < frames; ++f) {
        spindle::Tasklet cut = scheduler.run_frame(budget);
        std::printf("frame %lld done: %s cut off by the frame budget\n", static_cast<long long>(scheduler.frame()),
                    cut ? cut.name().c_str() : "nobody");
    }
    std::printf("events received: %d, runaway spins: %lld, switches: %llu, preemptions: %llu\n", received, spins,
                static_cast<unsigned long long>(scheduler.stats().switches),
                static_cast<unsigned long long>(scheduler.stats().preemptions));
    return 0;
}
