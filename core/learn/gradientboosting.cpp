#include "learn/gradientboosting.h"

#include "learn/boostingloss.h"
#include "learn/validation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

const QString kLearningRate = QStringLiteral("learning_rate");
const QString kMaxIter = QStringLiteral("max_iter");
const QString kMaxLeafNodes = QStringLiteral("max_leaf_nodes");
const QString kMaxDepth = QStringLiteral("max_depth");
const QString kMinSamplesLeaf = QStringLiteral("min_samples_leaf");
const QString kL2Regularization = QStringLiteral("l2_regularization");
const QString kMaxBins = QStringLiteral("max_bins");
const QString kCategoricalFeatures = QStringLiteral("categorical_features");
const QString kEarlyStopping = QStringLiteral("early_stopping");
const QString kValidationFraction = QStringLiteral("validation_fraction");
const QString kNIterNoChange = QStringLiteral("n_iter_no_change");
const QString kTolerance = QStringLiteral("tol");
const QString kClasses = QStringLiteral("classes");
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// sklearn's early_stopping='auto' turns it on above this many rows.
constexpr Eigen::Index kAutoEarlyStoppingRows = 10000;

ParamValues boostingParams()
{
    return ParamValues({
        realParam(kLearningRate, 0.1, 0, kInfinity, QStringLiteral("Shrinkage of each tree's values."), true),
        integerParam(kMaxIter, 100, 1, 1e6, QStringLiteral("Most boosting iterations (trees per output).")),
        integerParam(kMaxLeafNodes, 31, 2, 65536, QStringLiteral("Most leaves per tree.")),
        integerParam(kMaxDepth, 0, 0, 1000, QStringLiteral("Most depth per tree (edges from root to leaf); 0: no limit.")),
        integerParam(kMinSamplesLeaf, 20, 1, 1e9, QStringLiteral("Fewest training rows per leaf.")),
        realParam(kL2Regularization, 0, 0, kInfinity, QStringLiteral("L2 penalty on leaf values.")),
        integerParam(kMaxBins, 255, 2, 255, QStringLiteral("Most bins per feature for values (one more holds missing values).")),
        textParam(kCategoricalFeatures, QString(),
                  QStringLiteral("Comma-separated indices of inputs that hold category codes 0..k-1 (k <= max_bins).")),
        choiceParam(kEarlyStopping, QStringLiteral("auto"), {QStringLiteral("auto"), QStringLiteral("on"), QStringLiteral("off")},
                    QStringLiteral("Stop when the held-out loss stops improving; auto: on above 10000 rows.")),
        realParam(kValidationFraction, 0.1, 0, 1, QStringLiteral("Share of rows held out for early stopping."), true),
        integerParam(kNIterNoChange, 10, 1, 1e6, QStringLiteral("Iterations without improvement before early stopping.")),
        realParam(kTolerance, 1e-7, 0, kInfinity, QStringLiteral("Smallest held-out loss improvement that counts.")),
        integerParam(QLatin1String(kSeedParam), 0, 0, double(kMaxSeed),
                     QStringLiteral("Seed of the bin-edge subsample and the early-stopping hold-out.")),
    });
}

// Training and held-out rows, each ascending.
struct RowSplit
{
    std::vector<Eigen::Index> train, validation;
};

// Holds out `fraction` of the rows at random, per class for classification (stratified, as
// sklearn's train_test_split(stratify=y) in HistGradientBoosting's early stopping): the hold-out
// model validation uses (holdoutSplit), so both round the same way.
RowSplit holdOut(Task task, const FitTarget &y, Eigen::Index rows, double fraction, std::uint64_t seed)
{
    const Split split = holdoutSplit(std::size_t(rows), fraction, seed, task == Task::Classification ? &y.classes : nullptr);
    return {std::vector<Eigen::Index>(split.train.begin(), split.train.end()),
            std::vector<Eigen::Index>(split.validation.begin(), split.validation.end())};
}

