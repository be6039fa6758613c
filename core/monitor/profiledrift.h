#pragma once

#include "base/result.h"
#include "data/columnprofile.h"
#include "monitor/driftscore.h"
#include "monitor/numericdrift.h"

#include <optional>
#include <span>

namespace plumb {

// Drift against the reference profile a model file keeps (data/columnprofile.h) instead of the raw
// reference sample. The profile's CDF knots (data/cdfknots.h, monitor/referencecdf.h) give:
// - KS and Wasserstein: exact for the knots' CDF (KS: the supremum at a breakpoint of either
//   CDF; Wasserstein: |F - G| integrated piece by piece); the current sample is exact. With every
//   value a knot (at most 512 distinct values) they are the statistics of the data; otherwise
//   the KS statistic is within 1/512 and the normed Wasserstein distance within 0.004 of them.
//   KS's p-value uses n = profile.count.
// - PSI and Jensen–Shannon: Evidently's bins (evidentlyBins: by value up to 30 distinct values,
//   Sturges' bins over both samples otherwise), the reference's share of each from the knots.
// - Chi-square on numbers: the values as categories, when the profile holds every value.
// - Categories: the profile keeps the 20 most frequent values; the others of each sample are one
//   "(other)" bin, and an unseen value can be told only when the reference had at most 20 values.
// A profile of model format 2 or earlier (histogram only) is read as ReferenceCdf says:
// approximate unless its bins are whole numbers.
// Each fails when the profile or the current sample has no non-missing values.

Result<KsTest> kolmogorovSmirnovFromProfile(const ColumnProfile &reference, const SortedSample &current);
Result<double> wassersteinFromProfile(const ColumnProfile &reference, const SortedSample &current);

// One numeric column's drift by `method` against its profile. `bins`, for PSI and Jensen–Shannon
// on Sturges' bins only: those merged into at most that many groups of about equal reference
// share (mergeBins); unset, Evidently's bins as they are.
Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference, std::span<const double> current,
                                           std::optional<double> threshold = std::nullopt,
                                           std::optional<std::size_t> bins = std::nullopt);
// Whether `method` needs the current values ascending: KolmogorovSmirnov and the Wasserstein ones.
bool needsSortedSample(DriftMethod method);
// The same on a sample already gathered (gatherSortedSample): its values ascending when
// needsSortedSample(method), in any order otherwise; its missing count gives the missing-rate change.
Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference, const SortedSample &current,
                                           std::optional<double> threshold = std::nullopt,
                                           std::optional<std::size_t> bins = std::nullopt);

// Evidently's default method for a column (defaultMethod), except that a few-valued numeric
// column whose profile does not hold every value (an old file's float histogram) gets KS instead
// of chi-square, so that the default can always be computed.
DriftMethod defaultMethodFor(const ColumnProfile &reference, bool comparesCategories);

// The numeric columns whose profile keeps a histogram only (model format 2 and earlier) that does
// not hold their values exactly: their drift statistics are approximate.
QStringList approximateReferenceColumns(const std::vector<ColumnProfile> &profiles);
// "The reference profile of x, y keeps histograms only ...": what a report says about them; empty
// when there are none.
QString approximateReferenceNotice(const std::vector<ColumnProfile> &profiles);

// Adjacent bins merged into at most `groups` (at least 1) groups of about equal reference share:
// a group closes where the reference's cumulative share reaches its next multiple of 1/groups.
// Shares are summed, so PSI and Jensen–Shannon on the result are exact for the merged bins.
BinnedShares mergeBins(const BinnedShares &binned, std::size_t groups);

// The profile's categories as counts, the rest (if any) as "(other)".
CategoryCounts profileCategoryCounts(const ColumnProfile &reference);
// One categorical column's drift by ChiSquare, JensenShannon or Psi against its profile; current
// values outside the profile's kept categories count as "(other)" when the profile has one.
Result<DriftScore> categoricalDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                               const CategoricalSample &current, std::optional<double> threshold = std::nullopt);

} // namespace plumb
