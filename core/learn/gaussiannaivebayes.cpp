#include "learn/gaussiannaivebayes.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace plumb {

namespace {

const QString kVarSmoothing = QStringLiteral("var_smoothing");
const QString kMeans = QStringLiteral("means");
const QString kVariances = QStringLiteral("variances");
const QString kPriors = QStringLiteral("priors");
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr int kMaxClasses = 1'000'000;

using RowMajorRows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Weighted mean and population variance of one class's rows per feature (np.average with the
// row weights, as GaussianNB._update_mean_variance).
struct ClassMoments
{
    double weight = 0;
    Eigen::RowVectorXd mean, variance;
};

std::vector<ClassMoments> classMoments(const Eigen::MatrixXd &X, const FitTarget &y)
{
    const Eigen::Index p = X.cols();
    std::vector<ClassMoments> moments(std::size_t(y.classCount), {0, Eigen::RowVectorXd::Zero(p), Eigen::RowVectorXd::Zero(p)});
    const auto weightOf = [&](Eigen::Index i) { return y.weights.size() ? y.weights[i] : 1.0; };
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        ClassMoments &m = moments[std::size_t(y.classes[std::size_t(i)])];
        m.weight += weightOf(i);
        m.mean += weightOf(i) * X.row(i);
    }
    for (ClassMoments &m : moments)
        if (m.weight > 0)
            m.mean /= m.weight;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        ClassMoments &m = moments[std::size_t(y.classes[std::size_t(i)])];
        m.variance += weightOf(i) * (X.row(i) - m.mean).array().square().matrix();
    }
    for (ClassMoments &m : moments)
        if (m.weight > 0)
            m.variance /= m.weight;
    return moments;
}

// The largest population variance of any feature over all rows, unweighted (np.var(X, axis=0).max()).
double largestVariance(const Eigen::MatrixXd &X)
{
    const Eigen::RowVectorXd mean = X.colwise().mean();
    return ((X.rowwise() - mean).array().square().colwise().sum() / double(X.rows())).maxCoeff();
}

} // namespace

GaussianNaiveBayes::GaussianNaiveBayes()
    : Model(ParamValues({
        realParam(kVarSmoothing, 1e-9, 0, kInfinity,
                  QStringLiteral("Share of the largest feature variance added to every variance, for stability.")),
    }))
{
}

Result<FitReport> GaussianNaiveBayes::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    if (auto error = checkFitInput(kind(), task(), X, y))
        return *error;
    if (progress.isCancelled())
        return Error::cancelled();
    mMeans.resize(0, 0);
    mVariances.resize(0, 0);
    mPriors.resize(0);
    const std::vector<ClassMoments> moments = classMoments(X, y);
    const double epsilon = mParams.real(kVarSmoothing) * largestVariance(X);
    const int k = y.classCount;
    Eigen::MatrixXd means(k, X.cols()), variances(k, X.cols());
    Eigen::VectorXd priors(k);
    double totalWeight = 0;
    for (const ClassMoments &m : moments)
        totalWeight += m.weight;
    if (!(totalWeight > 0))
        return Error::invalid(QStringLiteral("%1: the row weights sum to 0").arg(kind()));
    FitReport report;
    for (int c = 0; c < k; ++c) {
        const ClassMoments &m = moments[std::size_t(c)];
        means.row(c) = m.mean;
        // A class without rows is never predicted (prior 0); its variance only has to be positive.
        variances.row(c) = m.weight > 0 ? Eigen::RowVectorXd(m.variance.array() + epsilon)
                                        : Eigen::RowVectorXd::Constant(X.cols(), epsilon > 0 ? epsilon : 1.0);
        priors[c] = m.weight / totalWeight;
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            if (!(variances(c, j) > 0))
                return Error::invalid(QStringLiteral("%1: feature %2 has variance 0 in class %3; raise var_smoothing above 0")
                                          .arg(kind(), inputName(j))
                                          .arg(c));
    }
    mMeans = std::move(means);
    mVariances = std::move(variances);
    mPriors = std::move(priors);
    prepare();
    progress.setProgress(1.0, QStringLiteral("Fitted"));
    return report;
}

void GaussianNaiveBayes::prepare()
{
    mClassTerms.resize(mMeans.rows());
    for (Eigen::Index c = 0; c < mMeans.rows(); ++c)
        mClassTerms[c] = std::log(mPriors[c]) - 0.5 * (2.0 * std::numbers::pi * mVariances.row(c).array()).log().sum();
}

