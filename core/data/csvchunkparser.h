#pragma once

#include "base/error.h"
#include "base/progress.h"
#include "base/sha256.h"
#include "data/valuesyntax.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plumb {

class ByteSource;

// Internal to CsvReader: parses one chunk of a delimited file (a byte range starting and ending on
// record boundaries) straight into preallocated column arrays.

// What to do with each column's fields.
enum class FieldAction : std::uint8_t { Skip, Number, Integer, Boolean, Datetime, Text };

struct ColumnPlan
{
    FieldAction action = FieldAction::Skip;
    // Declared by the user: unreadable values become missing (counted) instead of widening the type.
    bool overridden = false;
};

// Where a column's values go: numbers for numeric actions, codes (chunk-local) for Text.
struct ColumnTarget
{
    double *numbers = nullptr;
    std::int32_t *codes = nullptr;
};

// Distinct text values of one column in one chunk, in order of first appearance (Text columns),
// and the default missing-value tokens met in it (every column).
struct TextDictionary
{
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> index;
    std::vector<std::string> values;
    // Non-empty fields read as missing only by the default tokens, trimmed, and how often: the
    // warning about a default token that looks like a category needs them.
    std::vector<std::pair<std::string, std::size_t>> missingTokens;
};

struct CsvChunk
{
    std::uint64_t begin = 0; // byte range in the source
    std::uint64_t end = 0;
    std::int64_t firstLine = 0; // 0-based line of `begin` in the source
    std::size_t rowOffset = 0; // first row this chunk writes
    std::size_t capacity = 0; // rows reserved for it (an upper bound: its line count + 1)
};

struct ChunkOutcome
{
    std::size_t rows = 0;
    std::optional<Error> error;
    std::vector<std::uint8_t> failed; // per column: a value did not read as the planned type
    std::vector<std::uint8_t> nonInteger; // per column: an Integer column saw a fraction
    std::vector<std::size_t> unreadable; // per column: overridden values set missing
    std::vector<std::int64_t> firstUnreadableLine;
    std::vector<TextDictionary> dictionaries; // per column, for Text
    std::size_t skippedRows = 0;
    std::vector<std::int64_t> skippedLines; // 1-based, the first few
};

struct ChunkJob
{
    ByteSource *source = nullptr;
    QString sourceName;
    QStringList columnNames;
    const std::vector<ColumnPlan> *plan = nullptr;
    const std::vector<ColumnTarget> *targets = nullptr;
    char delimiter = ',';
    const ValueSyntax *syntax = nullptr;
    bool skipBadRows = false;
    const ProgressSink *cancel = nullptr;
    // When set, each chunk's bytes go to it once parsed, as piece `piece` of parseCsvChunk; a
    // chunk that fails abandons it.
    OrderedSha256 *digest = nullptr;
};

// Parses `chunk` of job.source into job.targets. Never throws; problems land in the outcome.
ChunkOutcome parseCsvChunk(const ChunkJob &job, const CsvChunk &chunk, std::size_t piece = 0);

} // namespace plumb
