#include "data/csvwriter.h"

namespace plumb {

void CsvWriter::appendField(const QString &field, QByteArray &out) const
{
    const QByteArray utf8 = field.toUtf8();
    const bool quote = utf8.contains(mDelimiter) || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')
        || utf8.startsWith(' ') || utf8.endsWith(' ');
    if (!quote) {
        out.append(utf8);
        return;
    }
    out.append('"');
    for (char c : utf8) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

void CsvWriter::appendField(std::string_view field, std::string &out) const
{
    bool quote = !field.empty() && (field.front() == ' ' || field.back() == ' ');
    for (char c : field)
        quote = quote || c == mDelimiter || c == '"' || c == '\n' || c == '\r';
    if (!quote) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char c : field) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

void CsvWriter::appendRow(const QStringList &fields, QByteArray &out) const
{
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out.append(mDelimiter);
        appendField(fields[i], out);
    }
    out.append('\n');
}

} // namespace plumb
