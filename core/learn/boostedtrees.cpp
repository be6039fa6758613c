#include "learn/boostedtrees.h"

#include "base/parallel.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

// State layout (N nodes over all trees, T trees, S category sets):
//   values  "outputs": raw scores per row; "features": inputs per row;
//           "categorical_features": indices of the categorical inputs; "category_counts": their k
//   arrays  "baseline" [outputs]; "tree_sizes" [T], nodes of each tree in order;
//           "node_feature" [N] (-1: leaf); "node_threshold" [N]; "node_left", "node_right" [N]
//           (within the tree, always after the node; -1 for a leaf); "node_missing_left" [N] (0 | 1);
//           "node_category_set" [N] (row of category_sets, -1 unless categorical); "node_value" [N]
//           (leaf values); "node_gain" [N]; "category_sets" [S x 8]: 256 bits in 32-bit words.

namespace {

constexpr Eigen::Index kScoreBlock = 256;
constexpr Eigen::Index kCodedBatch = 1024; // from this many rows, coding them pays for building the coded trees
constexpr std::uint8_t kMissingCode = 255;
constexpr int kSetWords = 8;

const QString kOutputs = QStringLiteral("outputs");
const QString kFeatures = QStringLiteral("features");
const QString kCategorical = QStringLiteral("categorical_features");
const QString kCategoryCounts = QStringLiteral("category_counts");
const QString kBaseline = QStringLiteral("baseline");
const QString kTreeSizes = QStringLiteral("tree_sizes");
const QString kNodeFeature = QStringLiteral("node_feature");
const QString kNodeThreshold = QStringLiteral("node_threshold");
const QString kNodeLeft = QStringLiteral("node_left");
const QString kNodeRight = QStringLiteral("node_right");
const QString kNodeMissingLeft = QStringLiteral("node_missing_left");
const QString kNodeCategorySet = QStringLiteral("node_category_set");
const QString kNodeValue = QStringLiteral("node_value");
const QString kNodeGain = QStringLiteral("node_gain");
const QString kCategorySets = QStringLiteral("category_sets");
const QString kNodeCover = QStringLiteral("node_cover"); // optional: files written before it lack it

bool wholeIn(double value, double lowest, double highest)
{
    return value >= lowest && value <= highest && value == std::floor(value);
}

Tensor toTensor(const std::vector<double> &values)
{
    return {{std::int64_t(values.size())}, values};
}

} // namespace

BoostedTrees::BoostedTrees(int outputs, std::vector<double> baseline, std::vector<int> categoryCounts)
    : mOutputs(outputs), mBaseline(std::move(baseline)), mCategoryCounts(std::move(categoryCounts))
{
}

void BoostedTrees::append(const BinTree &tree, const FeatureBinner &binner)
{
    const auto base = std::uint32_t(mNodes.size());
    mRoots.push_back(base);
    for (const BinNode &grown : tree.nodes) {
        Node node;
        if (grown.feature < 0) {
            node.threshold = grown.value;
            node.leaf = 1;
            node.children[0] = node.children[1] = std::uint32_t(mNodes.size());
        } else {
            node.feature = grown.feature;
            node.children[0] = base + std::uint32_t(grown.left);
            node.children[1] = base + std::uint32_t(grown.right);
            node.missingLeft = grown.missingLeft ? 1 : 0;
            if (grown.categorical) {
                BinSet set{};
                for (int code = 0; code < binner.valueBins(grown.feature); ++code)
                    if (binSetHas(grown.leftBins, code))
                        binSetAdd(set, code);
                node.categorySet = std::int32_t(mCategorySets.size());
                mCategorySets.push_back(set);
            } else {
                // The last value bin has no edge: that split sends every value left, NaN right.
                const std::vector<double> &edges = binner.edges(grown.feature);
                node.threshold = std::size_t(grown.bin) < edges.size() ? edges[std::size_t(grown.bin)]
                                                                       : std::numeric_limits<double>::max();
            }
        }
        mNodes.push_back(node);
        mGains.push_back(grown.feature < 0 ? 0.0 : grown.gain);
        mCovers.push_back(grown.samples);
    }
    appendDepth();
}

