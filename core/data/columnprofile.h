#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "data/cdfknots.h"
#include "data/dataset.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <vector>

namespace plumb {

// A summary of one column, enough to chart it and to describe it in a model file.
struct ColumnProfile
{
    struct Bin
    {
        double lower = 0;
        double upper = 0;
        std::size_t count = 0;
    };
    struct Category
    {
        QString value;
        std::size_t count = 0;
    };

    static constexpr std::array<double, 7> kQuantileLevels{0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};

    QString name;
    ColumnType type = ColumnType::Float;
    ColumnRole role = ColumnRole::Feature;
    std::size_t count = 0; // non-missing values
    std::size_t missing = 0; // missing values
    std::size_t unique = 0; // distinct non-missing values

    // Numeric-storage columns only (NaN otherwise, or when count == 0). std is the sample
    // standard deviation (n - 1), as pandas' describe(). Quantiles interpolate linearly between
    // order statistics, as numpy.quantile's default, at kQuantileLevels.
    double mean = 0, std = 0, min = 0, max = 0;
    std::array<double, 7> quantiles{};
    // Equal-width bins over [min, max], the last bin closed; an Integer column spanning at most 50
    // gets one bin per whole number instead, centred on it ([v - 0.5, v + 0.5]).
    std::vector<Bin> histogram;
    // The distribution drift is computed from (data/cdfknots.h): exact while the column has at
    // most kExactDistinctValues distinct values, within stated bounds otherwise. Empty when there
    // are no values, and in profiles of model format 2 and earlier, which kept the histogram only.
    std::vector<CdfKnot> knots;

    // Categorical and Boolean columns: the most frequent values, most frequent first
    // (ties in order of first appearance), at most kTopCategories of them.
    static constexpr std::size_t kTopCategories = 20;
    std::vector<Category> topCategories;

    double missingRate() const { return count + missing ? double(missing) / double(count + missing) : 0.0; }
};

// Profiles every column of a dataset, columns in parallel on workerCount() threads.
// Fails only when cancelled.
Result<std::vector<ColumnProfile>> profileDataset(const Dataset &dataset, ProgressSink &progress = nullProgress());
// The quantile at `level` (0 to 1) of non-empty ascending values, as numpy.quantile's default
// ("linear", Hyndman & Fan type 7).
double quantileOfSorted(const std::vector<double> &sorted, double level);

// Profiles one column.
ColumnProfile profileColumn(const Column &column);

// The profile as JSON: {name, type, role, count, missing, unique, mean, std, min, max,
// quantiles: {"0.01": ...}, histogram: [{lower, upper, count}], top: [{value, count}]}, and for
// profiles with knots distribution: {values: [...], counts: [...], between: [...]}.
// Statistics that do not apply (NaN) are written as null.
QJsonObject profileToJson(const ColumnProfile &profile);
// The inverse, strict: every key above and no other, counts whole and non-negative, statistics
// numbers or null, bins ordered with lower <= upper and counts adding up to `count`, categories'
// counts adding up to at most `count`; knots, when present, with finite ascending values, the
// first at min and the last at max, counts and betweens adding up to `count`. The error names
// the field ("histogram[3].upper", "distribution.values[4]").
Result<ColumnProfile> profileFromJson(const QJsonObject &json);
// Every entry of a profile array (a model file's reference profile); the error names the entry.
Result<std::vector<ColumnProfile>> profilesFromJson(const QJsonArray &json);

} // namespace plumb
