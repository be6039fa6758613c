#include "ui/retrainjob.h"

#include "artifact/modelartifact.h"
#include "base/sha256.h"
#include "ui/backgroundpool.h"
#include "ui/progresstracker.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <numeric>

namespace plumb::ui {

namespace {

// Appends `window`'s rows to `table` (the first window's rows become the table).
std::optional<Error> appendWindow(Dataset &table, bool first, const DriftWindowInput &window)
{
    std::vector<std::size_t> all;
    if (window.rows.empty()) { // a window of a whole file
        all.resize(window.data->rowCount());
        std::iota(all.begin(), all.end(), std::size_t(0));
    }
    Dataset rows = window.data->selectRows(window.rows.empty() ? all : window.rows);
    if (first) {
        table = std::move(rows);
        return std::nullopt;
    }
    if (std::optional<Error> error = table.appendRows(rows))
        return Error::invalid(QStringLiteral("%1: %2").arg(window.label, error->message));
    return std::nullopt;
}

// The files the training rows come from: the training windows' own files, or every file when
// the windows are periods of one timeline.
QStringList trainingFiles(const RetrainRequest &request)
{
    QStringList files;
    if (!request.source.timestampColumn.isEmpty()) {
        for (const MonitorSource::Batch &batch : request.source.batches)
            files.append(batch.path);
        return files;
    }
    for (std::size_t window : request.trainingWindows)
        if (window < request.source.batches.size())
            files.append(request.source.batches[window].path);
    return files;
}

void describeSource(ModelMetadata &metadata, const QStringList &files)
{
    QStringList names;
    for (const QString &path : files)
        names.append(QFileInfo(path).fileName());
    metadata.sourceFile = names.join(QLatin1String(", "));
    const Result<QString> digest = filesSha256Hex(files); // as `cat FILES... | sha256sum`
    metadata.sourceSha256 = digest ? digest.value() : QString();
}

} // namespace

std::vector<std::size_t> labelledWindows(const MonitorResult &result)
{
    std::vector<std::size_t> windows;
    if (!result.performance)
        return windows;
    for (std::size_t w = 0; w < result.performance->windows.size(); ++w)
        if (result.performance->windows[w].error.isEmpty() && result.performance->windows[w].rows > 0)
            windows.push_back(w);
    return windows;
}

Result<RetrainRunPtr> runRetraining(const RetrainRequest &request, ProgressSink &progress)
{
    const std::vector<DriftWindowInput> &windows = request.data->windows;
    if (request.trainingWindows.empty())
        return Error::invalid(QStringLiteral("choose at least one window to train on"));
    const std::size_t newest = windows.size() - 1;
    for (std::size_t window : request.trainingWindows)
        if (window >= newest)
            return Error::invalid(QStringLiteral("the newest window validates the new model and cannot also train it"));
    progress.setProgress(0.0, QStringLiteral("Gathering the chosen windows"));
    Dataset table;
    for (std::size_t i = 0; i < request.trainingWindows.size(); ++i)
        if (std::optional<Error> error = appendWindow(table, i == 0, windows[request.trainingWindows[i]]))
            return *error;
    const std::size_t trainingRows = table.rowCount();
    if (std::optional<Error> error = appendWindow(table, false, windows[newest]))
        return *error;
    RetrainingPlan plan;
    plan.data = &table;
    plan.validationLabel = windows[newest].label;
    plan.reason = request.reason.trimmed();
    for (std::size_t row = 0; row < table.rowCount(); ++row)
        (row < trainingRows ? plan.trainingRows : plan.validationRows).push_back(row);
    ProgressRange fitting(progress, 0.05, 0.95);
    Result<RetrainingOutcome> outcome = retrain(request.data->model->artifact, plan, fitting);
    if (!outcome)
        return outcome.error();
    ModelMetadata metadata = retrainedMetadata(request.data->model->artifact, plan, outcome.value());
    describeSource(metadata, trainingFiles(request));
    auto run = std::make_shared<RetrainRun>(RetrainRun{std::move(table), std::move(plan), std::move(outcome).value(), std::move(metadata)});
    run->plan.data = &run->table; // the table moved
    progress.setProgress(1.0, QStringLiteral("Retrained"));
    return RetrainRunPtr(std::move(run));
}

SavedModel saveRetrained(const RetrainRun &run, const QString &parentPath, const QString &path, bool overwrite,
                         const QString &keyringDirectory)
{
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(parentPath).absoluteFilePath())
        return Error::invalid(QStringLiteral("the new model must not replace the current one; choose another file"));
    const Dataset training = run.table.selectRows(run.plan.trainingRows);
    const QJsonArray profile = referenceProfile(training, run.outcome.candidate);
    if (std::optional<Error> error = saveModelArtifact(path, run.outcome.candidate, run.metadata, profile, overwrite))
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
    mRetrainWatcher.setFuture(QtConcurrent::run(backgroundPool(), [request, tracker = mTracker] {
        return runRetraining(request, *tracker);
    }));
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
