#include "explaincommand.h"

#include "learn/shapexplainer.h"
#include "predictcommand.h"

namespace plumb::cli {

int runExplain(const QStringList &arguments, Io io)
{
    const QString description = QStringLiteral(
        "Explain each row of INPUT with MODEL as a stream, in bounded memory: each row's input fields, then its exact "
        "SHAP values, one shap:<feature> column per feature (shap:<feature>@<class> per class for three classes or "
        "more) and the base value shap:base; base + the row's values = the model's raw output (the probability for "
        "trees and forests, the log-odds or logit for boosting and logistic regression, the value for regression). "
        "Linear and logistic models are explained against the training means of the model file's reference profile. "
        "Rows that fail validation are rejected as by plumb predict.");
    std::optional<ShapExplainer> explainer;
    const BatchSetup setup = [&explainer, &io](const ModelArtifact &artifact, BatchOptions &options) -> std::optional<Error> {
        // Linear models are explained against the training means, from the model file's reference profile.
        Eigen::VectorXd means;
        const ShapAvailability availability = ShapExplainer::availability(*artifact.pipeline, false);
        // A boosting file saved before node covers were stored: say what it can give instead.
        if (availability == ShapAvailability::NeedsNodeCovers)
            return Error::invalid(
                ShapExplainer::unavailableReason(*artifact.pipeline, availability, !artifact.metadata.importance.features.empty())
                + QStringLiteral(" (plumb inspect prints it)"));
        if (availability == ShapAvailability::NeedsTrainingMeans) {
            Result<std::vector<ColumnProfile>> profiles = profilesFromJson(artifact.profile);
            if (!profiles)
                return Error::invalid(QStringLiteral("the model file's reference profile: %1").arg(profiles.error().message));
            Result<Eigen::VectorXd> fromProfile = inputMeansFromProfile(*artifact.pipeline, profiles.value());
            if (!fromProfile)
                return fromProfile.error();
            means = fromProfile.value();
        }
        Result<ShapExplainer> created = ShapExplainer::create(*artifact.pipeline, means);
        if (!created)
            return created.error();
        explainer = std::move(created).value();
        options.explainer = &*explainer;
        // A row costs a thousand times more to explain than to predict: smaller chunks than
        // predict's default keep every thread busy on inputs of a few MB (--chunk-size still rules).
        if (options.chunkBytes == BatchOptions{}.chunkBytes)
            options.chunkBytes = 64 << 10;
        io.err << "plumb explain: " << (explainer->method() == ShapMethod::TreeShap ? "exact TreeSHAP" : "linear SHAP")
               << " of the " << explainer->outputs().join(QStringLiteral(", ")) << '\n';
        return std::nullopt;
    };
    return runBatch(QStringLiteral("explain"), description, arguments, io, setup);
}

} // namespace plumb::cli
