#pragma once

#include "data/csvreader.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace plumb::cli {

// The options every command that reads a data file shares:
// --delimiter C, --header auto|yes|no, --skip-bad-rows, --type COL=TYPE (repeatable),
// --decimal .|, , --na-values A,B,... (repeatable), --no-default-na.
void addCsvOptions(QCommandLineParser &parser);

// A line saying how numbers and missing values were read: "decimal ',' (sniffed); missing: the
// defaults and -999". For the commands that report what they loaded.
QString valueSyntaxSummary(const CsvDialect &dialect, const CsvOptions &options);

// Reads those options back. Returns std::nullopt and writes the reason to `error` when a value is bad.
std::optional<CsvOptions> csvOptionsFrom(const QCommandLineParser &parser, QString &error);

// Applies --role COL=ROLE (repeatable) to a loaded dataset; false with a reason for a bad pair.
bool applyRoles(const QStringList &pairs, Dataset &dataset, QString &error);

} // namespace plumb::cli
