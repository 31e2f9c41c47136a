// The exceptions the runtime raises, named after their Stackless/Python twins.
#pragma once

#include <stdexcept>
#include <string>

namespace spindle {

// Raised inside a tasklet to end it (kill()). Like Python's TaskletExit, a
// subclass of SystemExit and *not* of Exception: it deliberately does not
// derive from std::exception, so `catch (const std::exception&)` lets it pass
// and only `catch (...)` (Python's bare `except:`) can swallow it.
class TaskletExit {
public:
    TaskletExit() = default;
    explicit TaskletExit(std::string message) : message_(std::move(message)) {}
    const char* what() const noexcept { return message_.c_str(); }

private:
    std::string message_;
};

// Misuse of the scheduler or a deadlock; the messages are Stackless's own.
class RuntimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An operation on a closed channel that would have to block.
class ValueError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Ends a channel iteration when sent as an exception (Python's StopIteration).
class StopIteration : public std::exception {
public:
    const char* what() const noexcept override { return "StopIteration"; }
};

}  // namespace spindle
