// Decision trees and random forests against scikit-learn 1.2, and their structural guarantees.
//
// Goldens: tests/reference/golden/decision_tree_*.json and random_forest_*.json, written by
// tests/reference/make_sklearn_goldens.py (tree_cases). Tolerances:
//  - a decision tree is exact (on float32-representable features, which sklearn's trees use, and
//    with no tie between features' best splits, which the script checks): the same node count, depth and predicted class on every test row,
//    class probabilities and regression predictions within 1e-12 relative (the leaf means and
//    fractions are sums in another order), importances within 1e-9;
//  - a random forest draws its own bootstrap samples and features, so it is compared by its test
//    score: accuracy (classification) or R² (regression) within 0.5 points of sklearn's.

#include "base/random.h"
#include "goldenfit.h"
#include "learn/treemodels.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

// Added to every relative tolerance: an expected 0 takes anything within 1e-300 of it.
constexpr double kZeroSlack = 1e-300;

struct TreeCase
{
    const char *row;
    QString golden;
    QString kind;
    Task task;
    QVariantMap params;
    QString sklearn;
};

const std::vector<TreeCase> kTreeCases = {
    {"tree-gini",
     u"decision_tree_gini"_s,
     u"decision_tree"_s,
     Task::Classification,
     {{u"max_depth"_s, 4}, {u"min_samples_leaf"_s, 20}},
     u"DecisionTreeClassifier(max_depth=4, min_samples_leaf=20, random_state=0)"_s},
    {"tree-entropy",
     u"decision_tree_entropy"_s,
     u"decision_tree"_s,
     Task::Classification,
     {{u"criterion"_s, u"entropy"_s}, {u"max_depth"_s, 5}, {u"min_samples_leaf"_s, 5}},
     u"DecisionTreeClassifier(criterion='entropy', max_depth=5, min_samples_leaf=5, random_state=0)"_s},
    {"tree-regression",
     u"decision_tree_regression"_s,
     u"decision_tree"_s,
     Task::Regression,
     {{u"max_depth"_s, 10}, {u"min_samples_leaf"_s, 5}},
     u"DecisionTreeRegressor(max_depth=10, min_samples_leaf=5, random_state=0)"_s},
    {"forest-classification",
     u"random_forest_classification"_s,
     u"random_forest"_s,
     Task::Classification,
     {},
     u"RandomForestClassifier(n_estimators=100, oob_score=True, random_state=0)"_s},
    {"forest-regression",
     u"random_forest_regression"_s,
     u"random_forest"_s,
     Task::Regression,
     {},
     u"RandomForestRegressor(n_estimators=100, oob_score=True, random_state=0)"_s},
};

// The case's golden, with a golden recorded with another sklearn call among its problems.
test::GoldenFit load(const TreeCase &c)
{
    return test::GoldenFit::load(c.golden, c.task, c.sklearn);
}

std::unique_ptr<Model> configured(const TreeCase &c)
{
    std::unique_ptr<Model> model = createModel(c.kind, c.task);
    for (auto it = c.params.cbegin(); it != c.params.cend(); ++it)
        if (model->setParam(it.key(), it.value()))
            return nullptr;
    return model;
}

void addRows(const QString &kind)
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < kTreeCases.size(); ++i)
        if (kind.isEmpty() || kTreeCases[i].kind == kind)
            QTest::newRow(kTreeCases[i].row) << int(i);
}

// A small fitted forest on the classification golden, for the structural tests.
std::unique_ptr<Model> smallForest(const test::GoldenFit &loaded, int trees = 10)
{
    std::unique_ptr<Model> model = createModel(u"random_forest"_s, Task::Classification);
    model->setParam(u"n_estimators"_s, trees);
    model->setParam(u"max_depth"_s, 6);
    if (!model->fit(loaded.trainX, loaded.target, nullProgress()).ok())
        return nullptr;
    return model;
}

} // namespace

class TestTrees : public QObject
{
    Q_OBJECT

private slots:
    void decisionTreeMatchesSklearn_data() { addRows(u"decision_tree"_s); }
    void decisionTreeMatchesSklearn();
    void forestScoresLikeSklearn_data() { addRows(u"random_forest"_s); }
    void forestScoresLikeSklearn();
    void predictRowMatchesBatch_data() { addRows({}); }
    void predictRowMatchesBatch();
    void leavesKeepTheirMinimum();
    void sameSeedSameForest();
    void restoreRefusesBrokenTrees_data();
    void restoreRefusesBrokenTrees();
    void fitCanBeCancelled();
    void treesTakeNoRowsOfWeightZero();
    void bothGrowthStrategiesGrowOneTree_data();
    void bothGrowthStrategiesGrowOneTree();
};

