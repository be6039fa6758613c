#include "uitestsupport.h"

#include "ui/common/layoutcheck.h"
#include "ui/common/scrollpane.h"
#include "ui/mainwindow.h"
#include "ui/models/modeldetails.h"
#include "ui/models/modeldocument.h"
#include "ui/models/modelsview.h"
#include "ui/train/trainview.h"

#include <qcustomplot.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtTest>

using plumb::ui::MainWindow;

// The workbench's window on small and large screens, and the keyboard's way through its views.
class TestLayout : public QObject
{
    Q_OBJECT

private slots:
    void windowSizesFitTheScreen_data();
    void windowSizesFitTheScreen();
    void restoredFrameMustFit_data();
    void restoredFrameMustFit();
    void tabLeavesEveryTable();
    void chartsKeepAReadablePlot_data();
    void chartsKeepAReadablePlot();
    void sidewaysScrollIsReported_data();
    void sidewaysScrollIsReported();
    void viewsFitTheWidthAt1024x640_data();
    void viewsFitTheWidthAt1024x640();
    void modelValidationTabFitsTheWidth_data();
    void modelValidationTabFitsTheWidth();
};

void TestLayout::windowSizesFitTheScreen_data()
{
    QTest::addColumn<QSize>("available");
    QTest::addColumn<QSize>("minimum");
    QTest::addColumn<QSize>("initial");
    // Work areas: a 1920x1080 desktop less a 40 px panel; 1600x1000; the same desktop at
    // QT_SCALE_FACTOR=2 (960x520 logical); a 1024x640 screen. The views are laid out for
    // 1024x640; the frame allowance is 32x48 (ui/mainwindow.cpp).
    QTest::newRow("full-hd") << QSize(1920, 1040) << QSize(1024, 640) << QSize(1440, 900);
    QTest::newRow("1600x1000") << QSize(1600, 1000) << QSize(1024, 640) << QSize(1440, 900);
    QTest::newRow("full-hd-at-scale-2") << QSize(960, 520) << QSize(928, 472) << QSize(928, 472);
    QTest::newRow("1024x640") << QSize(1024, 640) << QSize(992, 592) << QSize(992, 592);
}

void TestLayout::windowSizesFitTheScreen()
{
    QFETCH(QSize, available);
    QFETCH(QSize, minimum);
    QFETCH(QSize, initial);
    QCOMPARE(MainWindow::minimumWindowSize(available), minimum);
    QCOMPARE(MainWindow::initialWindowSize(available), initial);
}

void TestLayout::restoredFrameMustFit_data()
{
    QTest::addColumn<QRect>("frame");
    QTest::addColumn<bool>("fits");
    // Against a 960x520 work area (1920x1080 at scale 2, less its panel).
    QTest::newRow("inside") << QRect(10, 10, 900, 500) << true;
    QTest::newRow("saved-at-scale-1") << QRect(0, 0, 1456, 948) << false;
    QTest::newRow("on-a-monitor-now-gone") << QRect(1920, 0, 800, 500) << false;
    QTest::newRow("empty") << QRect() << false;
}

void TestLayout::restoredFrameMustFit()
{
    QFETCH(QRect, frame);
    QFETCH(bool, fits);
    QCOMPARE(MainWindow::fitsScreen(frame, QRect(0, 0, 960, 520)), fits);
}

