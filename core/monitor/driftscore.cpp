#include "monitor/driftscore.h"

#include "monitor/numericdrift.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

constexpr std::size_t kSmallReference = 1000; // Evidently switches from tests to distances above this
constexpr std::size_t kFewValues = 5;

double missingRate(std::size_t missing, std::size_t total)
{
    return total ? double(missing) / double(total) : 0.0;
}

DriftScore scoreOf(DriftMethod method, double statistic, std::optional<double> pValue, std::optional<double> threshold)
{
    DriftScore score;
    score.method = method;
    score.statistic = statistic;
    score.pValue = pValue;
    score.threshold = threshold.value_or(defaultThreshold(method));
    score.drifted = isDrift(method, score.score(), score.threshold);
    return score;
}

// Numbers counted as categories, for chi-square on a numeric column with few values.
CategoricalSample numberSample(std::span<const double> values)
{
    CategoricalSample sample;
    for (double v : values) {
        if (std::isnan(v))
            ++sample.missing;
        else
            ++sample.counts[numberCategory(v)];
    }
    return sample;
}

} // namespace

QString binningDescription(const BinnedShares &shares)
{
    if (shares.edges.empty())
        return QStringLiteral("one bin per value (%1 values)").arg(shares.values.size());
    return QStringLiteral("%1 equal-width bins over [%2, %3] of reference and current (Sturges)")
        .arg(shares.edges.size() - 1)
        .arg(shares.edges.front())
        .arg(shares.edges.back());
}

namespace {

Result<DriftScore> binnedDrift(DriftMethod method, std::span<const double> reference, std::span<const double> current,
                               std::optional<double> threshold)
{
    Result<BinnedShares> shares = evidentlyBins(reference, current);
    if (!shares)
        return shares.error();
    const double statistic = method == DriftMethod::Psi ? populationStabilityIndex(shares.value())
                                                        : jensenShannonDistance(shares.value().reference, shares.value().current);
    DriftScore score = scoreOf(method, statistic, std::nullopt, threshold);
    score.binning = binningDescription(shares.value());
    return score;
}

Result<DriftScore> sortedDrift(DriftMethod method, std::span<const double> reference, std::span<const double> current,
                               std::optional<double> threshold)
{
    const SortedPair pair = sortedPair(reference, current);
    if (method == DriftMethod::KolmogorovSmirnov) {
        Result<KsTest> test = kolmogorovSmirnov(pair.reference, pair.current);
        if (!test)
            return test.error();
        return scoreOf(method, test.value().statistic, test.value().pValue, threshold);
    }
    Result<double> distance = wassersteinDistance(pair.reference, pair.current);
    if (!distance)
        return distance.error();
    const double statistic = method == DriftMethod::WassersteinNormed ? distance.value() / wassersteinNorm(pair.reference)
                                                                      : distance.value();
    return scoreOf(method, statistic, std::nullopt, threshold);
}

std::size_t missingIn(std::span<const double> values)
{
    std::size_t missing = 0;
    for (double v : values)
        missing += std::isnan(v);
    return missing;
}

} // namespace

QString driftMethodName(DriftMethod method)
{
    switch (method) {
    case DriftMethod::KolmogorovSmirnov:
        return QStringLiteral("ks");
    case DriftMethod::Wasserstein:
        return QStringLiteral("wasserstein");
    case DriftMethod::WassersteinNormed:
        return QStringLiteral("wasserstein_normed");
    case DriftMethod::Psi:
        return QStringLiteral("psi");
    case DriftMethod::JensenShannon:
        return QStringLiteral("jensenshannon");
    case DriftMethod::ChiSquare:
        return QStringLiteral("chisquare");
    }
    return {};
}

std::optional<DriftMethod> driftMethodFromName(const QString &name)
{
    for (DriftMethod method : {DriftMethod::KolmogorovSmirnov, DriftMethod::Wasserstein, DriftMethod::WassersteinNormed,
                               DriftMethod::Psi, DriftMethod::JensenShannon, DriftMethod::ChiSquare})
        if (driftMethodName(method) == name)
            return method;
    return std::nullopt;
}

