#pragma once

#include "artifact/modelartifact.h"
#include "artifact/openedmodel.h"
#include "base/progress.h"
#include "base/result.h"
#include "data/csvreader.h"
#include "monitor/driftreport.h"
#include "monitor/performancedecay.h"
#include "monitor/predictiondrift.h"
#include "monitor/retraining.h"
#include "monitor/servicehistory.h"
#include "monitor/timewindows.h"

#include <QJsonObject>

#include <deque>
#include <memory>

namespace plumb {

// The monitoring workflow, once for every front end (`plumb drift`, `plumb retrain`, the Monitor
// view): read a model's current data into windows, compute the report (feature drift, prediction
// drift, performance where labels exist, the service's health from a prediction log), and write
// it as one versioned JSON document.

// Where the current data comes from: CSV/TSV files, one window each, or (with a timestamp column)
// the files' rows as one timeline windowed by a calendar period; or the scoring service's
// prediction log (a SQLite file or a PostgreSQL URL), windowed by `period` on when each request
// was received, in which case `batches` is not read.
struct MonitoringSource
{
    struct Batch
    {
        QString label; // the window's name; empty: the file's name without its extension
        QString path;
    };
    std::vector<Batch> batches;
    QString timestampColumn; // empty: one window per file
    WindowPeriod period = WindowPeriod::Day;
    QString log;
    // How to read the files. The model's features and target are read as the model types them
    // (as `plumb predict` reads its input) unless typeOverrides names them.
    CsvOptions csv;
};

// The model and its current data, read once and kept while only the settings change.
struct MonitoringData
{
    QString modelPath; // absolute
    std::shared_ptr<const ModelArtifact> artifact;
    std::vector<ColumnProfile> profiles; // the model's reference profile
    MonitoringSource source;
    std::deque<Dataset> datasets; // stable addresses: the windows point into them
    std::vector<DriftWindowInput> windows;
    std::optional<ServiceHistory> service; // read from a prediction log, by the same periods
    QStringList warnings; // the profile, the files, rows left out
};

// Sets the model side of `data`: the opened model's artifact (decoded, with its pipeline), its
// absolute path and its parsed reference profile; the profile's parts that did not read are kept
// as warnings naming the model file (the model still scores; those columns have no reference).
void setMonitoredModel(MonitoringData &data, std::shared_ptr<const OpenedModel> model);

// Reads `source` into `data`'s windows (the model must be set). Files are read with the model's
// column types, so a categorical column that holds only numbers in a batch stays categorical.
// Fails naming the file, a missing or non-datetime timestamp column, an unreadable log, or when
// cancelled.
std::optional<Error> readMonitoringData(MonitoringData &data, const MonitoringSource &source,
                                        ProgressSink &progress = nullProgress());

// The rows of one file read as the monitored model reads them: its features and target typed as
// the pipeline types them (where the file has them), the other columns inferred; `csv`'s own
// typeOverrides win. Fails with the reader's message.
Result<Dataset> readWithModelTypes(const QString &path, const Pipeline &pipeline, const CsvOptions &csv,
                                   ProgressSink &progress = nullProgress());

struct MonitoringSettings
{
    DriftSettings drift;
    // The metric the performance follows where the data has labels; empty: the first the
    // model's validation reported (none when it reported none).
    QString metric;
};

// One computed report. A prediction-drift failure does not fail the report: it is named in
// predictionsError and the rest stands.
struct MonitoringResult
{
    DriftSettings settings;
    DriftReport report;
    std::optional<PredictionDrift> predictions;
    QString predictionsError; // why there are none
    std::optional<PerformanceReport> performance; // only where the current data has the target column
};

// Computes everything for `data`: the drift report, the prediction drift against the first
// max(settings.drift.baselineWindows, 1) windows, and the performance where the data has the
// target. `kept`, when given, is the performance of an earlier computation on the same data (it
// does not depend on the settings) and is reused. Fails when the drift report fails (a column of
// the profile missing from a window), the metric is not one the model's validation reported, or
// when cancelled.
Result<MonitoringResult> computeMonitoring(const MonitoringData &data, const MonitoringSettings &settings,
                                           const PerformanceReport *kept = nullptr, ProgressSink &progress = nullProgress());

// The version of the JSON report below; bumped when a key changes meaning or disappears.
inline constexpr int kMonitoringReportSchemaVersion = 1;

// The report as JSON, the one document `plumb drift --json` prints and the Monitor view exports
// (README.md, "Drift", documents every key):
// {schema_version, model: {file, name, digest}, source: {files, log, timestamp, period},
//  columns, thresholds, dataset_drift_share, windows, not_scored, alerts (DriftReport::toJson),
//  prediction_drift: {...} | {error}, performance: {...} | null, service: {...} | null,
//  retraining: {proposed, reason}, warnings}
QJsonObject monitoringReportJson(const MonitoringData &data, const MonitoringResult &result);

} // namespace plumb