void BoostedTrees::appendDepth()
{
    const std::size_t root = mRoots.back();
    std::vector<int> depth(mNodes.size() - root, 0);
    int deepest = 0;
    for (std::size_t i = root; i < mNodes.size(); ++i) {
        const int here = depth[i - root];
        deepest = std::max(deepest, here);
        if (!mNodes[i].leaf)
            for (const std::uint32_t child : mNodes[i].children)
                depth[child - root] = here + 1;
    }
    mDepths.push_back(deepest);
}

bool BoostedTrees::categoryGoesRight(const Node &node, double x) const
{
    const int categories = mCategoryCounts[std::size_t(node.feature)];
    if (!(x >= 0 && x < categories) || x != std::floor(x))
        return !node.missingLeft;
    return !binSetHas(mCategorySets[std::size_t(node.categorySet)], int(x));
}

// One step down from `node` for the row x; a leaf steps to itself.
inline std::uint32_t BoostedTrees::step(const Node &node, const double *x) const
{
    const double value = x[node.feature];
    bool right;
    if (node.categorySet >= 0) [[unlikely]]
        right = categoryGoesRight(node, value);
    else // without a branch on the missing side: NaN fails the comparison and takes that side
        right = (value > node.threshold) | (std::isnan(value) & !node.missingLeft);
    return node.children[right ? 1 : 0];
}

double BoostedTrees::treeValue(std::size_t tree, const double *x) const
{
    std::uint32_t index = mRoots[tree];
    for (int depth = 0; depth < mDepths[tree]; ++depth)
        index = step(mNodes[index], x);
    return mNodes[index].threshold;
}

void BoostedTrees::scoreRow(const double *x, double *raw) const
{
    for (int output = 0; output < mOutputs; ++output)
        raw[output] = mBaseline[std::size_t(output)];
    for (std::size_t tree = 0; tree < mRoots.size(); ++tree)
        raw[tree % std::size_t(mOutputs)] += treeValue(tree, x);
}

// Walks `Rows` rows down one tree side by side: their steps are independent, so the processor
// overlaps them instead of waiting on each node load in turn.
template<int Rows> void BoostedTrees::scoreRows(std::size_t tree, const double *rows, double *raw) const
{
    const auto features = std::size_t(featureCount());
    std::uint32_t index[Rows];
    for (int r = 0; r < Rows; ++r)
        index[r] = mRoots[tree];
    for (int depth = 0; depth < mDepths[tree]; ++depth) {
        int atLeaves = 1;
        for (int r = 0; r < Rows; ++r) {
            index[r] = step(mNodes[index[r]], rows + std::size_t(r) * features);
            atLeaves &= mNodes[index[r]].leaf;
        }
        if (atLeaves) // every row has stopped early (leaf-wise trees are often lopsided)
            break;
    }
    const std::size_t output = tree % std::size_t(mOutputs);
    for (int r = 0; r < Rows; ++r)
        raw[std::size_t(r * mOutputs) + output] += mNodes[index[r]].threshold;
}

void BoostedTrees::scoreBlock(const double *rows, Eigen::Index count, double *raw) const
{
    constexpr int kGroup = 8;
    const auto features = std::size_t(featureCount());
    for (Eigen::Index r = 0; r < count; ++r)
        for (int output = 0; output < mOutputs; ++output)
            raw[r * mOutputs + output] = mBaseline[std::size_t(output)];
    for (std::size_t tree = 0; tree < mRoots.size(); ++tree) {
        Eigen::Index r = 0;
        for (; r + kGroup <= count; r += kGroup)
            scoreRows<kGroup>(tree, rows + std::size_t(r) * features, raw + r * mOutputs);
        for (; r < count; ++r)
            scoreRows<1>(tree, rows + std::size_t(r) * features, raw + r * mOutputs);
    }
}

