#include "interop/sklearnimporter.h"

#include "interop/sklearnconversion.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace plumb {

namespace {

const QString kPipeline = QStringLiteral("Pipeline");
const QString kColumnTransformer = QStringLiteral("ColumnTransformer");

// Input features as the pipeline will expect them, in the estimator's input order.
struct Inputs
{
    QStringList names;
    QSet<QString> categorical;
    std::map<QString, QStringList> categories;
};

// Checks names given for the features: distinct, non-empty, and `count` of them.
std::optional<Error> checkGivenNames(const QStringList &given, std::int64_t count)
{
    if (given.size() != count)
        return Error::invalid(QStringLiteral("%1 feature names were given (%2), but the model was fitted on %3 features")
                                  .arg(given.size())
                                  .arg(given.join(QLatin1String(", ")))
                                  .arg(count));
    for (qsizetype i = 0; i < given.size(); ++i) {
        if (given[i].trimmed().isEmpty())
            return Error::invalid(QStringLiteral("feature name %1 of %2 is empty").arg(i + 1).arg(given.size()));
        if (given.indexOf(given[i]) != i)
            return Error::invalid(QStringLiteral("the feature name '%1' is given twice").arg(given[i]));
    }
    return std::nullopt;
}

// The feature names the first estimator was fitted with: feature_names_in_ when present (a
// DataFrame); else `given` (names for a model fitted on an array), checked against n_features_in_;
// else x0, x1, ... for n_features_in_ columns, with `positional` set.
Result<QStringList> featureNames(const ConversionContext &context, const GraphRef &first, const QStringList &given,
                                 bool &positional)
{
    const SklearnGraphReader &reader = context.reader;
    positional = false;
    if (const auto names = reader.optionalAttribute(first, QStringLiteral("feature_names_in_"));
        names && !reader.isNone(*names)) {
        Result<QStringList> labels = reader.labels(*names, -1);
        if (!labels)
            return labels.error();
        if (labels.value().isEmpty()
            || QSet<QString>(labels.value().begin(), labels.value().end()).size() != labels.value().size())
            return SklearnGraphReader::at(*names, QStringLiteral("the feature names must be non-empty and distinct"));
        if (!given.isEmpty() && given != labels.value())
            return Error::invalid(QStringLiteral("the model records its feature names (%1); names may only be given for a model "
                                                 "fitted on an array")
                                      .arg(labels.value().join(QLatin1String(", "))));
        return labels;
    }
    Result<GraphRef> count = reader.attribute(first, QStringLiteral("n_features_in_"));
    if (!count)
        return count.error();
    Result<std::int64_t> n = reader.integer(count.value());
    if (!n)
        return n.error();
    if (n.value() < 1 || n.value() > 1'000'000)
        return SklearnGraphReader::at(count.value(), QStringLiteral("%1 features is out of range").arg(n.value()));
    if (!given.isEmpty()) {
        if (auto error = checkGivenNames(given, n.value()))
            return *error;
        return given;
    }
    QStringList names;
    for (std::int64_t i = 0; i < n.value(); ++i)
        names.append(QStringLiteral("x%1").arg(i));
    positional = true;
    return names;
}

// The steps of a Pipeline object: (name, estimator) tuples, their paths "steps[i]".
Result<std::vector<std::pair<QString, GraphRef>>> pipelineSteps(const ConversionContext &context, const GraphRef &pipeline)
{
    const SklearnGraphReader &reader = context.reader;
    Result<GraphRef> steps = reader.attribute(pipeline, QStringLiteral("steps"));
    if (!steps)
        return steps.error();
    Result<std::vector<GraphRef>> items = reader.items(steps.value());
    if (!items)
        return items.error();
    std::vector<std::pair<QString, GraphRef>> out;
    for (const GraphRef &item : items.value()) {
        Result<std::vector<GraphRef>> pair = reader.items(item);
        if (!pair || pair.value().size() != 2)
            return reader.mismatch(item, QStringLiteral("a (name, estimator) pair"));
        Result<QString> name = reader.text(pair.value()[0]);
        if (!name)
            return name.error();
        out.emplace_back(name.value(), GraphRef{pair.value()[1].id, item.path});
    }
    if (out.empty())
        return SklearnGraphReader::at(steps.value(), QStringLiteral("the pipeline has no steps"));
    return out;
}

// The transformer of a branch as a list of steps: a Pipeline's steps, or the transformer alone.
Result<std::vector<GraphRef>> branchSteps(ConversionContext &context, const GraphRef &transformer)
{
    if (context.sklearnClass(transformer) != kPipeline)
        return std::vector<GraphRef>{transformer};
    Result<std::vector<std::pair<QString, GraphRef>>> steps = pipelineSteps(context, transformer);
    if (!steps)
        return steps.error();
    context.record(transformer, QStringLiteral("branch steps"));
    std::vector<GraphRef> out;
    for (const auto &step : steps.value())
        out.push_back(step.second);
    return out;
}

// Builds one router branch from `steps` reading `columns`; categorical when a step encodes.
Result<RouterBranch> buildBranch(ConversionContext &context, const QString &name, const QStringList &columns,
                                 const std::vector<GraphRef> &steps, Inputs &inputs)
{
    RouterBranch branch;
    branch.name = name;
    branch.columns = columns;
    for (const GraphRef &step : steps)
        branch.categorical = branch.categorical || isSklearnEncoder(context.sklearnClass(step));
    Eigen::Index width = columns.size();
    bool categories = branch.categorical;
    for (const GraphRef &step : steps) {
        std::vector<QStringList> encoded;
        Result<std::unique_ptr<Transformer>> transformer = convertTransformer(context, step, width, categories, &encoded);
        if (!transformer)
            return transformer.error();
        if (transformer.value()->encodesCategories()) {
            if (!categories)
                return SklearnGraphReader::at(step, QStringLiteral("a second encoder in one branch is not supported"));
            for (qsizetype c = 0; c < columns.size(); ++c) {
                QStringList sorted = encoded[std::size_t(c)];
                std::sort(sorted.begin(), sorted.end());
                branch.vocabularies.push_back(sorted);
                inputs.categories[columns[c]] = sorted;
            }
            categories = false;
        }
        width = transformer.value()->outputColumns(width);
        branch.steps.push_back(std::move(transformer).value());
    }
    if (branch.categorical)
        for (const QString &column : columns)
            inputs.categorical.insert(column);
    return branch;
}

// Columns of a ColumnTransformer branch as feature names: a list of names or of positions (a
// list, tuple or integer array), or one name.
Result<QStringList> branchColumns(const ConversionContext &context, const GraphRef &ref, const QStringList &features)
{
    const SklearnGraphReader &reader = context.reader;
    const auto byPosition = [&](std::int64_t index) -> Result<QString> {
        if (index < 0 || index >= features.size())
            return SklearnGraphReader::at(
                ref, QStringLiteral("column %1 is outside the %2 input columns").arg(index).arg(features.size()));
        return features[qsizetype(index)];
    };
    QStringList columns;
    if (Result<QString> one = reader.text(ref))
        columns.append(one.value());
    else if (Result<std::vector<std::int64_t>> positions = reader.integers(ref, -1)) {
        for (const std::int64_t index : positions.value()) {
            Result<QString> column = byPosition(index);
            if (!column)
                return column.error();
            columns.append(column.value());
        }
    } else {
        Result<std::vector<GraphRef>> items = reader.items(ref);
        if (!items)
            return reader.mismatch(ref, QStringLiteral("a list of column names or positions"));
        for (const GraphRef &item : items.value()) {
            Result<QString> name = reader.text(item);
            Result<std::int64_t> index = reader.integer(item);
            Result<QString> column = name ? name
                : index                   ? byPosition(index.value())
                                          : Result<QString>(reader.mismatch(item, QStringLiteral("a column name or position")));
            if (!column)
                return column.error();
            columns.append(column.value());
        }
    }
    for (const QString &column : columns)
        if (!features.contains(column))
            return SklearnGraphReader::at(ref, QStringLiteral("column '%1' is not among the input features").arg(column));
    return columns;
}

// A fitted ColumnTransformer as a router: one branch per entry of transformers_ (the remainder
// included), 'drop' entries left out, 'passthrough' as a branch without steps.
Result<ColumnRouter> routerFromColumnTransformer(ConversionContext &context, const GraphRef &ref, const QStringList &features,
                                                 Inputs &inputs)
{
    const SklearnGraphReader &reader = context.reader;
    if (auto sparse = reader.optionalAttribute(ref, QStringLiteral("sparse_output_"))) {
        if (Result<bool> isSparse = reader.boolean(*sparse); isSparse && isSparse.value())
            return SklearnGraphReader::at(*sparse, QStringLiteral("sparse output is not supported"));
    }
    context.record(ref, QStringLiteral("column router"));
    Result<GraphRef> list = reader.attribute(ref, QStringLiteral("transformers_"));
    if (!list)
        return list.error();
    Result<std::vector<GraphRef>> entries = reader.items(list.value());
    if (!entries)
        return entries.error();
    ColumnRouter router;
    QSet<QString> used;
    for (const GraphRef &entry : entries.value()) {
        Result<std::vector<GraphRef>> parts = reader.items(entry);
        if (!parts || parts.value().size() != 3)
            return reader.mismatch(entry, QStringLiteral("a (name, transformer, columns) triple"));
        Result<QString> name = reader.text(parts.value()[0]);
        if (!name)
            return name.error();
        Result<QStringList> columns = branchColumns(context, parts.value()[2], features);
        if (!columns)
            return columns.error();
        const GraphRef transformer{parts.value()[1].id, entry.path};
        Result<QString> word = reader.text(transformer);
        if (columns.value().isEmpty() || (word && word.value() == QLatin1String("drop")))
            continue;
        for (const QString &column : columns.value()) {
            if (used.contains(column))
                return SklearnGraphReader::at(
                    entry, QStringLiteral("column '%1' is read by two branches; Plumb reads each column once").arg(column));
            used.insert(column);
        }
        std::vector<GraphRef> steps;
        if (word) {
            if (word.value() != QLatin1String("passthrough"))
                return reader.mismatch(transformer, QStringLiteral("a transformer, 'drop' or 'passthrough'"));
            context.record(transformer, QStringLiteral("router branch '%1' (passthrough)").arg(name.value()));
        } else {
            Result<std::vector<GraphRef>> found = branchSteps(context, transformer);
            if (!found)
                return found.error();
            steps = std::move(found).value();
        }
        Result<RouterBranch> branch = buildBranch(context, name.value(), columns.value(), steps, inputs);
        if (!branch)
            return branch.error();
        router.addBranch(std::move(branch).value());
    }
    return router;
}

// The output names of a restored router, as fitting names them: each branch's steps applied to
// an empty block of its columns.
QStringList routerOutputNames(const ColumnRouter &router)
{
    QStringList names;
    for (const RouterBranch &branch : router.branches()) {
        Block block;
        block.names = branch.columns;
        if (branch.categorical) {
            block.codes.assign(std::size_t(branch.columns.size()), {});
            block.vocabularies = branch.vocabularies;
        } else {
            block.numbers.resize(0, branch.columns.size());
        }
        TransformNotes notes;
        for (const auto &step : branch.steps)
            block = step->transform(block, notes);
        names += block.names;
    }
    return names;
}

std::vector<FeatureSpec> featureSpecs(const QStringList &names, const Inputs &inputs)
{
    std::vector<FeatureSpec> features;
    for (const QString &name : names) {
        FeatureSpec feature;
        feature.name = name;
        if (inputs.categorical.contains(name)) {
            feature.type = ColumnType::Categorical;
            const auto found = inputs.categories.find(name);
            if (found != inputs.categories.end())
                feature.categories = found->second;
        }
        feature.minimum = feature.maximum = std::nan("");
        features.push_back(feature);
    }
    return features;
}

Result<ImportedModel> importRoot(ConversionContext &context, ImportedModel &imported, const QStringList &givenNames)
{
    const SklearnGraphReader &reader = context.reader;
    const GraphRef root = reader.root();
    std::vector<GraphRef> steps{root};
    if (context.sklearnClass(root) == kPipeline) {
        Result<std::vector<std::pair<QString, GraphRef>>> found = pipelineSteps(context, root);
        if (!found)
            return found.error();
        steps.clear();
        for (const auto &step : found.value())
            steps.push_back(step.second);
        context.record(root, QStringLiteral("pipeline"));
    }
    const GraphRef estimator = steps.back();
    steps.pop_back();
    Result<QStringList> names = featureNames(context, steps.empty() ? estimator : steps.front(), givenNames,
                                             imported.positionalFeatures);
    if (!names)
        return names.error();
    Inputs inputs;
    ColumnRouter router;
    if (!steps.empty() && context.sklearnClass(steps.front()) == kColumnTransformer) {
        if (steps.size() > 1)
            return SklearnGraphReader::at(
                steps[1], QStringLiteral("steps after a ColumnTransformer are not supported; move them into its branches"));
        Result<ColumnRouter> built = routerFromColumnTransformer(context, steps.front(), names.value(), inputs);
        if (!built)
            return built.error();
        router = std::move(built).value();
    } else {
        Result<RouterBranch> branch = buildBranch(context, QStringLiteral("numeric"), names.value(), steps, inputs);
        if (!branch)
            return branch.error();
        router.addBranch(std::move(branch).value());
    }
    if (auto error = router.setRestoredOutputs(routerOutputNames(router)))
        return *error;
    Result<ConvertedModel> model = convertModel(context, estimator, router.outputNames().size());
    if (!model)
        return model.error();
    imported.pipeline.emplace(featureSpecs(names.value(), inputs), model.value().target, std::move(router),
                              std::move(model.value().model));
    return std::move(imported);
}

} // namespace

