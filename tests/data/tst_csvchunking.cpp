// Tests for CsvReader on inputs of several megabytes, where the structure scan cuts the file into
// chunks parsed in parallel: rows must come out in file order whatever the thread count, quoted
// newlines must survive any cut, line numbers and byte offsets in messages must count from the
// start of the file, and a cancel request must stop the load.
// The generated file's expected contents are known by construction; see makeBigFile().

#include "base/sha256.h"
#include "data/csvreader.h"
#include "datatestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

enum class Defect { None, RaggedRow, InvalidUtf8, UnterminatedQuote };

struct BigFile
{
    QByteArray bytes;
    std::vector<double> x;
    QStringList notes;
    std::vector<qint64> rowLine; // 1-based physical line where each row starts
    qint64 defectLine = 0; // 1-based line of the defect's record
    qint64 defectOffset = 0; // 0-based byte offset of the defect
};

// Columns id,x,note,flag. Every third note is a quoted field spanning three lines whose second line
// looks like a complete record of this file ("9,0.5,"x",true"), so a chunk that starts inside it
// without knowing it is inside quotes parses a plausible but wrong row. Every 997th note is a 40 KB
// quoted field of such lines, so that scan blocks and chunk cuts are likely to fall inside one.
// `defectRow` gets `defect`; the unterminated quote is only placed in the last row.
BigFile makeBigFile(int rows, Defect defect = Defect::None, int defectRow = -1)
{
    BigFile file;
    std::mt19937_64 random(20240611);
    file.bytes = "id,x,note,flag\n";
    qint64 line = 2;
    const QByteArray decoy = "9,0.5,\"x\",true";
    QByteArray longNote;
    while (longNote.size() < 40 * 1024)
        longNote += "line " + QByteArray::number(longNote.size()) + '\n' + decoy + '\n';
    for (int i = 0; i < rows; ++i) {
        file.rowLine.push_back(line);
        const double x = std::ldexp(double(random() >> 11), int(random() % 80) - 93) * (i % 2 ? -1 : 1);
        QByteArray note;
        if (i % 997 == 500)
            note = "row " + QByteArray::number(i) + '\n' + longNote;
        else if (i % 3 == 0)
            note = "row " + QByteArray::number(i) + '\n' + decoy + "\nthird, with a comma";
        else
            note = 'n' + QByteArray::number(i);
        QByteArray record = QByteArray::number(i) + ',' + test::shortestText(x).toLatin1() + ',';
        const qint64 noteOffset = file.bytes.size() + record.size();
        if (i == defectRow && defect == Defect::RaggedRow) {
            record = QByteArray::number(i) + ",1\n";
        } else if (i == defectRow && defect == Defect::InvalidUtf8) {
            record += "bad\xFF,true\n";
            file.defectOffset = noteOffset + 3;
        } else if (i == defectRow && defect == Defect::UnterminatedQuote) {
            record += "\"never closed\n";
        } else if (note.contains('\n')) {
            QByteArray escaped = note;
            escaped.replace("\"", "\"\"");
            record += '"' + escaped + "\"," + (i % 2 ? "true" : "false") + '\n';
        } else {
            record += note + ',' + (i % 2 ? "true" : "false") + '\n';
        }
        if (i == defectRow)
            file.defectLine = line;
        file.bytes += record;
        line += record.count('\n');
        file.x.push_back(x);
        file.notes.append(QString::fromUtf8(note));
    }
    return file;
}

const BigFile &bigFile()
{
    static const BigFile file = makeBigFile(100000);
    return file;
}

