#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb profile DATA [--json] [csv options] [--role COL=ROLE]...
// Loads DATA and prints each column's type, role and profile.
int runProfile(const QStringList &arguments, Io io);

} // namespace plumb::cli
