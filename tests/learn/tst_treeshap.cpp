// Exact TreeSHAP and linear SHAP: equal to the Shapley values computed by enumerating every
// coalition, additive on every row for every model kind, and equal to a hand calculation on a
// tree small enough to do one.
#include "data/csvreader.h"
#include "learn/gradientboosting.h"
#include "learn/shapexplainer.h"
#include "learn/tree.h"
#include "learn/treemodels.h"
#include "learn/treeshap.h"

#include <QTest>

#include <cmath>
#include <map>
#include <numeric>
#include <random>

using namespace plumb;

namespace {

// 240 rows: x0..x4 numeric (x2 missing in one row in seven, x4 with few distinct values),
// colour categorical (3 levels); value, a nonlinear regression target; yes_no and kind, two and
// three classes. Deterministic integer arithmetic, so the fits are the same on every run.
Dataset load()
{
    QByteArray csv = "x0,x1,x2,x3,x4,colour,value,yes_no,kind\n";
    for (int i = 0; i < 240; ++i) {
        const double x0 = (i * 37 % 101) / 10.0, x1 = (i * 53 % 89) / 8.0 - 5, x2 = (i * 17 % 23) - 11.0;
        const double x3 = std::sin(i * 0.7) * 3, x4 = i % 4;
        const bool missing = i % 7 == 3;
        const char *colour = i % 3 == 0 ? "red" : (i % 5 < 2 ? "green" : "blue");
        const double value = x0 * (x1 > 0 ? 2 : -1) + (missing ? 4 : x2) + x3 * x4 + (colour[0] == 'r' ? 5 : 0);
        csv += QByteArray::number(x0) + ',' + QByteArray::number(x1) + ',' + (missing ? QByteArray() : QByteArray::number(x2))
            + ',' + QByteArray::number(x3) + ',' + QByteArray::number(x4) + ',' + colour + ',' + QByteArray::number(value) + ','
            + (value > 6 ? "yes" : "no") + ','
            + (value > 14      ? "high"
                   : value > 0 ? "mid"
                               : "low")
            + '\n';
    }
    return CsvReader::readBytes(csv, QStringLiteral("shap.csv")).value();
}

const QStringList kFeatures{QStringLiteral("x0"), QStringLiteral("x1"), QStringLiteral("x2"),
                            QStringLiteral("x3"), QStringLiteral("x4"), QStringLiteral("colour")};

Pipeline fitted(const Dataset &data, const QString &kind, const QString &target, Task task, const QVariantMap &params = {})
{
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(kind, task)).value();
    for (auto it = params.begin(); it != params.end(); ++it)
        [[maybe_unused]] auto error = pipeline.model().setParam(it.key(), it.value());
    [[maybe_unused]] auto report = pipeline.fit(data, target, {});
    return pipeline;
}

Eigen::MatrixXd modelInputs(const Pipeline &pipeline, const Dataset &data)
{
    TransformNotes notes;
    return pipeline.router().transform(data, {}, notes);
}

// The path-dependent conditional expectation of a tree's output o given the features in S
// (Lundberg et al. 2018, Algorithm 1): a split on a feature of S follows the row, any other split
// takes both children weighted by their share of the node's cover.
double expected(const ShapTree &tree, std::int32_t node, const double *x, unsigned coalition, int o)
{
    const ShapTree::Node &split = tree.nodes[std::size_t(node)];
    if (split.feature < 0)
        return tree.values[std::size_t(node) * std::size_t(tree.outputs) + std::size_t(o)];
    if (coalition >> split.feature & 1u)
        return expected(tree, tree.child(node, x), x, coalition, o);
    const double cover = tree.covers[std::size_t(node)];
    const double left = cover > 0 ? tree.covers[std::size_t(split.left)] / cover : 0.5;
    const double right = cover > 0 ? tree.covers[std::size_t(split.right)] / cover : 0.5;
    return left * expected(tree, split.left, x, coalition, o) + right * expected(tree, split.right, x, coalition, o);
}

