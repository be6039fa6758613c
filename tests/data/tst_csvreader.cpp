// Tests for CsvReader: RFC 4180 structure, dialect sniffing, and every documented failure.
// Type inference lives in tst_csvinference.cpp, large and parallel reads in tst_csvchunking.cpp.
// Expected values are hand-derived from the input text shown in each row.

#include "data/csvreader.h"
#include "datatestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(plumb::CsvOptions)

namespace plumb {

namespace {

CsvOptions withHeader(CsvOptions::Header header)
{
    CsvOptions options;
    options.header = header;
    return options;
}

CsvOptions withDelimiter(char delimiter)
{
    CsvOptions options;
    options.delimiter = delimiter;
    return options;
}

CsvOptions skippingBadRows()
{
    CsvOptions options;
    options.skipBadRows = true;
    return options;
}

// A header of `columns` names c1..cN followed by `good` full rows, then one row of `fields` fields.
// The short or long row is on line good + 2.
QByteArray raggedFile(int columns, int good, int fields)
{
    auto row = [](int count, const char *prefix) {
        QByteArrayList cells;
        for (int i = 1; i <= count; ++i)
            cells.append(prefix + QByteArray::number(i));
        return cells.join(',') + '\n';
    };
    QByteArray text = row(columns, "c");
    for (int i = 0; i < good; ++i)
        text += row(columns, "v");
    return text + row(fields, "v");
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private slots:
    void readsWellFormedText_data();
    void readsWellFormedText();
    void sniffsDialect_data();
    void sniffsDialect();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void skipsBadRowsWhenAsked();
    void readFileNamesTheFile();
};

void TestCsvReader::readsWellFormedText_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("name");
    QTest::addColumn<CsvOptions>("options");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QStringList>("rows");

    const QString csv = u"test.csv"_s;
    const QStringList ab{u"a"_s, u"b"_s};
    const QStringList xy{u"1|x"_s, u"2|y"_s};
    const CsvOptions automatic;

    // Line ends, BOM and the end of the file.
    QTest::newRow("lf") << "a,b\n1,x\n2,y\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("crlf") << "a,b\r\n1,x\r\n2,y\r\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("utf8-bom") << "\xEF\xBB\xBF"
                                 "a,b\n1,x\n2,y\n"_ba
                              << csv << automatic << ab << xy;
    QTest::newRow("utf8-bom-crlf") << "\xEF\xBB\xBF"
                                      "a,b\r\n1,x\r\n2,y\r\n"_ba
                                   << csv << automatic << ab << xy;
    QTest::newRow("no-trailing-newline") << "a,b\n1,x\n2,y"_ba << csv << automatic << ab << xy;
    QTest::newRow("crlf-no-trailing-newline") << "a,b\r\n1,x\r\n2,y"_ba << csv << automatic << ab << xy;
    QTest::newRow("blank-lines-ignored") << "a,b\n\n1,x\n\n\n2,y\n\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("blank-lines-crlf") << "a,b\r\n\r\n1,x\r\n\r\n2,y\r\n\r\n"_ba << csv << automatic << ab << xy;

    // Quoting (RFC 4180 section 2, rules 5-7).
    QTest::newRow("quoted-delimiter") << "a,b\n1,\"x,y\"\n2,z\n"_ba << csv << automatic << ab
                                      << QStringList{u"1|x,y"_s, u"2|z"_s};
    QTest::newRow("quoted-newline") << "a,b\n1,\"x\ny\"\n2,z\n"_ba << csv << automatic << ab
                                    << QStringList{u"1|x\ny"_s, u"2|z"_s};
    QTest::newRow("quoted-newline-in-crlf-file")
        << "a,b\r\n1,\"x\ny\"\r\n2,z\r\n"_ba << csv << automatic << ab << QStringList{u"1|x\ny"_s, u"2|z"_s};
    QTest::newRow("escaped-quote") << "a,b\n1,\"say \"\"hi\"\"\"\n2,\"\"\"\"\n"_ba << csv << automatic << ab
                                   << QStringList{u"1|say \"hi\""_s, u"2|\""_s};
    QTest::newRow("quoted-header") << "\"first name\",\"a,b\"\nAnn,1\nBob,2\n"_ba << csv << automatic
                                   << QStringList{u"first name"_s, u"a,b"_s} << QStringList{u"Ann|1"_s, u"Bob|2"_s};
    QTest::newRow("quoted-numbers") << "a,b\n\"1\",x\n\"2\",y\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("quoted-last-field-at-eof") << "a,b\n1,x\n2,\"y\""_ba << csv << automatic << ab << xy;