std::optional<BoostedTrees::CodedTrees> BoostedTrees::codedTrees() const
{
    if (featureCount() > 65535)
        return std::nullopt;
    CodedTrees coded;
    coded.thresholds.resize(std::size_t(featureCount()));
    for (const Node &node : mNodes) {
        if (node.categorySet >= 0)
            return std::nullopt;
        if (!node.leaf)
            coded.thresholds[std::size_t(node.feature)].push_back(node.threshold);
    }
    for (std::vector<double> &thresholds : coded.thresholds) {
        std::sort(thresholds.begin(), thresholds.end());
        thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
        if (thresholds.size() > kMissingCode - 1)
            return std::nullopt;
    }
    coded.nodes.reserve(mNodes.size());
    for (const Node &node : mNodes) {
        CodedNode step{
            {node.children[0], node.children[1]}, std::uint16_t(node.feature), 0, std::uint8_t(node.missingLeft ? 0 : 1)};
        if (!node.leaf) {
            const std::vector<double> &thresholds = coded.thresholds[std::size_t(node.feature)];
            step.threshold = std::uint8_t(std::lower_bound(thresholds.begin(), thresholds.end(), node.threshold)
                                          - thresholds.begin());
        }
        coded.nodes.push_back(step);
    }
    return coded;
}

// Rows [0, count) of a row-major block coded, then walked tree by tree, eight side by side, as
// scoreRows does on values: the same leaves, the same sums in the same order.
void BoostedTrees::scoreCodedBlock(const CodedTrees &coded, const double *rows, Eigen::Index count, double *raw) const
{
    constexpr int kGroup = 8;
    const auto features = std::size_t(featureCount());
    std::vector<std::uint8_t> codes(std::size_t(count) * features, 0);
    for (std::size_t f = 0; f < features; ++f) {
        const std::vector<double> &thresholds = coded.thresholds[f];
        if (thresholds.empty())
            continue;
        for (Eigen::Index r = 0; r < count; ++r) {
            const double value = rows[std::size_t(r) * features + f];
            codes[std::size_t(r) * features + f] = std::isnan(value)
                ? kMissingCode
                : std::uint8_t(std::lower_bound(thresholds.begin(), thresholds.end(), value) - thresholds.begin());
        }
    }
    for (Eigen::Index r = 0; r < count; ++r)
        for (int output = 0; output < mOutputs; ++output)
            raw[r * mOutputs + output] = mBaseline[std::size_t(output)];
    for (std::size_t tree = 0; tree < mRoots.size(); ++tree) {
        const std::size_t output = tree % std::size_t(mOutputs);
        for (Eigen::Index first = 0; first < count; first += kGroup) {
            const int group = int(std::min<Eigen::Index>(kGroup, count - first));
            std::uint32_t index[kGroup];
            for (int r = 0; r < kGroup; ++r)
                index[r] = mRoots[tree];
            for (int depth = 0; depth < mDepths[tree]; ++depth) {
                for (int r = 0; r < group; ++r) {
                    const CodedNode &node = coded.nodes[index[r]];
                    const std::uint8_t code = codes[std::size_t(first + r) * features + node.feature];
                    const bool right = code == kMissingCode ? node.missingRight != 0 : code > node.threshold;
                    index[r] = node.children[right ? 1 : 0];
                }
            }
            for (int r = 0; r < group; ++r)
                raw[(first + r) * mOutputs + Eigen::Index(output)] += mNodes[index[r]].threshold;
        }
    }
}

void BoostedTrees::score(const Eigen::MatrixXd &X, double *raw) const
{
    const Eigen::Index rows = X.rows(), features = featureCount();
    const Eigen::Index blocks = (rows + kScoreBlock - 1) / kScoreBlock;
    const std::optional<CodedTrees> coded = rows >= kCodedBatch ? codedTrees() : std::nullopt;
    parallelFor(std::size_t(blocks), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kScoreBlock, count = std::min(kScoreBlock, rows - first);
        // The block's rows side by side, so a row's features share cache lines.
        std::vector<double> rowMajor(std::size_t(count * features));
        for (Eigen::Index f = 0; f < features; ++f) {
            const double *column = X.col(f).data() + first;
            for (Eigen::Index r = 0; r < count; ++r)
                rowMajor[std::size_t(r * features + f)] = column[r];
        }
        if (coded)
            scoreCodedBlock(*coded, rowMajor.data(), count, raw + first * mOutputs);
        else
            scoreBlock(rowMajor.data(), count, raw + first * mOutputs);
    });
}

