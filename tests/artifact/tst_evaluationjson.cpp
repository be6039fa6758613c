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

#include <algorithm>
#include <cmath>
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
    void undefinedValuesKeepTheirReason_data();
    void undefinedValuesKeepTheirReason();
    void formatOneReadersAcceptUndefinedCharts();
    void malformedReasonsAreRefused_data();
    void malformedReasonsAreRefused();
    void shapSummaryComesBackFromAModelFile();
    void malformedShapSummariesAreRefused_data();
    void malformedShapSummariesAreRefused();
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

namespace {

// Three classes a, b, c; the rows hold only a and b (c absent, as a class missing from a holdout).
Evaluation classMissing()
{
    const Labels truth{0, 1, 0, 1, 0};
    Eigen::MatrixXd probabilities(5, 3);
    probabilities << 0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.5, 0.4, 0.1, 0.2, 0.7, 0.1, 0.8, 0.1, 0.1;
    return evaluateClassification(truth, probabilities, {u"a"_s, u"b"_s, u"c"_s});
}

// Two classes, only "yes" in the rows.
Evaluation onlyPositives()
{
    Eigen::MatrixXd probabilities(3, 2);
    probabilities << 0.4, 0.6, 0.2, 0.8, 0.7, 0.3;
    return evaluateClassification({1, 1, 1}, probabilities, {u"no"_s, u"yes"_s});
}

Result<ModelArtifact> throughAFile(const Evaluation &evaluation, ModelMetadata metadata = testutil::sampleMetadata())
{
    const Dataset data = testutil::readCsv(testutil::trainingCsv(testutil::Target::Regression, 60, 3), u"t.csv"_s).value();
    const Result<Pipeline> pipeline = testutil::fittedDefaults(data, {u"x1"_s}, u"ridge"_s, u"y"_s);
    if (!pipeline)
        return pipeline.error();
    metadata.metrics = evaluation.metrics;
    metadata.metricReasons.clear();
    metadata.evaluation = compactEvaluation(evaluation);
    return decodeModelArtifact(encodeModelArtifact(pipeline.value(), metadata, {}), u"m.plumb"_s);
}

} // namespace

void TestEvaluationJson::undefinedValuesKeepTheirReason_data()
{
    QTest::addColumn<QString>("rows");
    QTest::addColumn<QString>("key"); // a metric name or chart key
    QTest::addColumn<QString>("reason"); // evaluation.h's reasons

    QTest::newRow("auc-class-missing") << u"class-missing"_s << u"roc_auc"_s << u"class 'c' has no validation rows"_s;
    QTest::newRow("roc-class-missing") << u"class-missing"_s << u"class_roc[2]"_s << u"class 'c' has no validation rows"_s;
    QTest::newRow("pr-class-missing") << u"class-missing"_s << u"class_precision_recall[2]"_s
                                      << u"class 'c' has no validation rows"_s;
    QTest::newRow("auc-one-class") << u"only-positives"_s << u"roc_auc"_s << u"class 'no' has no validation rows"_s;
    QTest::newRow("roc-one-class") << u"only-positives"_s << u"roc"_s << u"class 'no' has no validation rows"_s;
    // R² = 1 - SSres / SStot, and SStot = 0 for a constant truth.
    QTest::newRow("r2-constant-target") << u"constant-target"_s << u"r2"_s
                                        << u"the target is 4 on every validation row (R² divides by its variance)"_s;
    // |y - yhat| / |y| with y = 0.
    QTest::newRow("mape-zero-target") << u"zero-target"_s << u"mape"_s
                                      << u"the target is 0 on 1 of 3 validation rows (a percentage of 0)"_s;
    QTest::newRow("no-rows") << u"no-rows"_s << u"accuracy"_s << u"there are no validation rows"_s;
}

