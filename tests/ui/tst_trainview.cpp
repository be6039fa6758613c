#include "ui/train/trainview.h"

#include "artifact/modelartifact.h"
#include "ui/charts/confusionchart.h"
#include "ui/charts/curvechart.h"
#include "ui/charts/importancechart.h"
#include "ui/charts/shapsummarychart.h"
#include "ui/common/messagebanner.h"
#include "ui/common/progresspanel.h"
#include "ui/train/parameterform.h"
#include "ui/train/runhistoryfile.h"
#include "ui/train/runhistorymodel.h"
#include "ui/train/trainresultspanel.h"
#include "ui/train/trainsetuppanel.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>

#include <numeric>

using namespace plumb;
using namespace plumb::ui;

namespace {

// Rows of a small churn-like table: two numbers, a category and a flag; `label` (yes/no) follows
// x1 + x2 and the plan, `grade` (a/b/c) thirds of x1, `value` is linear in x1 and x2 with a flag
// offset. Deterministic, so every run sees the same data.
QByteArray generatedCsv(int rows)
{
    QByteArray csv = "x1,x2,plan,flag,label,grade,value\n";
    for (int i = 0; i < rows; ++i) {
        const double x1 = (i * 37 % 101) / 10.0, x2 = (i * 53 % 97) / 10.0;
        const char *plan = i % 3 == 0 ? "basic" : (i % 3 == 1 ? "plus" : "pro");
        const bool flag = i % 4 == 0;
        const bool yes = x1 + x2 + (plan[0] == 'p' && plan[1] == 'r' ? 2 : 0) + (i % 11 == 0 ? 4 : 0) > 11;
        const char grade = x1 < 3.4 ? 'a' : (x1 < 6.7 ? 'b' : 'c');
        csv += QByteArray::number(x1) + ',' + QByteArray::number(x2) + ',' + plan + ',' + (flag ? "true" : "false") + ','
            + (yes ? "yes" : "no") + ',' + grade + ',' + QByteArray::number(2.0 * x1 - x2 + (flag ? 1.5 : 0) + (i % 7) * 0.1)
            + '\n';
    }
    return csv;
}

const QStringList kFeatures{QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("plan"), QStringLiteral("flag")};

// The longest gap between ticks of a 10 ms timer on the GUI thread while it runs: how long the
// event loop was kept from running. Reported, not asserted (timings never decide a test).
class StallProbe : public QObject
{
public:
    StallProbe()
    {
        mTimer.setInterval(10);
        connect(&mTimer, &QTimer::timeout, this, [this] { mWorst = std::max(mWorst, mClock.restart()); });
        mClock.start();
        mTimer.start();
    }
    qint64 worstMs() const { return mWorst; }

private:
    QTimer mTimer;
    QElapsedTimer mClock;
    qint64 mWorst = 0;
};

} // namespace

// The Train view end to end on the offscreen platform: a generated table loaded through the
// DataDocument, training on the worker thread, results, history, Cancel and saving.
class TestTrainView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void withoutDataShowsTheEmptyState();
    void defaultsFollowTheData_data();
    void defaultsFollowTheData();
    void trainsAndShowsResults_data();
    void trainsAndShowsResults();
    void shapSummaryShowsTheStoredValues_data();
    void shapSummaryShowsTheStoredValues();
    void historyGrowsAndSortsByMetric();
    void badParameterBlocksTraining();
    void preprocessingChoiceReachesThePipeline();
    void cancelStopsALongRun();
    void closingWhileTrainingStopsTheRun();
    void newFileClearsTheRunsAndKeepsParameters();
    void saveDialogFileFollowsTheName();
    void savedModelLoads();
    void historySurvivesARestart_data();
    void historySurvivesARestart();
    void unreadableHistoryIsLeftAlone();
    void saveStartsInTheModelsFolder();

private:
    bool train(TrainView &view);
    static void setUpLongRun(TrainView &view);
    // Shows the view at 1400x900, set to train `model` for `target` on kFeatures, validated so.
    static void setUpRun(TrainView &view, const QString &target, const QString &model, const QString &validation);

    // A workspace in a new folder: small.csv's table as its training data, target "label", and
    // (with `modelsFolder`) an empty models/ folder.
    QString writeWorkspace(const QTemporaryDir &directory, bool modelsFolder = true) const;

    QTemporaryDir mDirectory;
    QString mSmall;
    QString mLarge;
};

