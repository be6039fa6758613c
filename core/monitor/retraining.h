#pragma once

#include "artifact/modelartifact.h"
#include "base/progress.h"
#include "base/result.h"
#include "learn/evaluation.h"
#include "monitor/driftreport.h"
#include "monitor/performancedecay.h"

namespace plumb {

// Retraining a model on recent labelled data: the same preprocessing and parameters (the parent
// pipeline, unfitted), fitted on the older rows and validated on the newest window next to the
// parent, so the user sees whether the new model is better before anything replaces anything.

// The retraining policy, applied to the newest window: retraining is proposed when the model's
// metric there is degraded (its whole bootstrap band worse than the validation baseline), or when
// the window drifts as a whole (dataset drift). The reason names the window and the numbers.
struct RetrainingProposal
{
    bool proposed = false;
    QString reason; // empty when not proposed
};

RetrainingProposal proposeRetraining(const DriftReport &report, const PerformanceReport *performance);

struct RetrainingPlan
{
    const Dataset *data = nullptr;
    std::vector<std::size_t> trainingRows; // the rows to fit on
    std::vector<std::size_t> validationRows; // the newest window
    QString validationLabel; // its name, for the lineage and messages
    QString reason; // the user's; empty: one is written from the drift and metrics
};

// How the retrained model compares with its parent on the newest window, by the metric that
// decides: the parent's first validation metric (the one `plumb drift` follows), else the first
// one measured. The retrained model is worse when that metric is strictly worse in its direction
// (lower accuracy or R², higher RMSE or log loss), or could not be measured where the parent's could.
// Saving a worse model takes an explicit choice (--accept-worse, or a confirmation).
struct RetrainingVerdict
{
    QString metric;
    QString window; // the newest window's label
    double parent = NAN; // the current model's value on it
    double candidate = NAN; // the retrained model's
    bool worse = false;

    // "the retrained model is worse than the current one on 1973-09: r2 0.0412 against 0.8301"
    QString describe() const;
};

struct RetrainingOutcome
{
    Pipeline candidate;
    Evaluation parentOnNewest; // the current model on the newest window
    Evaluation candidateOnNewest; // the retrained one on the same rows
    PermutationImportance importance; // the candidate's, on the newest window
    ShapSummary shap; // the candidate's on the newest window; empty for a model without an exact explanation
    DriftReport drift; // the newest window against the parent's reference profile
    FitReport fitReport;
    double fitSeconds = 0;
    QString lineageReason;
    RetrainingVerdict verdict;
};

// Fits parent.pipeline->cloneUnfitted() on plan.trainingRows and evaluates both models on
// plan.validationRows. Fails when either row set is empty, the data lacks a column the pipeline
// needs, the fit fails, or when cancelled.
Result<RetrainingOutcome> retrain(const ModelArtifact &parent, const RetrainingPlan &plan,
                                  ProgressSink &progress = nullProgress());

// The verdict on the newest window `window` (see RetrainingVerdict): `parentValidation` is the
// parent's validation metrics (their order picks the deciding one), the two evaluations are both
// models' on the window. retrain() fills RetrainingOutcome::verdict with it.
RetrainingVerdict judgeRetraining(const MetricList &parentValidation, const Evaluation &parentOnNewest,
                                  const Evaluation &candidateOnNewest, const QString &window);

// The new model's metadata: the parent's name, description, tags, seed and author (this
// user's, defaultAuthor(), when the parent names none); now and this software; the training rows; the candidate's metrics on the newest window as its validation;
// the parent's digest and the reason as lineage.
ModelMetadata retrainedMetadata(const ModelArtifact &parent, const RetrainingPlan &plan, const RetrainingOutcome &outcome);

} // namespace plumb
