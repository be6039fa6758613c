#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb import-sklearn FILE -o MODEL.plumb [--name NAME] [--force]: scans a scikit-learn pickle or
// joblib file without running it, converts the model into a Plumb pipeline and saves it with the
// source file's SHA-256, the scikit-learn version, the globals and the conversion in its metadata.
// Exit 0 when saved, 3 when the scan refuses the file, 1 when it is unreadable or cannot be
// converted or saved.
int runImportSklearn(const QStringList &arguments, Io io);

} // namespace plumb::cli
