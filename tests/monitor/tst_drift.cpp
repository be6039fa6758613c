// Drift statistics against scipy 1.10 (goldens written by tests/reference/make_sklearn_goldens.py,
// drift_cases), edge cases by hand, and the error of the profile-based versions.

#include "goldenreader.h"

#include "data/columnprofile.h"
#include "monitor/categoricaldrift.h"
#include "monitor/driftscore.h"
#include "monitor/kolmogorovdistribution.h"
#include "monitor/numericdrift.h"
#include "monitor/profiledrift.h"

#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>

using namespace plumb;
using namespace plumb::test;

namespace {

std::vector<double> goldenColumn(const QString &file)
{
    GoldenTable table = GoldenTable::load(goldenPath(file));
    const Eigen::VectorXd column = table.numbers(QStringLiteral("x"));
    if (!table.problems().isEmpty())
        qWarning("%s", qPrintable(table.problems().join(QLatin1Char('\n'))));
    return std::vector<double>(column.data(), column.data() + column.size());
}

CategoryCounts countsOf(const QJsonObject &object)
{
    CategoryCounts counts;
    for (auto it = object.begin(); it != object.end(); ++it)
        counts[it.key()] = std::size_t(it.value().toInt());
    return counts;
}

Column numericColumn(const std::vector<double> &values)
{
    Column column(QStringLiteral("x"), ColumnType::Float);
    column.numbers() = values;
    return column;
}

// Ascending with -0.0 before +0.0: the order radixSort promises from 256 values on.
bool signedLess(double a, double b)
{
    return a < b || (a == b && std::signbit(a) && !std::signbit(b));
}

std::vector<std::uint64_t> bitsOf(const std::vector<double> &values)
{
    std::vector<std::uint64_t> bits;
    for (double v : values)
        bits.push_back(std::bit_cast<std::uint64_t>(v));
    return bits;
}

} // namespace

class TestDrift : public QObject
{
    Q_OBJECT

private slots:
    void numericGoldens_data();
    void numericGoldens();
    void categoricalGoldens_data();
    void categoricalGoldens();
    void emptyAndMissingSamplesFail();
    void constantColumns();
    void unseenCategory();
    void defaultsAndVerdicts();
    void profileApproximation();
    void sortedSampleOrder_data();
    void sortedSampleOrder();
    void gatheredSample();
    void mergedBins_data();
    void mergedBins();
};

void TestDrift::numericGoldens_data()
{
    QTest::addColumn<QString>("name");
    for (const char *name : {"small_equal", "small_unequal", "ties", "exact_limit", "large_equal", "large_unequal",
                             "large_shifted", "large_small", "missing"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// KS within 1e-9 (statistic) and 1e-6 (p-value), Wasserstein within 1e-9 of scipy; PSI and
// Jensen–Shannon within 1e-12 of the script's numpy computation on Evidently's bins.
void TestDrift::numericGoldens()
{
    QFETCH(QString, name);
    GoldenCase golden = GoldenCase::load(goldenPath(QStringLiteral("drift_%1.json").arg(name)));
    const std::vector<double> reference = goldenColumn(golden.text(QStringLiteral("data.reference")));
    const std::vector<double> current = goldenColumn(golden.text(QStringLiteral("data.current")));
    const SortedPair pair = sortedPair(reference, current);

    const Result<KsTest> ks = kolmogorovSmirnov(pair.reference, pair.current);
    QVERIFY(ks.ok());
    QCOMPARE(ks.value().exact, golden.value(QStringLiteral("expected.ks_exact")).toBool());
    QVERIFY2(std::abs(ks.value().statistic - golden.number(QStringLiteral("expected.ks_statistic"))) <= 1e-9,
             qPrintable(QString::number(ks.value().statistic, 'g', 17)));
    const double expectedP = golden.number(QStringLiteral("expected.ks_pvalue"));
    QVERIFY2(std::abs(ks.value().pValue - expectedP) <= 1e-6,
             qPrintable(QStringLiteral("p %1, scipy %2").arg(ks.value().pValue, 0, 'g', 17).arg(expectedP, 0, 'g', 17)));

    const Result<double> wasserstein = wassersteinDistance(pair.reference, pair.current);
    QVERIFY(wasserstein.ok());
    QVERIFY(std::abs(wasserstein.value() - golden.number(QStringLiteral("expected.wasserstein"))) <= 1e-9);
    const Result<DriftScore> normed = numericDrift(DriftMethod::WassersteinNormed, reference, current);
    QVERIFY(normed.ok());
    QVERIFY(std::abs(normed.value().statistic - golden.number(QStringLiteral("expected.wasserstein_normed"))) <= 1e-9);
    QVERIFY(std::abs(normed.value().missingRateChange - golden.number(QStringLiteral("expected.missing_rate_change"))) <= 1e-12);

    const Result<BinnedShares> bins = evidentlyBins(reference, current);
    QVERIFY(bins.ok());
    QCOMPARE(double(bins.value().reference.size()), golden.number(QStringLiteral("expected.bins")));
    QVERIFY(std::abs(populationStabilityIndex(bins.value()) - golden.number(QStringLiteral("expected.psi"))) <= 1e-12);
    const double js = jensenShannonDistance(bins.value().reference, bins.value().current);
    QVERIFY(std::abs(js - golden.number(QStringLiteral("expected.jensenshannon"))) <= 1e-12);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(QLatin1Char('\n'))));
}

void TestDrift::categoricalGoldens_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("shifted-shares") << QStringLiteral("categories");
    QTest::newRow("same-shares") << QStringLiteral("categories_same");
    QTest::newRow("unseen-in-reference") << QStringLiteral("categories_unseen");
}

