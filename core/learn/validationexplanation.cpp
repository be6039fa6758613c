#include "learn/validationexplanation.h"

#include "learn/shapexplainer.h"

namespace plumb {

Result<ValidationExplanation> validationExplanation(const Pipeline &fitted, const Dataset &data,
                                                    const std::vector<std::size_t> &trainingRows,
                                                    const std::vector<std::size_t> &validationRows, std::uint64_t seed,
                                                    std::size_t shapRows, ProgressSink &progress)
{
    ValidationExplanation explanation;
    ProgressRange importanceProgress(progress, 0.0, 0.75);
    Result<PermutationImportance> importance = permutationImportance(fitted, data, validationRows, {5, seed}, importanceProgress);
    if (!importance)
        return Error{QStringLiteral("permutation importance: %1").arg(importance.error().message), importance.error().kind};
    explanation.importance = std::move(importance).value();
    if (ShapExplainer::availability(fitted, true) != ShapAvailability::Exact)
        return explanation;
    // Linear SHAP is centred on the training means; tree models need none.
    Eigen::VectorXd means;
    if (ShapExplainer::availability(fitted, false) == ShapAvailability::NeedsTrainingMeans) {
        Result<Eigen::VectorXd> trainingMeans = inputMeans(fitted, data, trainingRows);
        if (!trainingMeans)
            return Error{QStringLiteral("SHAP summary: %1").arg(trainingMeans.error().message), trainingMeans.error().kind};
        means = std::move(trainingMeans).value();
    }
    ShapSummaryOptions options;
    options.rows = shapRows;
    ProgressRange shapProgress(progress, 0.75, 1.0);
    Result<ShapSummary> shap = shapSummary(fitted, data, validationRows, means, options, shapProgress);
    if (!shap && shap.error().kind == Error::Kind::Cancelled)
        return shap.error();
    // A summary that cannot be trusted (its values do not add up) is left out: training goes on.
    if (shap)
        explanation.shap = std::move(shap).value();
    return explanation;
}

} // namespace plumb
