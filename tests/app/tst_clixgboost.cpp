// plumb import-xgboost as a user runs it: an XGBoost UBJSON file converted, saved with its
// provenance and scored by plumb predict to XGBoost's own probabilities (the golden file of
// make_xgboost_fixtures.py); refused files exit 3 with the reason, unreadable sources and outputs
// that cannot be written exit 1, a missing --output exits 2.
#include "plumbprocess.h"

#include "artifact/modelartifact.h"
#include "base/sha256.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace plumb;
using namespace plumb::test;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures/xgboost/");

QList<QStringList> csvLines(const QString &text)
{
    QList<QStringList> rows;
    for (const QString &line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        rows.append(line.split(QLatin1Char(',')));
    return rows;
}

} // namespace

class TestCliXgboost : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(mDir.isValid()); }
    void importsAndPredictsAsXgboost();
    void categoricalWithLevels();
    void refusals_data();
    void refusals();

private:
    QTemporaryDir mDir;
};

void TestCliXgboost::importsAndPredictsAsXgboost()
{
    const QString source = kFixtures + QStringLiteral("multi_softprob.ubj");
    const QString output = mDir.filePath(QStringLiteral("iris.plumb"));
    const Run run = runPlumb({QStringLiteral("import-xgboost"), source, QStringLiteral("-o"), output});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("XGBoost 1.7.4, UBJSON, multi:softprob: 4 features, 3 classes")),
             qPrintable(run.out));
    Result<ModelArtifact> model = loadModelArtifact(output);
    QVERIFY2(model, model ? "" : qPrintable(model.error().message));
    QCOMPARE(model.value().metadata.imported.library, QStringLiteral("XGBoost"));
    QCOMPARE(model.value().metadata.imported.sha256, fileSha256Hex(source).value());

    const Run predict = runPlumb({QStringLiteral("predict"), output, kFixtures + QStringLiteral("multi_softprob.inputs.csv")});
    QVERIFY2(predict.exitCode == 0, qPrintable(predict.err));
    QFile expectedFile(kFixtures + QStringLiteral("multi_softprob.expected.csv"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const QList<QStringList> expected = csvLines(QString::fromUtf8(expectedFile.readAll()));
    const QList<QStringList> scored = csvLines(predict.out);
    QCOMPARE(scored.size(), expected.size());
    const qsizetype proba0 = scored[0].indexOf(QStringLiteral("proba:0")),
                    expected0 = expected[0].indexOf(QStringLiteral("prediction0"));
    QVERIFY(proba0 >= 0 && expected0 >= 0);
    for (qsizetype r = 1; r < scored.size(); ++r)
        for (int k = 0; k < 3; ++k) {
            // XGBoost's probabilities are float32 sums; 1e-6 as in tst_xgboostimporter.
            const double difference = std::fabs(scored[r][proba0 + k].toDouble() - expected[r][expected0 + k].toDouble());
            QVERIFY2(difference <= 1e-6, qPrintable(QStringLiteral("row %1 class %2: %3").arg(r).arg(k).arg(difference)));
        }
    // Replacing the saved model needs --force, and is not a refusal of the source.
    QCOMPARE(runPlumb({QStringLiteral("import-xgboost"), source, QStringLiteral("-o"), output}).exitCode, 1);
    QCOMPARE(
        runPlumb({QStringLiteral("import-xgboost"), source, QStringLiteral("-o"), output, QStringLiteral("--force")}).exitCode,
        0);
}

// A model with categorical features imported with the levels of one of them: the output names
// them, and plumb predict scores a file holding those levels as XGBoost scored the codes.
void TestCliXgboost::categoricalWithLevels()
{
    const QString source = kFixtures + QStringLiteral("cat_binary_logistic_missing.json");
    const QString output = mDir.filePath(QStringLiteral("cat.plumb"));
    const Run run = runPlumb({QStringLiteral("import-xgboost"), source, QStringLiteral("-o"), output,
                              QStringLiteral("--categories"), QStringLiteral("colour=red,green,blue,yellow,purple")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("categorical: colour: levels red,green,blue,yellow,purple (codes 0..4)")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("categorical: city: category codes 0..254, as numbers")), qPrintable(run.out));
    QFile inputs(kFixtures + QStringLiteral("cat_binary_logistic_missing.inputs.csv"));
    QVERIFY(inputs.open(QIODevice::ReadOnly));
    const QStringList colours{QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue"), QStringLiteral("yellow"),
                              QStringLiteral("purple")};
    QList<QStringList> rows = csvLines(QString::fromUtf8(inputs.readAll()));
    for (qsizetype r = 1; r < rows.size(); ++r)
        if (!rows[r][1].isEmpty())
            rows[r][1] = colours[int(rows[r][1].toDouble())];
    QString csv;
    for (const QStringList &row : rows)
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    const QString levelled = mDir.filePath(QStringLiteral("levels.csv"));
    QFile file(levelled);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(csv.toUtf8()) > 0);
    file.close();
    const Run predict = runPlumb({QStringLiteral("predict"), output, levelled});
    QVERIFY2(predict.exitCode == 0, qPrintable(predict.err));
    QFile expectedFile(kFixtures + QStringLiteral("cat_binary_logistic_missing.expected.csv"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const QList<QStringList> expected = csvLines(QString::fromUtf8(expectedFile.readAll()));
    const QList<QStringList> scored = csvLines(predict.out);
    QCOMPARE(scored.size(), expected.size());
    const qsizetype proba1 = scored[0].indexOf(QStringLiteral("proba:1")),
                    expected1 = expected[0].indexOf(QStringLiteral("prediction1"));
    QVERIFY(proba1 >= 0 && expected1 >= 0);
    for (qsizetype r = 1; r < scored.size(); ++r) {
        const double difference = std::fabs(scored[r][proba1].toDouble() - expected[r][expected1].toDouble());
        QVERIFY2(difference <= 1e-6, qPrintable(QStringLiteral("row %1: %2").arg(r).arg(difference)));
    }
}

void TestCliXgboost::refusals_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("withOutput");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("dart") << kFixtures + QStringLiteral("refused_dart.json") << true << 3 << "the dart booster is not supported";
    QTest::newRow("ranking") << kFixtures + QStringLiteral("refused_rank.json") << true << 3 << "ranking objectives";
    QTest::newRow("not-a-model") << QStringLiteral(PLUMB_SOURCE_DIR "/README.md") << true << 3
                                 << "README.md: byte 0: not an XGBoost model file";
    QTest::newRow("unreadable") << mDir.filePath(QStringLiteral("absent.ubj")) << true << 1 << "absent.ubj";
    QTest::newRow("no-output") << kFixtures + QStringLiteral("binary_logistic.json") << false << 2 << "--output";
    // The refused categorical import: the levels name a numeric feature.
    QTest::newRow("levels-of-numeric-feature") << kFixtures + QStringLiteral("cat_reg_squarederror.ubj") << true << 3
                                               << "categories were given for 'a', which is not a categorical feature";
}

void TestCliXgboost::refusals()
{
    QFETCH(QString, source);
    QFETCH(bool, withOutput);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString output = mDir.filePath(QStringLiteral("refused.plumb"));
    QStringList arguments{QStringLiteral("import-xgboost"), source};
    if (source.endsWith(QLatin1String("cat_reg_squarederror.ubj")))
        arguments << QStringLiteral("--categories") << QStringLiteral("a=x,y");
    if (withOutput)
        arguments << QStringLiteral("-o") << output;
    const Run run = runPlumb(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(!QFile::exists(output));
}

QTEST_GUILESS_MAIN(TestCliXgboost)
#include "tst_clixgboost.moc"
