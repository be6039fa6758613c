// Metrics against scikit-learn 1.2 and against hand calculations.
//
// The sklearn figures are golden/metrics_*.json, written by tests/reference/make_sklearn_goldens.py
// from the arrays in golden/metrics_*.csv (the calls are named in each file's "sklearn" field).
// Every figure must agree within kTolerance; curves must have the same number of points.

#include "goldenreader.h"
#include "learn/evaluation.h"
#include "learn/metrics.h"

#include <QHash>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kTolerance = 1e-9;
const double kEpsilon = std::numeric_limits<double>::epsilon();

const QStringList kLabelMetrics = {u"accuracy_score"_s, u"balanced_accuracy_score"_s, u"precision_macro"_s, u"recall_macro"_s,
                                   u"f1_macro"_s,       u"precision_weighted"_s,      u"recall_weighted"_s, u"f1_weighted"_s};
const QStringList kBinaryScoreMetrics = {u"roc_auc_score"_s, u"log_loss"_s, u"brier_score_loss"_s};
const QStringList kMulticlassScoreMetrics = {u"roc_auc_ovr_macro"_s, u"log_loss"_s};
const QStringList kRegressionMetrics = {u"r2_score"_s, u"mean_absolute_error"_s, u"root_mean_squared_error"_s,
                                        u"mean_absolute_percentage_error"_s};
const QStringList kPerClassMetrics = {u"precision"_s, u"recall"_s, u"f1"_s, u"support"_s};
const QStringList kCurves = {u"roc_curve"_s, u"precision_recall_curve"_s, u"calibration_curve"_s};

const QStringList kBinaryCases = {u"metrics_binary_ties"_s, u"metrics_binary_fine"_s};
const QStringList kLabelCases = kBinaryCases + QStringList{u"metrics_multiclass"_s, u"metrics_unpredicted_class"_s};
const QStringList kRegressionCases = {u"metrics_regression"_s, u"metrics_regression_zero_truth"_s,
                                      u"metrics_regression_constant_truth"_s};

// A metrics golden: its expected values and the arrays they were computed from.
struct MetricsCase
{
    test::GoldenCase golden;
    Labels truth, predicted;
    int classCount = 0;
    Eigen::VectorXd score; // binary: the score of class 1
    Eigen::MatrixXd probabilities; // binary: [1 - score, score], as given to sklearn's log_loss
    Eigen::VectorXd truthValues, predictedValues; // regression
    QStringList tableProblems;

    // Everything the readers could not give, so far.
    QStringList problems() const { return golden.problems() + tableProblems; }
};

MetricsCase loadCase(const QString &name)
{
    MetricsCase loaded;
    loaded.golden = test::GoldenCase::load(test::goldenPath(name + u".json"_s));
    test::GoldenTable table = test::GoldenTable::load(test::goldenPath(loaded.golden.text(u"data.table"_s)));
    if (name.startsWith(u"metrics_regression"_s)) {
        loaded.truthValues = table.numbers(u"truth"_s);
        loaded.predictedValues = table.numbers(u"predicted"_s);
    } else {
        loaded.truth = table.integers(u"truth"_s);
        loaded.predicted = table.integers(u"predicted"_s);
        loaded.classCount = int(loaded.golden.matrix(u"expected.confusion_matrix"_s).rows());
        if (table.header().contains(u"score"_s)) {
            loaded.score = table.numbers(u"score"_s);
            loaded.probabilities.resize(loaded.score.size(), 2);
            loaded.probabilities.col(0) = 1.0 - loaded.score.array();
            loaded.probabilities.col(1) = loaded.score;
        } else if (table.header().contains(u"p0"_s)) {
            QStringList columns;
            for (int c = 0; c < loaded.classCount; ++c)
                columns.append(u"p%1"_s.arg(c));
            loaded.probabilities = table.numbers(columns);
        }
    }
    loaded.tableProblems = table.problems();
    return loaded;
}

