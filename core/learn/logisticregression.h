#pragma once

#include "learn/model.h"

namespace plumb {

// L2-regularised logistic regression, scikit-learn's objective:
//   C * sum_i s_i * loss_i + 1/2 ||W||^2   (intercepts not penalised, s_i = row and class weights)
// Two classes: one coefficient vector, fitted by Newton's method with a backtracking line search
// (the Hessian is only (p+1)^2, so each step costs one pass over the data and converges
// quadratically). More classes: the multinomial (softmax) model with one coefficient vector per
// class, fitted by L-BFGS. Convergence is reported: a fit that stops at max_iter says so.
// Parameters: C, class_weight (none | balanced), fit_intercept, max_iter, tol.
class LogisticRegression final : public Model
{
public:
    LogisticRegression();

    QString kind() const override { return QStringLiteral("logistic_regression"); }
    Task task() const override { return Task::Classification; }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    bool isFitted() const override { return mCoefficients.size() > 0; }
    Eigen::Index featureCount() const override { return mCoefficients.rows(); }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return mClassCount; }
    Eigen::VectorXd featureImportances() const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

    // p x 1 for two classes (the log-odds of class 1), p x k for k > 2 classes.
    const Eigen::MatrixXd &coefficients() const { return mCoefficients; }
    const Eigen::VectorXd &intercepts() const { return mIntercepts; }
    int classCount() const { return mClassCount; }

private:
    Eigen::VectorXd rowWeights(const FitTarget &y) const;
    Result<FitReport> fitBinary(const Eigen::MatrixXd &X, const FitTarget &y, const Eigen::VectorXd &weights,
                                ProgressSink &progress);
    Result<FitReport> fitMultinomial(const Eigen::MatrixXd &X, const FitTarget &y, const Eigen::VectorXd &weights,
                                     ProgressSink &progress);

    Eigen::MatrixXd mCoefficients;
    Eigen::VectorXd mIntercepts;
    int mClassCount = 0;
};

} // namespace plumb
