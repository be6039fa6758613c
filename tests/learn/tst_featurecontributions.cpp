// Per-feature contributions to one prediction: they add up to what they explain, and match a hand
// calculation where the model is simple enough to do one.
#include "data/csvreader.h"
#include "learn/featurecontributions.h"
#include "learn/rowscorer.h"

#include <QTest>

#include <cmath>
#include <numeric>

using namespace plumb;

namespace {

// 200 rows: a and b numeric, colour categorical; value = 2a + 3b + 1 exactly (so a linear fit is
// exact); kind has three classes from a + b and the colour; yes_no two classes from a.
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
    return CsvReader::readBytes(csv, QStringLiteral("contributions.csv")).value();
}

const QStringList kFeatures{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("colour")};

std::vector<RowValue> row(double a, double b, const QString &colour)
{
    return {RowValue::of(a), RowValue::of(b), RowValue::of(colour)};
}

Pipeline fitted(const Dataset &data, const QString &kind, const QString &target, Task task)
{
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(kind, task)).value();
    [[maybe_unused]] auto report = pipeline.fit(data, target, {});
    return pipeline;
}

double total(const FeatureContributions &c)
{
    return std::accumulate(c.values.begin(), c.values.end(), c.base);
}

} // namespace

class TestFeatureContributions : public QObject
{
    Q_OBJECT

private slots:
    void contributionsAddUpToTheOutput_data();
    void contributionsAddUpToTheOutput();
    void linearContributionsMatchHandCalculation();
    void oneHotColumnsAreGroupedBackToTheirFeature();
    void stumpCreditsOnlyItsSplitFeature();
    void unsupportedModelIsNamed();
    void boostingWithoutNodeCoversIsRefused();
};

void TestFeatureContributions::contributionsAddUpToTheOutput_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    QTest::addColumn<int>("method");
    QTest::newRow("linear-regression") << "linear_regression"
                                       << "value" << int(Task::Regression) << int(FeatureContributions::Method::Linear);
    QTest::newRow("ridge") << "ridge"
                           << "value" << int(Task::Regression) << int(FeatureContributions::Method::Linear);
    QTest::newRow("logistic-binary") << "logistic_regression"
                                     << "yes_no" << int(Task::Classification) << int(FeatureContributions::Method::Linear);
    QTest::newRow("logistic-three-classes") << "logistic_regression"
                                            << "kind" << int(Task::Classification) << int(FeatureContributions::Method::Linear);
    QTest::newRow("tree-classifier") << "decision_tree"
                                     << "kind" << int(Task::Classification) << int(FeatureContributions::Method::TreeShap);
    QTest::newRow("forest-regressor") << "random_forest"
                                      << "value" << int(Task::Regression) << int(FeatureContributions::Method::TreeShap);
    QTest::newRow("boosting-regressor") << "gradient_boosting"
                                        << "value" << int(Task::Regression) << int(FeatureContributions::Method::TreeShap);
    QTest::newRow("boosting-binary") << "gradient_boosting"
                                     << "yes_no" << int(Task::Classification) << int(FeatureContributions::Method::TreeShap);
    QTest::newRow("boosting-three-classes") << "gradient_boosting"
                                            << "kind" << int(Task::Classification) << int(FeatureContributions::Method::TreeShap);
}

// What each method explains, computed from the pipeline's own output: the prediction
// (regression), the class probability (trees and forests), and log(p_k / p_j) = logit_k - logit_j
// for logistic regression and gradient boosting (softmax; for two classes the log-odds of the
// explained class).
void TestFeatureContributions::contributionsAddUpToTheOutput()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, task);
    QFETCH(int, method);
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, kind, target, Task(task));
    QVERIFY(pipeline.isFitted());
    const RowScorer scorer(pipeline);
    const std::vector<RowValue> values = row(7, 1.5, QStringLiteral("green"));
    Eigen::VectorXd inputs;
    TransformNotes notes;
    QVERIFY(!scorer.transform(values, inputs, notes));
    std::vector<double> out(std::size_t(pipeline.model().rowOutputs()));
    QVERIFY(!scorer.score(values, out.data(), notes));

    const int classes = int(out.size());
    for (int k = 0; k < (Task(task) == Task::Classification ? classes : 1); ++k) {
        Result<FeatureContributions> c = explainRow(pipeline, inputs, k);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(int(c.value().method), method);
        QCOMPARE(c.value().values.size(), pipeline.features().size());
        if (Task(task) == Task::Regression) {
            QVERIFY(std::abs(total(c.value()) - out[0]) < 1e-9 * (1 + std::abs(out[0])));
        } else if (method == int(FeatureContributions::Method::TreeShap) && kind != QLatin1String("gradient_boosting")) {
            QVERIFY(std::abs(total(c.value()) - out[std::size_t(k)]) < 1e-12);
        } else if (classes == 2) {
            const double logOdds = std::log(out[std::size_t(k)] / out[std::size_t(1 - k)]);
            QVERIFY(std::abs(total(c.value()) - logOdds) < 1e-9);
        } else {
            const int other = (k + 1) % classes;
            const double difference = total(c.value()) - total(explainRow(pipeline, inputs, other).value());
            QVERIFY(std::abs(difference - std::log(out[std::size_t(k)] / out[std::size_t(other)])) < 1e-9);
        }
    }
}