// The Plumb figure that corresponds to sklearn's `metric`; nullopt for a name it does not know.
std::optional<double> plumbScalar(const QString &metric, const MetricsCase &c)
{
    if (metric == u"accuracy_score"_s)
        return accuracy(c.truth, c.predicted);
    if (metric == u"balanced_accuracy_score"_s)
        return balancedAccuracy(c.truth, c.predicted, c.classCount);
    if (metric.startsWith(u"precision_"_s) || metric.startsWith(u"recall_"_s) || metric.startsWith(u"f1_"_s)) {
        const ClassScores scores = classScores(c.truth, c.predicted, c.classCount);
        const QHash<QString, double> averages = {{u"precision_macro"_s, scores.macroPrecision},
                                                 {u"recall_macro"_s, scores.macroRecall},
                                                 {u"f1_macro"_s, scores.macroF1},
                                                 {u"precision_weighted"_s, scores.weightedPrecision},
                                                 {u"recall_weighted"_s, scores.weightedRecall},
                                                 {u"f1_weighted"_s, scores.weightedF1}};
        if (averages.contains(metric))
            return averages.value(metric);
        return std::nullopt;
    }
    if (metric == u"roc_auc_score"_s)
        return rocAuc(c.truth, c.score);
    if (metric == u"roc_auc_ovr_macro"_s)
        return rocAucOvr(c.truth, c.probabilities);
    if (metric == u"log_loss"_s)
        return logLoss(c.truth, c.probabilities);
    if (metric == u"brier_score_loss"_s)
        return brierScore(c.truth, c.probabilities);
    if (metric == u"r2_score"_s)
        return r2Score(c.truthValues, c.predictedValues);
    if (metric == u"mean_absolute_error"_s)
        return meanAbsoluteError(c.truthValues, c.predictedValues);
    if (metric == u"root_mean_squared_error"_s)
        return rootMeanSquaredError(c.truthValues, c.predictedValues);
    if (metric == u"mean_absolute_percentage_error"_s)
        return meanAbsolutePercentageError(c.truthValues, c.predictedValues);
    return std::nullopt;
}

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

// Empty when every element is within kTolerance; otherwise the first differences.
QString compareSeries(const QString &what, const std::vector<double> &actual, const Eigen::VectorXd &expected,
                      const QString &source = u"sklearn"_s)
{
    if (Eigen::Index(actual.size()) != expected.size())
        return u"%1: %2 points, %3 %4"_s.arg(what).arg(actual.size()).arg(source).arg(expected.size());
    QStringList differences;
    for (Eigen::Index i = 0; i < expected.size(); ++i) {
        const double a = actual[std::size_t(i)], e = expected[i];
        const bool same = (std::isnan(a) && std::isnan(e)) || std::fabs(a - e) <= kTolerance;
        if (!same && differences.size() < 5)
            differences.append(u"%1[%2]: %3, %4 %5"_s.arg(what).arg(i).arg(number(a), source, number(e)));
    }
    return differences.join(u"; "_s);
}

std::vector<int> toStd(const QList<int> &values)
{
    return {values.begin(), values.end()};
}

Eigen::VectorXd toEigen(const QList<double> &values)
{
    Eigen::VectorXd vector(values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        vector[i] = values[i];
    return vector;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void singleMetricEqualsTheFullEvaluation();
    void everyGoldenFigureIsChecked_data();
    void everyGoldenFigureIsChecked();
    void scalarMatchesSklearn_data();
    void scalarMatchesSklearn();
    void perClassMatchesSklearn_data();
    void perClassMatchesSklearn();
    void confusionMatrixMatchesSklearn_data();
    void confusionMatrixMatchesSklearn();
    void curveMatchesSklearn_data();
    void curveMatchesSklearn();

    void handLabels_data();
    void handLabels();
    void handScores_data();
    void handScores();
    void handRegression_data();
    void handRegression();
    void handCurves_data();
    void handCurves();
    void multiclassCurvesAreOneVsRest();
};

void TestMetrics::everyGoldenFigureIsChecked_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QStringList>("checked");
    const QStringList labels = kLabelMetrics + kPerClassMetrics + QStringList{u"confusion_matrix"_s};
    for (const QString &name : kBinaryCases)
        QTest::newRow(qPrintable(name)) << name << labels + kBinaryScoreMetrics + kCurves;
    QTest::newRow("metrics_multiclass") << u"metrics_multiclass"_s << labels + kMulticlassScoreMetrics;
    QTest::newRow("metrics_unpredicted_class") << u"metrics_unpredicted_class"_s << labels;
    for (const QString &name : kRegressionCases)
        QTest::newRow(qPrintable(name)) << name << kRegressionMetrics;
}

