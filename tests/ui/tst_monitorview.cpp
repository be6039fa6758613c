// The Monitor view on the demo workspace (resources/demo/demogenerator.cpp, built with the suite):
// a model trained on 2025 against the twelve 2026 batches, whose drift the generator plants.

#include "artifact/modelartifact.h"
#include "base/sha256.h"
#include "data/workspace.h"
#include "ui/charts/chartexport.h"
#include "ui/common/messagebanner.h"
#include "ui/common/progresspanel.h"
#include "ui/models/modelcomparison.h"
#include "ui/monitor/distributionoverlay.h"
#include "ui/monitor/driftheatmap.h"
#include "ui/monitor/driftsettingstable.h"
#include "ui/monitor/monitorsourcebar.h"
#include "ui/monitor/monitorview.h"
#include "ui/monitor/retraindialog.h"
#include "ui/monitor/windowchart.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

using namespace plumb;
using namespace plumb::ui;

namespace {

const QString kWorkspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
const QString kModel = kWorkspace + QStringLiteral("/models/churn-logistic.plumb");
const QString kLog = kWorkspace + QStringLiteral("/models/churn-logistic.predictions.sqlite"); // resources/demo/demolog.cpp

// The view's document finishes one job; true when it computed.
bool waitForResult(MonitorView &view)
{
    QSignalSpy computed(view.document(), &MonitorDocument::computed);
    QSignalSpy failed(view.document(), &MonitorDocument::failed);
    if (view.document()->isBusy()) {
        QSignalSpy busy(view.document(), &MonitorDocument::busyChanged);
        if (!busy.wait(test::kLoadTimeoutMs))
            return false;
    }
    if (!failed.isEmpty())
        qWarning() << failed.front().front().toString();
    return computed.size() == 1;
}

std::size_t columnIndex(const DriftReport &report, const QString &name)
{
    return std::size_t(report.columns.indexOf(name));
}

} // namespace

class TestMonitorView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void heatMapHasFeaturesByWindows();
    void emptyStateFollowsTheWorkspace();
    void batchesDialogShowsPredictionLogs();
    void driftWhereTheGeneratorPutIt_data();
    void driftWhereTheGeneratorPutIt();
    void clickingACellShowsItsDistributions();
    void clickingAFeaturePointShowsThatWindow();
    void performanceOverLabelledWindows();
    void predictionsPerWindow();
    void predictionLogWithServiceHistory();
    void windowsByTimestamp_data();
    void windowsByTimestamp();
    void settingsTableRecomputes();
    void baselineThresholds();
    void baselineOfOneWindowRefused();
    void cancelKeepsThePreviousResult();
    void exportsWriteFiles();
    void exportedJsonIsTheCliReport_data();
    void exportedJsonIsTheCliReport();
    void retrainComparesOnTheNewestWindow();
    void retrainSinceDriftBegan();
    void enterInTheReasonKeepsTheSelection();
    void retrainedModelSavedWithLineage();
    void retrainAsksBeforeSavingAWorseModel();
    void savingOverTheParentRefusedBeforeAsking();

private:
    bool computeDemo(MonitorView &view);
    Workspace mWorkspace;
};

void TestMonitorView::initTestCase()
{
    // The build makes the demo workspace before this suite (add_dependencies in CMakeLists.txt):
    // its absence is a broken build, not a reason to test nothing.
    QVERIFY2(QFileInfo::exists(kModel),
             qPrintable(QStringLiteral("%1 is missing: the plumb-demo-workspace target did not "
                                       "generate the demo workspace")
                            .arg(kModel)));
    Result<Workspace> workspace = Workspace::load(kWorkspace);
    QVERIFY2(workspace, qPrintable(workspace ? QString() : workspace.error().message));
    mWorkspace = workspace.value();
}

bool TestMonitorView::computeDemo(MonitorView &view)
{
    view.resize(1300, 850);
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = kModel;
    view.setSource(source);
    return view.compute() && waitForResult(view);
}

// The empty page asks to open a workspace only while none is open.
void TestMonitorView::emptyStateFollowsTheWorkspace()
{
    const auto asksForAWorkspace = [](const MonitorView &view) {
        for (const QLabel *label : view.findChildren<QLabel *>())
            if (label->text().contains(QStringLiteral("Open a workspace")))
                return true;
        return false;
    };
    MonitorView view;
    QVERIFY(asksForAWorkspace(view));
    view.setWorkspace(mWorkspace);
    QCOMPARE(view.currentPage(), MonitorView::Page::Empty);
    QVERIFY(!asksForAWorkspace(view));
}

