// k-nearest neighbours and Gaussian naive Bayes against scikit-learn 1.2, and the neighbour
// search against a plain sort.
//
// Expected values come from tests/reference/golden/knn_*.json and gaussian_nb_*.json, written by
// tests/reference/make_sklearn_goldens.py (neighbours_bayes_cases). Tolerances:
//  - knn: none. With 5 features sklearn searches with its KD-tree, which measures
//    sqrt(sum_j (q_j - x_j)^2) in feature order as Plumb does, and the data has no distance ties,
//    so neighbour indices, distances, predictions and probabilities must be the same doubles;
//  - gaussian_nb: theta_, var_ and class_prior_ within 1e-12 relative, predict_proba within 1e-9
//    absolute, labels equal.
// The search's own check builds data with many exact and near ties (closer than float32 can tell
// apart) and compares with every distance measured and sorted by (distance, row).

#include "base/random.h"
#include "goldenfit.h"
#include "learn/gaussiannaivebayes.h"
#include "learn/nearestneighbours.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kBayesParameterRelative = 1e-12;
constexpr double kBayesProbabilityAbsolute = 1e-9;

struct KnnCase
{
    QByteArray row;
    QString golden;
    Task task;
    int neighbours;
    QString weights;
};

const std::vector<KnnCase> kKnnCases = [] {
    std::vector<KnnCase> cases;
    for (const Task task : {Task::Classification, Task::Regression})
        for (const QString &weights : {u"uniform"_s, u"distance"_s})
            for (const int k : {1, 5}) {
                const QString taskName = task == Task::Classification ? u"classification"_s : u"regression"_s;
                const QString golden = u"knn_%1_%2_k%3"_s.arg(taskName, weights).arg(k);
                cases.push_back({golden.toLatin1(), golden, task, k, weights});
            }
    return cases;
}();

struct BayesCase
{
    const char *row;
    QString golden;
    double smoothing;
    bool weighted;
    QString sklearn;
};

const std::vector<BayesCase> kBayesCases = {
    {"binary", u"gaussian_nb_binary"_s, 1e-9, false, u"GaussianNB(var_smoothing=1e-09)"_s},
    {"multiclass", u"gaussian_nb_multiclass"_s, 1e-9, false, u"GaussianNB(var_smoothing=1e-09)"_s},
    {"var-smoothing-0.1", u"gaussian_nb_var_smoothing"_s, 0.1, false, u"GaussianNB(var_smoothing=0.1)"_s},
    {"sample-weights", u"gaussian_nb_weighted"_s, 1e-9, true, u"GaussianNB(var_smoothing=1e-09).fit(X, y, sample_weight=w)"_s},
};

std::unique_ptr<Model> fittedKnn(const KnnCase &c, const test::GoldenFit &golden)
{
    auto model = std::make_unique<KNearestNeighbours>(c.task);
    if (model->setParam(u"n_neighbors"_s, c.neighbours) || model->setParam(u"weights"_s, c.weights))
        return nullptr;
    if (!model->fit(golden.trainX, golden.target, nullProgress()).ok())
        return nullptr;
    return model;
}

// A naive Bayes case's golden, with sklearn's sample weights when the case fits with them.
test::GoldenFit bayesGolden(const BayesCase &c)
{
    test::GoldenFit golden = test::GoldenFit::load(c.golden, Task::Classification);
    if (c.weighted)
        golden.loadWeights();
    return golden;
}

// The model of a predictRowMatchesBatch_data row fitted on its golden's training rows: a knn case
// or (knnIndex -1) a Gaussian naive Bayes case, each with its settings; null when a setting or
// the fit fails.
std::unique_ptr<Model> fittedCase(int knnIndex, int bayesIndex, test::GoldenFit &golden)
{
    if (knnIndex >= 0) {
        const KnnCase &c = kKnnCases[std::size_t(knnIndex)];
        golden = test::GoldenFit::load(c.golden, c.task);
        return fittedKnn(c, golden);
    }
    const BayesCase &c = kBayesCases[std::size_t(bayesIndex)];
    golden = bayesGolden(c);
    auto model = std::make_unique<GaussianNaiveBayes>();
    if (model->setParam(u"var_smoothing"_s, c.smoothing) || !model->fit(golden.trainX, golden.target, nullProgress()).ok())
        return nullptr;
    return model;
}

