#include "monitor/profiledrift.h"

#include "monitor/kolmogorovdistribution.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

const QString kOther = QStringLiteral("(other)");

Error noReference(const ColumnProfile &profile)
{
    return Error::invalid(QStringLiteral("the reference profile of '%1' has no non-missing values").arg(profile.name));
}

// Integral of |f| over a segment where f is linear from f0 to f1 and the segment is `width` long.
double absoluteLinearIntegral(double f0, double f1, double width)
{
    if ((f0 >= 0) == (f1 >= 0))
        return (std::abs(f0) + std::abs(f1)) / 2 * width;
    return (f0 * f0 + f1 * f1) / (2 * std::abs(f1 - f0)) * width;
}

// The reference CDF the histogram implies: linear inside each bin.
class BinnedCdf
{
public:
    explicit BinnedCdf(const ColumnProfile &profile) : mBins(profile.histogram)
    {
        std::size_t total = 0;
        mBelow.reserve(mBins.size());
        mDiscrete = profile.type == ColumnType::Integer && !mBins.empty();
        for (const ColumnProfile::Bin &bin : mBins) {
            mBelow.push_back(double(total));
            total += bin.count;
            const double centre = (bin.lower + bin.upper) / 2;
            mDiscrete = mDiscrete && bin.upper - bin.lower == 1.0 && centre == std::floor(centre);
        }
        mTotal = double(total);
    }

    bool isEmpty() const { return mTotal == 0; }
    double total() const { return mTotal; }
    // An Integer column's profile with one bin per whole number holds the exact distribution:
    // its CDF steps at the bin centres instead of rising linearly through each bin.
    bool isDiscrete() const { return mDiscrete; }

    // F(x); queries must come in ascending order (the bin pointer only moves forward).
    double at(double x)
    {
        if (mDiscrete) {
            while (mBin < mBins.size() && x >= (mBins[mBin].lower + mBins[mBin].upper) / 2)
                ++mBin;
            return mBin < mBins.size() ? mBelow[mBin] / mTotal : 1.0;
        }
        while (mBin < mBins.size() && x >= mBins[mBin].upper)
            ++mBin;
        if (mBin == mBins.size())
            return 1.0;
        const ColumnProfile::Bin &bin = mBins[mBin];
        if (x <= bin.lower)
            return mBelow[mBin] / mTotal;
        const double inside = bin.upper > bin.lower ? (x - bin.lower) / (bin.upper - bin.lower) : 1.0;
        return (mBelow[mBin] + inside * double(bin.count)) / mTotal;
    }

    // Whether the bins tile [first lower, last upper] with positive widths: then the continuous
    // Wasserstein sweep can go bin by bin (linearWasserstein).
    bool isTiled() const
    {
        for (std::size_t b = 0; b < mBins.size(); ++b)
            if (!(mBins[b].upper > mBins[b].lower) || (b > 0 && mBins[b].lower != mBins[b - 1].upper))
                return false;
        return !mBins.empty();
    }

    // The integral of |F - G| for the sorted current values (G their empirical CDF), for a
    // continuous, tiled CDF: the same breakpoints, segments and arithmetic as the general sweep in
    // wassersteinFromProfile (so the same result, bit for bit), bin by bin, so that the loop over
    // a bin's values needs no merge with the edges and no search for the bin.
    double linearWasserstein(const std::vector<double> &values) const
    {
        const std::size_t n = values.size();
        const double count = double(n);
        std::size_t atOrBelow = 0;
        bool first = true;
        double sum = 0, previous = 0, previousF = 0;
        // One breakpoint x with F(x) = f; equal consecutive breakpoints count once.
        auto step = [&](double x, double f) {
            if (first) {
                first = false;
                previous = x;
                previousF = f;
                return;
            }
            if (x == previous)
                return;
            while (atOrBelow < n && values[atOrBelow] <= previous)
                ++atOrBelow;
            const double g = double(atOrBelow) / count;
            sum += absoluteLinearIntegral(previousF - g, f - g, x - previous);
            previousF = f;
            previous = x;
        };
        std::size_t j = 0;
        for (; j < n && values[j] < mBins.front().lower; ++j)
            step(values[j], mBelow.front() / mTotal);
        for (std::size_t b = 0; b < mBins.size(); ++b) {
            const double lower = mBins[b].lower, upper = mBins[b].upper, binCount = double(mBins[b].count);
            const double below = mBelow[b];
            step(lower, below / mTotal);
            for (; j < n && values[j] < upper; ++j) {
                const double x = values[j];
                step(x, x <= lower ? below / mTotal : (below + ((x - lower) / (upper - lower)) * binCount) / mTotal);
            }
        }
        step(mBins.back().upper, 1.0);
        for (; j < n; ++j)
            step(values[j], 1.0);
        return sum;
    }

    // Where F changes slope or steps: the bin edges, or the centres when discrete.
    std::vector<double> breaks() const
    {
        if (!mDiscrete)
            return edges();
        std::vector<double> centres;
        for (const ColumnProfile::Bin &bin : mBins)
            centres.push_back((bin.lower + bin.upper) / 2);
        return centres;
    }

