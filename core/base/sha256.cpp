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

void OrderedSha256::add(std::size_t piece, std::unique_ptr<char[]> bytes, std::size_t length)
{
    std::unique_lock lock(mMutex);
    if (mAbandoned)
        return;
    mPending.emplace(piece, Piece{std::move(bytes), length});
    while (!mAbandoned) {
        if (!mHashing && mPending.contains(mNext)) {
            hashReadyPieces(lock);
            continue;
        }
        if (mPending.size() <= mMaxPending)
            return;
        // The missing piece is being read by another thread, which hashes it (or abandons).
        mDrained.wait(lock);
    }
}

// Hashes pieces while the next one in stream order is present; other threads may add meanwhile.
void OrderedSha256::hashReadyPieces(std::unique_lock<std::mutex> &lock)
{
    mHashing = true;
    for (auto next = mPending.find(mNext); next != mPending.end() && !mAbandoned; next = mPending.find(mNext)) {
        Piece ready = std::move(next->second);
        mPending.erase(next);
        lock.unlock();
        mHash.add(QByteArrayView(ready.bytes.get(), qsizetype(ready.length)));
        ready.bytes.reset();
        lock.lock();
        ++mNext;
        mDrained.notify_all();
    }
    mHashing = false;
}

void OrderedSha256::abandon()
{
    const std::lock_guard lock(mMutex);
    mAbandoned = true;
    mPending.clear();
    mDrained.notify_all();
}

QByteArray OrderedSha256::result(std::size_t count)
{
    const std::lock_guard lock(mMutex);
    if (mAbandoned || mHashing || mNext != count)
        return {};
    return mHash.result();
}

Result<QString> fileSha256Hex(const QString &path)
{
    Result<FilesDigest> digest = digestFiles({path});
    if (!digest)
        return digest.error();
    return digest.value().combined;
}

Result<QString> filesSha256Hex(const QStringList &paths)
{
    Result<FilesDigest> digest = digestFiles(paths);
    if (!digest)
        return digest.error();
    return digest.value().combined;
}

Result<FilesDigest> digestFiles(const QStringList &paths)
{
    Sha256 combined;
    FilesDigest digest;
    QByteArray piece(1 << 20, Qt::Uninitialized);
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("%1: %2").arg(path, file.errorString()));
        Sha256 own;
        while (true) {
            const qint64 read = file.read(piece.data(), piece.size());
            if (read < 0)
                return Error::io(QStringLiteral("%1: %2").arg(path, file.errorString()));
            if (read == 0)
                break;
            combined.add(QByteArrayView(piece.constData(), read));
            own.add(QByteArrayView(piece.constData(), read));
        }
        digest.each.append(QString::fromLatin1(own.result().toHex()));
    }
    digest.combined = QString::fromLatin1(combined.result().toHex());
    return digest;
}

} // namespace plumb
