#include "ui/monitor/monitordocument.h"

#include "ui/common/backgroundpool.h"
#include "ui/common/progresstracker.h"

#include <QtConcurrent/QtConcurrentRun>

namespace plumb::ui {

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
    setMonitoredModel(*data, data->model);
    if (std::optional<Error> error = readMonitoringData(*data, source, progress))
        return *error;
    return std::shared_ptr<const MonitorData>(std::move(data));
}

Result<MonitorResultPtr> computeMonitor(std::shared_ptr<const MonitorData> data, const DriftSettings &settings,
                                        std::optional<PerformanceReport> performance, ProgressSink &progress)
{
    Result<MonitoringResult> computed = computeMonitoring(*data, {settings, QString()}, performance ? &*performance : nullptr,
                                                          progress);
    if (!computed)
        return computed.error();
    auto result = std::make_shared<MonitorResult>();
    static_cast<MonitoringResult &>(*result) = std::move(computed).value();
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
    mWatcher.setFuture(
        QtConcurrent::run(backgroundPool(), [job = std::move(job), progress = mProgress] { return job(*progress); }));
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