// The figures the tests below compare are exactly the figures each golden holds, and every
// metrics golden in the manifest is one of the cases above.
void TestMetrics::everyGoldenFigureIsChecked()
{
    QFETCH(QString, caseName);
    QFETCH(QStringList, checked);

    test::GoldenCase manifest = test::GoldenCase::load(test::goldenPath(u"manifest.json"_s));
    const QStringList listed = manifest.strings(u"cases.metrics"_s);
    test::GoldenCase golden = test::GoldenCase::load(test::goldenPath(caseName + u".json"_s));
    const QStringList keys = golden.keys(u"expected"_s);
    QVERIFY2(manifest.problems().isEmpty() && golden.problems().isEmpty(),
             qPrintable((manifest.problems() + golden.problems()).join(u'\n')));

    QStringList known;
    for (const QString &name : kLabelCases + kRegressionCases)
        known.append(name + u".json"_s);
    for (const QString &file : listed)
        QVERIFY2(known.contains(file), qPrintable(u"%1 is in the manifest but not tested"_s.arg(file)));

    QStringList expectedKeys = checked;
    QStringList actualKeys = keys;
    expectedKeys.sort();
    actualKeys.sort();
    QCOMPARE(actualKeys, expectedKeys);
}

void TestMetrics::scalarMatchesSklearn_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("metric");
    const auto add = [](const QString &name, const QStringList &metrics) {
        for (const QString &metric : metrics)
            QTest::newRow(qPrintable(name + u": "_s + metric)) << name << metric;
    };
    for (const QString &name : kLabelCases)
        add(name, kLabelMetrics);
    for (const QString &name : kBinaryCases)
        add(name, kBinaryScoreMetrics);
    add(u"metrics_multiclass"_s, kMulticlassScoreMetrics);
    for (const QString &name : kRegressionCases)
        add(name, kRegressionMetrics);
}

void TestMetrics::scalarMatchesSklearn()
{
    QFETCH(QString, caseName);
    QFETCH(QString, metric);

    MetricsCase c = loadCase(caseName);
    const double expected = c.golden.number(u"expected."_s + metric);
    QVERIFY2(c.problems().isEmpty(), qPrintable(c.problems().join(u'\n')));
    const std::optional<double> actual = plumbScalar(metric, c);
    QVERIFY2(actual, qPrintable(u"no Plumb metric for '%1'"_s.arg(metric)));
    QVERIFY2(
        std::fabs(*actual - expected) <= kTolerance,
        qPrintable(u"Plumb %1, sklearn %2 (difference %3)"_s.arg(number(*actual), number(expected)).arg(*actual - expected)));
}

void TestMetrics::perClassMatchesSklearn_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("metric");
    for (const QString &name : kLabelCases)
        for (const QString &metric : kPerClassMetrics)
            QTest::newRow(qPrintable(name + u": "_s + metric)) << name << metric;
}

