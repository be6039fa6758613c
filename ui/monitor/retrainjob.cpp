#include "ui/monitor/retrainjob.h"

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
}

bool RetrainJob::isBusy() const
{
    return mRetraining.isRunning() || mSaving.isRunning();
}

std::shared_ptr<const ProgressTracker> RetrainJob::tracker() const
{
    return mSaving.isRunning() ? mSaving.progress() : mRetraining.progress();
}

bool RetrainJob::start(const RetrainRequest &request)
{
    if (isBusy())
        return false;
    mRetraining.start([request](ProgressTracker &progress) { return runRetraining(request, progress); },
                      [this](const Result<RetrainRunPtr> &outcome) { finishRetraining(outcome); },
                      [this] {
                          emit busyChanged(false);
                          emit cancelled();
                      });
    emit busyChanged(true);
    return true;
}

bool RetrainJob::save(const QString &parentPath, const QString &path, bool overwrite, const QString &keyringDirectory)
{
    if (isBusy() || !mRun)
        return false;
    mSavingPath = path;
    mSaving.start([run = mRun, parentPath, path, overwrite, keyringDirectory](
                      ProgressTracker &) { return saveRetrained(*run, parentPath, path, overwrite, keyringDirectory); },
                  [this](const SavedModel &outcome) { finishSave(outcome); });
    emit busyChanged(true);
    return true;
}

void RetrainJob::cancel()
{
    // A save is not cancelled: once it runs, the file it writes is reported.
    mRetraining.cancel();
}

void RetrainJob::finishRetraining(const Result<RetrainRunPtr> &outcome)
{
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

void RetrainJob::finishSave(const SavedModel &outcome)
{
    emit busyChanged(false);
    if (!outcome) {
        emit failed(QStringLiteral("The new model was not saved: %1").arg(outcome.error().message));
        return;
    }
    mSaved = outcome.value();
    emit savedAs(mSavingPath);
}

} // namespace plumb::ui
