// Helpers for tests that replay the Stackless oracle scripts
// (tests/scripts/stackless/*.py): a log that stands for Python's stdout, and
// formatters that print tasklets and flags the way the scripts do, so that
// expected lines can be copied from the *.expected files.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "spindle/tasklets.hpp"

namespace oracle {

using spindle::Tasklet;
using Log = std::vector<std::string>;

// The scripts' `names` dict: a name per tasklet, "None" for no tasklet.
// It keeps the handles, as the dict keeps the Python tasklets alive.
class Names {
public:
    void add(const Tasklet& t, std::string name) { entries_.emplace_back(t, std::move(name)); }
    std::string operator()(const Tasklet& t) const {
        if (!t) return "None";
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
            if (it->first == t) return it->second;
        }
        return "?";
    }

private:
    std::vector<std::pair<Tasklet, std::string>> entries_;
};

inline std::string py(bool b) { return b ? "True" : "False"; }

// schedule_order.py's flags()
inline std::string flags(const Tasklet& t) {
    return "alive=" + py(t.alive()) + " paused=" + py(t.paused()) + " scheduled=" + py(t.scheduled()) +
           " blocked=" + py(t.blocked());
}

// kill_throw.py's, channel_close.py's and errors_to_main.py's flags()/tflags()
inline std::string tflags(const Tasklet& t) {
    return "alive=" + py(t.alive()) + " blocked=" + py(t.blocked()) + " scheduled=" + py(t.scheduled()) +
           " paused=" + py(t.paused());
}

// The run queue from the current tasklet on, as the scripts' queue_names().
inline std::string queue_names(const Names& names) {
    Tasklet c = spindle::getcurrent();
    std::string out = names(c);
    for (Tasklet t = c.next(); t && t != c; t = t.next()) out += " " + names(t);
    return out;
}

// A channel's blocked queue, walked from `queue` through `next`, as chan_queue().
template <class Channel>
std::string chan_queue(const Channel& ch, const Names& names) {
    std::string out;
    for (Tasklet t = ch.queue(); t; t = t.next()) out += (out.empty() ? "" : " ") + names(t);
    return "[" + out + "]";
}

// The message of the E that `f` throws, or a marker that fails the comparison.
template <class E, class F>
std::string error_of(F&& f) {
    try {
        std::forward<F>(f)();
    } catch (const E& e) {
        return e.what();
    }
    return "<no exception>";
}

// Python's `finally:` for a tasklet body.
class Finally {
public:
    explicit Finally(std::function<void()> action) : action_(std::move(action)) {}
    Finally(const Finally&) = delete;
    Finally& operator=(const Finally&) = delete;
    ~Finally() { action_(); }

private:
    std::function<void()> action_;
};

// Spawns a named tasklet: the scripts' mk(name, f, *args).
template <class F, class... Args>
Tasklet mk(Names& names, std::string name, F&& function, Args&&... args) {
    Tasklet t = spindle::spawn(std::forward<F>(function), std::forward<Args>(args)...);
    names.add(t, std::move(name));
    return t;
}

}  // namespace oracle
