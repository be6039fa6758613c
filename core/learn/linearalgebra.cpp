#include "learn/linearalgebra.h"

#include "base/parallel.h"

#include <Eigen/Householder>
#include <Eigen/QR>

#include <vector>

namespace plumb {

namespace {

Eigen::Index blockCount(Eigen::Index rows)
{
    return (rows + kRowBlock - 1) / kRowBlock;
}

} // namespace

void forEachRowBlock(Eigen::Index rows, const std::function<void(Eigen::Index, Eigen::Index)> &body)
{
    parallelFor(std::size_t(blockCount(rows)), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kRowBlock;
        body(first, std::min(kRowBlock, rows - first));
    });
}

Eigen::VectorXd columnMeans(const Eigen::MatrixXd &X, const Eigen::VectorXd &weights)
{
    const Eigen::Index blocks = blockCount(X.rows());
    Eigen::MatrixXd partial = Eigen::MatrixXd::Zero(X.cols(), blocks);
    Eigen::VectorXd weightSums = Eigen::VectorXd::Zero(blocks);
    forEachRowBlock(X.rows(), [&](Eigen::Index first, Eigen::Index count) {
        const Eigen::Index block = first / kRowBlock;
        if (weights.size() == 0) {
            partial.col(block) = X.middleRows(first, count).colwise().sum().transpose();
            weightSums[block] = double(count);
        } else {
            partial.col(block) = X.middleRows(first, count).transpose() * weights.segment(first, count);
            weightSums[block] = weights.segment(first, count).sum();
        }
    });
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(X.cols());
    for (Eigen::Index b = 0; b < blocks; ++b)
        sum += partial.col(b);
    return sum / weightSums.sum();
}

CenteredProducts centeredProducts(const Eigen::MatrixXd &X, const Eigen::VectorXd &y, const Eigen::VectorXd &xMeans, double yMean)
{
    const Eigen::Index p = X.cols();
    const Eigen::Index blocks = blockCount(X.rows());
    std::vector<CenteredProducts> partial(static_cast<std::size_t>(blocks));
    forEachRowBlock(X.rows(), [&](Eigen::Index first, Eigen::Index count) {
        const Eigen::MatrixXd centered = X.middleRows(first, count).rowwise() - xMeans.transpose();
        const Eigen::VectorXd yc = y.segment(first, count).array() - yMean;
        CenteredProducts &out = partial[std::size_t(first / kRowBlock)];
        out.gram = Eigen::MatrixXd::Zero(p, p);
        out.gram.selfadjointView<Eigen::Lower>().rankUpdate(centered.transpose());
        out.xty = centered.transpose() * yc;
        out.yty = yc.squaredNorm();
    });
    CenteredProducts total{Eigen::MatrixXd::Zero(p, p), Eigen::VectorXd::Zero(p), 0.0};
    for (const CenteredProducts &block : partial) {
        total.gram += block.gram;
        total.xty += block.xty;
        total.yty += block.yty;
    }
    total.gram = total.gram.selfadjointView<Eigen::Lower>();
    return total;
}

Eigen::MatrixXd centeredAugmentedR(const Eigen::MatrixXd &X, const Eigen::VectorXd &y, const Eigen::VectorXd &xMeans,
                                   double yMean)
{
    const Eigen::Index width = X.cols() + 1;
    const Eigen::Index blocks = blockCount(X.rows());
    std::vector<Eigen::MatrixXd> factors(static_cast<std::size_t>(blocks));
    forEachRowBlock(X.rows(), [&](Eigen::Index first, Eigen::Index count) {
        Eigen::MatrixXd block(count, width);
        block.leftCols(X.cols()) = X.middleRows(first, count).rowwise() - xMeans.transpose();
        block.col(X.cols()) = y.segment(first, count).array() - yMean;
        Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(block);
        const Eigen::Index kept = std::min(count, width);
        factors[std::size_t(first / kRowBlock)] = qr.matrixQR().topRows(kept).triangularView<Eigen::Upper>();
    });
    Eigen::Index stackedRows = 0;
    for (const auto &factor : factors)
        stackedRows += factor.rows();
    Eigen::MatrixXd stacked(stackedRows, width);
    Eigen::Index row = 0;
    for (const auto &factor : factors) {
        stacked.middleRows(row, factor.rows()) = factor;
        row += factor.rows();
    }
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(stacked);
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(width, width);
    const Eigen::Index kept = std::min(stackedRows, width);
    r.topRows(kept) = qr.matrixQR().topRows(kept).triangularView<Eigen::Upper>();
    return r;
}

} // namespace plumb
