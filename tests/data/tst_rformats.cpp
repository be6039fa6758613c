// Files as R writes them (write.csv2's decimal comma, write.csv's row names under an empty header,
// MASS::survey's "None" category), read as pandas reads them, plus the decimal-mark sniffer, the
// names given to nameless columns and the warning about a missing-value token that looks like a
// category. The R files and the expected values are committed: golden/rformats/make_files.R ran
// R, golden/rformats/make_expected.py ran pandas.read_csv on them (expected.json; pandas 2's
// default missing-value tokens, which include "None").

#include "data/csvdialect.h"
#include "data/csvreader.h"
#include "datatestutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(plumb::CsvOptions)

namespace plumb {

namespace {

const QString kDir = QStringLiteral(PLUMB_TEST_DATA_DIR "/golden/rformats/");

CsvOptions withDecimal(char decimal)
{
    CsvOptions options;
    options.decimal = decimal;
    return options;
}

CsvOptions withNaValues(QStringList tokens, bool keepDefaults)
{
    CsvOptions options;
    options.naValues = std::move(tokens);
    options.keepDefaultNa = keepDefaults;
    return options;
}

QString loadError(const Result<Dataset> &result)
{
    return result.ok() ? QString() : result.error().message;
}

// The warnings about a token read as missing that looks like a category.
QStringList categoryTokenWarnings(const QStringList &warnings)
{
    QStringList found;
    for (const QString &warning : warnings)
        if (warning.contains(u"looks like a category"_s))
            found.append(warning);
    return found;
}

} // namespace

class TestRFormats : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsAsPandasDoes_data();
    void readsAsPandasDoes();
    void sniffsDecimalMark_data();
    void sniffsDecimalMark();
    void namesNamelessColumns_data();
    void namesNamelessColumns();
    void warnsAboutCategoryLikeTokens_data();
    void warnsAboutCategoryLikeTokens();

private:
    QJsonObject mCases;
};

void TestRFormats::initTestCase()
{
    QFile file(kDir + u"expected.json"_s);
    QVERIFY2(file.open(QIODevice::ReadOnly), "golden/rformats/expected.json is missing");
    mCases = QJsonDocument::fromJson(file.readAll()).object().value(u"cases"_s).toObject();
    QVERIFY(!mCases.isEmpty());
}

void TestRFormats::readsAsPandasDoes_data()
{
    QTest::addColumn<CsvOptions>("options");
    QTest::addColumn<char>("decimal"); // what the dialect must report
    QTest::addColumn<QString>("tokenWarning"); // a category-token warning must contain this ("" = none)

    // pandas: sep=';', decimal=','. Plumb sniffs both.
    QTest::newRow("write-csv2-decimal-comma") << CsvOptions{} << ',' << QString();
    // pandas: sep=';', decimal='.': the columns with a fraction are text.
    QTest::newRow("decimal-override") << withDecimal('.') << '.' << QString();
    QTest::newRow("write-csv-row-names") << CsvOptions{} << '.' << QString();
    // pandas' defaults read Exer's "None" as missing; R's NA in M.I (Metric/Imperial) is missing too
    // and raises no warning: "NA" is not shaped like Metric or Imperial.
    QTest::newRow("survey-default-na") << CsvOptions{} << '.'
                                       << u"column 'Exer': 'None' was read as missing in 24 of 237 rows, but it "
                                          "looks like a category beside 'Some'. To keep it as a category, load "
                                          "with --no-default-na --na-values NA"_s;
    // pandas: keep_default_na=False, na_values=['NA'].
    QTest::newRow("na-token-none-kept-with-no-default-na") << withNaValues({u"NA"_s}, false) << '.' << QString();
    // pandas: na_values=['Never'] (added to the defaults). A token the user listed is never warned about.
    QTest::newRow("na-values-added") << withNaValues({u"Never"_s}, true) << '.' << u"column 'Exer': 'None'"_s;
}