    std::vector<double> edges() const
    {
        std::vector<double> edges;
        for (const ColumnProfile::Bin &bin : mBins)
            edges.push_back(bin.lower);
        if (!mBins.empty())
            edges.push_back(mBins.back().upper);
        return edges;
    }

private:
    std::vector<ColumnProfile::Bin> mBins;
    std::vector<double> mBelow;
    double mTotal = 0;
    std::size_t mBin = 0;
    bool mDiscrete = false;
};

// Calls visit(x) for each distinct x of the union of two ascending sequences, ascending: what
// std::merge then std::unique give, without storing them.
template <typename Visit>
void forEachBreakpoint(const std::vector<double> &edges, const std::vector<double> &values, Visit &&visit)
{
    std::size_t i = 0, j = 0;
    bool first = true;
    double last = 0;
    while (i < edges.size() || j < values.size()) {
        const double x = j == values.size() || (i < edges.size() && edges[i] <= values[j]) ? edges[i++] : values[j++];
        if (first || x != last)
            visit(x);
        first = false;
        last = x;
    }
}

std::optional<Error> checkSamples(const BinnedCdf &cdf, const ColumnProfile &reference, const SortedSample &current)
{
    if (cdf.isEmpty())
        return noReference(reference);
    if (current.count() == 0)
        return Error::invalid(QStringLiteral("the current sample has no non-missing values"));
    return std::nullopt;
}

double populationStd(const ColumnProfile &profile)
{
    const double n = double(profile.count);
    const double std = profile.count > 1 ? profile.std * std::sqrt((n - 1) / n) : 0.0;
    return std::max(std::isfinite(std) ? std : 0.0, 0.001);
}

} // namespace

Result<KsTest> kolmogorovSmirnovFromProfile(const ColumnProfile &reference, const SortedSample &current)
{
    BinnedCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, current))
        return *error;
    const std::vector<double> &values = current.values;
    const double n = double(values.size());
    double largest = 0;
    if (cdf.isDiscrete()) {
        // Both CDFs are right-continuous step functions: the supremum is reached at a step of either.
        std::size_t atOrBelow = 0;
        forEachBreakpoint(cdf.breaks(), values, [&](double x) {
            while (atOrBelow < values.size() && values[atOrBelow] <= x)
                ++atOrBelow;
            largest = std::max(largest, std::abs(cdf.at(x) - double(atOrBelow) / n));
        });
    }
    // F is continuous and G a step function, so the supremum of |F - G| is reached just before or
    // at a current value.
    for (std::size_t i = 0; !cdf.isDiscrete() && i < values.size();) {
        const double x = values[i];
        const double before = double(i) / n;
        while (i < values.size() && values[i] == x)
            ++i;
        const double f = cdf.at(x);
        largest = std::max({largest, std::abs(f - before), std::abs(f - double(i) / n)});
    }
    KsTest test;
    test.statistic = largest;
    const auto m = std::int64_t(cdf.total()), k = std::int64_t(values.size());
    if (std::max(m, k) <= 10000) {
        if (auto exact = exactTwoSampleKs(m, k, largest)) {
            test.pValue = exact->pValue;
            test.exact = true;
            return test;
        }
    }
    const double large = double(std::max(m, k)), small = double(std::min(m, k));
    test.pValue = kolmogorovSurvival(std::int64_t(std::nearbyint(large * small / (large + small))), largest);
    return test;
}

Result<double> wassersteinFromProfile(const ColumnProfile &reference, const SortedSample &current)
{
    BinnedCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, current))
        return *error;
    // Between consecutive breakpoints (bin edges and current values) F is linear, or constant when
    // discrete, and G constant. One merge-style sweep over both, nothing stored.
    if (!cdf.isDiscrete() && cdf.isTiled())
        return cdf.linearWasserstein(current.values);
    const std::vector<double> &values = current.values;
    const double n = double(values.size());
    const bool discrete = cdf.isDiscrete();
    std::size_t atOrBelow = 0;
    bool first = true;
    double sum = 0, previous = 0, previousF = 0;
    forEachBreakpoint(cdf.breaks(), values, [&](double x) {
        if (first) {
            first = false;
            previous = x;
            previousF = cdf.at(x);
            return;
        }
        while (atOrBelow < values.size() && values[atOrBelow] <= previous)
            ++atOrBelow;
        const double g = double(atOrBelow) / n;
        const double nextF = cdf.at(x);
        const double width = x - previous;
        sum += discrete ? std::abs(previousF - g) * width : absoluteLinearIntegral(previousF - g, nextF - g, width);
        previousF = nextF;
        previous = x;
    });
    return sum;
}

bool needsSortedSample(DriftMethod method)
{
    // Only the CDF-based statistics need the current values in order.
    return method == DriftMethod::KolmogorovSmirnov || method == DriftMethod::Wasserstein
           || method == DriftMethod::WassersteinNormed;
}

Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                           std::span<const double> current, std::optional<double> threshold,
                                           std::optional<std::size_t> bins)
{
    SortedSample sample;
    std::vector<double> scratch;
    gatherSortedSample(current, {}, sample, scratch, needsSortedSample(method));
    return numericDriftFromProfile(method, reference, sample, threshold, bins);
}

