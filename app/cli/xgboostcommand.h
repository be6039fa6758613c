#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb import-xgboost MODEL.json|MODEL.ubj -o MODEL.plumb [--name NAME] [--force]
// [--feature-names A,B,C]: reads an XGBoost model file as data, converts it into a Plumb pipeline
// and saves it with the source file's SHA-256 and XGBoost version in its metadata.
// Exit 0 when saved, 3 when the file is refused (an unsupported booster or objective, or a
// malformed file), 1 when it cannot be read or the model cannot be saved.
int runImportXgboost(const QStringList &arguments, Io io);

} // namespace plumb::cli
