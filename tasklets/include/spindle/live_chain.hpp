// The schedulers (or interpreters) alive on one thread, newest first, each
// remembering which one was active when it was made. Any of them may be
// destroyed first (a game loaded beside the running one replaces it), so
// one that goes hands what it remembered to every one that remembered it,
// and the chain is how it finds them.
#pragma once

namespace spindle {

template <class T>
struct LiveChain {
    T* previous = nullptr;  // active when this one was made; active again when it goes
    T* older = nullptr;
    T* newer = nullptr;

    // `chain` names this member in T, so a link can reach its neighbours'.
    void link(T* self, T*& newest, LiveChain T::*chain, T* was_active) noexcept {
        previous = was_active;
        older = newest;
        if (older) (older->*chain).newer = self;
        newest = self;
    }

    void unlink(T* self, T*& newest, LiveChain T::*chain) noexcept {
        for (T* t = newest; t != nullptr; t = (t->*chain).older) {
            if ((t->*chain).previous == self) (t->*chain).previous = previous;
        }
        if (newer) (newer->*chain).older = older;
        else newest = older;
        if (older) (older->*chain).newer = newer;
    }
};

}  // namespace spindle
