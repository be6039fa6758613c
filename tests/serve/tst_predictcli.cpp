// plumb predict as a shell filter: standard input to standard output, JSON Lines, the reject
// file and the summary on standard error.
#include "servetestutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runPlumb(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(PLUMB_CLI_PATH), arguments);
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitCode(), process.readAllStandardOutput(), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestPredictCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void filtersStandardInput();
    void writesFilesAndRejects();
    void jsonLinesFromStandardInput();
    void writesIntoFifoInPlace();
    void usageErrors_data();
    void usageErrors();

private:
    QString path(const QString &name) const { return mDir.filePath(name); }
    QTemporaryDir mDir;
    QString mModel;
};

void TestPredictCli::initTestCase()
{
    QVERIFY(mDir.isValid());
    QFile training(path(QStringLiteral("training.csv")));
    QVERIFY(training.open(QIODevice::WriteOnly));
    training.write(plumb::test::trainingTable(300));
    training.close();
    mModel = path(QStringLiteral("model.plumb"));
    const Run train = runPlumb({QStringLiteral("train"), training.fileName(), QStringLiteral("--target"), QStringLiteral("y"),
                                QStringLiteral("--features"), QStringLiteral("x1,x2,colour"), QStringLiteral("--model"),
                                QStringLiteral("ridge"), QStringLiteral("-o"), mModel, QStringLiteral("--no-importance")});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
}

void TestPredictCli::filtersStandardInput()
{
    const Run run = runPlumb({QStringLiteral("predict"), mModel, QStringLiteral("-")},
                             "x1,x2,colour\n1,2,red\n1,oops,red\n3,4,blue\n");
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3); // the header and the two valid rows
    QCOMPARE(lines[0], QByteArray("x1,x2,colour,prediction"));
    QVERIFY(lines[1].startsWith("1,2,red,"));
    QVERIFY(lines[2].startsWith("3,4,blue,"));
    // Without --rejects the refused row is listed on standard error, then the summary.
    QVERIFY2(run.err.contains(QLatin1String("3,column 'x2': 'oops' is not a number")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QLatin1String("2 rows scored, 1 rejected")), qPrintable(run.err));
}

void TestPredictCli::writesFilesAndRejects()
{
    QFile input(path(QStringLiteral("score.csv")));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.write("id,x1,x2,colour\n7,1,2,red\n8,1,2\n9,1,2,green\n");
    input.close();
    const QString out = path(QStringLiteral("scored.jsonl"));
    const QString rejects = path(QStringLiteral("rejects.csv"));
    const Run run = runPlumb(
        {QStringLiteral("predict"), mModel, input.fileName(), QStringLiteral("-o"), out, QStringLiteral("--rejects"), rejects});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(QLatin1String("2 rows scored, 1 rejected (listed in ")), qPrintable(run.err));
    QFile scored(out);
    QVERIFY(scored.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = scored.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith(R"({"id":7,"x1":1,"x2":2,"colour":"red","prediction":)"));
    QVERIFY(lines[1].startsWith(R"({"id":9,)"));
    QFile refused(rejects);
    QVERIFY(refused.open(QIODevice::ReadOnly));
    QCOMPARE(refused.readAll(), QByteArray("line,reason\n3,\"3 fields, but the header has 4\"\n"));
}

void TestPredictCli::jsonLinesFromStandardInput()
{
    const Run run = runPlumb({QStringLiteral("predict"), mModel, QStringLiteral("-"), QStringLiteral("--format"),
                              QStringLiteral("jsonl"), QStringLiteral("--output-format"), QStringLiteral("csv")},
                             "{\"x1\":1,\"x2\":2,\"colour\":\"red\",\"key\":\"k1\"}\n{\"x1\":1}\n"
                             "{\"x1\":\"abc\",\"x2\":2,\"colour\":\"red\"}\n");
    QCOMPARE(run.exitCode, 0);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QByteArray("x1,x2,colour,key,prediction"));
    QVERIFY(lines[1].startsWith("1,2,red,k1,"));
    QVERIFY(lines[2].startsWith("1,,,,")); // x2 and colour left out: imputed, as null would be
    QVERIFY2(run.err.contains(QLatin1String("3,\"column 'x1' must be a number, not a string\"")), qPrintable(run.err));
}

void TestPredictCli::writesIntoFifoInPlace()
{
    // An output that is not a regular file (here a FIFO; /dev/null in practice) is written, not
    // replaced by a new file as a regular output is.
    const QByteArray fifo = QFile::encodeName(path(QStringLiteral("out.fifo")));
    QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
    const int reader = ::open(fifo.constData(), O_RDONLY | O_NONBLOCK);
    QVERIFY(reader >= 0);
    const Run run = runPlumb(
        {QStringLiteral("predict"), mModel, QStringLiteral("-"), QStringLiteral("-o"), QString::fromUtf8(fifo)},
        "x1,x2,colour\n1,2,red\n");
    QCOMPARE(run.exitCode, 0);
    char buffer[4096];
    const ssize_t got = ::read(reader, buffer, sizeof buffer);
    ::close(reader);
    QVERIFY(got > 0);
    QVERIFY(QByteArray(buffer, got).startsWith("x1,x2,colour,prediction\n1,2,red,"));
    struct stat info;
    QCOMPARE(::stat(fifo.constData(), &info), 0);
    QVERIFY(S_ISFIFO(info.st_mode));
}

void TestPredictCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad-format") << QStringList{QStringLiteral("--format"), QStringLiteral("xml")} << 2
                                << QStringLiteral("--format takes csv or jsonl");
    QTest::newRow("bad-chunk-size") << QStringList{QStringLiteral("--chunk-size"), QStringLiteral("0")} << 2
                                    << QStringLiteral("--chunk-size takes a positive number of bytes");
}

void TestPredictCli::usageErrors()
{
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = runPlumb(QStringList{QStringLiteral("predict"), mModel, QStringLiteral("-")} + extra, "x1,x2,colour\n");
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestPredictCli)
#include "tst_predictcli.moc"
