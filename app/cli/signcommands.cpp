#include "signcommands.h"

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "artifact/signing.h"

#include <QFile>
#include <QFileInfo>

namespace plumb::cli {

namespace {

const QString kPasswordFile = QStringLiteral("password-file");

QCommandLineOption passwordOption()
{
    return {kPasswordFile, QStringLiteral("Read the key's password from the first line of FILE (else $PLUMB_KEY_PASSWORD)."),
            QStringLiteral("FILE")};
}

} // namespace

QByteArray keyPassword(const QCommandLineParser &parser)
{
    if (parser.isSet(kPasswordFile)) {
        QFile file(parser.value(kPasswordFile));
        if (file.open(QIODevice::ReadOnly))
            return file.readLine().trimmed();
        return {};
    }
    return qgetenv("PLUMB_KEY_PASSWORD");
}

int runKeygen(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a signing key pair: BASE.pub (share it) and BASE.key (keep it "
                                                    "secret), in minisign's formats."));
    parser.addOption(
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Base name of the two files."), QStringLiteral("BASE")});
    parser.addOption(passwordOption());
    parser.addOption({QStringLiteral("force"), QStringLiteral("Replace existing key files.")});
    if (const auto exit = parseArguments(parser, QStringLiteral("keygen"), arguments, 0, io))
        return *exit;
    const QString base = parser.value(QStringLiteral("output"));
    if (base.isEmpty()) {
        io.err << "plumb keygen: -o BASE is required\n";
        return kExitUsage;
    }
    const QByteArray password = keyPassword(parser);
    const SecretKey key = SecretKey::generate();
    const bool force = parser.isSet(QStringLiteral("force"));
    if (auto error = writeFileAtomically(base + QStringLiteral(".key"), key.toFile(password), force)) {
        io.err << "plumb keygen: " << error->message << '\n';
        return kExitError;
    }
    QFile::setPermissions(base + QStringLiteral(".key"), QFile::ReadOwner | QFile::WriteOwner);
    if (auto error = writeFileAtomically(base + QStringLiteral(".pub"), key.publicKey().toFile(), force)) {
        io.err << "plumb keygen: " << error->message << '\n';
        return kExitError;
    }
    if (password.isEmpty())
        io.err << "warning: " << base << ".key is not password-protected (use --password-file or $PLUMB_KEY_PASSWORD)\n";
    io.out << "key " << key.publicKey().id() << ": wrote " << base << ".pub and " << base << ".key\n"
           << "to trust it, copy " << base << ".pub into the keyring folder\n";
    return kExitOk;
}

int runSign(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sign a .plumb file with a secret key: writes MODEL.minisig, which Plumb "
                                                    "and `minisign -Vm MODEL -p KEY.pub` verify."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addOption({QStringLiteral("key"), QStringLiteral("The secret key file."), QStringLiteral("BASE.key")});
    parser.addOption(passwordOption());
    if (const auto exit = parseArguments(parser, QStringLiteral("sign"), arguments, 1, io))
        return *exit;
    const QString modelPath = parser.positionalArguments().front();
    const QString keyPath = parser.value(QStringLiteral("key"));
    Result<QByteArray> keyText = readFileBytes(keyPath);
    if (!keyText) {
        io.err << "plumb sign: " << keyText.error().message << '\n';
        return kExitError;
    }
    Result<SecretKey> key = SecretKey::fromText(keyText.value(), keyPassword(parser), QFileInfo(keyPath).fileName());
    if (!key) {
        io.err << "plumb sign: " << key.error().message << '\n';
        return kExitError;
    }
    // Only an intact model is signed: a model that does not verify is a verification failure.
    Result<QString> signature = signModelFile(modelPath, key.value());
    if (!signature) {
        io.err << "plumb sign: " << signature.error().message << '\n';
        return exitCodeFor(signature.error().kind, ExitContext::Verify);
    }
    io.out << "signed " << modelPath << " with key " << key.value().publicKey().id() << ": " << signature.value() << '\n';
    return kExitOk;
}

} // namespace plumb::cli
