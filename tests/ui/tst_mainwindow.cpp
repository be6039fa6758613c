#include "ui/mainwindow.h"

#include "ui/charts/profilechart.h"
#include "ui/common/emptystateview.h"
#include "ui/common/messagebanner.h"
#include "ui/common/progresspanel.h"
#include "ui/common/recentfiles.h"
#include "ui/common/viewheader.h"
#include "ui/data/dataview.h"
#include "ui/data/profilepanel.h"
#include "ui/models/modeldocument.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsview.h"
#include "ui/monitor/monitorview.h"
#include "ui/predict/predictview.h"
#include "ui/train/runhistorymodel.h"
#include "ui/train/trainsetuppanel.h"
#include "ui/train/trainview.h"
#include "uitestsupport.h"

#include <QDropEvent>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QtTest>

using namespace plumb;
using namespace plumb::ui;

// The shell end to end on the offscreen platform: loading through the worker thread and its
// watcher, errors shown with their message, navigation, drag and drop and workspaces.
class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void startsEmpty();
    void aModelOpenedAloneListsItsFolder();
    void dataViewSaysWhyItsEditorsAreLocked();
    void keyboardSwitchesViewsAndTrains();
    void loadsACsvInTheBackground();
    void conflictingActionsAreDisabledWhileLoading();
    void badInputShowsItsError_data();
    void badInputShowsItsError();
    void cancelKeepsThePreviousState();
    void navigationSwitchesViews_data();
    void navigationSwitchesViews();
    void viewMenuSwitchesViews();
    void droppedFileIsOpened();
    void workspaceAppliesTargetAndRoles();
    void pathsThatAreNotDataAreRefused_data();
    void pathsThatAreNotDataAreRefused();
    void settingsAreRememberedBetweenSessions();
    void quitAsksAboutUnsavedRuns();
    void onnxExportStartsInTheModelsFolder();
    void jsonOpensByItsContent_data();
    void jsonOpensByItsContent();

private:
    QTemporaryDir mDirectory;
    QString mMixed;
};

void TestMainWindow::initTestCase()
{
    // QSettings then writes below ~/.qttest, never into the user's own configuration.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Plumb"));
    QCoreApplication::setApplicationName(QStringLiteral("Plumb Workbench Test"));
    QSettings().clear();
    // Qt's own file dialogs, which a test can read (a platform's native one is out of reach).
    QApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QVERIFY(mDirectory.isValid());
    mMixed = test::writeFile(mDirectory, QStringLiteral("mixed.csv"), test::kMixedCsv);
    QVERIFY(!mMixed.isEmpty());
}

void TestMainWindow::startsEmpty()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QCOMPARE(window.currentView(), MainWindow::View::Data);
    QVERIFY(!window.dataView()->isShowingData());
    QVERIFY(window.dataView()->banner()->isHidden());
    QCOMPARE(window.dataView()->summary(), QStringLiteral("No file loaded"));
}

void TestMainWindow::loadsACsvInTheBackground()
{
    MainWindow window(MainWindow::Persistence::Forget);
    window.show();
    QSignalSpy replaced(window.document(), &DataDocument::datasetReplaced);
    QVERIFY(window.openPath(mMixed));
    // The load runs on a worker: nothing has arrived before the event loop delivers the result.
    QVERIFY(window.document()->isBusy());
    QVERIFY(window.dataView()->progressPanel()->isVisible());
    QCOMPARE(replaced.size(), 0);
    QVERIFY(replaced.wait(test::kLoadTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!window.document()->isBusy(), test::kLoadTimeoutMs);

    DataView *view = window.dataView();
    QVERIFY(view->isShowingData());
    QVERIFY(view->progressPanel()->isHidden());
    QVERIFY(view->banner()->isHidden());
    QCOMPARE(view->table()->model()->rowCount(), 3);
    QCOMPARE(view->columnList()->model()->rowCount(), 5);
    QVERIFY(view->summary().contains(QStringLiteral("3 rows \u00d7 5 columns")));
    QVERIFY(view->summary().contains(QStringLiteral("Comma-separated")));
    QVERIFY(window.statusBar()->findChild<QLabel *>()->text() == view->summary());
    QVERIFY(window.windowTitle().contains(QStringLiteral("mixed.csv")));
    QCOMPARE(window.recentFiles()->paths().value(0), QFileInfo(mMixed).absoluteFilePath());

    // A column is selected and profiled: price has 2 values, 1 missing, mean (2.5 - 1.25) / 2.
    QVERIFY(view->selectedColumn() >= 0);
    view->selectColumn(1);
    QCOMPARE(view->profilePanel()->columnName(), QStringLiteral("price"));
    QCOMPARE(view->profilePanel()->statistic(QStringLiteral("Count")), QStringLiteral("2"));
    QCOMPARE(view->profilePanel()->statistic(QStringLiteral("Mean")), QStringLiteral("0.625"));
    QVERIFY(view->profilePanel()->chart()->barCount() > 0);
    QVERIFY(!view->profilePanel()->chart()->isHorizontal());
    view->selectColumn(2);
    QCOMPARE(view->profilePanel()->columnName(), QStringLiteral("city"));
    QVERIFY(view->profilePanel()->chart()->isHorizontal());
    QCOMPARE(view->profilePanel()->chart()->barCount(), 2); // Oslo, Bergen
}

void TestMainWindow::conflictingActionsAreDisabledWhileLoading()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(window.openPath(mMixed));
    auto *openButton = window.dataView()->header()->findChild<QPushButton *>();
    QVERIFY(openButton);
    QVERIFY(!openButton->isEnabled());
    // A second open while busy is refused rather than queued or raced.
    QVERIFY(!window.openPath(mMixed));
    QVERIFY(test::waitUntilIdle(*window.document()));
    QVERIFY(openButton->isEnabled());
}

