// Pandas parity: CsvReader must produce, bit for bit, the doubles that
// pandas.read_csv(..., float_precision='round_trip') produces for the same file.
// golden/pandas_parity.csv and golden/pandas_parity_roundtrip.txt (the doubles as float.hex())
// were written by golden/make_pandas_parity.py with pandas 1.5.3; see
// golden/pandas_parity_summary.txt for how pandas' default parser differs on the same values.

#include "data/csvreader.h"
#include "datatestutil.h"

#include <QFile>
#include <QTest>

#include <charconv>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

const QString kGoldenDir = QStringLiteral(PLUMB_TEST_DATA_DIR "/golden/");

// Rows of comma-separated cells (the golden files have no quoting); the header is row 0.
QList<QByteArrayList> readCells(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArrayList> rows;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.isEmpty())
            rows.append(line.split(','));
    return rows;
}

QString bitsText(double value)
{
    return u"%1 (0x%2)"_s.arg(test::shortestText(value)).arg(std::bit_cast<quint64>(value), 16, 16, QLatin1Char('0'));
}

} // namespace

class TestPandasParity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesRoundTripParser_data();
    void matchesRoundTripParser();
    void decimalCommaMatchesRoundTripParser_data() { matchesRoundTripParser_data(); }
    void decimalCommaMatchesRoundTripParser();

private:
    void compareColumn(const Dataset &dataset, int column);

    Dataset mDataset;
    Dataset mCommaDataset; // the same file with ';' between fields and ',' as the decimal mark
    QList<QByteArrayList> mInput;
    QList<QByteArrayList> mGolden;
};

void TestPandasParity::initTestCase()
{
    mInput = readCells(kGoldenDir + u"pandas_parity.csv"_s);
    mGolden = readCells(kGoldenDir + u"pandas_parity_roundtrip.txt"_s);
    QVERIFY2(mInput.size() > 1000, "golden/pandas_parity.csv is missing or short");
    QCOMPARE(mGolden.size(), mInput.size());
    QCOMPARE(mGolden.first(), mInput.first());

    CsvOptions options;
    options.header = CsvOptions::Header::Present;
    Result<Dataset> result = CsvReader::readFile(kGoldenDir + u"pandas_parity.csv"_s, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QVERIFY2(result.warnings().isEmpty(), qPrintable(result.warnings().join(u'\n')));
    mDataset = std::move(result).value();
    QCOMPARE(mDataset.rowCount(), std::size_t(mInput.size() - 1));

    // As write.csv2 would write it; the sniffer must find both the ';' and the decimal comma.
    QFile file(kGoldenDir + u"pandas_parity.csv"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray comma = file.readAll().replace(',', ';').replace('.', ',');
    Result<Dataset> commaResult = CsvReader::readBytes(comma, u"pandas_parity_csv2.csv"_s);
    QVERIFY2(commaResult.ok(), qPrintable(commaResult.ok() ? QString() : commaResult.error().message));
    QVERIFY2(commaResult.warnings().isEmpty(), qPrintable(commaResult.warnings().join(u'\n')));
    mCommaDataset = std::move(commaResult).value();
    QCOMPARE(mCommaDataset.rowCount(), mDataset.rowCount());
}

void TestPandasParity::matchesRoundTripParser_data()
{
    QTest::addColumn<int>("column");
    // One row per golden column: repr_shortest, fixed17, g6, exponents, subnormal_zero, integers,
    // long_digits, halfway, spellings.
    const QByteArrayList header = readCells(kGoldenDir + u"pandas_parity.csv"_s).value(0);
    for (qsizetype c = 0; c < header.size(); ++c)
        QTest::newRow(header[c].constData()) << int(c);
}

void TestPandasParity::matchesRoundTripParser()
{
    QFETCH(int, column);
    compareColumn(mDataset, column);
}

// pandas.read_csv(sep=';', decimal=',') reads the same doubles as the '.' file: its decimal option
// only changes the character its parser takes as the point.
void TestPandasParity::decimalCommaMatchesRoundTripParser()
{
    QFETCH(int, column);
    compareColumn(mCommaDataset, column);
}

void TestPandasParity::compareColumn(const Dataset &dataset, int column)
{
    const Column &read = dataset.column(std::size_t(column));
    QCOMPARE(read.name(), QString::fromLatin1(mInput.first().at(column)));
    QVERIFY2(isNumericStorage(read.type()), qPrintable(u"read as %1"_s.arg(columnTypeName(read.type()))));

    int mismatches = 0;
    QStringList examples;
    for (qsizetype row = 1; row < mInput.size(); ++row) {
        const std::optional<double> expected = test::fromPythonHex(mGolden[row].at(column));
        QVERIFY2(expected, mGolden[row].at(column).constData());
        const double actual = read.numbers()[std::size_t(row - 1)];
        if (std::bit_cast<quint64>(actual) == std::bit_cast<quint64>(*expected))
            continue;
        if (++mismatches <= 5)
            examples.append(u"line %1: '%2' read as %3, pandas %4"_s.arg(row + 1).arg(
                QString::fromLatin1(mInput[row].at(column).left(80)), bitsText(actual), bitsText(*expected)));
    }
    QVERIFY2(mismatches == 0,
             qPrintable(u"%1 of %2 values differ:\n"_s.arg(mismatches).arg(mInput.size() - 1) + examples.join(u'\n')));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestPandasParity)
#include "tst_pandasparity.moc"
