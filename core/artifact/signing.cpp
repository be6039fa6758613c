#include "artifact/signing.h"

#include <QList>

#include <sodium.h>

#include <cstring>

namespace plumb {

namespace {

constexpr char kSignatureAlgorithm[] = "Ed";
constexpr char kPrehashedAlgorithm[] = "ED";
constexpr char kScrypt[] = "Sc";
constexpr char kBlake2[] = "B2";
const QByteArray kUntrustedPrefix("untrusted comment: ");
const QByteArray kTrustedPrefix("trusted comment: ");
constexpr std::size_t kSecretRecordBytes = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32; // minisign's SeckeyStruct
constexpr std::size_t kKeyMaterialBytes = 8 + 64 + 32; // keynum, sk, checksum

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

QString hexId(const std::array<std::uint8_t, 8> &keyNumber)
{
    std::uint64_t id = 0;
    for (int i = 7; i >= 0; --i)
        id = (id << 8) | keyNumber[std::size_t(i)];
    return QStringLiteral("%1").arg(id, 16, 16, QLatin1Char('0')).toUpper();
}

void putLittleEndian(QByteArray &out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i)
        out.append(char((value >> (8 * i)) & 0xFF));
}

std::uint64_t littleEndian(const char *bytes)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | std::uint8_t(bytes[i]);
    return value;
}

// BLAKE2b-256 of algorithm, key number and secret key: minisign's secret-key checksum.
std::array<std::uint8_t, 32> secretChecksum(const SecretKey &key)
{
    std::array<std::uint8_t, 32> checksum{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, checksum.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(kSignatureAlgorithm), 2);
    crypto_generichash_update(&state, key.keyNumber.data(), key.keyNumber.size());
    crypto_generichash_update(&state, key.key.data(), key.key.size());
    crypto_generichash_final(&state, checksum.data(), checksum.size());
    return checksum;
}

// XOR stream from scrypt over the password, as minisign encrypts keynum_sk.
bool scryptStream(const QByteArray &password, const unsigned char *salt, std::uint64_t opsLimit, std::uint64_t memLimit,
                  unsigned char *stream)
{
    return crypto_pwhash_scryptsalsa208sha256(stream, kKeyMaterialBytes, password.constData(), std::size_t(password.size()), salt,
                                              opsLimit, std::size_t(memLimit))
        == 0;
}

// The base64 payload line that follows an untrusted comment line; other lines are reported.
Result<QByteArray> payloadAfterComment(const QList<QByteArray> &lines, qsizetype &index, const QString &name)
{
    while (index < lines.size() && lines[index].trimmed().isEmpty())
        ++index;
    if (index < lines.size() && lines[index].startsWith(kUntrustedPrefix))
        ++index;
    if (index >= lines.size())
        return Error::invalid(QStringLiteral("%1: no key or signature data").arg(name));
    const QByteArray decoded = QByteArray::fromBase64(lines[index].trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.isEmpty())
        return Error::invalid(QStringLiteral("%1: line %2 is not base64").arg(name).arg(index + 1));
    ++index;
    return decoded;
}

QByteArray prehash(const QByteArray &message)
{
    QByteArray digest(crypto_generichash_BYTES_MAX, '\0');
    crypto_generichash(reinterpret_cast<unsigned char *>(digest.data()), std::size_t(digest.size()),
                       reinterpret_cast<const unsigned char *>(message.constData()), std::size_t(message.size()), nullptr, 0);
    return digest;
}

} // namespace

QString PublicKey::id() const
{
    return hexId(keyNumber);
}

QByteArray PublicKey::toFile() const
{
    QByteArray record(kSignatureAlgorithm, 2);
    record.append(reinterpret_cast<const char *>(keyNumber.data()), 8);
    record.append(reinterpret_cast<const char *>(key.data()), 32);
    return kUntrustedPrefix + "minisign public key " + id().toLatin1() + '\n' + record.toBase64() + '\n';
}

Result<PublicKey> PublicKey::fromText(const QByteArray &text, const QString &name)
{
    const QList<QByteArray> lines = text.split('\n');
    qsizetype index = 0;
    Result<QByteArray> record = payloadAfterComment(lines, index, name);
    if (!record)
        return record.error();
    if (record.value().size() != 42 || !record.value().startsWith(kSignatureAlgorithm))
        return Error::invalid(QStringLiteral("%1: not an Ed25519 minisign public key").arg(name));
    PublicKey key;
    std::memcpy(key.keyNumber.data(), record.value().constData() + 2, 8);
    std::memcpy(key.key.data(), record.value().constData() + 10, 32);
    return key;
}

PublicKey SecretKey::publicKey() const
{
    PublicKey publicKey;
    publicKey.keyNumber = keyNumber;
    std::memcpy(publicKey.key.data(), key.data() + 32, 32); // libsodium keeps the public key in the second half
    return publicKey;
}

