#pragma once

#include <QStringList>
#include <QTextStream>

namespace plumb::cli {

// Exit codes shared by every command.
enum ExitCode : int {
    kExitOk = 0,
    kExitError = 1,         // the work failed: bad input, I/O
    kExitUsage = 2,         // the command line is wrong
    kExitVerification = 3,  // an integrity or signature check failed
};

// Where a command writes: results to out, messages to err.
struct Io
{
    QTextStream &out;
    QTextStream &err;
};

// Runs `plumb ARGS...` (arguments without the program name) and returns the exit code.
int run(const QStringList &arguments, Io io);

} // namespace plumb::cli
