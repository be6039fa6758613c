// plumb scan as a user runs it: exit 0 for an importable file, 3 for a refused one, 1 for an
// unreadable or missing one, with the verdict and reason printed (text and --json).

#include "plumbprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using plumb::test::runPlumb;

class TestCliScan : public QObject
{
    Q_OBJECT

private slots:
    void exitCodes_data();
    void exitCodes();
    void jsonReport();

private:
    QTemporaryDir mDir;
};

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return file.fileName();
}

const QString kFixtures = QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures");

} // namespace

void TestCliScan::exitCodes_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QVERIFY(mDir.isValid());
    // PROTO 2, GLOBAL os.system, 'id', TUPLE1, REDUCE, STOP: the classic pickle exploit.
    const QByteArray exploit("\x80\x02"
                             "cos\nsystem\n"
                             "X\x02\x00\x00\x00id"
                             "\x85R.",
                             24);
    QTest::newRow("importable") << kFixtures + QStringLiteral("/ridge.p2.pkl") << 0 << "verdict    importable";
    QTest::newRow("refused") << writeFile(mDir, QStringLiteral("exploit.pkl"), exploit) << 3
                             << "GLOBAL os.system is not on the allow-list";
    QTest::newRow("unreadable") << writeFile(mDir, QStringLiteral("notes.pkl"), "just some text") << 1 << "verdict    unreadable";
    QTest::newRow("missing") << mDir.filePath(QStringLiteral("missing.pkl")) << 1 << "cannot open missing.pkl";
}

void TestCliScan::exitCodes()
{
    QFETCH(QString, file);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    const auto run = runPlumb({QStringLiteral("scan"), file});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.out.contains(expected), qPrintable(run.out));
}

void TestCliScan::jsonReport()
{
    const auto run = runPlumb(
        {QStringLiteral("scan"), kFixtures + QStringLiteral("/random_forest_classifier.gzip.joblib"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(QLatin1String("verdict")).toString(), QStringLiteral("importable"));
    QCOMPARE(json.value(QLatin1String("container")).toString(), QStringLiteral("joblib (gzip)"));
    QCOMPARE(json.value(QLatin1String("sklearn_versions")).toArray().first().toString(), QStringLiteral("1.2.1"));
    const QJsonObject root = json.value(QLatin1String("estimators")).toArray().first().toObject();
    QCOMPARE(root.value(QLatin1String("class")).toString(), QStringLiteral("sklearn.ensemble._forest.RandomForestClassifier"));
    QCOMPARE(root.value(QLatin1String("children")).toArray().first().toObject().value(QLatin1String("count")).toInt(), 5);
}

QTEST_GUILESS_MAIN(TestCliScan)
#include "tst_cliscan.moc"
