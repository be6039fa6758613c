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

// The nodes are the roots of the Legendre polynomial P_points, found by Newton's method from the
// usual cosine guesses; the weights are all positive and add up to 1.
QuadratureRule gaussLegendre(int points)
{
    QuadratureRule rule;
    for (int i = 1; i <= points; ++i) {
        double x = std::cos(M_PI * (i - 0.25) / (points + 0.5)), derivative = 1;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double previous = 1, current = x; // P_0(x), P_1(x)
            for (int k = 2; k <= points; ++k) {
                const double next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
                previous = current;
                current = next;
            }
            derivative = points == 1 ? 1.0 : points * (x * current - previous) / (x * x - 1);
            const double step = current / derivative;
            x -= step;
            if (std::abs(step) < 1e-15)
                break;
        }
        rule.nodes.push_back((1 + x) / 2);
        rule.weights.push_back(1 / ((1 - x * x) * derivative * derivative));
    }
    return rule;
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

// One feature on the path from the root to the current node (Lundberg et al.'s path elements):
// the share of the coalitions without the feature that reach here (zero: the product of the
// cover shares of its splits on the path) and whether the row's own value follows the path (one).
// A feature split on again is merged into a new element; the earlier one is set aside (inactive).
struct PathElement
{
    int feature;
    double zero;
    double one;
    bool active;
};

// A split on the way down, kept to visit its other child and to restore the path on the way up.
struct PendingSplit
{
    std::int32_t node;
    std::int32_t cold; // the child the row does not take; -1 once visited
    int setAside; // the path element this split's feature merged, or -1
    double incomingZero;
};

// The walk's working memory, reused across the trees of one row.
struct TreeShapScratch
{
    // For trees of up to `depth` levels, whose leaves are integrated with up to `points` nodes.
    TreeShapScratch(int depth, int points)
        : active(std::size_t(depth)), factors(std::size_t(depth * points)), after(factors.size()), before(std::size_t(points))
    {
        path.reserve(std::size_t(depth));
        pending.reserve(std::size_t(depth));
    }
    std::vector<PathElement> path;
    std::vector<PendingSplit> pending;
    std::vector<PathElement> active; // a leaf's active path elements
    std::vector<double> factors;
    std::vector<double> after;
    std::vector<double> before;
};

// The Shapley value of path feature i at a leaf with d path features is
//   (one_i - zero_i) x value x sum over subsets S of the other features of
//   |S|! (d - 1 - |S|)! / d! x prod_{j in S} one_j x prod_{j not in S} zero_j,
// and since |S|! (d - 1 - |S|)! / d! is the integral over [0, 1] of t^|S| (1 - t)^(d - 1 - |S|),
// the sum is the integral of prod_{j != i} (zero_j (1 - t) + one_j t): a polynomial of degree
// d - 1, integrated exactly by Gauss-Legendre with ceil(d / 2) nodes. Every factor and weight is
// non-negative, so nothing cancels: the result keeps full precision at any depth, where the
// original EXTEND/UNWIND recursion divides polynomials and loses a digit every two levels.
struct Walk
{
    const ShapTree &tree;
    const double *x;
    double *phi;
    int outputs; // of the model: phi's row length
    double scale;
    const std::vector<QuadratureRule> &rules; // rules[m]: m nodes
    TreeShapScratch &scratch;

    void run() const
    {
        std::vector<PathElement> &path = scratch.path;
        std::vector<PendingSplit> &pending = scratch.pending;
        path.clear();
        pending.clear();
        std::int32_t node = 0;
        for (;;) {
            while (tree.nodes[std::size_t(node)].feature >= 0)
                node = descend(node);
            creditLeaf(node);
            node = nextColdChild();
            if (node < 0)
                return;
        }
    }