// A prediction log (.sqlite) shows under the dialog's first filter, not only after changing it.
void TestMonitorView::batchesDialogShowsPredictionLogs()
{
    MonitorView view;
    view.setWorkspace(mWorkspace);
    QPushButton *batches = nullptr;
    for (QPushButton *button : view.sourceBar()->findChildren<QPushButton *>())
        if (button->text().startsWith(QStringLiteral("Batches")))
            batches = button;
    QVERIFY(batches);
    QString filter;
    QTimer watcher;
    connect(&watcher, &QTimer::timeout, this, [&] {
        if (auto *files = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
            filter = files->selectedNameFilter();
            files->reject();
        }
    });
    watcher.start(20);
    QTest::mouseClick(batches, Qt::LeftButton);
    watcher.stop();
    QVERIFY2(filter.contains(QStringLiteral("*.sqlite")) && filter.contains(QStringLiteral("*.csv")), qPrintable(filter));
}

void TestMonitorView::heatMapHasFeaturesByWindows()
{
    MonitorView view;
    QCOMPARE(view.currentPage(), MonitorView::Page::Empty);
    QVERIFY(computeDemo(view));
    QCOMPARE(view.currentPage(), MonitorView::Page::Report);
    // The generator's header: 11 features (customer_id is an id, snapshot_time a timestamp),
    // and the target churned, which the batches carry (target drift); 12 monthly batch files.
    QCOMPARE(view.heatMap()->columnCount(), std::size_t(12));
    QCOMPARE(view.heatMap()->windowCount(), std::size_t(12));
    const DriftReport &report = view.document()->result()->report;
    QCOMPARE(view.settingsTable()->rowCount(), 12);
    QCOMPARE(view.featurePicker()->count(), 12);
    QCOMPARE(report.windows.front().label, QStringLiteral("2026-01")); // the manifest's batch labels
    // One mark per drifted cell.
    int drifted = 0;
    for (const auto &row : report.cells)
        for (const DriftCell &cell : row)
            drifted += cell.score && cell.score->drifted;
    QVERIFY(drifted > 0);
    QCOMPARE(view.heatMap()->driftedMarkCount(), drifted);
    QCOMPARE(view.shareChart()->kind(), WindowChart::Kind::DriftShare);
}

void TestMonitorView::driftWhereTheGeneratorPutIt_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<int>("window");
    QTest::addColumn<bool>("drifted");
    // From the generator's header comment: January and February are drawn like the training year;
    // charges creep up 1.1% a month from March (about +11% by December); support calls rise
    // x1.7 in August and are back to normal in October; tenure never changes.
    QTest::newRow("charges-january") << QStringLiteral("monthly_charges") << 0 << false;
    QTest::newRow("charges-december") << QStringLiteral("monthly_charges") << 11 << true;
    QTest::newRow("support-calls-august") << QStringLiteral("support_calls") << 7 << true;
    QTest::newRow("support-calls-october") << QStringLiteral("support_calls") << 9 << false;
    QTest::newRow("tenure-december") << QStringLiteral("tenure_months") << 11 << false;
    QTest::newRow("satisfaction-february") << QStringLiteral("satisfaction") << 1 << false;
}

void TestMonitorView::driftWhereTheGeneratorPutIt()
{
    QFETCH(QString, column);
    QFETCH(int, window);
    QFETCH(bool, drifted);
    MonitorView view;
    QVERIFY(computeDemo(view));
    const DriftReport &report = view.document()->result()->report;
    const std::size_t c = columnIndex(report, column);
    QVERIFY(c < std::size_t(report.columns.size()));
    const DriftCell &cell = report.cells[std::size_t(window)][c];
    QVERIFY(cell.score);
    QCOMPARE(cell.score->drifted, drifted);
    // The heat map colours a drifted cell past the threshold (level > 0), the others inside it.
    const double level = view.heatMap()->cellLevel(c, std::size_t(window));
    QCOMPARE(level > 0, drifted);
}

void TestMonitorView::clickingACellShowsItsDistributions()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const DriftReport &report = view.document()->result()->report;
    const std::size_t charges = columnIndex(report, QStringLiteral("monthly_charges"));
    const std::size_t region = columnIndex(report, QStringLiteral("region"));
    view.heatMap()->replot();
    QTest::mouseClick(view.heatMap(), Qt::LeftButton, {}, view.heatMap()->cellCenter(charges, 11));
    QCOMPARE(view.overlay()->shownColumn(), QStringLiteral("monthly_charges"));
    // The clicked cell is outlined on the map: the one the overlay describes.
    QCOMPARE(view.heatMap()->selectedCell(), std::make_optional(std::pair(charges, std::size_t(11))));
    QVERIFY(view.overlayCaption()->text().contains(QStringLiteral("2026-12")));
    QVERIFY(view.overlayCaption()->text().contains(QStringLiteral("threshold"))
            || view.overlayCaption()->text().contains(QStringLiteral("drift if")));
    QVERIFY(view.overlayCaption()->text().contains(QStringLiteral("bins")));
    // The profile's histogram bins, both series as shares adding up to 1.
    const ColumnProfile *profile = view.document()->result()->data->model->profile(QStringLiteral("monthly_charges"));
    QCOMPARE(view.overlay()->binCount(), int(profile->histogram.size()));
    double reference = 0, current = 0;
    for (int i = 0; i < view.overlay()->binCount(); ++i) {
        reference += view.overlay()->referenceShares()[std::size_t(i)];
        current += view.overlay()->currentShares()[std::size_t(i)];
    }
    QVERIFY(std::abs(reference - 1) < 1e-9 && std::abs(current - 1) < 1e-9);
    QCOMPARE(view.featurePicker()->currentText(), QStringLiteral("monthly_charges"));
    // A categorical cell: the profile's regions, and the current shares of December.
    QTest::mouseClick(view.heatMap(), Qt::LeftButton, {}, view.heatMap()->cellCenter(region, 11));
    QCOMPARE(view.overlay()->shownColumn(), QStringLiteral("region"));
    QCOMPARE(view.heatMap()->selectedCell(), std::make_optional(std::pair(region, std::size_t(11))));
    QCOMPARE(view.overlay()->binCount(),
             int(view.document()->result()->data->model->profile(QStringLiteral("region"))->topCategories.size()));
}

