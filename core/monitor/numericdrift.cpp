#include "monitor/numericdrift.h"

#include "base/moments.h"
#include "base/parallel.h"
#include "base/radixsort.h"
#include "monitor/kolmogorovdistribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace plumb {

namespace {

constexpr std::size_t kExactKsLimit = 10000; // scipy's MAX_AUTO_N
constexpr double kMinimumNorm = 0.001; // Evidently's floor on the reference std
constexpr std::size_t kChunk = std::size_t(1) << 16;

Error emptySample(const char *which)
{
    return Error::invalid(QStringLiteral("the %1 sample has no non-missing values").arg(QLatin1String(which)));
}

std::optional<Error> checkNotEmpty(std::size_t reference, std::size_t current)
{
    if (reference == 0)
        return emptySample("reference");
    if (current == 0)
        return emptySample("current");
    return std::nullopt;
}

// Walks the union of two sorted samples one distinct value at a time, calling
// visit(value, cdfDifference, nextValue or NaN at the end) with the empirical CDFs taken just after
// the value (scipy's searchsorted(side='right') / n).
template<typename Visit> void walkDistinctValues(const std::vector<double> &a, const std::vector<double> &b, Visit &&visit)
{
    const double na = double(a.size()), nb = double(b.size());
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        const double value = j == b.size() || (i < a.size() && a[i] <= b[j]) ? a[i] : b[j];
        while (i < a.size() && a[i] == value)
            ++i;
        while (j < b.size() && b[j] == value)
            ++j;
        const double next = i < a.size() ? (j < b.size() ? std::min(a[i], b[j]) : a[i])
                                         : (j < b.size() ? b[j] : std::numeric_limits<double>::quiet_NaN());
        visit(value, double(i) / na - double(j) / nb, next);
    }
}

// Smirnov's asymptotic p-value as scipy: the one-sample distribution at n = round(m n / (m + n)).
double asymptoticKsPValue(std::size_t m, std::size_t n, double d)
{
    const double large = double(std::max(m, n)), small = double(std::min(m, n));
    const double effective = large * small / (large + small);
    return kolmogorovSurvival(std::int64_t(std::nearbyint(effective)), d);
}

} // namespace

double SortedSample::missingRate() const
{
    const std::size_t total = values.size() + missing;
    return total ? double(missing) / double(total) : 0.0;
}

SortedSample sortedSample(std::span<const double> values)
{
    SortedSample sample;
    std::vector<double> scratch;
    gatherSortedSample(values, {}, sample, scratch);
    return sample;
}

void gatherSortedSample(std::span<const double> data, std::span<const std::size_t> rows, SortedSample &sample,
                        std::vector<double> &scratch, bool sort)
{
    const std::size_t count = rows.empty() ? data.size() : rows.size();
    // Written unconditionally, kept by advancing only past non-NaNs: no branch to mispredict.
    sample.values.resize(count);
    double *out = sample.values.data();
    std::size_t kept = 0;
    if (rows.empty()) {
        for (double value : data) {
            out[kept] = value;
            kept += !std::isnan(value);
        }
    } else {
        for (std::size_t row : rows) {
            const double value = data[row];
            out[kept] = value;
            kept += !std::isnan(value);
        }
    }
    sample.values.resize(kept);
    sample.missing = count - kept;
    if (sort)
        radixSort(sample.values, scratch);
}

SortedPair sortedPair(std::span<const double> reference, std::span<const double> current)
{
    SortedPair pair;
    parallelFor(2, [&](std::size_t which) {
        if (which == 0)
            pair.reference = sortedSample(reference);
        else
            pair.current = sortedSample(current);
    });
    return pair;
}

Result<KsTest> kolmogorovSmirnov(const SortedSample &reference, const SortedSample &current)
{
    if (auto error = checkNotEmpty(reference.count(), current.count()))
        return *error;
    double largest = 0, smallest = 0;
    walkDistinctValues(reference.values, current.values, [&](double, double difference, double) {
        largest = std::max(largest, difference);
        smallest = std::min(smallest, difference);
    });
    // scipy takes -min when it is strictly larger than max, clipped to [0, 1].
    const double minS = std::clamp(-smallest, 0.0, 1.0);
    KsTest test;
    test.statistic = minS > largest ? minS : largest;
    const std::size_t m = reference.count(), n = current.count();
    if (std::max(m, n) <= kExactKsLimit) {
        if (auto exact = exactTwoSampleKs(std::int64_t(m), std::int64_t(n), test.statistic)) {
            test.statistic = exact->statistic;
            test.pValue = exact->pValue;
            test.exact = true;
            return test;
        }
    }
    test.pValue = std::clamp(asymptoticKsPValue(m, n, test.statistic), 0.0, 1.0);
    return test;
}