// value = 2a + 3b + 1 exactly, and the default scaler standardises: the fitted coefficient of a
// is 2 sd(a), its input (a - mean)/sd, so its contribution is 2 (a - mean(a)). mean(a) = 4.5
// (a = i mod 10 over 200 rows); at a = 7 that is 5.
void TestFeatureContributions::linearContributionsMatchHandCalculation()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("linear_regression"), QStringLiteral("value"), Task::Regression);
    Eigen::VectorXd inputs;
    TransformNotes notes;
    QVERIFY(!RowScorer(pipeline).transform(row(7, 1.5, QStringLiteral("red")), inputs, notes));
    const FeatureContributions c = explainRow(pipeline, inputs, 0).value();
    QVERIFY(std::abs(c.values[0] - 5.0) < 1e-9);
    QVERIFY(std::abs(c.values[2]) < 1e-9); // colour does not enter value: its coefficients are ~0
}

void TestFeatureContributions::oneHotColumnsAreGroupedBackToTheirFeature()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("ridge"), QStringLiteral("value"), Task::Regression);
    const std::vector<int> sources = inputSources(pipeline).value();
    // a, b, then colour's three one-hot columns (blue, green, red): from the default routing.
    QCOMPARE(sources, (std::vector<int>{0, 1, 2, 2, 2}));
}

// A depth-1 tree splits once, so one feature takes the whole change from the root value; the
// other two get exactly 0.
void TestFeatureContributions::stumpCreditsOnlyItsSplitFeature()
{
    const Dataset data = load();
    Pipeline pipeline
        = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("decision_tree"), Task::Regression)).value();
    QVERIFY(!pipeline.model().setParam(QStringLiteral("max_depth"), 1));
    QVERIFY(pipeline.fit(data, QStringLiteral("value"), {}).ok());
    Eigen::VectorXd inputs;
    TransformNotes notes;
    QVERIFY(!RowScorer(pipeline).transform(row(9, 3, QStringLiteral("blue")), inputs, notes));
    const FeatureContributions c = explainRow(pipeline, inputs, 0).value();
    const auto nonZero = std::count_if(c.values.begin(), c.values.end(), [](double v) { return v != 0.0; });
    QCOMPARE(nonZero, 1);
}

void TestFeatureContributions::unsupportedModelIsNamed()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("gaussian_nb"), QStringLiteral("kind"), Task::Classification);
    Eigen::VectorXd inputs;
    TransformNotes notes;
    QVERIFY(!RowScorer(pipeline).transform(row(1, 1, QStringLiteral("red")), inputs, notes));
    const Result<FeatureContributions> c = explainRow(pipeline, inputs, 0);
    QVERIFY(!c.ok());
    QVERIFY(c.error().message.contains(QStringLiteral("gaussian_nb")));
}

// A boosting model saved before node covers were stored still predicts, but cannot be explained:
// its state is restored without the "node_cover" array.
void TestFeatureContributions::boostingWithoutNodeCoversIsRefused()
{
    const Dataset data = load();
    Pipeline pipeline = fitted(data, QStringLiteral("gradient_boosting"), QStringLiteral("value"), Task::Regression);
    ComponentState state = pipeline.model().state();
    QCOMPARE(state.arrays.erase(QStringLiteral("node_cover")), std::size_t(1));
    QVERIFY(!pipeline.model().restore(state));
    Eigen::VectorXd inputs;
    TransformNotes notes;
    QVERIFY(!RowScorer(pipeline).transform(row(1, 1, QStringLiteral("red")), inputs, notes));
    const Result<FeatureContributions> c = explainRow(pipeline, inputs, 0);
    QVERIFY(!c.ok());
    QVERIFY2(c.error().message.contains(QStringLiteral("train the model again")), qPrintable(c.error().message));
}

QTEST_GUILESS_MAIN(TestFeatureContributions)
#include "tst_featurecontributions.moc"
