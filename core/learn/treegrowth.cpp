#include "learn/treegrowth.h"

#include "base/parallel.h"
#include "base/radixsort.h"
#include "base/random.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace plumb {

SortedFeatures::SortedFeatures(const Eigen::MatrixXd &X, bool withRanks)
    : mRows(X.rows()), mOrder(std::size_t(X.cols())), mValues(std::size_t(X.cols()))
{
    if (withRanks) {
        mRanks.resize(std::size_t(X.cols()));
        mDistinct.resize(std::size_t(X.cols()));
    }
    parallelFor(std::size_t(X.cols()), [&](std::size_t f) {
        const double *column = X.col(Eigen::Index(f)).data();
        mOrder[f] = radixArgsort(column, std::size_t(X.rows()));
        mValues[f].resize(mOrder[f].size());
        for (std::size_t i = 0; i < mOrder[f].size(); ++i)
            mValues[f][i] = column[mOrder[f][i]];
        if (!withRanks)
            return;
        mRanks[f].resize(mOrder[f].size());
        for (std::size_t i = 0; i < mOrder[f].size(); ++i) {
            if (i == 0 || mValues[f][i] > mValues[f][i - 1])
                mDistinct[f].push_back(mValues[f][i]);
            mRanks[f][mOrder[f][i]] = std::uint32_t(mDistinct[f].size() - 1);
        }
    });
}

bool sortsEachNode(const GrowthLimits &limits, Eigen::Index features)
{
    return limits.maxFeatures > 0 && limits.maxFeatures * 3 < features;
}