Result<double> wassersteinDistance(const SortedSample &reference, const SortedSample &current)
{
    if (auto error = checkNotEmpty(reference.count(), current.count()))
        return *error;
    // Between consecutive distinct values both CDFs are flat, so the integral is a sum of
    // |difference| x gap; compensated so that a million terms keep full precision.
    double sum = 0, compensation = 0;
    walkDistinctValues(reference.values, current.values, [&](double value, double difference, double next) {
        if (std::isnan(next))
            return;
        const double term = std::abs(difference) * (next - value);
        const double total = sum + term;
        compensation += std::abs(sum) >= std::abs(term) ? (sum - total) + term : (term - total) + sum;
        sum = total;
    });
    return sum + compensation;
}

double wassersteinNorm(const SortedSample &reference)
{
    if (reference.values.empty())
        return kMinimumNorm;
    return std::max(moments(reference.values).populationStd(), kMinimumNorm);
}

namespace {

struct Range
{
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::size_t count = 0; // non-missing values
};

// Runs body(begin, end) over chunks of [0, size) on the worker threads.
template<typename Body> void forChunks(std::size_t size, Body &&body)
{
    const std::size_t chunks = (size + kChunk - 1) / kChunk;
    parallelFor(chunks, [&](std::size_t c) { body(c * kChunk, std::min(size, (c + 1) * kChunk)); });
}

Range rangeOf(std::span<const double> values)
{
    std::vector<Range> parts((values.size() + kChunk - 1) / kChunk);
    forChunks(values.size(), [&](std::size_t begin, std::size_t end) {
        Range &part = parts[begin / kChunk];
        for (std::size_t i = begin; i < end; ++i) {
            const double v = values[i];
            if (std::isnan(v))
                continue;
            part.min = std::min(part.min, v);
            part.max = std::max(part.max, v);
            ++part.count;
        }
    });
    Range total;
    for (const Range &part : parts) {
        total.min = std::min(total.min, part.min);
        total.max = std::max(total.max, part.max);
        total.count += part.count;
    }
    return total;
}

// The distinct non-missing values, ascending, or nothing once there are more than `limit`.
std::optional<std::vector<double>> fewDistinctValues(std::span<const double> values, std::size_t limit)
{
    std::vector<double> distinct;
    for (double v : values) {
        if (std::isnan(v) || std::find(distinct.begin(), distinct.end(), v) != distinct.end())
            continue;
        if (distinct.size() == limit)
            return std::nullopt;
        distinct.push_back(v);
    }
    std::sort(distinct.begin(), distinct.end());
    return distinct;
}

// numpy.linspace(first, last, bins + 1): i * step + first, the last edge exactly `last`.
std::vector<double> linspaceEdges(double first, double last, std::size_t bins)
{
    std::vector<double> edges(bins + 1);
    const double step = (last - first) / double(bins);
    for (std::size_t i = 0; i <= bins; ++i)
        edges[i] = double(i) * step + first;
    edges.back() = last;
    return edges;
}

// Counts per bin (numpy.histogram's rule, out-of-range values clamped to the end bins), with an
// index guessed from equal widths and corrected against the exact edges.
std::vector<std::size_t> histogramCounts(const std::vector<double> &edges, std::span<const double> values)
{
    const std::size_t bins = edges.size() - 1;
    const double first = edges.front(), scale = double(bins) / (edges.back() - edges.front());
    std::vector<std::vector<std::size_t>> parts((values.size() + kChunk - 1) / kChunk);
    forChunks(values.size(), [&](std::size_t begin, std::size_t end) {
        std::vector<std::size_t> counts(bins, 0);
        for (std::size_t i = begin; i < end; ++i) {
            const double v = values[i];
            if (std::isnan(v))
                continue;
            const double guess = (v - first) * scale;
            auto b = guess <= 0 ? std::size_t(0) : std::min(std::size_t(guess), bins - 1);
            while (b > 0 && v < edges[b])
                --b;
            while (b + 1 < bins && v >= edges[b + 1])
                ++b;
            ++counts[b];
        }
        parts[begin / kChunk] = std::move(counts);
    });
    std::vector<std::size_t> total(bins, 0);
    for (const auto &part : parts)
        for (std::size_t b = 0; b < bins; ++b)
            total[b] += part[b];
    return total;
}

std::vector<double> sharesOf(const std::vector<std::size_t> &counts, std::size_t total)
{
    std::vector<double> shares(counts.size());
    for (std::size_t b = 0; b < counts.size(); ++b)
        shares[b] = double(counts[b]) / double(total);
    return shares;
}

std::vector<double> valueShares(const std::vector<double> &keys, std::span<const double> values, std::size_t total)
{
    std::vector<std::size_t> counts(keys.size(), 0);
    for (double v : values)
        if (!std::isnan(v))
            ++counts[std::size_t(std::lower_bound(keys.begin(), keys.end(), v) - keys.begin())];
    return sharesOf(counts, total);
}

BinnedShares byValueShares(std::vector<double> referenceValues, std::span<const double> reference,
                           std::span<const double> current, std::size_t referenceCount, std::size_t currentCount)
{
    BinnedShares shares;
    std::vector<double> keys = std::move(referenceValues);
    for (double v : current)
        if (!std::isnan(v) && !std::binary_search(keys.begin(), keys.end(), v))
            keys.insert(std::upper_bound(keys.begin(), keys.end(), v), v);
    shares.reference = valueShares(keys, reference, referenceCount);
    shares.current = valueShares(keys, current, currentCount);
    shares.values = std::move(keys);
    return shares;
}

// Evidently's feel_zeroes: empty bins get a small share so that logarithms stay finite.
std::vector<double> fillZeros(std::vector<double> shares)
{
    double smallest = std::numeric_limits<double>::infinity();
    for (double s : shares)
        if (s != 0)
            smallest = std::min(smallest, s);
    const double fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
    for (double &s : shares)
        if (s == 0)
            s = fill;
    return shares;
}

} // namespace