// Shapley values by definition: phi_i = sum over S without i of |S|! (M - |S| - 1)! / M! x
// (v(S + i) - v(S)), v(S) = the ensemble's expected output given S; every one of the 2^M
// coalitions is enumerated (M <= 10). Row-major features x outputs, as TreeShap::explain.
std::vector<double> bruteForce(const std::vector<ShapTree> &trees, int features, int outputs, double scale, const double *x)
{
    std::vector<double> v(std::size_t(1) << features, 0.0);
    std::vector<double> phi(std::size_t(features * outputs), 0.0);
    std::vector<double> factorial(std::size_t(features + 1), 1.0);
    for (int k = 1; k <= features; ++k)
        factorial[std::size_t(k)] = factorial[std::size_t(k - 1)] * k;
    for (int o = 0; o < outputs; ++o) {
        for (unsigned s = 0; s < v.size(); ++s) {
            v[s] = 0;
            for (const ShapTree &tree : trees)
                if (o >= tree.firstOutput && o < tree.firstOutput + tree.outputs)
                    v[s] += scale * expected(tree, 0, x, s, o - tree.firstOutput);
        }
        for (int i = 0; i < features; ++i)
            for (unsigned s = 0; s < v.size(); ++s) {
                if (s >> i & 1u)
                    continue;
                const int size = __builtin_popcount(s);
                const double weight = factorial[std::size_t(size)] * factorial[std::size_t(features - size - 1)]
                    / factorial[std::size_t(features)];
                phi[std::size_t(i * outputs + o)] += weight * (v[s | (1u << i)] - v[s]);
            }
    }
    return phi;
}

double worstDifference(const std::vector<double> &a, const std::vector<double> &b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

// The raw output each explainer output stands for, from the model's own scoring of the row:
// a probability or value (trees, forests, linear regression), the raw score (boosting), the
// log-odds log(p1 / p0) (binary logistic regression). Multinomial logistic regression's logits
// are known up to a constant: the caller compares differences between classes.
std::vector<double> rawOutputs(const Pipeline &pipeline, const double *inputs)
{
    const Model &model = pipeline.model();
    std::vector<double> out(std::size_t(model.rowOutputs()));
    model.predictRow(inputs, out.data());
    if (const auto *boosting = dynamic_cast<const GradientBoosting *>(&model)) {
        std::vector<double> raw(std::size_t(boosting->trees().outputs()));
        boosting->trees().scoreRow(inputs, raw.data());
        return raw;
    }
    if (model.kind() == QLatin1String("logistic_regression")) {
        if (out.size() == 2)
            return {std::log(out[1] / out[0])};
        for (double &p : out)
            p = std::log(p);
        return out;
    }
    if (out.size() == 2 && model.task() == Task::Classification)
        return {out[1]};
    return out;
}

// One feature on a leaf's path, as the path-dependent definition has it: zero, the product of the
// cover shares of its splits on the path; one, whether the row takes every one of them.
struct PathFeature
{
    long double zero = 1;
    long double one = 1;
};

// Adds each leaf's share of the Shapley values under `node` to phi (one output):
// (one_i - zero_i) x value x sum_k k! (d - 1 - k)! / d! x c_k, where c_k is the coefficient of y^k
// in prod over the path's other features j of (zero_j + one_j y). The coefficients are multiplied
// out, every term positive, in extended precision: a check that needs neither subsets (too many
// at these depths) nor the quadrature under test.
void addPathFormula(const ShapTree &tree, std::int32_t node, const double *x, std::map<int, PathFeature> path,
                    std::vector<long double> &phi)
{
    const ShapTree::Node &split = tree.nodes[std::size_t(node)];
    if (split.feature >= 0) {
        const double cover = tree.covers[std::size_t(node)];
        for (const std::int32_t child : {split.left, split.right}) {
            std::map<int, PathFeature> next = path;
            PathFeature &feature = next[split.feature];
            feature.zero *= cover > 0 ? tree.covers[std::size_t(child)] / cover : 0.5;
            feature.one *= child == tree.child(node, x) ? 1 : 0;
            addPathFormula(tree, child, x, std::move(next), phi);
        }
        return;
    }
    const std::size_t d = path.size();
    for (const auto &[feature, element] : path) {
        std::vector<long double> coefficients{1};
        for (const auto &[other, factor] : path) {
            if (other == feature)
                continue;
            std::vector<long double> product(coefficients.size() + 1, 0);
            for (std::size_t k = 0; k < coefficients.size(); ++k) {
                product[k] += coefficients[k] * factor.zero;
                product[k + 1] += coefficients[k] * factor.one;
            }
            coefficients = std::move(product);
        }
        long double sum = 0, binomial = 1; // binomial: C(d - 1, k)
        for (std::size_t k = 0; k < d; ++k) {
            sum += coefficients[k] / (binomial * (long double)d);
            binomial = binomial * (long double)(d - 1 - k) / (long double)(k + 1);
        }
        phi[std::size_t(feature)] += (element.one - element.zero) * sum * tree.values[std::size_t(node)];
    }
}

// A tree whose every split has one leaf child and one that goes on, `depth` levels deep, made for
// row x: level L splits on feature L % features at 0.5, and the row follows the spine at 19
// splits in 20 (so deep leaves carry weight). The spine keeps a share of the cover drawn from 0.1-2%, 30-70% or 95-99.9%, as
// one-hot columns give: the mix on which the paper's recursion loses its precision.
ShapTree spineTree(int depth, int features, const std::vector<double> &x, std::mt19937 &random)
{
    std::uniform_real_distribution<double> unit(0, 1), value(-1, 1);
    const auto spineShare = [&] {
        const double u = unit(random);
        switch (random() % 3) {
        case 0:
            return 0.001 + u * 0.019;
        case 1:
            return 0.3 + u * 0.4;
        default:
            return 0.95 + u * 0.049;
        }
    };
    ShapTree tree;
    tree.nodes.emplace_back();
    tree.covers.push_back(1e6);
    tree.values.push_back(0);
    std::int32_t spine = 0;
    for (int level = 0; level < depth; ++level) {
        const auto first = std::int32_t(tree.nodes.size());
        ShapTree::Node &split = tree.nodes[std::size_t(spine)];
        split.feature = level % features;
        split.left = first;
        split.right = first + 1;
        split.threshold = 0.5;
        const std::int32_t taken = tree.child(spine, x.data());
        const std::int32_t next = unit(random) < 0.95 ? taken : (taken == first ? first + 1 : first);
        const double share = spineShare(), cover = tree.covers[std::size_t(spine)];
        for (const std::int32_t child : {first, first + 1}) {
            tree.nodes.emplace_back();
            tree.covers.push_back(cover * (child == next ? share : 1 - share));
            tree.values.push_back(value(random));
        }
        spine = next;
    }
    return tree;
}

} // namespace

