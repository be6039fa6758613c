#pragma once

#include "data/csvreader.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace plumb::cli {

// The options every command that reads a data file shares:
// --delimiter C, --header auto|yes|no, --skip-bad-rows, --type COL=TYPE (repeatable).
void addCsvOptions(QCommandLineParser &parser);

// Reads those options back. Returns std::nullopt and writes the reason to `error` when a value is bad.
std::optional<CsvOptions> csvOptionsFrom(const QCommandLineParser &parser, QString &error);

// Applies --role COL=ROLE (repeatable) to a loaded dataset; false with a reason for a bad pair.
bool applyRoles(const QStringList &pairs, Dataset &dataset, QString &error);

} // namespace plumb::cli
