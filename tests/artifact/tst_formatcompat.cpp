// Files written by earlier Plumb versions load forever and predict exactly what they did.
// tests/artifact/golden/format1 holds format-1 files (see its README); they are never edited.
#include "artifact/modelartifact.h"
#include "data/csvreader.h"
#include "data/valueparser.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTest>

#include <cstring>

using namespace plumb;

namespace {

QString golden(const QString &name)
{
    return QStringLiteral(PLUMB_SOURCE_DIR "/tests/artifact/golden/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestFormatCompat : public QObject
{
    Q_OBJECT

private slots:
    void oldFilesPredictAsTheyDid_data();
    void oldFilesPredictAsTheyDid();
};

void TestFormatCompat::oldFilesPredictAsTheyDid_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("sha256"); // of the file as committed: the golden was not edited
    QTest::addColumn<QString>("name");
    QTest::newRow("format1-ridge") << QStringLiteral("format1/ridge")
                                   << QStringLiteral("faf65abbf18b2dedcaf60c4f45b3375870cdd410fd0e2e59601ecbf5b262f547") << QStringLiteral("format1-ridge");
    QTest::newRow("format1-logistic") << QStringLiteral("format1/logistic")
                                      << QStringLiteral("dcfa84d1e5d55a2772fa8b0f3ffdd3f532b3113201df9477f7b72734a229ce11") << QStringLiteral("format1-logistic");
}

void TestFormatCompat::oldFilesPredictAsTheyDid()
{
    QFETCH(QString, model);
    QFETCH(QString, sha256);
    QFETCH(QString, name);
    const QByteArray bytes = readAll(golden(model + QStringLiteral(".plumb")));
    QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()), sha256);
    Result<ModelArtifact> artifact = decodeModelArtifact(bytes, model);
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    QCOMPARE(artifact.value().metadata.name, name);
    QCOMPARE(artifact.value().metadata.software.value(QLatin1String("format")).toInt(), 1);

    Result<Dataset> input = CsvReader::readFile(golden(QStringLiteral("format1/input.csv")));
    QVERIFY(input.ok());
    Result<Prediction> prediction = artifact.value().pipeline->predict(input.value());
    QVERIFY(prediction.ok());
    // The expected values were written with 17 significant digits: they read back exactly.
    Result<Dataset> expected = CsvReader::readFile(golden(model + QStringLiteral("-expected.csv")));
    QVERIFY(expected.ok());
    const Dataset &table = expected.value();
    QCOMPARE(table.rowCount(), input.value().rowCount());
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        const Prediction &p = prediction.value();
        if (!p.classes.isEmpty())
            QCOMPARE(p.label(Eigen::Index(row)), table.column(*table.indexOf(QStringLiteral("prediction"))).displayText(row));
        for (qsizetype c = 0; c < p.classes.size(); ++c) {
            const double want = table.column(*table.indexOf(QStringLiteral("proba:") + p.classes[c])).numbers()[row];
            const double got = p.probabilities(Eigen::Index(row), Eigen::Index(c));
            QVERIFY2(std::memcmp(&want, &got, sizeof(double)) == 0, qPrintable(QString::number(got, 'g', 17)));
        }
        if (p.classes.isEmpty()) {
            const double want = table.column(*table.indexOf(QStringLiteral("prediction"))).numbers()[row];
            QVERIFY2(std::memcmp(&want, &p.values[Eigen::Index(row)], sizeof(double)) == 0, qPrintable(QString::number(row)));
        }
    }
}

QTEST_GUILESS_MAIN(TestFormatCompat)
#include "tst_formatcompat.moc"