// Compares a loaded dataset with the generated file; returns the first difference, or nothing.
QString firstDifference(const Dataset &dataset, const BigFile &file, const std::vector<int> &rows)
{
    if (dataset.rowCount() != rows.size() || dataset.columnCount() != 4)
        return u"%1 rows x %2 columns, expected %3 x 4"_s.arg(dataset.rowCount()).arg(dataset.columnCount()).arg(rows.size());
    const Column &id = dataset.column(0);
    const Column &x = dataset.column(1);
    const Column &note = dataset.column(2);
    const Column &flag = dataset.column(3);
    if (id.type() != ColumnType::Integer || x.type() != ColumnType::Float || note.type() != ColumnType::Categorical
        || flag.type() != ColumnType::Boolean)
        return u"types %1, %2, %3, %4"_s.arg(columnTypeName(id.type()), columnTypeName(x.type()), columnTypeName(note.type()),
                                             columnTypeName(flag.type()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const int i = rows[r];
        if (id.numbers()[r] != double(i))
            return u"row %1: id %2, expected %3"_s.arg(r).arg(id.numbers()[r]).arg(i);
        if (std::bit_cast<quint64>(x.numbers()[r]) != std::bit_cast<quint64>(file.x[std::size_t(i)]))
            return u"row %1: x %2, expected %3"_s.arg(r).arg(test::shortestText(x.numbers()[r]),
                                                             test::shortestText(file.x[std::size_t(i)]));
        if (test::cellText(note, r) != file.notes[i])
            return u"row %1: note '%2', expected '%3'"_s.arg(r).arg(test::cellText(note, r).left(80), file.notes[i].left(80));
        if (flag.numbers()[r] != double(i % 2))
            return u"row %1: flag %2"_s.arg(r).arg(flag.numbers()[r]);
    }
    return {};
}

std::vector<int> allRows(int count)
{
    std::vector<int> rows(std::size_t(count), 0);
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

// Cancels once the reported progress reaches `threshold` (0 cancels at the first report).
class CancelAtProgress final : public ProgressSink
{
public:
    explicit CancelAtProgress(double threshold) : mThreshold(threshold) { }
    void setProgress(double fraction, const QString &) override
    {
        if (fraction >= mThreshold)
            mCancelled.store(true);
    }
    bool isCancelled() const override { return mCancelled.load(); }

private:
    double mThreshold;
    std::atomic<bool> mCancelled{false};
};

// Records the range of the fractions reported.
class ProgressRecorder final : public ProgressSink
{
public:
    void setProgress(double fraction, const QString &) override
    {
        ++mCalls;
        if (!(fraction >= 0.0 && fraction <= 1.0))
            mOutOfRange.store(true);
    }
    bool isCancelled() const override { return false; }
    int calls() const { return mCalls.load(); }
    bool outOfRange() const { return mOutOfRange.load(); }

private:
    std::atomic<int> mCalls{0};
    std::atomic<bool> mOutOfRange{false};
};

} // namespace

class TestCsvChunking : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void readsRowsInFileOrder_data();
    void readsRowsInFileOrder();
    void readFileMatchesReadBytes();
    void digestIsTheBytesSha256_data();
    void digestIsTheBytesSha256();
    void reportsDefectsDeepInTheFile_data();
    void reportsDefectsDeepInTheFile();
    void skipsBadRowsDeepInTheFile();
    void stopsWhenCancelled_data();
    void stopsWhenCancelled();
    void reportsProgressInRange();

private:
    QByteArray mThreads;
    bool mHadThreads = false;
};

void TestCsvChunking::initTestCase()
{
    mHadThreads = qEnvironmentVariableIsSet("PLUMB_THREADS");
    mThreads = qgetenv("PLUMB_THREADS");
    // Several 256 KB..8 MB chunks and more than one 4 MB scan block, whatever the thread count.
    QVERIFY2(bigFile().bytes.size() > 9 * 1024 * 1024, qPrintable(QString::number(bigFile().bytes.size())));
}

void TestCsvChunking::cleanup()
{
    if (mHadThreads)
        qputenv("PLUMB_THREADS", mThreads);
    else
        qunsetenv("PLUMB_THREADS");
}

void TestCsvChunking::readsRowsInFileOrder_data()
{
    QTest::addColumn<QByteArray>("threads");
    QTest::newRow("threads-1") << "1"_ba;
    QTest::newRow("threads-2") << "2"_ba;
    QTest::newRow("threads-3") << "3"_ba;
    QTest::newRow("threads-8") << "8"_ba;
}

void TestCsvChunking::readsRowsInFileOrder()
{
    QFETCH(QByteArray, threads);
    qputenv("PLUMB_THREADS", threads);

    const Result<Dataset> result = CsvReader::readBytes(bigFile().bytes, u"big.csv"_s);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QVERIFY2(result.warnings().isEmpty(), qPrintable(result.warnings().join(u'\n')));
    const QString difference = firstDifference(result.value(), bigFile(), allRows(100000));
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestCsvChunking::readFileMatchesReadBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"big.csv"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bigFile().bytes), bigFile().bytes.size());
    file.close();

    const Result<Dataset> result = CsvReader::readFile(file.fileName());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const QString difference = firstDifference(result.value(), bigFile(), allRows(100000));
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

// The dataset carries the SHA-256 of the bytes it was read from, taken by the structure scan: the
// parallel scan of a file without quotes (pieces hashed in order as threads finish them) and the
// sequential scan of a quoted one. Expected: sha256() of the same bytes in one call.
void TestCsvChunking::digestIsTheBytesSha256_data()
{
    QTest::addColumn<QByteArray>("threads");
    QTest::addColumn<QByteArray>("bytes");
    QByteArray unquoted = "\xEF\xBB\xBFid,x\n"_ba; // a BOM, so the preamble is more than the header
    for (int i = 0; unquoted.size() < 10 * 1024 * 1024; ++i)
        unquoted += QByteArray::number(i) + ',' + QByteArray::number(i * 0.37) + '\n';
    for (const QByteArray &threads : {"1"_ba, "2"_ba, "3"_ba, "8"_ba}) {
        QTest::addRow("unquoted-threads-%s", threads.constData()) << threads << unquoted;
        QTest::addRow("quoted-threads-%s", threads.constData()) << threads << bigFile().bytes;
    }
    QTest::newRow("one-row") << "2"_ba
                             << "a,b\n1,2\n"_ba;
}

