// The validation charts a model file keeps (ModelMetadata::evaluation): compactEvaluation thins
// them to a bounded size without moving their ends, and they come back from a saved model exactly
// as compacted; malformed charts are refused naming the field.
// The evaluations are computed here from generated scores (evaluateClassification /
// evaluateRegression), so the expected values are the core's own before saving.

#include "artifacttestutil.h"

#include "artifact/evaluationjson.h"
#include "artifact/modelartifact.h"

#include <QJsonArray>
#include <QTest>

#include <random>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

// n rows of two or three classes with noisy probabilities: every score distinct, so the ROC and
// precision-recall curves have about one point per row before thinning.
Evaluation classification(int rows, int classes, unsigned seed)
{
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Labels truth(std::size_t(rows), 0);
    Eigen::MatrixXd probabilities(rows, classes);
    for (int i = 0; i < rows; ++i) {
        truth[std::size_t(i)] = int(random() % unsigned(classes));
        double total = 0;
        for (int c = 0; c < classes; ++c) {
            probabilities(i, c) = uniform(random) + (c == truth[std::size_t(i)] ? 0.8 : 0.0);
            total += probabilities(i, c);
        }
        probabilities.row(i) /= total;
    }
    QStringList labels;
    for (int c = 0; c < classes; ++c)
        labels.append(u"class-%1"_s.arg(c));
    return evaluateClassification(truth, probabilities, labels);
}

void compareCurves(const CurvePoints &actual, const CurvePoints &expected)
{
    QCOMPARE(actual.x, expected.x);
    QCOMPARE(actual.y, expected.y);
}

} // namespace

class TestEvaluationJson : public QObject
{
    Q_OBJECT

private slots:
    void compactingKeepsEndsAndBoundsSize();
    void chartsComeBackFromAModelFile_data();
    void chartsComeBackFromAModelFile();
    void malformedChartsAreRefused_data();
    void malformedChartsAreRefused();
};

void TestEvaluationJson::compactingKeepsEndsAndBoundsSize()
{
    const Evaluation full = classification(5000, 2, 1);
    // Distinct scores: the precision-recall curve has a point per threshold, far more than kept.
    QVERIFY(full.precisionRecall.x.size() > 1000);
    const Evaluation compact = compactEvaluation(full, 200);
    QVERIFY(compact.precisionRecall.x.size() <= 200);
    QCOMPARE(compact.precisionRecall.x.front(), full.precisionRecall.x.front());
    QCOMPARE(compact.precisionRecall.y.back(), full.precisionRecall.y.back());
    QVERIFY(compact.roc.x.size() <= 200);
    QCOMPARE(compact.roc.x.back(), full.roc.x.back());
    QCOMPARE(compact.confusion, full.confusion);
    QCOMPARE(compact.metrics.size(), full.metrics.size());

    Eigen::VectorXd actual = Eigen::VectorXd::LinSpaced(10000, 0.0, 9999.0);
    const Evaluation regression = compactEvaluation(evaluateRegression(actual, actual * 0.5), 200, 8, 2000);
    QCOMPARE(regression.actual.size(), Eigen::Index(2000)); // every 5th of 10,000
    QCOMPARE(regression.actual[1], 5.0);
    QCOMPARE(regression.predicted[1], 2.5);
}

void TestEvaluationJson::chartsComeBackFromAModelFile_data()
{
    QTest::addColumn<int>("classes"); // 0: regression
    QTest::newRow("binary") << 2;
    QTest::newRow("three-classes") << 3;
    QTest::newRow("regression") << 0;
}

