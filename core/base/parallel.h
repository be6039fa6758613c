#pragma once

#include <cstddef>
#include <functional>

namespace plumb {

// Number of worker threads core uses for parallel loops: the machine's cores,
// overridable with the environment variable PLUMB_THREADS (1 disables threading).
int workerCount();

// While one lives, parallelFor on the thread that made it runs every item on that thread. For code
// that is already one of several workers (the batch scorer scores chunks on workerCount() threads),
// so that its loops do not start threads of their own and oversubscribe the cores.
class SerialLoopScope
{
public:
    SerialLoopScope();
    ~SerialLoopScope();
    SerialLoopScope(const SerialLoopScope &) = delete;
    SerialLoopScope &operator=(const SerialLoopScope &) = delete;

private:
    bool mPrevious;
};

// Runs body(i) for every i in [0, count) on up to workerCount() threads (the caller's included).
// Items are handed out in ascending order, one at a time, so uneven items balance.
// body must not throw; it runs concurrently with itself.
void parallelFor(std::size_t count, const std::function<void(std::size_t)> &body);

} // namespace plumb