Eigen::VectorXd BoostedTrees::featureImportances() const
{
    Eigen::VectorXd importances = Eigen::VectorXd::Zero(featureCount());
    for (std::size_t i = 0; i < mNodes.size(); ++i)
        if (!mNodes[i].leaf)
            importances[mNodes[i].feature] += mGains[i];
    const double total = importances.sum();
    if (total > 0)
        importances /= total;
    return importances;
}

void BoostedTrees::writeState(ComponentState &state) const
{
    QJsonArray categorical, counts;
    for (std::size_t f = 0; f < mCategoryCounts.size(); ++f)
        if (mCategoryCounts[f] > 0) {
            categorical.append(qint64(f));
            counts.append(mCategoryCounts[f]);
        }
    state.values.insert(kOutputs, mOutputs);
    state.values.insert(kFeatures, qint64(mCategoryCounts.size()));
    state.values.insert(kCategorical, categorical);
    state.values.insert(kCategoryCounts, counts);
    state.arrays[kBaseline] = toTensor(mBaseline);

    std::vector<double> sizes, feature, threshold, left, right, missingLeft, categorySet, value;
    for (std::size_t tree = 0; tree < mRoots.size(); ++tree) {
        const std::size_t begin = mRoots[tree], end = tree + 1 < mRoots.size() ? mRoots[tree + 1] : mNodes.size();
        sizes.push_back(double(end - begin));
        for (std::size_t i = begin; i < end; ++i) {
            const Node &node = mNodes[i];
            const bool leaf = node.leaf;
            feature.push_back(leaf ? -1.0 : node.feature);
            threshold.push_back(leaf || node.categorySet >= 0 ? 0.0 : node.threshold);
            left.push_back(leaf ? -1.0 : double(node.children[0] - begin));
            right.push_back(leaf ? -1.0 : double(node.children[1] - begin));
            missingLeft.push_back(node.missingLeft);
            categorySet.push_back(node.categorySet);
            value.push_back(leaf ? node.threshold : 0.0);
        }
    }
    state.arrays[kTreeSizes] = toTensor(sizes);
    state.arrays[kNodeFeature] = toTensor(feature);
    state.arrays[kNodeThreshold] = toTensor(threshold);
    state.arrays[kNodeLeft] = toTensor(left);
    state.arrays[kNodeRight] = toTensor(right);
    state.arrays[kNodeMissingLeft] = toTensor(missingLeft);
    state.arrays[kNodeCategorySet] = toTensor(categorySet);
    state.arrays[kNodeValue] = toTensor(value);
    state.arrays[kNodeGain] = toTensor(mGains);
    if (hasNodeCovers())
        state.arrays[kNodeCover] = toTensor(mCovers);
    Tensor sets{{std::int64_t(mCategorySets.size()), kSetWords}, {}};
    for (const BinSet &set : mCategorySets)
        for (int word = 0; word < kSetWords; ++word)
            sets.data.push_back(double((set[std::size_t(word / 2)] >> (32 * (word % 2))) & 0xffffffffu));
    state.arrays[kCategorySets] = std::move(sets);
}