Result<BinnedShares> evidentlyBins(std::span<const double> reference, std::span<const double> current)
{
    const Range r = rangeOf(reference), c = rangeOf(current);
    if (auto error = checkNotEmpty(r.count, c.count))
        return *error;
    if (auto distinct = fewDistinctValues(reference, kByValueBinLimit))
        return byValueShares(std::move(*distinct), reference, current, r.count, c.count);
    BinnedShares shares;
    shares.edges = sturgesEdges(std::min(r.min, c.min), std::max(r.max, c.max), r.count + c.count);
    shares.reference = sharesOf(histogramCounts(shares.edges, reference), r.count);
    shares.current = sharesOf(histogramCounts(shares.edges, current), c.count);
    return shares;
}

std::vector<double> sturgesEdges(double first, double last, std::size_t count)
{
    // numpy's 'sturges' width ptp / (log2(size) + 1), then ceil(range / width) bins.
    const double width = (last - first) / (std::log2(double(count)) + 1.0);
    const auto bins = std::size_t(std::ceil((last - first) / width));
    return linspaceEdges(first, last, std::max<std::size_t>(bins, 1));
}

Result<BinnedShares> sharesOnEdges(std::vector<double> edges, std::span<const double> reference, std::span<const double> current)
{
    if (edges.size() < 2 || !std::is_sorted(edges.begin(), edges.end()) || !(edges.back() > edges.front()))
        return Error::invalid(QStringLiteral("bin edges must be at least two ascending numbers spanning a range"));
    const std::size_t referenceCount = rangeOf(reference).count, currentCount = rangeOf(current).count;
    if (auto error = checkNotEmpty(referenceCount, currentCount))
        return *error;
    BinnedShares shares;
    shares.reference = sharesOf(histogramCounts(edges, reference), referenceCount);
    shares.current = sharesOf(histogramCounts(edges, current), currentCount);
    shares.edges = std::move(edges);
    return shares;
}

double populationStabilityIndex(const BinnedShares &shares)
{
    const std::vector<double> r = fillZeros(shares.reference), c = fillZeros(shares.current);
    double psi = 0;
    for (std::size_t b = 0; b < r.size(); ++b)
        psi += (c[b] - r[b]) * std::log(c[b] / r[b]);
    return psi;
}

double jensenShannonDistance(const std::vector<double> &p, const std::vector<double> &q)
{
    const double pSum = std::accumulate(p.begin(), p.end(), 0.0), qSum = std::accumulate(q.begin(), q.end(), 0.0);
    double left = 0, right = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const double pi = p[i] / pSum, qi = q[i] / qSum, mi = (pi + qi) / 2.0;
        if (pi > 0)
            left += pi * std::log(pi / mi);
        if (qi > 0)
            right += qi * std::log(qi / mi);
    }
    return std::sqrt(std::max(0.0, left + right) / 2.0);
}

} // namespace plumb
