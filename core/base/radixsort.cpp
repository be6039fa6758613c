#include "base/radixsort.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <utility>

namespace plumb {

namespace {

constexpr std::size_t kRadixBits = 8;
constexpr std::size_t kBuckets = std::size_t(1) << kRadixBits;
constexpr std::size_t kPasses = 64 / kRadixBits;
constexpr std::size_t kSmallInput = 256; // below this, std::sort is faster

// radixSort orders by a 32-bit key in three passes of 11, 11 and 10 bits (the counts of one pass
// fit in L1), instead of eight 8-bit passes over the 64-bit pattern.
constexpr std::size_t kFloatPasses = 3;
constexpr std::size_t kFloatBits = 11;
constexpr std::size_t kFloatBuckets = std::size_t(1) << kFloatBits;

// Maps a double to an unsigned key with the same order: flip every bit of negatives, only the
// sign bit of positives.
std::uint64_t orderedKey(double value)
{
    const auto bits = std::bit_cast<std::uint64_t>(value);
    return bits ^ ((bits >> 63) ? ~std::uint64_t(0) : (std::uint64_t(1) << 63));
}

// The same for the value rounded to float. Rounding to nearest is monotone, so a < b implies
// key(a) <= key(b): ordering by this key leaves out of order only values that share a key.
// -0.0 and +0.0 keep distinct keys, so within one key plain < is a total order.
std::uint32_t floatKey(double value)
{
    const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(value));
    return bits ^ ((bits >> 31) ? ~std::uint32_t(0) : (std::uint32_t(1) << 31));
}

std::size_t floatDigit(std::uint32_t key, std::size_t pass)
{
    return (key >> (pass * kFloatBits)) & (kFloatBuckets - 1);
}

// Counts of each digit value for every pass, over all keys.
using DigitCounts = std::array<std::array<std::size_t, kBuckets>, kPasses>;

// Turns counts into bucket start offsets; false when one digit value holds every key (the pass
// orders nothing and is skipped).
template<typename Count, std::size_t Buckets> bool startOffsets(std::array<Count, Buckets> &count, std::size_t total)
{
    if (std::find(count.begin(), count.end(), total) != count.end())
        return false;
    Count offset = 0;
    for (Count &bucket : count)
        offset += std::exchange(bucket, offset);
    return true;
}

// After ordering by floatKey: sorts each run of equal keys that is out of order (distinct doubles
// that round to one float). One comparison per value when nothing is out of order.
void sortFloatTies(std::vector<double> &values)
{
    const std::size_t n = values.size();
    std::size_t i = 1;
    while (i < n && !(values[i] < values[i - 1]))
        ++i;
    while (i < n) {
        const std::uint32_t key = floatKey(values[i]);
        std::size_t begin = i - 1, end = i + 1;
        while (begin > 0 && floatKey(values[begin - 1]) == key)
            --begin;
        while (end < n && floatKey(values[end]) == key)
            ++end;
        std::sort(values.begin() + std::ptrdiff_t(begin), values.begin() + std::ptrdiff_t(end));
        i = end;
        while (i < n && !(values[i] < values[i - 1]))
            ++i;
    }
}

} // namespace

void radixSort(std::vector<double> &values)
{
    std::vector<double> scratch;
    radixSort(values, scratch);
}

void radixSort(std::vector<double> &values, std::vector<double> &scratch)
{
    const std::size_t n = values.size();
    if (n < kSmallInput || n > std::numeric_limits<std::uint32_t>::max()) {
        std::sort(values.begin(), values.end());
        return;
    }
    scratch.resize(n);
    // 32-bit counts: half the memory to clear and sum as 64-bit ones, which matters at 10,000 values.
    std::array<std::array<std::uint32_t, kFloatBuckets>, kFloatPasses> counts{};
    for (double value : values) {
        const std::uint32_t key = floatKey(value);
        for (std::size_t pass = 0; pass < kFloatPasses; ++pass)
            ++counts[pass][floatDigit(key, pass)];
    }
    for (std::size_t pass = 0; pass < kFloatPasses; ++pass) {
        auto &offsets = counts[pass];
        if (!startOffsets(offsets, n))
            continue;
        for (double value : values)
            scratch[offsets[floatDigit(floatKey(value), pass)]++] = value;
        values.swap(scratch);
    }
    sortFloatTies(values);
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
