#include "monitor/monitoringrun.h"

#include "base/closenames.h"
#include "data/columnnames.h"
#include "monitor/profiledrift.h"
#include "serve/predictionlog.h"

#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

// What a column is compared as: numbers, categories or times. A batch column read as another
// kind than the model's (a category whose values happen to be digits) is read again as the model's.
int kindOf(ColumnType type)
{
    switch (type) {
    case ColumnType::Categorical:
    case ColumnType::Boolean:
        return 1;
    case ColumnType::Datetime:
        return 2;
    default:
        return 0;
    }
}

Result<std::vector<DriftWindowInput>> windowsByTimestamp(const Dataset &data, const QString &timestamp, WindowPeriod period,
                                                         QStringList &warnings)
{
    const std::optional<std::size_t> index = data.indexOf(timestamp);
    if (!index)
        return Error::invalid(
            QStringLiteral("the data has no column \"%1\"%2").arg(timestamp, closeColumnsHint(data, timestamp)));
    const Column &column = data.column(*index);
    if (column.type() != ColumnType::Datetime)
        return Error::invalid(QStringLiteral("column \"%1\" is %2, not datetime").arg(timestamp, columnTypeName(column.type())));
    std::size_t missing = 0;
    Result<std::vector<TimeWindow>> windows = windowsByPeriod(column.numbers(), period, missing);
    if (!windows)
        return windows.error();
    if (missing)
        warnings.append(QStringLiteral("%1 rows without a timestamp (%2) are left out").arg(missing).arg(timestamp));
    std::vector<DriftWindowInput> inputs;
    for (TimeWindow &window : windows.value())
        inputs.push_back({window.label, window.start, window.end, &data, std::move(window.rows)});
    return inputs;
}

// The rows the service scored, windowed by when it received them, and its requests by the same
// periods.
std::optional<Error> readLog(MonitoringData &data, const MonitoringSource &source, ProgressSink &progress)
{
    progress.setProgress(0.1, QStringLiteral("Reading the prediction log"));
    Result<LoggedInputs> logged = readLoggedInputs(source.log, *data.artifact->pipeline);
    if (!logged)
        return logged.error();
    data.warnings += logged.warnings();
    data.datasets.push_back(std::move(logged.value().data));
    Result<std::vector<DriftWindowInput>> windows = windowsByTimestamp(data.datasets.front(), logged.value().timestampColumn,
                                                                       source.period, data.warnings);
    if (!windows)
        return windows.error();
    data.windows = std::move(windows).value();
    progress.setProgress(0.7, QStringLiteral("Reading the service's requests"));
    Result<std::vector<ServiceRequest>> requests = readServiceRequests(source.log);
    if (!requests)
        return requests.error();
    Result<ServiceHistory> service = serviceHistoryByPeriod(requests.value(), source.period);
    if (!service)
        return service.error();
    data.service = std::move(service).value();
    return std::nullopt;
}

std::optional<Error> readFiles(MonitoringData &data, const MonitoringSource &source, ProgressSink &progress)
{
    const bool timeline = !source.timestampColumn.isEmpty();
    for (std::size_t b = 0; b < source.batches.size(); ++b) {
        const MonitoringSource::Batch &batch = source.batches[b];
        const QString name = QFileInfo(batch.path).fileName();
        ProgressRange range(progress, double(b) / double(source.batches.size()), double(b + 1) / double(source.batches.size()));
        Result<Dataset> read = readWithModelTypes(batch.path, *data.artifact->pipeline, source.csv, range);
        if (!read)
            return read.error();
        for (const QString &warning : read.warnings())
            data.warnings.append(QStringLiteral("%1: %2").arg(name, warning));
        if (timeline && !data.datasets.empty()) {
            if (const std::optional<Error> error = data.datasets.front().appendRows(read.value()))
                return Error::invalid(QStringLiteral("%1: %2").arg(name, error->message));
            continue;
        }
        data.datasets.push_back(std::move(read).value());
        if (!timeline) {
            const QString label = batch.label.isEmpty() ? QFileInfo(batch.path).completeBaseName() : batch.label;
            data.windows.push_back({label, NAN, NAN, &data.datasets.back(), {}});
        }
    }
    if (timeline) {
        Result<std::vector<DriftWindowInput>> windows = windowsByTimestamp(data.datasets.front(), source.timestampColumn,
                                                                           source.period, data.warnings);
        if (!windows)
            return windows.error();
        data.windows = std::move(windows).value();
    }
    return std::nullopt;
}

