// The SHAP summary of validation rows: mean |SHAP| equal to a hand calculation on a linear model,
// beeswarm positions as percentiles, the sample capped and evenly spaced, nothing for kinds without
// an exact explanation, and training measuring it next to permutation importance.
#include "data/csvreader.h"
#include "learn/shapexplainer.h"
#include "learn/shapsummary.h"
#include "learn/trainer.h"

#include <QTest>

#include <cmath>
#include <numeric>

using namespace plumb;

namespace {

// 200 rows: a = i mod 10, b = (7i mod 13) / 4 numeric, colour categorical; value = 2a + 3b + 1
// exactly (a linear fit is exact); kind three classes, yes_no two.
Dataset load()
{
    QByteArray csv = "a,b,colour,value,kind,yes_no\n";
    for (int i = 0; i < 200; ++i) {
        const double a = i % 10, b = (i * 7 % 13) / 4.0;
        const char *colour = i % 3 == 0 ? "red" : (i % 3 == 1 ? "green" : "blue");
        const char *kind = a + b > 8 ? "high" : (colour[0] == 'r' || a + b > 5 ? "mid" : "low");
        const char *yesNo = (a > 4) != (i % 11 == 0) ? "yes" : "no";
        csv += QByteArray::number(a) + ',' + QByteArray::number(b) + ',' + colour + ',' + QByteArray::number(2 * a + 3 * b + 1)
            + ',' + kind + ',' + yesNo + '\n';
    }
    return CsvReader::readBytes(csv, QStringLiteral("summary.csv")).value();
}

const QStringList kFeatures{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("colour")};

std::vector<std::size_t> range(std::size_t from, std::size_t to)
{
    std::vector<std::size_t> rows(to - from);
    std::iota(rows.begin(), rows.end(), from);
    return rows;
}

Pipeline fitted(const Dataset &data, const QString &kind, const QString &target, Task task,
                const std::vector<std::size_t> &rows = {})
{
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(kind, task)).value();
    [[maybe_unused]] auto report = pipeline.fit(data, target, rows);
    return pipeline;
}

TrainingSpec spec(const QString &kind, const QString &target)
{
    TrainingSpec s;
    s.features = kFeatures;
    s.target = target;
    s.modelKind = kind;
    s.validation = ValidationScheme::parse(QStringLiteral("holdout:0.25")).value();
    s.seed = 7;
    return s;
}

} // namespace

class TestShapSummary : public QObject
{
    Q_OBJECT

private slots:
    void evenlySpacedRows_data();
    void evenlySpacedRows();
    void linearMeanAbsIsTheHandCalculation();
    void positionsArePercentiles();
    void sampleAndBeeswarmAreCapped();
    void cancelled();
    void trainingMeasuresItBesideImportance_data();
    void trainingMeasuresItBesideImportance();
    void kFoldPoolsTheFolds();
};

void TestShapSummary::evenlySpacedRows_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("limit");
    QTest::addColumn<std::vector<std::size_t>>("positions");
    // floor(i * count / limit) for i < limit, by hand.
    QTest::newRow("ten-take-four") << 10 << 4 << std::vector<std::size_t>{0, 2, 5, 7};
    QTest::newRow("fewer-than-the-limit") << 3 << 5 << std::vector<std::size_t>{0, 1, 2};
    QTest::newRow("none") << 0 << 5 << std::vector<std::size_t>{};
}

void TestShapSummary::evenlySpacedRows()
{
    QFETCH(int, count);
    QFETCH(int, limit);
    QFETCH(std::vector<std::size_t>, positions);
    QCOMPARE(evenlySpaced(std::size_t(count), std::size_t(limit)), positions);
}

// Linear SHAP of a standardised linear fit of value = 2a + 3b + 1: feature a's value on a row is
// 2 (a - mean of a over the training rows), whatever the scaling (the coefficient undoes it). The
// training rows 0..99 hold a = 0..9 ten times each: mean 4.5. On the validation rows 100..199 (a
// again 0..9 ten times), mean |2 (a - 4.5)| = 2 x mean(4.5, 3.5, 2.5, 1.5, 0.5, 0.5, ..., 4.5) = 5.
void TestShapSummary::linearMeanAbsIsTheHandCalculation()
{
    const Dataset data = load();
    const std::vector<std::size_t> training = range(0, 100), validation = range(100, 200);
    const Pipeline pipeline = fitted(data, QStringLiteral("linear_regression"), QStringLiteral("value"), Task::Regression,
                                     training);
    const Eigen::VectorXd means = inputMeans(pipeline, data, training).value();
    const ShapSummary summary = shapSummary(pipeline, data, validation, means).value();
    QCOMPARE(summary.method, ShapMethod::LinearShap);
    QCOMPARE(summary.outputs, QStringList{QStringLiteral("prediction")});
    QCOMPARE(summary.validationRows, qint64(100));
    QCOMPARE(summary.explainedRows, qint64(100));
    QCOMPARE(summary.features.size(), std::size_t(3));
    QCOMPARE(summary.features[0].feature, QStringLiteral("a"));
    QVERIFY2(std::abs(summary.features[0].meanAbs[0] - 5.0) < 1e-9, qPrintable(QString::number(summary.features[0].meanAbs[0])));
    // colour does not enter value: its coefficients are ~0, and so is its mean |SHAP|.
    QVERIFY(summary.features[2].meanAbs[0] < 1e-6);
    QVERIFY(summary.features[2].categorical);
    // b: 3 |b - mean_train(b)| per row, computed here from the column.
    const Column &b = data.column(*data.indexOf(QStringLiteral("b")));
    double trainMean = 0, expected = 0;
    for (std::size_t row : training)
        trainMean += b.numbers()[row] / 100.0;
    for (std::size_t row : validation)
        expected += 3 * std::abs(b.numbers()[row] - trainMean) / 100.0;
    QVERIFY(std::abs(summary.features[1].meanAbs[0] - expected) < 1e-9);
    // Ranked by it.
    const std::vector<std::size_t> ranking = summary.ranking();
    QCOMPARE(ranking.back(), std::size_t(2));
    QVERIFY(summary.importance(ranking[0]) >= summary.importance(ranking[1]));
}

