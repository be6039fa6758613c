#include "learn/shapsummary.h"

#include "base/parallel.h"
#include "learn/gradientboosting.h"
#include "learn/shapexplainer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace plumb {

double ShapSummary::importance(std::size_t feature) const
{
    const std::vector<double> &means = features[feature].meanAbs;
    return means.empty() ? 0.0 : std::accumulate(means.begin(), means.end(), 0.0) / double(means.size());
}

std::vector<std::size_t> ShapSummary::ranking() const
{
    std::vector<std::size_t> order(features.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return importance(a) > importance(b); });
    return order;
}

QString ShapSummary::importanceLabel() const
{
    if (outputs.size() == 1)
        return QStringLiteral("mean |SHAP| (%1)").arg(outputs.front());
    return QStringLiteral("mean over %1 classes of mean |SHAP| (%2)").arg(outputs.size()).arg(space);
}

QString ShapSummary::description() const
{
    return QStringLiteral("%1, %2 on %3 of %4 validation rows")
        .arg(importanceLabel(),
             method == ShapMethod::TreeShap ? QStringLiteral("exact TreeSHAP") : QStringLiteral("exact linear SHAP"))
        .arg(explainedRows)
        .arg(validationRows);
}

std::vector<std::size_t> evenlySpaced(std::size_t count, std::size_t limit)
{
    const std::size_t take = std::min(count, limit);
    std::vector<std::size_t> positions(take);
    // Position i of `take` is floor(i * count / take): strictly increasing, the first is 0.
    for (std::size_t i = 0; i < take; ++i)
        positions[i] = std::size_t((unsigned __int128)(i)*count / take);
    return positions;
}

