// Files written by earlier Plumb versions load forever and predict exactly what they did.
// tests/artifact/golden/formatN holds format-N files (see each README); they are never edited.
#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "artifacttestutil.h"
#include "data/columnprofile.h"
#include "data/csvreader.h"
#include "data/valueparser.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <QtEndian>

#include <algorithm>
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

// The file with its header's format version set to `version` and resealed, decoded as "edited.plumb".
Result<ModelArtifact> decodedAsVersion(const QByteArray &bytes, quint32 version)
{
    QByteArray versionBytes(4, '\0');
    qToLittleEndian(version, versionBytes.data());
    return decodeModelArtifact(testutil::patchedAndResealed(bytes, 8, versionBytes), QStringLiteral("edited.plumb"));
}

} // namespace

class TestFormatCompat : public QObject
{
    Q_OBJECT

private slots:
    void oldFilesPredictAsTheyDid_data();
    void oldFilesPredictAsTheyDid();
    void importFieldsPerVersion_data();
    void importFieldsPerVersion();
    void profileDistributionPerVersion_data();
    void profileDistributionPerVersion();
    void shapSummaryPerVersion_data();
    void shapSummaryPerVersion();
};

void TestFormatCompat::oldFilesPredictAsTheyDid_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("sha256"); // of the file as committed: the golden was not edited
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("positional"); // ImportProvenance::positionalFeatures as the file says it
    QTest::newRow("format1-ridge") << QStringLiteral("format1/ridge")
                                   << QStringLiteral("faf65abbf18b2dedcaf60c4f45b3375870cdd410fd0e2e59601ecbf5b262f547")
                                   << QStringLiteral("format1-ridge") << 1 << false;
    QTest::newRow("format1-logistic") << QStringLiteral("format1/logistic")
                                      << QStringLiteral("dcfa84d1e5d55a2772fa8b0f3ffdd3f532b3113201df9477f7b72734a229ce11")
                                      << QStringLiteral("format1-logistic") << 1 << false;
    QTest::newRow("format2-positional-import")
        << QStringLiteral("format2/positional")
        << QStringLiteral("34d6d7250070619a6377fda09b01cd4a88e9b4dc1757e03dc1323070608a1a18")
        << QStringLiteral("format2-positional") << 2 << true;
    QTest::newRow("format3-ridge") << QStringLiteral("format3/ridge")
                                   << QStringLiteral("86277af85ac1b9303c8be6f7fe3c88b7a3cf97ab93b7ff096d55d078256de079")
                                   << QStringLiteral("format3-ridge") << 3 << false;
    QTest::newRow("format4-boosting") << QStringLiteral("format4/boosting")
                                      << QStringLiteral("4485f80b84d72e9b5d4907a5de0632d7b6280f05f0e3889a42e60963f87c3446")
                                      << QStringLiteral("format4-boosting") << 4 << false;
}

void TestFormatCompat::oldFilesPredictAsTheyDid()
{
    QFETCH(QString, model);
    QFETCH(QString, sha256);
    QFETCH(QString, name);
    QFETCH(int, format);
    QFETCH(bool, positional);
    const QByteArray bytes = readAll(golden(model + QStringLiteral(".plumb")));
    QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()), sha256);
    Result<ModelArtifact> artifact = decodeModelArtifact(bytes, model);
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    QCOMPARE(artifact.value().metadata.name, name);
    QCOMPARE(artifact.value().metadata.software.value(QLatin1String("format")).toInt(), format);
    QCOMPARE(artifact.value().metadata.imported.positionalFeatures, positional);

    Result<Dataset> input = CsvReader::readFile(golden(model.section(QLatin1Char('/'), 0, 0) + QStringLiteral("/input.csv")));
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

void TestFormatCompat::importFieldsPerVersion_data()
{
    QTest::addColumn<quint32>("version");
    QTest::addColumn<QJsonValue>("positional"); // "import.positional_features"; undefined: absent
    QTest::addColumn<QString>("error"); // empty: the file loads
    const QString field = QStringLiteral("edited.plumb: metadata field \"import.positional_features\" ");
    QTest::newRow("format2-true") << quint32(2) << QJsonValue(true) << QString();
    QTest::newRow("format2-false") << quint32(2) << QJsonValue(false) << QString();
    // Format 2 requires it; format 1 did not have it, so a format 1 file that does is refused.
    QTest::newRow("format2-absent") << quint32(2) << QJsonValue(QJsonValue::Undefined) << field + QStringLiteral("is missing");
    QTest::newRow("format2-text") << quint32(2) << QJsonValue(QStringLiteral("yes"))
                                  << field + QStringLiteral("is not true or false");
    QTest::newRow("format1-absent") << quint32(1) << QJsonValue(QJsonValue::Undefined) << QString();
    QTest::newRow("format1-present") << quint32(1) << QJsonValue(true)
                                     << field + QStringLiteral("is not a field this version knows");
}

// One decode branch per version: the golden format-2 import, edited and sealed as each version.
void TestFormatCompat::importFieldsPerVersion()
{
    QFETCH(quint32, version);
    QFETCH(QJsonValue, positional);
    QFETCH(QString, error);
    const QByteArray bytes = testutil::withEditedManifest(
        readAll(golden(QStringLiteral("format2/positional.plumb"))), [&](QJsonObject &manifest) {
            const QVariantList path{QStringLiteral("metadata"), QStringLiteral("import"), QStringLiteral("positional_features")};
            if (positional.isUndefined())
                testutil::removeAt(manifest, path);
            else
                testutil::setAt(manifest, path, positional);
        });
    const Result<ModelArtifact> artifact = decodedAsVersion(bytes, version);
    if (!error.isEmpty()) {
        QVERIFY(!artifact.ok());
        QCOMPARE(artifact.error().message, error);
        return;
    }
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    QCOMPARE(artifact.value().metadata.imported.positionalFeatures, positional.toBool(false));
}