// sklearn's _should_stop: scores (higher is better) have not beaten the score n_iter_no_change
// iterations back by more than tol in any of the iterations since.
bool shouldStop(const std::vector<double> &scores, int noChange, double tolerance)
{
    const std::size_t reference = std::size_t(noChange) + 1;
    if (scores.size() < reference)
        return false;
    const double bar = scores[scores.size() - reference] + tolerance;
    return std::none_of(scores.end() - std::ptrdiff_t(reference - 1), scores.end(), [&](double s) { return s > bar; });
}

// The targets (values or class indices) and weights (none when unweighted) of the listed rows.
void targetsOf(Task task, const FitTarget &y, const std::vector<Eigen::Index> &rows, std::vector<double> &targets,
               std::vector<double> &weights)
{
    targets.resize(rows.size());
    weights.resize(y.weights.size() ? rows.size() : 0);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto i = std::size_t(rows[k]);
        targets[k] = task == Task::Regression ? y.values[Eigen::Index(i)] : double(y.classes[i]);
        if (y.weights.size())
            weights[k] = y.weights[Eigen::Index(i)];
    }
}

// Which of `columns` inputs hold category codes, from the listed indices; fails for an index past them.
Result<std::vector<bool>> categoricalMask(const QString &kind, const std::vector<int> &listed, Eigen::Index columns)
{
    std::vector<bool> categorical(std::size_t(columns), false);
    for (const int feature : listed) {
        if (feature >= columns)
            return Error::invalid(
                QStringLiteral("%1: categorical feature %2 is not among the %3 inputs").arg(kind).arg(feature).arg(columns));
        categorical[std::size_t(feature)] = true;
    }
    return categorical;
}

GrowerSettings growerSettings(const ParamValues &params)
{
    GrowerSettings settings;
    settings.maxLeafNodes = int(params.integer(kMaxLeafNodes));
    settings.maxDepth = int(params.integer(kMaxDepth));
    settings.minSamplesLeaf = int(params.integer(kMinSamplesLeaf));
    settings.l2Regularization = params.real(kL2Regularization);
    settings.shrinkage = params.real(kLearningRate);
    return settings;
}

BoostingLoss lossFor(Task task, int classCount)
{
    if (task == Task::Regression)
        return BoostingLoss(BoostingLoss::Kind::SquaredError, 0);
    return BoostingLoss(classCount == 2 ? BoostingLoss::Kind::BinaryLogLoss : BoostingLoss::Kind::MultinomialLogLoss, classCount);
}

std::vector<Eigen::Index> allRows(Eigen::Index rows)
{
    std::vector<Eigen::Index> list(static_cast<std::size_t>(rows));
    for (Eigen::Index i = 0; i < rows; ++i)
        list[std::size_t(i)] = i;
    return list;
}

} // namespace

GradientBoosting::GradientBoosting(Task task) : Model(boostingParams()), mTask(task)
{
}

Result<std::vector<int>> GradientBoosting::categoricalFeatures() const
{
    std::vector<int> features;
    for (const QString &entry : mParams.text(kCategoricalFeatures).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int index = entry.trimmed().toInt(&ok);
        if (!ok || index < 0)
            return Error::invalid(QStringLiteral("%1: %2 holds '%3', which is not an input index")
                                      .arg(kind(), kCategoricalFeatures, entry.trimmed()));
        features.push_back(index);
    }
    return features;
}

std::optional<Error> GradientBoosting::setCategoricalFeatures(const std::vector<int> &features)
{
    QStringList entries;
    for (const int feature : features)
        entries.append(QString::number(feature));
    return setParam(kCategoricalFeatures, entries.join(QLatin1Char(',')));
}

InputNeeds GradientBoosting::inputNeeds() const
{
    return {.scaled = false, .missingAllowed = true, .categoryCodes = true, .mostCategoryCodes = int(mParams.integer(kMaxBins))};
}

int GradientBoosting::iterations() const
{
    return mTrees.isEmpty() ? 0 : int(mTrees.treeCount() / std::size_t(mTrees.outputs()));
}

