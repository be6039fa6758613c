#include "learn/boostingloss.h"

#include "base/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

constexpr std::size_t kGradientBlock = 16384;
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
}

// log(1 + exp(x)) without overflow.
double softplus(double x)
{
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// The binary log loss's gradient p - y and hessian p (1 - p), p = 1 / (1 + exp(-raw)), with
// Eigen's vectorised exp: the logistic function is most of an iteration's arithmetic outside the trees.
// The probabilities go through a buffer on the stack, a piece at a time: a heap buffer the size of
// a block would be mapped and unmapped by malloc on every call. The buffer's alignment is stated,
// not left to the compiler: Eigen computes the elements before the first aligned one with its
// scalar exp, which can differ from its vector exp in the last bit, so on an unaligned buffer the
// gradients (and the trees) would depend on where the stack happens to be.
// Without weights (null), every row weighs 1; the loop is compiled for each case.
template<bool Weighted>
void binaryGradients(const double *raw, const double *targets, const double *weights, std::size_t count, GradientPair *out)
{
    using Array = Eigen::ArrayXd;
    constexpr std::size_t kPiece = 512;
    alignas(64) double p[kPiece];
    for (std::size_t first = 0; first < count; first += kPiece) {
        const std::size_t n = std::min(kPiece, count - first);
        Eigen::Map<Array>(p, Eigen::Index(n)) = 1.0 / (1.0 + (-Eigen::Map<const Array>(raw + first, Eigen::Index(n))).exp());
        for (std::size_t i = 0; i < n; ++i) {
            const double weight = Weighted ? weights[first + i] : 1.0;
            out[first + i] = {weight * (p[i] - targets[first + i]), weight * p[i] * (1 - p[i])};
        }
    }
}

// `largest` widened to cover |pair.gradient| and pair.hessian.
void widen(GradientPair &largest, const GradientPair &pair)
{
    largest.gradient = std::max(largest.gradient, std::fabs(pair.gradient));
    largest.hessian = std::max(largest.hessian, pair.hessian);
}

// The largest |gradient| and hessian of the pairs (0 when there are none).
GradientPair largestOf(const GradientPair *pairs, std::size_t count)
{
    GradientPair largest;
    for (std::size_t i = 0; i < count; ++i)
        widen(largest, pairs[i]);
    return largest;
}

double weightOf(const std::vector<double> &weights, std::size_t row)
{
    return weights.empty() ? 1.0 : weights[row];
}

} // namespace

BoostingLoss::BoostingLoss(Kind kind, int classCount) : mKind(kind), mOutputs(kind == Kind::MultinomialLogLoss ? classCount : 1)
{
}

std::vector<double> BoostingLoss::baseline(const std::vector<double> &targets, const std::vector<double> &weights) const
{
    double totalWeight = 0;
    std::vector<double> sums(std::size_t(std::max(mOutputs, 1)), 0.0);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const double weight = weightOf(weights, i);
        totalWeight += weight;
        if (mKind == Kind::MultinomialLogLoss)
            sums[std::size_t(targets[i])] += weight;
        else
            sums[0] += weight * targets[i];
    }
    std::vector<double> base(static_cast<std::size_t>(mOutputs));
    for (std::size_t k = 0; k < base.size(); ++k) {
        const double mean = totalWeight > 0 ? sums[k] / totalWeight : 0.0;
        if (mKind == Kind::SquaredError) {
            base[k] = mean;
        } else {
            const double share = std::clamp(mean, kEpsilon, 1 - kEpsilon);
            base[k] = mKind == Kind::BinaryLogLoss ? std::log(share / (1 - share)) : std::log(share);
        }
    }
    return base;
}

