#include "learn/nearestneighbours.h"

#include <cmath>

namespace plumb {

namespace {

const QString kNeighbours = QStringLiteral("n_neighbors");
const QString kWeights = QStringLiteral("weights");
const QString kDistance = QStringLiteral("distance");
const QString kClasses = QStringLiteral("classes");
const QString kTraining = QStringLiteral("training");
const QString kTargets = QStringLiteral("targets");
constexpr int kMaxClasses = 1'000'000;

// Scratch space of one thread's predictRow calls, grown on first use and then reused.
struct RowScratch
{
    std::vector<Neighbour> neighbours;
    std::vector<double> values;
};

RowScratch &rowScratch(Eigen::Index neighbours, Eigen::Index values)
{
    thread_local RowScratch scratch;
    if (Eigen::Index(scratch.neighbours.size()) < neighbours)
        scratch.neighbours.resize(std::size_t(neighbours));
    if (Eigen::Index(scratch.values.size()) < values)
        scratch.values.resize(std::size_t(values));
    return scratch;
}

} // namespace

KNearestNeighbours::KNearestNeighbours(Task task)
    : Model(ParamValues({
        integerParam(kNeighbours, 5, 1, 1e6, QStringLiteral("Neighbours each prediction looks at (at most the training rows).")),
        choiceParam(
            kWeights, QStringLiteral("uniform"), {QStringLiteral("uniform"), kDistance},
            QStringLiteral("'uniform': every neighbour counts the same; 'distance': nearer ones count more (1 / distance).")),
    })),
      mTask(task)
{
}

Eigen::Index KNearestNeighbours::neighbourCount() const
{
    return mSearch.clampedK(Eigen::Index(mParams.integer(kNeighbours)));
}

bool KNearestNeighbours::distanceWeighted() const
{
    return mParams.choice(kWeights) == kDistance;
}

Result<FitReport> KNearestNeighbours::fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress)
{
    if (auto error = checkFitInput(kind(), mTask, X, y))
        return *error;
    const qint64 k = mParams.integer(kNeighbours);
    if (k > X.rows())
        return Error::invalid(
            QStringLiteral("%1: n_neighbors is %2 but there are only %3 training rows").arg(kind()).arg(k).arg(X.rows()));
    if (progress.isCancelled())
        return Error::cancelled();
    mSearch = NeighbourSearch();
    FitReport report;
    if (y.weights.size() != 0)
        report.warnings.append(
            QStringLiteral("%1: row weights are not used; neighbours count by the 'weights' parameter").arg(kind()));
    if (mTask == Task::Classification) {
        mTargets.resize(X.rows());
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            mTargets[i] = double(y.classes[std::size_t(i)]);
        mClassCount = y.classCount;
    } else {
        mTargets = y.values;
        mClassCount = 0;
    }
    mSearch = NeighbourSearch(RowMajorMatrix(X));
    progress.setProgress(1.0, QStringLiteral("Indexed the training rows"));
    return report;
}

std::vector<Neighbour> KNearestNeighbours::neighbours(const Eigen::MatrixXd &X) const
{
    std::vector<Neighbour> found;
    mSearch.search(X, neighbourCount(), found);
    return found;
}

// scikit-learn's _get_weights: 1 / distance, except that a query at distance 0 from some
// neighbours gives those weight 1 and the others 0.
void KNearestNeighbours::neighbourWeights(const Neighbour *neighbours, Eigen::Index k, double *weights) const
{
    bool exact = false;
    for (Eigen::Index i = 0; i < k; ++i)
        exact = exact || neighbours[i].squaredDistance == 0;
    for (Eigen::Index i = 0; i < k; ++i) {
        if (!distanceWeighted())
            weights[i] = 1.0;
        else if (exact)
            weights[i] = neighbours[i].squaredDistance == 0 ? 1.0 : 0.0;
        else
            weights[i] = 1.0 / std::sqrt(neighbours[i].squaredDistance);
    }
}

// Uniform: np.mean of the targets; distance: np.sum(y * w) / np.sum(w).
double KNearestNeighbours::regressionValue(const Neighbour *neighbours, Eigen::Index k, double *scratch) const
{
    double *values = scratch;
    double *weights = scratch + k;
    for (Eigen::Index i = 0; i < k; ++i)
        values[i] = mTargets[neighbours[i].row];
    if (!distanceWeighted())
        return pairwiseSum(values, k) / double(k);
    neighbourWeights(neighbours, k, weights);
    for (Eigen::Index i = 0; i < k; ++i)
        values[i] *= weights[i];
    return pairwiseSum(values, k) / pairwiseSum(weights, k);
}

// KNeighborsClassifier.predict_proba: each neighbour's weight added to its class in neighbour
// order, then divided by the row's total (np.sum over the classes).
void KNearestNeighbours::classProbabilities(const Neighbour *neighbours, Eigen::Index k, double *weights, double *out) const
{
    neighbourWeights(neighbours, k, weights);
    std::fill(out, out + mClassCount, 0.0);
    for (Eigen::Index i = 0; i < k; ++i)
        out[Eigen::Index(mTargets[neighbours[i].row])] += weights[i];
    double total = pairwiseSum(out, mClassCount);
    if (total == 0)
        total = 1;
    for (int c = 0; c < mClassCount; ++c)
        out[c] /= total;
}