void TestMainWindow::badInputShowsItsError_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");

    QTest::newRow("ragged-row") << QStringLiteral("ragged.csv") << QByteArray("a,b,c\n1,2,3\n4,5\n");
    QTest::newRow("empty-file") << QStringLiteral("empty.csv") << QByteArray();
    QTest::newRow("header-only") << QStringLiteral("header.csv") << QByteArray("a,b,c\n");
    QTest::newRow("duplicate-names") << QStringLiteral("duplicate.csv") << QByteArray("a,a\n1,2\n");
}

void TestMainWindow::badInputShowsItsError()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    const QString path = test::writeFile(mDirectory, name, content);
    MainWindow window(MainWindow::Persistence::Forget);
    QSignalSpy failed(window.document(), &DataDocument::loadFailed);
    QVERIFY(window.openPath(path));
    QVERIFY(failed.wait(test::kLoadTimeoutMs));

    const QString message = failed.first().first().toString();
    QVERIFY(!message.isEmpty());
    MessageBanner *banner = window.dataView()->banner();
    QVERIFY(!banner->isHidden());
    QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
    QCOMPARE(banner->text(), message);
    QVERIFY(!window.dataView()->isShowingData());
    QVERIFY(!window.document()->hasData());
    QVERIFY(window.recentFiles()->paths().isEmpty());
}

void TestMainWindow::cancelKeepsThePreviousState()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QSignalSpy cancelled(window.document(), &DataDocument::loadCancelled);
    QSignalSpy replaced(window.document(), &DataDocument::datasetReplaced);
    QVERIFY(window.openPath(mMixed));
    // Cancelled before the result reaches the GUI thread: whatever the worker got done, no data arrives.
    window.document()->cancel();
    QVERIFY(cancelled.wait(test::kLoadTimeoutMs));
    QCOMPARE(replaced.size(), 0);
    QVERIFY(!window.document()->hasData());
    QVERIFY(window.dataView()->banner()->isHidden());
    QVERIFY(window.dataView()->progressPanel()->isHidden());
}

void TestMainWindow::navigationSwitchesViews_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("title");

    QTest::newRow("train") << int(MainWindow::View::Train) << QStringLiteral("Train");
    QTest::newRow("models") << int(MainWindow::View::Models) << QStringLiteral("Models");
    QTest::newRow("predict") << int(MainWindow::View::Predict) << QStringLiteral("Predict");
    QTest::newRow("monitor") << int(MainWindow::View::Monitor) << QStringLiteral("Monitor");
    QTest::newRow("data") << int(MainWindow::View::Data) << QStringLiteral("Data");
}

