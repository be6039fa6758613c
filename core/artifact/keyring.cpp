#include "artifact/keyring.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace plumb {

QString Keyring::defaultDirectory()
{
    const QString configured = qEnvironmentVariable("PLUMB_KEYRING");
    if (!configured.isEmpty())
        return configured;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/plumb/trusted-keys");
}

Keyring Keyring::load(const QString &directory, QStringList *problems)
{
    Keyring keyring;
    keyring.mDirectory = directory;
    const QFileInfoList files = QDir(directory).entryInfoList({QStringLiteral("*.pub")}, QDir::Files, QDir::Name);
    for (const QFileInfo &info : files) {
        QFile file(info.filePath());
        Result<PublicKey> key = file.open(QIODevice::ReadOnly) && file.size() < 4096
                                    ? PublicKey::fromText(file.readAll(), info.fileName())
                                    : Result<PublicKey>(Error::io(QStringLiteral("%1: unreadable").arg(info.fileName())));
        if (key)
            keyring.mEntries.push_back({key.value(), info.filePath()});
        else if (problems)
            problems->append(key.error().message);
    }
    return keyring;
}

const Keyring::Entry *Keyring::find(const std::array<std::uint8_t, 8> &keyNumber) const
{
    for (const Entry &entry : mEntries)
        if (entry.key.keyNumber == keyNumber)
            return &entry;
    return nullptr;
}

QString SignatureStatus::describe() const
{
    switch (state) {
    case State::Unsigned:
        return QStringLiteral("unsigned");
    case State::Trusted:
        return QStringLiteral("signed by trusted key %1 (%2)").arg(keyId, QFileInfo(keyFile).fileName());
    case State::UnknownKey:
        return QStringLiteral("signed by key %1, which is not in the keyring: %2").arg(keyId, reason);
    case State::Invalid:
        return QStringLiteral("INVALID signature: %1").arg(reason);
    }
    return {};
}

SignatureStatus checkSignature(const QString &modelPath, const QByteArray &modelBytes, const Keyring &keyring,
                               const PublicKey *explicitKey)
{
    SignatureStatus status;
    QFile file(modelPath + QStringLiteral(".minisig"));
    if (!file.exists())
        return status;
    if (!file.open(QIODevice::ReadOnly) || file.size() > 65536) {
        status.state = SignatureStatus::State::Invalid;
        status.reason = QStringLiteral("%1 cannot be read").arg(file.fileName());
        return status;
    }
    Result<SignatureFile> signature = SignatureFile::fromText(file.readAll(), QFileInfo(file.fileName()).fileName());
    if (!signature) {
        status.state = SignatureStatus::State::Invalid;
        status.reason = signature.error().message;
        return status;
    }
    status.keyId = signature.value().keyId();
    const Keyring::Entry *entry = keyring.find(signature.value().keyNumber);
    const PublicKey *key = explicitKey ? explicitKey : (entry ? &entry->key : nullptr);
    if (!key) {
        status.state = SignatureStatus::State::UnknownKey;
        status.reason = QStringLiteral("add its public key to %1 to check it").arg(keyring.directory());
        return status;
    }
    if (auto error = verifyMessage(modelBytes, signature.value(), *key)) {
        status.state = SignatureStatus::State::Invalid;
        status.reason = error->message;
        return status;
    }
    const bool trusted = entry && entry->key.key == key->key;
    status.state = trusted ? SignatureStatus::State::Trusted : SignatureStatus::State::UnknownKey;
    status.keyFile = trusted ? entry->file : QString();
    status.trustedComment = QString::fromUtf8(signature.value().trustedComment);
    if (!trusted)
        status.reason = QStringLiteral("the signature is valid for the given key, but that key is not in the keyring");
    return status;
}

} // namespace plumb
