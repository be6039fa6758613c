#include "ui/charts/chartstyle.h"
#include "ui/charts/profilechart.h"

#include <QSet>
#include <QtTest>

using namespace plumb;
using namespace plumb::ui;

namespace {

// The labels an axis draws at its current range and size.
QStringList tickLabels(QCustomPlot &plot, QCPAxis *axis)
{
    plot.replot();
    return axis->tickVectorLabels();
}

bool unique(const QStringList &labels)
{
    return QSet<QString>(labels.begin(), labels.end()).size() == labels.size();
}

} // namespace

// The shared chart ticks: the views' number format, whole ticks on counts, labels that never repeat.
class TestChartStyle : public QObject
{
    Q_OBJECT

private slots:
    void countTicksAreWholeAndUnique_data();
    void countTicksAreWholeAndUnique();
    void labelsUseTheViewsNumberFormat_data();
    void labelsUseTheViewsNumberFormat();
    void profileCountsNeverRepeatALabel();
};

void TestChartStyle::countTicksAreWholeAndUnique_data()
{
    QTest::addColumn<double>("upper");
    // A count axis padded by 8% above its highest bar (ProfileChart): at 1 row QCustomPlot's nice
    // step is 0.2, which a "%.0f" label printed as "0 0 0 1 1".
    QTest::newRow("one-row") << 1.08;
    QTest::newRow("three-rows") << 3.24;
    QTest::newRow("seven-rows") << 7.56;
    QTest::newRow("many-rows") << 2700.0;
}

void TestChartStyle::countTicksAreWholeAndUnique()
{
    QFETCH(double, upper);
    QCustomPlot plot;
    plot.resize(300, 240);
    plot.yAxis->setTicker(QSharedPointer<chart::NumberTicker>::create(true));
    plot.yAxis->setRange(0, upper);
    const QStringList labels = tickLabels(plot, plot.yAxis);
    QVERIFY2(labels.size() >= 2, qPrintable(labels.join(QLatin1Char(' '))));
    QVERIFY2(unique(labels), qPrintable(labels.join(QLatin1Char(' '))));
    for (double tick : plot.yAxis->tickVector())
        QCOMPARE(tick, std::round(tick));
}

void TestChartStyle::labelsUseTheViewsNumberFormat_data()
{
    QTest::addColumn<double>("lower");
    QTest::addColumn<double>("upper");
    QTest::addColumn<QString>("expected"); // a label that must be among the ticks
    // formatNumber (ui/displayformat.h): grouped digits, never "1.5E+06" or "1.5·10⁶".
    QTest::newRow("millions") << 0.0 << 2.1e6 << QStringLiteral("1,000,000");
    QTest::newRow("fractions") << 0.0 << 1.0 << QStringLiteral("0.2");
    QTest::newRow("tiny") << 0.0 << 4e-5 << QStringLiteral("2e-05");
}

void TestChartStyle::labelsUseTheViewsNumberFormat()
{
    QFETCH(double, lower);
    QFETCH(double, upper);
    QFETCH(QString, expected);
    QCustomPlot plot;
    plot.resize(400, 240);
    chart::styleAxis(plot.xAxis);
    plot.xAxis->setRange(lower, upper);
    const QStringList labels = tickLabels(plot, plot.xAxis);
    QVERIFY2(labels.contains(expected), qPrintable(labels.join(QLatin1Char(' '))));
}

void TestChartStyle::profileCountsNeverRepeatALabel()
{
    // An integer column whose every value is distinct: each bin holds one row.
    ColumnProfile profile;
    profile.type = ColumnType::Integer;
    profile.count = 3;
    profile.histogram = {{1, 2, 1}, {2, 3, 1}, {3, 4, 1}};
    ProfileChart chart;
    chart.resize(360, 260);
    chart.showProfile(profile);
    const QStringList rows = tickLabels(chart, chart.yAxis);
    QVERIFY2(unique(rows), qPrintable(rows.join(QLatin1Char(' '))));
    const QStringList values = tickLabels(chart, chart.xAxis);
    QVERIFY2(unique(values), qPrintable(values.join(QLatin1Char(' '))));
}

QTEST_MAIN(TestChartStyle)
#include "tst_chartstyle.moc"
