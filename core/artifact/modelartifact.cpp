#include "artifact/modelartifact.h"

#include "artifact/modelfile.h"
#include "data/columnprofile.h"

#include <QFileInfo>
#include <QSet>

namespace plumb {

namespace {

// Component state <-> manifest: values inline, arrays by id into the container.
QJsonObject encodeComponent(const QString &kind, const ParamValues &params, const ComponentState &state,
                            const QString &prefix, std::map<QString, Tensor> &arrays)
{
    QJsonObject arrayIds;
    for (const auto &[name, tensor] : state.arrays) {
        const QString id = prefix + QLatin1Char('.') + name;
        arrayIds.insert(name, id);
        arrays[id] = tensor;
    }
    return QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("params"), params.toJson()},
                       {QStringLiteral("state"), state.values}, {QStringLiteral("arrays"), arrayIds}};
}

QJsonObject encodeRouter(const ColumnRouter &router, std::map<QString, Tensor> &arrays)
{
    QJsonArray branches;
    for (std::size_t b = 0; b < router.branches().size(); ++b) {
        const RouterBranch &branch = router.branches()[b];
        QJsonArray steps, vocabularies;
        for (std::size_t s = 0; s < branch.steps.size(); ++s) {
            const Transformer &step = *branch.steps[s];
            steps.append(encodeComponent(step.kind(), step.params(), step.state(),
                                         QStringLiteral("router.%1.%2").arg(b).arg(s), arrays));
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
        features.append(QJsonObject{{QStringLiteral("name"), feature.name},
                                    {QStringLiteral("type"), columnTypeName(feature.type)},
                                    {QStringLiteral("categories"), QJsonArray::fromStringList(feature.categories)},
                                    {QStringLiteral("minimum"), std::isfinite(feature.minimum) ? QJsonValue(feature.minimum) : QJsonValue()},
                                    {QStringLiteral("maximum"), std::isfinite(feature.maximum) ? QJsonValue(feature.maximum) : QJsonValue()}});
    const TargetSpec &target = pipeline.target();
    const Model &model = pipeline.model();
    return QJsonObject{
        {QStringLiteral("features"), features},
        {QStringLiteral("target"),
         QJsonObject{{QStringLiteral("name"), target.name}, {QStringLiteral("type"), columnTypeName(target.type)},
                     {QStringLiteral("task"), target.task == Task::Classification ? QStringLiteral("classification") : QStringLiteral("regression")},
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
    return writeFileAtomically(path, encodeModelArtifact(pipeline, metadata, profile), overwrite);
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
