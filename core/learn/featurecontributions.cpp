#include "learn/featurecontributions.h"

#include "learn/encoders.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/shapexplainer.h"

#include <QHash>

#include <algorithm>

namespace plumb {

namespace {

// Sums per-input terms into per-feature totals.
std::vector<double> groupByFeature(const Eigen::VectorXd &terms, const std::vector<int> &sources, std::size_t features)
{
    std::vector<double> totals(features, 0.0);
    for (Eigen::Index i = 0; i < terms.size(); ++i)
        totals[std::size_t(sources[std::size_t(i)])] += terms[i];
    return totals;
}

QString className(const Pipeline &pipeline, int classIndex)
{
    return QStringLiteral("'%1'").arg(pipeline.target().classes.value(classIndex));
}

// TreeSHAP of one class. The explainer gives every class of three or more, and the second of
// two; the first of two is its complement: probability 1 - p, or log-odds -l.
Result<FeatureContributions> explainTrees(const Pipeline &pipeline, const Eigen::VectorXd &inputs, int classIndex)
{
    Result<ShapExplainer> explainer = ShapExplainer::create(pipeline);
    if (!explainer)
        return explainer.error();
    Result<ShapValues> shap = explainer.value().explainRow(inputs);
    if (!shap)
        return shap.error();
    const ShapValues &v = shap.value();
    const int outputs = v.outputCount();
    const bool complement = outputs == 1 && pipeline.model().task() == Task::Classification && classIndex == 0;
    const int output = outputs == 1 ? 0 : std::clamp(classIndex, 0, outputs - 1);
    FeatureContributions result;
    result.method = FeatureContributions::Method::TreeShap;
    result.output = complement ? QStringLiteral("%1 of %2").arg(v.space, className(pipeline, 0)) : v.outputs[output];
    const bool probability = v.space == QLatin1String("probability");
    result.base = complement ? (probability ? 1 - v.base[0] : -v.base[0]) : v.base[std::size_t(output)];
    for (std::size_t f = 0; f < pipeline.features().size(); ++f)
        result.values.push_back(complement ? -v.value(f, 0) : v.value(f, std::size_t(output)));
    return result;
}

} // namespace

QString FeatureContributions::methodName() const
{
    return method == Method::Linear ? QStringLiteral("exact, linear") : QStringLiteral("exact TreeSHAP");
}

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

Result<FeatureContributions> explainRow(const Pipeline &pipeline, const Eigen::VectorXd &inputs, int classIndex)
{
    const Model &model = pipeline.model();
    if (inputs.size() != model.featureCount())
        return Error::invalid(
            QStringLiteral("the row has %1 model inputs; the model takes %2").arg(inputs.size()).arg(model.featureCount()));
    Result<std::vector<int>> sources = inputSources(pipeline);
    if (!sources)
        return sources.error();
    const std::size_t featureCount = pipeline.features().size();
    FeatureContributions result;
    if (const auto *linear = dynamic_cast<const LinearRegressor *>(&model)) {
        result.output = QStringLiteral("prediction");
        result.base = linear->intercept();
        result.values = groupByFeature(linear->coefficients().cwiseProduct(inputs), sources.value(), featureCount);
        return result;
    }
    if (const auto *logistic = dynamic_cast<const LogisticRegression *>(&model)) {
        const Eigen::MatrixXd &w = logistic->coefficients();
        // Two classes: one vector, the log-odds of class 1; class 0's log-odds is its negation.
        const bool binary = w.cols() == 1;
        const int column = binary ? 0 : std::clamp(classIndex, 0, int(w.cols()) - 1);
        const double sign = binary && classIndex == 0 ? -1.0 : 1.0;
        result.output = QStringLiteral("%1 of %2")
                            .arg(binary ? QStringLiteral("log-odds") : QStringLiteral("logit"),
                                 className(pipeline, binary ? classIndex : column));
        result.base = sign * logistic->intercepts()[column];
        result.values = groupByFeature(sign * w.col(column).cwiseProduct(inputs), sources.value(), featureCount);
        return result;
    }
    if (ShapExplainer::availability(pipeline, false) != ShapAvailability::NotForModelKind)
        return explainTrees(pipeline, inputs, classIndex);
    return Error::invalid(QStringLiteral("contributions are not available for %1 models").arg(model.kind()));
}

} // namespace plumb
