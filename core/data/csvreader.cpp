#include "data/csvreader.h"

#include "base/closenames.h"
#include "base/parallel.h"
#include "base/sha256.h"
#include "data/bytesource.h"
#include "data/csvchunkparser.h"
#include "data/csvdialect.h"
#include "data/csvparser.h"
#include "data/typeinference.h"
#include "data/valueparser.h"

#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>

namespace plumb {

namespace {

constexpr std::size_t kSniffBytes = std::size_t(1) << 20;
constexpr std::size_t kScanBlockBytes = std::size_t(4) << 20;
constexpr std::uint64_t kMinChunkBytes = std::uint64_t(256) << 10;
constexpr std::uint64_t kMaxChunkBytes = std::uint64_t(8) << 20;
// Share of the progress bar each stage takes.
constexpr double kScanShare = 0.15;
constexpr double kParseShare = 0.80;

FieldAction actionFor(ColumnType type)
{
    switch (type) {
    case ColumnType::Float:
        return FieldAction::Number;
    case ColumnType::Integer:
        return FieldAction::Integer;
    case ColumnType::Boolean:
        return FieldAction::Boolean;
    case ColumnType::Datetime:
        return FieldAction::Datetime;
    case ColumnType::Categorical:
        return FieldAction::Text;
    }
    return FieldAction::Text;
}

QString lineList(const std::vector<std::int64_t> &lines)
{
    QStringList parts;
    for (std::int64_t line : lines)
        parts.append(QString::number(line));
    return parts.join(QLatin1String(", "));
}

// One load of one source: sniff, scan for chunk boundaries, parse chunks in parallel, widen the
// columns whose later values disagree with the sample, merge dictionaries, and close the gaps.
class CsvLoad
{
public:
    CsvLoad(ByteSource &source, const CsvOptions &options, ProgressSink &progress)
        : mSource(source), mOptions(options), mProgress(progress)
    {
    }

    Result<Dataset> run();
    const CsvDialect &dialect() const { return mPreamble.dialect; }

private:
    std::optional<Error> sniff();
    std::optional<Error> planColumns();
    std::optional<Error> scan();
    std::optional<Error> scanWithoutQuotes(std::uint64_t chunkBytes, bool &hasQuotes);
    std::optional<Error> scanWithQuotes(std::uint64_t chunkBytes);
    std::unique_ptr<char[]> readPreamble(std::size_t &length);
    void layOutChunks(const std::vector<std::uint64_t> &starts, const std::vector<std::int64_t> &linesBefore,
                      std::int64_t totalLines);
    void allocate();
    std::optional<Error> parseAll(const std::vector<ColumnPlan> &plan, double progressFrom, double progressTo,
                                  OrderedSha256 *digest = nullptr);
    std::optional<Error> parseAndDigest();
    std::optional<Error> widenFailedColumns();
    void mergeDictionaries();
    void closeGaps();
    void warnAboutCategoryTokens();
    Dataset buildDataset();