void TestTrainView::initTestCase()
{
    // Settings (keep the run history) go to a throwaway location, not the user's.
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setAttribute(Qt::AA_DontUseNativeDialogs);
    QSettings().remove(QString::fromLatin1(TrainView::kKeepRunHistoryKey));
    QVERIFY(mDirectory.isValid());
    mSmall = test::writeFile(mDirectory, QStringLiteral("small.csv"), generatedCsv(600));
    mLarge = test::writeFile(mDirectory, QStringLiteral("large.csv"), generatedCsv(20000));
    QVERIFY(!mSmall.isEmpty() && !mLarge.isEmpty());
}

bool TestTrainView::train(TrainView &view)
{
    QSignalSpy finished(&view, &TrainView::trainingFinished);
    QTest::mouseClick(view.trainButton(), Qt::LeftButton);
    if (!view.isTraining())
        return false;
    return finished.wait(test::kLoadTimeoutMs) && finished.first().first().toBool();
}

void TestTrainView::withoutDataShowsTheEmptyState()
{
    DataDocument document;
    TrainView view(&document);
    QVERIFY(!view.trainButton()->isEnabled());
    QVERIFY(!view.saveButton()->isEnabled());
    QVERIFY(!view.startTraining());
    QVERIFY(test::loadFile(document, mSmall));
    QVERIFY(view.trainButton()->isEnabled());
    QVERIFY(!view.saveButton()->isEnabled()); // nothing trained yet
}

void TestTrainView::defaultsFollowTheData_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("target"); // defaultTarget(): never the id column in front
    QTest::addColumn<QString>("task"); // as the Automatic entry shows it
    QTest::addColumn<QString>("model"); // the first model of the task's list
    QTest::addColumn<QString>("absent"); // a model the list must not offer
    QByteArray spend = "customer_id,tenure,spend\n", labels = "customer_id,x,y\n";
    for (int i = 0; i < 40; ++i) {
        spend += QByteArray::number(1000 + i) + ',' + QByteArray::number(i % 7) + ',' + QByteArray::number(i * 1.25 + 0.5) + '\n';
        labels += QByteArray::number(1000 + i) + ',' + QByteArray::number(i % 9) + ',' + QByteArray::number(i % 3) + '\n';
    }
    QTest::newRow("numeric-target-regression") << spend << "spend"
                                               << "Automatic: regression"
                                               << "linear_regression"
                                               << "logistic_regression";
    QTest::newRow("integer-labels-classification") << labels << "y"
                                                   << "Automatic: classification"
                                                   << "logistic_regression"
                                                   << "ridge";
}

void TestTrainView::defaultsFollowTheData()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, target);
    QFETCH(QString, task);
    QFETCH(QString, model);
    QFETCH(QString, absent);
    DataDocument document;
    QVERIFY(test::loadFile(document, test::writeFile(mDirectory, QStringLiteral("defaults.csv"), csv)));
    TrainView view(&document);
    TrainSetupPanel *setup = view.setupPanel();
    QCOMPARE(setup->target(), target);
    auto *taskCombo = setup->findChild<QComboBox *>(QStringLiteral("TaskCombo"));
    auto *modelCombo = setup->findChild<QComboBox *>(QStringLiteral("ModelCombo"));
    QVERIFY(taskCombo && modelCombo);
    QCOMPARE(taskCombo->currentText(), task);
    QCOMPARE(setup->modelKind(), model);
    QCOMPARE(modelCombo->findData(absent), -1);
    QVERIFY(setup->findChild<QLabel *>(QStringLiteral("TaskNote"))->text().contains(QStringLiteral("target '%1'").arg(target)));
    // Overriding the task brings the other task's models.
    setup->setTask(task.endsWith(QLatin1String("regression")) ? Task::Classification : Task::Regression);
    QVERIFY(modelCombo->findData(absent) >= 0);
    setup->setTask(std::nullopt);
    QCOMPARE(setup->modelKind(), model);
}

