// How long one dependent read takes on this machine right now, for a
// working set in the caches and one far bigger: the pickler's walk over a
// big world is a chain of such reads, so a save's time follows the second
// figure, which on a shared machine moves with the neighbours' load.
// Measured in the same run as the benchmark it explains.
#pragma once

#include <cstddef>

namespace spindle::bench {

// Nanoseconds per read of a chain that visits every 64-byte line of
// `bytes` once, in random order; `page_by_page`: all lines of one 4 KiB page
// (in random order) before the next page (random too), which spares the
// address translation most of its misses.
double dependent_read_ns(std::size_t bytes, bool page_by_page);

}  // namespace spindle::bench
