#include "monitor/performancedecay.h"

#include "base/parallel.h"
#include "base/random.h"
#include "learn/evaluation.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

// The rows a window scores and their truth; rows without a target are dropped.
struct Scored
{
    FitTarget truth;
    Prediction prediction;
};

Result<Scored> scoreWindow(const Pipeline &pipeline, const DriftWindowInput &window)
{
    if (!window.data->indexOf(pipeline.target().name))
        return Error::invalid(QStringLiteral("no \"%1\" column: no labels").arg(pipeline.target().name));
    std::vector<std::size_t> rows = window.rows;
    if (rows.empty()) {
        rows.resize(window.data->rowCount());
        for (std::size_t i = 0; i < rows.size(); ++i)
            rows[i] = i;
    }
    Result<FitTarget> truth = pipeline.targetOf(*window.data, rows);
    if (!truth)
        return truth.error();
    if (rows.empty())
        return Error::invalid(QStringLiteral("no labelled rows"));
    Result<Prediction> prediction = pipeline.predict(*window.data, rows);
    if (!prediction)
        return prediction.error();
    return Scored{std::move(truth).value(), std::move(prediction).value()};
}

// The metric on the rows picked by `sample` (indices into the scored rows).
double metricOn(const Scored &scored, const std::vector<Eigen::Index> &sample, const PerformanceSettings &settings, Task task)
{
    const auto n = Eigen::Index(sample.size());
    if (task == Task::Classification) {
        Labels truth(sample.size());
        Eigen::MatrixXd probabilities(n, scored.prediction.probabilities.cols());
        for (Eigen::Index i = 0; i < n; ++i) {
            truth[std::size_t(i)] = scored.truth.classes[std::size_t(sample[std::size_t(i)])];
            probabilities.row(i) = scored.prediction.probabilities.row(sample[std::size_t(i)]);
        }
        return classificationMetric(settings.metric, truth, probabilities);
    }
    Eigen::VectorXd actual(n), predicted(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        actual[i] = scored.truth.values[sample[std::size_t(i)]];
        predicted[i] = scored.prediction.values[sample[std::size_t(i)]];
    }
    return evaluateRegression(actual, predicted).metric(settings.metric);
}

// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13): the metric on `resamples` draws of the
// rows with replacement, each with its own seeded stream so the band does not depend on threads.
std::pair<double, double> bootstrapBand(const Scored &scored, std::size_t rows, const PerformanceSettings &settings, Task task)
{
    std::vector<double> values(std::size_t(std::max(settings.resamples, 1)));
    parallelFor(values.size(), [&](std::size_t r) {
        Random random(settings.seed * 1000003 + r);
        std::vector<Eigen::Index> sample(rows);
        for (Eigen::Index &index : sample)
            index = Eigen::Index(random.below(rows));
        values[r] = metricOn(scored, sample, settings, task);
    });
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty())
        return {std::nan(""), std::nan("")};
    std::sort(values.begin(), values.end());
    const double tail = (1 - settings.confidence) / 2;
    auto at = [&](double q) { return values[std::min(values.size() - 1, std::size_t(q * double(values.size())))]; };
    return {at(tail), at(1 - tail)};
}

} // namespace

Result<PerformanceReport> performanceOverWindows(const Pipeline &pipeline, const std::vector<DriftWindowInput> &windows,
                                                 const PerformanceSettings &settings, ProgressSink &progress)
{
    const Task task = pipeline.target().task;
    const Evaluation probe = task == Task::Classification
        ? evaluateClassification({0, 1}, Eigen::MatrixXd::Constant(2, pipeline.target().classes.size(), 0.5),
                                 pipeline.target().classes)
        : evaluateRegression(Eigen::Vector2d(0, 1), Eigen::Vector2d(0, 1));
    if (std::none_of(probe.metrics.begin(), probe.metrics.end(), [&](const auto &m) { return m.first == settings.metric; }))
        return Error::invalid(QStringLiteral("\"%1\" is not a metric of this model's task").arg(settings.metric));
    PerformanceReport report{settings.metric, settings.baseline, isHigherBetter(settings.metric), {}};
    for (std::size_t w = 0; w < windows.size(); ++w) {
        if (progress.isCancelled())
            return Error::cancelled();
        progress.setProgress(double(w) / double(windows.size()), QStringLiteral("Scoring window %1").arg(windows[w].label));
        WindowPerformance performance;
        Result<Scored> scored = scoreWindow(pipeline, windows[w]);
        if (!scored) {
            performance.error = scored.error().message;
            report.windows.push_back(performance);
            continue;
        }
        performance.rows = task == Task::Classification ? scored.value().truth.classes.size()
                                                        : std::size_t(scored.value().truth.values.size());
        std::vector<Eigen::Index> all(performance.rows);
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = Eigen::Index(i);
        performance.value = metricOn(scored.value(), all, settings, task);
        std::tie(performance.lower, performance.upper) = bootstrapBand(scored.value(), performance.rows, settings, task);
        performance.degraded = report.higherIsBetter ? performance.upper < settings.baseline
                                                     : performance.lower > settings.baseline;
        report.windows.push_back(performance);
    }
    progress.setProgress(1.0, QStringLiteral("Performance measured"));
    return report;
}

QJsonObject PerformanceReport::toJson() const
{
    auto number = [](double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); };
    QJsonArray list;
    for (const WindowPerformance &window : windows) {
        if (!window.error.isEmpty()) {
            list.append(QJsonObject{{QStringLiteral("error"), window.error}});
            continue;
        }
        list.append(QJsonObject{{QStringLiteral("rows"), double(window.rows)},
                                {QStringLiteral("value"), number(window.value)},
                                {QStringLiteral("lower"), number(window.lower)},
                                {QStringLiteral("upper"), number(window.upper)},
                                {QStringLiteral("degraded"), window.degraded}});
    }
    return {{QStringLiteral("metric"), metric},
            {QStringLiteral("baseline"), number(baseline)},
            {QStringLiteral("higher_is_better"), higherIsBetter},
            {QStringLiteral("windows"), list}};
}

} // namespace plumb
