#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace plumb {

// Splits a buffer of delimited text into records and fields (RFC 4180 with two leniencies that
// pandas shares: a quote inside an unquoted field is a literal character, and characters after a
// closing quote are appended to the field). Blank lines are skipped. A trailing CR before LF is
// dropped. Quoted fields are unescaped in place, so the buffer must be writable and the returned
// views stay valid until the buffer changes.
class CsvTokenizer
{
public:
    CsvTokenizer(char *begin, char *end, char delimiter);

    // Reads the next record into `fields` (cleared first). Returns false at the end of the buffer
    // or when a quoted field is never closed (see hasUnterminatedQuote()).
    bool nextRecord(std::vector<std::string_view> &fields);

    // Lines (LF) consumed before the record last returned started: its 0-based line in the buffer.
    std::int64_t recordLine() const { return mRecordLine; }
    // Byte offset in the buffer where the record last returned started.
    std::size_t recordOffset() const { return std::size_t(mRecordStart - mBegin); }
    // Lines (LF) consumed so far, including the end of the record last returned.
    std::int64_t linesConsumed() const { return mLine; }
    // Byte offset just past the record last returned (its line end included).
    std::size_t position() const { return std::size_t(mPos - mBegin); }
    // The buffer ended inside a quoted field that opened on line unterminatedLine() (0-based).
    bool hasUnterminatedQuote() const { return mUnterminated; }
    std::int64_t unterminatedLine() const { return mUnterminatedLine; }

private:
    bool readQuotedField(char *&p, std::vector<std::string_view> &fields);

    char *mBegin;
    char *mPos;
    char *mEnd;
    char *mRecordStart;
    char mDelimiter;
    std::int64_t mLine = 0;
    std::int64_t mRecordLine = 0;
    bool mUnterminated = false;
    std::int64_t mUnterminatedLine = 0;
};

// Number of LF bytes in [data, data + size), vectorised where the target allows.
std::size_t countLineEnds(const char *data, std::size_t size);

// Incrementally finds record boundaries in a byte stream fed block by block, with the same
// quoting rules as CsvTokenizer, so a file can be cut into chunks that each start a record.
// Blocks without any quote take a fast path that only counts line ends.
class CsvBoundaryScanner
{
public:
    explicit CsvBoundaryScanner(char delimiter) : mDelimiter(delimiter) { }

    // Feeds the next block, which starts at stream offset `blockOffset`. Whenever the stream has
    // passed `nextCut()`, the first record end after it is recorded as a cut (the offset of the
    // byte after the LF), and the next cut target becomes cut + `chunkSize`.
    void feed(const char *block, std::size_t size, std::uint64_t blockOffset);

    void setChunkSize(std::uint64_t chunkSize, std::uint64_t firstTarget);
    // Offsets where records start at or after each cut target, ascending.
    const std::vector<std::uint64_t> &cuts() const { return mCuts; }
    // LF count before each cut (same indexing as cuts()).
    const std::vector<std::int64_t> &linesBeforeCuts() const { return mLinesBeforeCuts; }
    std::int64_t lineCount() const { return mLines; }
    // After the last block: the stream ended inside a quoted field opened on line quoteOpenLine().
    bool insideQuotes() const { return mState == State::Quoted; }
    std::int64_t quoteOpenLine() const { return mQuoteOpenLine; }

private:
    enum class State : std::uint8_t { FieldStart, Unquoted, Quoted, QuoteInQuoted };

    void feedWithoutQuotes(const char *block, std::size_t size, std::uint64_t blockOffset);
    void recordEnd(std::uint64_t offsetAfterLf);

    char mDelimiter;
    State mState = State::FieldStart;
    std::int64_t mLines = 0;
    std::int64_t mQuoteOpenLine = 0;
    std::uint64_t mChunkSize = UINT64_MAX;
    std::uint64_t mNextTarget = UINT64_MAX;
    std::vector<std::uint64_t> mCuts;
    std::vector<std::int64_t> mLinesBeforeCuts;
};

} // namespace plumb
