#include "ui/predict/batchscoringjob.h"

#include "data/csvreader.h"
#include "ui/common/backgroundpool.h"
#include "ui/common/progresstracker.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>
#include <QtConcurrent>

namespace plumb::ui {

namespace {

// The scorer's rejects ("line,reason" CSV with a header) as problems, the first kMaxProblems.
std::vector<BatchProblem> readProblems(const QByteArray &rejects)
{
    std::vector<BatchProblem> problems;
    if (rejects.count('\n') < 2)
        return problems;
    Result<Dataset> table = CsvReader::readBytes(rejects, QStringLiteral("rejects"));
    if (!table || table.value().columnCount() < 2)
        return problems;
    const Column &line = table.value().column(0);
    const Column &reason = table.value().column(1);
    const std::size_t count = std::min<std::size_t>(line.size(), BatchResult::kMaxProblems);
    for (std::size_t row = 0; row < count; ++row)
        problems.push_back({qint64(line.numbers()[row]), reason.displayText(row)});
    return problems;
}

// The scored file as a table, columns named as written. With no scored row there is only a header.
Result<Dataset> readScored(const QString &path, std::uint64_t rows, ProgressSink &progress)
{
    if (rows > 0)
        return CsvReader::readFile(path, {}, progress);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1").arg(path));
    Dataset empty;
    for (const QByteArray &name : file.readLine().trimmed().split(','))
        empty.addColumn(Column(QString::fromUtf8(name), ColumnType::Categorical));
    return empty;
}

Result<std::shared_ptr<BatchResult>> scoreFile(const LoadedModelPtr &model, const QString &csvPath,
                                               std::shared_ptr<QTemporaryFile> scored, ProgressTracker &tracker)
{
    auto result = std::make_shared<BatchResult>();
    result->inputPath = csvPath;
    result->scoredCsv = scored;
    QFile input(csvPath);
    if (!input.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot open %1: %2").arg(csvPath, input.errorString()));
    QFile output(scored->fileName());
    if (!output.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error::io(QStringLiteral("cannot write the scored rows to %1").arg(output.fileName()));
    QBuffer rejects;
    rejects.open(QIODevice::WriteOnly);
    plumb::ProgressRange scoring(tracker, 0.0, 0.6);
    BatchOptions options;
    options.positionalFeatures = model->metadata().imported.positionalFeatures;
    Result<BatchSummary> summary
        = BatchScorer(model->pipeline(), options).run(input, QFileInfo(csvPath).fileName(), output, &rejects, scoring);
    if (!summary)
        return summary.error();
    output.close();
    result->summary = summary.value();
    result->problems = readProblems(rejects.data());
    QElapsedTimer timer;
    timer.start();
    plumb::ProgressRange reading(tracker, 0.6, 1.0);
    reading.setProgress(0, QStringLiteral("Reading the scored rows"));
    Result<Dataset> table = readScored(scored->fileName(), result->summary.rowsScored, reading);
    if (!table)
        return table.error();
    result->table = std::make_shared<const Dataset>(std::move(table).value());
    result->readSeconds = double(timer.nsecsElapsed()) * 1e-9;
    return result;
}

std::optional<Error> copyFile(const QString &from, const QString &to)
{
    QFile source(from);
    if (!source.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the scored rows: %1").arg(source.errorString()));
    QSaveFile target(to);
    if (!target.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(to, target.errorString()));
    QByteArray block;
    while (!(block = source.read(1 << 20)).isEmpty())
        if (target.write(block) != block.size())
            return Error::io(QStringLiteral("cannot write %1: %2").arg(to, target.errorString()));
    if (!target.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(to, target.errorString()));
    return std::nullopt;
}

} // namespace

BatchScoringJob::BatchScoringJob(QObject *parent) : QObject(parent)
{
    connect(&mWatcher, &QFutureWatcherBase::finished, this, &BatchScoringJob::onScored);
    connect(&mExportWatcher, &QFutureWatcherBase::finished, this, &BatchScoringJob::onExported);
}

BatchScoringJob::~BatchScoringJob()
{
    if (mTracker)
        mTracker->cancel();
    mWatcher.waitForFinished();
    mExportWatcher.waitForFinished();
}

bool BatchScoringJob::isBusy() const
{
    return mWatcher.isRunning() || mExportWatcher.isRunning();
}

bool BatchScoringJob::start(LoadedModelPtr model, const QString &csvPath)
{
    if (isBusy() || !model)
        return false;
    auto scored = std::make_shared<QTemporaryFile>(QDir::temp().filePath(QStringLiteral("plumb-scored-XXXXXX.csv")));
    if (!scored->open()) {
        emit finished(false, false, QStringLiteral("cannot create a temporary file for the scored rows"));
        return false;
    }
    scored->close();
    // Replacing the watcher's future drops its copy of the old result, so `previous` is the last
    // owner and the old table and file are freed on a worker, not here.
    std::shared_ptr<const BatchResult> previous = std::exchange(mResult, nullptr);
    mTracker = std::make_shared<ProgressTracker>();
    mWatcher.setFuture(QtConcurrent::run(
        backgroundPool(), [model, csvPath, scored, tracker = mTracker] { return scoreFile(model, csvPath, scored, *tracker); }));
    discardInBackground(std::move(previous));
    emit busyChanged(true);
    return true;
}

void BatchScoringJob::discardInBackground(std::shared_ptr<const BatchResult> result)
{
    // A million rows are hundreds of MB of table and a scored file of hundreds of MB: freeing the
    // one and closing the unlinked other (the kernel frees its blocks then) took 70-190 ms on the
    // GUI thread.
    if (result)
        (void)QtConcurrent::run(backgroundPool(), [result = std::move(result)]() mutable { result.reset(); });
}

void BatchScoringJob::cancel()
{
    if (mTracker && mWatcher.isRunning())
        mTracker->cancel();
}

void BatchScoringJob::onScored()
{
    Result<std::shared_ptr<BatchResult>> outcome = mWatcher.result();
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
    mExportWatcher.setFuture(QtConcurrent::run(backgroundPool(), copyFile, mResult->scoredCsv->fileName(), path));
    emit busyChanged(true);
    return true;
}

void BatchScoringJob::onExported()
{
    const std::optional<Error> error = mExportWatcher.result();
    emit busyChanged(false);
    emit exportFinished(!error, error ? error->message : QString());
}

} // namespace plumb::ui