void TestMonitorView::clickingAFeaturePointShowsThatWindow()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const DriftReport &report = view.document()->result()->report;
    const std::size_t charges = columnIndex(report, QStringLiteral("monthly_charges"));
    view.featurePicker()->setCurrentIndex(int(charges));
    QCOMPARE(view.featureChart()->kind(), WindowChart::Kind::FeatureScore);
    int drifted = 0;
    for (const auto &row : report.cells)
        drifted += row[charges].score->drifted;
    QCOMPARE(view.featureChart()->alertCount(), drifted);
    view.featureChart()->replot();
    QTest::mouseClick(view.featureChart(), Qt::LeftButton, {}, view.featureChart()->windowPoint(5));
    QCOMPARE(view.overlay()->shownColumn(), QStringLiteral("monthly_charges"));
    QVERIFY(view.overlayCaption()->text().contains(QStringLiteral("2026-06")));
}

void TestMonitorView::performanceOverLabelledWindows()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    // The batches carry churned, so every window is scored against the validation baseline.
    const auto &performance = view.document()->result()->performance;
    QVERIFY(performance);
    QCOMPARE(performance->windows.size(), std::size_t(12));
    QCOMPARE(view.performanceChart()->kind(), WindowChart::Kind::Performance);
    // December's accuracy band lies below the validation baseline: the banner proposes retraining.
    QVERIFY(performance->windows.back().degraded);
    QVERIFY(view.banner()->isVisibleTo(&view));
    QVERIFY(!view.banner()->messages().isEmpty());
    // The demo data raises no warning, so the proposal stands alone as a notice.
    QCOMPARE(view.banner()->kind(), MessageBanner::Kind::Notice);
    QVERIFY2(view.banner()->messages().front().startsWith(QLatin1String("Retraining proposed: accuracy")),
             qPrintable(view.banner()->messages().front()));
}

void TestMonitorView::predictionsPerWindow()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    const MonitorResultPtr result = view.document()->result();
    QVERIFY2(result->predictions, qPrintable(result->predictionsError));
    const PredictionDrift &predictions = *result->predictions;
    // The churn model's two classes, every month scored, each month's shares summing to one.
    QCOMPARE(predictions.classes, QStringList({QStringLiteral("no"), QStringLiteral("yes")}));
    QCOMPARE(predictions.summaries.size(), std::size_t(12));
    for (std::size_t w = 0; w < 12; ++w) {
        QCOMPARE(predictions.summaries[w].rows, result->report.windows[w].rows);
        QVERIFY(std::abs(predictions.summaries[w].classShares[0] + predictions.summaries[w].classShares[1] - 1.0) < 1e-12);
    }
    QCOMPARE(view.predictionChart()->kind(), WindowChart::Kind::Predictions);
    int drifted = 0;
    for (const DriftCell &cell : predictions.windows)
        drifted += cell.score && cell.score->drifted;
    QCOMPARE(view.predictionChart()->alertCount(), drifted);
    // Clicking a window of the chart shows that window in the overlay, as the other charts do.
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.trendTabs()->setCurrentWidget(view.predictionChart());
    QTest::mouseClick(view.predictionChart(), Qt::LeftButton, {}, view.predictionChart()->windowPoint(7));
    QVERIFY(view.overlayCaption()->text().contains(QStringLiteral("2026-08")));
}