void BoostingLoss::rowGradients(const double *raw, double target, double weight, GradientPair *pairs) const
{
    switch (mKind) {
    case Kind::SquaredError:
        pairs[0] = {weight * (raw[0] - target), weight};
        return;
    case Kind::BinaryLogLoss: {
        const double p = sigmoid(raw[0]);
        pairs[0] = {weight * (p - target), weight * p * (1 - p)};
        return;
    }
    case Kind::MultinomialLogLoss: {
        const double top = *std::max_element(raw, raw + mOutputs);
        double sum = 0;
        for (int k = 0; k < mOutputs; ++k)
            sum += std::exp(raw[k] - top);
        for (int k = 0; k < mOutputs; ++k) {
            const double p = std::exp(raw[k] - top) / sum;
            pairs[k] = {weight * (p - (int(target) == k ? 1.0 : 0.0)), weight * p * (1 - p)};
        }
        return;
    }
    }
}

// The largest pairs are taken per block while the block's pairs are still in cache.
void BoostingLoss::gradients(const std::vector<double> &raw, const std::vector<double> &targets,
                             const std::vector<double> &weights, std::vector<RowGradients> &gradients) const
{
    const std::size_t rows = targets.size(), outputs = std::size_t(mOutputs);
    gradients.resize(outputs);
    for (RowGradients &output : gradients)
        output.pairs.resize(rows);
    const std::size_t blocks = (rows + kGradientBlock - 1) / kGradientBlock;
    std::vector<GradientPair> largest(blocks * outputs);
    parallelFor(blocks, [&](std::size_t block) {
        const std::size_t first = block * kGradientBlock, last = std::min(rows, first + kGradientBlock);
        if (mKind == Kind::BinaryLogLoss) {
            GradientPair *out = gradients[0].pairs.data() + first;
            if (weights.empty())
                binaryGradients<false>(raw.data() + first, targets.data() + first, nullptr, last - first, out);
            else
                binaryGradients<true>(raw.data() + first, targets.data() + first, weights.data() + first, last - first, out);
        } else {
            std::vector<GradientPair> pairs(outputs);
            for (std::size_t i = first; i < last; ++i) {
                rowGradients(raw.data() + i * outputs, targets[i], weightOf(weights, i), pairs.data());
                for (std::size_t k = 0; k < outputs; ++k)
                    gradients[k].pairs[i] = pairs[k];
            }
        }
        for (std::size_t k = 0; k < outputs; ++k)
            largest[block * outputs + k] = largestOf(gradients[k].pairs.data() + first, last - first);
    });
    for (std::size_t k = 0; k < outputs; ++k) {
        gradients[k].largest = GradientPair{};
        for (std::size_t block = 0; block < blocks; ++block)
            widen(gradients[k].largest, largest[block * outputs + k]);
    }
}

double BoostingLoss::rowLoss(const double *raw, double target) const
{
    switch (mKind) {
    case Kind::SquaredError:
        return 0.5 * (target - raw[0]) * (target - raw[0]);
    case Kind::BinaryLogLoss:
        return softplus(raw[0]) - target * raw[0];
    case Kind::MultinomialLogLoss: {
        const double top = *std::max_element(raw, raw + mOutputs);
        double sum = 0;
        for (int k = 0; k < mOutputs; ++k)
            sum += std::exp(raw[k] - top);
        return top + std::log(sum) - raw[int(target)];
    }
    }
    return 0;
}

double BoostingLoss::loss(const std::vector<double> &raw, const std::vector<double> &targets,
                          const std::vector<double> &weights) const
{
    double total = 0, totalWeight = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const double weight = weightOf(weights, i);
        total += weight * rowLoss(raw.data() + i * std::size_t(mOutputs), targets[i]);
        totalWeight += weight;
    }
    return totalWeight > 0 ? total / totalWeight : 0.0;
}

void BoostingLoss::toOutputs(const double *raw, double *out) const
{
    switch (mKind) {
    case Kind::SquaredError:
        out[0] = raw[0];
        return;
    case Kind::BinaryLogLoss: {
        const double p = sigmoid(raw[0]);
        out[0] = 1 - p;
        out[1] = p;
        return;
    }
    case Kind::MultinomialLogLoss: {
        const double top = *std::max_element(raw, raw + mOutputs);
        double sum = 0;
        for (int k = 0; k < mOutputs; ++k) {
            out[k] = std::exp(raw[k] - top);
            sum += out[k];
        }
        for (int k = 0; k < mOutputs; ++k)
            out[k] /= sum;
        return;
    }
    }
}

} // namespace plumb
