#include "learn/shapexplainer.h"

#include "learn/encoders.h"
#include "learn/gradientboosting.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/treemodels.h"

#include <QHash>

namespace plumb {

namespace {

QString quoted(const QString &label)
{
    return QStringLiteral("'%1'").arg(label);
}

const TreeEnsemble *treeModel(const Model &model)
{
    const auto *trees = dynamic_cast<const TreeEnsemble *>(&model);
    return trees && trees->isFitted() ? trees : nullptr;
}

const GradientBoosting *boostingModel(const Model &model)
{
    const auto *boosting = dynamic_cast<const GradientBoosting *>(&model);
    return boosting && boosting->isFitted() ? boosting : nullptr;
}

} // namespace

Result<std::vector<int>> inputSources(const Pipeline &pipeline)
{
    QHash<QString, int> featureIndex;
    for (std::size_t f = 0; f < pipeline.features().size(); ++f)
        featureIndex.insert(pipeline.features()[f].name, int(f));
    std::vector<int> sources;
    for (const RouterBranch &branch : pipeline.router().branches()) {
        // Output columns per input column: one each, unless a one-hot encoder widens them.
        std::vector<Eigen::Index> widths(std::size_t(branch.columns.size()), 1);
        for (const auto &step : branch.steps) {
            if (const auto *oneHot = dynamic_cast<const OneHotEncoder *>(step.get())) {
                for (std::size_t c = 0; c < widths.size() && c < oneHot->categories().size(); ++c)
                    widths[c] = oneHot->categories()[c].size() + (oneHot->hasInfrequent()[c] ? 1 : 0);
            } else if (step->outputColumns(branch.columns.size()) != branch.columns.size()) {
                return Error::invalid(QStringLiteral("branch '%1': the outputs of %2 cannot be traced to its inputs")
                                          .arg(branch.name, step->kind()));
            }
        }
        for (qsizetype c = 0; c < branch.columns.size(); ++c) {
            const int feature = featureIndex.value(branch.columns[c], -1);
            if (feature < 0)
                return Error::invalid(
                    QStringLiteral("branch '%1' reads '%2', which is not a feature").arg(branch.name, branch.columns[c]));
            sources.insert(sources.end(), std::size_t(widths[std::size_t(c)]), feature);
        }
    }
    if (qsizetype(sources.size()) != pipeline.router().outputNames().size())
        return Error::invalid(QStringLiteral("the preprocessing has %1 outputs, but %2 were traced")
                                  .arg(pipeline.router().outputNames().size())
                                  .arg(sources.size()));
    return sources;
}

ShapAvailability ShapExplainer::availability(const Pipeline &pipeline, bool haveMeans)
{
    const Model &model = pipeline.model();
    const bool linear = dynamic_cast<const LinearRegressor *>(&model) || dynamic_cast<const LogisticRegression *>(&model);
    if (!linear && !treeModel(model) && !boostingModel(model))
        return ShapAvailability::NotForModelKind;
    if (const GradientBoosting *boosting = boostingModel(model); boosting && !boosting->trees().hasNodeCovers())
        return ShapAvailability::NeedsNodeCovers;
    if (linear && !haveMeans)
        return ShapAvailability::NeedsTrainingMeans;
    if (!inputSources(pipeline))
        return ShapAvailability::UntraceableInputs;
    return ShapAvailability::Exact;
}

QString ShapExplainer::unavailableReason(const Pipeline &pipeline, ShapAvailability availability, bool fileHasImportance)
{
    const QString importance = fileHasImportance
        ? QStringLiteral(" The permutation importance stored in the model file is available instead: it says which features "
                         "the model relies on overall, measured on the validation rows at training.")
        : QString();
    switch (availability) {
    case ShapAvailability::Exact:
        return {};
    case ShapAvailability::NotForModelKind:
        return QStringLiteral("SHAP values are not available for %1 models: only trees, forests, boosting and linear models "
                              "are explained exactly.%2")
            .arg(pipeline.model().kind(), importance);
    case ShapAvailability::NeedsNodeCovers:
        return QStringLiteral("SHAP values need each tree node's training cover, which this model file does not store: it "
                              "was saved by an earlier version of Plumb. Train the model again with this version (or import "
                              "it again) to get SHAP values.%1")
            .arg(importance);
    case ShapAvailability::NeedsTrainingMeans:
        return QStringLiteral("SHAP values of a %1 model need the training mean of each input.%2")
            .arg(pipeline.model().kind(), importance);
    case ShapAvailability::UntraceableInputs:
        return QStringLiteral("SHAP values cannot be summed back to the features: %1.%2")
            .arg(inputSources(pipeline).error().message, importance);
    }
    return {};
}

Result<ShapExplainer> ShapExplainer::create(const Pipeline &pipeline, const Eigen::VectorXd &inputMeans)
{
    const Model &model = pipeline.model();
    switch (availability(pipeline, inputMeans.size() > 0)) {
    case ShapAvailability::Exact:
        break;
    case ShapAvailability::NotForModelKind:
    case ShapAvailability::NeedsNodeCovers:
        return Error::invalid(unavailableReason(pipeline, availability(pipeline, false), false));
    case ShapAvailability::NeedsTrainingMeans:
        return Error::invalid(QStringLiteral("SHAP values of a %1 model need the training mean of each input").arg(model.kind()));
    case ShapAvailability::UntraceableInputs:
        return inputSources(pipeline).error();
    }
    ShapExplainer explainer;
    explainer.mPipeline = &pipeline;
    explainer.mSources = inputSources(pipeline).value();
    explainer.mFeatureCount = pipeline.features().size();
    const int features = int(model.featureCount());
    const QStringList &classes = pipeline.target().classes;
    const bool classifier = model.task() == Task::Classification;
    const int classCount = classifier ? int(model.rowOutputs()) : 1;
    std::vector<double> internalBase;
    if (const TreeEnsemble *trees = treeModel(model)) {
        const int outputs = int(model.rowOutputs());
        explainer.mTrees = TreeShap(shapTrees(trees->trees()), features, outputs, 1.0 / double(trees->trees().size()), {});
        explainer.mSpace = classifier ? QStringLiteral("probability") : QStringLiteral("value");
        internalBase = explainer.mTrees.baseValues();
    } else if (const GradientBoosting *boosting = boostingModel(model)) {
        const BoostedTrees &bt = boosting->trees();
        explainer.mTrees = TreeShap(shapTrees(bt), features, bt.outputs(), 1.0, bt.baseline());
        explainer.mSpace = !classifier ? QStringLiteral("value")
            : bt.outputs() == 1        ? QStringLiteral("log-odds")
                                       : QStringLiteral("logit");
        internalBase = explainer.mTrees.baseValues();
    } else {
        explainer.mMethod = ShapMethod::LinearShap;
        explainer.mMeans = inputMeans;
        Eigen::VectorXd intercepts;
        if (const auto *linear = dynamic_cast<const LinearRegressor *>(&model)) {
            explainer.mWeights = linear->coefficients();
            intercepts = Eigen::VectorXd::Constant(1, linear->intercept());
            explainer.mSpace = QStringLiteral("value");
        } else {
            const auto *logistic = static_cast<const LogisticRegression *>(&model);
            explainer.mWeights = logistic->coefficients();
            intercepts = logistic->intercepts();
            explainer.mSpace = explainer.mWeights.cols() == 1 ? QStringLiteral("log-odds") : QStringLiteral("logit");
        }
        if (inputMeans.size() != explainer.mWeights.rows())
            return Error::invalid(QStringLiteral("%1 training means were given for %2 model inputs")
                                      .arg(inputMeans.size())
                                      .arg(explainer.mWeights.rows()));
        for (Eigen::Index o = 0; o < explainer.mWeights.cols(); ++o)
            internalBase.push_back(intercepts[o] + explainer.mWeights.col(o).dot(inputMeans));
    }
    // Which internal outputs are shown: two-class trees explain the second class's probability
    // (the first's contributions are its negation); a one-output raw score is the second class's
    // log-odds; otherwise every output.
    const int internalOutputs = int(internalBase.size());
    const int first = classifier && classCount == 2 && internalOutputs == 2 ? 1 : 0;
    for (int o = first; o < internalOutputs; ++o) {
        explainer.mShown.push_back(o);
        explainer.mBase.push_back(internalBase[std::size_t(o)]);
        const int classIndex = !classifier ? -1 : internalOutputs == 1 ? 1 : o;
        const QString label = classIndex < 0 ? QStringLiteral("prediction") : classes.value(classIndex);
        explainer.mLabels.append(label);
        explainer.mOutputs.append(classIndex < 0 ? QStringLiteral("prediction")
                                                 : QStringLiteral("%1 of %2").arg(explainer.mSpace, quoted(label)));
    }
    const bool several = explainer.mOutputs.size() > 1;
    for (const QString &label : explainer.mLabels) {
        const QString suffix = several ? QStringLiteral("@") + label : QString();
        for (const FeatureSpec &feature : pipeline.features())
            explainer.mColumns.append(QStringLiteral("shap:") + feature.name + suffix);
        explainer.mColumns.append(QStringLiteral("shap:base") + suffix);
    }
    return explainer;
}

void ShapExplainer::explainColumns(const double *inputs, double *out) const
{
    const std::size_t outputs = mShown.size();
    std::vector<double> phi(mFeatureCount * outputs);
    explain(inputs, phi.data());
    for (std::size_t o = 0; o < outputs; ++o) {
        for (std::size_t f = 0; f < mFeatureCount; ++f)
            *out++ = phi[f * outputs + o];
        *out++ = mBase[o];
    }
}

void ShapExplainer::explain(const double *inputs, double *phi) const
{
    const std::size_t shown = mShown.size();
    std::fill(phi, phi + mFeatureCount * shown, 0.0);
    if (mMethod == ShapMethod::LinearShap) {
        // Lundberg & Lee (2017), linear SHAP: with independent inputs, input j's Shapley value is
        // w_j (x_j - E[x_j]), and the values add up to f(x) - E[f(x)].
        for (std::size_t j = 0; j < mSources.size(); ++j) {
            const double centred = inputs[j] - mMeans[Eigen::Index(j)];
            for (std::size_t o = 0; o < shown; ++o)
                phi[std::size_t(mSources[j]) * shown + o] += mWeights(Eigen::Index(j), mShown[o]) * centred;
        }
        return;
    }
    const std::size_t outputs = std::size_t(mTrees.outputCount());
    std::vector<double> perInput(mSources.size() * outputs, 0.0);
    mTrees.explain(inputs, perInput.data());
    for (std::size_t j = 0; j < mSources.size(); ++j)
        for (std::size_t o = 0; o < shown; ++o)
            phi[std::size_t(mSources[j]) * shown + o] += perInput[j * outputs + std::size_t(mShown[o])];
}

Result<ShapValues> ShapExplainer::explainRow(const Eigen::VectorXd &inputs) const
{
    if (inputs.size() != Eigen::Index(mSources.size()))
        return Error::invalid(
            QStringLiteral("the row has %1 model inputs; the model takes %2").arg(inputs.size()).arg(mSources.size()));
    ShapValues values;
    values.method = mMethod;
    values.space = mSpace;
    values.outputs = mOutputs;
    values.base = mBase;
    values.values.resize(mFeatureCount * mShown.size());
    explain(inputs.data(), values.values.data());
    return values;
}

Result<Eigen::VectorXd> inputMeans(const Pipeline &pipeline, const Dataset &data, const std::vector<std::size_t> &rows)
{
    if (auto error = pipeline.checkInput(data))
        return *error;
    TransformNotes notes;
    const Eigen::MatrixXd X = pipeline.router().transform(data, rows, notes);
    if (X.rows() == 0)
        return Error::invalid(QStringLiteral("the training means need at least one row"));
    return Eigen::VectorXd(X.colwise().mean().transpose());
}

namespace {

// One value of a feature and how many training rows had it (NaN / empty text: missing).
struct WeightedValue
{
    double number;
    QString category;
    double weight;
};

Result<std::vector<WeightedValue>> profileValues(const FeatureSpec &feature, const ColumnProfile &profile)
{
    std::vector<WeightedValue> values;
    if (feature.type == ColumnType::Categorical) {
        std::size_t listed = 0;
        for (const ColumnProfile::Category &category : profile.topCategories) {
            values.push_back({0, category.value, double(category.count)});
            listed += category.count;
        }
        if (listed != profile.count)
            return Error::invalid(
                QStringLiteral("the reference profile keeps only the %1 most frequent categories of '%2', so the "
                               "training means of its inputs are unknown")
                    .arg(profile.topCategories.size())
                    .arg(feature.name));
    } else if (feature.type == ColumnType::Boolean && profile.count > 0) {
        // A boolean is one-hot encoded, which is not affine in its value: weigh false and true by
        // their counts (the mean is the fraction of true) instead of encoding the mean.
        values.push_back({0.0, {}, double(profile.count) * (1.0 - profile.mean)});
        values.push_back({1.0, {}, double(profile.count) * profile.mean});
    } else if (profile.count > 0) {
        values.push_back({profile.mean, {}, double(profile.count)});
    }
    if (profile.missing > 0)
        values.push_back({std::nan(""), {}, double(profile.missing)});
    if (values.empty())
        return Error::invalid(QStringLiteral("the reference profile of '%1' has no rows").arg(feature.name));
    return values;
}

} // namespace

Result<Eigen::VectorXd> inputMeansFromProfile(const Pipeline &pipeline, const std::vector<ColumnProfile> &profiles)
{
    Result<std::vector<int>> sources = inputSources(pipeline);
    if (!sources)
        return sources.error();
    const std::vector<FeatureSpec> &features = pipeline.features();
    const auto profileOf = [&](const QString &name) -> const ColumnProfile * {
        for (const ColumnProfile &profile : profiles)
            if (profile.name == name)
                return &profile;
        return nullptr;
    };
    Eigen::VectorXd means = Eigen::VectorXd::Zero(Eigen::Index(sources.value().size()));
    for (std::size_t f = 0; f < features.size(); ++f) {
        const ColumnProfile *profile = profileOf(features[f].name);
        if (!profile)
            return Error::invalid(QStringLiteral("the reference profile has no column '%1'").arg(features[f].name));
        Result<std::vector<WeightedValue>> values = profileValues(features[f], *profile);
        if (!values)
            return values.error();
        // A dataset whose feature f takes each value once; the other features hold any valid
        // value (their outputs are not read: the preprocessing keeps features apart).
        Dataset data;
        for (std::size_t g = 0; g < features.size(); ++g) {
            Column column(features[g].name, features[g].type);
            for (const WeightedValue &value : values.value()) {
                if (features[g].type != ColumnType::Categorical) {
                    column.numbers().push_back(g == f ? value.number : 0.0);
                    continue;
                }
                const QString text = g == f ? value.category : features[g].categories.value(0);
                if (!text.isEmpty() && !column.categories().contains(text))
                    column.categories().append(text);
                column.codes().push_back(text.isEmpty() ? -1 : std::int32_t(column.categories().indexOf(text)));
            }
            data.addColumn(std::move(column));
        }
        TransformNotes notes;
        const Eigen::MatrixXd X = pipeline.router().transform(data, {}, notes);
        double total = 0;
        for (const WeightedValue &value : values.value())
            total += value.weight;
        for (std::size_t j = 0; j < sources.value().size(); ++j)
            if (sources.value()[j] == int(f))
                for (std::size_t r = 0; r < values.value().size(); ++r)
                    means[Eigen::Index(j)] += values.value()[r].weight / total * X(Eigen::Index(r), Eigen::Index(j));
    }
    return means;
}

} // namespace plumb