void TestMonitorView::predictionLogWithServiceHistory()
{
    MonitorView view;
    view.resize(1300, 850);
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = kModel;
    source.log = kLog;
    source.period = WindowPeriod::Day;
    view.setSource(source);
    QCOMPARE(view.source().log, kLog); // the bar switched to the log mode
    QVERIFY(view.compute() && waitForResult(view));
    const MonitorResultPtr result = view.document()->result();
    // The demo log: December 2026, every day served; the inputs windowed by the same days.
    QCOMPARE(result->report.windows.size(), std::size_t(31));
    QCOMPARE(result->report.windows.front().label, QStringLiteral("2026-12-01"));
    QVERIFY(result->data->service);
    const ServiceHistory &service = *result->data->service;
    QCOMPARE(service.windows.size(), std::size_t(31));
    QCOMPARE(view.serviceChart()->kind(), WindowChart::Kind::Service);
    // The generator's incidents: the bad client on December 20-21 (6% refused) and the slow spell
    // on December 14-16 (latency x4) stand out from the calm first week.
    auto meanOf = [&](int from, int to, auto field) {
        double sum = 0;
        for (int day = from; day <= to; ++day)
            sum += field(service.windows[std::size_t(day - 1)]);
        return sum / (to - from + 1);
    };
    const auto errorRate = [](const ServiceWindow &w) { return w.errorRate; };
    const auto median = [](const ServiceWindow &w) { return w.p50Ms; };
    QVERIFY(meanOf(20, 21, errorRate) > 4 * meanOf(1, 7, errorRate) + 0.01);
    QVERIFY(meanOf(14, 16, median) > 3 * meanOf(1, 7, median));
    // Each day's rows in the drift windows are the rows its answered requests scored.
    for (std::size_t day = 0; day < 31; ++day)
        QCOMPARE(result->report.windows[day].rows, service.windows[day].rows);
    // No labels in a log: no performance, and nothing to retrain on.
    QVERIFY(!result->performance);
    QVERIFY(!view.retrainButton()->isEnabled());
}

void TestMonitorView::windowsByTimestamp_data()
{
    QTest::addColumn<int>("period");
    QTest::addColumn<int>("windows");
    QTest::addColumn<QString>("first");
    // The generator's header: batch N spans month N of 2026, so the twelve files form one timeline
    // of twelve months, or of 53 ISO weeks (2026-01-01 is a Thursday, in week 2026-W01; 2026-12-31
    // too, in week 2026-W53).
    QTest::newRow("month") << int(WindowPeriod::Month) << 12 << QStringLiteral("2026-01");
    QTest::newRow("week") << int(WindowPeriod::Week) << 53 << QStringLiteral("2026-W01");
}

void TestMonitorView::windowsByTimestamp()
{
    QFETCH(int, period);
    QFETCH(int, windows);
    QFETCH(QString, first);
    MonitorView view;
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = kModel;
    source.timestampColumn = QStringLiteral("snapshot_time");
    source.period = WindowPeriod(period);
    view.setSource(source);
    QCOMPARE(view.source().timestampColumn, QStringLiteral("snapshot_time"));
    QVERIFY(view.compute() && waitForResult(view));
    QCOMPARE(view.heatMap()->windowCount(), std::size_t(windows));
    QCOMPARE(view.document()->result()->report.windows.front().label, first);
}

void TestMonitorView::settingsTableRecomputes()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    const DriftReport before = view.document()->result()->report; // a copy: the recomputation replaces the result
    const std::size_t charges = columnIndex(before, QStringLiteral("monthly_charges"));
    QVERIFY(before.cells[11][charges].score->drifted);
    QSignalSpy computed(view.document(), &MonitorDocument::computed);
    // PSI with a threshold no distribution reaches (PSI of the December charges is well under 100).
    view.setColumnSettings(QStringLiteral("monthly_charges"), DriftMethod::Psi, 100.0);
    QVERIFY(computed.wait(test::kLoadTimeoutMs));
    const DriftReport &after = view.document()->result()->report;
    QCOMPARE(after.methods[charges], DriftMethod::Psi);
    QCOMPARE(after.thresholds[charges], 100.0);
    for (const auto &row : after.cells)
        QVERIFY(!row[charges].score->drifted);
    // The other columns keep their methods.
    const std::size_t region = columnIndex(after, QStringLiteral("region"));
    QCOMPARE(after.methods[region], before.methods[region]);
    QCOMPARE(view.settingsTable()->item(int(charges), 4)->text(), QStringLiteral("0 of 12"));
    // PSI bins numbers: its bins cell takes a count, and the report is computed again with the
    // profile's bins merged into that many.
    QTableWidgetItem *bins = view.settingsTable()->item(int(charges), 3);
    QVERIFY(bins->flags().testFlag(Qt::ItemIsEditable));
    QVERIFY(!view.settingsTable()->item(int(region), 3)->flags().testFlag(Qt::ItemIsEditable)); // Jensen-Shannon on categories
    bins->setText(QStringLiteral("4"));
    QVERIFY(computed.wait(test::kLoadTimeoutMs));
    const DriftReport &merged = view.document()->result()->report;
    QCOMPARE(merged.bins[charges], std::size_t(4));
    QVERIFY2(merged.cells[11][charges].score->binning.startsWith(QLatin1String("4 bins of about equal reference share")),
             qPrintable(merged.cells[11][charges].score->binning));
    view.showCell(charges, 11);
    QVERIFY2(view.overlayCaption()->text().contains(QLatin1String("4 bins of about equal reference share")),
             qPrintable(view.overlayCaption()->text()));
}

