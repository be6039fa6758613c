#pragma once

#include "learn/permutationimportance.h"
#include "learn/shapsummary.h"

#include <cstdint>

namespace plumb {

// What a validation measures of how a fitted model uses its features, on the validation rows:
// permutation importance (every model kind) and, for models ShapExplainer explains exactly, the
// SHAP summary (empty for the others: k-nearest neighbours, naive Bayes). Training, k-fold
// validation and retraining all measure it with validationExplanation().
struct ValidationExplanation
{
    PermutationImportance importance;
    ShapSummary shap;
};

// Measures both for `fitted` on `validationRows` of `data`: permutation importance with 5 repeats
// and `seed`, then the SHAP summary of at most `shapRows` of the rows (linear models are explained
// against the training means of `trainingRows`). Progress runs over both (the SHAP summary, much
// the cheaper, takes the last quarter); cancellation returns Error::cancelled(). Fails as
// permutationImportance() and shapSummary() do, the message saying which.
Result<ValidationExplanation> validationExplanation(const Pipeline &fitted, const Dataset &data,
                                                    const std::vector<std::size_t> &trainingRows,
                                                    const std::vector<std::size_t> &validationRows, std::uint64_t seed,
                                                    std::size_t shapRows = ShapSummaryOptions{}.rows,
                                                    ProgressSink &progress = nullProgress());

} // namespace plumb