// The k nearest rows by measuring every distance (NeighbourSearch's arithmetic) and sorting.
std::vector<Neighbour> sortedNeighbours(const RowMajorMatrix &training, const double *query, Eigen::Index k)
{
    std::vector<Neighbour> all;
    for (Eigen::Index row = 0; row < training.rows(); ++row) {
        double sum = 0;
        for (Eigen::Index j = 0; j < training.cols(); ++j) {
            const double difference = query[j] - training(row, j);
            sum += difference * difference;
        }
        all.push_back({sum, row});
    }
    std::sort(all.begin(), all.end());
    all.resize(std::size_t(k));
    return all;
}

// Search data: (training, queries) for a named shape.
std::pair<RowMajorMatrix, RowMajorMatrix> searchData(const QString &shape, Eigen::Index rows, Eigen::Index features,
                                                     Eigen::Index queries)
{
    Random random(42);
    RowMajorMatrix training(rows, features), query(queries, features);
    const auto fill = [&](RowMajorMatrix &m, double scale) {
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            for (Eigen::Index j = 0; j < m.cols(); ++j)
                m(i, j) = scale * random.normal();
    };
    fill(training, 1.0);
    fill(query, 1.0);
    if (shape == u"grid"_s) {
        // Small whole numbers: many rows at exactly the same distance, and duplicate rows.
        training = training.unaryExpr([](double v) { return std::round(2 * v); });
        query = query.unaryExpr([](double v) { return std::round(2 * v); });
    } else if (shape == u"near-ties"_s) {
        // Pairs of rows 1e-12 apart (far below float32's resolution), queries among them.
        for (Eigen::Index i = 1; i < rows; i += 2)
            training.row(i) = training.row(i - 1).array() + 1e-12 * double(i % 7);
        for (Eigen::Index q = 0; q < queries; ++q)
            query.row(q) = training.row(Eigen::Index(random.below(std::uint64_t(rows)))).array() + 1e-9;
    } else if (shape == u"far-queries"_s) {
        query *= 1e9; // beyond the float32 filter's range: the exact scan answers
    } else if (shape == u"huge-values"_s) {
        training *= 1e300; // centring overflows: no filter at all
        query *= 1e300;
    } else if (shape == u"offset"_s) {
        training.array() += 1e6; // large common offset, small spread: centring keeps the precision
        query.array() += 1e6;
    }
    return {training, query};
}

} // namespace

class TestNeighbours : public QObject
{
    Q_OBJECT

private slots:
    void knnMatchesSklearn_data();
    void knnMatchesSklearn();
    void gaussianNbMatchesSklearn_data();
    void gaussianNbMatchesSklearn();
    void predictRowMatchesBatch_data();
    void predictRowMatchesBatch();
    void searchIsExact_data();
    void searchIsExact();
    void pairwiseSumFollowsNumpy();
    void stateRoundTrips_data();
    void stateRoundTrips();
    void restoreRefusesBadState_data();
    void restoreRefusesBadState();
    void fitRefusesBadInput();
};

void TestNeighbours::knnMatchesSklearn_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < kKnnCases.size(); ++i)
        QTest::newRow(kKnnCases[i].row.constData()) << int(i);
}

void TestNeighbours::knnMatchesSklearn()
{
    QFETCH(int, index);
    const KnnCase &c = kKnnCases[std::size_t(index)];
    const bool classification = c.task == Task::Classification;
    test::GoldenFit golden = test::GoldenFit::load(c.golden, c.task);
    const Eigen::MatrixXd indices = golden.json.matrix(u"expected.kneighbors.indices"_s);
    const Eigen::MatrixXd distances = golden.json.matrix(u"expected.kneighbors.distances"_s);
    const Eigen::VectorXd predictions = golden.json.vector(u"expected.predict"_s);
    const Eigen::MatrixXd probabilities = classification ? golden.json.matrix(u"expected.predict_proba"_s) : Eigen::MatrixXd();
    const QString call = u"%1(n_neighbors=%2, weights='%3')"_s
                             .arg(classification ? u"KNeighborsClassifier"_s : u"KNeighborsRegressor"_s)
                             .arg(c.neighbours)
                             .arg(c.weights);
    QCOMPARE(golden.json.text(u"sklearn"_s), call);
    QCOMPARE(golden.json.text(u"fit.fit_method"_s), u"kd_tree"_s);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u"\n"_s)));

    const std::unique_ptr<Model> model = fittedKnn(c, golden);
    QVERIFY(model);
    const auto &knn = dynamic_cast<const KNearestNeighbours &>(*model);
    const std::vector<Neighbour> found = knn.neighbours(golden.testX);
    Eigen::MatrixXd foundIndices(indices.rows(), c.neighbours), foundDistances(indices.rows(), c.neighbours);
    for (Eigen::Index q = 0; q < indices.rows(); ++q)
        for (Eigen::Index i = 0; i < c.neighbours; ++i) {
            const Neighbour &neighbour = found[std::size_t(q * c.neighbours + i)];
            foundIndices(q, i) = double(neighbour.row);
            foundDistances(q, i) = std::sqrt(neighbour.squaredDistance);
        }
    QString problems = test::bitMismatches(u"kneighbors indices"_s, foundIndices, indices);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::bitMismatches(u"kneighbors distances"_s, foundDistances, distances);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::bitMismatches(u"predict"_s, model->predict(golden.testX), predictions);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    if (classification) {
        problems = test::bitMismatches(u"predict_proba"_s, model->predictProba(golden.testX), probabilities);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }
}

