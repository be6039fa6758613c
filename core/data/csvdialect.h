#pragma once

#include "base/result.h"
#include "data/csvreader.h"

#include <QByteArray>
#include <QStringList>

#include <string>
#include <vector>

namespace plumb {

// What the start of a file tells: the dialect, the column names, where the data starts, and the
// first records as text for type inference.
struct CsvPreamble
{
    CsvDialect dialect;
    QStringList columnNames;
    std::uint64_t dataOffset = 0; // byte offset of the first data record (after BOM and header)
    std::int64_t dataLine = 0; // 0-based line of dataOffset
    // Sample records (whole records only), each with exactly columnNames.size() fields.
    std::vector<std::vector<std::string>> sampleRows;
    // Findings worth telling the user (a nameless column past the first).
    QStringList warnings;
};

// Sniffs a CSV from its first bytes. `sample` is the start of the stream; `isWholeStream` says
// whether it is all of it (otherwise its last, possibly cut, record is ignored). `name` is used in
// messages. Also decides the decimal mark (CsvOptions::decimal) from the sample rows. Nameless
// header fields are named as pandas names them, "Unnamed: " and the 0-based position. Fails for
// UTF-16/32, binary data (NUL bytes), an empty stream, a header without data, duplicate column
// names and invalid UTF-8 in the header.
Result<CsvPreamble> sniffCsv(const QByteArray &sample, bool isWholeStream, const QString &name, const CsvOptions &options);

} // namespace plumb