void TestFormatCompat::profileDistributionPerVersion_data()
{
    QTest::addColumn<quint32>("version");
    QTest::addColumn<bool>("keepDistribution");
    QTest::addColumn<QString>("error"); // empty: the file loads
    QTest::newRow("format3-with-distribution") << quint32(3) << true << QString();
    // A profile carried over from an older file into a format 3 one: read from its histogram.
    QTest::newRow("format3-histogram-only") << quint32(3) << false << QString();
    QTest::newRow("format2-histogram-only") << quint32(2) << false << QString();
    // Format 2 never wrote a distribution: a file that says format 2 and has one is refused.
    QTest::newRow("format2-with-distribution")
        << quint32(2) << true
        << QStringLiteral("edited.plumb: profile \"x1\" has the field \"distribution\", which model format 2 does not have");
}

// One decode branch per version: the golden format-3 ridge, its profile edited and sealed as each version.
void TestFormatCompat::profileDistributionPerVersion()
{
    QFETCH(quint32, version);
    QFETCH(bool, keepDistribution);
    QFETCH(QString, error);
    const QByteArray bytes = testutil::withEditedManifest(
        readAll(golden(QStringLiteral("format3/ridge.plumb"))), [&](QJsonObject &manifest) {
            QJsonArray profile = manifest.value(QLatin1String("profile")).toArray();
            for (qsizetype i = 0; i < profile.size() && !keepDistribution; ++i) {
                QJsonObject column = profile[i].toObject();
                column.remove(QStringLiteral("distribution"));
                profile[i] = column;
            }
            manifest.insert(QStringLiteral("profile"), profile);
        });
    const Result<ModelArtifact> artifact = decodedAsVersion(bytes, version);
    if (!error.isEmpty()) {
        QVERIFY(!artifact.ok());
        QCOMPARE(artifact.error().message, error);
        return;
    }
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    const std::vector<ColumnProfile> profiles = profilesFromJson(artifact.value().profile).value();
    const auto x1 = std::find_if(profiles.begin(), profiles.end(),
                                 [](const ColumnProfile &p) { return p.name == QLatin1String("x1"); });
    QVERIFY(x1 != profiles.end());
    QCOMPARE(x1->knots.empty(), !keepDistribution);
    QVERIFY(!x1->histogram.empty());
}

void TestFormatCompat::shapSummaryPerVersion_data()
{
    QTest::addColumn<quint32>("version");
    QTest::addColumn<QString>("edit"); // "keep", "remove" the summary, or "rename" a feature in it
    QTest::addColumn<QString>("error"); // empty: the file loads
    QTest::newRow("format4-with-summary") << quint32(4) << QStringLiteral("keep") << QString();
    // A model without an exact explanation, or trained without importance, has none.
    QTest::newRow("format4-without-summary") << quint32(4) << QStringLiteral("remove") << QString();
    QTest::newRow("format3-without-summary") << quint32(3) << QStringLiteral("remove") << QString();
    // Format 3 never wrote one: a file that says format 3 and has one is refused.
    QTest::newRow("format3-with-summary")
        << quint32(3) << QStringLiteral("keep")
        << QStringLiteral("edited.plumb: metadata field \"validation.shap\" is not a field this version knows");
    QTest::newRow("format4-summary-of-other-features")
        << quint32(4) << QStringLiteral("rename")
        << QStringLiteral("edited.plumb: metadata field \"validation.shap.features\" lists x1, x2, color; the model's "
                          "features are x1, x2, colour");
}

// One decode branch per version: the golden format-4 boosting model, its summary edited and
// sealed as each version.
void TestFormatCompat::shapSummaryPerVersion()
{
    QFETCH(quint32, version);
    QFETCH(QString, edit);
    QFETCH(QString, error);
    const QByteArray bytes = testutil::withEditedManifest(
        readAll(golden(QStringLiteral("format4/boosting.plumb"))), [&](QJsonObject &manifest) {
            const QVariantList path{QStringLiteral("metadata"), QStringLiteral("validation"), QStringLiteral("shap")};
            if (edit == QLatin1String("remove"))
                testutil::removeAt(manifest, path);
            else if (edit == QLatin1String("rename"))
                testutil::setAt(manifest, path + QVariantList{QStringLiteral("features"), 2, QStringLiteral("feature")},
                                QStringLiteral("color"));
        });
    const Result<ModelArtifact> artifact = decodedAsVersion(bytes, version);
    if (!error.isEmpty()) {
        QVERIFY(!artifact.ok());
        QCOMPARE(artifact.error().message, error);
        return;
    }
    QVERIFY2(artifact.ok(), artifact.ok() ? "" : qPrintable(artifact.error().message));
    const ShapSummary &shap = artifact.value().metadata.shap;
    QCOMPARE(shap.isEmpty(), edit == QLatin1String("remove"));
    if (shap.isEmpty())
        return;
    // As `plumb train` wrote it (README): exact TreeSHAP of the log-odds of 'yes', on the 24
    // hold-out rows of 120 (the default holdout:0.2), one value per feature.
    QCOMPARE(shap.method, ShapMethod::TreeShap);
    QCOMPARE(shap.outputs, QStringList{QStringLiteral("log-odds of 'yes'")});
    QCOMPARE(shap.validationRows, qint64(24));
    QCOMPARE(shap.explainedRows, qint64(24));
    QCOMPARE(shap.features.size(), std::size_t(3));
    QCOMPARE(shap.beeswarmRows(), 24);
}

QTEST_GUILESS_MAIN(TestFormatCompat)
#include "tst_formatcompat.moc"