void TestEvaluationJson::undefinedValuesKeepTheirReason()
{
    QFETCH(QString, rows);
    QFETCH(QString, key);
    QFETCH(QString, reason);
    Evaluation evaluation;
    if (rows == u"class-missing"_s)
        evaluation = classMissing();
    else if (rows == u"only-positives"_s)
        evaluation = onlyPositives();
    else if (rows == u"constant-target"_s)
        evaluation = evaluateRegression(Eigen::Vector3d(4, 4, 4), Eigen::Vector3d(3, 4, 5));
    else if (rows == u"zero-target"_s)
        evaluation = evaluateRegression(Eigen::Vector3d(0, 1, 2), Eigen::Vector3d(0.5, 1, 2));
    else
        evaluation = evaluateClassification({}, Eigen::MatrixXd(0, 3), {u"a"_s, u"b"_s, u"c"_s});
    QCOMPARE(evaluation.undefinedReason(key), reason);
    // Every metric is finite or undefined with a reason; never NaN without one.
    for (const auto &[name, value] : evaluation.metrics)
        QVERIFY2(std::isfinite(value) != !evaluation.undefinedReason(name).isEmpty(), qPrintable(name));

    const Result<ModelArtifact> decoded = throughAFile(evaluation);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    const ModelMetadata &m = decoded.value().metadata;
    QVERIFY(m.evaluation.has_value());
    QCOMPARE(m.evaluation->undefinedReason(key), reason);
    if (std::any_of(m.metrics.begin(), m.metrics.end(), [&](const auto &metric) { return metric.first == key; })) {
        QVERIFY(std::isnan(m.evaluation->metric(key)));
        QCOMPARE(m.metricReason(key), reason);
        QCOMPARE(undefinedText(m.metricReason(key)), u"not defined: "_s + reason); // as inspect and the Models view show it
    }
}

// A format-1 reader (before reasons were kept) refuses unknown fields in "charts" and curves that
// are not exactly {x, y}, reads a null metric value as NaN and ignores other fields of
// "validation": the file of a validation with an undefined chart passes those rules.
void TestEvaluationJson::formatOneReadersAcceptUndefinedCharts()
{
    ModelMetadata metadata = testutil::sampleMetadata();
    const Evaluation evaluation = classMissing();
    metadata.metrics = evaluation.metrics;
    metadata.evaluation = compactEvaluation(evaluation);
    const QJsonObject validation = metadata.toJson().value(u"validation"_s).toObject();
    const QJsonObject charts = validation.value(u"charts"_s).toObject();
    const QStringList formatOneChartFields{u"task"_s,
                                           u"classes"_s,
                                           u"confusion"_s,
                                           u"roc"_s,
                                           u"precision_recall"_s,
                                           u"calibration"_s,
                                           u"class_roc"_s,
                                           u"class_precision_recall"_s,
                                           u"class_calibration"_s,
                                           u"actual"_s,
                                           u"predicted"_s};
    for (const QString &key : charts.keys())
        QVERIFY2(formatOneChartFields.contains(key), qPrintable(key));
    const QJsonObject missing = charts.value(u"class_roc"_s).toArray().at(2).toObject();
    QCOMPARE(missing, (QJsonObject{{u"x"_s, QJsonArray()}, {u"y"_s, QJsonArray()}}));
    QCOMPARE(validation.value(u"undefined_charts"_s).toObject().value(u"class_roc[2]"_s).toString(),
             u"class 'c' has no validation rows"_s);
    for (const QJsonValue &metric : validation.value(u"metrics"_s).toArray())
        if (metric[u"name"_s].toString() == u"roc_auc"_s) {
            QVERIFY(metric[u"value"_s].isNull());
            QCOMPARE(metric[u"undefined"_s].toString(), u"class 'c' has no validation rows"_s);
        }
}

void TestEvaluationJson::malformedReasonsAreRefused_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("message");
    QTest::newRow("reason-for-a-drawn-chart") << u"drawn"_s << u"\"class_roc[0]\" is said to be undefined but holds points"_s;
    QTest::newRow("reason-for-an-unknown-chart") << u"unknown"_s << u"\"class_roc[7]\" is not a chart of this validation"_s;
    QTest::newRow("empty-reason") << u"empty"_s << u"class_roc[2] must be the reason, as text"_s;
    QTest::newRow("reason-beside-a-number") << u"metric-value"_s
                                            << u"\"validation.metrics[0].undefined\" is the reason, as text, of a null value"_s;
    QTest::newRow("unknown-validation-field")
        << u"validation-field"_s << u"\"validation.surprise\" is not a field this version knows"_s;
}