class TestTreeShap : public QObject
{
    Q_OBJECT

private slots:
    void handCalculatedTree();
    void equalsBruteForce_data();
    void equalsBruteForce();
    void addsUpOnEveryRow_data();
    void addsUpOnEveryRow();
    void linearShapCentresOnTheTrainingMean();
    void unavailableKindsAreTyped_data();
    void unavailableKindsAreTyped();
    void trainingMeansFromTheProfile_data();
    void trainingMeansFromTheProfile();
    void profileWithoutEveryCategoryIsRefused();
    void booleanMeansFromTheProfile();
    void oneHotColumnsAreGroupedBackToTheirFeature();
    void stumpCreditsOnlyItsSplitFeature();
    void quadratureIsExactForPolynomials();
    void deepTreesKeepFullPrecision_data();
    void deepTreesKeepFullPrecision();
    void unlimitedDepthTreeIsExplained();
    void boostingWithoutNodeCoversSaysWhatItCanGive_data();
    void boostingWithoutNodeCoversSaysWhatItCanGive();
};

// Root: x0 <= 0 (cover 10) -> node 1: x1 <= 0 (cover 6) -> leaves 1 (cover 4) and 3 (cover 2);
// x0 > 0 -> leaf 5 (cover 4). By hand for x = (-1, 1), f(x) = 3:
//   v({}) = 0.6 (4/6 x 1 + 2/6 x 3) + 0.4 x 5 = 3, v({0}) = 5/3, v({1}) = 0.6 x 3 + 0.4 x 5 = 3.8,
//   v({0,1}) = 3; phi0 = (v({0}) - v({}) + v({0,1}) - v({1})) / 2 = -16/15, phi1 = +16/15.
// A missing x0 goes left (missingLeft), so x = (NaN, 1) is explained as x = (-1, 1).
void TestTreeShap::handCalculatedTree()
{
    std::vector<Tree::Node> nodes(5);
    nodes[0] = {0, 1, 1, 0.0};
    nodes[1] = {1, 3, 0, 0.0};
    nodes[2] = nodes[3] = nodes[4] = {-1, 0, 0, 0.0};
    const Tree tree(nodes, {3, 5.0 / 3, 5, 1, 3}, {10, 6, 4, 4, 2}, 1);
    const TreeShap shap(shapTrees(std::vector<Tree>{tree}), 2, 1, 1.0, {});
    QCOMPARE(shap.baseValues().size(), std::size_t(1));
    QVERIFY(std::abs(shap.baseValues()[0] - 3.0) < 1e-15);
    for (const double x0 : {-1.0, std::nan("")}) {
        const double x[] = {x0, 1};
        double phi[2] = {0, 0};
        shap.explain(x, phi);
        QVERIFY2(std::abs(phi[0] + 16.0 / 15) < 1e-15, qPrintable(QString::number(phi[0], 'g', 17)));
        QVERIFY2(std::abs(phi[1] - 16.0 / 15) < 1e-15, qPrintable(QString::number(phi[1], 'g', 17)));
    }
}

