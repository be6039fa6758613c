// bench_trees: the Plumb side of bench_trees.py (side by side with scikit-learn and joblib). Each
// mode loads one numeric CSV with a binary target "y" (not timed) and prints one JSON line.
// Not a test: run it from bench_trees.py or by hand, see README.md.
//
//   bench_trees tree FILE [--rows N] [--depth D] [--repeat R]
//       DecisionTree (classification, gini) with max_depth D on the first N rows: fit seconds
//       (each of R fits), training accuracy, node count, and batch prediction seconds.
//   bench_trees forest FILE --rows N --test-rows M [--trees T] [--depth D] [--repeat R] [--save PATH]
//       RandomForest (classification, sqrt features, bootstrap) with T trees of max_depth D on
//       the first N rows; accuracy on the next M rows; fit seconds. With --save, the fitted
//       pipeline is saved as a .plumb model file at PATH, and the time to load and verify it
//       (digest checked, every tree validated) is measured R times, with its size.
//   bench_trees load MODEL.plumb [--repeat R]
//       Loads and verifies a saved model file R times (for profiling the load alone).

#include "benchcommon.h"

#include "artifact/modelartifact.h"
#include "learn/treemodels.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>

using namespace plumb;
using namespace plumb::bench;

namespace {

struct Table
{
    Eigen::MatrixXd X;
    FitTarget target;
};

// Rows [first, first + count) of the file's matrix, the target as class indices 0 and 1.
Table rowsOf(const Eigen::MatrixXd &X, const Eigen::VectorXd &y, Eigen::Index first, Eigen::Index count)
{
    return {X.middleRows(first, count), binaryTarget(y.segment(first, count))};
}

double accuracy(const Model &model, const Table &table)
{
    const Eigen::VectorXd predicted = model.predict(table.X);
    Eigen::Index correct = 0;
    for (Eigen::Index i = 0; i < predicted.size(); ++i)
        correct += predicted[i] == table.target.classes[std::size_t(i)];
    return double(correct) / double(predicted.size());
}

// R fits of a fresh copy of `model`, their seconds; `model` ends fitted.
QJsonArray timeFits(Model &model, const Table &train, int repeat)
{
    QJsonArray seconds;
    for (int r = 0; r < repeat; ++r) {
        std::unique_ptr<Model> fresh = model.cloneUnfitted();
        const auto start = Clock::now();
        Result<FitReport> report = fresh->fit(train.X, train.target, nullProgress());
        seconds.append(secondsSince(start));
        if (!report)
            fail(report.error().message);
        if (r == repeat - 1 && model.restore(fresh->state()))
            fail(QStringLiteral("the fitted state did not restore"));
    }
    return seconds;
}

void benchTree(const QStringList &args, const Eigen::MatrixXd &X, const Eigen::VectorXd &y)
{
    const Eigen::Index rows = std::min<Eigen::Index>(
        X.rows(), option(args, QStringLiteral("--rows"), QString::number(X.rows())).toLongLong());
    const Table train = rowsOf(X, y, 0, rows);
    DecisionTree model(Task::Classification);
    model.setParam(QStringLiteral("max_depth"), intOption(args, QStringLiteral("--depth"), 10));
    const QJsonArray fits = timeFits(model, train, intOption(args, QStringLiteral("--repeat"), 1));
    const auto start = Clock::now();
    const double trainingAccuracy = accuracy(model, train);
    print({{QStringLiteral("mode"), QStringLiteral("tree")},
           {QStringLiteral("rows"), double(rows)},
           {QStringLiteral("fit_s"), fits},
           {QStringLiteral("predict_s"), secondsSince(start)},
           {QStringLiteral("train_accuracy"), trainingAccuracy},
           {QStringLiteral("nodes"), double(model.trees().front().nodeCount())}});
}

// The forest inside a pipeline whose router passes the features through unchanged, so the file
// holds the same model scikit-learn's joblib file does.
Pipeline forestPipeline(const QStringList &features, const RandomForest &forest)
{
    RouterBranch numeric{QStringLiteral("numeric"), features, false, {}, {}};
    ColumnRouter router;
    router.addBranch(std::move(numeric));
    std::unique_ptr<Model> model = forest.cloneUnfitted();
    if (model->restore(forest.state()))
        fail(QStringLiteral("the forest did not restore"));
    return Pipeline(std::move(router), std::move(model));
}

QJsonArray timeLoads(const QString &path, int repeat)
{
    QJsonArray seconds;
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        Result<ModelArtifact> loaded = loadModelArtifact(path);
        seconds.append(secondsSince(start));
        if (!loaded)
            fail(loaded.error().message);
    }
    return seconds;
}

