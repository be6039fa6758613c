#include "data/csvchunkparser.h"

#include "data/bytesource.h"
#include "data/csvparser.h"
#include "data/valueparser.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace plumb {

namespace {

constexpr std::size_t kMaxListedLines = 5;
constexpr std::size_t kCancelCheckRows = 16384;
constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Counts a default missing-value token met in a text column (the empty field is not counted).
void noteMissingToken(TextDictionary &dictionary, std::string_view token)
{
    if (token.empty())
        return;
    auto &tokens = dictionary.missingTokens;
    const auto found = std::find_if(tokens.begin(), tokens.end(), [token](const auto &t) { return t.first == token; });
    if (found != tokens.end())
        ++found->second;
    else
        tokens.emplace_back(token, 1);
}

class ChunkParser
{
public:
    ChunkParser(const ChunkJob &job, const CsvChunk &chunk, std::size_t piece) : mJob(job), mChunk(chunk), mPiece(piece)
    {
        const std::size_t columns = std::size_t(job.columnNames.size());
        mOutcome.failed.assign(columns, 0);
        mOutcome.nonInteger.assign(columns, 0);
        mOutcome.unreadable.assign(columns, 0);
        mOutcome.firstUnreadableLine.assign(columns, 0);
        mOutcome.dictionaries.resize(columns);
    }

    ChunkOutcome run();

private:
    bool readRecord(const std::vector<std::string_view> &fields, std::size_t row, std::int64_t line);
    void readNumber(std::size_t column, std::string_view field, std::size_t row, std::int64_t line, bool integer);
    void readBoolean(std::size_t column, std::string_view field, std::size_t row, std::int64_t line);
    void readDatetime(std::size_t column, std::string_view field, std::size_t row, std::int64_t line);
    bool readText(std::size_t column, std::string_view field, std::size_t row, std::int64_t line);
    void unreadable(std::size_t column, std::int64_t line);
    void fail(QString message) { mOutcome.error = Error::invalid(std::move(message)); }

