#include "learn/featurebinner.h"

#include "base/parallel.h"
#include "base/radixsort.h"
#include "base/random.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

namespace plumb {

namespace {

constexpr Eigen::Index kTransformBlock = 8192;

// The rows bin edges are learned from: all of them, or a random subsample of kSubsampleRows
// (sklearn's subsample=2e5), in ascending order so the column reads stay sequential.
std::vector<Eigen::Index> sampleRows(Eigen::Index rows, const std::vector<Eigen::Index> &listed, std::uint64_t seed)
{
    std::vector<Eigen::Index> all = listed;
    if (all.empty()) {
        all.resize(static_cast<std::size_t>(rows));
        std::iota(all.begin(), all.end(), Eigen::Index(0));
    }
    if (Eigen::Index(all.size()) <= FeatureBinner::kSubsampleRows)
        return all;
    // A partial Fisher-Yates shuffle draws the subsample without replacement.
    Random random(seed);
    const auto wanted = std::size_t(FeatureBinner::kSubsampleRows);
    for (std::size_t i = 0; i < wanted; ++i)
        std::swap(all[i], all[i + random.below(all.size() - i)]);
    all.resize(wanted);
    std::sort(all.begin(), all.end());
    return all;
}

// numpy.percentile(values, 100 * q, method='midpoint') of sorted values.
double midpointQuantile(const std::vector<double> &sorted, double q)
{
    const double position = q * double(sorted.size() - 1);
    const auto below = std::size_t(std::floor(position));
    if (double(below) == position || below + 1 >= sorted.size())
        return sorted[below];
    const double a = sorted[below], b = sorted[below + 1];
    return b - (b - a) * 0.5; // numpy's lerp at t = 0.5
}

// Upper bin edges from the non-missing sampled values of one feature (sklearn's
// _find_binning_thresholds): midpoints between distinct values, or quantile midpoints.
std::vector<double> numericEdges(std::vector<double> values, int maxBins)
{
    radixSort(values);
    std::vector<double> distinct = values;
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<double> edges;
    if (distinct.size() <= std::size_t(maxBins)) {
        for (std::size_t i = 0; i + 1 < distinct.size(); ++i)
            edges.push_back((distinct[i] + distinct[i + 1]) * 0.5);
        return edges;
    }
    for (int i = 1; i < maxBins; ++i)
        edges.push_back(midpointQuantile(values, (100.0 * i / maxBins) / 100.0));
    return edges;
}

// A numeric feature's code is the number of its edges below the value (the index of the first
// edge >= value). It is counted in two steps of 16 comparisons, four vectors of four each, with no
// branch and no chain of dependent loads (a binary search waits on eight loads in a row): first
// how many groups of 16 edges lie wholly below the value, then how many edges of the next group.
constexpr std::size_t kSearchGroup = 16;
constexpr std::size_t kSearchEdges = kSearchGroup * kSearchGroup; // more than the most edges (254)

static_assert(FeatureBinner::kMostBins - 1 < int(kSearchEdges), "every edge has a place in the search table");

using Doubles = double __attribute__((vector_size(32)));
using Masks = std::int64_t __attribute__((vector_size(32)));

// How many of the 16 ascending values at `sixteen` are below `value`.
int countBelow(const double *sixteen, double value)
{
    const Doubles v = Doubles{} + value;
    Masks below{};
    for (std::size_t i = 0; i < kSearchGroup; i += 4) {
        Doubles group;
        std::memcpy(&group, sixteen + i, sizeof group);
        below += group < v; // -1 where below
    }
    return int(-(below[0] + below[1] + below[2] + below[3]));
}

// The padded edges, then the last edge of each group of 16 (finite edges only, ascending).
std::vector<double> searchTable(const std::vector<double> &edges)
{
    std::vector<double> table(kSearchEdges + kSearchGroup, std::numeric_limits<double>::infinity());
    std::copy(edges.begin(), edges.end(), table.begin());
    for (std::size_t group = 0; group < kSearchGroup; ++group)
        table[kSearchEdges + group] = table[group * kSearchGroup + kSearchGroup - 1];
    return table;
}

int edgesBelow(const std::vector<double> &table, double value)
{
    const int group = countBelow(table.data() + kSearchEdges, value);
    return group * int(kSearchGroup) + countBelow(table.data() + std::size_t(group) * kSearchGroup, value);
}

} // namespace

Result<FeatureBinner> FeatureBinner::fit(const QString &owner, const Eigen::MatrixXd &X, const std::vector<Eigen::Index> &rows,
                                         int maxBins, const std::vector<bool> &categorical, std::uint64_t seed,
                                         const std::function<QString(Eigen::Index)> &featureName)
{
    FeatureBinner binner;
    binner.mMaxBins = std::clamp(maxBins, 2, kMostBins);
    binner.mFeatures.resize(std::size_t(X.cols()));
    const std::vector<Eigen::Index> sample = sampleRows(X.rows(), rows, seed);
    std::vector<std::optional<Error>> errors(std::size_t(X.cols()));
    parallelFor(std::size_t(X.cols()), [&](std::size_t feature) {
        FeatureBins &bins = binner.mFeatures[feature];
        const auto column = X.col(Eigen::Index(feature));
        if (feature < categorical.size() && categorical[feature]) {
            bins.categorical = true;
            double largest = -1;
            for (Eigen::Index i = 0; i < column.size(); ++i) {
                const double value = column[i];
                if (std::isnan(value))
                    continue;
                if (value < 0 || value >= binner.mMaxBins || value != std::floor(value)) {
                    const auto index = Eigen::Index(feature);
                    errors[feature] = Error::invalid(
                        QStringLiteral("%1: categorical feature %2 holds %3; categorical features must hold "
                                       "category codes 0, 1, 2, ... below max_bins (%4)")
                            .arg(owner, featureName ? featureName(index) : QStringLiteral("input %1").arg(index))
                            .arg(value)
                            .arg(binner.mMaxBins));
                    return;
                }
                largest = std::max(largest, value);
            }
            bins.valueBins = std::max(1, int(largest) + 1);
            return;
        }
        std::vector<double> values;
        values.reserve(sample.size());
        for (const Eigen::Index row : sample)
            if (!std::isnan(column[row]))
                values.push_back(column[row]);
        bins.edges = numericEdges(std::move(values), binner.mMaxBins);
        bins.searchTable = searchTable(bins.edges);
        bins.valueBins = int(bins.edges.size()) + 1;
    });
    for (auto &error : errors)
        if (error)
            return *error;
    return binner;
}

std::uint8_t FeatureBinner::code(const FeatureBins &bins, double value) const
{
    if (std::isnan(value))
        return std::uint8_t(mMaxBins);
    if (bins.categorical)
        return value >= 0 && value < bins.valueBins && value == std::floor(value) ? std::uint8_t(value) : std::uint8_t(mMaxBins);
    return std::uint8_t(edgesBelow(bins.searchTable, value));
}

BinnedMatrix FeatureBinner::transform(const Eigen::MatrixXd &X, const std::vector<Eigen::Index> &rows) const
{
    BinnedMatrix binned;
    binned.rows = rows.empty() ? X.rows() : Eigen::Index(rows.size());
    binned.cols = X.cols();
    binned.codes.resize(std::size_t(binned.rows * binned.cols));
    binned.columns.resize(binned.codes.size());
    const Eigen::Index blocks = (binned.rows + kTransformBlock - 1) / kTransformBlock;
    parallelFor(std::size_t(blocks), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kTransformBlock;
        const Eigen::Index last = std::min(binned.rows, first + kTransformBlock);
        for (Eigen::Index feature = 0; feature < binned.cols; ++feature) {
            const FeatureBins &bins = mFeatures[std::size_t(feature)];
            const double *column = X.col(feature).data();
            std::uint8_t *byRow = binned.codes.data() + feature;
            std::uint8_t *byColumn = binned.columns.data() + feature * binned.rows;
            for (Eigen::Index i = first; i < last; ++i) {
                const std::uint8_t value = code(bins, column[rows.empty() ? i : rows[std::size_t(i)]]);
                byRow[i * binned.cols] = value;
                byColumn[i] = value;
            }
        }
    });
    return binned;
}

} // namespace plumb
