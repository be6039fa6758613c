#include "ui/monitordocument.h"

#include "data/csvreader.h"
#include "serve/predictionlog.h"
#include "ui/backgroundpool.h"
#include "ui/progresstracker.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace plumb::ui {

namespace {

// The batches read with the types the model's profile recorded, so that a column inferred
// differently in a small file (a category that looks numeric) still compares.
CsvOptions optionsFor(const LoadedModel &model)
{
    CsvOptions options;
    for (const ColumnProfile &profile : model.profiles)
        options.typeOverrides.insert(profile.name, profile.type);
    return options;
}

Result<std::vector<DriftWindowInput>> windowsByTimestamp(const Dataset &data, const MonitorSource &source, QStringList &warnings)
{
    const std::optional<std::size_t> index = data.indexOf(source.timestampColumn);
    if (!index)
        return Error::invalid(QStringLiteral("the batches have no column \"%1\"").arg(source.timestampColumn));
    const Column &column = data.column(*index);
    if (column.type() != ColumnType::Datetime)
        return Error::invalid(QStringLiteral("column \"%1\" is %2, not datetime").arg(source.timestampColumn, columnTypeName(column.type())));
    std::size_t missing = 0;
    Result<std::vector<TimeWindow>> windows = windowsByPeriod(column.numbers(), source.period, missing);
    if (!windows)
        return windows.error();
    if (missing)
        warnings.append(QStringLiteral("%1 rows without a timestamp are left out").arg(missing));
    std::vector<DriftWindowInput> inputs;
    for (TimeWindow &window : windows.value())
        inputs.push_back({window.label, window.start, window.end, &data, std::move(window.rows)});
    return inputs;
}

// The validation metric the model reported first, as the baseline of the performance chart.
std::optional<PerformanceSettings> performanceSettings(const ModelMetadata &metadata)
{
    if (metadata.metrics.empty())
        return std::nullopt;
    PerformanceSettings settings;
    settings.metric = metadata.metrics.front().first;
    settings.baseline = metadata.metrics.front().second;
    settings.seed = metadata.seed;
    return settings;
}

// The rows the service scored, windowed by when it received them, and its requests by the same
// periods.
std::optional<Error> readLog(MonitorData &data, const MonitorSource &source)
{
    Result<LoggedInputs> logged = readLoggedInputs(source.log, data.model->pipeline());
    if (!logged)
        return logged.error();
    data.warnings += logged.warnings();
    data.datasets.push_back(std::move(logged.value().data));
    MonitorSource timeline = source;
    timeline.timestampColumn = logged.value().timestampColumn;
    Result<std::vector<DriftWindowInput>> windows = windowsByTimestamp(data.datasets.front(), timeline, data.warnings);
    if (!windows)
        return windows.error();
    data.windows = std::move(windows).value();
    Result<std::vector<ServiceRequest>> requests = readServiceRequests(source.log);
    if (!requests)
        return requests.error();
    Result<ServiceHistory> service = serviceHistoryByPeriod(requests.value(), source.period);
    if (!service)
        return service.error();
    data.service = std::move(service).value();
    return std::nullopt;
}

} // namespace

Result<std::shared_ptr<const MonitorData>> loadMonitorData(const MonitorSource &source, const QString &keyringDirectory,
                                                           ProgressSink &progress)
{
    if (source.batches.empty() && source.log.isEmpty())
        return Error::invalid(QStringLiteral("no production batches to compare"));
    Result<LoadedModelPtr> model = readModel(source.modelPath, keyringDirectory);
    if (!model)
        return model.error();
    auto data = std::make_shared<MonitorData>();
    data->model = model.value();
    data->warnings = data->model->warnings;
    if (!source.log.isEmpty()) {
        progress.setProgress(0.1, QStringLiteral("Reading the prediction log"));
        if (std::optional<Error> error = readLog(*data, source))
            return *error;
        return std::shared_ptr<const MonitorData>(std::move(data));
    }
    const CsvOptions options = optionsFor(*data->model);
    const bool timeline = !source.timestampColumn.isEmpty();
    for (std::size_t b = 0; b < source.batches.size(); ++b) {
        const MonitorSource::Batch &batch = source.batches[b];
        ProgressRange range(progress, double(b) / double(source.batches.size()), double(b + 1) / double(source.batches.size()));
        Result<Dataset> read = CsvReader::readFile(batch.path, options, range);
        if (!read)
            return read.error();
        for (const QString &warning : read.warnings())
            data->warnings.append(QStringLiteral("%1: %2").arg(QFileInfo(batch.path).fileName(), warning));
        if (timeline && !data->datasets.empty()) {
            if (const std::optional<Error> error = data->datasets.front().appendRows(read.value()))
                return Error::invalid(QStringLiteral("%1: %2").arg(QFileInfo(batch.path).fileName(), error->message));
            continue;
        }
        data->datasets.push_back(std::move(read).value());
        if (!timeline) {
            const QString label = batch.label.isEmpty() ? QFileInfo(batch.path).completeBaseName() : batch.label;
            data->windows.push_back({label, NAN, NAN, &data->datasets.back(), {}});
        }
    }
    if (timeline) {
        Result<std::vector<DriftWindowInput>> windows = windowsByTimestamp(data->datasets.front(), source, data->warnings);
        if (!windows)
            return windows.error();
        data->windows = std::move(windows).value();
    }
    return std::shared_ptr<const MonitorData>(std::move(data));
}

