#include "learn/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

double Evaluation::metric(const QString &name) const
{
    for (const auto &[key, value] : metrics)
        if (key == name)
            return value;
    return std::nan("");
}

QString Evaluation::undefinedReason(const QString &key) const
{
    const auto found = undefined.find(key);
    return found == undefined.end() ? QString() : found->second;
}

QString chartKey(const QString &chart, int classIndex)
{
    return classIndex < 0 ? chart : QStringLiteral("%1[%2]").arg(chart).arg(classIndex);
}

QString undefinedText(const QString &reason)
{
    return reason.isEmpty() ? QStringLiteral("not defined") : QStringLiteral("not defined: ") + reason;
}

bool isHigherBetter(const QString &metric)
{
    static const QStringList lowerIsBetter{QStringLiteral("log_loss"), QStringLiteral("brier"), QStringLiteral("mae"),
                                           QStringLiteral("rmse"), QStringLiteral("mape")};
    return !lowerIsBetter.contains(metric);
}

namespace {

// Each of the first `rows` rows' most probable class (the first on a tie).
Labels mostProbable(const Eigen::MatrixXd &probabilities, std::size_t rows)
{
    Labels predicted(rows);
    for (std::size_t i = 0; i < rows; ++i)
        probabilities.row(Eigen::Index(i)).maxCoeff(&predicted[i]);
    return predicted;
}

bool allFinite(const std::vector<double> &values)
{
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// Marks `key` undefined for `reason` unless it already has a reason (the first, most specific, stays).
void markUndefined(Evaluation &evaluation, const QString &key, const QString &reason)
{
    evaluation.undefined.emplace(key, reason);
}

// The invariant the model file relies on: a metric is finite or undefined with a reason (then
// NaN), a chart holds finite points or is undefined with a reason (then empty).
void settle(Evaluation &evaluation)
{
    for (auto &[name, value] : evaluation.metrics) {
        if (!std::isfinite(value))
            markUndefined(evaluation, name, QStringLiteral("its value is not a finite number on these rows"));
        if (evaluation.undefined.count(name))
            value = std::numeric_limits<double>::quiet_NaN();
    }
    const auto settleCurve = [&](CurvePoints &curve, const QString &key) {
        if (!allFinite(curve.x) || !allFinite(curve.y))
            markUndefined(evaluation, key, QStringLiteral("its points are not finite numbers on these rows"));
        if (evaluation.undefined.count(key))
            curve = {};
    };
    settleCurve(evaluation.roc, chartKey(QStringLiteral("roc")));
    settleCurve(evaluation.precisionRecall, chartKey(QStringLiteral("precision_recall")));
    settleCurve(evaluation.calibration, chartKey(QStringLiteral("calibration")));
    for (std::size_t c = 0; c < evaluation.classRoc.size(); ++c) {
        settleCurve(evaluation.classRoc[c], chartKey(QStringLiteral("class_roc"), int(c)));
        settleCurve(evaluation.classPrecisionRecall[c], chartKey(QStringLiteral("class_precision_recall"), int(c)));
        settleCurve(evaluation.classCalibration[c], chartKey(QStringLiteral("class_calibration"), int(c)));
    }
    const QString pairs = chartKey(QStringLiteral("actual"));
    if (!evaluation.actual.allFinite() || !evaluation.predicted.allFinite())
        markUndefined(evaluation, pairs, QStringLiteral("a predicted or actual value is not a finite number"));
    if (evaluation.undefined.count(pairs))
        evaluation.actual = evaluation.predicted = Eigen::VectorXd();
}

// Rows of each class among `truth`.
std::vector<int> classCounts(const Labels &truth, int classes)
{
    std::vector<int> counts(std::size_t(std::max(0, classes)), 0);
    for (int label : truth)
        ++counts[std::size_t(label)];
    return counts;
}

QString noRowsOf(const QString &label)
{
    return QStringLiteral("class '%1' has no validation rows").arg(label);
}

QString onlyRowsOf(const QString &label)
{
    return QStringLiteral("every validation row is of class '%1'").arg(label);
}

// The reasons a classification evaluation's values are undefined, from the classes its rows hold.
void markUndefinedClassification(Evaluation &evaluation, const Labels &truth)
{
    const QString noRows = QStringLiteral("there are no validation rows");
    const QStringList &classes = evaluation.classes;
    if (truth.empty()) {
        for (const auto &[name, value] : evaluation.metrics)
            markUndefined(evaluation, name, noRows);
        for (const char *chart : {"roc", "precision_recall", "calibration"})
            if (classes.size() == 2)
                markUndefined(evaluation, QLatin1String(chart), noRows);
            else
                for (int c = 0; c < int(classes.size()); ++c)
                    markUndefined(evaluation, chartKey(QLatin1String("class_") + QLatin1String(chart), c), noRows);
        return;
    }
    const std::vector<int> counts = classCounts(truth, int(classes.size()));
    const auto absent = std::find(counts.begin(), counts.end(), 0);
    if (absent != counts.end())
        markUndefined(evaluation, QStringLiteral("roc_auc"), noRowsOf(classes[absent - counts.begin()]));
    if (classes.size() == 2) {
        if (absent != counts.end())
            markUndefined(evaluation, QStringLiteral("roc"), noRowsOf(classes[absent - counts.begin()]));
        if (counts[1] == 0)
            markUndefined(evaluation, QStringLiteral("precision_recall"), noRowsOf(classes[1]));
        return;
    }
    for (int c = 0; c < int(classes.size()); ++c) {
        const std::size_t count = std::size_t(counts[std::size_t(c)]);
        if (count == 0) {
            markUndefined(evaluation, chartKey(QStringLiteral("class_roc"), c), noRowsOf(classes[c]));
            markUndefined(evaluation, chartKey(QStringLiteral("class_precision_recall"), c), noRowsOf(classes[c]));
        } else if (count == truth.size()) {
            markUndefined(evaluation, chartKey(QStringLiteral("class_roc"), c), onlyRowsOf(classes[c]));
        }
    }
}

// The reasons a regression evaluation's values are undefined, from the truth.
void markUndefinedRegression(Evaluation &evaluation, const Eigen::VectorXd &truth)
{
    if (truth.size() == 0) {
        for (const auto &[name, value] : evaluation.metrics)
            markUndefined(evaluation, name, QStringLiteral("there are no validation rows"));
        return;
    }
    if ((truth.array() == truth[0]).all())
        markUndefined(evaluation, QStringLiteral("r2"),
                      QStringLiteral("the target is %1 on every validation row (R² divides by its variance)")
                          .arg(QString::number(truth[0], 'g', 6)));
    if (const Eigen::Index zeros = (truth.array() == 0).count())
        markUndefined(
            evaluation, QStringLiteral("mape"),
            QStringLiteral("the target is 0 on %1 of %2 validation rows (a percentage of 0)").arg(zeros).arg(truth.size()));
}

} // namespace

Evaluation evaluateClassification(const Labels &truth, const Eigen::MatrixXd &probabilities, const QStringList &classes)
{
    Evaluation evaluation;
    evaluation.task = Task::Classification;
    evaluation.classes = classes;
    const int k = int(classes.size());
    const Labels predicted = mostProbable(probabilities, truth.size());
    evaluation.confusion = confusionMatrix(truth, predicted, k);
    evaluation.perClass = classScores(truth, predicted, k);
    const ClassScores &scores = evaluation.perClass;
    evaluation.metrics = {
        {QStringLiteral("accuracy"), accuracy(truth, predicted)},
        {QStringLiteral("balanced_accuracy"), balancedAccuracy(truth, predicted, k)},
        {QStringLiteral("f1_macro"), scores.macroF1},
        {QStringLiteral("f1_weighted"), scores.weightedF1},
        {QStringLiteral("precision_macro"), scores.macroPrecision},
        {QStringLiteral("recall_macro"), scores.macroRecall},
        {QStringLiteral("roc_auc"), rocAucOvr(truth, probabilities)},
        {QStringLiteral("log_loss"), logLoss(truth, probabilities)},
        {QStringLiteral("brier"), brierScore(truth, probabilities)},
    };
    markUndefinedClassification(evaluation, truth);
    if (k == 2) {
        const Eigen::VectorXd positive = probabilities.col(1);
        evaluation.roc = rocCurve(truth, positive);
        evaluation.precisionRecall = precisionRecallCurve(truth, positive);
        evaluation.calibration = calibrationCurve(truth, positive, 10);
        settle(evaluation);
        return evaluation;
    }
    // One-vs-rest, as sklearn's label_binarize + roc_curve per column: class c against the rest.
    for (int c = 0; c < k; ++c) {
        Labels isClass(truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i)
            isClass[i] = truth[i] == c ? 1 : 0;
        const Eigen::VectorXd scores = probabilities.col(c);
        evaluation.classRoc.push_back(rocCurve(isClass, scores));
        evaluation.classPrecisionRecall.push_back(precisionRecallCurve(isClass, scores));
        evaluation.classCalibration.push_back(calibrationCurve(isClass, scores, 10));
    }
    settle(evaluation);
    return evaluation;
}

double classificationMetric(const QString &name, const Labels &truth, const Eigen::MatrixXd &probabilities)
{
    if (name == QLatin1String("roc_auc"))
        return rocAucOvr(truth, probabilities);
    if (name == QLatin1String("log_loss"))
        return logLoss(truth, probabilities);
    if (name == QLatin1String("brier"))
        return brierScore(truth, probabilities);
    const int k = int(probabilities.cols());
    const Labels predicted = mostProbable(probabilities, truth.size());
    if (name == QLatin1String("accuracy"))
        return accuracy(truth, predicted);
    if (name == QLatin1String("balanced_accuracy"))
        return balancedAccuracy(truth, predicted, k);
    const ClassScores scores = classScores(truth, predicted, k);
    if (name == QLatin1String("f1_macro"))
        return scores.macroF1;
    if (name == QLatin1String("f1_weighted"))
        return scores.weightedF1;
    if (name == QLatin1String("precision_macro"))
        return scores.macroPrecision;
    if (name == QLatin1String("recall_macro"))
        return scores.macroRecall;
    return std::numeric_limits<double>::quiet_NaN();
}

Evaluation evaluateRegression(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted)
{
    Evaluation evaluation;
    evaluation.task = Task::Regression;
    evaluation.metrics = {
        {QStringLiteral("r2"), r2Score(truth, predicted)},
        {QStringLiteral("mae"), meanAbsoluteError(truth, predicted)},
        {QStringLiteral("rmse"), rootMeanSquaredError(truth, predicted)},
        {QStringLiteral("mape"), meanAbsolutePercentageError(truth, predicted)},
    };
    evaluation.actual = truth;
    evaluation.predicted = predicted;
    markUndefinedRegression(evaluation, truth);
    settle(evaluation);
    return evaluation;
}

namespace {

// Every k-th point and the last one, so a curve keeps its ends and its shape.
CurvePoints thinned(const CurvePoints &curve, int maxPoints)
{
    const std::size_t count = curve.x.size(), limit = std::size_t(std::max(2, maxPoints));
    if (count <= limit)
        return {curve.x, curve.y, {}};
    const std::size_t stride = (count - 1 + limit - 2) / (limit - 1);
    CurvePoints out;
    for (std::size_t i = 0; i < count; i += stride) {
        out.x.push_back(curve.x[i]);
        out.y.push_back(curve.y[i]);
    }
    if (out.x.back() != curve.x.back() || out.y.back() != curve.y.back()) {
        out.x.push_back(curve.x.back());
        out.y.push_back(curve.y.back());
    }
    return out;
}

std::vector<CurvePoints> thinned(const std::vector<CurvePoints> &curves, int maxPoints, int maxCurves)
{
    std::vector<CurvePoints> out;
    for (std::size_t c = 0; c < curves.size() && c < std::size_t(std::max(0, maxCurves)); ++c)
        out.push_back(thinned(curves[c], maxPoints));
    return out;
}

Eigen::VectorXd sampled(const Eigen::VectorXd &values, Eigen::Index stride)
{
    Eigen::VectorXd out((values.size() + stride - 1) / stride);
    for (Eigen::Index i = 0; i < out.size(); ++i)
        out[i] = values[i * stride];
    return out;
}

} // namespace

Evaluation compactEvaluation(const Evaluation &evaluation, int maxCurvePoints, int maxClassCurves, int maxPairs)
{
    Evaluation compact;
    compact.task = evaluation.task;
    compact.metrics = evaluation.metrics;
    compact.classes = evaluation.classes;
    compact.confusion = evaluation.confusion;
    compact.roc = thinned(evaluation.roc, maxCurvePoints);
    compact.precisionRecall = thinned(evaluation.precisionRecall, maxCurvePoints);
    compact.calibration = thinned(evaluation.calibration, maxCurvePoints);
    compact.classRoc = thinned(evaluation.classRoc, maxCurvePoints, maxClassCurves);
    compact.classPrecisionRecall = thinned(evaluation.classPrecisionRecall, maxCurvePoints, maxClassCurves);
    compact.classCalibration = thinned(evaluation.classCalibration, maxCurvePoints, maxClassCurves);
    const Eigen::Index pairs = evaluation.actual.size();
    const Eigen::Index stride = std::max<Eigen::Index>(1, (pairs + maxPairs - 1) / std::max(1, maxPairs));
    compact.actual = sampled(evaluation.actual, stride);
    compact.predicted = sampled(evaluation.predicted, stride);
    // Reasons for what the compact copy still holds: metrics, the binary charts, the pairs and the
    // class curves it kept.
    for (const auto &[key, reason] : evaluation.undefined) {
        const qsizetype bracket = key.indexOf(QLatin1Char('['));
        if (bracket < 0 || key.mid(bracket + 1).chopped(1).toInt() < int(compact.classRoc.size()))
            compact.undefined.emplace(key, reason);
    }
    return compact;
}

Result<Evaluation> evaluateOnRows(const Pipeline &pipeline, const Dataset &data, std::vector<std::size_t> rows)
{
    if (rows.empty()) {
        rows.resize(data.rowCount());
        for (std::size_t i = 0; i < rows.size(); ++i)
            rows[i] = i;
    }
    Result<FitTarget> truth = pipeline.targetOf(data, rows);
    if (!truth)
        return truth.error();
    if (rows.empty())
        return Error::invalid(QStringLiteral("no row has a value of \"%1\"").arg(pipeline.target().name));
    Result<Prediction> prediction = pipeline.predict(data, rows);
    if (!prediction)
        return prediction.error();
    if (pipeline.target().task == Task::Classification)
        return evaluateClassification(truth.value().classes, prediction.value().probabilities, pipeline.target().classes);
    return evaluateRegression(truth.value().values, prediction.value().values);
}

} // namespace plumb
