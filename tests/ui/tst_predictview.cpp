// The Predict view on models this suite trains and saves itself (logistic regression, a decision
// tree, gradient boosting and kNN on the generated table of tests/artifact: features x1, x2
// (float), x3 (integer), color, size (categorical), flag (boolean); target "label" with classes
// no/yes). Expected predictions come from Pipeline::predict on the same row read as a table;
// expected SHAP values from ShapExplainer on that table's row, with linear models' training means
// computed from the training rows themselves; expected counts and lines from the files the tests
// write.

#include "artifacttestutil.h"
#include "uitestsupport.h"

#include "data/csvreader.h"
#include "learn/shapexplainer.h"
#include "learn/trainer.h"
#include "ui/charts/barchart.h"
#include "ui/common/displayformat.h"
#include "ui/common/messagebanner.h"
#include "ui/data/datasettablemodel.h"
#include "ui/mainwindow.h"
#include "ui/models/modelsview.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/predictview.h"
#include "ui/predict/scoringform.h"

#include <QComboBox>
#include <QFontMetrics>
#include <QHeaderView>
#include <QJsonArray>
#include <QLineEdit>
#include <QTableView>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace plumb::ui {

namespace {

using test::kLoadTimeoutMs;

// The 300 training rows every model of the suite is fitted on (with a 25% holdout) and profiled on.
Result<Dataset> trainingData()
{
    return testutil::readCsv(testutil::trainingCsv(testutil::Target::Binary, 300, 5), u"churn-sample.csv"_s);
}

std::optional<QString> trainAndSave(const QString &path, const QString &kind)
{
    Result<Dataset> data = trainingData();
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

// The row as a one-row table, each column read as its feature's type.
Result<Dataset> rowTable(const Pipeline &pipeline, const QStringList &values)
{
    CsvOptions options;
    options.header = CsvOptions::Header::Present;
    QStringList names;
    for (const FeatureSpec &feature : pipeline.features()) {
        names.append(feature.name);
        options.typeOverrides.insert(feature.name, feature.type);
    }
    const QByteArray csv = (names.join(u',') + u'\n' + values.join(u',') + u'\n').toUtf8();
    return CsvReader::readBytes(csv, u"row.csv"_s, options);
}

// Pipeline::predict on the row as a one-row table.
Result<Prediction> predictRow(const Pipeline &pipeline, const QStringList &values)
{
    Result<Dataset> row = rowTable(pipeline, values);
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
    explicit BatchRun(LoadedModelPtr model)
        : panel(showModel(view, std::move(model))), finished(panel->job(), &BatchScoringJob::finished)
    {
    }

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
    void contributionsAreExactShap_data();
    void contributionsAreExactShap();
    void knnSaysItHasNoExactExplanation();
    void oldBoostingFileSaysWhatItCanGive_data();
    void oldBoostingFileSaysWhatItCanGive();
    void batchScoresAFileAndListsABadRow();
    void missingColumnIsAClearError();
    void quotedColumnNameKeepsItsComma_data();
    void quotedColumnNameKeepsItsComma();
    void cancelStopsScoring();
    void exportWritesTheScoredRows();
    void followsTheModelsView();

private:
    QString path(const QString &name) const { return QDir(mDirectory.path()).filePath(name); }

    QTemporaryDir mDirectory;
    QString modelPath(const QString &kind) const { return path(kind + u".plumb"_s); }

    QString mLogistic;
    QString mTree;
};

void TestPredictView::initTestCase()
{
    QVERIFY(mDirectory.isValid());
    qputenv("PLUMB_KEYRING", path(u"no-keyring"_s).toUtf8()); // never the user's keyring
    mLogistic = modelPath(u"logistic_regression"_s);
    mTree = modelPath(u"decision_tree"_s);
    for (const QString &kind : {u"logistic_regression"_s, u"decision_tree"_s, u"gradient_boosting"_s, u"knn"_s}) {
        const std::optional<QString> error = trainAndSave(modelPath(kind), kind);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    }
}

void TestPredictView::formPredictionMatchesPipeline_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("values"); // x1, x2, x3, color, size, flag
    QTest::newRow("logistic-ordinary-row") << "logistic"
                                           << QStringList{u"0.5"_s, u"-1.25"_s, u"3"_s, u"red"_s, u"M"_s, u"true"_s};
    QTest::newRow("logistic-empty-fields-imputed")
        << "logistic" << QStringList{QString(), u"0.8"_s, u"7"_s, QString(), u"S"_s, u"false"_s};
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
    QTest::newRow("above-range") << "x1"
                                 << "1000000" << int(ScoringForm::Status::Warning) << "training range";
    QTest::newRow("below-range") << "x2"
                                 << "-1e6" << int(ScoringForm::Status::Warning) << "training range";
    QTest::newRow("unknown-category") << "color"
                                      << "purple" << int(ScoringForm::Status::Warning) << "not seen in training";
    QTest::newRow("not-a-number") << "x3"
                                  << "abc" << int(ScoringForm::Status::Invalid) << "not a number";
    QTest::newRow("in-range") << "x3"
                              << "4" << int(ScoringForm::Status::Ok) << "";
    QTest::newRow("known-category") << "size"
                                    << "XL" << int(ScoringForm::Status::Ok) << "";
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

void TestPredictView::contributionsAreExactShap_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("values"); // x1, x2, x3, color, size, flag
    const QStringList row{u"0.5"_s, u"-1.25"_s, u"3"_s, u"red"_s, u"M"_s, u"true"_s};
    const QStringList other{u"2.0"_s, u"-2.0"_s, u"9"_s, u"blue"_s, u"XL"_s, u"false"_s};
    // Trees and forests explain the probability; boosting and logistic regression the log-odds.
    QTest::newRow("tree") << "decision_tree"
                          << "exact TreeSHAP"
                          << "probability of 'yes'" << row;
    QTest::newRow("boosting") << "gradient_boosting"
                              << "exact TreeSHAP"
                              << "log-odds of 'yes'" << row;
    QTest::newRow("boosting-other-row") << "gradient_boosting"
                                        << "exact TreeSHAP"
                                        << "log-odds of 'yes'" << other;
    QTest::newRow("logistic-profile-means") << "logistic_regression"
                                            << "exact linear SHAP"
                                            << "log-odds of 'yes'" << row;
    QTest::newRow("logistic-empty-fields-imputed")
        << "logistic_regression"
        << "exact linear SHAP"
        << "log-odds of 'yes'" << QStringList{QString(), u"0.8"_s, u"7"_s, QString(), u"S"_s, u"false"_s};
}

// The chart's values are ShapExplainer's on the row read as a table (for logistic regression,
// with the training means computed from the 300 training rows, not from the model file's profile
// the view uses); base + contributions is the output the probabilities give (log-odds: log(p/(1-p))),
// and the title, the axis and the sentence under the chart say which output, the base and the total.
void TestPredictView::contributionsAreExactShap()
{
    QFETCH(QString, kind);
    QFETCH(QString, method);
    QFETCH(QString, output);
    QFETCH(QStringList, values);
    LoadedModelPtr loaded = load(modelPath(kind));
    QVERIFY(loaded);
    const Pipeline &pipeline = loaded->pipeline();
    PredictView view;
    view.setModel(loaded);
    const QStringList features = testutil::featureNames();
    for (qsizetype i = 0; i < features.size(); ++i)
        type(*view.form(), features[i], values[i]);
    QVERIFY(!view.predictionText().isEmpty());
    QVERIFY(view.noExplanationReason().isEmpty());
    QVERIFY(view.contributionChart()->isVisibleTo(&view));

    Result<Dataset> row = rowTable(pipeline, values);
    QVERIFY(row);
    TransformNotes notes;
    const Eigen::VectorXd inputs = pipeline.router().transform(row.value(), {}, notes).row(0).transpose();
    Eigen::VectorXd means;
    if (kind == u"logistic_regression"_s)
        means = inputMeans(pipeline, trainingData().value()).value();
    const ShapExplainer explainer = ShapExplainer::create(pipeline, means).value();
    const ShapValues expected = explainer.explainRow(inputs).value();

    const ShownExplanation &shown = view.explanation();
    QCOMPARE(shown.output, output);
    QCOMPARE(shown.method, method);
    QVERIFY2(std::abs(shown.base - expected.base[0]) < 1e-9,
             qPrintable(u"%1 vs %2"_s.arg(shown.base, 0, 'g', 17).arg(expected.base[0], 0, 'g', 17)));
    QCOMPARE(shown.values.size(), features.size());
    for (std::size_t f = 0; f < shown.values.size(); ++f)
        QVERIFY2(std::abs(shown.values[f] - expected.value(f, 0)) < 1e-9,
                 qPrintable(u"%1: %2, expected %3"_s.arg(features[qsizetype(f)]).arg(shown.values[f]).arg(expected.value(f, 0))));
    // Additivity against the scored probabilities, which do not come from the explainer.
    const double p = view.outputs()[1];
    const double modelOutput = output.startsWith(u"log-odds"_s) ? std::log(p / (1 - p)) : p;
    QVERIFY2(std::abs(shown.total() - modelOutput) < 1e-9, qPrintable(u"%1 vs %2"_s.arg(shown.total()).arg(modelOutput)));

    QCOMPARE(view.contributionChart()->barCount(), 6); // one bar per feature (fewer than ten)
    QVERIFY(view.contributionChart()->title().contains(output));
    QVERIFY(view.contributionChart()->title().contains(method));
    const QString text = view.explanationText();
    QVERIFY2(text.contains(u"the %1"_s.arg(output)) && text.contains(u"Base value %1"_s.arg(formatNumber(shown.base)))
                 && text.contains(u"= %1"_s.arg(formatNumber(shown.total()))),
             qPrintable(text));
}

// kNN has no exact explanation: the view says so in words instead of drawing a chart.
void TestPredictView::knnSaysItHasNoExactExplanation()
{
    PredictView view;
    view.setModel(load(modelPath(u"knn"_s)));
    QVERIFY(!view.predictionText().isEmpty()); // it still predicts
    QVERIFY2(view.noExplanationReason().startsWith(u"No exact explanation for knn models"_s),
             qPrintable(view.noExplanationReason()));
    QVERIFY(!view.contributionChart()->isVisibleTo(&view));
    QVERIFY(view.explanation().values.empty());
    QVERIFY(view.explanationText().isEmpty());
}

void TestPredictView::oldBoostingFileSaysWhatItCanGive_data()
{
    QTest::addColumn<bool>("importance"); // the file holds permutation importance
    QTest::newRow("with-permutation-importance") << true;
    QTest::newRow("without-permutation-importance") << false;
}

// A boosting file saved before node covers were stored predicts but has no SHAP values: the view
// says a file saved by this version is needed (train again), and offers the file's permutation
// importance when it holds one.
void TestPredictView::oldBoostingFileSaysWhatItCanGive()
{
    QFETCH(bool, importance);
    QFile fresh(modelPath(u"gradient_boosting"_s));
    QVERIFY(fresh.open(QIODevice::ReadOnly));
    QByteArray old = testutil::withoutNodeCovers(fresh.readAll());
    if (importance)
        old = testutil::withEditedManifest(old, [](QJsonObject &manifest) {
            const QJsonObject measured{
                {u"metric"_s, u"accuracy"_s},
                {u"baseline"_s, 0.9},
                {u"features"_s, QJsonArray{QJsonObject{{u"feature"_s, u"x1"_s}, {u"mean"_s, 0.1}, {u"std"_s, 0.01}}}}};
            testutil::setAt(manifest, {u"metadata"_s, u"validation"_s, u"importance"_s}, measured);
        });
    const QString oldPath = path(u"boosting-old.plumb"_s);
    QFile out(oldPath);
    QVERIFY(out.open(QIODevice::WriteOnly) && out.write(old) == old.size());
    out.close();
    LoadedModelPtr loaded = load(oldPath);
    QVERIFY(loaded);
    PredictView view;
    view.setModel(loaded);
    QVERIFY(!view.predictionText().isEmpty()); // it still predicts
    const QString reason = view.noExplanationReason();
    QVERIFY2(reason.startsWith(u"No SHAP values from this model file."_s), qPrintable(reason));
    QVERIFY2(reason.contains(u"saved by an earlier version of Plumb. Train the model again with this version"_s),
             qPrintable(reason));
    QCOMPARE(reason.contains(u"The permutation importance stored in the model file is available instead"_s), importance);
    QVERIFY(!view.contributionChart()->isVisibleTo(&view));
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

// A column name quoted because it holds the delimiter is one column of the table, named as in the
// file, whether rows were scored or all refused (the table used to be the scored CSV read back,
// and with no scored row its header was split on every comma).
void TestPredictView::quotedColumnNameKeepsItsComma_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<int>("scored");
    QTest::newRow("scored") << QByteArray("\"a, 1\",0.5,1.5,3,red,M,true") << 1;
    QTest::newRow("all-refused") << QByteArray("\"a, 1\",abc,1.5,3,red,M,true") << 0;
}

void TestPredictView::quotedColumnNameKeepsItsComma()
{
    QFETCH(QByteArray, row);
    QFETCH(int, scored);
    const QString input = test::writeFile(mDirectory, u"quoted-%1.csv"_s.arg(scored),
                                          "\"id, external\",x1,x2,x3,color,size,flag\n" + row + '\n');
    QVERIFY(!input.isEmpty());
    BatchRun run(load(mLogistic));
    QVERIFY(run.scoreAndWait(input));
    QCOMPARE(run.finished.front().at(0).toBool(), true);
    const Dataset &table = *run.panel->job()->result()->table;
    QCOMPARE(table.rowCount(), std::size_t(scored));
    // The id, the six features, the prediction and one probability per class (no, yes).
    QCOMPARE(table.columnCount(), std::size_t(1 + 6 + 1 + 2));
    QCOMPARE(table.column(0).name(), u"id, external"_s);
    QCOMPARE(table.column(1).name(), u"x1"_s);
    QCOMPARE(table.column(7).name(), u"prediction"_s);
    if (scored)
        QCOMPARE(table.column(0).displayText(0), u"a, 1"_s);
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
    const QString input = test::writeFile(mDirectory, u"export-input.csv"_s,
                                          testutil::scoringCsv()); // 7 rows, all valid for the imputing pipeline
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
        QCOMPARE(written.value().column(6).displayText(std::size_t(row)), panel->resultsModel()->index(row, 6).data().toString());
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