void TestNeighbours::gaussianNbMatchesSklearn_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < kBayesCases.size(); ++i)
        QTest::newRow(kBayesCases[i].row) << int(i);
}

void TestNeighbours::gaussianNbMatchesSklearn()
{
    QFETCH(int, index);
    const BayesCase &c = kBayesCases[std::size_t(index)];
    test::GoldenFit golden = bayesGolden(c);
    const Eigen::MatrixXd theta = golden.json.matrix(u"expected.theta"_s);
    const Eigen::MatrixXd variances = golden.json.matrix(u"expected.var"_s);
    const Eigen::VectorXd priors = golden.json.vector(u"expected.class_prior"_s);
    const Eigen::MatrixXd probabilities = golden.json.matrix(u"expected.predict_proba"_s);
    const Eigen::VectorXd labels = golden.json.vector(u"expected.predict"_s);
    QCOMPARE(golden.json.text(u"sklearn"_s), c.sklearn);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u"\n"_s)));

    GaussianNaiveBayes model;
    QVERIFY(!model.setParam(u"var_smoothing"_s, c.smoothing));
    const Result<FitReport> report = model.fit(golden.trainX, golden.target, nullProgress());
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
    QString problems = test::mismatches(u"theta"_s, model.means(), theta, kBayesParameterRelative, 0.0);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::mismatches(u"var"_s, model.variances(), variances, kBayesParameterRelative, 0.0);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::mismatches(u"class_prior"_s, model.priors(), priors, kBayesParameterRelative, 0.0);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::mismatches(u"predict_proba"_s, model.predictProba(golden.testX), probabilities, 0.0,
                                kBayesProbabilityAbsolute);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    problems = test::bitMismatches(u"predict"_s, model.predict(golden.testX), labels);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestNeighbours::predictRowMatchesBatch_data()
{
    QTest::addColumn<int>("knnIndex");
    QTest::addColumn<int>("bayesIndex");
    for (std::size_t i = 0; i < kKnnCases.size(); ++i)
        QTest::newRow(kKnnCases[i].row.constData()) << int(i) << -1;
    for (std::size_t i = 0; i < kBayesCases.size(); ++i)
        QTest::newRow(qPrintable(u"gaussian-nb-"_s + QLatin1String(kBayesCases[i].row))) << -1 << int(i);
}

// The one-row path must give the same doubles, bit for bit, as the same row in a batch.
void TestNeighbours::predictRowMatchesBatch()
{
    QFETCH(int, knnIndex);
    QFETCH(int, bayesIndex);
    test::GoldenFit golden;
    const std::unique_ptr<Model> model = fittedCase(knnIndex, bayesIndex, golden);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u"\n"_s)));
    QVERIFY(model);
    const Eigen::MatrixXd batch = test::batchOutputs(*model, golden.testX);
    QCOMPARE(batch.cols(), model->rowOutputs());
    const QString problems = test::rowPathMismatches(*model, golden.testX, batch);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
}

void TestNeighbours::searchIsExact_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("queries");
    QTest::addColumn<int>("k");
    QTest::newRow("gaussian-20-features") << u"gaussian"_s << 5003 << 20 << 203 << 5;
    QTest::newRow("gaussian-k50") << u"gaussian"_s << 3000 << 7 << 50 << 50;
    QTest::newRow("grid-exact-ties") << u"grid"_s << 4000 << 3 << 300 << 9;
    QTest::newRow("near-ties-below-float32") << u"near-ties"_s << 2000 << 6 << 300 << 1;
    QTest::newRow("far-queries-exact-scan") << u"far-queries"_s << 1000 << 5 << 20 << 3;
    QTest::newRow("huge-values-no-filter") << u"huge-values"_s << 500 << 4 << 20 << 3;
    QTest::newRow("large-offset") << u"offset"_s << 3000 << 10 << 100 << 5;
    QTest::newRow("one-feature") << u"grid"_s << 777 << 1 << 40 << 6;
    QTest::newRow("k-is-every-row") << u"gaussian"_s << 9 << 3 << 17 << 9;
}

