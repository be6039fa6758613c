#include "artifact/keyring.h"

#include "data/workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

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
    keyring.read(directory, problems);
    if (problems)
        problems->append(keyring.collisions());
    return keyring;
}

QString Keyring::workspaceDirectory(const QString &modelPath)
{
    // A model is kept in models/ or a folder below it: two parents up is as far as its workspace
    // can be.
    QDir folder = QFileInfo(modelPath).absoluteDir();
    for (int level = 0; level < 3; ++level) {
        if (QFileInfo(folder.filePath(QString::fromLatin1(Workspace::kManifestName))).isFile()) {
            const QString keys = folder.filePath(QStringLiteral("trusted-keys"));
            return QFileInfo(keys).isDir() ? keys : QString();
        }
        if (!folder.cdUp())
            break;
    }
    return {};
}

Keyring Keyring::forModel(const QString &modelPath, const QString &directory, QStringList *problems)
{
    Keyring keyring;
    keyring.mDirectory = directory;
    keyring.read(directory, problems);
    const bool explicitFolder = !qEnvironmentVariableIsEmpty("PLUMB_KEYRING") || directory != defaultDirectory();
    const QString workspace = explicitFolder ? QString() : workspaceDirectory(modelPath);
    if (!workspace.isEmpty() && QDir(workspace) != QDir(directory)) {
        keyring.mWorkspaceKeys = workspace;
        keyring.read(workspace, problems);
    }
    if (problems)
        problems->append(keyring.collisions());
    return keyring;
}

void Keyring::read(const QString &directory, QStringList *problems)
{
    Keyring &keyring = *this;
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
}

std::vector<const Keyring::Entry *> Keyring::find(const std::array<std::uint8_t, 8> &keyNumber) const
{
    std::vector<const Entry *> found;
    for (const Entry &entry : mEntries)
        if (entry.key.keyNumber == keyNumber)
            found.push_back(&entry);
    return found;
}

namespace {

// "a.pub and b.pub have the same key ID ...", or empty when the entries hold one key (the same
// key in two files is no collision).
QString collisionText(const std::vector<const Keyring::Entry *> &entries)
{
    bool differ = false;
    QStringList files;
    for (const Keyring::Entry *entry : entries) {
        differ = differ || entry->key.key != entries.front()->key.key;
        files.append(QFileInfo(entry->file).fileName());
    }
    if (!differ)
        return {};
    return QStringLiteral(
               "%1 and %2 have the same key ID %3 but different keys; signatures with that ID are checked against each")
        .arg(files.sliced(0, files.size() - 1).join(QLatin1String(", ")), files.constLast(), entries.front()->key.id());
}

} // namespace

QStringList Keyring::collisions() const
{
    QStringList found;
    std::vector<std::array<std::uint8_t, 8>> seen;
    for (const Entry &entry : mEntries) {
        if (std::find(seen.begin(), seen.end(), entry.key.keyNumber) != seen.end())
            continue;
        seen.push_back(entry.key.keyNumber);
        if (const QString text = collisionText(find(entry.key.keyNumber)); !text.isEmpty())
            found.append(text);
    }
    return found;
}

QString SignatureStatus::describe() const
{
    switch (state) {
    case State::Unsigned:
        return QStringLiteral("unsigned");
    case State::Trusted:
        return QStringLiteral("signed by trusted key %1 (%2)%3")
            .arg(keyId, QFileInfo(keyFile).fileName(), warning.isEmpty() ? QString() : QStringLiteral("; warning: ") + warning);
    case State::UnknownKey:
        return QStringLiteral("signed by key %1, which is not in the keyring: %2").arg(keyId, reason);
    case State::Invalid:
        return QStringLiteral("INVALID signature: %1%2")
            .arg(reason, warning.isEmpty() ? QString() : QStringLiteral("; warning: ") + warning);
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
    const std::vector<const Keyring::Entry *> entries = keyring.find(signature.value().keyNumber);
    status.warning = collisionText(entries);
    if (!explicitKey && entries.empty()) {
        status.state = SignatureStatus::State::UnknownKey;
        status.reason = QStringLiteral("add its public key to %1 to check it").arg(keyring.directory());
        return status;
    }
    // The explicit key alone, or every keyring key with the signature's ID until one verifies it.
    std::vector<const PublicKey *> candidates;
    if (explicitKey)
        candidates.push_back(explicitKey);
    else
        for (const Keyring::Entry *entry : entries)
            candidates.push_back(&entry->key);
    const PublicKey *key = nullptr;
    QStringList failures;
    for (const PublicKey *candidate : candidates) {
        if (auto error = verifyMessage(modelBytes, signature.value(), *candidate)) {
            failures.append(error->message);
            continue;
        }
        key = candidate;
        break;
    }
    if (!key) {
        status.state = SignatureStatus::State::Invalid;
        failures.removeDuplicates();
        status.reason = failures.join(QLatin1String("; "));
        return status;
    }
    const auto keyEntry = std::find_if(entries.begin(), entries.end(),
                                       [&](const Keyring::Entry *entry) { return entry->key.key == key->key; });
    const bool trusted = keyEntry != entries.end();
    status.state = trusted ? SignatureStatus::State::Trusted : SignatureStatus::State::UnknownKey;
    status.keyFile = trusted ? (*keyEntry)->file : QString();
    status.trustedComment = QString::fromUtf8(signature.value().trustedComment);
    if (!trusted)
        status.reason = QStringLiteral("the signature is valid for the given key, but that key is not in the keyring");
    return status;
}

} // namespace plumb
