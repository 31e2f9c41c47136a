// The public interface of Spindle's core runtime: tasklets, channels and the
// scheduler, with Stackless Python's semantics. Code outside tasklets/
// includes this header and nothing else from here.
#pragma once

#include "spindle/channel.hpp"
#include "spindle/errors.hpp"
#include "spindle/payload.hpp"
#include "spindle/scheduler.hpp"
#include "spindle/stack_pool.hpp"
#include "spindle/tasklet.hpp"
#include "spindle/version.hpp"