namespace {

// The categorical features and their category counts from the state's values, as one count per
// feature (0 for numeric), or an error.
Result<std::vector<int>> readCategoryCounts(const QString &owner, const ComponentState &state, Eigen::Index features)
{
    const QJsonArray indices = state.values.value(kCategorical).toArray();
    const QJsonArray counts = state.values.value(kCategoryCounts).toArray();
    if (!state.values.value(kCategorical).isArray() || !state.values.value(kCategoryCounts).isArray()
        || indices.size() != counts.size())
        return Error::invalid(
            QStringLiteral("%1: '%2' and '%3' must be lists of the same length").arg(owner, kCategorical, kCategoryCounts));
    std::vector<int> perFeature(std::size_t(features), 0);
    for (qsizetype i = 0; i < indices.size(); ++i) {
        const double index = indices.at(i).toDouble(-1), count = counts.at(i).toDouble(-1);
        if (!wholeIn(index, 0, double(features - 1)) || perFeature[std::size_t(index)] != 0)
            return Error::invalid(QStringLiteral("%1: categorical feature %2 is not a distinct feature index below %3")
                                      .arg(owner)
                                      .arg(index)
                                      .arg(features));
        if (!wholeIn(count, 1, FeatureBinner::kMostBins))
            return Error::invalid(QStringLiteral("%1: categorical feature %2 has %3 categories; it must have 1 to %4")
                                      .arg(owner)
                                      .arg(index)
                                      .arg(count)
                                      .arg(FeatureBinner::kMostBins));
        perFeature[std::size_t(index)] = int(count);
    }
    return perFeature;
}

// The node arrays of the state, all of one length.
struct NodeArrays
{
    Eigen::VectorXd feature, threshold, left, right, missingLeft, categorySet, value, gain;
};

std::optional<Error> readNodeArrays(const QString &owner, const ComponentState &state, Eigen::Index nodes, NodeArrays &out)
{
    const std::pair<const QString *, Eigen::VectorXd *> arrays[] = {{&kNodeFeature, &out.feature},
                                                                    {&kNodeThreshold, &out.threshold},
                                                                    {&kNodeLeft, &out.left},
                                                                    {&kNodeRight, &out.right},
                                                                    {&kNodeMissingLeft, &out.missingLeft},
                                                                    {&kNodeCategorySet, &out.categorySet},
                                                                    {&kNodeValue, &out.value},
                                                                    {&kNodeGain, &out.gain}};
    for (const auto &[name, vector] : arrays)
        if (auto error = state.vector(owner, *name, nodes, *vector))
            return error;
    return std::nullopt;
}

// The optional node covers: absent (left empty), or one count of at least 0 per node.
std::optional<Error> readNodeCovers(const QString &owner, const ComponentState &state, Eigen::Index nodes, Eigen::VectorXd &out)
{
    if (!state.arrays.contains(kNodeCover))
        return std::nullopt;
    if (auto error = state.vector(owner, kNodeCover, nodes, out))
        return error;
    if (out.size() > 0 && out.minCoeff() < 0)
        return Error::invalid(QStringLiteral("%1: '%2' holds a negative count").arg(owner, kNodeCover));
    return std::nullopt;
}

// Checks one tree's nodes [begin, begin + size): whole numbers in range, children after their
// parent and every node but the root the child of exactly one node, so the links form a tree.
std::optional<Error> checkTree(const QString &owner, std::size_t tree, Eigen::Index begin, Eigen::Index size,
                               const NodeArrays &nodes, const std::vector<int> &categoryCounts, Eigen::Index sets)
{
    std::vector<int> parents(std::size_t(size), 0);
    const auto bad = [&](Eigen::Index node, const QString &what) {
        return Error::invalid(QStringLiteral("%1: tree %2, node %3: %4").arg(owner).arg(tree).arg(node).arg(what));
    };
    for (Eigen::Index j = 0; j < size; ++j) {
        const Eigen::Index i = begin + j;
        const double feature = nodes.feature[i];
        if (!wholeIn(feature, -1, double(categoryCounts.size()) - 1))
            return bad(j,
                       QStringLiteral("feature %1 is not -1 (a leaf) or an input index below %2")
                           .arg(feature)
                           .arg(categoryCounts.size()));
        if (nodes.missingLeft[i] != 0 && nodes.missingLeft[i] != 1)
            return bad(j, QStringLiteral("missing_left must be 0 or 1"));
        if (feature < 0) {
            if (nodes.left[i] != -1 || nodes.right[i] != -1 || nodes.categorySet[i] != -1)
                return bad(j, QStringLiteral("a leaf must have children -1 and category set -1"));
            continue;
        }
        for (const double child : {nodes.left[i], nodes.right[i]}) {
            if (!wholeIn(child, double(j + 1), double(size - 1)))
                return bad(j, QStringLiteral("child %1 is outside %2..%3").arg(child).arg(j + 1).arg(size - 1));
            ++parents[std::size_t(child)];
        }
        const bool categorical = categoryCounts[std::size_t(feature)] > 0;
        if (categorical ? !wholeIn(nodes.categorySet[i], 0, double(sets - 1)) : nodes.categorySet[i] != -1)
            return bad(j, QStringLiteral("category set %1 does not suit feature %2").arg(nodes.categorySet[i]).arg(feature));
    }
    for (Eigen::Index j = 1; j < size; ++j)
        if (parents[std::size_t(j)] != 1)
            return bad(
                j, QStringLiteral("the node is the child of %1 nodes; it must be of exactly one").arg(parents[std::size_t(j)]));
    return std::nullopt;
}

} // namespace