void TestDrift::categoricalGoldens()
{
    QFETCH(QString, name);
    GoldenCase golden = GoldenCase::load(goldenPath(QStringLiteral("drift_%1.json").arg(name)));
    const CategoryCounts reference = countsOf(golden.value(QStringLiteral("data.reference")).toObject());
    const CategoryCounts current = countsOf(golden.value(QStringLiteral("data.current")).toObject());
    const Result<ChiSquareTest> chi = chiSquareTest(reference, current);
    QVERIFY(chi.ok());
    const QJsonValue statistic = golden.value(QStringLiteral("expected.chisquare_statistic"));
    if (statistic.isString())
        QVERIFY(std::isinf(chi.value().statistic) && statistic.toString() == QStringLiteral("inf"));
    else
        QVERIFY(std::abs(chi.value().statistic - statistic.toDouble()) <= 1e-9 * std::max(1.0, statistic.toDouble()));
    QVERIFY(std::abs(chi.value().pValue - golden.number(QStringLiteral("expected.chisquare_pvalue"))) <= 1e-12);
    const Result<CategoryShares> shares = categoryShares(reference, current);
    QVERIFY(shares.ok());
    QCOMPARE(shares.value().values, golden.strings(QStringLiteral("expected.values")));
    QVERIFY(std::abs(jensenShannonDistance(shares.value().reference, shares.value().current)
                     - golden.number(QStringLiteral("expected.jensenshannon")))
            <= 1e-12);
    const Result<DriftScore> psi = categoricalDrift(DriftMethod::Psi, {reference, 0}, {current, 0});
    QVERIFY(psi.ok());
    QVERIFY(std::abs(psi.value().statistic - golden.number(QStringLiteral("expected.psi"))) <= 1e-12);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(QLatin1Char('\n'))));
}

void TestDrift::emptyAndMissingSamplesFail()
{
    const double nan = std::nan("");
    const std::vector<double> values{1, 2, 3}, allMissing{nan, nan};
    for (DriftMethod method : {DriftMethod::KolmogorovSmirnov, DriftMethod::Wasserstein, DriftMethod::WassersteinNormed,
                               DriftMethod::Psi, DriftMethod::JensenShannon}) {
        const Result<DriftScore> empty = numericDrift(method, values, {});
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error().message, QStringLiteral("the current sample has no non-missing values"));
        const Result<DriftScore> missing = numericDrift(method, allMissing, values);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().message, QStringLiteral("the reference sample has no non-missing values"));
    }
    // Chi-square counts numbers as categories (tst_profileaccuracy checks its value).
    QVERIFY(numericDrift(DriftMethod::ChiSquare, values, values).ok());
    QVERIFY(!numericDrift(DriftMethod::ChiSquare, values, allMissing).ok());
    QVERIFY(!chiSquareTest({}, {{QStringLiteral("a"), 1}}).ok());
}

