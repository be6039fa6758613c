#include "learn/treeshap.h"

#include "learn/boostedtrees.h"
#include "learn/tree.h"

#include <algorithm>
#include <cmath>

namespace plumb {

std::int32_t ShapTree::child(std::int32_t node, const double *x) const
{
    const Node &split = nodes[std::size_t(node)];
    const double value = x[split.feature];
    bool left;
    if (split.categorySet >= 0) {
        if (!(value >= 0 && value < split.categories) || value != std::floor(value))
            left = split.missingLeft;
        else
            left = categorySets[std::size_t(split.categorySet)][std::size_t(value)];
    } else {
        left = value <= split.threshold || (split.missingLeft && std::isnan(value));
    }
    return left ? split.left : split.right;
}

int ShapTree::depth() const
{
    std::vector<int> depths(nodes.size(), 0);
    int deepest = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        deepest = std::max(deepest, depths[i]);
        if (nodes[i].feature >= 0)
            depths[std::size_t(nodes[i].left)] = depths[std::size_t(nodes[i].right)] = depths[i] + 1;
    }
    return deepest;
}

std::vector<ShapTree> shapTrees(const std::vector<Tree> &trees)
{
    std::vector<ShapTree> out;
    out.reserve(trees.size());
    for (const Tree &tree : trees) {
        ShapTree shap;
        shap.outputs = int(tree.outputs());
        for (Eigen::Index i = 0; i < tree.nodeCount(); ++i) {
            const Tree::Node &node = tree.nodes()[std::size_t(i)];
            ShapTree::Node n;
            if (node.feature >= 0) {
                n.feature = node.feature;
                n.left = node.left;
                n.right = node.left + 1;
                n.threshold = node.threshold;
                n.missingLeft = node.missingLeft != 0;
            }
            shap.nodes.push_back(n);
            shap.covers.push_back(tree.samples(i));
            shap.values.insert(shap.values.end(), tree.values(i), tree.values(i) + tree.outputs());
        }
        out.push_back(std::move(shap));
    }
    return out;
}

std::vector<ShapTree> shapTrees(const BoostedTrees &trees)
{
    std::vector<ShapTree> out;
    out.reserve(trees.mRoots.size());
    for (std::size_t t = 0; t < trees.mRoots.size(); ++t) {
        const std::size_t root = trees.mRoots[t], end = t + 1 < trees.mRoots.size() ? trees.mRoots[t + 1] : trees.mNodes.size();
        ShapTree shap;
        shap.firstOutput = int(t % std::size_t(trees.mOutputs));
        for (std::size_t i = root; i < end; ++i) {
            const BoostedTrees::Node &node = trees.mNodes[i];
            ShapTree::Node n;
            if (!node.leaf) {
                n.feature = node.feature;
                n.left = std::int32_t(node.children[0] - root);
                n.right = std::int32_t(node.children[1] - root);
                n.threshold = node.threshold;
                n.missingLeft = node.missingLeft != 0;
                if (node.categorySet >= 0) {
                    n.categories = trees.mCategoryCounts[std::size_t(node.feature)];
                    n.categorySet = std::int32_t(shap.categorySets.size());
                    std::vector<bool> left(std::size_t(n.categories));
                    for (int code = 0; code < n.categories; ++code)
                        left[std::size_t(code)] = binSetHas(trees.mCategorySets[std::size_t(node.categorySet)], code);
                    shap.categorySets.push_back(std::move(left));
                }
            }
            shap.nodes.push_back(n);
            shap.covers.push_back(trees.mCovers.empty() ? 0.0 : trees.mCovers[i]);
            shap.values.push_back(node.leaf ? node.threshold : 0.0);
        }
        out.push_back(std::move(shap));
    }
    return out;
}

namespace {

// The share of a node's cover that went to `child`: the weight of that side when the split's
// feature is unknown. A node no training row reached splits its weight evenly.
double coverShare(const ShapTree &tree, std::int32_t node, std::int32_t child)
{
    const double cover = tree.covers[std::size_t(node)];
    return cover > 0 ? tree.covers[std::size_t(child)] / cover : 0.5;
}

// The expected value of each output over the leaves, weighted by the product of the cover shares
// on their paths: the value of the empty coalition. Children follow their parent, so one pass
// from the root gives every node's weight.
void addExpected(const ShapTree &tree, double scale, std::vector<double> &base)
{
    std::vector<double> weight(tree.nodes.size(), 0.0);
    weight[0] = 1;
    for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
        const ShapTree::Node &node = tree.nodes[i];
        if (node.feature >= 0) {
            weight[std::size_t(node.left)] = weight[i] * coverShare(tree, std::int32_t(i), node.left);
            weight[std::size_t(node.right)] = weight[i] * coverShare(tree, std::int32_t(i), node.right);
            continue;
        }
        for (int o = 0; o < tree.outputs; ++o)
            base[std::size_t(tree.firstOutput + o)] += scale * weight[i]
                * tree.values[i * std::size_t(tree.outputs) + std::size_t(o)];
    }
}

// One element of the path of unique features from the root (Lundberg et al., Algorithm 2):
// the share of coalitions without the feature that reach here (zero), whether the row's own value
// follows the path (one), and the weight of the subsets of the path's features of each size.
struct PathElement
{
    int feature;
    double zero;
    double one;
    double weight;
};

// The recursion divides by small whole numbers (path lengths and positions) over and over: they
// are multiplied by reciprocals from a table instead (inv[k] = 1 / k), which halves the time.