BinnedShares mergeBins(const BinnedShares &binned, std::size_t groups)
{
    groups = std::max<std::size_t>(groups, 1);
    if (binned.reference.size() <= groups)
        return binned;
    BinnedShares merged;
    merged.edges.push_back(binned.edges.front());
    double cumulative = 0, reference = 0, current = 0;
    std::size_t closed = 0;
    for (std::size_t b = 0; b < binned.reference.size(); ++b) {
        cumulative += binned.reference[b];
        reference += binned.reference[b];
        current += binned.current[b];
        const bool last = b + 1 == binned.reference.size();
        // Close at the next multiple of 1/groups, keeping one bin for each group still to come.
        const bool due = cumulative >= double(closed + 1) / double(groups) - 1e-12;
        if (last || (due && closed + 1 < groups)) {
            merged.edges.push_back(binned.edges[b + 1]);
            merged.reference.push_back(reference);
            merged.current.push_back(current);
            reference = current = 0;
            ++closed;
        }
    }
    return merged;
}

Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                           const SortedSample &sample, std::optional<double> threshold,
                                           std::optional<std::size_t> bins)
{
    DriftScore score;
    score.method = method;
    score.threshold = threshold.value_or(defaultThreshold(method));
    if (method == DriftMethod::KolmogorovSmirnov) {
        Result<KsTest> test = kolmogorovSmirnovFromProfile(reference, sample);
        if (!test)
            return test.error();
        score.statistic = test.value().statistic;
        score.pValue = test.value().pValue;
    } else if (method == DriftMethod::Wasserstein || method == DriftMethod::WassersteinNormed) {
        Result<double> distance = wassersteinFromProfile(reference, sample);
        if (!distance)
            return distance.error();
        score.statistic = distance.value() / (method == DriftMethod::WassersteinNormed ? populationStd(reference) : 1.0);
    } else if (method == DriftMethod::Psi || method == DriftMethod::JensenShannon) {
        BinnedCdf cdf(reference);
        if (cdf.isEmpty())
            return noReference(reference);
        std::vector<double> edges = cdf.edges();
        if (edges.size() < 2 || !(edges.back() > edges.front()))
            return Error::invalid(QStringLiteral("the reference profile of '%1' is constant; its histogram has no width")
                                      .arg(reference.name));
        BinnedShares binned;
        binned.edges = edges;
        for (const ColumnProfile::Bin &bin : reference.histogram)
            binned.reference.push_back(double(bin.count) / cdf.total());
        // The current sample's shares in the profile's bins (passed as both samples: one count pass each).
        Result<BinnedShares> currentShares = sharesOnEdges(edges, sample.values, sample.values);
        if (!currentShares)
            return currentShares.error();
        binned.current = currentShares.value().current;
        const std::size_t profileBins = binned.reference.size();
        if (bins)
            binned = mergeBins(binned, *bins);
        score.statistic = method == DriftMethod::Psi ? populationStabilityIndex(binned)
                                                     : jensenShannonDistance(binned.reference, binned.current);
        score.binning = binned.reference.size() == profileBins
                            ? QStringLiteral("the reference profile's %1 bins over [%2, %3]")
                                  .arg(profileBins).arg(edges.front()).arg(edges.back())
                            : QStringLiteral("%1 bins of about equal reference share, merged from the profile's %2 over [%3, %4]")
                                  .arg(binned.reference.size()).arg(profileBins).arg(edges.front()).arg(edges.back());
    } else {
        return Error::invalid(QStringLiteral("chi-square applies to categories"));
    }
    score.drifted = isDrift(method, score.score(), score.threshold);
    score.missingRateChange = sample.missingRate() - reference.missingRate();
    return score;
}

CategoryCounts profileCategoryCounts(const ColumnProfile &reference)
{
    CategoryCounts counts;
    std::size_t kept = 0;
    for (const ColumnProfile::Category &category : reference.topCategories) {
        counts[category.value] += category.count;
        kept += category.count;
    }
    if (reference.count > kept)
        counts[kOther] += reference.count - kept;
    return counts;
}

Result<DriftScore> categoricalDriftFromProfile(DriftMethod method, const ColumnProfile &reference,
                                               const CategoricalSample &current, std::optional<double> threshold)
{
    CategoricalSample referenceSample{profileCategoryCounts(reference), reference.missing};
    if (referenceSample.counts.empty())
        return noReference(reference);
    CategoricalSample folded{{}, current.missing};
    const bool hasOther = referenceSample.counts.contains(kOther);
    for (const auto &[value, count] : current.counts)
        folded.counts[hasOther && !referenceSample.counts.contains(value) ? kOther : value] += count;
    return categoricalDrift(method, referenceSample, folded, threshold);
}

} // namespace plumb
