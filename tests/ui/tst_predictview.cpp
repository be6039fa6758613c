// The Predict view on models this suite trains and saves itself (logistic regression and a
// decision tree on the generated table of tests/artifact: features x1, x2 (float), x3 (integer),
// color, size (categorical), flag (boolean); target "label" with classes no/yes). Expected
// predictions come from Pipeline::predict on the same row read as a table; expected counts and
// lines from the files the tests write.

#include "artifacttestutil.h"
#include "uitestsupport.h"

#include "data/csvreader.h"
#include "learn/trainer.h"
#include "ui/barchart.h"
#include "ui/batchscoringpanel.h"
#include "ui/datasettablemodel.h"
#include "ui/displayformat.h"
#include "ui/mainwindow.h"
#include "ui/messagebanner.h"
#include "ui/modelsview.h"
#include "ui/predictview.h"
#include "ui/scoringform.h"

#include <QComboBox>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace plumb::ui {

namespace {

using test::kLoadTimeoutMs;

std::optional<QString> trainAndSave(const QString &path, const QString &kind)
{
    const QByteArray csv = testutil::trainingCsv(testutil::Target::Binary, 300, 5);
    Result<Dataset> data = testutil::readCsv(csv, u"churn-sample.csv"_s);
    if (!data)
        return data.error().message;
    TrainingSpec spec;
    spec.features = testutil::featureNames();
    spec.target = testutil::targetName(testutil::Target::Binary);
    spec.modelKind = kind;
    spec.validation = ValidationScheme::parse(u"holdout:0.25"_s).value();
    spec.seed = 7;
    Result<TrainingOutcome> outcome = trainAndValidate(data.value(), spec);
    if (!outcome)
        return outcome.error().message;
    ModelMetadata metadata;
    metadata.name = u"Churn "_s + kind;
    metadata.created = QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53), Qt::UTC);
    metadata.software = softwareEnvironment();
    metadata.metrics = outcome.value().validation.metrics;
    if (auto error = saveModelArtifact(path, outcome.value().pipeline, metadata, testutil::profileOf(data.value()), true))
        return error->message;
    return std::nullopt;
}

LoadedModelPtr load(const QString &path)
{
    Result<LoadedModelPtr> model = readModel(path, QString::fromUtf8(qgetenv("PLUMB_KEYRING")));
    return model ? model.value() : nullptr;
}

// Types `text` into a field the way a person does: clear it, then key clicks.
void type(ScoringForm &form, const QString &feature, const QString &text)
{
    QWidget *editor = form.editor(feature);
    QLineEdit *edit = qobject_cast<QLineEdit *>(editor);
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        edit = combo->lineEdit();
    QVERIFY2(edit, qPrintable(feature));
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

// Pipeline::predict on the row as a one-row table, each column read as its feature's type.
Result<Prediction> predictRow(const Pipeline &pipeline, const QStringList &values)
{
    CsvOptions options;
    options.header = CsvOptions::Header::Present;
    QStringList names;
    for (const FeatureSpec &feature : pipeline.features()) {
        names.append(feature.name);
        options.typeOverrides.insert(feature.name, feature.type);
    }
    const QByteArray csv = (names.join(u',') + u'\n' + values.join(u',') + u'\n').toUtf8();
    Result<Dataset> row = CsvReader::readBytes(csv, u"row.csv"_s, options);
    if (!row)
        return row.error();
    return pipeline.predict(row.value());
}

bool waitForRun(BatchScoringPanel &panel, QSignalSpy &finished)
{
    return QTest::qWaitFor([&] { return finished.size() == 1; }, kLoadTimeoutMs) && !panel.job()->isBusy();
}

BatchScoringPanel *showModel(PredictView &view, LoadedModelPtr model)
{
    view.setModel(std::move(model));
    return view.batchPanel();
}

// A Predict view showing a model, its batch panel, and a spy on the end of the panel's runs.
struct BatchRun
{
    explicit BatchRun(LoadedModelPtr model) : panel(showModel(view, std::move(model))), finished(panel->job(), &BatchScoringJob::finished) {}

    // Starts scoring `input` and waits for the run to end; false when it did not start or end.
    bool scoreAndWait(const QString &input) { return panel->scoreFile(input) && waitForRun(*panel, finished); }

    PredictView view;
    BatchScoringPanel *panel;
    QSignalSpy finished;
};

} // namespace

