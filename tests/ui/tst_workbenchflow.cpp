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
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsummarycard.h"
#include "ui/models/modelsview.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/predictview.h"
#include "ui/predict/scoringform.h"
#include "ui/train/savemodeldialog.h"
#include "ui/train/trainsetuppanel.h"
#include "ui/train/trainview.h"

#include <QApplication>
#include <QDirIterator>
#include <QFileDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

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

// Once the modal file dialog that `open` brings up is there, types `path` into its file name
// field and presses Enter; true when the dialog took it and closed.
bool typeIntoFileDialog(QWidget *window, const std::function<void()> &open, const QString &path)
{
    bool typed = false;
    QTimer::singleShot(0, window, [&] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        // The file name field has the focus once the dialog is the active window.
        dialog->activateWindow(); // as a window manager does with a new dialog
        static_cast<void>(
            QTest::qWaitFor([dialog] { return QApplication::focusWidget() && QApplication::focusWidget()->window() == dialog; },
                            10000)); // the focus is checked next
        auto *name = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        if (!name || name->window() != dialog) {
            dialog->reject();
            return;
        }
        QTest::keyClicks(name, path);
        QTest::keyClick(name, Qt::Key_Return);
        typed = !dialog->isVisible();
    });
    open();
    return typed;
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

// The README's keyboard path (Keyboard), steps 1 and 2 with key presses only: open a workspace
// folder by typing its path into the file dialog and pressing Enter, Ctrl+2, Ctrl+T trains. No
// mouse event and no call into a view starts any step; the views are only read to check where
// the keys led.
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
}

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestWorkbenchFlow)
#include "tst_workbenchflow.moc"