namespace {

// Each value's percentile among the non-missing values (average rank of ties, 0 to 1; a single
// value 0.5); -1 where missing.
std::vector<double> percentiles(const std::vector<double> &values)
{
    std::vector<std::size_t> present;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isnan(values[i]))
            present.push_back(i);
    std::vector<double> out(values.size(), -1.0);
    std::sort(present.begin(), present.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const double last = double(present.size()) - 1;
    for (std::size_t i = 0; i < present.size();) {
        std::size_t j = i;
        while (j + 1 < present.size() && values[present[j + 1]] == values[present[i]])
            ++j;
        const double rank = (double(i) + double(j)) / 2;
        for (std::size_t k = i; k <= j; ++k)
            out[present[k]] = last > 0 ? rank / last : 0.5;
        i = j + 1;
    }
    return out;
}

// The raw outputs the explainer's outputs stand for on one row (model inputs `x`): the boosting
// raw score, the binary logistic log-odds, else what predictRow gives (the second class's for two
// classes). Empty where only differences are defined (multinomial logits): not checked then.
std::vector<double> rawOutputs(const Pipeline &pipeline, const double *x, std::size_t shown)
{
    const Model &model = pipeline.model();
    std::vector<double> out(std::size_t(model.rowOutputs()));
    if (const auto *boosting = dynamic_cast<const GradientBoosting *>(&model)) {
        std::vector<double> raw(std::size_t(boosting->trees().outputs()));
        boosting->trees().scoreRow(x, raw.data());
        return raw;
    }
    model.predictRow(x, out.data());
    if (model.kind() == QLatin1String("logistic_regression"))
        return out.size() == 2 ? std::vector<double>{std::log(out[1] / out[0])} : std::vector<double>{};
    if (out.size() == 2 && shown == 1)
        return {out[1]};
    return out;
}

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The SHAP values of every row of X: rows x features x outputs. Blocks of rows run in parallel;
// between blocks, on this thread, progress and cancellation.
Result<std::vector<double>> explainRows(const ShapExplainer &explainer, const RowMajorMatrix &X, ProgressSink &progress)
{
    const std::size_t rows = std::size_t(X.rows());
    const std::size_t width = std::size_t(explainer.featureCount()) * std::size_t(explainer.outputCount());
    std::vector<double> phi(rows * width);
    constexpr std::size_t kBlock = 64;
    for (std::size_t from = 0; from < rows; from += kBlock) {
        if (progress.isCancelled())
            return Error::cancelled();
        const std::size_t to = std::min(rows, from + kBlock);
        parallelFor(to - from, [&](std::size_t i) {
            const std::size_t r = from + i;
            explainer.explain(X.row(Eigen::Index(r)).data(), phi.data() + r * width);
        });
        progress.setProgress(double(to) / double(rows), QStringLiteral("SHAP values of the validation rows"));
    }
    return phi;
}

// SHAP values add up to the model's output (base + sum = raw output): a row where they do not
// means the explainer went wrong on this model, and a summary of wrong values is worse than none.
std::optional<Error> checkAdditivity(const Pipeline &pipeline, const RowMajorMatrix &X, const std::vector<std::size_t> &sample,
                                     const std::vector<double> &base, const std::vector<double> &phi, std::size_t features)
{
    const std::size_t outputs = base.size();
    for (std::size_t r = 0; r < sample.size(); ++r) {
        const std::vector<double> raw = rawOutputs(pipeline, X.row(Eigen::Index(r)).data(), outputs);
        for (std::size_t o = 0; o < outputs && raw.size() == outputs; ++o) {
            double total = base[o];
            for (std::size_t f = 0; f < features; ++f)
                total += phi[(r * features + f) * outputs + o];
            if (!(std::abs(total - raw[o]) <= 1e-6 * (1 + std::abs(raw[o]))))
                return Error::invalid(QStringLiteral("the SHAP values of validation row %1 add up to %2, not to the model's "
                                                     "output %3, so no summary is kept")
                                          .arg(sample[r] + 1)
                                          .arg(total)
                                          .arg(raw[o]));
        }
    }
    return std::nullopt;
}

// Feature f's mean |SHAP| over the sample and its beeswarm points (the `swarm` rows): each value
// with the row's percentile among the sample's values of the feature (-1: categorical or missing).
ShapSummary::Feature summarizeFeature(const Pipeline &pipeline, const Dataset &data, const std::vector<std::size_t> &sample,
                                      const std::vector<std::size_t> &swarm, const std::vector<double> &phi, std::size_t f,
                                      std::size_t outputs)
{
    const std::size_t features = pipeline.features().size();
    const FeatureSpec &spec = pipeline.features()[f];
    ShapSummary::Feature feature{spec.name, !isNumericStorage(spec.type), std::vector<double>(outputs, 0.0), {}, {}};
    for (std::size_t r = 0; r < sample.size(); ++r)
        for (std::size_t o = 0; o < outputs; ++o)
            feature.meanAbs[o] += std::abs(phi[(r * features + f) * outputs + o]) / double(sample.size());
    std::vector<double> positions(sample.size(), -1.0);
    if (!feature.categorical) {
        const Column &column = data.column(*data.indexOf(spec.name));
        std::vector<double> values;
        for (std::size_t row : sample)
            values.push_back(column.numbers()[row]);
        positions = percentiles(values);
    }
    for (std::size_t r : swarm) {
        for (std::size_t o = 0; o < outputs; ++o)
            feature.values.push_back(phi[(r * features + f) * outputs + o]);
        feature.positions.push_back(positions[r]);
    }
    return feature;
}

} // namespace