double defaultThreshold(DriftMethod method)
{
    switch (method) {
    case DriftMethod::KolmogorovSmirnov:
    case DriftMethod::ChiSquare:
        return 0.05;
    case DriftMethod::Wasserstein:
        return std::numeric_limits<double>::quiet_NaN();
    case DriftMethod::WassersteinNormed:
    case DriftMethod::Psi:
    case DriftMethod::JensenShannon:
        return 0.1;
    }
    return 0.1;
}

DriftMethod defaultMethod(std::size_t referenceRows, bool numeric, std::size_t referenceDistinct)
{
    const bool treatAsNumber = numeric && referenceDistinct > kFewValues;
    if (referenceRows <= kSmallReference)
        return treatAsNumber ? DriftMethod::KolmogorovSmirnov : DriftMethod::ChiSquare;
    return treatAsNumber ? DriftMethod::WassersteinNormed : DriftMethod::JensenShannon;
}

double thresholdRatio(const DriftScore &score, bool onStatistic)
{
    if (!(score.threshold > 0))
        return 0.0;
    if (score.pValue && !onStatistic)
        return score.threshold / std::max(*score.pValue, 1e-300);
    return score.statistic / score.threshold;
}

bool isDrift(DriftMethod method, double score, double threshold)
{
    switch (method) {
    case DriftMethod::KolmogorovSmirnov:
        return score <= threshold;
    case DriftMethod::ChiSquare:
        return score < threshold;
    default:
        return score >= threshold; // false for NaN thresholds
    }
}

Result<DriftScore> numericDrift(DriftMethod method, std::span<const double> reference, std::span<const double> current,
                                std::optional<double> threshold)
{
    if (method == DriftMethod::ChiSquare)
        return categoricalDrift(method, numberSample(reference), numberSample(current), threshold);
    Result<DriftScore> score = method == DriftMethod::Psi || method == DriftMethod::JensenShannon
        ? binnedDrift(method, reference, current, threshold)
        : sortedDrift(method, reference, current, threshold);
    if (score)
        score.value().missingRateChange = missingRate(missingIn(current), current.size())
            - missingRate(missingIn(reference), reference.size());
    return score;
}

Result<DriftScore> categoricalDrift(DriftMethod method, const CategoricalSample &reference, const CategoricalSample &current,
                                    std::optional<double> threshold)
{
    Result<DriftScore> score = Error::invalid(
        QStringLiteral("%1 does not apply to categories; use chisquare, jensenshannon or psi").arg(driftMethodName(method)));
    if (method == DriftMethod::ChiSquare) {
        Result<ChiSquareTest> test = chiSquareTest(reference.counts, current.counts);
        if (!test)
            return test.error();
        score = scoreOf(method, test.value().statistic, test.value().pValue, threshold);
    } else if (method == DriftMethod::JensenShannon || method == DriftMethod::Psi) {
        Result<CategoryShares> shares = categoryShares(reference.counts, current.counts);
        if (!shares)
            return shares.error();
        BinnedShares binned{{}, {}, shares.value().reference, shares.value().current};
        const double statistic = method == DriftMethod::Psi ? populationStabilityIndex(binned)
                                                            : jensenShannonDistance(binned.reference, binned.current);
        score = scoreOf(method, statistic, std::nullopt, threshold);
        score.value().binning = QStringLiteral("one bin per value (%1 values)").arg(shares.value().values.size());
    }
    if (!score)
        return score;
    std::size_t referenceTotal = reference.missing, currentTotal = current.missing;
    for (const auto &[value, count] : reference.counts)
        referenceTotal += count;
    for (const auto &[value, count] : current.counts)
        currentTotal += count;
    score.value().missingRateChange = missingRate(current.missing, currentTotal) - missingRate(reference.missing, referenceTotal);
    return score;
}

} // namespace plumb
