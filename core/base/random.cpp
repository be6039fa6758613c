#include "base/random.h"

#include <cmath>

namespace plumb {

namespace {

std::uint64_t splitMix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::uint64_t rotateLeft(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

Random::Random(std::uint64_t seed)
{
    for (std::uint64_t &word : mState)
        word = splitMix64(seed);
}

std::uint64_t Random::next()
{
    const std::uint64_t result = rotateLeft(mState[1] * 5, 7) * 9;
    const std::uint64_t t = mState[1] << 17;
    mState[2] ^= mState[0];
    mState[3] ^= mState[1];
    mState[1] ^= mState[2];
    mState[0] ^= mState[3];
    mState[2] ^= t;
    mState[3] = rotateLeft(mState[3], 45);
    return result;
}

double Random::uniform()
{
    return double(next() >> 11) * 0x1.0p-53;
}

std::uint64_t Random::below(std::uint64_t bound)
{
    if (bound <= 1)
        return 0;
    // D. Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 2019.
    unsigned __int128 product = (unsigned __int128)next() * bound;
    auto low = std::uint64_t(product);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            product = (unsigned __int128)next() * bound;
            low = std::uint64_t(product);
        }
    }
    return std::uint64_t(product >> 64);
}

double Random::normal()
{
    if (mHasSpareNormal) {
        mHasSpareNormal = false;
        return mSpareNormal;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    mSpareNormal = v * factor;
    mHasSpareNormal = true;
    return u * factor;
}

} // namespace plumb
