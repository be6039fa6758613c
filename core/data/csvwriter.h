#pragma once

#include <QByteArray>
#include <QStringList>

#include <string>
#include <string_view>

namespace plumb {

// Formats rows as RFC 4180 CSV (comma, LF line ends, UTF-8): a field is quoted when it holds the
// delimiter, a quote, a line break or surrounding spaces, with quotes doubled inside.
class CsvWriter
{
public:
    explicit CsvWriter(char delimiter = ',') : mDelimiter(delimiter) { }

    void appendRow(const QStringList &fields, QByteArray &out) const;
    void appendField(const QString &field, QByteArray &out) const;
    // The same for UTF-8 bytes, without converting through QString: for streaming output.
    void appendField(std::string_view field, std::string &out) const;

private:
    char mDelimiter;
};

} // namespace plumb