// Identical constants: no drift and no NaN. Different constants: KS 1 and W the gap (hand values).
void TestDrift::constantColumns()
{
    const std::vector<double> three(50, 3.0), four(40, 4.0);
    for (DriftMethod method : {DriftMethod::KolmogorovSmirnov, DriftMethod::Wasserstein, DriftMethod::WassersteinNormed,
                               DriftMethod::Psi, DriftMethod::JensenShannon}) {
        const Result<DriftScore> same = numericDrift(method, three, three);
        QVERIFY(same.ok());
        QVERIFY(std::isfinite(same.value().statistic));
        QVERIFY(!same.value().drifted);
        const Result<DriftScore> moved = numericDrift(method, three, four);
        QVERIFY(moved.ok());
        QVERIFY(std::isfinite(moved.value().score()));
        QVERIFY(method == DriftMethod::Wasserstein || moved.value().drifted);
    }
    const SortedPair pair = sortedPair(three, four);
    QCOMPARE(kolmogorovSmirnov(pair.reference, pair.current).value().statistic, 1.0);
    QCOMPARE(wassersteinDistance(pair.reference, pair.current).value(), 1.0);
    // The norm is floored at 0.001 for a constant reference: 1 / 0.001.
    QCOMPARE(numericDrift(DriftMethod::WassersteinNormed, three, four).value().statistic, 1000.0);
}

void TestDrift::unseenCategory()
{
    const CategoryCounts reference{{QStringLiteral("a"), 10}, {QStringLiteral("b"), 5}};
    const CategoryCounts current{{QStringLiteral("a"), 4}, {QStringLiteral("new"), 3}, {QStringLiteral("newer"), 6}};
    const std::vector<UnseenCategory> unseen = unseenCategories(reference, current);
    QCOMPARE(unseen.size(), std::size_t(2));
    QCOMPARE(unseen[0].value, QStringLiteral("newer"));
    QCOMPARE(unseen[0].count, std::size_t(6));
    const Result<DriftScore> chi = categoricalDrift(DriftMethod::ChiSquare, {reference, 0}, {current, 0});
    QVERIFY(chi.ok());
    QCOMPARE(*chi.value().pValue, 0.0);
    QVERIFY(chi.value().drifted);
    const Result<DriftScore> js = categoricalDrift(DriftMethod::JensenShannon, {reference, 0}, {current, 0});
    QVERIFY(js.ok() && std::isfinite(js.value().statistic) && js.value().drifted);
    // One category on both sides: nothing to test; p-value 1 by definition.
    const Result<ChiSquareTest> single = chiSquareTest({{QStringLiteral("a"), 3}}, {{QStringLiteral("a"), 9}});
    QCOMPARE(single.value().pValue, 1.0);
    QCOMPARE(single.value().degreesOfFreedom, 0);
}

void TestDrift::defaultsAndVerdicts()
{
    QCOMPARE(defaultMethod(1000, true, 6), DriftMethod::KolmogorovSmirnov);
    QCOMPARE(defaultMethod(1000, true, 5), DriftMethod::ChiSquare);
    QCOMPARE(defaultMethod(1001, true, 6), DriftMethod::WassersteinNormed);
    QCOMPARE(defaultMethod(1001, false, 3), DriftMethod::JensenShannon);
    QVERIFY(isDrift(DriftMethod::KolmogorovSmirnov, 0.05, 0.05));
    QVERIFY(!isDrift(DriftMethod::ChiSquare, 0.05, 0.05));
    QVERIFY(isDrift(DriftMethod::Psi, 0.1, 0.1));
    QVERIFY(!isDrift(DriftMethod::Wasserstein, 1e9, defaultThreshold(DriftMethod::Wasserstein)));
    // Hand values of kstwo.sf: n = 1 gives 2 (1 - d) for d >= 1/2, n = 2 at d = 0.75: 2 (0.25)^2.
    QVERIFY(std::abs(kolmogorovSurvival(1, 0.7) - 0.6) < 1e-15);
    QVERIFY(std::abs(kolmogorovSurvival(2, 0.75) - 0.125) < 1e-15);
}

