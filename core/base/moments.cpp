#include "base/moments.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

Moments twoPass(std::span<const double> values, double scale)
{
    Moments result;
    result.count = values.size();
    double sum = 0;
    for (double value : values)
        sum += value / scale;
    result.mean = sum / double(values.size());
    for (double value : values) {
        const double deviation = value / scale - result.mean;
        result.scaledSquares += deviation * deviation;
    }
    return result;
}

} // namespace

Moments moments(std::span<const double> values)
{
    if (values.empty())
        return {};
    Moments plain = twoPass(values, 1.0);
    const bool overflowed = !std::isfinite(plain.mean) || !std::isfinite(plain.scaledSquares);
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    const bool underflowed = plain.scaledSquares == 0 && *low != *high;
    if (!overflowed && !underflowed)
        return plain;
    // Scaled so the largest magnitude is about 1: exact, being a power of two.
    const int exponent = std::ilogb(std::max(std::abs(*low), std::abs(*high)));
    const double scale = std::ldexp(1.0, exponent);
    Moments scaled = twoPass(values, scale);
    scaled.mean *= scale;
    scaled.scale = scale;
    return scaled;
}

double Moments::populationStd() const
{
    return count ? std::sqrt(scaledSquares / double(count)) * scale : 0.0;
}

double Moments::sampleStd() const
{
    return count > 1 ? std::sqrt(scaledSquares / double(count - 1)) * scale : 0.0;
}

} // namespace plumb
