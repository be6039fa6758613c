#pragma once

#include "monitor/driftreport.h"
#include "monitor/performancedecay.h"
#include "monitor/predictiondrift.h"
#include "monitor/servicehistory.h"
#include "monitor/timewindows.h"
#include "ui/modeldocument.h"

#include <QFutureWatcher>
#include <QObject>

#include <deque>
#include <memory>

namespace plumb::ui {

class ProgressTracker;

// What the Monitor view compares: a model file and production batches, one window per file, or
// (with a timestamp column) the files' rows as one timeline windowed by a calendar period, or the
// scoring service's prediction log windowed by a calendar period.
struct MonitorSource
{
    struct Batch
    {
        QString label; // shown for the window; empty: the file name
        QString path;
    };
    QString modelPath;
    std::vector<Batch> batches;
    QString timestampColumn; // empty: one window per file
    WindowPeriod period = WindowPeriod::Month;
    QString log; // a prediction log (SQLite file or PostgreSQL URL); when set, the batches are not read
};

// The model and the production data, read once and kept while only the settings change.
struct MonitorData
{
    LoadedModelPtr model;
    std::deque<Dataset> datasets; // stable addresses: the windows point into them
    std::vector<DriftWindowInput> windows;
    std::optional<ServiceHistory> service; // read from a prediction log
    QStringList warnings;
};

// One computed view: the drift report, the model's predictions per window (against the baseline
// windows, or the first), and the performance per window where the data has labels.
struct MonitorResult
{
    std::shared_ptr<const MonitorData> data;
    DriftSettings settings;
    DriftReport report;
    std::optional<PredictionDrift> predictions;
    QString predictionsError; // why there are none
    std::optional<PerformanceReport> performance;
};

using MonitorResultPtr = std::shared_ptr<const MonitorResult>;

// Reads the model and the batches (typed as the model's reference profile types them) and forms
// the windows. Fails naming the file, or the missing timestamp column. Safe on any thread.
Result<std::shared_ptr<const MonitorData>> loadMonitorData(const MonitorSource &source, const QString &keyringDirectory,
                                                           ProgressSink &progress);
// The drift report for `data` under `settings`, and the performance over the windows unless
// `performance` is given (kept from an earlier computation on the same data).
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
    // Cancels and waits for a running job.
    ~MonitorDocument() override;

    // Reads `source` and computes everything. False, doing nothing, while busy.
    bool compute(const MonitorSource &source, const DriftSettings &settings);
    // Recomputes the drift report on the data already read, with new settings (the performance
    // does not depend on them and is kept). False while busy or before a result exists.
    bool recompute(const DriftSettings &settings);
    void cancel();

    bool isBusy() const;
    std::shared_ptr<const ProgressTracker> progress() const { return mProgress; }
    MonitorResultPtr result() const { return mResult; }
    const MonitorSource &source() const { return mSource; }
    QString keyringDirectory() const { return mKeyringDirectory; }

signals:
    void busyChanged(bool busy);
    void computed();
    void failed(const QString &message);
    void cancelled();

private:
    void start(std::function<Result<MonitorResultPtr>(ProgressSink &)> job);
    void finish();

    MonitorSource mSource;
    QString mKeyringDirectory;
    MonitorResultPtr mResult;
    std::shared_ptr<ProgressTracker> mProgress;
    QFutureWatcher<Result<MonitorResultPtr>> mWatcher;
};

} // namespace plumb::ui