// The profile keeps a histogram, not the sample: measure what that costs against the raw
// reference on 20k normal draws vs a shifted, wider 5k sample.
void TestDrift::profileApproximation()
{
    std::mt19937_64 random(5);
    std::normal_distribution<double> normal;
    std::vector<double> reference(20000), current(5000);
    for (double &v : reference)
        v = normal(random);
    for (double &v : current)
        v = 0.15 + 1.1 * normal(random);
    const ColumnProfile profile = profileColumn(numericColumn(reference));
    const SortedPair pair = sortedPair(reference, current);

    const double ksRaw = kolmogorovSmirnov(pair.reference, pair.current).value().statistic;
    const double ksProfile = kolmogorovSmirnovFromProfile(profile, pair.current).value().statistic;
    const double wRaw = wassersteinDistance(pair.reference, pair.current).value();
    const double wProfile = wassersteinFromProfile(profile, pair.current).value();
    qInfo("profile of %zu knots: KS %.6f vs %.6f (error %.2e); Wasserstein %.6f vs %.6f (error %.2e)", profile.knots.size(),
          ksProfile, ksRaw, std::abs(ksProfile - ksRaw), wProfile, wRaw, std::abs(wProfile - wRaw));
    QVERIFY(std::abs(ksProfile - ksRaw) < 1.0 / 512);
    QVERIFY(std::abs(wProfile - wRaw) < 0.004);

    // PSI on Evidently's bins (Sturges over both samples), the reference's shares from its knots.
    const BinnedShares shares = evidentlyBins(reference, current).value();
    const double psiRaw = populationStabilityIndex(shares);
    const Result<DriftScore> psiProfile = numericDriftFromProfile(DriftMethod::Psi, profile, current);
    QVERIFY(psiProfile.ok());
    QVERIFY2(std::abs(psiProfile.value().statistic - psiRaw) < 0.005,
             qPrintable(QStringLiteral("%1 vs %2").arg(psiProfile.value().statistic).arg(psiRaw)));
    QCOMPARE(psiProfile.value().binning, binningDescription(shares));
    // With the bins merged into five, close to merging the raw samples' shares on those edges.
    const BinnedShares merged = mergeBins(shares, 5);
    QCOMPARE(merged.reference.size(), std::size_t(5));
    const Result<DriftScore> psiMerged = numericDriftFromProfile(DriftMethod::Psi, profile, current, std::nullopt, 5);
    QVERIFY(psiMerged.ok());
    QVERIFY(std::abs(psiMerged.value().statistic - populationStabilityIndex(merged)) < 0.005);
    QVERIFY(psiMerged.value().binning.startsWith(QLatin1String("5 bins of about equal reference share")));
    // One bin holds everything on both sides: nothing can differ.
    QCOMPARE(numericDriftFromProfile(DriftMethod::JensenShannon, profile, current, std::nullopt, 1).value().statistic, 0.0);
}

void TestDrift::mergedBins_data()
{
    QTest::addColumn<std::vector<double>>("reference");
    QTest::addColumn<int>("groups");
    QTest::addColumn<std::vector<double>>("mergedEdges");
    QTest::addColumn<std::vector<double>>("mergedReference");
    // Ten bins of 0.1 on [0, 10]: five groups of two bins.
    const std::vector<double> even(10, 0.1);
    QTest::newRow("even into five") << even << 5 << std::vector<double>{0, 2, 4, 6, 8, 10} << std::vector<double>(5, 0.2);
    // A heavy first bin fills the first of two groups alone.
    QTest::newRow("heavy first bin") << std::vector<double>{0.5, 0.1, 0.1, 0.1, 0.1, 0.1} << 2 << std::vector<double>{0, 1, 6}
                                     << std::vector<double>{0.5, 0.5};
    QTest::newRow("no more groups than bins")
        << std::vector<double>{0.25, 0.25, 0.5} << 4 << std::vector<double>{0, 1, 2, 3} << std::vector<double>{0.25, 0.25, 0.5};
    QTest::newRow("one group") << even << 1 << std::vector<double>{0, 10} << std::vector<double>{1.0};
}