Result<BoostedTrees> BoostedTrees::readState(const QString &owner, const ComponentState &state)
{
    const double outputs = state.values.value(kOutputs).toDouble(-1), features = state.values.value(kFeatures).toDouble(-1);
    if (!wholeIn(outputs, 1, 1e6) || !wholeIn(features, 1, 1e9))
        return Error::invalid(
            QStringLiteral("%1: '%2' and '%3' must be whole numbers of at least 1").arg(owner, kOutputs, kFeatures));
    Result<std::vector<int>> counts = readCategoryCounts(owner, state, Eigen::Index(features));
    if (!counts)
        return counts.error();
    Eigen::VectorXd baseline, sizes;
    Eigen::MatrixXd sets;
    if (auto error = state.vector(owner, kBaseline, Eigen::Index(outputs), baseline))
        return *error;
    if (auto error = state.vector(owner, kTreeSizes, -1, sizes))
        return *error;
    if (auto error = state.matrix(owner, kCategorySets, -1, kSetWords, sets))
        return *error;
    if (sizes.size() % Eigen::Index(outputs) != 0)
        return Error::invalid(QStringLiteral("%1: %2 trees is not a whole number of iterations of %3 trees")
                                  .arg(owner)
                                  .arg(sizes.size())
                                  .arg(outputs));
    double total = 0;
    for (const double size : sizes) {
        if (!wholeIn(size, 1, double(std::numeric_limits<std::int32_t>::max())))
            return Error::invalid(
                QStringLiteral("%1: a tree size of %2 is not a whole number of at least 1").arg(owner).arg(size));
        total += size;
    }
    if (total > double(std::numeric_limits<std::int32_t>::max()))
        return Error::invalid(QStringLiteral("%1: too many nodes").arg(owner));
    NodeArrays nodes;
    if (auto error = readNodeArrays(owner, state, Eigen::Index(total), nodes))
        return *error;
    Eigen::VectorXd covers;
    if (auto error = readNodeCovers(owner, state, Eigen::Index(total), covers))
        return *error;
    for (const double word : sets.reshaped())
        if (!wholeIn(word, 0, 4294967295.0))
            return Error::invalid(QStringLiteral("%1: '%2' holds %3, not a 32-bit word").arg(owner, kCategorySets).arg(word));

    BoostedTrees trees(int(outputs), std::vector<double>(baseline.begin(), baseline.end()), std::move(counts).value());
    for (Eigen::Index r = 0; r < sets.rows(); ++r) {
        BinSet set{};
        for (int word = 0; word < kSetWords; ++word)
            set[std::size_t(word / 2)] |= std::uint64_t(sets(r, word)) << (32 * (word % 2));
        trees.mCategorySets.push_back(set);
    }
    Eigen::Index begin = 0;
    for (Eigen::Index tree = 0; tree < sizes.size(); ++tree) {
        const auto size = Eigen::Index(sizes[tree]);
        if (auto error = checkTree(owner, std::size_t(tree), begin, size, nodes, trees.mCategoryCounts, sets.rows()))
            return *error;
        trees.mRoots.push_back(std::uint32_t(begin));
        for (Eigen::Index i = begin; i < begin + size; ++i) {
            Node node;
            node.leaf = nodes.feature[i] < 0 ? 1 : 0;
            node.feature = node.leaf ? 0 : std::int32_t(nodes.feature[i]);
            node.threshold = node.leaf ? nodes.value[i] : nodes.threshold[i];
            node.children[0] = std::uint32_t(node.leaf ? i : begin + Eigen::Index(nodes.left[i]));
            node.children[1] = std::uint32_t(node.leaf ? i : begin + Eigen::Index(nodes.right[i]));
            node.categorySet = std::int32_t(nodes.categorySet[i]);
            node.missingLeft = std::int32_t(nodes.missingLeft[i]);
            trees.mNodes.push_back(node);
            trees.mGains.push_back(node.leaf ? 0.0 : nodes.gain[i]);
        }
        trees.appendDepth();
        begin += size;
    }
    trees.mCovers.assign(covers.begin(), covers.end());
    return trees;
}

} // namespace plumb
