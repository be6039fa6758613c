#include "learn/linearmodels.h"

#include "learn/linearalgebra.h"
#include "learn/linearkernel.h"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include <cmath>

namespace plumb {

namespace {

const QString kFitIntercept = QStringLiteral("fit_intercept");
const QString kAlpha = QStringLiteral("alpha");
const QString kL1Ratio = QStringLiteral("l1_ratio");
const QString kMaxIter = QStringLiteral("max_iter");
const QString kTolerance = QStringLiteral("tol");
constexpr double kInfinity = std::numeric_limits<double>::infinity();

ParamSpec fitInterceptParam()
{
    return booleanParam(kFitIntercept, true, QStringLiteral("Fit an intercept (centre the data) or force it to zero."));
}

std::vector<ParamSpec> elasticNetSchema(ElasticNet::Variant variant)
{
    std::vector<ParamSpec> schema{
        realParam(kAlpha, 1.0, 0, kInfinity, QStringLiteral("Overall regularisation strength.")),
    };
    if (variant == ElasticNet::Variant::ElasticNet)
        schema.push_back(realParam(kL1Ratio, 0.5, 0, 1, QStringLiteral("Share of the L1 penalty: 1 is the lasso, 0 is ridge.")));
    schema.push_back(fitInterceptParam());
    schema.push_back(integerParam(kMaxIter, 1000, 1, 1e7, QStringLiteral("Most coordinate-descent sweeps.")));
    schema.push_back(
        realParam(kTolerance, 1e-4, 0, kInfinity, QStringLiteral("Stop when the duality gap is below tol times ||y||^2."), true));
    return schema;
}

double softThreshold(double value, double threshold)
{
    return value > threshold ? value - threshold : (value < -threshold ? value + threshold : 0.0);
}

// sklearn's duality gap for the Gram formulation (cd_fast.enet_coordinate_descent_gram), on the
// objective 1/2 ||r||^2 + l1 ||w||_1 + l2/2 ||w||^2 with q = Xc'yc, H = G w.
double dualityGap(const Eigen::VectorXd &w, const Eigen::VectorXd &q, const Eigen::VectorXd &H, double yy, double l1, double l2)
{
    const Eigen::VectorXd XtA = q - H - l2 * w;
    const double dualNorm = XtA.cwiseAbs().maxCoeff();
    const double qDotW = w.dot(q);
    const double residualNorm2 = yy + w.dot(H) - 2.0 * qDotW;
    const double wNorm2 = w.squaredNorm();
    double scale = 1.0, gap = residualNorm2;
    if (dualNorm > l1) {
        scale = l1 / dualNorm;
        gap = 0.5 * (residualNorm2 + residualNorm2 * scale * scale);
    }
    return gap + l1 * w.lpNorm<1>() - scale * yy + scale * qDotW + 0.5 * l2 * (1 + scale * scale) * wNorm2;
}

} // namespace

Eigen::VectorXd LinearRegressor::predict(const Eigen::MatrixXd &X) const
{
    Eigen::VectorXd scores(X.rows());
    linearScores(X, mCoefficients, Eigen::VectorXd::Constant(1, mIntercept), scores.data());
    return scores;
}

void LinearRegressor::predictRow(const double *x, double *out) const
{
    linearScoresRow(x, mCoefficients, Eigen::VectorXd::Constant(1, mIntercept), out);
}

ComponentState LinearRegressor::state() const
{
    ComponentState state;
    state.values.insert(QStringLiteral("intercept"), mIntercept);
    state.arrays[QStringLiteral("coefficients")] = Tensor::fromVector(mCoefficients);
    return state;
}

std::optional<Error> LinearRegressor::restore(const ComponentState &state)
{
    mFitted = false;
    Eigen::VectorXd coefficients;
    if (auto error = state.vector(kind(), QStringLiteral("coefficients"), -1, coefficients))
        return error;
    const QJsonValue intercept = state.values.value(QStringLiteral("intercept"));
    if (!intercept.isDouble() || !std::isfinite(intercept.toDouble()))
        return Error::invalid(QStringLiteral("%1: 'intercept' is missing or not a finite number").arg(kind()));
    mCoefficients = std::move(coefficients);
    mIntercept = intercept.toDouble();
    mFitted = true;
    return std::nullopt;
}

std::optional<Error> LinearRegressor::prepare(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress,
                                              Eigen::VectorXd &xMeans, double &yMean) const
{
    if (auto error = checkFitInput(kind(), task(), X, y))
        return error;
    centre(X, y, xMeans, yMean);
    if (progress.isCancelled())
        return Error::cancelled();
    return std::nullopt;
}

void LinearRegressor::centre(const Eigen::MatrixXd &X, const FitTarget &y, Eigen::VectorXd &xMeans, double &yMean) const
{
    if (mParams.boolean(kFitIntercept)) {
        xMeans = columnMeans(X);
        yMean = y.values.mean();
    } else {
        xMeans = Eigen::VectorXd::Zero(X.cols());
        yMean = 0;
    }
}

void LinearRegressor::setSolution(Eigen::VectorXd coefficients, const Eigen::VectorXd &xMeans, double yMean)
{
    mCoefficients = std::move(coefficients);
    mIntercept = yMean - xMeans.dot(mCoefficients);
    mFitted = true;
}

LinearRegression::LinearRegression() : LinearRegressor(ParamValues({fitInterceptParam()}))
{
}

Result<FitReport> LinearRegression::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    Eigen::VectorXd xMeans;
    double yMean = 0;
    if (auto error = prepare(X, y, progress, xMeans, yMean))
        return *error;
    const Eigen::MatrixXd r = centeredAugmentedR(X, y.values, xMeans, yMean);
    const Eigen::Index p = X.cols();
    Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> solver(r.topLeftCorner(p, p));
    FitReport report;
    if (solver.rank() < p)
        report.warnings.append(QStringLiteral("linear_regression: the features are collinear (rank %1 of %2); "
                                              "the minimum-norm solution was taken")
                                   .arg(solver.rank())
                                   .arg(p));
    setSolution(solver.solve(r.col(p).head(p)), xMeans, yMean);
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

std::unique_ptr<Model> LinearRegression::cloneUnfitted() const
{
    auto clone = std::make_unique<LinearRegression>();
    clone->setParams(mParams);
    return clone;
}

Ridge::Ridge()
    : LinearRegressor(
        ParamValues({realParam(kAlpha, 1.0, 0, kInfinity, QStringLiteral("L2 regularisation strength.")), fitInterceptParam()}))
{
}

Result<FitReport> Ridge::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    Eigen::VectorXd xMeans;
    double yMean = 0;
    if (auto error = prepare(X, y, progress, xMeans, yMean))
        return *error;
    CenteredProducts products = centeredProducts(X, y.values, xMeans, yMean);
    products.gram.diagonal().array() += mParams.real(kAlpha);
    Eigen::LLT<Eigen::MatrixXd> cholesky(products.gram);
    FitReport report;
    if (cholesky.info() == Eigen::Success) {
        setSolution(cholesky.solve(products.xty), xMeans, yMean);
    } else {
        report.warnings.append(QStringLiteral("ridge: X'X + alpha I is singular; the minimum-norm solution was taken"));
        setSolution(products.gram.completeOrthogonalDecomposition().solve(products.xty), xMeans, yMean);
    }
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

std::unique_ptr<Model> Ridge::cloneUnfitted() const
{
    auto clone = std::make_unique<Ridge>();
    clone->setParams(mParams);
    return clone;
}

ElasticNet::ElasticNet(Variant variant) : LinearRegressor(ParamValues(elasticNetSchema(variant))), mVariant(variant)
{
}

QString ElasticNet::kind() const
{
    return mVariant == Variant::Lasso ? QStringLiteral("lasso") : QStringLiteral("elastic_net");
}

Result<FitReport> ElasticNet::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    Eigen::VectorXd xMeans;
    double yMean = 0;
    if (auto error = prepare(X, y, progress, xMeans, yMean))
        return *error;
    const CenteredProducts products = centeredProducts(X, y.values, xMeans, yMean);
    const double n = double(X.rows());
    const double ratio = mVariant == Variant::Lasso ? 1.0 : mParams.real(kL1Ratio);
    const double l1 = mParams.real(kAlpha) * ratio * n;
    const double l2 = mParams.real(kAlpha) * (1.0 - ratio) * n;
    const double tolerance = mParams.real(kTolerance);
    const auto maxIterations = int(mParams.integer(kMaxIter));
    const Eigen::MatrixXd &G = products.gram;
    const Eigen::VectorXd &q = products.xty;
    Eigen::VectorXd w = Eigen::VectorXd::Zero(X.cols());
    Eigen::VectorXd H = Eigen::VectorXd::Zero(X.cols()); // G w, kept up to date
    FitReport report;
    report.converged = false;
    double gap = 0;
    for (report.iterations = 1; report.iterations <= maxIterations; ++report.iterations) {
        double largestChange = 0, largestWeight = 0;
        for (Eigen::Index j = 0; j < w.size(); ++j) {
            if (G(j, j) == 0.0)
                continue;
            const double old = w[j];
            const double updated = softThreshold(q[j] - H[j] + G(j, j) * old, l1) / (G(j, j) + l2);
            if (updated != old) {
                H += G.col(j) * (updated - old);
                w[j] = updated;
            }
            largestChange = std::max(largestChange, std::fabs(updated - old));
            largestWeight = std::max(largestWeight, std::fabs(updated));
        }
        if (largestWeight == 0 || largestChange / largestWeight < tolerance || report.iterations == maxIterations) {
            gap = dualityGap(w, q, H, products.yty, l1, l2);
            if (gap < tolerance * products.yty) {
                report.converged = true;
                break;
            }
        }
        if (progress.isCancelled())
            return Error::cancelled();
    }
    if (!report.converged) {
        report.iterations = maxIterations;
        report.warnings.append(QStringLiteral("%1: coordinate descent did not converge in %2 sweeps (duality gap %3, "
                                              "tolerance %4); raise max_iter or tol")
                                   .arg(kind())
                                   .arg(maxIterations)
                                   .arg(gap)
                                   .arg(tolerance * products.yty));
    }
    setSolution(std::move(w), xMeans, yMean);
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

std::unique_ptr<Model> ElasticNet::cloneUnfitted() const
{
    auto clone = std::make_unique<ElasticNet>(mVariant);
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
