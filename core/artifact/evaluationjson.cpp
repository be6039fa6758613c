#include "artifact/evaluationjson.h"

#include "artifact/metadatafields.h"

#include <QJsonArray>

#include <algorithm>

#include <cmath>
#include <limits>

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

namespace plumb {

namespace {

const QString kShapMethod = QStringLiteral("method");
const QString kShapSpace = QStringLiteral("space");
const QString kShapOutputs = QStringLiteral("outputs");
const QString kShapLabels = QStringLiteral("output_labels");
const QString kShapBase = QStringLiteral("base");
const QString kShapValidationRows = QStringLiteral("validation_rows");
const QString kShapExplainedRows = QStringLiteral("explained_rows");
const QString kShapFeatures = QStringLiteral("features");
const QString kShapFeature = QStringLiteral("feature");
const QString kShapCategorical = QStringLiteral("categorical");
const QString kShapMeanAbs = QStringLiteral("mean_abs");
const QString kShapValues = QStringLiteral("values");
const QString kShapPositions = QStringLiteral("positions");

std::optional<Error> readShapFeature(const MetadataFields &fields, std::size_t outputs, ShapSummary::Feature &out)
{
    if (auto error = fields.checkNames({kShapFeature, kShapCategorical, kShapMeanAbs, kShapValues, kShapPositions}))
        return error;
    if (auto error = fields.text(kShapFeature, out.feature))
        return error;
    if (auto error = fields.boolean(kShapCategorical, out.categorical))
        return error;
    if (auto error = fields.numberList(kShapMeanAbs, out.meanAbs, 0))
        return error;
    if (out.meanAbs.size() != outputs)
        return fields.bad(kShapMeanAbs,
                          QStringLiteral("has %1 values; there are %2 outputs").arg(out.meanAbs.size()).arg(outputs));
    if (auto error = fields.numberList(kShapValues, out.values, -std::numeric_limits<double>::max()))
        return error;
    if (auto error = fields.numberList(kShapPositions, out.positions, -1))
        return error;
    if (out.values.size() != out.positions.size() * outputs)
        return fields.bad(kShapValues,
                          QStringLiteral("has %1 values; %2 positions x %3 outputs need %4")
                              .arg(out.values.size())
                              .arg(out.positions.size())
                              .arg(outputs)
                              .arg(out.positions.size() * outputs));
    for (std::size_t i = 0; i < out.positions.size(); ++i) {
        const double position = out.positions[i];
        if ((position < 0 && position != -1) || position > 1 || (out.categorical && position != -1))
            return fields.bad(QStringLiteral("%1[%2]").arg(kShapPositions).arg(i),
                              out.categorical ? QStringLiteral("is not -1 (a categorical feature has no low or high)")
                                              : QStringLiteral("is neither a percentile from 0 to 1 nor -1 (missing)"));
    }
    return std::nullopt;
}

} // namespace

QJsonObject shapSummaryToJson(const ShapSummary &summary)
{
    QJsonArray features;
    for (const ShapSummary::Feature &feature : summary.features)
        features.append(QJsonObject{{kShapFeature, feature.feature},
                                    {kShapCategorical, feature.categorical},
                                    {kShapMeanAbs, numbers(feature.meanAbs)},
                                    {kShapValues, numbers(feature.values)},
                                    {kShapPositions, numbers(feature.positions)}});
    return {{kShapMethod, summary.method == ShapMethod::TreeShap ? QStringLiteral("tree_shap") : QStringLiteral("linear_shap")},
            {kShapSpace, summary.space},
            {kShapOutputs, QJsonArray::fromStringList(summary.outputs)},
            {kShapLabels, QJsonArray::fromStringList(summary.outputLabels)},
            {kShapBase, numbers(summary.base)},
            {kShapValidationRows, double(summary.validationRows)},
            {kShapExplainedRows, double(summary.explainedRows)},
            {kShapFeatures, features}};
}

std::optional<Error> readShapSummary(const QJsonObject &json, const QString &fileName, ShapSummary &out)
{
    const QString path = QStringLiteral("validation.shap");
    const MetadataFields fields(json, fileName, path);
    if (auto error = fields.checkNames({kShapMethod, kShapSpace, kShapOutputs, kShapLabels, kShapBase, kShapValidationRows,
                                        kShapExplainedRows, kShapFeatures}))
        return error;
    QString method;
    if (auto error = fields.text(kShapMethod, method))
        return error;
    if (method != QLatin1String("tree_shap") && method != QLatin1String("linear_shap"))
        return fields.bad(kShapMethod, QStringLiteral("is \"%1\", not \"tree_shap\" or \"linear_shap\"").arg(method));
    out.method = method == QLatin1String("tree_shap") ? ShapMethod::TreeShap : ShapMethod::LinearShap;
    static const QStringList kSpaces{QStringLiteral("probability"), QStringLiteral("log-odds"), QStringLiteral("logit"),
                                     QStringLiteral("value")};
    if (auto error = fields.text(kShapSpace, out.space))
        return error;
    if (!kSpaces.contains(out.space))
        return fields.bad(kShapSpace, QStringLiteral("is \"%1\", not one of %2").arg(out.space, kSpaces.join(u", ")));
    if (auto error = fields.textList(kShapOutputs, out.outputs))
        return error;
    if (out.outputs.isEmpty())
        return fields.bad(kShapOutputs, QStringLiteral("is empty"));
    const std::size_t outputs = std::size_t(out.outputs.size());
    if (auto error = fields.textList(kShapLabels, out.outputLabels))
        return error;
    if (std::size_t(out.outputLabels.size()) != outputs)
        return fields.bad(kShapLabels,
                          QStringLiteral("has %1 labels; there are %2 outputs").arg(out.outputLabels.size()).arg(outputs));
    if (auto error = fields.numberList(kShapBase, out.base, -std::numeric_limits<double>::max()))
        return error;
    if (out.base.size() != outputs)
        return fields.bad(kShapBase, QStringLiteral("has %1 values; there are %2 outputs").arg(out.base.size()).arg(outputs));
    if (auto error = fields.wholeNumber(kShapValidationRows, out.validationRows))
        return error;
    if (auto error = fields.wholeNumber(kShapExplainedRows, out.explainedRows))
        return error;
    if (out.explainedRows > out.validationRows)
        return fields.bad(kShapExplainedRows, QStringLiteral("is more than the %1 validation rows").arg(out.validationRows));
    const QJsonValue list = json.value(kShapFeatures);
    if (!list.isArray() || list.toArray().isEmpty())
        return fields.bad(kShapFeatures, QStringLiteral("is not a non-empty list"));
    const QJsonArray features = list.toArray();
    QStringList seen;
    for (qsizetype i = 0; i < features.size(); ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(kShapFeatures).arg(i);
        if (!features.at(i).isObject())
            return fields.bad(at, QStringLiteral("is not an object"));
        ShapSummary::Feature feature;
        const MetadataFields item(features.at(i).toObject(), fileName, path + QLatin1Char('.') + at);
        if (auto error = readShapFeature(item, outputs, feature))
            return error;
        if (seen.contains(feature.feature))
            return item.bad(kShapFeature, QStringLiteral("repeats the feature \"%1\"").arg(feature.feature));
        if (!out.features.empty() && feature.positions.size() != out.features.front().positions.size())
            return item.bad(kShapPositions,
                            QStringLiteral("has %1 beeswarm rows; the first feature has %2")
                                .arg(feature.positions.size())
                                .arg(out.features.front().positions.size()));
        seen.append(feature.feature);
        out.features.push_back(std::move(feature));
    }
    return std::nullopt;
}

} // namespace plumb
