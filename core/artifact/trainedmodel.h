#pragma once

#include "artifact/modelmetadata.h"
#include "learn/trainer.h"

#include <QJsonArray>

namespace plumb {

// What every front end (the CLI's train, the workbench's Train view) stores beside a freshly
// trained pipeline.

// The metadata of a model fresh from trainAndValidate: author, creation time (now, UTC),
// software, the training data's row and column counts, validation scheme, metrics, permutation
// importance, seed and fit time. Name, description, tags and the source file are the caller's.
ModelMetadata trainingMetadata(const Dataset &data, const TrainingSpec &spec, const TrainingOutcome &outcome);

// The reference profile stored in the model: every feature of the pipeline and its target, as
// profiled in `data` now (one ColumnProfile JSON object each; columns not in `data` are skipped).
QJsonArray referenceProfile(const Dataset &data, const Pipeline &pipeline);

} // namespace plumb