void TestMainWindow::navigationSwitchesViews()
{
    QFETCH(int, view);
    QFETCH(QString, title);
    MainWindow window(MainWindow::Persistence::Forget);
    window.show();
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("NavigationList"));
    QVERIFY(navigation);
    QCOMPARE(navigation->count(), MainWindow::kViewCount);
    QCOMPARE(navigation->item(view)->text(), title);
    // Start elsewhere, so that every row really switches.
    window.setCurrentView(view == 0 ? MainWindow::View::Monitor : MainWindow::View::Data);
    navigation->setCurrentRow(view);

    QCOMPARE(int(window.currentView()), view);
    QWidget *shown = window.viewWidget(MainWindow::View(view));
    QVERIFY(shown->isVisible());
    QCOMPARE(shown->findChild<ViewHeader *>()->title(), title);
    if (view == int(MainWindow::View::Train)) {
        // Without data the Train view asks for some.
        QVERIFY(qobject_cast<TrainView *>(shown));
        QCOMPARE(shown->findChild<EmptyStateView *>()->heading(), QStringLiteral("Load data to train on"));
    } else if (view == int(MainWindow::View::Predict)) {
        // Without a model the Predict view asks for one.
        QVERIFY(qobject_cast<PredictView *>(shown));
        QCOMPARE(shown->findChild<EmptyStateView *>()->heading(), QStringLiteral("No model open"));
    } else if (view == int(MainWindow::View::Monitor)) {
        // Nothing computed yet: the Monitor view says what it needs (ui/monitorview.cpp).
        QVERIFY(qobject_cast<MonitorView *>(shown));
        QCOMPARE(qobject_cast<MonitorView *>(shown)->currentPage(), MonitorView::Page::Empty);
        QCOMPARE(shown->findChild<EmptyStateView *>()->heading(), QStringLiteral("Nothing to monitor yet"));
    }
}

void TestMainWindow::viewMenuSwitchesViews()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QAction *monitor = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->text() == QStringLiteral("Monitor"))
            monitor = action;
    QVERIFY(monitor);
    QCOMPARE(monitor->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_5));
    monitor->trigger();
    QCOMPARE(window.currentView(), MainWindow::View::Monitor);
}

void TestMainWindow::droppedFileIsOpened()
{
    MainWindow window(MainWindow::Persistence::Forget);
    window.setCurrentView(MainWindow::View::Models);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(mMixed)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QVERIFY(window.document()->isBusy());
    QCOMPARE(window.currentView(), MainWindow::View::Data);
    QVERIFY(test::waitUntilIdle(*window.document()));
    QCOMPARE(window.document()->filePath(), QFileInfo(mMixed).absoluteFilePath());
}

void TestMainWindow::workspaceAppliesTargetAndRoles()
{
    const QString root = QDir(mDirectory.path()).filePath(QStringLiteral("workspace"));
    test::writeFile(mDirectory, QStringLiteral("workspace/training.csv"), test::kMixedCsv);
    test::writeFile(mDirectory, QStringLiteral("workspace/plumb-workspace.json"),
                    R"({"format": 1, "name": "Shop", "description": "test",
                        "training": {"path": "training.csv", "target": "active", "roles": {"city": "ignored"}},
                        "batches": []})");
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(window.openPath(root));
    QVERIFY(test::waitUntilIdle(*window.document()));

    const Dataset &dataset = window.document()->dataset();
    QCOMPARE(dataset.column(*dataset.indexOf(QStringLiteral("active"))).role(), ColumnRole::Target);
    QCOMPARE(dataset.column(*dataset.indexOf(QStringLiteral("city"))).role(), ColumnRole::Ignored);
    QVERIFY(window.document()->workspace());
    QCOMPARE(window.document()->workspace()->name, QStringLiteral("Shop"));
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("Shop")));
    QVERIFY(window.dataView()->header()->subtitle().contains(QStringLiteral("Shop")));
    // With no earlier selection, the Data view starts from the target.
    QCOMPARE(window.dataView()->profilePanel()->columnName(), QStringLiteral("active"));
    QCOMPARE(window.recentFiles()->paths().value(0), QFileInfo(root).absoluteFilePath());
}

void TestMainWindow::pathsThatAreNotDataAreRefused_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");

    QTest::newRow("missing-file") << QStringLiteral("no-such-file.csv") << QStringLiteral("does not exist");
    QTest::newRow("folder-without-manifest") << QStringLiteral("plain-folder") << QStringLiteral("not a workspace");
}

void TestMainWindow::pathsThatAreNotDataAreRefused()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QDir(mDirectory.path()).mkpath(QStringLiteral("plain-folder"));
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(!window.openPath(QDir(mDirectory.path()).filePath(path)));
    QVERIFY(!window.document()->isBusy());
    QCOMPARE(window.dataView()->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY2(window.dataView()->banner()->text().contains(expected), qPrintable(window.dataView()->banner()->text()));
}

