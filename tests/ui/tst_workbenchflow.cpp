// The whole workbench on the demo workspace (resources/demo/demogenerator.cpp, built with the
// suite), the way a person goes through it: open the workspace, train a logistic regression on
// churn in the Train view and save it, find it in the Models view's list and open it, score a
// row typed into the Predict view's form, batch-score the January batch, and open a tampered copy
// of the saved model. Input goes through QTest (clicks and key presses), job completion through
// QSignalSpy. Expected values come from the workspace itself (its target, its batch file) and
// from the model file the test saved.

#include "uitestsupport.h"

#include "ui/common/emptystateview.h"
#include "ui/common/messagebanner.h"
#include "ui/data/datasettablemodel.h"
#include "ui/mainwindow.h"
#include "ui/models/modeldocument.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsummarycard.h"
#include "ui/models/modelsview.h"
#include "ui/monitor/driftheatmap.h"
#include "ui/monitor/monitordocument.h"
#include "ui/monitor/monitorview.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/predictview.h"
#include "ui/predict/scoringform.h"
#include "ui/train/savemodeldialog.h"
#include "ui/train/trainsetuppanel.h"
#include "ui/train/trainview.h"

#include <QApplication>
#include <QDirIterator>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace plumb::ui {

namespace {

using test::kLoadTimeoutMs;

const QString kWorkspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
const QString kBatch = kWorkspace + QStringLiteral("/batches/2026-01.csv");

// Clears a form field and types `text` into it, key by key.
void typeInto(ScoringForm &form, const QString &feature, const QString &text)
{
    auto *edit = qobject_cast<QLineEdit *>(form.editor(feature));
    QVERIFY2(edit, qPrintable(feature));
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

// Copies the folder `from` into `to`, files and subfolders.
bool copyFolder(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(to).filePath(QDir(from).relativeFilePath(file));
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

// The widget of `window` with the keyboard focus (the window itself when none has it), where key
// presses go. After a dialog closes, a window manager activates the window again; the offscreen
// platform has none, so the test does.
QWidget *focused(QWidget *window)
{
    if (!window->isActiveWindow()) {
        window->activateWindow();
        static_cast<void>(QTest::qWaitForWindowActive(window)); // checked by the shortcuts' effects
    }
    QWidget *focus = QApplication::focusWidget();
    return focus && focus->window() == window ? focus : window;
}

// Presses keys in the modal dialog that `open` brings up: `keys` runs once a Dialog is the active
// modal widget and one of its fields has the focus (a window manager gives a new dialog the
// focus; the test does on the offscreen platform). Polls rather than running at once: a button's
// shortcut presses it with an animated click, which opens its dialog 100 ms after the key press.
// True when `keys` ran and the dialog closed.
template<typename Dialog>
bool typeIntoDialog(QWidget *window, const std::function<void()> &open, const std::function<void(QWidget *)> &keys)
{
    bool typed = false;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, window, [&] {
        auto *dialog = qobject_cast<Dialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        poll.stop();
        dialog->activateWindow();
        static_cast<void>(
            QTest::qWaitFor([dialog] { return QApplication::focusWidget() && QApplication::focusWidget()->window() == dialog; },
                            10000)); // the focus is checked next
        QWidget *focus = QApplication::focusWidget();
        if (!focus || focus->window() != dialog) {
            dialog->reject();
            return;
        }
        keys(focus);
        typed = !dialog->isVisible();
    });
    poll.start();
    open();
    // The dialog runs its own event loop inside `open` when it came at once; otherwise it comes here.
    static_cast<void>(QTest::qWaitFor([&] { return !poll.isActive() && !QApplication::activeModalWidget(); }, 10000));
    return typed;
}

// Types `path` into the file name field of the file dialog that `open` brings up, and presses Enter.
bool typeIntoFileDialog(QWidget *window, const std::function<void()> &open, const QString &path)
{
    return typeIntoDialog<QFileDialog>(window, open, [&](QWidget *focus) {
        // The file name field has the focus when the dialog opens.
        if (!qobject_cast<QLineEdit *>(focus))
            return;
        QTest::keyClicks(focus, path);
        QTest::keyClick(focus, Qt::Key_Return);
    });
}

// Presses Tab in `window` until `reached` holds for the widget with the focus, as a person walks
// the focus chain to a field; false when a whole round of `maxPresses` never gets there.
bool tabTo(QWidget *window, const std::function<bool(QWidget *)> &reached, int maxPresses = 200)
{
    for (int i = 0; i < maxPresses; ++i) {
        QWidget *focus = focused(window);
        if (focus != window && reached(focus))
            return true;
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    return false;
}

qsizetype dataLines(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().count('\n') - 1 : -1;
}

} // namespace

class TestWorkbenchFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void trainSaveInspectScoreAndRefuseATamperedCopy();
    void keyboardOnlyPath();
};

void TestWorkbenchFlow::initTestCase()
{
    // The file dialogs are Qt's own, whose file name field takes typed paths (a platform's native
    // dialog is out of QTest's reach).
    QApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
}

void TestWorkbenchFlow::trainSaveInspectScoreAndRefuseATamperedCopy()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    qputenv("PLUMB_KEYRING", directory.filePath(u"no-keyring"_s).toUtf8()); // never the user's keyring
    MainWindow window(MainWindow::Persistence::Forget);
    window.resize(1440, 900);
    window.show();

