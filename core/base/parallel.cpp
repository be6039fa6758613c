#include "base/parallel.h"

#include <QByteArray>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace plumb {

namespace {

thread_local bool tSerialLoops = false;

// Runs body(i) for each index the shared counter hands out, until they are all taken.
void drain(const std::function<void(std::size_t)> &body, std::size_t count, std::atomic<std::size_t> &next)
{
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1))
        body(i);
}

} // namespace

SerialLoopScope::SerialLoopScope() : mPrevious(tSerialLoops)
{
    tSerialLoops = true;
}

SerialLoopScope::~SerialLoopScope()
{
    tSerialLoops = mPrevious;
}

int workerCount()
{
    bool ok = false;
    const int forced = qEnvironmentVariableIntValue("PLUMB_THREADS", &ok);
    if (ok && forced > 0)
        return forced;
    return std::max(1, QThread::idealThreadCount());
}

namespace {

// Threads kept between loops, so a loop costs a wake-up instead of starting and joining threads
// (tree growing runs thousands of short loops). One loop at a time uses the pool; a loop started
// while it is busy (from another thread) starts threads of its own, as every loop once did.
// Waking a sleeping thread takes tens of microseconds on a virtual machine, so a helper polls
// for the next loop, and the caller for its helpers, for a short while before sleeping.
class WorkerPool
{
public:
    static WorkerPool &instance()
    {
        static WorkerPool pool;
        return pool;
    }

    ~WorkerPool()
    {
        {
            std::lock_guard lock(mMutex);
            mStopping = true;
        }
        mWake.notify_all();
        for (std::thread &thread : mThreads)
            thread.join();
    }

    // Runs body(i) for i in [0, count) on the caller and up to `helpers` pool threads; false
    // (nothing run) when another loop holds the pool.
    bool tryRun(std::size_t count, std::size_t helpers, const std::function<void(std::size_t)> &body)
    {
        std::unique_lock job(mJobLock, std::try_to_lock);
        if (!job.owns_lock())
            return false;
        {
            std::lock_guard lock(mMutex);
            while (mThreads.size() < helpers)
                mThreads.emplace_back([this] { serve(); });
            mBody = &body;
            mCount = count;
            mNext = 0;
            mWanted = helpers;
            mGeneration.fetch_add(1);
        }
        mWake.notify_all();
        {
            const SerialLoopScope serial; // a loop inside this one runs on the thread that meets it
            drain(body, count, mNext);
        }
        pollWhile([this] { return mActive.load() != 0; });
        std::unique_lock lock(mMutex);
        mWanted = 0; // a helper that has not woken yet stays out of the finished loop
        mDone.wait(lock, [this] { return mActive == 0; });
        mBody = nullptr;
        return true;
    }

private:
    WorkerPool() = default;

    // Polls while `busy` holds, at most kPollRounds rounds.
    template<typename Busy> static void pollWhile(const Busy &busy)
    {
        for (int round = 0; round < kPollRounds && busy(); ++round)
            pause();
    }

    static void pause()
    {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        std::this_thread::yield();
#endif
    }

    void serve()
    {
        tSerialLoops = true; // a loop inside a loop runs on its own thread
        std::uint64_t seen = 0;
        std::unique_lock lock(mMutex);
        for (;;) {
            if (mGeneration.load() == seen && !mStopping) {
                lock.unlock();
                pollWhile([&] { return mGeneration.load() == seen; });
                lock.lock();
            }
            mWake.wait(lock, [&] { return mStopping || (mGeneration.load() != seen && mWanted > 0); });
            if (mStopping)
                return;
            seen = mGeneration.load();
            --mWanted;
            ++mActive;
            const std::function<void(std::size_t)> &body = *mBody;
            const std::size_t count = mCount;
            lock.unlock();
            drain(body, count, mNext);
            lock.lock();
            if (--mActive == 0)
                mDone.notify_all();
        }
    }

    std::mutex mJobLock; // held by the caller whose loop the pool runs
    std::mutex mMutex; // guards everything below but mNext
    std::condition_variable mWake, mDone;
    std::vector<std::thread> mThreads;
    const std::function<void(std::size_t)> *mBody = nullptr;
    std::size_t mCount = 0;
    std::atomic<std::size_t> mNext{0};
    std::atomic<std::uint64_t> mGeneration{0}; // changed under mMutex, polled without it
    std::size_t mWanted = 0; // helpers that may still join the current loop
    std::atomic<std::size_t> mActive{0}; // helpers inside it: changed under mMutex, polled without it
    bool mStopping = false;
    // Some 0.05 to 0.2 ms of polling (a pause takes some 40 to 140 cycles).
    static constexpr int kPollRounds = 4000;
};

// Starts threads - 1 threads for this loop alone and joins them.
void runOnNewThreads(std::size_t count, std::size_t threads, const std::function<void(std::size_t)> &body)
{
    std::atomic<std::size_t> next{0};
    const auto work = [&] { drain(body, count, next); };
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t)
        workers.emplace_back(work);
    work();
    for (auto &worker : workers)
        worker.join();
}

} // namespace

void parallelFor(std::size_t count, const std::function<void(std::size_t)> &body)
{
    const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(workerCount()), count);
    if (threads <= 1 || tSerialLoops) {
        for (std::size_t i = 0; i < count; ++i)
            body(i);
        return;
    }
    if (!WorkerPool::instance().tryRun(count, threads - 1, body))
        runOnNewThreads(count, threads, body);
}

} // namespace plumb