void TestMainWindow::settingsAreRememberedBetweenSessions()
{
    QSettings().clear();
    QByteArray splitter;
    {
        MainWindow first(MainWindow::Persistence::Remember);
        first.show();
        QVERIFY(first.openPath(mMixed));
        QVERIFY(test::waitUntilIdle(*first.document()));
        auto *dataSplitter = first.findChild<QSplitter *>(QStringLiteral("DataSplitter"));
        QVERIFY(dataSplitter);
        dataSplitter->setSizes({200, 900, 300});
        splitter = dataSplitter->saveState();
        first.close();
    }
    MainWindow second(MainWindow::Persistence::Remember);
    QCOMPARE(second.recentFiles()->paths(), QStringList{QFileInfo(mMixed).absoluteFilePath()});
    QCOMPARE(second.findChild<QSplitter *>(QStringLiteral("DataSplitter"))->saveState(), splitter);

    // Forget neither reads nor writes.
    MainWindow forgetful(MainWindow::Persistence::Forget);
    QVERIFY(forgetful.recentFiles()->paths().isEmpty());
}

// Quitting (Ctrl+Q, closing the window) with a run never saved asks first; Cancel, the default,
// keeps the window; with nothing to lose it closes without a question.
void TestMainWindow::quitAsksAboutUnsavedRuns()
{
    MainWindow window(MainWindow::Persistence::Forget);
    window.show();
    QVERIFY(window.close()); // nothing to lose: no question
    window.show();
    QByteArray csv = "x,label\n"; // label follows x, with every fifth row flipped
    for (int i = 0; i < 100; ++i)
        csv += QByteArray::number(i) + ',' + ((i >= 50) != (i % 5 == 0) ? "yes" : "no") + '\n';
    const QString path = test::writeFile(mDirectory, QStringLiteral("labels.csv"), csv);
    QSignalSpy replaced(window.document(), &DataDocument::datasetReplaced);
    QVERIFY(window.openPath(path));
    QVERIFY(replaced.wait(test::kLoadTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(!window.document()->isBusy(), test::kLoadTimeoutMs);
    TrainView *train = window.trainView();
    train->setupPanel()->setTarget(QStringLiteral("label"));
    QSignalSpy finished(train, &TrainView::trainingFinished);
    QVERIFY(train->startTraining());
    QVERIFY(finished.wait(test::kLoadTimeoutMs));
    if (!finished.front().front().toBool())
        QFAIL(qPrintable(train->banner()->text()));
    QCOMPARE(train->unsavedRunCount(), 1);

    QString question, defaultButton;
    QString answer = QStringLiteral("Cancel");
    QTimer watcher;
    connect(&watcher, &QTimer::timeout, this, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            question = box->text();
            defaultButton = box->defaultButton() ? box->defaultButton()->text() : QString();
            for (QAbstractButton *button : box->buttons())
                if (button->text() == answer)
                    button->click();
        }
    });
    watcher.start(20);
    QVERIFY(!window.close());
    QVERIFY(window.isVisible());
    QVERIFY2(question.contains(QStringLiteral("1 run was never saved")), qPrintable(question));
    QCOMPARE(defaultButton, QStringLiteral("Cancel"));
    question.clear();
    answer = QStringLiteral("Quit");
    QVERIFY(window.close());
    watcher.stop();
    QVERIFY(!question.isEmpty());
}

// Export ONNX… starts in the workspace's models/ folder, also for a model opened from elsewhere
// (a copy in another folder): the file dialog's folder, read from the dialog itself.
void TestMainWindow::onnxExportStartsInTheModelsFolder()
{
    const QString workspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
    const QString model = workspace + QStringLiteral("/models/churn-logistic.plumb");
    QVERIFY2(QFileInfo(model).isFile(), "the build makes the demo workspace before this suite");
    const QString copy = QDir(mDirectory.path()).filePath(QStringLiteral("elsewhere/copy.plumb"));
    QVERIFY(QDir().mkpath(QFileInfo(copy).path()) && QFile::copy(model, copy));
    MainWindow window(MainWindow::Persistence::Forget);
    window.show();
    QVERIFY(window.openPath(workspace));
    QVERIFY(test::waitUntilIdle(*window.document()));
    ModelsView *models = window.modelsView();
    QVERIFY(QTest::qWaitFor([&] { return window.openPath(copy); }, test::kLoadTimeoutMs)); // once no other model is opening
    QVERIFY(QTest::qWaitFor(
        [&] { return models->document()->model() && models->document()->model()->path == QFileInfo(copy).absoluteFilePath(); },
        test::kLoadTimeoutMs));
    QPushButton *exportOnnx = nullptr;
    for (QPushButton *button : models->findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Export ONNX\u2026"))
            exportOnnx = button;
    QVERIFY(exportOnnx);
    QVERIFY(QTest::qWaitFor([&] { return exportOnnx->isEnabled(); }, test::kLoadTimeoutMs));
    QString start;
    QTimer::singleShot(0, this, [&] {
        if (auto *files = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
            start = files->directory().absolutePath();
            files->reject();
        }
    });
    exportOnnx->click();
    QCOMPARE(start, QDir(workspace).absoluteFilePath(QStringLiteral("models")));
}

QTEST_MAIN(TestMainWindow)
void TestMainWindow::jsonOpensByItsContent_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("view");
    // plumb-workbench MODEL.json (or a dropped or recent one): an XGBoost model file, as
    // Booster.save_model writes it, goes to the Models view, not into the CSV reader.
    QTest::newRow("xgboost-model") << QByteArray("{\"learner\":{\"attributes\":{}},\"version\":[1,7,4]}")
                                   << int(MainWindow::View::Models);
    QTest::newRow("xgboost-model-indented") << QByteArray("{\n    \"learner\": {}\n}") << int(MainWindow::View::Models);
    // Rows in JSON Lines are data.
    QTest::newRow("json-lines-rows") << QByteArray("{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n")
                                     << int(MainWindow::View::Data);
}

