#pragma once

#include "ui/common/backgroundpool.h"
#include "ui/common/progresstracker.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>
#include <utility>

namespace plumb::ui {

// One kind of long job of a document or view, run on backgroundPool() with its own
// ProgressTracker, its outcome handed back on the GUI thread. The GUI thread never waits on it
// (only the destructor and finishNow() do). Starting again while a job runs cancels that job and
// drops its outcome: only the latest start is delivered. A cancelled job delivers no result:
// `cancelled` runs instead. T is what the work returns (usually a Result<...>); it is copied once.
template<typename T> class BackgroundJob
{
public:
    using Work = std::function<T(ProgressTracker &progress)>;
    using Done = std::function<void(T result)>;

    // `context` (the owner) is where the callbacks run; they never run after it is destroyed.
    explicit BackgroundJob(QObject *context)
    {
        QObject::connect(&mWatcher, &QFutureWatcherBase::finished, context, [this] { deliver(); });
    }
    // Cancels a running job and waits for it: the work may refer to what its owner is destroying.
    ~BackgroundJob()
    {
        cancel();
        mWatcher.waitForFinished();
        for (QFuture<T> &replaced : mReplaced)
            replaced.waitForFinished();
    }
    BackgroundJob(const BackgroundJob &) = delete;
    BackgroundJob &operator=(const BackgroundJob &) = delete;

    // Runs `work` on the pool; `done` gets its result, or `cancelled` runs when cancel() came first.
    void start(Work work, Done done, std::function<void()> cancelled = {})
    {
        if (isRunning()) {
            // Left to stop on its own (no waiting here); the destructor waits for it.
            cancel();
            mReplaced.removeIf([](const QFuture<T> &replaced) { return replaced.isFinished(); });
            mReplaced.append(mWatcher.future());
        }
        auto tracker = std::make_shared<ProgressTracker>();
        mTracker = tracker;
        mDone = std::move(done);
        mCancelled = std::move(cancelled);
        mWatcher.setFuture(QtConcurrent::run(backgroundPool(), [work = std::move(work), tracker] { return work(*tracker); }));
    }
    // Asks the running job to stop at its next check; it delivers no result.
    void cancel()
    {
        if (mTracker)
            mTracker->cancel();
    }
    // True from start() until the outcome was delivered.
    bool isRunning() const { return mTracker != nullptr; }
    // The running job's progress (for a ProgressPanel), or null.
    std::shared_ptr<const ProgressTracker> progress() const { return mTracker; }
    // Waits for the running job and delivers its outcome now, not from the event loop: for an
    // owner that must let go of what the job reads before returning.
    void finishNow()
    {
        mWatcher.waitForFinished();
        deliver();
    }

private:
    void deliver()
    {
        // A job replaced by a later start, or delivered already by finishNow(), has no tracker left.
        if (!mTracker || !mWatcher.isFinished())
            return;
        const std::shared_ptr<ProgressTracker> tracker = std::exchange(mTracker, nullptr);
        const Done done = std::exchange(mDone, nullptr);
        const std::function<void()> cancelled = std::exchange(mCancelled, nullptr);
        T result = mWatcher.result();
        // The watcher lets go of its copy: the receiver's is then the only one, and decides where
        // a large result is freed (a scored table is freed on a worker, not on the GUI thread).
        mWatcher.setFuture(QFuture<T>());
        if (tracker->isCancelled()) {
            if (cancelled)
                cancelled();
            return;
        }
        done(std::move(result));
    }

    std::shared_ptr<ProgressTracker> mTracker;
    Done mDone;
    std::function<void()> mCancelled;
    QFutureWatcher<T> mWatcher;
    QList<QFuture<T>> mReplaced; // cancelled by a later start, maybe still running
};

} // namespace plumb::ui
