#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "learn/pipeline.h"
#include "learn/shapvalues.h"

#include <Eigen/Core>

#include <vector>

namespace plumb {

// The global view of a model's SHAP values on validation rows: how much each feature moves the
// predictions on average (mean |SHAP|), and a beeswarm sample (each row's SHAP value beside where
// the feature's value lies among the explained rows). Outputs are those ShapExplainer explains:
// one for regression and two classes, one per class for more.
struct ShapSummary
{
    struct Feature
    {
        QString feature;
        bool categorical = false; // beeswarm positions are -1 (no low/high order to colour)
        std::vector<double> meanAbs; // per output: mean |SHAP| over the explained rows
        std::vector<double> values; // beeswarm: beeswarmRows() x outputs, row-major
        // Per beeswarm row: the value's percentile among the explained rows' values of this
        // feature, 0 (lowest) to 1 (highest); -1 for a missing value or a categorical feature.
        std::vector<double> positions;
    };

    ShapMethod method = ShapMethod::TreeShap;
    QString space; // "probability", "log-odds", "logit", "value"
    QStringList outputs; // per output, what it is: "log-odds of 'yes'", "prediction"
    QStringList outputLabels; // per output, its short name: the class label, or "prediction"
    std::vector<double> base; // per output: the expected raw output (the mean over folds for k-fold)
    qint64 validationRows = 0; // labelled validation rows there were
    qint64 explainedRows = 0; // of them, the sample explained (at most ShapSummaryOptions::rows)
    std::vector<Feature> features; // in the pipeline's feature order

    bool isEmpty() const { return features.empty(); }
    int outputCount() const { return int(outputs.size()); }
    int beeswarmRows() const { return features.empty() ? 0 : int(features.front().positions.size()); }
    // A feature's overall weight: its mean |SHAP|, averaged over the outputs for several (as the
    // shap package's bar summary of a multiclass model stacks one bar per class).
    double importance(std::size_t feature) const;
    // Feature indices, most important first (ties in feature order).
    std::vector<std::size_t> ranking() const;
    // What importance() measures, for chart titles: "mean |SHAP| (log-odds of 'yes')", or
    // "mean over 3 classes of mean |SHAP| (logit)".
    QString importanceLabel() const;
    // One line saying what was measured how, on which rows: "mean |SHAP| (log-odds of 'yes'),
    // exact TreeSHAP on 1000 of 4000 validation rows" (plumb inspect's heading, and its JSON).
    QString description() const;
};

// How many validation rows the summary explains: a deterministic, evenly spaced sample.
struct ShapSummaryOptions
{
    std::size_t rows = 1000; // rows whose mean |SHAP| is taken
    std::size_t beeswarmRows = 200; // of those, rows kept for the beeswarm (an evenly spaced subset)
};

// The SHAP summary of a fitted pipeline on `rows` of `data` (all when empty): at most
// options.rows of them, evenly spaced, explained with ShapExplainer (`inputMeans`: the training
// means of the model inputs, needed by linear models only; see inputMeans()). Progress runs over
// the explained rows; cancellation returns Error::cancelled(). Fails where ShapExplainer::create
// does (models availability() does not call Exact: the caller asks it first), and when the data
// lacks a feature.
Result<ShapSummary> shapSummary(const Pipeline &pipeline, const Dataset &data, const std::vector<std::size_t> &rows,
                                const Eigen::VectorXd &inputMeans = {}, const ShapSummaryOptions &options = {},
                                ProgressSink &progress = nullProgress());

// One summary from those of the folds of a k-fold validation: mean |SHAP| weighted by each
// fold's explained rows, the base values' weighted mean, the beeswarm rows of every fold thinned
// evenly to `beeswarmRows`. Empty for none.
ShapSummary pooledShapSummary(const std::vector<ShapSummary> &parts,
                              std::size_t beeswarmRows = ShapSummaryOptions{}.beeswarmRows);

// An evenly spaced selection of at most `limit` of `count` positions, in order, the first always
// included: the same count and limit always give the same positions.
std::vector<std::size_t> evenlySpaced(std::size_t count, std::size_t limit);

} // namespace plumb