void TestMetrics::perClassMatchesSklearn()
{
    QFETCH(QString, caseName);
    QFETCH(QString, metric);

    MetricsCase c = loadCase(caseName);
    const Eigen::VectorXd expected = c.golden.vector(u"expected."_s + metric);
    QVERIFY2(c.problems().isEmpty(), qPrintable(c.problems().join(u'\n')));
    const ClassScores scores = classScores(c.truth, c.predicted, c.classCount);
    std::vector<double> actual;
    if (metric == u"precision"_s)
        actual = scores.precision;
    else if (metric == u"recall"_s)
        actual = scores.recall;
    else if (metric == u"f1"_s)
        actual = scores.f1;
    else
        actual.assign(scores.support.begin(), scores.support.end());
    const QString differences = compareSeries(metric, actual, expected);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestMetrics::confusionMatrixMatchesSklearn_data()
{
    QTest::addColumn<QString>("caseName");
    for (const QString &name : kLabelCases)
        QTest::newRow(qPrintable(name)) << name;
}

void TestMetrics::confusionMatrixMatchesSklearn()
{
    QFETCH(QString, caseName);

    MetricsCase c = loadCase(caseName);
    const Eigen::MatrixXi expected = c.golden.matrix(u"expected.confusion_matrix"_s).cast<int>();
    QVERIFY2(c.problems().isEmpty(), qPrintable(c.problems().join(u'\n')));
    const Eigen::MatrixXi actual = confusionMatrix(c.truth, c.predicted, c.classCount);
    QCOMPARE(actual.rows(), expected.rows());
    QCOMPARE(actual.cols(), expected.cols());
    for (Eigen::Index t = 0; t < expected.rows(); ++t)
        for (Eigen::Index p = 0; p < expected.cols(); ++p)
            QVERIFY2(actual(t, p) == expected(t, p),
                     qPrintable(
                         u"truth %1, predicted %2: Plumb %3, sklearn %4"_s.arg(t).arg(p).arg(actual(t, p)).arg(expected(t, p))));
}

void TestMetrics::curveMatchesSklearn_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("curve");
    for (const QString &name : kBinaryCases)
        for (const QString &curve : kCurves)
            QTest::newRow(qPrintable(name + u": "_s + curve)) << name << curve;
}

void TestMetrics::curveMatchesSklearn()
{
    QFETCH(QString, caseName);
    QFETCH(QString, curve);

    // sklearn's arrays for Plumb's x, y and thresholds (calibration_curve returns no bin counts).
    const QHash<QString, QStringList> keys = {{u"roc_curve"_s, {u"fpr"_s, u"tpr"_s, u"thresholds"_s}},
                                              {u"precision_recall_curve"_s, {u"recall"_s, u"precision"_s, u"thresholds"_s}},
                                              {u"calibration_curve"_s, {u"prob_pred"_s, u"prob_true"_s}}};
    MetricsCase c = loadCase(caseName);
    QList<Eigen::VectorXd> expected;
    for (const QString &key : keys.value(curve))
        expected.append(c.golden.vector(u"expected.%1.%2"_s.arg(curve, key)));
    QVERIFY2(c.problems().isEmpty(), qPrintable(c.problems().join(u'\n')));
    QCOMPARE(c.score.size(), Eigen::Index(c.truth.size()));

    const CurvePoints actual = curve == u"roc_curve"_s ? rocCurve(c.truth, c.score)
        : curve == u"precision_recall_curve"_s         ? precisionRecallCurve(c.truth, c.score)
                                                       : calibrationCurve(c.truth, c.score, 10);
    const QStringList names = keys.value(curve);
    QStringList differences{compareSeries(names[0], actual.x, expected[0]), compareSeries(names[1], actual.y, expected[1])};
    if (expected.size() > 2) {
        differences.append(compareSeries(names[2], actual.thresholds, expected[2]));
    } else {
        // Plumb's calibration thresholds are the bin counts: together, every sample.
        double counted = 0;
        for (double count : actual.thresholds)
            counted += count;
        QCOMPARE(counted, double(c.truth.size()));
    }
    differences.removeAll(QString());
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(u' ')));
}

