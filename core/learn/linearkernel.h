#pragma once

#include <Eigen/Core>

namespace plumb {

// Scores of a linear model, Z = X W + 1 b' (n x k), with every entry summed over the features in
// index order as plain multiply-then-add. The batch form runs over blocks of rows on
// workerCount() threads; the one-row form performs the same operations in the same order, so a
// row scored alone is bit-identical to the same row scored in a batch. Z points to n x k doubles,
// column-major (a VectorXd's data for k = 1), written and never read first.
void linearScores(const Eigen::MatrixXd &X, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, double *Z);
// One row: x has W.rows() values; z receives W.cols() scores.
void linearScoresRow(const double *x, const Eigen::MatrixXd &W, const Eigen::VectorXd &b, double *z);

// Logistic sigmoid and in-place softmax shared by the batch and one-row paths.
double logisticSigmoid(double z);
void softmaxInPlace(double *z, Eigen::Index k);

} // namespace plumb
