// The whole workbench on the demo workspace (resources/demo/demogenerator.cpp, built with the
// suite), the way a person goes through it: open the workspace, train a logistic regression on
// churn in the Train view and save it, find it in the Models view's list and open it, score a
// row typed into the Predict view's form, batch-score the January batch, and open a tampered copy
// of the saved model. Input goes through QTest (clicks and key presses), job completion through
// QSignalSpy. Expected values come from the workspace itself (its target, its batch file) and
// from the model file the test saved.

#include "uitestsupport.h"

#include "ui/common/emptystateview.h"
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

#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

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
    void trainSaveInspectScoreAndRefuseATamperedCopy();
};

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

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestWorkbenchFlow)
#include "tst_workbenchflow.moc"
