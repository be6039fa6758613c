#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb predict MODEL DATA [-o OUT.csv]: the input columns, then `prediction` and, for
// classifiers, one `proba:<class>` column per class. Writes to standard output without -o.
int runPredict(const QStringList &arguments, Io io);

} // namespace plumb::cli
