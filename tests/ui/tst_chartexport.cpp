#include "ui/charts/chartexport.h"
#include "ui/charts/chartstyle.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QtTest>

using namespace plumb::ui;

// The PDF export's page: the report's title on top, then each chart with its own title, legend
// and plot, none over another, whatever the chart's size on screen.
class TestChartExport : public QObject
{
    Q_OBJECT

private slots:
    void partsNeverOverlap_data();
    void partsNeverOverlap();
    void exportLeavesTheScreenLayout();
};

namespace {

enum class Legend { AboveAxes, Inset };

// A chart styled as the views' (title row, muted axes) with three labelled series; its legend on
// its own row above the axes (the Monitor view's line charts) or inside the axes, top right (the
// distribution overlay).
std::unique_ptr<QCustomPlot> makeChart(Legend legend, const QString &title)
{
    auto plot = std::make_unique<QCustomPlot>();
    chart::stylePlot(plot.get(), title);
    for (const char *name : {"threshold 0.1", "statistic", "alert"}) {
        QCPGraph *graph = plot->addGraph();
        graph->setName(QString::fromLatin1(name));
        graph->setData({1, 2, 3, 4}, {0.1, 0.3, 0.2, 0.4});
    }
    plot->legend->setVisible(true);
    if (legend == Legend::AboveAxes)
        chart::placeLegendAboveAxes(plot.get());
    else
        plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->xAxis->setLabel(QStringLiteral("window"));
    plot->yAxis->setLabel(QStringLiteral("statistic"));
    plot->rescaleAxes();
    return plot;
}

QString describe(const QRect &rect)
{
    return QStringLiteral("%1,%2 %3x%4").arg(rect.x()).arg(rect.y()).arg(rect.width()).arg(rect.height());
}

} // namespace

void TestChartExport::partsNeverOverlap_data()
{
    QTest::addColumn<int>("legend");
    QTest::addColumn<QSize>("screenSize");
    QTest::addColumn<QString>("title");
    const QString longTitle = QStringLiteral("payment_method in 2026-12: reference vs current, Jensen\u2013Shannon on one bin "
                                             "per value, five values and one unseen in the reference");
    // On screen as at 1440x900, and squeezed as at 1024x640 (the legend wraps onto more rows).
    QTest::newRow("legend-row") << int(Legend::AboveAxes) << QSize(560, 300) << QStringLiteral("Drift score over time");
    QTest::newRow("legend-row-narrow-on-screen") << int(Legend::AboveAxes) << QSize(220, 180) << QStringLiteral("Drift score");
    QTest::newRow("legend-row-long-title") << int(Legend::AboveAxes) << QSize(560, 300) << longTitle;
    QTest::newRow("legend-inset") << int(Legend::Inset) << QSize(520, 280) << longTitle;
}

void TestChartExport::partsNeverOverlap()
{
    QFETCH(int, legend);
    QFETCH(QSize, screenSize);
    QFETCH(QString, title);
    const auto plot = makeChart(Legend(legend), title);
    plot->resize(screenSize);
    plot->show();
    QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
    plot->replot();

    const chart::PdfPageLayout page = chart::pdfPageLayout(plot.get(), QStringLiteral("churn-logistic (churn-logistic.plumb)"));
    const QString where = QStringLiteral("heading %1, title %2, legend %3, plot %4")
                              .arg(describe(page.heading), describe(page.chartTitle), describe(page.legend), describe(page.plot));
    QVERIFY2(!page.heading.isEmpty() && !page.chartTitle.isEmpty() && !page.legend.isEmpty() && !page.plot.isEmpty(),
             qPrintable(where));
    for (const QRect &part : {page.heading, page.chart, page.chartTitle, page.legend, page.plot})
        QVERIFY2(page.page.contains(part), qPrintable(where));
    // The heading is above the chart; the title above the legend; the legend is never on the title.
    QVERIFY2(!page.heading.intersects(page.chart), qPrintable(where));
    QVERIFY2(!page.chartTitle.intersects(page.legend), qPrintable(where));
    QVERIFY2(!page.chartTitle.intersects(page.plot), qPrintable(where));
    QVERIFY2(page.chartTitle.bottom() < page.legend.top(), qPrintable(where));
    // The title's letters as the PDF draws them stay in the title's row, clear of the legend.
    const QString letters = where + QStringLiteral(", title letters ") + describe(page.chartTitleText);
    QVERIFY2(!page.chartTitleText.intersects(page.legend), qPrintable(letters));
    QVERIFY2(page.chartTitleText.bottom() <= page.chartTitle.bottom(), qPrintable(letters));
    if (Legend(legend) == Legend::AboveAxes)
        QVERIFY2(page.legend.bottom() < page.plot.top(), qPrintable(where)); // a row of its own
    else
        QVERIFY2(page.plot.contains(page.legend), qPrintable(where)); // inside the axes, under the title
}

// Drawing the PDF lays the chart out at the page's size; the chart on screen is laid out at its
// own size again afterwards (a click maps to the same point as before).
void TestChartExport::exportLeavesTheScreenLayout()
{
    const auto plot = makeChart(Legend::AboveAxes, QStringLiteral("Drift score over time"));
    plot->resize(480, 300);
    plot->show();
    QVERIFY(QTest::qWaitForWindowExposed(plot.get()));
    plot->replot();
    const QRect before = plot->axisRect()->rect();
    chart::pdfPageLayout(plot.get(), QStringLiteral("title"));
    QCOMPARE(plot->axisRect()->rect(), before);
}

int main(int argc, char **argv)
{
    // A screen of 60 logical DPI, as some desktops are set: the charts measure their text at 60
    // DPI, and a PDF drawn at another resolution (96) draws every title a third larger than its
    // row, over the legend beneath it.
    qputenv("QT_FONT_DPI", "60");
    QApplication application(argc, argv);
    TestChartExport test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_chartexport.moc"
