#include "learn/permutationimportance.h"

#include "base/random.h"
#include "learn/metrics.h"

#include <cmath>
#include <numeric>

namespace plumb {

namespace {

// The given rows of a column, in that order.
Column pickRows(const Column &source, const std::vector<std::size_t> &rows)
{
    Column picked(source.name(), source.type());
    picked.setRole(source.role());
    if (isNumericStorage(source.type())) {
        picked.numbers().reserve(rows.size());
        for (std::size_t row : rows)
            picked.numbers().push_back(source.numbers()[row]);
    } else {
        picked.categories() = source.categories();
        picked.codes().reserve(rows.size());
        for (std::size_t row : rows)
            picked.codes().push_back(source.codes()[row]);
    }
    return picked;
}

// Reorders a column's values: value i becomes the old value at order[i].
void permute(Column &column, const std::vector<std::size_t> &order)
{
    const auto apply = [&](auto &values) {
        auto original = values;
        for (std::size_t i = 0; i < order.size(); ++i)
            values[i] = original[order[i]];
    };
    if (isNumericStorage(column.type()))
        apply(column.numbers());
    else
        apply(column.codes());
}

// The key metric of the pipeline's predictions on `data`: accuracy or R^2 (scikit-learn's
// default scorers, ClassifierMixin.score and RegressorMixin.score).
Result<double> keyScore(const Pipeline &pipeline, const Dataset &data, const FitTarget &truth)
{
    Result<Prediction> prediction = pipeline.predict(data);
    if (!prediction)
        return prediction.error();
    const Eigen::VectorXd &values = prediction.value().values;
    // A drop from a non-finite score means nothing (and a model file cannot hold it): refuse.
    if (!values.allFinite())
        return Error::invalid(QStringLiteral("the model predicts a value that is not a finite number on %1 of the %2 rows")
                                  .arg((!values.array().isFinite()).count())
                                  .arg(values.size()));
    if (pipeline.target().task == Task::Regression) {
        const double r2 = r2Score(truth.values, values);
        if (!std::isfinite(r2))
            return Error::invalid(QStringLiteral("R² of the predictions is not a finite number (values too large to square)"));
        return r2;
    }
    Labels predicted(std::size_t(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i)
        predicted[std::size_t(i)] = int(values[i]);
    return accuracy(truth.classes, predicted);
}

// Mean and population standard deviation of the drops (np.mean, np.std).
void summarise(FeatureImportance &importance)
{
    const double n = double(importance.drops.size());
    importance.mean = std::accumulate(importance.drops.begin(), importance.drops.end(), 0.0) / n;
    double squares = 0;
    for (double drop : importance.drops)
        squares += (drop - importance.mean) * (drop - importance.mean);
    importance.standardDeviation = std::sqrt(squares / n);
}

// A seed of its own for each feature, so a feature's shuffles do not depend on the others.
std::uint64_t featureSeed(std::uint64_t seed, std::size_t feature)
{
    return seed ^ (0x9E3779B97F4A7C15ull * (std::uint64_t(feature) + 1));
}

} // namespace

Result<PermutationImportance> permutationImportance(const Pipeline &pipeline, const Dataset &data,
                                                    const std::vector<std::size_t> &rows, const PermutationOptions &options,
                                                    ProgressSink &progress)
{
    if (!pipeline.isFitted())
        return Error::invalid(QStringLiteral("permutation importance: the pipeline is not fitted"));
    if (options.repeats < 1)
        return Error::invalid(QStringLiteral("permutation importance: repeats must be at least 1, not %1").arg(options.repeats));
    if (auto error = pipeline.checkInput(data))
        return *error;
    if (!data.indexOf(pipeline.target().name))
        return Error::invalid(
            QStringLiteral("permutation importance: the data has no target column '%1'").arg(pipeline.target().name));
    std::vector<std::size_t> scored = rows;
    if (scored.empty()) {
        scored.resize(data.rowCount());
        std::iota(scored.begin(), scored.end(), std::size_t(0));
    }
    Result<FitTarget> truth = pipeline.targetOf(data, scored);
    if (!truth)
        return truth.error();
    if (scored.empty())
        return Error::invalid(QStringLiteral("permutation importance: none of the rows has a target value"));

    // A copy of just the scored rows of the pipeline's input columns: shuffled in place, cheaply.
    Dataset sample;
    for (const FeatureSpec &feature : pipeline.features())
        sample.addColumn(pickRows(data.column(*data.indexOf(feature.name)), scored));
    Result<double> baseline = keyScore(pipeline, sample, truth.value());
    if (!baseline)
        return baseline.error();

    PermutationImportance result;
    result.metric = pipeline.target().task == Task::Regression ? QStringLiteral("r2") : QStringLiteral("accuracy");
    result.baseline = baseline.value();
    const std::size_t features = sample.columnCount();
    const double steps = double(features) * options.repeats;
    for (std::size_t f = 0; f < features; ++f) {
        Column &column = sample.column(f);
        const Column original = column;
        FeatureImportance importance{column.name(), 0, 0, {}};
        Random random(featureSeed(options.seed, f));
        for (int repeat = 0; repeat < options.repeats; ++repeat) {
            if (progress.isCancelled())
                return Error::cancelled();
            std::vector<std::size_t> order(scored.size());
            std::iota(order.begin(), order.end(), std::size_t(0));
            random.shuffle(order);
            column = original;
            permute(column, order);
            Result<double> score = keyScore(pipeline, sample, truth.value());
            if (!score)
                return score.error();
            importance.drops.push_back(result.baseline - score.value());
            progress.setProgress((double(f) * options.repeats + repeat + 1) / steps,
                                 QStringLiteral("Shuffling %1").arg(importance.feature));
        }
        column = original;
        summarise(importance);
        result.features.push_back(std::move(importance));
    }
    return result;
}

PermutationImportance pooledImportance(const std::vector<PermutationImportance> &parts)
{
    PermutationImportance pooled;
    if (parts.empty())
        return pooled;
    pooled.metric = parts.front().metric;
    pooled.features = parts.front().features;
    for (FeatureImportance &feature : pooled.features)
        feature.drops.clear();
    for (const PermutationImportance &part : parts) {
        pooled.baseline += part.baseline / double(parts.size());
        for (std::size_t f = 0; f < pooled.features.size() && f < part.features.size(); ++f)
            pooled.features[f].drops.insert(pooled.features[f].drops.end(), part.features[f].drops.begin(),
                                            part.features[f].drops.end());
    }
    for (FeatureImportance &feature : pooled.features)
        if (!feature.drops.empty())
            summarise(feature);
    return pooled;
}

} // namespace plumb
