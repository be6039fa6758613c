#pragma once

#include "base/progress.h"
#include "learn/tree.h"

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <vector>

namespace plumb {

enum class SplitCriterion { Gini, Entropy, SquaredError };

// When a node stops splitting and how many features it may look at (scikit-learn's meanings).
struct GrowthLimits
{
    SplitCriterion criterion = SplitCriterion::Gini;
    int maxDepth = 0; // 0: no limit
    std::int64_t minSamplesSplit = 2;
    std::int64_t minSamplesLeaf = 1;
    Eigen::Index maxFeatures = 0; // features drawn per node (0: all of them)
};

// The training rows sorted by each feature (equal values in row order), computed once per data
// set and shared by every tree grown on it. Sorting on both cores with a radix sort. With ranks,
// also each row's rank among the feature's distinct values, and those values in order: what
// growing by sorting each node's rows needs (see sortsEachNode).
class SortedFeatures
{
public:
    SortedFeatures(const Eigen::MatrixXd &X, bool withRanks);

    Eigen::Index rows() const { return mRows; }
    Eigen::Index features() const { return Eigen::Index(mOrder.size()); }
    const std::vector<std::uint32_t> &order(Eigen::Index feature) const { return mOrder[std::size_t(feature)]; }
    const std::vector<double> &values(Eigen::Index feature) const { return mValues[std::size_t(feature)]; }
    bool hasRanks() const { return !mRanks.empty(); }
    const std::vector<std::uint32_t> &ranks(Eigen::Index feature) const { return mRanks[std::size_t(feature)]; }
    const std::vector<double> &distinct(Eigen::Index feature) const { return mDistinct[std::size_t(feature)]; }

private:
    Eigen::Index mRows = 0;
    std::vector<std::vector<std::uint32_t>> mOrder;
    std::vector<std::vector<double>> mValues;
    std::vector<std::vector<std::uint32_t>> mRanks;
    std::vector<std::vector<double>> mDistinct;
};

// How a level finds its splits. Keeping every feature's rows presorted per node costs a pass over
// every feature per level; sorting each node's rows on only the features it draws costs a few
// passes over those. With few features drawn per node (a forest's sqrt or log2) the second is
// several times cheaper, and needs SortedFeatures with ranks.
bool sortsEachNode(const GrowthLimits &limits, Eigen::Index features);

// What a tree learns: class indices (classification) or values (regression), with a weight per
// row; rows of weight 0 (out of a bootstrap sample) take no part.
struct GrowthTarget
{
    const std::vector<int> *classes = nullptr;
    int classCount = 0;
    const Eigen::VectorXd *values = nullptr;
    std::vector<double> weights;
};

struct GrownTree
{
    Tree tree;
    Eigen::VectorXd importance; // weighted impurity decrease per feature, normalised to sum 1
};

// Grows one exact tree (every distinct value is a candidate threshold, halfway between
// neighbours, as scikit-learn's best splitter) level by level: each level makes one pass over
// every feature's presorted rows, accumulating each open node's left-side statistics as it goes,
// so a level costs O(rows x features) whatever the number of nodes. `parallel` spreads the
// features of a level over the worker threads (for a single tree; a forest grows its trees in
// parallel instead). `seed` drives the feature draws when limits.maxFeatures is below the feature
// count. Returns nullopt when `progress` is cancelled.
std::optional<GrownTree> growTree(const Eigen::MatrixXd &X, const SortedFeatures &sorted, const GrowthTarget &target,
                                  const GrowthLimits &limits, std::uint64_t seed, bool parallel, const ProgressSink &progress);

} // namespace plumb