void TestTrainView::trainsAndShowsResults_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("validation");
    QTest::addColumn<int>("metrics"); // evaluateClassification gives 9, evaluateRegression 4
    QTest::addColumn<int>("classes"); // drawn in the confusion matrix; 0 for regression
    QTest::addColumn<int>("curves"); // series in the first curve chart: the ROC line for two
        // classes, one per class (one vs rest) for three, the
        // residual points for regression
    QTest::addColumn<bool>("foldColumn");
    QTest::newRow("logistic-binary-holdout") << QStringLiteral("label") << QStringLiteral("logistic_regression")
                                             << QStringLiteral("holdout:0.25") << 9 << 2 << 1 << false;
    QTest::newRow("tree-three-classes-kfold")
        << QStringLiteral("grade") << QStringLiteral("decision_tree") << QStringLiteral("kfold:3") << 9 << 3 << 3 << true;
    QTest::newRow("ridge-regression-kfold") << QStringLiteral("value") << QStringLiteral("ridge") << QStringLiteral("kfold:4")
                                            << 4 << 0 << 1 << true;
}

void TestTrainView::trainsAndShowsResults()
{
    QFETCH(QString, target);
    QFETCH(QString, model);
    QFETCH(QString, validation);
    QFETCH(int, metrics);
    QFETCH(int, classes);
    QFETCH(int, curves);
    QFETCH(bool, foldColumn);
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    setUpRun(view, target, model, validation);
    StallProbe probe;
    QVERIFY(train(view));
    qInfo("worst event-loop gap while training %s: %lld ms", qPrintable(model), probe.worstMs());

    const TrainResultsPanel *results = view.resultsPanel();
    QVERIFY(results->run());
    QCOMPARE(results->metricsTable()->rowCount(), metrics);
    QCOMPARE(results->metricsTable()->isColumnHidden(2), !foldColumn);
    QCOMPARE(results->confusionChart()->classCount(), classes);
    QCOMPARE(results->curveChart(0)->seriesCount(), curves);
    // Permutation importance: one bar per raw input column (kFeatures).
    QCOMPARE(results->importanceChart()->barCount(), int(kFeatures.size()));
    QCOMPARE(view.history()->rowCount(), 1);
    QVERIFY(view.saveButton()->isEnabled());
    QVERIFY(view.banner()->isHidden());
    // For looking at each task's charts: PLUMB_TEST_GRAB_DIR=DIR writes DIR/trainview-<row>.png.
    if (const QString grabs = qEnvironmentVariable("PLUMB_TEST_GRAB_DIR"); !grabs.isEmpty())
        QVERIFY(view.grab().save(
            QDir(grabs).filePath(QStringLiteral("trainview-%1.png").arg(QLatin1String(QTest::currentDataTag())))));
}

void TestTrainView::shapSummaryShowsTheStoredValues_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("axis"); // the beeswarm's x-axis title starts with it; empty: not available
    QTest::newRow("boosting-binary") << QStringLiteral("label") << QStringLiteral("gradient_boosting")
                                     << QStringLiteral("SHAP value (log-odds of 'yes')");
    QTest::newRow("boosting-three-classes") << QStringLiteral("grade") << QStringLiteral("gradient_boosting")
                                            << QStringLiteral("SHAP value (logit of 'a')");
    QTest::newRow("ridge") << QStringLiteral("value") << QStringLiteral("ridge") << QStringLiteral("SHAP value (prediction)");
    QTest::newRow("knn-not-available") << QStringLiteral("grade") << QStringLiteral("knn") << QString();
}

