#include "artifact/modelartifact.h"

#include "artifact/modelfile.h"
#include "base/parallel.h"
#include "data/columnprofile.h"

#include <QHash>
#include <QSet>

namespace plumb {

namespace {

struct Decoder
{
    const QString &file;
    std::map<QString, Tensor> &arrays; // each is moved into the one component that uses it
    QSet<QString> used;

    Error bad(const QString &where, const QString &why) const
    {
        return Error::invalid(QStringLiteral("%1: %2: %3").arg(file, where, why));
    }

    std::optional<Error> requireFields(const QJsonObject &object, const QStringList &fields, const QString &where) const
    {
        for (auto it = object.begin(); it != object.end(); ++it)
            if (!fields.contains(it.key()))
                return bad(where, QStringLiteral("unknown field \"%1\"").arg(it.key()));
        for (const QString &field : fields)
            if (!object.contains(field))
                return bad(where, QStringLiteral("field \"%1\" is missing").arg(field));
        return std::nullopt;
    }

    std::optional<Error> componentState(const QJsonObject &json, const QString &where, ComponentState &state)
    {
        if (auto error = requireFields(
                json, {QStringLiteral("kind"), QStringLiteral("params"), QStringLiteral("state"), QStringLiteral("arrays")},
                where))
            return error;
        state.values = json.value(QLatin1String("state")).toObject();
        const QJsonObject ids = json.value(QLatin1String("arrays")).toObject();
        for (auto it = ids.begin(); it != ids.end(); ++it) {
            const auto found = arrays.find(it.value().toString());
            if (found == arrays.end() || used.contains(found->first))
                return bad(where, QStringLiteral("array \"%1\" is missing or used twice").arg(it.key()));
            used.insert(found->first);
            state.arrays[it.key()] = std::move(found->second);
        }
        return std::nullopt;
    }
};

QStringList stringList(const QJsonValue &value, bool &ok)
{
    QStringList list;
    ok = value.isArray();
    for (const QJsonValue &item : value.toArray()) {
        ok = ok && item.isString();
        list.append(item.toString());
    }
    return list;
}

// A branch's steps, restored in order into `branch`: each of a known kind, given what flows into it
// (categories or numbers, as fitTransform checks it), its parameters and state checked; the
// branch must end with numbers.
std::optional<Error> decodeSteps(Decoder &decoder, const QJsonArray &steps, const QString &where, RouterBranch &branch)
{
    Eigen::Index width = branch.columns.size();
    bool categories = branch.categorical; // what flows into the next step
    for (qsizetype s = 0; s < steps.size(); ++s) {
        const QString stepWhere = QStringLiteral("%1 step %2").arg(where).arg(s);
        const QJsonObject stepJson = steps[s].toObject();
        std::unique_ptr<Transformer> step = createTransformer(stepJson.value(QLatin1String("kind")).toString());
        if (!step)
            return decoder.bad(stepWhere,
                               QStringLiteral("unknown kind \"%1\"").arg(stepJson.value(QLatin1String("kind")).toString()));
        if (categories ? !step->acceptsCategorical() : !step->acceptsNumeric())
            return decoder.bad(stepWhere,
                               QStringLiteral("%1 cannot take %2 here")
                                   .arg(step->kind(), categories ? QStringLiteral("categories") : QStringLiteral("numbers")));
        categories = categories && !step->encodesCategories();
        ComponentState state;
        if (auto error = decoder.componentState(stepJson, stepWhere, state))
            return *error;
        ParamValues params = step->params();
        if (auto error = params.setFromJson(stepJson.value(QLatin1String("params")).toObject()))
            return decoder.bad(stepWhere, error->message);
        step->setParams(params);
        if (auto error = step->restore(state, width))
            return decoder.bad(stepWhere, error->message);
        width = step->outputColumns(width);
        branch.steps.push_back(std::move(step));
    }
    if (categories)
        return decoder.bad(where, QStringLiteral("the branch ends with categories; it needs an encoder"));
    return std::nullopt;
}

// The columns a router's branches read: each a feature, read once, a categorical one only by a
// categorical branch. `readBy` maps each column read so far to its branch.
std::optional<Error> checkBranchColumns(Decoder &decoder, const RouterBranch &branch, const QString &where,
                                        const QHash<QString, ColumnType> &featureTypes, QHash<QString, QString> &readBy)
{
    for (const QString &column : branch.columns) {
        if (!featureTypes.contains(column))
            return decoder.bad(where, QStringLiteral("column '%1' is not among the features").arg(column));
        // A router reads each column once (as fitting builds it, and the scikit-learn import
        // requires): a column read twice gives the model more inputs than the data has.
        if (const auto other = readBy.constFind(column); other != readBy.constEnd())
            return decoder.bad(where,
                               *other == branch.name
                                   ? QStringLiteral("column '%1' is listed twice in branch '%2'").arg(column, branch.name)
                                   : QStringLiteral("column '%1' is read by branch '%2' and again by branch '%3'")
                                         .arg(column, *other, branch.name));
        readBy.insert(column, branch.name);
        if (!branch.categorical && featureTypes.value(column) == ColumnType::Categorical)
            return decoder.bad(where, QStringLiteral("a numeric branch reads column '%1', a categorical feature").arg(column));
    }
    return std::nullopt;
}

Result<RouterBranch> decodeBranch(Decoder &decoder, const QJsonObject &object, const QString &where,
                                  const QHash<QString, ColumnType> &featureTypes, QHash<QString, QString> &readBy)
{
    if (auto error = decoder.requireFields(object,
                                           {QStringLiteral("name"), QStringLiteral("columns"), QStringLiteral("categorical"),
                                            QStringLiteral("vocabularies"), QStringLiteral("steps")},
                                           where))
        return *error;
    if (!object.value(QLatin1String("name")).isString())
        return decoder.bad(where, QStringLiteral("\"name\" is not text"));
    // Read as given, "true" as text would be false: a categorical branch silently read as numeric.
    if (!object.value(QLatin1String("categorical")).isBool())
        return decoder.bad(where, QStringLiteral("\"categorical\" is not true or false"));
    bool ok = false;
    RouterBranch branch{object.value(QLatin1String("name")).toString(),
                        stringList(object.value(QLatin1String("columns")), ok),
                        object.value(QLatin1String("categorical")).toBool(),
                        {},
                        {}};
    if (!ok || branch.columns.isEmpty())
        return decoder.bad(where, QStringLiteral("\"columns\" must be a non-empty list of names"));
    if (auto error = checkBranchColumns(decoder, branch, where, featureTypes, readBy))
        return *error;
    for (const QJsonValue &vocabulary : object.value(QLatin1String("vocabularies")).toArray()) {
        branch.vocabularies.push_back(stringList(vocabulary, ok));
        if (!ok)
            return decoder.bad(where, QStringLiteral("a vocabulary holds something other than text"));
    }
    if (auto error = decodeSteps(decoder, object.value(QLatin1String("steps")).toArray(), where, branch))
        return *error;
    return branch;
}

Result<ColumnRouter> decodeRouter(Decoder &decoder, const QJsonObject &json, const std::vector<FeatureSpec> &features)
{
    if (auto error = decoder.requireFields(json, {QStringLiteral("branches"), QStringLiteral("outputs")},
                                           QStringLiteral("router")))
        return *error;
    QHash<QString, ColumnType> featureTypes;
    for (const FeatureSpec &feature : features)
        featureTypes.insert(feature.name, feature.type);
    ColumnRouter router;
    QHash<QString, QString> readBy; // column -> the branch that reads it
    const QJsonArray branches = json.value(QLatin1String("branches")).toArray();
    for (qsizetype b = 0; b < branches.size(); ++b) {
        Result<RouterBranch> branch = decodeBranch(decoder, branches[b].toObject(), QStringLiteral("router branch %1").arg(b),
                                                   featureTypes, readBy);
        if (!branch)
            return branch.error();
        router.addBranch(std::move(branch).value());
    }
    bool ok = false;
    const QStringList outputs = stringList(json.value(QLatin1String("outputs")), ok);
    if (!ok)
        return decoder.bad(QStringLiteral("router"), QStringLiteral("\"outputs\" must be a list of names"));
    if (auto error = router.setRestoredOutputs(outputs))
        return decoder.bad(QStringLiteral("router"), error->message);
    return router;
}

Result<std::vector<FeatureSpec>> decodeFeatures(Decoder &decoder, const QJsonArray &json)
{
    std::vector<FeatureSpec> features;
    QSet<QString> names;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QString where = QStringLiteral("feature %1").arg(i);
        const QJsonObject object = json[i].toObject();
        if (auto error = decoder.requireFields(object,
                                               {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("categories"),
                                                QStringLiteral("minimum"), QStringLiteral("maximum")},
                                               where))
            return *error;
        FeatureSpec feature;
        feature.name = object.value(QLatin1String("name")).toString();
        const auto type = columnTypeFromName(object.value(QLatin1String("type")).toString());
        bool ok = false;
        feature.categories = stringList(object.value(QLatin1String("categories")), ok);
        if (feature.name.isEmpty() || names.contains(feature.name) || !type || !ok)
            return decoder.bad(where, QStringLiteral("needs a unique name, a known type and text categories"));
        feature.type = *type;
        feature.minimum = object.value(QLatin1String("minimum")).toDouble(std::nan(""));
        feature.maximum = object.value(QLatin1String("maximum")).toDouble(std::nan(""));
        names.insert(feature.name);
        features.push_back(feature);
    }
    return features;
}

Result<TargetSpec> decodeTarget(Decoder &decoder, const QJsonObject &json)
{
    if (auto error = decoder.requireFields(
            json, {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("task"), QStringLiteral("classes")},
            QStringLiteral("target")))
        return *error;
    TargetSpec target;
    target.name = json.value(QLatin1String("name")).toString();
    const auto type = columnTypeFromName(json.value(QLatin1String("type")).toString());
    const QString task = json.value(QLatin1String("task")).toString();
    bool ok = false;
    target.classes = stringList(json.value(QLatin1String("classes")), ok);
    if (!type || !ok || (task != QLatin1String("classification") && task != QLatin1String("regression")))
        return decoder.bad(QStringLiteral("target"), QStringLiteral("needs a known type, a task and text classes"));
    target.type = *type;
    target.task = task == QLatin1String("classification") ? Task::Classification : Task::Regression;
    if (target.task == Task::Classification && target.classes.size() < 2)
        return decoder.bad(QStringLiteral("target"), QStringLiteral("a classifier needs two or more classes"));
    return target;
}

Result<std::unique_ptr<Model>> decodeModel(Decoder &decoder, const QJsonObject &json, const TargetSpec &target,
                                           Eigen::Index inputs)
{
    const QString kind = json.value(QLatin1String("kind")).toString();
    if (!modelKinds().contains(kind))
        return decoder.bad(QStringLiteral("model"), QStringLiteral("unknown kind \"%1\"").arg(kind));
    std::unique_ptr<Model> model = createModel(kind, target.task);
    const auto taskName = [](Task task) {
        return task == Task::Classification ? QStringLiteral("classification") : QStringLiteral("regression");
    };
    if (!model)
        return decoder.bad(
            QStringLiteral("model"),
            QStringLiteral("%1 does %2, but the target is for %3").arg(kind, taskName(*onlyTaskOf(kind)), taskName(target.task)));
    ComponentState state;
    if (auto error = decoder.componentState(json, QStringLiteral("model"), state))
        return *error;
    ParamValues params = model->params();
    if (auto error = params.setFromJson(json.value(QLatin1String("params")).toObject()))
        return decoder.bad(QStringLiteral("model"), error->message);
    model->setParams(params);
    if (auto error = model->restore(state))
        return decoder.bad(QStringLiteral("model"), error->message);
    if (model->featureCount() != inputs)
        return decoder.bad(QStringLiteral("model"),
                           QStringLiteral("%1 takes %2 inputs, but the preprocessing gives %3")
                               .arg(model->kind())
                               .arg(model->featureCount())
                               .arg(inputs));
    if (target.task == Task::Classification
        && model->predictProba(Eigen::MatrixXd::Zero(1, inputs)).cols() != target.classes.size())
        return decoder.bad(QStringLiteral("model"), QStringLiteral("its class count differs from the target's"));
    return model;
}

// The one profile rule that depends on the version: format 2 and earlier never wrote a
// distribution. (A format 3 profile may lack one: a profile carried over from an older file when
// a model is saved again, read as its histogram.)
std::optional<Error> checkProfileVersion(const std::vector<ColumnProfile> &profiles, quint32 version)
{
    for (const ColumnProfile &profile : profiles)
        if (version < 3 && !profile.knots.empty())
            return Error::invalid(
                QStringLiteral("profile \"%1\" has the field \"distribution\", which model format %2 does not have")
                    .arg(profile.name)
                    .arg(version));
    return std::nullopt;
}

// A stored SHAP summary (format 4 onwards) explains the pipeline's features, in their order.
std::optional<Error> checkShapFeatures(const ShapSummary &shap, const std::vector<FeatureSpec> &features)
{
    if (shap.isEmpty())
        return std::nullopt;
    QStringList stored, expected;
    for (const ShapSummary::Feature &feature : shap.features)
        stored.append(feature.feature);
    for (const FeatureSpec &feature : features)
        expected.append(feature.name);
    if (stored != expected)
        return Error::invalid(QStringLiteral("metadata field \"validation.shap.features\" lists %1; the model's features are %2")
                                  .arg(stored.join(u", "), expected.join(u", ")));
    return std::nullopt;
}

// Reads and validates everything in the file; the digest is verifyModelFile's business.
Result<ModelArtifact> decodeContents(const QByteArray &bytes, const QString &name)
{
    Result<ModelFileContents> contents = readModelFileContents(bytes, name);
    if (!contents)
        return contents.error();
    const QJsonObject &manifest = contents.value().manifest;
    Decoder decoder{name, contents.value().arrays, {}};
    if (auto error = decoder.requireFields(manifest,
                                           {QStringLiteral("metadata"), QStringLiteral("profile"), QStringLiteral("pipeline")},
                                           QStringLiteral("manifest")))
        return *error;
    ModelArtifact artifact;
    Result<ModelMetadata> metadata = ModelMetadata::fromJson(manifest.value(QLatin1String("metadata")).toObject(), name,
                                                             contents.value().version);
    if (!metadata)
        return metadata.error();
    artifact.metadata = metadata.value();
    artifact.profile = manifest.value(QLatin1String("profile")).toArray();
    // The reference profile is what drift is computed from: it must read back before the model is used.
    Result<std::vector<ColumnProfile>> profile = profilesFromJson(artifact.profile);
    if (!profile)
        return Error::invalid(QStringLiteral("%1: %2").arg(name, profile.error().message));
    if (auto error = checkProfileVersion(profile.value(), contents.value().version))
        return Error::invalid(QStringLiteral("%1: %2").arg(name, error->message));
    const QJsonObject pipeline = manifest.value(QLatin1String("pipeline")).toObject();
    if (auto error = decoder.requireFields(
            pipeline, {QStringLiteral("features"), QStringLiteral("target"), QStringLiteral("router"), QStringLiteral("model")},
            QStringLiteral("pipeline")))
        return *error;
    Result<std::vector<FeatureSpec>> features = decodeFeatures(decoder, pipeline.value(QLatin1String("features")).toArray());
    if (!features)
        return features.error();
    Result<TargetSpec> target = decodeTarget(decoder, pipeline.value(QLatin1String("target")).toObject());
    if (!target)
        return target.error();
    Result<ColumnRouter> router = decodeRouter(decoder, pipeline.value(QLatin1String("router")).toObject(), features.value());
    if (!router)
        return router.error();
    Result<std::unique_ptr<Model>> model = decodeModel(decoder, pipeline.value(QLatin1String("model")).toObject(), target.value(),
                                                       router.value().outputNames().size());
    if (!model)
        return model.error();
    if (decoder.used.size() != qsizetype(contents.value().arrays.size()))
        return decoder.bad(QStringLiteral("manifest"), QStringLiteral("the file holds arrays no component uses"));
    if (auto error = checkShapFeatures(artifact.metadata.shap, features.value()))
        return Error::invalid(QStringLiteral("%1: %2").arg(name, error->message));
    artifact.pipeline.emplace(std::move(features).value(), std::move(target).value(), std::move(router).value(),
                              std::move(model).value());
    artifact.digest = contents.value().digest;
    return artifact;
}

} // namespace

Result<ModelArtifact> decodeModelArtifact(const QByteArray &bytes, const QString &name)
{
    // The digest is checked on one core while the other reads and validates the content. What was
    // read is returned, and its errors reported, only when the digest matches: a modified file is
    // refused, and nothing read from it reaches the caller.
    std::optional<Error> integrity;
    std::optional<Result<ModelArtifact>> content;
    parallelFor(2, [&](std::size_t task) {
        if (task == 0)
            integrity = verifyModelFile(bytes, name);
        else
            content.emplace(decodeContents(bytes, name));
    });
    if (integrity)
        return *std::move(integrity);
    return std::move(*content);
}

} // namespace plumb