    ByteSource &mSource;
    const CsvOptions &mOptions;
    ProgressSink &mProgress;
    CsvPreamble mPreamble;
    ValueSyntax mSyntax;
    std::vector<ColumnType> mTypes;
    std::vector<ColumnPlan> mPlan;
    std::vector<CsvChunk> mChunks;
    std::vector<ChunkOutcome> mOutcomes;
    std::vector<Column> mColumns;
    std::vector<ColumnTarget> mTargets;
    // Per column: non-empty fields read as missing, and how often (categorical columns only).
    std::vector<std::vector<std::pair<std::string, std::size_t>>> mMissingTokens;
    QStringList mWarnings;
    QByteArray mSha256; // of every byte of the source, taken from the parse's own reads
};

// The dialect and header of `source`, from its first kSniffBytes.
Result<CsvPreamble> sniffSource(ByteSource &source, const CsvOptions &options)
{
    const std::size_t sampleSize = std::size_t(std::min<std::uint64_t>(source.size(), kSniffBytes));
    if (sampleSize == 0)
        return Error::invalid(QStringLiteral("%1 is empty").arg(source.name()));
    QByteArray sample(qsizetype(sampleSize), Qt::Uninitialized);
    if (!source.read(0, sample.data(), sampleSize))
        return Error::io(source.errorString());
    return sniffCsv(sample, sampleSize == source.size(), source.name(), options);
}

Result<Dataset> CsvLoad::run()
{
    if (mProgress.isCancelled())
        return Error::cancelled();
    for (auto step : {&CsvLoad::sniff, &CsvLoad::planColumns, &CsvLoad::scan}) {
        if (auto error = (this->*step)())
            return *error;
    }
    allocate();
    if (auto error = parseAndDigest())
        return *error;
    if (auto error = widenFailedColumns())
        return *error;
    mProgress.setProgress(0.97, QStringLiteral("Merging"));
    mergeDictionaries();
    closeGaps();
    warnAboutCategoryTokens();
    Result<Dataset> result(buildDataset());
    result.setWarnings(mWarnings);
    mProgress.setProgress(1.0, QStringLiteral("Loaded"));
    return result;
}

std::optional<Error> CsvLoad::sniff()
{
    mProgress.setProgress(0.0, QStringLiteral("Reading the header"));
    auto preamble = sniffSource(mSource, mOptions);
    if (!preamble)
        return preamble.error();
    mPreamble = std::move(preamble).value();
    mSyntax = ValueSyntax(mPreamble.dialect.decimal, mOptions.missingTokens());
    mWarnings += mPreamble.warnings;
    return std::nullopt;
}

std::optional<Error> CsvLoad::planColumns()
{
    const QStringList &names = mPreamble.columnNames;
    for (auto it = mOptions.typeOverrides.constBegin(); it != mOptions.typeOverrides.constEnd(); ++it)
        if (!names.contains(it.key()))
            return Error::invalid(QStringLiteral("%1: no column named '%2' (given a type)%3")
                                      .arg(mSource.name(), it.key(), closeNamesHint(it.key(), names)));
    std::vector<TypeGuesser> guessers(std::size_t(names.size()), TypeGuesser(mSyntax));
    for (const auto &row : mPreamble.sampleRows)
        for (std::size_t c = 0; c < guessers.size(); ++c)
            guessers[c].observe(row[c]);
    for (std::size_t c = 0; c < guessers.size(); ++c) {
        const auto forced = mOptions.typeOverrides.constFind(names[qsizetype(c)]);
        const bool overridden = forced != mOptions.typeOverrides.constEnd();
        mTypes.push_back(overridden ? *forced : guessers[c].type());
        mPlan.push_back({actionFor(mTypes.back()), overridden});
    }
    return std::nullopt;
}

std::optional<Error> CsvLoad::scan()
{
    const std::uint64_t size = mSource.size();
    const std::uint64_t dataBytes = size - std::min(size, mPreamble.dataOffset);
    const std::uint64_t chunkBytes = std::clamp<std::uint64_t>(dataBytes / std::uint64_t(8 * workerCount()), kMinChunkBytes,
                                                               kMaxChunkBytes);
    bool hasQuotes = false;
    if (auto error = scanWithoutQuotes(chunkBytes, hasQuotes))
        return error;
    if (hasQuotes)
        return scanWithQuotes(chunkBytes);
    return std::nullopt;
}

// Without any quote in the data every LF ends a record, so chunks start after the first LF of
// each fixed-size byte range and the ranges can be scanned in parallel. Sets hasQuotes (and
// leaves no chunks) when a quote shows up; the sequential scan then decides.
std::optional<Error> CsvLoad::scanWithoutQuotes(std::uint64_t chunkBytes, bool &hasQuotes)
{
    const std::uint64_t size = mSource.size();
    const std::uint64_t begin = std::min(size, mPreamble.dataOffset);
    const std::size_t ranges = std::size_t((size - begin + chunkBytes - 1) / chunkBytes);
    struct RangeScan
    {
        std::size_t lineEnds = 0;
        std::optional<std::uint64_t> firstLineEnd;
        bool quote = false;
        bool ioError = false;
    };
    std::vector<RangeScan> scans(ranges);
    std::atomic<bool> quoteSeen{false};
    std::atomic<std::size_t> done{0};
    parallelFor(ranges, [&](std::size_t r) {
        if (quoteSeen.load(std::memory_order_relaxed) || mProgress.isCancelled())
            return;
        const std::uint64_t from = begin + r * chunkBytes;
        const std::size_t length = std::size_t(std::min(chunkBytes, size - from));
        const std::unique_ptr<char[]> buffer(new char[std::max<std::size_t>(length, 1)]);
        if (!mSource.read(from, buffer.get(), length)) {
            scans[r].ioError = true;
            return;
        }
        if (std::memchr(buffer.get(), '"', length)) {
            scans[r].quote = true;
            quoteSeen = true;
            return;
        }
        if (const void *lf = std::memchr(buffer.get(), '\n', length))
            scans[r].firstLineEnd = from + std::uint64_t(static_cast<const char *>(lf) - buffer.get());
        scans[r].lineEnds = countLineEnds(buffer.get(), length);
        mProgress.setProgress(kScanShare * double(done.fetch_add(1) + 1) / double(ranges), QStringLiteral("Scanning"));
    });
    if (mProgress.isCancelled())
        return Error::cancelled();
    if (std::any_of(scans.begin(), scans.end(), [](const RangeScan &scan) { return scan.ioError; }))
        return Error::io(mSource.errorString());
    hasQuotes = quoteSeen;
    if (hasQuotes)
        return std::nullopt;
    std::vector<std::uint64_t> starts{begin};
    std::vector<std::int64_t> linesBefore{0};
    std::int64_t lines = 0;
    for (std::size_t r = 0; r < ranges; ++r) {
        if (r > 0 && scans[r].firstLineEnd && *scans[r].firstLineEnd + 1 < size) {
            starts.push_back(*scans[r].firstLineEnd + 1);
            linesBefore.push_back(lines + 1);
        }
        lines += std::int64_t(scans[r].lineEnds);
    }
    layOutChunks(starts, linesBefore, lines);
    return std::nullopt;
}

// The general case: a sequential state machine that follows quoting across blocks.
std::optional<Error> CsvLoad::scanWithQuotes(std::uint64_t chunkBytes)
{
    const std::uint64_t size = mSource.size();
    CsvBoundaryScanner scanner(mPreamble.dialect.delimiter);
    scanner.setChunkSize(chunkBytes, mPreamble.dataOffset + chunkBytes);
    std::vector<char> block(kScanBlockBytes);
    for (std::uint64_t offset = mPreamble.dataOffset; offset < size;) {
        const std::size_t length = std::size_t(std::min<std::uint64_t>(block.size(), size - offset));
        if (!mSource.read(offset, block.data(), length))
            return Error::io(mSource.errorString());
        scanner.feed(block.data(), length, offset);
        offset += length;
        if (mProgress.isCancelled())
            return Error::cancelled();
        mProgress.setProgress(kScanShare * double(offset) / double(size), QStringLiteral("Scanning"));
    }
    if (scanner.insideQuotes())
        return Error::invalid(QStringLiteral("%1, line %2: a quoted field opened here is never closed")
                                  .arg(mSource.name())
                                  .arg(mPreamble.dataLine + scanner.quoteOpenLine() + 1));
    std::vector<std::uint64_t> starts{mPreamble.dataOffset};
    std::vector<std::int64_t> linesBefore{0};
    for (std::size_t i = 0; i < scanner.cuts().size() && scanner.cuts()[i] < size; ++i) {
        starts.push_back(scanner.cuts()[i]);
        linesBefore.push_back(scanner.linesBeforeCuts()[i]);
    }
    layOutChunks(starts, linesBefore, scanner.lineCount());
    return std::nullopt;
}

// Chunk i covers [starts[i], starts[i + 1]); the room reserved for it in the columns is one row
// per LF it holds (plus one for the last chunk).
void CsvLoad::layOutChunks(const std::vector<std::uint64_t> &starts, const std::vector<std::int64_t> &linesBefore,
                           std::int64_t totalLines)
{
    std::size_t rowOffset = 0;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const bool last = i + 1 == starts.size();
        CsvChunk chunk;
        chunk.begin = starts[i];
        chunk.end = last ? mSource.size() : starts[i + 1];
        chunk.firstLine = mPreamble.dataLine + linesBefore[i];
        // Every chunk but the last ends just after an LF, so its records are at most its LFs and
        // the chunks' rows abut when no line is blank or skipped; the last record of the file may
        // lack its LF.
        chunk.capacity = std::size_t((last ? totalLines : linesBefore[i + 1]) - linesBefore[i]) + (last ? 1 : 0);
        chunk.rowOffset = rowOffset;
        rowOffset += chunk.capacity;
        mChunks.push_back(chunk);
    }
}

void CsvLoad::allocate()
{
    const std::size_t capacity = mChunks.empty() ? 0 : mChunks.back().rowOffset + mChunks.back().capacity;
    for (std::size_t c = 0; c < mTypes.size(); ++c)
        mColumns.emplace_back(mPreamble.columnNames[qsizetype(c)], mTypes[c]);
    // Columns are sized (and their pages first touched) on all workers.
    parallelFor(mColumns.size(), [&](std::size_t c) {
        if (mTypes[c] == ColumnType::Categorical)
            mColumns[c].codes().resize(capacity);
        else
            mColumns[c].numbers().resize(capacity);
    });
    for (Column &column : mColumns)
        mTargets.push_back({column.numbers().data(), column.codes().data()});
}

// The first parse, which also takes the source's SHA-256 from the same reads: piece 0 is the
// preamble, piece i + 1 chunk i (the chunks cover the rest of the source, in order). Hashing runs
// beside the parsing on whichever thread fills the gap, instead of as a pass of its own.
std::optional<Error> CsvLoad::parseAndDigest()
{
    OrderedSha256 digest(std::size_t(2 * workerCount()));
    std::size_t preambleLength = 0;
    std::unique_ptr<char[]> preamble = readPreamble(preambleLength);
    if (!preamble)
        return Error::io(mSource.errorString());
    digest.add(0, std::move(preamble), preambleLength);
    if (auto error = parseAll(mPlan, kScanShare, kScanShare + kParseShare, &digest))
        return error;
    mSha256 = digest.result(mChunks.size() + 1);
    if (mSha256.isEmpty()) // every byte was read, so only a broken parse leaves no digest
        return Error::io(QStringLiteral("%1: the file's SHA-256 could not be taken while reading it").arg(mSource.name()));
    return std::nullopt;
}

// The bytes before the first data row (BOM, header), which the chunks start after.
std::unique_ptr<char[]> CsvLoad::readPreamble(std::size_t &length)
{
    length = std::size_t(std::min(mSource.size(), mPreamble.dataOffset));
    std::unique_ptr<char[]> bytes(new char[std::max<std::size_t>(length, 1)]);
    if (!mSource.read(0, bytes.get(), length))
        return nullptr;
    return bytes;
}

std::optional<Error> CsvLoad::parseAll(const std::vector<ColumnPlan> &plan, double progressFrom, double progressTo,
                                       OrderedSha256 *digest)
{
    ChunkJob job{&mSource,
                 mSource.name(),
                 mPreamble.columnNames,
                 &plan,
                 &mTargets,
                 mPreamble.dialect.delimiter,
                 &mSyntax,
                 mOptions.skipBadRows,
                 &mProgress,
                 digest};
    mOutcomes.assign(mChunks.size(), {});
    std::atomic<std::size_t> done{0};
    parallelFor(mChunks.size(), [&](std::size_t i) {
        if (mProgress.isCancelled()) {
            mOutcomes[i].error = Error::cancelled();
            if (digest)
                digest->abandon();
            return;
        }
        mOutcomes[i] = parseCsvChunk(job, mChunks[i], i + 1);
        const double fraction = double(done.fetch_add(1) + 1) / double(mChunks.size());
        mProgress.setProgress(progressFrom + (progressTo - progressFrom) * fraction, QStringLiteral("Parsing"));
    });
    if (mProgress.isCancelled())
        return Error::cancelled();
    for (const ChunkOutcome &outcome : mOutcomes)
        if (outcome.error)
            return outcome.error;
    return std::nullopt;
}

// Columns whose later values did not read as the type the sample suggested become categorical
// and are parsed again, alone. Integer columns that saw a fraction become Float.
std::optional<Error> CsvLoad::widenFailedColumns()
{
    std::vector<ColumnPlan> textPlan(mPlan.size());
    bool anyFailed = false;
    for (std::size_t c = 0; c < mPlan.size(); ++c) {
        const bool failed = std::any_of(mOutcomes.begin(), mOutcomes.end(), [c](const ChunkOutcome &o) { return o.failed[c]; });
        const bool fraction = std::any_of(mOutcomes.begin(), mOutcomes.end(),
                                          [c](const ChunkOutcome &o) { return o.nonInteger[c]; });
        if (failed) {
            anyFailed = true;
            textPlan[c].action = FieldAction::Text;
            mTypes[c] = ColumnType::Categorical;
            Column widened(mColumns[c].name(), ColumnType::Categorical);
            widened.codes().resize(mColumns[c].numbers().size());
            mColumns[c] = std::move(widened);
            mTargets[c] = {nullptr, mColumns[c].codes().data()};
        } else if (fraction) {
            mTypes[c] = ColumnType::Float;
            mColumns[c].setNumericType(ColumnType::Float);
        }
    }
    if (!anyFailed)
        return std::nullopt;
    std::vector<ChunkOutcome> firstPass = std::move(mOutcomes);
    if (auto error = parseAll(textPlan, kScanShare + kParseShare, 0.96))
        return error;
    for (std::size_t i = 0; i < mOutcomes.size(); ++i)
        for (std::size_t c = 0; c < mPlan.size(); ++c)
            if (textPlan[c].action == FieldAction::Text)
                firstPass[i].dictionaries[c] = std::move(mOutcomes[i].dictionaries[c]);
    mOutcomes = std::move(firstPass);
    for (std::size_t c = 0; c < mPlan.size(); ++c)
        if (textPlan[c].action == FieldAction::Text)
            mPlan[c] = textPlan[c];
    return std::nullopt;
}

// Chunk-local codes become global codes, categories in order of first appearance in the file.
void CsvLoad::mergeDictionaries()
{
    mMissingTokens.resize(mPlan.size());
    for (std::size_t c = 0; c < mPlan.size(); ++c) {
        for (const ChunkOutcome &outcome : mOutcomes) {
            for (const auto &entry : outcome.dictionaries[c].missingTokens) {
                auto &tokens = mMissingTokens[c];
                const auto found = std::find_if(tokens.begin(), tokens.end(),
                                                [&entry](const auto &t) { return t.first == entry.first; });
                if (found != tokens.end())
                    found->second += entry.second;
                else
                    tokens.push_back(entry);
            }
        }
        if (mPlan[c].action != FieldAction::Text)
            continue;
        TextDictionary global;
        std::vector<std::vector<std::int32_t>> remaps(mOutcomes.size());
        for (std::size_t i = 0; i < mOutcomes.size(); ++i) {
            for (std::string &value : mOutcomes[i].dictionaries[c].values) {
                auto [slot, inserted] = global.index.try_emplace(value, std::int32_t(global.values.size()));
                if (inserted)
                    global.values.push_back(std::move(value));
                remaps[i].push_back(slot->second);
            }
            mOutcomes[i].dictionaries[c] = {};
        }
        std::int32_t *codes = mColumns[c].codes().data();
        parallelFor(mChunks.size(), [&](std::size_t i) {
            std::int32_t *begin = codes + mChunks[i].rowOffset;
            for (std::int32_t *code = begin; code != begin + mOutcomes[i].rows; ++code)
                if (*code >= 0)
                    *code = remaps[i][std::size_t(*code)];
        });
        QStringList &categories = mColumns[c].categories();
        categories.reserve(qsizetype(global.values.size()));
        for (const std::string &value : global.values)
            categories.append(decodeUtf8(value));
    }
}

// Chunks wrote at offsets sized by their line counts; move each one down to follow the last.
void CsvLoad::closeGaps()
{
    std::size_t rows = 0;
    for (std::size_t i = 0; i < mChunks.size(); ++i) {
        const std::size_t count = mOutcomes[i].rows;
        if (mChunks[i].rowOffset != rows) {
            for (Column &column : mColumns) {
                if (column.type() == ColumnType::Categorical)
                    std::memmove(column.codes().data() + rows, column.codes().data() + mChunks[i].rowOffset,
                                 count * sizeof(std::int32_t));
                else
                    std::memmove(column.numbers().data() + rows, column.numbers().data() + mChunks[i].rowOffset,
                                 count * sizeof(double));
            }
        }
        rows += count;
    }
    for (Column &column : mColumns) {
        column.codes().resize(column.type() == ColumnType::Categorical ? rows : 0);
        column.numbers().resize(column.type() == ColumnType::Categorical ? 0 : rows);
    }
}

// A default missing-value token that looks like one of a categorical column's few categories
// (None beside Freq and Some; NA beside the continent codes EU and AS) is more likely a category
// than a missing value: say so, and how to keep it while the file's other tokens stay missing.
void CsvLoad::warnAboutCategoryTokens()
{
    struct Finding
    {
        std::size_t column;
        QString token;
        std::size_t count;
        QString alike;
    };
    std::vector<Finding> findings;
    QStringList otherTokens;
    for (std::size_t c = 0; c < mColumns.size() && c < mMissingTokens.size(); ++c) {
        for (const auto &[token, count] : mMissingTokens[c]) {
            const QString text = decodeUtf8(token);
            if (const auto alike = categoryAlike(text, mColumns[c].categories()))
                findings.push_back({c, text, count, *alike});
            else if (!otherTokens.contains(text))
                otherTokens.append(text);
        }
    }
    for (const Finding &finding : findings)
        otherTokens.removeAll(finding.token);
    const QString others = otherTokens.join(QLatin1Char(','));
    const QString keep = otherTokens.isEmpty()
        ? QStringLiteral("load with --no-default-na; in the Data view, untick \"Default missing tokens\"")
        : QStringLiteral("load with --no-default-na --na-values %1 (the file's other missing-value tokens); in the Data "
                         "view, untick \"Default missing tokens\" and enter %1 under \"Also missing\"")
              .arg(others);
    for (const Finding &finding : findings)
        mWarnings.append(QStringLiteral("%1: column '%2': '%3' was read as missing in %4 of %5 rows, but it looks like a "
                                        "category beside '%6'. To keep it as a category, %7")
                             .arg(mSource.name(), mColumns[finding.column].name(), finding.token)
                             .arg(finding.count)
                             .arg(mColumns[finding.column].codes().size())
                             .arg(finding.alike, keep));
}

Dataset CsvLoad::buildDataset()
{
    std::size_t skipped = 0;
    std::vector<std::int64_t> skippedLines;
    for (const ChunkOutcome &outcome : mOutcomes) {
        skipped += outcome.skippedRows;
        for (std::int64_t line : outcome.skippedLines)
            if (skippedLines.size() < 5)
                skippedLines.push_back(line);
    }
    if (skipped > 0)
        mWarnings.append(QStringLiteral("%1: skipped %2 row(s) with the wrong number of fields (lines %3%4)")
                             .arg(mSource.name())
                             .arg(skipped)
                             .arg(lineList(skippedLines))
                             .arg(skipped > skippedLines.size() ? QStringLiteral(", ...") : QString()));
    for (std::size_t c = 0; c < mColumns.size(); ++c) {
        std::size_t unreadable = 0;
        std::int64_t firstLine = 0;
        for (const ChunkOutcome &outcome : mOutcomes) {
            if (outcome.unreadable[c] && !unreadable)
                firstLine = outcome.firstUnreadableLine[c];
            unreadable += outcome.unreadable[c];
        }
        if (unreadable > 0)
            mWarnings.append(QStringLiteral("%1: column '%2': %3 value(s) are not %4 and were set missing (first at line %5)")
                                 .arg(mSource.name(), mColumns[c].name())
                                 .arg(unreadable)
                                 .arg(columnTypeName(mTypes[c]))
                                 .arg(firstLine));
    }
    Dataset dataset;
    for (Column &column : mColumns)
        dataset.addColumn(std::move(column));
    dataset.assignDefaultRoles();
    dataset.setSourceSha256(QString::fromLatin1(mSha256.toHex()));
    return dataset;
}

} // namespace

