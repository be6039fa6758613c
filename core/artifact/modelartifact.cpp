#include "artifact/modelartifact.h"

#include "artifact/modelfile.h"
#include "data/columnprofile.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSet>

#include <filesystem>

namespace plumb {

namespace {

// Component state <-> manifest: values inline, arrays by id into the container.
QJsonObject encodeComponent(const QString &kind, const ParamValues &params, const ComponentState &state, const QString &prefix,
                            std::map<QString, Tensor> &arrays)
{
    QJsonObject arrayIds;
    for (const auto &[name, tensor] : state.arrays) {
        const QString id = prefix + QLatin1Char('.') + name;
        arrayIds.insert(name, id);
        arrays[id] = tensor;
    }
    return QJsonObject{{QStringLiteral("kind"), kind},
                       {QStringLiteral("params"), params.toJson()},
                       {QStringLiteral("state"), state.values},
                       {QStringLiteral("arrays"), arrayIds}};
}

QJsonObject encodeRouter(const ColumnRouter &router, std::map<QString, Tensor> &arrays)
{
    QJsonArray branches;
    for (std::size_t b = 0; b < router.branches().size(); ++b) {
        const RouterBranch &branch = router.branches()[b];
        QJsonArray steps, vocabularies;
        for (std::size_t s = 0; s < branch.steps.size(); ++s) {
            const Transformer &step = *branch.steps[s];
            steps.append(
                encodeComponent(step.kind(), step.params(), step.state(), QStringLiteral("router.%1.%2").arg(b).arg(s), arrays));
        }
        for (const QStringList &vocabulary : branch.vocabularies)
            vocabularies.append(QJsonArray::fromStringList(vocabulary));
        branches.append(QJsonObject{{QStringLiteral("name"), branch.name},
                                    {QStringLiteral("columns"), QJsonArray::fromStringList(branch.columns)},
                                    {QStringLiteral("categorical"), branch.categorical},
                                    {QStringLiteral("vocabularies"), vocabularies},
                                    {QStringLiteral("steps"), steps}});
    }
    return QJsonObject{{QStringLiteral("branches"), branches},
                       {QStringLiteral("outputs"), QJsonArray::fromStringList(router.outputNames())}};
}

QJsonObject encodePipeline(const Pipeline &pipeline, std::map<QString, Tensor> &arrays)
{
    QJsonArray features;
    for (const FeatureSpec &feature : pipeline.features())
        features.append(QJsonObject{
            {QStringLiteral("name"), feature.name},
            {QStringLiteral("type"), columnTypeName(feature.type)},
            {QStringLiteral("categories"), QJsonArray::fromStringList(feature.categories)},
            {QStringLiteral("minimum"), std::isfinite(feature.minimum) ? QJsonValue(feature.minimum) : QJsonValue()},
            {QStringLiteral("maximum"), std::isfinite(feature.maximum) ? QJsonValue(feature.maximum) : QJsonValue()}});
    const TargetSpec &target = pipeline.target();
    const Model &model = pipeline.model();
    return QJsonObject{
        {QStringLiteral("features"), features},
        {QStringLiteral("target"),
         QJsonObject{{QStringLiteral("name"), target.name},
                     {QStringLiteral("type"), columnTypeName(target.type)},
                     {QStringLiteral("task"),
                      target.task == Task::Classification ? QStringLiteral("classification") : QStringLiteral("regression")},
                     {QStringLiteral("classes"), QJsonArray::fromStringList(target.classes)}}},
        {QStringLiteral("router"), encodeRouter(pipeline.router(), arrays)},
        {QStringLiteral("model"), encodeComponent(model.kind(), model.params(), model.state(), QStringLiteral("model"), arrays)},
    };
}

} // namespace

QJsonArray referenceProfile(const Dataset &data, const Pipeline &pipeline)
{
    std::vector<std::pair<QString, ColumnRole>> columns;
    for (const FeatureSpec &feature : pipeline.features())
        columns.emplace_back(feature.name, ColumnRole::Feature);
    columns.emplace_back(pipeline.target().name, ColumnRole::Target);
    QJsonArray profile;
    for (const auto &[name, role] : columns)
        if (const auto index = data.indexOf(name)) {
            ColumnProfile column = profileColumn(data.column(*index));
            column.role = role;
            profile.append(profileToJson(column));
        }
    return profile;
}

QByteArray encodeModelArtifact(const Pipeline &pipeline, const ModelMetadata &metadata, const QJsonArray &profile)
{
    ModelFileContents contents;
    contents.manifest.insert(QStringLiteral("metadata"), metadata.toJson());
    contents.manifest.insert(QStringLiteral("profile"), profile);
    contents.manifest.insert(QStringLiteral("pipeline"), encodePipeline(pipeline, contents.arrays));
    return encodeModelFile(contents);
}

Result<ModelArtifact> loadModelArtifact(const QString &path)
{
    Result<QByteArray> bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return decodeModelArtifact(bytes.value(), QFileInfo(path).fileName());
}

std::optional<Error> saveModelArtifact(const QString &path, const Pipeline &pipeline, const ModelMetadata &metadata,
                                       const QJsonArray &profile, bool overwrite)
{
    if (!overwrite && QFileInfo::exists(path))
        return Error::invalid(QStringLiteral("%1 exists; choose another name or allow overwriting").arg(path));
    // A file nobody can open is worse than no file: write beside the target, read that back with
    // the loader verify and inspect use, and only then put it in place. The staging name is
    // unique, so two saves to one path do not share it; a crash leaves at most a stray staging file.
    const QString staging = QStringLiteral("%1.%2.saving").arg(path).arg(QRandomGenerator::system()->generate64(), 0, 36);
    if (auto error = writeFileAtomically(staging, encodeModelArtifact(pipeline, metadata, profile), false))
        return error;
    Result<ModelArtifact> check = loadModelArtifact(staging);
    if (!check) {
        QFile::remove(staging);
        // The loader names the staging file; the user knows the target's name.
        QString message = check.error().message;
        message.replace(QFileInfo(staging).fileName(), QFileInfo(path).fileName());
        return Error{QStringLiteral("the model file as written does not load, so %1 was not saved: %2").arg(path, message),
                     check.error().kind};
    }
    if (QFileInfo::exists(path))
        QFile::setPermissions(staging, QFile::permissions(path));
    std::error_code error;
    std::filesystem::rename(std::filesystem::path(staging.toStdU16String()), std::filesystem::path(path.toStdU16String()), error);
    if (error) {
        QFile::remove(staging);
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, QString::fromStdString(error.message())));
    }
    return std::nullopt;
}

Result<QString> signModelFile(const QString &modelPath, const SecretKey &key)
{
    Result<QByteArray> bytes = readFileBytes(modelPath);
    if (!bytes)
        return bytes.error();
    Result<ModelArtifact> artifact = decodeModelArtifact(bytes.value(), QFileInfo(modelPath).fileName());
    if (!artifact)
        return artifact.error();
    const QString comment = QStringLiteral("plumb model name=%1 digest=%2 signed=%3")
                                .arg(artifact.value().metadata.name, artifact.value().digest,
                                     QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    const QString signaturePath = modelPath + QStringLiteral(".minisig");
    if (auto error = writeFileAtomically(signaturePath, signMessage(bytes.value(), key, comment), true))
        return *error;
    return signaturePath;
}

} // namespace plumb
