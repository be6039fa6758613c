#pragma once

#include "base/result.h"
#include "learn/pipeline.h"

#include <Eigen/Core>

#include <vector>

namespace plumb {

// How much each input feature moved one prediction away from the model's base value, on the
// scale the method works in. base + sum(values) equals the explained output exactly.
struct FeatureContributions
{
    enum class Method {
        Linear, // coefficient x preprocessed value, summed over a feature's model inputs
        TreeShap // exact path-dependent TreeSHAP (ShapExplainer)
    };
    Method method = Method::Linear;
    // What is explained: "prediction" (regression), "log-odds of 'yes'" (logistic regression and
    // boosting), "logit of 'b'" (multinomial), "probability of 'yes'" (trees and forests).
    QString output;
    double base = 0; // intercept, or the trees' expected output (cover-weighted, boosting's baseline included)
    std::vector<double> values; // one per pipeline.features(), in that order

    // "exact, linear" / "exact TreeSHAP", for chart titles.
    QString methodName() const;
};

// Which model inputs (the router's output columns) come from which pipeline feature: index f of
// pipeline.features() for each output column. Fails for a preprocessing step whose outputs cannot
// be traced to its inputs (a step that mixes columns).
Result<std::vector<int>> inputSources(const Pipeline &pipeline);

// Explains one row. `inputs` is the row as the model takes it (RowScorer::transform);
// `classIndex` picks the class explained for classifiers (ignored for regression). Linear and
// logistic models are explained exactly (coefficient x input, base the intercept); decision trees,
// random forests (class probabilities) and gradient boosting (raw score: log-odds or logit) by
// exact TreeSHAP (ShapExplainer, which callers explaining many rows should hold instead). Fails
// for other model kinds, naming the kind, for a boosting model saved without node covers, and for
// an input row of the wrong length.
Result<FeatureContributions> explainRow(const Pipeline &pipeline, const Eigen::VectorXd &inputs, int classIndex);

} // namespace plumb