    const ChunkJob &mJob;
    const CsvChunk &mChunk;
    std::size_t mPiece; // the chunk's number in the source's digest (ChunkJob::digest)
    ChunkOutcome mOutcome;
    const char *mBuffer = nullptr;
};

ChunkOutcome ChunkParser::run()
{
    const std::size_t size = std::size_t(mChunk.end - mChunk.begin);
    // A fresh buffer per chunk: glibc reuses the freed block for the next chunk, and nothing stays
    // allocated once the load is over.
    std::unique_ptr<char[]> buffer(new char[std::max<std::size_t>(size, 1)]);
    mBuffer = buffer.get();
    if (!mJob.source->read(mChunk.begin, buffer.get(), size)) {
        mOutcome.error = Error::io(mJob.source->errorString());
        if (mJob.digest)
            mJob.digest->abandon();
        return std::move(mOutcome);
    }
    // The tokenizer unescapes quoted fields in place: a chunk with quotes is hashed from a copy of
    // the bytes as read.
    const bool quoted = mJob.digest && std::memchr(buffer.get(), '"', size);
    if (quoted) {
        std::unique_ptr<char[]> asRead(new char[std::max<std::size_t>(size, 1)]);
        std::memcpy(asRead.get(), buffer.get(), size);
        mJob.digest->add(mPiece, std::move(asRead), size);
    }
    CsvTokenizer tokenizer(buffer.get(), buffer.get() + size, mJob.delimiter);
    std::vector<std::string_view> fields;
    fields.reserve(std::size_t(mJob.columnNames.size()) + 1);
    const std::size_t expected = std::size_t(mJob.columnNames.size());
    while (tokenizer.nextRecord(fields)) {
        const std::int64_t line = mChunk.firstLine + tokenizer.recordLine() + 1;
        if (fields.size() != expected) {
            if (!mJob.skipBadRows) {
                fail(QStringLiteral("%1, line %2: %3 fields, but the header has %4")
                         .arg(mJob.sourceName)
                         .arg(line)
                         .arg(fields.size())
                         .arg(expected));
                break;
            }
            if (mOutcome.skippedLines.size() < kMaxListedLines)
                mOutcome.skippedLines.push_back(line);
            ++mOutcome.skippedRows;
            continue;
        }
        if (mOutcome.rows >= mChunk.capacity) { // cannot happen: a record needs a line end
            fail(QStringLiteral("%1, line %2: more records than lines").arg(mJob.sourceName).arg(line));
            break;
        }
        if (!readRecord(fields, mChunk.rowOffset + mOutcome.rows, line))
            break;
        if (++mOutcome.rows % kCancelCheckRows == 0 && mJob.cancel->isCancelled()) {
            mOutcome.error = Error::cancelled();
            break;
        }
    }
    if (!mOutcome.error && tokenizer.hasUnterminatedQuote())
        fail(QStringLiteral("%1, line %2: a quoted field opened here is never closed")
                 .arg(mJob.sourceName)
                 .arg(mChunk.firstLine + tokenizer.unterminatedLine() + 1));
    if (mJob.digest && mOutcome.error)
        mJob.digest->abandon();
    else if (mJob.digest && !quoted)
        mJob.digest->add(mPiece, std::move(buffer), size);
    return std::move(mOutcome);
}

bool ChunkParser::readRecord(const std::vector<std::string_view> &fields, std::size_t row, std::int64_t line)
{
    const std::vector<ColumnPlan> &plan = *mJob.plan;
    for (std::size_t column = 0; column < fields.size(); ++column) {
        switch (plan[column].action) {
        case FieldAction::Skip:
            break;
        case FieldAction::Number:
            readNumber(column, fields[column], row, line, false);
            break;
        case FieldAction::Integer:
            readNumber(column, fields[column], row, line, true);
            break;
        case FieldAction::Boolean:
            readBoolean(column, fields[column], row, line);
            break;
        case FieldAction::Datetime:
            readDatetime(column, fields[column], row, line);
            break;
        case FieldAction::Text:
            if (!readText(column, fields[column], row, line))
                return false;
            break;
        }
    }
    return true;
}

void ChunkParser::unreadable(std::size_t column, std::int64_t line)
{
    if ((*mJob.plan)[column].overridden) {
        if (mOutcome.unreadable[column]++ == 0)
            mOutcome.firstUnreadableLine[column] = line;
    } else {
        mOutcome.failed[column] = 1;
    }
}

void ChunkParser::readNumber(std::size_t column, std::string_view field, std::size_t row, std::int64_t line, bool integer)
{
    double *out = (*mJob.targets)[column].numbers + row;
    bool isInteger = false;
    if (const auto value = mJob.syntax->parseNumber(field, &isInteger)) {
        *out = *value;
        if (integer && !isInteger) {
            if ((*mJob.plan)[column].overridden) {
                *out = kMissing;
                unreadable(column, line);
            } else {
                mOutcome.nonInteger[column] = 1;
            }
        }
        return;
    }
    *out = kMissing;
    if (!mJob.syntax->isMissing(field))
        unreadable(column, line);
    else if (mJob.syntax->missingTokens().isDefaultOnly(field))
        noteMissingToken(mOutcome.dictionaries[column], trimSpaces(field));
}

void ChunkParser::readBoolean(std::size_t column, std::string_view field, std::size_t row, std::int64_t line)
{
    double *out = (*mJob.targets)[column].numbers + row;
    if (const auto value = parseBoolean(field, (*mJob.plan)[column].overridden)) {
        *out = *value ? 1.0 : 0.0;
        return;
    }
    *out = kMissing;
    if (!mJob.syntax->isMissing(field))
        unreadable(column, line);
}

void ChunkParser::readDatetime(std::size_t column, std::string_view field, std::size_t row, std::int64_t line)
{
    double *out = (*mJob.targets)[column].numbers + row;
    if (const auto value = parseDatetime(field)) {
        *out = *value;
        return;
    }
    *out = kMissing;
    if (!mJob.syntax->isMissing(field))
        unreadable(column, line);
}

bool ChunkParser::readText(std::size_t column, std::string_view field, std::size_t row, std::int64_t line)
{
    std::int32_t &out = (*mJob.targets)[column].codes[row];
    TextDictionary &dictionary = mOutcome.dictionaries[column];
    if (mJob.syntax->isMissing(field)) {
        out = -1;
        if (mJob.syntax->missingTokens().isDefaultOnly(field))
            noteMissingToken(dictionary, trimSpaces(field));
        return true;
    }
    const auto found = dictionary.index.find(field);
    if (found != dictionary.index.end()) {
        out = found->second;
        return true;
    }
    if (const auto bad = firstInvalidUtf8(field)) {
        const std::uint64_t offset = mChunk.begin + std::uint64_t(field.data() - mBuffer) + *bad;
        fail(QStringLiteral("%1: invalid UTF-8 at byte offset %2 (line %3, column '%4')")
                 .arg(mJob.sourceName)
                 .arg(offset)
                 .arg(line)
                 .arg(mJob.columnNames[qsizetype(column)]));
        return false;
    }
    if (dictionary.values.size() >= std::size_t(std::numeric_limits<std::int32_t>::max())) {
        fail(QStringLiteral("%1: column '%2' has more than 2^31 distinct values")
                 .arg(mJob.sourceName, mJob.columnNames[qsizetype(column)]));
        return false;
    }
    out = std::int32_t(dictionary.values.size());
    dictionary.values.emplace_back(field);
    dictionary.index.emplace(dictionary.values.back(), out);
    return true;
}

} // namespace

ChunkOutcome parseCsvChunk(const ChunkJob &job, const CsvChunk &chunk, std::size_t piece)
{
    return ChunkParser(job, chunk, piece).run();
}

} // namespace plumb
