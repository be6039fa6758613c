// openModelFile, the one way every front end opens a model file: what it returns for an intact
// file, and how it refuses an unreadable, a modified or an insufficiently signed one.

#include "artifacttestutil.h"

#include "artifact/openedmodel.h"
#include "artifact/signing.h"
#include "base/sha256.h"

#include <QDir>
#include <QFile>
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
    QTest::addColumn<int>("kind");        // Error::Kind, or -1: opens
    QTest::addColumn<QString>("message"); // how the error message starts
    const int opens = -1, integrity = int(Error::Kind::Integrity);
    QTest::newRow("missing-file") << QStringLiteral("absent.plumb") << true << int(SignatureRequirement::Report) << int(Error::Kind::Io) << QString();
    QTest::newRow("modified") << QStringLiteral("tampered.plumb") << true << int(SignatureRequirement::Report) << integrity << QStringLiteral("tampered.plumb: ");
    QTest::newRow("unsigned-report") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::Report) << opens << QString();
    QTest::newRow("unsigned-not-invalid") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::NotInvalid) << opens << QString();
    QTest::newRow("unsigned-trusted") << QStringLiteral("unsigned.plumb") << true << int(SignatureRequirement::Trusted) << integrity
                                      << QStringLiteral("unsigned.plumb: unsigned; a signature by a trusted key is required");
    QTest::newRow("unknown-key-trusted") << QStringLiteral("signed.plumb") << false << int(SignatureRequirement::Trusted) << integrity
                                         << QStringLiteral("signed.plumb: ");
    QTest::newRow("trusted-key-trusted") << QStringLiteral("signed.plumb") << true << int(SignatureRequirement::Trusted) << opens << QString();
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

QTEST_GUILESS_MAIN(TestOpenedModel)
#include "tst_openedmodel.moc"