void TestNeighbours::searchIsExact()
{
    QFETCH(QString, shape);
    QFETCH(int, rows);
    QFETCH(int, features);
    QFETCH(int, queries);
    QFETCH(int, k);
    const auto [training, query] = searchData(shape, rows, features, queries);
    const NeighbourSearch search(training);
    std::vector<Neighbour> found;
    search.search(Eigen::MatrixXd(query), k, found);
    QCOMPARE(found.size(), std::size_t(queries) * std::size_t(k));
    std::vector<Neighbour> one(static_cast<std::size_t>(k));
    for (Eigen::Index q = 0; q < queries; ++q) {
        const std::vector<Neighbour> expected = sortedNeighbours(training, query.row(q).data(), k);
        search.searchOne(query.row(q).data(), k, one.data());
        for (Eigen::Index i = 0; i < k; ++i) {
            const Neighbour &batch = found[std::size_t(q * k + i)];
            const Neighbour &truth = expected[std::size_t(i)];
            QVERIFY2(batch.row == truth.row && batch.squaredDistance == truth.squaredDistance,
                     qPrintable(u"query %1, neighbour %2: row %3 at %4, expected row %5 at %6"_s.arg(q)
                                    .arg(i)
                                    .arg(batch.row)
                                    .arg(test::exactText(batch.squaredDistance))
                                    .arg(truth.row)
                                    .arg(test::exactText(truth.squaredDistance))));
            QCOMPARE(one[std::size_t(i)].row, truth.row);
        }
    }
}

// Expected sums written out by hand in numpy's order (loops_utils.h.src, pairwise_sum).
void TestNeighbours::pairwiseSumFollowsNumpy()
{
    const double small[] = {1e16, 1.0, -1e16, 1.0};
    QCOMPARE(pairwiseSum(small, 4), ((1e16 + 1.0) + -1e16) + 1.0); // below 8 values: left to right
    std::vector<double> values(20);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = (i % 3 == 0 ? 1e16 : 1.0) * (i % 2 ? -1.0 : 1.0) + double(i);
    double r[8];
    for (int j = 0; j < 8; ++j)
        r[j] = values[std::size_t(j)] + values[std::size_t(j + 8)];
    double expected = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    expected += values[16];
    expected += values[17];
    expected += values[18];
    expected += values[19];
    QCOMPARE(pairwiseSum(values.data(), 20), expected);
}

void TestNeighbours::stateRoundTrips_data()
{
    predictRowMatchesBatch_data();
}

// state() -> restore() on a fresh model gives the same predictions, bit for bit.
void TestNeighbours::stateRoundTrips()
{
    QFETCH(int, knnIndex);
    QFETCH(int, bayesIndex);
    test::GoldenFit golden;
    const std::unique_ptr<Model> model = fittedCase(knnIndex, bayesIndex, golden);
    QVERIFY(model);
    std::unique_ptr<Model> restored = model->cloneUnfitted();
    QVERIFY(!restored->isFitted());
    const std::optional<Error> error = restored->restore(model->state());
    QVERIFY2(!error, qPrintable(error ? error->message : QString()));
    QCOMPARE(test::bitMismatches(u"predict"_s, restored->predict(golden.testX), model->predict(golden.testX)), QString());
    QCOMPARE(test::bitMismatches(u"predict_proba"_s, restored->predictProba(golden.testX), model->predictProba(golden.testX)),
             QString());
}

void TestNeighbours::restoreRefusesBadState_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("message");
    QTest::newRow("knn-targets-too-short") << u"knn"_s << u"targets-short"_s << u"'targets'"_s;
    QTest::newRow("knn-class-not-whole") << u"knn"_s << u"class-fraction"_s << u"not a class index"_s;
    QTest::newRow("knn-class-out-of-range") << u"knn"_s << u"class-range"_s << u"not a class index"_s;
    QTest::newRow("knn-classes-missing") << u"knn"_s << u"classes-missing"_s << u"'classes'"_s;
    QTest::newRow("knn-training-nan") << u"knn"_s << u"training-nan"_s << u"'training'"_s;
    QTest::newRow("knn-regression-with-classes") << u"knn-regression"_s << u"classes-added"_s << u"does regression"_s;
    QTest::newRow("gaussian-nb-zero-variance") << u"gaussian_nb"_s << u"variance-zero"_s << u"'variances'"_s;
    QTest::newRow("gaussian-nb-priors-sum") << u"gaussian_nb"_s << u"priors-sum"_s << u"'priors'"_s;
    QTest::newRow("gaussian-nb-variances-shape") << u"gaussian_nb"_s << u"variances-shape"_s << u"'variances'"_s;
}

