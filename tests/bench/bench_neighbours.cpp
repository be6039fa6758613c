// The Plumb side of the k-nearest-neighbours benchmark; run by bench_neighbours.py or by hand, see
// README.md.
//
//   bench_neighbours FILE [--queries N] [--k K] [--repeat R] [--compare C]
//       Loads FILE (every column but "y" is a feature, "y" the binary class), fits knn
//       (classification, n_neighbors = K, weights = uniform) on every row, then times R calls of
//       KNearestNeighbours::predict on the first N rows as queries. Prints one JSON line: the fit
//       and predict seconds, the thread count, every predicted label, the neighbour rows of the
//       first C queries, and how many of those queries predictRow answers the same.

#include "benchcommon.h"

#include "base/parallel.h"
#include "learn/nearestneighbours.h"

#include <QCoreApplication>

#include <cstdio>

using namespace plumb;
using namespace plumb::bench;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString path = args.value(1);
    if (path.isEmpty() || path.startsWith(QLatin1String("--"))) {
        std::fprintf(stderr, "usage: bench_neighbours FILE [--queries N] [--k K] [--repeat R] [--compare C]\n");
        return 2;
    }
    const int queryCount = intOption(args, QStringLiteral("--queries"), 10'000);
    const int k = intOption(args, QStringLiteral("--k"), 5);
    const int repeat = intOption(args, QStringLiteral("--repeat"), 1);
    const int compare = intOption(args, QStringLiteral("--compare"), 100);

    Eigen::MatrixXd X;
    Eigen::VectorXd labels;
    loadMatrix(path, X, labels);
    const FitTarget y = binaryTarget(labels);
    const Eigen::MatrixXd queries = X.topRows(std::min<Eigen::Index>(queryCount, X.rows()));

    KNearestNeighbours model(Task::Classification);
    if (auto error = model.setParam(QStringLiteral("n_neighbors"), k))
        fail(error->message);
    auto start = Clock::now();
    Result<FitReport> report = model.fit(X, y, nullProgress());
    const double fitSeconds = secondsSince(start);
    if (!report)
        fail(report.error().message);

    QJsonArray predictSeconds;
    Eigen::VectorXd predicted;
    for (int r = 0; r < repeat; ++r) {
        start = Clock::now();
        predicted = model.predict(queries);
        predictSeconds.append(secondsSince(start));
    }

    QJsonArray predictions, neighbours;
    for (Eigen::Index i = 0; i < predicted.size(); ++i)
        predictions.append(int(predicted[i]));
    const Eigen::MatrixXd compared = queries.topRows(std::min<Eigen::Index>(compare, queries.rows()));
    for (const Neighbour &neighbour : model.neighbours(compared))
        neighbours.append(qint64(neighbour.row));
    const Eigen::Index rowSame = rowPathAgreements(model, compared, model.predictProba(compared), compared.rows());

    const QJsonObject result{
        {QStringLiteral("tool"), QStringLiteral("plumb")},
        {QStringLiteral("rows"), qint64(X.rows())},
        {QStringLiteral("features"), qint64(X.cols())},
        {QStringLiteral("queries"), qint64(queries.rows())},
        {QStringLiteral("k"), k},
        {QStringLiteral("threads"), workerCount()},
        {QStringLiteral("fit_s"), QJsonArray{fitSeconds}},
        {QStringLiteral("predict_s"), predictSeconds},
        {QStringLiteral("predictions"), predictions},
        {QStringLiteral("neighbours"), neighbours},
        {QStringLiteral("row_path_same"), qint64(rowSame)},
    };
    print(result);
    return 0;
}
