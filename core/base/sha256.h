#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

namespace plumb {

// SHA-256 through OpenSSL, which uses the processor's SHA instructions where it has them (about
// ten times Qt's portable code here): model files are hashed on every load, and training data
// when a model records where it came from.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data);
    // The 32-byte digest of everything added; the hash cannot be added to afterwards.
    QByteArray result();

private:
    struct Context;
    std::unique_ptr<Context> mContext;
};

// The SHA-256 of a byte stream whose pieces arrive out of order from several threads (a file
// read in parallel ranges). Pieces are numbered 0, 1, 2 ... in stream order; whichever thread
// fills the gap hashes every piece that is ready, outside the lock. A thread that runs too far
// ahead waits until no more than `maxPending` pieces are held, so memory stays bounded; this
// needs the missing pieces to be in the hands of running threads (as parallelFor hands items
// out in ascending order).
// A reader that stops early (an error, a cancel) calls abandon(): waiting threads wake and
// the digest is no longer available.
class OrderedSha256
{
public:
    explicit OrderedSha256(std::size_t maxPending = 8) : mMaxPending(maxPending) { }

    void add(std::size_t piece, std::unique_ptr<char[]> bytes, std::size_t length);
    void abandon();
    // The digest of pieces 0..count-1, or an empty array when a piece is missing or abandon() ran.
    QByteArray result(std::size_t count);

private:
    void hashReadyPieces(std::unique_lock<std::mutex> &lock);

    struct Piece
    {
        std::unique_ptr<char[]> bytes;
        std::size_t length = 0;
    };
    Sha256 mHash;
    std::mutex mMutex;
    std::condition_variable mDrained;
    std::map<std::size_t, Piece> mPending;
    std::size_t mNext = 0;
    std::size_t mMaxPending;
    bool mHashing = false;
    bool mAbandoned = false;
};

// The digest of `data` in one call.
QByteArray sha256(QByteArrayView data);
// A file's digest in lower-case hex, as sha256sum prints it, read in 1 MiB pieces.
Result<QString> fileSha256Hex(const QString &path);
// The digest of several files' bytes in order, as `cat FILES... | sha256sum` prints it.
Result<QString> filesSha256Hex(const QStringList &paths);

// Both the digest of several files in order and each file's own, from one read of each.
struct FilesDigest
{
    QString combined; // as `cat FILES... | sha256sum` prints it
    QStringList each; // as `sha256sum FILE` prints it, in the order given
};
Result<FilesDigest> digestFiles(const QStringList &paths);

} // namespace plumb
