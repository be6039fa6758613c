#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "data/dataset.h"
#include "data/valuesyntax.h"

#include <QHash>
#include <QString>

#include <memory>

namespace plumb {

class ByteSource;

// How to read a delimited text file. Every field has an automatic default.
struct CsvOptions
{
    enum class Header { Auto, Present, Absent };

    // 0 = sniff from the first lines among , ; tab |  (a .tsv or .tab file prefers tab).
    char delimiter = 0;
    Header header = Header::Auto;
    // Rows whose field count differs from the header are skipped and reported as a warning
    // instead of failing the whole load.
    bool skipBadRows = false;
    // Column name -> forced type. Values that do not parse as the forced type become missing,
    // reported as a warning. Columns not named here are inferred.
    QHash<QString, ColumnType> typeOverrides;
    // Decimal mark of numbers, '.' or ','; 0 = sniffed: ',' when the delimiter is not ',' and the
    // sampled rows have a column that reads as numbers only with a decimal comma ("2,62") and
    // none that needs a decimal point ("2.62"); '.' otherwise. No thousands separator is read.
    char decimal = 0;
    // Extra tokens read as missing (pandas' na_values), and whether the default tokens
    // (MissingTokens::defaultTokens(), pandas' keep_default_na) count too.
    QStringList naValues;
    bool keepDefaultNa = true;

    MissingTokens missingTokens() const { return MissingTokens(naValues, keepDefaultNa); }
};

// What the sniffer decided; shown to the user beside the data.
struct CsvDialect
{
    char delimiter = ',';
    bool hasHeader = true;
    bool hasBom = false;
    bool crlf = false;
    char decimal = '.'; // the decimal mark numbers were read with
    bool decimalSniffed = false; // decided by the sniffer (not given in CsvOptions)
};

// Reads RFC 4180 CSV/TSV into a Dataset.
//  - quoting: delimiters, quotes ("" escapes) and newlines inside quoted fields;
//  - UTF-8 with or without BOM, LF or CRLF line ends, blank lines ignored;
//  - missing values: the default tokens (pandas' read_csv defaults, plus ?; see isMissingToken),
//    changed by CsvOptions::naValues and keepDefaultNa; a category that looks like one of those
//    tokens (None beside Freq and Some) is reported in a warning;
//  - a decimal comma, sniffed or forced (CsvOptions::decimal);
//  - empty header names are named as pandas names them ("Unnamed: 0" for the first column); a
//    nameless first column (R's write.csv row names, pandas' index) gets the Id role;
//  - types inferred per column (see ColumnType) from the first rows and widened if later rows
//    disagree (integer -> float, anything -> categorical);
//  - numbers are parsed with correct rounding (the same doubles as pandas' round-trip parser).
// The file is read twice in blocks (a structure scan, then a parallel parse on workerCount()
// threads), never as a whole-file copy: memory is the columns plus a few MB of buffers.
// Fails with a message naming the line (and column) for ragged rows, invalid UTF-8 (with its byte
// offset), unterminated quotes, duplicate column names, an empty file or a header-only file.
// `dialect`, when given, receives the dialect the file was read with (after a successful read),
// so that a caller showing it does not sniff the file again.
class CsvReader
{
public:
    static Result<Dataset> readFile(const QString &path, const CsvOptions &options = {}, ProgressSink &progress = nullProgress(),
                                    CsvDialect *dialect = nullptr);
    // Same as readFile, from bytes in memory (tests, fuzzing, pasted data). `name` is used in messages.
    static Result<Dataset> readBytes(const QByteArray &bytes, const QString &name, const CsvOptions &options = {},
                                     ProgressSink &progress = nullProgress(), CsvDialect *dialect = nullptr);
    // Sniffs the dialect from the start of a file without reading it all (as readFile does first).
    static Result<CsvDialect> sniffFile(const QString &path, const CsvOptions &options = {});

    static Result<Dataset> read(ByteSource &source, const CsvOptions &options, ProgressSink &progress,
                                CsvDialect *dialect = nullptr);
};

} // namespace plumb