    // Takes the row's side of split `node`, extending the path; returns the child.
    std::int32_t descend(std::int32_t node) const
    {
        const ShapTree::Node &split = tree.nodes[std::size_t(node)];
        const std::int32_t hot = tree.child(node, x);
        const std::int32_t cold = hot == split.left ? split.right : split.left;
        std::vector<PathElement> &path = scratch.path;
        int setAside = -1;
        double incomingZero = 1, incomingOne = 1;
        for (std::size_t i = 0; i < path.size(); ++i) {
            if (path[i].active && path[i].feature == split.feature) {
                setAside = int(i);
                incomingZero = path[i].zero;
                incomingOne = path[i].one;
                path[i].active = false;
                break;
            }
        }
        scratch.pending.push_back({node, cold, setAside, incomingZero});
        path.push_back({split.feature, coverShare(tree, node, hot) * incomingZero, incomingOne, true});
        return hot;
    }

    // Climbs back from a finished leaf to the nearest split whose other side is still to visit,
    // and switches the path to it; -1 when the whole tree is done.
    std::int32_t nextColdChild() const
    {
        std::vector<PathElement> &path = scratch.path;
        std::vector<PendingSplit> &pending = scratch.pending;
        while (!pending.empty()) {
            PendingSplit &split = pending.back();
            if (split.cold >= 0) {
                const std::int32_t cold = split.cold;
                split.cold = -1;
                path.back().zero = coverShare(tree, split.node, cold) * split.incomingZero;
                path.back().one = 0;
                return cold;
            }
            path.pop_back();
            if (split.setAside >= 0)
                path[std::size_t(split.setAside)].active = true;
            pending.pop_back();
        }
        return -1;
    }

    // Adds the leaf's share to the Shapley values of the features on its path.
    void creditLeaf(std::int32_t node) const
    {
        const std::size_t d = gatherActive();
        if (d == 0)
            return;
        const QuadratureRule &rule = rules[(d + 1) / 2];
        const std::size_t m = rule.nodes.size();
        const PathElement *active = scratch.active.data();
        // factors[j * m + k]: element j's factor at node k; after[j * m + k]: the product of the
        // factors of the elements after j; before[k]: node k's weight times those before j.
        double *factors = scratch.factors.data(), *after = scratch.after.data(), *before = scratch.before.data();
        for (std::size_t j = 0; j < d; ++j)
            for (std::size_t k = 0; k < m; ++k)
                factors[j * m + k] = active[j].zero * (1 - rule.nodes[k]) + active[j].one * rule.nodes[k];
        std::fill(after + (d - 1) * m, after + d * m, 1.0);
        for (std::size_t j = d - 1; j > 0; --j)
            for (std::size_t k = 0; k < m; ++k)
                after[(j - 1) * m + k] = after[j * m + k] * factors[j * m + k];
        std::copy(rule.weights.begin(), rule.weights.end(), before);
        const double *leaf = tree.values.data() + std::size_t(node) * std::size_t(tree.outputs);
        for (std::size_t j = 0; j < d; ++j) {
            if (active[j].one != active[j].zero) {
                double integral = 0;
                for (std::size_t k = 0; k < m; ++k)
                    integral += before[k] * after[j * m + k];
                const double w = integral * (active[j].one - active[j].zero) * scale;
                double *out = phi + std::size_t(active[j].feature) * std::size_t(outputs) + std::size_t(tree.firstOutput);
                for (int o = 0; o < tree.outputs; ++o)
                    out[o] += w * leaf[o];
            }
            for (std::size_t k = 0; k < m; ++k)
                before[k] *= factors[j * m + k];
        }
    }

    // Copies the path's active elements to scratch.active; returns how many there are.
    std::size_t gatherActive() const
    {
        PathElement *active = scratch.active.data();
        std::size_t d = 0;
        for (const PathElement &element : scratch.path)
            if (element.active)
                active[d++] = element;
        return d;
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
    // A leaf has at most mMaxDepth path features, so rules of up to (mMaxDepth + 1) / 2 nodes.
    for (int points = 0; points <= (mMaxDepth + 1) / 2; ++points)
        mRules.push_back(gaussLegendre(points));
}

void TreeShap::explain(const double *x, double *phi) const
{
    TreeShapScratch scratch(mMaxDepth, int(mRules.size()) - 1);
    for (const ShapTree &tree : mTrees)
        Walk{tree, x, phi, mOutputs, mScale, mRules, scratch}.run();
}

} // namespace plumb
