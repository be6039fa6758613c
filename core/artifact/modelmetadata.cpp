#include "artifact/modelmetadata.h"

#include "artifact/evaluationjson.h"
#include "artifact/metadatafields.h"
#include "artifact/modelfile.h"

#include <QSysInfo>

#include <cmath>
#include <limits>

#include <Eigen/Core>

namespace plumb {

namespace {

QString compilerName()
{
#if defined(__clang__)
    return QStringLiteral("clang %1.%2.%3").arg(__clang_major__).arg(__clang_minor__).arg(__clang_patchlevel__);
#elif defined(__GNUC__)
    return QStringLiteral("gcc %1.%2.%3").arg(__GNUC__).arg(__GNUC_MINOR__).arg(__GNUC_PATCHLEVEL__);
#else
    return QStringLiteral("unknown");
#endif
}

// {"name": "roc_auc", "value": 0.93}, or for a metric without a value {"name": "roc_auc",
// "value": null, "undefined": "class '3' has no validation rows"}: format-1 readers read the null
// as NaN and do not look at "undefined".
QJsonArray metricsJson(const ModelMetadata &metadata)
{
    QJsonArray array;
    for (const auto &[name, value] : metadata.metrics) {
        QJsonObject metric{{QStringLiteral("name"), name},
                           {QStringLiteral("value"), std::isfinite(value) ? QJsonValue(value) : QJsonValue()}};
        if (!std::isfinite(value)) {
            const QString reason = metadata.metricReason(name);
            metric.insert(QStringLiteral("undefined"), reason.isEmpty() ? QStringLiteral("no value was measured") : reason);
        }
        array.append(metric);
    }
    return array;
}

// The metrics learn/evaluation.cpp measures. A metric name outside this list is garbage to this
// reader: a Plumb that measures a new metric writes a new format version (the rule in modelfile.h).
const QStringList &knownMetrics()
{
    static const QStringList names{QStringLiteral("accuracy"),
                                   QStringLiteral("balanced_accuracy"),
                                   QStringLiteral("f1_macro"),
                                   QStringLiteral("f1_weighted"),
                                   QStringLiteral("precision_macro"),
                                   QStringLiteral("recall_macro"),
                                   QStringLiteral("roc_auc"),
                                   QStringLiteral("log_loss"),
                                   QStringLiteral("brier"),
                                   QStringLiteral("r2"),
                                   QStringLiteral("mae"),
                                   QStringLiteral("rmse"),
                                   QStringLiteral("mape")};
    return names;
}

// Reads metricsJson's output back; the error names the metric's place ("validation.metrics[2]").
std::optional<Error> readMetrics(const QJsonObject &validation, const QString &fileName, ModelMetadata &metadata)
{
    const MetadataFields fields(validation, fileName, QStringLiteral("validation"));
    const QJsonValue json = validation.value(QLatin1String("metrics"));
    if (!json.isArray())
        return fields.bad(QStringLiteral("metrics"), QStringLiteral("is not a list of metrics"));
    const QJsonArray metrics = json.toArray();
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        const QString at = QStringLiteral("metrics[%1]").arg(i);
        if (!metrics.at(i).isObject())
            return fields.bad(at, QStringLiteral("is not an object"));
        const QJsonObject metric = metrics.at(i).toObject();
        const MetadataFields item(metric, fileName, QStringLiteral("validation.") + at);
        QString name;
        if (auto error = item.checkNames({QStringLiteral("name"), QStringLiteral("value")}, {QStringLiteral("undefined")}))
            return error;
        if (auto error = item.text(QStringLiteral("name"), name))
            return error;
        if (!knownMetrics().contains(name))
            return item.bad(QStringLiteral("name"), QStringLiteral("is \"%1\", not a metric this version knows").arg(name));
        for (const auto &[earlier, value] : metadata.metrics)
            if (earlier == name)
                return item.bad(QStringLiteral("name"), QStringLiteral("repeats the metric \"%1\"").arg(name));
        const QJsonValue value = metric.value(QLatin1String("value"));
        if (!value.isDouble() && !value.isNull())
            return item.bad(QStringLiteral("value"), QStringLiteral("is not a number or null (metric %1)").arg(name));
        if (metric.contains(QLatin1String("undefined"))) {
            const QJsonValue reason = metric.value(QLatin1String("undefined"));
            if (!value.isNull() || !reason.isString() || reason.toString().isEmpty())
                return item.bad(QStringLiteral("undefined"),
                                QStringLiteral("is the reason, as text, of a null value (metric %1)").arg(name));
            metadata.metricReasons[name] = reason.toString();
        }
        metadata.metrics.emplace_back(name, value.toDouble(std::nan("")));
    }
    return std::nullopt;
}

} // namespace

