#include "serve/chunkreader.h"

#include "data/csvdialect.h"

#include <cstring>

namespace plumb {

namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;
// A record longer than this is refused rather than buffered: the cap on what one record may hold.
constexpr std::size_t kMaxRecordBytes = 64 * 1024 * 1024;

} // namespace

ChunkReader::ChunkReader(QIODevice &device, QString name, RowFormat format, std::size_t chunkBytes)
    : mDevice(device), mName(std::move(name)), mFormat(format), mChunkBytes(std::max<std::size_t>(chunkBytes, 1))
{
}

std::optional<Error> ChunkReader::readBlock()
{
    const std::size_t old = mPending.size();
    const std::size_t want = std::max(mChunkBytes, kSniffBytes);
    mPending.resize(old + want);
    qint64 got = 0;
    // A pipe returns what it has; keep reading until the block is full or the stream ends.
    while (std::size_t(got) < want) {
        const qint64 n = mDevice.read(mPending.data() + old + got, qint64(want - std::size_t(got)));
        if (n < 0) {
            mPending.resize(old + std::size_t(got));
            return Error::io(QStringLiteral("%1: %2").arg(mName, mDevice.errorString()));
        }
        if (n == 0 && (mDevice.atEnd() || !mDevice.waitForReadyRead(-1))) {
            mAtEnd = true;
            break;
        }
        got += n;
    }
    mPending.resize(old + std::size_t(got));
    if (mScanner && got > 0)
        mScanner->feed(mPending.data() + old, std::size_t(got), mPendingOffset + old);
    return std::nullopt;
}

std::optional<Error> ChunkReader::open(const CsvOptions &options)
{
    if (mFormat != RowFormat::Csv)
        return std::nullopt;
    while (!mAtEnd && mPending.size() < kSniffBytes)
        if (auto error = readBlock())
            return error;
    const QByteArray sample = QByteArray::fromRawData(mPending.data(), qsizetype(std::min(mPending.size(), 4 * kSniffBytes)));
    const bool whole = mAtEnd && mPending.size() <= 4 * kSniffBytes;
    Result<CsvPreamble> preamble = sniffCsv(sample, whole, mName, options);
    if (!preamble)
        return preamble.error();
    mColumnNames = preamble.value().columnNames;
    mDelimiter = preamble.value().dialect.delimiter;
    mDecimal = preamble.value().dialect.decimal;
    const std::size_t skip = std::min<std::size_t>(preamble.value().dataOffset, mPending.size());
    mPending.erase(0, skip);
    mPendingOffset = skip;
    mPendingLine = preamble.value().dataLine;
    mScannerFirstLine = mPendingLine;
    mScanner.emplace(mDelimiter);
    mScanner->setChunkSize(mChunkBytes, mPendingOffset + mChunkBytes);
    mScanner->feed(mPending.data(), mPending.size(), mPendingOffset);
    return std::nullopt;
}

std::optional<InputChunk> ChunkReader::takeChunk(std::size_t length, std::int64_t nextLine)
{
    InputChunk chunk;
    // The pending bytes become the chunk; only the rest (less than a read block) is copied back.
    chunk.bytes = std::move(mPending);
    mPending.assign(chunk.bytes, length, std::string::npos);
    chunk.bytes.resize(length);
    chunk.firstLine = mPendingLine;
    chunk.index = mNextIndex++;
    mPendingOffset += length;
    mPendingLine = nextLine;
    return chunk;
}

// JSON Lines: the first line end once a chunk's worth of bytes is pending.
std::optional<std::size_t> ChunkReader::jsonCut() const
{
    if (mPending.size() < mChunkBytes)
        return std::nullopt;
    const void *found = std::memchr(mPending.data() + mChunkBytes - 1, '\n', mPending.size() - (mChunkBytes - 1));
    if (!found)
        return std::nullopt;
    return std::size_t(static_cast<const char *>(found) - mPending.data()) + 1;
}

Result<std::optional<InputChunk>> ChunkReader::next()
{
    for (;;) {
        if (mFormat == RowFormat::Csv && mScanner && mNextCut < mScanner->cuts().size()) {
            const std::uint64_t cut = mScanner->cuts()[mNextCut];
            const std::int64_t line = mScannerFirstLine + mScanner->linesBeforeCuts()[mNextCut];
            ++mNextCut;
            if (cut > mPendingOffset)
                return takeChunk(std::size_t(cut - mPendingOffset), line);
            continue;
        }
        if (mFormat == RowFormat::JsonLines) {
            if (const auto cut = jsonCut())
                return takeChunk(*cut, mPendingLine + std::int64_t(countLineEnds(mPending.data(), *cut)));
        }
        if (mAtEnd) {
            if (mPending.empty())
                return std::optional<InputChunk>();
            return takeChunk(mPending.size(), mPendingLine + std::int64_t(countLineEnds(mPending.data(), mPending.size())));
        }
        if (mPending.size() > kMaxRecordBytes + mChunkBytes)
            return Error::invalid(QStringLiteral("%1, line %2: a record longer than %3 MiB")
                                      .arg(mName)
                                      .arg(mPendingLine + 1)
                                      .arg(kMaxRecordBytes >> 20));
        if (auto error = readBlock())
            return *error;
    }
}

} // namespace plumb
