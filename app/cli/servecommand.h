#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb serve MODEL [--host ADDR] [--port N] [--token-file FILE] [--max-body-bytes N] [--max-rows N]
//             [--require-signature] [--keyring DIR]:
// serves the model over HTTP (see ScoringService) until the process is stopped. Listens on
// 127.0.0.1 unless --host says otherwise; another address needs a bearer token. Prints
// "listening on http://ADDR:PORT" to standard error once ready (the port chosen when --port 0).
int runServe(const QStringList &arguments, Io io);

} // namespace plumb::cli
