#pragma once

#include "base/result.h"
#include "learn/evaluation.h"
#include "learn/shapsummary.h"

#include <QJsonObject>

namespace plumb {

// The charts of a validation as a model file keeps them (ModelMetadata::evaluation): the task,
// classes, confusion matrix and curves of a classifier, or the (actual, predicted) pairs of a
// regressor. Metrics are stored beside it, not in it; thresholds are not stored. A chart the rows
// leave undefined (Evaluation::undefined) is stored empty, as format-1 readers accept, and its
// reason beside the charts (undefinedChartsToJson).
QJsonObject evaluationToJson(const Evaluation &evaluation);

// Why charts are undefined, as the model file keeps it beside the charts
// ("validation.undefined_charts"): {"class_roc[2]": "class '3' has no validation rows"}. Metric
// reasons are not included (they are stored with each metric).
QJsonObject undefinedChartsToJson(const Evaluation &evaluation);
// Reads undefinedChartsToJson's output into `evaluation` (read by evaluationFromJson first):
// every key must name a chart the evaluation has, that chart must be empty, and the reason must
// be non-empty text; the error names the field under `where`.
std::optional<Error> readUndefinedCharts(const QJsonValue &json, const QString &where, Evaluation &evaluation);

// Reads evaluationToJson's output back, strictly: unknown fields, wrong types, curves whose x and
// y differ in length, non-finite values and a confusion matrix that is not classes x classes of
// counts are refused; the error names the field under `where`.
Result<Evaluation> evaluationFromJson(const QJsonObject &json, const QString &where);

// The SHAP summary of the validation rows as a model file keeps it ("validation.shap", model
// format 4 onwards): method, space, the explained outputs, their base values, the row counts, and
// per feature its mean |SHAP| per output and its beeswarm values and positions.
QJsonObject shapSummaryToJson(const ShapSummary &summary);
// Reads shapSummaryToJson's output back, strictly: unknown or missing fields, wrong types, lists
// whose lengths disagree (mean_abs one per output, values beeswarm rows x outputs, the same
// beeswarm rows for every feature), a negative mean |SHAP|, a position outside 0..1 other than -1,
// and a repeated feature are refused; the error names the file and the field
// ("m.plumb: metadata field \"validation.shap.features[2].mean_abs\" ...").
std::optional<Error> readShapSummary(const QJsonObject &json, const QString &fileName, ShapSummary &out);

} // namespace plumb
