#include "artifact/modelmetadata.h"

#include "artifact/evaluationjson.h"
#include "artifact/modelfile.h"

#include <QSysInfo>

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
        QJsonObject metric{{QStringLiteral("name"), name}, {QStringLiteral("value"), std::isfinite(value) ? QJsonValue(value) : QJsonValue()}};
        if (!std::isfinite(value)) {
            const QString reason = metadata.metricReason(name);
            metric.insert(QStringLiteral("undefined"), reason.isEmpty() ? QStringLiteral("no value was measured") : reason);
        }
        array.append(metric);
    }
    return array;
}

// Reads metricsJson's output back; the error names the metric.
std::optional<Error> readMetrics(const QJsonValue &json, const QString &where, ModelMetadata &metadata)
{
    if (!json.isArray())
        return Error::invalid(QStringLiteral("%1 must be a list of metrics").arg(where));
    const QJsonArray metrics = json.toArray();
    for (qsizetype i = 0; i < metrics.size(); ++i) {
        const QJsonObject metric = metrics.at(i).toObject();
        const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
        for (auto it = metric.begin(); it != metric.end(); ++it)
            if (it.key() != QLatin1String("name") && it.key() != QLatin1String("value") && it.key() != QLatin1String("undefined"))
                return Error::invalid(QStringLiteral("%1: unknown field \"%2\"").arg(at, it.key()));
        const QJsonValue name = metric.value(QLatin1String("name")), value = metric.value(QLatin1String("value"));
        if (!metrics.at(i).isObject() || !name.isString() || name.toString().isEmpty())
            return Error::invalid(QStringLiteral("%1 needs a name").arg(at));
        if (!value.isDouble() && !value.isNull())
            return Error::invalid(QStringLiteral("%1 (%2): the value must be a number or null").arg(at, name.toString()));
        if (metric.contains(QLatin1String("undefined"))) {
            const QJsonValue reason = metric.value(QLatin1String("undefined"));
            if (!value.isNull() || !reason.isString() || reason.toString().isEmpty())
                return Error::invalid(QStringLiteral("%1 (%2): \"undefined\" is the reason, as text, of a null value").arg(at, name.toString()));
            metadata.metricReasons[name.toString()] = reason.toString();
        }
        metadata.metrics.emplace_back(name.toString(), value.toDouble(std::nan("")));
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
        {QStringLiteral("eigen"), QStringLiteral("%1.%2.%3").arg(EIGEN_WORLD_VERSION).arg(EIGEN_MAJOR_VERSION).arg(EIGEN_MINOR_VERSION)},
        {QStringLiteral("os"), QSysInfo::prettyProductName() + QStringLiteral(" (") + QSysInfo::currentCpuArchitecture() + QLatin1Char(')')},
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

// Reads importanceJson's output back; false when a field is missing or of the wrong type.
bool readImportance(const QJsonObject &json, PermutationImportance &importance)
{
    if (!json.value(QLatin1String("metric")).isString() || !json.value(QLatin1String("baseline")).isDouble()
        || !json.value(QLatin1String("features")).isArray())
        return false;
    importance.metric = json.value(QLatin1String("metric")).toString();
    importance.baseline = json.value(QLatin1String("baseline")).toDouble();
    for (const QJsonValue &value : json.value(QLatin1String("features")).toArray()) {
        const QJsonObject feature = value.toObject();
        if (!feature.value(QLatin1String("feature")).isString() || !feature.value(QLatin1String("mean")).isDouble()
            || !feature.value(QLatin1String("std")).isDouble())
            return false;
        importance.features.push_back({feature.value(QLatin1String("feature")).toString(),
                                       feature.value(QLatin1String("mean")).toDouble(),
                                       feature.value(QLatin1String("std")).toDouble(), {}});
    }
    return true;
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

// Reads importJson's output back; the name of the first bad field, or empty when all are good.
// Format 1 has no "positional_features"; from format 2 on it is required.
QString readImport(const QJsonObject &json, quint32 formatVersion, ImportProvenance &imported)
{
    static const QStringList kTexts{QStringLiteral("source"), QStringLiteral("sha256"), QStringLiteral("library"),
                                    QStringLiteral("library_version"), QStringLiteral("container")};
    const QLatin1String positional("positional_features");
    const bool hasPositional = formatVersion >= 2;
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!kTexts.contains(it.key()) && it.key() != QLatin1String("globals") && it.key() != QLatin1String("conversion")
            && !(hasPositional && it.key() == positional))
            return it.key();
    if (hasPositional) {
        if (!json.value(positional).isBool())
            return positional;
        imported.positionalFeatures = json.value(positional).toBool();
    }
    for (const QString &field : kTexts)
        if (!json.value(field).isString())
            return field;
    if (!json.value(QLatin1String("globals")).isArray())
        return QStringLiteral("globals");
    for (const QJsonValue &global : json.value(QLatin1String("globals")).toArray()) {
        if (!global.isString())
            return QStringLiteral("globals");
        imported.globals.append(global.toString());
    }
    if (!json.value(QLatin1String("conversion")).isArray())
        return QStringLiteral("conversion");
    for (const QJsonValue &item : json.value(QLatin1String("conversion")).toArray())
        for (const char *key : {"path", "class", "component"})
            if (!item.toObject().value(QLatin1String(key)).isString())
                return QStringLiteral("conversion");
    imported.source = json.value(QLatin1String("source")).toString();
    imported.sha256 = json.value(QLatin1String("sha256")).toString();
    imported.library = json.value(QLatin1String("library")).toString();
    imported.libraryVersion = json.value(QLatin1String("library_version")).toString();
    imported.container = json.value(QLatin1String("container")).toString();
    imported.conversion = json.value(QLatin1String("conversion")).toArray();
    return imported.source.isEmpty() ? QStringLiteral("source") : QString();
}

QJsonObject validationJson(const ModelMetadata &metadata)
{
    QJsonObject validation{{QStringLiteral("scheme"), metadata.validation}, {QStringLiteral("metrics"), metricsJson(metadata)}};
    if (!metadata.importance.features.empty())
        validation.insert(QStringLiteral("importance"), importanceJson(metadata.importance));
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
std::optional<Error> readValidation(const QJsonValue &json, const QString &fileName, ModelMetadata &metadata)
{
    const auto where = [&](const QString &field) {
        return QStringLiteral("%1: metadata field \"validation%2\"").arg(fileName, field.isEmpty() ? QString() : QLatin1Char('.') + field);
    };
    static const QStringList kFields{QStringLiteral("scheme"), QStringLiteral("metrics"), QStringLiteral("importance"),
                                     QStringLiteral("charts"), QStringLiteral("undefined_charts")};
    const QJsonObject validation = json.toObject();
    if (!json.isObject() || !validation.value(QLatin1String("scheme")).isString())
        return Error::invalid(where({}) + QStringLiteral(" must be an object with a scheme"));
    for (auto it = validation.begin(); it != validation.end(); ++it)
        if (!kFields.contains(it.key()))
            return Error::invalid(where(it.key()) + QStringLiteral(" is not a field this version knows"));
    metadata.validation = validation.value(QLatin1String("scheme")).toString();
    if (auto error = readMetrics(validation.value(QLatin1String("metrics")), where(QStringLiteral("metrics")), metadata))
        return error;
    if (validation.contains(QLatin1String("importance"))
        && !readImportance(validation.value(QLatin1String("importance")).toObject(), metadata.importance))
        return Error::invalid(where(QStringLiteral("importance")) + QStringLiteral(" needs a metric, a baseline and features with mean and std"));
    if (validation.contains(QLatin1String("undefined_charts")) && !validation.contains(QLatin1String("charts")))
        return Error::invalid(where(QStringLiteral("undefined_charts")) + QStringLiteral(" names charts the file does not hold"));
    if (validation.contains(QLatin1String("charts"))) {
        Result<Evaluation> charts = evaluationFromJson(validation.value(QLatin1String("charts")).toObject(), where(QStringLiteral("charts")));
        if (!charts)
            return charts.error();
        metadata.evaluation = std::move(charts).value();
        metadata.evaluation->metrics = metadata.metrics;
        for (const auto &[name, reason] : metadata.metricReasons)
            metadata.evaluation->undefined[name] = reason;
        if (validation.contains(QLatin1String("undefined_charts")))
            if (auto error = readUndefinedCharts(validation.value(QLatin1String("undefined_charts")), where(QStringLiteral("undefined_charts")),
                                                 *metadata.evaluation))
                return error;
    }
    return std::nullopt;
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
    static const QStringList kFields{QStringLiteral("name"),     QStringLiteral("description"), QStringLiteral("tags"),
                                     QStringLiteral("author"),   QStringLiteral("created"),     QStringLiteral("software"),
                                     QStringLiteral("training_data"), QStringLiteral("validation"), QStringLiteral("seed"),
                                     QStringLiteral("fit_seconds"), QStringLiteral("lineage")};
    const auto bad = [&](const QString &field, const QString &why) {
        return Error::invalid(QStringLiteral("%1: metadata field \"%2\" %3").arg(fileName, field, why));
    };
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!kFields.contains(it.key()) && it.key() != QLatin1String("import")) // "import" is optional
            return bad(it.key(), QStringLiteral("is not a field this version knows"));
    for (const QString &field : kFields)
        if (!json.contains(field))
            return bad(field, QStringLiteral("is missing"));
    ModelMetadata metadata;
    metadata.name = json.value(QLatin1String("name")).toString();
    metadata.description = json.value(QLatin1String("description")).toString();
    for (const QJsonValue &tag : json.value(QLatin1String("tags")).toArray())
        metadata.tags.append(tag.toString());
    metadata.author = json.value(QLatin1String("author")).toString();
    metadata.created = QDateTime::fromString(json.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    if (!metadata.created.isValid())
        return bad(QStringLiteral("created"), QStringLiteral("is not an ISO 8601 time"));
    metadata.software = json.value(QLatin1String("software")).toObject();
    const QJsonObject data = json.value(QLatin1String("training_data")).toObject();
    metadata.sourceFile = data.value(QLatin1String("source")).toString();
    metadata.sourceSha256 = data.value(QLatin1String("sha256")).toString();
    metadata.rows = qint64(data.value(QLatin1String("rows")).toDouble());
    metadata.columns = qint64(data.value(QLatin1String("columns")).toDouble());
    if (auto error = readValidation(json.value(QLatin1String("validation")), fileName, metadata))
        return *error;
    bool ok = false;
    metadata.seed = json.value(QLatin1String("seed")).toString().toULongLong(&ok);
    if (!ok)
        return bad(QStringLiteral("seed"), QStringLiteral("is not a whole number in text"));
    metadata.fitSeconds = json.value(QLatin1String("fit_seconds")).toDouble();
    const QJsonObject lineage = json.value(QLatin1String("lineage")).toObject();
    metadata.parentDigest = lineage.value(QLatin1String("parent_digest")).toString();
    metadata.lineageReason = lineage.value(QLatin1String("reason")).toString();
    if (json.contains(QLatin1String("import"))) {
        if (!json.value(QLatin1String("import")).isObject())
            return bad(QStringLiteral("import"), QStringLiteral("is not an object"));
        if (const QString field = readImport(json.value(QLatin1String("import")).toObject(), formatVersion, metadata.imported); !field.isEmpty())
            return bad(QStringLiteral("import.") + field, QStringLiteral("is missing, unknown or of the wrong type"));
    }
    return metadata;
}

} // namespace plumb
