// Signatures as users meet them: Plumb's keys and signatures against Debian's minisign, both ways,
// and the states the inspector shows (unsigned, trusted, unknown key, invalid).
#include "artifact/keyring.h"
#include "artifact/signing.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Runs minisign with `input` on its standard input (passwords); returns its exit code.
int minisign(const QStringList &arguments, const QByteArray &input = {}, QString *output = nullptr)
{
    QProcess process;
    process.start(QStringLiteral("minisign"), arguments);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(120000))
        return -1;
    if (output)
        *output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    return process.exitCode();
}

const QByteArray kMessage = "a model file's bytes\n";

} // namespace

class TestSigning : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void plumbSignsAndVerifies();
    void minisignAcceptsPlumbSignatures();
    void plumbAcceptsMinisignSignatures();
    void plumbSignsWithMinisignKeys_data();
    void plumbSignsWithMinisignKeys();
    void encryptedKeysNeedTheirPassword();
    void verificationFailures_data();
    void verificationFailures();
    void signatureStates();
    void keysSharingAnIdAreEachTried();
    void workspaceKeysJudgeItsModels_data();
    void workspaceKeysJudgeItsModels();

private:
    QString path(const char *name) const { return mDir.filePath(QLatin1String(name)); }
    QTemporaryDir mDir;
    SecretKey mKey;
};

void TestSigning::initTestCase()
{
    QVERIFY(mDir.isValid());
    // .ci/install-deps installs Debian's minisign: interoperability is part of the contract.
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("minisign")).isEmpty(), "minisign is not installed");
    mKey = SecretKey::generate();
    QVERIFY(writeAll(path("plumb.pub"), mKey.publicKey().toFile()));
    QVERIFY(writeAll(path("plumb.key"), mKey.toFile({})));
    QVERIFY(writeAll(path("message.bin"), kMessage));
}

void TestSigning::plumbSignsAndVerifies()
{
    const QByteArray text = signMessage(kMessage, mKey, QStringLiteral("plumb model name=x"));
    Result<SignatureFile> signature = SignatureFile::fromText(text, QStringLiteral("x.minisig"));
    QVERIFY(signature.ok());
    QCOMPARE(signature.value().trustedComment, QByteArray("plumb model name=x"));
    QCOMPARE(signature.value().keyId(), mKey.publicKey().id());
    QVERIFY(!verifyMessage(kMessage, signature.value(), mKey.publicKey()));
    // Keys survive their files.
    Result<SecretKey> reread = SecretKey::fromText(readAll(path("plumb.key")), {}, QStringLiteral("plumb.key"));
    QVERIFY(reread.ok());
    QVERIFY(reread.value().key == mKey.key);
    Result<PublicKey> publicKey = PublicKey::fromText(readAll(path("plumb.pub")), QStringLiteral("plumb.pub"));
    QVERIFY(publicKey.ok());
    QVERIFY(publicKey.value().key == mKey.publicKey().key);
}

void TestSigning::minisignAcceptsPlumbSignatures()
{
    QVERIFY(writeAll(path("message.bin.minisig"), signMessage(kMessage, mKey, QStringLiteral("signed by plumb"))));
    QString output;
    QCOMPARE(minisign({QStringLiteral("-Vm"), path("message.bin"), QStringLiteral("-p"), path("plumb.pub")}, {}, &output), 0);
    QVERIFY2(output.contains(QLatin1String("Trusted comment: signed by plumb")), qPrintable(output));
}

void TestSigning::plumbAcceptsMinisignSignatures()
{
    QCOMPARE(minisign({QStringLiteral("-G"), QStringLiteral("-W"), QStringLiteral("-f"), QStringLiteral("-p"), path("mini.pub"),
                       QStringLiteral("-s"), path("mini.key")}),
             0);
    QVERIFY(writeAll(path("other.bin"), kMessage));
    QCOMPARE(minisign({QStringLiteral("-S"), QStringLiteral("-s"), path("mini.key"), QStringLiteral("-m"), path("other.bin"),
                       QStringLiteral("-t"), QStringLiteral("signed by minisign")}),
             0);
    Result<PublicKey> key = PublicKey::fromText(readAll(path("mini.pub")), QStringLiteral("mini.pub"));
    QVERIFY(key.ok());
    Result<SignatureFile> signature = SignatureFile::fromText(readAll(path("other.bin.minisig")),
                                                              QStringLiteral("other.bin.minisig"));
    QVERIFY(signature.ok());
    QVERIFY(signature.value().prehashed); // minisign's default is the prehashed "ED" algorithm
    QVERIFY(!verifyMessage(kMessage, signature.value(), key.value()));
    QCOMPARE(signature.value().trustedComment, QByteArray("signed by minisign"));
}

void TestSigning::plumbSignsWithMinisignKeys_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::newRow("unencrypted") << QByteArray();
    QTest::newRow("encrypted") << QByteArray("correct horse");
}