// EXTEND: adds a feature to the path of `depth` elements, updating the subset weights.
void extendPath(PathElement *path, int depth, double zero, double one, int feature, const double *inv)
{
    path[depth] = {feature, zero, one, depth == 0 ? 1.0 : 0.0};
    const double share = inv[depth + 1];
    for (int i = depth - 1; i >= 0; --i) {
        path[i + 1].weight += one * path[i].weight * (i + 1) * share;
        path[i].weight = zero * path[i].weight * (depth - i) * share;
    }
}

// UNWIND: removes element `index` from the path of depth + 1 elements, undoing its EXTEND.
void unwindPath(PathElement *path, int depth, int index, const double *inv)
{
    const double one = path[index].one, zero = path[index].zero;
    const double share = inv[depth + 1];
    double next = path[depth].weight;
    for (int i = depth - 1; i >= 0; --i) {
        if (one != 0) {
            const double kept = path[i].weight;
            path[i].weight = next * (depth + 1) * inv[i + 1] / one;
            next = kept - path[i].weight * zero * (depth - i) * share;
        } else {
            path[i].weight = path[i].weight * (depth + 1) * inv[depth - i] / zero;
        }
    }
    for (int i = index; i < depth; ++i) {
        path[i].feature = path[i + 1].feature;
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
    }
}

// The total weight the path would have with element `index` unwound, without changing it.
double unwoundSum(const PathElement *path, int depth, int index, const double *inv)
{
    const double one = path[index].one, zero = path[index].zero;
    double next = path[depth].weight, total = 0;
    if (one != 0) {
        const double scale = (depth + 1) / one, share = zero * inv[depth + 1];
        for (int i = depth - 1; i >= 0; --i) {
            const double term = next * scale * inv[i + 1];
            total += term;
            next = path[i].weight - term * (depth - i) * share;
        }
    } else if (zero != 0) {
        const double scale = (depth + 1) / zero;
        for (int i = depth - 1; i >= 0; --i)
            total += path[i].weight * scale * inv[depth - i];
    }
    return total;
}

struct Walk
{
    const ShapTree &tree;
    const double *x;
    double *phi;
    int outputs; // of the model: phi's row length
    double scale;
    const double *inv; // inv[k] = 1 / k

    // RECURSE: `parent` holds the path so far (uniqueDepth elements); this node's path is built
    // in the slots after it, so each level keeps its own copy for the other child.
    void recurse(std::int32_t node, PathElement *parent, int uniqueDepth, double zero, double one, int feature) const
    {
        PathElement *path = parent + uniqueDepth + 1;
        std::copy(parent, parent + uniqueDepth + 1, path);
        extendPath(path, uniqueDepth, zero, one, feature, inv);
        const ShapTree::Node &split = tree.nodes[std::size_t(node)];
        if (split.feature < 0) {
            const double *leaf = tree.values.data() + std::size_t(node) * std::size_t(tree.outputs);
            for (int i = 1; i <= uniqueDepth; ++i) {
                const double w = unwoundSum(path, uniqueDepth, i, inv) * (path[i].one - path[i].zero) * scale;
                double *out = phi + std::size_t(path[i].feature) * std::size_t(outputs) + std::size_t(tree.firstOutput);
                for (int o = 0; o < tree.outputs; ++o)
                    out[o] += w * leaf[o];
            }
            return;
        }
        const std::int32_t hot = tree.child(node, x);
        const std::int32_t cold = hot == split.left ? split.right : split.left;
        double incomingZero = 1, incomingOne = 1;
        // A feature split on again: its earlier element is taken out and its fractions carried on.
        int found = 1;
        while (found <= uniqueDepth && path[found].feature != split.feature)
            ++found;
        if (found <= uniqueDepth) {
            incomingZero = path[found].zero;
            incomingOne = path[found].one;
            unwindPath(path, uniqueDepth, found, inv);
            --uniqueDepth;
        }
        recurse(hot, path, uniqueDepth + 1, coverShare(tree, node, hot) * incomingZero, incomingOne, split.feature);
        recurse(cold, path, uniqueDepth + 1, coverShare(tree, node, cold) * incomingZero, 0, split.feature);
    }
};

} // namespace

TreeShap::TreeShap(std::vector<ShapTree> trees, int features, int outputs, double scale, std::vector<double> offset)
    : mTrees(std::move(trees)), mFeatures(features), mOutputs(outputs), mScale(scale), mBase(std::move(offset))
{
    mBase.resize(std::size_t(outputs), 0.0);
    for (const ShapTree &tree : mTrees) {
        addExpected(tree, mScale, mBase);
        mMaxDepth = std::max(mMaxDepth, tree.depth());
    }
    mInverses.assign(std::size_t(mMaxDepth + 3), 0.0);
    for (std::size_t k = 1; k < mInverses.size(); ++k)
        mInverses[k] = 1.0 / double(k);
}

void TreeShap::explain(const double *x, double *phi) const
{
    // Each level of the recursion keeps a path one element longer than its parent's.
    const int levels = mMaxDepth + 2;
    std::vector<PathElement> paths(std::size_t(levels * (levels + 1) / 2 + levels));
    for (const ShapTree &tree : mTrees) {
        const Walk walk{tree, x, phi, mOutputs, mScale, mInverses.data()};
        walk.recurse(0, paths.data(), 0, 1, 1, -1);
    }
}

} // namespace plumb
