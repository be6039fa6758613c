#pragma once

#include <QString>

#include <atomic>

namespace plumb {

// Receives progress from long work and tells it when to stop.
// Core calls both methods from worker threads: implementations must be thread-safe.
class ProgressSink
{
public:
    virtual ~ProgressSink();

    // `fraction` runs from 0 to 1 over the whole operation; `stage` names the current step.
    virtual void setProgress(double fraction, const QString &stage) = 0;
    // Polled between units of work; once true, the operation returns Error::cancelled() soon.
    virtual bool isCancelled() const = 0;
};

// A sink that ignores progress and cancels when cancel() is called; usable from any thread.
class CancelFlag final : public ProgressSink
{
public:
    void setProgress(double, const QString &) override { }
    bool isCancelled() const override { return mCancelled.load(std::memory_order_relaxed); }
    void cancel() { mCancelled.store(true, std::memory_order_relaxed); }

private:
    std::atomic<bool> mCancelled{false};
};

// Maps a sub-task's 0..1 progress onto [from, to] of a parent sink; cancellation passes through.
class ProgressRange final : public ProgressSink
{
public:
    ProgressRange(ProgressSink &parent, double from, double to) : mParent(parent), mFrom(from), mTo(to) { }
    void setProgress(double fraction, const QString &stage) override
    {
        mParent.setProgress(mFrom + (mTo - mFrom) * fraction, stage);
    }
    bool isCancelled() const override { return mParent.isCancelled(); }

private:
    ProgressSink &mParent;
    double mFrom, mTo;
};

// Sink used when the caller passes none.
ProgressSink &nullProgress();

} // namespace plumb