void TestMonitorView::baselineThresholds()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    QVERIFY(!view.document()->result()->report.statisticThresholds);
    QSignalSpy computed(view.document(), &MonitorDocument::computed);
    // The first four months, before any planted drift, as the baseline period.
    view.baselineWindows()->setValue(4);
    QVERIFY(computed.wait(test::kLoadTimeoutMs));
    const MonitorResultPtr result = view.document()->result();
    const DriftReport &report = result->report;
    QVERIFY(report.statisticThresholds);
    QCOMPARE(result->settings.baselineWindows, std::size_t(4));
    // Each column's threshold is the mean + 3 population sd of its statistic over those windows.
    const std::size_t charges = columnIndex(report, QStringLiteral("monthly_charges"));
    double sum = 0, squares = 0;
    for (std::size_t w = 0; w < 4; ++w) {
        sum += report.cells[w][charges].score->statistic;
        squares += report.cells[w][charges].score->statistic * report.cells[w][charges].score->statistic;
    }
    const double mean = sum / 4, sd = std::sqrt(std::max(0.0, squares / 4 - mean * mean));
    QVERIFY(std::abs(report.thresholds[charges] - (mean + 3 * sd)) < 1e-9);
    // Prediction drift follows the same baseline.
    QCOMPARE(result->predictions->referenceWindows, std::size_t(4));
    // Back to the fixed thresholds.
    view.baselineWindows()->setValue(0);
    QVERIFY(computed.wait(test::kLoadTimeoutMs));
    QVERIFY(!view.document()->result()->report.statisticThresholds);
}

// The CLI refuses --baseline-windows 1 (driftSettingsProblem); so does the view, without a job.
void TestMonitorView::baselineOfOneWindowRefused()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    const MonitorResultPtr before = view.document()->result();
    QSignalSpy busy(view.document(), &MonitorDocument::busyChanged);
    view.baselineWindows()->setValue(1);
    QCOMPARE(view.baselineWindows()->text(), QStringLiteral("mean + 3 sd of the first 1 window"));
    const auto refused = [&] { return view.banner()->text().contains(QStringLiteral("A baseline needs at least 2 windows")); };
    QVERIFY2(QTest::qWaitFor([&] { return refused() || !busy.isEmpty(); }, test::kLoadTimeoutMs),
             qPrintable(view.banner()->text()));
    QVERIFY(refused());
    QVERIFY(busy.isEmpty());
    QCOMPARE(view.document()->result(), before);
    QSignalSpy computed(view.document(), &MonitorDocument::computed);
    view.baselineWindows()->setValue(2);
    QCOMPARE(view.baselineWindows()->text(), QStringLiteral("mean + 3 sd of the first 2 windows"));
    QVERIFY(computed.wait(test::kLoadTimeoutMs));
    QCOMPARE(view.document()->result()->settings.baselineWindows, std::size_t(2));
}

void TestMonitorView::cancelKeepsThePreviousResult()
{
    MonitorView view;
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = kModel;
    view.setSource(source);
    view.show();
    QSignalSpy cancelled(view.document(), &MonitorDocument::cancelled);
    QSignalSpy computed(view.document(), &MonitorDocument::computed);
    QVERIFY(view.compute());
    QVERIFY(view.document()->isBusy());
    QPushButton *cancel = nullptr;
    for (QPushButton *button : view.progressPanel()->findChildren<QPushButton *>())
        if (button->text().contains(QStringLiteral("Cancel")))
            cancel = button;
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(cancelled.wait(test::kLoadTimeoutMs));
    QCOMPARE(computed.size(), 0);
    QVERIFY(!view.document()->result());
    QCOMPARE(view.currentPage(), MonitorView::Page::Empty);
    QVERIFY(!view.document()->isBusy());
}

void TestMonitorView::exportsWriteFiles()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTemporaryDir directory;
    const QString png = directory.filePath(QStringLiteral("charts.png"));
    const QString pdf = directory.filePath(QStringLiteral("charts.pdf"));
    const QString html = directory.filePath(QStringLiteral("report.html"));
    const QString json = directory.filePath(QStringLiteral("report.json"));
    QString error;
    QVERIFY2(view.exportChartsPng(png, error), qPrintable(error));
    QVERIFY2(view.exportChartsPdf(pdf, error), qPrintable(error));
    QVERIFY2(view.exportHtml(html, error), qPrintable(error));
    QVERIFY2(view.exportJson(json, error), qPrintable(error));
    QVERIFY(QImage(png).width() > 400);
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");
    // Each page as the PDF lays it out: the heading, then the chart's title, then its legend
    // (a row of its own, or inside the axes), never one over another.
    for (QCustomPlot *chart : view.pdfCharts()) {
        const chart::PdfPageLayout layout = chart::pdfPageLayout(chart, view.reportTitle());
        const QString name = QString::fromLatin1(chart->metaObject()->className());
        QVERIFY2(!layout.chartTitle.isEmpty(), qPrintable(name));
        QVERIFY2(!layout.heading.intersects(layout.chart), qPrintable(name));
        QVERIFY2(!layout.legend.intersects(layout.chartTitle), qPrintable(name));
        QVERIFY2(!layout.legend.intersects(layout.heading), qPrintable(name));
        QVERIFY2(layout.legend.isEmpty() || layout.legend.top() > layout.chartTitle.bottom(), qPrintable(name));
    }
    QFile htmlFile(html);
    QVERIFY(htmlFile.open(QIODevice::ReadOnly));
    const QByteArray page = htmlFile.readAll();
    QVERIFY(page.contains("monthly_charges") && page.contains("2026-12"));
    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonObject report = QJsonDocument::fromJson(jsonFile.readAll()).object();
    QCOMPARE(report.value(QStringLiteral("windows")).toArray().size(), 12);
    QCOMPARE(report.value(QStringLiteral("model")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("churn-logistic"));
    QVERIFY(report.value(QStringLiteral("performance")).isObject());
    QCOMPARE(report.value(QStringLiteral("prediction_drift")).toObject().value(QStringLiteral("windows")).toArray().size(), 12);
    // A file that cannot be written is refused with its name.
    QVERIFY(!view.exportJson(directory.filePath(QStringLiteral("missing/dir/report.json")), error));
    QVERIFY(error.contains(QStringLiteral("report.json")));
}