void ConversionContext::record(const GraphRef &ref, const QString &component)
{
    components.push_back({ref.path.isEmpty() ? QStringLiteral("(root)") : ref.path, reader.className(ref), component});
}

QString ConversionContext::sklearnClass(const GraphRef &ref) const
{
    const PickleValue &value = reader.value(ref);
    if (value.kind != PickleValue::Kind::Object || !value.module.startsWith(QLatin1String("sklearn.")))
        return {};
    return value.name;
}

TargetSpec regressorTarget()
{
    return {QStringLiteral("target"), ColumnType::Float, Task::Regression, {}};
}

Result<TargetSpec> classifierTarget(const ConversionContext &context, const GraphRef &estimator)
{
    Result<GraphRef> ref = context.reader.attribute(estimator, QStringLiteral("classes_"));
    if (!ref)
        return ref.error();
    Result<QStringList> classes = context.reader.labels(ref.value(), -1);
    if (!classes)
        return classes.error();
    if (classes.value().size() < 2
        || QSet<QString>(classes.value().begin(), classes.value().end()).size() != classes.value().size())
        return SklearnGraphReader::at(ref.value(), QStringLiteral("a classifier needs two or more distinct classes"));
    const char kind = context.reader.value(ref.value()).array.dtype.kind;
    const ColumnType type = kind == 'O' ? ColumnType::Categorical
        : kind == 'f'                   ? ColumnType::Float
        : kind == 'b'                   ? ColumnType::Boolean
                                        : ColumnType::Integer;
    return TargetSpec{QStringLiteral("target"), type, Task::Classification, classes.value()};
}