class TestPredictView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void formPredictionMatchesPipeline_data();
    void formPredictionMatchesPipeline();
    void warnsOutsideTheTrainingData_data();
    void warnsOutsideTheTrainingData();
    void contributionChartNamesItsMethod_data();
    void contributionChartNamesItsMethod();
    void batchScoresAFileAndListsABadRow();
    void missingColumnIsAClearError();
    void cancelStopsScoring();
    void exportWritesTheScoredRows();
    void followsTheModelsView();

private:
    QString path(const QString &name) const { return QDir(mDirectory.path()).filePath(name); }

    QTemporaryDir mDirectory;
    QString mLogistic;
    QString mTree;
};

void TestPredictView::initTestCase()
{
    QVERIFY(mDirectory.isValid());
    qputenv("PLUMB_KEYRING", path(u"no-keyring"_s).toUtf8()); // never the user's keyring
    mLogistic = path(u"logistic.plumb"_s);
    mTree = path(u"tree.plumb"_s);
    for (const auto &[file, kind] : {std::pair{mLogistic, u"logistic_regression"_s}, std::pair{mTree, u"decision_tree"_s}}) {
        const std::optional<QString> error = trainAndSave(file, kind);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }
}

void TestPredictView::formPredictionMatchesPipeline_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("values"); // x1, x2, x3, color, size, flag
    QTest::newRow("logistic-ordinary-row") << "logistic" << QStringList{u"0.5"_s, u"-1.25"_s, u"3"_s, u"red"_s, u"M"_s, u"true"_s};
    QTest::newRow("logistic-empty-fields-imputed") << "logistic" << QStringList{QString(), u"0.8"_s, u"7"_s, QString(), u"S"_s, u"false"_s};
    QTest::newRow("tree-ordinary-row") << "tree" << QStringList{u"-0.3"_s, u"1.1"_s, u"1"_s, u"green"_s, u"L"_s, u"false"_s};
    QTest::newRow("tree-other-branch") << "tree" << QStringList{u"2.0"_s, u"-2.0"_s, u"9"_s, u"blue"_s, u"XL"_s, u"true"_s};
}

void TestPredictView::formPredictionMatchesPipeline()
{
    QFETCH(QString, model);
    QFETCH(QStringList, values);
    LoadedModelPtr loaded = load(model == u"tree"_s ? mTree : mLogistic);
    QVERIFY(loaded);
    PredictView view;
    view.setModel(loaded);
    QCOMPARE(view.form()->fieldCount(), 6);
    const QStringList features = testutil::featureNames();
    for (qsizetype i = 0; i < features.size(); ++i)
        type(*view.form(), features[i], values[i]);
    QVERIFY(view.form()->isComplete());

    const Result<Prediction> expected = predictRow(loaded->pipeline(), values);
    QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().message));
    QCOMPARE(view.predictionText(), expected.value().label(0));
    QCOMPARE(Eigen::Index(view.outputs().size()), expected.value().probabilities.cols());
    for (Eigen::Index c = 0; c < expected.value().probabilities.cols(); ++c)
        QVERIFY(view.outputs()[std::size_t(c)] == expected.value().probabilities(0, c)); // RowScorer: bit for bit
    QCOMPARE(view.probabilityChart()->barCount(), 2);
    // The probability shown is the predicted class's, named with it.
    const double top = *std::max_element(view.outputs().begin(), view.outputs().end());
    const QString detail = view.predictionDetail();
    QVERIFY2(detail.startsWith(u"%1 = %2 with probability %3"_s.arg(loaded->pipeline().target().name, view.predictionText(),
                                                                      formatPercent(top))),
             qPrintable(detail));
}

void TestPredictView::warnsOutsideTheTrainingData_data()
{
    QTest::addColumn<QString>("feature");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    // The generated x1 are standard normal draws (300 rows): 1e6 and -1e6 are far outside.
    QTest::newRow("above-range") << "x1" << "1000000" << int(ScoringForm::Status::Warning) << "training range";
    QTest::newRow("below-range") << "x2" << "-1e6" << int(ScoringForm::Status::Warning) << "training range";
    QTest::newRow("unknown-category") << "color" << "purple" << int(ScoringForm::Status::Warning) << "not seen in training";
    QTest::newRow("not-a-number") << "x3" << "abc" << int(ScoringForm::Status::Invalid) << "not a number";
    QTest::newRow("in-range") << "x3" << "4" << int(ScoringForm::Status::Ok) << "";
    QTest::newRow("known-category") << "size" << "XL" << int(ScoringForm::Status::Ok) << "";
}

