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

    // The keyring that judges the model file at `modelPath`: `directory`, and, when `directory`
    // is the default one and PLUMB_KEYRING is not set, also the trusted-keys/ folder of the
    // workspace the model sits in (workspaceDirectory()), so a workspace's signed models read as
    // trusted by the keys it ships. An explicit folder (PLUMB_KEYRING, --keyring) is the only one.
    static Keyring forModel(const QString &modelPath, const QString &directory = defaultDirectory(),
                            QStringList *problems = nullptr);
    // The trusted-keys/ folder of the workspace holding `modelPath` (the nearest of the model's
    // folder and its two parents with a plumb-workspace.json), or empty when there is none.
    static QString workspaceDirectory(const QString &modelPath);

    const std::vector<Entry> &entries() const { return mEntries; }
    // Every key with this key ID, in file-name order. A key ID is 8 random bytes chosen at key
    // generation, not a hash of the key, so two different keys can share one (a copied ID, or a
    // hostile key dropped beside the real one): a signature is checked against each of them.
    std::vector<const Entry *> find(const std::array<std::uint8_t, 8> &keyNumber) const;
    // "a.pub and b.pub have the same key ID 0123...; signatures with that ID are checked against
    // each" for every key ID held by two or more different keys; empty when there is none.
    QStringList collisions() const;
    const QString &directory() const { return mDirectory; }
    // The workspace folder read besides directory() by forModel(), or empty.
    const QString &workspaceKeys() const { return mWorkspaceKeys; }

private:
    void read(const QString &directory, QStringList *problems);

    QString mDirectory;
    QString mWorkspaceKeys;
    std::vector<Entry> mEntries;
};

// The signature state of a model file, as the inspector and `plumb verify` show it.
struct SignatureStatus
{
    enum class State { Unsigned, Trusted, UnknownKey, Invalid };
    State state = State::Unsigned;
    QString keyId;
    QString keyFile; // Trusted: the keyring file of the key
    QString trustedComment; // Trusted: the signed comment
    QString reason; // Invalid / UnknownKey: why, in words
    QString warning; // set when several keyring keys share the signature's key ID

    QString describe() const;
};

// Checks `modelPath`.minisig against the keyring (or only `explicitKey` when given). When several
// keyring keys have the signature's key ID, it is Trusted if any of them verifies it (as
// `minisign -V` does with the one key it is given), Invalid only if none does, and `warning`
// names the files that share the ID.
SignatureStatus checkSignature(const QString &modelPath, const QByteArray &modelBytes, const Keyring &keyring,
                               const PublicKey *explicitKey = nullptr);

} // namespace plumb
