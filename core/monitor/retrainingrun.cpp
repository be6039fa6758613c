#include "monitor/retrainingrun.h"

#include "base/sha256.h"

#include <QDir>
#include <QFileInfo>

#include <numeric>

namespace plumb {

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
QStringList trainingFiles(const MonitoringSource &source, const std::vector<std::size_t> &trainingWindows)
{
    QStringList files;
    if (!source.timestampColumn.isEmpty()) {
        for (const MonitoringSource::Batch &batch : source.batches)
            files.append(batch.path);
        return files;
    }
    for (std::size_t window : trainingWindows)
        if (window < source.batches.size())
            files.append(source.batches[window].path);
    return files;
}

// Names the training files and records the digest of their bytes in order. Each file must still
// hold the bytes its rows were read from (the reader's digest), or the record would describe
// other data: a file changed since it was read fails the retraining.
std::optional<Error> describeSource(ModelMetadata &metadata, const QStringList &files, const std::deque<Dataset> &datasets)
{
    QStringList names;
    for (const QString &path : files)
        names.append(QFileInfo(path).fileName());
    metadata.sourceFile = names.join(QLatin1String(", "));
    Result<FilesDigest> digest = digestFiles(files);
    if (!digest)
        return digest.error();
    for (qsizetype i = 0; i < files.size(); ++i)
        for (const Dataset &read : datasets)
            if (read.sourcePath() == files[i] && !read.sourceSha256().isEmpty() && read.sourceSha256() != digest.value().each[i])
                return Error::io(
                    QStringLiteral("%1 changed after it was read; read the batches again before retraining").arg(files[i]));
    metadata.sourceSha256 = digest.value().combined;
    return std::nullopt;
}

} // namespace

std::vector<std::size_t> labelledWindows(const PerformanceReport *performance)
{
    std::vector<std::size_t> windows;
    if (!performance)
        return windows;
    for (std::size_t w = 0; w < performance->windows.size(); ++w)
        if (performance->windows[w].error.isEmpty() && performance->windows[w].rows > 0)
            windows.push_back(w);
    return windows;
}

Result<RetrainingRunPtr> retrainOnWindows(const MonitoringData &data, const std::vector<std::size_t> &trainingWindows,
                                          const QString &reason, ProgressSink &progress)
{
    const std::vector<DriftWindowInput> &windows = data.windows;
    if (trainingWindows.empty() || windows.size() < 2)
        return Error::invalid(QStringLiteral("no rows to retrain on: choose at least one window older than the newest"));
    const std::size_t newest = windows.size() - 1;
    for (std::size_t window : trainingWindows)
        if (window >= newest)
            return Error::invalid(QStringLiteral("the newest window validates the new model and cannot also train it"));
    progress.setProgress(0.0, QStringLiteral("Gathering the chosen windows"));
    Dataset table;
    for (std::size_t i = 0; i < trainingWindows.size(); ++i)
        if (std::optional<Error> error = appendWindow(table, i == 0, windows[trainingWindows[i]]))
            return *error;
    const std::size_t trainingRows = table.rowCount();
    if (std::optional<Error> error = appendWindow(table, false, windows[newest]))
        return *error;
    RetrainingPlan plan;
    plan.data = &table;
    plan.validationLabel = windows[newest].label;
    plan.reason = reason.trimmed();
    for (std::size_t row = 0; row < table.rowCount(); ++row)
        (row < trainingRows ? plan.trainingRows : plan.validationRows).push_back(row);
    ProgressRange fitting(progress, 0.05, 0.95);
    Result<RetrainingOutcome> outcome = retrain(*data.artifact, plan, fitting);
    if (!outcome)
        return outcome.error();
    ModelMetadata metadata = retrainedMetadata(*data.artifact, plan, outcome.value());
    if (std::optional<Error> error = describeSource(metadata, trainingFiles(data.source, trainingWindows), data.datasets))
        return *error;
    auto run = std::make_shared<RetrainingRun>(
        RetrainingRun{std::move(table), std::move(plan), std::move(outcome).value(), std::move(metadata)});
    run->plan.data = &run->table; // the table moved
    progress.setProgress(1.0, QStringLiteral("Retrained"));
    return RetrainingRunPtr(std::move(run));
}

std::optional<Error> checkRetrainedModelPath(const QString &parentPath, const QString &path)
{
    if (QFileInfo(path).absoluteFilePath() != QFileInfo(parentPath).absoluteFilePath())
        return std::nullopt;
    return Error::invalid(QStringLiteral("%1 is the model being retrained: the new model must not replace its parent; "
                                         "save it as another file")
                              .arg(QDir::toNativeSeparators(path)));
}

std::optional<Error> saveRetrainedModel(const RetrainingRun &run, const QString &parentPath, const QString &path, bool overwrite)
{
    if (std::optional<Error> refused = checkRetrainedModelPath(parentPath, path))
        return refused;
    const Dataset training = run.table.selectRows(run.plan.trainingRows);
    return saveModelArtifact(path, run.outcome.candidate, run.metadata, referenceProfile(training, run.outcome.candidate),
                             overwrite);
}

} // namespace plumb
