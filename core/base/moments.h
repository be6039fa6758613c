#pragma once

#include <cstddef>
#include <span>

namespace plumb {

// The mean and the sum of squared deviations from it of non-empty finite values, in two passes
// (mean, then deviations) so that the variance stays accurate for large offsets. Values so large
// that the sums overflow (near 1e300) or so small that the squares underflow (near 1e-300) are
// summed again scaled by a power of two, so the results stay finite and non-zero where the
// exact ones are; other inputs give the plain two-pass sums, bit for bit.
struct Moments
{
    double mean = 0;
    std::size_t count = 0;

    // Standard deviations with n and n - 1 in the denominator; 0 for fewer than 1 and 2 values.
    double populationStd() const;
    double sampleStd() const;

    // The sum of squared deviations divided by scale^2 (scale 1 unless the values needed scaling):
    // the variance itself may not fit in a double when its square root does.
    double scaledSquares = 0;
    double scale = 1;
};

Moments moments(std::span<const double> values);

} // namespace plumb