void TestTreeShap::equalsBruteForce_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    QTest::addColumn<QVariantMap>("params");
    const QVariantMap deepTree{{QStringLiteral("max_depth"), 8}};
    const QVariantMap smallForest{{QStringLiteral("n_estimators"), 8}, {QStringLiteral("max_depth"), 6}};
    const QVariantMap boosting{{QStringLiteral("max_iter"), 15}, {QStringLiteral("max_depth"), 5}};
    QTest::newRow("tree-regression") << "decision_tree"
                                     << "value" << int(Task::Regression) << deepTree;
    QTest::newRow("tree-three-classes") << "decision_tree"
                                        << "kind" << int(Task::Classification) << deepTree;
    QTest::newRow("forest-regression") << "random_forest"
                                       << "value" << int(Task::Regression) << smallForest;
    QTest::newRow("forest-binary") << "random_forest"
                                   << "yes_no" << int(Task::Classification) << smallForest;
    QTest::newRow("boosting-regression-missing") << "gradient_boosting"
                                                 << "value" << int(Task::Regression) << boosting;
    QTest::newRow("boosting-binary") << "gradient_boosting"
                                     << "yes_no" << int(Task::Classification) << boosting;
    QTest::newRow("boosting-three-classes") << "gradient_boosting"
                                            << "kind" << int(Task::Classification) << boosting;
}

// Every 8th row of the data, explained at the model's inputs (at most 10 of them, so 2^10
// coalitions), against bruteForce() within 1e-9.
void TestTreeShap::equalsBruteForce()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, task);
    QFETCH(QVariantMap, params);
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, kind, target, Task(task), params);
    QVERIFY(pipeline.isFitted());
    const Eigen::MatrixXd X = modelInputs(pipeline, data);
    const int features = int(X.cols());
    QVERIFY(features <= 10);
    std::vector<ShapTree> trees;
    int outputs = 1;
    double scale = 1;
    if (const auto *ensemble = dynamic_cast<const TreeEnsemble *>(&pipeline.model())) {
        trees = shapTrees(ensemble->trees());
        outputs = int(ensemble->rowOutputs());
        scale = 1.0 / double(trees.size());
    } else {
        const BoostedTrees &boosted = static_cast<const GradientBoosting &>(pipeline.model()).trees();
        trees = shapTrees(boosted);
        outputs = boosted.outputs();
    }
    QVERIFY(!trees.empty());
    const TreeShap shap(trees, features, outputs, scale, {});
    bool sawMissing = false;
    for (Eigen::Index r = 0; r < X.rows(); r += 8) {
        const Eigen::RowVectorXd row = X.row(r);
        sawMissing |= row.hasNaN();
        std::vector<double> phi(std::size_t(features * outputs), 0.0);
        shap.explain(row.data(), phi.data());
        const std::vector<double> exact = bruteForce(trees, features, outputs, scale, row.data());
        QVERIFY2(worstDifference(phi, exact) < 1e-9,
                 qPrintable(QStringLiteral("row %1: %2").arg(r).arg(worstDifference(phi, exact))));
    }
    if (kind == QLatin1String("gradient_boosting")) {
        // Boosting takes NaN as it is and splits colour's codes natively: both kinds of split are explained.
        QVERIFY(sawMissing);
        const auto categorical = [](const ShapTree &tree) { return !tree.categorySets.empty(); };
        QVERIFY(std::any_of(trees.begin(), trees.end(), categorical));
    }
}

void TestTreeShap::addsUpOnEveryRow_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    QTest::newRow("tree-regression") << "decision_tree"
                                     << "value" << int(Task::Regression);
    QTest::newRow("tree-binary") << "decision_tree"
                                 << "yes_no" << int(Task::Classification);
    QTest::newRow("tree-three-classes") << "decision_tree"
                                        << "kind" << int(Task::Classification);
    QTest::newRow("forest-regression") << "random_forest"
                                       << "value" << int(Task::Regression);
    QTest::newRow("forest-three-classes") << "random_forest"
                                          << "kind" << int(Task::Classification);
    QTest::newRow("boosting-regression") << "gradient_boosting"
                                         << "value" << int(Task::Regression);
    QTest::newRow("boosting-binary") << "gradient_boosting"
                                     << "yes_no" << int(Task::Classification);
    QTest::newRow("boosting-three-classes") << "gradient_boosting"
                                            << "kind" << int(Task::Classification);
    QTest::newRow("linear-regression") << "linear_regression"
                                       << "value" << int(Task::Regression);
    QTest::newRow("ridge") << "ridge"
                           << "value" << int(Task::Regression);
    QTest::newRow("logistic-binary") << "logistic_regression"
                                     << "yes_no" << int(Task::Classification);
    QTest::newRow("logistic-three-classes") << "logistic_regression"
                                            << "kind" << int(Task::Classification);
}

