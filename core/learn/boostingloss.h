#pragma once

#include "learn/histogramgrower.h"

#include <vector>

namespace plumb {

// The losses gradient boosting minimises, on raw scores stored row-major (n x outputs()):
//  - squared error 1/2 (y - raw)^2 (regression, one output);
//  - binary log loss on the log-odds of class 1 (two classes, one output);
//  - multinomial log loss on softmax(raw) (k > 2 classes, k outputs).
// Targets are the values, or class indices as doubles; weights are per row, or none (all 1).
class BoostingLoss
{
public:
    enum class Kind { SquaredError, BinaryLogLoss, MultinomialLogLoss };

    BoostingLoss(Kind kind, int classCount);

    Kind kind() const { return mKind; }
    int outputs() const { return mOutputs; }
    // The constant raw scores that minimise the loss (sklearn's baseline prediction): the weighted
    // mean, the log-odds of the weighted class-1 share, the log of each class's share (shares
    // clipped to [eps, 1 - eps]).
    std::vector<double> baseline(const std::vector<double> &targets, const std::vector<double> &weights) const;
    // Each row's gradient and hessian for every output (gradients[output].pairs[row], weighted),
    // and each output's largest ones.
    void gradients(const std::vector<double> &raw, const std::vector<double> &targets, const std::vector<double> &weights,
                   std::vector<RowGradients> &gradients) const;
    // The weighted mean loss.
    double loss(const std::vector<double> &raw, const std::vector<double> &targets, const std::vector<double> &weights) const;

    // Probabilities (classification) or the value (regression) from one row's raw scores; `out`
    // holds one value per class (two for binary), or one. `raw` may be `out` itself.
    void toOutputs(const double *raw, double *out) const;

private:
    void rowGradients(const double *raw, double target, double weight, GradientPair *pairs) const;
    double rowLoss(const double *raw, double target) const;

    Kind mKind;
    int mOutputs;
};

} // namespace plumb