void TestMetrics::handLabels_data()
{
    QTest::addColumn<QList<int>>("truth");
    QTest::addColumn<QList<int>>("predicted");
    QTest::addColumn<int>("classCount");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");

    // truth 0 0 1 1 1 2, predicted 0 1 1 1 0 2: 4 of 6 right; recalls 1/2, 2/3, 1/1.
    const QList<int> truth{0, 0, 1, 1, 1, 2}, predicted{0, 1, 1, 1, 0, 2};
    QTest::newRow("accuracy") << truth << predicted << 3 << u"accuracy_score"_s << 4.0 / 6.0;
    QTest::newRow("balanced-accuracy") << truth << predicted << 3 << u"balanced_accuracy_score"_s
                                       << (1.0 / 2.0 + 2.0 / 3.0 + 1.0) / 3.0;
    // precisions 1/2, 2/3, 1; macro is their plain mean.
    QTest::newRow("macro-precision") << truth << predicted << 3 << u"precision_macro"_s << (0.5 + 2.0 / 3.0 + 1.0) / 3.0;
    // weighted by support 2, 3, 1 of 6.
    QTest::newRow("weighted-recall") << truth << predicted << 3 << u"recall_weighted"_s
                                     << (2 * 0.5 + 3 * (2.0 / 3.0) + 1 * 1.0) / 6.0;
    // Class 2 absent from the truth but predicted once: balanced accuracy averages the two
    // present classes only (recalls 1 and 0).
    QTest::newRow("balanced-accuracy-absent-class")
        << QList<int>{0, 0, 1} << QList<int>{0, 0, 2} << 3 << u"balanced_accuracy_score"_s << 0.5;
    // Never predicting class 1: its precision is 0, not NaN (zero_division=0); F1 of class 0 is
    // 2 * (2/3) * 1 / (2/3 + 1) = 0.8, so the macro F1 is 0.4.
    QTest::newRow("f1-macro-unpredicted-class") << QList<int>{0, 0, 1} << QList<int>{0, 0, 0} << 2 << u"f1_macro"_s << 0.4;
}

void TestMetrics::handLabels()
{
    QFETCH(QList<int>, truth);
    QFETCH(QList<int>, predicted);
    QFETCH(int, classCount);
    QFETCH(QString, metric);
    QFETCH(double, expected);

    MetricsCase c;
    c.truth = toStd(truth);
    c.predicted = toStd(predicted);
    c.classCount = classCount;
    const std::optional<double> actual = plumbScalar(metric, c);
    QVERIFY(actual);
    QVERIFY2(std::fabs(*actual - expected) <= kTolerance,
             qPrintable(u"Plumb %1, by hand %2"_s.arg(number(*actual), number(expected))));
}

void TestMetrics::handScores_data()
{
    QTest::addColumn<QList<int>>("truth");
    QTest::addColumn<QList<double>>("scores");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");

    // AUC is the share of (positive, negative) pairs ordered right, a tie counting one half.
    // Positives 0.35, 0.8 against negatives 0.1, 0.4: three of four pairs.
    QTest::newRow("auc-four-points") << QList<int>{0, 0, 1, 1} << QList<double>{0.1, 0.4, 0.35, 0.8} << u"roc_auc_score"_s
                                     << 0.75;
    QTest::newRow("auc-all-tied") << QList<int>{0, 1, 0, 1} << QList<double>{0.5, 0.5, 0.5, 0.5} << u"roc_auc_score"_s << 0.5;
    // Pairs (0.5, 0.5) = 1/2 and (0.9, 0.5) = 1.
    QTest::newRow("auc-tie-across-classes") << QList<int>{0, 1, 1} << QList<double>{0.5, 0.5, 0.9} << u"roc_auc_score"_s << 0.75;
    QTest::newRow("auc-perfect") << QList<int>{0, 0, 1} << QList<double>{0.1, 0.2, 0.3} << u"roc_auc_score"_s << 1.0;
    QTest::newRow("auc-reversed") << QList<int>{1, 0, 0} << QList<double>{0.1, 0.2, 0.3} << u"roc_auc_score"_s << 0.0;
    // metrics.h: NaN when the truth has a single class.
    QTest::newRow("auc-single-class") << QList<int>{1, 1, 1} << QList<double>{0.1, 0.2, 0.3} << u"roc_auc_score"_s
                                      << std::numeric_limits<double>::quiet_NaN();
    // -(ln 0.8 + ln 0.7) / 2: the probabilities of the true classes.
    QTest::newRow("log-loss-two-rows") << QList<int>{0, 1} << QList<double>{0.2, 0.7} << u"log_loss"_s
                                       << -(std::log(0.8) + std::log(0.7)) / 2.0;
    // A certain miss: p = 0 is clipped to machine epsilon, the loss is -ln(eps) = 52 ln 2.
    QTest::newRow("log-loss-clipped-miss") << QList<int>{1} << QList<double>{0.0} << u"log_loss"_s << -std::log(kEpsilon);
    // sklearn's brier_score_loss docstring example, by hand: (0.01 + 0.01 + 0.04 + 0.09) / 4.
    QTest::newRow("brier-four-rows") << QList<int>{0, 1, 1, 0} << QList<double>{0.1, 0.9, 0.8, 0.3} << u"brier_score_loss"_s
                                     << 0.0375;
}

