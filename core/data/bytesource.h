#pragma once

#include <QByteArray>
#include <QMutex>
#include <QString>

#include <cstdint>

namespace plumb {

// Random-access bytes that several threads may read at once: a file or a buffer in memory.
class ByteSource
{
public:
    virtual ~ByteSource();
    // Short name for messages (a file name without its folder).
    virtual QString name() const = 0;
    virtual std::uint64_t size() const = 0;
    // Copies `length` bytes at `offset` into `destination`. Thread-safe. Returns false on an I/O
    // error or when the range runs past size(); errorString() then says why.
    virtual bool read(std::uint64_t offset, char *destination, std::size_t length) = 0;
    virtual QString errorString() const = 0;
};

// A file opened for reading with positional reads (pread), so threads share one descriptor.
class FileSource final : public ByteSource
{
public:
    explicit FileSource(const QString &path);
    ~FileSource() override;
    FileSource(const FileSource &) = delete;
    FileSource &operator=(const FileSource &) = delete;

    bool isOpen() const { return mDescriptor >= 0; }
    QString name() const override { return mName; }
    std::uint64_t size() const override { return mSize; }
    bool read(std::uint64_t offset, char *destination, std::size_t length) override;
    QString errorString() const override;

private:
    void setError(const QString &error);

    QString mName;
    int mDescriptor = -1;
    std::uint64_t mSize = 0;
    mutable QMutex mErrorMutex;
    QString mError;
};

// Bytes held in memory; the source keeps its own (implicitly shared) copy.
class MemorySource final : public ByteSource
{
public:
    MemorySource(QByteArray bytes, QString name) : mBytes(std::move(bytes)), mName(std::move(name)) { }

    QString name() const override { return mName; }
    std::uint64_t size() const override { return std::uint64_t(mBytes.size()); }
    bool read(std::uint64_t offset, char *destination, std::size_t length) override;
    QString errorString() const override { return QStringLiteral("read past the end of %1").arg(mName); }

private:
    QByteArray mBytes;
    QString mName;
};

} // namespace plumb