Result<MonitorResultPtr> computeMonitor(std::shared_ptr<const MonitorData> data, const DriftSettings &settings,
                                        std::optional<PerformanceReport> performance, ProgressSink &progress)
{
    const LoadedModel &model = *data->model;
    const double reportEnd = performance ? 0.7 : 0.4, predictionsEnd = performance ? 1.0 : 0.6;
    ProgressRange driftRange(progress, 0.0, reportEnd);
    Result<DriftReport> report = computeDriftReport(model.profiles, data->windows, settings, driftRange);
    if (!report)
        return report.error();
    auto result = std::make_shared<MonitorResult>();
    result->settings = settings;
    result->report = std::move(report).value();
    ProgressRange predictionRange(progress, reportEnd, predictionsEnd);
    Result<PredictionDrift> predictions = predictionDrift(model.pipeline(), data->windows,
                                                          std::max<std::size_t>(settings.baselineWindows, 1), predictionRange);
    if (predictions)
        result->predictions = std::move(predictions).value();
    else if (predictions.error().isCancelled())
        return predictions.error();
    else
        result->predictionsError = predictions.error().message;
    // Performance where the batches carry the target; a window without labels says so itself.
    const std::optional<PerformanceSettings> decay = performanceSettings(model.metadata());
    if (!performance && decay && data->datasets.front().indexOf(model.pipeline().target().name)) {
        ProgressRange range(progress, predictionsEnd, 1.0);
        Result<PerformanceReport> measured = performanceOverWindows(model.pipeline(), data->windows, *decay, range);
        if (!measured)
            return measured.error();
        performance = std::move(measured).value();
    }
    result->performance = std::move(performance);
    result->data = std::move(data);
    return MonitorResultPtr(std::move(result));
}

MonitorDocument::MonitorDocument(QObject *parent) : QObject(parent), mKeyringDirectory(Keyring::defaultDirectory())
{
    connect(&mWatcher, &QFutureWatcher<Result<MonitorResultPtr>>::finished, this, &MonitorDocument::finish);
}

MonitorDocument::~MonitorDocument()
{
    cancel();
    mWatcher.waitForFinished();
}

bool MonitorDocument::isBusy() const
{
    return mProgress != nullptr;
}

bool MonitorDocument::compute(const MonitorSource &source, const DriftSettings &settings)
{
    if (isBusy())
        return false;
    mSource = source;
    start([source, settings, keyring = mKeyringDirectory](ProgressSink &progress) -> Result<MonitorResultPtr> {
        ProgressRange loading(progress, 0.0, 0.4);
        Result<std::shared_ptr<const MonitorData>> data = loadMonitorData(source, keyring, loading);
        if (!data)
            return data.error();
        ProgressRange computing(progress, 0.4, 1.0);
        return computeMonitor(data.value(), settings, std::nullopt, computing);
    });
    return true;
}

bool MonitorDocument::recompute(const DriftSettings &settings)
{
    if (isBusy() || !mResult)
        return false;
    start([data = mResult->data, performance = mResult->performance, settings](ProgressSink &progress) {
        return computeMonitor(data, settings, performance, progress);
    });
    return true;
}

void MonitorDocument::cancel()
{
    if (mProgress)
        mProgress->cancel();
}

void MonitorDocument::start(std::function<Result<MonitorResultPtr>(ProgressSink &)> job)
{
    mProgress = std::make_shared<ProgressTracker>();
    emit busyChanged(true);
    mWatcher.setFuture(QtConcurrent::run(backgroundPool(), [job = std::move(job), progress = mProgress] { return job(*progress); }));
}

void MonitorDocument::finish()
{
    Result<MonitorResultPtr> outcome = mWatcher.result();
    mProgress.reset();
    emit busyChanged(false);
    if (outcome) {
        mResult = outcome.value();
        emit computed();
    } else if (outcome.error().isCancelled()) {
        emit cancelled();
    } else {
        emit failed(outcome.error().message);
    }
}

} // namespace plumb::ui
