#include "artifact/evaluationjson.h"

#include <QJsonArray>

#include <algorithm>

#include <cmath>

namespace plumb {

namespace {

const QString kTask = QStringLiteral("task");
const QString kClasses = QStringLiteral("classes");
const QString kConfusion = QStringLiteral("confusion");
const QString kRoc = QStringLiteral("roc");
const QString kPrecisionRecall = QStringLiteral("precision_recall");
const QString kCalibration = QStringLiteral("calibration");
const QString kClassRoc = QStringLiteral("class_roc");
const QString kClassPrecisionRecall = QStringLiteral("class_precision_recall");
const QString kClassCalibration = QStringLiteral("class_calibration");
const QString kActual = QStringLiteral("actual");
const QString kPredicted = QStringLiteral("predicted");

template<typename Values> QJsonArray numbers(const Values &values)
{
    QJsonArray array;
    for (const double value : values)
        array.append(value);
    return array;
}

QJsonObject curveJson(const CurvePoints &curve)
{
    return {{QStringLiteral("x"), numbers(curve.x)}, {QStringLiteral("y"), numbers(curve.y)}};
}

QJsonArray curvesJson(const std::vector<CurvePoints> &curves)
{
    QJsonArray array;
    for (const CurvePoints &curve : curves)
        array.append(curveJson(curve));
    return array;
}

// Reads a JSON array of finite numbers.
std::optional<Error> readNumbers(const QJsonValue &value, const QString &where, std::vector<double> &out)
{
    if (!value.isArray())
        return Error::invalid(QStringLiteral("%1 must be a list of numbers").arg(where));
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isDouble() || !std::isfinite(item.toDouble()))
            return Error::invalid(QStringLiteral("%1 must hold finite numbers only").arg(where));
        out.push_back(item.toDouble());
    }
    return std::nullopt;
}

std::optional<Error> readCurve(const QJsonValue &value, const QString &where, CurvePoints &out)
{
    const QJsonObject curve = value.toObject();
    if (!value.isObject() || curve.size() != 2)
        return Error::invalid(QStringLiteral("%1 must be an object with x and y only").arg(where));
    if (auto error = readNumbers(curve.value(QLatin1String("x")), where + QStringLiteral(".x"), out.x))
        return error;
    if (auto error = readNumbers(curve.value(QLatin1String("y")), where + QStringLiteral(".y"), out.y))
        return error;
    if (out.x.size() != out.y.size())
        return Error::invalid(
            QStringLiteral("%1 has %2 x values and %3 y values").arg(where).arg(out.x.size()).arg(out.y.size()));
    return std::nullopt;
}

std::optional<Error> readCurves(const QJsonObject &json, const QString &key, const QString &where, std::vector<CurvePoints> &out)
{
    if (!json.contains(key))
        return std::nullopt;
    const QJsonValue value = json.value(key);
    if (!value.isArray())
        return Error::invalid(QStringLiteral("%1.%2 must be a list of curves").arg(where, key));
    const QJsonArray curves = value.toArray();
    for (qsizetype c = 0; c < curves.size(); ++c) {
        out.emplace_back();
        if (auto error = readCurve(curves.at(c), QStringLiteral("%1.%2[%3]").arg(where, key).arg(c), out.back()))
            return error;
    }
    return std::nullopt;
}

std::optional<Error> readConfusion(const QJsonValue &value, const QString &where, qsizetype classes, Eigen::MatrixXi &out)
{
    const QJsonArray rows = value.toArray();
    if (!value.isArray() || rows.size() != classes)
        return Error::invalid(QStringLiteral("%1 must have one row per class (%2)").arg(where).arg(classes));
    out.resize(classes, classes);
    for (qsizetype r = 0; r < classes; ++r) {
        const QJsonArray row = rows.at(r).toArray();
        if (row.size() != classes)
            return Error::invalid(QStringLiteral("%1[%2] must have one count per class (%3)").arg(where).arg(r).arg(classes));
        for (qsizetype c = 0; c < classes; ++c) {
            const double count = row.at(c).toDouble(-1);
            if (!(count >= 0 && count <= 2147483647.0) || count != std::floor(count))
                return Error::invalid(QStringLiteral("%1[%2][%3] is not a count").arg(where).arg(r).arg(c));
            out(r, c) = int(count);
        }
    }
    return std::nullopt;
}

