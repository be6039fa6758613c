#include "learn/logisticregression.h"

#include "learn/lbfgs.h"
#include "learn/linearalgebra.h"
#include "learn/linearkernel.h"

#include <Eigen/Cholesky>

#include <cmath>
#include <limits>

namespace plumb {

namespace {

const QString kC = QStringLiteral("C");
const QString kClassWeight = QStringLiteral("class_weight");
const QString kFitIntercept = QStringLiteral("fit_intercept");
const QString kMaxIter = QStringLiteral("max_iter");
const QString kTolerance = QStringLiteral("tol");
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// log(1 + exp(x)) without overflow.
double softplus(double x)
{
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

// One pass of the binary objective at theta = [w; b]: value, gradient and Hessian, summed over
// fixed row blocks in block order (deterministic for any thread count).
struct BinaryPass
{
    double value = 0;
    Eigen::VectorXd gradient;
    Eigen::MatrixXd hessian;
};

BinaryPass binaryPass(const Eigen::MatrixXd &X, const std::vector<int> &classes, const Eigen::VectorXd &weights,
                      const Eigen::VectorXd &theta, double C, bool intercept)
{
    const Eigen::Index p = X.cols();
    const Eigen::Index width = p + (intercept ? 1 : 0);
    const Eigen::Index blocks = (X.rows() + kRowBlock - 1) / kRowBlock;
    std::vector<BinaryPass> partial(static_cast<std::size_t>(blocks));
    forEachRowBlock(X.rows(), [&](Eigen::Index first, Eigen::Index count) {
        const auto rows = X.middleRows(first, count);
        Eigen::VectorXd z = rows * theta.head(p);
        if (intercept)
            z.array() += theta[p];
        Eigen::VectorXd residual(count), root(count);
        double loss = 0;
        for (Eigen::Index i = 0; i < count; ++i) {
            const double s = weights[first + i];
            const bool positive = classes[std::size_t(first + i)] == 1;
            loss += s * softplus(positive ? -z[i] : z[i]);
            const double probability = sigmoid(z[i]);
            residual[i] = s * (probability - (positive ? 1.0 : 0.0));
            root[i] = std::sqrt(s * probability * (1.0 - probability));
        }
        BinaryPass &out = partial[std::size_t(first / kRowBlock)];
        out.value = loss;
        out.gradient.resize(width);
        out.gradient.head(p) = rows.transpose() * residual;
        // Hessian X' D X with D = diag(root^2): one scaled copy of the block, then a symmetric
        // rank update; the intercept row is D's column sums of X and the sum of D.
        const Eigen::MatrixXd scaled = root.asDiagonal() * rows;
        out.hessian = Eigen::MatrixXd::Zero(width, width);
        out.hessian.topLeftCorner(p, p).selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
        if (intercept) {
            out.gradient[p] = residual.sum();
            out.hessian.row(p).head(p) = (scaled.transpose() * root).transpose();
            out.hessian(p, p) = root.squaredNorm();
        }
    });
    BinaryPass total{0, Eigen::VectorXd::Zero(width), Eigen::MatrixXd::Zero(width, width)};
    for (const BinaryPass &block : partial) {
        total.value += block.value;
        total.gradient += block.gradient;
        total.hessian += block.hessian;
    }
    total.value *= C;
    total.gradient *= C;
    total.hessian = C * Eigen::MatrixXd(total.hessian.selfadjointView<Eigen::Lower>());
    // The L2 penalty 1/2 ||w||^2 on the coefficients only.
    total.value += 0.5 * theta.head(p).squaredNorm();
    total.gradient.head(p) += theta.head(p);
    total.hessian.diagonal().head(p).array() += 1.0;
    return total;
}

// The multinomial objective and gradient at theta = [vec(W) (p x k, column-major); b (k)].
double multinomialPass(const Eigen::MatrixXd &X, const std::vector<int> &classes, const Eigen::VectorXd &weights,
                       const Eigen::VectorXd &theta, int k, double C, bool intercept, Eigen::VectorXd &gradient)
{
    const Eigen::Index p = X.cols();
    const Eigen::Map<const Eigen::MatrixXd> W(theta.data(), p, k);
    const Eigen::VectorXd b = intercept ? Eigen::VectorXd(theta.tail(k)) : Eigen::VectorXd::Zero(k);
    const Eigen::Index blocks = (X.rows() + kRowBlock - 1) / kRowBlock;
    std::vector<double> losses(static_cast<std::size_t>(blocks));
    std::vector<Eigen::MatrixXd> weightGradients(static_cast<std::size_t>(blocks));
    std::vector<Eigen::VectorXd> interceptGradients(static_cast<std::size_t>(blocks));
    forEachRowBlock(X.rows(), [&](Eigen::Index first, Eigen::Index count) {
        Eigen::MatrixXd z = (X.middleRows(first, count) * W).rowwise() + b.transpose();
        double loss = 0;
        for (Eigen::Index i = 0; i < count; ++i) {
            const double top = z.row(i).maxCoeff();
            z.row(i).array() = (z.row(i).array() - top).exp();
            const double sum = z.row(i).sum();
            const int label = classes[std::size_t(first + i)];
            const double s = weights[first + i];
            loss += s * (std::log(sum) - std::log(z(i, label)));
            z.row(i) *= s / sum; // weighted probabilities
            z(i, label) -= s; // minus the weighted one-hot truth
        }
        const Eigen::Index block = first / kRowBlock;
        losses[std::size_t(block)] = loss;
        weightGradients[std::size_t(block)] = X.middleRows(first, count).transpose() * z;
        interceptGradients[std::size_t(block)] = z.colwise().sum().transpose();
    });
    Eigen::MatrixXd gradientW = Eigen::MatrixXd::Zero(p, k);
    Eigen::VectorXd gradientB = Eigen::VectorXd::Zero(k);
    double value = 0;
    for (Eigen::Index block = 0; block < blocks; ++block) {
        value += losses[std::size_t(block)];
        gradientW += weightGradients[std::size_t(block)];
        gradientB += interceptGradients[std::size_t(block)];
    }
    gradient.resize(theta.size());
    Eigen::Map<Eigen::MatrixXd>(gradient.data(), p, k) = C * gradientW + W;
    if (intercept)
        gradient.tail(k) = C * gradientB;
    return C * value + 0.5 * W.squaredNorm();
}

} // namespace

LogisticRegression::LogisticRegression()
    : Model(ParamValues({
        realParam(kC, 1.0, 0, kInfinity, QStringLiteral("Inverse regularisation strength: smaller is stronger."), true),
        choiceParam(kClassWeight, QStringLiteral("none"), {QStringLiteral("none"), QStringLiteral("balanced")},
                    QStringLiteral("'balanced' weighs each class by n / (classes x its count).")),
        booleanParam(kFitIntercept, true, QStringLiteral("Fit an intercept per class.")),
        integerParam(kMaxIter, 100, 1, 1e6, QStringLiteral("Most solver iterations.")),
        realParam(kTolerance, 1e-4, 0, kInfinity,
                  QStringLiteral("Stop when the largest gradient component is below this, or when a step "
                                 "no longer lowers the objective at double precision."),
                  true),
    }))
{
}

Eigen::VectorXd LogisticRegression::rowWeights(const FitTarget &y) const
{
    Eigen::VectorXd weights = y.weights.size() ? y.weights : Eigen::VectorXd::Ones(Eigen::Index(y.classes.size()));
    if (mParams.choice(kClassWeight) == QLatin1String("balanced")) {
        std::vector<double> counts(std::size_t(y.classCount), 0.0);
        for (int label : y.classes)
            counts[std::size_t(label)] += 1;
        const double n = double(y.classes.size());
        for (std::size_t i = 0; i < y.classes.size(); ++i)
            weights[Eigen::Index(i)] *= n / (double(y.classCount) * counts[std::size_t(y.classes[i])]);
    }
    return weights;
}

Result<FitReport> LogisticRegression::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    if (auto error = checkFitInput(kind(), task(), X, y))
        return *error;
    mCoefficients.resize(0, 0);
    mIntercepts.resize(0);
    const Eigen::VectorXd weights = rowWeights(y);
    return y.classCount == 2 ? fitBinary(X, y, weights, progress) : fitMultinomial(X, y, weights, progress);
}

Result<FitReport> LogisticRegression::fitBinary(const Eigen::MatrixXd &X, const FitTarget &y, const Eigen::VectorXd &weights,
                                                ProgressSink &progress)
{
    const bool intercept = mParams.boolean(kFitIntercept);
    const double C = mParams.real(kC), tolerance = mParams.real(kTolerance);
    const auto maxIterations = int(mParams.integer(kMaxIter));
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(X.cols() + (intercept ? 1 : 0));
    BinaryPass current = binaryPass(X, y.classes, weights, theta, C, intercept);
    FitReport report;
    report.converged = false;
    for (report.iterations = 0; report.iterations < maxIterations; ++report.iterations) {
        if (current.gradient.cwiseAbs().maxCoeff() <= tolerance) {
            report.converged = true;
            break;
        }
        if (progress.isCancelled())
            return Error::cancelled();
        const Eigen::VectorXd step = current.hessian.ldlt().solve(-current.gradient);
        const double slope = current.gradient.dot(step);
        // Newton decrement below double precision: nothing more to gain.
        if (-slope <= 64 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(current.value))) {
            report.converged = true;
            break;
        }
        double t = 1.0;
        BinaryPass next;
        for (int trial = 0; trial < 50; ++trial, t *= 0.5) {
            next = binaryPass(X, y.classes, weights, theta + t * step, C, intercept);
            if (next.value <= current.value + 1e-4 * t * slope)
                break;
        }
        theta += t * step;
        current = std::move(next);
        progress.setProgress(double(report.iterations + 1) / maxIterations, QStringLiteral("Newton step"));
    }
    if (!report.converged)
        report.warnings.append(QStringLiteral("logistic_regression: Newton's method did not converge in %1 iterations "
                                              "(largest gradient component %2 > tol %3); raise max_iter")
                                   .arg(maxIterations)
                                   .arg(current.gradient.cwiseAbs().maxCoeff())
                                   .arg(tolerance));
    mClassCount = 2;
    mCoefficients = theta.head(X.cols());
    mIntercepts = Eigen::VectorXd::Constant(1, intercept ? theta[X.cols()] : 0.0);
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

Result<FitReport> LogisticRegression::fitMultinomial(const Eigen::MatrixXd &X, const FitTarget &y, const Eigen::VectorXd &weights,
                                                     ProgressSink &progress)
{
    const bool intercept = mParams.boolean(kFitIntercept);
    const double C = mParams.real(kC);
    const int k = y.classCount;
    const Eigen::Index p = X.cols();
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(p * k + (intercept ? k : 0));
    LbfgsOptions options;
    options.maxIterations = int(mParams.integer(kMaxIter));
    options.gradientTolerance = mParams.real(kTolerance);
    const LbfgsResult result = minimizeLbfgs(
        [&](const Eigen::VectorXd &at, Eigen::VectorXd &gradient) {
            return multinomialPass(X, y.classes, weights, at, k, C, intercept, gradient);
        },
        theta, options, progress);
    if (result.cancelled)
        return Error::cancelled();
    FitReport report;
    report.iterations = result.iterations;
    report.converged = result.converged;
    if (!result.converged)
        report.warnings.append(QStringLiteral("logistic_regression: L-BFGS did not converge in %1 iterations "
                                              "(largest gradient component %2 > tol %3); raise max_iter")
                                   .arg(options.maxIterations)
                                   .arg(result.gradientNorm)
                                   .arg(options.gradientTolerance));
    mClassCount = k;
    mCoefficients = Eigen::Map<const Eigen::MatrixXd>(theta.data(), p, k);
    mIntercepts = intercept ? Eigen::VectorXd(theta.tail(k)) : Eigen::VectorXd::Zero(k);
    mIntercepts.array() -= mIntercepts.mean(); // softmax is unchanged; this fixes the free shift
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

Eigen::MatrixXd LogisticRegression::predictProba(const Eigen::MatrixXd &X) const
{
    Eigen::MatrixXd scores(X.rows(), mCoefficients.cols());
    linearScores(X, mCoefficients, mIntercepts, scores.data());
    if (mClassCount == 2) {
        Eigen::MatrixXd probabilities(X.rows(), 2);
        for (Eigen::Index i = 0; i < X.rows(); ++i) {
            probabilities(i, 1) = logisticSigmoid(scores(i, 0));
            probabilities(i, 0) = 1.0 - probabilities(i, 1);
        }
        return probabilities;
    }
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = scores;
    for (Eigen::Index i = 0; i < rows.rows(); ++i)
        softmaxInPlace(rows.row(i).data(), mClassCount);
    return rows;
}

void LogisticRegression::predictRow(const double *x, double *out) const
{
    linearScoresRow(x, mCoefficients, mIntercepts, out);
    if (mClassCount == 2) {
        out[1] = logisticSigmoid(out[0]);
        out[0] = 1.0 - out[1];
        return;
    }
    softmaxInPlace(out, mClassCount);
}

Eigen::VectorXd LogisticRegression::predict(const Eigen::MatrixXd &X) const
{
    const Eigen::MatrixXd probabilities = predictProba(X);
    Eigen::VectorXd labels(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        Eigen::Index best = 0;
        probabilities.row(i).maxCoeff(&best);
        labels[i] = double(best);
    }
    return labels;
}

Eigen::VectorXd LogisticRegression::featureImportances() const
{
    return mCoefficients.cwiseAbs().rowwise().sum();
}

ComponentState LogisticRegression::state() const
{
    ComponentState state;
    state.values.insert(QStringLiteral("classes"), mClassCount);
    state.arrays[QStringLiteral("coefficients")] = Tensor::fromMatrix(mCoefficients);
    state.arrays[QStringLiteral("intercepts")] = Tensor::fromVector(mIntercepts);
    return state;
}

std::optional<Error> LogisticRegression::restore(const ComponentState &state)
{
    mCoefficients.resize(0, 0);
    mIntercepts.resize(0);
    const int classes = state.values.value(QStringLiteral("classes")).toInt(0);
    if (classes < 2 || classes > 1'000'000)
        return Error::invalid(QStringLiteral("%1: 'classes' must be a whole number of at least 2").arg(kind()));
    const Eigen::Index columns = classes == 2 ? 1 : classes;
    Eigen::MatrixXd coefficients;
    Eigen::VectorXd intercepts;
    if (auto error = state.matrix(kind(), QStringLiteral("coefficients"), -1, columns, coefficients))
        return error;
    if (auto error = state.vector(kind(), QStringLiteral("intercepts"), columns, intercepts))
        return error;
    mClassCount = classes;
    mCoefficients = std::move(coefficients);
    mIntercepts = std::move(intercepts);
    return std::nullopt;
}

std::unique_ptr<Model> LogisticRegression::cloneUnfitted() const
{
    auto clone = std::make_unique<LogisticRegression>();
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
