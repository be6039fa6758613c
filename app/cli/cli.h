#pragma once

#include "artifact/modelartifact.h"
#include "exitcodes.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <optional>

namespace plumb::cli {

// Where a command writes: results to out, messages to err.
struct Io
{
    QTextStream &out;
    QTextStream &err;
};

// Parses a command's arguments after adding --help. On --help it prints the help (exit 0); on a
// usage error, or a positional count other than `positionals` (fewer, when `moreAllowed`), it
// prints why (exit 2). Returns std::nullopt when the command should go on, else the exit code.
std::optional<int> parseArguments(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                                  qsizetype positionals, Io io, bool moreAllowed = false);

// Prints `rows` (the first is the header) as aligned columns two spaces apart, each as wide as its
// widest cell; the columns `isNumeric` picks are right-aligned, the others left-aligned.
void printAlignedTable(QTextStream &out, const QList<QStringList> &rows, const std::function<bool(qsizetype column)> &isNumeric);

// Runs `plumb ARGS...` (arguments without the program name) and returns the exit code.
// A model file opened as every front end opens it (openModelFile, the default keyring), for the
// commands that use its content and not its signature (predict, drift, retrain).
Result<ModelArtifact> openedArtifact(const QString &path);

int run(const QStringList &arguments, Io io);

} // namespace plumb::cli