    // Delimiters, sniffed and forced.
    QTest::newRow("semicolon") << "a;b\n1;x\n2;y\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("tab") << "a\tb\n1\tx\n2\ty\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("pipe") << "a|b\n1|x\n2|y\n"_ba << csv << automatic << ab << xy;
    QTest::newRow("semicolon-with-commas-in-values")
        << "a;b\n1;x,1\n2;y,2\n"_ba << csv << automatic << ab << QStringList{u"1|x,1"_s, u"2|y,2"_s};
    // With tab or ';' as the delimiter, "1,2" is a number with a decimal comma (sniffed, as
    // pandas.read_csv(sep='\t', decimal=',') reads it).
    QTest::newRow("tsv-name-prefers-tab") << "a,b\tc\n1,2\t3\n4,5\t6\n"_ba << u"test.tsv"_s << automatic
                                          << QStringList{u"a,b"_s, u"c"_s} << QStringList{u"1.2|3"_s, u"4.5|6"_s};
    QTest::newRow("delimiter-forced") << "a,b;c\n1,2;3\n"_ba << csv << withDelimiter(';') << QStringList{u"a,b"_s, u"c"_s}
                                      << QStringList{u"1.2|3"_s};

    // Header sniffed or forced. An empty `names` list means the generated names are not checked.
    QTest::newRow("header-sniffed") << "height,weight\n1.5,60\n1.75,72\n"_ba << csv << automatic
                                    << QStringList{u"height"_s, u"weight"_s} << QStringList{u"1.5|60"_s, u"1.75|72"_s};
    QTest::newRow("no-header-sniffed") << "1.5,60\n1.75,72\n1.625,80\n"_ba << csv << automatic << QStringList{}
                                       << QStringList{u"1.5|60"_s, u"1.75|72"_s, u"1.625|80"_s};
    QTest::newRow("header-present-forced") << "1,2\n3,4\n"_ba << csv << withHeader(CsvOptions::Header::Present)
                                           << QStringList{u"1"_s, u"2"_s} << QStringList{u"3|4"_s};
    QTest::newRow("header-absent-forced") << "a,b\nc,d\n"_ba << csv << withHeader(CsvOptions::Header::Absent) << QStringList{}
                                          << QStringList{u"a|b"_s, u"c|d"_s};

    // Shapes.
    QTest::newRow("single-column") << "v\n1\n2\n"_ba << csv << automatic << QStringList{u"v"_s} << QStringList{u"1"_s, u"2"_s};
    QTest::newRow("empty-fields") << "a,b,c\n1,,3\n,,\n"_ba << csv << automatic << QStringList{u"a"_s, u"b"_s, u"c"_s}
                                  << QStringList{u"1|<NA>|3"_s, u"<NA>|<NA>|<NA>"_s};
    QTest::newRow("empty-last-field") << "a,b\n1,\n2,\n"_ba << csv << automatic << ab << QStringList{u"1|<NA>"_s, u"2|<NA>"_s};
    QTest::newRow("utf8-text") << "name,city\nZo\xC3\xAB,Z\xC3\xBCrich\n\xE6\x9D\x8E,\xE5\x8C\x97\xE4\xBA\xAC\n"_ba << csv
                               << automatic << QStringList{u"name"_s, u"city"_s} << QStringList{u"Zoë|Zürich"_s, u"李|北京"_s};
    // U+FEFF inside a field is data (only the file's first three bytes can be a BOM): kept as is,
    // and distinct from the same text without it.
    QTest::newRow("bom-bytes-inside-fields") << "a,b\n1,\xEF\xBB\xBFx\n2,x\n3,\xEF\xBB\xBF\n"_ba << csv << automatic << ab
                                             << QStringList{u"1|\uFEFFx"_s, u"2|x"_s, u"3|\uFEFF"_s};
}

void TestCsvReader::readsWellFormedText()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, name);
    QFETCH(CsvOptions, options);
    QFETCH(QStringList, names);
    QFETCH(QStringList, rows);

    const Result<Dataset> result = CsvReader::readBytes(input, name, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QVERIFY2(result.warnings().isEmpty(), qPrintable(result.warnings().join(u'\n')));
    if (!names.isEmpty())
        QCOMPARE(test::columnNames(result.value()), names);
    QCOMPARE(test::renderRows(result.value()), rows);
}

