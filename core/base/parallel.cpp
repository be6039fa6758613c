#include "base/parallel.h"

#include <QByteArray>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace plumb {

namespace {

thread_local bool tSerialLoops = false;

} // namespace

SerialLoopScope::SerialLoopScope() : mPrevious(tSerialLoops) { tSerialLoops = true; }

SerialLoopScope::~SerialLoopScope() { tSerialLoops = mPrevious; }

int workerCount()
{
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("PLUMB_THREADS", &ok);
    if (ok && forced > 0)
        return forced;
    return std::max(1, QThread::idealThreadCount());
}

void parallelFor(std::size_t count, const std::function<void(std::size_t)> &body)
{
    const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(workerCount()), count);
    if (threads <= 1 || tSerialLoops) {
        for (std::size_t i = 0; i < count; ++i)
            body(i);
        return;
    }
    // A plain bounded set of threads pulling indices: no spinning waiters, no nesting.
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1))
            body(i);
    };
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t)
        workers.emplace_back(work);
    work();
    for (auto &worker : workers)
        worker.join();
}

} // namespace plumb
