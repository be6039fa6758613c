#include "monitor/predictiondrift.h"

#include <QJsonArray>

#include <cmath>
#include <set>

namespace plumb {

namespace {

// A window's predictions: classes as counts, values as numbers.
struct Predicted
{
    CategoricalSample classes;
    std::vector<double> values;
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
    for (Eigen::Index i = 0; i < p.values.size(); ++i) {
        if (p.classes.isEmpty())
            predicted.values.push_back(p.values[i]);
        else
            ++predicted.classes.counts[p.label(i)];
    }
    return predicted;
}

std::size_t distinctValues(const std::vector<double> &values) { return std::set<double>(values.begin(), values.end()).size(); }

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
    for (Predicted &window : predicted) {
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

QJsonObject PredictionDrift::toJson() const
{
    QJsonArray list;
    for (const DriftCell &cell : windows) {
        if (!cell.score) {
            list.append(QJsonObject{{QStringLiteral("error"), cell.error}});
            continue;
        }
        QJsonObject json{{QStringLiteral("statistic"), std::isfinite(cell.score->statistic) ? QJsonValue(cell.score->statistic) : QJsonValue()},
                         {QStringLiteral("drifted"), cell.score->drifted}};
        if (cell.score->pValue)
            json.insert(QStringLiteral("p_value"), *cell.score->pValue);
        list.append(json);
    }
    return {{QStringLiteral("method"), driftMethodName(method)},
            {QStringLiteral("reference_windows"), double(referenceWindows)},
            {QStringLiteral("reference_rows"), double(referenceRows)},
            {QStringLiteral("windows"), list}};
}

} // namespace plumb
