#include "ui/common/progresstracker.h"

#include <QMutexLocker>

#include <algorithm>

namespace plumb::ui {

void ProgressTracker::setProgress(double fraction, const QString &stage)
{
    mFraction.store(std::clamp(fraction, 0.0, 1.0), std::memory_order_relaxed);
    QMutexLocker lock(&mStageMutex);
    if (mStage != stage)
        mStage = stage;
}

bool ProgressTracker::isCancelled() const
{
    return mCancelled.load(std::memory_order_relaxed);
}

void ProgressTracker::cancel()
{
    mCancelled.store(true, std::memory_order_relaxed);
}

double ProgressTracker::fraction() const
{
    return mFraction.load(std::memory_order_relaxed);
}

QString ProgressTracker::stage() const
{
    QMutexLocker lock(&mStageMutex);
    return mStage;
}

} // namespace plumb::ui
