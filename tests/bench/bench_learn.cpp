// bench_learn: the Plumb side of bench_learn.py (side by side with scikit-learn). Each mode loads
// one CSV file (not timed), runs one piece of learning work and prints one JSON line with the
// timings and what is needed to check that both sides computed the same thing.
// Not a test: run it from bench_learn.py or by hand, see README.md.
//
//   bench_learn logistic FILE [--router scaler|defaults] [--repeat N]
//       Pipeline::fit of standardisation + logistic_regression on every column but "y" (binary).
//       scaler: one ColumnRouter numeric branch with only a standard_scaler step;
//       defaults: Pipeline::withDefaults (median imputer, then standard scaler).
//       Reports each fit's seconds, a split of one more fit into target, preprocessing and model time,
//       the iterations, the training log loss and the fitted coefficients.
//   bench_learn linear FILE [--repeat N] [--predict-repeat M]
//       LinearRegression::fit and Model::predict on the preprocessed n x p matrix (every column
//       but "y"), and the memory-bandwidth floor: the time to sum that matrix once, on one thread
//       and on workerCount() threads, best of M, measured between the predictions.
//   bench_learn rowscore FILE [--calls N] [--compare K]
//       Pipeline::withDefaults + logistic_regression fitted on the file, then N calls of
//       RowScorer::score on rows of the file (RowValue vectors built beforehand), each timed with
//       std::chrono::steady_clock. Reports median, p99 and mean in microseconds, and the scores of
//       the first K rows (and whether they equal Pipeline::predict's) for comparison.

#include "benchcommon.h"

#include "base/parallel.h"
#include "data/csvreader.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/rowscorer.h"
#include "learn/scalers.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace plumb;
using namespace plumb::bench;

namespace {

// Index of the class labelled "1" among the pipeline's classes.
Eigen::Index positiveClass(const Pipeline &pipeline)
{
    const qsizetype index = pipeline.target().classes.indexOf(QStringLiteral("1"));
    if (index < 0)
        fail(QStringLiteral("the target has no class '1': %1").arg(pipeline.target().classes.join(QLatin1Char(' '))));
    return index;
}

// ---- logistic --------------------------------------------------------------------------------

Pipeline logisticPipeline(const Dataset &data, const QStringList &features, bool defaults)
{
    if (defaults) {
        Result<Pipeline> pipeline = Pipeline::withDefaults(data, features, createModel(QStringLiteral("logistic_regression")));
        if (!pipeline)
            fail(pipeline.error().message);
        return std::move(pipeline).value();
    }
    RouterBranch numeric{QStringLiteral("numeric"), features, false, {}, {}};
    numeric.steps.push_back(std::make_unique<StandardScaler>());
    ColumnRouter router;
    router.addBranch(std::move(numeric));
    return Pipeline(std::move(router), createModel(QStringLiteral("logistic_regression")));
}

// Mean training log loss, -1/n sum log p(true class), with p floored at the double epsilon as
// scikit-learn's log_loss clips it.
double trainingLogLoss(const Pipeline &pipeline, const Dataset &data)
{
    Result<Prediction> prediction = pipeline.predict(data);
    if (!prediction)
        fail(prediction.error().message);
    const Eigen::Index positive = positiveClass(pipeline);
    const std::vector<double> &truth = data.column(*data.indexOf(kTarget)).numbers();
    const Eigen::MatrixXd &probabilities = prediction.value().probabilities;
    double sum = 0;
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
        const double p = probabilities(i, positive);
        const double ofTruth = truth[std::size_t(i)] == 1.0 ? p : 1.0 - p;
        sum += -std::log(std::max(ofTruth, std::numeric_limits<double>::epsilon()));
    }
    return sum / double(probabilities.rows());
}

