#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb drift MODEL CURRENT... [--timestamp COL --window hour|day|week|month] [--json] [--html REPORT.html]
//     [--method COL=METHOD]... [--threshold COL=VALUE]... [--baseline-windows N] [--drift-share F] [csv options]
// Compares each current file (one window each), or each time window of them, with the model's
// reference profile and prints the drift per window and the alerts.
int runDrift(const QStringList &arguments, Io io);

} // namespace plumb::cli