    // Open the workspace: the training table arrives with churned as its target.
    QSignalSpy replaced(window.document(), &DataDocument::datasetReplaced);
    QVERIFY(window.openPath(kWorkspace));
    QVERIFY(replaced.wait(kLoadTimeoutMs));
    QVERIFY(test::waitUntilIdle(*window.document()));

    // Train: logistic regression on a hold-out split, started with a click on Train.
    window.setCurrentView(MainWindow::View::Train);
    TrainView *train = window.trainView();
    train->setupPanel()->setTarget(u"churned"_s);
    train->setupPanel()->setModelKind(u"logistic_regression"_s);
    train->setupPanel()->setValidation(ValidationScheme::parse(u"holdout:0.25"_s).value());
    QSignalSpy trained(train, &TrainView::trainingFinished);
    QTest::mouseClick(train->trainButton(), Qt::LeftButton);
    QVERIFY(trained.wait(kLoadTimeoutMs));
    QCOMPARE(trained.front().at(0).toBool(), true);

    // Save into a models folder the Models view lists: the model appears there.
    const QString folder = directory.filePath(u"models"_s);
    QVERIFY(QDir().mkpath(folder));
    ModelsView *models = window.modelsView();
    models->setModelsFolder(folder);
    const QString saved = QDir(folder).filePath(u"churn-from-flow.plumb"_s);
    QSignalSpy written(train, &TrainView::modelSaved);
    QVERIFY(train->saveRun(saved, {u"churn-from-flow"_s, u"Saved by the workbench flow test."_s, {u"flow"_s}}, false));
    QVERIFY(written.wait(kLoadTimeoutMs));
    QVERIFY(QTest::qWaitFor([&] { return models->modelList()->rowCount() == 1; }, kLoadTimeoutMs));

