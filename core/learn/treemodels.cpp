#include "learn/treemodels.h"

#include "base/parallel.h"
#include "base/random.h"
#include "learn/metrics.h"

#include <atomic>
#include <cmath>

namespace plumb {

namespace {

const QString kCriterion = QStringLiteral("criterion");
const QString kMaxDepth = QStringLiteral("max_depth");
const QString kMinSamplesSplit = QStringLiteral("min_samples_split");
const QString kMinSamplesLeaf = QStringLiteral("min_samples_leaf");
const QString kMaxFeatures = QStringLiteral("max_features");
const QString kClassWeight = QStringLiteral("class_weight");
const QString kTrees = QStringLiteral("n_estimators");
const QString kBootstrap = QStringLiteral("bootstrap");
const QString kOutOfBag = QStringLiteral("oob_score");
constexpr Eigen::Index kPredictBlock = 1024; // rows scored together, tree after tree, so each tree stays in cache
constexpr double kMaxRows = 2147483647.0; // row indices are 32-bit

} // namespace

std::vector<ParamSpec> TreeEnsemble::treeParams(Task task, const QString &defaultMaxFeatures)
{
    std::vector<ParamSpec> schema;
    if (task == Task::Classification)
        schema.push_back(choiceParam(kCriterion, QStringLiteral("gini"), {QStringLiteral("gini"), QStringLiteral("entropy")},
                                     QStringLiteral("How a split's quality is measured: Gini impurity or entropy.")));
    else
        schema.push_back(choiceParam(kCriterion, QStringLiteral("squared_error"), {QStringLiteral("squared_error")},
                                     QStringLiteral("How a split's quality is measured: the decrease in squared error.")));
    schema.push_back(integerParam(kMaxDepth, 0, 0, 10000, QStringLiteral("Deepest level a tree may reach (0: no limit).")));
    schema.push_back(integerParam(kMinSamplesSplit, 2, 2, kMaxRows, QStringLiteral("Fewest rows a node needs to be split.")));
    schema.push_back(
        integerParam(kMinSamplesLeaf, 1, 1, kMaxRows, QStringLiteral("Fewest rows each side of a split must keep.")));
    schema.push_back(choiceParam(kMaxFeatures, defaultMaxFeatures,
                                 {QStringLiteral("all"), QStringLiteral("sqrt"), QStringLiteral("log2")},
                                 QStringLiteral("Features tried at each node: all, or a random square-root or log2 share.")));
    if (task == Task::Classification)
        schema.push_back(choiceParam(kClassWeight, QStringLiteral("none"), {QStringLiteral("none"), QStringLiteral("balanced")},
                                     QStringLiteral("balanced weighs each class inversely to its frequency.")));
    schema.push_back(
        integerParam(QLatin1String(kSeedParam), 0, 0, double(kMaxSeed), QStringLiteral("Seed for the random choices.")));
    return schema;
}

GrowthLimits TreeEnsemble::growthLimits(Eigen::Index features) const
{
    GrowthLimits limits;
    const QString criterion = mParams.choice(kCriterion);
    limits.criterion = criterion == QLatin1String("entropy") ? SplitCriterion::Entropy
        : criterion == QLatin1String("squared_error")        ? SplitCriterion::SquaredError
                                                             : SplitCriterion::Gini;
    limits.maxDepth = int(mParams.integer(kMaxDepth));
    limits.minSamplesSplit = mParams.integer(kMinSamplesSplit);
    limits.minSamplesLeaf = mParams.integer(kMinSamplesLeaf);
    const QString maxFeatures = mParams.choice(kMaxFeatures);
    if (maxFeatures == QLatin1String("sqrt"))
        limits.maxFeatures = std::max<Eigen::Index>(1, Eigen::Index(std::sqrt(double(features))));
    else if (maxFeatures == QLatin1String("log2"))
        limits.maxFeatures = std::max<Eigen::Index>(1, Eigen::Index(std::log2(double(features))));
    else
        limits.maxFeatures = features;
    return limits;
}

Result<GrowthTarget> TreeEnsemble::growthTarget(const Eigen::MatrixXd &X, const FitTarget &y) const
{
    if (auto error = checkFitInput(kind(), mTask, X, y))
        return *error;
    if (double(X.rows()) > kMaxRows)
        return Error::invalid(QStringLiteral("%1: at most %2 rows").arg(kind()).arg(kMaxRows));
    GrowthTarget target;
    target.weights.assign(std::size_t(X.rows()), 1.0);
    if (y.weights.size() > 0)
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            target.weights[std::size_t(i)] = y.weights[i];
    if (mTask == Task::Regression) {
        target.values = &y.values;
        return target;
    }
    target.classes = &y.classes;
    target.classCount = y.classCount;
    if (mParams.choice(kClassWeight) == QLatin1String("balanced")) {
        std::vector<double> count(std::size_t(y.classCount), 0.0);
        for (int label : y.classes)
            ++count[std::size_t(label)];
        for (std::size_t i = 0; i < target.weights.size(); ++i) {
            const double classCount = count[std::size_t(y.classes[i])];
            target.weights[i] *= double(y.classes.size()) / (double(y.classCount) * classCount);
        }
    }
    return target;
}

Result<TreeEnsemble::Growth> TreeEnsemble::prepareGrowth(const Eigen::MatrixXd &X, const FitTarget &y,
                                                         ProgressSink &progress) const
{
    Result<GrowthTarget> target = growthTarget(X, y);
    if (!target)
        return target.error();
    progress.setProgress(0.0, QStringLiteral("Sorting features"));
    const GrowthLimits limits = growthLimits(X.cols());
    return Growth{std::move(target).value(), limits, SortedFeatures(X, sortsEachNode(limits, X.cols())),
                  std::uint64_t(mParams.integer(QLatin1String(kSeedParam)))};
}

void TreeEnsemble::setFitted(std::vector<Tree> trees, Eigen::VectorXd importances, Eigen::Index features, int classes)
{
    mTrees = std::move(trees);
    mImportances = std::move(importances);
    mFeatureCount = features;
    mClassCount = classes;
}

void TreeEnsemble::clearFitted()
{
    setFitted({}, Eigen::VectorXd(), 0, 0);
}

void TreeEnsemble::sumTreeOutputs(const Eigen::MatrixXd &X, Eigen::Index first, Eigen::Index count, Eigen::MatrixXd &sums) const
{
    const Eigen::Index outputs = rowOutputs();
    sums.setZero(count, outputs);
    for (const Tree &tree : mTrees)
        for (Eigen::Index i = 0; i < count; ++i) {
            const double *values = tree.values(tree.leafOf(X, first + i));
            for (Eigen::Index o = 0; o < outputs; ++o)
                sums(i, o) += values[o];
        }
}

Eigen::MatrixXd TreeEnsemble::predictProba(const Eigen::MatrixXd &X) const
{
    if (mTask != Task::Classification)
        return {};
    Eigen::MatrixXd out(X.rows(), mClassCount);
    const Eigen::Index blocks = (X.rows() + kPredictBlock - 1) / kPredictBlock;
    const double treeCount = double(mTrees.size());
    parallelFor(std::size_t(blocks), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kPredictBlock;
        const Eigen::Index count = std::min(kPredictBlock, X.rows() - first);
        Eigen::MatrixXd sums;
        sumTreeOutputs(X, first, count, sums);
        out.middleRows(first, count) = sums / treeCount;
    });
    return out;
}

