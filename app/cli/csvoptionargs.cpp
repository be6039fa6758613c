#include "csvoptionargs.h"

#include "data/columnnames.h"
namespace plumb::cli {

namespace {

const QString kDelimiter = QStringLiteral("delimiter");
const QString kHeader = QStringLiteral("header");
const QString kSkipBadRows = QStringLiteral("skip-bad-rows");
const QString kType = QStringLiteral("type");
const QString kDecimal = QStringLiteral("decimal");
const QString kNaValues = QStringLiteral("na-values");
const QString kNoDefaultNa = QStringLiteral("no-default-na");

std::optional<char> delimiterFrom(const QString &text)
{
    if (text == QLatin1String("tab") || text == QLatin1String("\\t"))
        return '\t';
    if (text.size() == 1 && text[0].unicode() < 0x80 && text[0] != QLatin1Char('"') && text[0] != QLatin1Char('\n'))
        return char(text[0].unicode());
    return std::nullopt;
}

// Splits "NAME=VALUE" at the last '=' so names may contain '='.
bool splitPair(const QString &pair, QString &name, QString &value)
{
    const qsizetype at = pair.lastIndexOf(QLatin1Char('='));
    if (at <= 0)
        return false;
    name = pair.left(at);
    value = pair.mid(at + 1);
    return true;
}

} // namespace

void addCsvOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {kDelimiter, QStringLiteral("Field delimiter: a single character or 'tab' (default: sniffed)."), QStringLiteral("C")});
    parser.addOption({kHeader, QStringLiteral("Whether the first row holds column names: auto, yes or no."),
                      QStringLiteral("MODE"), QStringLiteral("auto")});
    parser.addOption({kSkipBadRows, QStringLiteral("Skip rows with the wrong number of fields instead of failing.")});
    parser.addOption({kType, QStringLiteral("Force a column's type (float, integer, boolean, categorical, datetime)."),
                      QStringLiteral("COL=TYPE")});
    parser.addOption({kDecimal,
                      QStringLiteral("Decimal mark of numbers: '.' or ',' (default: sniffed; ',' only in files "
                                     "not separated by commas)."),
                      QStringLiteral("C")});
    parser.addOption({kNaValues,
                      QStringLiteral("More values to read as missing, comma-separated (repeatable), besides "
                                     "the defaults listed in the README."),
                      QStringLiteral("A,B,...")});
    parser.addOption({kNoDefaultNa,
                      QStringLiteral("Read only the empty field and the --na-values tokens as missing, not "
                                     "the defaults (NA, None, null, ...).")});
}

std::optional<CsvOptions> csvOptionsFrom(const QCommandLineParser &parser, QString &error)
{
    CsvOptions options;
    if (parser.isSet(kDelimiter)) {
        const auto delimiter = delimiterFrom(parser.value(kDelimiter));
        if (!delimiter) {
            error = QStringLiteral("--delimiter takes one ASCII character or 'tab', not '%1'").arg(parser.value(kDelimiter));
            return std::nullopt;
        }
        options.delimiter = *delimiter;
    }
    const QString header = parser.value(kHeader);
    if (header == QLatin1String("yes"))
        options.header = CsvOptions::Header::Present;
    else if (header == QLatin1String("no"))
        options.header = CsvOptions::Header::Absent;
    else if (header != QLatin1String("auto")) {
        error = QStringLiteral("--header takes auto, yes or no, not '%1'").arg(header);
        return std::nullopt;
    }
    options.skipBadRows = parser.isSet(kSkipBadRows);
    if (parser.isSet(kDecimal)) {
        const QString decimal = parser.value(kDecimal);
        if (decimal != QLatin1String(".") && decimal != QLatin1String(",")) {
            error = QStringLiteral("--decimal takes '.' or ',', not '%1'").arg(decimal);
            return std::nullopt;
        }
        options.decimal = char(decimal[0].unicode());
    }
    for (const QString &list : parser.values(kNaValues))
        options.naValues += list.split(QLatin1Char(','));
    options.keepDefaultNa = !parser.isSet(kNoDefaultNa);
    for (const QString &pair : parser.values(kType)) {
        QString name, value;
        const auto type = splitPair(pair, name, value) ? columnTypeFromName(value) : std::nullopt;
        if (!type) {
            error = QStringLiteral("--type takes COLUMN=TYPE with TYPE one of float, integer, boolean, categorical, "
                                   "datetime; got '%1'")
                        .arg(pair);
            return std::nullopt;
        }
        options.typeOverrides.insert(name, *type);
    }
    return options;
}

QString valueSyntaxSummary(const CsvDialect &dialect, const CsvOptions &options)
{
    QString missing = options.keepDefaultNa ? QStringLiteral("the default tokens") : QStringLiteral("empty fields");
    QStringList extra;
    const MissingTokens tokens = options.missingTokens(); // a value: the loop must not outlive it
    for (const QString &token : tokens.extraTokens())
        extra.append(QLatin1Char('\'') + token + QLatin1Char('\''));
    if (!extra.isEmpty())
        missing += QStringLiteral(" and ") + extra.join(QLatin1String(", "));
    return QStringLiteral("decimal '%1' (%2), missing: %3")
        .arg(QString(QLatin1Char(dialect.decimal)),
             options.decimal              ? QStringLiteral("given")
                 : dialect.decimalSniffed ? QStringLiteral("sniffed")
                                          : QStringLiteral("the ',' delimiter rules out ','"),
             missing);
}

bool applyRoles(const QStringList &pairs, Dataset &dataset, QString &error)
{
    for (const QString &pair : pairs) {
        QString name, value;
        const auto role = splitPair(pair, name, value) ? columnRoleFromName(value) : std::nullopt;
        if (!role) {
            error = QStringLiteral("--role takes COLUMN=ROLE with ROLE one of feature, target, timestamp, id, "
                                   "ignored; got '%1'")
                        .arg(pair);
            return false;
        }
        const auto index = dataset.indexOf(name);
        if (!index) {
            error = QStringLiteral("--role names no column of the data: '%1'%2").arg(name, closeColumnsHint(dataset, name));
            return false;
        }
        dataset.column(*index).setRole(*role);
    }
    return true;
}

} // namespace plumb::cli