    // Inspect: click the listed model.
    window.setCurrentView(MainWindow::View::Models);
    QSignalSpy loaded(models->document(), &ModelDocument::modelLoaded);
    QTableView *table = models->modelTable();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(models->modelList()->index(0, 0)).center());
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(models->currentPage(), ModelsView::Page::Model);
    QCOMPARE(models->summaryCard()->title(), u"churn-from-flow"_s);

    // Score a row by hand: the Predict view follows the open model; a high monthly charge moves
    // the probability of churn away from a low one's.
    window.setCurrentView(MainWindow::View::Predict);
    PredictView *predict = window.predictView();
    QVERIFY(QTest::qWaitFor([&] { return predict->model() != nullptr; }, kLoadTimeoutMs));
    const QStringList classes = predict->model()->pipeline().target().classes;
    QCOMPARE(classes, (QStringList{u"no"_s, u"yes"_s}));
    typeInto(*predict->form(), u"monthly_charges"_s, u"20"_s);
    QVERIFY(classes.contains(predict->predictionText()));
    const double lowCharge = predict->outputs().at(1);
    typeInto(*predict->form(), u"monthly_charges"_s, u"150"_s);
    QVERIFY(classes.contains(predict->predictionText()));
    QVERIFY(predict->outputs().at(1) != lowCharge);
    QCOMPARE(predict->outputs().at(0) + predict->outputs().at(1), 1.0);

    // Batch-score January: every row of the file comes back scored (the demo batches are clean).
    BatchScoringPanel *batch = predict->batchPanel();
    QSignalSpy scored(batch->job(), &BatchScoringJob::finished);
    QVERIFY(batch->scoreFile(kBatch));
    QVERIFY(QTest::qWaitFor([&] { return scored.size() == 1 && !batch->job()->isBusy(); }, kLoadTimeoutMs));
    QCOMPARE(scored.front().at(0).toBool(), true);
    QCOMPARE(qsizetype(batch->resultsModel()->rowCount()), dataLines(kBatch));

    // A copy of the saved model with one byte of its manifest changed opens as the error page.
    QFile original(saved);
    QVERIFY(original.open(QIODevice::ReadOnly));
    QByteArray bytes = original.readAll();
    bytes[200] = char(bytes[200] ^ 0x01);
    const QString tampered = test::writeFile(directory, u"tampered.plumb"_s, bytes);
    QSignalSpy failed(models->document(), &ModelDocument::loadFailed);
    QVERIFY(window.openPath(tampered));
    QVERIFY(failed.wait(kLoadTimeoutMs));
    QCOMPARE(window.currentView(), MainWindow::View::Models);
    QCOMPARE(models->currentPage(), ModelsView::Page::Error);
    QCOMPARE(models->errorPage()->heading(), u"This model file failed its integrity check"_s);
}