void TestRFormats::readsAsPandasDoes()
{
    QFETCH(CsvOptions, options);
    QFETCH(char, decimal);
    QFETCH(QString, tokenWarning);

    const QJsonObject expected = mCases.value(QString::fromLatin1(QTest::currentDataTag())).toObject();
    QVERIFY2(!expected.isEmpty(), "no case of this name in expected.json");
    const QString path = kDir + expected.value(u"file"_s).toString();
    const Result<Dataset> result = CsvReader::readFile(path, options);
    QVERIFY2(result.ok(), qPrintable(loadError(result)));
    const Dataset &data = result.value();

    const Result<CsvDialect> dialect = CsvReader::sniffFile(path, options);
    QVERIFY(dialect.ok());
    QCOMPARE(dialect.value().decimal, decimal);

    const QJsonArray columns = expected.value(u"columns"_s).toArray();
    QCOMPARE(data.columnCount(), std::size_t(columns.size()));
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const QJsonObject want = columns[c].toObject();
        const Column &column = data.column(std::size_t(c));
        QCOMPARE(column.name(), want.value(u"name"_s).toString());
        const bool number = want.value(u"kind"_s).toString() == u"number"_s;
        QVERIFY2(isNumericStorage(column.type()) == number,
                 qPrintable(u"column '%1' is %2"_s.arg(column.name(), columnTypeName(column.type()))));
        const QJsonArray values = want.value(u"values"_s).toArray();
        QCOMPARE(column.size(), std::size_t(values.size()));
        for (qsizetype r = 0; r < values.size(); ++r) {
            const QString where = u"column '%1', row %2"_s.arg(column.name()).arg(r + 1);
            if (values[r].isNull()) {
                QVERIFY2(column.isMissing(std::size_t(r)), qPrintable(where + u" is not missing"_s));
            } else if (number) {
                const auto value = test::fromPythonHex(values[r].toString().toLatin1());
                QVERIFY(value);
                QVERIFY2(
                    std::bit_cast<quint64>(column.numbers()[std::size_t(r)]) == std::bit_cast<quint64>(*value),
                    qPrintable(where + u": %1, pandas %2"_s.arg(test::cellText(column, std::size_t(r)), values[r].toString())));
            } else {
                QCOMPARE(test::cellText(column, std::size_t(r)), values[r].toString());
            }
        }
    }
    // R's row names (an empty header name) are an id, never a feature.
    QCOMPARE(data.column(0).role(), ColumnRole::Id);

    const QStringList warnings = categoryTokenWarnings(result.warnings());
    if (tokenWarning.isEmpty()) {
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    } else {
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.front().contains(tokenWarning), qPrintable(warnings.front()));
    }
}

void TestRFormats::sniffsDecimalMark_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<CsvOptions>("options");
    QTest::addColumn<char>("decimal");
    QTest::addColumn<QString>("firstRow"); // rendered cells of the first data row
    QTest::addColumn<ColumnType>("typeOfA");

    // Hand-written: the value is the one the decimal mark makes of the text.
    QTest::newRow("semicolon-comma") << "a;b\n1,5;2\n-0,25;3\n"_ba << CsvOptions{} << ',' << u"1.5|2"_s << ColumnType::Float;
    QTest::newRow("semicolon-point") << "a;b\n1.5;2\n"_ba << CsvOptions{} << '.' << u"1.5|2"_s << ColumnType::Float;
    QTest::newRow("tab-comma") << "a\tb\n1,5\t2\n"_ba << CsvOptions{} << ',' << u"1.5|2"_s << ColumnType::Float;
    // A comma-delimited file never gets a decimal comma by sniffing: "1,5" quoted stays text.
    QTest::newRow("comma-delimiter-not-sniffed")
        << "a,b\n\"1,5\",2\n"_ba << CsvOptions{} << '.' << u"1,5|2"_s << ColumnType::Categorical;
    QTest::newRow("comma-delimiter-forced") << "a,b\n\"1,5\",2\n"_ba << withDecimal(',') << ',' << u"1.5|2"_s
                                            << ColumnType::Float;
    // One column needs ',' and another '.': ambiguous, so the default '.' holds.
    QTest::newRow("mixed-marks-keep-point") << "a;b\n1,5;2.5\n"_ba << CsvOptions{} << '.' << u"1,5|2.5"_s
                                            << ColumnType::Categorical;
    QTest::newRow("integers-only") << "a;b\n15;2\n"_ba << CsvOptions{} << '.' << u"15|2"_s << ColumnType::Integer;
    // No thousands separator: "1.234,5" is not a number with either mark.
    QTest::newRow("thousands-separator-is-text")
        << "a;b\n1.234,5;2,5\n"_ba << CsvOptions{} << ',' << u"1.234,5|2.5"_s << ColumnType::Categorical;
    // Without a header line the first row is data: "1,5" must not pass for a column name.
    QTest::newRow("headerless-comma") << "1,5;2;3\n2,5;3;4\n"_ba << CsvOptions{} << ',' << u"1.5|2|3"_s << ColumnType::Float;
    QTest::newRow("missing-tokens-say-nothing")
        << "a;b\nNA;1\n2,5;\n"_ba << CsvOptions{} << ',' << u"<NA>|1"_s << ColumnType::Float;
    QTest::newRow("forced-point") << "a;b\n1,5;2\n"_ba << withDecimal('.') << '.' << u"1,5|2"_s << ColumnType::Categorical;
    // Exponents read with either mark (pandas: decimal=',' reads "1,5e3" as 1500.0).
    QTest::newRow("comma-exponent") << "a;b\n1,5e3;2\n"_ba << CsvOptions{} << ',' << u"1500|2"_s << ColumnType::Float;
}