// Each beeswarm point's position is its value's percentile among the explained rows, ties at
// their average rank: a = 0 on 10 of 100 rows holds ranks 0..9, so (4.5 / 99); a = 9 holds
// 90..99, so 94.5 / 99. A categorical feature's positions are all -1 (grey).
void TestShapSummary::positionsArePercentiles()
{
    const Dataset data = load();
    const std::vector<std::size_t> training = range(0, 100), validation = range(100, 200);
    const Pipeline pipeline = fitted(data, QStringLiteral("decision_tree"), QStringLiteral("value"), Task::Regression, training);
    const ShapSummary summary = shapSummary(pipeline, data, validation).value();
    QCOMPARE(summary.beeswarmRows(), 100);
    const Column &a = data.column(*data.indexOf(QStringLiteral("a")));
    for (int r = 0; r < summary.beeswarmRows(); ++r) {
        const double value = a.numbers()[validation[std::size_t(r)]];
        const double expected = (value * 10 + 4.5) / 99.0;
        QVERIFY2(std::abs(summary.features[0].positions[std::size_t(r)] - expected) < 1e-12, qPrintable(QString::number(r)));
        QCOMPARE(summary.features[2].positions[std::size_t(r)], -1.0);
    }
}

void TestShapSummary::sampleAndBeeswarmAreCapped()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("random_forest"), QStringLiteral("kind"), Task::Classification);
    ShapSummaryOptions options;
    options.rows = 50;
    options.beeswarmRows = 20;
    const ShapSummary summary = shapSummary(pipeline, data, {}, {}, options).value();
    QCOMPARE(summary.validationRows, qint64(200));
    QCOMPARE(summary.explainedRows, qint64(50));
    QCOMPARE(summary.outputCount(), 3); // one per class
    QCOMPARE(summary.beeswarmRows(), 20);
    for (const ShapSummary::Feature &feature : summary.features) {
        QCOMPARE(feature.values.size(), std::size_t(20 * 3));
        QCOMPARE(feature.meanAbs.size(), std::size_t(3));
    }
    QVERIFY(summary.importanceLabel().startsWith(QLatin1String("mean over 3 classes of mean |SHAP|")));
}

void TestShapSummary::cancelled()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("decision_tree"), QStringLiteral("value"), Task::Regression);
    CancelFlag cancel;
    cancel.cancel();
    const Result<ShapSummary> summary = shapSummary(pipeline, data, {}, {}, {}, cancel);
    QVERIFY(!summary.ok());
    QCOMPARE(summary.error().kind, Error::Kind::Cancelled);
}

void TestShapSummary::trainingMeasuresItBesideImportance_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("outputs"); // 0: no summary (no exact explanation for the kind)
    QTest::newRow("boosting-binary") << "gradient_boosting"
                                     << "yes_no" << 1;
    QTest::newRow("boosting-three-classes") << "gradient_boosting"
                                            << "kind" << 3;
    QTest::newRow("logistic-binary") << "logistic_regression"
                                     << "yes_no" << 1;
    QTest::newRow("ridge") << "ridge"
                           << "value" << 1;
    QTest::newRow("knn-none") << "knn"
                              << "kind" << 0;
    QTest::newRow("naive-bayes-none") << "gaussian_nb"
                                      << "kind" << 0;
}

void TestShapSummary::trainingMeasuresItBesideImportance()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, outputs);
    const Dataset data = load();
    const Result<TrainingOutcome> outcome = trainAndValidate(data, spec(kind, target));
    QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
    QCOMPARE(outcome.value().importance.features.size(), std::size_t(3)); // measured either way
    const ShapSummary &shap = outcome.value().shap;
    QCOMPARE(shap.outputCount(), outputs);
    if (outputs == 0) {
        QVERIFY(shap.isEmpty());
        return;
    }
    QCOMPARE(shap.features.size(), std::size_t(3));
    QCOMPARE(shap.validationRows, qint64(50)); // holdout:0.25 of 200 rows
    QCOMPARE(shap.explainedRows, qint64(50));
    // Deterministic: the same spec gives the same summary.
    const ShapSummary again = trainAndValidate(data, spec(kind, target)).value().shap;
    QCOMPARE(again.features[0].meanAbs, shap.features[0].meanAbs);
    QCOMPARE(again.features[1].values, shap.features[1].values);
}

void TestShapSummary::kFoldPoolsTheFolds()
{
    const Dataset data = load();
    TrainingSpec s = spec(QStringLiteral("decision_tree"), QStringLiteral("value"));
    s.validation = ValidationScheme::parse(QStringLiteral("kfold:4")).value();
    const ShapSummary shap = trainAndValidate(data, s).value().shap;
    QCOMPARE(shap.validationRows, qint64(200)); // every row validates once
    QCOMPARE(shap.explainedRows, qint64(200)); // 250 per fold allowed, 50 each there
    QCOMPARE(shap.beeswarmRows(), 200);
    QVERIFY(shap.importance(0) > 0);
}

QTEST_GUILESS_MAIN(TestShapSummary)
#include "tst_shapsummary.moc"
