#pragma once

#include "base/error.h"

namespace plumb::cli {

// Exit codes shared by every command.
enum ExitCode : int {
    kExitOk = 0,
    kExitError = 1, // the work failed: bad input, I/O
    kExitUsage = 2, // the command line is wrong
    kExitVerification = 3, // an integrity or signature check failed, or a scanned file was refused
};

// Which question a command answers about the files it opens: "use it" (inspect, predict, drift,
// retrain, serve: only an integrity or signature failure is a failed verification) or "does it
// hold?" (verify: any refusal of the file's bytes is one; only a file that cannot be read is not).
enum class ExitContext { Use, Verify };

// The exit code of a command that failed with an error of `kind`: the one table of exit codes.
int exitCodeFor(Error::Kind kind, ExitContext context = ExitContext::Use);

} // namespace plumb::cli
