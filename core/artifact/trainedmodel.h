#pragma once

#include "artifact/modelartifact.h"
#include "artifact/modelmetadata.h"
#include "learn/trainer.h"

#include <QJsonArray>

namespace plumb {

// What every front end (the CLI's train, the workbench's Train view) stores beside a freshly
// trained pipeline.

// The metadata of a model fresh from trainAndValidate: author, creation time (now, UTC),
// software, the training data's row and column counts, validation scheme, metrics, permutation
// importance, seed and fit time, and the file the rows were read from with the SHA-256 the reader
// took of its bytes (so the digest describes the data trained on, even if the file changes
// later). Name, description and tags are the caller's.
ModelMetadata trainingMetadata(const Dataset &data, const TrainingSpec &spec, const TrainingOutcome &outcome);

} // namespace plumb