std::optional<Error> readClassification(const QJsonObject &json, const QString &where, Evaluation &out)
{
    for (const QJsonValue &label : json.value(kClasses).toArray())
        out.classes.append(label.toString());
    if (!json.value(kClasses).isArray() || out.classes.size() < 2)
        return Error::invalid(QStringLiteral("%1.classes must list at least two classes").arg(where));
    if (auto error = readConfusion(json.value(kConfusion), where + QStringLiteral(".confusion"), out.classes.size(),
                                   out.confusion))
        return error;
    const std::pair<const QString *, CurvePoints *> curves[] = {
        {&kRoc, &out.roc}, {&kPrecisionRecall, &out.precisionRecall}, {&kCalibration, &out.calibration}};
    for (const auto &[key, curve] : curves)
        if (json.contains(*key))
            if (auto error = readCurve(json.value(*key), QStringLiteral("%1.%2").arg(where, *key), *curve))
                return error;
    const std::pair<const QString *, std::vector<CurvePoints> *> classCurves[] = {
        {&kClassRoc, &out.classRoc},
        {&kClassPrecisionRecall, &out.classPrecisionRecall},
        {&kClassCalibration, &out.classCalibration}};
    for (const auto &[key, list] : classCurves)
        if (auto error = readCurves(json, *key, where, *list))
            return error;
    return std::nullopt;
}

std::optional<Error> readRegression(const QJsonObject &json, const QString &where, Evaluation &out)
{
    std::vector<double> actual, predicted;
    if (auto error = readNumbers(json.value(kActual), where + QStringLiteral(".actual"), actual))
        return error;
    if (auto error = readNumbers(json.value(kPredicted), where + QStringLiteral(".predicted"), predicted))
        return error;
    if (actual.size() != predicted.size())
        return Error::invalid(
            QStringLiteral("%1 has %2 actual and %3 predicted values").arg(where).arg(actual.size()).arg(predicted.size()));
    out.actual = Eigen::Map<const Eigen::VectorXd>(actual.data(), Eigen::Index(actual.size()));
    out.predicted = Eigen::Map<const Eigen::VectorXd>(predicted.data(), Eigen::Index(predicted.size()));
    return std::nullopt;
}

// The charts an evaluation has, by chartKey(), with their points (empty for a chart not drawn).
std::vector<std::pair<QString, bool>> chartsOf(const Evaluation &evaluation)
{
    std::vector<std::pair<QString, bool>> charts; // key, empty
    if (evaluation.task == Task::Regression) {
        charts.emplace_back(chartKey(kActual), evaluation.actual.size() == 0 && evaluation.predicted.size() == 0);
        return charts;
    }
    if (evaluation.classes.size() == 2) {
        charts.emplace_back(chartKey(kRoc), evaluation.roc.x.empty());
        charts.emplace_back(chartKey(kPrecisionRecall), evaluation.precisionRecall.x.empty());
        charts.emplace_back(chartKey(kCalibration), evaluation.calibration.x.empty());
        return charts;
    }
    const std::pair<const QString *, const std::vector<CurvePoints> *> lists[] = {
        {&kClassRoc, &evaluation.classRoc},
        {&kClassPrecisionRecall, &evaluation.classPrecisionRecall},
        {&kClassCalibration, &evaluation.classCalibration}};
    for (const auto &[key, curves] : lists)
        for (std::size_t c = 0; c < curves->size(); ++c)
            charts.emplace_back(chartKey(*key, int(c)), (*curves)[c].x.empty());
    return charts;
}

} // namespace