QJsonObject saveAndLoad(const QString &path, const Dataset &data, const QStringList &features, const RandomForest &forest,
                        Eigen::Index rows, int repeat)
{
    Pipeline pipeline = forestPipeline(features, forest);
    std::vector<std::size_t> trainingRows(static_cast<std::size_t>(rows));
    for (std::size_t i = 0; i < trainingRows.size(); ++i)
        trainingRows[i] = i;
    // Fitting the pipeline fits the router (nothing to learn) and the forest again: keep the
    // benchmark's forest by restoring its state afterwards.
    if (Result<FitReport> fitted = pipeline.fit(data, kTarget, trainingRows, nullProgress()); !fitted)
        fail(fitted.error().message);
    if (pipeline.model().restore(forest.state()))
        fail(QStringLiteral("the forest did not restore into the pipeline"));
    ModelMetadata metadata;
    metadata.name = QStringLiteral("bench forest");
    metadata.created = QDateTime::currentDateTimeUtc();
    if (auto error = saveModelArtifact(path, pipeline, metadata, {}, true))
        fail(error->message);
    return {{QStringLiteral("file_bytes"), double(QFileInfo(path).size())}, {QStringLiteral("load_s"), timeLoads(path, repeat)}};
}

void benchForest(const QStringList &args, const Dataset &data, const Eigen::MatrixXd &X, const Eigen::VectorXd &y)
{
    const Eigen::Index rows = option(args, QStringLiteral("--rows"), QStringLiteral("100000")).toLongLong();
    const Eigen::Index testRows = option(args, QStringLiteral("--test-rows"), QStringLiteral("100000")).toLongLong();
    if (rows + testRows > X.rows())
        fail(QStringLiteral("the file has %1 rows, fewer than --rows + --test-rows").arg(X.rows()));
    const Table train = rowsOf(X, y, 0, rows), test = rowsOf(X, y, rows, testRows);
    RandomForest forest(Task::Classification);
    forest.setParam(QStringLiteral("n_estimators"), intOption(args, QStringLiteral("--trees"), 100));
    forest.setParam(QStringLiteral("max_depth"), intOption(args, QStringLiteral("--depth"), 10));
    forest.setParam(QStringLiteral("oob_score"), false);
    const int repeat = intOption(args, QStringLiteral("--repeat"), 1);
    const QJsonArray fits = timeFits(forest, train, repeat);
    const auto start = Clock::now();
    const double testAccuracy = accuracy(forest, test);
    QJsonObject report{{QStringLiteral("mode"), QStringLiteral("forest")},
                       {QStringLiteral("rows"), double(rows)},
                       {QStringLiteral("fit_s"), fits},
                       {QStringLiteral("predict_s"), secondsSince(start)},
                       {QStringLiteral("test_accuracy"), testAccuracy}};
    const QString savePath = option(args, QStringLiteral("--save"), {});
    if (!savePath.isEmpty()) {
        const QJsonObject file = saveAndLoad(savePath, data, featuresOf(data), forest, rows, std::max(repeat, 5));
        for (auto it = file.begin(); it != file.end(); ++it)
            report.insert(it.key(), it.value());
    }
    print(report);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1), path = args.value(2);
    if (path.isEmpty() || (mode != QLatin1String("tree") && mode != QLatin1String("forest") && mode != QLatin1String("load")))
        fail(QStringLiteral("usage: bench_trees tree|forest|load FILE [options]"));
    if (mode == QLatin1String("load")) {
        print({{QStringLiteral("mode"), mode},
               {QStringLiteral("load_s"), timeLoads(path, intOption(args, QStringLiteral("--repeat"), 5))}});
        return 0;
    }
    double readSeconds = 0;
    const Dataset data = load(path, readSeconds);
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    toMatrix(data, featuresOf(data), X, y);
    if (mode == QLatin1String("tree"))
        benchTree(args, X, y);
    else
        benchForest(args, data, X, y);
    return 0;
}