void TestMonitorView::exportedJsonIsTheCliReport_data()
{
    QTest::addColumn<bool>("fromLog");
    QTest::newRow("batches-one-window-each") << false;
    QTest::newRow("prediction-log-by-day") << true;
}

void TestMonitorView::exportedJsonIsTheCliReport()
{
    QFETCH(bool, fromLog);
    // The Monitor view's Export JSON and `plumb drift --json` on the same model and data with the
    // default settings: one report, key for key and number for number.
    MonitorView view;
    view.resize(1300, 850);
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = kModel;
    QStringList arguments{QStringLiteral("drift"), kModel, QStringLiteral("--json")};
    if (fromLog) {
        source.log = kLog;
        source.period = WindowPeriod::Day;
        arguments << QStringLiteral("--log") << kLog << QStringLiteral("--window") << QStringLiteral("day");
    } else {
        QCOMPARE(source.batches.size(), std::size_t(12)); // the workspace's batches, labelled as their files
        for (const MonitorSource::Batch &batch : source.batches)
            arguments << batch.path;
    }
    view.setSource(source);
    QVERIFY(view.compute() && waitForResult(view));
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("report.json"));
    QString error;
    QVERIFY2(view.exportJson(path, error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject exported = QJsonDocument::fromJson(file.readAll()).object();
    QProcess cli;
    cli.start(QStringLiteral(PLUMB_CLI_PATH), arguments);
    QVERIFY2(cli.waitForFinished(test::kLoadTimeoutMs), "plumb drift did not finish");
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    const QJsonObject printed = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QCOMPARE(exported.value(QStringLiteral("schema_version")).toInt(), 1);
    QCOMPARE(exported.keys(), printed.keys());
    for (const QString &key : exported.keys())
        QVERIFY2(exported.value(key) == printed.value(key), qPrintable(key));
    QCOMPARE(exported.value(QStringLiteral("service")).isObject(), fromLog);
}

namespace {

// Runs `dialog`'s retraining (or save, when `path` is given) and waits for its end; true when it
// succeeded.
bool finishJob(RetrainDialog &dialog, const QString &path = {})
{
    QSignalSpy busy(dialog.job(), &RetrainJob::busyChanged);
    QSignalSpy failed(dialog.job(), &RetrainJob::failed);
    if (!(path.isEmpty() ? dialog.retrain() : dialog.saveAs(path)))
        return false;
    while (dialog.job()->isBusy())
        if (!busy.wait(test::kLoadTimeoutMs))
            return false;
    if (!failed.isEmpty())
        qWarning() << failed.front().front().toString();
    return failed.isEmpty();
}

} // namespace

void TestMonitorView::retrainComparesOnTheNewestWindow()
{
    MonitorView view;
    QVERIFY(!view.retrainButton()->isEnabled());
    QVERIFY(computeDemo(view));
    QVERIFY(view.retrainButton()->isEnabled());
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    const MonitorResultPtr result = view.document()->result();
    // Every batch is labelled: the eleven older months are offered and checked, December validates.
    QCOMPARE(dialog->windowList()->count(), 11);
    QCOMPARE(dialog->trainingWindows().size(), std::size_t(11));
    QVERIFY(finishJob(*dialog));
    const RetrainRunPtr run = dialog->job()->run();
    QVERIFY(run);
    std::size_t trainingRows = 0;
    for (std::size_t w = 0; w < 11; ++w)
        trainingRows += result->report.windows[w].rows;
    QCOMPARE(run->plan.trainingRows.size(), trainingRows);
    QCOMPARE(run->plan.validationRows.size(), result->report.windows.back().rows);
    QCOMPARE(run->plan.validationLabel, QStringLiteral("2026-12"));
    // The table: one row per metric. The current model's accuracy on December is the value the
    // performance chart shows for December, measured there independently over the same rows.
    const QTableWidget *table = dialog->comparisonTable();
    QCOMPARE(table->rowCount(), int(run->outcome.parentOnNewest.metrics.size()));
    const QString metric = result->performance->metric;
    int metricRow = -1;
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0)->text() == metric)
            metricRow = row;
    QVERIFY(metricRow >= 0);
    QCOMPARE(table->item(metricRow, 1)->text(), QString::number(result->performance->windows.back().value, 'f', 4));
    QCOMPARE(table->item(metricRow, 2)->text(), QString::number(run->outcome.candidateOnNewest.metric(metric), 'f', 4));
    QVERIFY(!dialog->resultTabs()->isTabEnabled(1)); // nothing saved yet
    dialog->close();
}

