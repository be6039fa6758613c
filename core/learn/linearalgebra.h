#pragma once

#include <Eigen/Core>

#include <functional>

namespace plumb {

// Row-blocked kernels over a tall n x p matrix. Work is cut into fixed blocks of rows that run on
// workerCount() threads, and partial results are combined in block order, so results are
// bit-identical whatever the number of threads.

constexpr Eigen::Index kRowBlock = 16384;

// Calls body(first, count) for consecutive row ranges covering [0, rows), in parallel, and
// returns after all of them.
void forEachRowBlock(Eigen::Index rows, const std::function<void(Eigen::Index first, Eigen::Index count)> &body);

// Column means of X (weighted when `weights` is non-empty).
Eigen::VectorXd columnMeans(const Eigen::MatrixXd &X, const Eigen::VectorXd &weights = {});

// Cross products of the centred data: G = Xc' Xc, b = Xc' yc, yy = yc' yc, where
// Xc = X - 1 xMeans', yc = y - yMean.
struct CenteredProducts
{
    Eigen::MatrixXd gram;
    Eigen::VectorXd xty;
    double yty = 0;
};
CenteredProducts centeredProducts(const Eigen::MatrixXd &X, const Eigen::VectorXd &y, const Eigen::VectorXd &xMeans,
                                  double yMean);

// The upper-triangular R of a QR factorisation of [Xc | yc] ((p+1) x (p+1)), by tall-skinny QR
// (Demmel et al., "Communication-optimal parallel and sequential QR", 2012): each row block is
// factored with Householder reflections and the stacked R factors are factored again. As stable
// as one Householder QR of the whole matrix, without copying it.
Eigen::MatrixXd centeredAugmentedR(const Eigen::MatrixXd &X, const Eigen::VectorXd &y, const Eigen::VectorXd &xMeans,
                                   double yMean);

} // namespace plumb
