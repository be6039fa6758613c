#pragma once

#include "learn/pipeline.h"

#include <cstdint>

namespace plumb {

// How permutation importance is measured.
struct PermutationOptions
{
    int repeats = 5; // shuffles per feature (scikit-learn's n_repeats)
    std::uint64_t seed = 0; // the same seed gives the same shuffles and results
};

// What shuffling one input column costs the model: the drop of the key metric from the baseline
// (baseline - shuffled score; positive = the model relies on the feature).
struct FeatureImportance
{
    QString feature;
    double mean = 0;
    double standardDeviation = 0; // population (ddof 0), as scikit-learn's importances_std
    std::vector<double> drops; // one per repeat
};

struct PermutationImportance
{
    QString metric; // "accuracy" (classification) or "r2" (regression)
    double baseline = 0;
    std::vector<FeatureImportance> features; // in the pipeline's feature order
};

// Permutation importance of a fitted pipeline on `rows` of `data` (all rows when empty; rows
// whose target is missing are left out), as sklearn.inspection.permutation_importance with its
// default scoring: each raw input column the pipeline reads (before preprocessing) is shuffled
// among those rows, `repeats` times, and the rows are scored again. Columns are shuffled one at a
// time, the others left as they are. Deterministic for a seed (the shuffles are Plumb's own, not
// numpy's). Progress runs over the features x repeats predictions; cancellation returns
// Error::cancelled(). Fails for an unfitted pipeline, data that does not match its schema, a
// target column that is missing, no labelled rows, or repeats < 1.
Result<PermutationImportance> permutationImportance(const Pipeline &pipeline, const Dataset &data,
                                                    const std::vector<std::size_t> &rows, const PermutationOptions &options = {},
                                                    ProgressSink &progress = nullProgress());

// One importance from several (the folds of a k-fold validation): each feature's drops pooled,
// its mean and deviation over all of them; the baseline is the folds' mean. Empty for none.
PermutationImportance pooledImportance(const std::vector<PermutationImportance> &parts);

} // namespace plumb