void TestLayout::tabLeavesEveryTable()
{
    QTemporaryDir directory;
    MainWindow window(MainWindow::Persistence::Forget);
    window.resize(1440, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const QString csv = plumb::ui::test::writeFile(directory, QStringLiteral("mixed.csv"), plumb::ui::test::kMixedCsv);
    QVERIFY(plumb::ui::test::loadFile(*window.document(), csv));

    // Every item view, shown yet or not, hands Tab on (polishing is what showing it would do).
    const QList<QAbstractItemView *> views = window.findChildren<QAbstractItemView *>();
    QVERIFY(views.size() >= 5);
    for (QAbstractItemView *view : views) {
        view->ensurePolished();
        QVERIFY2(!view->tabKeyNavigation(), view->metaObject()->className());
    }
    // And the keyboard really leaves each visible one, forwards and backwards.
    int visited = 0;
    for (int i = 0; i < MainWindow::kViewCount; ++i) {
        window.setCurrentView(MainWindow::View(i));
        for (QAbstractItemView *view : window.viewWidget(MainWindow::View(i))->findChildren<QAbstractItemView *>()) {
            if (!view->isVisible() || view->focusPolicy() == Qt::NoFocus || !view->isEnabled())
                continue;
            const QString name = MainWindow::viewName(MainWindow::View(i)) + QStringLiteral(": ")
                + QString::fromLatin1(view->metaObject()->className()) + QLatin1Char(' ') + view->objectName();
            for (const auto key : {Qt::Key_Tab, Qt::Key_Backtab}) {
                view->setFocus(Qt::TabFocusReason);
                QVERIFY2(view->hasFocus(), qPrintable(name));
                QTest::keyClick(view, key, key == Qt::Key_Backtab ? Qt::ShiftModifier : Qt::NoModifier);
                QWidget *focus = QApplication::focusWidget();
                QVERIFY2(focus && focus != view && !view->isAncestorOf(focus), qPrintable(name));
            }
            ++visited;
        }
    }
    QVERIFY(visited >= 2); // the Data view's column list and table at least
}

void TestLayout::chartsKeepAReadablePlot_data()
{
    QTest::addColumn<int>("height");
    QTest::addColumn<bool>("scrolls");
    QTest::addColumn<bool>("readable");
    // A pane `height` px tall holding a 120 px caption and a titled chart with axis labels (about
    // 70 px besides its plot). 260 px leave the plot ~70 px: reported. 520 px leave it ~330.
    QTest::newRow("squeezed") << 260 << false << false;
    QTest::newRow("roomy") << 520 << false << true;
    // The same 260 px pane scrolling, the chart keeping its plot readable (keepPlotReadable): the
    // chart takes what it needs and the pane scrolls (what the Monitor view does at 1024x640).
    QTest::newRow("squeezed-but-scrolling") << 260 << true << true;
}

void TestLayout::chartsKeepAReadablePlot()
{
    QFETCH(int, height);
    QFETCH(bool, scrolls);
    QFETCH(bool, readable);
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    auto *caption = new QLabel(QStringLiteral("caption"));
    caption->setFixedHeight(120);
    auto *chart = new QCustomPlot;
    chart->setObjectName(QStringLiteral("Chart"));
    chart->plotLayout()->insertRow(0);
    chart->plotLayout()->addElement(0, 0, new QCPTextElement(chart, QStringLiteral("Title")));
    chart->xAxis->setLabel(QStringLiteral("x"));
    chart->yAxis->setLabel(QStringLiteral("y"));
    if (scrolls)
        plumb::ui::keepPlotReadable(chart);
    layout->addWidget(caption);
    layout->addWidget(chart, 1);
    QWidget window;
    auto *outer = new QVBoxLayout(&window);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scrolls ? plumb::ui::scrollPane(content) : content);
    window.resize(400, height);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // keepPlotReadable asks for room after a layout; the next layout gives it.
    if (scrolls)
        QVERIFY(QTest::qWaitFor([&] { return chart->axisRect()->height() >= plumb::ui::kReadablePlotHeight; }, 5000));
    const QStringList problems = plumb::ui::layoutProblems(&window);
    const QStringList chartProblems = problems.filter(QStringLiteral("QCustomPlot#Chart plots in"));
    QVERIFY2(chartProblems.isEmpty() == readable, qPrintable(problems.join(QLatin1Char('\n'))));
    QCOMPARE(chart->axisRect()->height() >= plumb::ui::kReadablePlotHeight, readable);
}

void TestLayout::sidewaysScrollIsReported_data()
{
    QTest::addColumn<int>("contentWidth");
    QTest::addColumn<bool>("reported");
    // A 400 px wide window holding a scroll area whose content needs `contentWidth` px.
    QTest::newRow("fits") << 200 << false;
    QTest::newRow("wider-than-the-viewport") << 700 << true;
}