SecretKey SecretKey::generate()
{
    SecretKey secret;
    if (!sodiumReady())
        return secret;
    std::array<std::uint8_t, 32> publicKey{};
    crypto_sign_keypair(publicKey.data(), secret.key.data());
    randombytes_buf(secret.keyNumber.data(), secret.keyNumber.size());
    return secret;
}

QByteArray SecretKey::toFile(const QByteArray &password) const
{
    const bool encrypted = !password.isEmpty();
    QByteArray record(kSignatureAlgorithm, 2);
    record.append(encrypted ? QByteArray(kScrypt, 2) : QByteArray(2, '\0'));
    record.append(kBlake2, 2);
    QByteArray salt(32, '\0');
    if (encrypted)
        randombytes_buf(salt.data(), std::size_t(salt.size()));
    record.append(salt);
    putLittleEndian(record, encrypted ? crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE : 0);
    putLittleEndian(record, encrypted ? crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE : 0);
    const auto checksum = secretChecksum(*this);
    QByteArray material(reinterpret_cast<const char *>(keyNumber.data()), 8);
    material.append(reinterpret_cast<const char *>(key.data()), 64);
    material.append(reinterpret_cast<const char *>(checksum.data()), 32);
    if (encrypted) {
        unsigned char stream[kKeyMaterialBytes];
        scryptStream(password, reinterpret_cast<const unsigned char *>(salt.constData()),
                     crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE, crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE,
                     stream);
        for (std::size_t i = 0; i < kKeyMaterialBytes; ++i)
            material[qsizetype(i)] = char(material[qsizetype(i)] ^ char(stream[i]));
        sodium_memzero(stream, sizeof stream);
    }
    record.append(material);
    const QByteArray comment = encrypted ? "minisign encrypted secret key" : "minisign unencrypted secret key";
    return kUntrustedPrefix + comment + '\n' + record.toBase64() + '\n';
}

bool SecretKey::isEncrypted(const QByteArray &text)
{
    const QList<QByteArray> lines = text.split('\n');
    qsizetype index = 0;
    const Result<QByteArray> decoded = payloadAfterComment(lines, index, QString());
    return decoded && std::size_t(decoded.value().size()) == kSecretRecordBytes
        && decoded.value().mid(2, 2) == QByteArray(kScrypt, 2);
}

Result<SecretKey> SecretKey::fromText(const QByteArray &text, const QByteArray &password, const QString &name)
{
    if (!sodiumReady())
        return Error::invalid(QStringLiteral("libsodium could not start"));
    const QList<QByteArray> lines = text.split('\n');
    qsizetype index = 0;
    Result<QByteArray> decoded = payloadAfterComment(lines, index, name);
    if (!decoded)
        return decoded.error();
    QByteArray record = decoded.value();
    if (std::size_t(record.size()) != kSecretRecordBytes || !record.startsWith(kSignatureAlgorithm)
        || record.mid(4, 2) != QByteArray(kBlake2, 2))
        return Error::invalid(QStringLiteral("%1: not an Ed25519 minisign secret key").arg(name));
    const QByteArray kdf = record.mid(2, 2);
    char *material = record.data() + 2 + 2 + 2 + 32 + 8 + 8;
    if (kdf == QByteArray(kScrypt, 2)) {
        if (password.isEmpty())
            return Error::invalid(QStringLiteral("%1 is encrypted: a password is needed").arg(name));
        const std::uint64_t ops = littleEndian(record.constData() + 38), memory = littleEndian(record.constData() + 46);
        if (ops > (std::uint64_t(1) << 32) || memory > (std::uint64_t(1) << 33))
            return Error::invalid(QStringLiteral("%1: the key's scrypt limits are implausibly high").arg(name));
        unsigned char stream[kKeyMaterialBytes];
        if (!scryptStream(password, reinterpret_cast<const unsigned char *>(record.constData() + 6), ops, memory, stream))
            return Error::invalid(QStringLiteral("%1: scrypt failed (not enough memory?)").arg(name));
        for (std::size_t i = 0; i < kKeyMaterialBytes; ++i)
            material[i] = char(material[i] ^ char(stream[i]));
        sodium_memzero(stream, sizeof stream);
    } else if (kdf != QByteArray(2, '\0')) {
        return Error::invalid(QStringLiteral("%1: unknown key encryption \"%2\"").arg(name, QString::fromLatin1(kdf.toHex())));
    }
    SecretKey key;
    std::memcpy(key.keyNumber.data(), material, 8);
    std::memcpy(key.key.data(), material + 8, 64);
    const auto checksum = secretChecksum(key);
    const bool zeroChecksum = std::all_of(material + 72, material + 104, [](char c) { return c == 0; });
    // minisign writes no checksum (zeros) for unencrypted keys; an encrypted key must match.
    if (std::memcmp(checksum.data(), material + 72, 32) != 0 && !(kdf == QByteArray(2, '\0') && zeroChecksum))
        return Error::invalid(QStringLiteral("%1: wrong password (the key's checksum does not match)").arg(name));
    return key;
}

