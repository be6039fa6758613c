#pragma once

#include <cstdint>
#include <vector>

namespace plumb {

// A small, fast, seedable generator with the same output on every platform and compiler
// (xoshiro256** by Blackman and Vigna, seeded through splitmix64). The standard library's
// distributions are implementation-defined, so Plumb draws its own numbers from this.
class Random
{
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in [0, 1) with 53 random bits.
    double uniform();
    // Uniform integer in [0, bound), without modulo bias (Lemire's multiply-shift rejection).
    std::uint64_t below(std::uint64_t bound);
    // Standard normal (Marsaglia's polar method).
    double normal();

    // Fisher-Yates shuffle.
    template<typename T> void shuffle(std::vector<T> &values)
    {
        for (std::size_t i = values.size(); i > 1; --i)
            std::swap(values[i - 1], values[below(i)]);
    }

private:
    std::uint64_t mState[4];
    double mSpareNormal = 0;
    bool mHasSpareNormal = false;
};

} // namespace plumb