// The SHAP summary chart draws the run's stored summary: its features in the order of their mean
// |SHAP| (averaged over the outputs), one beeswarm point per stored row and feature, the output
// named on the axis; for a kind without an exact explanation, it says so.
void TestTrainView::shapSummaryShowsTheStoredValues()
{
    QFETCH(QString, target);
    QFETCH(QString, model);
    QFETCH(QString, axis);
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    setUpRun(view, target, model, QStringLiteral("holdout:0.25"));
    QVERIFY(train(view));
    const ShapSummaryChart *chart = view.resultsPanel()->shapChart();
    const ShapSummary &stored = view.resultsPanel()->run()->outcome.shap;
    if (axis.isEmpty()) {
        QVERIFY(stored.isEmpty());
        QCOMPARE(chart->message(),
                 QStringLiteral("SHAP summary not available for knn models: permutation importance is "
                                "shown instead"));
        QCOMPARE(chart->pointCount(), 0);
        QVERIFY(chart->shownFeatures().isEmpty());
        QVERIFY(test::grabScrolledTo(view, view.resultsPanel()->shapChart(), QStringLiteral("shap-train-knn")));
        return;
    }
    QVERIFY(chart->message().isEmpty());
    // The expected order from the stored numbers: mean over outputs of mean |SHAP|, largest first.
    std::vector<std::pair<double, QString>> byWeight;
    for (const ShapSummary::Feature &feature : stored.features)
        byWeight.emplace_back(-std::accumulate(feature.meanAbs.begin(), feature.meanAbs.end(), 0.0)
                                  / double(feature.meanAbs.size()),
                              feature.feature);
    std::stable_sort(byWeight.begin(), byWeight.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList expected;
    for (const auto &[weight, name] : byWeight)
        expected.append(name);
    QCOMPARE(chart->shownFeatures(), expected);
    QCOMPARE(chart->shownFeatures().size(), kFeatures.size());
    QCOMPARE(chart->pointCount(), stored.beeswarmRows() * int(kFeatures.size()));
    QVERIFY2(chart->axisTitle().startsWith(axis), qPrintable(chart->axisTitle()));
    QVERIFY(chart->axisTitle().contains(QStringLiteral("base value")));
    QCOMPARE(chart->outputBox()->isVisibleTo(chart), stored.outputCount() > 1);
    QVERIFY(test::grabScrolledTo(view, view.resultsPanel()->shapChart(),
                                 QStringLiteral("shap-train-%1").arg(QLatin1String(QTest::currentDataTag()))));
}

void TestTrainView::historyGrowsAndSortsByMetric()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setFeatures(kFeatures);
    // A stump and a deeper tree: the deeper one separates x1 + x2 better (the label follows it).
    view.setupPanel()->setModelKind(QStringLiteral("decision_tree"));
    QVERIFY(view.setupPanel()->parameterForm()->setValue(QStringLiteral("max_depth"), QStringLiteral("1")));
    QVERIFY(train(view));
    QVERIFY(view.setupPanel()->parameterForm()->setValue(QStringLiteral("max_depth"), QStringLiteral("6")));
    QVERIFY(train(view));
    view.setupPanel()->setModelKind(QStringLiteral("logistic_regression"));
    QVERIFY(train(view));
    QCOMPARE(view.history()->rowCount(), 3);

    // Sorting by accuracy, descending, orders the rows by their numbers.
    const int column = view.history()->columnOfMetric(QStringLiteral("accuracy"));
    QVERIFY(column >= RunHistoryModel::kFixedColumns);
    view.historyTable()->sortByColumn(column, Qt::DescendingOrder);
    const QAbstractItemModel *shown = view.historyTable()->model();
    for (int row = 1; row < shown->rowCount(); ++row)
        QVERIFY(shown->index(row - 1, column).data(RunHistoryModel::SortRole).toDouble()
                >= shown->index(row, column).data(RunHistoryModel::SortRole).toDouble());
    // Clicking a row shows that run.
    view.historyTable()->selectRow(2);
    const int number = shown->index(2, RunHistoryModel::RunColumn).data(RunHistoryModel::SortRole).toInt();
    QCOMPARE(view.resultsPanel()->run()->number, number);
}

void TestTrainView::badParameterBlocksTraining()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setModelKind(QStringLiteral("logistic_regression"));
    // C must be > 0 (logisticregression.cpp declares it with an exclusive lower bound of 0).
    QVERIFY(view.setupPanel()->parameterForm()->setValue(QStringLiteral("C"), QStringLiteral("-1")));
    QVERIFY(!view.startTraining());
    QVERIFY(!view.isTraining());
    QVERIFY(!view.banner()->isHidden());
    QVERIFY2(view.banner()->text().contains(QLatin1String("C")), qPrintable(view.banner()->text()));
    QCOMPARE(view.history()->rowCount(), 0);
}

void TestTrainView::preprocessingChoiceReachesThePipeline()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setFeatures(kFeatures);
    auto *scaler = view.setupPanel()->findChild<QComboBox *>(QStringLiteral("NumericScaler"));
    QVERIFY(scaler);
    // The first entry names the default: logistic regression scales numbers (ColumnRouter::withDefaults).
    QCOMPARE(scaler->itemText(0), QStringLiteral("Default: standard scaler"));
    scaler->setCurrentIndex(scaler->findData(QStringLiteral("min_max_scaler")));
    QVERIFY(train(view));
    const auto &branches = view.resultsPanel()->run()->outcome.pipeline.router().branches();
    QCOMPARE(branches[0].steps.back()->kind(), QStringLiteral("min_max_scaler"));
    // A tree is scale-free: its default shows no scaler.
    view.setupPanel()->setModelKind(QStringLiteral("decision_tree"));
    QCOMPARE(scaler->itemText(0), QStringLiteral("Default: none"));
}

