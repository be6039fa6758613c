#include "learn/linearkernel.h"

#include "base/parallel.h"

#include <cmath>

namespace plumb {

namespace {

// Rows per block: each feature's slice of a block (128 KB) streams through in one long run, and
// the block's scores (128 KB) stay in the second-level cache while they accumulate.
constexpr Eigen::Index kScoreBlock = 16384;

using Scores = Eigen::Map<Eigen::ArrayXd>;
using Column = Eigen::Map<const Eigen::ArrayXd>;

// One block of one output: the features are added one column at a time, so every row gets
// exactly linearScoresRow's operations in its order ((0 + x0 w0) + x1 w1 ...) + b; x w + 0 equals
// 0 + x w, signed zeros included. Eigen's array expressions here never fuse into FMA.
void scoreBlock(const Eigen::MatrixXd &X, const Eigen::Ref<const Eigen::VectorXd> &w, double intercept, Eigen::Index begin,
                Eigen::Index rows, double *out)
{
    Scores z(out, rows);
    if (w.size() == 0) {
        z.setConstant(0.0 + intercept);
        return;
    }
    const auto column = [&](Eigen::Index j) { return Column(X.col(j).data() + begin, rows); };
    // Four features per pass over the block's scores (a quarter of the score traffic), added left
    // to right, so each row still gets ((z + x0 w0) + x1 w1) + ... in feature order.
    z = column(0) * w[0] + 0.0;
    Eigen::Index j = 1;
    for (; j + 4 <= w.size(); j += 4)
        z = z + column(j) * w[j] + column(j + 1) * w[j + 1] + column(j + 2) * w[j + 2] + column(j + 3) * w[j + 3];
    for (; j < w.size(); ++j)
        z = z + column(j) * w[j];
    z = z + intercept;
}

} // namespace

void linearScores(const Eigen::MatrixXd &X, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, double *Z)
{
    const Eigen::Index n = X.rows(), k = W.cols();
    const Eigen::Index blocks = (n + kScoreBlock - 1) / kScoreBlock;
    parallelFor(std::size_t(blocks), [&](std::size_t block) {
        const Eigen::Index begin = Eigen::Index(block) * kScoreBlock;
        const Eigen::Index rows = std::min(kScoreBlock, n - begin);
        for (Eigen::Index c = 0; c < k; ++c)
            scoreBlock(X, W.col(c), b[c], begin, rows, Z + c * n + begin);
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
