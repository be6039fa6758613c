#include "learn/histogramgrower.h"

#include "base/parallel.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <numeric>
#include <utility>

namespace plumb {

namespace {

using Sums = HistogramGrower::Sums;

// Every feature's histogram has this many bins (the largest bin count, missing bin included), so
// a row's bins are at fixed offsets.
constexpr std::size_t kBinStride = 256;
// Nodes of at least this many rows are built and partitioned in parallel, in one chunk per
// worker thread of at least kChunkRows rows each. Neither result depends on the chunks: integer
// histograms add up to the same bits in any grouping, and a stable partition is unique.
constexpr std::size_t kChunkRows = 2048;
constexpr std::size_t kParallelRows = 2 * kChunkRows;
// Rows per item of the per-row loops (quantising the gradients, updating raw scores).
constexpr std::size_t kRowBlock = 65536;
// sklearn's categorical split search: a category takes part once its hessian sum (scaled to a
// row count) reaches kCategorySupport; its order statistic is G / (H + kCategorySmoothing)
// (LightGBM's min_data_per_group and cat_smooth; unlike LightGBM, sklearn 1.2 sets no
// max_cat_threshold, so any number of categories may go left).
constexpr double kCategorySupport = 10;
constexpr double kCategorySmoothing = 10;

// Rows ahead whose gradients and codes are prefetched while building histograms and partitioning.
constexpr std::size_t kPrefetchDistance = 16;

constexpr int kCount = 2;
// Quantisation levels: the most that keeps any sum over all rows within an int32, capped.
constexpr double kMostLevels = 1 << 20;

// The number of chunks a node of `rows` rows is processed in.
std::size_t chunkCount(std::size_t rows)
{
    return rows < kParallelRows ? 1 : std::min(std::size_t(workerCount()), rows / kChunkRows);
}

std::size_t chunkBegin(std::size_t begin, std::size_t rows, std::size_t chunks, std::size_t chunk)
{
    return begin + rows * chunk / chunks;
}

std::size_t rowBlockCount(std::size_t rows)
{
    return (rows + kRowBlock - 1) / kRowBlock;
}

// The rows [first, last) of row block `block`.
std::pair<std::size_t, std::size_t> rowBlock(std::size_t rows, std::size_t block)
{
    return {block * kRowBlock, std::min(rows, (block + 1) * kRowBlock)};
}

using QuantizedPair = HistogramGrower::QuantizedPair;

// Adds the listed rows' quantised gradient pairs, and a count of one each, to the bins their
// codes name.
void accumulate(Sums *histogram, const std::uint32_t *rows, std::size_t count, const QuantizedPair *quantized,
                const BinnedMatrix &binned)
{
    const auto features = std::size_t(binned.cols);
    const std::uint8_t *codes = binned.codes.data();
    for (std::size_t k = 0; k < count; ++k) {
        // A node's rows are scattered over the matrix: fetch a later row's data while this one adds
        // up, so many cache misses are in flight at once instead of one at a time.
        if (k + kPrefetchDistance < count) {
            const std::uint32_t ahead = rows[k + kPrefetchDistance];
            __builtin_prefetch(quantized + ahead);
            __builtin_prefetch(codes + std::size_t(ahead) * features);
        }
        const std::uint32_t row = rows[k];
        const Sums add{quantized[row][0], quantized[row][1], 1, 0};
        const std::uint8_t *rowCodes = codes + std::size_t(row) * features;
        Sums *bins = histogram;
        // Unrolled, a bin update is five instructions with no loop overhead of its own (the
        // kernels ran a tenth faster).
#pragma GCC unroll 4
        for (std::size_t f = 0; f < features; ++f, bins += kBinStride)
            bins[rowCodes[f]] += add;
    }
}

// Adds the quantised gradient pairs of the rows [first, first + count), in order, to the bins
// their codes name (no counts).
void accumulateInOrder(QuantizedPair *histogram, std::size_t first, std::size_t count, const QuantizedPair *quantized,
                       const BinnedMatrix &binned)
{
    const auto features = std::size_t(binned.cols);
    const std::uint8_t *rowCodes = binned.codes.data() + first * features;
    for (std::size_t row = first; row < first + count; ++row, rowCodes += features) {
        const QuantizedPair add = quantized[row];
        QuantizedPair *bins = histogram;
#pragma GCC unroll 4
        for (std::size_t f = 0; f < features; ++f, bins += kBinStride)
            bins[rowCodes[f]] += add;
    }
}

} // namespace

struct HistogramGrower::Split
{
    double gain = 0;
    int feature = -1;
    int bin = 0;
    bool categorical = false;
    bool missingLeft = false;
    BinSet leftBins{};
    Sums left{};
};

struct HistogramGrower::Growing
{
    std::size_t begin = 0, end = 0;
    int depth = 0;
    Sums sums{};
    int histogram = -1;
    Split split;
};

double BinTree::value(const std::uint8_t *codes, int missingBin) const
{
    std::size_t index = 0;
    while (nodes[index].feature >= 0) {
        const BinNode &node = nodes[index];
        const int code = codes[node.feature];
        const bool left = node.categorical ? binSetHas(node.leftBins, code)
                                           : (code == missingBin ? node.missingLeft : code <= node.bin);
        index = std::size_t(left ? node.left : node.right);
    }
    return nodes[index].value;
}

HistogramGrower::HistogramGrower(const BinnedMatrix &binned, const FeatureBinner &binner, GrowerSettings settings)
    : mBinned(binned), mBinner(binner), mSettings(settings)
{
    const auto rows = std::size_t(binned.rows);
    mRows.resize(rows);
    mScratch.resize(rows);
    mLeafOf.resize(rows);
    mQuantized.resize(rows);
    // The root holds every row, so its bins' row counts are the same for every tree.
    const auto features = std::size_t(binned.cols);
    mRootCounts.assign(kBinStride * features, 0);
    parallelFor(features, [&](std::size_t feature) {
        const std::uint8_t *column = binned.column(Eigen::Index(feature));
        std::int32_t *counts = mRootCounts.data() + feature * kBinStride;
        for (std::size_t row = 0; row < rows; ++row)
            ++counts[column[row]];
    });
}

HistogramGrower::~HistogramGrower() = default;

int HistogramGrower::takeHistogram()
{
    if (mFreeHistograms.empty()) {
        mHistograms.emplace_back(kBinStride * std::size_t(mBinned.cols));
        return int(mHistograms.size()) - 1;
    }
    const int index = mFreeHistograms.back();
    mFreeHistograms.pop_back();
    return index;
}

void HistogramGrower::releaseHistogram(int &index)
{
    if (index >= 0)
        mFreeHistograms.push_back(index);
    index = -1;
}

void HistogramGrower::buildRootHistogram(Sums *histogram)
{
    const std::size_t rows = mRows.size(), chunks = chunkCount(rows), size = mRootCounts.size();
    while (mRootChunkHistograms.size() < chunks)
        mRootChunkHistograms.emplace_back(size);
    parallelFor(chunks, [&](std::size_t chunk) {
        QuantizedPair *target = mRootChunkHistograms[chunk].data();
        std::fill(target, target + size, QuantizedPair{});
        const std::size_t first = chunkBegin(0, rows, chunks, chunk), last = chunkBegin(0, rows, chunks, chunk + 1);
        accumulateInOrder(target, first, last - first, mQuantized.data(), mBinned);
    });
    for (std::size_t bin = 0; bin < size; ++bin) {
        QuantizedPair sum{};
        for (std::size_t chunk = 0; chunk < chunks; ++chunk)
            sum += mRootChunkHistograms[chunk][bin];
        histogram[bin] = Sums{sum[0], sum[1], mRootCounts[bin], 0};
    }
}

void HistogramGrower::buildHistogram(Sums *histogram, std::size_t begin, std::size_t end)
{
    const auto features = std::size_t(mBinned.cols);
    const std::size_t rows = end - begin, chunks = chunkCount(rows), size = kBinStride * features;
    while (mChunkHistograms.size() + 1 < chunks)
        mChunkHistograms.emplace_back(size);
    parallelFor(chunks, [&](std::size_t chunk) {
        Sums *target = chunk == 0 ? histogram : mChunkHistograms[chunk - 1].data();
        std::fill(target, target + size, Sums{});
        const std::size_t first = chunkBegin(begin, rows, chunks, chunk), last = chunkBegin(begin, rows, chunks, chunk + 1);
        accumulate(target, mRows.data() + first, last - first, mQuantized.data(), mBinned);
    });
    for (std::size_t chunk = 1; chunk < chunks; ++chunk) {
        const Sums *part = mChunkHistograms[chunk - 1].data();
        for (std::size_t i = 0; i < size; ++i)
            histogram[i] += part[i];
    }
}

// Gradients and hessians as whole multiples of a scale each: with L levels (|q| <= L), a sum over
// all n rows stays within n L <= 2^31 - 1. Rounded to nearest, ties to even.
void HistogramGrower::quantize(const RowGradients &gradients)
{
    const std::size_t rows = gradients.pairs.size(), blocks = rowBlockCount(rows);
    const double levels = std::min(kMostLevels, std::floor(2147483647.0 / double(std::max<std::size_t>(rows, 1))));
    mGradientScale = gradients.largest.gradient > 0 ? gradients.largest.gradient / levels : 1.0;
    mHessianScale = gradients.largest.hessian > 0 ? gradients.largest.hessian / levels : 1.0;
    const double toGradient = 1.0 / mGradientScale, toHessian = 1.0 / mHessianScale;
    const GradientPair *pairs = gradients.pairs.data();
    parallelFor(blocks, [&](std::size_t block) {
        const auto [first, last] = rowBlock(rows, block);
        for (std::size_t i = first; i < last; ++i) {
            assert(std::fabs(pairs[i].gradient) <= gradients.largest.gradient && pairs[i].hessian <= gradients.largest.hessian);
            mQuantized[i] = QuantizedPair{std::int32_t(std::nearbyint(pairs[i].gradient * toGradient)),
                                          std::int32_t(std::nearbyint(pairs[i].hessian * toHessian))};
        }
    });
}

double HistogramGrower::score(const Sums &sums) const
{
    const double gradient = gradientOf(sums);
    return gradient * gradient / (hessianOf(sums) + mSettings.l2Regularization);
}

// The gain of sending `left` left and the rest of `total` right, or -1 when a child would hold
// fewer than min_samples_leaf rows or too little hessian (sklearn's _split_gain).
double HistogramGrower::gain(const Sums &left, const Sums &total, double parentScore) const
{
    const Sums right = total - left;
    if (left[kCount] < mSettings.minSamplesLeaf || right[kCount] < mSettings.minSamplesLeaf
        || hessianOf(left) < mSettings.minHessianToSplit || hessianOf(right) < mSettings.minHessianToSplit)
        return -1;
    return score(left) + score(right) - parentScore;
}

// Thresholds between value bins, scanned twice when the node has missing values: once with
// them on the right (the last threshold then separates values from missing ones), once with them
// on the left. Without missing values in the node, unseen ones later go to the larger child.
void HistogramGrower::scanNumeric(int feature, const Sums *bins, const Sums &total, double parentScore, Split &best) const
{
    const int valueBins = mBinner.valueBins(feature);
    const Sums missing = bins[mBinner.missingBin()];
    const bool hasMissing = missing[kCount] > 0;
    const auto offer = [&](const Sums &left, int bin, bool missingLeft) {
        const double candidate = gain(left, total, parentScore);
        if (candidate > best.gain) {
            const Sums right = total - left;
            best = Split{candidate, feature, bin, false, hasMissing ? missingLeft : left[kCount] > right[kCount], {}, left};
        }
    };
    Sums left{};
    const int lastRight = hasMissing ? valueBins - 1 : valueBins - 2;
    for (int bin = 0; bin <= lastRight; ++bin) {
        left += bins[bin];
        offer(left, bin, false);
    }
    if (!hasMissing)
        return;
    left = missing;
    for (int bin = 0; bin <= valueBins - 2; ++bin) {
        left += bins[bin];
        offer(left, bin, true);
    }
}

// sklearn's many-vs-many categorical split: the categories with enough support, the missing
// "category" among them, sorted by G / (H + smoothing); the split sends left a prefix of that order
// of at most half of them (rounded up), or a suffix of fewer than half (rounded up): sklearn 1.2's
// _find_best_bin_to_split_category scans right to left only up to (n + 1) / 2 - 1. Categories
// without support always go right, so they stay with the side that holds at least half of the
// others. With the supported categories A (low G/H) and B and an unsupported C, the only split is
// A | B C: B | A C is never tried, however much better it would be.
void HistogramGrower::scanCategorical(int feature, const Sums *bins, const Sums &total, double parentScore, Split &best) const
{
    struct Category
    {
        int bin;
        double order;
    };
    const double supportFactor = total[kCount] / std::max(hessianOf(total), 1e-300);
    const int missingBin = mBinner.missingBin();
    std::vector<Category> used;
    const auto offerCategory = [&](int bin) {
        if (bins[bin][kCount] > 0 && hessianOf(bins[bin]) * supportFactor >= kCategorySupport)
            used.push_back({bin, gradientOf(bins[bin]) / (hessianOf(bins[bin]) + kCategorySmoothing)});
    };
    for (int bin = 0; bin < mBinner.valueBins(feature); ++bin)
        offerCategory(bin);
    offerCategory(missingBin);
    if (used.size() <= 1)
        return;
    std::stable_sort(used.begin(), used.end(), [](const Category &a, const Category &b) { return a.order < b.order; });
    const bool hasMissing = bins[missingBin][kCount] > 0;
    for (const bool fromLow : {true, false}) {
        const std::size_t most = fromLow ? (used.size() + 1) / 2 : (used.size() + 1) / 2 - 1;
        Sums left{};
        for (std::size_t i = 0; i < most; ++i) {
            left += bins[used[fromLow ? i : used.size() - 1 - i].bin];
            const double candidate = gain(left, total, parentScore);
            if (!(candidate > best.gain))
                continue;
            Split split{candidate, feature, 0, true, false, {}, left};
            for (std::size_t j = 0; j <= i; ++j)
                binSetAdd(split.leftBins, used[fromLow ? j : used.size() - 1 - j].bin);
            const Sums right = total - left;
            split.missingLeft = hasMissing ? binSetHas(split.leftBins, missingBin) : left[kCount] > right[kCount];
            if (split.missingLeft)
                binSetAdd(split.leftBins, missingBin);
            best = split;
        }
    }
}

HistogramGrower::Split HistogramGrower::featureSplit(int feature, const Sums *histogram, const Sums &total,
                                                     double parentScore) const
{
    Split best;
    const Sums *bins = histogram + std::size_t(feature) * kBinStride;
    if (mBinner.isCategorical(feature))
        scanCategorical(feature, bins, total, parentScore, best);
    else
        scanNumeric(feature, bins, total, parentScore, best);
    return best;
}

// The first of the largest gains in feature order: what one scan over the features in order finds.
HistogramGrower::Split HistogramGrower::firstBest(const std::vector<Split> &perFeature)
{
    Split best;
    for (const Split &candidate : perFeature)
        if (candidate.gain > best.gain)
            best = candidate;
    return best;
}

HistogramGrower::Split HistogramGrower::bestSplit(const Sums *histogram, const Sums &total) const
{
    const double parentScore = score(total);
    std::vector<Split> perFeature(std::size_t(mBinned.cols));
    parallelFor(perFeature.size(),
                [&](std::size_t feature) { perFeature[feature] = featureSplit(int(feature), histogram, total, parentScore); });
    return firstBest(perFeature);
}

// Reorders the node's rows so those that go left come first, keeping their order on each side
// (stable, so the result is the same in any chunks). Returns the first right row's position.
// Each chunk moves its left rows down in place (a row is never written before it is read) and its
// right rows to scratch; then the chunks' left runs close up and the right rows follow them.
std::size_t HistogramGrower::partition(std::size_t begin, std::size_t end, int feature,
                                       const std::array<std::uint8_t, 256> &goesLeft)
{
    const std::size_t rows = end - begin, chunks = chunkCount(rows);
    std::vector<std::size_t> leftCounts(chunks), rightCounts(chunks);
    const std::uint8_t *codes = mBinned.column(feature);
    parallelFor(chunks, [&](std::size_t chunk) {
        const std::size_t first = chunkBegin(begin, rows, chunks, chunk), last = chunkBegin(begin, rows, chunks, chunk + 1);
        std::uint32_t *left = mRows.data() + first, *right = mScratch.data() + first;
        // Without a branch on the side (a random split would mispredict half the time): every row
        // is written to both sides, and only the side it belongs to advances.
        std::size_t lefts = 0;
        for (std::size_t k = 0; k < last - first; ++k) {
            const std::uint32_t row = left[k];
            const std::size_t toLeft = goesLeft[codes[row]];
            left[lefts] = row;
            right[k - lefts] = row;
            lefts += toLeft;
        }
        leftCounts[chunk] = lefts;
        rightCounts[chunk] = last - first - lefts;
    });
    std::size_t leftAt = begin;
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
        const std::size_t first = chunkBegin(begin, rows, chunks, chunk);
        std::memmove(mRows.data() + leftAt, mRows.data() + first, leftCounts[chunk] * sizeof(std::uint32_t));
        leftAt += leftCounts[chunk];
    }
    const std::size_t middle = leftAt;
    std::size_t rightAt = middle;
    for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
        const std::size_t first = chunkBegin(begin, rows, chunks, chunk);
        std::memcpy(mRows.data() + rightAt, mScratch.data() + first, rightCounts[chunk] * sizeof(std::uint32_t));
        rightAt += rightCounts[chunk];
    }
    return middle;
}