// The README's keyboard path (Keyboard) with key presses only: open a workspace folder by typing
// its path into the file dialog and pressing Enter; Ctrl+2, Ctrl+T trains; Ctrl+S, a name typed
// into Save Model and Enter saves; Ctrl+M and the saved path typed opens it in the Models view;
// Ctrl+4, Tab to a feature's field and a typed value scores a row; Ctrl+5, Tab to Compute and
// Space computes drift. No mouse event and no call into a view starts any step; the views are
// only read to check where the keys led.
void TestWorkbenchFlow::keyboardOnlyPath()
{
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    qputenv("PLUMB_KEYRING", directory.filePath(u"no-keyring"_s).toUtf8());
    // A copy: the saved model must not join the demo workspace.
    const QString workspace = directory.filePath(u"workspace"_s);
    QVERIFY(copyFolder(kWorkspace, workspace));
    MainWindow window(MainWindow::Persistence::Forget);
    window.resize(1440, 900);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    // 1. Ctrl+Shift+O, the workspace folder typed into the dialog, Enter.
    QSignalSpy replaced(window.document(), &DataDocument::datasetReplaced);
    QVERIFY(typeIntoFileDialog(
        &window, [&] { QTest::keyClick(focused(&window), Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier); }, workspace));
    QVERIFY(replaced.wait(kLoadTimeoutMs));
    QVERIFY(test::waitUntilIdle(*window.document()));
    QCOMPARE(QFileInfo(window.document()->workspace()->rootPath), QFileInfo(workspace));

    // 2. Ctrl+2, Ctrl+T: the workspace's target with the default model.
    QTest::keyClick(focused(&window), Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentView(), MainWindow::View::Train);
    TrainView *train = window.trainView();
    QSignalSpy trained(train, &TrainView::trainingFinished);
    QTest::keyClick(focused(&window), Qt::Key_T, Qt::ControlModifier);
    QVERIFY(trained.wait(kLoadTimeoutMs));
    QVERIFY2(trained.front().at(0).toBool(), qPrintable(train->banner()->text()));

    // 3. Ctrl+S opens Save Model with its Name field focused: Ctrl+A, a name, Enter. The file
    // follows the name into the workspace's models folder (SaveModelDialog::followName).
    const QString name = u"churn by keys"_s;
    const QString saved = QDir(workspace).filePath(u"models/churn-by-keys.plumb"_s);
    QSignalSpy written(train, &TrainView::modelSaved);
    QVERIFY(typeIntoDialog<SaveModelDialog>(
        &window, [&] { QTest::keyClick(focused(&window), Qt::Key_S, Qt::ControlModifier); },
        [&](QWidget *focus) {
            QTest::keyClick(focus, Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(focus, name);
            QTest::keyClick(focus, Qt::Key_Return);
        }));
    QVERIFY(written.wait(kLoadTimeoutMs));
    QCOMPARE(QFileInfo(written.front().at(0).toString()), QFileInfo(saved));
    // The file reads back, its digest verifies, and it carries the typed name.
    const Result<LoadedModelPtr> reread = readModel(saved, directory.filePath(u"no-keyring"_s));
    QVERIFY2(reread, reread ? "" : qPrintable(reread.error().message));
    QCOMPARE(reread.value()->metadata().name, name);

    // 4. Ctrl+M, the saved model's path typed into the dialog, Enter: it opens in the Models view.
    ModelsView *models = window.modelsView();
    QSignalSpy loaded(models->document(), &ModelDocument::modelLoaded);
    QVERIFY(typeIntoFileDialog(
        &window, [&] { QTest::keyClick(focused(&window), Qt::Key_M, Qt::ControlModifier); }, saved));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(window.currentView(), MainWindow::View::Models);
    QCOMPARE(models->currentPage(), ModelsView::Page::Model);
    QCOMPARE(models->summaryCard()->title(), name);

    // 5. Ctrl+4, Tab to the monthly charge field, Ctrl+A, 150: the prediction follows the keys.
    QTest::keyClick(focused(&window), Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(window.currentView(), MainWindow::View::Predict);
    PredictView *predict = window.predictView();
    QVERIFY(QTest::qWaitFor([&] { return predict->model() != nullptr; }, kLoadTimeoutMs));
    QCOMPARE(predict->model()->metadata().name, name); // the model the keys opened
    QWidget *charges = predict->form()->editor(u"monthly_charges"_s);
    QVERIFY(charges);
    QVERIFY(tabTo(&window, [&](QWidget *focus) { return focus == charges; }));
    const std::vector<double> before = predict->outputs();
    QTest::keyClick(charges, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(charges, u"150"_s);
    QCOMPARE(predict->form()->text(u"monthly_charges"_s), u"150"_s);
    QVERIFY(predict->outputs() != before); // scored again with the typed value
    const QStringList classes = predict->model()->pipeline().target().classes;
    QVERIFY2(classes.contains(predict->predictionText()), qPrintable(predict->predictionText()));
    // The label a person reads shows that class (the Predict view's big MetricValue label).
    const QList<QLabel *> values = predict->findChildren<QLabel *>(u"MetricValue"_s);
    QVERIFY(std::any_of(values.begin(), values.end(),
                        [&](const QLabel *label) { return label->isVisible() && label->text() == predict->predictionText(); }));

    // 6. Ctrl+5 (the workspace's models and batches are chosen), Tab to Compute, Space.
    QTest::keyClick(focused(&window), Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(window.currentView(), MainWindow::View::Monitor);
    MonitorView *monitor = window.monitorView();
    QSignalSpy computed(monitor->document(), &MonitorDocument::computed);
    QVERIFY(tabTo(&window, [](QWidget *focus) {
        auto *button = qobject_cast<QPushButton *>(focus);
        return button && button->text() == u"Compute"_s;
    }));
    QTest::keyClick(focused(&window), Qt::Key_Space);
    QVERIFY(computed.wait(kLoadTimeoutMs));
    QCOMPARE(monitor->currentPage(), MonitorView::Page::Report);
    QVERIFY(monitor->heatMap()->isVisible());
    QVERIFY(monitor->document()->result());
}

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestWorkbenchFlow)
#include "tst_workbenchflow.moc"