// 10 folds of up to 100,000 boosting iterations without early stopping on 20,000 rows: far
// longer than the test's hang guard unless Cancel stops it.
void TestTrainView::setUpRun(TrainView &view, const QString &target, const QString &model, const QString &validation)
{
    view.resize(1400, 900);
    view.show();
    view.setupPanel()->setTarget(target);
    view.setupPanel()->setFeatures(kFeatures);
    view.setupPanel()->setModelKind(model);
    view.setupPanel()->setValidation(ValidationScheme::parse(validation).value());
}

void TestTrainView::setUpLongRun(TrainView &view)
{
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setFeatures(kFeatures);
    view.setupPanel()->setModelKind(QStringLiteral("gradient_boosting"));
    ParameterForm *form = view.setupPanel()->parameterForm();
    QVERIFY(form->setValue(QStringLiteral("max_iter"), QStringLiteral("100000")));
    QVERIFY(form->setValue(QStringLiteral("early_stopping"), QStringLiteral("off")));
    view.setupPanel()->setValidation(ValidationScheme::parse(QStringLiteral("kfold:10")).value());
}

void TestTrainView::cancelStopsALongRun()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mLarge));
    TrainView view(&document);
    setUpLongRun(view);
    QSignalSpy cancelled(&view, &TrainView::trainingCancelled);
    QSignalSpy finished(&view, &TrainView::trainingFinished);
    QVERIFY(view.startTraining());
    QVERIFY(!view.trainButton()->isEnabled());
    // The run reads the dataset in place: the document refuses edits until it ends.
    QVERIFY(document.isBusy());
    QVERIFY(!document.setColumnRole(0, ColumnRole::Ignored));
    QTRY_VERIFY_WITH_TIMEOUT(view.progressPanel()->value() > 0, test::kLoadTimeoutMs); // it is under way
    auto *cancel = view.progressPanel()->findChild<QPushButton *>();
    QVERIFY(cancel);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(cancelled.wait(test::kLoadTimeoutMs));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(!view.isTraining());
    QVERIFY(!document.isBusy());
    QVERIFY(view.trainButton()->isEnabled());
    QCOMPARE(view.history()->rowCount(), 0);
    // The user's own choice is a notice, not a warning, and uses no run number: the next run is #1.
    QCOMPARE(view.banner()->kind(), MessageBanner::Kind::Notice);
    view.setupPanel()->setModelKind(QStringLiteral("logistic_regression"));
    view.setupPanel()->setValidation(ValidationScheme::parse(QStringLiteral("holdout:0.2")).value());
    QVERIFY(train(view));
    QCOMPARE(view.history()->run(0)->number, 1);
}

// As when the main window closes: the document (created first) is destroyed before the view,
// mid-run. It must stop the run and wait for it, or the worker would read a freed dataset (or
// the test would sit out the whole run).
void TestTrainView::closingWhileTrainingStopsTheRun()
{
    auto document = std::make_unique<DataDocument>();
    QVERIFY(test::loadFile(*document, mLarge));
    auto view = std::make_unique<TrainView>(document.get());
    setUpLongRun(*view);
    QVERIFY(view->startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(view->progressPanel()->value() > 0, test::kLoadTimeoutMs);
    QSignalSpy cancelled(view.get(), &TrainView::trainingCancelled);
    document.reset();
    QVERIFY(!view->isTraining()); // stopped and finished before the dataset went
    QCOMPARE(cancelled.size(), 1);
    view.reset();
}

// Opening another file: the runs of the old data are neither shown nor savable, and a parameter
// changed by hand stays with its model even when the new target changes the task (and the form).
void TestTrainView::newFileClearsTheRunsAndKeepsParameters()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setFeatures(kFeatures);
    view.setupPanel()->setModelKind(QStringLiteral("gradient_boosting"));
    QVERIFY(view.setupPanel()->parameterForm()->setValue(QStringLiteral("max_iter"), QStringLiteral("37")));
    QCOMPARE(view.setupPanel()->taskChoice().task, Task::Classification);
    QVERIFY(train(view));
    QVERIFY(view.saveButton()->isEnabled());
    QCOMPARE(view.unsavedRunCount(), 1);

    // No "label" here: the default target, amount, has many distinct numbers (regression).
    QByteArray csv = "x1,x2,amount\n";
    for (int i = 0; i < 200; ++i)
        csv += QByteArray::number(i % 13) + ',' + QByteArray::number(i % 7) + ',' + QByteArray::number(i * 1.37 + 0.11) + '\n';
    const QString other = test::writeFile(mDirectory, QStringLiteral("amounts.csv"), csv);
    QVERIFY(test::loadFile(document, other));
    QCOMPARE(view.setupPanel()->target(), QStringLiteral("amount"));
    QCOMPARE(view.setupPanel()->taskChoice().task, Task::Regression);
    QCOMPARE(view.history()->rowCount(), 0);
    QVERIFY(!view.resultsPanel()->run());
    QVERIFY(!view.saveButton()->isEnabled());
    QCOMPARE(view.unsavedRunCount(), 0);
    QCOMPARE(view.setupPanel()->modelKind(), QStringLiteral("gradient_boosting"));
    const auto changed = view.setupPanel()->parameterForm()->changedValues();
    QVERIFY(std::find(changed.begin(), changed.end(), std::pair(QStringLiteral("max_iter"), QStringLiteral("37")))
            != changed.end());
}