void TestRFormats::sniffsDecimalMark()
{
    QFETCH(QByteArray, bytes);
    QFETCH(CsvOptions, options);
    QFETCH(char, decimal);
    QFETCH(QString, firstRow);
    QFETCH(ColumnType, typeOfA);

    const Result<CsvPreamble> preamble = sniffCsv(bytes, true, u"t.csv"_s, options);
    QVERIFY2(preamble.ok(), qPrintable(preamble.ok() ? QString() : preamble.error().message));
    QCOMPARE(preamble.value().dialect.decimal, decimal);
    QCOMPARE(preamble.value().dialect.decimalSniffed, options.decimal == 0 && preamble.value().dialect.delimiter != ',');
    const Result<Dataset> result = CsvReader::readBytes(bytes, u"t.csv"_s, options);
    QVERIFY2(result.ok(), qPrintable(loadError(result)));
    QCOMPARE(test::renderRows(result.value()).value(0), firstRow);
    QCOMPARE(result.value().column(0).type(), typeOfA);
}

void TestRFormats::namesNamelessColumns_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<ColumnRole>("firstRole");
    QTest::addColumn<int>("warnings");

    // Names as pandas.read_csv gives them: "Unnamed: " and the 0-based position.
    QTest::newRow("r-row-names") << "\"\",\"mpg\"\n\"Mazda RX4\",21\n\"Datsun 710\",22.8\n"_ba
                                 << QStringList{u"Unnamed: 0"_s, u"mpg"_s} << ColumnRole::Id << 0;
    QTest::newRow("pandas-index") << ",x\n0,a\n1,b\n"_ba << QStringList{u"Unnamed: 0"_s, u"x"_s} << ColumnRole::Id << 0;
    QTest::newRow("middle-column") << "a,,c\n1,2,3\n"_ba << QStringList{u"a"_s, u"Unnamed: 1"_s, u"c"_s} << ColumnRole::Feature
                                   << 1;
    QTest::newRow("trailing-delimiter") << "a,b,\n1,2,\n"_ba << QStringList{u"a"_s, u"b"_s, u"Unnamed: 2"_s}
                                        << ColumnRole::Feature << 1;
    QTest::newRow("blank-name") << "a, \n1,2\n"_ba << QStringList{u"a"_s, u"Unnamed: 1"_s} << ColumnRole::Feature << 1;
}

void TestRFormats::namesNamelessColumns()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, names);
    QFETCH(ColumnRole, firstRole);
    QFETCH(int, warnings);

    const Result<Dataset> result = CsvReader::readBytes(bytes, u"t.csv"_s);
    QVERIFY2(result.ok(), qPrintable(loadError(result)));
    QCOMPARE(test::columnNames(result.value()), names);
    QCOMPARE(result.value().column(0).role(), firstRole);
    QCOMPARE(result.warnings().size(), warnings);
    if (warnings)
        QVERIFY2(result.warnings().front().contains(u"has no name in the header; it is called 'Unnamed: "_s),
                 qPrintable(result.warnings().front()));
}

void TestRFormats::warnsAboutCategoryLikeTokens_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<CsvOptions>("options");
    QTest::addColumn<QString>("warning"); // "" = no category-token warning

    QTest::newRow("none-beside-words") << "x\nFreq\nNone\nSome\nNone\n"_ba << CsvOptions{}
                                       << u"t.csv: column 'x': 'None' was read as missing in 2 of 4 rows, but it looks "
                                          "like a category beside 'Freq'"_s;
    QTest::newRow("na-beside-continent-codes")
        << "x\nEU\nNA\nAS\n"_ba << CsvOptions{} << u"column 'x': 'NA' was read as missing in 1 of 3 rows"_s;
    QTest::newRow("na-beside-words") << "x\nMetric\nNA\nImperial\n"_ba << CsvOptions{} << QString();
    QTest::newRow("empty-field") << "x,y\nEU,1\n,2\n"_ba << CsvOptions{} << QString();
    QTest::newRow("none-listed-by-user") << "x\nFreq\nNone\n"_ba << withNaValues({u"None"_s}, true) << QString();
    QTest::newRow("no-default-na") << "x\nFreq\nNone\n"_ba << withNaValues({}, false) << QString();
    QByteArray many = "x\nNone\n"_ba;
    for (int i = 0; i < 21; ++i)
        many += "Level" + QByteArray::number(i) + "\n";
    QTest::newRow("many-categories") << many << CsvOptions{} << QString();
    QTest::newRow("numeric-column") << "x\n1\nNone\n"_ba << CsvOptions{} << QString();
}

void TestRFormats::warnsAboutCategoryLikeTokens()
{
    QFETCH(QByteArray, bytes);
    QFETCH(CsvOptions, options);
    QFETCH(QString, warning);

    const Result<Dataset> result = CsvReader::readBytes(bytes, u"t.csv"_s, options);
    QVERIFY2(result.ok(), qPrintable(loadError(result)));
    const QStringList found = categoryTokenWarnings(result.warnings());
    if (warning.isEmpty()) {
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        return;
    }
    QCOMPARE(found.size(), 1);
    QVERIFY2(found.front().contains(warning), qPrintable(found.front()));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestRFormats)
#include "tst_rformats.moc"
