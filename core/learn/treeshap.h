#pragma once

#include <cstdint>
#include <vector>

namespace plumb {

class BoostedTrees;
class Tree;

// One tree as TreeSHAP reads it: its splits, each node's training cover, and its leaves' values.
// Nodes are numbered within the tree, the root is node 0 and children come after their parent.
// A split sends x left when x <= threshold; NaN goes the missing side (left when missingLeft).
// A categorical split (categorySet >= 0) sends the codes listed in categorySets[categorySet] left
// and the others right; NaN and values that are not a code 0..categories-1 go the missing side.
// These are the rules of Tree::Node::child and BoostedTrees::score, so a row reaches the same leaf.
struct ShapTree
{
    struct Node
    {
        std::int32_t feature = -1; // -1: a leaf
        std::int32_t left = -1;
        std::int32_t right = -1;
        double threshold = 0;
        bool missingLeft = false;
        std::int32_t categorySet = -1;
        std::int32_t categories = 0;
    };
    std::vector<Node> nodes;
    std::vector<double> covers; // per node: the (weighted) training rows, or hessian sum, that reached it
    std::vector<double> values; // per node x outputs (row-major); only leaves' are read
    int outputs = 1; // values per node
    int firstOutput = 0; // the model output that value 0 adds to (boosting: the tree's class)
    std::vector<std::vector<bool>> categorySets; // per categorical split: which codes go left

    // The child x goes to from internal node `node`.
    std::int32_t child(std::int32_t node, const double *x) const;
    // The deepest leaf's depth (a lone leaf: 0).
    int depth() const;
};

// A quadrature rule on [0, 1]: the integral of f is approximated by sum_k weights[k] f(nodes[k]).
struct QuadratureRule
{
    std::vector<double> nodes;
    std::vector<double> weights;
};
// Gauss-Legendre with `points` nodes: exact for polynomials of degree up to 2 points - 1.
QuadratureRule gaussLegendre(int points);

// The trees of a decision tree, a forest or a boosted model, ready for TreeSHAP.
std::vector<ShapTree> shapTrees(const std::vector<Tree> &trees);
std::vector<ShapTree> shapTrees(const BoostedTrees &trees);

// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
// attribution for tree ensembles", the values of its Algorithm 2): the Shapley values of one row for an ensemble
// whose output o is offset[o] + scale * sum over trees of the tree's leaf value for o. The value
// of a coalition S is the expected output when the features outside S are unknown, a split on one
// of them taking both sides in proportion to the children's covers (the "path-dependent"
// conditional expectation, as XGBoost's pred_contribs and the shap package's TreeExplainer).
// Contributions add up exactly: base(o) + sum_f phi(f, o) = the row's output o.
// A node whose cover is 0 (no training row reached it) is weighted as if its children had equal
// covers, both in the base value and in the contributions, so additivity still holds.
// Each leaf's share of the Shapley values is an integral of a product of non-negative factors,
// taken exactly by Gauss-Legendre quadrature instead of the paper's polynomial division: the same
// values, without the rounding error that grows with the number of features on a path. Trees of
// any depth are explained to full precision; the walk is a loop over one path, not a recursion,
// so a deep tree costs no call stack.
class TreeShap
{
public:
    TreeShap() = default;
    // `features` inputs per row, `outputs` model outputs. Forests pass scale 1 / trees; boosting
    // passes scale 1 and its baseline as offset (empty: zeros).
    TreeShap(std::vector<ShapTree> trees, int features, int outputs, double scale, std::vector<double> offset);

    int featureCount() const { return mFeatures; }
    int outputCount() const { return mOutputs; }
    // The expected output per output: offset + scale * each tree's cover-weighted mean leaf value.
    const std::vector<double> &baseValues() const { return mBase; }
    // Adds the row's contributions to phi: featureCount() x outputCount() values, row-major
    // (phi[f * outputCount() + o]). x holds featureCount() values (NaN: missing).
    // Thread-safe: concurrent calls share nothing but the trees.
    void explain(const double *x, double *phi) const;

private:
    std::vector<ShapTree> mTrees;
    int mFeatures = 0;
    int mOutputs = 0;
    double mScale = 1;
    std::vector<double> mBase;
    int mMaxDepth = 0;
    std::vector<QuadratureRule> mRules; // mRules[m]: Gauss-Legendre with m nodes
};

} // namespace plumb