void TestEvaluationJson::malformedReasonsAreRefused()
{
    QFETCH(QString, edit);
    QFETCH(QString, message);
    ModelMetadata metadata = testutil::sampleMetadata();
    const Evaluation evaluation = classMissing();
    metadata.metrics = evaluation.metrics;
    metadata.evaluation = compactEvaluation(evaluation);
    QJsonObject json = metadata.toJson();
    QVERIFY(ModelMetadata::fromJson(json, u"m.plumb"_s, kModelFormatVersion).ok()); // unedited, it reads
    QJsonObject validation = json.value(u"validation"_s).toObject();
    QJsonObject reasons = validation.value(u"undefined_charts"_s).toObject();
    if (edit == u"drawn"_s) {
        reasons.insert(u"class_roc[0]"_s, u"made up"_s);
    } else if (edit == u"unknown"_s) {
        reasons.insert(u"class_roc[7]"_s, u"made up"_s);
    } else if (edit == u"empty"_s) {
        reasons.insert(u"class_roc[2]"_s, QString());
    } else if (edit == u"metric-value"_s) {
        QJsonArray metrics = validation.value(u"metrics"_s).toArray();
        metrics[0] = QJsonObject{{u"name"_s, u"accuracy"_s}, {u"value"_s, 0.5}, {u"undefined"_s, u"made up"_s}};
        validation.insert(u"metrics"_s, metrics);
    } else {
        validation.insert(u"surprise"_s, 1);
    }
    validation.insert(u"undefined_charts"_s, reasons);
    json.insert(u"validation"_s, validation);
    const Result<ModelMetadata> read = ModelMetadata::fromJson(json, u"m.plumb"_s, kModelFormatVersion);
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.contains(message), qPrintable(read.error().message));
}

namespace {

// Two classes of three (one output each would be one; three outputs make the lengths telling),
// two features, two beeswarm rows: every field written, by hand.
ShapSummary sampleShap()
{
    ShapSummary shap;
    shap.method = ShapMethod::TreeShap;
    shap.space = u"logit"_s;
    shap.outputs = QStringList{u"logit of 'a'"_s, u"logit of 'b'"_s, u"logit of 'c'"_s};
    shap.outputLabels = QStringList{u"a"_s, u"b"_s, u"c"_s};
    shap.base = {0.25, -1.5, 1.25};
    shap.validationRows = 40;
    shap.explainedRows = 40;
    shap.features.push_back({u"x1"_s, false, {0.5, 0.25, 0.125}, {1, -1, 0.5, 2, 0, -0.25}, {0.0, 1.0}});
    shap.features.push_back({u"colour"_s, true, {0.0, 0.75, 1e-300}, {0, 0, 0, 0.5, -0.5, 3}, {-1.0, -1.0}});
    return shap;
}

} // namespace

void TestEvaluationJson::shapSummaryComesBackFromAModelFile()
{
    ModelMetadata metadata = testutil::sampleMetadata();
    metadata.shap = sampleShap();
    const Result<ModelMetadata> read = ModelMetadata::fromJson(metadata.toJson(), u"m.plumb"_s, kModelFormatVersion);
    QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
    const ShapSummary &shap = read.value().shap;
    const ShapSummary expected = sampleShap();
    QCOMPARE(shap.method, expected.method);
    QCOMPARE(shap.space, expected.space);
    QCOMPARE(shap.outputs, expected.outputs);
    QCOMPARE(shap.outputLabels, expected.outputLabels);
    QCOMPARE(shap.base, expected.base);
    QCOMPARE(shap.validationRows, expected.validationRows);
    QCOMPARE(shap.explainedRows, expected.explainedRows);
    QCOMPARE(shap.features.size(), expected.features.size());
    for (std::size_t f = 0; f < shap.features.size(); ++f) {
        QCOMPARE(shap.features[f].feature, expected.features[f].feature);
        QCOMPARE(shap.features[f].categorical, expected.features[f].categorical);
        QCOMPARE(shap.features[f].meanAbs, expected.features[f].meanAbs);
        QCOMPARE(shap.features[f].values, expected.features[f].values);
        QCOMPARE(shap.features[f].positions, expected.features[f].positions);
    }
    // A model without one writes no field, and reads back empty.
    const Result<ModelMetadata> without = ModelMetadata::fromJson(testutil::sampleMetadata().toJson(), u"m.plumb"_s, 4);
    QVERIFY(without.ok());
    QVERIFY(without.value().shap.isEmpty());
    QVERIFY(!testutil::sampleMetadata().toJson().value(u"validation"_s).toObject().contains(u"shap"_s));
}

