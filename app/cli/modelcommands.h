#pragma once

#include "cli.h"

#include "learn/permutationimportance.h"
#include "learn/shapsummary.h"

namespace plumb::cli {

// The features by permutation importance, largest drop first, with their spread.
void printImportance(QTextStream &out, const PermutationImportance &importance);
// The features by mean |SHAP| on the validation rows, most important first, saying what is measured
// and on how many rows; for no summary, `unavailable` (why), when not empty.
void printShapSummary(QTextStream &out, const ShapSummary &shap, const QString &unavailable);

// plumb inspect MODEL [--json]: metadata, pipeline, features, digest and the file's SHA-256.
int runInspect(const QStringList &arguments, Io io);
// plumb verify MODEL: exit 0 when the file is intact, 3 with the reason when it is not.
int runVerify(const QStringList &arguments, Io io);

} // namespace plumb::cli
