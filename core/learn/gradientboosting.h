#pragma once

#include "learn/boostedtrees.h"
#include "learn/model.h"

namespace plumb {

// Histogram gradient boosting (scikit-learn's HistGradientBoosting, LightGBM, XGBoost's "hist"):
// features are binned once (at most max_bins bins per feature plus one for missing values), then
// each iteration fits one regression tree per raw output to the loss's gradients, leaf-wise up to
// max_leaf_nodes leaves, with Newton leaf values scaled by the learning rate.
// Losses: squared error (regression); log loss (two classes: one tree per iteration on the
// log-odds; more classes: one tree per class per iteration, softmax).
// Missing values (NaN) are allowed in fit and predict: each split learns which side they go.
// Categorical features hold category codes 0..k-1 (k <= max_bins): list them in
// categorical_features ("0,3") or with setCategoricalFeatures(); their splits send a subset of
// the categories left. Infinite values are refused in fit.
// Early stopping (auto: on above 10,000 rows) holds out validation_fraction of the rows
// (stratified for classes) and stops when the validation loss has not improved by tol in
// n_iter_no_change iterations. Deterministic: the same data, parameters and seed give the same
// trees on any number of threads.
class GradientBoosting final : public Model
{
public:
    explicit GradientBoosting(Task task);

    QString kind() const override { return QStringLiteral("gradient_boosting"); }
    Task task() const override { return mTask; }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    bool isFitted() const override { return !mTrees.isEmpty(); }
    Eigen::Index featureCount() const override { return mTrees.featureCount(); }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return mTask == Task::Regression ? 1 : mClassCount; }
    // Trees need no scaling, and missing values are routed by the splits rather than imputed.
    // Categories are split natively, as codes below max_bins.
    InputNeeds inputNeeds() const override;
    std::optional<Error> setCategoricalInputs(const std::vector<int> &inputs) override { return setCategoricalFeatures(inputs); }
    Eigen::VectorXd featureImportances() const override { return mTrees.featureImportances(); }
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

    // Sets the categorical_features parameter to these input indices.
    std::optional<Error> setCategoricalFeatures(const std::vector<int> &features);
    // The categorical_features parameter read as indices; an error names a bad entry.
    Result<std::vector<int>> categoricalFeatures() const;

    int classCount() const { return mClassCount; }
    // Boosting iterations of the fitted model (trees = iterations x outputs).
    int iterations() const;
    const BoostedTrees &trees() const { return mTrees; }

private:
    Eigen::MatrixXd rawScores(const Eigen::MatrixXd &X) const;
    void toOutputs(const double *raw, double *out) const;

    Task mTask;
    int mClassCount = 0;
    BoostedTrees mTrees;
};

} // namespace plumb