QByteArray signMessage(const QByteArray &message, const SecretKey &key, const QString &trustedComment,
                       const QString &untrustedComment)
{
    if (!sodiumReady())
        return {};
    const QByteArray digest = prehash(message);
    std::array<std::uint8_t, 64> signature{};
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char *>(digest.constData()),
                         std::size_t(digest.size()), key.key.data());
    QByteArray record(kPrehashedAlgorithm, 2);
    record.append(reinterpret_cast<const char *>(key.keyNumber.data()), 8);
    record.append(reinterpret_cast<const char *>(signature.data()), 64);
    const QByteArray trusted = trustedComment.toUtf8();
    QByteArray global(reinterpret_cast<const char *>(signature.data()), 64);
    global.append(trusted);
    std::array<std::uint8_t, 64> globalSignature{};
    crypto_sign_detached(globalSignature.data(), nullptr, reinterpret_cast<const unsigned char *>(global.constData()),
                         std::size_t(global.size()), key.key.data());
    return kUntrustedPrefix + untrustedComment.toUtf8() + '\n' + record.toBase64() + '\n' + kTrustedPrefix + trusted + '\n'
        + QByteArray(reinterpret_cast<const char *>(globalSignature.data()), 64).toBase64() + '\n';
}

QString SignatureFile::keyId() const
{
    return hexId(keyNumber);
}

Result<SignatureFile> SignatureFile::fromText(const QByteArray &text, const QString &name)
{
    const QList<QByteArray> lines = text.split('\n');
    qsizetype index = 0;
    Result<QByteArray> record = payloadAfterComment(lines, index, name);
    if (!record)
        return record.error();
    SignatureFile file;
    if (record.value().size() != 74)
        return Error::invalid(QStringLiteral("%1: the signature line has the wrong length").arg(name));
    const QByteArray algorithm = record.value().left(2);
    if (algorithm != kPrehashedAlgorithm && algorithm != kSignatureAlgorithm)
        return Error::invalid(QStringLiteral("%1: unknown signature algorithm \"%2\"").arg(name, QString::fromLatin1(algorithm)));
    file.prehashed = algorithm == kPrehashedAlgorithm;
    std::memcpy(file.keyNumber.data(), record.value().constData() + 2, 8);
    std::memcpy(file.signature.data(), record.value().constData() + 10, 64);
    if (index >= lines.size() || !lines[index].startsWith(kTrustedPrefix))
        return Error::invalid(QStringLiteral("%1: the trusted comment line is missing").arg(name));
    file.trustedComment = lines[index].mid(kTrustedPrefix.size());
    if (file.trustedComment.endsWith('\r'))
        file.trustedComment.chop(1);
    ++index;
    const QByteArray global = index < lines.size() ? QByteArray::fromBase64(lines[index].trimmed()) : QByteArray();
    if (global.size() != 64)
        return Error::invalid(QStringLiteral("%1: the trusted comment's signature is missing or malformed").arg(name));
    std::memcpy(file.globalSignature.data(), global.constData(), 64);
    return file;
}

std::optional<Error> verifyMessage(const QByteArray &message, const SignatureFile &signature, const PublicKey &key)
{
    if (!sodiumReady())
        return Error::invalid(QStringLiteral("libsodium could not start"));
    if (signature.keyNumber != key.keyNumber)
        return Error{QStringLiteral("signed with key %1, not with key %2").arg(signature.keyId(), key.id()),
                     Error::Kind::Integrity};
    const QByteArray signed_ = signature.prehashed ? prehash(message) : message;
    if (crypto_sign_verify_detached(signature.signature.data(), reinterpret_cast<const unsigned char *>(signed_.constData()),
                                    std::size_t(signed_.size()), key.key.data())
        != 0)
        return Error{QStringLiteral("the signature does not match the file's content"), Error::Kind::Integrity};
    QByteArray global(reinterpret_cast<const char *>(signature.signature.data()), 64);
    global.append(signature.trustedComment);
    if (crypto_sign_verify_detached(signature.globalSignature.data(), reinterpret_cast<const unsigned char *>(global.constData()),
                                    std::size_t(global.size()), key.key.data())
        != 0)
        return Error{QStringLiteral("the trusted comment was altered"), Error::Kind::Integrity};
    return std::nullopt;
}

} // namespace plumb