void TestMonitorView::retrainSinceDriftBegan()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    const auto &windows = view.document()->result()->report.windows;
    std::size_t first = 0;
    while (windows[first].driftedFeatures == 0)
        ++first;
    QCOMPARE(first, std::size_t(5)); // the generator moves payment_method from June

    for (QPushButton *button : dialog->findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Since Drift Began"))
            QTest::mouseClick(button, Qt::LeftButton);
    std::vector<std::size_t> expected;
    for (std::size_t w = first; w < 11; ++w)
        expected.push_back(w);
    QCOMPARE(dialog->trainingWindows(), expected);
    dialog->setTrainingWindows({});
    QVERIFY(!dialog->retrain()); // nothing to train on
    dialog->close();
}

// Enter in the Reason field after choosing the windows presses Retrain (the default), never a
// selection button that would replace the choice.
void TestMonitorView::enterInTheReasonKeepsTheSelection()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowActive(dialog));
    QPushButton *sinceDrift = nullptr;
    for (QPushButton *button : dialog->findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Since Drift Began"))
            sinceDrift = button;
    QVERIFY(sinceDrift);
    sinceDrift->setFocus(); // as a click or Tab leaves it
    QTest::keyClick(sinceDrift, Qt::Key_Space);
    const std::vector<std::size_t> chosen = dialog->trainingWindows();
    QCOMPARE(chosen.size(), std::size_t(6)); // June to November (retrainSinceDriftBegan)
    auto *reason = dialog->findChild<QLineEdit *>();
    QVERIFY(reason);
    reason->setFocus();
    QTest::keyClicks(reason, QStringLiteral("payment methods changed"));
    QSignalSpy retrained(dialog->job(), &RetrainJob::retrained);
    QTest::keyClick(reason, Qt::Key_Return);
    QCOMPARE(dialog->trainingWindows(), chosen);
    QVERIFY(retrained.wait(test::kLoadTimeoutMs));
    QCOMPARE(dialog->job()->run()->plan.reason, QStringLiteral("payment methods changed"));
    QCOMPARE(dialog->trainingWindows(), chosen);
    dialog->close();
}

void TestMonitorView::retrainedModelSavedWithLineage()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    QTemporaryDir directory;
    // The parent is a copy, so that the test can check it is never touched.
    const QString parent = directory.filePath(QStringLiteral("parent.plumb"));
    QVERIFY(QFile::copy(kModel, parent));
    MonitorSource source = view.source();
    source.modelPath = parent;
    view.setSource(source);
    QVERIFY(view.compute() && waitForResult(view));
    const Result<QString> parentSha = fileSha256Hex(parent);
    QVERIFY(parentSha);
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    dialog->setTrainingWindows({8, 9, 10});
    QVERIFY(finishJob(*dialog));
    QSignalSpy saved(&view, &MonitorView::modelSaved);
    QVERIFY(!finishJob(*dialog, parent)); // never over the current model
    const QString child = directory.filePath(QStringLiteral("child.plumb"));
    QVERIFY(finishJob(*dialog, child));
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.front().front().toString(), child);

    QCOMPARE(fileSha256Hex(parent).value(), parentSha.value());
    const Result<ModelArtifact> parentModel = loadModelArtifact(parent);
    const Result<ModelArtifact> childModel = loadModelArtifact(child);
    QVERIFY2(childModel, qPrintable(childModel ? QString() : childModel.error().message));
    const ModelMetadata &metadata = childModel.value().metadata;
    QCOMPARE(metadata.parentDigest, parentModel.value().digest);
    // The demo model's author (resources/demo), kept rather than replaced by the login name.
    QVERIFY(!parentModel.value().metadata.author.isEmpty());
    QCOMPARE(metadata.author, parentModel.value().metadata.author);
    QCOMPARE(metadata.lineageReason, dialog->job()->run()->outcome.lineageReason);
    QVERIFY(metadata.lineageReason.contains(QStringLiteral("2026-12")));
    std::size_t rows = 0;
    for (std::size_t w : {8, 9, 10})
        rows += view.document()->result()->report.windows[w].rows;
    QCOMPARE(std::size_t(metadata.rows), rows);
    // The three training files, named in order (the demo's batch files).
    QCOMPARE(metadata.sourceFile.count(QLatin1Char(',')), 2);
    // The files side by side, now that there are two.
    QVERIFY(dialog->resultTabs()->isTabEnabled(1));
    const std::vector<ComparisonRow> &compared = dialog->fileComparison()->rows();
    QVERIFY(std::any_of(compared.begin(), compared.end(), [](const ComparisonRow &row) { return row.differs; }));
    dialog->close();
}

