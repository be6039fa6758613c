// The HTML drift report and its SVG chart writer: nice ticks and thinned labels (by hand), the
// heat map's colour scale (the stops themselves), a page that parses as XML with every text
// escaped and the heat map's numbers those of the report, and the size of a year of daily windows.
#include "data/columnprofile.h"
#include "monitor/driftreporthtml.h"
#include "monitor/driftseverity.h"
#include "monitor/svgchart.h"

#include <QTest>
#include <QXmlStreamReader>

#include <cmath>
#include <random>

using namespace plumb;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// `columns` numeric columns x0.. of N(shift, 1) values.
Dataset normalSample(std::size_t rows, std::size_t columns, double shift, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(shift, 1.0);
    Dataset data;
    for (std::size_t c = 0; c < columns; ++c) {
        Column column(QStringLiteral("x%1").arg(c), ColumnType::Float);
        for (std::size_t r = 0; r < rows; ++r)
            column.numbers().push_back(normal(random));
        data.addColumn(std::move(column));
    }
    return data;
}

// A monitoring run over `windows` windows of `rowsPerWindow` rows, the second half shifted by 1
// (every column drifts there), as computeMonitoring leaves it but without a model to score.
struct Run
{
    Dataset reference, current;
    MonitoringData data;
    MonitoringResult result;
};

std::unique_ptr<Run> makeRun(std::size_t windows, std::size_t columns, std::size_t rowsPerWindow, const QString &label)
{
    auto run = std::make_unique<Run>();
    run->reference = normalSample(2000, columns, 0, 1);
    Dataset early = normalSample(rowsPerWindow * (windows / 2), columns, 0, 2);
    const Dataset late = normalSample(rowsPerWindow * (windows - windows / 2), columns, 1, 3);
    (void)early.appendRows(late);
    run->current = std::move(early);
    auto artifact = std::make_shared<ModelArtifact>();
    artifact->metadata.name = QStringLiteral("model & <friends>");
    artifact->digest = QStringLiteral("ab12");
    run->data.artifact = artifact;
    run->data.modelPath = QStringLiteral("/nowhere/model.plumb");
    for (const Column &column : run->reference.columns())
        run->data.profiles.push_back(profileColumn(column));
    for (std::size_t w = 0; w < windows; ++w) {
        DriftWindowInput window{label.arg(w), kNaN, kNaN, &run->current, {}};
        for (std::size_t r = 0; r < rowsPerWindow; ++r)
            window.rows.push_back(w * rowsPerWindow + r);
        run->data.windows.push_back(std::move(window));
    }
    run->result.report = computeDriftReport(run->data.profiles, run->data.windows, DriftSettings()).value();
    run->result.predictionsError = QStringLiteral("no model to score <here>");
    return run;
}

// Parses the page as XML; returns the error with its line, or empty. Collects the heat map's cells.
QString parse(const QByteArray &page, std::vector<QXmlStreamAttributes> &cells)
{
    QXmlStreamReader reader(page);
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && reader.name() == QLatin1String("rect")
            && reader.attributes().hasAttribute(QLatin1String("data-column")))
            cells.push_back(reader.attributes());
    }
    if (reader.hasError())
        return QStringLiteral("line %1: %2").arg(reader.lineNumber()).arg(reader.errorString());
    return {};
}

} // namespace

class TestReportHtml : public QObject
{
    Q_OBJECT

private slots:
    void niceTicks_data();
    void niceTicks();
    void labelsDoNotOverlap_data();
    void labelsDoNotOverlap();
    void severityScale_data();
    void severityScale();
    void pageParsesAndMatchesTheReport();
    void yearOfDailyWindowsIsSummarised();
};

void TestReportHtml::niceTicks_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("most");
    QTest::addColumn<std::vector<double>>("expected");
    // rough step (hi - lo) / (most - 1), rounded up to 1, 2 or 5 x 10^k; ticks from ceil(lo / step).
    QTest::newRow("unit") << 0.0 << 1.0 << 6 << std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}; // rough 0.2
    QTest::newRow("p-values") << 0.0 << 0.15 << 4 << std::vector<double>{0, 0.05, 0.1, 0.15}; // rough 0.05
    QTest::newRow("offset") << 3.0 << 97.0 << 6 << std::vector<double>{20, 40, 60, 80}; // rough 18.8 -> 20
    QTest::newRow("negative") << -0.3 << 0.25 << 6 << std::vector<double>{-0.2, 0, 0.2}; // rough 0.11 -> 0.2
    QTest::newRow("flat") << 5.0 << 5.0 << 6 << std::vector<double>{5};
    QTest::newRow("not-finite") << 0.0 << kNaN << 6 << std::vector<double>{};
}

void TestReportHtml::niceTicks()
{
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, most);
    QFETCH(std::vector<double>, expected);
    const std::vector<double> ticks = plumb::niceTicks(lo, hi, most);
    QCOMPARE(ticks.size(), expected.size());
    for (std::size_t i = 0; i < ticks.size(); ++i)
        QVERIFY2(std::abs(ticks[i] - expected[i]) < 1e-12, qPrintable(QString::number(ticks[i])));
}

void TestReportHtml::labelsDoNotOverlap_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("labelWidth");
    QTest::addColumn<double>("width");
    QTest::addColumn<int>("shown");
    // 12 month labels of 42 px in 600 px: 50 px a slot holds 42 + 6, all shown.
    QTest::newRow("demo-months") << 12 << 42.0 << 600.0 << 12;
    // 365 days of 60 px in 600 px: 1.64 px a slot, every ceil(66 / 1.64) = 41st: 0, 41, ..., 328 -> 9.
    QTest::newRow("year-of-days") << 365 << 60.0 << 600.0 << 9;
    QTest::newRow("one") << 1 << 500.0 << 100.0 << 1;
}