QJsonObject undefinedChartsToJson(const Evaluation &evaluation)
{
    QJsonObject json;
    for (const auto &[key, empty] : chartsOf(evaluation))
        if (const QString reason = evaluation.undefinedReason(key); !reason.isEmpty())
            json.insert(key, reason);
    return json;
}

std::optional<Error> readUndefinedCharts(const QJsonValue &json, const QString &where, Evaluation &evaluation)
{
    if (!json.isObject())
        return Error::invalid(QStringLiteral("%1 must be an object of chart names and reasons").arg(where));
    const std::vector<std::pair<QString, bool>> charts = chartsOf(evaluation);
    const QJsonObject reasons = json.toObject();
    for (auto it = reasons.begin(); it != reasons.end(); ++it) {
        const auto chart = std::find_if(charts.begin(), charts.end(), [&](const auto &c) { return c.first == it.key(); });
        if (chart == charts.end())
            return Error::invalid(QStringLiteral("%1: \"%2\" is not a chart of this validation").arg(where, it.key()));
        if (!chart->second)
            return Error::invalid(QStringLiteral("%1: \"%2\" is said to be undefined but holds points").arg(where, it.key()));
        if (!it.value().isString() || it.value().toString().isEmpty())
            return Error::invalid(QStringLiteral("%1.%2 must be the reason, as text").arg(where, it.key()));
        evaluation.undefined[it.key()] = it.value().toString();
    }
    return std::nullopt;
}

QJsonObject evaluationToJson(const Evaluation &evaluation)
{
    if (evaluation.task == Task::Regression)
        return {{kTask, QStringLiteral("regression")},
                {kActual, numbers(evaluation.actual)},
                {kPredicted, numbers(evaluation.predicted)}};
    QJsonArray confusion;
    for (Eigen::Index r = 0; r < evaluation.confusion.rows(); ++r) {
        QJsonArray row;
        for (Eigen::Index c = 0; c < evaluation.confusion.cols(); ++c)
            row.append(evaluation.confusion(r, c));
        confusion.append(row);
    }
    QJsonObject json{{kTask, QStringLiteral("classification")},
                     {kClasses, QJsonArray::fromStringList(evaluation.classes)},
                     {kConfusion, confusion}};
    if (evaluation.classes.size() == 2) {
        json.insert(kRoc, curveJson(evaluation.roc));
        json.insert(kPrecisionRecall, curveJson(evaluation.precisionRecall));
        json.insert(kCalibration, curveJson(evaluation.calibration));
    } else {
        json.insert(kClassRoc, curvesJson(evaluation.classRoc));
        json.insert(kClassPrecisionRecall, curvesJson(evaluation.classPrecisionRecall));
        json.insert(kClassCalibration, curvesJson(evaluation.classCalibration));
    }
    return json;
}

Result<Evaluation> evaluationFromJson(const QJsonObject &json, const QString &where)
{
    static const QStringList kKnown{
        kTask,   kClasses,  kConfusion, kRoc, kPrecisionRecall, kCalibration, kClassRoc, kClassPrecisionRecall, kClassCalibration,
        kActual, kPredicted};
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!kKnown.contains(it.key()))
            return Error::invalid(QStringLiteral("%1: unknown field \"%2\"").arg(where, it.key()));
    Evaluation evaluation;
    const QString task = json.value(kTask).toString();
    if (task == QLatin1String("regression")) {
        evaluation.task = Task::Regression;
        if (auto error = readRegression(json, where, evaluation))
            return *error;
    } else if (task == QLatin1String("classification")) {
        evaluation.task = Task::Classification;
        if (auto error = readClassification(json, where, evaluation))
            return *error;
    } else {
        return Error::invalid(QStringLiteral("%1.task must be \"classification\" or \"regression\"").arg(where));
    }
    return evaluation;
}

} // namespace plumb
