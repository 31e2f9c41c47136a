#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "common.hpp"

namespace bench {

long rss_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return -1;
    long size = 0, resident = 0;
    const int n = std::fscanf(f, "%ld %ld", &size, &resident);
    std::fclose(f);
    return n == 2 ? resident * ::sysconf(_SC_PAGESIZE) : -1;
}

double rss_per_parked(const std::function<double()>& park) {
    int fds[2];
    if (::pipe(fds) != 0) return -1;
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return -1;
    }
    if (child == 0) {
        ::close(fds[0]);
        // Give freed heap pages back to the kernel, so that memory the
        // tasklets reuse from the parent's heap is counted when touched.
        ::malloc_trim(0);
        double result = -1;
        try {
            result = park();
        } catch (...) {
        }
        ssize_t written = ::write(fds[1], &result, sizeof result);
        ::_exit(written == sizeof result ? 0 : 1);  // no teardown: the tasklets die with the process
    }
    ::close(fds[1]);
    double result = -1;
    if (::read(fds[0], &result, sizeof result) != sizeof result) result = -1;
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return result;
}

void report_rss(benchmark::State& state, double& cache, const std::function<double()>& park) {
    if (cache == 0) cache = rss_per_parked(park);
    state.counters["rss_per_tasklet"] = benchmark::Counter(cache);
}

}  // namespace bench