// The Save dialog: Tab leaves the Description (no tab character); the file name follows the
// Name field until the file is chosen by hand.
void TestTrainView::saveDialogFileFollowsTheName()
{
    SaveModelDialog dialog(QStringLiteral("label-logistic_regression"), QStringLiteral("/data/label-logistic_regression.plumb"));
    auto *name = dialog.findChild<QLineEdit *>();
    auto *description = dialog.findChild<QPlainTextEdit *>();
    QVERIFY(name && description);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("churn v2"));
    QCOMPARE(dialog.path(), QStringLiteral("/data/churn-v2.plumb"));
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("first"));
    QTest::keyClick(description, Qt::Key_Tab);
    QCOMPARE(description->toPlainText(), QStringLiteral("first"));
    QVERIFY(!description->hasFocus());
    // A file typed by hand is kept when the name changes again.
    QLineEdit *file = nullptr;
    for (QLineEdit *edit : dialog.findChildren<QLineEdit *>())
        if (edit->text().endsWith(QStringLiteral(".plumb")))
            file = edit;
    QVERIFY(file);
    file->setFocus();
    file->selectAll();
    QTest::keyClicks(file, QStringLiteral("/data/mine.plumb"));
    name->setFocus();
    QTest::keyClicks(name, QStringLiteral(" final"));
    QCOMPARE(dialog.path(), QStringLiteral("/data/mine.plumb"));
}

void TestTrainView::savedModelLoads()
{
    DataDocument document;
    QVERIFY(test::loadFile(document, mSmall));
    TrainView view(&document);
    view.setupPanel()->setTarget(QStringLiteral("label"));
    view.setupPanel()->setFeatures(kFeatures);
    view.setupPanel()->setModelKind(QStringLiteral("logistic_regression"));
    QVERIFY(train(view));
    const QString path = QDir(mDirectory.path()).filePath(QStringLiteral("label.plumb"));
    QSignalSpy saved(&view, &TrainView::modelSaved);
    const ModelDescription description{QStringLiteral("Label model"),
                                       QStringLiteral("From the Train view test."),
                                       {QStringLiteral("test"), QStringLiteral("baseline")}};
    QVERIFY(view.saveRun(path, description, false));
    QVERIFY(saved.wait(test::kLoadTimeoutMs));
    QCOMPARE(saved.first().first().toString(), path);

    Result<ModelArtifact> artifact = loadModelArtifact(path);
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    const ModelMetadata &metadata = artifact.value().metadata;
    QCOMPARE(metadata.name, description.name);
    QCOMPARE(metadata.description, description.description);
    QCOMPARE(metadata.tags, description.tags);
    QCOMPARE(metadata.sourceFile, QStringLiteral("small.csv"));
    QCOMPARE(metadata.metrics, view.resultsPanel()->run()->outcome.validation.metrics);
    QCOMPARE(artifact.value().profile.size(), kFeatures.size() + 1); // features and the target
    // The saved pipeline predicts what the trained one does.
    Result<Prediction> before = view.resultsPanel()->run()->outcome.pipeline.predict(document.dataset());
    Result<Prediction> after = artifact.value().pipeline->predict(document.dataset());
    QVERIFY(before.ok() && after.ok());
    QVERIFY(before.value().probabilities == after.value().probabilities);

    // Saving over it without permission fails and says so.
    QSignalSpy failed(&view, &TrainView::saveFailed);
    QVERIFY(view.saveRun(path, description, false));
    QVERIFY(failed.wait(test::kLoadTimeoutMs));
    QCOMPARE(saved.size(), 1);
    QCOMPARE(view.banner()->kind(), MessageBanner::Kind::Error);
}

