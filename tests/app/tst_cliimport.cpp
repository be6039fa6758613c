// plumb import-sklearn as a user runs it: a scikit-learn file converted and saved with its
// provenance, a file the scan refuses (exit 3), an unreadable one (exit 1) and usage errors.
#include "plumbprocess.h"

#include "artifact/modelartifact.h"
#include "base/sha256.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb;
using namespace plumb::test;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures/");

} // namespace

class TestCliImport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(mDir.isValid()); }
    void importsAndRecordsProvenance();
    void importedModelPredicts();
    void refusals_data();
    void refusals();

private:
    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = mDir.filePath(name);
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write(content);
        return path;
    }
    QTemporaryDir mDir;
};

void TestCliImport::importsAndRecordsProvenance()
{
    const QString source = kFixtures + QStringLiteral("mixed_pipeline_logistic.zlib.joblib");
    const QString output = mDir.filePath(QStringLiteral("mixed.plumb"));
    const Run run = runPlumb({QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QStringLiteral("logistic_regression")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("one_hot_encoder")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("scikit-learn 1.2.1")), qPrintable(run.out)); // the version the fixtures were written with
    Result<ModelArtifact> model = loadModelArtifact(output);
    QVERIFY2(model.ok(), model.ok() ? "" : qPrintable(model.error().message));
    const ImportProvenance &imported = model.value().metadata.imported;
    QCOMPARE(imported.source, QStringLiteral("mixed_pipeline_logistic.zlib.joblib"));
    QCOMPARE(imported.sha256, fileSha256Hex(source).value()); // as sha256sum prints it
    QCOMPARE(imported.libraryVersion, QStringLiteral("1.2.1"));
    QVERIFY(imported.globals.contains(QStringLiteral("sklearn.pipeline.Pipeline")));
    QVERIFY(!imported.conversion.isEmpty());
    const Run inspect = runPlumb({QStringLiteral("inspect"), output});
    QCOMPARE(inspect.exitCode, 0);
    QVERIFY2(inspect.out.contains(QStringLiteral("imported from  mixed_pipeline_logistic.zlib.joblib (sha256 ") + imported.sha256),
             qPrintable(inspect.out));
    QVERIFY2(inspect.out.contains(QStringLiteral("range unknown")), qPrintable(inspect.out));
    // A second import onto the same file needs --force.
    QCOMPARE(runPlumb({QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output}).exitCode, 1);
    QCOMPARE(runPlumb({QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output, QStringLiteral("--force")}).exitCode, 0);
}

void TestCliImport::importedModelPredicts()
{
    const QString output = mDir.filePath(QStringLiteral("forest.plumb"));
    QCOMPARE(runPlumb({QStringLiteral("import-sklearn"), kFixtures + QStringLiteral("random_forest_classifier.joblib"), QStringLiteral("-o"), output}).exitCode, 0);
    const Run run = runPlumb({QStringLiteral("predict"), output, kFixtures + QStringLiteral("random_forest_classifier.inputs.csv")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("yes")) || run.out.contains(QStringLiteral("no")), qPrintable(run.out));
}

void TestCliImport::refusals_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    // Protocol 2: GLOBAL posix.system, a one-tuple argument, REDUCE, STOP: code execution if loaded.
    QTest::newRow("refused-global") << QByteArray("\x80\x02" "cposix\nsystem\n" "X\x02\x00\x00\x00id" "\x85R.", 26)
                                    << QStringList{QStringLiteral("-o"), QStringLiteral("x.plumb")} << 3 << "posix.system";
    QTest::newRow("unreadable") << QByteArray("not a pickle at all") << QStringList{QStringLiteral("-o"), QStringLiteral("y.plumb")} << 1
                                << "unreadable";
    QTest::newRow("no-output") << QByteArray("irrelevant") << QStringList{} << 2 << "--output";
}

void TestCliImport::refusals()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString path = writeFile(QStringLiteral("input.pkl"), content);
    for (QString &argument : extra)
        if (argument.endsWith(QLatin1String(".plumb")))
            argument = mDir.filePath(argument);
    const Run run = runPlumb(QStringList{QStringLiteral("import-sklearn"), path} + extra);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    for (const QString &argument : extra)
        if (argument.endsWith(QLatin1String(".plumb")))
            QVERIFY(!QFile::exists(argument));
}

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cliimport.moc"
