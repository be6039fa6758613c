// bench_boosting: the Plumb side of bench_boosting.py (gradient boosting side by side with XGBoost
// and scikit-learn). Loads one CSV (not timed), splits it into the first train-fraction of the
// rows for training and the rest for testing, fits gradient_boosting and prints one JSON line.
// Not a test: run it from bench_boosting.py or by hand, see README.md.
//
//   bench_boosting FILE [--trees N] [--leaves L] [--min-samples-leaf M] [--train-fraction F]
//                       [--repeat R] [--predict-repeat P]
//       Fits R times (N iterations, at most L leaves per tree, early stopping off) on every column
//       but "y" (binary classes 0/1), then times P calls of predictProba on the test rows.
//       Reports every fit's and prediction's seconds, the test accuracy and whether predictRow
//       gives the same bits as predictProba on the first 1000 test rows.

#include "base/parallel.h"
#include "data/csvreader.h"
#include "learn/gradientboosting.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using namespace plumb;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// CPU seconds used by the process so far (all threads): on a shared machine, a fit that waited
// for a core shows here as less CPU time than wall-clock time.
double processCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

[[noreturn]] void fail(const QString &message)
{
    std::fprintf(stderr, "bench_boosting: %s\n", qPrintable(message));
    std::exit(1);
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

QJsonArray toJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (const double value : values)
        array.append(value);
    return array;
}

// The file's features (every column but "y") as one matrix and "y" as class indices.
void loadMatrix(const QString &path, Eigen::MatrixXd &X, std::vector<int> &classes)
{
    Result<Dataset> loaded = CsvReader::readFile(path);
    if (!loaded)
        fail(loaded.error().message);
    const Dataset &data = loaded.value();
    const std::optional<qsizetype> target = data.indexOf(QStringLiteral("y"));
    if (!target)
        fail(QStringLiteral("the data has no column 'y'"));
    const auto n = Eigen::Index(data.rowCount());
    X.resize(n, Eigen::Index(data.columns().size()) - 1);
    Eigen::Index c = 0;
    for (qsizetype column = 0; column < qsizetype(data.columns().size()); ++column)
        if (column != *target)
            std::memcpy(X.col(c++).data(), data.column(column).numbers().data(), sizeof(double) * std::size_t(n));
    classes.resize(std::size_t(n));
    const auto &labels = data.column(*target).numbers();
    for (Eigen::Index i = 0; i < n; ++i)
        classes[std::size_t(i)] = labels[std::size_t(i)] > 0.5 ? 1 : 0;
}

bool rowsMatchBatch(const GradientBoosting &model, const Eigen::MatrixXd &X, const Eigen::MatrixXd &probabilities)
{
    const Eigen::Index rows = std::min<Eigen::Index>(1000, X.rows());
    std::vector<double> x(std::size_t(X.cols())), out(2);
    for (Eigen::Index i = 0; i < rows; ++i) {
        for (Eigen::Index f = 0; f < X.cols(); ++f)
            x[std::size_t(f)] = X(i, f);
        model.predictRow(x.data(), out.data());
        if (std::memcmp(&out[1], &probabilities(i, 1), sizeof(double)) != 0)
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.at(1).startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "usage: bench_boosting FILE [options]; see bench_boosting.cpp\n");
        return 2;
    }
    Eigen::MatrixXd all;
    std::vector<int> classes;
    loadMatrix(args.at(1), all, classes);
    const double fraction = option(args, QStringLiteral("--train-fraction"), QStringLiteral("0.8")).toDouble();
    const auto trainRows = Eigen::Index(double(all.rows()) * fraction);
    const Eigen::MatrixXd train = all.topRows(trainRows), test = all.bottomRows(all.rows() - trainRows);
    all.resize(0, 0);
    FitTarget target;
    target.classes.assign(classes.begin(), classes.begin() + trainRows);
    target.classCount = 2;

    GradientBoosting model(Task::Classification);
    const std::pair<QString, QVariant> params[] = {
        {QStringLiteral("max_iter"), option(args, QStringLiteral("--trees"), QStringLiteral("100")).toInt()},
        {QStringLiteral("max_leaf_nodes"), option(args, QStringLiteral("--leaves"), QStringLiteral("31")).toInt()},
        {QStringLiteral("min_samples_leaf"), option(args, QStringLiteral("--min-samples-leaf"), QStringLiteral("20")).toInt()},
        {QStringLiteral("early_stopping"), QStringLiteral("off")}};
    for (const auto &[name, value] : params)
        if (auto error = model.setParam(name, value))
            fail(error->message);

    std::vector<double> fitSeconds, fitCpuSeconds, predictSeconds;
    const int repeat = std::max(1, option(args, QStringLiteral("--repeat"), QStringLiteral("1")).toInt());
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        const double cpuStart = processCpuSeconds();
        const Result<FitReport> report = model.fit(train, target, nullProgress());
        fitSeconds.push_back(secondsSince(start));
        fitCpuSeconds.push_back(processCpuSeconds() - cpuStart);
        if (!report)
            fail(report.error().message);
    }
    Eigen::MatrixXd probabilities = model.predictProba(test); // warm-up
    const int predictRepeat = std::max(1, option(args, QStringLiteral("--predict-repeat"), QStringLiteral("5")).toInt());
    for (int r = 0; r < predictRepeat; ++r) {
        const auto start = Clock::now();
        probabilities = model.predictProba(test);
        predictSeconds.push_back(secondsSince(start));
    }
    Eigen::Index correct = 0;
    for (Eigen::Index i = 0; i < test.rows(); ++i)
        correct += (probabilities(i, 1) > probabilities(i, 0) ? 1 : 0) == classes[std::size_t(trainRows + i)] ? 1 : 0;
    std::size_t nodes = 0;
    const ComponentState state = model.state();
    nodes = state.arrays.at(QStringLiteral("node_feature")).data.size();
    const QJsonObject report{
        {QStringLiteral("tool"), QStringLiteral("plumb")},
        {QStringLiteral("train_rows"), qint64(train.rows())},
        {QStringLiteral("test_rows"), qint64(test.rows())},
        {QStringLiteral("features"), qint64(train.cols())},
        {QStringLiteral("fit_s"), toJson(fitSeconds)},
        {QStringLiteral("fit_cpu_s"), toJson(fitCpuSeconds)},
        {QStringLiteral("predict_s"), toJson(predictSeconds)},
        {QStringLiteral("accuracy"), double(correct) / double(test.rows())},
        {QStringLiteral("trees"), qint64(model.trees().treeCount())},
        {QStringLiteral("nodes"), qint64(nodes)},
        {QStringLiteral("row_equals_batch"), rowsMatchBatch(model, test, probabilities)},
        {QStringLiteral("threads"), workerCount()}};
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return 0;
}