QString TestTrainView::writeWorkspace(const QTemporaryDir &directory, bool modelsFolder) const
{
    if (test::writeFile(directory, QStringLiteral("training.csv"), generatedCsv(600)).isEmpty()
        || test::writeFile(directory, QStringLiteral("plumb-workspace.json"),
                           R"({"format": 1, "name": "runs", "training": {"path": "training.csv", "target": "label"}})")
               .isEmpty())
        return {};
    if (modelsFolder && !QDir(directory.path()).mkpath(QStringLiteral("models")))
        return {};
    return directory.path();
}

namespace {

bool openWorkspace(DataDocument &document, const QString &path)
{
    QSignalSpy replaced(&document, &DataDocument::datasetReplaced);
    return document.openWorkspace(path) && test::waitUntilIdle(document) && replaced.size() == 1;
}

} // namespace

// Runs trained in a workspace are there after the view and the document are made anew (a
// restart), with their settings and metrics; their models were not kept, so Save is off for
// them, and a run that was saved names its file. With the setting off nothing is written.
void TestTrainView::historySurvivesARestart_data()
{
    QTest::addColumn<bool>("keep");
    QTest::newRow("kept") << true;
    QTest::newRow("setting-off") << false;
}

void TestTrainView::historySurvivesARestart()
{
    QFETCH(bool, keep);
    QTemporaryDir directory;
    const QString workspace = writeWorkspace(directory);
    QVERIFY(!workspace.isEmpty());
    const QString historyPath = RunHistoryFile(workspace).path();
    MetricList firstMetrics;
    QString savedPath;
    {
        DataDocument document;
        QVERIFY(openWorkspace(document, workspace));
        TrainView view(&document);
        view.setKeepsRunHistory(keep);
        view.setupPanel()->setFeatures(kFeatures);
        view.setupPanel()->setModelKind(QStringLiteral("decision_tree"));
        QVERIFY(view.setupPanel()->parameterForm()->setValue(QStringLiteral("max_depth"), QStringLiteral("3")));
        QVERIFY(train(view));
        firstMetrics = view.shownRun()->outcome.validation.metrics;
        savedPath = QDir(workspace).filePath(QStringLiteral("models/tree.plumb"));
        QSignalSpy saved(&view, &TrainView::modelSaved);
        QVERIFY(view.saveRun(savedPath, {QStringLiteral("tree"), {}, {}}, false));
        QVERIFY(saved.wait(test::kLoadTimeoutMs));
        view.setupPanel()->setModelKind(QStringLiteral("logistic_regression"));
        QVERIFY(train(view));
        QCOMPARE(view.history()->rowCount(), 2);
    }
    QCOMPARE(QFileInfo::exists(historyPath), keep);

    DataDocument document;
    QVERIFY(openWorkspace(document, workspace));
    TrainView view(&document);
    view.setKeepsRunHistory(true); // reading is the same either way; only writing was off
    if (!keep) {
        QCOMPARE(view.history()->rowCount(), 0);
        return;
    }
    QCOMPARE(view.history()->rowCount(), 2);
    const auto first = view.history()->run(0);
    const auto second = view.history()->run(1);
    QCOMPARE(first->number, 1);
    QCOMPARE(first->spec.modelKind, QStringLiteral("decision_tree"));
    QCOMPARE(first->spec.target, QStringLiteral("label"));
    QCOMPARE(first->spec.features, kFeatures);
    QVERIFY(std::find(first->spec.parameters.begin(), first->spec.parameters.end(),
                      std::pair(QStringLiteral("max_depth"), QStringLiteral("3")))
            != first->spec.parameters.end());
    QCOMPARE(first->outcome.validation.metrics, firstMetrics);
    QCOMPARE(second->spec.modelKind, QStringLiteral("logistic_regression"));
    QVERIFY(!first->modelKept && !second->modelKept);
    // The table shows them as it did: the metric column holds the same number.
    const int accuracy = view.history()->columnOfMetric(QStringLiteral("accuracy"));
    QVERIFY(accuracy >= 0);
    QCOMPARE(view.history()->data(view.history()->index(0, accuracy), RunHistoryModel::SortRole).toDouble(),
             first->outcome.validation.metric(QStringLiteral("accuracy")));
    QCOMPARE(view.history()->data(view.history()->index(0, RunHistoryModel::FeaturesColumn), Qt::DisplayRole).toInt(),
             int(kFeatures.size()));

    // The newest is shown: its settings and metrics, and no model to save.
    QCOMPARE(view.shownRun(), second);
    QVERIFY(view.isShowingKeptRun());
    QVERIFY(!view.saveButton()->isEnabled());
    QVERIFY(
        !view.saveRun(QDir(workspace).filePath(QStringLiteral("models/again.plumb")), {QStringLiteral("again"), {}, {}}, false));
    QVERIFY2(view.keptRunText()->text().contains(QStringLiteral("was not saved")), qPrintable(view.keptRunText()->text()));
    QCOMPARE(view.unsavedRunCount(), 0);
    // The saved one names its file.
    view.historyTable()->setCurrentIndex(view.historyTable()->model()->index(0, 0));
    QCOMPARE(view.shownRun(), first);
    QVERIFY2(view.keptRunText()->text().contains(QDir::toNativeSeparators(savedPath)), qPrintable(view.keptRunText()->text()));

    // A new run continues the numbering, shows its charts, can be saved, and joins the file.
    view.setupPanel()->setFeatures(kFeatures);
    QVERIFY(train(view));
    QCOMPARE(view.shownRun()->number, 3);
    QVERIFY(!view.isShowingKeptRun());
    QVERIFY(view.saveButton()->isEnabled());
    RunHistoryFile file(workspace);
    Result<std::vector<KeptRun>> reread = file.read(document.filePath());
    QVERIFY(reread.ok());
    QCOMPARE(reread.value().size(), std::size_t(3));
    QCOMPARE(reread.value()[0].savedAs, savedPath);
}