void TestNeighbours::restoreRefusesBadState()
{
    QFETCH(QString, kind);
    QFETCH(QString, damage);
    QFETCH(QString, message);
    const bool regression = kind == u"knn-regression"_s;
    const QString golden = kind == u"gaussian_nb"_s
        ? u"gaussian_nb_multiclass"_s
        : (regression ? u"knn_regression_uniform_k5"_s : u"knn_classification_uniform_k5"_s);
    const Task task = regression ? Task::Regression : Task::Classification;
    test::GoldenFit data = test::GoldenFit::load(golden, task);
    QVERIFY2(data.problems().isEmpty(), qPrintable(data.problems().join(u"\n"_s)));
    std::unique_ptr<Model> model = kind == u"gaussian_nb"_s ? std::unique_ptr<Model>(std::make_unique<GaussianNaiveBayes>())
                                                            : std::make_unique<KNearestNeighbours>(task);
    QVERIFY(model->fit(data.trainX, data.target, nullProgress()).ok());
    ComponentState state = model->state();
    if (damage == u"targets-short"_s) {
        state.arrays[u"targets"_s].data.pop_back();
        state.arrays[u"targets"_s].shape = {std::int64_t(state.arrays[u"targets"_s].data.size())};
    } else if (damage == u"class-fraction"_s) {
        state.arrays[u"targets"_s].data[3] = 0.5;
    } else if (damage == u"class-range"_s) {
        state.arrays[u"targets"_s].data[3] = 3;
    } else if (damage == u"classes-missing"_s) {
        state.values.remove(u"classes"_s);
    } else if (damage == u"training-nan"_s) {
        state.arrays[u"training"_s].data[7] = std::nan("");
    } else if (damage == u"classes-added"_s) {
        state.values.insert(u"classes"_s, 2);
    } else if (damage == u"variance-zero"_s) {
        state.arrays[u"variances"_s].data[1] = 0;
    } else if (damage == u"priors-sum"_s) {
        state.arrays[u"priors"_s].data[0] += 0.1;
    } else if (damage == u"variances-shape"_s) {
        Tensor &variances = state.arrays[u"variances"_s];
        variances.data.resize(variances.data.size() - std::size_t(variances.shape[1]));
        variances.shape[0] -= 1;
    }
    std::unique_ptr<Model> restored = model->cloneUnfitted();
    const std::optional<Error> error = restored->restore(state);
    QVERIFY2(error, "a damaged state was accepted");
    QVERIFY2(error->message.contains(message), qPrintable(error->message));
    QVERIFY2(error->message.startsWith(model->kind()), qPrintable(error->message));
    QVERIFY(!restored->isFitted());
}

void TestNeighbours::fitRefusesBadInput()
{
    Eigen::MatrixXd X(4, 2);
    X << 0, 1, 1, 1, 2, 1, 3, 1; // the second feature is constant within each class
    FitTarget y;
    y.classes = {0, 0, 1, 1};
    y.classCount = 2;

    KNearestNeighbours knn(Task::Classification);
    QVERIFY(!knn.setParam(u"n_neighbors"_s, 5));
    Result<FitReport> report = knn.fit(X, y, nullProgress());
    QVERIFY(!report.ok());
    QVERIFY2(report.error().message.contains(u"n_neighbors is 5 but there are only 4 training rows"_s),
             qPrintable(report.error().message));

    GaussianNaiveBayes bayes;
    QVERIFY(!bayes.setParam(u"var_smoothing"_s, 0.0));
    report = bayes.fit(X, y, nullProgress());
    QVERIFY(!report.ok());
    QVERIFY2(report.error().message.contains(u"feature input 1 has variance 0"_s), qPrintable(report.error().message));
    QVERIFY(!bayes.isFitted());

    CancelFlag cancelled;
    cancelled.cancel();
    QVERIFY(!bayes.setParam(u"var_smoothing"_s, 1e-9));
    report = bayes.fit(X, y, cancelled);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().kind, Error::cancelled().kind);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestNeighbours)
#include "tst_neighbours.moc"
