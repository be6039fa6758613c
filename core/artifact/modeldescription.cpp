#include "artifact/modeldescription.h"

#include "artifact/shapsummarynote.h"

#include <QJsonArray>

#include <cmath>

namespace plumb {

namespace {

ComponentDescription describeComponent(const QString &kind, const ParamValues &params)
{
    ComponentDescription component{kind, {}};
    const QJsonObject values = params.toJson();
    for (const ParamSpec &spec : params.schema())
        component.params.emplace_back(spec.name, values.value(spec.name));
    return component;
}

QJsonObject componentJson(const ComponentDescription &component)
{
    QJsonObject params;
    for (const auto &[name, value] : component.params)
        params.insert(name, value);
    return {{QStringLiteral("kind"), component.kind}, {QStringLiteral("params"), params}};
}

QJsonValue numberOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QString signatureStateName(SignatureStatus::State state)
{
    switch (state) {
    case SignatureStatus::State::Unsigned:
        return QStringLiteral("unsigned");
    case SignatureStatus::State::Trusted:
        return QStringLiteral("trusted");
    case SignatureStatus::State::UnknownKey:
        return QStringLiteral("unknown_key");
    case SignatureStatus::State::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

QJsonObject featureJson(const FeatureSpec &feature)
{
    QJsonObject json{{QStringLiteral("name"), feature.name}, {QStringLiteral("type"), columnTypeName(feature.type)}};
    if (!feature.categories.isEmpty()) {
        json.insert(QStringLiteral("categories"), QJsonArray::fromStringList(feature.categories));
    } else {
        json.insert(QStringLiteral("minimum"), numberOrNull(feature.minimum));
        json.insert(QStringLiteral("maximum"), numberOrNull(feature.maximum));
    }
    return json;
}

} // namespace

QString ComponentDescription::paramsText() const
{
    QStringList parts;
    for (const auto &[name, value] : params)
        parts.append(name + QLatin1Char('=') + value.toVariant().toString());
    return parts.join(QLatin1String(", "));
}

ModelDescription describeModel(const ModelArtifact &artifact, const QString &path, const QString &fileSha256,
                               const SignatureStatus &signature)
{
    const Pipeline &pipeline = *artifact.pipeline;
    ModelDescription description;
    description.path = path;
    description.fileSha256 = fileSha256;
    description.digest = artifact.digest;
    description.signature = signature;
    description.metadata = artifact.metadata;
    description.shapNote = missingShapSummaryReason(artifact);
    description.profile = artifact.profile;
    description.target = pipeline.target();
    description.features = pipeline.features();
    for (const RouterBranch &branch : pipeline.router().branches()) {
        BranchDescription described{branch.name, branch.columns, {}};
        for (const auto &step : branch.steps)
            described.steps.push_back(describeComponent(step->kind(), step->params()));
        description.branches.push_back(std::move(described));
    }
    description.model = describeComponent(pipeline.model().kind(), pipeline.model().params());
    return description;
}

namespace {

// The mean |SHAP| ranking, most important first, with what it measures; or why there is none.
QJsonObject shapImportanceJson(const ShapSummary &shap, const QString &note)
{
    if (shap.isEmpty())
        return {{QStringLiteral("unavailable"), note}};
    QJsonArray ranking;
    for (const std::size_t f : shap.ranking())
        ranking.append(QJsonObject{{QStringLiteral("feature"), shap.features[f].feature},
                                   {QStringLiteral("mean_abs_shap"), shap.importance(f)}});
    return {{QStringLiteral("measures"), shap.importanceLabel()},
            {QStringLiteral("description"), shap.description()},
            {QStringLiteral("explained_rows"), double(shap.explainedRows)},
            {QStringLiteral("validation_rows"), double(shap.validationRows)},
            {QStringLiteral("ranking"), ranking}};
}

} // namespace

QJsonObject ModelDescription::toJson() const
{
    QJsonArray featureList;
    for (const FeatureSpec &feature : features)
        featureList.append(featureJson(feature));
    QJsonArray branchList;
    for (const BranchDescription &branch : branches) {
        QJsonArray steps;
        for (const ComponentDescription &step : branch.steps)
            steps.append(componentJson(step));
        branchList.append(QJsonObject{{QStringLiteral("name"), branch.name},
                                      {QStringLiteral("columns"), QJsonArray::fromStringList(branch.columns)},
                                      {QStringLiteral("steps"), steps}});
    }
    const bool classification = target.task == Task::Classification;
    return {{QStringLiteral("path"), path},
            {QStringLiteral("file_sha256"), fileSha256},
            {QStringLiteral("digest"), digest},
            {QStringLiteral("integrity"), QStringLiteral("intact")},
            {QStringLiteral("signature"), signature.describe()},
            {QStringLiteral("signature_status"),
             QJsonObject{{QStringLiteral("state"), signatureStateName(signature.state)},
                         {QStringLiteral("key_id"), signature.keyId},
                         {QStringLiteral("key_file"), signature.keyFile},
                         {QStringLiteral("trusted_comment"), signature.trustedComment},
                         {QStringLiteral("reason"), signature.reason}}},
            {QStringLiteral("kind"), model.kind},
            {QStringLiteral("task"), classification ? QStringLiteral("classification") : QStringLiteral("regression")},
            {QStringLiteral("target"),
             QJsonObject{{QStringLiteral("name"), target.name}, {QStringLiteral("type"), columnTypeName(target.type)}}},
            {QStringLiteral("classes"), QJsonArray::fromStringList(classification ? target.classes : QStringList())},
            {QStringLiteral("features"), featureList},
            {QStringLiteral("pipeline"),
             QJsonObject{{QStringLiteral("branches"), branchList}, {QStringLiteral("model"), componentJson(model)}}},
            {QStringLiteral("metadata"), metadata.toJson()},
            {QStringLiteral("shap_importance"), shapImportanceJson(metadata.shap, shapNote)},
            {QStringLiteral("profile"), profile}};
}

} // namespace plumb