// base + the contributions of the pipeline's features = the model's raw output, on every row,
// within 1e-9 (relative to the output's size for large values).
void TestTreeShap::addsUpOnEveryRow()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, task);
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, kind, target, Task(task));
    QVERIFY(pipeline.isFitted());
    const Result<Eigen::VectorXd> means = inputMeans(pipeline, data);
    QVERIFY(means.ok());
    Result<ShapExplainer> explainer = ShapExplainer::create(pipeline, means.value());
    QVERIFY2(explainer.ok(), qPrintable(explainer.ok() ? QString() : explainer.error().message));
    const ShapExplainer &e = explainer.value();
    QCOMPARE(e.featureCount(), int(kFeatures.size()));
    const bool multinomial = kind == QLatin1String("logistic_regression") && target == QLatin1String("kind");
    const Eigen::MatrixXd X = modelInputs(pipeline, data);
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        const Eigen::VectorXd row = X.row(r).transpose();
        const ShapValues v = e.explainRow(row).value();
        std::vector<double> raw = rawOutputs(pipeline, row.data());
        QCOMPARE(int(raw.size()), v.outputCount());
        std::vector<double> totals(raw.size());
        for (int o = 0; o < v.outputCount(); ++o) {
            totals[std::size_t(o)] = v.base[std::size_t(o)];
            for (std::size_t f = 0; f < std::size_t(kFeatures.size()); ++f)
                totals[std::size_t(o)] += v.value(f, std::size_t(o));
        }
        for (std::size_t o = 0; o < raw.size(); ++o) {
            // Multinomial logits are compared as differences from class 0 (softmax ignores a shift).
            const double want = multinomial ? raw[o] - raw[0] : raw[o];
            const double got = multinomial ? totals[o] - totals[0] : totals[o];
            QVERIFY2(std::abs(got - want) < 1e-9 * (1 + std::abs(want)),
                     qPrintable(
                         QStringLiteral("row %1, output %2: %3 vs %4").arg(r).arg(o).arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
        }
    }
}

// Linear SHAP is w x (input - training mean): at the mean row every contribution is 0 and the
// prediction is the base value. The training row whose x0 is the mean has x0's contribution 0
// (x0 = i x 37 mod 101 / 10 over 240 rows: its mean from the data, then one row shifted to it).
void TestTreeShap::linearShapCentresOnTheTrainingMean()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("linear_regression"), QStringLiteral("value"), Task::Regression);
    const Eigen::VectorXd means = inputMeans(pipeline, data).value();
    const ShapExplainer e = ShapExplainer::create(pipeline, means).value();
    const ShapValues atMean = e.explainRow(means).value();
    for (const double v : atMean.values)
        QVERIFY(std::abs(v) < 1e-12);
    double prediction = 0;
    pipeline.model().predictRow(means.data(), &prediction);
    QVERIFY(std::abs(atMean.base[0] - prediction) < 1e-9 * (1 + std::abs(prediction)));
    QCOMPARE(atMean.space, QStringLiteral("value"));
    // Without the means a linear model is not explained (a different base would be a different answer).
    QCOMPARE(ShapExplainer::availability(pipeline, false), ShapAvailability::NeedsTrainingMeans);
    QVERIFY(!ShapExplainer::create(pipeline).ok());
}

void TestTreeShap::unavailableKindsAreTyped_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("k-nearest-neighbours") << "knn";
    QTest::newRow("gaussian-naive-bayes") << "gaussian_nb";
}

void TestTreeShap::unavailableKindsAreTyped()
{
    QFETCH(QString, kind);
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, kind, QStringLiteral("kind"), Task::Classification);
    QVERIFY(pipeline.isFitted());
    QCOMPARE(ShapExplainer::availability(pipeline, true), ShapAvailability::NotForModelKind);
    const Result<ShapExplainer> explainer = ShapExplainer::create(pipeline,
                                                                  Eigen::VectorXd::Zero(pipeline.model().featureCount()));
    QVERIFY(!explainer.ok());
    QVERIFY2(explainer.error().message.contains(pipeline.model().kind()), qPrintable(explainer.error().message));
}

