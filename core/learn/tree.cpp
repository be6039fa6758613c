#include "learn/tree.h"

#include <algorithm>
#include <cmath>

namespace plumb {

Tree::Tree(std::vector<Node> nodes, std::vector<double> values, std::vector<double> samples, Eigen::Index outputs)
    : mNodes(std::move(nodes)), mValues(std::move(values)), mSamples(std::move(samples)), mOutputs(outputs)
{
}

int Tree::depth() const
{
    std::vector<int> depthOf(mNodes.size(), 0);
    int deepest = 0;
    for (std::size_t i = 0; i < mNodes.size(); ++i) {
        deepest = std::max(deepest, depthOf[i]);
        if (mNodes[i].feature >= 0) {
            depthOf[std::size_t(mNodes[i].left)] = depthOf[i] + 1;
            depthOf[std::size_t(mNodes[i].left) + 1] = depthOf[i] + 1;
        }
    }
    return deepest;
}

void storeTrees(const std::vector<Tree> &trees, ComponentState &state)
{
    Tensor sizes, feature, threshold, samples, values, missingLeft;
    bool anyMissingLeft = false;
    Eigen::Index total = 0;
    const Eigen::Index outputs = trees.empty() ? 0 : trees.front().outputs();
    for (const Tree &tree : trees) {
        sizes.data.push_back(double(tree.nodeCount()));
        total += tree.nodeCount();
        for (Eigen::Index i = 0; i < tree.nodeCount(); ++i) {
            const Tree::Node &node = tree.nodes()[std::size_t(i)];
            feature.data.push_back(node.feature);
            threshold.data.push_back(node.feature >= 0 ? node.threshold : 0.0);
            missingLeft.data.push_back(node.feature >= 0 && node.missingLeft ? 1.0 : 0.0);
            anyMissingLeft = anyMissingLeft || missingLeft.data.back() != 0;
            samples.data.push_back(tree.samples(i));
            values.data.insert(values.data.end(), tree.values(i), tree.values(i) + outputs);
        }
    }
    sizes.shape = {std::int64_t(trees.size())};
    feature.shape = threshold.shape = samples.shape = missingLeft.shape = {std::int64_t(total)};
    values.shape = {std::int64_t(total), std::int64_t(outputs)};
    state.arrays[QStringLiteral("tree_nodes")] = std::move(sizes);
    state.arrays[QStringLiteral("feature")] = std::move(feature);
    state.arrays[QStringLiteral("threshold")] = std::move(threshold);
    state.arrays[QStringLiteral("samples")] = std::move(samples);
    state.arrays[QStringLiteral("values")] = std::move(values);
    if (anyMissingLeft)
        state.arrays[QStringLiteral("missing_left")] = std::move(missingLeft);
}

namespace {

// The nodes of one stored tree, [first, first + count) of the flat arrays, with their child
// links derived from the leaf marks; an error when the marks do not describe a tree.
std::optional<QString> linkNodes(std::span<const double> feature, std::span<const double> threshold,
                                 std::span<const double> missingLeft, Eigen::Index first, Eigen::Index count,
                                 Eigen::Index featureCount, std::vector<Tree::Node> &nodes)
{
    nodes.resize(std::size_t(count));
    std::int32_t nextChild = 1;
    for (Eigen::Index i = 0; i < count; ++i) {
        const double f = feature[std::size_t(first + i)];
        if (!(f >= -1 && f < double(featureCount)) || f != double(std::int32_t(f))) // range first: the cast needs it
            return QStringLiteral("feature %1 of node %2 is not -1 or an input index below %3").arg(f).arg(i).arg(featureCount);
        Tree::Node &node = nodes[std::size_t(i)];
        node.feature = std::int32_t(f);
        node.threshold = threshold[std::size_t(first + i)];
        node.left = -1;
        node.missingLeft = 0;
        const double sendsMissingLeft = missingLeft.empty() ? 0.0 : missingLeft[std::size_t(first + i)];
        if (sendsMissingLeft != 0 && (sendsMissingLeft != 1 || node.feature < 0))
            return QStringLiteral("missing_left of node %1 must be 0, or 1 on a split").arg(i);
        if (node.feature < 0)
            continue;
        node.missingLeft = sendsMissingLeft != 0 ? 1u : 0u;
        if (nextChild + 1 >= count)
            return QStringLiteral("node %1 splits, but the tree has no room for its children").arg(i);
        if (nextChild <= i)
            return QStringLiteral("node %1 would be its own ancestor").arg(i);
        node.left = nextChild;
        nextChild += 2;
    }
    if (nextChild != count)
        return QStringLiteral("%1 nodes, but the splits account for %2").arg(count).arg(nextChild);
    return std::nullopt;
}

} // namespace

std::optional<Error> restoreTrees(const QString &owner, const ComponentState &state, Eigen::Index featureCount,
                                  Eigen::Index outputs, bool fractions, std::vector<Tree> &trees)
{
    trees.clear();
    // Views of the stored arrays: each tree copies its part once, straight into its own storage.
    std::span<const double> sizes, feature, threshold, samples, values, missingLeft;
    if (auto error = state.vectorView(owner, QStringLiteral("tree_nodes"), -1, sizes))
        return error;
    if (auto error = state.vectorView(owner, QStringLiteral("feature"), -1, feature))
        return error;
    const auto total = Eigen::Index(feature.size());
    if (auto error = state.vectorView(owner, QStringLiteral("threshold"), total, threshold))
        return error;
    if (auto error = state.vectorView(owner, QStringLiteral("samples"), total, samples))
        return error;
    if (auto error = state.matrixView(owner, QStringLiteral("values"), total, outputs, values))
        return error;
    // Optional: absent when every node sends missing values right.
    if (state.arrays.contains(QStringLiteral("missing_left")))
        if (auto error = state.vectorView(owner, QStringLiteral("missing_left"), total, missingLeft))
            return error;
    if (sizes.empty())
        return Error::invalid(QStringLiteral("%1: 'tree_nodes' lists no trees").arg(owner));
    if (std::ranges::any_of(samples, [](double count) { return count < 0; }))
        return Error::invalid(QStringLiteral("%1: 'samples' holds a negative count").arg(owner));
    if (fractions && std::ranges::any_of(values, [](double fraction) { return fraction < 0 || fraction > 1; }))
        return Error::invalid(QStringLiteral("%1: 'values' holds class fractions outside [0, 1]").arg(owner));
    // A node's class fractions are shares of its training rows: they sum to 1, up to rounding
    // (1e-6 leaves room for float32 fractions converted from scikit-learn).
    for (std::size_t node = 0; fractions && node < std::size_t(total); ++node) {
        double sum = 0;
        for (Eigen::Index o = 0; o < outputs; ++o)
            sum += values[node * std::size_t(outputs) + std::size_t(o)];
        if (std::fabs(sum - 1.0) > 1e-6)
            return Error::invalid(QStringLiteral("%1: 'values' row %2 holds class fractions that sum to %3, not 1")
                                      .arg(owner)
                                      .arg(node)
                                      .arg(sum, 0, 'g', 17));
    }
    Eigen::Index first = 0;
    trees.reserve(sizes.size());
    for (std::size_t t = 0; t < sizes.size(); ++t) {
        const double size = sizes[t];
        if (size != std::floor(size) || size < 1 || size > double(total - first))
            return Error::invalid(
                QStringLiteral("%1: 'tree_nodes' entry %2 does not fit the %3 stored nodes").arg(owner).arg(t).arg(total));
        const auto count = Eigen::Index(size);
        std::vector<Tree::Node> nodes;
        if (auto problem = linkNodes(feature, threshold, missingLeft, first, count, featureCount, nodes))
            return Error::invalid(QStringLiteral("%1: tree %2: %3").arg(owner).arg(t).arg(*problem));
        const auto treeValues = values.subspan(std::size_t(first * outputs), std::size_t(count * outputs));
        const auto treeSamples = samples.subspan(std::size_t(first), std::size_t(count));
        trees.emplace_back(std::move(nodes), std::vector<double>(treeValues.begin(), treeValues.end()),
                           std::vector<double>(treeSamples.begin(), treeSamples.end()), outputs);
        first += count;
    }
    if (first != total) {
        trees.clear();
        return Error::invalid(
            QStringLiteral("%1: 'tree_nodes' accounts for %2 of the %3 stored nodes").arg(owner).arg(first).arg(total));
    }
    return std::nullopt;
}

} // namespace plumb
