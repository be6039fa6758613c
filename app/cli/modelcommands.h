#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb inspect MODEL [--json]: metadata, pipeline, features, digest and the file's SHA-256.
int runInspect(const QStringList &arguments, Io io);
// plumb verify MODEL: exit 0 when the file is intact, 3 with the reason when it is not.
int runVerify(const QStringList &arguments, Io io);

} // namespace plumb::cli
