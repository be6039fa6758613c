#pragma once

#include "base/hugepages.h"
#include "base/result.h"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <vector>

namespace plumb {

// Feature values replaced by small bin indices, in two layouts: one row after another
// (codes[row * cols + feature]: a row's codes share a cache line, which histogram building reads)
// and one feature after another (columns[feature * rows + row]: one feature of many rows, which
// partitioning a node's rows on a split reads; a column of a million rows fits in cache).
struct BinnedMatrix
{
    Eigen::Index rows = 0;
    Eigen::Index cols = 0;
    // Tree growing reads a node's rows scattered over these: huge pages spare most TLB misses.
    HugePageVector<std::uint8_t> codes;
    HugePageVector<std::uint8_t> columns;

    const std::uint8_t *row(Eigen::Index index) const { return codes.data() + index * cols; }
    const std::uint8_t *column(Eigen::Index feature) const { return columns.data() + feature * rows; }
};

// Maps each feature to at most 255 bins plus one bin for missing values (NaN), as scikit-learn's
// HistGradientBoosting and LightGBM do, so trees can be grown from per-bin histograms.
//  - Numeric feature: the bin edges are the midpoints between consecutive distinct values when
//    there are at most max_bins of them, else the midpoint-method quantiles at i / max_bins of the
//    values (sklearn's _find_binning_thresholds), from a random subsample of 200,000 rows. Value x
//    goes to the first bin b with x <= edge[b] (the last bin has no edge).
//  - Categorical feature: the values are category codes 0..k-1 (k <= max_bins) and code c is bin c.
//  - NaN, in every feature, goes to bin missingBin() == max_bins.
class FeatureBinner
{
public:
    static constexpr int kMostBins = 255;
    static constexpr Eigen::Index kSubsampleRows = 200'000;

    // Learns the bins of every column of X (n x p, NaN allowed, infinities not) from the listed
    // rows (all when empty). `categorical` has p flags. Fails (naming `owner` and the feature as
    // `featureName` gives it, else "input j") for a categorical column that holds something other
    // than whole numbers 0..max_bins-1.
    static Result<FeatureBinner> fit(const QString &owner, const Eigen::MatrixXd &X, const std::vector<Eigen::Index> &rows,
                                     int maxBins, const std::vector<bool> &categorical, std::uint64_t seed,
                                     const std::function<QString(Eigen::Index)> &featureName = {});

    // The codes of the rows of X listed in `rows` (all rows when empty), in that order. Values a
    // categorical feature did not see in fitting go to the missing bin.
    BinnedMatrix transform(const Eigen::MatrixXd &X, const std::vector<Eigen::Index> &rows = {}) const;

    Eigen::Index featureCount() const { return Eigen::Index(mFeatures.size()); }
    int missingBin() const { return mMaxBins; }
    // Bins that hold values (not the missing bin): edges + 1 for numeric, k for categorical.
    int valueBins(Eigen::Index feature) const { return mFeatures[std::size_t(feature)].valueBins; }
    bool isCategorical(Eigen::Index feature) const { return mFeatures[std::size_t(feature)].categorical; }
    // Upper edges of the numeric bins (valueBins - 1 of them, ascending, finite).
    const std::vector<double> &edges(Eigen::Index feature) const { return mFeatures[std::size_t(feature)].edges; }

private:
    struct FeatureBins
    {
        bool categorical = false;
        int valueBins = 1;
        std::vector<double> edges;
        // The edges padded with +infinity to 256 (kSearchEdges), then every 16th of those.
        std::vector<double> searchTable;
    };

    std::uint8_t code(const FeatureBins &bins, double value) const;

    int mMaxBins = kMostBins;
    std::vector<FeatureBins> mFeatures;
};

} // namespace plumb
