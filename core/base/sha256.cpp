#include "base/sha256.h"

#include <QFile>

#include <openssl/evp.h>

namespace plumb {

struct Sha256::Context
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(context); }
};

Sha256::Sha256() : mContext(std::make_unique<Context>())
{
    if (!mContext->context || EVP_DigestInit_ex(mContext->context, EVP_sha256(), nullptr) != 1)
        qFatal("SHA-256: OpenSSL could not set up a digest");
}

Sha256::~Sha256() = default;

void Sha256::add(QByteArrayView data)
{
    if (!data.isEmpty() && EVP_DigestUpdate(mContext->context, data.data(), std::size_t(data.size())) != 1)
        qFatal("SHA-256: OpenSSL refused data");
}

QByteArray Sha256::result()
{
    QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(mContext->context, reinterpret_cast<unsigned char *>(digest.data()), &length) != 1)
        qFatal("SHA-256: OpenSSL could not finish the digest");
    digest.resize(qsizetype(length));
    return digest;
}

QByteArray sha256(QByteArrayView data)
{
    Sha256 hash;
    hash.add(data);
    return hash.result();
}

Result<QString> fileSha256Hex(const QString &path) { return filesSha256Hex({path}); }

Result<QString> filesSha256Hex(const QStringList &paths)
{
    Sha256 hash;
    QByteArray piece(1 << 20, Qt::Uninitialized);
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("%1: %2").arg(path, file.errorString()));
        while (true) {
            const qint64 read = file.read(piece.data(), piece.size());
            if (read < 0)
                return Error::io(QStringLiteral("%1: %2").arg(path, file.errorString()));
            if (read == 0)
                break;
            hash.add(QByteArrayView(piece.constData(), read));
        }
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace plumb
