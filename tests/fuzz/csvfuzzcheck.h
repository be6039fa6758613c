#pragma once

// Shared by the libFuzzer target (fuzz_csvreader.cpp) and the corpus regression test
// (tests/data/tst_fuzzcorpus.cpp): how an input's first byte chooses the reader's options, and
// the properties every result must have, whatever the bytes.

#include "data/csvreader.h"

#include <QSet>
#include <QString>

#include <algorithm>
#include <cmath>

namespace plumb::fuzz {

// The first byte of a fuzz input selects the options; the rest is the file.
//   bits 0-1: delimiter  0 sniff, 1 ',', 2 ';', 3 tab
//   bits 2-3: header     0 Auto, 1 Present, 2 Absent, 3 Auto
//   bit 4:    skipBadRows
//   bit 5:    type overrides for the first four columns: integer, categorical, datetime, boolean
//   bit 6:    clear names the input "fuzz.tsv" instead of "fuzz.csv" (tab preferred)
//   bit 7:    decimal comma forced, and only the empty field and "-" read as missing (no defaults);
//             clear, the decimal mark is sniffed and the default missing tokens apply
// So '@' (0x40) is the defaults, 'D' forces a header, 'H' forces none, 'P' skips bad rows,
// '`' adds the overrides and 'A'/'B'/'C' force ',', ';' or tab.
inline CsvOptions optionsFor(unsigned char selector)
{
    static constexpr char kDelimiters[] = {0, ',', ';', '\t'};
    static constexpr CsvOptions::Header kHeaders[] = {CsvOptions::Header::Auto, CsvOptions::Header::Present,
                                                      CsvOptions::Header::Absent, CsvOptions::Header::Auto};
    CsvOptions options;
    options.delimiter = kDelimiters[selector & 3];
    options.header = kHeaders[(selector >> 2) & 3];
    options.skipBadRows = selector & 0x10;
    if (selector & 0x80) {
        options.decimal = ',';
        options.naValues = {QStringLiteral("-")};
        options.keepDefaultNa = false;
    }
    return options;
}

inline QString nameFor(unsigned char selector)
{
    return (selector & 0x40) ? QStringLiteral("fuzz.csv") : QStringLiteral("fuzz.tsv");
}

// Reads `bytes` with the selected options. Overrides must name existing columns, so with bit 5
// the file is read once to learn its column names and again with the first four overridden.
inline Result<Dataset> readSelected(const QByteArray &bytes, unsigned char selector)
{
    CsvOptions options = optionsFor(selector);
    Result<Dataset> result = CsvReader::readBytes(bytes, nameFor(selector), options);
    if (!(selector & 0x20) || !result.ok())
        return result;
    static constexpr ColumnType kForced[] = {ColumnType::Integer, ColumnType::Categorical, ColumnType::Datetime,
                                             ColumnType::Boolean};
    const Dataset &first = result.value();
    for (std::size_t c = 0; c < std::min<std::size_t>(4, first.columnCount()); ++c)
        options.typeOverrides.insert(first.column(c).name(), kForced[c]);
    return CsvReader::readBytes(bytes, nameFor(selector), options);
}

// What any result of readSelected() must satisfy (dataset.h, column.h): at least one row unless
// skipBadRows dropped them all and said so in a warning; every column rowCount() long with a
// distinct, non-empty name; categorical codes inside their dictionary of distinct values; Integer
// values whole and within 2^53; Boolean values 0 or 1; missingCount() agreeing with isMissing().
// A failed read must name the input in its message. Returns the first violation, or nothing.
inline QString invariantProblem(const Result<Dataset> &result, unsigned char selector)
{
    const QString name = nameFor(selector);
    if (!result.ok()) {
        if (result.error().isCancelled())
            return QStringLiteral("cancelled without a cancel request");
        if (!result.error().message.contains(name))
            return QStringLiteral("error message does not name the input: ") + result.error().message;
        return {};
    }
    const Dataset &dataset = result.value();
    const bool allSkipped = optionsFor(selector).skipBadRows && !result.warnings().isEmpty();
    if (dataset.columnCount() == 0 || (dataset.rowCount() == 0 && !allSkipped))
        return QStringLiteral("loaded %1 rows x %2 columns").arg(dataset.rowCount()).arg(dataset.columnCount());
    QSet<QString> names;
    for (const Column &column : dataset.columns()) {
        const QString where = QStringLiteral("column '%1': ").arg(column.name());
        if (column.name().isEmpty() || names.contains(column.name()))
            return where + QStringLiteral("empty or repeated name");
        names.insert(column.name());
        if (column.size() != dataset.rowCount())
            return where + QStringLiteral("%1 values for %2 rows").arg(column.size()).arg(dataset.rowCount());
        std::size_t missing = 0;
        if (column.type() == ColumnType::Categorical) {
            if (column.codes().size() != dataset.rowCount())
                return where + QStringLiteral("codes and rows differ");
            if (QSet<QString>(column.categories().begin(), column.categories().end()).size() != column.categories().size())
                return where + QStringLiteral("a category appears twice");
            for (const std::int32_t code : column.codes()) {
                if (code < -1 || code >= column.categories().size())
                    return where + QStringLiteral("code %1 outside %2 categories").arg(code).arg(column.categories().size());
                missing += code == -1;
            }
        } else {
            if (column.numbers().size() != dataset.rowCount())
                return where + QStringLiteral("numbers and rows differ");
            for (const double value : column.numbers()) {
                missing += std::isnan(value);
                if (std::isnan(value))
                    continue;
                if (column.type() == ColumnType::Integer && (value != std::trunc(value) || std::abs(value) > 9007199254740992.0))
                    return where + QStringLiteral("integer column holds %1").arg(value, 0, 'g', 17);
                if (column.type() == ColumnType::Boolean && value != 0.0 && value != 1.0)
                    return where + QStringLiteral("boolean column holds %1").arg(value, 0, 'g', 17);
            }
        }
        if (column.missingCount() != missing)
            return where + QStringLiteral("missingCount() %1, counted %2").arg(column.missingCount()).arg(missing);
        for (std::size_t row = 0; row < dataset.rowCount(); ++row)
            if (column.isMissing(row) != column.displayText(row).isEmpty())
                return where + QStringLiteral("row %1: isMissing() disagrees with displayText()").arg(row);
    }
    return {};
}

} // namespace plumb::fuzz
