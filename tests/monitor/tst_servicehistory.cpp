// The scoring service's metrics per period, from logged requests written out by hand.

#include "monitor/servicehistory.h"

#include <QJsonArray>
#include <QTest>

using namespace plumb;

namespace {

constexpr double kMarch1 = 1772323200; // 2026-03-01T00:00:00Z
constexpr double kDay = 86400;

} // namespace

class TestServiceHistory : public QObject
{
    Q_OBJECT

private slots:
    void measuresEachPeriod();
    void periodsFollowTheCalendar_data();
    void periodsFollowTheCalendar();
    void refusesAnEmptyLog();
};

void TestServiceHistory::measuresEachPeriod()
{
    // March 1: five requests answered in 1..5 ms, two of them failed (400 and 503); March 2: one.
    const std::vector<ServiceRequest> requests{
        {kMarch1 + 10, 200, 0.003, 1}, {kMarch1 + 20, 200, 0.001, 10}, {kMarch1 + kDay + 5, 200, 0.007, 4},
        {kMarch1 + 30, 400, 0.002, 0}, {kMarch1 + 40, 200, 0.005, 5},  {kMarch1 + 50, 503, 0.004, 0},
    };
    const Result<ServiceHistory> metrics = serviceHistoryByPeriod(requests, WindowPeriod::Day);
    QVERIFY(metrics);
    QCOMPARE(metrics.value().windows.size(), std::size_t(2));
    const ServiceWindow &first = metrics.value().windows[0];
    QCOMPARE(first.label, QStringLiteral("2026-03-01"));
    QCOMPARE(first.requests, std::size_t(5));
    QCOMPARE(first.errors, std::size_t(2));
    QCOMPARE(first.rows, std::size_t(16));
    QCOMPARE(first.errorRate, 0.4);
    // numpy.percentile([1, 2, 3, 4, 5], [50, 95, 99]) = 3, 4.8, 4.96.
    QCOMPARE(first.p50Ms, 3.0);
    QVERIFY(std::abs(first.p95Ms - 4.8) < 1e-12);
    QVERIFY(std::abs(first.p99Ms - 4.96) < 1e-12);
    QCOMPARE(first.maxMs, 5.0);
    QCOMPARE(first.requestsPerSecond, 5.0 / kDay);
    const ServiceWindow &second = metrics.value().windows[1];
    QCOMPARE(second.label, QStringLiteral("2026-03-02"));
    QCOMPARE(second.requests, std::size_t(1));
    QCOMPARE(second.errors, std::size_t(0));
    QCOMPARE(second.p99Ms, 7.0);
    const QJsonObject json = metrics.value().toJson();
    QCOMPARE(json.value(QStringLiteral("period")).toString(), QStringLiteral("day"));
    const QJsonObject firstJson = json.value(QStringLiteral("windows")).toArray()[0].toObject();
    QCOMPARE(firstJson.value(QStringLiteral("errors")).toInt(), 2);
    QCOMPARE(firstJson.value(QStringLiteral("latency_ms")).toObject().value(QStringLiteral("p50")).toDouble(), 3.0);
}

void TestServiceHistory::periodsFollowTheCalendar_data()
{
    QTest::addColumn<int>("period");
    QTest::addColumn<int>("windows");
    QTest::addColumn<QString>("firstLabel");
    // Requests at 00:10 on March 1, 2 and 9 (a Monday, the next ISO week) and April 1.
    QTest::newRow("hour") << int(WindowPeriod::Hour) << 4 << QStringLiteral("2026-03-01T00:00");
    QTest::newRow("day") << int(WindowPeriod::Day) << 4 << QStringLiteral("2026-03-01");
    QTest::newRow("week") << int(WindowPeriod::Week) << 4 << QStringLiteral("2026-W09");
    QTest::newRow("month") << int(WindowPeriod::Month) << 2 << QStringLiteral("2026-03");
}

void TestServiceHistory::periodsFollowTheCalendar()
{
    QFETCH(int, period);
    QFETCH(int, windows);
    QFETCH(QString, firstLabel);
    const std::vector<ServiceRequest> requests{{kMarch1 + 600, 200, 0.001, 1},
                                               {kMarch1 + kDay + 600, 200, 0.001, 1},
                                               {kMarch1 + 8 * kDay + 600, 200, 0.001, 1},
                                               {kMarch1 + 31 * kDay + 600, 200, 0.001, 1}};
    const Result<ServiceHistory> metrics = serviceHistoryByPeriod(requests, WindowPeriod(period));
    QVERIFY(metrics);
    QCOMPARE(int(metrics.value().windows.size()), windows);
    QCOMPARE(metrics.value().windows.front().label, firstLabel);
}

void TestServiceHistory::refusesAnEmptyLog()
{
    const Result<ServiceHistory> metrics = serviceHistoryByPeriod({}, WindowPeriod::Day);
    QVERIFY(!metrics);
    QCOMPARE(metrics.error().message, QStringLiteral("the log holds no requests"));
}

QTEST_GUILESS_MAIN(TestServiceHistory)
#include "tst_servicehistory.moc"
