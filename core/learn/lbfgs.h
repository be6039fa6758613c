#pragma once

#include "base/progress.h"

#include <Eigen/Core>

#include <functional>

namespace plumb {

// Limited-memory BFGS for smooth convex objectives (Nocedal & Wright, "Numerical Optimization",
// 2nd ed., algorithms 7.4 and 7.5), with a backtracking line search on the Armijo condition.
struct LbfgsOptions
{
    int maxIterations = 100;
    int history = 10;
    // Stop when the largest gradient component is at most this (scikit-learn's "gtol")...
    double gradientTolerance = 1e-4;
    // ...or when an iteration lowers the objective by less than this share of it ("ftol").
    double relativeDecrease = 64 * 2.220446049250313e-16;
};

struct LbfgsResult
{
    int iterations = 0;
    bool converged = false;
    bool cancelled = false;
    double value = 0;
    double gradientNorm = 0; // largest absolute component
};

// objective(x, gradient) returns f(x) and writes its gradient. x holds the start and receives the
// minimiser. Progress is reported as iterations / maxIterations.
LbfgsResult minimizeLbfgs(const std::function<double(const Eigen::VectorXd &, Eigen::VectorXd &)> &objective, Eigen::VectorXd &x,
                          const LbfgsOptions &options, ProgressSink &progress);

} // namespace plumb