void TestDrift::mergedBins()
{
    QFETCH(std::vector<double>, reference);
    QFETCH(int, groups);
    QFETCH(std::vector<double>, mergedEdges);
    QFETCH(std::vector<double>, mergedReference);
    BinnedShares binned;
    for (std::size_t b = 0; b <= reference.size(); ++b)
        binned.edges.push_back(double(b));
    binned.reference = reference;
    for (std::size_t b = 0; b < reference.size(); ++b)
        binned.current.push_back(double(b + 1)); // distinct, to see them summed
    const BinnedShares merged = mergeBins(binned, std::size_t(groups));
    QCOMPARE(merged.edges, mergedEdges);
    QCOMPARE(merged.reference.size(), mergedReference.size());
    double currentTotal = 0;
    for (std::size_t g = 0; g < mergedReference.size(); ++g) {
        QVERIFY(std::abs(merged.reference[g] - mergedReference[g]) < 1e-12);
        currentTotal += merged.current[g];
    }
    // Every current count lands in exactly one group: 1 + 2 + ... + n.
    QCOMPARE(currentTotal, double(reference.size() * (reference.size() + 1) / 2));
}

void TestDrift::sortedSampleOrder_data()
{
    // Expected: the same values through std::sort with -0.0 before +0.0, NaNs dropped and counted.
    QTest::addColumn<std::vector<double>>("values");
    std::mt19937_64 random(11);
    std::normal_distribution<double> normal;
    std::vector<double> gaussian(10000), ties(5000), duplicates(6000), extremes, small(100);
    for (double &v : gaussian)
        v = 3 + 0.1 * normal(random);
    // Distinct doubles that round to a handful of floats: the radix passes leave them unordered.
    for (std::size_t i = 0; i < ties.size(); ++i)
        ties[i] = 1.0 + double((i * 7919) % ties.size()) * 1e-13;
    for (std::size_t i = 0; i < duplicates.size(); ++i)
        duplicates[i] = double((i * 31) % 10);
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (int i = 0; i < 50; ++i)
        extremes.insert(extremes.end(),
                        {0.0, -0.0, 1e-310, -1e-310, 5e-324, 1e300, -1e300, inf, -inf, nan,
                         double(std::numeric_limits<float>::max()), 1e-45 * i, -double(i)});
    for (double &v : small)
        v = normal(random);
    QTest::newRow("gaussian-10k") << gaussian;
    QTest::newRow("float-ties") << ties;
    QTest::newRow("many-duplicates") << duplicates;
    QTest::newRow("zeros-denormals-infinities-nan") << extremes;
    QTest::newRow("below-radix-threshold") << small;
}

void TestDrift::sortedSampleOrder()
{
    QFETCH(std::vector<double>, values);
    std::vector<double> expected;
    std::copy_if(values.begin(), values.end(), std::back_inserter(expected), [](double v) { return !std::isnan(v); });
    std::sort(expected.begin(), expected.end(), signedLess);
    const SortedSample sample = sortedSample(values);
    QCOMPARE(sample.missing, values.size() - expected.size());
    if (values.size() >= 256)
        QCOMPARE(bitsOf(sample.values), bitsOf(expected));
    else
        QCOMPARE(sample.values, expected); // std::sort: -0.0 and +0.0 in either order
}

void TestDrift::gatheredSample()
{
    // A window's rows gathered into reused buffers: the same sample as sorting a copy of those rows,
    // and a second, shorter window leaves nothing of the first behind.
    std::mt19937_64 random(12);
    std::normal_distribution<double> normal;
    std::vector<double> data(3000);
    for (double &v : data)
        v = normal(random);
    data[7] = std::numeric_limits<double>::quiet_NaN();
    SortedSample sample;
    std::vector<double> scratch;
    for (const std::size_t step : {std::size_t(2), std::size_t(5)}) {
        std::vector<std::size_t> rows;
        std::vector<double> copy;
        for (std::size_t r = 1; r < data.size(); r += step) {
            rows.push_back(r);
            copy.push_back(data[r]);
        }
        gatherSortedSample(data, rows, sample, scratch);
        const SortedSample expected = sortedSample(copy);
        QCOMPARE(sample.values, expected.values);
        QCOMPARE(sample.missing, expected.missing);
    }
    QCOMPARE(sample.missing, std::size_t(0)); // row 7 is not among 1, 6, 11, ...
    gatherSortedSample(data, {}, sample, scratch, false);
    QCOMPARE(sample.values.size(), data.size() - 1);
    QCOMPARE(sample.values[7], data[8]); // unsorted: row order, the NaN dropped
}

QTEST_GUILESS_MAIN(TestDrift)
#include "tst_drift.moc"
