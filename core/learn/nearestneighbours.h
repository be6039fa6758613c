#pragma once

#include "learn/model.h"
#include "learn/neighboursearch.h"

namespace plumb {

// k-nearest neighbours under the Euclidean metric, for classification or regression, as
// scikit-learn's KNeighborsClassifier / KNeighborsRegressor. The fitted state is the training
// rows and their targets; prediction looks up the n_neighbors nearest rows exactly (see
// NeighbourSearch; equally distant rows are taken in training order) and combines their targets:
//  - weights = uniform: classification votes (most votes wins, ties to the lower class index);
//    probabilities are votes / k; regression is the mean of the targets;
//  - weights = distance: each neighbour counts 1 / distance; when some neighbours are at
//    distance 0, only they count, equally.
// Sums follow numpy's order, so predictions are the doubles scikit-learn computes from the same
// neighbours and distances. Row weights (FitTarget::weights) are not used, as in scikit-learn.
// Parameters: n_neighbors (clamped to the training rows at prediction), weights.
class KNearestNeighbours final : public Model
{
public:
    explicit KNearestNeighbours(Task task);

    QString kind() const override { return QStringLiteral("knn"); }
    Task task() const override { return mTask; }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    bool isFitted() const override { return mSearch.rowCount() > 0; }
    Eigen::Index featureCount() const override { return mSearch.featureCount(); }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return mTask == Task::Classification ? mClassCount : 1; }
    // kNN weighs no feature: zeros (permutationimportance.h measures what each feature is worth).
    Eigen::VectorXd featureImportances() const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

    int classCount() const { return mClassCount; }
    // The k nearest training rows of each row of X, nearest first (k = n_neighbors, clamped).
    std::vector<Neighbour> neighbours(const Eigen::MatrixXd &X) const;

private:
    Eigen::Index neighbourCount() const;
    bool distanceWeighted() const;
    // What each of k neighbours counts for: 1, 1 / distance, or (some at distance 0) 1 for those only.
    void neighbourWeights(const Neighbour *neighbours, Eigen::Index k, double *weights) const;
    double regressionValue(const Neighbour *neighbours, Eigen::Index k, double *scratch) const;
    void classProbabilities(const Neighbour *neighbours, Eigen::Index k, double *weights, double *out) const;
    int votedClass(const Neighbour *neighbours, Eigen::Index k, double *scratch) const;

    Task mTask;
    NeighbourSearch mSearch;
    Eigen::VectorXd mTargets; // regression values, or class indices
    int mClassCount = 0;
};

} // namespace plumb