bool HistogramGrower::splittable(const Growing &node) const
{
    return (mSettings.maxDepth == 0 || node.depth < mSettings.maxDepth) && node.sums[kCount] >= 2.0 * mSettings.minSamplesLeaf
        && hessianOf(node.sums) >= 2.0 * mSettings.minHessianToSplit;
}

// Splits the growing leaf `index` as its best split says, and finds its children's best splits
// when they may split further (`more`: the tree may still gain leaves).
void HistogramGrower::splitLeaf(BinTree &tree, std::size_t index, bool more)
{
    const Split split = mGrowing[index].split;
    std::array<std::uint8_t, 256> goesLeft{};
    for (int bin = 0; bin < 256; ++bin)
        goesLeft[std::size_t(bin)] = split.categorical ? binSetHas(split.leftBins, bin)
                                                       : (bin == mBinner.missingBin() ? split.missingLeft : bin <= split.bin);
    const std::size_t middle = partition(mGrowing[index].begin, mGrowing[index].end, split.feature, goesLeft);

    Growing left, right;
    left.begin = mGrowing[index].begin;
    left.end = right.begin = middle;
    right.end = mGrowing[index].end;
    left.depth = right.depth = mGrowing[index].depth + 1;
    left.sums = split.left;
    right.sums = mGrowing[index].sums - split.left;

    BinNode &node = tree.nodes[index];
    node.feature = split.feature;
    node.categorical = split.categorical;
    node.bin = split.bin;
    node.missingLeft = split.missingLeft;
    node.leftBins = split.leftBins;
    node.gain = split.gain;
    node.left = int(tree.nodes.size());
    node.right = node.left + 1;
    tree.nodes.push_back(BinNode{.samples = double(left.sums[kCount])});
    tree.nodes.push_back(BinNode{.samples = double(right.sums[kCount])});

    int parentHistogram = mGrowing[index].histogram;
    mGrowing[index].histogram = -1;
    const bool splitLeft = more && splittable(left), splitRight = more && splittable(right);
    if (splitLeft || splitRight) {
        // Build the smaller child; the parent's histogram minus it becomes the larger one's.
        const bool leftSmaller = left.end - left.begin <= right.end - right.begin;
        Growing &smaller = leftSmaller ? left : right, &larger = leftSmaller ? right : left;
        smaller.histogram = takeHistogram();
        Sums *small = mHistograms[std::size_t(smaller.histogram)].data();
        buildHistogram(small, smaller.begin, smaller.end);
        Sums *large = mHistograms[std::size_t(parentHistogram)].data();
        larger.histogram = parentHistogram;
        parentHistogram = -1;
        // Per feature, on all cores: the larger child's bins, then each child's best split.
        const Sums *leftBins = leftSmaller ? small : large, *rightBins = leftSmaller ? large : small;
        const double leftScore = score(left.sums), rightScore = score(right.sums);
        const auto features = std::size_t(mBinned.cols);
        std::vector<Split> leftSplits(splitLeft ? features : 0), rightSplits(splitRight ? features : 0);
        parallelFor(features, [&](std::size_t feature) {
            for (std::size_t bin = feature * kBinStride; bin < (feature + 1) * kBinStride; ++bin)
                large[bin] -= small[bin];
            if (splitLeft)
                leftSplits[feature] = featureSplit(int(feature), leftBins, left.sums, leftScore);
            if (splitRight)
                rightSplits[feature] = featureSplit(int(feature), rightBins, right.sums, rightScore);
        });
        left.split = firstBest(leftSplits);
        right.split = firstBest(rightSplits);
        for (Growing *child : {&left, &right})
            if (child->split.feature < 0)
                releaseHistogram(child->histogram);
    }
    releaseHistogram(parentHistogram);
    mGrowing.push_back(left);
    mGrowing.push_back(right);
}