Result<Dataset> CsvReader::read(ByteSource &source, const CsvOptions &options, ProgressSink &progress, CsvDialect *dialect)
{
    CsvLoad load(source, options, progress);
    Result<Dataset> result = load.run();
    if (result && dialect)
        *dialect = load.dialect();
    return result;
}

Result<Dataset> CsvReader::readFile(const QString &path, const CsvOptions &options, ProgressSink &progress, CsvDialect *dialect)
{
    FileSource source(path);
    if (!source.isOpen())
        return Error::io(source.errorString());
    Result<Dataset> result = read(source, options, progress, dialect);
    if (result)
        result.value().setSourcePath(path);
    return result;
}

Result<Dataset> CsvReader::readBytes(const QByteArray &bytes, const QString &name, const CsvOptions &options,
                                     ProgressSink &progress, CsvDialect *dialect)
{
    MemorySource source(bytes, name);
    return read(source, options, progress, dialect);
}

Result<CsvDialect> CsvReader::sniffFile(const QString &path, const CsvOptions &options)
{
    FileSource source(path);
    if (!source.isOpen())
        return Error::io(source.errorString());
    auto preamble = sniffSource(source, options);
    if (!preamble)
        return preamble.error();
    return preamble.value().dialect;
}

} // namespace plumb