void TestMainWindow::jsonOpensByItsContent()
{
    QFETCH(QByteArray, content);
    QFETCH(int, view);
    const QString path = test::writeFile(mDirectory, QStringLiteral("file.json"), content);
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(window.openPath(path));
    QCOMPARE(int(window.currentView()), view);
    if (view == int(MainWindow::View::Data))
        QVERIFY(test::waitUntilIdle(*window.document()));
}

void TestMainWindow::aModelOpenedAloneListsItsFolder()
{
    // plumb-workbench MODEL.plumb: the Models view lists the folder the model sits in, not
    // "No folder chosen" (the demo workspace is built before this suite).
    const QString model = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace/models/churn-logistic.plumb");
    QVERIFY2(QFileInfo(model).isFile(), "the build makes the demo workspace before this suite");
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(window.openPath(model));
    QCOMPARE(window.currentView(), MainWindow::View::Models);
    QCOMPARE(window.modelsView()->modelList()->folder(), QFileInfo(model).absolutePath());
    QSignalSpy listed(window.modelsView()->modelList(), &ModelListModel::listed);
    QVERIFY(listed.wait(plumb::ui::test::kLoadTimeoutMs));
    QVERIFY(window.modelsView()->modelList()->rowCount() >= 2);
}

void TestMainWindow::dataViewSaysWhyItsEditorsAreLocked()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QVERIFY(test::loadFile(*window.document(), mMixed));
    QVERIFY(window.dataView()->lockBanner()->messages().isEmpty());
    // A training run holds the dataset (TrainView::train): the editors refuse, and the view says why.
    std::shared_ptr<void> hold = window.document()->holdDataset([] {});
    QVERIFY(hold);
    QVERIFY(!window.document()->setColumnRole(0, ColumnRole::Ignored));
    QVERIFY2(window.dataView()->lockBanner()->text().contains(QStringLiteral("locked")),
             qPrintable(window.dataView()->lockBanner()->text()));
    hold.reset();
    QVERIFY(!window.document()->isBusy());
    QVERIFY(window.dataView()->lockBanner()->messages().isEmpty());
}

void TestMainWindow::keyboardSwitchesViewsAndTrains()
{
    // The README's keyboard path, steps 2 and 5: Ctrl+2 shows Train, Ctrl+T trains the demo
    // workspace's target, Ctrl+5 shows Monitor; keys sent to the window, no clicks.
    const QString workspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
    QVERIFY2(QFileInfo(workspace).isDir(), "the build makes the demo workspace before this suite");
    MainWindow window(MainWindow::Persistence::Forget);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.openPath(workspace));
    QVERIFY(test::waitUntilIdle(*window.document()));
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentView(), MainWindow::View::Train);
    QSignalSpy finished(window.trainView(), &TrainView::trainingFinished);
    QTest::keyClick(QApplication::focusWidget() ? QApplication::focusWidget() : &window, Qt::Key_T, Qt::ControlModifier);
    QVERIFY(finished.wait(test::kLoadTimeoutMs));
    QCOMPARE(finished.front().front().toBool(), true);
    QCOMPARE(window.trainView()->history()->rowCount(), 1);
    QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(window.currentView(), MainWindow::View::Monitor);
}

#include "tst_mainwindow.moc"