namespace {

// Two sorted values closer than this are one value: no threshold between them (scikit-learn's
// FEATURE_THRESHOLD).
constexpr double kFeatureThreshold = 1e-7;
// A node this pure is a leaf.
constexpr double kPure = std::numeric_limits<double>::epsilon();
constexpr double kNoCandidate = -std::numeric_limits<double>::infinity();

// One row in a feature's list: the feature's value, the row, and the row's target, so that a
// scan reads its list front to back and touches nothing else (weights excepted).
struct ClassEntry
{
    double value;
    std::uint32_t row;
    std::int32_t label;
};

struct ValueEntry
{
    double value;
    double target;
    std::uint32_t row;
};

// The statistics of a node for each criterion: class weights, or the weighted sum and sum of
// squares of the target. `proxy` orders the candidate splits of one node as the impurity
// decrease does (scikit-learn's proxy improvement) with less arithmetic.
template<SplitCriterion> struct Rule;

struct ClassRule
{
    using Entry = ClassEntry;
    static Entry entry(double value, std::uint32_t row, const GrowthTarget &target)
    {
        return {value, row, (*target.classes)[row]};
    }
    static void add(double *stats, const Entry &entry, double weight) { stats[entry.label] += weight; }
};

template<> struct Rule<SplitCriterion::Gini> : ClassRule
{
    static double proxy(const double *left, double leftWeight, const double *total, double weight, int width)
    {
        double leftSquares = 0, rightSquares = 0;
        for (int c = 0; c < width; ++c) {
            const double right = total[c] - left[c];
            leftSquares += left[c] * left[c];
            rightSquares += right * right;
        }
        return leftSquares / leftWeight + rightSquares / (weight - leftWeight);
    }
    static double impurity(const double *stats, double weight, int width)
    {
        double squares = 0;
        for (int c = 0; c < width; ++c)
            squares += (stats[c] / weight) * (stats[c] / weight);
        return 1.0 - squares;
    }
};

template<> struct Rule<SplitCriterion::Entropy> : ClassRule
{
    // -(weight x entropy) of one side, in bits; the right side's counts are total - left.
    static double sideTerm(const double *counts, double weight, int width, const double *total = nullptr)
    {
        double sum = 0;
        for (int c = 0; c < width; ++c) {
            const double count = total ? total[c] - counts[c] : counts[c];
            if (count > 0)
                sum += count * std::log2(count / weight);
        }
        return sum;
    }
    static double proxy(const double *left, double leftWeight, const double *total, double weight, int width)
    {
        return sideTerm(left, leftWeight, width) + sideTerm(left, weight - leftWeight, width, total);
    }
    static double impurity(const double *stats, double weight, int width) { return -sideTerm(stats, weight, width) / weight; }
};

template<> struct Rule<SplitCriterion::SquaredError>
{
    using Entry = ValueEntry;
    static Entry entry(double value, std::uint32_t row, const GrowthTarget &target)
    {
        return {value, (*target.values)[Eigen::Index(row)], row};
    }
    static void add(double *stats, const Entry &entry, double weight)
    {
        const double weighted = weight * entry.target;
        stats[0] += weighted;
        stats[1] += weighted * entry.target;
    }
    static double proxy(const double *left, double leftWeight, const double *total, double weight, int)
    {
        const double right = total[0] - left[0];
        return left[0] * left[0] / leftWeight + right * right / (weight - leftWeight);
    }
    static double impurity(const double *stats, double weight, int)
    {
        const double mean = stats[0] / weight;
        return stats[1] / weight - mean * mean;
    }
};

// Below this many rows a node's keys are sorted with std::sort; above, by radix passes.
constexpr std::size_t kRadixMinimum = 512;

// Sorts keys by their upper 32 bits (a rank below rankCount), stably, with 11-bit LSD passes;
// only as many passes as the ranks need.
void radixSortHigh(std::vector<std::uint64_t> &keys, std::vector<std::uint64_t> &scratch, std::size_t rankCount)
{
    constexpr int kDigitBits = 11;
    constexpr std::size_t kBuckets = std::size_t(1) << kDigitBits;
    int bits = 1;
    while (bits < 32 && (std::size_t(1) << bits) < rankCount)
        ++bits;
    scratch.resize(keys.size());
    std::vector<std::size_t> offsets(kBuckets);
    for (int shift = 32; shift < 32 + bits; shift += kDigitBits) {
        std::fill(offsets.begin(), offsets.end(), 0);
        for (std::uint64_t key : keys)
            ++offsets[(key >> shift) & (kBuckets - 1)];
        std::size_t start = 0;
        for (std::size_t &offset : offsets)
            start += std::exchange(offset, start);
        for (std::uint64_t key : keys)
            scratch[offsets[(key >> shift) & (kBuckets - 1)]++] = key;
        keys.swap(scratch);
    }
}

// A node still growing: its tree node, and where its rows sit in every feature's list.
struct OpenNode
{
    std::int32_t node;
    int depth;
    std::int64_t count;
    double weight;
    std::size_t begin, end;
};

struct Split
{
    double proxy = kNoCandidate;
    double threshold = 0;
    std::int32_t feature = -1;
    double leftWeight = 0; // the left side at this split; the right side is the node minus it
    std::int64_t leftCount = 0;
};

// The best split one feature offers each open node, and whether the feature varies there.
struct FeatureScan
{
    std::vector<Split> best;
    std::vector<double> leftStats; // per node, the statistics of best's left side
    std::vector<std::uint8_t> varies;
};

// A level's chosen splits, and each one's left-side statistics (open nodes x statistics).
struct LevelSplits
{
    std::vector<Split> best;
    std::vector<double> leftStats;
};

// Grows a tree level by level. Every feature keeps a list of the rows still in open nodes,
// grouped by node and sorted by value within each group, so finding a node's best split on a
// feature is one front-to-back pass over a contiguous stretch of memory. Splitting a level
// partitions each group into its children's groups, keeping the order (SPRINT's attribute lists).
template<SplitCriterion C> class Grower
{
    using Entry = typename Rule<C>::Entry;

public:
    Grower(const Eigen::MatrixXd &X, const SortedFeatures &sorted, const GrowthTarget &target, const GrowthLimits &limits,
           std::uint64_t seed, bool parallel)
        : mSorted(sorted), mTarget(target), mLimits(limits), mRandom(seed), mParallel(parallel),
          mWidth(C == SplitCriterion::SquaredError ? 2 : target.classCount),
          mOutputs(C == SplitCriterion::SquaredError ? 1 : target.classCount), mRowCount(X.rows()), mFeatures(X.cols()),
          mDrawCount(limits.maxFeatures > 0 && limits.maxFeatures < X.cols() ? limits.maxFeatures : X.cols()),
          mSortEachNode(sorted.hasRanks() && sortsEachNode(limits, X.cols()))
    {
        const bool unweighted = std::all_of(target.weights.begin(), target.weights.end(), [](double w) { return w == 1.0; });
        mWeights = unweighted ? nullptr : target.weights.data();
    }

    std::optional<GrownTree> grow(const ProgressSink &progress)
    {
        plantRoot();
        while (!mOpen.empty()) {
            if (progress.isCancelled())
                return std::nullopt;
            splitLevel(bestSplits());
        }
        return finish();
    }

private:
    double weightOf(std::uint32_t row) const { return mWeights ? mWeights[row] : 1.0; }
    const double *openStats(std::size_t k) const { return mOpenStats.data() + k * std::size_t(mWidth); }

    template<typename Body> void forEach(std::size_t count, const Body &body) const
    {
        if (mParallel)
            parallelFor(count, body);
        else
            for (std::size_t i = 0; i < count; ++i)
                body(i);
    }

    // A new node with the given statistics; its outputs and impurity follow from them.
    double addNode(const double *stats, double weight)
    {
        mNodes.push_back({.feature = -1, .left = -1, .missingLeft = 0, .threshold = 0.0});
        mSamples.push_back(weight);
        for (int o = 0; o < mOutputs; ++o)
            mValues.push_back(C == SplitCriterion::SquaredError ? stats[0] / weight : stats[o] / weight);
        const double impurity = weight > 0 ? Rule<C>::impurity(stats, weight, mWidth) : 0.0;
        mImpurity.push_back(impurity);
        return impurity;
    }

    bool staysLeaf(int depth, std::int64_t count, double impurity) const
    {
        return (mLimits.maxDepth > 0 && depth >= mLimits.maxDepth) || count < mLimits.minSamplesSplit
            || count < 2 * mLimits.minSamplesLeaf || impurity <= kPure;
    }

    // The root holds every row of positive weight; its statistics are summed in row order.
    void plantRoot()
    {
        std::vector<double> stats(std::size_t(mWidth), 0.0);
        double weight = 0;
        std::int64_t count = 0;
        for (Eigen::Index i = 0; i < mRowCount; ++i) {
            const auto row = std::uint32_t(i);
            const double w = weightOf(row);
            if (w <= 0)
                continue;
            Rule<C>::add(stats.data(), Rule<C>::entry(0.0, row, mTarget), w);
            weight += w;
            ++count;
        }
        const double impurity = addNode(stats.data(), weight);
        if (staysLeaf(0, count, impurity))
            return;
        mOpen.push_back({0, 0, count, weight, 0, std::size_t(count)});
        mOpenStats = std::move(stats);
        mConstant.assign(std::size_t(mFeatures), 0);
        mGoesLeft.assign((std::size_t(mRowCount) + 63) / 64, 0);
        if (mSortEachNode) {
            mNodeRows.reserve(std::size_t(count) + 1);
            for (Eigen::Index i = 0; i < mRowCount; ++i)
                if (weightOf(std::uint32_t(i)) > 0)
                    mNodeRows.push_back(std::uint32_t(i));
            return;
        }
        mLists.resize(std::size_t(mFeatures));
        forEach(std::size_t(mFeatures), [&](std::size_t f) {
            const std::vector<std::uint32_t> &order = mSorted.order(Eigen::Index(f));
            const std::vector<double> &values = mSorted.values(Eigen::Index(f));
            std::vector<Entry> &list = mLists[f];
            list.resize(std::size_t(count) + 1); // one spare slot for the branch-free filter's last write
            std::size_t kept = 0;
            for (std::size_t i = 0; i < order.size(); ++i) {
                list[kept] = Rule<C>::entry(values[i], order[i], mTarget);
                kept += weightOf(order[i]) > 0 ? 1 : 0;
            }
            list.resize(kept);
        });
    }

    // The features each open node may split on: all, or (limits.maxFeatures) a random draw.
    // Like scikit-learn, a node keeps drawing past the limit while drawn features turn out
    // constant in it, until it has seen maxFeatures that vary or has seen them all.
    LevelSplits bestSplits()
    {
        const std::size_t open = mOpen.size();
        LevelSplits best{std::vector<Split>(open), std::vector<double>(open * std::size_t(mWidth), 0.0)};
        if (mDrawCount == mFeatures) {
            std::vector<Eigen::Index> all(static_cast<std::size_t>(mFeatures));
            for (Eigen::Index f = 0; f < mFeatures; ++f)
                all[std::size_t(f)] = f;
            scanRound(all, nullptr, best, nullptr);
            return best;
        }
        const auto features = std::size_t(mFeatures);
        std::vector<std::int32_t> permutation(open * features);
        std::vector<Eigen::Index> drawn(open, 0), wanted(open, mDrawCount), varying(open, 0);
        for (std::size_t k = 0; k < open; ++k)
            for (std::size_t f = 0; f < features; ++f)
                permutation[k * features + f] = std::int32_t(f);
        while (true) {
            std::vector<std::uint8_t> uses(open * features, 0), used(features, 0);
            bool any = false;
            for (std::size_t k = 0; k < open; ++k) {
                std::int32_t *order = permutation.data() + k * features;
                for (; drawn[k] < mFeatures && wanted[k] > 0; ++drawn[k], --wanted[k]) {
                    const Eigen::Index j = drawn[k];
                    std::swap(order[j], order[j + Eigen::Index(mRandom.below(std::uint64_t(mFeatures - j)))]);
                    uses[k * features + std::size_t(order[j])] = 1;
                    used[std::size_t(order[j])] = 1;
                    any = true;
                }
            }
            if (!any)
                return best;
            std::vector<Eigen::Index> round;
            for (std::size_t f = 0; f < features; ++f)
                if (used[f])
                    round.push_back(Eigen::Index(f));
            scanRound(round, uses.data(), best, varying.data());
            for (std::size_t k = 0; k < open; ++k)
                wanted[k] = std::max<Eigen::Index>(0, mDrawCount - varying[k]);
        }
    }

    // Scans `features` (for the nodes `uses` marks, or all) and keeps each node's best split.
    // Features are merged in ascending order, so equal candidates go to the lowest feature.
    void scanRound(const std::vector<Eigen::Index> &features, const std::uint8_t *uses, LevelSplits &best, Eigen::Index *varying)
    {
        std::vector<FeatureScan> scans(features.size());
        forEach(features.size(), [&](std::size_t j) { scans[j] = scanFeature(features[j], uses); });
        for (std::size_t j = 0; j < features.size(); ++j)
            for (std::size_t k = 0; k < mOpen.size(); ++k) {
                if (uses && !uses[k * std::size_t(mFeatures) + std::size_t(features[j])])
                    continue;
                if (varying && scans[j].varies[k])
                    ++varying[k];
                if (scans[j].best[k].proxy > best.best[k].proxy) {
                    best.best[k] = scans[j].best[k];
                    std::copy_n(scans[j].leftStats.data() + k * std::size_t(mWidth), mWidth,
                                best.leftStats.data() + k * std::size_t(mWidth));
                }
            }
    }

    // A feature found constant in a node is marked so (mConstant): it is constant in every
    // descendant too, which is then neither scanned nor sent down on it (scikit-learn's known
    // constant features). One-hot columns are mostly constant a few levels down.
    FeatureScan scanFeature(Eigen::Index feature, const std::uint8_t *uses)
    {
        const std::size_t open = mOpen.size();
        FeatureScan scan{std::vector<Split>(open), std::vector<double>(open * std::size_t(mWidth), 0.0),
                         std::vector<std::uint8_t>(open, 0)};
        std::vector<double> left(static_cast<std::size_t>(mWidth));
        std::vector<Entry> sorted;
        std::vector<std::uint64_t> keys, scratch;
        for (std::size_t k = 0; k < open; ++k) {
            if (uses && !uses[k * std::size_t(mFeatures) + std::size_t(feature)])
                continue;
            std::uint8_t &constant = mConstant[k * std::size_t(mFeatures) + std::size_t(feature)];
            if (constant)
                continue;
            const Entry *first = nullptr, *last = nullptr;
            if (mSortEachNode) {
                sortNodeRows(k, feature, keys, scratch, sorted);
                first = sorted.data();
                last = first + sorted.size();
            } else {
                first = mLists[std::size_t(feature)].data() + mOpen[k].begin;
                last = mLists[std::size_t(feature)].data() + mOpen[k].end;
            }
            scan.varies[k] = scanNode(k, std::int32_t(feature), first, last, left.data(), scan.best[k],
                                      scan.leftStats.data() + k * std::size_t(mWidth));
            constant = scan.varies[k] ? 0 : 1;
        }
        return scan;
    }

    // Node k's rows as entries sorted by the feature's value (equal values in row order): each
    // row's rank and row index packed in one key, sorted by the rank bits with a radix sort
    // (std::sort for small nodes), then the values read from the feature's distinct values.
    void sortNodeRows(std::size_t k, Eigen::Index feature, std::vector<std::uint64_t> &keys, std::vector<std::uint64_t> &scratch,
                      std::vector<Entry> &sorted) const
    {
        const std::vector<std::uint32_t> &ranks = mSorted.ranks(feature);
        const std::vector<double> &distinct = mSorted.distinct(feature);
        const std::uint32_t *rows = mNodeRows.data() + mOpen[k].begin;
        const std::size_t count = mOpen[k].end - mOpen[k].begin;
        keys.resize(count);
        for (std::size_t i = 0; i < count; ++i)
            keys[i] = (std::uint64_t(ranks[rows[i]]) << 32) | rows[i];
        if (count < kRadixMinimum)
            std::sort(keys.begin(), keys.end());
        else
            radixSortHigh(keys, scratch, distinct.size());
        sorted.resize(count);
        for (std::size_t i = 0; i < count; ++i)
            sorted[i] = Rule<C>::entry(distinct[keys[i] >> 32], std::uint32_t(keys[i]), mTarget);
    }

    // One node's rows on one feature, in ascending order: the left side grows row by row and
    // every change of value is a candidate threshold, halfway between the two values. False when
    // the feature is constant in the node.
    bool scanNode(std::size_t k, std::int32_t feature, const Entry *first, const Entry *last, double *left, Split &best,
                  double *bestLeft) const
    {
        if constexpr (C != SplitCriterion::SquaredError)
            if (mWidth == 2)
                return scanNodeAs<true>(k, feature, first, last, left, best, bestLeft);
        return scanNodeAs<false>(k, feature, first, last, left, best, bestLeft);
    }

    // Binary: the two class weights of the left side live in registers rather than in `left`,
    // so adding a row does not wait on the previous row's store.
    template<bool Binary>
    bool scanNodeAs(std::size_t k, std::int32_t feature, const Entry *first, const Entry *last, double *left, Split &best,
                    double *bestLeft) const
    {
        if (last - first < 2 || !(last[-1].value > first->value + kFeatureThreshold))
            return false;
        std::fill(left, left + mWidth, 0.0);
        const double *total = openStats(k);
        const double weight = mOpen[k].weight;
        const std::int64_t count = mOpen[k].count, minLeaf = mLimits.minSamplesLeaf;
        double leftWeight = 0, previous = first->value, class0 = 0, class1 = 0;
        std::int64_t leftCount = 0;
        for (const Entry *entry = first; entry != last && count - leftCount >= minLeaf; ++entry) {
            if (leftCount >= minLeaf && entry->value > previous + kFeatureThreshold) {
                if constexpr (Binary) {
                    left[0] = class0;
                    left[1] = class1;
                }
                const double proxy = Rule<C>::proxy(left, leftWeight, total, weight, mWidth);
                if (proxy > best.proxy) {
                    double threshold = previous / 2.0 + entry->value / 2.0;
                    if (threshold == entry->value || !std::isfinite(threshold))
                        threshold = previous;
                    best = {proxy, threshold, feature, leftWeight, leftCount};
                    std::copy_n(left, mWidth, bestLeft);
                }
            }
            const double w = weightOf(entry->row);
            if constexpr (Binary) {
                const bool second = entry->label != 0;
                class0 += second ? 0.0 : w;
                class1 += second ? w : 0.0;
            } else {
                Rule<C>::add(left, *entry, w);
            }
            leftWeight += w;
            ++leftCount;
            previous = entry->value;
        }
        return true;
    }

    std::size_t goesLeft(std::uint32_t row) const { return (mGoesLeft[row >> 6] >> (row & 63)) & 1U; }
    static std::uint32_t rowOf(const Entry &entry) { return entry.row; }
    static std::uint32_t rowOf(std::uint32_t row) { return row; }

    // Marks the side each of node k's rows goes to, reading the rows on the split's feature.
    void markSides(std::size_t k, const Split &split)
    {
        const auto mark = [&](std::uint32_t row, double value) {
            const std::uint64_t bit = std::uint64_t(1) << (row & 63);
            std::uint64_t &word = mGoesLeft[row >> 6];
            word = value <= split.threshold ? word | bit : word & ~bit;
        };
        if (mSortEachNode) {
            const std::vector<std::uint32_t> &ranks = mSorted.ranks(split.feature);
            const std::vector<double> &distinct = mSorted.distinct(split.feature);
            for (std::size_t i = mOpen[k].begin; i < mOpen[k].end; ++i)
                mark(mNodeRows[i], distinct[ranks[mNodeRows[i]]]);
            return;
        }
        const Entry *list = mLists[std::size_t(split.feature)].data();
        for (std::size_t i = mOpen[k].begin; i < mOpen[k].end; ++i)
            mark(list[i].row, list[i].value);
    }

    // Turns every open node with a split into an internal node with two children, sends its rows
    // down, and opens the children that may split further.
    void splitLevel(const LevelSplits &level)
    {
        const std::vector<Split> &best = level.best;
        const std::size_t open = mOpen.size();
        std::vector<std::int32_t> firstChild(open, -1);
        std::int32_t children = 0;
        for (std::size_t k = 0; k < open; ++k) {
            if (best[k].feature < 0)
                continue;
            Tree::Node &node = mNodes[std::size_t(mOpen[k].node)];
            node.feature = best[k].feature;
            node.threshold = best[k].threshold;
            node.left = std::int32_t(mNodes.size()) + children;
            firstChild[k] = children;
            children += 2;
        }
        // The children's statistics come from the scan: the left side as it stood at the split,
        // the right side the node minus it (as scikit-learn does). Either growth strategy scans in
        // the same order, so both grow the same tree bit for bit.
        std::vector<double> stats(std::size_t(children) * std::size_t(mWidth), 0.0), weight(std::size_t(children), 0.0);
        std::vector<std::int64_t> count(std::size_t(children), 0);
        for (std::size_t k = 0; k < open; ++k) {
            if (firstChild[k] < 0)
                continue;
            const auto left = std::size_t(firstChild[k]), right = left + 1;
            const double *leftStats = level.leftStats.data() + k * std::size_t(mWidth);
            for (int s = 0; s < mWidth; ++s) {
                stats[left * std::size_t(mWidth) + std::size_t(s)] = leftStats[s];
                stats[right * std::size_t(mWidth) + std::size_t(s)] = openStats(k)[s] - leftStats[s];
            }
            weight[left] = best[k].leftWeight;
            weight[right] = mOpen[k].weight - best[k].leftWeight;
            count[left] = best[k].leftCount;
            count[right] = mOpen[k].count - best[k].leftCount;
            markSides(k, best[k]);
        }
        std::vector<std::pair<std::size_t, std::size_t>> ranges; // each split node's group in the lists
        std::vector<std::size_t> parents; // and the open node it is
        for (std::size_t k = 0; k < open; ++k)
            if (firstChild[k] >= 0) {
                ranges.emplace_back(mOpen[k].begin, mOpen[k].end);
                parents.push_back(k);
            }
        std::vector<std::size_t> destination = openChildren(firstChild, best, stats, weight, count);
        partitionLists(firstChild, ranges, parents, destination, count);
        mConstant = std::move(mNextConstant);
    }

    // Adds the children, opens those that may split further (laid out in the lists in node
    // order), and returns where each child's rows go in the next lists (SIZE_MAX: dropped).
    std::vector<std::size_t> openChildren(const std::vector<std::int32_t> &firstChild, const std::vector<Split> &best,
                                          const std::vector<double> &stats, const std::vector<double> &weight,
                                          const std::vector<std::int64_t> &count)
    {
        std::vector<OpenNode> nextOpen;
        std::vector<double> nextStats;
        mNextConstant.clear();
        std::vector<std::size_t> destination(weight.size(), SIZE_MAX);
        std::size_t next = 0;
        for (std::size_t k = 0; k < mOpen.size(); ++k) {
            if (firstChild[k] < 0)
                continue;
            const OpenNode &parent = mOpen[k];
            double decrease = parent.weight * mImpurity[std::size_t(parent.node)];
            for (std::int32_t side = 0; side < 2; ++side) {
                const auto c = std::size_t(firstChild[k] + side);
                const double *childStats = stats.data() + c * std::size_t(mWidth);
                const auto node = std::int32_t(mNodes.size());
                const double impurity = addNode(childStats, weight[c]);
                decrease -= weight[c] * impurity;
                if (staysLeaf(parent.depth + 1, count[c], impurity))
                    continue;
                destination[c] = next;
                nextOpen.push_back({node, parent.depth + 1, count[c], weight[c], next, next + std::size_t(count[c])});
                nextStats.insert(nextStats.end(), childStats, childStats + mWidth);
                const auto parentConstant = mConstant.begin() + std::ptrdiff_t(k * std::size_t(mFeatures));
                mNextConstant.insert(mNextConstant.end(), parentConstant, parentConstant + mFeatures);
                next += std::size_t(count[c]);
            }
            mDecrease.push_back({best[k].feature, decrease});
        }
        mOpen = std::move(nextOpen);
        mOpenStats = std::move(nextStats);
        return destination;
    }

    // Rewrites every feature's list for the next level: each split node's group becomes its open
    // children's groups, order kept; rows in nodes that became leaves leave the lists. A feature
    // constant in a node is not sent down: its children's stretches of that list are never read.
    void partitionLists(const std::vector<std::int32_t> &firstChild,
                        const std::vector<std::pair<std::size_t, std::size_t>> &ranges, const std::vector<std::size_t> &parents,
                        const std::vector<std::size_t> &destination, const std::vector<std::int64_t> &childCount)
    {
        const std::size_t active = mOpen.empty() ? 0 : mOpen.back().end;
        std::vector<std::size_t> children;
        for (std::int32_t child : firstChild)
            if (child >= 0)
                children.push_back(std::size_t(child));
        if (mSortEachNode) {
            std::vector<std::uint32_t> next(active + 1);
            for (std::size_t g = 0; g < ranges.size(); ++g) {
                const std::size_t c = children[g];
                partitionGroup(mNodeRows.data() + ranges[g].first, mNodeRows.data() + ranges[g].second, next.data(),
                               destination[c], destination[c + 1], std::size_t(childCount[c + 1]));
            }
            next.resize(active);
            mNodeRows = std::move(next);
            return;
        }
        mSpareLists.resize(mLists.size());
        forEach(mLists.size(), [&](std::size_t f) {
            std::vector<Entry> &next = mSpareLists[f];
            next.resize(active + 1); // a spare slot for the branch-free loops' last stray write
            const Entry *list = mLists[f].data();
            for (std::size_t g = 0; g < ranges.size(); ++g) {
                if (mConstant[parents[g] * std::size_t(mFeatures) + f])
                    continue;
                const std::size_t c = children[g];
                partitionGroup(list + ranges[g].first, list + ranges[g].second, next.data(), destination[c], destination[c + 1],
                               std::size_t(childCount[c + 1]));
            }
            next.resize(active);
            std::swap(mLists[f], next);
        });
    }

    // Sends one group's entries to its children's places in `next` (SIZE_MAX: a child that is a
    // leaf, whose rows are dropped). Branch-free, since the side is a coin toss to the processor:
    // every entry is written to both places and only its side's position advances. The stray
    // writes land on slots a later write fills. With both children open, the right side is
    // written backwards from its end (so the left side's stray writes past its end fall on slots
    // the right side writes last), then reversed.
    template<typename Item>
    void partitionGroup(const Item *first, const Item *last, Item *next, std::size_t left, std::size_t right,
                        std::size_t rightCount) const
    {
        if (left != SIZE_MAX && right != SIZE_MAX) {
            std::size_t toLeft = left, toRight = right + rightCount - 1;
            for (const Item *item = first; item != last; ++item) {
                const std::size_t goes = goesLeft(rowOf(*item));
                next[toLeft] = *item;
                next[toRight] = *item;
                toLeft += goes;
                toRight -= 1 - goes;
            }
            std::reverse(next + right, next + right + rightCount);
        } else if (left != SIZE_MAX || right != SIZE_MAX) {
            const std::size_t keepLeft = left != SIZE_MAX ? 1 : 0;
            std::size_t to = keepLeft ? left : right;
            for (const Item *item = first; item != last; ++item) {
                next[to] = *item;
                to += goesLeft(rowOf(*item)) == keepLeft ? 1 : 0;
            }
        }
    }

    GrownTree finish()
    {
        Eigen::VectorXd importance = Eigen::VectorXd::Zero(mFeatures);
        for (const auto &[feature, decrease] : mDecrease)
            importance[feature] += decrease;
        const double total = importance.sum();
        if (total > 0)
            importance /= total;
        return {Tree(std::move(mNodes), std::move(mValues), std::move(mSamples), mOutputs), importance};
    }

    const SortedFeatures &mSorted;
    const GrowthTarget &mTarget;
    const GrowthLimits mLimits;
    Random mRandom;
    const bool mParallel;
    const int mWidth;
    const int mOutputs;
    const Eigen::Index mRowCount;
    const Eigen::Index mFeatures;
    const Eigen::Index mDrawCount;
    const bool mSortEachNode;
    const double *mWeights = nullptr; // null: every row weighs 1

    std::vector<std::vector<Entry>> mLists;
    std::vector<std::vector<Entry>> mSpareLists; // the previous level's lists, reused as the next level's
    std::vector<std::uint32_t> mNodeRows; // sorting each node: the open nodes' rows, grouped by node
    std::vector<std::uint64_t> mGoesLeft; // one bit per row: the side its node's split sends it
    std::vector<OpenNode> mOpen;
    std::vector<double> mOpenStats;
    std::vector<std::uint8_t> mConstant; // open nodes x features: 1 where the feature is constant in the node
    std::vector<std::uint8_t> mNextConstant; // the same for the next level's open nodes

    std::vector<Tree::Node> mNodes;
    std::vector<double> mValues, mSamples, mImpurity;
    std::vector<std::pair<std::int32_t, double>> mDecrease; // (feature, weighted impurity decrease) per split
};

template<SplitCriterion C>
std::optional<GrownTree> growWith(const Eigen::MatrixXd &X, const SortedFeatures &sorted, const GrowthTarget &target,
                                  const GrowthLimits &limits, std::uint64_t seed, bool parallel, const ProgressSink &progress)
{
    return Grower<C>(X, sorted, target, limits, seed, parallel).grow(progress);
}

} // namespace

std::optional<GrownTree> growTree(const Eigen::MatrixXd &X, const SortedFeatures &sorted, const GrowthTarget &target,
                                  const GrowthLimits &limits, std::uint64_t seed, bool parallel, const ProgressSink &progress)
{
    switch (limits.criterion) {
    case SplitCriterion::Gini:
        return growWith<SplitCriterion::Gini>(X, sorted, target, limits, seed, parallel, progress);
    case SplitCriterion::Entropy:
        return growWith<SplitCriterion::Entropy>(X, sorted, target, limits, seed, parallel, progress);
    case SplitCriterion::SquaredError:
        return growWith<SplitCriterion::SquaredError>(X, sorted, target, limits, seed, parallel, progress);
    }
    return std::nullopt;
}

} // namespace plumb
