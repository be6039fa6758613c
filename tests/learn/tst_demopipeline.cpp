// The default pipeline on the demo data against scikit-learn 1.2.
//
// Expected values are tests/reference/golden/pipeline_demo_logistic.json, written by
// tests/reference/make_sklearn_goldens.py: a ColumnTransformer (numeric columns: median imputer +
// standard scaler; text and boolean columns: most-frequent imputer + one-hot encoder) and
// LogisticRegression(C=1.0, tol=1e-10, max_iter=10000), fitted on golden/demo_training_head.csv and
// applied to golden/demo_2026-01_head.csv. That is what Pipeline::withDefaults builds, with the
// branches in the same order (numbers first, then categories, each in file order), so Plumb's
// default pipeline is fitted here as a user would fit it, from the CSV files as CsvReader reads them.
//
// The fitted preprocessing must match sklearn's to 1e-12 relative (medians, categories and names
// exactly); the model is compared with the golden's `optimum` (sklearn's lbfgs stops with a
// gradient of 2.5e-2 here) within 1e-4, probabilities and coefficients alike.

#include "data/csvreader.h"
#include "goldenreader.h"
#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/logisticregression.h"
#include "learn/pipeline.h"
#include "learn/scalers.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kRounding = 1e-12;
constexpr double kLogisticAbsolute = 1e-4;

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

// Empty when |actual - expected| <= tolerance * max(1, |expected|) for every element;
// otherwise the shape mismatch or the first few elements that differ.
QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, double tolerance)
{
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
        return u"%1: Plumb gives %2 x %3, sklearn %4 x %5"_s.arg(what)
            .arg(actual.rows())
            .arg(actual.cols())
            .arg(expected.rows())
            .arg(expected.cols());
    QStringList found;
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
        for (Eigen::Index c = 0; c < expected.cols(); ++c) {
            const double a = actual(r, c), e = expected(r, c);
            if (!(std::fabs(a - e) <= tolerance * std::max(1.0, std::fabs(e))) && found.size() < 5)
                found.append(u"%1(%2, %3): Plumb %4, sklearn %5"_s.arg(what).arg(r).arg(c).arg(number(a), number(e)));
        }
    return found.join(u"; "_s);
}

Result<Dataset> readGolden(const QString &name)
{
    return CsvReader::readFile(test::goldenPath(name));
}

} // namespace

class TestDemoPipeline : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void branchesFollowTheGolden();
    void fittedNumbersMatchSklearn_data();
    void fittedNumbersMatchSklearn();
    void fittedCategoriesMatchSklearn();
    void transformedRowsMatchSklearn();
    void modelMatchesOptimum();

private:
    test::GoldenCase mGolden;
    std::optional<Dataset> mTest;
    std::optional<Pipeline> mPipeline;
};

void TestDemoPipeline::initTestCase()
{
    mGolden = test::GoldenCase::load(test::goldenPath(u"pipeline_demo_logistic.json"_s));
    QVERIFY2(mGolden.text(u"sklearn"_s).contains(u"LogisticRegression(C=1.0, tol=1e-10, max_iter=10000)"_s),
             qPrintable(mGolden.text(u"sklearn"_s)));
    Result<Dataset> training = readGolden(mGolden.text(u"data.train"_s));
    QVERIFY2(training.ok(), qPrintable(training.ok() ? QString() : training.error().message));
    Result<Dataset> test = readGolden(mGolden.text(u"data.test"_s));
    QVERIFY2(test.ok(), qPrintable(test.ok() ? QString() : test.error().message));
    mTest = std::move(test).value();

    // The features are every column but the target and the golden's dropped ones, in file order.
    const QString target = mGolden.text(u"data.target"_s);
    const QStringList dropped = mGolden.strings(u"data.dropped"_s) + QStringList{target};
    QVERIFY2(mGolden.problems().isEmpty(), qPrintable(mGolden.problems().join(u"\n"_s)));
    QStringList features;
    for (const Column &column : training.value().columns())
        if (!dropped.contains(column.name()))
            features.append(column.name());

    std::unique_ptr<Model> model = createModel(u"logistic_regression"_s);
    QVERIFY(!model->setParam(u"C"_s, 1.0));
    QVERIFY(!model->setParam(u"tol"_s, 1e-10));
    QVERIFY(!model->setParam(u"max_iter"_s, 10000));
    Result<Pipeline> pipeline = Pipeline::withDefaults(training.value(), features, std::move(model));
    QVERIFY2(pipeline.ok(), qPrintable(pipeline.ok() ? QString() : pipeline.error().message));
    mPipeline = std::move(pipeline).value();
    const Result<FitReport> report = mPipeline->fit(training.value(), target, {});
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    QVERIFY2(report.value().converged, qPrintable(report.value().warnings.join(u"; "_s)));
    QCOMPARE(mPipeline->target().classes, mGolden.strings(u"expected.classes"_s));
}

// If the golden's branches ever came in another order, withDefaults would no longer be the
// pipeline it describes; this says so before any number is compared.
void TestDemoPipeline::branchesFollowTheGolden()
{
    const auto &branches = mPipeline->router().branches();
    QCOMPARE(branches.size(), std::size_t(2));
    QCOMPARE(branches[0].columns, mGolden.strings(u"expected.columns.numeric"_s));
    QCOMPARE(branches[1].columns, mGolden.strings(u"expected.columns.categorical"_s));
    QVERIFY(mGolden.problems().isEmpty());
}