void TestCsvReader::sniffsDialect_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<char>("delimiter");
    QTest::addColumn<bool>("hasHeader");
    QTest::addColumn<bool>("hasBom");
    QTest::addColumn<bool>("crlf");

    // Expected dialects read off each input by hand.
    QTest::newRow("comma-header") << u"a.csv"_s << "x,y\n1,2\n3,4\n"_ba << ',' << true << false << false;
    QTest::newRow("comma-no-header") << u"a.csv"_s << "1,2\n3,4\n5,6\n"_ba << ',' << false << false << false;
    QTest::newRow("semicolon-header") << u"a.csv"_s << "x;y\n1;2\n3;4\n"_ba << ';' << true << false << false;
    QTest::newRow("tab-header") << u"a.txt"_s << "x\ty\n1\t2\n3\t4\n"_ba << '\t' << true << false << false;
    QTest::newRow("pipe-header") << u"a.csv"_s << "x|y\n1|2\n3|4\n"_ba << '|' << true << false << false;
    QTest::newRow("utf8-bom") << u"a.csv"_s << "\xEF\xBB\xBFx,y\n1,2\n"_ba << ',' << true << true << false;
    QTest::newRow("crlf") << u"a.csv"_s << "x,y\r\n1,2\r\n3,4\r\n"_ba << ',' << true << false << true;
    QTest::newRow("tsv-extension") << u"a.tsv"_s << "x,1\ty\n1,5\t2\n"_ba << '\t' << true << false << false;
    QTest::newRow("text-header-over-text-data")
        << u"a.csv"_s << "name,colour\nann,red\nbob,blue\n"_ba << ',' << true << false << false;
}

void TestCsvReader::sniffsDialect()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, input);
    QFETCH(char, delimiter);
    QFETCH(bool, hasHeader);
    QFETCH(bool, hasBom);
    QFETCH(bool, crlf);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(fileName));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(input), input.size());
    file.close();

    const Result<CsvDialect> result = CsvReader::sniffFile(file.fileName());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value().delimiter, delimiter);
    QCOMPARE(result.value().hasHeader, hasHeader);
    QCOMPARE(result.value().hasBom, hasBom);
    QCOMPARE(result.value().crlf, crlf);
    // Reading the file hands back the dialect it was read with: the same, with no second sniff.
    CsvDialect read;
    read.delimiter = '?';
    QVERIFY(CsvReader::readFile(file.fileName(), {}, nullProgress(), &read).ok());
    QCOMPARE(read.delimiter, delimiter);
    QCOMPARE(read.hasHeader, hasHeader);
    QCOMPARE(read.hasBom, hasBom);
    QCOMPARE(read.crlf, crlf);
    QCOMPARE(read.decimal, result.value().decimal);
}

