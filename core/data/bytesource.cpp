#include "data/bytesource.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace plumb {

ByteSource::~ByteSource() = default;

FileSource::FileSource(const QString &path) : mName(QFileInfo(path).fileName())
{
    const QByteArray encoded = QFile::encodeName(path);
    mDescriptor = ::open(encoded.constData(), O_RDONLY | O_CLOEXEC);
    if (mDescriptor < 0) {
        mError = QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    struct stat status
    {
    };
    if (::fstat(mDescriptor, &status) != 0 || !S_ISREG(status.st_mode)) {
        mError = QStringLiteral("%1 is not a regular file").arg(path);
        ::close(mDescriptor);
        mDescriptor = -1;
        return;
    }
    mSize = std::uint64_t(status.st_size);
    ::posix_fadvise(mDescriptor, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileSource::~FileSource()
{
    if (mDescriptor >= 0)
        ::close(mDescriptor);
}

bool FileSource::read(std::uint64_t offset, char *destination, std::size_t length)
{
    while (length > 0) {
        const ssize_t got = ::pread(mDescriptor, destination, length, off_t(offset));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            setError(got == 0 ? QStringLiteral("%1 ended early (was it changed while reading?)").arg(mName)
                              : QStringLiteral("cannot read %1: %2").arg(mName, QString::fromLocal8Bit(std::strerror(errno))));
            return false;
        }
        destination += got;
        offset += std::uint64_t(got);
        length -= std::size_t(got);
    }
    return true;
}

QString FileSource::errorString() const
{
    QMutexLocker lock(&mErrorMutex);
    return mError;
}

void FileSource::setError(const QString &error)
{
    QMutexLocker lock(&mErrorMutex);
    mError = error;
}

bool MemorySource::read(std::uint64_t offset, char *destination, std::size_t length)
{
    if (offset > size() || length > size() - offset)
        return false;
    std::memcpy(destination, mBytes.constData() + offset, length);
    return true;
}

} // namespace plumb
