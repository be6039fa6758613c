#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "learn/pipeline.h"
#include "monitor/driftreport.h"

#include <QJsonObject>

namespace plumb {

// A model's quality window by window where the current data has labels, against the baseline its
// validation measured: the drop that drift alone cannot show (concept drift).

struct PerformanceSettings
{
    QString metric; // a metric of the task ("accuracy", "roc_auc", "rmse", ...)
    double baseline = 0; // its validation value, from the model file
    int resamples = 200; // bootstrap resamples of each window's rows
    double confidence = 0.95;
    std::uint64_t seed = 0;
};

// One window: the metric on its labelled rows and a percentile bootstrap band around it. The
// window is degraded when the whole band is worse than the baseline.
struct WindowPerformance
{
    std::size_t rows = 0; // labelled rows scored
    double value = 0;
    double lower = 0;
    double upper = 0;
    bool degraded = false;
    QString error; // why the window has no value (no labels, a class the model never saw, ...)
};

struct PerformanceReport
{
    QString metric;
    double baseline = 0;
    bool higherIsBetter = true;
    std::vector<WindowPerformance> windows; // one per input window, in order

    // {metric, baseline, higher_is_better, windows: [{rows, value, lower, upper, degraded} | {error}]}
    QJsonObject toJson() const;
};

// Scores each window's rows whose target is present with `pipeline` and measures `settings.metric`
// (which must be one the task reports). Windows are scored one after another, the resamples in
// parallel. Fails when the metric is unknown for the task, or when cancelled.
Result<PerformanceReport> performanceOverWindows(const Pipeline &pipeline, const std::vector<DriftWindowInput> &windows,
                                                 const PerformanceSettings &settings, ProgressSink &progress = nullProgress());

} // namespace plumb