void TestCsvReader::rejectsBadInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<CsvOptions>("options");
    QTest::addColumn<QStringList>("fragments");

    const CsvOptions automatic;
    const CsvOptions present = withHeader(CsvOptions::Header::Present);

    QTest::newRow("empty-file") << QByteArray() << automatic << QStringList{u"test.csv is empty"_s};
    QTest::newRow("only-bom") << "\xEF\xBB\xBF"_ba << automatic << QStringList{u"test.csv is empty"_s};
    QTest::newRow("only-blank-lines") << "\n\r\n\n"_ba << automatic << QStringList{u"test.csv is empty"_s};
    QTest::newRow("header-only") << "a,b\n"_ba << present << QStringList{u"test.csv has a header but no data rows"_s};
    QTest::newRow("header-only-no-newline") << "a,b"_ba << present << QStringList{u"test.csv has a header but no data rows"_s};
    QTest::newRow("header-only-sniffed") << "name,colour\n\n"_ba << automatic
                                         << QStringList{u"test.csv has a header but no data rows"_s};

    // Ragged rows: a header of 12 names, two full rows, then the bad row on line 4.
    QTest::newRow("ragged-row-short") << raggedFile(12, 2, 11) << automatic
                                      << QStringList{u"test.csv, line 4"_s, u"11 fields"_s, u"header has 12"_s};
    QTest::newRow("ragged-row-long") << raggedFile(12, 2, 13) << automatic
                                     << QStringList{u"test.csv, line 4"_s, u"13 fields"_s, u"header has 12"_s};
    // Lines 2-3 hold one record (a quoted newline); line 4 is blank; the bad record is on line 5.
    QTest::newRow("ragged-after-quoted-newline-and-blank-line")
        << "a,b,c\n1,\"x\ny\",3\n\n2,3\n"_ba << automatic << QStringList{u"line 5"_s, u"2 fields"_s, u"header has 3"_s};
    QTest::newRow("ragged-crlf") << "a,b,c\r\n1,2,3\r\n4,5\r\n"_ba << automatic
                                 << QStringList{u"line 3"_s, u"2 fields"_s, u"header has 3"_s};

    // Invalid UTF-8. Offsets are 0-based bytes counted by hand: "a,b\n" is 4 bytes, "1,x\n" 4 more.
    QTest::newRow("invalid-utf8-byte") << "a,b\n1,x\n2,\xFF\n"_ba << automatic
                                       << QStringList{u"test.csv: invalid UTF-8 at byte offset 10"_s, u"line 3"_s,
                                                      u"column 'b'"_s};
    QTest::newRow("invalid-utf8-after-bom") << "\xEF\xBB\xBF"
                                               "a,b\n1,\xFF\n"_ba
                                            << automatic
                                            << QStringList{u"invalid UTF-8 at byte offset 9"_s, u"line 2"_s, u"column 'b'"_s};
    QTest::newRow("invalid-utf8-overlong-slash")
        << "a,b\nx\xC0\xAF,1\n"_ba << automatic << QStringList{u"invalid UTF-8 at byte offset 5"_s, u"line 2"_s, u"column 'a'"_s};
    QTest::newRow("invalid-utf8-surrogate") << "a,b\nx,\xED\xA0\x80\n"_ba << automatic
                                            << QStringList{u"invalid UTF-8 at byte offset 6"_s, u"line 2"_s, u"column 'b'"_s};
    QTest::newRow("invalid-utf8-truncated-at-eof")
        << "a,b\nx,\xE2\x82"_ba << automatic << QStringList{u"invalid UTF-8 at byte offset 6"_s, u"line 2"_s, u"column 'b'"_s};
    QTest::newRow("invalid-utf8-in-header") << "a,\xFF\n1,2\n"_ba << automatic
                                            << QStringList{u"invalid UTF-8 at byte offset 2"_s, u"line 1"_s};

    QTest::newRow("unterminated-quote") << "a,b\n1,x\n2,\"abc\n3,y\n"_ba << automatic
                                        << QStringList{u"test.csv, line 3: a quoted field opened here is never closed"_s};
    QTest::newRow("unterminated-quote-in-header") << "\"a,b\n1,2\n"_ba << present << QStringList{u"line 1"_s, u"never closed"_s};
    QTest::newRow("unterminated-quote-at-eof") << "a\n1\n\"abc"_ba << automatic << QStringList{u"line 3"_s, u"never closed"_s};
    QTest::newRow("unterminated-quote-with-skip")
        << "a,b\n1,x\n2,\"abc\n3,y\n"_ba << skippingBadRows() << QStringList{u"line 3"_s, u"never closed"_s};

    QTest::newRow("duplicate-names") << "a,x,b,c,x\n1,2,3,4,5\n"_ba << automatic
                                     << QStringList{u"test.csv: column name 'x' appears twice (columns 2 and 5)"_s};

    QTest::newRow("utf16-le-bom") << QByteArray("\xFF\xFE"
                                                "a\0,\0b\0\n\0"
                                                "1\0,\0"
                                                "2\0\n\0",
                                                18)
                                  << automatic << QStringList{u"UTF-16"_s};
    QTest::newRow("utf16-be-bom") << QByteArray("\xFE\xFF"
                                                "\0a\0,\0b\0\n"
                                                "\0"
                                                "1\0,\0"
                                                "2\0\n",
                                                18)
                                  << automatic << QStringList{u"UTF-16"_s};
}

