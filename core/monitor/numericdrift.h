#pragma once

#include "base/result.h"

#include <cstddef>
#include <span>
#include <vector>

namespace plumb {

// Two-sample statistics between a reference and a current sample of numbers. NaN is a missing
// value: it is counted apart and never enters a statistic. Each function fails with a message
// when a sample has no non-missing value.

// A sample's non-missing values, ascending, and how many were missing.
struct SortedSample
{
    std::vector<double> values;
    std::size_t missing = 0;

    std::size_t count() const { return values.size(); }
    // missing / (count + missing); 0 for an empty sample.
    double missingRate() const;
};

// Drops NaNs and radix-sorts: O(n).
SortedSample sortedSample(std::span<const double> values);
// Refills `sample` with the values data[rows[i]] (all of data when rows is empty): NaNs counted in
// sample.missing, the others kept, ascending when `sort` is set (in row order otherwise). Reuses
// the sample's buffer and `scratch`, so scoring window after window allocates nothing once they
// are large enough. Every rows[i] must be below data.size().
void gatherSortedSample(std::span<const double> data, std::span<const std::size_t> rows, SortedSample &sample,
                        std::vector<double> &scratch, bool sort = true);
// Both samples at once, on two threads when there are.
struct SortedPair
{
    SortedSample reference;
    SortedSample current;
};
SortedPair sortedPair(std::span<const double> reference, std::span<const double> current);

// Two-sample Kolmogorov–Smirnov test as scipy.stats.ks_2samp(reference, current) with its defaults
// (two-sided, method='auto'): exact when both samples hold at most 10,000 values (the statistic
// then rounded to the lattice h / lcm(m, n), as scipy does), otherwise Smirnov's asymptotic
// kstwo.sf(D, round(m n / (m + n))). One O(m + n) merge of the sorted samples.
struct KsTest
{
    double statistic = 0;
    double pValue = 1;
    bool exact = false;
};
Result<KsTest> kolmogorovSmirnov(const SortedSample &reference, const SortedSample &current);

// The first Wasserstein distance, integral of |F_ref - F_cur| dx, as scipy.stats.wasserstein_distance.
// In the units of the values. O(m + n) on sorted samples.
Result<double> wassersteinDistance(const SortedSample &reference, const SortedSample &current);

// The population standard deviation (ddof 0) of the reference, floored at 0.001: what Evidently
// divides the Wasserstein distance by.
double wassersteinNorm(const SortedSample &reference);

// Share of each sample in each bin. Bin i holds edges[i] <= v < edges[i + 1], the last bin also
// its upper edge (numpy.histogram); for by-value binning edges is empty and `values` lists the
// distinct values, one bin each.
struct BinnedShares
{
    std::vector<double> edges;
    std::vector<double> values;
    std::vector<double> reference;
    std::vector<double> current;
};

// Evidently's default binning for PSI and Jensen–Shannon: when the reference has more than 30
// distinct values, numpy.histogram_bin_edges(reference + current, bins='sturges') — equal widths
// over the combined range, ceil(range / (range / (log2(m + n) + 1))) bins; otherwise one bin per
// distinct value seen in either sample. O(m + n), no sort; two threads where there are.
Result<BinnedShares> evidentlyBins(std::span<const double> reference, std::span<const double> current);
inline constexpr std::size_t kByValueBinLimit = 30;
// numpy.histogram_bin_edges(data, bins='sturges') for `count` values spanning [first, last], first < last.
std::vector<double> sturgesEdges(double first, double last, std::size_t count);

// Shares of each sample in the given equal-or-unequal bins (edges ascending, at least two). Values
// outside [edges.front(), edges.back()] go to the nearest end bin.
Result<BinnedShares> sharesOnEdges(std::vector<double> edges, std::span<const double> reference, std::span<const double> current);

// Population stability index sum (c - r) ln(c / r) over the bins, after Evidently's zero filling:
// an empty bin gets min(non-zero share) / 1e6 when that minimum is at most 1e-4, else 1e-4.
double populationStabilityIndex(const BinnedShares &shares);

// Jensen–Shannon distance (natural log, as scipy.spatial.distance.jensenshannon's default and
// Evidently's): sqrt((KL(p || m) + KL(q || m)) / 2), m = (p + q) / 2, after normalising p and q to
// sum 1. In [0, sqrt(ln 2)]. Both must have the same length and a positive sum.
double jensenShannonDistance(const std::vector<double> &p, const std::vector<double> &q);

} // namespace plumb