void TestPredictView::warnsOutsideTheTrainingData()
{
    QFETCH(QString, feature);
    QFETCH(QString, text);
    QFETCH(int, status);
    QFETCH(QString, says);
    PredictView view;
    view.setModel(load(mLogistic));
    type(*view.form(), feature, text);
    QCOMPARE(int(view.form()->status(feature)), status);
    QCOMPARE(view.form()->message(feature).contains(says), true);
    const QStringList warnings = view.form()->warnings();
    const bool warned = std::any_of(warnings.begin(), warnings.end(),
                                    [&](const QString &warning) { return warning.startsWith(feature + u':'); });
    QCOMPARE(warned, status == int(ScoringForm::Status::Warning));
    // A warning still scores (the model extrapolates); an invalid field does not.
    QCOMPARE(view.predictionText().isEmpty(), status == int(ScoringForm::Status::Invalid));
}

void TestPredictView::contributionChartNamesItsMethod_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("method");
    QTest::newRow("logistic-exact") << "logistic" << "exact, linear";
    QTest::newRow("tree-treeshap") << "tree" << "exact TreeSHAP";
}

void TestPredictView::contributionChartNamesItsMethod()
{
    QFETCH(QString, model);
    QFETCH(QString, method);
    PredictView view;
    view.setModel(load(model == u"tree"_s ? mTree : mLogistic));
    QVERIFY(!view.predictionText().isEmpty()); // the form starts at typical values
    QVERIFY(view.contributionChart()->title().contains(method));
    QCOMPARE(view.contributionChart()->barCount(), 6); // one bar per feature (fewer than ten)
}

void TestPredictView::batchScoresAFileAndListsABadRow()
{
    // 400 rows (lines 2..401) with the target as an extra column; line 101 gets a bad x1.
    QList<QByteArray> lines = testutil::trainingCsv(testutil::Target::Binary, 400, 11).split('\n');
    QList<QByteArray> fields = lines[100].split(',');
    fields[0] = "abc";
    lines[100] = fields.join(',');
    const QString input = test::writeFile(mDirectory, u"batch.csv"_s, lines.join('\n'));
    QVERIFY(!input.isEmpty());

    BatchRun run(load(mLogistic));
    BatchScoringPanel *panel = run.panel;
    QSignalSpy &finished = run.finished;
    QVERIFY(run.scoreAndWait(input));
    QCOMPARE(finished.front().at(0).toBool(), true);
    QCOMPARE(panel->resultsModel()->rowCount(), 399);
    // The 7 input columns, the prediction and one probability per class.
    QCOMPARE(panel->resultsModel()->columnCount(), 7 + 1 + 2);
    QCOMPARE(panel->resultsModel()->headerData(7, Qt::Horizontal).toString(), u"prediction"_s);
    QCOMPARE(panel->resultsModel()->headerData(9, Qt::Horizontal).toString(), u"proba:yes"_s);
    QCOMPARE(panel->problemsTable()->rowCount(), 1);
    QCOMPARE(panel->problemsTable()->item(0, 0)->text(), u"101"_s); // 1-based line, the header is line 1
    QVERIFY(panel->problemsTable()->item(0, 1)->text().contains(u"x1"_s));
    QVERIFY(panel->summary().startsWith(u"399 rows scored, 1 not scored"_s));
    // Probabilities read as six significant digits (formatNumber); the exact value, as exported,
    // is the tooltip; the column is wide enough for its header and its values (none elided).
    const Dataset &scored = *panel->job()->result()->table;
    QTableView *table = panel->resultsTable();
    const QFontMetrics metrics(table->font());
    for (int row = 0; row < 20; ++row) {
        const QModelIndex cell = panel->resultsModel()->index(row, 9);
        const double probability = scored.column(9).numbers()[std::size_t(row)];
        QCOMPARE(cell.data().toString(), formatNumber(probability));
        QVERIFY2(cell.data().toString().size() <= 9, qPrintable(cell.data().toString())); // "0." and 6 digits, or 2.56e-06
        QCOMPARE(cell.data(Qt::ToolTipRole).toString(), scored.column(9).displayText(std::size_t(row)));
        QVERIFY(table->columnWidth(9) > metrics.horizontalAdvance(cell.data().toString()));
    }
    for (int column = 0; column < panel->resultsModel()->columnCount(); ++column) // no header cut
        QVERIFY2(table->columnWidth(column) >= table->horizontalHeader()->sectionSizeHint(column),
                 qPrintable(panel->resultsModel()->headerData(column, Qt::Horizontal).toString()));
}

