#include "learn/evaluation.h"

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
    if (k == 2) {
        const Eigen::VectorXd positive = probabilities.col(1);
        evaluation.roc = rocCurve(truth, positive);
        evaluation.precisionRecall = precisionRecallCurve(truth, positive);
        evaluation.calibration = calibrationCurve(truth, positive, 10);
        return evaluation;
    }
    // One-vs-rest, as sklearn's label_binarize + roc_curve per column: class c against the rest.
    for (int c = 0; c < k && !truth.empty(); ++c) {
        Labels isClass(truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i)
            isClass[i] = truth[i] == c ? 1 : 0;
        const Eigen::VectorXd scores = probabilities.col(c);
        evaluation.classRoc.push_back(rocCurve(isClass, scores));
        evaluation.classPrecisionRecall.push_back(precisionRecallCurve(isClass, scores));
        evaluation.classCalibration.push_back(calibrationCurve(isClass, scores, 10));
    }
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
