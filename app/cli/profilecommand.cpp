#include "profilecommand.h"

#include "csvoptionargs.h"
#include "data/columnprofile.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace plumb::cli {

namespace {

QString number(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', 6) : QStringLiteral("-");
}

// A statistic in the column's own terms: datetimes as ISO 8601, spreads of datetimes in days.
QString statistic(const ColumnProfile &profile, double value, bool isSpread = false)
{
    if (profile.type != ColumnType::Datetime || !std::isfinite(value))
        return number(value);
    return isSpread ? QStringLiteral("%1 d").arg(value / 86400.0, 0, 'g', 4) : formatDatetime(value);
}

// Control characters (line breaks inside quoted values) would break the table's lines.
QString printable(QString text)
{
    for (QChar &c : text)
        if (c.category() == QChar::Other_Control)
            c = QChar(0x2424); // SYMBOL FOR NEWLINE
    return text;
}

QString delimiterName(char delimiter)
{
    return delimiter == '\t' ? QStringLiteral("tab") : QStringLiteral("'%1'").arg(QLatin1Char(delimiter));
}

QString topValues(const ColumnProfile &profile)
{
    QStringList parts;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, profile.topCategories.size()); ++i)
        parts.append(
            QStringLiteral("%1 (%2)").arg(printable(profile.topCategories[i].value)).arg(profile.topCategories[i].count));
    return parts.join(QLatin1String(", "));
}

// One line per column; every table column as wide as its widest cell. Text columns (the first
// three and the last) are left-aligned, statistics right-aligned.
void printTable(QTextStream &out, const std::vector<ColumnProfile> &profiles)
{
    QList<QStringList> rows{{QStringLiteral("column"), QStringLiteral("type"), QStringLiteral("role"), QStringLiteral("missing"),
                             QStringLiteral("unique"), QStringLiteral("mean"), QStringLiteral("std"), QStringLiteral("min"),
                             QStringLiteral("median"), QStringLiteral("max"), QStringLiteral("top values")}};
    for (const ColumnProfile &p : profiles) {
        rows.append({printable(p.name), columnTypeName(p.type), columnRoleName(p.role),
                     QStringLiteral("%1%").arg(100.0 * p.missingRate(), 0, 'f', 1), QString::number(p.unique),
                     statistic(p, p.mean), statistic(p, p.std, true), statistic(p, p.min), statistic(p, p.quantiles[3]),
                     statistic(p, p.max), topValues(p)});
    }
    printAlignedTable(out, rows, [&](qsizetype i) { return i >= 3 && i + 1 < rows.front().size(); });
}

QJsonObject reportJson(const QString &path, const Dataset &data, const CsvDialect &dialect, const CsvOptions &options,
                       const std::vector<ColumnProfile> &profiles, const QStringList &warnings)
{
    QJsonArray columns;
    for (const ColumnProfile &profile : profiles)
        columns.append(profileToJson(profile));
    return QJsonObject{
        {QStringLiteral("source"), path},
        {QStringLiteral("rows"), double(data.rowCount())},
        {QStringLiteral("dialect"),
         QJsonObject{{QStringLiteral("delimiter"), QString(QLatin1Char(dialect.delimiter))},
                     {QStringLiteral("header"), dialect.hasHeader},
                     {QStringLiteral("bom"), dialect.hasBom},
                     {QStringLiteral("crlf"), dialect.crlf},
                     {QStringLiteral("decimal"), QString(QLatin1Char(dialect.decimal))},
                     {QStringLiteral("decimal_sniffed"), dialect.decimalSniffed},
                     {QStringLiteral("default_missing_tokens"), options.keepDefaultNa},
                     {QStringLiteral("missing_tokens"), QJsonArray::fromStringList(options.missingTokens().extraTokens())}}},
        {QStringLiteral("columns"), columns},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
    };
}

} // namespace

int runProfile(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Load a CSV/TSV file and describe its columns: type, role, "
                                                    "missing values, distinct values, statistics and top values."));
    parser.addPositionalArgument(QStringLiteral("DATA"), QStringLiteral("The CSV or TSV file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the full profile as JSON.")});
    parser.addOption({QStringLiteral("role"), QStringLiteral("Set a column's role (feature, target, timestamp, id, ignored)."),
                      QStringLiteral("COL=ROLE")});
    addCsvOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("profile"), arguments, 1, io))
        return *exit;
    QString error;
    const auto options = csvOptionsFrom(parser, error);
    if (!options) {
        io.err << "plumb profile: " << error << '\n';
        return kExitUsage;
    }
    const QString path = parser.positionalArguments().front();
    QElapsedTimer timer;
    timer.start();
    CsvDialect dialect;
    Result<Dataset> loaded = CsvReader::readFile(path, *options, nullProgress(), &dialect);
    if (!loaded) {
        io.err << "plumb profile: " << loaded.error().message << '\n';
        return kExitError;
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    Dataset &data = loaded.value();
    if (!applyRoles(parser.values(QStringLiteral("role")), data, error)) {
        io.err << "plumb profile: " << error << '\n';
        return kExitUsage;
    }
    const auto profiles = profileDataset(data).value();
    for (const QString &warning : loaded.warnings())
        io.err << "warning: " << warning << '\n';
    if (parser.isSet(QStringLiteral("json"))) {
        io.out << QJsonDocument(reportJson(path, data, dialect, *options, profiles, loaded.warnings())).toJson();
        return kExitOk;
    }
    io.out << QStringLiteral("%1: %2 rows x %3 columns (delimiter %4, %5, %6; read in %7 s)\n\n")
                  .arg(path)
                  .arg(data.rowCount())
                  .arg(data.columnCount())
                  .arg(delimiterName(dialect.delimiter))
                  .arg(dialect.hasHeader ? QStringLiteral("header") : QStringLiteral("no header"))
                  .arg(valueSyntaxSummary(dialect, *options))
                  .arg(seconds, 0, 'f', 3);
    printTable(io.out, profiles);
    return kExitOk;
}

} // namespace plumb::cli