void TestTrees::decisionTreeMatchesSklearn()
{
    QFETCH(int, index);
    const TreeCase &c = kTreeCases[std::size_t(index)];
    test::GoldenFit loaded = load(c);
    const Eigen::VectorXd predictions = loaded.json.vector(u"expected.predict"_s);
    const Eigen::VectorXd importances = loaded.json.vector(u"expected.feature_importances"_s);
    const double nodeCount = loaded.json.number(u"expected.node_count"_s);
    const double depth = loaded.json.number(u"expected.depth"_s);
    const Eigen::MatrixXd probabilities = c.task == Task::Classification ? loaded.json.matrix(u"expected.predict_proba"_s)
                                                                         : Eigen::MatrixXd();
    QVERIFY2(loaded.problems().isEmpty(), qPrintable(loaded.problems().join(u"\n"_s)));

    std::unique_ptr<Model> model = configured(c);
    QVERIFY(model);
    const Result<FitReport> report = model->fit(loaded.trainX, loaded.target, nullProgress());
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    const Tree &tree = dynamic_cast<const DecisionTree &>(*model).trees().front();
    QCOMPARE(double(tree.nodeCount()), nodeCount);
    QCOMPARE(double(tree.depth()), depth);

    const Eigen::VectorXd predicted = model->predict(loaded.testX);
    if (c.task == Task::Classification) {
        for (Eigen::Index row = 0; row < predicted.size(); ++row)
            QVERIFY2(
                predicted[row] == predictions[row],
                qPrintable(u"test row %1: Plumb predicts %2, sklearn %3"_s.arg(row).arg(predicted[row]).arg(predictions[row])));
        const QString differences = test::mismatches(u"predict_proba"_s, model->predictProba(loaded.testX), probabilities, 1e-12,
                                                     kZeroSlack);
        QVERIFY2(differences.isEmpty(), qPrintable(differences));
    } else {
        const QString differences = test::mismatches(u"predict"_s, predicted, predictions, 1e-12, kZeroSlack);
        QVERIFY2(differences.isEmpty(), qPrintable(differences));
    }
    const QString differences = test::mismatches(u"importances"_s, model->featureImportances(), importances, 1e-9, kZeroSlack);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestTrees::forestScoresLikeSklearn()
{
    QFETCH(int, index);
    const TreeCase &c = kTreeCases[std::size_t(index)];
    test::GoldenFit loaded = load(c);
    const double sklearnScore = loaded.json.number(u"expected.score"_s);
    const double sklearnOutOfBag = loaded.json.number(u"expected.oob_score"_s);
    QVERIFY2(loaded.problems().isEmpty(), qPrintable(loaded.problems().join(u"\n"_s)));

    std::unique_ptr<Model> model = configured(c);
    QVERIFY(model);
    const Result<FitReport> report = model->fit(loaded.trainX, loaded.target, nullProgress());
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    const double score = test::testScore(*model, loaded);
    qInfo("%s: test score Plumb %.4f, sklearn %.4f", c.row, score, sklearnScore);
    QVERIFY2(score >= sklearnScore - 0.005,
             qPrintable(u"Plumb's test score %1 is more than 0.5 points below sklearn's %2"_s.arg(score).arg(sklearnScore)));
    // The out-of-bag estimate is itself a sample: it must be near sklearn's, not equal.
    const double outOfBag = dynamic_cast<const RandomForest &>(*model).outOfBagScore();
    QVERIFY2(std::fabs(outOfBag - sklearnOutOfBag) < 0.03,
             qPrintable(u"out-of-bag score %1, sklearn's %2"_s.arg(outOfBag).arg(sklearnOutOfBag)));
}

// The one-row path walks the same trees and sums in the same order: bit-identical outputs.
void TestTrees::predictRowMatchesBatch()
{
    QFETCH(int, index);
    const TreeCase &c = kTreeCases[std::size_t(index)];
    test::GoldenFit loaded = load(c);
    QVERIFY(loaded.problems().isEmpty());
    std::unique_ptr<Model> model = configured(c);
    QVERIFY(model->fit(loaded.trainX, loaded.target, nullProgress()).ok());
    const Eigen::MatrixXd batch = test::batchOutputs(*model, loaded.testX);
    QCOMPARE(batch.cols(), model->rowOutputs());
    const QString differences = test::rowPathMismatches(*model, loaded.testX, batch);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestTrees::leavesKeepTheirMinimum()
{
    test::GoldenFit loaded = load(kTreeCases[0]);
    std::unique_ptr<Model> model = createModel(u"decision_tree"_s, Task::Classification);
    model->setParam(u"min_samples_leaf"_s, 17);
    QVERIFY(model->fit(loaded.trainX, loaded.target, nullProgress()).ok());
    const Tree &tree = dynamic_cast<const DecisionTree &>(*model).trees().front();
    QVERIFY(tree.nodeCount() > 7);
    for (Eigen::Index i = 0; i < tree.nodeCount(); ++i)
        if (tree.nodes()[std::size_t(i)].feature < 0)
            QVERIFY2(tree.samples(i) >= 17, qPrintable(u"leaf %1 holds %2 rows"_s.arg(i).arg(tree.samples(i))));
}

// Trees are grown in parallel, each from its own seed: the same seed gives the same forest
// whatever the thread scheduling, and another seed a different one.
void TestTrees::sameSeedSameForest()
{
    test::GoldenFit loaded = load(kTreeCases[0]);
    std::unique_ptr<Model> first = smallForest(loaded), second = smallForest(loaded);
    QVERIFY(first && second);
    const ComponentState a = first->state(), b = second->state();
    QCOMPARE(a.values, b.values);
    for (const auto &[name, tensor] : a.arrays)
        QVERIFY2(tensor.data == b.arrays.at(name).data, qPrintable(name));
    std::unique_ptr<Model> other = first->cloneUnfitted();
    other->setParam(QLatin1String(kSeedParam), 7);
    QVERIFY(other->fit(loaded.trainX, loaded.target, nullProgress()).ok());
    QVERIFY(other->state().arrays.at(u"threshold"_s).data != a.arrays.at(u"threshold"_s).data);
}

void TestTrees::restoreRefusesBrokenTrees_data()
{
    QTest::addColumn<QString>("array");
    QTest::addColumn<int>("position");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("feature out of range") << u"feature"_s << 0 << 99.0 << u"input index"_s;
    QTest::newRow("feature not whole") << u"feature"_s << 0 << 0.5 << u"input index"_s;
    QTest::newRow("root made a leaf") << u"feature"_s << 0 << -1.0 << u"ancestor"_s;
    QTest::newRow("threshold not finite") << u"threshold"_s << 0 << std::nan("") << u"threshold"_s;
    QTest::newRow("tree too long") << u"tree_nodes"_s << 0 << 1e6 << u"tree_nodes"_s;
    QTest::newRow("tree too short") << u"tree_nodes"_s << 0 << 3.0 << u"tree"_s;
    QTest::newRow("fraction above one") << u"values"_s << 1 << 1.5 << u"fractions"_s;
    QTest::newRow("negative count") << u"samples"_s << 2 << -1.0 << u"negative"_s;
}

// Every learned value is checked before use: a broken file is refused with the field named,
// and the model stays unfitted.
void TestTrees::restoreRefusesBrokenTrees()
{
    QFETCH(QString, array);
    QFETCH(int, position);
    QFETCH(double, value);
    QFETCH(QString, message);
    test::GoldenFit loaded = load(kTreeCases[0]);
    std::unique_ptr<Model> model = smallForest(loaded, 2);
    QVERIFY(model);
    ComponentState state = model->state();
    std::unique_ptr<Model> restored = model->cloneUnfitted();
    QVERIFY(!restored->restore(state).has_value());
    QVERIFY(restored->isFitted());
    state.arrays.at(array).data[std::size_t(position)] = value;
    const std::optional<Error> error = restored->restore(state);
    QVERIFY2(error.has_value(), "a broken tree was accepted");
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QVERIFY(!restored->isFitted());
}

void TestTrees::fitCanBeCancelled()
{
    test::GoldenFit loaded = load(kTreeCases[0]);
    for (const QString &kind : {u"decision_tree"_s, u"random_forest"_s}) {
        std::unique_ptr<Model> model = createModel(kind, Task::Classification);
        CancelFlag cancel;
        cancel.cancel();
        const Result<FitReport> report = model->fit(loaded.trainX, loaded.target, cancel);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, Error::Kind::Cancelled);
        QVERIFY(!model->isFitted());
    }
}

// Rows of weight zero do not exist for a tree: weighting some rows 0 grows the tree those rows'
// removal grows.
void TestTrees::treesTakeNoRowsOfWeightZero()
{
    test::GoldenFit loaded = load(kTreeCases[0]);
    const Eigen::Index kept = loaded.trainX.rows() / 2;
    FitTarget weighted = loaded.target;
    weighted.weights = Eigen::VectorXd::Zero(loaded.trainX.rows());
    weighted.weights.head(kept).setOnes();
    FitTarget half;
    half.classes.assign(loaded.target.classes.begin(), loaded.target.classes.begin() + kept);
    half.classCount = loaded.target.classCount;
    std::unique_ptr<Model> a = createModel(u"decision_tree"_s, Task::Classification);
    std::unique_ptr<Model> b = createModel(u"decision_tree"_s, Task::Classification);
    QVERIFY(a->fit(loaded.trainX, weighted, nullProgress()).ok());
    QVERIFY(b->fit(loaded.trainX.topRows(kept), half, nullProgress()).ok());
    QCOMPARE(a->predictProba(loaded.testX), b->predictProba(loaded.testX));
}

void TestTrees::bothGrowthStrategiesGrowOneTree_data()
{
    QTest::addColumn<int>("criterion");
    QTest::addColumn<int>("minSamplesLeaf");
    QTest::newRow("gini") << int(SplitCriterion::Gini) << 1;
    QTest::newRow("entropy-leaf-7") << int(SplitCriterion::Entropy) << 7;
    QTest::newRow("squared-error") << int(SplitCriterion::SquaredError) << 1;
    QTest::newRow("squared-error-leaf-5") << int(SplitCriterion::SquaredError) << 5;
}

// Presorted lists and per-node sorting are two ways to find the same exact splits: with the same
// seed (the same feature draws) they must grow the same tree, node for node, bit for bit. Random
// data with repeated values, so ties in value are exercised too.
void TestTrees::bothGrowthStrategiesGrowOneTree()
{
    QFETCH(int, criterion);
    QFETCH(int, minSamplesLeaf);
    const Eigen::Index rows = 3000, features = 16;
    Random random(11);
    Eigen::MatrixXd X(rows, features);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index f = 0; f < features; ++f)
            X(i, f) = f % 4 == 0 ? double(random.below(7)) : random.normal();
    std::vector<int> classes(rows);
    Eigen::VectorXd values(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        values[i] = X(i, 1) + 0.5 * X(i, 4) * X(i, 2) + 0.3 * random.normal();
        classes[std::size_t(i)] = values[i] > 0.4 ? 2 : (values[i] > -0.6 ? 1 : 0);
    }
    const auto rule = SplitCriterion(criterion);
    GrowthTarget target;
    if (rule == SplitCriterion::SquaredError) {
        target.values = &values;
    } else {
        target.classes = &classes;
        target.classCount = 3;
    }
    target.weights.assign(std::size_t(rows), 1.0);
    for (std::size_t i = 0; i < target.weights.size(); i += 5)
        target.weights[i] = double(i % 3); // zeros and twos, as a bootstrap sample gives
    GrowthLimits limits;
    limits.criterion = rule;
    limits.minSamplesLeaf = minSamplesLeaf;
    limits.maxFeatures = 4; // sqrt(16): few enough that sortsEachNode chooses per-node sorting
    QVERIFY(sortsEachNode(limits, features));
    const std::optional<GrownTree> presorted = growTree(X, SortedFeatures(X, false), target, limits, 5, false, nullProgress());
    const std::optional<GrownTree> perNode = growTree(X, SortedFeatures(X, true), target, limits, 5, false, nullProgress());
    QVERIFY(presorted && perNode);
    const Tree &a = presorted->tree, &b = perNode->tree;
    QVERIFY(a.nodeCount() > 50);
    QCOMPARE(a.nodeCount(), b.nodeCount());
    for (Eigen::Index i = 0; i < a.nodeCount(); ++i) {
        const Tree::Node &x = a.nodes()[std::size_t(i)], &y = b.nodes()[std::size_t(i)];
        QVERIFY2(x.feature == y.feature && std::memcmp(&x.threshold, &y.threshold, sizeof(double)) == 0,
                 qPrintable(u"node %1: feature %2 at %3 against %4 at %5"_s.arg(i)
                                .arg(x.feature)
                                .arg(x.threshold)
                                .arg(y.feature)
                                .arg(y.threshold)));
        for (Eigen::Index o = 0; o < a.outputs(); ++o)
            QCOMPARE(a.values(i)[o], b.values(i)[o]);
    }
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestTrees)
#include "tst_trees.moc"
