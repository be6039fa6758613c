#pragma once

#include "monitor/monitoringrun.h"

#include <memory>

namespace plumb {

// Retraining on monitored windows, once for `plumb retrain` and the Monitor view's Retrain dialog:
// the model's pipeline fitted on some windows of the current data, validated on the newest window
// next to the model (retrain()), and saved as a new file with lineage.

// A finished retraining: the chosen windows' rows in one table (training rows first, then the
// newest window's), the plan over that table, what retrain() found, and the new model's metadata.
struct RetrainingRun
{
    Dataset table;
    RetrainingPlan plan; // points into table
    RetrainingOutcome outcome;
    ModelMetadata metadata;
};

using RetrainingRunPtr = std::shared_ptr<const RetrainingRun>;

// The windows whose rows carry labels the model could be measured on, in order: those with a
// performance value. None without a performance report.
std::vector<std::size_t> labelledWindows(const PerformanceReport *performance);

// Fits data.model's pipeline on the rows of `trainingWindows` (indexes into data.windows, never
// the newest) and validates it on the newest window (see retrain()). `reason` is the user's, or
// empty for one written from the drift and metrics. The metadata names the files the training rows
// come from (every file when the windows are periods of one timeline) and their SHA-256. Fails
// when no training window is given, one is the newest or out of range, retrain() fails, or when
// cancelled.
Result<RetrainingRunPtr> retrainOnWindows(const MonitoringData &data, const std::vector<std::size_t> &trainingWindows,
                                          const QString &reason, ProgressSink &progress = nullProgress());

// Refuses `path` for a retrained model when it is the parent's own file (a retrained model is
// saved as a new file, never over the model it came from); the message names the file.
std::optional<Error> checkRetrainedModelPath(const QString &parentPath, const QString &path);

// Saves `run`'s model at `path` with the reference profile of its training rows (saveModelArtifact:
// the file is read back before it replaces anything). Never replaces the parent: a path equal to
// `parentPath` fails, as does an existing file unless `overwrite`.
std::optional<Error> saveRetrainedModel(const RetrainingRun &run, const QString &parentPath, const QString &path, bool overwrite);

} // namespace plumb
