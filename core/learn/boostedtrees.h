#pragma once

#include "base/result.h"
#include "learn/componentstate.h"
#include "learn/histogramgrower.h"

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <vector>

namespace plumb {

struct ShapTree;

// The trees of a gradient-boosted model, flattened into one node array and scored on raw
// feature values (not bins). Tree t adds to output t % outputs(); a row's raw score for an
// output is its baseline plus its trees' leaf values, added in tree order, so a row scored alone
// and in a batch gets the same bits.
// Split rules: numeric, x <= threshold goes left, NaN goes the split's missing side. Categorical
// (the value a code 0..k-1 of a categorical feature), the codes in the split's set go left, other
// codes right; NaN and codes the training data did not have (outside 0..k-1, not whole) go the
// missing side.
class BoostedTrees
{
public:
    BoostedTrees() = default;
    // An ensemble with no trees yet. categoryCounts[f] is the number of categories of feature f,
    // 0 for a numeric feature.
    BoostedTrees(int outputs, std::vector<double> baseline, std::vector<int> categoryCounts);

    // Appends a tree grown on the binner's bins, turning bin thresholds into value thresholds.
    void append(const BinTree &tree, const FeatureBinner &binner);

    int outputs() const { return mOutputs; }
    Eigen::Index featureCount() const { return Eigen::Index(mCategoryCounts.size()); }
    std::size_t treeCount() const { return mRoots.size(); }
    bool isEmpty() const { return mOutputs == 0; }
    // The raw score before any tree, per output.
    const std::vector<double> &baseline() const { return mBaseline; }

    // Raw scores of every row of X (n x featureCount()), row-major n x outputs() into raw.
    // Parallel over blocks of rows; each block runs tree by tree so the trees stay in cache.
    void score(const Eigen::MatrixXd &X, double *raw) const;
    // The raw scores of one row (featureCount() values) into raw (outputs() values).
    void scoreRow(const double *x, double *raw) const;
    // Total split gain per feature, divided by the sum over features (all zero without splits).
    Eigen::VectorXd featureImportances() const;
    // Whether the trees know how many training rows reached each node (models saved before the
    // counts were stored do not); TreeSHAP (treeshap.h) needs them.
    bool hasNodeCovers() const { return !mCovers.empty(); }

    // The trees as a model file stores them (layout in the .cpp).
    void writeState(ComponentState &state) const;
    // Reads and checks every value: shapes, whole numbers in range, child links forming a tree
    // in every tree, features and category sets in range, finite thresholds and leaf values.
    static Result<BoostedTrees> readState(const QString &owner, const ComponentState &state);

private:
    // Reads the nodes as they are, so explanations follow the same splits (treeshap.cpp).
    friend std::vector<ShapTree> shapTrees(const BoostedTrees &trees);

    // Laid out for branch-free scoring: a row walks exactly depth(tree) steps from the root, and a
    // leaf's children are the leaf itself, so a row that reaches a leaf early stays there.
    struct Node
    {
        double threshold = 0; // numeric split: x <= threshold goes left; a leaf: its value
        std::int32_t feature = 0; // the input a split reads (0 for a leaf)
        std::int32_t categorySet = -1; // categorical split: its row of mCategorySets
        std::uint32_t children[2] = {}; // left, right (absolute indices in mNodes)
        std::int32_t missingLeft = 0;
        std::int32_t leaf = 0;
    };

    // Scoring large batches on codes: each numeric feature's thresholds over all trees, sorted,
    // and each value replaced by the count of thresholds below it (255: missing), so that
    // x <= threshold becomes a comparison of two bytes in a node a third the size. Ensembles with
    // a categorical split, or a feature with more than 254 thresholds, score on values.
    struct CodedNode
    {
        std::uint32_t children[2]; // as the Node's
        std::uint16_t feature;
        std::uint8_t threshold; // the index of the Node's threshold among its feature's
        std::uint8_t missingRight;
    };
    struct CodedTrees
    {
        std::vector<std::vector<double>> thresholds; // per feature, ascending
        std::vector<CodedNode> nodes; // parallel to mNodes
    };
    std::optional<CodedTrees> codedTrees() const;
    void scoreCodedBlock(const CodedTrees &coded, const double *rows, Eigen::Index count, double *raw) const;

    std::uint32_t step(const Node &node, const double *x) const;
    bool categoryGoesRight(const Node &node, double x) const;
    double treeValue(std::size_t tree, const double *x) const;
    template<int Rows> void scoreRows(std::size_t tree, const double *rows, double *raw) const;
    void scoreBlock(const double *rows, Eigen::Index count, double *raw) const;
    void appendDepth();

    int mOutputs = 0;
    std::vector<double> mBaseline;
    std::vector<int> mCategoryCounts;
    std::vector<Node> mNodes;
    std::vector<double> mGains; // per node, 0 for leaves
    std::vector<double> mCovers; // per node, the training rows (weighted) that reached it; may be empty
    std::vector<std::uint32_t> mRoots;
    std::vector<int> mDepths; // per tree: the deepest leaf's depth
    std::vector<BinSet> mCategorySets;
};

} // namespace plumb
