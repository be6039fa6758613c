// The Plumb side of the k-nearest-neighbours benchmark; run by bench_neighbours.py or by hand, see
// README.md.
//
//   bench_neighbours FILE [--queries N] [--k K] [--repeat R] [--compare C]
//       Loads FILE (every column but "y" is a feature, "y" the binary class), fits knn
//       (classification, n_neighbors = K, weights = uniform) on every row, then times R calls of
//       KNearestNeighbours::predict on the first N rows as queries. Prints one JSON line: the fit
//       and predict seconds, the thread count, every predicted label, the neighbour rows of the
//       first C queries, and how many of those queries predictRow answers the same.

#include "base/parallel.h"
#include "data/csvreader.h"
#include "learn/nearestneighbours.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace plumb;

namespace {

using Clock = std::chrono::steady_clock;

const QString kTarget = QStringLiteral("y");

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_neighbours: %s\n", qPrintable(message));
    std::exit(1);
}

int intOption(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? std::max(1, args.at(at + 1).toInt()) : fallback;
}

// The features as an n x p matrix and the target as class indices (the file's 0 and 1).
void load(const QString &path, Eigen::MatrixXd &X, FitTarget &y)
{
    Result<Dataset> data = CsvReader::readFile(path);
    if (!data)
        fail(data.error().message);
    const Dataset &table = data.value();
    const auto target = table.indexOf(kTarget);
    if (!target)
        fail(QStringLiteral("the data has no column '%1'").arg(kTarget));
    const auto n = Eigen::Index(table.rowCount());
    X.resize(n, Eigen::Index(table.columnCount()) - 1);
    Eigen::Index c = 0;
    for (const Column &column : table.columns())
        if (column.name() != kTarget)
            std::memcpy(X.col(c++).data(), column.numbers().data(), sizeof(double) * std::size_t(n));
    y.classCount = 2;
    for (const double value : table.column(*target).numbers())
        y.classes.push_back(int(value));
}

// How many of the first `count` queries predictRow answers exactly as the batch did.
int rowPathAgreements(const Model &model, const Eigen::MatrixXd &queries, const Eigen::MatrixXd &batch, int count)
{
    int same = 0;
    Eigen::VectorXd x(queries.cols()), out(model.rowOutputs());
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(count, queries.rows()); ++i) {
        x = queries.row(i).transpose();
        model.predictRow(x.data(), out.data());
        same += std::memcmp(out.data(), Eigen::VectorXd(batch.row(i).transpose()).data(), sizeof(double) * std::size_t(out.size())) == 0;
    }
    return same;
}

} // namespace

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
    FitTarget y;
    load(path, X, y);
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
    Eigen::VectorXd labels;
    for (int r = 0; r < repeat; ++r) {
        start = Clock::now();
        labels = model.predict(queries);
        predictSeconds.append(secondsSince(start));
    }

    QJsonArray predictions, neighbours;
    for (Eigen::Index i = 0; i < labels.size(); ++i)
        predictions.append(int(labels[i]));
    const std::vector<Neighbour> found = model.neighbours(queries.topRows(std::min<Eigen::Index>(compare, queries.rows())));
    for (const Neighbour &neighbour : found)
        neighbours.append(qint64(neighbour.row));
    const int rowSame = rowPathAgreements(model, queries, model.predictProba(queries.topRows(std::min<Eigen::Index>(compare, queries.rows()))), compare);

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
        {QStringLiteral("row_path_same"), rowSame},
    };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}
