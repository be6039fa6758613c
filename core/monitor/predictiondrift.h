#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "learn/pipeline.h"
#include "monitor/driftreport.h"

#include <QJsonObject>

#include <array>
#include <cmath>

namespace plumb {

// Prediction drift: whether the model's outputs move over time, which a shift in inputs the
// model relies on shows even when no single feature crosses its threshold. The model file keeps
// no profile of its own predictions, so the reference is the model's predictions on the first
// `referenceWindows` windows (the baseline period) and every window is compared with it:
// predicted classes as categories for classifiers, predicted values as numbers for regression,
// each by Evidently's default method for the reference's size (defaultMethod).

// One window's predictions, summarised for charts: the rows scored; for classifiers the share of
// each predicted class (in PredictionDrift::classes order); for regression the percentiles
// kSummaryPercentiles of the predicted values (linear interpolation, numpy's default).
struct PredictionSummary
{
    static constexpr std::array<double, 5> kSummaryPercentiles{10, 25, 50, 75, 90};

    std::size_t rows = 0;
    std::vector<double> classShares;
    std::array<double, 5> percentiles{NAN, NAN, NAN, NAN, NAN};
};

struct PredictionDrift
{
    DriftMethod method = DriftMethod::JensenShannon;
    std::size_t referenceWindows = 1;
    std::size_t referenceRows = 0;
    std::vector<DriftCell> windows; // one per input window, in order
    QStringList classes; // classifiers: the model's classes
    std::vector<PredictionSummary> summaries; // one per input window (rows 0 where it could not be scored)

    // {method, reference_windows, reference_rows, classes, windows: [{statistic, p_value, drifted,
    //  rows, class_shares | percentiles} | {error}]}
    QJsonObject toJson() const;
};

// Scores every window's rows with `pipeline` and compares each window's predictions with the
// pooled predictions of the first `referenceWindows` windows (at least 1). A window the pipeline
// cannot score (a missing feature) gets its error in its cell. Fails when no reference window can
// be scored, or when cancelled.
Result<PredictionDrift> predictionDrift(const Pipeline &pipeline, const std::vector<DriftWindowInput> &windows,
                                        std::size_t referenceWindows, ProgressSink &progress = nullProgress());

} // namespace plumb
