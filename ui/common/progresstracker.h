#pragma once

#include "base/progress.h"

#include <QMutex>
#include <QString>

#include <atomic>

namespace plumb::ui {

// A ProgressSink that a worker thread writes and the GUI thread reads.
// The GUI polls fraction() and stage() on a timer instead of receiving a signal per update,
// so a core loop that reports thousands of times a second never floods the event queue.
// Every method is safe to call from any thread.
class ProgressTracker final : public ProgressSink
{
public:
    void setProgress(double fraction, const QString &stage) override;
    bool isCancelled() const override;

    void cancel();
    double fraction() const;
    QString stage() const;

private:
    std::atomic<bool> mCancelled{false};
    std::atomic<double> mFraction{0.0};
    mutable QMutex mStageMutex;
    QString mStage;
};

} // namespace plumb::ui
