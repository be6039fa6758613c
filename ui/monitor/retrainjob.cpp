#include "ui/monitor/retrainjob.h"

#include "ui/common/backgroundpool.h"
#include "ui/common/progresstracker.h"

#include <QtConcurrent/QtConcurrentRun>

namespace plumb::ui {

std::vector<std::size_t> labelledWindows(const MonitorResult &result)
{
    return plumb::labelledWindows(result.performance ? &*result.performance : nullptr);
}

Result<RetrainRunPtr> runRetraining(const RetrainRequest &request, ProgressSink &progress)
{
    return retrainOnWindows(*request.data, request.trainingWindows, request.reason, progress);
}

SavedModel saveRetrained(const RetrainRun &run, const QString &parentPath, const QString &path, bool overwrite,
                         const QString &keyringDirectory)
{
    if (std::optional<Error> error = saveRetrainedModel(run, parentPath, path, overwrite))
        return *error;
    return readModel(path, keyringDirectory);
}

RetrainJob::RetrainJob(QObject *parent) : QObject(parent)
{
    connect(&mRetrainWatcher, &QFutureWatcher<Result<RetrainRunPtr>>::finished, this, &RetrainJob::finishRetraining);
    connect(&mSaveWatcher, &QFutureWatcher<SavedModel>::finished, this, &RetrainJob::finishSave);
}

RetrainJob::~RetrainJob()
{
    cancel();
    mRetrainWatcher.waitForFinished();
    mSaveWatcher.waitForFinished();
}

bool RetrainJob::isBusy() const
{
    return mTracker != nullptr;
}

bool RetrainJob::start(const RetrainRequest &request)
{
    if (isBusy())
        return false;
    mTracker = std::make_shared<ProgressTracker>();
    emit busyChanged(true);
    mRetrainWatcher.setFuture(
        QtConcurrent::run(backgroundPool(), [request, tracker = mTracker] { return runRetraining(request, *tracker); }));
    return true;
}

bool RetrainJob::save(const QString &parentPath, const QString &path, bool overwrite, const QString &keyringDirectory)
{
    if (isBusy() || !mRun)
        return false;
    mTracker = std::make_shared<ProgressTracker>();
    mSavingPath = path;
    emit busyChanged(true);
    mSaveWatcher.setFuture(QtConcurrent::run(backgroundPool(), [run = mRun, parentPath, path, overwrite, keyringDirectory] {
        return saveRetrained(*run, parentPath, path, overwrite, keyringDirectory);
    }));
    return true;
}

void RetrainJob::cancel()
{
    if (mTracker)
        mTracker->cancel();
}

void RetrainJob::finishRetraining()
{
    Result<RetrainRunPtr> outcome = mRetrainWatcher.result();
    mTracker.reset();
    emit busyChanged(false);
    if (outcome) {
        mRun = outcome.value();
        mSaved.reset();
        emit retrained();
    } else if (outcome.error().isCancelled()) {
        emit cancelled();
    } else {
        emit failed(outcome.error().message);
    }
}

void RetrainJob::finishSave()
{
    SavedModel outcome = mSaveWatcher.result();
    mTracker.reset();
    emit busyChanged(false);
    if (!outcome) {
        emit failed(QStringLiteral("The new model was not saved: %1").arg(outcome.error().message));
        return;
    }
    mSaved = outcome.value();
    emit savedAs(mSavingPath);
}

} // namespace plumb::ui