namespace {

// inputMeansFromProfile on the profile of `data` equals inputMeans of its rows, within rounding.
void compareProfileMeans(const Pipeline &pipeline, const Dataset &data)
{
    const Eigen::VectorXd fromRows = inputMeans(pipeline, data).value();
    const Result<Eigen::VectorXd> fromProfile = inputMeansFromProfile(pipeline, profileDataset(data).value());
    QVERIFY2(fromProfile.ok(), qPrintable(fromProfile.ok() ? QString() : fromProfile.error().message));
    QCOMPARE(fromProfile.value().size(), fromRows.size());
    QVERIFY2((fromProfile.value() - fromRows).cwiseAbs().maxCoeff() < 1e-12,
             qPrintable(QString::number((fromProfile.value() - fromRows).cwiseAbs().maxCoeff())));
}

} // namespace

void TestTreeShap::trainingMeansFromTheProfile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    // The default preprocessing: x2's missing values imputed, numbers standardised, colour one-hot.
    QTest::newRow("linear-regression") << "linear_regression"
                                       << "value" << int(Task::Regression);
    QTest::newRow("logistic-three-classes") << "logistic_regression"
                                            << "kind" << int(Task::Classification);
}

// The means from the profile of the training data equal the means of the transformed training
// rows (inputMeans), within rounding: the exact identity inputMeansFromProfile relies on.
void TestTreeShap::trainingMeansFromTheProfile()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, task);
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, kind, target, Task(task));
    compareProfileMeans(pipeline, data);
}

// 30 categories, more than the 20 a profile keeps: the means are unknown, and the message names the feature.
void TestTreeShap::profileWithoutEveryCategoryIsRefused()
{
    QByteArray csv = "a,city,y\n";
    for (int i = 0; i < 90; ++i)
        csv += QByteArray::number(i % 7) + ",c" + QByteArray::number(i % 30) + ',' + QByteArray::number(i % 7 * 2 + i % 30 % 3)
            + '\n';
    const Dataset data = CsvReader::readBytes(csv, QStringLiteral("cities.csv")).value();
    Pipeline pipeline = Pipeline::withDefaults(data, {QStringLiteral("a"), QStringLiteral("city")},
                                               createModel(QStringLiteral("ridge"), Task::Regression))
                            .value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y"), {}).ok());
    const Result<Eigen::VectorXd> means = inputMeansFromProfile(pipeline, profileDataset(data).value());
    QVERIFY(!means.ok());
    QVERIFY2(means.error().message.contains(QStringLiteral("'city'")), qPrintable(means.error().message));
}

// A boolean feature (one-hot encoded, so not affine in its value) with a missing value: the
// profile's means equal the transformed rows' (inputMeans). 90 rows, 30 true, 1 missing.
void TestTreeShap::booleanMeansFromTheProfile()
{
    QByteArray csv = "a,member,y\n";
    for (int i = 0; i < 90; ++i)
        csv += QByteArray::number(i % 7) + ','
            + (i == 5           ? ""
                   : i % 3 == 0 ? "true"
                                : "false")
            + ',' + QByteArray::number(i % 7 + i % 3) + '\n';
    const Dataset data = CsvReader::readBytes(csv, QStringLiteral("members.csv")).value();
    QCOMPARE(data.column(1).type(), ColumnType::Boolean);
    Pipeline pipeline = Pipeline::withDefaults(data, {QStringLiteral("a"), QStringLiteral("member")},
                                               createModel(QStringLiteral("ridge"), Task::Regression))
                            .value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y"), {}).ok());
    compareProfileMeans(pipeline, data);
}

void TestTreeShap::oneHotColumnsAreGroupedBackToTheirFeature()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("ridge"), QStringLiteral("value"), Task::Regression);
    const std::vector<int> sources = inputSources(pipeline).value();
    // x0..x4, then colour's three one-hot columns (blue, green, red): the default routing.
    QCOMPARE(sources, (std::vector<int>{0, 1, 2, 3, 4, 5, 5, 5}));
    // The explainer sums them: one value per feature, and they still add up to the prediction.
    const Eigen::MatrixXd X = modelInputs(pipeline, data);
    const Eigen::VectorXd means = X.colwise().mean().transpose();
    const ShapExplainer e = ShapExplainer::create(pipeline, means).value();
    const Eigen::VectorXd row = X.row(5).transpose();
    const ShapValues v = e.explainRow(row).value();
    QCOMPARE(v.values.size(), pipeline.features().size());
    double prediction = 0;
    pipeline.model().predictRow(row.data(), &prediction);
    QVERIFY(std::abs(std::accumulate(v.values.begin(), v.values.end(), v.base[0]) - prediction)
            < 1e-9 * (1 + std::abs(prediction)));
}