void TestSigning::plumbSignsWithMinisignKeys()
{
    QFETCH(QByteArray, password);
    QStringList generate{QStringLiteral("-G"), QStringLiteral("-f"), QStringLiteral("-p"),
                         path("k.pub"),        QStringLiteral("-s"), path("k.key")};
    if (password.isEmpty())
        generate.append(QStringLiteral("-W"));
    QCOMPARE(minisign(generate, password + '\n' + password + '\n'), 0);
    Result<SecretKey> key = SecretKey::fromText(readAll(path("k.key")), password, QStringLiteral("k.key"));
    QVERIFY2(key.ok(), key.ok() ? "" : qPrintable(key.error().message));
    QVERIFY(writeAll(path("third.bin"), kMessage));
    QVERIFY(writeAll(path("third.bin.minisig"), signMessage(kMessage, key.value(), QStringLiteral("with a minisign key"))));
    QCOMPARE(minisign({QStringLiteral("-Vm"), path("third.bin"), QStringLiteral("-p"), path("k.pub")}), 0);
}

void TestSigning::encryptedKeysNeedTheirPassword()
{
    const QByteArray file = mKey.toFile("s3cret");
    QVERIFY(file.contains("minisign encrypted secret key"));
    Result<SecretKey> right = SecretKey::fromText(file, "s3cret", QStringLiteral("e.key"));
    QVERIFY(right.ok());
    QVERIFY(right.value().key == mKey.key);
    Result<SecretKey> wrong = SecretKey::fromText(file, "guess", QStringLiteral("e.key"));
    QVERIFY(!wrong.ok());
    QCOMPARE(wrong.error().message, QStringLiteral("e.key: wrong password (the key's checksum does not match)"));
    Result<SecretKey> none = SecretKey::fromText(file, {}, QStringLiteral("e.key"));
    QCOMPARE(none.error().message, QStringLiteral("e.key is encrypted: a password is needed"));
}

void TestSigning::verificationFailures_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("alterComment");
    QTest::addColumn<bool>("otherKey");
    QTest::addColumn<QString>("reason");
    QTest::newRow("content-changed") << QByteArray("a model file's bytes!\n") << false << false
                                     << QStringLiteral("the signature does not match the file's content");
    QTest::newRow("comment-altered") << kMessage << true << false << QStringLiteral("the trusted comment was altered");
    QTest::newRow("other-key") << kMessage << false << true << QStringLiteral("signed with key");
}

void TestSigning::verificationFailures()
{
    QFETCH(QByteArray, message);
    QFETCH(bool, alterComment);
    QFETCH(bool, otherKey);
    QFETCH(QString, reason);
    QByteArray text = signMessage(kMessage, mKey, QStringLiteral("comment"));
    if (alterComment)
        text.replace("trusted comment: comment", "trusted comment: c0mment");
    Result<SignatureFile> signature = SignatureFile::fromText(text, QStringLiteral("s.minisig"));
    QVERIFY(signature.ok());
    const PublicKey key = otherKey ? SecretKey::generate().publicKey() : mKey.publicKey();
    const auto error = verifyMessage(message, signature.value(), key);
    QVERIFY(error.has_value());
    QVERIFY2(error->message.startsWith(reason), qPrintable(error->message));
    QCOMPARE(error->kind, Error::Kind::Integrity);
}

void TestSigning::signatureStates()
{
    const QString model = path("states.plumb");
    QVERIFY(writeAll(model, kMessage));
    QDir().mkpath(path("ring"));
    const Keyring empty = Keyring::load(path("ring"));
    QCOMPARE(checkSignature(model, kMessage, empty).state, SignatureStatus::State::Unsigned);

    QVERIFY(writeAll(model + QStringLiteral(".minisig"), signMessage(kMessage, mKey, QStringLiteral("c"))));
    const SignatureStatus unknown = checkSignature(model, kMessage, empty);
    QCOMPARE(unknown.state, SignatureStatus::State::UnknownKey);
    QCOMPARE(unknown.keyId, mKey.publicKey().id());

    QVERIFY(QFile::copy(path("plumb.pub"), path("ring/plumb.pub")));
    const Keyring trusted = Keyring::load(path("ring"));
    const SignatureStatus good = checkSignature(model, kMessage, trusted);
    QCOMPARE(good.state, SignatureStatus::State::Trusted);
    QVERIFY(good.describe().contains(QLatin1String("signed by trusted key")));
    QCOMPARE(good.trustedComment, QStringLiteral("c"));

    const SignatureStatus bad = checkSignature(model, kMessage + "x", trusted);
    QCOMPARE(bad.state, SignatureStatus::State::Invalid);
    QVERIFY(bad.describe().startsWith(QLatin1String("INVALID signature")));
}

void TestSigning::workspaceKeysJudgeItsModels_data()
{
    QTest::addColumn<QString>("modelFolder"); // under the workspace folder "ws"
    QTest::addColumn<bool>("explicitKeyring"); // PLUMB_KEYRING set to an empty folder
    QTest::addColumn<bool>("trusted");
    // The workspace's own trusted-keys/ holds the signer's key (as the demo workspace ships it).
    QTest::newRow("models-folder") << QStringLiteral("ws/models") << false << true;
    QTest::newRow("nested-folder") << QStringLiteral("ws/models/archive") << false << true;
    QTest::newRow("outside-the-workspace") << QStringLiteral("elsewhere") << false << false;
    // PLUMB_KEYRING names the one folder to trust: the workspace's keys do not count.
    QTest::newRow("plumb-keyring-set") << QStringLiteral("ws/models") << true << false;
}