void GaussianNaiveBayes::jointLogLikelihood(const double *x, double *out) const
{
    const Eigen::Map<const Eigen::RowVectorXd> row(x, mMeans.cols());
    for (Eigen::Index c = 0; c < mMeans.rows(); ++c)
        out[c] = mClassTerms[c] - 0.5 * ((row - mMeans.row(c)).array().square() / mVariances.row(c).array()).sum();
}

// P(c | x) = exp(jll_c - logsumexp(jll)), the log-sum-exp taken about the largest value so that
// nothing overflows (scipy.special.logsumexp, as GaussianNB.predict_log_proba).
void GaussianNaiveBayes::normalise(double *values) const
{
    const Eigen::Index k = mMeans.rows();
    double top = -kInfinity;
    for (Eigen::Index c = 0; c < k; ++c)
        top = std::max(top, values[c]);
    double sum = 0;
    for (Eigen::Index c = 0; c < k; ++c)
        sum += std::exp(values[c] - top);
    const double logTotal = std::log(sum) + top;
    for (Eigen::Index c = 0; c < k; ++c)
        values[c] = std::exp(values[c] - logTotal);
}

void GaussianNaiveBayes::predictRow(const double *x, double *out) const
{
    jointLogLikelihood(x, out);
    normalise(out);
}

Eigen::MatrixXd GaussianNaiveBayes::predictProba(const Eigen::MatrixXd &X) const
{
    const RowMajorRows rows = X;
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> probabilities(X.rows(), mMeans.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        predictRow(rows.row(i).data(), probabilities.row(i).data());
    return probabilities;
}

// The class with the largest joint log-likelihood (the first on a tie), as GaussianNB.predict.
Eigen::VectorXd GaussianNaiveBayes::predict(const Eigen::MatrixXd &X) const
{
    const RowMajorRows rows = X;
    Eigen::VectorXd scores(mMeans.rows());
    Eigen::VectorXd labels(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        jointLogLikelihood(rows.row(i).data(), scores.data());
        Eigen::Index best = 0;
        scores.maxCoeff(&best);
        labels[i] = double(best);
    }
    return labels;
}

Eigen::VectorXd GaussianNaiveBayes::featureImportances() const
{
    const Eigen::RowVectorXd overall = mPriors.transpose() * mMeans;
    const Eigen::RowVectorXd between = mPriors.transpose() * (mMeans.rowwise() - overall).array().square().matrix();
    const Eigen::RowVectorXd within = mPriors.transpose() * mVariances;
    return (between.array() / within.array()).transpose();
}

ComponentState GaussianNaiveBayes::state() const
{
    ComponentState state;
    state.arrays[kMeans] = Tensor::fromMatrix(mMeans);
    state.arrays[kVariances] = Tensor::fromMatrix(mVariances);
    state.arrays[kPriors] = Tensor::fromVector(mPriors);
    return state;
}

std::optional<Error> GaussianNaiveBayes::restore(const ComponentState &state)
{
    mMeans.resize(0, 0);
    mVariances.resize(0, 0);
    mPriors.resize(0);
    Eigen::MatrixXd means, variances;
    Eigen::VectorXd priors;
    if (auto error = state.matrix(kind(), kMeans, -1, -1, means))
        return error;
    if (means.rows() < 2 || means.rows() > kMaxClasses || means.cols() == 0)
        return Error::invalid(
            QStringLiteral("%1: 'means' must have a row per class (at least 2) and a column per feature").arg(kind()));
    if (auto error = state.matrix(kind(), kVariances, means.rows(), means.cols(), variances))
        return error;
    if (auto error = state.vector(kind(), kPriors, means.rows(), priors))
        return error;
    if (auto error = requirePositiveNormal(kind(), kVariances, state.arrays.at(kVariances).data)) // as stored, row after row
        return error;
    // A prior of 0 makes its class impossible (log 0), which no fitted model has: fitting gives
    // each class its share of the training rows.
    for (Eigen::Index c = 0; c < priors.size(); ++c)
        if (!(priors[c] > 0))
            return Error::invalid(QStringLiteral("%1: 'priors' holds %2 for class %3; every prior must be above 0")
                                      .arg(kind())
                                      .arg(priors[c])
                                      .arg(c));
    if (std::fabs(priors.sum() - 1.0) > 1e-9)
        return Error::invalid(QStringLiteral("%1: 'priors' sum to %2, not 1").arg(kind()).arg(priors.sum(), 0, 'g', 17));
    mMeans = std::move(means);
    mVariances = std::move(variances);
    mPriors = std::move(priors);
    prepare();
    return std::nullopt;
}

std::unique_ptr<Model> GaussianNaiveBayes::cloneUnfitted() const
{
    auto clone = std::make_unique<GaussianNaiveBayes>();
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