Result<FitReport> GradientBoosting::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    mTrees = BoostedTrees();
    mClassCount = 0;
    if (X.rows() > Eigen::Index(std::numeric_limits<std::int32_t>::max()))
        return Error::invalid(QStringLiteral("%1: %2 rows are more than it can fit").arg(kind()).arg(X.rows()));
    if (auto error = checkFitInput(kind(), mTask, X, y, InputNeeds{.missingAllowed = true}))
        return *error;
    Result<std::vector<int>> listed = categoricalFeatures();
    if (!listed)
        return listed.error();
    Result<std::vector<bool>> categorical = categoricalMask(kind(), listed.value(), X.cols());
    if (!categorical)
        return categorical.error();
    const auto seed = std::uint64_t(mParams.integer(QLatin1String(kSeedParam)));
    const QString earlyStopping = mParams.choice(kEarlyStopping);
    const bool stopEarly = earlyStopping == QLatin1String("on")
        || (earlyStopping == QLatin1String("auto") && X.rows() > kAutoEarlyStoppingRows);
    const RowSplit rows = stopEarly ? holdOut(mTask, y, X.rows(), mParams.real(kValidationFraction), seed)
                                    : RowSplit{allRows(X.rows()), {}};
    if (rows.train.empty())
        return Error::invalid(QStringLiteral("%1: no training rows are left after holding out validation_fraction").arg(kind()));

    Result<FeatureBinner> binned = FeatureBinner::fit(kind(), X, rows.train, int(mParams.integer(kMaxBins)), categorical.value(),
                                                      seed, [this](Eigen::Index feature) { return inputName(feature); });
    if (!binned)
        return binned.error();
    const FeatureBinner &binner = binned.value();
    const BinnedMatrix train = binner.transform(X, stopEarly ? rows.train : std::vector<Eigen::Index>{});
    const BinnedMatrix validation = rows.validation.empty() ? BinnedMatrix() : binner.transform(X, rows.validation);

    const BoostingLoss loss = lossFor(mTask, y.classCount);
    const auto outputs = std::size_t(loss.outputs());
    std::vector<double> trainTargets, trainWeights, validTargets, validWeights;
    targetsOf(mTask, y, rows.train, trainTargets, trainWeights);
    targetsOf(mTask, y, rows.validation, validTargets, validWeights);
    const std::vector<double> baseline = loss.baseline(trainTargets, trainWeights);
    std::vector<int> categoryCounts(std::size_t(X.cols()), 0);
    for (Eigen::Index f = 0; f < X.cols(); ++f)
        categoryCounts[std::size_t(f)] = binner.isCategorical(f) ? binner.valueBins(f) : 0;
    BoostedTrees trees(loss.outputs(), baseline, categoryCounts);

    std::vector<double> trainRaw(trainTargets.size() * outputs), validRaw(validTargets.size() * outputs);
    for (std::size_t i = 0; i < trainRaw.size(); ++i)
        trainRaw[i] = baseline[i % outputs];
    for (std::size_t i = 0; i < validRaw.size(); ++i)
        validRaw[i] = baseline[i % outputs];
    HistogramGrower grower(train, binner, growerSettings(mParams));

    const bool validating = !validTargets.empty();
    std::vector<double> scores;
    if (validating)
        scores.push_back(-loss.loss(validRaw, validTargets, validWeights));
    const int maxIter = int(mParams.integer(kMaxIter));
    FitReport report;
    std::vector<RowGradients> gradients;
    for (int iteration = 0; iteration < maxIter; ++iteration) {
        if (progress.isCancelled())
            return Error::cancelled();
        loss.gradients(trainRaw, trainTargets, trainWeights, gradients);
        for (std::size_t output = 0; output < outputs; ++output) {
            const BinTree tree = grower.grow(gradients[output], trainRaw.data() + output, Eigen::Index(outputs));
            for (Eigen::Index i = 0; i < validation.rows; ++i)
                validRaw[std::size_t(i) * outputs + output] += tree.value(validation.row(i), binner.missingBin());
            trees.append(tree, binner);
        }
        report.iterations = iteration + 1;
        progress.setProgress(double(iteration + 1) / maxIter, QStringLiteral("boosting"));
        if (validating) {
            scores.push_back(-loss.loss(validRaw, validTargets, validWeights));
            if (shouldStop(scores, int(mParams.integer(kNIterNoChange)), mParams.real(kTolerance)))
                break;
        }
    }
    mClassCount = mTask == Task::Classification ? y.classCount : 0;
    mTrees = std::move(trees);
    return report;
}

