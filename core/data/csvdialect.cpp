#include "data/csvdialect.h"

#include "data/csvparser.h"
#include "data/valueparser.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <map>

namespace plumb {

namespace {

constexpr std::array kCandidateDelimiters{',', ';', '\t', '|'};
constexpr std::size_t kSniffRecords = 50;
constexpr std::size_t kSampleRecords = 4096;

struct Records
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> endOffsets; // offset just past each record
    std::vector<std::int64_t> endLines; // lines consumed through each record
    bool unterminated = false;
    std::int64_t unterminatedLine = 0;
};

Records tokenizeSample(QByteArray text, char delimiter, std::size_t maxRecords, bool isWholeStream)
{
    Records records;
    CsvTokenizer tokenizer(text.data(), text.data() + text.size(), delimiter);
    std::vector<std::string_view> fields;
    while (records.rows.size() < maxRecords && tokenizer.nextRecord(fields)) {
        records.rows.emplace_back(fields.begin(), fields.end());
        records.endOffsets.push_back(tokenizer.position());
        records.endLines.push_back(tokenizer.linesConsumed());
    }
    records.unterminated = tokenizer.hasUnterminatedQuote();
    records.unterminatedLine = tokenizer.unterminatedLine();
    // A sample cut from a longer stream may end inside its last record.
    if (!isWholeStream && !records.rows.empty() && records.rows.size() < maxRecords) {
        records.rows.pop_back();
        records.endOffsets.pop_back();
        records.endLines.pop_back();
    }
    if (!isWholeStream)
        records.unterminated = false;
    return records;
}

// A delimiter scores by how consistently it splits the records into more than one field:
// the share of records having the most common field count, then that count.
std::pair<double, std::size_t> delimiterScore(const Records &records)
{
    if (records.rows.empty())
        return {0.0, 0};
    std::map<std::size_t, std::size_t> countsByWidth;
    for (const auto &row : records.rows)
        ++countsByWidth[row.size()];
    const auto mode = std::max_element(countsByWidth.begin(), countsByWidth.end(),
                                       [](auto a, auto b) { return a.second < b.second; });
    if (mode->first < 2)
        return {0.0, 1};
    return {double(mode->second) / double(records.rows.size()), mode->first};
}

char sniffDelimiter(const QByteArray &text, const QString &name, bool isWholeStream)
{
    if (name.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive) || name.endsWith(QLatin1String(".tab"), Qt::CaseInsensitive)) {
        const Records tabbed = tokenizeSample(text, '\t', kSniffRecords, isWholeStream);
        if (delimiterScore(tabbed).second >= 2)
            return '\t';
    }
    char best = ',';
    std::pair<double, std::size_t> bestScore{0.0, 0};
    for (char candidate : kCandidateDelimiters) {
        const auto score = delimiterScore(tokenizeSample(text, candidate, kSniffRecords, isWholeStream));
        if (score > bestScore) {
            bestScore = score;
            best = candidate;
        }
    }
    return best;
}

// A header row holds names: no field in it reads as a number (with either decimal mark the file
// may use), a boolean or a date.
bool looksLikeHeader(const std::vector<std::string> &firstRow, const MissingTokens &missing, bool commaPossible)
{
    for (const std::string &field : firstRow) {
        if (missing.matches(field))
            continue;
        if (parseNumber(field) || (commaPossible && parseNumberWithDecimalComma(field)) || parseBoolean(field)
            || parseDatetime(field))
            return false;
    }
    return true;
}

// pandas' name for a column without one: "Unnamed: " and the 0-based position.
QString unnamedColumnName(qsizetype index)
{
    return QStringLiteral("Unnamed: %1").arg(index);
}

// Names the nameless columns as pandas does and refuses duplicates. A nameless first column is
// what R's write.csv (row names) and pandas' to_csv (the index) write; others are worth a warning.
std::optional<Error> settleColumnNames(QStringList &names, const QString &name, QStringList &warnings)
{
    QHash<QString, qsizetype> firstColumn;
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names[i].trimmed().isEmpty()) {
            names[i] = unnamedColumnName(i);
            if (i > 0)
                warnings.append(QStringLiteral("%1: column %2 has no name in the header; it is called '%3'")
                                    .arg(name)
                                    .arg(i + 1)
                                    .arg(names[i]));
        }
        const auto seen = firstColumn.constFind(names[i]);
        if (seen != firstColumn.constEnd())
            return Error::invalid(QStringLiteral("%1: column name '%2' appears twice (columns %3 and %4)")
                                      .arg(name, names[i])
                                      .arg(*seen + 1)
                                      .arg(i + 1));
        firstColumn.insert(names[i], i);
    }
    return std::nullopt;
}

