#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb train DATA --target COL --model NAME -o MODEL.plumb [--features a,b,c] [--set KEY=VALUE]...
//   [--validation holdout:0.2|kfold:5|time:COL] [--seed N] [--name N] [--description D] [--tag T]...
//   [--force] [csv options] [--role COL=ROLE]...
int runTrain(const QStringList &arguments, Io io);

} // namespace plumb::cli