// One more fit, in parts: the target's extraction, the router's fitTransform, then the model on
// its output (what Pipeline::fit does, less its schema bookkeeping).
QJsonObject fitStages(const Pipeline &fitted, const Dataset &data)
{
    std::vector<std::size_t> rows(data.rowCount());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    const auto targetStart = Clock::now();
    const Result<FitTarget> extracted = fitted.targetOf(data, rows);
    const double targetSeconds = secondsSince(targetStart);
    if (!extracted)
        fail(extracted.error().message);
    ColumnRouter router = fitted.router().cloneUnfitted();
    const auto start = Clock::now();
    Result<Eigen::MatrixXd> X = router.fitTransform(data, {});
    const double preprocess = secondsSince(start);
    if (!X)
        fail(X.error().message);
    std::unique_ptr<Model> model = fitted.model().cloneUnfitted();
    const auto modelStart = Clock::now();
    Result<FitReport> report = model->fit(X.value(), extracted.value(), nullProgress());
    const double modelSeconds = secondsSince(modelStart);
    if (!report)
        fail(report.error().message);
    return {{QStringLiteral("target_s"), targetSeconds},
            {QStringLiteral("preprocess_s"), preprocess},
            {QStringLiteral("model_fit_s"), modelSeconds}};
}

int runLogistic(const QString &path, const QStringList &args)
{
    const bool defaults = option(args, QStringLiteral("--router"), QStringLiteral("scaler")) == QLatin1String("defaults");
    const int repeat = intOption(args, QStringLiteral("--repeat"), 1);
    double loadSeconds = 0;
    const Dataset data = load(path, loadSeconds);
    const QStringList features = featuresOf(data);

    std::vector<double> seconds;
    std::optional<Pipeline> pipeline;
    FitReport report;
    for (int r = 0; r < repeat; ++r) {
        pipeline.emplace(logisticPipeline(data, features, defaults));
        const auto start = Clock::now();
        Result<FitReport> fitted = pipeline->fit(data, kTarget, {});
        seconds.push_back(secondsSince(start));
        if (!fitted)
            fail(fitted.error().message);
        report = fitted.value();
    }
    const auto &model = dynamic_cast<const LogisticRegression &>(pipeline->model());
    QStringList steps;
    for (const RouterBranch &branch : pipeline->router().branches())
        for (const auto &step : branch.steps)
            steps.append(branch.name + QLatin1Char(':') + step->kind());
    print({{QStringLiteral("tool"), QStringLiteral("plumb")},
           {QStringLiteral("mode"), QStringLiteral("logistic")},
           {QStringLiteral("rows"), qint64(data.rowCount())},
           {QStringLiteral("features"), features.size()},
           {QStringLiteral("steps"), steps.join(QStringLiteral(", "))},
           {QStringLiteral("load_s"), loadSeconds},
           {QStringLiteral("fit_s"), toJson(seconds)},
           {QStringLiteral("stages"), fitStages(*pipeline, data)},
           {QStringLiteral("iterations"), report.iterations},
           {QStringLiteral("converged"), report.converged},
           {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)},
           {QStringLiteral("log_loss"), trainingLogLoss(*pipeline, data)},
           {QStringLiteral("coefficients"), toJson(Eigen::VectorXd(model.coefficients().col(0)))},
           {QStringLiteral("intercept"), model.intercepts()[0]},
           {QStringLiteral("threads"), workerCount()}});
    return 0;
}

// ---- linear ----------------------------------------------------------------------------------

// Sum of `count` doubles on one thread (Eigen's vectorised reduction).
double sumRange(const double *values, Eigen::Index count)
{
    return Eigen::Map<const Eigen::VectorXd>(values, count).sum();
}

// Sum of the whole buffer split into workerCount() contiguous parts, summed in parallel.
double sumParallel(const double *values, Eigen::Index count)
{
    const auto parts = std::size_t(workerCount());
    std::vector<double> partial(parts, 0.0);
    parallelFor(parts, [&](std::size_t part) {
        const Eigen::Index first = count * Eigen::Index(part) / Eigen::Index(parts);
        const Eigen::Index last = count * Eigen::Index(part + 1) / Eigen::Index(parts);
        partial[part] = sumRange(values + first, last - first);
    });
    double sum = 0;
    for (const double value : partial)
        sum += value;
    return sum;
}