void TestMetrics::handScores()
{
    QFETCH(QList<int>, truth);
    QFETCH(QList<double>, scores);
    QFETCH(QString, metric);
    QFETCH(double, expected);

    MetricsCase c;
    c.truth = toStd(truth);
    c.classCount = 2;
    c.score = toEigen(scores);
    c.probabilities.resize(c.score.size(), 2);
    c.probabilities.col(0) = 1.0 - c.score.array();
    c.probabilities.col(1) = c.score;
    const std::optional<double> actual = plumbScalar(metric, c);
    QVERIFY(actual);
    if (std::isnan(expected))
        QVERIFY2(std::isnan(*actual), qPrintable(u"Plumb %1, expected NaN"_s.arg(number(*actual))));
    else
        QVERIFY2(std::fabs(*actual - expected) <= kTolerance,
                 qPrintable(u"Plumb %1, by hand %2"_s.arg(number(*actual), number(expected))));
}

void TestMetrics::handRegression_data()
{
    QTest::addColumn<QList<double>>("truth");
    QTest::addColumn<QList<double>>("predicted");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("expected");

    // y = 3, -0.5, 2, 7 and yhat = 2.5, 0, 2, 8 (sklearn's docstring example): errors 0.5, 0.5, 0, 1.
    const QList<double> y{3, -0.5, 2, 7}, yhat{2.5, 0, 2, 8};
    QTest::newRow("mae") << y << yhat << u"mean_absolute_error"_s << 0.5;
    QTest::newRow("rmse") << y << yhat << u"root_mean_squared_error"_s << std::sqrt(1.5 / 4.0);
    // mean 2.875; total sum of squares 29.1875, residual 1.5.
    QTest::newRow("r2") << y << yhat << u"r2_score"_s << 1.0 - 1.5 / 29.1875;
    QTest::newRow("mape") << y << yhat << u"mean_absolute_percentage_error"_s << (0.5 / 3 + 0.5 / 0.5 + 0 + 1.0 / 7) / 4;
    // A zero truth divides by machine epsilon: 1e-17 / eps.
    QTest::newRow("mape-zero-truth") << QList<double>{0.0, 1.0} << QList<double>{1e-17, 1.0}
                                     << u"mean_absolute_percentage_error"_s << 1e-17 / kEpsilon / 2;
    // A constant truth: 1 when hit exactly, 0 otherwise (sklearn's force_finite).
    QTest::newRow("r2-constant-hit") << QList<double>{2, 2} << QList<double>{2, 2} << u"r2_score"_s << 1.0;
    QTest::newRow("r2-constant-miss") << QList<double>{2, 2} << QList<double>{1, 3} << u"r2_score"_s << 0.0;
    // Values near 1e300 square past the largest double; the metrics do not. Truth ±1e300 (mean 0),
    // predictions the opposite: errors ±2e300, so R² = 1 - 2(2e300)² / 2(1e300)² = -3 and
    // RMSE = MAE = 2e300 (compared relatively, below).
    const QList<double> huge{1e300, -1e300}, opposite{-1e300, 1e300};
    QTest::newRow("r2-huge") << huge << opposite << u"r2_score"_s << -3.0;
    QTest::newRow("rmse-huge") << huge << opposite << u"root_mean_squared_error"_s << 2e300;
    QTest::newRow("mae-huge") << QList<double>{1.5e308, -1.5e308} << QList<double>{0.0, 0.0} << u"mean_absolute_error"_s
                              << 1.5e308;
}

void TestMetrics::handRegression()
{
    QFETCH(QList<double>, truth);
    QFETCH(QList<double>, predicted);
    QFETCH(QString, metric);
    QFETCH(double, expected);

    MetricsCase c;
    c.truthValues = toEigen(truth);
    c.predictedValues = toEigen(predicted);
    const std::optional<double> actual = plumbScalar(metric, c);
    QVERIFY(actual);
    QVERIFY2(std::fabs(*actual - expected) <= kTolerance * std::max(1.0, std::fabs(expected)),
             qPrintable(u"Plumb %1, by hand %2"_s.arg(number(*actual), number(expected))));
}