void TestMonitorView::retrainAsksBeforeSavingAWorseModel()
{
    MonitorView view;
    QVERIFY(computeDemo(view));
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    // January alone, before any drift (the generator moves payment_method from June and the
    // competitor's offer changes churn from May): a model of the old world, worse on December.
    dialog->setTrainingWindows({0});
    QVERIFY(finishJob(*dialog));
    const RetrainingVerdict verdict = dialog->job()->run()->outcome.verdict;
    QVERIFY2(verdict.worse, qPrintable(verdict.describe()));
    QPushButton *save = nullptr;
    for (QPushButton *button : dialog->findChildren<QPushButton *>())
        if (button->text().startsWith(QStringLiteral("Save as New Model")))
            save = button;
    QVERIFY(save && save->isEnabled());
    // Saving asks first, naming both values, with Don't Save as the default; pressing the default
    // (Enter) saves nothing and opens no file dialog.
    QString question, defaultButton;
    bool fileDialogOpened = false;
    QTimer watcher;
    connect(&watcher, &QTimer::timeout, this, [&] {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            question = box->text();
            defaultButton = box->defaultButton() ? box->defaultButton()->text() : QString();
            QTest::keyClick(box, Qt::Key_Return);
        } else if (auto *files = qobject_cast<QFileDialog *>(modal)) {
            fileDialogOpened = true;
            files->reject();
        }
    });
    watcher.start(20);
    QTest::mouseClick(save, Qt::LeftButton);
    watcher.stop();
    QVERIFY2(question.contains(
                 QStringLiteral("%1 %2 against %3")
                     .arg(verdict.metric, QString::number(verdict.candidate, 'f', 4), QString::number(verdict.parent, 'f', 4))),
             qPrintable(question));
    QCOMPARE(defaultButton, QStringLiteral("Don't Save"));
    QVERIFY(!fileDialogOpened);
    QVERIFY(!dialog->job()->isBusy());
    QVERIFY(!dialog->job()->saved());
    dialog->close();
}

// Choosing the current model's file in Save as New Model… is refused at once: no "Replace it?"
// question (a Yes would only lead to a refusal), one message that says why. The file dialog opens
// in the workspace's models/ folder, not the current model's (a copy elsewhere).
void TestMonitorView::savingOverTheParentRefusedBeforeAsking()
{
    MonitorView view;
    QTemporaryDir directory;
    const QString parent = directory.filePath(QStringLiteral("parent.plumb"));
    QVERIFY(QFile::copy(kModel, parent));
    view.setWorkspace(mWorkspace);
    MonitorSource source = view.source();
    source.modelPath = parent;
    view.setSource(source);
    QVERIFY(view.compute() && waitForResult(view));
    RetrainDialog *dialog = view.openRetrainDialog();
    QVERIFY(dialog);
    dialog->setTrainingWindows({8, 9, 10}); // not worse than the parent (retrainedModelSavedWithLineage)
    QVERIFY(finishJob(*dialog));
    QVERIFY(!dialog->job()->run()->outcome.verdict.worse);
    QPushButton *save = nullptr;
    for (QPushButton *button : dialog->findChildren<QPushButton *>())
        if (button->text().startsWith(QStringLiteral("Save as New Model")))
            save = button;
    QVERIFY(save && save->isEnabled());
    QStringList boxes;
    QString startFolder;
    QTimer watcher;
    connect(&watcher, &QTimer::timeout, this, [&] {
        QWidget *modal = QApplication::activeModalWidget();
        if (auto *box = qobject_cast<QMessageBox *>(modal)) {
            boxes.append(box->text());
            QAbstractButton *yes = box->button(QMessageBox::Yes); // answer any question with Yes
            yes ? yes->click() : box->accept();
        } else if (auto *files = qobject_cast<QFileDialog *>(modal); files && startFolder.isEmpty()) {
            startFolder = files->directory().absolutePath();
            // Typed as a person would: the parent's whole path (the dialog opens elsewhere).
            if (auto *name = files->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
                name->setText(parent);
            // Queued: a question it raises must find this timer free to answer it.
            QMetaObject::invokeMethod(files, "accept", Qt::QueuedConnection);
        }
    });
    watcher.start(20);
    QTest::mouseClick(save, Qt::LeftButton);
    watcher.stop();
    QCOMPARE(startFolder, QDir(mWorkspace.rootPath).absoluteFilePath(QStringLiteral("models")));
    QCOMPARE(dialog->saveFolder(), startFolder);
    QCOMPARE(boxes.size(), 1);
    QVERIFY2(boxes.front().contains(QStringLiteral("is the model being retrained")), qPrintable(boxes.front()));
    QVERIFY(!dialog->job()->isBusy());
    QVERIFY(!dialog->job()->saved());
    dialog->close();
}

QTEST_MAIN(TestMonitorView)
#include "tst_monitorview.moc"
