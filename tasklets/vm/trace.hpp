// What each object kind points at, and how big it is: the collector's view
// of the object graph. The pickler and the debugger walk the same edges.
#pragma once

#include <cstddef>

#include "vm/heap.hpp"
#include "vm/object.hpp"

namespace spindle::vm {

void mark_value(Heap& heap, const Value& value);
void trace_children(Heap& heap, Obj& object);
// A script tasklet's own graph (function, arguments, frames), reached
// through its wrapper: defined with the script tasklets.
void trace_script_tasklet(Heap& heap, const spindle::Tasklet& tasklet);
std::size_t object_size(const Obj& object) noexcept;

}  // namespace spindle::vm
