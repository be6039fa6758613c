// The models against scikit-learn 1.2.
//
// Every expected value is read from tests/reference/golden/*.json, written by
// tests/reference/make_sklearn_goldens.py; each case fits on the golden's training CSV and
// predicts its test CSV (the layout is in tests/reference/README.md). Tolerances:
//  - linear models: coefficients, intercept and predictions within 1e-6 relative of sklearn's,
//    element by element (a coefficient sklearn sets to exactly 0 must be exactly 0). The lasso
//    and elastic net run with sklearn's tol=1e-12 and max_iter=100000, so both sides are at the
//    converged optimum rather than an early stop of coordinate descent;
//  - logistic regression: against the golden's `optimum` (sklearn's answer refined to a gradient
//    below 3e-14), since sklearn's lbfgs stops early: probabilities, coefficients and intercepts
//    within 1e-4, with tol=1e-10 and max_iter=10000 as in sklearn's call.

#include "goldenfit.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"

#include <QTest>

#include <map>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kLinearRelative = 1e-6;
constexpr double kLogisticAbsolute = 1e-4;

// One golden case: the file, the Plumb model and parameters that match sklearn's call, and the
// call itself as the golden records it (so a golden regenerated with other arguments fails here
// instead of being compared against the wrong fit).
struct ModelCase
{
    const char *row;
    QString golden;
    QString kind;
    QVariantMap params;
    QString sklearn;
};

const QString kLogisticCall = u"LogisticRegression(solver='lbfgs', penalty='l2', C=%1, tol=1e-10, max_iter=10000%2)"_s;
const QVariantMap kTightLogistic = {{u"tol"_s, 1e-10}, {u"max_iter"_s, 10000}};

QVariantMap with(QVariantMap params, const QVariantMap &more)
{
    params.insert(more);
    return params;
}

const std::vector<ModelCase> kCases = {
    {"linear-regression", u"linear_regression"_s, u"linear_regression"_s, {}, u"LinearRegression()"_s},
    {"linear-regression-rank-deficient",
     u"linear_regression_rank_deficient"_s,
     u"linear_regression"_s,
     {},
     u"LinearRegression()"_s},
    {"ridge-alpha1", u"ridge_alpha1"_s, u"ridge"_s, {{u"alpha"_s, 1.0}}, u"Ridge(alpha=1.0)"_s},
    {"ridge-alpha10", u"ridge_alpha10"_s, u"ridge"_s, {{u"alpha"_s, 10.0}}, u"Ridge(alpha=10.0)"_s},
    {"lasso-alpha0.5",
     u"lasso_alpha0.5"_s,
     u"lasso"_s,
     {{u"alpha"_s, 0.5}, {u"tol"_s, 1e-12}, {u"max_iter"_s, 100000}},
     u"Lasso(alpha=0.5, tol=1e-12, max_iter=100000)"_s},
    {"lasso-alpha20",
     u"lasso_alpha20"_s,
     u"lasso"_s,
     {{u"alpha"_s, 20.0}, {u"tol"_s, 1e-12}, {u"max_iter"_s, 100000}},
     u"Lasso(alpha=20.0, tol=1e-12, max_iter=100000)"_s},
    {"elastic-net-alpha0.5-l1ratio0.3",
     u"elastic_net_alpha0.5_l1ratio0.3"_s,
     u"elastic_net"_s,
     {{u"alpha"_s, 0.5}, {u"l1_ratio"_s, 0.3}, {u"tol"_s, 1e-12}, {u"max_iter"_s, 100000}},
     u"ElasticNet(alpha=0.5, l1_ratio=0.3, tol=1e-12, max_iter=100000)"_s},
    {"logistic-binary", u"logistic_binary"_s, u"logistic_regression"_s, with(kTightLogistic, {{u"C"_s, 1.0}}),
     kLogisticCall.arg(u"1.0"_s, QString())},
    {"logistic-binary-c0.1", u"logistic_binary_c0.1"_s, u"logistic_regression"_s, with(kTightLogistic, {{u"C"_s, 0.1}}),
     kLogisticCall.arg(u"0.1"_s, QString())},
    {"logistic-multinomial", u"logistic_multinomial"_s, u"logistic_regression"_s, with(kTightLogistic, {{u"C"_s, 1.0}}),
     kLogisticCall.arg(u"1.0"_s, QString())},
    {"logistic-multinomial-c0.1", u"logistic_multinomial_c0.1"_s, u"logistic_regression"_s, with(kTightLogistic, {{u"C"_s, 0.1}}),
     kLogisticCall.arg(u"0.1"_s, QString())},
    {"logistic-balanced", u"logistic_balanced"_s, u"logistic_regression"_s,
     with(kTightLogistic, {{u"C"_s, 1.0}, {u"class_weight"_s, u"balanced"_s}}),
     kLogisticCall.arg(u"1.0"_s, u", class_weight='balanced'"_s)},
};

