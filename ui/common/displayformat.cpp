#include "ui/common/displayformat.h"

#include "data/column.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

constexpr int kSignificantDigits = 6;

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
    const double magnitude = std::fabs(value);
    if (value == std::floor(value) && magnitude < 1e15)
        return displayLocale().toString(static_cast<qlonglong>(value));
    if (magnitude >= 1e-4 && magnitude < 1e15) {
        // Six significant digits, but never fewer digits than the whole part has: 1234567.25
        // reads "1,234,567", not "1.23457E+06" (QLocale's 'g'). Trailing zeros say nothing.
        const int exponent = int(std::floor(std::log10(magnitude)));
        const int decimals = std::max(0, kSignificantDigits - 1 - exponent);
        QString text = displayLocale().toString(value, 'f', decimals);
        if (text.contains(QLatin1Char('.'))) {
            while (text.endsWith(QLatin1Char('0')))
                text.chop(1);
            if (text.endsWith(QLatin1Char('.')))
                text.chop(1);
        }
        return text;
    }
    // Scientific, in the form Python and the CSV files use: 2.56e-06, 1.5e+20.
    QString text = QString::number(value, 'e', kSignificantDigits - 1);
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    qsizetype end = e;
    while (end > 0 && text[end - 1] == QLatin1Char('0'))
        --end;
    if (end > 0 && text[end - 1] == QLatin1Char('.'))
        --end;
    return text.left(end) + text.mid(e);
}

QString formatValue(double value, ColumnType type)
{
    if (std::isnan(value))
        return formatNumber(value);
    if (type == ColumnType::Datetime)
        return formatDatetime(value);
    return formatNumber(value);
}

QString formatNameList(const QStringList &names)
{
    QStringList shown;
    shown.reserve(names.size());
    for (const QString &name : names) {
        const bool quote = name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"')) || name != name.trimmed()
            || name.isEmpty();
        shown.append(quote
                         ? QLatin1Char('"') + QString(name).replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"')
                         : name);
    }
    return shown.join(QStringLiteral(", "));
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
    case ',':
        delimiter = QStringLiteral("Comma-separated");
        break;
    case ';':
        delimiter = QStringLiteral("Semicolon-separated");
        break;
    case '\t':
        delimiter = QStringLiteral("Tab-separated");
        break;
    case '|':
        delimiter = QStringLiteral("Pipe-separated");
        break;
    default:
        delimiter = QStringLiteral("Separated by '%1'").arg(QLatin1Char(dialect.delimiter));
        break;
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