Eigen::MatrixXd GradientBoosting::rawScores(const Eigen::MatrixXd &X) const
{
    // Row-major n x outputs, as BoostedTrees::score writes it: stored as outputs x n column-major.
    Eigen::MatrixXd raw(mTrees.outputs(), X.rows());
    mTrees.score(X, raw.data());
    return raw;
}

void GradientBoosting::toOutputs(const double *raw, double *out) const
{
    lossFor(mTask, mClassCount).toOutputs(raw, out);
}

Eigen::VectorXd GradientBoosting::predict(const Eigen::MatrixXd &X) const
{
    const Eigen::MatrixXd raw = rawScores(X);
    if (mTask == Task::Regression)
        return raw.row(0).transpose();
    const BoostingLoss loss = lossFor(mTask, mClassCount);
    Eigen::VectorXd classes(X.rows());
    Eigen::VectorXd probabilities(mClassCount);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        loss.toOutputs(raw.col(i).data(), probabilities.data());
        Eigen::Index best = 0;
        probabilities.maxCoeff(&best);
        classes[i] = double(best);
    }
    return classes;
}

Eigen::MatrixXd GradientBoosting::predictProba(const Eigen::MatrixXd &X) const
{
    if (mTask == Task::Regression)
        return {};
    const Eigen::MatrixXd raw = rawScores(X);
    const BoostingLoss loss = lossFor(mTask, mClassCount);
    Eigen::MatrixXd probabilities(mClassCount, X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        loss.toOutputs(raw.col(i).data(), probabilities.col(i).data());
    return probabilities.transpose();
}

void GradientBoosting::predictRow(const double *x, double *out) const
{
    // The raw scores go into `out` (it has room for them) and become probabilities in place.
    mTrees.scoreRow(x, out);
    toOutputs(out, out);
}

ComponentState GradientBoosting::state() const
{
    ComponentState state;
    mTrees.writeState(state);
    state.values.insert(kClasses, mClassCount);
    return state;
}

std::optional<Error> GradientBoosting::restore(const ComponentState &state)
{
    mTrees = BoostedTrees();
    mClassCount = 0;
    const double classes = state.values.value(kClasses).toDouble(-1);
    const bool classifies = mTask == Task::Classification;
    if (classifies ? !(classes >= 2 && classes <= 1e6 && classes == std::floor(classes)) : classes != 0)
        return Error::invalid(
            QStringLiteral("%1: 'classes' must be %2")
                .arg(kind(), classifies ? QStringLiteral("a whole number of at least 2") : QStringLiteral("0 for a regressor")));
    Result<BoostedTrees> trees = BoostedTrees::readState(kind(), state);
    if (!trees)
        return trees.error();
    const int outputs = classifies && classes > 2 ? int(classes) : 1;
    if (trees.value().outputs() != outputs)
        return Error::invalid(QStringLiteral("%1: %2 outputs per row do not suit %3 classes")
                                  .arg(kind())
                                  .arg(trees.value().outputs())
                                  .arg(classes));
    mClassCount = int(classes);
    mTrees = std::move(trees).value();
    return std::nullopt;
}

std::unique_ptr<Model> GradientBoosting::cloneUnfitted() const
{
    auto clone = std::make_unique<GradientBoosting>(mTask);
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