// KNeighborsClassifier.predict: the class with the most votes (uniform) or the largest weight
// sum (weighted_mode: np.sum over all k neighbours of weight * [label == class]); ties go to the
// lower class index.
int KNearestNeighbours::votedClass(const Neighbour *neighbours, Eigen::Index k, double *scratch) const
{
    double *weights = scratch;
    double *masked = scratch + k;
    neighbourWeights(neighbours, k, weights);
    int best = 0;
    double bestScore = -1;
    for (int c = 0; c < mClassCount; ++c) {
        for (Eigen::Index i = 0; i < k; ++i)
            masked[i] = Eigen::Index(mTargets[neighbours[i].row]) == c ? weights[i] : 0.0;
        const double score = pairwiseSum(masked, k);
        if (score > bestScore) {
            best = c;
            bestScore = score;
        }
    }
    return best;
}

Eigen::VectorXd KNearestNeighbours::predict(const Eigen::MatrixXd &X) const
{
    const Eigen::Index k = neighbourCount();
    const std::vector<Neighbour> found = neighbours(X);
    std::vector<double> scratch(static_cast<std::size_t>(2 * k));
    Eigen::VectorXd predictions(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const Neighbour *row = found.data() + i * k;
        predictions[i] = mTask == Task::Classification ? double(votedClass(row, k, scratch.data()))
                                                       : regressionValue(row, k, scratch.data());
    }
    return predictions;
}

Eigen::MatrixXd KNearestNeighbours::predictProba(const Eigen::MatrixXd &X) const
{
    if (mTask != Task::Classification)
        return {};
    const Eigen::Index k = neighbourCount();
    const std::vector<Neighbour> found = neighbours(X);
    std::vector<double> weights(static_cast<std::size_t>(k));
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> probabilities(X.rows(), mClassCount);
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        classProbabilities(found.data() + i * k, k, weights.data(), probabilities.row(i).data());
    return probabilities;
}

void KNearestNeighbours::predictRow(const double *x, double *out) const
{
    const Eigen::Index k = neighbourCount();
    RowScratch &scratch = rowScratch(k, 2 * k);
    mSearch.searchOne(x, k, scratch.neighbours.data());
    if (mTask == Task::Classification)
        classProbabilities(scratch.neighbours.data(), k, scratch.values.data(), out);
    else
        out[0] = regressionValue(scratch.neighbours.data(), k, scratch.values.data());
}

Eigen::VectorXd KNearestNeighbours::featureImportances() const
{
    return Eigen::VectorXd::Zero(featureCount());
}

ComponentState KNearestNeighbours::state() const
{
    ComponentState state;
    if (mTask == Task::Classification)
        state.values.insert(kClasses, mClassCount);
    state.arrays[kTraining] = Tensor::fromMatrix(mSearch.training());
    state.arrays[kTargets] = Tensor::fromVector(mTargets);
    return state;
}

std::optional<Error> KNearestNeighbours::restore(const ComponentState &state)
{
    mSearch = NeighbourSearch();
    mTargets.resize(0);
    mClassCount = 0;
    int classes = 0;
    if (mTask == Task::Classification) {
        classes = state.values.value(kClasses).toInt(0);
        if (classes < 2 || classes > kMaxClasses)
            return Error::invalid(
                QStringLiteral("%1: 'classes' must be a whole number from 2 to %2").arg(kind()).arg(kMaxClasses));
    } else if (state.values.contains(kClasses)) {
        return Error::invalid(QStringLiteral("%1: the state has 'classes', but this model does regression").arg(kind()));
    }
    Eigen::MatrixXd training;
    Eigen::VectorXd targets;
    if (auto error = state.matrix(kind(), kTraining, -1, -1, training))
        return error;
    if (training.rows() == 0 || training.cols() == 0)
        return Error::invalid(QStringLiteral("%1: 'training' holds no rows or no features").arg(kind()));
    if (auto error = state.vector(kind(), kTargets, training.rows(), targets))
        return error;
    for (Eigen::Index i = 0; i < targets.size() && mTask == Task::Classification; ++i)
        if (targets[i] != std::floor(targets[i]) || targets[i] < 0 || targets[i] >= classes)
            return Error::invalid(QStringLiteral("%1: 'targets'[%2] is %3, not a class index in 0..%4")
                                      .arg(kind())
                                      .arg(i)
                                      .arg(targets[i])
                                      .arg(classes - 1));
    mClassCount = classes;
    mTargets = std::move(targets);
    mSearch = NeighbourSearch(RowMajorMatrix(training));
    return std::nullopt;
}

std::unique_ptr<Model> KNearestNeighbours::cloneUnfitted() const
{
    auto clone = std::make_unique<KNearestNeighbours>(mTask);
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
