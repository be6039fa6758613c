#pragma once

#include "artifact/modelartifact.h"

#include <QString>

namespace plumb {

// Why a model file holds no SHAP summary ("validation.shap"), and what it offers instead, for a
// person (the Models view, plumb inspect): the model kind has no exact explanation; a boosting file
// saved before node covers were stored; a file from before format 4 kept summaries; an imported
// model (no validation rows); importance not measured. Each says whether the file's permutation
// importance is there to look at instead. Empty when the file holds a summary.
QString missingShapSummaryReason(const ModelArtifact &artifact);

} // namespace plumb
