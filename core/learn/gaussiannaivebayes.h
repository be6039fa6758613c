#pragma once

#include "learn/model.h"

namespace plumb {

// Gaussian naive Bayes, as scikit-learn's GaussianNB: each class c has a prior (its share of the
// rows, or of the row weights), and each feature j a normal density with the class's mean
// theta_cj and variance var_cj (the row-weighted population variance) plus
// epsilon = var_smoothing * the largest variance of any feature over all rows. Prediction is in
// log space:
//   log P(c | x) = log prior_c - 1/2 sum_j log(2 pi var_cj) - 1/2 sum_j (x_j - theta_cj)^2 / var_cj
// normalised with a log-sum-exp. A class with no rows (or no weight) has prior 0, so it is never
// predicted. Fitting fails when a variance is 0 (var_smoothing 0 and a feature constant within a
// class). Parameters: var_smoothing.
class GaussianNaiveBayes final : public Model
{
public:
    GaussianNaiveBayes();

    QString kind() const override { return QStringLiteral("gaussian_nb"); }
    Task task() const override { return Task::Classification; }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    bool isFitted() const override { return mMeans.size() > 0; }
    Eigen::Index featureCount() const override { return mMeans.cols(); }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return mMeans.rows(); }
    // Per feature, how far apart the class means are for its spread: the prior-weighted variance
    // of the class means over the prior-weighted mean of the class variances (a Fisher score).
    Eigen::VectorXd featureImportances() const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

    // classes x features: scikit-learn's theta_ and var_; and class_prior_.
    const Eigen::MatrixXd &means() const { return mMeans; }
    const Eigen::MatrixXd &variances() const { return mVariances; }
    const Eigen::VectorXd &priors() const { return mPriors; }

private:
    // log P(c) + log P(x | c) for each class, into out (classCount values).
    void jointLogLikelihood(const double *x, double *out) const;
    // The normalised probabilities from jointLogLikelihood's values, in place.
    void normalise(double *values) const;
    // Caches log prior_c - 1/2 sum_j log(2 pi var_cj) per class.
    void prepare();

    Eigen::MatrixXd mMeans; // classes x features
    Eigen::MatrixXd mVariances; // classes x features, smoothing included
    Eigen::VectorXd mPriors;
    Eigen::VectorXd mClassTerms;
};

} // namespace plumb