Eigen::VectorXd TreeEnsemble::predict(const Eigen::MatrixXd &X) const
{
    if (mTask == Task::Classification) {
        const Eigen::MatrixXd probabilities = predictProba(X);
        Eigen::VectorXd classes(X.rows());
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            probabilities.row(i).maxCoeff(&classes[i]);
        return classes;
    }
    Eigen::VectorXd out(X.rows());
    const Eigen::Index blocks = (X.rows() + kPredictBlock - 1) / kPredictBlock;
    const double treeCount = double(mTrees.size());
    parallelFor(std::size_t(blocks), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kPredictBlock;
        const Eigen::Index count = std::min(kPredictBlock, X.rows() - first);
        Eigen::MatrixXd sums;
        sumTreeOutputs(X, first, count, sums);
        out.segment(first, count) = sums.col(0) / treeCount;
    });
    return out;
}

void TreeEnsemble::predictRow(const double *x, double *out) const
{
    const Eigen::Index outputs = rowOutputs();
    std::fill(out, out + outputs, 0.0);
    for (const Tree &tree : mTrees) {
        const double *values = tree.values(tree.leafOf(x));
        for (Eigen::Index o = 0; o < outputs; ++o)
            out[o] += values[o];
    }
    const double treeCount = double(mTrees.size());
    for (Eigen::Index o = 0; o < outputs; ++o)
        out[o] /= treeCount;
}

ComponentState TreeEnsemble::state() const
{
    ComponentState state;
    state.values.insert(QStringLiteral("features"), double(mFeatureCount));
    if (mTask == Task::Classification)
        state.values.insert(QStringLiteral("classes"), mClassCount);
    state.arrays[QStringLiteral("importances")] = Tensor::fromVector(mImportances);
    storeTrees(mTrees, state);
    storeExtra(state);
    return state;
}

