#pragma once

#include "learn/model.h"
#include "learn/tree.h"
#include "learn/treegrowth.h"

#include <limits>

namespace plumb {

// What decision trees and random forests share: a set of trees whose leaf outputs are averaged
// (class fractions for classification, target means for regression), the parameters that shape
// each tree, and how trees are stored. The subclasses differ only in how they grow their trees.
class TreeEnsemble : public Model
{
public:
    Task task() const override { return mTask; }
    bool isFitted() const override { return !mTrees.empty(); }
    Eigen::Index featureCount() const override { return mFeatureCount; }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return mTask == Task::Classification ? mClassCount : 1; }
    // Splits compare one feature with a threshold: scaling changes nothing.
    InputNeeds inputNeeds() const override { return {false, false}; }
    // The mean decrease in impurity each feature brings, normalised to sum 1.
    Eigen::VectorXd featureImportances() const override { return mImportances; }
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;

    const std::vector<Tree> &trees() const { return mTrees; }

protected:
    TreeEnsemble(Task task, std::vector<ParamSpec> schema) : Model(ParamValues(std::move(schema))), mTask(task) { }

    // The parameters every tree takes, as the schema names them.
    static std::vector<ParamSpec> treeParams(Task task, const QString &defaultMaxFeatures);
    // What growing needs, prepared once per fit: the checked target with its per-row weights (row
    // weights x class weights), the limits from the parameters, the sorted features and the seed.
    struct Growth
    {
        GrowthTarget target;
        GrowthLimits limits;
        SortedFeatures sorted;
        std::uint64_t seed;
    };
    Result<Growth> prepareGrowth(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) const;
    // Replaces the fitted state.
    void setFitted(std::vector<Tree> trees, Eigen::VectorXd importances, Eigen::Index features, int classes);
    // Extra fitted values a subclass stores (the forest's out-of-bag score).
    virtual void storeExtra(ComponentState &) const { }
    virtual std::optional<Error> restoreExtra(const ComponentState &) { return std::nullopt; }
    // Sums the trees' outputs for rows [first, first + count) of X into `sums` (count x outputs).
    void sumTreeOutputs(const Eigen::MatrixXd &X, Eigen::Index first, Eigen::Index count, Eigen::MatrixXd &sums) const;

private:
    GrowthLimits growthLimits(Eigen::Index features) const;
    Result<GrowthTarget> growthTarget(const Eigen::MatrixXd &X, const FitTarget &y) const;
    void clearFitted();

    Task mTask;
    std::vector<Tree> mTrees;
    Eigen::VectorXd mImportances;
    Eigen::Index mFeatureCount = 0;
    int mClassCount = 0;
};

// One decision tree, grown on every row as scikit-learn's DecisionTreeClassifier and
// DecisionTreeRegressor (best splitter). Parameters: criterion (gini | entropy; squared_error),
// max_depth (0: unlimited), min_samples_split, min_samples_leaf, max_features (all | sqrt |
// log2), class_weight (none | balanced), seed.
class DecisionTree final : public TreeEnsemble
{
public:
    explicit DecisionTree(Task task);

    QString kind() const override { return QStringLiteral("decision_tree"); }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    std::unique_ptr<Model> cloneUnfitted() const override;
};

// A random forest (Breiman): n_estimators trees, each grown on a bootstrap sample of the rows
// with a random subset of features tried at every node, grown in parallel on all cores; outputs
// averaged. The out-of-bag score (accuracy or R² on the rows each tree did not see) is computed
// when asked. Parameters: the tree parameters (max_features defaults to sqrt for classification,
// all for regression), n_estimators, bootstrap, oob_score.
class RandomForest final : public TreeEnsemble
{
public:
    explicit RandomForest(Task task);

    QString kind() const override { return QStringLiteral("random_forest"); }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

    // NaN when not computed.
    double outOfBagScore() const { return mOutOfBagScore; }

protected:
    void storeExtra(ComponentState &state) const override;
    std::optional<Error> restoreExtra(const ComponentState &state) override;

private:
    double outOfBagScore(const Eigen::MatrixXd &X, const FitTarget &y, const std::vector<std::vector<std::uint8_t>> &inBag,
                         QStringList &warnings) const;

    double mOutOfBagScore = std::numeric_limits<double>::quiet_NaN();
};

} // namespace plumb
