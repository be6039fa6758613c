#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb retrain MODEL DATA... -o NEW.plumb [--timestamp COL --window PERIOD] [--reason TEXT] [--force] [csv options]
// Refits MODEL's pipeline (same preprocessing and parameters) on labelled DATA except its newest
// window, validates the new model and MODEL on that window side by side, and saves the new one
// with lineage. The newest window is the last file, or the last period of --timestamp.
int runRetrain(const QStringList &arguments, Io io);

} // namespace plumb::cli
