// FeatureBinner's codes: a numeric value's code is the number of bin edges below it (the first
// edge >= the value, as std::lower_bound finds it), for every count of edges from 1 to the most
// (254), at the edges themselves, between them and outside them; NaN goes to the missing bin and
// so do categories unseen in fitting.

#include "learn/featurebinner.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int expectedCode(const FeatureBinner &binner, Eigen::Index feature, double value)
{
    if (std::isnan(value))
        return binner.missingBin();
    const std::vector<double> &edges = binner.edges(feature);
    return int(std::lower_bound(edges.begin(), edges.end(), value) - edges.begin());
}

// Values to code for a feature: each edge, its neighbours a step either side, midpoints, values
// beyond both ends, and random ones.
std::vector<double> probesFor(const std::vector<double> &edges, std::mt19937_64 &random)
{
    std::vector<double> probes{-1e300, 1e300, kNaN, 0.0, -0.0};
    for (const double edge : edges) {
        probes.push_back(edge);
        probes.push_back(std::nextafter(edge, -std::numeric_limits<double>::infinity()));
        probes.push_back(std::nextafter(edge, std::numeric_limits<double>::infinity()));
    }
    for (std::size_t i = 0; i + 1 < edges.size(); ++i)
        probes.push_back((edges[i] + edges[i + 1]) / 2);
    std::normal_distribution<double> normal(0, 3);
    for (int i = 0; i < 2000; ++i)
        probes.push_back(normal(random));
    return probes;
}

} // namespace

class TestFeatureBinner : public QObject
{
    Q_OBJECT

private slots:
    void numericCodesCountTheEdgesBelow_data();
    void numericCodesCountTheEdgesBelow();
    void distinctValuesGetMidpointEdges();
    void unseenCategoriesGoToTheMissingBin();
};

void TestFeatureBinner::numericCodesCountTheEdgesBelow_data()
{
    QTest::addColumn<int>("maxBins");
    for (const int bins : {2, 3, 16, 17, 31, 32, 33, 64, 100, 128, 200, 254, 255})
        QTest::addRow("%d bins", bins) << bins;
}

void TestFeatureBinner::numericCodesCountTheEdgesBelow()
{
    QFETCH(int, maxBins);
    std::mt19937_64 random(std::uint64_t(maxBins) * 7919);
    std::normal_distribution<double> normal(0, 2);
    Eigen::MatrixXd X(5000, 2);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        X(i, 0) = normal(random);
        X(i, 1) = i % 7 == 0 ? kNaN : std::round(normal(random) * 100);
    }
    const Result<FeatureBinner> fitted = FeatureBinner::fit(QStringLiteral("test"), X, {}, maxBins, {false, false}, 0);
    QVERIFY(fitted);
    const FeatureBinner &binner = fitted.value();
    QCOMPARE(int(binner.edges(0).size()), maxBins - 1);
    for (Eigen::Index feature = 0; feature < 2; ++feature) {
        const std::vector<double> probes = probesFor(binner.edges(feature), random);
        Eigen::MatrixXd values = Eigen::MatrixXd::Zero(Eigen::Index(probes.size()), 2);
        values.col(feature) = Eigen::Map<const Eigen::VectorXd>(probes.data(), Eigen::Index(probes.size()));
        const BinnedMatrix binned = binner.transform(values);
        for (Eigen::Index i = 0; i < binned.rows; ++i) {
            const int expected = expectedCode(binner, feature, probes[std::size_t(i)]);
            if (binned.row(i)[feature] != expected || binned.column(feature)[i] != expected)
                QFAIL(qPrintable(QStringLiteral("feature %1, value %2: code %3, expected %4")
                                     .arg(feature)
                                     .arg(probes[std::size_t(i)], 0, 'g', 17)
                                     .arg(binned.row(i)[feature])
                                     .arg(expected)));
        }
    }
}

void TestFeatureBinner::distinctValuesGetMidpointEdges()
{
    Eigen::MatrixXd X(10, 1);
    for (Eigen::Index i = 0; i < 10; ++i)
        X(i, 0) = double(9 - i);
    const Result<FeatureBinner> fitted = FeatureBinner::fit(QStringLiteral("test"), X, {}, 255, {false}, 0);
    QVERIFY(fitted);
    const std::vector<double> expected{0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5};
    QCOMPARE(fitted.value().edges(0), expected);
    Eigen::MatrixXd values(6, 1);
    values << -1, 0, 0.5, 0.6, 9, kNaN;
    const BinnedMatrix binned = fitted.value().transform(values);
    const std::vector<int> codes{0, 0, 0, 1, 9, fitted.value().missingBin()};
    for (Eigen::Index i = 0; i < 6; ++i)
        QCOMPARE(int(binned.row(i)[0]), codes[std::size_t(i)]);
}

void TestFeatureBinner::unseenCategoriesGoToTheMissingBin()
{
    Eigen::MatrixXd X(6, 1);
    X << 0, 1, 2, 2, 1, 0;
    const Result<FeatureBinner> fitted = FeatureBinner::fit(QStringLiteral("test"), X, {}, 255, {true}, 0);
    QVERIFY(fitted);
    QCOMPARE(fitted.value().valueBins(0), 3);
    Eigen::MatrixXd values(5, 1);
    values << 0, 2, 3, 1.5, kNaN;
    const BinnedMatrix binned = fitted.value().transform(values);
    const int missing = fitted.value().missingBin();
    const std::vector<int> codes{0, 2, missing, missing, missing};
    for (Eigen::Index i = 0; i < 5; ++i)
        QCOMPARE(int(binned.row(i)[0]), codes[std::size_t(i)]);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestFeatureBinner)
#include "tst_featurebinner.moc"
