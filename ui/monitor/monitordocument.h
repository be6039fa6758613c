#pragma once

#include "monitor/monitoringrun.h"
#include "ui/common/backgroundjob.h"
#include "ui/models/modeldocument.h"

#include <QObject>

#include <memory>

namespace plumb::ui {

// What the Monitor view compares: a model file and its current data (MonitoringSource: batches,
// one window each or windowed by a timestamp column, or the scoring service's prediction log).
// The view's periods default to months.
struct MonitorSource : MonitoringSource
{
    MonitorSource() { period = WindowPeriod::Month; }
    QString modelPath;
};

// The model as the Models view shows it (signature, file) and the data read for it.
struct MonitorData : MonitoringData
{
    LoadedModelPtr model;
};

// One computed view (MonitoringResult) and the data it was computed on.
struct MonitorResult : MonitoringResult
{
    std::shared_ptr<const MonitorData> data;
};

using MonitorResultPtr = std::shared_ptr<const MonitorResult>;

// Reads the model and its current data (readMonitoringData). Fails naming the file, or the
// missing timestamp column. Safe on any thread.
Result<std::shared_ptr<const MonitorData>> loadMonitorData(const MonitorSource &source, const QString &keyringDirectory,
                                                           ProgressSink &progress);
// computeMonitoring on `data` under `settings` (the model's first validation metric), reusing
// `performance` when given (kept from an earlier computation on the same data).
Result<MonitorResultPtr> computeMonitor(std::shared_ptr<const MonitorData> data, const DriftSettings &settings,
                                        std::optional<PerformanceReport> performance, ProgressSink &progress);

// The Monitor view's document: loads and computes on a worker thread (QtConcurrent) with a
// ProgressTracker the view shows and can cancel. One job at a time; a finished job replaces the
// result, a failed or cancelled one leaves the previous result in place.
class MonitorDocument : public QObject
{
    Q_OBJECT

public:
    explicit MonitorDocument(QObject *parent = nullptr);

    // Reads `source` and computes everything. False, doing nothing, while busy.
    bool compute(const MonitorSource &source, const DriftSettings &settings);
    // Recomputes the drift report on the data already read, with new settings (the performance
    // does not depend on them and is kept). False while busy or before a result exists.
    bool recompute(const DriftSettings &settings);
    void cancel();

    bool isBusy() const;
    std::shared_ptr<const ProgressTracker> progress() const { return mJob.progress(); }
    MonitorResultPtr result() const { return mResult; }
    const MonitorSource &source() const { return mSource; }
    QString keyringDirectory() const { return mKeyringDirectory; }

signals:
    void busyChanged(bool busy);
    void computed();
    void failed(const QString &message);
    void cancelled();

private:
    void start(std::function<Result<MonitorResultPtr>(ProgressSink &)> work);
    void finish(const Result<MonitorResultPtr> &outcome);

    MonitorSource mSource;
    QString mKeyringDirectory;
    MonitorResultPtr mResult;
    BackgroundJob<Result<MonitorResultPtr>> mJob{this};
};

} // namespace plumb::ui