// A history file that cannot be read is reported and never written over.
void TestTrainView::unreadableHistoryIsLeftAlone()
{
    QTemporaryDir directory;
    const QString workspace = writeWorkspace(directory);
    QVERIFY(!workspace.isEmpty());
    const QByteArray broken = R"({"format": 1, "runs": [{"number": 1, "data": "training.csv", "model": 7}]})";
    const QString historyPath = test::writeFile(directory, QString::fromLatin1(RunHistoryFile::kFileName), broken);
    DataDocument document;
    QVERIFY(openWorkspace(document, workspace));
    TrainView view(&document);
    view.setKeepsRunHistory(true);
    QCOMPARE(view.banner()->kind(), MessageBanner::Kind::Warning);
    QVERIFY2(view.banner()->text().contains(QStringLiteral("run 1: \"model\" must be a string")),
             qPrintable(view.banner()->text()));
    view.setupPanel()->setFeatures(kFeatures);
    QVERIFY(train(view));
    QFile file(historyPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), broken);
}

// Save Model… suggests a file in the workspace's models/ folder, not beside the data; the Browse
// button's file dialog opens there too. Without a models/ folder, beside the data.
void TestTrainView::saveStartsInTheModelsFolder()
{
    QTemporaryDir directory;
    const QString workspace = writeWorkspace(directory);
    QVERIFY(!workspace.isEmpty());
    DataDocument document;
    QVERIFY(openWorkspace(document, workspace));
    TrainView view(&document);
    view.setupPanel()->setFeatures(kFeatures);
    QVERIFY(train(view));
    const QString models = QDir(workspace).filePath(QStringLiteral("models"));
    QCOMPARE(view.saveFolder(), models);

    // The dialog itself: its file field, then the file dialog Browse… opens.
    QString suggested, browsed;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<SaveModelDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        suggested = dialog->path();
        for (QPushButton *button : dialog->findChildren<QPushButton *>())
            if (button->text().startsWith(QStringLiteral("Browse"))) {
                QTimer::singleShot(0, this, [&] {
                    if (auto *files = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
                        browsed = files->directory().absolutePath();
                        files->reject();
                    }
                });
                button->click();
            }
        dialog->reject();
    });
    view.saveButton()->click();
    QCOMPARE(QFileInfo(suggested).absolutePath(), models);
    QCOMPARE(browsed, models);

    // The folder is created by the workspace, not by Plumb: without it, the data's folder.
    QVERIFY(QDir(models).removeRecursively());
    QCOMPARE(view.saveFolder(), QFileInfo(document.filePath()).absolutePath());
}

QTEST_MAIN(TestTrainView)
#include "tst_trainview.moc"
