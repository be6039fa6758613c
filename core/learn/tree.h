#pragma once

#include "learn/componentstate.h"

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <vector>

namespace plumb {

// A fitted binary decision tree, stored flat in breadth-first order. An internal node tests
// x[feature] <= threshold and goes to its left child when true, to the right one otherwise; a
// missing value (NaN) goes right, unless the node sends missing values left (trees imported from
// scikit-learn 1.3 and later; Plumb's own trees never do).
// Children are allocated in node order, two at a time, so node 0 is the root, the children of
// the k-th internal node are 2k + 1 and 2k + 2, and the structure needs no child indices: only
// `feature` (-1 for a leaf), which makes a stored tree impossible to corrupt into a cycle.
// Every node keeps its weighted sample count and its outputs: class fractions (classification)
// or the mean target (regression), so a tree can be shown and explained, not only evaluated.
class Tree
{
public:
    struct Node
    {
        std::int32_t feature; // -1: a leaf
        std::int32_t left : 31; // internal: the left child (the right one follows it)
        std::uint32_t missingLeft : 1; // internal: NaN goes to the left child
        double threshold;

        // The child a value goes to.
        std::int32_t child(double value) const
        {
            return left + ((value <= threshold) | (missingLeft & (value != value)) ? 0 : 1);
        }
    };

    Tree() = default;
    Tree(std::vector<Node> nodes, std::vector<double> values, std::vector<double> samples, Eigen::Index outputs);

    Eigen::Index nodeCount() const { return Eigen::Index(mNodes.size()); }
    Eigen::Index outputs() const { return mOutputs; }
    const std::vector<Node> &nodes() const { return mNodes; }
    // The outputs of `node`: class fractions or the mean target.
    const double *values(Eigen::Index node) const { return mValues.data() + node * mOutputs; }
    double samples(Eigen::Index node) const { return mSamples[std::size_t(node)]; }
    int depth() const;

    // The leaf a row reaches; value(f) gives the row's feature f.
    template<typename Value> std::int32_t leafOf(const Value &value) const
    {
        std::int32_t node = 0;
        while (mNodes[std::size_t(node)].feature >= 0) {
            const Node &test = mNodes[std::size_t(node)];
            node = test.child(value(test.feature));
        }
        return node;
    }
    // The leaf of row `row` of a column-major matrix, and of one contiguous row.
    std::int32_t leafOf(const Eigen::MatrixXd &X, Eigen::Index row) const
    {
        const double *first = X.data() + row;
        const Eigen::Index stride = X.rows();
        return leafOf([first, stride](std::int32_t f) { return first[f * stride]; });
    }
    std::int32_t leafOf(const double *x) const
    {
        return leafOf([x](std::int32_t f) { return x[f]; });
    }

private:
    std::vector<Node> mNodes;
    std::vector<double> mValues; // nodeCount x outputs, row-major
    std::vector<double> mSamples;
    Eigen::Index mOutputs = 0;
};

// Trees in a model file: the arrays tree_nodes (node count per tree), feature, threshold,
// samples (one entry per node of all trees, tree after tree) and values (nodes x outputs), and
// missing_left (1 where a node sends missing values left) only when some node does.
void storeTrees(const std::vector<Tree> &trees, ComponentState &state);
// Reads trees back, checking every value: node counts consistent with the leaf marks, features
// in [0, featureCount), finite thresholds, non-negative finite sample counts, and finite values
// (class fractions in [0, 1] when `fractions`). The error names the owner and the field.
std::optional<Error> restoreTrees(const QString &owner, const ComponentState &state, Eigen::Index featureCount,
                                  Eigen::Index outputs, bool fractions, std::vector<Tree> &trees);

} // namespace plumb
