#include "ui/displayformat.h"

#include "data/column.h"

#include <QLocale>

#include <cmath>

namespace plumb::ui {

namespace {

const QLocale &displayLocale()
{
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

QString formatCount(std::size_t count)
{
    return displayLocale().toString(static_cast<qulonglong>(count));
}

QString formatNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("\u2014");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("\u221e") : QStringLiteral("\u2212\u221e");
    // Whole numbers below 1e15 are exact in a double: print every digit rather than an exponent.
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return displayLocale().toString(static_cast<qlonglong>(value));
    return displayLocale().toString(value, 'g', 6);
}

QString formatValue(double value, ColumnType type)
{
    if (std::isnan(value))
        return formatNumber(value);
    if (type == ColumnType::Datetime)
        return formatDatetime(value);
    return formatNumber(value);
}

QString formatPercent(double fraction)
{
    if (std::isnan(fraction))
        return formatNumber(fraction);
    if (fraction > 0 && fraction < 0.001)
        return QStringLiteral("<0.1%");
    return displayLocale().toString(fraction * 100.0, 'f', 1) + QLatin1Char('%');
}

QString formatDuration(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return QStringLiteral("%1 ms").arg(milliseconds);
    return QStringLiteral("%1 s").arg(displayLocale().toString(double(milliseconds) / 1000.0, 'f', 2));
}

QString columnTypeLabel(ColumnType type)
{
    return capitalized(columnTypeName(type));
}

QString columnRoleLabel(ColumnRole role)
{
    return capitalized(columnRoleName(role));
}

QString dialectSummary(const CsvDialect &dialect)
{
    QString delimiter;
    switch (dialect.delimiter) {
    case ',': delimiter = QStringLiteral("Comma-separated"); break;
    case ';': delimiter = QStringLiteral("Semicolon-separated"); break;
    case '\t': delimiter = QStringLiteral("Tab-separated"); break;
    case '|': delimiter = QStringLiteral("Pipe-separated"); break;
    default: delimiter = QStringLiteral("Separated by '%1'").arg(QLatin1Char(dialect.delimiter)); break;
    }
    const QStringList parts{
        delimiter,
        dialect.hasHeader ? QStringLiteral("header row") : QStringLiteral("no header"),
        dialect.decimal == ',' ? QStringLiteral("decimal comma") : QStringLiteral("decimal point"),
        dialect.hasBom ? QStringLiteral("UTF-8 BOM") : QStringLiteral("UTF-8"),
        dialect.crlf ? QStringLiteral("CRLF") : QStringLiteral("LF"),
    };
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace plumb::ui