void TestCsvReader::rejectsBadInput()
{
    QFETCH(QByteArray, input);
    QFETCH(CsvOptions, options);
    QFETCH(QStringList, fragments);

    const Result<Dataset> result = CsvReader::readBytes(input, u"test.csv"_s, options);
    QVERIFY2(!result.ok(), qPrintable(u"read %1 rows"_s.arg(result.ok() ? result.value().rowCount() : 0)));
    QCOMPARE(result.error().kind, Error::Kind::Invalid);
    for (const QString &fragment : fragments)
        QVERIFY2(result.error().message.contains(fragment),
                 qPrintable(u"'%1' does not contain '%2'"_s.arg(result.error().message, fragment)));
}

void TestCsvReader::skipsBadRowsWhenAsked()
{
    // Header on line 1, 20 good rows on lines 2-21, then 12 bad rows on the even lines 22..44
    // interleaved with good rows on the odd lines 23..45.
    QByteArray text = "id,value\n";
    QStringList expected;
    int line = 1;
    int id = 0;
    auto good = [&] {
        text += QByteArray::number(id) + ',' + QByteArray::number(id * 2) + '\n';
        expected.append(u"%1|%2"_s.arg(id).arg(id * 2));
        ++id;
        ++line;
    };
    for (int i = 0; i < 20; ++i)
        good();
    for (int i = 0; i < 12; ++i) {
        text += (i % 2 ? "7,8,9\n" : "7\n");
        ++line;
        good();
    }
    QCOMPARE(line, 45);

    const Result<Dataset> result = CsvReader::readBytes(text, u"test.csv"_s, skippingBadRows());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(test::renderRows(result.value()), expected);
    QCOMPARE(result.warnings().size(), 1);
    const QString warning = result.warnings().constFirst();
    // How many rows, and the first lines.
    for (const QString &fragment : {u"12"_s, u"22"_s, u"24"_s})
        QVERIFY2(warning.contains(fragment), qPrintable(u"'%1' lacks '%2'"_s.arg(warning, fragment)));

    // Without the option the first bad row fails the load.
    const Result<Dataset> strict = CsvReader::readBytes(text, u"test.csv"_s);
    QVERIFY(!strict.ok());
    QVERIFY2(strict.error().message.contains(u"line 22"_s), qPrintable(strict.error().message));
}

void TestCsvReader::readFileNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ragged.csv"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(raggedFile(3, 1, 2));
    file.close();

    const Result<Dataset> result = CsvReader::readFile(path);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"ragged.csv, line 3"_s), qPrintable(result.error().message));

    const Result<Dataset> missing = CsvReader::readFile(dir.filePath(u"absent.csv"_s));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, Error::Kind::Io);
    QVERIFY2(missing.error().message.contains(u"absent.csv"_s), qPrintable(missing.error().message));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestCsvReader)
#include "tst_csvreader.moc"