void TestLayout::sidewaysScrollIsReported()
{
    QFETCH(int, contentWidth);
    QFETCH(bool, reported);
    auto *content = new QWidget;
    content->setMinimumWidth(contentWidth);
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *area = new QScrollArea;
    area->setObjectName(QStringLiteral("Pane"));
    area->setWidget(content);
    area->setWidgetResizable(true);
    layout->addWidget(area);
    window.resize(400, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QStringList problems = plumb::ui::sidewaysScrollProblems(&window).filter(
        QStringLiteral("QScrollArea#Pane scrolls sideways"));
    QCOMPARE(problems.size(), reported ? 1 : 0);
}

void TestLayout::viewsFitTheWidthAt1024x640_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < MainWindow::kViewCount; ++i)
        QTest::newRow(qPrintable(MainWindow::viewName(MainWindow::View(i)))) << i;
}

// Every view of the demo workspace with a trained run (its results and SHAP summary) and a model
// open on its Validation tab fits 1024x640 sideways: no pane of widgets needs a horizontal scroll.
void TestLayout::viewsFitTheWidthAt1024x640()
{
    QFETCH(int, index);
    const auto view = MainWindow::View(index);
    const QString workspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
    QVERIFY2(QFileInfo(workspace).isDir(), "the build makes the demo workspace before this suite");
    MainWindow window(MainWindow::Persistence::Forget);
    window.setMinimumSize(window.minimumSize().boundedTo(QSize(1024, 640)));
    window.resize(1024, 640);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openPath(workspace));
    QVERIFY(plumb::ui::test::waitUntilIdle(*window.document()));
    plumb::ui::TrainView *train = window.trainView();
    QSignalSpy trained(train, &plumb::ui::TrainView::trainingFinished);
    QVERIFY(train->startTraining());
    QVERIFY(trained.wait(plumb::ui::test::kLoadTimeoutMs));
    QVERIFY(trained.front().front().toBool());
    plumb::ui::ModelsView *models = window.modelsView();
    QSignalSpy loaded(models->document(), &plumb::ui::ModelDocument::modelLoaded);
    QVERIFY(window.openPath(workspace + QStringLiteral("/models/churn-logistic.plumb")));
    QVERIFY(loaded.wait(plumb::ui::test::kLoadTimeoutMs));
    models->details()->setCurrentIndex(plumb::ui::ModelDetails::ValidationTab);
    window.setCurrentView(view);
    QCOMPARE(window.size(), QSize(1024, 640));
    // Layouts and charts settle over a few rounds of posted events.
    for (int round = 0; round < 4; ++round) {
        QApplication::sendPostedEvents();
        QApplication::processEvents();
    }
    const QStringList sideways = plumb::ui::sidewaysScrollProblems(window.viewWidget(view));
    QVERIFY2(sideways.isEmpty(), qPrintable(sideways.join(QLatin1Char('\n'))));
}

void TestLayout::modelValidationTabFitsTheWidth_data()
{
    QTest::addColumn<int>("width");
    // The width the Models view gives its inspector in a 1024x640 window: 1024 less the 172 px
    // sidebar, the page's 2 x 16 px margins and a vertical scroll bar's 14 px (ui/models/modelsview.cpp).
    QTest::newRow("1024x640") << 1024 - 172 - 32 - 14;
    QTest::newRow("1440x900") << 1440 - 172 - 32 - 14;
}

// The Validation tab of a model (its metrics, charts and SHAP summary) at the width the Models
// view gives it: the charts wrap into lines instead of running past the tab's right edge.
void TestLayout::modelValidationTabFitsTheWidth()
{
    QFETCH(int, width);
    const QString path = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace/models/churn-logistic.plumb");
    QTemporaryDir keyring;
    const plumb::Result<plumb::ui::LoadedModelPtr> model = plumb::ui::readModel(path, keyring.path());
    QVERIFY2(model, model ? "" : qPrintable(model.error().message));
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *details = new plumb::ui::ModelDetails;
    layout->addWidget(details);
    details->showModel(model.value());
    details->setCurrentIndex(plumb::ui::ModelDetails::ValidationTab);
    window.resize(width, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (int round = 0; round < 4; ++round) {
        QApplication::sendPostedEvents();
        QApplication::processEvents();
    }
    QCOMPARE(window.width(), width); // nothing in it asks for more
    const QStringList sideways = plumb::ui::sidewaysScrollProblems(&window);
    QVERIFY2(sideways.isEmpty(), qPrintable(sideways.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
