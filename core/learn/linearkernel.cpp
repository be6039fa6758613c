#include "learn/linearkernel.h"

#include "learn/linearalgebra.h"

#include <cmath>

namespace plumb {

namespace {

// Small enough that a block's accumulators stay in the first-level cache while the feature
// columns stream through once.
constexpr Eigen::Index kScoreBlock = 2048;

} // namespace

void linearScores(const Eigen::MatrixXd &X, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, Eigen::MatrixXd &Z)
{
    const Eigen::Index n = X.rows(), p = X.cols(), k = W.cols();
    Z.resize(n, k);
    forEachRowBlock(n, [&](Eigen::Index first, Eigen::Index count) {
        for (Eigen::Index begin = first; begin < first + count; begin += kScoreBlock) {
            const Eigen::Index rows = std::min(kScoreBlock, first + count - begin);
            for (Eigen::Index c = 0; c < k; ++c) {
                double *out = Z.col(c).data() + begin;
                for (Eigen::Index i = 0; i < rows; ++i)
                    out[i] = 0.0;
                for (Eigen::Index j = 0; j < p; ++j) {
                    const double *column = X.col(j).data() + begin;
                    const double weight = W(j, c);
                    for (Eigen::Index i = 0; i < rows; ++i)
                        out[i] = out[i] + column[i] * weight;
                }
                const double intercept = b[c];
                for (Eigen::Index i = 0; i < rows; ++i)
                    out[i] = out[i] + intercept;
            }
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