std::optional<Error> TreeEnsemble::restore(const ComponentState &state)
{
    clearFitted();
    const double features = state.values.value(QStringLiteral("features")).toDouble(-1);
    if (features < 1 || features > 1e7 || features != std::floor(features))
        return Error::invalid(QStringLiteral("%1: 'features' must be a whole number of at least 1").arg(kind()));
    int classes = 0;
    if (mTask == Task::Classification) {
        classes = state.values.value(QStringLiteral("classes")).toInt(0);
        if (classes < 2 || classes > 1'000'000)
            return Error::invalid(QStringLiteral("%1: 'classes' must be a whole number of at least 2").arg(kind()));
    }
    const auto featureCount = Eigen::Index(features);
    Eigen::VectorXd importances;
    if (auto error = state.vector(kind(), QStringLiteral("importances"), featureCount, importances))
        return error;
    std::vector<Tree> trees;
    const Eigen::Index outputs = mTask == Task::Classification ? classes : 1;
    if (auto error = restoreTrees(kind(), state, featureCount, outputs, mTask == Task::Classification, trees))
        return error;
    if (auto error = restoreExtra(state))
        return error;
    setFitted(std::move(trees), std::move(importances), featureCount, classes);
    return std::nullopt;
}

// ---- DecisionTree ----

DecisionTree::DecisionTree(Task task) : TreeEnsemble(task, treeParams(task, QStringLiteral("all")))
{
}

Result<FitReport> DecisionTree::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    Result<Growth> growth = prepareGrowth(X, y, progress);
    if (!growth)
        return growth.error();
    const Growth &g = growth.value();
    progress.setProgress(0.2, QStringLiteral("Growing the tree"));
    std::optional<GrownTree> grown = growTree(X, g.sorted, g.target, g.limits, g.seed, true, progress);
    if (!grown)
        return Error::cancelled();
    std::vector<Tree> trees;
    trees.push_back(std::move(grown->tree));
    setFitted(std::move(trees), std::move(grown->importance), X.cols(), task() == Task::Classification ? y.classCount : 0);
    progress.setProgress(1.0, QStringLiteral("Tree grown"));
    return FitReport{0, true, {}}; // grown once, not iterated
}

std::unique_ptr<Model> DecisionTree::cloneUnfitted() const
{
    auto clone = std::make_unique<DecisionTree>(task());
    clone->setParams(mParams);
    return clone;
}

// ---- RandomForest ----

namespace {

std::vector<ParamSpec> forestParams()
{
    return {
        integerParam(kTrees, 100, 1, 100000, QStringLiteral("Number of trees.")),
        booleanParam(kBootstrap, true, QStringLiteral("Grow each tree on a bootstrap sample of the rows (else on all rows).")),
        booleanParam(kOutOfBag, true, QStringLiteral("Score each row with the trees that did not see it (needs bootstrap).")),
    };
}

std::vector<ParamSpec> joined(std::vector<ParamSpec> first, const std::vector<ParamSpec> &second)
{
    first.insert(first.end(), second.begin(), second.end());
    return first;
}

// A seed per tree, independent of which thread grows it.
std::uint64_t treeSeed(std::uint64_t seed, std::size_t tree)
{
    return seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(tree) + 1;
}

} // namespace

RandomForest::RandomForest(Task task)
    : TreeEnsemble(
        task,
        joined(forestParams(), treeParams(task, task == Task::Classification ? QStringLiteral("sqrt") : QStringLiteral("all"))))
{
}

