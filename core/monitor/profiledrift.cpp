#include "monitor/profiledrift.h"

#include "monitor/kolmogorovdistribution.h"
#include "monitor/referencecdf.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

const QString kOther = QStringLiteral("(other)");

Error noReference(const ColumnProfile &profile)
{
    return Error::invalid(QStringLiteral("the reference profile of '%1' has no non-missing values").arg(profile.name));
}

std::optional<Error> checkSamples(const ReferenceCdf &cdf, const ColumnProfile &reference, const SortedSample &current)
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
    ReferenceCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, current))
        return *error;
    // Between consecutive breakpoints (knots and current values) F is linear and G constant, so
    // |F - G| is largest at a breakpoint, approached from the left or reached.
    const std::vector<double> &values = current.values;
    const double m = cdf.total();
    double largest = 0;
    cdf.sweep(values, [&](double, double fBelow, double f, double gBelow, double g) {
        largest = std::max({largest, std::abs(fBelow - gBelow), std::abs(f - g)});
    });
    KsTest test;
    test.statistic = largest;
    const auto referenceCount = std::int64_t(m), currentCount = std::int64_t(values.size());
    if (std::max(referenceCount, currentCount) <= 10000) {
        if (auto exact = exactTwoSampleKs(referenceCount, currentCount, largest)) {
            test.pValue = exact->pValue;
            test.exact = true;
            return test;
        }
    }
    const double large = double(std::max(referenceCount, currentCount)), small = double(std::min(referenceCount, currentCount));
    test.pValue = kolmogorovSurvival(std::int64_t(std::nearbyint(large * small / (large + small))), largest);
    return test;
}

Result<double> wassersteinFromProfile(const ColumnProfile &reference, const SortedSample &current)
{
    ReferenceCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, current))
        return *error;
    // The integral of |F - G| piece by piece: between consecutive breakpoints F rises linearly from
    // its value at the left one to its left limit at the right one, and G is constant.
    bool first = true;
    double sum = 0, previous = 0, previousF = 0, previousG = 0;
    cdf.sweep(current.values, [&](double x, double fBelow, double f, double, double g) {
        if (!first)
            sum += absoluteLinearIntegral(previousF - previousG, fBelow - previousG, x - previous);
        first = false;
        previous = x;
        previousF = f;
        previousG = g;
    });
    return sum;
}

bool needsSortedSample(DriftMethod method)
{
    // Only the CDF-based statistics need the current values in order.
    return method == DriftMethod::KolmogorovSmirnov || method == DriftMethod::Wasserstein
        || method == DriftMethod::WassersteinNormed;
}

Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference, std::span<const double> current,
                                           std::optional<double> threshold, std::optional<std::size_t> bins)
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

namespace {

// Evidently's bins for PSI and Jensen–Shannon (evidentlyBins) with the reference's shares read
// from its CDF: one bin per value when the reference is exact and has at most
// kByValueBinLimit values, Sturges' equal-width bins over both samples' range otherwise.
BinnedShares sharesByValue(const ReferenceCdf &cdf, const SortedSample &sample)
{
    BinnedShares shares;
    for (const CdfKnot &knot : cdf.knots())
        shares.values.push_back(knot.value);
    for (double v : sample.values)
        shares.values.push_back(v);
    std::sort(shares.values.begin(), shares.values.end());
    shares.values.erase(std::unique(shares.values.begin(), shares.values.end()), shares.values.end());
    shares.reference.assign(shares.values.size(), 0.0);
    shares.current.assign(shares.values.size(), 0.0);
    auto indexOf = [&](double v) {
        return std::size_t(std::lower_bound(shares.values.begin(), shares.values.end(), v) - shares.values.begin());
    };
    for (const CdfKnot &knot : cdf.knots())
        shares.reference[indexOf(knot.value)] = double(knot.count) / cdf.total();
    for (double v : sample.values)
        shares.current[indexOf(v)] += 1.0 / double(sample.count());
    return shares;
}

Result<BinnedShares> sharesOnSturgesBins(ReferenceCdf &cdf, const SortedSample &sample)
{
    const auto [low, high] = std::minmax_element(sample.values.begin(), sample.values.end());
    const double first = std::min(cdf.knots().front().value, *low), last = std::max(cdf.knots().back().value, *high);
    std::vector<double> edges = sturgesEdges(first, last, std::size_t(cdf.total()) + sample.count());
    // The current sample's shares (passed as both samples: one count pass each).
    Result<BinnedShares> shares = sharesOnEdges(edges, sample.values, sample.values);
    if (!shares)
        return shares;
    // numpy.histogram's bins [e_j, e_j+1), the last closed: the reference below each edge.
    std::vector<double> &reference = shares.value().reference;
    cdf.rewind();
    double below = 0;
    for (std::size_t b = 0; b < reference.size(); ++b) {
        const double next = b + 1 == reference.size() ? cdf.total() : cdf.at(edges[b + 1]).below;
        reference[b] = (next - below) / cdf.total();
        below = next;
    }
    return shares;
}

Result<BinnedShares> profileShares(const ColumnProfile &reference, const SortedSample &sample)
{
    ReferenceCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, sample))
        return *error;
    if (cdf.isExact() && cdf.knots().size() <= kByValueBinLimit)
        return sharesByValue(cdf, sample);
    return sharesOnSturgesBins(cdf, sample);
}

