#include "serve/orderedrowreader.h"

#include "data/valueparser.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace plumb {

namespace {

constexpr std::size_t kRowsBetweenChecks = 1024; // rows read between two looks at the clock

void skipSpace(const char *&at, const char *end)
{
    while (at < end && isJsonSpace(*at))
        ++at;
}

bool take(const char *&at, const char *end, char c)
{
    skipSpace(at, end);
    if (at == end || *at != c)
        return false;
    ++at;
    return true;
}

bool takeWord(const char *&at, const char *end, std::string_view word)
{
    if (std::size_t(end - at) < word.size() || std::memcmp(at, word.data(), word.size()) != 0)
        return false;
    at += word.size();
    return true;
}

// The end of the string whose opening quote is at at[-1], when it has no escape and no control
// character and is valid UTF-8 (what readJsonRows would keep byte for byte); otherwise null.
const char *plainStringEnd(const char *at, const char *end)
{
    const char *start = at;
    bool ascii = true;
    while (at < end && *at != '"') {
        if (!isPlainJsonStringByte(*at))
            return nullptr;
        ascii = ascii && std::uint8_t(*at) < 0x80;
        ++at;
    }
    if (at == end)
        return nullptr;
    if (!ascii && firstInvalidUtf8(std::string_view(start, std::size_t(at - start))))
        return nullptr;
    return at;
}

} // namespace

OrderedRowReader::OrderedRowReader(const RowValidator &validator) : mValidator(validator)
{
}

bool OrderedRowReader::readValue(std::size_t feature, const char *&at, const char *end, FeatureValue &out) const
{
    if (at == end)
        return false;
    const ColumnType type = mValidator.features()[feature].type;
    switch (*at) {
    case 'n':
        if (!takeWord(at, end, "null") || !mValidator.acceptsMissing(feature))
            return false;
        out = {std::numeric_limits<double>::quiet_NaN(), {}, true};
        return true;
    case 't':
    case 'f':
        if (type != ColumnType::Boolean)
            return false;
        out = {*at == 't' ? 1.0 : 0.0, {}, false};
        return takeWord(at, end, *at == 't' ? std::string_view("true") : std::string_view("false"));
    case '"': {
        if (type != ColumnType::Categorical && type != ColumnType::Datetime)
            return false;
        const char *close = plainStringEnd(at + 1, end);
        if (!close)
            return false;
        const std::string_view text(at + 1, std::size_t(close - at - 1));
        at = close + 1;
        if (type == ColumnType::Categorical) {
            out = {0, text, false};
            return true;
        }
        const auto seconds = parseDatetime(text);
        out = {seconds.value_or(0), {}, false};
        return seconds.has_value();
    }
    default: {
        if (type == ColumnType::Categorical || type == ColumnType::Boolean)
            return false;
        double value = 0;
        const std::size_t length = parseJsonNumber(std::string_view(at, std::size_t(end - at)), value);
        if (length == 0 || !std::isfinite(value))
            return false;
        at += length;
        out = {value, {}, false};
        return true;
    }
    }
}

bool OrderedRowReader::readRow(const char *&at, const char *end, std::vector<FeatureValue> &values) const
{
    if (!take(at, end, '{'))
        return false;
    for (std::size_t f = 0; f < mValidator.featureCount(); ++f) {
        if ((f > 0 && !take(at, end, ',')) || !take(at, end, '"'))
            return false;
        const std::string &key = mValidator.jsonKey(f);
        if (std::size_t(end - at) <= key.size() || std::memcmp(at, key.data(), key.size()) != 0 || at[key.size()] != '"')
            return false;
        at += key.size() + 1;
        if (!take(at, end, ':'))
            return false;
        skipSpace(at, end);
        if (!readValue(f, at, end, values[f]))
            return false;
    }
    return take(at, end, '}');
}

OrderedRowReader::Outcome OrderedRowReader::read(std::string_view body, std::size_t maxRows, const JsonRowLimits &limits,
                                                 const QDeadlineTimer &deadline, FeatureBatch &batch) const
{
    const std::size_t features = mValidator.featureCount();
    if (!mValidator.hasPlainJsonKeys() || features == 0 || features > limits.maxFields)
        return Outcome::NotHandled;
    const char *at = body.data();
    const char *end = at + body.size();
    std::vector<FeatureValue> values(features);
    const bool array = take(at, end, '[');
    if (!array)
        at = body.data();
    for (std::size_t row = 0;; ++row) {
        if (row >= maxRows)
            return Outcome::NotHandled; // the general path answers 413
        if (row % kRowsBetweenChecks == 0 && deadline.hasExpired())
            return Outcome::Expired;
        const char *const rowStart = at;
        if (!readRow(at, end, values))
            return Outcome::NotHandled;
        if (row == 0 && array) // rows of a request are alike: room for as many as the body holds
            batch.reserve(std::min(maxRows, body.size() / std::size_t(at - rowStart) + 1));
        batch.append(values);
        if (!array || !take(at, end, ','))
            break;
    }
    if (array && !take(at, end, ']'))
        return Outcome::NotHandled;
    skipSpace(at, end);
    return at == end ? Outcome::Read : Outcome::NotHandled;
}

} // namespace plumb
