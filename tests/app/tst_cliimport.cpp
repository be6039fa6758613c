// plumb import-sklearn as a user runs it: a scikit-learn file converted and saved with its
// provenance, a file the scan refuses (exit 3), an unreadable one (exit 1) and usage errors; a
// model fitted on an array named with --feature-names / --features-from, or kept positional and
// scored by position by plumb predict.
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
    void arrayFittedModelScoresNamedData_data();
    void arrayFittedModelScoresNamedData();
    void featureNameRefusals_data();
    void featureNameRefusals();

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
    QVERIFY2(run.out.contains(QStringLiteral("scikit-learn 1.2.1")),
             qPrintable(run.out)); // the version the fixtures were written with
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
    QVERIFY2(
        inspect.out.contains(QStringLiteral("imported from  mixed_pipeline_logistic.zlib.joblib (sha256 ") + imported.sha256),
        qPrintable(inspect.out));
    QVERIFY2(inspect.out.contains(QStringLiteral("range unknown")), qPrintable(inspect.out));
    // A second import onto the same file needs --force.
    QCOMPARE(runPlumb({QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output}).exitCode, 1);
    QCOMPARE(
        runPlumb({QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output, QStringLiteral("--force")}).exitCode,
        0);
}

void TestCliImport::importedModelPredicts()
{
    const QString output = mDir.filePath(QStringLiteral("forest.plumb"));
    QCOMPARE(runPlumb({QStringLiteral("import-sklearn"), kFixtures + QStringLiteral("random_forest_classifier.joblib"),
                       QStringLiteral("-o"), output})
                 .exitCode,
             0);
    const Run run = runPlumb(
        {QStringLiteral("predict"), output, kFixtures + QStringLiteral("random_forest_classifier.inputs.csv")});
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
    QTest::newRow("refused-global") << QByteArray("\x80\x02"
                                                  "cposix\nsystem\n"
                                                  "X\x02\x00\x00\x00id"
                                                  "\x85R.",
                                                  26)
                                    << QStringList{QStringLiteral("-o"), QStringLiteral("x.plumb")} << 3 << "posix.system";
    QTest::newRow("unreadable") << QByteArray("not a pickle at all")
                                << QStringList{QStringLiteral("-o"), QStringLiteral("y.plumb")} << 1 << "unreadable";
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

// The array-fitted ridge of make_sklearn_fixtures.py: ridge_fitted_on_array.named.csv holds its
// test rows as columns f0..f3 and a target y; .expected.csv scikit-learn's predictions for them.
const QString kArrayModel = kFixtures + QStringLiteral("ridge_fitted_on_array.p4.pkl");
const QString kNamedRows = kFixtures + QStringLiteral("ridge_fitted_on_array.named.csv");

void TestCliImport::arrayFittedModelScoresNamedData_data()
{
    QTest::addColumn<QStringList>("importOptions");
    QTest::addColumn<bool>("fourColumns"); // score the rows without y, columns renamed a,b,c,d
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("notice"); // expected on standard error; empty: no notice at all
    QTest::newRow("feature-names") << QStringList{QStringLiteral("--feature-names"), QStringLiteral("f0,f1,f2,f3")} << false << 0
                                   << QString();
    QTest::newRow("features-from-without-target-column")
        << QStringList{QStringLiteral("--features-from"), kNamedRows, QStringLiteral("--target"), QStringLiteral("y")} << false
        << 0 << QString();
    QTest::newRow("positional-four-columns")
        << QStringList{} << true << 0 << u"model features are positional (x0..x3); scoring columns a,b,c,d by position"_qs;
    // Five columns (the target too) for four positional features: which four is a guess, so no.
    QTest::newRow("positional-five-columns")
        << QStringList{} << false << 1
        << u"an input of exactly 4 columns, none named like a feature, is scored by position, and this one has 5"_qs;
}

void TestCliImport::arrayFittedModelScoresNamedData()
{
    QFETCH(QStringList, importOptions);
    QFETCH(bool, fourColumns);
    QFETCH(int, exitCode);
    QFETCH(QString, notice);
    const QString model = mDir.filePath(QStringLiteral("array.plumb"));
    const Run import = runPlumb(
        QStringList{QStringLiteral("import-sklearn"), kArrayModel, QStringLiteral("-o"), model, QStringLiteral("--force")}
        + importOptions);
    QVERIFY2(import.exitCode == 0, qPrintable(import.err));
    QCOMPARE(loadModelArtifact(model).value().metadata.imported.positionalFeatures, importOptions.isEmpty());

    QFile named(kNamedRows);
    QVERIFY(named.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = named.readAll().trimmed().split('\n');
    QString input = kNamedRows;
    if (fourColumns) {
        lines[0] = "a,b,c,d,y";
        for (QByteArray &line : lines)
            line.truncate(line.lastIndexOf(','));
        input = writeFile(QStringLiteral("four.csv"), lines.join('\n') + '\n');
    }
    const Run run = runPlumb({QStringLiteral("predict"), model, input});
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.err));
    if (notice.isEmpty())
        QVERIFY2(!run.err.contains(QStringLiteral("positional")), qPrintable(run.err));
    else
        QVERIFY2(run.err.contains(notice), qPrintable(run.err));
    if (exitCode != 0)
        return;
    // Every row's prediction is scikit-learn's for the same values (within the importer's 1e-9).
    QFile expectedFile(kFixtures + QStringLiteral("ridge_fitted_on_array.expected.csv"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const QList<QByteArray> expected = expectedFile.readAll().trimmed().split('\n');
    const QStringList scored = run.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(scored.size(), expected.size());
    QVERIFY(scored.size() > 20);
    for (qsizetype row = 1; row < scored.size(); ++row) {
        const double got = scored[row].section(QLatin1Char(','), -1).toDouble();
        const double want = expected[row].toDouble();
        QVERIFY2(std::abs(got - want) <= 1e-9 * std::max(1.0, std::abs(want)), qPrintable(scored[row]));
    }
}

void TestCliImport::featureNameRefusals_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("names-fewer-than-features")
        << kArrayModel << QStringList{QStringLiteral("--feature-names"), QStringLiteral("a,b,c")} << 1
        << u"3 feature names were given (a, b, c), but the model was fitted on 4 features"_qs;
    QTest::newRow("features-from-keeps-target")
        << kArrayModel << QStringList{QStringLiteral("--features-from"), kNamedRows} << 1
        << u"5 feature names were given (f0, f1, f2, f3, y), but the model was fitted on 4 features"_qs;
    QTest::newRow("target-not-a-column") << kArrayModel
                                         << QStringList{QStringLiteral("--features-from"), kNamedRows, QStringLiteral("--target"),
                                                        QStringLiteral("label")}
                                         << 1 << u"has no column 'label' (--target)"_qs;
    QTest::newRow("name-given-twice") << kArrayModel << QStringList{QStringLiteral("--feature-names"), QStringLiteral("a,b,a,d")}
                                      << 1 << u"the feature name 'a' is given twice"_qs;
    QTest::newRow("both-name-options") << kArrayModel
                                       << QStringList{QStringLiteral("--feature-names"), QStringLiteral("a,b,c,d"),
                                                      QStringLiteral("--features-from"), kNamedRows}
                                       << 2 << u"not both"_qs;
    QTest::newRow("target-without-file") << kArrayModel << QStringList{QStringLiteral("--target"), QStringLiteral("y")} << 2
                                         << u"--target names a column of the --features-from file"_qs;
    QTest::newRow("other-names-for-named-model") << kFixtures + QStringLiteral("logistic_binary.p4.pkl")
                                                 << QStringList{QStringLiteral("--feature-names"), QStringLiteral("a,b,c,d")} << 1
                                                 << u"the model records its feature names (f0, f1, f2, f3)"_qs;
}

void TestCliImport::featureNameRefusals()
{
    QFETCH(QString, source);
    QFETCH(QStringList, options);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString output = mDir.filePath(QStringLiteral("refused.plumb"));
    const Run run = runPlumb(QStringList{QStringLiteral("import-sklearn"), source, QStringLiteral("-o"), output} + options);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(!QFile::exists(output));
}

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cliimport.moc"
