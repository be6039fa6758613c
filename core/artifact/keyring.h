#pragma once

#include "artifact/signing.h"

#include <QString>

#include <vector>

namespace plumb {

// The public keys whose signatures the user trusts: every *.pub file (minisign format) in one
// folder. Default folder: $PLUMB_KEYRING, else <config>/plumb/trusted-keys (on Linux
// ~/.config/plumb/trusted-keys).
class Keyring
{
public:
    struct Entry
    {
        PublicKey key;
        QString file;
    };

    static QString defaultDirectory();
    // Reads the folder (a missing folder is an empty keyring). Unreadable key files are listed in
    // `problems` and skipped.
    static Keyring load(const QString &directory, QStringList *problems = nullptr);

    const std::vector<Entry> &entries() const { return mEntries; }
    const Entry *find(const std::array<std::uint8_t, 8> &keyNumber) const;
    const QString &directory() const { return mDirectory; }

private:
    QString mDirectory;
    std::vector<Entry> mEntries;
};

// The signature state of a model file, as the inspector and `plumb verify` show it.
struct SignatureStatus
{
    enum class State { Unsigned, Trusted, UnknownKey, Invalid };
    State state = State::Unsigned;
    QString keyId;
    QString keyFile;        // Trusted: the keyring file of the key
    QString trustedComment; // Trusted: the signed comment
    QString reason;         // Invalid / UnknownKey: why, in words

    QString describe() const;
};

// Checks `modelPath`.minisig against the keyring (or only `explicitKey` when given).
SignatureStatus checkSignature(const QString &modelPath, const QByteArray &modelBytes, const Keyring &keyring,
                               const PublicKey *explicitKey = nullptr);

} // namespace plumb