QJsonObject timePredictions(const Model &model, const Eigen::MatrixXd &X, int repeat)
{
    std::vector<double> predict, sumOne, sumAll;
    double checksum = 0; // keeps the sums from being optimised away
    Eigen::VectorXd predictions = model.predict(X); // warm-up: first touch of the output pages
    for (int r = 0; r < repeat; ++r) {
        auto start = Clock::now();
        predictions = model.predict(X);
        predict.push_back(secondsSince(start));
        start = Clock::now();
        checksum += sumRange(X.data(), X.size());
        sumOne.push_back(secondsSince(start));
        start = Clock::now();
        checksum += sumParallel(X.data(), X.size());
        sumAll.push_back(secondsSince(start));
    }
    return {{QStringLiteral("predict_s"), toJson(predict)},
            {QStringLiteral("sum_one_thread_s"), toJson(sumOne)},
            {QStringLiteral("sum_all_threads_s"), toJson(sumAll)},
            {QStringLiteral("matrix_bytes"), double(X.size()) * double(sizeof(double))},
            {QStringLiteral("matrix_sum"), checksum / (2.0 * repeat)},
            {QStringLiteral("prediction_sum"), predictions.sum()},
            {QStringLiteral("first_predictions"), toJson(Eigen::VectorXd(predictions.head(5)))}};
}

int runLinear(const QString &path, const QStringList &args)
{
    const int repeat = intOption(args, QStringLiteral("--repeat"), 1);
    const int predictRepeat = intOption(args, QStringLiteral("--predict-repeat"), 20);
    double loadSeconds = 0;
    const Dataset data = load(path, loadSeconds);
    const QStringList features = featuresOf(data);
    Eigen::MatrixXd X;
    FitTarget target;
    toMatrix(data, features, X, target.values);

    std::vector<double> fitSeconds;
    std::unique_ptr<Model> model;
    for (int r = 0; r < repeat; ++r) {
        model = createModel(QStringLiteral("linear_regression"));
        const auto start = Clock::now();
        Result<FitReport> fitted = model->fit(X, target, nullProgress());
        fitSeconds.push_back(secondsSince(start));
        if (!fitted)
            fail(fitted.error().message);
    }
    const auto &linear = dynamic_cast<const LinearRegression &>(*model);
    QJsonObject report = timePredictions(*model, X, predictRepeat);
    report.insert(QStringLiteral("tool"), QStringLiteral("plumb"));
    report.insert(QStringLiteral("mode"), QStringLiteral("linear"));
    report.insert(QStringLiteral("rows"), qint64(X.rows()));
    report.insert(QStringLiteral("features"), qint64(X.cols()));
    report.insert(QStringLiteral("load_s"), loadSeconds);
    report.insert(QStringLiteral("fit_s"), toJson(fitSeconds));
    report.insert(QStringLiteral("coefficients"), toJson(linear.coefficients()));
    report.insert(QStringLiteral("intercept"), linear.intercept());
    report.insert(QStringLiteral("threads"), workerCount());
    print(report);
    return 0;
}

// ---- rowscore --------------------------------------------------------------------------------

// A row as the scoring form would hand it over: numbers as numbers, categories as text.
std::vector<RowValue> rowValues(const Dataset &data, const Pipeline &pipeline, std::size_t row)
{
    std::vector<RowValue> values;
    for (const FeatureSpec &feature : pipeline.features()) {
        const Column &column = data.column(*data.indexOf(feature.name));
        if (column.isMissing(row))
            values.push_back(RowValue::missing());
        else if (column.type() == ColumnType::Categorical)
            values.push_back(RowValue::of(column.displayText(row)));
        else
            values.push_back(RowValue::of(column.numbers()[row]));
    }
    return values;
}

// Median cost of reading the clock twice, which every timed call includes.
double clockOverheadSeconds()
{
    std::vector<double> samples;
    for (int i = 0; i < 10000; ++i) {
        const auto start = Clock::now();
        samples.push_back(secondsSince(start));
    }
    return median(samples);
}