// A depth-1 tree splits once, so one feature takes the whole change from the base value; the
// others get exactly 0 (every coalition without the split feature has the same value).
void TestTreeShap::stumpCreditsOnlyItsSplitFeature()
{
    const Dataset data = load();
    const Pipeline pipeline = fitted(data, QStringLiteral("decision_tree"), QStringLiteral("value"), Task::Regression,
                                     {{QStringLiteral("max_depth"), 1}});
    const ShapExplainer e = ShapExplainer::create(pipeline).value();
    const Eigen::MatrixXd X = modelInputs(pipeline, data);
    for (Eigen::Index r = 0; r < 5; ++r) {
        const ShapValues v = e.explainRow(X.row(r).transpose()).value();
        const auto nonZero = std::count_if(v.values.begin(), v.values.end(), [](double value) { return value != 0.0; });
        QCOMPARE(nonZero, 1);
    }
}

// Gauss-Legendre with m nodes integrates t^k over [0, 1] (= 1 / (k + 1)) exactly for k < 2m.
void TestTreeShap::quadratureIsExactForPolynomials()
{
    for (int points = 1; points <= 80; ++points) {
        const QuadratureRule rule = gaussLegendre(points);
        QCOMPARE(int(rule.nodes.size()), points);
        for (int k = 0; k < 2 * points; ++k) {
            double integral = 0;
            for (int i = 0; i < points; ++i)
                integral += rule.weights[std::size_t(i)] * std::pow(rule.nodes[std::size_t(i)], k);
            QVERIFY2(std::abs(integral * (k + 1) - 1) < 1e-13,
                     qPrintable(QStringLiteral("%1 nodes, t^%2: %3").arg(points).arg(k).arg(integral, 0, 'g', 17)));
        }
    }
}

void TestTreeShap::deepTreesKeepFullPrecision_data()
{
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("rows"); // the reference costs about depth^4 / 4 per row
    QTest::newRow("20-levels-distinct") << 20 << 20 << 20;
    QTest::newRow("60-levels-distinct") << 60 << 60 << 20;
    QTest::newRow("120-levels-distinct") << 120 << 120 << 3;
    QTest::newRow("90-levels-30-features-repeated") << 90 << 30 << 5;
}

// The recursion of the paper, which divides polynomials of the cover shares, misses the path
// formula here by 6e-12 at 60 levels and 7e-10 at 120 (its first failing values). Each value here
// equals the path formula within 1e-13, and the values add up to the leaf the row reaches.
void TestTreeShap::deepTreesKeepFullPrecision()
{
    QFETCH(int, depth);
    QFETCH(int, features);
    QFETCH(int, rows);
    std::mt19937 random(std::uint32_t(depth * 1000 + features));
    for (int row = 0; row < rows; ++row) {
        std::vector<double> x(static_cast<std::size_t>(features));
        for (double &value : x)
            value = double(random() % 2);
        const ShapTree tree = spineTree(depth, features, x, random);
        QCOMPARE(tree.depth(), depth);
        const TreeShap shap({tree}, features, 1, 1.0, {});
        std::vector<double> phi(static_cast<std::size_t>(features), 0.0);
        shap.explain(x.data(), phi.data());
        std::vector<long double> reference(std::size_t(features), 0);
        addPathFormula(tree, 0, x.data(), {}, reference);
        double sum = shap.baseValues()[0];
        for (int f = 0; f < features; ++f) {
            QVERIFY2(std::abs(phi[std::size_t(f)] - double(reference[std::size_t(f)])) < 1e-13,
                     qPrintable(QStringLiteral("row %1, feature %2: %3, path formula %4")
                                    .arg(row)
                                    .arg(f)
                                    .arg(phi[std::size_t(f)], 0, 'g', 17)
                                    .arg(double(reference[std::size_t(f)]), 0, 'g', 17)));
            sum += phi[std::size_t(f)];
        }
        std::int32_t node = 0;
        while (tree.nodes[std::size_t(node)].feature >= 0)
            node = tree.child(node, x.data());
        QVERIFY(std::abs(sum - tree.values[std::size_t(node)]) < 1e-13);
    }
}