void TestDemoPipeline::fittedNumbersMatchSklearn_data()
{
    QTest::addColumn<QString>("attribute"); // path in the golden
    QTest::addColumn<int>("step"); // in the numeric branch
    QTest::addColumn<double>("tolerance");

    // A median is one of the values, or the mean of two: the same double on both sides.
    QTest::newRow("numeric-imputer-statistics") << u"expected.numeric_imputer_statistics"_s << 0 << 0.0;
    QTest::newRow("scaler-mean") << u"expected.scaler_mean"_s << 1 << kRounding;
    QTest::newRow("scaler-scale") << u"expected.scaler_scale"_s << 1 << kRounding;
}

void TestDemoPipeline::fittedNumbersMatchSklearn()
{
    QFETCH(QString, attribute);
    QFETCH(int, step);
    QFETCH(double, tolerance);
    const Transformer &fitted = *mPipeline->router().branches()[0].steps[std::size_t(step)];
    Eigen::VectorXd values;
    if (const auto *imputer = dynamic_cast<const SimpleImputer *>(&fitted))
        values = imputer->numericFills();
    else if (attribute.endsWith(u"mean"_s))
        values = dynamic_cast<const StandardScaler &>(fitted).means();
    else
        values = dynamic_cast<const StandardScaler &>(fitted).scales();
    const Eigen::VectorXd expected = mGolden.vector(attribute);
    QVERIFY2(mGolden.problems().isEmpty(), qPrintable(mGolden.problems().join(u"\n"_s)));
    const QString differences = mismatches(attribute, values, expected, tolerance);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestDemoPipeline::fittedCategoriesMatchSklearn()
{
    const RouterBranch &categorical = mPipeline->router().branches()[1];
    const auto &imputer = dynamic_cast<const SimpleImputer &>(*categorical.steps[0]);
    QCOMPARE(imputer.categoricalFills(), mGolden.strings(u"expected.categorical_imputer_statistics"_s));
    const auto &encoder = dynamic_cast<const OneHotEncoder &>(*categorical.steps[1]);
    QCOMPARE(encoder.categories().size(), std::size_t(categorical.columns.size()));
    for (qsizetype c = 0; c < categorical.columns.size(); ++c)
        QCOMPARE(encoder.categories()[std::size_t(c)], mGolden.strings(u"expected.categories."_s + categorical.columns[c]));

    // sklearn prefixes each output name with its branch ("numeric__tenure_months"); Plumb's names
    // are the rest.
    QStringList names = mGolden.strings(u"expected.feature_names_out"_s);
    for (QString &name : names)
        name.remove(QRegularExpression(u"^(numeric|categorical)__"_s));
    QCOMPARE(mPipeline->router().outputNames(), names);
    QVERIFY2(mGolden.problems().isEmpty(), qPrintable(mGolden.problems().join(u"\n"_s)));
}

void TestDemoPipeline::transformedRowsMatchSklearn()
{
    const Eigen::MatrixXd expected = mGolden.matrix(u"expected.transform_test_head"_s);
    QVERIFY2(mGolden.problems().isEmpty(), qPrintable(mGolden.problems().join(u"\n"_s)));
    std::vector<std::size_t> head(std::size_t(expected.rows()));
    for (std::size_t i = 0; i < head.size(); ++i)
        head[i] = i;
    TransformNotes notes;
    const Eigen::MatrixXd transformed = mPipeline->router().transform(*mTest, head, notes);
    const QString differences = mismatches(u"transform_test_head"_s, transformed, expected, kRounding);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestDemoPipeline::modelMatchesOptimum()
{
    const Eigen::MatrixXd coef = mGolden.matrix(u"optimum.coef"_s); // 1 x outputs: the log-odds of "yes"
    const Eigen::VectorXd intercept = mGolden.vector(u"optimum.intercept"_s);
    const Eigen::MatrixXd probabilities = mGolden.matrix(u"optimum.predict_proba"_s);
    const QStringList labels = mGolden.strings(u"expected.predict"_s);
    QVERIFY2(mGolden.problems().isEmpty(), qPrintable(mGolden.problems().join(u"\n"_s)));

    const auto &logistic = dynamic_cast<const LogisticRegression &>(mPipeline->model());
    QString differences = mismatches(u"coef"_s, logistic.coefficients().transpose(), coef, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"intercept"_s, logistic.intercepts(), intercept, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));

    const Result<Prediction> prediction = mPipeline->predict(*mTest);
    QVERIFY2(prediction.ok(), qPrintable(prediction.ok() ? QString() : prediction.error().message));
    differences = mismatches(u"predict_proba"_s, prediction.value().probabilities, probabilities, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    // sklearn's labels at its early stop: every row's two probabilities are at least 4.7e-3 apart
    // at the optimum, more than the 1.1e-4 between `expected` and `optimum`, so they are the
    // optimum's labels too.
    QCOMPARE(prediction.value().values.size(), Eigen::Index(labels.size()));
    for (Eigen::Index row = 0; row < prediction.value().values.size(); ++row)
        QVERIFY2(
            prediction.value().label(row) == labels[row],
            qPrintable(u"test row %1: Plumb predicts %2, sklearn %3"_s.arg(row).arg(prediction.value().label(row), labels[row])));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestDemoPipeline)
#include "tst_demopipeline.moc"