void TestPredictView::missingColumnIsAClearError()
{
    const QString input = test::writeFile(mDirectory, u"no-x2.csv"_s, "x1,x3,color,size,flag\n0.5,3,red,M,true\n");
    QVERIFY(!input.isEmpty());
    BatchRun run(load(mLogistic));
    BatchScoringPanel *panel = run.panel;
    QSignalSpy &finished = run.finished;
    QVERIFY(run.scoreAndWait(input));
    QCOMPARE(finished.front().at(0).toBool(), false);
    QCOMPARE(panel->banner()->kind(), MessageBanner::Kind::Error);
    QVERIFY2(panel->banner()->text().contains(u"'x2'"_s), qPrintable(panel->banner()->text()));
    QCOMPARE(panel->resultsModel()->rowCount(), 0);
}

void TestPredictView::cancelStopsScoring()
{
    // About 12 MB, several 2 MiB chunks: Cancel right after the start lands before the last one.
    const QString input = test::writeFile(mDirectory, u"large.csv"_s, testutil::trainingCsv(testutil::Target::Binary, 250000, 3));
    QVERIFY(!input.isEmpty());
    BatchRun run(load(mLogistic));
    BatchScoringPanel *panel = run.panel;
    QSignalSpy &finished = run.finished;
    QVERIFY(panel->scoreFile(input));
    panel->cancel();
    QVERIFY(waitForRun(*panel, finished));
    QCOMPARE(finished.front().at(0).toBool(), false);
    QCOMPARE(finished.front().at(1).toBool(), true);
    QVERIFY(!panel->job()->result());
    QCOMPARE(panel->banner()->kind(), MessageBanner::Kind::Notice); // a cancel is the user's choice, not a warning
    QCOMPARE(panel->resultsModel()->rowCount(), 0);
}

void TestPredictView::exportWritesTheScoredRows()
{
    const QString input = test::writeFile(mDirectory, u"export-input.csv"_s, testutil::scoringCsv()); // 7 rows, all valid for the imputing pipeline
    QVERIFY(!input.isEmpty());
    BatchRun run(load(mTree));
    BatchScoringPanel *panel = run.panel;
    QSignalSpy &finished = run.finished;
    QVERIFY(run.scoreAndWait(input));
    QCOMPARE(finished.front().at(0).toBool(), true);
    const QString output = path(u"scored.csv"_s);
    QSignalSpy exported(panel->job(), &BatchScoringJob::exportFinished);
    QVERIFY(panel->exportTo(output));
    QVERIFY(exported.wait(kLoadTimeoutMs));
    QCOMPARE(exported.front().at(0).toBool(), true);
    // The export says where the file went (no silent success).
    QCOMPARE(panel->banner()->kind(), MessageBanner::Kind::Notice);
    QCOMPARE(panel->banner()->text(), u"Exported 7 scored rows to %1"_s.arg(QDir::toNativeSeparators(output)));
    const Result<Dataset> written = CsvReader::readFile(output);
    QVERIFY(written.ok());
    QCOMPARE(written.value().rowCount(), std::size_t(7));
    QCOMPARE(written.value().column(6).name(), u"prediction"_s);
    // The exported predictions are the table's.
    for (int row = 0; row < 7; ++row)
        QCOMPARE(written.value().column(6).displayText(std::size_t(row)),
                 panel->resultsModel()->index(row, 6).data().toString());
}

void TestPredictView::followsTheModelsView()
{
    MainWindow window(MainWindow::Persistence::Forget);
    QSignalSpy loaded(window.modelsView()->document(), &ModelDocument::modelLoaded);
    QVERIFY(window.openPath(mTree));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    PredictView *view = window.predictView();
    QVERIFY(view->model());
    QCOMPARE(view->model()->path, QFileInfo(mTree).absoluteFilePath());
    QCOMPARE(view->form()->fieldCount(), 6);
    QCOMPARE(window.viewWidget(MainWindow::View::Predict), view);
}

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestPredictView)
#include "tst_predictview.moc"