std::optional<Error> checkFeatureCount(const ConversionContext &context, const GraphRef &estimator, Eigen::Index inputs)
{
    const auto count = context.reader.optionalAttribute(estimator, QStringLiteral("n_features_in_"));
    if (!count)
        return std::nullopt;
    Result<std::int64_t> n = context.reader.integer(*count);
    if (!n)
        return n.error();
    if (n.value() != inputs)
        return SklearnGraphReader::at(
            *count, QStringLiteral("the estimator was fitted on %1 features, but receives %2").arg(n.value()).arg(inputs));
    return std::nullopt;
}

Result<ConvertedModel> restoreModel(ConversionContext &context, const GraphRef &ref, const QString &kind, TargetSpec target,
                                    const ComponentState &state, Eigen::Index inputs)
{
    std::unique_ptr<Model> model = createModel(kind, target.task);
    if (!model)
        return SklearnGraphReader::at(ref, QStringLiteral("Plumb's %1 cannot do this task").arg(kind));
    if (auto error = model->restore(state))
        return SklearnGraphReader::at(ref, error->message);
    if (model->featureCount() != inputs)
        return SklearnGraphReader::at(
            ref,
            QStringLiteral("the model takes %1 features, but the preprocessing gives %2").arg(model->featureCount()).arg(inputs));
    if (target.task == Task::Classification && model->rowOutputs() != target.classes.size())
        return SklearnGraphReader::at(ref,
                                      QStringLiteral("the model gives %1 class probabilities for %2 classes in classes_")
                                          .arg(model->rowOutputs())
                                          .arg(target.classes.size()));
    context.record(ref, kind);
    return ConvertedModel{std::move(model), std::move(target)};
}

