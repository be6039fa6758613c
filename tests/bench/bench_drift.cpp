// The Plumb side of the drift-statistics benchmark; run by bench_drift.py or by hand, see README.md.
//
//   bench_drift REFERENCE CURRENT [--repeat R]
//       Loads two CSV files of one numeric column each and times, R times each from the raw
//       samples: the KS test (sortedPair + kolmogorovSmirnov: statistic and p-value), the
//       Wasserstein distance (sortedPair + wassersteinDistance) and PSI (evidentlyBins +
//       populationStabilityIndex). Prints one JSON line: every time, the median of each, the
//       sort alone, the thread count and the values.

#include "benchcommon.h"

#include "base/parallel.h"
#include "monitor/numericdrift.h"

#include <QCoreApplication>

#include <cstdio>

using namespace plumb;
using namespace plumb::bench;

namespace {

// The file's only column, as doubles (NaN missing).
std::vector<double> loadSample(const QString &path)
{
    double seconds = 0;
    Dataset data = load(path, seconds);
    if (data.columns().size() != 1)
        fail(QStringLiteral("%1 has %2 columns; expected one").arg(path).arg(data.columns().size()));
    return std::move(data.column(0).numbers());
}

template<typename Value> Value unwrap(Result<Value> result)
{
    if (!result)
        fail(result.error().message);
    return std::move(result).value();
}

// The wall-clock seconds of each of `repeat` calls of `work`.
template<typename Work> std::vector<double> timeRepeated(int repeat, Work &&work)
{
    std::vector<double> seconds;
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        work();
        seconds.push_back(secondsSince(start));
    }
    return seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString referencePath = args.value(1), currentPath = args.value(2);
    if (referencePath.isEmpty() || currentPath.isEmpty() || currentPath.startsWith(QLatin1String("--"))) {
        std::fprintf(stderr, "usage: bench_drift REFERENCE CURRENT [--repeat R]\n");
        return 2;
    }
    const int repeat = intOption(args, QStringLiteral("--repeat"), 5);
    const std::vector<double> reference = loadSample(referencePath), current = loadSample(currentPath);

    KsTest ks;
    double wasserstein = 0, psi = 0;
    std::size_t bins = 0;
    const std::vector<double> sortSeconds = timeRepeated(repeat, [&] { (void)sortedPair(reference, current); });
    const std::vector<double> ksSeconds = timeRepeated(repeat, [&] {
        const SortedPair pair = sortedPair(reference, current);
        ks = unwrap(kolmogorovSmirnov(pair.reference, pair.current));
    });
    const std::vector<double> wassersteinSeconds = timeRepeated(repeat, [&] {
        const SortedPair pair = sortedPair(reference, current);
        wasserstein = unwrap(wassersteinDistance(pair.reference, pair.current));
    });
    const std::vector<double> psiSeconds = timeRepeated(repeat, [&] {
        const BinnedShares shares = unwrap(evidentlyBins(reference, current));
        psi = populationStabilityIndex(shares);
        bins = shares.reference.size();
    });

    print(QJsonObject{
        {QStringLiteral("tool"), QStringLiteral("plumb")},
        {QStringLiteral("reference_rows"), qint64(reference.size())},
        {QStringLiteral("current_rows"), qint64(current.size())},
        {QStringLiteral("threads"), workerCount()},
        {QStringLiteral("sort_s"), toJson(sortSeconds)},
        {QStringLiteral("ks_s"), toJson(ksSeconds)},
        {QStringLiteral("wasserstein_s"), toJson(wassersteinSeconds)},
        {QStringLiteral("psi_s"), toJson(psiSeconds)},
        {QStringLiteral("ks_median_s"), median(ksSeconds)},
        {QStringLiteral("wasserstein_median_s"), median(wassersteinSeconds)},
        {QStringLiteral("psi_median_s"), median(psiSeconds)},
        {QStringLiteral("ks_statistic"), ks.statistic},
        {QStringLiteral("ks_pvalue"), ks.pValue},
        {QStringLiteral("ks_exact"), ks.exact},
        {QStringLiteral("wasserstein"), wasserstein},
        {QStringLiteral("psi"), psi},
        {QStringLiteral("bins"), qint64(bins)},
    });
    return 0;
}
