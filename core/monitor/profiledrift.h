#pragma once

#include "base/result.h"
#include "data/columnprofile.h"
#include "monitor/driftscore.h"
#include "monitor/numericdrift.h"

#include <optional>
#include <span>

namespace plumb {

// Drift against the reference profile a model file keeps (data/columnprofile.h) instead of the raw
// reference sample. What the profile keeps decides how close each method gets:
// - KS and Wasserstein: the reference CDF is taken as linear inside each histogram bin (10 to 50
//   equal-width bins, or one per whole number for small integer ranges); the current sample is
//   exact. Both statistics are then exact for that CDF (KS: the supremum is reached at a current
//   value; Wasserstein: |F - G| integrated piece by piece). KS's p-value uses n = profile.count.
// - PSI and Jensen–Shannon: the profile's own histogram bins (bins from the reference, current
//   values outside [min, max] counted in the end bins) — exact for those bins, but not Evidently's
//   Sturges bins over reference + current.
// - Categories: the profile keeps the 20 most frequent values; the others of each sample are one
//   "(other)" bin, and an unseen value can be told only when the reference had at most 20 values.
// Each fails when the profile or the current sample has no non-missing values.

Result<KsTest> kolmogorovSmirnovFromProfile(const ColumnProfile &reference, const SortedSample &current);
Result<double> wassersteinFromProfile(const ColumnProfile &reference, const SortedSample &current);

// One numeric column's drift by `method` (not ChiSquare) against its profile. `bins`, for PSI and
// Jensen–Shannon only: the profile's histogram bins merged into at most that many groups of about
// equal reference share (mergeBins); unset, the profile's own bins.
Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                           std::span<const double> current,
                                           std::optional<double> threshold = std::nullopt,
                                           std::optional<std::size_t> bins = std::nullopt);
// Whether `method` needs the current values ascending: KolmogorovSmirnov and the Wasserstein ones.
bool needsSortedSample(DriftMethod method);
// The same on a sample already gathered (gatherSortedSample): its values ascending when
// needsSortedSample(method), in any order otherwise; its missing count gives the missing-rate change.
Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                           const SortedSample &current,
                                           std::optional<double> threshold = std::nullopt,
                                           std::optional<std::size_t> bins = std::nullopt);

// Adjacent bins merged into at most `groups` (at least 1) groups of about equal reference share:
// a group closes where the reference's cumulative share reaches its next multiple of 1/groups.
// Shares are summed, so PSI and Jensen–Shannon on the result are exact for the merged bins.
BinnedShares mergeBins(const BinnedShares &binned, std::size_t groups);

// The profile's categories as counts, the rest (if any) as "(other)".
CategoryCounts profileCategoryCounts(const ColumnProfile &reference);
// One categorical column's drift by ChiSquare, JensenShannon or Psi against its profile; current
// values outside the profile's kept categories count as "(other)" when the profile has one.
Result<DriftScore> categoricalDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                               const CategoricalSample &current,
                                               std::optional<double> threshold = std::nullopt);

} // namespace plumb
