#pragma once

#include "learn/metrics.h"
#include "learn/pipeline.h"

#include <QString>

#include <map>
#include <utility>
#include <vector>

namespace plumb {

// Named metric values in display order: {"accuracy", 0.93}, {"roc_auc", 0.97}, ...
using MetricList = std::vector<std::pair<QString, double>>;

// Everything measured on validation rows: the headline metrics and what the workbench charts.
struct Evaluation
{
    Task task = Task::Regression;
    MetricList metrics;
    QStringList classes;

    // Classification.
    Eigen::MatrixXi confusion;
    ClassScores perClass;
    CurvePoints roc, precisionRecall, calibration; // binary: positive class = index 1
    // More than two classes: one-vs-rest curves, one per class (class c positive, scored by its
    // probability column), in class order. Empty for two classes.
    std::vector<CurvePoints> classRoc, classPrecisionRecall, classCalibration;
    // Regression: predicted against actual (residual = actual - predicted), for plots.
    Eigen::VectorXd actual, predicted;

    // What these rows leave undefined, and why: by metric name ("roc_auc", "r2") or chart key
    // ("roc", "precision_recall", "calibration", "class_roc[2]", ...: chartKey()), a reason such as
    // "class '3' has no validation rows". Such a metric's value is NaN and such a chart is empty;
    // every other value is finite (the evaluate functions guarantee it).
    std::map<QString, QString> undefined;

    // The value of a metric by name, or NaN.
    double metric(const QString &name) const;
    // Why a metric or chart is undefined, or empty when it is defined.
    QString undefinedReason(const QString &key) const;
};

// The key of a chart in Evaluation::undefined: "roc", or "class_roc[2]" for class 2's curve.
QString chartKey(const QString &chart, int classIndex = -1);
// How a metric or chart without a value reads to a person: "not defined: <reason>".
QString undefinedText(const QString &reason);

// Metrics of classification predictions: accuracy, balanced_accuracy, precision/recall/f1
// (macro and weighted), roc_auc (binary or one-vs-rest macro), log_loss, brier, and the curves
// (for two classes of the positive class; for more, one-vs-rest per class). Undefined, with the
// reason in `undefined`: everything when there are no rows; roc_auc and a ROC curve when a class
// it needs has no rows (scikit-learn raises there), a precision-recall curve whose positive class
// has no rows; any value that is not finite (non-finite probabilities).
Evaluation evaluateClassification(const Labels &truth, const Eigen::MatrixXd &probabilities, const QStringList &classes);
// One of evaluateClassification's metrics by name, computed alone (no curves, no other metric):
// the same value, at a fraction of the cost, for resampling. NaN for an unknown name.
double classificationMetric(const QString &name, const Labels &truth, const Eigen::MatrixXd &probabilities);
// Metrics of regression predictions: r2, mae, rmse, mape. Undefined, with the reason: everything
// when there are no rows, r2 when the truth is constant (R² divides by its variance; scikit-learn
// substitutes 1 or 0), mape when the truth holds 0 (scikit-learn divides by machine epsilon and
// reports ~1e15), any value that is not finite; the (actual, predicted) pairs (chart "actual")
// when a value among them is not finite.
Evaluation evaluateRegression(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted);
// Scores `rows` of `data` (all when empty) with a fitted pipeline and evaluates the predictions
// against the target column; rows whose target is missing are left out. Fails when the data lacks
// a feature or the target, or has a class the model never saw.
Result<Evaluation> evaluateOnRows(const Pipeline &pipeline, const Dataset &data, std::vector<std::size_t> rows = {});

// A copy of `evaluation` small enough to keep in a model file, for drawing its charts again: each
// curve thinned to at most `maxCurvePoints` points (its first and last kept, thresholds dropped),
// one-vs-rest curves for the first `maxClassCurves` classes, the regression (actual, predicted)
// pairs to an evenly spaced sample of at most `maxPairs`. Metrics, confusion matrix and classes
// are kept whole; per-class scores are dropped.
Evaluation compactEvaluation(const Evaluation &evaluation, int maxCurvePoints = 200, int maxClassCurves = 8, int maxPairs = 2000);

// Whether a larger value of the named metric is better (accuracy, r2) or worse (log_loss, rmse).
bool isHigherBetter(const QString &metric);

} // namespace plumb
