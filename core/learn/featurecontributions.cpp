#include "learn/featurecontributions.h"

#include "learn/encoders.h"
#include "learn/gradientboosting.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/treemodels.h"

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

// Saabas (2014), "Interpreting random forests": walking a row's path, each split's feature is
// credited with the change of the node value from parent to child; the leaf value is the root
// value plus those changes. A forest averages its trees.
Eigen::VectorXd treePathTerms(const TreeEnsemble &model, const Eigen::VectorXd &x, int output, double &base)
{
    Eigen::VectorXd terms = Eigen::VectorXd::Zero(x.size());
    base = 0;
    for (const Tree &tree : model.trees()) {
        std::int32_t node = 0;
        base += tree.values(0)[output];
        while (tree.nodes()[std::size_t(node)].feature >= 0) {
            const Tree::Node &test = tree.nodes()[std::size_t(node)];
            const std::int32_t child = test.child(x[test.feature]);
            terms[test.feature] += tree.values(child)[output] - tree.values(node)[output];
            node = child;
        }
    }
    const auto count = double(model.trees().size());
    base /= count;
    return terms / count;
}

// Boosting explains the raw score: the prediction (regression), the log-odds of class 1 (two
// classes; class 0's is its negation) or a class's softmax logit.
Result<FeatureContributions> explainBoosting(const Pipeline &pipeline, const GradientBoosting &model, const Eigen::VectorXd &inputs,
                                             int classIndex, const std::vector<int> &sources)
{
    const BoostedTrees &trees = model.trees();
    if (!trees.hasNodeCovers())
        return Error::invalid(QStringLiteral("contributions need the training rows per tree node, which this model file does "
                                             "not store; train the model again to see them"));
    const bool binary = trees.outputs() == 1 && model.task() == Task::Classification;
    const int output = trees.outputs() == 1 ? 0 : std::clamp(classIndex, 0, trees.outputs() - 1);
    const double sign = binary && classIndex == 0 ? -1.0 : 1.0;
    Eigen::VectorXd terms = Eigen::VectorXd::Zero(inputs.size());
    FeatureContributions result;
    result.method = FeatureContributions::Method::TreePath;
    if (model.task() == Task::Regression)
        result.output = QStringLiteral("prediction");
    else
        result.output = QStringLiteral("%1 of %2").arg(binary ? QStringLiteral("log-odds") : QStringLiteral("logit"),
                                                       className(pipeline, binary ? classIndex : output));
    result.base = sign * trees.explainRow(inputs.data(), output, terms.data());
    result.values = groupByFeature(sign * terms, sources, pipeline.features().size());
    return result;
}

} // namespace

QString FeatureContributions::methodName() const
{
    return method == Method::Linear ? QStringLiteral("exact, linear") : QStringLiteral("Saabas path attribution");
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
                return Error::invalid(QStringLiteral("branch '%1' reads '%2', which is not a feature").arg(branch.name, branch.columns[c]));
            sources.insert(sources.end(), std::size_t(widths[std::size_t(c)]), feature);
        }
    }
    if (qsizetype(sources.size()) != pipeline.router().outputNames().size())
        return Error::invalid(QStringLiteral("the preprocessing has %1 outputs, but %2 were traced")
                                  .arg(pipeline.router().outputNames().size()).arg(sources.size()));
    return sources;
}

Result<FeatureContributions> explainRow(const Pipeline &pipeline, const Eigen::VectorXd &inputs, int classIndex)
{
    const Model &model = pipeline.model();
    if (inputs.size() != model.featureCount())
        return Error::invalid(QStringLiteral("the row has %1 model inputs; the model takes %2").arg(inputs.size()).arg(model.featureCount()));
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
        result.output = QStringLiteral("%1 of %2").arg(binary ? QStringLiteral("log-odds") : QStringLiteral("logit"),
                                                       className(pipeline, binary ? classIndex : column));
        result.base = sign * logistic->intercepts()[column];
        result.values = groupByFeature(sign * w.col(column).cwiseProduct(inputs), sources.value(), featureCount);
        return result;
    }
    if (const auto *trees = dynamic_cast<const TreeEnsemble *>(&model); trees && trees->isFitted()) {
        const bool classifier = model.task() == Task::Classification;
        const int output = classifier ? std::clamp(classIndex, 0, int(model.rowOutputs()) - 1) : 0;
        result.method = FeatureContributions::Method::TreePath;
        result.output = classifier ? QStringLiteral("probability of %1").arg(className(pipeline, output)) : QStringLiteral("prediction");
        result.values = groupByFeature(treePathTerms(*trees, inputs, output, result.base), sources.value(), featureCount);
        return result;
    }
    if (const auto *boosting = dynamic_cast<const GradientBoosting *>(&model); boosting && boosting->isFitted())
        return explainBoosting(pipeline, *boosting, inputs, classIndex, sources.value());
    return Error::invalid(QStringLiteral("contributions are not available for %1 models").arg(model.kind()));
}

} // namespace plumb