Result<ShapSummary> shapSummary(const Pipeline &pipeline, const Dataset &data, const std::vector<std::size_t> &rows,
                                const Eigen::VectorXd &inputMeans, const ShapSummaryOptions &options, ProgressSink &progress)
{
    if (auto error = pipeline.checkInput(data))
        return *error;
    Result<ShapExplainer> created = ShapExplainer::create(pipeline, inputMeans);
    if (!created)
        return created.error();
    const ShapExplainer &explainer = created.value();
    const std::size_t available = rows.empty() ? data.rowCount() : rows.size();
    std::vector<std::size_t> sample;
    for (std::size_t position : evenlySpaced(available, options.rows))
        sample.push_back(rows.empty() ? position : rows[position]);

    ShapSummary summary;
    summary.method = explainer.method();
    summary.space = explainer.space();
    summary.outputs = explainer.outputs();
    summary.outputLabels = explainer.outputLabels();
    summary.base = explainer.baseValues();
    summary.validationRows = qint64(available);
    summary.explainedRows = qint64(sample.size());
    const std::size_t features = std::size_t(explainer.featureCount()), outputs = std::size_t(explainer.outputCount());
    if (sample.empty()) {
        for (const FeatureSpec &spec : pipeline.features())
            summary.features.push_back({spec.name, !isNumericStorage(spec.type), std::vector<double>(outputs, 0.0), {}, {}});
        return summary;
    }
    TransformNotes notes;
    // Row-major, so each row's inputs are contiguous for explain().
    const RowMajorMatrix X = pipeline.router().transform(data, sample, notes);
    Result<std::vector<double>> phi = explainRows(explainer, X, progress);
    if (!phi)
        return phi.error();
    if (auto error = checkAdditivity(pipeline, X, sample, summary.base, phi.value(), features))
        return *error;
    const std::vector<std::size_t> swarm = evenlySpaced(sample.size(), options.beeswarmRows);
    for (std::size_t f = 0; f < features; ++f)
        summary.features.push_back(summarizeFeature(pipeline, data, sample, swarm, phi.value(), f, outputs));
    return summary;
}

ShapSummary pooledShapSummary(const std::vector<ShapSummary> &parts, std::size_t beeswarmRows)
{
    ShapSummary pooled;
    if (parts.empty())
        return pooled;
    pooled = parts.front();
    const std::size_t outputs = std::size_t(pooled.outputCount());
    qint64 explained = 0;
    for (const ShapSummary &part : parts)
        explained += part.explainedRows;
    pooled.validationRows = pooled.explainedRows = 0;
    std::fill(pooled.base.begin(), pooled.base.end(), 0.0);
    for (ShapSummary::Feature &feature : pooled.features) {
        std::fill(feature.meanAbs.begin(), feature.meanAbs.end(), 0.0);
        feature.values.clear();
        feature.positions.clear();
    }
    for (const ShapSummary &part : parts) {
        const double weight = explained > 0 ? double(part.explainedRows) / double(explained) : 1.0 / double(parts.size());
        pooled.validationRows += part.validationRows;
        pooled.explainedRows += part.explainedRows;
        for (std::size_t o = 0; o < outputs && o < part.base.size(); ++o)
            pooled.base[o] += weight * part.base[o];
        for (std::size_t f = 0; f < pooled.features.size() && f < part.features.size(); ++f) {
            ShapSummary::Feature &feature = pooled.features[f];
            const ShapSummary::Feature &from = part.features[f];
            for (std::size_t o = 0; o < outputs && o < from.meanAbs.size(); ++o)
                feature.meanAbs[o] += weight * from.meanAbs[o];
            feature.values.insert(feature.values.end(), from.values.begin(), from.values.end());
            feature.positions.insert(feature.positions.end(), from.positions.begin(), from.positions.end());
        }
    }
    const std::vector<std::size_t> keep = evenlySpaced(std::size_t(pooled.beeswarmRows()), beeswarmRows);
    for (ShapSummary::Feature &feature : pooled.features) {
        std::vector<double> values, positions;
        for (std::size_t r : keep) {
            values.insert(values.end(), feature.values.begin() + std::ptrdiff_t(r * outputs),
                          feature.values.begin() + std::ptrdiff_t((r + 1) * outputs));
            positions.push_back(feature.positions[r]);
        }
        feature.values = std::move(values);
        feature.positions = std::move(positions);
    }
    return pooled;
}

} // namespace plumb
