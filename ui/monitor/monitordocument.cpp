#include "ui/monitor/monitordocument.h"

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
}

bool MonitorDocument::isBusy() const
{
    return mJob.isRunning();
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
    mJob.cancel();
}

void MonitorDocument::start(std::function<Result<MonitorResultPtr>(ProgressSink &)> work)
{
    mJob.start([work = std::move(work)](ProgressTracker &progress) { return work(progress); },
               [this](const Result<MonitorResultPtr> &outcome) { finish(outcome); },
               [this] {
                   emit busyChanged(false);
                   emit cancelled();
               });
    emit busyChanged(true);
}

void MonitorDocument::finish(const Result<MonitorResultPtr> &outcome)
{
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
