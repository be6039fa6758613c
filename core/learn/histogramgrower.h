#pragma once

#include "learn/featurebinner.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace plumb {

// One row's first and second derivative of the loss with respect to its raw score (both
// already multiplied by the row's weight).
struct GradientPair
{
    double gradient = 0;
    double hessian = 0;
};

// One output's gradient pairs, one per row, and the largest |gradient| and hessian among them
// (what quantising them is scaled to).
struct RowGradients
{
    HugePageVector<GradientPair> pairs;
    GradientPair largest;
};

// How far a tree may grow; scikit-learn's HistGradientBoosting names and meanings.
struct GrowerSettings
{
    int maxLeafNodes = 31;
    int maxDepth = 0; // 0: no limit; the root is at depth 0
    int minSamplesLeaf = 20;
    double l2Regularization = 0;
    double minHessianToSplit = 1e-3;
    double shrinkage = 0.1; // the learning rate, folded into the leaf values
};

// A set of bins (256 bits): the bins a categorical split sends left.
using BinSet = std::array<std::uint64_t, 4>;

inline bool binSetHas(const BinSet &set, int bin)
{
    return (set[std::size_t(bin) >> 6] >> (bin & 63)) & 1u;
}
inline void binSetAdd(BinSet &set, int bin)
{
    set[std::size_t(bin) >> 6] |= std::uint64_t(1) << (bin & 63);
}

// A node of a tree grown on bins. Children always have larger indices than their parent.
struct BinNode
{
    int feature = -1; // -1: a leaf
    bool categorical = false;
    int bin = 0; // numeric split: value bins <= bin go left
    bool missingLeft = false;
    BinSet leftBins{}; // categorical split: the bins that go left (the missing bin included when missingLeft)
    int left = -1, right = -1;
    double value = 0; // leaf: the tree's output, learning rate applied
    double gain = 0; // split: the reduction of the loss's second-order approximation
    double samples = 0;
};

struct BinTree
{
    std::vector<BinNode> nodes; // nodes[0] is the root

    // The leaf value for one row of codes, following the same rules as the grower's partition.
    double value(const std::uint8_t *codes, int missingBin) const;
};

// Grows regression trees on per-bin gradient histograms, best leaf first (LightGBM's leaf-wise
// growth, as sklearn's HistGradientBoosting): each leaf's best split is found from its
// histogram; the leaf with the largest gain is split next, until max_leaf_nodes leaves or no
// leaf can be split. Only the smaller child's histogram is built from its rows; the larger one
// is the parent's minus it.
// Histograms hold integer sums of gradients quantised to at most 2^31 / rows levels (LightGBM's
// quantised training; at least 2,000 levels up to a million rows), which keeps bins small and
// sums exact; split gains come from them, leaf values from the exact gradients. Large nodes are
// built and partitioned in row chunks on all cores (integer chunk histograms add up to the same
// bits in any order, and a stable partition is unique), so the trees do not depend on the thread
// count.
class HistogramGrower
{
public:
    HistogramGrower(const BinnedMatrix &binned, const FeatureBinner &binner, GrowerSettings settings);
    ~HistogramGrower();

    // A tree fitted to the gradients (one per row of the binned matrix) by Newton steps:
    // leaf value -shrinkage * G / (H + l2). Adds each row's leaf value to raw[row * stride].
    // gradients.largest must bound every pair (quantising scales by it and does not check it).
    BinTree grow(const RowGradients &gradients, double *raw, Eigen::Index stride);

    // A histogram bin: sums of the quantised gradient, the quantised hessian and the row count
    // (and one unused lane), so one vector add updates a bin. Integer sums are exact, so any
    // order of adding, and subtracting a child from its parent, gives the same bits.
    using Sums = std::int32_t __attribute__((vector_size(16)));
    // A quantised gradient and hessian (one row's, or a sum), in units of the scales: half a bin,
    // so the rows' pairs take less cache, and the root's histogram, whose row counts are the same
    // for every tree, adds up half as many bytes.
    using QuantizedPair = std::int32_t __attribute__((vector_size(8)));

private:
    struct Split;
    struct Growing;

    void quantize(const RowGradients &gradients);
    double gradientOf(const Sums &sums) const { return mGradientScale * sums[0]; }
    double hessianOf(const Sums &sums) const { return mHessianScale * sums[1]; }
    void setLeafValues(BinTree &tree, std::span<const GradientPair> gradients, double *raw, Eigen::Index stride);
    static std::vector<std::size_t> leavesOf(const BinTree &tree);
    int takeHistogram();
    void releaseHistogram(int &index);
    // The histogram of every row, read in row order.
    void buildRootHistogram(Sums *histogram);
    // The histogram of the rows at [begin, end) of mRows.
    void buildHistogram(Sums *histogram, std::size_t begin, std::size_t end);
    double score(const Sums &sums) const;
    double gain(const Sums &left, const Sums &total, double parentScore) const;
    Split bestSplit(const Sums *histogram, const Sums &total) const;
    Split featureSplit(int feature, const Sums *histogram, const Sums &total, double parentScore) const;
    static Split firstBest(const std::vector<Split> &perFeature);
    void scanNumeric(int feature, const Sums *bins, const Sums &total, double parentScore, Split &best) const;
    void scanCategorical(int feature, const Sums *bins, const Sums &total, double parentScore, Split &best) const;
    std::size_t partition(std::size_t begin, std::size_t end, int feature, const std::array<std::uint8_t, 256> &goesLeft);
    bool splittable(const Growing &node) const;
    void splitLeaf(BinTree &tree, std::size_t index, bool more);

    const BinnedMatrix &mBinned;
    const FeatureBinner &mBinner;
    GrowerSettings mSettings;
    HugePageVector<std::uint32_t> mRows;
    HugePageVector<std::uint32_t> mScratch;
    std::vector<std::uint16_t> mLeafOf; // per row: its leaf's position among the last tree's leaves
    std::vector<std::vector<Sums>> mHistograms;
    std::vector<int> mFreeHistograms;
    HugePageVector<QuantizedPair> mQuantized;
    double mGradientScale = 1, mHessianScale = 1;
    std::vector<std::vector<Sums>> mChunkHistograms;
    std::vector<std::vector<QuantizedPair>> mRootChunkHistograms;
    std::vector<std::int32_t> mRootCounts; // per bin of every feature: the rows in it
    std::vector<Growing> mGrowing;
};

} // namespace plumb
