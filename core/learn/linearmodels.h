#pragma once

#include "learn/model.h"

namespace plumb {

// Shared by the linear regressors: prediction = X w + b, and the state {coefficients, intercept}.
class LinearRegressor : public Model
{
public:
    Task task() const override { return Task::Regression; }
    bool isFitted() const override { return mFitted; }
    Eigen::Index featureCount() const override { return mCoefficients.size(); }
    Eigen::VectorXd predict(const Eigen::MatrixXd &X) const override;
    void predictRow(const double *x, double *out) const override;
    Eigen::Index rowOutputs() const override { return 1; }
    Eigen::VectorXd featureImportances() const override { return mCoefficients.cwiseAbs(); }
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state) override;

    const Eigen::VectorXd &coefficients() const { return mCoefficients; }
    double intercept() const { return mIntercept; }

protected:
    using Model::Model;
    // Checks the input, then centres it (see centre()); fails for bad input or cancellation.
    std::optional<Error> prepare(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress, Eigen::VectorXd &xMeans,
                                 double &yMean) const;
    // Centres X and y (when fit_intercept) and records the means used for the intercept.
    void centre(const Eigen::MatrixXd &X, const FitTarget &y, Eigen::VectorXd &xMeans, double &yMean) const;
    void setSolution(Eigen::VectorXd coefficients, const Eigen::VectorXd &xMeans, double yMean);

private:
    Eigen::VectorXd mCoefficients;
    double mIntercept = 0;
    bool mFitted = false;
};

// Ordinary least squares: minimises ||y - X w - b||^2. Solved by a QR factorisation of the
// centred data (tall-skinny QR, see linearalgebra.h) and a complete orthogonal decomposition of R,
// which gives the minimum-norm solution when columns are collinear, as LAPACK's gelsd does for
// scikit-learn's LinearRegression. Parameters: fit_intercept.
class LinearRegression final : public LinearRegressor
{
public:
    LinearRegression();
    QString kind() const override { return QStringLiteral("linear_regression"); }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    std::unique_ptr<Model> cloneUnfitted() const override;
};

// Ridge regression: minimises ||y - X w - b||^2 + alpha ||w||^2 by a Cholesky factorisation of
// X'X + alpha I on centred data (scikit-learn's "cholesky" solver). Parameters: alpha, fit_intercept.
class Ridge final : public LinearRegressor
{
public:
    Ridge();
    QString kind() const override { return QStringLiteral("ridge"); }
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    std::unique_ptr<Model> cloneUnfitted() const override;
};

// Elastic net: minimises 1/(2n) ||y - X w - b||^2 + alpha l1_ratio ||w||_1
// + alpha (1 - l1_ratio) / 2 ||w||^2 (scikit-learn's objective) by cyclic coordinate descent on the
// Gram matrix (Friedman, Hastie & Tibshirani, "Regularization Paths for Generalized Linear Models via
// Coordinate Descent", 2010), stopped by scikit-learn's duality-gap test. Lasso is the same model
// with l1_ratio fixed at 1. Parameters: alpha, l1_ratio (elastic net only), fit_intercept, max_iter, tol.
class ElasticNet final : public LinearRegressor
{
public:
    enum class Variant { ElasticNet, Lasso };
    explicit ElasticNet(Variant variant = Variant::ElasticNet);
    QString kind() const override;
    Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) override;
    std::unique_ptr<Model> cloneUnfitted() const override;

private:
    Variant mVariant;
};

} // namespace plumb