void TestMetrics::handCurves_data()
{
    QTest::addColumn<QString>("curve");
    QTest::addColumn<QList<int>>("truth");
    QTest::addColumn<QList<double>>("scores");
    QTest::addColumn<QList<double>>("x");
    QTest::addColumn<QList<double>>("y");
    QTest::addColumn<QList<double>>("thresholds");

    // Scores 0.8 (P), 0.4 (N), 0.35 (P), 0.1 (N) in descending order; after each, (fpr, tpr) is
    // (0, 1/2), (1/2, 1/2), (1/2, 1), (1, 1); none is collinear with its neighbours. The first
    // threshold is the highest score + 1.
    const QList<int> truth{0, 0, 1, 1};
    const QList<double> scores{0.1, 0.4, 0.35, 0.8};
    QTest::newRow("roc-four-points") << u"roc"_s << truth << scores << QList<double>{0, 0, 0.5, 0.5, 1}
                                     << QList<double>{0, 0.5, 0.5, 1, 1} << QList<double>{1.8, 0.8, 0.4, 0.35, 0.1};
    // Scores 0.9 P, 0.8 P, 0.7 N, 0.6 N: (0, 1/2), (0, 1), (1/2, 1), (1, 1); the third lies on
    // the segment from the second to the fourth and is dropped.
    QTest::newRow("roc-drops-collinear") << u"roc"_s << QList<int>{1, 1, 0, 0} << QList<double>{0.9, 0.8, 0.7, 0.6}
                                         << QList<double>{0, 0, 0, 1} << QList<double>{0, 0.5, 1, 1}
                                         << QList<double>{1.9, 0.9, 0.8, 0.6};
    // Thresholds ascending 0.1, 0.35, 0.4, 0.8: predicted positive 4, 3, 2, 1 samples holding
    // 2, 2, 1, 1 positives; then the (recall 0, precision 1) end point.
    QTest::newRow("pr-four-points") << u"pr"_s << truth << scores << QList<double>{1, 1, 0.5, 0.5, 0}
                                    << QList<double>{0.5, 2.0 / 3.0, 0.5, 1, 1} << QList<double>{0.1, 0.35, 0.4, 0.8};
    // Ten bins of width 0.1, an edge belonging to the bin below it (numpy searchsorted, left):
    // bin 0 holds 0.05 and 0.1, bin 1 holds 0.15, bin 9 holds 0.95 and 1.0. Thresholds: counts.
    QTest::newRow("calibration-edges") << u"calibration"_s << QList<int>{0, 1, 1, 0, 1}
                                       << QList<double>{0.05, 0.1, 0.15, 0.95, 1.0} << QList<double>{0.075, 0.15, 0.975}
                                       << QList<double>{0.5, 1, 0.5} << QList<double>{2, 1, 2};
}

