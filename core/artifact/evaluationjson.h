#pragma once

#include "base/result.h"
#include "learn/evaluation.h"

#include <QJsonObject>

namespace plumb {

// The charts of a validation as a model file keeps them (ModelMetadata::evaluation): the task,
// classes, confusion matrix and curves of a classifier, or the (actual, predicted) pairs of a
// regressor. Metrics are stored beside it, not in it; thresholds are not stored.
QJsonObject evaluationToJson(const Evaluation &evaluation);

// Reads evaluationToJson's output back, strictly: unknown fields, wrong types, curves whose x and
// y differ in length, non-finite values and a confusion matrix that is not classes x classes of
// counts are refused; the error names the field under `where`.
Result<Evaluation> evaluationFromJson(const QJsonObject &json, const QString &where);

} // namespace plumb
