#pragma once

#include "cli.h"
#include "serve/batchscorer.h"

namespace plumb::cli {

// plumb predict MODEL INPUT [-o OUT] [--rejects FILE] [--format csv|jsonl] [--output-format csv|jsonl]:
// streams INPUT (- for standard input) through the model in bounded memory and writes each row's
// input fields, then `prediction` and, for classifiers, one `proba:<class>` column per class, to
// OUT (standard output without -o, or with -o -). Refused rows go to the reject file (or standard
// error) with their line numbers; a summary goes to standard error.
int runPredict(const QStringList &arguments, Io io);

// What a batch command sets up once its model is open: the scorer's options (an explainer, for
// plumb explain), or an error that stops the command.
using BatchSetup = std::function<std::optional<Error>(const ModelArtifact &artifact, BatchOptions &options)>;

// plumb predict and plumb explain: the same arguments, input, output, rejects and summary;
// `setup` (may be empty) adjusts the options. `command` names the command in messages.
int runBatch(const QString &command, const QString &description, const QStringList &arguments, Io io, const BatchSetup &setup);

} // namespace plumb::cli