void TestSigning::workspaceKeysJudgeItsModels()
{
    QFETCH(QString, modelFolder);
    QFETCH(bool, explicitKeyring);
    QFETCH(bool, trusted);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    const QDir root(mDir.filePath(QStringLiteral("workspaces/") + tag));
    QVERIFY(root.mkpath(QStringLiteral("ws/trusted-keys")) && root.mkpath(modelFolder) && root.mkpath(QStringLiteral("empty")));
    QVERIFY(writeAll(root.filePath(QStringLiteral("ws/plumb-workspace.json")), "{}"));
    QVERIFY(QFile::copy(path("plumb.pub"), root.filePath(QStringLiteral("ws/trusted-keys/signer.pub"))));
    const QString model = root.filePath(modelFolder + QStringLiteral("/m.plumb"));
    QVERIFY(writeAll(model, kMessage));
    QVERIFY(writeAll(model + QStringLiteral(".minisig"), signMessage(kMessage, mKey, QStringLiteral("c"))));

    const QByteArray previous = qgetenv("PLUMB_KEYRING");
    if (explicitKeyring)
        qputenv("PLUMB_KEYRING", root.filePath(QStringLiteral("empty")).toUtf8());
    else
        qunsetenv("PLUMB_KEYRING");
    // The user's own folder (the default) cannot hold the key generated for this suite.
    const Keyring keyring = Keyring::forModel(model);
    const SignatureStatus status = checkSignature(model, kMessage, keyring);
    if (previous.isNull())
        qunsetenv("PLUMB_KEYRING");
    else
        qputenv("PLUMB_KEYRING", previous);
    QCOMPARE(status.state, trusted ? SignatureStatus::State::Trusted : SignatureStatus::State::UnknownKey);
    QCOMPARE(keyring.workspaceKeys().isEmpty(), !trusted);
}

void TestSigning::keysSharingAnIdAreEachTried()
{
    // Another key given the same 8-byte key ID, in a file that sorts first: the keyring used to
    // check the signature against that key alone and call a good signature INVALID.
    SecretKey impostor = SecretKey::generate();
    impostor.keyNumber = mKey.keyNumber;
    QVERIFY(impostor.publicKey().key != mKey.publicKey().key);
    QDir().mkpath(path("shared"));
    QVERIFY(writeAll(path("shared/a-impostor.pub"), impostor.publicKey().toFile()));
    QVERIFY(QFile::copy(path("plumb.pub"), path("shared/plumb.pub")));
    const QString model = path("shared.plumb");
    QVERIFY(writeAll(model, kMessage));
    QVERIFY(writeAll(model + QStringLiteral(".minisig"), signMessage(kMessage, mKey, QStringLiteral("shared id"))));
    // The reference: minisign -V with the signer's public key accepts the signature.
    QCOMPARE(minisign({QStringLiteral("-Vm"), model, QStringLiteral("-p"), path("plumb.pub")}), 0);

    QStringList problems;
    const Keyring keyring = Keyring::load(path("shared"), &problems);
    QCOMPARE(keyring.find(mKey.keyNumber).size(), std::size_t(2));
    QCOMPARE(problems.size(), 1);
    QVERIFY2(
        problems.front().contains(QLatin1String("a-impostor.pub and plumb.pub have the same key ID ") + mKey.publicKey().id()),
        qPrintable(problems.front()));
    const SignatureStatus good = checkSignature(model, kMessage, keyring);
    QCOMPARE(good.state, SignatureStatus::State::Trusted);
    QCOMPARE(QFileInfo(good.keyFile).fileName(), QStringLiteral("plumb.pub"));
    QCOMPARE(good.trustedComment, QStringLiteral("shared id"));
    QVERIFY2(good.describe().contains(QLatin1String("warning: a-impostor.pub and plumb.pub have the same key ID")),
             qPrintable(good.describe()));

    // A signature no key verifies is still INVALID, with the warning.
    const SignatureStatus bad = checkSignature(model, kMessage + "x", keyring);
    QCOMPARE(bad.state, SignatureStatus::State::Invalid);
    QVERIFY2(bad.describe().contains(QLatin1String("warning: a-impostor.pub and plumb.pub")), qPrintable(bad.describe()));

    // The same key in two files is no collision.
    QDir().mkpath(path("same"));
    QVERIFY(QFile::copy(path("plumb.pub"), path("same/one.pub")));
    QVERIFY(QFile::copy(path("plumb.pub"), path("same/two.pub")));
    QVERIFY(Keyring::load(path("same")).collisions().isEmpty());
}

QTEST_GUILESS_MAIN(TestSigning)
#include "tst_signing.moc"