// A model of the case's kind with the case's parameters; empty with `error` set when one is refused.
std::unique_ptr<Model> configuredModel(const ModelCase &modelCase, QString &error)
{
    std::unique_ptr<Model> model = createModel(modelCase.kind);
    if (!model) {
        error = u"no model kind '%1'"_s.arg(modelCase.kind);
        return nullptr;
    }
    for (auto it = modelCase.params.cbegin(); it != modelCase.params.cend(); ++it) {
        if (auto refused = model->setParam(it.key(), it.value())) {
            error = refused->message;
            return nullptr;
        }
    }
    return model;
}

// One row per case whose model predicts classes (or, with false, values), named as in kCases.
void addCaseRows(bool classification)
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < kCases.size(); ++i)
        if ((kCases[i].kind == u"logistic_regression"_s) == classification)
            QTest::newRow(kCases[i].row) << int(i);
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    void linearModelsMatchSklearn_data() { addCaseRows(false); }
    void linearModelsMatchSklearn();
    void logisticRegressionMatchesOptimum_data() { addCaseRows(true); }
    void logisticRegressionMatchesOptimum();
    void predictRowMatchesBatch_data();
    void predictRowMatchesBatch();
    void everyModelKindHasACase();
};

void TestModels::linearModelsMatchSklearn()
{
    QFETCH(int, index);
    const ModelCase &modelCase = kCases[std::size_t(index)];
    test::GoldenFit loaded = test::GoldenFit::load(modelCase.golden, Task::Regression, modelCase.sklearn);
    const Eigen::VectorXd coef = loaded.json.vector(u"expected.coef"_s);
    const double intercept = loaded.json.number(u"expected.intercept"_s);
    const Eigen::VectorXd predictions = loaded.json.vector(u"expected.predict"_s);
    QVERIFY2(loaded.problems().isEmpty(), qPrintable(loaded.problems().join(u"\n"_s)));

    QString error;
    std::unique_ptr<Model> model = configuredModel(modelCase, error);
    QVERIFY2(model, qPrintable(error));
    const Result<FitReport> report = model->fit(loaded.trainX, loaded.target, nullProgress());
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    QVERIFY2(report.value().converged, qPrintable(report.value().warnings.join(u"; "_s)));

    const auto &linear = dynamic_cast<const LinearRegressor &>(*model);
    QString differences = test::mismatches(u"coef"_s, linear.coefficients(), coef, kLinearRelative, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = test::mismatches(u"intercept"_s, Eigen::VectorXd::Constant(1, linear.intercept()),
                                   Eigen::VectorXd::Constant(1, intercept), kLinearRelative, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = test::mismatches(u"predict"_s, model->predict(loaded.testX), predictions, kLinearRelative, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestModels::logisticRegressionMatchesOptimum()
{
    QFETCH(int, index);
    const ModelCase &modelCase = kCases[std::size_t(index)];
    test::GoldenFit loaded = test::GoldenFit::load(modelCase.golden, Task::Classification, modelCase.sklearn);
    const Eigen::MatrixXd coef = loaded.json.matrix(u"optimum.coef"_s); // classes x features (binary: 1 x features)
    const Eigen::VectorXd intercept = loaded.json.vector(u"optimum.intercept"_s);
    const Eigen::MatrixXd probabilities = loaded.json.matrix(u"optimum.predict_proba"_s);
    const std::vector<int> labels = loaded.json.integers(u"expected.predict"_s);
    QVERIFY2(loaded.problems().isEmpty(), qPrintable(loaded.problems().join(u"\n"_s)));

    QString error;
    std::unique_ptr<Model> model = configuredModel(modelCase, error);
    QVERIFY2(model, qPrintable(error));
    const Result<FitReport> report = model->fit(loaded.trainX, loaded.target, nullProgress());
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    QVERIFY2(report.value().converged, qPrintable(report.value().warnings.join(u"; "_s)));

    // Plumb keeps features x classes; sklearn classes x features. Both centre multinomial
    // intercepts to sum 0, so they are comparable as they stand.
    const auto &logistic = dynamic_cast<const LogisticRegression &>(*model);
    QCOMPARE(logistic.classCount(), loaded.target.classCount);
    QString differences = test::mismatches(u"coef"_s, logistic.coefficients().transpose(), coef, 0.0, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = test::mismatches(u"intercept"_s, logistic.intercepts(), intercept, 0.0, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = test::mismatches(u"predict_proba"_s, model->predictProba(loaded.testX), probabilities, 0.0, kLogisticAbsolute);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));

    // sklearn's labels at its early stop. Every test row's two largest optimum probabilities are
    // at least 6e-4 apart, more than the 2.3e-5 between `expected` and `optimum`, so these are
    // also the optimum's labels and Plumb must give each one.
    const Eigen::VectorXd predicted = model->predict(loaded.testX);
    QCOMPARE(predicted.size(), Eigen::Index(labels.size()));
    for (Eigen::Index row = 0; row < predicted.size(); ++row)
        QVERIFY2(predicted[row] == labels[std::size_t(row)],
                 qPrintable(
                     u"test row %1: Plumb predicts %2, sklearn %3"_s.arg(row).arg(predicted[row]).arg(labels[std::size_t(row)])));
}

void TestModels::predictRowMatchesBatch_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < kCases.size(); ++i)
        QTest::newRow(kCases[i].row) << int(i);
}

// The one-row path scores with the same arithmetic in the same order as the batch path, so every
// value must be the same double, bit for bit.
void TestModels::predictRowMatchesBatch()
{
    QFETCH(int, index);
    const ModelCase &modelCase = kCases[std::size_t(index)];
    QString error;
    std::unique_ptr<Model> model = configuredModel(modelCase, error);
    QVERIFY2(model, qPrintable(error));
    const test::GoldenFit loaded = test::GoldenFit::load(modelCase.golden, model->task(), modelCase.sklearn);
    QVERIFY2(loaded.problems().isEmpty(), qPrintable(loaded.problems().join(u"\n"_s)));
    QVERIFY(model->fit(loaded.trainX, loaded.target, nullProgress()).ok());

    const bool classification = model->task() == Task::Classification;
    const Eigen::MatrixXd batch = test::batchOutputs(*model, loaded.testX);
    QCOMPARE(model->rowOutputs(), classification ? Eigen::Index(loaded.target.classCount) : Eigen::Index(1));
    QCOMPARE(batch.rows(), loaded.testX.rows());
    QCOMPARE(batch.cols(), model->rowOutputs());
    const QString differences = test::rowPathMismatches(*model, loaded.testX, batch);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

// Kinds compared with sklearn by their own suites, and the suite.
const std::map<QString, const char *> kCoveredElsewhere = {
    {u"decision_tree"_s, "tst_trees"},    {u"random_forest"_s, "tst_trees"},        {u"knn"_s, "tst_neighbours"},
    {u"gaussian_nb"_s, "tst_neighbours"}, {u"gradient_boosting"_s, "tst_boosting"},
};

// Every model kind meets sklearn, in the cases above or its own suite: a new kind needs a golden.
void TestModels::everyModelKindHasACase()
{
    QStringList covered;
    for (const auto &[kind, suite] : kCoveredElsewhere)
        covered.append(kind);
    for (const ModelCase &modelCase : kCases)
        if (!covered.contains(modelCase.kind))
            covered.append(modelCase.kind);
    QStringList kinds = modelKinds();
    covered.sort();
    kinds.sort();
    QCOMPARE(covered, kinds);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestModels)
#include "tst_models.moc"