void TestCsvChunking::digestIsTheBytesSha256()
{
    QFETCH(QByteArray, threads);
    QFETCH(QByteArray, bytes);
    qputenv("PLUMB_THREADS", threads);
    const Result<Dataset> result = CsvReader::readBytes(bytes, u"digest.csv"_s);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value().sourceSha256(), QString::fromLatin1(sha256(bytes).toHex()));
}

void TestCsvChunking::reportsDefectsDeepInTheFile_data()
{
    QTest::addColumn<int>("defect");
    QTest::addColumn<int>("row");
    QTest::addColumn<QStringList>("fragments");

    // The line and byte offset are filled in from the generated file in the test itself:
    // %L is the 1-based line of the defect's record, %B the 0-based byte offset of the bad byte.
    QTest::newRow("ragged-row-deep") << int(Defect::RaggedRow) << 90001
                                     << QStringList{u"big.csv, line %L:"_s, u" 2 fields"_s, u"header has 4"_s};
    QTest::newRow("invalid-utf8-deep") << int(Defect::InvalidUtf8) << 90001
                                       << QStringList{u"big.csv: invalid UTF-8 at byte offset %B"_s, u"line %L"_s,
                                                      u"column 'note'"_s};
    QTest::newRow("unterminated-quote-in-last-row")
        << int(Defect::UnterminatedQuote) << 99999
        << QStringList{u"big.csv, line %L: a quoted field opened here is never closed"_s};
}

void TestCsvChunking::reportsDefectsDeepInTheFile()
{
    QFETCH(int, defect);
    QFETCH(int, row);
    QFETCH(QStringList, fragments);

    const BigFile file = makeBigFile(100000, Defect(defect), row);
    QVERIFY(file.defectLine > 90000);
    const Result<Dataset> result = CsvReader::readBytes(file.bytes, u"big.csv"_s);
    QVERIFY(!result.ok());
    for (QString fragment : fragments) {
        fragment.replace(u"%L"_s, QString::number(file.defectLine));
        fragment.replace(u"%B"_s, QString::number(file.defectOffset));
        QVERIFY2(result.error().message.contains(fragment),
                 qPrintable(u"'%1' does not contain '%2'"_s.arg(result.error().message, fragment)));
    }
}

void TestCsvChunking::skipsBadRowsDeepInTheFile()
{
    // Rows 50000 and 90001 replaced by two-field records; the others must stay in order.
    BigFile file = makeBigFile(100000, Defect::RaggedRow, 90001);
    const qint64 secondLine = file.defectLine;
    const BigFile first = makeBigFile(100000, Defect::RaggedRow, 50000);
    // Splice: the prefix of `first` up to row 50001 with the rest of `file`.
    const qint64 splitAt = qint64(first.bytes.indexOf("\n50001,"));
    const qint64 splitInFile = qint64(file.bytes.indexOf("\n50001,"));
    QVERIFY(splitAt > 0 && splitInFile > 0);
    file.bytes = first.bytes.left(splitAt) + file.bytes.mid(splitInFile);

    std::vector<int> expected = allRows(100000);
    expected.erase(std::remove(expected.begin(), expected.end(), 90001), expected.end());
    expected.erase(std::remove(expected.begin(), expected.end(), 50000), expected.end());

    CsvOptions options;
    options.skipBadRows = true;
    const Result<Dataset> result = CsvReader::readBytes(file.bytes, u"big.csv"_s, options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const QString difference = firstDifference(result.value(), file, expected);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QCOMPARE(result.warnings().size(), 1);
    const QString warning = result.warnings().constFirst();
    for (const QString &fragment : {QString::number(first.defectLine), QString::number(secondLine)})
        QVERIFY2(warning.contains(fragment), qPrintable(u"'%1' lacks line %2"_s.arg(warning, fragment)));
}

void TestCsvChunking::stopsWhenCancelled_data()
{
    QTest::addColumn<double>("threshold");
    QTest::newRow("cancelled-before-start") << -1.0;
    QTest::newRow("cancelled-at-first-progress") << 0.0;
    QTest::newRow("cancelled-at-half") << 0.5;
}

void TestCsvChunking::stopsWhenCancelled()
{
    QFETCH(double, threshold);

    Result<Dataset> result = Error::invalid(QString());
    if (threshold < 0) {
        CancelFlag flag;
        flag.cancel();
        result = CsvReader::readBytes(bigFile().bytes, u"big.csv"_s, {}, flag);
    } else {
        CancelAtProgress sink(threshold);
        result = CsvReader::readBytes(bigFile().bytes, u"big.csv"_s, {}, sink);
    }
    QVERIFY2(!result.ok(), "the load ran to completion");
    QVERIFY2(result.error().isCancelled(), qPrintable(result.error().message));
}

void TestCsvChunking::reportsProgressInRange()
{
    ProgressRecorder recorder;
    const Result<Dataset> result = CsvReader::readBytes(bigFile().bytes, u"big.csv"_s, {}, recorder);
    QVERIFY(result.ok());
    QVERIFY(recorder.calls() > 0);
    QVERIFY(!recorder.outOfRange());
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestCsvChunking)
#include "tst_csvchunking.moc"
