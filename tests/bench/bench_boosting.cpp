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

#include "benchcommon.h"

#include "base/parallel.h"
#include "learn/gradientboosting.h"

#include <QCoreApplication>

#include <cstdio>

using namespace plumb;
using namespace plumb::bench;

// predictRow is compared with the batch on this many test rows.
constexpr Eigen::Index kRowPathRows = 1000;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2 || args.at(1).startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "usage: bench_boosting FILE [options]; see bench_boosting.cpp\n");
        return 2;
    }
    Eigen::MatrixXd all;
    Eigen::VectorXd y;
    loadMatrix(args.at(1), all, y);
    const double fraction = option(args, QStringLiteral("--train-fraction"), QStringLiteral("0.8")).toDouble();
    const auto trainRows = Eigen::Index(double(all.rows()) * fraction);
    const Eigen::MatrixXd train = all.topRows(trainRows), test = all.bottomRows(all.rows() - trainRows);
    all.resize(0, 0);
    const FitTarget target = binaryTarget(y.head(trainRows));
    const FitTarget testTarget = binaryTarget(y.tail(test.rows()));

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
    const int repeat = intOption(args, QStringLiteral("--repeat"), 1);
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
    const int predictRepeat = intOption(args, QStringLiteral("--predict-repeat"), 5);
    for (int r = 0; r < predictRepeat; ++r) {
        const auto start = Clock::now();
        probabilities = model.predictProba(test);
        predictSeconds.push_back(secondsSince(start));
    }
    Eigen::Index correct = 0;
    for (Eigen::Index i = 0; i < test.rows(); ++i)
        correct += (probabilities(i, 1) > probabilities(i, 0) ? 1 : 0) == testTarget.classes[std::size_t(i)] ? 1 : 0;
    std::size_t nodes = 0;
    const ComponentState state = model.state();
    nodes = state.arrays.at(QStringLiteral("node_feature")).data.size();
    const QJsonObject report{{QStringLiteral("tool"), QStringLiteral("plumb")},
                             {QStringLiteral("train_rows"), qint64(train.rows())},
                             {QStringLiteral("test_rows"), qint64(test.rows())},
                             {QStringLiteral("features"), qint64(train.cols())},
                             {QStringLiteral("fit_s"), toJson(fitSeconds)},
                             {QStringLiteral("fit_cpu_s"), toJson(fitCpuSeconds)},
                             {QStringLiteral("predict_s"), toJson(predictSeconds)},
                             {QStringLiteral("accuracy"), double(correct) / double(test.rows())},
                             {QStringLiteral("trees"), qint64(model.trees().treeCount())},
                             {QStringLiteral("nodes"), qint64(nodes)},
                             {QStringLiteral("row_equals_batch"),
                              rowPathAgreements(model, test, probabilities, kRowPathRows) == std::min(kRowPathRows, test.rows())},
                             {QStringLiteral("threads"), workerCount()}};
    print(report);
    return 0;
}
