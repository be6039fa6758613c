#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <optional>

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

// Parses a command's arguments after adding --help. On --help it prints the help (exit 0); on a
// usage error, or a positional count other than `positionals`, it prints why (exit 2).
// Returns std::nullopt when the command should go on, else the exit code to return.
std::optional<int> parseArguments(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                                  qsizetype positionals, Io io);

// Runs `plumb ARGS...` (arguments without the program name) and returns the exit code.
int run(const QStringList &arguments, Io io);

} // namespace plumb::cli