BinTree HistogramGrower::grow(const RowGradients &gradients, double *raw, Eigen::Index stride)
{
    std::iota(mRows.begin(), mRows.end(), std::uint32_t(0));
    quantize(gradients);
    mFreeHistograms.resize(mHistograms.size());
    std::iota(mFreeHistograms.begin(), mFreeHistograms.end(), 0);
    mGrowing.clear();

    Growing root;
    root.end = mRows.size();
    root.histogram = takeHistogram();
    Sums *histogram = mHistograms[std::size_t(root.histogram)].data();
    buildRootHistogram(histogram);
    for (std::size_t bin = 0; bin < kBinStride; ++bin)
        root.sums += histogram[bin];
    if (splittable(root))
        root.split = bestSplit(histogram, root.sums);
    mGrowing.push_back(root);

    BinTree tree;
    tree.nodes.push_back(BinNode{.samples = double(root.sums[kCount])});
    for (int leaves = 1; leaves < mSettings.maxLeafNodes; ++leaves) {
        // The open leaf with the largest gain; ties go to the earlier node.
        std::size_t best = mGrowing.size();
        for (std::size_t i = 0; i < mGrowing.size(); ++i)
            if (tree.nodes[i].feature < 0 && mGrowing[i].split.feature >= 0
                && (best == mGrowing.size() || mGrowing[i].split.gain > mGrowing[best].split.gain))
                best = i;
        if (best == mGrowing.size())
            break;
        splitLeaf(tree, best, leaves + 1 < mSettings.maxLeafNodes);
    }
    setLeafValues(tree, gradients.pairs, raw, stride);
    return tree;
}