QJsonObject softwareEnvironment()
{
    return QJsonObject{
        {QStringLiteral("plumb"), QStringLiteral(PLUMB_VERSION)},
        {QStringLiteral("format"), double(kModelFormatVersion)},
        {QStringLiteral("compiler"), compilerName()},
        {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("eigen"),
         QStringLiteral("%1.%2.%3").arg(EIGEN_WORLD_VERSION).arg(EIGEN_MAJOR_VERSION).arg(EIGEN_MINOR_VERSION)},
        {QStringLiteral("os"),
         QSysInfo::prettyProductName() + QStringLiteral(" (") + QSysInfo::currentCpuArchitecture() + QLatin1Char(')')},
    };
}

QString defaultAuthor()
{
    const QString author = qEnvironmentVariable("PLUMB_AUTHOR");
    if (!author.isEmpty())
        return author;
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return user.isEmpty() ? QStringLiteral("unknown") : user;
}

namespace {

// Permutation importance as stored: the metric, its baseline and each feature's mean drop and
// deviation.
QJsonObject importanceJson(const PermutationImportance &importance)
{
    QJsonArray features;
    for (const FeatureImportance &feature : importance.features)
        features.append(QJsonObject{{QStringLiteral("feature"), feature.feature},
                                    {QStringLiteral("mean"), feature.mean},
                                    {QStringLiteral("std"), feature.standardDeviation}});
    return {{QStringLiteral("metric"), importance.metric},
            {QStringLiteral("baseline"), importance.baseline},
            {QStringLiteral("features"), features}};
}

// Reads importanceJson's output back; the error names the field ("validation.importance.features[1].std").
std::optional<Error> readImportance(const QJsonObject &json, const QString &fileName, PermutationImportance &importance)
{
    const MetadataFields fields(json, fileName, QStringLiteral("validation.importance"));
    if (auto error = fields.checkNames({QStringLiteral("metric"), QStringLiteral("baseline"), QStringLiteral("features")}))
        return error;
    if (auto error = fields.text(QStringLiteral("metric"), importance.metric))
        return error;
    if (auto error = fields.number(QStringLiteral("baseline"), importance.baseline, -std::numeric_limits<double>::max()))
        return error;
    if (!json.value(QLatin1String("features")).isArray())
        return fields.bad(QStringLiteral("features"), QStringLiteral("is not a list"));
    const QJsonArray features = json.value(QLatin1String("features")).toArray();
    for (qsizetype i = 0; i < features.size(); ++i) {
        const QString at = QStringLiteral("features[%1]").arg(i);
        if (!features.at(i).isObject())
            return fields.bad(at, QStringLiteral("is not an object"));
        const MetadataFields feature(features.at(i).toObject(), fileName, QStringLiteral("validation.importance.") + at);
        FeatureImportance read;
        if (auto error = feature.checkNames({QStringLiteral("feature"), QStringLiteral("mean"), QStringLiteral("std")}))
            return error;
        if (auto error = feature.text(QStringLiteral("feature"), read.feature))
            return error;
        if (auto error = feature.number(QStringLiteral("mean"), read.mean, -std::numeric_limits<double>::max()))
            return error;
        if (auto error = feature.number(QStringLiteral("std"), read.standardDeviation, 0))
            return error;
        importance.features.push_back(std::move(read));
    }
    return std::nullopt;
}

QJsonObject importJson(const ImportProvenance &imported)
{
    return {{QStringLiteral("source"), imported.source},
            {QStringLiteral("sha256"), imported.sha256},
            {QStringLiteral("library"), imported.library},
            {QStringLiteral("library_version"), imported.libraryVersion},
            {QStringLiteral("container"), imported.container},
            {QStringLiteral("globals"), QJsonArray::fromStringList(imported.globals)},
            {QStringLiteral("conversion"), imported.conversion},
            {QStringLiteral("positional_features"), imported.positionalFeatures}};
}

// Reads importJson's output back. Format 1 has no "positional_features"; from format 2 on it is
// required (one branch per version, as the rule in modelfile.h asks).
std::optional<Error> readImport(const QJsonObject &json, const QString &fileName, quint32 formatVersion,
                                ImportProvenance &imported)
{
    const MetadataFields fields(json, fileName, QStringLiteral("import"));
    QStringList names{QStringLiteral("source"),          QStringLiteral("sha256"),    QStringLiteral("library"),
                      QStringLiteral("library_version"), QStringLiteral("container"), QStringLiteral("globals"),
                      QStringLiteral("conversion")};
    if (formatVersion >= 2)
        names.append(QStringLiteral("positional_features"));
    std::optional<Error> error = fields.checkNames(names);
    if (!error && formatVersion >= 2)
        error = fields.boolean(QStringLiteral("positional_features"), imported.positionalFeatures);
    for (const auto &[key, out] :
         {std::pair{QStringLiteral("source"), &imported.source}, std::pair{QStringLiteral("sha256"), &imported.sha256},
          std::pair{QStringLiteral("library"), &imported.library},
          std::pair{QStringLiteral("library_version"), &imported.libraryVersion},
          std::pair{QStringLiteral("container"), &imported.container}})
        if (!error)
            error = fields.text(key, *out);
    if (!error)
        error = fields.textList(QStringLiteral("globals"), imported.globals);
    if (error)
        return error;
    if (imported.source.isEmpty())
        return fields.bad(QStringLiteral("source"), QStringLiteral("is empty"));
    if (!json.value(QLatin1String("conversion")).isArray())
        return fields.bad(QStringLiteral("conversion"), QStringLiteral("is not a list"));
    const QJsonArray conversion = json.value(QLatin1String("conversion")).toArray();
    for (qsizetype i = 0; i < conversion.size(); ++i) {
        const QString at = QStringLiteral("conversion[%1]").arg(i);
        if (!conversion.at(i).isObject())
            return fields.bad(at, QStringLiteral("is not an object"));
        const MetadataFields item(conversion.at(i).toObject(), fileName, QStringLiteral("import.") + at);
        QString ignored;
        const QStringList keys{QStringLiteral("path"), QStringLiteral("class"), QStringLiteral("component")};
        if (auto itemError = item.checkNames(keys))
            return itemError;
        for (const QString &key : keys)
            if (auto itemError = item.text(key, ignored))
                return itemError;
    }
    imported.conversion = conversion;
    return std::nullopt;
}

QJsonObject validationJson(const ModelMetadata &metadata)
{
    QJsonObject validation{{QStringLiteral("scheme"), metadata.validation}, {QStringLiteral("metrics"), metricsJson(metadata)}};
    if (!metadata.importance.features.empty())
        validation.insert(QStringLiteral("importance"), importanceJson(metadata.importance));
    if (!metadata.shap.isEmpty())
        validation.insert(QStringLiteral("shap"), shapSummaryToJson(metadata.shap));
    if (metadata.evaluation) {
        validation.insert(QStringLiteral("charts"), evaluationToJson(*metadata.evaluation));
        // Beside the charts, not in them: format-1 readers refuse unknown fields in "charts" but
        // not here, so a file with an undefined chart stays readable by them (the chart is empty).
        if (const QJsonObject undefined = undefinedChartsToJson(*metadata.evaluation); !undefined.isEmpty())
            validation.insert(QStringLiteral("undefined_charts"), undefined);
    }
    return validation;
}

// Reads validationJson's output back into `metadata`.
std::optional<Error> readValidation(const QJsonValue &json, const QString &fileName, quint32 formatVersion,
                                    ModelMetadata &metadata)
{
    const auto where = [&](const QString &field) {
        return QStringLiteral("%1: metadata field \"validation%2\"")
            .arg(fileName, field.isEmpty() ? QString() : QLatin1Char('.') + field);
    };
    QStringList kFields{QStringLiteral("scheme"), QStringLiteral("metrics"), QStringLiteral("importance"),
                        QStringLiteral("charts"), QStringLiteral("undefined_charts")};
    // Format 4 added the SHAP summary; optional there (only models explained exactly have one).
    if (formatVersion >= 4)
        kFields.append(QStringLiteral("shap"));
    const QJsonObject validation = json.toObject();
    if (!json.isObject() || !validation.value(QLatin1String("scheme")).isString())
        return Error::invalid(where({}) + QStringLiteral(" must be an object with a scheme"));
    for (auto it = validation.begin(); it != validation.end(); ++it)
        if (!kFields.contains(it.key()))
            return Error::invalid(where(it.key()) + QStringLiteral(" is not a field this version knows"));
    metadata.validation = validation.value(QLatin1String("scheme")).toString();
    if (auto error = readMetrics(validation, fileName, metadata))
        return error;
    if (validation.contains(QLatin1String("importance"))) {
        if (!validation.value(QLatin1String("importance")).isObject())
            return Error::invalid(where(QStringLiteral("importance")) + QStringLiteral(" is not an object"));
        if (auto error = readImportance(validation.value(QLatin1String("importance")).toObject(), fileName, metadata.importance))
            return error;
    }
    if (validation.contains(QLatin1String("shap"))) {
        if (!validation.value(QLatin1String("shap")).isObject())
            return Error::invalid(where(QStringLiteral("shap")) + QStringLiteral(" is not an object"));
        if (auto error = readShapSummary(validation.value(QLatin1String("shap")).toObject(), fileName, metadata.shap))
            return error;
    }
    if (validation.contains(QLatin1String("undefined_charts")) && !validation.contains(QLatin1String("charts")))
        return Error::invalid(where(QStringLiteral("undefined_charts")) + QStringLiteral(" names charts the file does not hold"));
    if (validation.contains(QLatin1String("charts"))) {
        Result<Evaluation> charts = evaluationFromJson(validation.value(QLatin1String("charts")).toObject(),
                                                       where(QStringLiteral("charts")));
        if (!charts)
            return charts.error();
        metadata.evaluation = std::move(charts).value();
        metadata.evaluation->metrics = metadata.metrics;
        for (const auto &[name, reason] : metadata.metricReasons)
            metadata.evaluation->undefined[name] = reason;
        if (validation.contains(QLatin1String("undefined_charts")))
            if (auto error = readUndefinedCharts(validation.value(QLatin1String("undefined_charts")),
                                                 where(QStringLiteral("undefined_charts")), *metadata.evaluation))
                return error;
    }
    return std::nullopt;
}

// "software": what softwareEnvironment() writes; the format version a number, the rest text.
std::optional<Error> readSoftware(const MetadataFields &metadata, QJsonObject &software)
{
    if (auto error = metadata.object(QStringLiteral("software"), software))
        return error;
    for (auto it = software.begin(); it != software.end(); ++it) {
        static const QStringList kTexts{QStringLiteral("plumb"), QStringLiteral("compiler"), QStringLiteral("qt"),
                                        QStringLiteral("eigen"), QStringLiteral("os")};
        const QString field = QStringLiteral("software.") + it.key();
        if (it.key() == QLatin1String("format")) {
            if (!it->isDouble())
                return metadata.bad(field, QStringLiteral("is not a number"));
        } else if (!kTexts.contains(it.key())) {
            return metadata.bad(field, QStringLiteral("is not a field this version knows"));
        } else if (!it->isString()) {
            return metadata.bad(field, QStringLiteral("is not text"));
        }
    }
    return std::nullopt;
}

// "training_data": the source file's name and SHA-256, its rows and columns.
std::optional<Error> readTrainingData(const MetadataFields &metadata, const QString &fileName, ModelMetadata &out)
{
    QJsonObject json;
    if (auto error = metadata.object(QStringLiteral("training_data"), json))
        return error;
    const MetadataFields fields(json, fileName, QStringLiteral("training_data"));
    std::optional<Error> error = fields.checkNames(
        {QStringLiteral("source"), QStringLiteral("sha256"), QStringLiteral("rows"), QStringLiteral("columns")});
    if (!error)
        error = fields.text(QStringLiteral("source"), out.sourceFile);
    if (!error)
        error = fields.text(QStringLiteral("sha256"), out.sourceSha256);
    if (!error)
        error = fields.wholeNumber(QStringLiteral("rows"), out.rows);
    if (!error)
        error = fields.wholeNumber(QStringLiteral("columns"), out.columns);
    return error;
}

// "lineage": the parent model's digest and the reason for retraining (both empty for a first model).
std::optional<Error> readLineage(const MetadataFields &metadata, const QString &fileName, ModelMetadata &out)
{
    QJsonObject json;
    if (auto error = metadata.object(QStringLiteral("lineage"), json))
        return error;
    const MetadataFields fields(json, fileName, QStringLiteral("lineage"));
    std::optional<Error> error = fields.checkNames({QStringLiteral("parent_digest"), QStringLiteral("reason")});
    if (!error)
        error = fields.text(QStringLiteral("parent_digest"), out.parentDigest);
    if (!error)
        error = fields.text(QStringLiteral("reason"), out.lineageReason);
    return error;
}

} // namespace

