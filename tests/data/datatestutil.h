#pragma once

// Small helpers shared by the dataset tests: render a Dataset as text that a test table can spell
// out, independently of Column::displayText, so a formatting change cannot hide a parsing bug.

#include "data/dataset.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <bit>
#include <charconv>
#include <cmath>
#include <optional>

namespace plumb::test {

// Marks a missing value in rendered rows.
inline const QString kMissingCell = QStringLiteral("<NA>");

// The shortest text that reads back as exactly `value` (std::to_chars without a format).
inline QString shortestText(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, result.ptr - buffer);
}

// One cell: the category text, the number in shortest form, or kMissingCell.
inline QString cellText(const Column &column, std::size_t row)
{
    if (column.type() == ColumnType::Categorical) {
        const std::int32_t code = column.codes().at(row);
        if (code < 0)
            return kMissingCell;
        return column.categories().at(code);
    }
    const double value = column.numbers().at(row);
    return std::isnan(value) ? kMissingCell : shortestText(value);
}

// Every row as its cells joined by '|'.
inline QStringList renderRows(const Dataset &dataset)
{
    QStringList rows;
    for (std::size_t r = 0; r < dataset.rowCount(); ++r) {
        QStringList cells;
        for (const Column &column : dataset.columns())
            cells.append(cellText(column, r));
        rows.append(cells.join(QLatin1Char('|')));
    }
    return rows;
}

// Python's float.hex() text ("-0x1.8p+1", "0x0.0p+0") to a double; exact, locale-free.
inline std::optional<double> fromPythonHex(const QByteArray &text)
{
    QByteArray digits = text;
    const bool negative = digits.startsWith('-');
    if (negative)
        digits.remove(0, 1);
    if (!digits.startsWith("0x"))
        return std::nullopt;
    digits.remove(0, 2);
    double value = 0;
    const char *end = digits.constData() + digits.size();
    const auto result = std::from_chars(digits.constData(), end, value, std::chars_format::hex);
    if (result.ec != std::errc() || result.ptr != end)
        return std::nullopt;
    return negative ? -value : value;
}

inline QStringList columnNames(const Dataset &dataset)
{
    QStringList names;
    for (const Column &column : dataset.columns())
        names.append(column.name());
    return names;
}

// A column's values as numbers (numeric storage) with NaN for missing.
inline QList<double> numbersOf(const Column &column)
{
    return QList<double>(column.numbers().begin(), column.numbers().end());
}

// True when both lists hold the same doubles bit for bit (NaN equals NaN, -0 differs from 0).
inline bool sameBits(const QList<double> &a, const QList<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (std::bit_cast<quint64>(a[i]) != std::bit_cast<quint64>(b[i]) && !(std::isnan(a[i]) && std::isnan(b[i])))
            return false;
    return true;
}

// "[1, 2.5, <NA>]" for failure messages.
inline QString describe(const QList<double> &values)
{
    QStringList parts;
    for (const double value : values)
        parts.append(std::isnan(value) ? kMissingCell : shortestText(value));
    if (parts.size() > 12)
        parts = parts.mid(0, 12) + QStringList{QStringLiteral("... (%1 values)").arg(values.size())};
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace plumb::test
