// The plumb command line as a user runs it: exit codes, messages and output of each command.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runPlumb(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(PLUMB_CLI_PATH), arguments);
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exitCodesAndMessages_data();
    void exitCodesAndMessages();
    void profileTable();
    void profileJson();
    void profileRolesAndTypes();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    QTemporaryDir mDir;
};

void TestCli::initTestCase()
{
    QVERIFY(mDir.isValid());
    writeFile(QStringLiteral("good.csv"), "id,age,city,score\n1,34,Oslo,0.5\n2,41,Bergen,NA\n3,29,Oslo,1.25\n");
    writeFile(QStringLiteral("ragged.csv"), "a,b,c\n1,2,3\n4,5\n");
    writeFile(QStringLiteral("empty.csv"), "");
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(mDir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return file.fileName();
}

void TestCli::exitCodesAndMessages_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expectedText"); // in stdout or stderr

    const auto path = [this](const char *name) { return mDir.filePath(QLatin1String(name)); };
    QTest::newRow("no-arguments") << QStringList{} << 2 << QStringLiteral("usage: plumb <command>");
    QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("profile");
    QTest::newRow("version") << QStringList{QStringLiteral("--version")} << 0 << QStringLiteral("plumb ");
    QTest::newRow("unknown-command") << QStringList{QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("unknown command 'frobnicate'");
    QTest::newRow("profile-help") << QStringList{QStringLiteral("profile"), QStringLiteral("--help")} << 0
                                  << QStringLiteral("--skip-bad-rows");
    QTest::newRow("profile-no-file") << QStringList{QStringLiteral("profile")} << 2
                                     << QStringLiteral("plumb profile: expected 1 argument(s), got 0");
    QTest::newRow("profile-unknown-option") << QStringList{QStringLiteral("profile"), QStringLiteral("--bogus")} << 2
                                            << QStringLiteral("bogus");
    QTest::newRow("missing-file") << QStringList{QStringLiteral("profile"), path("nope.csv")} << 1
                                  << QStringLiteral("cannot open");
    QTest::newRow("empty-file") << QStringList{QStringLiteral("profile"), path("empty.csv")} << 1
                                << QStringLiteral("empty.csv is empty");
    QTest::newRow("ragged-row") << QStringList{QStringLiteral("profile"), path("ragged.csv")} << 1
                                << QStringLiteral("ragged.csv, line 3: 2 fields, but the header has 3");
    QTest::newRow("ragged-row-skipped")
        << QStringList{QStringLiteral("profile"), QStringLiteral("--skip-bad-rows"), path("ragged.csv")} << 0
        << QStringLiteral("skipped 1 row(s) with the wrong number of fields (lines 3)");
    QTest::newRow("bad-type") << QStringList{QStringLiteral("profile"), QStringLiteral("--type"),
                                             QStringLiteral("age=number"), path("good.csv")}
                              << 2 << QStringLiteral("--type takes COLUMN=TYPE");
    QTest::newRow("type-of-unknown-column")
        << QStringList{QStringLiteral("profile"), QStringLiteral("--type"), QStringLiteral("height=float"), path("good.csv")}
        << 1 << QStringLiteral("no column named 'height'");
    QTest::newRow("role-of-unknown-column")
        << QStringList{QStringLiteral("profile"), QStringLiteral("--role"), QStringLiteral("height=target"), path("good.csv")}
        << 2 << QStringLiteral("no column of the data: 'height'");
    QTest::newRow("bad-delimiter") << QStringList{QStringLiteral("profile"), QStringLiteral("--delimiter"),
                                                  QStringLiteral("ab"), path("good.csv")}
                                   << 2 << QStringLiteral("--delimiter takes one ASCII character");
}

void TestCli::exitCodesAndMessages()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expectedText);
    const Run run = runPlumb(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.out.contains(expectedText) || run.err.contains(expectedText),
             qPrintable(QStringLiteral("stdout: %1\nstderr: %2").arg(run.out, run.err)));
}

void TestCli::profileTable()
{
    const Run run = runPlumb({QStringLiteral("profile"), mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QLatin1String("3 rows x 4 columns")));
    // One table row per column, with the inferred type and default role.
    const QStringList lines = run.out.split(QLatin1Char('\n'));
    const auto lineOf = [&](const QString &start) {
        for (const QString &line : lines)
            if (line.startsWith(start + QLatin1Char(' ')))
                return line;
        return QString();
    };
    QVERIFY(lineOf(QStringLiteral("id")).contains(QLatin1String("integer")));
    QVERIFY(lineOf(QStringLiteral("id")).contains(QLatin1String(" id ")));
    QVERIFY(lineOf(QStringLiteral("city")).contains(QLatin1String("categorical")));
    QVERIFY(lineOf(QStringLiteral("city")).contains(QLatin1String("Oslo (2)")));
    QVERIFY(lineOf(QStringLiteral("score")).contains(QLatin1String("33.3%")));
}

void TestCli::profileJson()
{
    const Run run = runPlumb({QStringLiteral("profile"), QStringLiteral("--json"), mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(report.value(QLatin1String("rows")).toInt(), 3);
    const QJsonArray columns = report.value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.size(), 4);
    const QJsonObject age = columns.at(1).toObject();
    QCOMPARE(age.value(QLatin1String("name")).toString(), QStringLiteral("age"));
    // mean of 34, 41, 29 by hand: 104 / 3
    QCOMPARE(age.value(QLatin1String("mean")).toDouble(), 104.0 / 3.0);
    QCOMPARE(age.value(QLatin1String("min")).toDouble(), 29.0);
    const QJsonObject score = columns.at(3).toObject();
    QCOMPARE(score.value(QLatin1String("missing")).toInt(), 1);
    QCOMPARE(columns.at(2).toObject().value(QLatin1String("mean")).type(), QJsonValue::Null);
}

void TestCli::profileRolesAndTypes()
{
    const Run run = runPlumb({QStringLiteral("profile"), QStringLiteral("--json"), QStringLiteral("--role"),
                              QStringLiteral("score=target"), QStringLiteral("--type"), QStringLiteral("age=categorical"),
                              mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray columns = QJsonDocument::fromJson(run.out.toUtf8()).object().value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.at(3).toObject().value(QLatin1String("role")).toString(), QStringLiteral("target"));
    QCOMPARE(columns.at(1).toObject().value(QLatin1String("type")).toString(), QStringLiteral("categorical"));
    QCOMPARE(columns.at(1).toObject().value(QLatin1String("unique")).toInt(), 3);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
