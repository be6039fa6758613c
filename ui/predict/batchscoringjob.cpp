#include "ui/predict/batchscoringjob.h"

#include "serve/batchsink.h"

#include "ui/common/backgroundpool.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QtConcurrent>

namespace plumb::ui {

namespace {

BatchOptions batchOptions(const LoadedModel &model)
{
    BatchOptions options;
    options.positionalFeatures = model.metadata().imported.positionalFeatures;
    return options;
}

Result<std::shared_ptr<BatchResult>> scoreFile(const LoadedModelPtr &model, const QString &csvPath, ProgressTracker &tracker)
{
    auto result = std::make_shared<BatchResult>();
    result->model = model;
    result->inputPath = csvPath;
    QFile input(csvPath);
    if (!input.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot open %1: %2").arg(csvPath, input.errorString()));
    TableSink table(BatchResult::kMaxProblems);
    Result<BatchSummary> summary
        = BatchScorer(model->pipeline(), batchOptions(*model)).run(input, QFileInfo(csvPath).fileName(), table, tracker);
    if (!summary)
        return summary.error();
    result->summary = summary.value();
    result->table = std::make_shared<const Dataset>(table.takeTable());
    for (RefusedRow &refused : table.takeRefused())
        result->problems.push_back({qint64(refused.line), std::move(refused.reason)});
    return result;
}

// The scored CSV of `result`'s input, as `plumb predict` writes it, into `to`.
std::optional<Error> exportScored(const std::shared_ptr<const BatchResult> &result, const QString &to)
{
    QFile input(result->inputPath);
    if (!input.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(result->inputPath, input.errorString()));
    QSaveFile target(to);
    if (!target.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(to, target.errorString()));
    Result<BatchSummary> summary = BatchScorer(result->model->pipeline(), batchOptions(*result->model))
                                       .run(input, QFileInfo(result->inputPath).fileName(), target, nullptr);
    if (!summary)
        return summary.error();
    if (!target.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(to, target.errorString()));
    return std::nullopt;
}

} // namespace

BatchScoringJob::BatchScoringJob(QObject *parent) : QObject(parent)
{
}

bool BatchScoringJob::isBusy() const
{
    return mScoring.isRunning() || mExporting.isRunning();
}

bool BatchScoringJob::start(LoadedModelPtr model, const QString &csvPath)
{
    if (isBusy() || !model)
        return false;
    // BackgroundJob keeps no copy of a delivered result, so `previous` is the last owner and the
    // old table is freed on a worker, not here.
    std::shared_ptr<const BatchResult> previous = std::exchange(mResult, nullptr);
    mScoring.start([model, csvPath](ProgressTracker &progress) { return scoreFile(model, csvPath, progress); },
                   [this](Result<std::shared_ptr<BatchResult>> outcome) { onScored(std::move(outcome)); },
                   [this] { onScored(Error::cancelled()); });
    discardInBackground(std::move(previous));
    emit busyChanged(true);
    return true;
}

void BatchScoringJob::discardInBackground(std::shared_ptr<const BatchResult> result)
{
    // A million rows are hundreds of MB of table: freeing it took tens of milliseconds on the GUI
    // thread.
    if (result)
        (void)QtConcurrent::run(backgroundPool(), [result = std::move(result)]() mutable { result.reset(); });
}

void BatchScoringJob::cancel()
{
    mScoring.cancel();
}

void BatchScoringJob::onScored(Result<std::shared_ptr<BatchResult>> outcome)
{
    emit busyChanged(false);
    if (!outcome) {
        mResult.reset();
        const bool cancelled = outcome.error().isCancelled();
        emit finished(false, cancelled, cancelled ? QStringLiteral("Scoring cancelled.") : outcome.error().message);
        return;
    }
    mResult = std::move(outcome).value();
    emit finished(true, false, {});
}

bool BatchScoringJob::exportTo(const QString &path)
{
    if (isBusy() || !mResult)
        return false;
    mExporting.start([result = mResult, path](ProgressTracker &) { return exportScored(result, path); },
                     [this](const std::optional<Error> &error) { onExported(error); });
    emit busyChanged(true);
    return true;
}

void BatchScoringJob::onExported(const std::optional<Error> &error)
{
    emit busyChanged(false);
    emit exportFinished(!error, error ? error->message : QString());
}

} // namespace plumb::ui
