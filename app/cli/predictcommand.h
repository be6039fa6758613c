#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb predict MODEL INPUT [-o OUT] [--rejects FILE] [--format csv|jsonl] [--output-format csv|jsonl]:
// streams INPUT (- for standard input) through the model in bounded memory and writes each row's
// input fields, then `prediction` and, for classifiers, one `proba:<class>` column per class, to
// OUT (standard output without -o, or with -o -). Refused rows go to the reject file (or standard
// error) with their line numbers; a summary goes to standard error.
int runPredict(const QStringList &arguments, Io io);

} // namespace plumb::cli
