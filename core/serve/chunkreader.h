#pragma once

#include "base/result.h"
#include "data/csvparser.h"
#include "data/csvreader.h"

#include <QIODevice>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>

namespace plumb {

// The input formats of batch scoring.
enum class RowFormat { Csv, JsonLines };

// A run of whole records cut from a stream, and where it starts.
struct InputChunk
{
    std::string bytes;
    std::int64_t firstLine = 0; // 0-based line of bytes[0] in the stream
    std::size_t index = 0; // 0, 1, 2... in stream order
};

// Cuts a stream (a file, a pipe, standard input) into chunks of about `chunkBytes` that start and
// end on record boundaries, reading it once from front to back and holding at most a chunk and a
// read block of it at a time. CSV records end at a line end outside quotes (the header is read
// first, see open()); JSON Lines records at every line end. A record longer than the cap fails.
class ChunkReader
{
public:
    ChunkReader(QIODevice &device, QString name, RowFormat format, std::size_t chunkBytes);

    // CSV: reads the start of the stream and sniffs its dialect and header (`options` may force a
    // delimiter or the header). JSON Lines: nothing to read. Fails naming the stream.
    std::optional<Error> open(const CsvOptions &options = {});
    const QStringList &columnNames() const { return mColumnNames; }
    char delimiter() const { return mDelimiter; }
    // CSV: the decimal mark the sniffer found (or `options` gave); '.' for JSON Lines.
    char decimal() const { return mDecimal; }

    // The next chunk, or std::nullopt at the end of the stream.
    Result<std::optional<InputChunk>> next();

private:
    std::optional<Error> readBlock();
    std::optional<InputChunk> takeChunk(std::size_t length, std::int64_t nextLine);
    std::optional<std::size_t> jsonCut() const;

    QIODevice &mDevice;
    QString mName;
    RowFormat mFormat;
    std::size_t mChunkBytes;
    std::string mPending; // stream bytes from mPendingOffset on
    std::uint64_t mPendingOffset = 0;
    std::int64_t mPendingLine = 0;
    bool mAtEnd = false;
    std::size_t mNextIndex = 0;
    std::size_t mNextCut = 0; // CSV: the scanner's next unused cut
    std::int64_t mScannerFirstLine = 0; // CSV: the line where the scanner started (it counts from 0)
    std::optional<CsvBoundaryScanner> mScanner;
    QStringList mColumnNames;
    char mDelimiter = ',';
    char mDecimal = '.';
};

} // namespace plumb