// Chi-square on a numeric column compares its values as categories: the profile must hold every value.
Result<DriftScore> chiSquareFromProfile(const ColumnProfile &reference, const SortedSample &sample,
                                        std::optional<double> threshold)
{
    ReferenceCdf cdf(reference);
    if (auto error = checkSamples(cdf, reference, sample))
        return *error;
    if (!cdf.isExact())
        return Error::invalid(QStringLiteral("chi-square compares values as categories, and the reference profile of '%1' "
                                             "summarises its %2 distinct values; use ks or wasserstein_normed")
                                  .arg(reference.name)
                                  .arg(reference.unique));
    CategoricalSample referenceCounts{{}, reference.missing}, currentCounts{{}, sample.missing};
    for (const CdfKnot &knot : cdf.knots())
        referenceCounts.counts[numberCategory(knot.value)] += knot.count;
    for (double v : sample.values)
        ++currentCounts.counts[numberCategory(v)];
    return categoricalDrift(DriftMethod::ChiSquare, referenceCounts, currentCounts, threshold);
}

} // namespace

DriftMethod defaultMethodFor(const ColumnProfile &reference, bool comparesCategories)
{
    const DriftMethod method = defaultMethod(reference.count + reference.missing, !comparesCategories, reference.unique);
    // An old profile's histogram may not hold a few-valued float column's values: KS applies.
    if (method == DriftMethod::ChiSquare && !comparesCategories && !ReferenceCdf(reference).isExact())
        return DriftMethod::KolmogorovSmirnov;
    return method;
}

Result<DriftScore> numericDriftFromProfile(DriftMethod method, const ColumnProfile &reference, const SortedSample &sample,
                                           std::optional<double> threshold, std::optional<std::size_t> bins)
{
    if (method == DriftMethod::ChiSquare)
        return chiSquareFromProfile(reference, sample, threshold);
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
    } else {
        Result<BinnedShares> shares = profileShares(reference, sample);
        if (!shares)
            return shares.error();
        BinnedShares binned = std::move(shares).value();
        const std::size_t evidentlyBinCount = binned.reference.size();
        const QString evidentlyBinning = binningDescription(binned);
        if (bins && !binned.edges.empty())
            binned = mergeBins(binned, *bins);
        score.statistic = method == DriftMethod::Psi ? populationStabilityIndex(binned)
                                                     : jensenShannonDistance(binned.reference, binned.current);
        score.binning = binned.reference.size() == evidentlyBinCount
            ? evidentlyBinning
            : QStringLiteral("%1 bins of about equal reference share, merged from %2")
                  .arg(binned.reference.size())
                  .arg(evidentlyBinning);
    }
    score.drifted = isDrift(method, score.score(), score.threshold);
    score.missingRateChange = sample.missingRate() - reference.missingRate();
    return score;
}

QStringList approximateReferenceColumns(const std::vector<ColumnProfile> &profiles)
{
    QStringList names;
    for (const ColumnProfile &profile : profiles) {
        if (!isNumericStorage(profile.type) || profile.type == ColumnType::Boolean || profile.count == 0)
            continue;
        const ReferenceCdf cdf(profile);
        if (cdf.isFromHistogram() && !cdf.isExact())
            names.append(profile.name);
    }
    return names;
}

QString approximateReferenceNotice(const std::vector<ColumnProfile> &profiles)
{
    const QStringList names = approximateReferenceColumns(profiles);
    if (names.isEmpty())
        return {};
    return QStringLiteral("the reference profile of %1 keeps histograms only (a model saved by model format 2 or earlier): "
                          "their drift statistics are approximate, with false alarms possible; retrain the model to keep "
                          "an exact profile")
        .arg(names.join(QStringLiteral(", ")));
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
