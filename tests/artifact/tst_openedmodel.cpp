// openModelFile, the one way every front end opens a model file: what it returns for an intact
// file, and how it refuses an unreadable, a modified or an insufficiently signed one.

#include "artifacttestutil.h"

#include "artifact/openedmodel.h"
#include "artifact/signing.h"
#include "base/sha256.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb;

namespace {

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestOpenedModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void intactFileOpens();
    void refusals_data();
    void refusals();
    void resealedMetadataRefused_data();
    void resealedMetadataRefused();

private:
    QString path(const QString &name) const { return mDir.filePath(name); }
    QTemporaryDir mDir;
    QByteArray mBytes;
    SecretKey mKey = SecretKey::generate();
};

void TestOpenedModel::initTestCase()
{
    QVERIFY(mDir.isValid());
    Result<QByteArray> bytes = testutil::smallModelFile();
    QVERIFY(bytes);
    mBytes = bytes.value();
    QVERIFY(writeAll(path(QStringLiteral("unsigned.plumb")), mBytes));
    QVERIFY(writeAll(path(QStringLiteral("signed.plumb")), mBytes));
    QVERIFY(signModelFile(path(QStringLiteral("signed.plumb")), mKey));
    QByteArray tampered = mBytes;
    tampered[mBytes.size() / 2] = char(tampered[mBytes.size() / 2] ^ 1); // not resealed: the digest no longer matches
    QVERIFY(writeAll(path(QStringLiteral("tampered.plumb")), tampered));
    QVERIFY(QDir(mDir.path()).mkpath(QStringLiteral("ring")));
    QVERIFY(writeAll(path(QStringLiteral("ring/plumb.pub")), mKey.publicKey().toFile()));
}

// The file's size and SHA-256 are those of its bytes (as sha256sum prints them); the profile is
// parsed; the signature is judged.
void TestOpenedModel::intactFileOpens()
{
    Result<OpenedModel> model = openModelFile(path(QStringLiteral("signed.plumb")), Keyring::load(path(QStringLiteral("ring"))));
    QVERIFY2(model, qPrintable(model ? QString() : model.error().message));
    QCOMPARE(model.value().path, QFileInfo(path(QStringLiteral("signed.plumb"))).absoluteFilePath());
    QCOMPARE(model.value().fileSize, mBytes.size());
    QCOMPARE(model.value().fileSha256, QString::fromLatin1(sha256(mBytes).toHex()));
    QCOMPARE(model.value().signature.state, SignatureStatus::State::Trusted);
    QCOMPARE(qsizetype(model.value().profiles.size()), model.value().artifact.profile.size());
    QVERIFY(model.value().artifact.pipeline);
}

void TestOpenedModel::refusals_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("trustRing"); // the keyring holds the signing key
    QTest::addColumn<int>("requirement");
    QTest::addColumn<int>("kind"); // Error::Kind, or -1: opens
    QTest::addColumn<QString>("message"); // how the error message starts
    const int opens = -1, integrity = int(Error::Kind::Integrity), untrusted = int(Error::Kind::Untrusted);
    QTest::newRow("missing-file") << QStringLiteral("absent.plumb") << true << int(SignatureRequirement::Report)
                                  << int(Error::Kind::Io) << QString();
    QTest::newRow("modified") << QStringLiteral("tampered.plumb") << true << int(SignatureRequirement::Report) << integrity
                              << QStringLiteral("tampered.plumb: ");
    QTest::newRow("unsigned-report") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::Report) << opens
                                     << QString();
    QTest::newRow("unsigned-not-invalid") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::NotInvalid)
                                          << opens << QString();
    QTest::newRow("unsigned-trusted") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::Trusted)
                                      << untrusted
                                      << QStringLiteral("unsigned.plumb: unsigned; a signature by a trusted key is required");
    QTest::newRow("unknown-key-trusted") << QStringLiteral("signed.plumb") << false << int(SignatureRequirement::Trusted)
                                         << untrusted << QStringLiteral("signed.plumb: ");
    QTest::newRow("trusted-key-trusted") << QStringLiteral("signed.plumb") << true << int(SignatureRequirement::Trusted) << opens
                                         << QString();
}

