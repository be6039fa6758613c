#include "base/radixsort.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <utility>

namespace plumb {

namespace {

constexpr std::size_t kRadixBits = 8;
constexpr std::size_t kBuckets = std::size_t(1) << kRadixBits;
constexpr std::size_t kPasses = 64 / kRadixBits;
constexpr std::size_t kSmallInput = 256; // below this, std::sort is faster

// Maps a double to an unsigned key with the same order: flip every bit of negatives, only the
// sign bit of positives.
std::uint64_t orderedKey(double value)
{
    const auto bits = std::bit_cast<std::uint64_t>(value);
    return bits ^ ((bits >> 63) ? ~std::uint64_t(0) : (std::uint64_t(1) << 63));
}

double valueOf(std::uint64_t key)
{
    return std::bit_cast<double>(key ^ ((key >> 63) ? (std::uint64_t(1) << 63) : ~std::uint64_t(0)));
}

// Counts of each digit value for every pass, over all keys.
using DigitCounts = std::array<std::array<std::size_t, kBuckets>, kPasses>;

// Turns counts into bucket start offsets; false when one digit value holds every key (the pass
// orders nothing and is skipped).
bool startOffsets(std::array<std::size_t, kBuckets> &count, std::size_t total)
{
    if (std::find(count.begin(), count.end(), total) != count.end())
        return false;
    std::size_t offset = 0;
    for (std::size_t &bucket : count)
        offset += std::exchange(bucket, offset);
    return true;
}

} // namespace

void radixSort(std::vector<double> &values)
{
    if (values.size() < kSmallInput) {
        std::sort(values.begin(), values.end());
        return;
    }
    std::vector<std::uint64_t> keys(values.size());
    std::vector<std::uint64_t> scratch(values.size());
    DigitCounts counts{};
    for (std::size_t i = 0; i < values.size(); ++i) {
        keys[i] = orderedKey(values[i]);
        for (std::size_t pass = 0; pass < kPasses; ++pass)
            ++counts[pass][(keys[i] >> (pass * kRadixBits)) & (kBuckets - 1)];
    }
    for (std::size_t pass = 0; pass < kPasses; ++pass) {
        auto &count = counts[pass];
        if (!startOffsets(count, values.size()))
            continue;
        const std::size_t shift = pass * kRadixBits;
        for (std::uint64_t key : keys)
            scratch[count[(key >> shift) & (kBuckets - 1)]++] = key;
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = valueOf(keys[i]);
}

std::vector<std::uint32_t> radixArgsort(const double *values, std::size_t count)
{
    std::vector<std::uint32_t> order(count), orderScratch(count);
    std::vector<std::uint64_t> keys(count), keyScratch(count);
    DigitCounts counts{};
    for (std::size_t i = 0; i < count; ++i) {
        order[i] = std::uint32_t(i);
        keys[i] = orderedKey(values[i]);
        for (std::size_t pass = 0; pass < kPasses; ++pass)
            ++counts[pass][(keys[i] >> (pass * kRadixBits)) & (kBuckets - 1)];
    }
    for (std::size_t pass = 0; pass < kPasses; ++pass) {
        auto &offsets = counts[pass];
        if (!startOffsets(offsets, count))
            continue;
        const std::size_t shift = pass * kRadixBits;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t to = offsets[(keys[i] >> shift) & (kBuckets - 1)]++;
            keyScratch[to] = keys[i];
            orderScratch[to] = order[i];
        }
        keys.swap(keyScratch);
        order.swap(orderScratch);
    }
    return order;
}

} // namespace plumb