// An unlimited-depth tree on one-hot rows, where y = 4^i makes every best split isolate the
// largest remaining row: a chain of 49 levels on 49 distinct features. It is explained (no depth
// limit), and its values equal the path formula and add up within rounding of the largest value.
void TestTreeShap::unlimitedDepthTreeIsExplained()
{
    const int rows = 50;
    QByteArray csv;
    QStringList features;
    for (int j = 0; j < rows; ++j)
        features.append(QStringLiteral("x%1").arg(j));
    csv += features.join(QLatin1Char(',')).toUtf8() + ",y\n";
    for (int i = 0; i < rows; ++i) {
        for (int j = 0; j < rows; ++j)
            csv += (i == j ? "1," : "0,");
        csv += QByteArray::number(std::pow(4.0, i), 'g', 17) + '\n';
    }
    const Dataset data = CsvReader::readBytes(csv, QStringLiteral("chain.csv")).value();
    Pipeline pipeline
        = Pipeline::withDefaults(data, features, createModel(QStringLiteral("decision_tree"), Task::Regression)).value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y"), {}).ok());
    const auto &trees = dynamic_cast<const TreeEnsemble &>(pipeline.model()).trees();
    const ShapTree tree = shapTrees(trees).front();
    QCOMPARE(tree.depth(), rows - 1);
    QCOMPARE(ShapExplainer::availability(pipeline, false), ShapAvailability::Exact);
    const ShapExplainer explainer = ShapExplainer::create(pipeline).value();
    const Eigen::MatrixXd X = modelInputs(pipeline, data);
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        const Eigen::VectorXd inputs = X.row(r).transpose();
        const ShapValues values = explainer.explainRow(inputs).value();
        std::vector<long double> reference(std::size_t(rows), 0);
        addPathFormula(tree, 0, inputs.data(), {}, reference);
        double sum = values.base[0], largest = std::abs(values.base[0]);
        for (int f = 0; f < rows; ++f) {
            const double expected = double(reference[std::size_t(f)]);
            QVERIFY2(std::abs(values.value(std::size_t(f), 0) - expected) <= 1e-13 * std::max(1.0, std::abs(expected)),
                     qPrintable(QStringLiteral("row %1, x%2").arg(r).arg(f)));
            sum += values.value(std::size_t(f), 0);
            largest = std::max(largest, std::abs(values.value(std::size_t(f), 0)));
        }
        QVERIFY(std::abs(sum - rawOutputs(pipeline, inputs.data())[0]) <= 1e-13 * largest);
    }
}

void TestTreeShap::boostingWithoutNodeCoversSaysWhatItCanGive_data()
{
    QTest::addColumn<bool>("fileHasImportance");
    QTest::newRow("with-permutation-importance") << true;
    QTest::newRow("without-permutation-importance") << false;
}

// A boosting model saved before node covers were stored still predicts, but TreeSHAP cannot run:
// the reason says to retrain with this version, and offers the file's permutation importance when
// it holds one. Its state is restored without the "node_cover" array, as such a file reads.
void TestTreeShap::boostingWithoutNodeCoversSaysWhatItCanGive()
{
    QFETCH(bool, fileHasImportance);
    const Dataset data = load();
    Pipeline pipeline = fitted(data, QStringLiteral("gradient_boosting"), QStringLiteral("value"), Task::Regression);
    ComponentState state = pipeline.model().state();
    QCOMPARE(state.arrays.erase(QStringLiteral("node_cover")), std::size_t(1));
    QVERIFY(!pipeline.model().restore(state));
    QCOMPARE(ShapExplainer::availability(pipeline, true), ShapAvailability::NeedsNodeCovers);
    const QString reason = ShapExplainer::unavailableReason(pipeline, ShapAvailability::NeedsNodeCovers, fileHasImportance);
    QVERIFY2(reason.contains(QLatin1String("saved by an earlier version of Plumb")), qPrintable(reason));
    QVERIFY2(reason.contains(QLatin1String("Train the model again with this version")), qPrintable(reason));
    QCOMPARE(reason.contains(QLatin1String("permutation importance stored in the model file is available")), fileHasImportance);
    const Result<ShapExplainer> explainer = ShapExplainer::create(pipeline);
    QVERIFY(!explainer.ok());
    QVERIFY2(explainer.error().message.contains(QLatin1String("Train the model again")), qPrintable(explainer.error().message));
}

QTEST_GUILESS_MAIN(TestTreeShap)
#include "tst_treeshap.moc"
