#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "data/columnprofile.h"
#include "data/dataset.h"
#include "monitor/categoricaldrift.h"
#include "monitor/driftscore.h"

#include <QJsonObject>

#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace plumb {

// Drift of production data against a model's reference profile, column by column and window by
// window: the time series the Monitor view charts and `plumb drift` prints.

// A user's choice for one column; unset fields take the defaults (defaultMethod, defaultThreshold).
struct ColumnDriftSettings
{
    std::optional<DriftMethod> method;
    std::optional<double> threshold;
    // PSI and Jensen–Shannon on numbers: the profile's bins merged into at most this many of
    // about equal reference share (mergeBins); unset, the profile's own bins.
    std::optional<std::size_t> bins;
};

struct DriftSettings
{
    std::map<QString, ColumnDriftSettings> columns; // by column name
    // A window drifts as a whole when at least this share of its features drift (Evidently's drift_share).
    double datasetDriftShare = 0.5;
    // When > 0, NannyML-style thresholds: each column's statistic over the first `baselineWindows`
    // windows gives mean + 3 standard deviations (population), and a window drifts when its
    // statistic exceeds that. The p-values of the tests are then reported but not thresholded.
    std::size_t baselineWindows = 0;
    // Windows with fewer rows are listed but not scored: a handful of rows always looks drifted.
    std::size_t minimumRows = 30;
    // An alert also when a column's missing rate moves by at least this much (0.1 = 10 points).
    double missingRateAlert = 0.1;
};

// The fewest windows a baseline may have: one window's mean and standard deviation say nothing
// about how a statistic varies, and every later window would cross a threshold of zero spread.
constexpr std::size_t kMinimumBaselineWindows = 2;

// Why `settings` cannot be used, worded for the CLI and the views alike ("a baseline needs at
// least 2 windows; got 1"); an empty string when they are valid. computeDriftReport refuses what
// this refuses; callers check first to say it before any work starts.
QString driftSettingsProblem(const DriftSettings &settings);

// One window of current data: rows of a dataset (all of them when `rows` is empty). The dataset
// must outlive the report computation.
struct DriftWindowInput
{
    QString label;
    double start = std::numeric_limits<double>::quiet_NaN(); // seconds since the epoch, when windowed by time
    double end = std::numeric_limits<double>::quiet_NaN();
    const Dataset *data = nullptr;
    std::vector<std::size_t> rows;
};

// One column in one window: its score, or why it could not be scored (no values in the window).
struct DriftCell
{
    std::optional<DriftScore> score;
    QString error;
    std::vector<UnseenCategory> unseen; // categorical columns: values the reference never had
};

struct WindowDrift
{
    QString label;
    double start = std::numeric_limits<double>::quiet_NaN();
    double end = std::numeric_limits<double>::quiet_NaN();
    std::size_t rows = 0;
    std::size_t scoredFeatures = 0;
    std::size_t driftedFeatures = 0;
    double driftShare = 0; // drifted / scored features
    bool datasetDrift = false;
};

// Something that crossed its threshold: a column in a window, or a whole window (empty column).
struct DriftAlert
{
    std::size_t window = 0;
    QString column;
    QString message;
};

struct DriftReport
{
    // The compared columns, in the profile's order: every feature, and the target when the
    // current data has it (target drift). roles[i] tells which.
    QStringList columns;
    std::vector<ColumnRole> roles;
    std::vector<DriftMethod> methods;
    std::vector<double> thresholds;
    std::vector<std::size_t> bins; // per column: the bins asked for, 0 for the profile's own
    bool statisticThresholds = false; // thresholds apply to the statistic (NannyML style)
    double datasetDriftShare = 0.5;
    double missingRateAlert = 0.1;
    std::vector<WindowDrift> windows;
    std::vector<std::vector<DriftCell>> cells; // [window][column]
    std::vector<DriftAlert> alerts;

    // {columns: [{name, role, method, threshold, bins}], windows: [{label, start, end, rows,
    // scored_features, drifted_features, drift_share, dataset_drift, columns: [{column, role, method,
    // threshold, scored: true, statistic, p_value, drifted, missing_rate_change, unseen} | {column,
    // role, method, threshold, scored: false, error}]}], not_scored: [{columns, windows, reason}], alerts}.
    // Each window's column entries are in the order of `columns` and name their column, so
    // `.windows[].columns[] | select(.column == "x")` picks one column's series.
    QJsonObject toJson() const;
};

// Cells that could not be scored, grouped: the columns that failed for the same reason in the
// same windows (a method that does not apply to a column fails in every window; a window with
// too few rows fails every column). In the order the columns and windows first fail.
struct UnscoredCells
{
    QStringList columns;
    std::vector<std::size_t> windows; // indexes into report.windows
    QString reason;
};

std::vector<UnscoredCells> unscoredCells(const DriftReport &report);
// "Month (every window): chi-square applies to categories" or "x, colour (2026-03-05): too few rows ...".
QString describeUnscored(const DriftReport &report, const UnscoredCells &cells);

// The report for `windows` against `reference` (a model file's profile). Every feature profile
// must name a column of each window's dataset, with a compatible type (numbers for numbers,
// categories for categories): the error names the column and the window. Columns of each
// (window, column) pair are scored in parallel. Fails when cancelled or given no windows.
Result<DriftReport> computeDriftReport(const std::vector<ColumnProfile> &reference, const std::vector<DriftWindowInput> &windows,
                                       const DriftSettings &settings, ProgressSink &progress = nullProgress());

} // namespace plumb