void TestMetrics::handCurves()
{
    QFETCH(QString, curve);
    QFETCH(QList<int>, truth);
    QFETCH(QList<double>, scores);
    QFETCH(QList<double>, x);
    QFETCH(QList<double>, y);
    QFETCH(QList<double>, thresholds);

    const Labels labels = toStd(truth);
    const Eigen::VectorXd values = toEigen(scores);
    const CurvePoints actual = curve == u"roc"_s ? rocCurve(labels, values)
        : curve == u"pr"_s                       ? precisionRecallCurve(labels, values)
                                                 : calibrationCurve(labels, values, 10);
    const QString differences = QStringList{compareSeries(u"x"_s, actual.x, toEigen(x), u"by hand"_s),
                                            compareSeries(u"y"_s, actual.y, toEigen(y), u"by hand"_s),
                                            compareSeries(u"thresholds"_s, actual.thresholds, toEigen(thresholds), u"by hand"_s)}
                                    .join(u' ')
                                    .trimmed();
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

// Three classes: each class's curves are the binary curves of "this class or not" scored by its
// probability column (sklearn's one-vs-rest), and a binary problem gets no per-class curves.
void TestMetrics::multiclassCurvesAreOneVsRest()
{
    const Labels truth{0, 1, 2, 2, 1, 0, 2};
    Eigen::MatrixXd probabilities(7, 3);
    probabilities << 0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.1, 0.2, 0.7, 0.2, 0.5, 0.3, 0.2, 0.6, 0.2, 0.5, 0.25, 0.25, 0.3, 0.3, 0.4;
    const Evaluation evaluation = evaluateClassification(truth, probabilities, {u"a"_s, u"b"_s, u"c"_s});
    QCOMPARE(evaluation.classRoc.size(), std::size_t(3));
    QCOMPARE(evaluation.classPrecisionRecall.size(), std::size_t(3));
    QCOMPARE(evaluation.classCalibration.size(), std::size_t(3));
    QVERIFY(evaluation.roc.x.empty());
    // Class 1 ("b") by hand: rows 1 and 4 are positive, scored 0.4 and 0.6; the negatives score
    // 0.2, 0.2, 0.5, 0.25, 0.3. Descending thresholds 0.6, 0.5, 0.4, 0.3, 0.25, 0.2 give false
    // positives 0, 1, 1, 2, 3, 5 and true positives 1, 1, 2, 2, 2, 2. sklearn's drop_intermediate
    // drops where both second differences are zero: only the threshold 0.3 (fps 1, 2, 3 rise
    // evenly there); then (0, 0) is prepended. fpr = fps / 5, tpr = tps / 2. sklearn 1.2's
    // roc_curve on these scores returns the same six points.
    const CurvePoints &b = evaluation.classRoc[1];
    QCOMPARE(b.x.front(), 0.0);
    QCOMPARE(b.y.back(), 1.0);
    for (int c = 0; c < 3; ++c) {
        Labels isClass;
        for (int label : truth)
            isClass.push_back(label == c ? 1 : 0);
        const CurvePoints roc = rocCurve(isClass, probabilities.col(c));
        QCOMPARE(evaluation.classRoc[std::size_t(c)].x, roc.x);
        QCOMPARE(evaluation.classRoc[std::size_t(c)].y, roc.y);
        QCOMPARE(evaluation.classPrecisionRecall[std::size_t(c)].y, precisionRecallCurve(isClass, probabilities.col(c)).y);
        QCOMPARE(evaluation.classCalibration[std::size_t(c)].y, calibrationCurve(isClass, probabilities.col(c), 10).y);
    }
    const std::vector<double> expectedB{0.0, 0.5, 0.5, 1.0, 1.0, 1.0};
    const std::vector<double> expectedBx{0.0, 0.0, 0.2, 0.2, 0.6, 1.0};
    QCOMPARE(b.y, expectedB);
    QCOMPARE(b.x, expectedBx);

    Eigen::MatrixXd binary(3, 2);
    binary << 0.8, 0.2, 0.3, 0.7, 0.6, 0.4;
    QVERIFY(evaluateClassification({0, 1, 1}, binary, {u"no"_s, u"yes"_s}).classRoc.empty());
}

void TestMetrics::singleMetricEqualsTheFullEvaluation()
{
    // Three classes, 200 rows of fixed pseudo-random probabilities: every metric computed alone is
    // the full evaluation's value, bit for bit.
    const int k = 3;
    Labels truth(200);
    Eigen::MatrixXd probabilities(200, k);
    std::uint64_t state = 7;
    const auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return double(state >> 11) * 0x1.0p-53;
    };
    for (Eigen::Index i = 0; i < 200; ++i) {
        truth[std::size_t(i)] = int(next() * k);
        for (int c = 0; c < k; ++c)
            probabilities(i, c) = 0.05 + next();
        probabilities.row(i) /= probabilities.row(i).sum();
    }
    const Evaluation full = evaluateClassification(truth, probabilities,
                                                   {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
    QCOMPARE(full.metrics.size(), std::size_t(9));
    for (const auto &[name, value] : full.metrics)
        QVERIFY2(classificationMetric(name, truth, probabilities) == value, qPrintable(name));
    QVERIFY(std::isnan(classificationMetric(QStringLiteral("r2"), truth, probabilities)));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestMetrics)
#include "tst_metrics.moc"
