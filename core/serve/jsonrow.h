#pragma once

#include "base/error.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plumb {

// One value of a JSON row object, as read: its kind, its text (strings unescaped to UTF-8,
// numbers, true/false and null as written) and the bytes it occupied in the source.
struct JsonField
{
    enum class Kind : std::uint8_t { Null, Boolean, Number, String, Nested };
    std::string key;
    Kind kind = Kind::Null;
    bool boolean = false;
    double number = 0; // Number: the value, correctly rounded (the same double as a CSV field)
    std::string text; // String: the unescaped value
    std::string_view raw; // the value's bytes in the source line (Nested: the whole object or array)
};

// A flat JSON object read from one line: keys in order of appearance.
struct JsonRow
{
    std::vector<JsonField> fields;

    // The field named `key`, or null.
    const JsonField *find(std::string_view key) const;
    // The same, looking first at position `expected` (where a client that sends the keys in the
    // model's order puts it), so that finding every feature of such a row is linear.
    const JsonField *find(std::string_view key, std::size_t expected) const;
};

// Limits applied while reading one row.
struct JsonRowLimits
{
    int maxDepth = 32; // nesting of objects and arrays inside a value
    std::size_t maxFields = 10000; // keys in the row object
};

// Reads one JSON object (RFC 8259, UTF-8) from `line`, surrounding whitespace allowed. Values may
// be any JSON; nested objects and arrays are kept as Nested (their raw text) so that the caller
// can ignore extra ones and refuse needed ones. Fails with a reason naming the byte offset or key:
// not an object, a syntax error, invalid UTF-8 or escapes, a duplicate key, nesting deeper than
// the limit, numbers out of range. Never throws; `row` is cleared first.
std::optional<QString> readJsonRow(std::string_view line, JsonRow &row, const JsonRowLimits &limits = {});

// How messages name a row of a request body: "row 3 (0-based index in the request's array)". Rows
// of a request are counted from 0, as the array's index; lines of a file from 1.
QString requestRowName(std::size_t index);

// Reads a request body: one row object, or an array of at most `maxRows` row objects (the limits
// apply to each). Fails like readJsonRow, naming the row ("row 3 (0-based index in the request's
// array): key 'a' appears twice"), or "more than N rows". A limit passed (too many rows, or too
// many keys in any row, the only row or one of an array's) is Error::Kind::TooLarge; anything
// else Invalid. `rows` is cleared first.
std::optional<Error> readJsonRows(std::string_view text, std::vector<JsonRow> &rows, std::size_t maxRows,
                                  const JsonRowLimits &limits = {});

// JSON whitespace (RFC 8259): space, tab, line feed, carriage return.
inline bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
// A byte a JSON string holds as it is: not the closing quote, a backslash or a control character.
inline bool isPlainJsonStringByte(char c)
{
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
}

// Appends `text` (UTF-8) to `out` as a JSON string literal, quotes included.
void appendJsonString(std::string_view text, std::string &out);

} // namespace plumb
