#pragma once

#include "base/result.h"
#include "monitor/categoricaldrift.h"

#include <QString>

#include <optional>
#include <span>

namespace plumb {

// The drift methods, their default thresholds (Evidently's) and the verdict for one column.
enum class DriftMethod { KolmogorovSmirnov, Wasserstein, WassersteinNormed, Psi, JensenShannon, ChiSquare };

QString driftMethodName(DriftMethod method); // "ks", "wasserstein", "wasserstein_normed", "psi", "jensenshannon", "chisquare"
std::optional<DriftMethod> driftMethodFromName(const QString &name); // std::nullopt for an unknown name

// Evidently's thresholds: p <= 0.05 (KS), p < 0.05 (chi-square), score >= 0.1 (normed
// Wasserstein, PSI, Jensen–Shannon). Plain Wasserstein is in the data's units and has none: NaN.
double defaultThreshold(DriftMethod method);

// Evidently's choice by reference size: up to 1000 rows, KS for numbers with more than 5 distinct
// values and chi-square otherwise; above, normed Wasserstein for numbers, Jensen–Shannon for categories.
DriftMethod defaultMethod(std::size_t referenceRows, bool numeric, std::size_t referenceDistinct);

// One method's result on one column. `score` is what the threshold is compared with: the p-value
// for the tests, the statistic otherwise. `binning` names the bins PSI and Jensen–Shannon used.
struct DriftScore
{
    DriftMethod method = DriftMethod::KolmogorovSmirnov;
    double statistic = 0;
    std::optional<double> pValue;
    double threshold = 0;
    bool drifted = false;
    QString binning;
    double missingRateChange = 0; // current missing rate - reference missing rate

    double score() const { return pValue ? *pValue : statistic; }
};

// How far a score is toward its threshold (below 1) or past it (above 1): threshold / p-value for
// the tests (p floored at 1e-300), statistic / threshold otherwise; `onStatistic` compares the
// statistic even for a test (NannyML-style thresholds). 0 when the threshold is not positive.
double thresholdRatio(const DriftScore &score, bool onStatistic);

// Whether `score` crosses `threshold` for `method` (p-values below, distances at or above).
bool isDrift(DriftMethod method, double score, double threshold);

// A numeric column's drift by `method` on raw samples, NaN missing; no threshold means the
// method's default. PSI and Jensen–Shannon use evidentlyBins; ChiSquare counts the values as
// categories (numberCategory), as Evidently does for numbers with few values. Fails when a sample
// has no non-missing value.
Result<DriftScore> numericDrift(DriftMethod method, std::span<const double> reference, std::span<const double> current,
                                std::optional<double> threshold = std::nullopt);
// "12 equal-width bins over [a, b] of reference and current (Sturges)" or "one bin per value (n values)".
struct BinnedShares;
QString binningDescription(const BinnedShares &shares);

// A categorical column's drift by ChiSquare, JensenShannon or Psi (one bin per value); the missing
// counts give missingRateChange.
struct CategoricalSample
{
    CategoryCounts counts;
    std::size_t missing = 0;
};
Result<DriftScore> categoricalDrift(DriftMethod method, const CategoricalSample &reference, const CategoricalSample &current,
                                    std::optional<double> threshold = std::nullopt);

} // namespace plumb