// Newton leaf values -shrinkage G / (H + l2) from the exact gradients of each leaf's rows, then
// added to those rows' raw scores. A leaf's rows are scattered, so rather than gather them leaf by
// leaf, each row's leaf is noted, and the rest runs in row blocks on all cores: each block sums
// its rows' gradients per leaf in row order, the block sums are added in block order (so the
// values do not depend on the thread count), and the raw scores are updated.
void HistogramGrower::setLeafValues(BinTree &tree, std::span<const GradientPair> gradients, double *raw, Eigen::Index stride)
{
    const std::vector<std::size_t> leaves = leavesOf(tree);
    parallelFor(leaves.size(), [&](std::size_t leaf) {
        const Growing &node = mGrowing[leaves[leaf]];
        for (std::size_t k = node.begin; k < node.end; ++k)
            mLeafOf[mRows[k]] = std::uint16_t(leaf);
    });
    const std::size_t rows = mLeafOf.size(), blocks = rowBlockCount(rows);
    std::vector<GradientPair> partial(blocks * leaves.size());
    parallelFor(blocks, [&](std::size_t block) {
        GradientPair *sums = partial.data() + block * leaves.size();
        const auto [first, last] = rowBlock(rows, block);
        for (std::size_t row = first; row < last; ++row) {
            GradientPair &sum = sums[mLeafOf[row]];
            sum.gradient += gradients[row].gradient;
            sum.hessian += gradients[row].hessian;
        }
    });
    std::vector<GradientPair> sums(leaves.size());
    for (std::size_t block = 0; block < blocks; ++block)
        for (std::size_t leaf = 0; leaf < leaves.size(); ++leaf) {
            sums[leaf].gradient += partial[block * leaves.size() + leaf].gradient;
            sums[leaf].hessian += partial[block * leaves.size() + leaf].hessian;
        }
    std::vector<double> values(leaves.size());
    for (std::size_t leaf = 0; leaf < leaves.size(); ++leaf) {
        const double denominator = sums[leaf].hessian + mSettings.l2Regularization;
        values[leaf] = denominator > 0 ? -mSettings.shrinkage * sums[leaf].gradient / denominator : 0.0;
        tree.nodes[leaves[leaf]].value = values[leaf];
    }
    parallelFor(blocks, [&](std::size_t block) {
        const auto [first, last] = rowBlock(rows, block);
        for (std::size_t row = first; row < last; ++row)
            raw[std::ptrdiff_t(row) * stride] += values[mLeafOf[row]];
    });
}

std::vector<std::size_t> HistogramGrower::leavesOf(const BinTree &tree)
{
    std::vector<std::size_t> leaves;
    for (std::size_t i = 0; i < tree.nodes.size(); ++i)
        if (tree.nodes[i].feature < 0)
            leaves.push_back(i);
    return leaves;
}

} // namespace plumb