void TestEvaluationJson::chartsComeBackFromAModelFile()
{
    QFETCH(int, classes);
    Evaluation evaluation;
    if (classes > 0) {
        evaluation = compactEvaluation(classification(600, classes, 2));
    } else {
        const Eigen::VectorXd actual = Eigen::VectorXd::LinSpaced(300, -1.0, 2.0);
        evaluation = compactEvaluation(evaluateRegression(actual, actual.array().square().matrix()));
    }
    const Dataset data = testutil::readCsv(testutil::trainingCsv(testutil::Target::Regression, 60, 3), u"t.csv"_s).value();
    const Result<Pipeline> pipeline = testutil::fittedDefaults(data, {u"x1"_s}, u"ridge"_s, u"y"_s);
    QVERIFY(pipeline.ok());
    ModelMetadata metadata = testutil::sampleMetadata();
    metadata.metrics = evaluation.metrics;
    metadata.evaluation = evaluation;
    const Result<ModelArtifact> decoded = decodeModelArtifact(encodeModelArtifact(pipeline.value(), metadata, {}), u"m.plumb"_s);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QVERIFY(decoded.value().metadata.evaluation.has_value());
    const Evaluation &back = *decoded.value().metadata.evaluation;
    QCOMPARE(int(back.task), int(evaluation.task));
    QCOMPARE(back.classes, evaluation.classes);
    QCOMPARE(back.confusion, evaluation.confusion);
    compareCurves(back.roc, evaluation.roc);
    compareCurves(back.precisionRecall, evaluation.precisionRecall);
    compareCurves(back.calibration, evaluation.calibration);
    QCOMPARE(back.classRoc.size(), evaluation.classRoc.size());
    for (std::size_t c = 0; c < evaluation.classRoc.size(); ++c)
        compareCurves(back.classCalibration[c], evaluation.classCalibration[c]);
    QCOMPARE(back.actual, evaluation.actual);
    QCOMPARE(back.predicted, evaluation.predicted);
    QCOMPARE(back.metric(u"roc_auc"_s) == evaluation.metric(u"roc_auc"_s), classes > 0);
}

void TestEvaluationJson::malformedChartsAreRefused_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown-field") << u"extra"_s << u"unknown field \"surprise\""_s;
    QTest::newRow("curve-lengths-differ") << u"short-y"_s << u"roc has 2 x values and 1 y values"_s;
    QTest::newRow("confusion-not-square") << u"ragged-confusion"_s << u"confusion[1] must have one count per class (2)"_s;
    QTest::newRow("negative-count") << u"negative-count"_s << u"confusion[0][1] is not a count"_s;
    QTest::newRow("unknown-task") << u"task"_s << u"task must be \"classification\" or \"regression\""_s;
}

void TestEvaluationJson::malformedChartsAreRefused()
{
    QFETCH(QString, edit);
    QFETCH(QString, reason);
    QJsonObject json{{u"task"_s, u"classification"_s},
                     {u"classes"_s, QJsonArray{u"no"_s, u"yes"_s}},
                     {u"confusion"_s, QJsonArray{QJsonArray{5, 1}, QJsonArray{2, 7}}},
                     {u"roc"_s, QJsonObject{{u"x"_s, QJsonArray{0.0, 1.0}}, {u"y"_s, QJsonArray{0.0, 1.0}}}}};
    QVERIFY(evaluationFromJson(json, u"charts"_s).ok()); // the unedited object reads
    if (edit == u"extra"_s)
        json.insert(u"surprise"_s, 1);
    else if (edit == u"short-y"_s)
        json.insert(u"roc"_s, QJsonObject{{u"x"_s, QJsonArray{0.0, 1.0}}, {u"y"_s, QJsonArray{0.0}}});
    else if (edit == u"ragged-confusion"_s)
        json.insert(u"confusion"_s, QJsonArray{QJsonArray{5, 1}, QJsonArray{2}});
    else if (edit == u"negative-count"_s)
        json.insert(u"confusion"_s, QJsonArray{QJsonArray{5, -1}, QJsonArray{2, 7}});
    else if (edit == u"task"_s)
        json.insert(u"task"_s, u"ranking"_s);
    const Result<Evaluation> read = evaluationFromJson(json, u"charts"_s);
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.contains(reason), qPrintable(read.error().message));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestEvaluationJson)
#include "tst_evaluationjson.moc"