// The metric to follow and its validation baseline: `metric`, or the model's first; none when
// the model reported none and no metric was asked for.
Result<std::optional<PerformanceSettings>> performanceSettings(const ModelMetadata &metadata, const QString &metric)
{
    if (metric.isEmpty() && metadata.metrics.empty())
        return std::optional<PerformanceSettings>();
    PerformanceSettings settings;
    settings.metric = metric.isEmpty() ? metadata.metrics.front().first : metric;
    const auto baseline = std::find_if(metadata.metrics.begin(), metadata.metrics.end(),
                                       [&](const auto &measured) { return measured.first == settings.metric; });
    if (baseline == metadata.metrics.end()) {
        QStringList names;
        for (const auto &[name, value] : metadata.metrics)
            names.append(name);
        return Error::invalid(QStringLiteral("the model's validation has no metric \"%1\"%2")
                                  .arg(settings.metric, closeNamesHint(settings.metric, names)));
    }
    settings.baseline = baseline->second;
    settings.seed = metadata.seed;
    return std::optional<PerformanceSettings>(settings);
}

QJsonValue stringOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

} // namespace

namespace {

// The model side of `data` from its parts; `profileWarnings` name the file already.
void setModelParts(MonitoringData &data, std::shared_ptr<const ModelArtifact> artifact, const QString &path,
                   std::vector<ColumnProfile> profiles, const QStringList &profileWarnings)
{
    data.modelPath = QFileInfo(path).absoluteFilePath();
    data.artifact = std::move(artifact);
    data.profiles = std::move(profiles);
    data.warnings += profileWarnings;
    if (const QString notice = approximateReferenceNotice(data.profiles); !notice.isEmpty())
        data.warnings.append(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), notice));
}

} // namespace

void setMonitoredModel(MonitoringData &data, std::shared_ptr<const OpenedModel> model)
{
    // openModelFile has parsed the profile already and said what did not read.
    setModelParts(data, std::shared_ptr<const ModelArtifact>(model, &model->artifact), model->path, model->profiles,
                  model->warnings);
}

Result<Dataset> readWithModelTypes(const QString &path, const Pipeline &pipeline, const CsvOptions &csv, ProgressSink &progress)
{
    std::vector<std::pair<QString, ColumnType>> modelTypes{{pipeline.target().name, pipeline.target().type}};
    for (const FeatureSpec &feature : pipeline.features())
        modelTypes.emplace_back(feature.name, feature.type);
    ProgressRange first(progress, 0.0, 1.0);
    Result<Dataset> read = CsvReader::readFile(path, csv, first);
    if (!read)
        return read;
    CsvOptions typed = csv;
    for (const auto &[name, type] : modelTypes) {
        const std::optional<std::size_t> index = read.value().indexOf(name);
        if (index && !csv.typeOverrides.contains(name) && kindOf(read.value().column(*index).type()) != kindOf(type))
            typed.typeOverrides.insert(name, type);
    }
    if (typed.typeOverrides.size() == csv.typeOverrides.size())
        return read;
    return CsvReader::readFile(path, typed, progress); // rare: a small batch whose values look like another type
}

std::optional<Error> readMonitoringData(MonitoringData &data, const MonitoringSource &source, ProgressSink &progress)
{
    if (!data.artifact || !data.artifact->pipeline)
        return Error::invalid(QStringLiteral("no model to monitor"));
    if (source.batches.empty() && source.log.isEmpty())
        return Error::invalid(QStringLiteral("no current data to compare with the model"));
    data.source = source;
    std::optional<Error> error = source.log.isEmpty() ? readFiles(data, source, progress) : readLog(data, source, progress);
    if (!error && data.windows.empty())
        return Error::invalid(QStringLiteral("the current data forms no window"));
    return error;
}