void TestReportHtml::labelsDoNotOverlap()
{
    QFETCH(int, count);
    QFETCH(double, labelWidth);
    QFETCH(double, width);
    QFETCH(int, shown);
    const std::vector<int> labels = thinnedLabels(count, labelWidth, width);
    QCOMPARE(int(labels.size()), shown);
    const double slot = width / count;
    for (std::size_t i = 1; i < labels.size(); ++i)
        QVERIFY((labels[i] - labels[i - 1]) * slot >= labelWidth);
}

void TestReportHtml::severityScale_data()
{
    QTest::addColumn<double>("level");
    QTest::addColumn<QString>("colour");
    // The stops of kSeverityStops (the Monitor view's gradient) at positions (level + 1) / 2.
    QTest::newRow("far-inside") << -1.0 << QStringLiteral("#f8fafc");
    QTest::newRow("below-range") << -5.0 << QStringLiteral("#f8fafc");
    QTest::newRow("at-threshold") << 0.0 << QStringLiteral("#fbbf24");
    QTest::newRow("ten-times-past") << 1.0 << QStringLiteral("#dc2626");
    // Half-way between the stops at 0.5 (fb bf 24) and 0.75 (f9 73 16): fa 99 1d.
    QTest::newRow("between-stops") << 0.25 << QStringLiteral("#fa991d");
    QTest::newRow("unscored") << kNaN << QStringLiteral("#e5e7eb");
}

void TestReportHtml::severityScale()
{
    QFETCH(double, level);
    QFETCH(QString, colour);
    QCOMPARE(severityColour(level), colour);
}

void TestReportHtml::pageParsesAndMatchesTheReport()
{
    const std::unique_ptr<Run> run = makeRun(12, 3, 1000, QStringLiteral("<b>w%1</b>"));
    const QByteArray page = monitoringReportHtml(run->data, run->result);
    std::vector<QXmlStreamAttributes> cells;
    const QString error = parse(page, cells);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString text = QString::fromUtf8(page);
    QVERIFY(text.contains(QLatin1String("model &amp; &lt;friends&gt;")));
    QVERIFY(text.contains(QLatin1String("&lt;b&gt;w3&lt;/b&gt;")));
    QVERIFY(!text.contains(QLatin1String("<b>w3</b>")));
    QVERIFY(text.contains(QLatin1String("no model to score &lt;here&gt;")));
    for (const char *absent : {"<script", "src=", "url(", "@import", "https:"})
        QVERIFY2(!text.contains(QLatin1String(absent)), absent);
    // One heat-map cell per column and window, each holding its cell's statistic and verdict.
    const DriftReport &report = run->result.report;
    QCOMPARE(cells.size(), std::size_t(12 * 3));
    std::size_t drifted = 0;
    for (const QXmlStreamAttributes &cell : cells) {
        const qsizetype c = report.columns.indexOf(cell.value(QLatin1String("data-column")).toString());
        const QString window = cell.value(QLatin1String("data-window")).toString();
        const auto w = std::size_t(std::find_if(report.windows.begin(), report.windows.end(),
                                                [&](const WindowDrift &each) { return each.label == window; })
                                   - report.windows.begin());
        QVERIFY(c >= 0 && w < report.windows.size());
        const DriftScore &score = *report.cells[w][std::size_t(c)].score;
        QCOMPARE(cell.value(QLatin1String("data-statistic")).toDouble(), score.statistic);
        QCOMPARE(cell.value(QLatin1String("data-drifted")) == QLatin1String("true"), score.drifted);
        QCOMPARE(cell.value(QLatin1String("fill")).toString(), severityColour(driftCellLevel(report, std::size_t(c), w)));
        drifted += score.drifted && w >= 6;
    }
    // The second half is shifted by one standard deviation (normed Wasserstein about 1, threshold
    // 0.1): every column drifts in those 6 windows.
    QCOMPARE(drifted, std::size_t(6 * 3));
    // Each column's drifted windows in the summary, as runs.
    QVERIFY(text.contains(QStringLiteral("&lt;b&gt;w6&lt;/b&gt; \u2013 &lt;b&gt;w11&lt;/b&gt;</li>")));
}

void TestReportHtml::yearOfDailyWindowsIsSummarised()
{
    const std::unique_ptr<Run> run = makeRun(365, 50, 30, QStringLiteral("day %1"));
    const QByteArray page = monitoringReportHtml(run->data, run->result);
    std::vector<QXmlStreamAttributes> cells;
    const QString error = parse(page, cells);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Beyond kHeatMapWindows the cells cover runs of ceil(365 / 60) = 7 windows: 53 per column,
    // and they carry no single cell's numbers.
    QVERIFY(cells.empty());
    const qsizetype heatStart = page.indexOf("class=\"heat\""), heatEnd = page.indexOf("</svg>", heatStart);
    QCOMPARE(page.mid(heatStart, heatEnd - heatStart).count("<rect "), qsizetype(50 * 53));
    QVERIFY(page.contains("each cell covers 7 consecutive windows"));
    qInfo("365 windows x 50 columns: %lld bytes", qlonglong(page.size()));
    QVERIFY2(page.size() < 5 * 1000 * 1000, qPrintable(QString::number(page.size())));
}

QTEST_GUILESS_MAIN(TestReportHtml)
#include "tst_reporthtml.moc"
