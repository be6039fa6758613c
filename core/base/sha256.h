#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <memory>

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

// The digest of `data` in one call.
QByteArray sha256(QByteArrayView data);
// A file's digest in lower-case hex, as sha256sum prints it, read in 1 MiB pieces.
Result<QString> fileSha256Hex(const QString &path);
// The digest of several files' bytes in order, as `cat FILES... | sha256sum` prints it.
Result<QString> filesSha256Hex(const QStringList &paths);

} // namespace plumb
