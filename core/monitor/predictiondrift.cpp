#include "monitor/predictiondrift.h"

#include "data/columnprofile.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <set>

namespace plumb {

namespace {

// A window's predictions: classes as counts, values as numbers.
struct Predicted
{
    CategoricalSample classes;
    std::vector<double> values;
    QStringList classNames; // the model's classes, in index order
    QString error;
};

Predicted predictWindow(const Pipeline &pipeline, const DriftWindowInput &window)
{
    Predicted predicted;
    Result<Prediction> prediction = pipeline.predict(*window.data, window.rows);
    if (!prediction) {
        predicted.error = prediction.error().message;
        return predicted;
    }
    const Prediction &p = prediction.value();
    predicted.classNames = p.classes;
    for (Eigen::Index i = 0; i < p.values.size(); ++i) {
        if (p.classes.isEmpty())
            predicted.values.push_back(p.values[i]);
        else
            ++predicted.classes.counts[p.label(i)];
    }
    return predicted;
}

std::size_t distinctValues(const std::vector<double> &values)
{
    return std::set<double>(values.begin(), values.end()).size();
}

PredictionSummary summarise(const Predicted &window, const QStringList &classes)
{
    PredictionSummary summary;
    if (!window.error.isEmpty())
        return summary;
    if (!classes.isEmpty()) {
        for (const auto &[label, count] : window.classes.counts)
            summary.rows += count;
        for (const QString &name : classes) {
            const auto found = window.classes.counts.find(name);
            const double count = found == window.classes.counts.end() ? 0.0 : double(found->second);
            summary.classShares.push_back(summary.rows ? count / double(summary.rows) : 0.0);
        }
        return summary;
    }
    summary.rows = window.values.size();
    if (window.values.empty())
        return summary;
    std::vector<double> sorted = window.values;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < summary.percentiles.size(); ++i)
        summary.percentiles[i] = quantileOfSorted(sorted, PredictionSummary::kSummaryPercentiles[i] / 100.0);
    return summary;
}

} // namespace

Result<PredictionDrift> predictionDrift(const Pipeline &pipeline, const std::vector<DriftWindowInput> &windows,
                                        std::size_t referenceWindows, ProgressSink &progress)
{
    if (windows.empty())
        return Error::invalid(QStringLiteral("no current data to compare"));
    const bool classifier = pipeline.target().task == Task::Classification;
    std::vector<Predicted> predicted;
    for (std::size_t w = 0; w < windows.size(); ++w) {
        if (progress.isCancelled())
            return Error::cancelled();
        progress.setProgress(0.9 * double(w) / double(windows.size()), QStringLiteral("Scoring window %1").arg(windows[w].label));
        predicted.push_back(predictWindow(pipeline, windows[w]));
    }
    PredictionDrift drift;
    drift.referenceWindows = std::clamp<std::size_t>(referenceWindows, 1, windows.size());
    Predicted reference;
    for (std::size_t w = 0; w < drift.referenceWindows; ++w) {
        if (!predicted[w].error.isEmpty())
            return Error::invalid(QStringLiteral("reference window %1: %2").arg(windows[w].label, predicted[w].error));
        for (const auto &[label, count] : predicted[w].classes.counts)
            reference.classes.counts[label] += count;
        reference.values.insert(reference.values.end(), predicted[w].values.begin(), predicted[w].values.end());
    }
    drift.referenceRows = classifier ? 0 : reference.values.size();
    for (const auto &[label, count] : reference.classes.counts)
        drift.referenceRows += count;
    drift.method = classifier ? defaultMethod(drift.referenceRows, false, reference.classes.counts.size())
                              : defaultMethod(drift.referenceRows, true, distinctValues(reference.values));
    drift.classes = predicted.front().classNames;
    for (Predicted &window : predicted) {
        drift.summaries.push_back(summarise(window, drift.classes));
        DriftCell cell;
        if (!window.error.isEmpty()) {
            cell.error = window.error;
        } else {
            Result<DriftScore> score = classifier ? categoricalDrift(drift.method, reference.classes, window.classes)
                                                  : numericDrift(drift.method, reference.values, window.values);
            if (score)
                cell.score = score.value();
            else
                cell.error = score.error().message;
        }
        drift.windows.push_back(std::move(cell));
    }
    progress.setProgress(1.0, QStringLiteral("Prediction drift computed"));
    return drift;
}

namespace {

void insertSummary(QJsonObject &json, const PredictionSummary &summary, const QStringList &classes)
{
    json.insert(QStringLiteral("rows"), double(summary.rows));
    if (!classes.isEmpty()) {
        QJsonObject shares;
        for (qsizetype c = 0; c < classes.size() && std::size_t(c) < summary.classShares.size(); ++c)
            shares.insert(classes[c], summary.classShares[std::size_t(c)]);
        json.insert(QStringLiteral("class_shares"), shares);
        return;
    }
    QJsonObject percentiles;
    for (std::size_t i = 0; i < summary.percentiles.size(); ++i)
        if (std::isfinite(summary.percentiles[i]))
            percentiles.insert(QStringLiteral("p%1").arg(PredictionSummary::kSummaryPercentiles[i]), summary.percentiles[i]);
    json.insert(QStringLiteral("percentiles"), percentiles);
}

} // namespace

QJsonObject PredictionDrift::toJson() const
{
    QJsonArray list;
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const DriftCell &cell = windows[w];
        if (!cell.score) {
            list.append(QJsonObject{{QStringLiteral("error"), cell.error}});
            continue;
        }
        QJsonObject json{{QStringLiteral("statistic"),
                          std::isfinite(cell.score->statistic) ? QJsonValue(cell.score->statistic) : QJsonValue()},
                         {QStringLiteral("drifted"), cell.score->drifted}};
        if (cell.score->pValue)
            json.insert(QStringLiteral("p_value"), *cell.score->pValue);
        if (w < summaries.size())
            insertSummary(json, summaries[w], classes);
        list.append(json);
    }
    return {{QStringLiteral("method"), driftMethodName(method)},
            {QStringLiteral("classes"), QJsonArray::fromStringList(classes)},
            {QStringLiteral("reference_windows"), double(referenceWindows)},
            {QStringLiteral("reference_rows"), double(referenceRows)},
            {QStringLiteral("windows"), list}};
}

} // namespace plumb