void TestEvaluationJson::malformedShapSummariesAreRefused_data()
{
    QTest::addColumn<QString>("field"); // a path under validation.shap; "" edits validation itself
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("message");
    const QString at = u"m.plumb: metadata field \"validation.shap"_s;
    QTest::newRow("format-3-has-no-shap") << QString() << QJsonValue() << 3
                                          << u"m.plumb: metadata field \"validation.shap\" is not a field this version knows"_s;
    QTest::newRow("unknown-field") << u"surprise"_s << QJsonValue(1) << 4
                                   << at + u".surprise\" is not a field this version knows"_s;
    QTest::newRow("unknown-method") << u"method"_s << QJsonValue(u"kernel_shap"_s) << 4
                                    << at + u".method\" is \"kernel_shap\", not \"tree_shap\" or \"linear_shap\""_s;
    QTest::newRow("unknown-space") << u"space"_s << QJsonValue(u"odds"_s) << 4 << at + u".space\" is \"odds\""_s;
    QTest::newRow("base-per-output") << u"base"_s << QJsonValue(QJsonArray{1.0}) << 4
                                     << at + u".base\" has 1 values; there are 3 outputs"_s;
    QTest::newRow("more-explained-than-validated")
        << u"explained_rows"_s << QJsonValue(41) << 4 << at + u".explained_rows\" is more than the 40 validation rows"_s;
    QTest::newRow("negative-mean") << u"features[0].mean_abs"_s << QJsonValue(QJsonArray{0.5, -0.25, 0.125}) << 4
                                   << at + u".features[0].mean_abs[1]\" is not a number of at least 0"_s;
    QTest::newRow("mean-per-output") << u"features[0].mean_abs"_s << QJsonValue(QJsonArray{0.5}) << 4
                                     << at + u".features[0].mean_abs\" has 1 values; there are 3 outputs"_s;
    QTest::newRow("values-per-row-and-output") << u"features[0].values"_s << QJsonValue(QJsonArray{1.0, 2.0}) << 4
                                               << at + u".features[0].values\" has 2 values; 2 positions x 3 outputs need 6"_s;
    QTest::newRow("position-past-one") << u"features[0].positions"_s << QJsonValue(QJsonArray{0.0, 1.5}) << 4
                                       << at + u".features[0].positions[1]\" is neither a percentile"_s;
    QTest::newRow("categorical-with-a-position") << u"features[1].positions"_s << QJsonValue(QJsonArray{-1.0, 0.5}) << 4
                                                 << at + u".features[1].positions[1]\" is not -1"_s;
    QTest::newRow("repeated-feature") << u"features[1].feature"_s << QJsonValue(u"x1"_s) << 4
                                      << at + u".features[1].feature\" repeats the feature \"x1\""_s;
    QTest::newRow("text-mean") << u"features[1].mean_abs"_s << QJsonValue(u"big"_s) << 4
                               << at + u".features[1].mean_abs\" is not a list of numbers"_s;
}

void TestEvaluationJson::malformedShapSummariesAreRefused()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(int, version);
    QFETCH(QString, message);
    ModelMetadata metadata = testutil::sampleMetadata();
    metadata.shap = sampleShap();
    QJsonObject json = metadata.toJson();
    QVERIFY(ModelMetadata::fromJson(json, u"m.plumb"_s, kModelFormatVersion).ok()); // unedited, it reads
    if (!field.isEmpty()) {
        QVariantList path{u"validation"_s, u"shap"_s};
        for (const QString &part : field.split(u'.')) {
            const qsizetype bracket = part.indexOf(u'[');
            if (bracket < 0) {
                path.append(part);
            } else {
                path.append(part.left(bracket));
                path.append(part.mid(bracket + 1).chopped(1).toInt());
            }
        }
        testutil::setAt(json, path, value);
    }
    const Result<ModelMetadata> read = ModelMetadata::fromJson(json, u"m.plumb"_s, quint32(version));
    QVERIFY(!read.ok());
    QVERIFY2(read.error().message.startsWith(message), qPrintable(read.error().message));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestEvaluationJson)
#include "tst_evaluationjson.moc"
