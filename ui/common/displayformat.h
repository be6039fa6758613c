#pragma once

#include "data/columntype.h"
#include "data/csvreader.h"

#include <QString>

#include <cstddef>

namespace plumb::ui {

// How the workbench writes numbers, durations and core enums for people.
// One English locale everywhere, so a screenshot reads the same on every machine.

// 1234567 -> "1,234,567".
QString formatCount(std::size_t count);
// For reading, the one number format of the views: whole numbers in full with digit grouping
// (1,234,567); others with six significant digits, never fewer than their whole part has
// (0.674321, 1,234.57, 1,234,567); below 1e-4 or from 1e15 scientific (2.56e-06); an em dash
// for NaN. Tables give the exact value in a tooltip.
QString formatNumber(double value);
// A value of a column in its own terms: datetimes as ISO 8601, anything else as formatNumber.
QString formatValue(double value, ColumnType type);
// Category or class names joined so that none can be misread: {"Smith, J", "Doe"} -> "Smith, J", Doe
// (a name with a comma, a quote or spaces at an end is quoted, its quotes doubled, as in CSV).
QString formatNameList(const QStringList &names);
// 0.125 -> "12.5%"; very small non-zero rates show as "<0.1%".
QString formatPercent(double fraction);
// 845 -> "845 ms", 1840 -> "1.84 s".
QString formatDuration(qint64 milliseconds);
// "Float", "Categorical", ... and "Feature", "Target", ...
QString columnTypeLabel(ColumnType type);
QString columnRoleLabel(ColumnRole role);
// "Comma-separated · header row · UTF-8 BOM · CRLF".
QString dialectSummary(const CsvDialect &dialect);

} // namespace plumb::ui
