#include "ui/charts/importancechart.h"

#include <QtTest>

using plumb::ui::ImportanceChart;

// The permutation importance chart with many features and long names: no label overlaps another,
// long names are elided with the full name on hover, and the features left out are counted.
class TestImportanceChart : public QObject
{
    Q_OBJECT

private slots:
    void labelsStayReadable_data();
    void labelsStayReadable();
};

namespace {

// `count` features named `stem`0, `stem`1, ..., feature i dropping the metric by count - i (so
// feature 0 is the most important), listed in reverse to show that the chart sorts them.
plumb::PermutationImportance importanceOf(int count, const QString &stem)
{
    plumb::PermutationImportance importance;
    importance.metric = QStringLiteral("accuracy");
    for (int i = count - 1; i >= 0; --i)
        importance.features.push_back(
            {.feature = stem + QString::number(i), .mean = double(count - i) / 100.0, .standardDeviation = 0.002, .drops = {}});
    return importance;
}

} // namespace

void TestImportanceChart::labelsStayReadable_data()
{
    QTest::addColumn<int>("features");
    QTest::addColumn<QString>("stem");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("elided");
    const QString longStem = QStringLiteral("customer_monthly_charges_rolling_mean_over_the_last_window_");
    // 40 names of ~60 characters (~400 px in the default font, past kLabelWidth): the reviewer's case.
    QTest::newRow("40-long-names") << 40 << longStem << QSize(520, 460) << true;
    // The same in a chart too short for 15 rows: fewer are drawn, never squeezed together.
    QTest::newRow("40-long-names-short-chart") << 40 << longStem << QSize(520, 240) << true;
    // A few short names: all drawn as they are, nothing said about more.
    QTest::newRow("3-short-names") << 3 << QStringLiteral("f") << QSize(520, 460) << false;
    // Names of usual length in a narrow chart, as the Train results lay it out: kept whole.
    QTest::newRow("usual-names-narrow-chart") << 11 << QStringLiteral("paperless_billing_") << QSize(240, 300) << false;
}

void TestImportanceChart::labelsStayReadable()
{
    QFETCH(int, features);
    QFETCH(QString, stem);
    QFETCH(QSize, size);
    QFETCH(bool, elided);
    ImportanceChart chart;
    chart.resize(size);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.showImportance(importanceOf(features, stem));
    chart.replot();

    const int shown = chart.barCount();
    QVERIFY(shown >= 1);
    QVERIFY(shown <= std::min(features, ImportanceChart::kDefaultLimit));
    const QStringList labels = chart.shownLabels();
    QCOMPARE(labels.size(), shown);
    // Every feature not drawn is counted in the axis title.
    if (shown < features)
        QVERIFY2(chart.axisTitle().contains(QStringLiteral("%1 more not shown").arg(features - shown)),
                 qPrintable(chart.axisTitle()));
    else
        QVERIFY2(!chart.axisTitle().contains(QStringLiteral("more")), qPrintable(chart.axisTitle()));

    const QFontMetrics metrics(chart.yAxis->tickLabelFont());
    const QRect area = chart.axisRect()->rect();
    for (int row = 0; row < shown; ++row) {
        // Top row first: feature 0 has the largest drop (importanceOf).
        const QString name = stem + QString::number(row);
        QCOMPARE(labels[row].contains(QChar(0x2026)), elided);
        QVERIFY2(metrics.horizontalAdvance(labels[row]) <= ImportanceChart::kLabelWidth, qPrintable(labels[row]));
        if (!elided)
            QCOMPARE(labels[row], name);
        // The label's row (key shown - row) is where the full name shows on hover.
        const int y = int(chart.yAxis->coordToPixel(shown - row));
        QVERIFY(area.top() <= y && y <= area.bottom());
        QCOMPARE(chart.featureAt(QPoint(area.left() - 20, y)), name);
        // Neighbouring labels are at least a text line apart: they cannot overlap.
        if (row > 0) {
            const int above = int(chart.yAxis->coordToPixel(shown - row + 1));
            QVERIFY2(y - above >= metrics.height(),
                     qPrintable(QStringLiteral("rows %1 and %2 are %3 px apart, a line is %4")
                                    .arg(row - 1)
                                    .arg(row)
                                    .arg(y - above)
                                    .arg(metrics.height())));
        }
    }
}

QTEST_MAIN(TestImportanceChart)
#include "tst_importancechart.moc"
