#include "learn/lbfgs.h"

#include <cmath>
#include <deque>

namespace plumb {

namespace {

constexpr double kArmijo = 1e-4;
constexpr double kBacktrack = 0.5;
constexpr int kMaxLineSearchSteps = 50;

struct Correction
{
    Eigen::VectorXd step, gradientChange;
    double rho;
};

// Two-loop recursion: the quasi-Newton direction -H g from the stored corrections.
Eigen::VectorXd searchDirection(const Eigen::VectorXd &gradient, const std::deque<Correction> &corrections)
{
    Eigen::VectorXd q = gradient;
    std::vector<double> alphas(corrections.size());
    for (std::size_t i = corrections.size(); i-- > 0;) {
        alphas[i] = corrections[i].rho * corrections[i].step.dot(q);
        q -= alphas[i] * corrections[i].gradientChange;
    }
    if (!corrections.empty()) {
        const Correction &last = corrections.back();
        q *= last.step.dot(last.gradientChange) / last.gradientChange.squaredNorm();
    }
    for (std::size_t i = 0; i < corrections.size(); ++i) {
        const double beta = corrections[i].rho * corrections[i].gradientChange.dot(q);
        q += (alphas[i] - beta) * corrections[i].step;
    }
    return -q;
}

} // namespace

LbfgsResult minimizeLbfgs(const std::function<double(const Eigen::VectorXd &, Eigen::VectorXd &)> &objective, Eigen::VectorXd &x,
                          const LbfgsOptions &options, ProgressSink &progress)
{
    LbfgsResult result;
    Eigen::VectorXd gradient(x.size());
    double value = objective(x, gradient);
    std::deque<Correction> corrections;
    Eigen::VectorXd candidate(x.size()), candidateGradient(x.size());
    for (result.iterations = 0; result.iterations < options.maxIterations; ++result.iterations) {
        result.gradientNorm = gradient.cwiseAbs().maxCoeff();
        if (result.gradientNorm <= options.gradientTolerance) {
            result.converged = true;
            break;
        }
        if (progress.isCancelled()) {
            result.cancelled = true;
            break;
        }
        Eigen::VectorXd direction = searchDirection(gradient, corrections);
        double slope = gradient.dot(direction);
        if (slope >= 0) { // not a descent direction: restart from steepest descent
            corrections.clear();
            direction = -gradient;
            slope = -gradient.squaredNorm();
        }
        double step = corrections.empty() ? std::min(1.0, 1.0 / gradient.cwiseAbs().sum()) : 1.0;
        double candidateValue = 0;
        int trials = 0;
        for (; trials < kMaxLineSearchSteps; ++trials, step *= kBacktrack) {
            candidate = x + step * direction;
            candidateValue = objective(candidate, candidateGradient);
            if (std::isfinite(candidateValue) && candidateValue <= value + kArmijo * step * slope)
                break;
        }
        if (trials == kMaxLineSearchSteps)
            break; // no progress possible at double precision
        const double decrease = value - candidateValue;
        Correction correction{candidate - x, candidateGradient - gradient, 0.0};
        const double curvature = correction.step.dot(correction.gradientChange);
        x = candidate;
        gradient = candidateGradient;
        value = candidateValue;
        if (curvature > 1e-10 * correction.gradientChange.squaredNorm()) {
            correction.rho = 1.0 / curvature;
            corrections.push_back(std::move(correction));
            if (int(corrections.size()) > options.history)
                corrections.pop_front();
        }
        progress.setProgress(double(result.iterations + 1) / options.maxIterations, QStringLiteral("Optimising"));
        if (decrease <= options.relativeDecrease * std::max({std::fabs(value), std::fabs(value + decrease), 1.0})) {
            result.converged = true;
            ++result.iterations;
            break;
        }
    }
    result.value = value;
    result.gradientNorm = gradient.cwiseAbs().maxCoeff();
    return result;
}

} // namespace plumb
