#pragma once

#include "learn/evaluation.h"
#include "learn/permutationimportance.h"
#include "learn/shapsummary.h"
#include "learn/targetinference.h"
#include "learn/validation.h"

#include <cstdint>

namespace plumb {

// What to train: the columns, the model and its parameters, and how to validate it.
struct TrainingSpec
{
    QStringList features; // empty: every column whose role is Feature
    QString target;
    QString modelKind;
    std::vector<std::pair<QString, QString>> parameters; // name, value as text (--set KEY=VALUE)
    ValidationScheme validation;
    std::uint64_t seed = 0;
    std::optional<Task> task; // unset: the model kind's only task, else inferred from the target (inferTask)
    // Permutation importance of each feature on the validation rows, and for models explained
    // exactly (ShapExplainer::availability) the SHAP summary of a sample of them.
    bool importance = true;
    PreprocessingChoices preprocessing; // changes to the model's default preprocessing
};

// The outcome: the pipeline refitted on every labelled row, the validation evaluation (on the
// held-out rows, or on the pooled out-of-fold predictions for k-fold), and the fit's report.
struct TrainingOutcome
{
    Pipeline pipeline;
    Evaluation validation;
    std::vector<MetricList> foldMetrics; // k-fold: one list per fold
    PermutationImportance importance; // on the validation rows (pooled over folds); empty when not asked
    // The SHAP summary of the validation rows (pooled over folds); empty when not asked or when the
    // model kind has no exact explanation (k-nearest neighbours, naive Bayes).
    ShapSummary shap;
    FitReport fitReport;
    TaskChoice task; // the task trained for and why
    double fitSeconds = 0;
    std::size_t trainingRows = 0;
};

// The task a spec trains for, and why: the spec's task when set, else the model kind's only task,
// else the task inferTask reads from the target. Fails when the target is not a column of `data`,
// or when the spec's task is one the model kind does not do; the message names the kinds that do it.
Result<TaskChoice> resolveTask(const Dataset &data, const TrainingSpec &spec);

// Validates then fits. Progress runs over the validation fits and the final fit; cancellation
// returns Error::cancelled(). Deterministic: the same data, spec and seed give bit-identical
// parameters and metrics.
Result<TrainingOutcome> trainAndValidate(const Dataset &data, const TrainingSpec &spec, ProgressSink &progress = nullProgress());

} // namespace plumb