// Scores of the first `count` rows one at a time, and whether each equals the batch prediction.
QJsonObject compareRows(const Pipeline &pipeline, const RowScorer &scorer, const std::vector<std::vector<RowValue>> &rows,
                        const Dataset &data, std::size_t count)
{
    const Eigen::Index positive = positiveClass(pipeline);
    const Prediction batch = pipeline.predict(data).value();
    std::vector<double> out(std::size_t(pipeline.model().rowOutputs())), scores;
    TransformNotes notes;
    bool equal = true;
    for (std::size_t row = 0; row < std::min(count, rows.size()); ++row) {
        if (auto error = scorer.score(rows[row], out.data(), notes))
            fail(error->message);
        const double expected = batch.probabilities(Eigen::Index(row), positive);
        equal = equal && std::memcmp(&out[std::size_t(positive)], &expected, sizeof(double)) == 0;
        scores.push_back(out[std::size_t(positive)]);
    }
    return {{QStringLiteral("first_scores"), toJson(scores)}, {QStringLiteral("row_equals_batch"), equal}};
}

int runRowScore(const QString &path, const QStringList &args)
{
    const int calls = intOption(args, QStringLiteral("--calls"), 100000);
    const int compare = intOption(args, QStringLiteral("--compare"), 1000);
    double loadSeconds = 0;
    const Dataset data = load(path, loadSeconds);
    Result<Pipeline> built = Pipeline::withDefaults(data, featuresOf(data), createModel(QStringLiteral("logistic_regression")));
    if (!built)
        fail(built.error().message);
    Pipeline pipeline = std::move(built).value();
    Result<FitReport> fitted = pipeline.fit(data, kTarget, {});
    if (!fitted)
        fail(fitted.error().message);
    const RowScorer scorer(pipeline);
    std::vector<std::vector<RowValue>> rows;
    for (std::size_t row = 0; row < data.rowCount(); ++row)
        rows.push_back(rowValues(data, pipeline, row));

    std::vector<double> out(std::size_t(pipeline.model().rowOutputs()));
    TransformNotes notes;
    double checksum = 0;
    for (std::size_t i = 0; i < std::min<std::size_t>(rows.size(), 5000); ++i) { // warm-up
        scorer.score(rows[i], out.data(), notes);
        checksum += out[0];
    }
    std::vector<double> seconds;
    seconds.reserve(std::size_t(calls));
    for (int i = 0; i < calls; ++i) {
        const std::vector<RowValue> &row = rows[std::size_t(i) % rows.size()];
        const auto start = Clock::now();
        const std::optional<Error> error = scorer.score(row, out.data(), notes);
        seconds.push_back(secondsSince(start));
        if (error)
            fail(error->message);
        checksum += out[0];
    }
    double mean = 0;
    for (const double s : seconds)
        mean += s / double(seconds.size());
    QJsonObject report = compareRows(pipeline, scorer, rows, data, std::size_t(compare));
    report.insert(QStringLiteral("tool"), QStringLiteral("plumb"));
    report.insert(QStringLiteral("mode"), QStringLiteral("rowscore"));
    report.insert(QStringLiteral("rows"), qint64(data.rowCount()));
    report.insert(QStringLiteral("outputs"), pipeline.router().outputNames().size());
    report.insert(QStringLiteral("calls"), calls);
    report.insert(QStringLiteral("median_us"), median(seconds) * 1e6);
    report.insert(QStringLiteral("p99_us"), quantile(seconds, 0.99) * 1e6);
    report.insert(QStringLiteral("mean_us"), mean * 1e6);
    report.insert(QStringLiteral("clock_overhead_us"), clockOverheadSeconds() * 1e6);
    report.insert(QStringLiteral("unknown_categories"), qint64(notes.unknownCategories));
    report.insert(QStringLiteral("score_checksum"), checksum);
    report.insert(QStringLiteral("fit_iterations"), fitted.value().iterations);
    print(report);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1), path = args.value(2);
    if (path.isEmpty()) {
        std::fprintf(stderr, "usage: bench_learn logistic|linear|rowscore FILE [options]; see bench_learn.cpp\n");
        return 2;
    }
    if (mode == QLatin1String("logistic"))
        return runLogistic(path, args);
    if (mode == QLatin1String("linear"))
        return runLinear(path, args);
    if (mode == QLatin1String("rowscore"))
        return runRowScore(path, args);
    std::fprintf(stderr, "bench_learn: unknown mode '%s'\n", qPrintable(mode));
    return 2;
}