QString ModelMetadata::metricReason(const QString &name) const
{
    if (const auto found = metricReasons.find(name); found != metricReasons.end())
        return found->second;
    return evaluation ? evaluation->undefinedReason(name) : QString();
}

QJsonObject ModelMetadata::toJson() const
{
    QJsonObject json{
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
        {QStringLiteral("author"), author},
        {QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("software"), software},
        {QStringLiteral("training_data"),
         QJsonObject{{QStringLiteral("source"), sourceFile},
                     {QStringLiteral("sha256"), sourceSha256},
                     {QStringLiteral("rows"), double(rows)},
                     {QStringLiteral("columns"), double(columns)}}},
        {QStringLiteral("validation"), validationJson(*this)},
        {QStringLiteral("seed"), QString::number(seed)},
        {QStringLiteral("fit_seconds"), fitSeconds},
        {QStringLiteral("lineage"),
         QJsonObject{{QStringLiteral("parent_digest"), parentDigest}, {QStringLiteral("reason"), lineageReason}}},
    };
    if (!imported.isEmpty())
        json.insert(QStringLiteral("import"), importJson(imported));
    return json;
}

Result<ModelMetadata> ModelMetadata::fromJson(const QJsonObject &json, const QString &fileName, quint32 formatVersion)
{
    const MetadataFields fields(json, fileName);
    if (auto error = fields.checkNames({QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("tags"),
                                        QStringLiteral("author"), QStringLiteral("created"), QStringLiteral("software"),
                                        QStringLiteral("training_data"), QStringLiteral("validation"), QStringLiteral("seed"),
                                        QStringLiteral("fit_seconds"), QStringLiteral("lineage")},
                                       {QStringLiteral("import")}))
        return *error;
    ModelMetadata metadata;
    QString created, seed;
    std::optional<Error> error = fields.text(QStringLiteral("name"), metadata.name);
    if (!error)
        error = fields.text(QStringLiteral("description"), metadata.description);
    if (!error)
        error = fields.textList(QStringLiteral("tags"), metadata.tags);
    if (!error)
        error = fields.text(QStringLiteral("author"), metadata.author);
    if (!error)
        error = fields.text(QStringLiteral("created"), created);
    if (!error)
        error = readSoftware(fields, metadata.software);
    if (!error)
        error = readTrainingData(fields, fileName, metadata);
    if (!error)
        error = readValidation(json.value(QLatin1String("validation")), fileName, formatVersion, metadata);
    if (!error && fields.text(QStringLiteral("seed"), seed)) // written as text: a double holds no 64-bit seed exactly
        error = fields.bad(QStringLiteral("seed"), QStringLiteral("is not a whole number in text"));
    if (!error)
        error = fields.number(QStringLiteral("fit_seconds"), metadata.fitSeconds, 0);
    if (!error)
        error = readLineage(fields, fileName, metadata);
    if (error)
        return *error;
    metadata.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    if (!metadata.created.isValid())
        return fields.bad(QStringLiteral("created"), QStringLiteral("is not an ISO 8601 time"));
    bool ok = false;
    metadata.seed = seed.toULongLong(&ok);
    if (!ok)
        return fields.bad(QStringLiteral("seed"), QStringLiteral("is not a whole number in text"));
    if (json.contains(QLatin1String("import"))) {
        QJsonObject imported;
        if (auto importError = fields.object(QStringLiteral("import"), imported))
            return *importError;
        if (auto importError = readImport(imported, fileName, formatVersion, metadata.imported))
            return *importError;
    }
    return metadata;
}

} // namespace plumb
