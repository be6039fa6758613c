#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace plumb {

// Ed25519 signatures in minisign's formats (https://jedisct1.github.io/minisign/), so Debian's
// `minisign -Vm MODEL -p KEY.pub` accepts Plumb's signatures and Plumb accepts minisign's.
// Signatures are prehashed ("ED": Ed25519 over BLAKE2b-512 of the file) and carry a trusted
// comment that is signed too. Uses libsodium.

struct PublicKey
{
    std::array<std::uint8_t, 8> keyNumber{};
    std::array<std::uint8_t, 32> key{};

    // The key id as minisign prints it: 16 upper-case hex digits.
    QString id() const;
    // The public key file: "untrusted comment: minisign public key ID" and the base64 line.
    QByteArray toFile() const;
    // Reads a public key file, or just its base64 line.
    static Result<PublicKey> fromText(const QByteArray &text, const QString &name);
};

struct SecretKey
{
    std::array<std::uint8_t, 8> keyNumber{};
    std::array<std::uint8_t, 64> key{}; // libsodium's secret key (seed and public key)

    PublicKey publicKey() const;
    // The secret key file. With a password the key is encrypted with scrypt as minisign does
    // (opslimit 2^25, memlimit 1 GiB); without one it is stored in the clear (minisign -W).
    QByteArray toFile(const QByteArray &password) const;
    // Reads a secret key file; `password` is ignored for unencrypted keys. Fails naming the file
    // for a wrong password (checksum mismatch), an unknown algorithm or a malformed file.
    static Result<SecretKey> fromText(const QByteArray &text, const QByteArray &password, const QString &name);
    // True when a secret key file is password-protected (scrypt), so a caller knows to ask for
    // the password first; false for unencrypted or unreadable files (fromText says why).
    static bool isEncrypted(const QByteArray &text);
    static SecretKey generate();
};

// A detached signature file's content for `message`.
QByteArray signMessage(const QByteArray &message, const SecretKey &key, const QString &trustedComment,
                       const QString &untrustedComment = QStringLiteral("signature from plumb secret key"));

// What a signature file says, once parsed (not yet verified).
struct SignatureFile
{
    bool prehashed = true;
    std::array<std::uint8_t, 8> keyNumber{};
    std::array<std::uint8_t, 64> signature{};
    QByteArray trustedComment;
    std::array<std::uint8_t, 64> globalSignature{};

    QString keyId() const;
    static Result<SignatureFile> fromText(const QByteArray &text, const QString &name);
};

// Checks the signature and the trusted comment against `key`. Fails with a reason: another key,
// a signature that does not match the content, or a trusted comment that was altered.
std::optional<Error> verifyMessage(const QByteArray &message, const SignatureFile &signature, const PublicKey &key);

} // namespace plumb
