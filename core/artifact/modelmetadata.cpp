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

QJsonArray metricsJson(const MetricList &metrics)
{
    QJsonArray array;
    for (const auto &[name, value] : metrics)
        array.append(QJsonObject{{QStringLiteral("name"), name},
                                 {QStringLiteral("value"), std::isfinite(value) ? QJsonValue(value) : QJsonValue()}});
    return array;
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
    QJsonObject validation{{QStringLiteral("scheme"), metadata.validation}, {QStringLiteral("metrics"), metricsJson(metadata.metrics)}};
    if (!metadata.importance.features.empty())
        validation.insert(QStringLiteral("importance"), importanceJson(metadata.importance));
    if (metadata.evaluation)
        validation.insert(QStringLiteral("charts"), evaluationToJson(*metadata.evaluation));
    return validation;
}

} // namespace

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
    const QJsonObject validation = json.value(QLatin1String("validation")).toObject();
    metadata.validation = validation.value(QLatin1String("scheme")).toString();
    for (const QJsonValue &metric : validation.value(QLatin1String("metrics")).toArray())
        metadata.metrics.emplace_back(metric[QLatin1String("name")].toString(), metric[QLatin1String("value")].toDouble(std::nan("")));
    if (validation.contains(QLatin1String("importance"))
        && !readImportance(validation.value(QLatin1String("importance")).toObject(), metadata.importance))
        return bad(QStringLiteral("validation.importance"), QStringLiteral("needs a metric, a baseline and features with mean and std"));
    if (validation.contains(QLatin1String("charts"))) {
        Result<Evaluation> charts = evaluationFromJson(validation.value(QLatin1String("charts")).toObject(),
                                                       fileName + QStringLiteral(": metadata field \"validation.charts\""));
        if (!charts)
            return charts.error();
        metadata.evaluation = std::move(charts).value();
        metadata.evaluation->metrics = metadata.metrics;
    }
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