Result<MonitoringResult> computeMonitoring(const MonitoringData &data, const MonitoringSettings &settings,
                                           const PerformanceReport *kept, ProgressSink &progress)
{
    const Pipeline &pipeline = *data.artifact->pipeline;
    Result<std::optional<PerformanceSettings>> decay = performanceSettings(data.artifact->metadata, settings.metric);
    if (!decay)
        return decay.error();
    const bool labelled = !data.datasets.empty() && data.datasets.front().indexOf(pipeline.target().name);
    const bool measure = !kept && labelled && decay.value();
    const double reportEnd = measure ? 0.4 : 0.7, predictionsEnd = measure ? 0.6 : 1.0;
    ProgressRange driftRange(progress, 0.0, reportEnd);
    Result<DriftReport> report = computeDriftReport(data.profiles, data.windows, settings.drift, driftRange);
    if (!report)
        return report.error();
    MonitoringResult result;
    result.settings = settings.drift;
    result.report = std::move(report).value();
    ProgressRange predictionRange(progress, reportEnd, predictionsEnd);
    Result<PredictionDrift> predictions = predictionDrift(
        pipeline, data.windows, std::max<std::size_t>(settings.drift.baselineWindows, 1), predictionRange);
    if (predictions)
        result.predictions = std::move(predictions).value();
    else if (predictions.error().isCancelled())
        return predictions.error();
    else
        result.predictionsError = predictions.error().message;
    if (kept) {
        result.performance = *kept;
    } else if (measure) {
        // A window without labels says so in its own entry.
        ProgressRange range(progress, predictionsEnd, 1.0);
        Result<PerformanceReport> measured = performanceOverWindows(pipeline, data.windows, *decay.value(), range);
        if (!measured)
            return measured.error();
        result.performance = std::move(measured).value();
    }
    return result;
}

QJsonObject monitoringReportJson(const MonitoringData &data, const MonitoringResult &result)
{
    QJsonObject json = result.report.toJson();
    json.insert(QStringLiteral("schema_version"), kMonitoringReportSchemaVersion);
    json.insert(QStringLiteral("model"),
                QJsonObject{{QStringLiteral("file"), data.modelPath},
                            {QStringLiteral("name"), data.artifact->metadata.name},
                            {QStringLiteral("digest"), data.artifact->digest}});
    QJsonArray files;
    if (data.source.log.isEmpty())
        for (const MonitoringSource::Batch &batch : data.source.batches)
            files.append(QFileInfo(batch.path).absoluteFilePath());
    const bool byPeriod = !data.source.log.isEmpty() || !data.source.timestampColumn.isEmpty();
    json.insert(
        QStringLiteral("source"),
        QJsonObject{{QStringLiteral("files"), files},
                    {QStringLiteral("log"), stringOrNull(data.source.log)},
                    {QStringLiteral("timestamp"), stringOrNull(data.source.timestampColumn)},
                    {QStringLiteral("period"), byPeriod ? QJsonValue(windowPeriodName(data.source.period)) : QJsonValue()}});
    json.insert(QStringLiteral("prediction_drift"),
                result.predictions ? result.predictions->toJson()
                                   : QJsonObject{{QStringLiteral("error"), result.predictionsError}});
    json.insert(QStringLiteral("performance"), result.performance ? QJsonValue(result.performance->toJson()) : QJsonValue());
    json.insert(QStringLiteral("service"), data.service ? QJsonValue(data.service->toJson()) : QJsonValue());
    const RetrainingProposal proposal = proposeRetraining(result.report, result.performance ? &*result.performance : nullptr);
    json.insert(QStringLiteral("retraining"),
                QJsonObject{{QStringLiteral("proposed"), proposal.proposed}, {QStringLiteral("reason"), proposal.reason}});
    json.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(data.warnings));
    return json;
}

} // namespace plumb
