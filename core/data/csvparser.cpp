#include "data/csvparser.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace plumb {

namespace {

// First delimiter or LF at or after p (end when none). Fields are short, so one 16-byte compare
// usually finds the end; the scalar loop finishes the tail.
inline char *findFieldEnd(char *p, char *end, char delimiter)
{
#if defined(__SSE2__)
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    const __m128i lineEnds = _mm_set1_epi8('\n');
    while (end - p >= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const unsigned mask = unsigned(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, lineEnds))));
        if (mask)
            return p + std::countr_zero(mask);
        p += 16;
    }
#endif
    while (p < end && *p != delimiter && *p != '\n')
        ++p;
    return p;
}

} // namespace

std::size_t countLineEnds(const char *data, std::size_t size)
{
    std::size_t count = 0;
    std::size_t i = 0;
#if defined(__SSE2__)
    // Byte lanes count matches (a match is -1, so subtract); every 255 blocks, before a lane can
    // wrap, _mm_sad_epu8 folds the lanes into two 64-bit sums. Needs no POPCNT instruction.
    const __m128i lineEnds = _mm_set1_epi8('\n');
    while (i + 16 <= size) {
        __m128i lanes = _mm_setzero_si128();
        for (int block = 0; block < 255 && i + 16 <= size; ++block, i += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, lineEnds));
        }
        const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += std::size_t(_mm_cvtsi128_si64(sums)) + std::size_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
    }
#endif
    for (; i < size; ++i)
        count += data[i] == '\n';
    return count;
}

CsvTokenizer::CsvTokenizer(char *begin, char *end, char delimiter)
    : mBegin(begin), mPos(begin), mEnd(end), mRecordStart(begin), mDelimiter(delimiter)
{
}

bool CsvTokenizer::nextRecord(std::vector<std::string_view> &fields)
{
    fields.clear();
    // Blank lines (LF or CRLF alone) separate nothing: skip them, as pandas does.
    while (mPos < mEnd) {
        if (*mPos == '\n') {
            ++mPos;
            ++mLine;
        } else if (*mPos == '\r' && mPos + 1 < mEnd && mPos[1] == '\n') {
            mPos += 2;
            ++mLine;
        } else {
            break;
        }
    }
    if (mPos >= mEnd || mUnterminated)
        return false;
    mRecordStart = mPos;
    mRecordLine = mLine;
    char *p = mPos;
    for (;;) {
        if (p < mEnd && *p == '"') {
            if (!readQuotedField(p, fields))
                return false;
        } else {
            char *start = p;
            p = findFieldEnd(p, mEnd, mDelimiter);
            char *fieldEnd = p;
            if (fieldEnd > start && fieldEnd[-1] == '\r')
                --fieldEnd;
            fields.emplace_back(start, std::size_t(fieldEnd - start));
        }
        if (p >= mEnd) {
            mPos = p;
            return true;
        }
        if (*p == '\n') {
            mPos = p + 1;
            ++mLine;
            return true;
        }
        ++p; // the delimiter; a field follows, possibly empty
    }
}

bool CsvTokenizer::readQuotedField(char *&p, std::vector<std::string_view> &fields)
{
    const std::int64_t openLine = mLine;
    ++p; // opening quote
    char *start = p;
    char *write = p;
    for (;;) {
        char *quote = static_cast<char *>(std::memchr(p, '"', std::size_t(mEnd - p)));
        if (!quote) {
            mUnterminated = true;
            mUnterminatedLine = openLine;
            mPos = mEnd;
            return false;
        }
        mLine += std::count(p, quote, '\n');
        if (write != p)
            std::memmove(write, p, std::size_t(quote - p));
        write += quote - p;
        p = quote + 1;
        if (p < mEnd && *p == '"') { // "" is an escaped quote
            *write++ = '"';
            ++p;
            continue;
        }
        break;
    }
    // Characters between the closing quote and the delimiter are kept, as pandas keeps them.
    char *afterQuote = write;
    while (p < mEnd && *p != mDelimiter && *p != '\n')
        *write++ = *p++;
    if (write > afterQuote && write[-1] == '\r')
        --write;
    fields.emplace_back(start, std::size_t(write - start));
    return true;
}

void CsvBoundaryScanner::setChunkSize(std::uint64_t chunkSize, std::uint64_t firstTarget)
{
    mChunkSize = std::max<std::uint64_t>(1, chunkSize);
    mNextTarget = firstTarget;
}

void CsvBoundaryScanner::recordEnd(std::uint64_t offsetAfterLf)
{
    if (offsetAfterLf > mNextTarget) {
        mCuts.push_back(offsetAfterLf);
        mLinesBeforeCuts.push_back(mLines);
        mNextTarget = offsetAfterLf + mChunkSize;
    }
}

void CsvBoundaryScanner::feed(const char *block, std::size_t size, std::uint64_t blockOffset)
{
    if ((mState == State::FieldStart || mState == State::Unquoted) && !std::memchr(block, '"', size)) {
        feedWithoutQuotes(block, size, blockOffset);
        return;
    }
    for (std::size_t i = 0; i < size; ++i) {
        const char c = block[i];
        switch (mState) {
        case State::FieldStart:
        case State::Unquoted:
            if (c == '"' && mState == State::FieldStart) {
                mState = State::Quoted;
                mQuoteOpenLine = mLines;
            } else if (c == '\n') {
                ++mLines;
                mState = State::FieldStart;
                recordEnd(blockOffset + i + 1);
            } else {
                mState = c == mDelimiter ? State::FieldStart : State::Unquoted;
            }
            break;
        case State::Quoted:
            if (c == '"')
                mState = State::QuoteInQuoted;
            else if (c == '\n')
                ++mLines;
            break;
        case State::QuoteInQuoted:
            if (c == '"') {
                mState = State::Quoted;
            } else if (c == '\n') {
                ++mLines;
                mState = State::FieldStart;
                recordEnd(blockOffset + i + 1);
            } else {
                mState = c == mDelimiter ? State::FieldStart : State::Unquoted;
            }
            break;
        }
    }
}

void CsvBoundaryScanner::feedWithoutQuotes(const char *block, std::size_t size, std::uint64_t blockOffset)
{
    // Every LF ends a record here. Count them in bulk; look for a cut only past the target.
    const std::uint64_t blockEnd = blockOffset + size;
    std::size_t counted = 0;
    while (mNextTarget < blockEnd) {
        const std::size_t from = std::max<std::size_t>(counted, std::size_t(std::max(mNextTarget, blockOffset) - blockOffset));
        const char *lf = static_cast<const char *>(std::memchr(block + from, '\n', size - from));
        if (!lf)
            break;
        const std::size_t at = std::size_t(lf - block);
        mLines += std::int64_t(countLineEnds(block + counted, std::size_t(lf + 1 - (block + counted))));
        counted = at + 1;
        recordEnd(blockOffset + at + 1);
    }
    mLines += std::int64_t(countLineEnds(block + counted, size - counted));
    if (size > 0) {
        const char last = block[size - 1];
        mState = (last == '\n' || last == mDelimiter) ? State::FieldStart : State::Unquoted;
    }
}

} // namespace plumb
