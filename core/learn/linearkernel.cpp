#include "learn/linearkernel.h"

#include "learn/linearalgebra.h"

#include <cmath>

namespace plumb {

namespace {

// Small enough that a block's accumulators stay in the first-level cache while the feature
// columns stream through once.
constexpr Eigen::Index kScoreBlock = 2048;

using Lanes = Eigen::Array<double, 8, 1>;

// Eight rows at a time in vector registers across all features, one store per row. Each lane
// does exactly what linearScoresRow does for its row (multiply, then add, in feature order);
// Eigen's array expressions here never fuse them into FMA.
void scoreBlock(const Eigen::MatrixXd &X, const Eigen::Ref<const Eigen::VectorXd> &w, double intercept, Eigen::Index begin,
                Eigen::Index rows, double *out)
{
    const Eigen::Index p = X.cols();
    Eigen::Index i = 0;
    for (; i + 8 <= rows; i += 8) {
        Lanes sum = Lanes::Zero();
        for (Eigen::Index j = 0; j < p; ++j)
            sum = sum + Eigen::Map<const Lanes>(X.col(j).data() + begin + i) * w[j];
        Eigen::Map<Lanes>(out + i) = sum + intercept;
    }
    for (; i < rows; ++i) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < p; ++j)
            sum = sum + X(begin + i, j) * w[j];
        out[i] = sum + intercept;
    }
}

} // namespace

void linearScores(const Eigen::MatrixXd &X, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, Eigen::MatrixXd &Z)
{
    const Eigen::Index n = X.rows(), k = W.cols();
    Z.resize(n, k);
    forEachRowBlock(n, [&](Eigen::Index first, Eigen::Index count) {
        for (Eigen::Index begin = first; begin < first + count; begin += kScoreBlock) {
            const Eigen::Index rows = std::min(kScoreBlock, first + count - begin);
            for (Eigen::Index c = 0; c < k; ++c)
                scoreBlock(X, W.col(c), b[c], begin, rows, Z.col(c).data() + begin);
        }
    });
}

void linearScoresRow(const double *x, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, double *z)
{
    for (Eigen::Index c = 0; c < W.cols(); ++c) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < W.rows(); ++j)
            sum = sum + x[j] * W(j, c);
        z[c] = sum + b[c];
    }
}

double logisticSigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

void softmaxInPlace(double *z, Eigen::Index k)
{
    double top = z[0];
    for (Eigen::Index c = 1; c < k; ++c)
        top = std::max(top, z[c]);
    double sum = 0.0;
    for (Eigen::Index c = 0; c < k; ++c) {
        z[c] = std::exp(z[c] - top);
        sum = sum + z[c];
    }
    for (Eigen::Index c = 0; c < k; ++c)
        z[c] = z[c] / sum;
}

} // namespace plumb