void TestOpenedModel::refusals()
{
    QFETCH(QString, file);
    QFETCH(bool, trustRing);
    QFETCH(int, requirement);
    QFETCH(int, kind);
    QFETCH(QString, message);
    const Keyring keyring = Keyring::load(trustRing ? path(QStringLiteral("ring")) : path(QStringLiteral("no-ring")));
    Result<OpenedModel> model = openModelFile(path(file), keyring, SignatureRequirement(requirement));
    if (kind < 0) {
        QVERIFY2(model, qPrintable(model ? QString() : model.error().message));
        return;
    }
    QVERIFY(!model);
    QCOMPARE(int(model.error().kind), kind);
    QVERIFY2(model.error().message.startsWith(message), qPrintable(model.error().message));
}

// Six files edited and resealed (the digest holds, so only the strict reading of the metadata can
// refuse them) that `plumb verify` once called intact: each is refused as Invalid content (exit 3
// for verify, app/cli/exitcodes.cpp) with a message naming the file and the field.
void TestOpenedModel::resealedMetadataRefused_data()
{
    QTest::addColumn<QVariantList>("path"); // in the manifest
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("message");
    const auto at = [](const char *object, const char *field) {
        QVariantList path{QStringLiteral("metadata"), QString::fromLatin1(object)};
        if (field)
            path.append(QString::fromLatin1(field));
        return path;
    };
    QTest::newRow("training-rows-text") << at("training_data", "rows") << QJsonValue(QStringLiteral("abc"))
                                        << QStringLiteral(
                                               "edited.plumb: metadata field \"training_data.rows\" is not a whole number");
    QTest::newRow("tags-numbers") << at("tags", nullptr) << QJsonValue(QJsonArray{1, 2})
                                  << QStringLiteral("edited.plumb: metadata field \"tags[0]\" is not text");
    QTest::newRow("software-text") << at("software", nullptr) << QJsonValue(QStringLiteral("plumb 0.1"))
                                   << QStringLiteral("edited.plumb: metadata field \"software\" is not an object");
    QTest::newRow("training-unknown-field")
        << at("training_data", "delimiter") << QJsonValue(QStringLiteral(","))
        << QStringLiteral("edited.plumb: metadata field \"training_data.delimiter\" is not a field this version knows");
    // The one boolean every model has: a router branch's "categorical" ("true" as text read as false).
    QTest::newRow("boolean-as-text") << QVariantList{QStringLiteral("pipeline"), QStringLiteral("router"),
                                                     QStringLiteral("branches"), 0, QStringLiteral("categorical")}
                                     << QJsonValue(QStringLiteral("false"))
                                     << QStringLiteral("edited.plumb: router branch 0: \"categorical\" is not true or false");
    QTest::newRow("import-boolean-as-text")
        << at("import", nullptr)
        << QJsonValue(QJsonObject{{QStringLiteral("source"), QStringLiteral("m.pkl")},
                                  {QStringLiteral("sha256"), QString()},
                                  {QStringLiteral("library"), QStringLiteral("scikit-learn")},
                                  {QStringLiteral("library_version"), QStringLiteral("1.2.1")},
                                  {QStringLiteral("container"), QStringLiteral("pickle")},
                                  {QStringLiteral("globals"), QJsonArray()},
                                  {QStringLiteral("conversion"), QJsonArray()},
                                  {QStringLiteral("positional_features"), QStringLiteral("true")}})
        << QStringLiteral("edited.plumb: metadata field \"import.positional_features\" is not true or false");
    QTest::newRow("garbage-metrics")
        << at("validation", "metrics")
        << QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("zzz")}, {QStringLiteral("value"), 1e300}}})
        << QStringLiteral("edited.plumb: metadata field \"validation.metrics[0].name\" is \"zzz\", not a metric "
                          "this version knows");
}

void TestOpenedModel::resealedMetadataRefused()
{
    QFETCH(QVariantList, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);
    const QByteArray edited = testutil::withEditedManifest(
        mBytes, [&](QJsonObject &manifest) { testutil::setAt(manifest, path, value); });
    QVERIFY(edited != mBytes);
    QVERIFY2(testutil::sealed(testutil::withoutTrailer(edited)) == edited, "the edited file is not sealed");
    QVERIFY(writeAll(this->path(QStringLiteral("edited.plumb")), edited));
    Result<OpenedModel> model = openModelFile(this->path(QStringLiteral("edited.plumb")), Keyring());
    QVERIFY2(!model, "opened");
    QCOMPARE(model.error().kind, Error::Kind::Invalid);
    QVERIFY2(model.error().message.startsWith(message), qPrintable(model.error().message));
}

QTEST_GUILESS_MAIN(TestOpenedModel)
#include "tst_openedmodel.moc"
