#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb scan FILE [--json]
// Reads a pickle or joblib file as data (nothing is run) and prints the verdict and its reason,
// the container, protocol, globals, opcodes, scikit-learn versions and estimator tree.
// Exit 0 when importable, 3 when refused, 1 when unreadable.
int runScan(const QStringList &arguments, Io io);

} // namespace plumb::cli