// What a column's sampled values say about the decimal mark: a column reads for ',' when every
// value is a number with a decimal comma and one of them has a comma (it would not be numeric
// with '.'), and for '.' when every value is a number with a decimal point and one has a point.
// Integers alone say nothing.
char sniffDecimal(const std::vector<std::vector<std::string>> &rows, std::size_t columns, const MissingTokens &missing)
{
    std::size_t commaColumns = 0, pointColumns = 0;
    for (std::size_t c = 0; c < columns; ++c) {
        bool allComma = true, anyComma = false, allPoint = true, anyPoint = false;
        for (const auto &row : rows) {
            const std::string &field = row[c];
            if (missing.matches(field))
                continue;
            const bool comma = field.find(',') != std::string::npos;
            const bool point = field.find('.') != std::string::npos;
            allComma = allComma && parseNumberWithDecimalComma(field).has_value();
            allPoint = allPoint && parseNumber(field).has_value();
            anyComma = anyComma || comma;
            anyPoint = anyPoint || point;
            if (!allComma && !allPoint)
                break;
        }
        commaColumns += allComma && anyComma;
        pointColumns += allPoint && anyPoint;
    }
    return commaColumns > 0 && pointColumns == 0 ? ',' : '.';
}

std::optional<Error> checkEncoding(const QByteArray &sample, const QString &name)
{
    if (sample.startsWith("\xFF\xFE") || sample.startsWith("\xFE\xFF"))
        return Error::invalid(QStringLiteral("%1 is encoded as UTF-16; save it as UTF-8").arg(name));
    const qsizetype nul = sample.indexOf('\0');
    if (nul >= 0)
        return Error::invalid(
            QStringLiteral("%1 holds a NUL byte at offset %2: it looks binary, not delimited text").arg(name).arg(nul));
    return std::nullopt;
}

} // namespace

Result<CsvPreamble> sniffCsv(const QByteArray &sample, bool isWholeStream, const QString &name, const CsvOptions &options)
{
    if (auto error = checkEncoding(sample, name))
        return *error;
    CsvPreamble preamble;
    QByteArray text = sample;
    if (text.startsWith("\xEF\xBB\xBF")) {
        preamble.dialect.hasBom = true;
        text.remove(0, 3);
    }
    if (text.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("%1 is empty").arg(name));

    const char delimiter = options.delimiter ? options.delimiter : sniffDelimiter(text, name, isWholeStream);
    preamble.dialect.delimiter = delimiter;
    preamble.dialect.crlf = text.contains("\r\n");
    Records records = tokenizeSample(text, delimiter, kSampleRecords + 1, isWholeStream);
    if (records.rows.empty()) {
        if (records.unterminated)
            return Error::invalid(QStringLiteral("%1, line %2: a quoted field opened here is never closed")
                                      .arg(name)
                                      .arg(records.unterminatedLine + 1));
        return Error::invalid(QStringLiteral("%1: the first record is longer than %2 bytes").arg(name).arg(sample.size()));
    }

    const MissingTokens missing = options.missingTokens();
    const bool commaPossible = options.decimal == ',' || (options.decimal == 0 && delimiter != ',');
    const bool hasHeader = options.header == CsvOptions::Header::Auto
        ? looksLikeHeader(records.rows.front(), missing, commaPossible)
        : options.header == CsvOptions::Header::Present;
    preamble.dialect.hasHeader = hasHeader;
    const std::vector<std::string> &first = records.rows.front();
    for (std::size_t i = 0; i < first.size(); ++i) {
        if (!hasHeader) {
            preamble.columnNames.append(QStringLiteral("column_%1").arg(i + 1));
            continue;
        }
        if (firstInvalidUtf8(first[i])) {
            const std::size_t headerBytes = records.endOffsets.front();
            const auto bad = firstInvalidUtf8(std::string_view(text.constData(), headerBytes));
            return Error::invalid(QStringLiteral("%1: invalid UTF-8 at byte offset %2 (line 1, the header, column %3)")
                                      .arg(name)
                                      .arg((preamble.dialect.hasBom ? 3 : 0) + bad.value_or(0))
                                      .arg(i + 1));
        }
        preamble.columnNames.append(decodeUtf8(first[i]));
    }
    if (auto error = settleColumnNames(preamble.columnNames, name, preamble.warnings))
        return *error;

    const std::uint64_t bomBytes = preamble.dialect.hasBom ? 3 : 0;
    if (hasHeader) {
        preamble.dataOffset = bomBytes + records.endOffsets.front();
        preamble.dataLine = records.endLines.front();
        records.rows.erase(records.rows.begin());
        if (records.rows.empty() && isWholeStream && !records.unterminated)
            return Error::invalid(QStringLiteral("%1 has a header but no data rows").arg(name));
    } else {
        preamble.dataOffset = bomBytes;
    }
    for (auto &row : records.rows) {
        if (row.size() == std::size_t(preamble.columnNames.size()))
            preamble.sampleRows.push_back(std::move(row));
        if (preamble.sampleRows.size() == kSampleRecords)
            break;
    }
    preamble.dialect.decimal = options.decimal ? options.decimal : '.';
    if (options.decimal == 0 && commaPossible) {
        preamble.dialect.decimal = sniffDecimal(preamble.sampleRows, std::size_t(preamble.columnNames.size()), missing);
        preamble.dialect.decimalSniffed = true;
    }
    return preamble;
}

} // namespace plumb