Result<ConvertedModel> convertModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const QString name = context.sklearnClass(ref);
    if (auto error = checkFeatureCount(context, ref, inputs))
        return *error;
    if (name == QLatin1String("LinearRegression") || name == QLatin1String("Ridge") || name == QLatin1String("Lasso")
        || name == QLatin1String("ElasticNet") || name == QLatin1String("LogisticRegression"))
        return convertLinearModel(context, ref, inputs);
    if (name.startsWith(QLatin1String("DecisionTree")) || name.startsWith(QLatin1String("RandomForest")))
        return convertTreeModel(context, ref, inputs);
    if (name.startsWith(QLatin1String("HistGradientBoosting")))
        return convertBoostedModel(context, ref, inputs);
    if (name.startsWith(QLatin1String("KNeighbors")))
        return convertNeighboursModel(context, ref, inputs);
    if (name == QLatin1String("GaussianNB"))
        return convertNaiveBayesModel(context, ref, inputs);
    return context.reader.mismatch(
        ref, QStringLiteral("a supported estimator (linear, tree, forest, boosting, neighbours or GaussianNB)"));
}

QJsonArray ImportedModel::conversionJson() const
{
    QJsonArray array;
    for (const ConvertedComponent &component : components)
        array.append(QJsonObject{{QStringLiteral("path"), component.path},
                                 {QStringLiteral("class"), component.sourceClass},
                                 {QStringLiteral("component"), component.component}});
    return array;
}

Result<ImportedModel> importSklearn(const PickleScanReport &report, const QStringList &featureNames)
{
    if (!report.isImportable())
        return Error::invalid(
            QStringLiteral("the file is %1, not importable: %2").arg(verdictName(report.verdict), report.reason));
    if (!report.graph.contains(report.graph.root()))
        return Error::invalid(QStringLiteral("the scan holds no root object"));
    SklearnGraphReader reader(report.graph);
    ImportedModel imported;
    ConversionContext context{reader, imported.components, imported.warnings};
    return importRoot(context, imported, featureNames);
}

} // namespace plumb