Result<FitReport> RandomForest::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    Result<Growth> growth = prepareGrowth(X, y, progress);
    if (!growth)
        return growth.error();
    const Growth &g = growth.value();
    const auto treeCount = std::size_t(mParams.integer(kTrees));
    const bool bootstrap = mParams.boolean(kBootstrap);
    std::vector<std::optional<GrownTree>> grown(treeCount);
    std::vector<std::vector<std::uint8_t>> inBag(treeCount);
    std::atomic<std::size_t> done{0};
    parallelFor(treeCount, [&](std::size_t t) {
        if (progress.isCancelled())
            return;
        Random random(treeSeed(g.seed, t));
        GrowthTarget sample = g.target;
        if (bootstrap) {
            std::vector<std::uint32_t> draws(sample.weights.size(), 0);
            for (std::size_t i = 0; i < draws.size(); ++i)
                ++draws[random.below(draws.size())];
            inBag[t].resize(draws.size());
            for (std::size_t i = 0; i < draws.size(); ++i) {
                sample.weights[i] *= double(draws[i]);
                inBag[t][i] = draws[i] > 0;
            }
        }
        grown[t] = growTree(X, g.sorted, sample, g.limits, random.next(), false, progress);
        const std::size_t finished = ++done;
        progress.setProgress(0.05 + 0.9 * double(finished) / double(treeCount), QStringLiteral("Growing trees"));
    });
    if (progress.isCancelled())
        return Error::cancelled();
    std::vector<Tree> trees;
    Eigen::VectorXd importances = Eigen::VectorXd::Zero(X.cols());
    for (std::optional<GrownTree> &tree : grown) {
        if (!tree)
            return Error::cancelled();
        importances += tree->importance;
        trees.push_back(std::move(tree->tree));
    }
    if (importances.sum() > 0)
        importances /= importances.sum();
    setFitted(std::move(trees), std::move(importances), X.cols(), task() == Task::Classification ? y.classCount : 0);
    FitReport report{0, true, {}}; // trees are grown, not iterated
    mOutOfBagScore = std::numeric_limits<double>::quiet_NaN();
    if (bootstrap && mParams.boolean(kOutOfBag))
        mOutOfBagScore = outOfBagScore(X, y, inBag, report.warnings);
    progress.setProgress(1.0, QStringLiteral("Forest grown"));
    return report;
}

// Accuracy (classification) or R² (regression) of each row's prediction by the trees that did
// not see it; rows every tree saw are left out, with a warning.
double RandomForest::outOfBagScore(const Eigen::MatrixXd &X, const FitTarget &y,
                                   const std::vector<std::vector<std::uint8_t>> &inBag, QStringList &warnings) const
{
    const Eigen::Index outputs = rowOutputs();
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(X.rows(), outputs);
    std::vector<int> votes(std::size_t(X.rows()), 0);
    parallelFor(std::size_t(X.rows() + kPredictBlock - 1) / std::size_t(kPredictBlock), [&](std::size_t block) {
        const Eigen::Index first = Eigen::Index(block) * kPredictBlock;
        const Eigen::Index last = std::min(first + kPredictBlock, X.rows());
        for (std::size_t t = 0; t < trees().size(); ++t)
            for (Eigen::Index i = first; i < last; ++i) {
                if (inBag[t][std::size_t(i)])
                    continue;
                const double *values = trees()[t].values(trees()[t].leafOf(X, i));
                for (Eigen::Index o = 0; o < outputs; ++o)
                    sums(i, o) += values[o];
                ++votes[std::size_t(i)];
            }
    });
    std::vector<Eigen::Index> scored;
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        if (votes[std::size_t(i)] > 0)
            scored.push_back(i);
    if (scored.size() < std::size_t(X.rows()))
        warnings.append(QStringLiteral("%1 of %2 rows were in every tree's sample and have no out-of-bag prediction; "
                                       "use more trees for a score over all rows")
                            .arg(X.rows() - Eigen::Index(scored.size()))
                            .arg(X.rows()));
    if (scored.empty())
        return std::numeric_limits<double>::quiet_NaN();
    if (task() == Task::Classification) {
        std::size_t correct = 0;
        for (Eigen::Index i : scored) {
            Eigen::Index best = 0;
            sums.row(i).maxCoeff(&best);
            correct += best == y.classes[std::size_t(i)];
        }
        return double(correct) / double(scored.size());
    }
    Eigen::VectorXd actual(Eigen::Index(scored.size())), predicted(Eigen::Index(scored.size()));
    for (std::size_t j = 0; j < scored.size(); ++j) {
        actual[Eigen::Index(j)] = y.values[scored[j]];
        predicted[Eigen::Index(j)] = sums(scored[j], 0) / votes[std::size_t(scored[j])];
    }
    return r2Score(actual, predicted);
}

void RandomForest::storeExtra(ComponentState &state) const
{
    if (!std::isnan(mOutOfBagScore))
        state.values.insert(QStringLiteral("oob_score"), mOutOfBagScore);
}

std::optional<Error> RandomForest::restoreExtra(const ComponentState &state)
{
    mOutOfBagScore = std::numeric_limits<double>::quiet_NaN();
    const QJsonValue score = state.values.value(QStringLiteral("oob_score"));
    if (score.isUndefined())
        return std::nullopt;
    if (!score.isDouble() || !std::isfinite(score.toDouble()))
        return Error::invalid(QStringLiteral("%1: 'oob_score' must be a number").arg(kind()));
    mOutOfBagScore = score.toDouble();
    return std::nullopt;
}

std::unique_ptr<Model> RandomForest::cloneUnfitted() const
{
    auto clone = std::make_unique<RandomForest>(task());
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
