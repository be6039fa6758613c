#include "serve/jsonrow.h"

#include "data/valueparser.h"

#include <cmath>

namespace plumb {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// FNV-1a over a key's bytes (keys are short).
std::uint32_t keyHash(std::string_view key)
{
    std::uint32_t hash = 2166136261u;
    for (char c : key)
        hash = (hash ^ std::uint8_t(c)) * 16777619u;
    return hash ^ (hash >> 16);
}

void appendUtf8(std::uint32_t code, std::string &out)
{
    if (code < 0x80) {
        out.push_back(char(code));
    } else if (code < 0x800) {
        out.push_back(char(0xC0 | (code >> 6)));
        out.push_back(char(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(char(0xE0 | (code >> 12)));
        out.push_back(char(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(char(0x80 | (code & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (code >> 18)));
        out.push_back(char(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(char(0x80 | (code & 0x3F)));
    }
}

// A recursive-descent reader over one line. Recursion happens only inside nested values and is
// bounded by JsonRowLimits::maxDepth, so hostile input cannot exhaust the stack.
class Reader
{
public:
    Reader(std::string_view text, const JsonRowLimits &limits) : mText(text), mLimits(limits) { }

    std::optional<QString> readRow(JsonRow &row);
    std::optional<QString> readRows(std::vector<JsonRow> &rows, std::size_t maxRows);
    // Whether the last refusal was a limit (keys in a row, rows in a body) and not malformed text.
    bool overLimit() const { return mOverLimit; }

private:
    std::optional<QString> readObject(JsonRow &row);
    std::optional<QString> readEnd();
    std::optional<QString> readValue(JsonField &field);
    std::optional<QString> readString(std::string &out);
    std::optional<QString> readEscape(std::string &out);
    std::optional<QString> readHex4(std::uint32_t &code);
    std::optional<QString> readNumber(JsonField &field);
    std::optional<QString> numberError(JsonField &field);
    std::optional<QString> readLiteral(std::string_view word);
    std::optional<QString> skipNested(int depth);
    std::optional<QString> skipValue(int depth);
    QString at(const char *what) const { return QStringLiteral("%1 at byte %2").arg(QLatin1String(what)).arg(mPos + 1); }
    void skipSpace()
    {
        while (mPos < mText.size() && isJsonSpace(mText[mPos]))
            ++mPos;
    }
    bool peek(char c) const { return mPos < mText.size() && mText[mPos] == c; }

    std::string_view mText;
    const JsonRowLimits &mLimits;
    std::size_t mPos = 0;
    bool mOverLimit = false;
};

std::optional<QString> Reader::readObject(JsonRow &row)
{
    skipSpace();
    if (!peek('{'))
        return mPos < mText.size() ? at("not a JSON object: expected '{'") : QStringLiteral("empty line");
    ++mPos;
    skipSpace();
    std::uint64_t seenKeys = 0; // one bit per key hash (mod 64)
    if (peek('}')) {
        ++mPos;
    } else {
        for (;;) {
            skipSpace();
            if (!peek('"'))
                return at("expected a quoted key");
            if (row.fields.size() >= mLimits.maxFields) {
                mOverLimit = true;
                return QStringLiteral("more than %1 keys").arg(mLimits.maxFields);
            }
            // Read in place: a field is too big to build aside and move in.
            JsonField &field = row.fields.emplace_back();
            if (auto error = readString(field.key))
                return error;
            // Keys are compared only when their hash bit was seen before: a row's duplicate
            // check stays near linear instead of comparing every pair of keys.
            const std::uint64_t bit = std::uint64_t(1) << (keyHash(field.key) & 63);
            if (seenKeys & bit) {
                for (std::size_t f = 0; f + 1 < row.fields.size(); ++f)
                    if (row.fields[f].key == field.key)
                        return QStringLiteral("key '%1' appears twice").arg(decodeUtf8(field.key));
            }
            seenKeys |= bit;
            skipSpace();
            if (!peek(':'))
                return at("expected ':'");
            ++mPos;
            skipSpace();
            if (auto error = readValue(field))
                return error;
            skipSpace();
            if (peek(',')) {
                ++mPos;
                continue;
            }
            if (peek('}')) {
                ++mPos;
                break;
            }
            return at("expected ',' or '}'");
        }
    }
    return std::nullopt;
}

std::optional<QString> Reader::readEnd()
{
    skipSpace();
    if (mPos != mText.size())
        return at("unexpected text after the JSON value");
    return std::nullopt;
}

std::optional<QString> Reader::readRow(JsonRow &row)
{
    if (auto error = readObject(row))
        return error;
    return readEnd();
}

std::optional<QString> Reader::readRows(std::vector<JsonRow> &rows, std::size_t maxRows)
{
    skipSpace();
    if (!peek('[')) {
        rows.emplace_back();
        return readRow(rows.back());
    }
    ++mPos;
    skipSpace();
    if (peek(']')) {
        ++mPos;
        return readEnd();
    }
    for (;;) {
        if (rows.size() >= maxRows) {
            mOverLimit = true;
            return QStringLiteral("more than %1 rows").arg(maxRows);
        }
        // Rows of one request mostly have the same keys: room for as many as the last row had.
        const std::size_t keys = rows.empty() ? 0 : rows.back().fields.size();
        rows.emplace_back().fields.reserve(keys);
        if (auto error = readObject(rows.back()))
            return QStringLiteral("%1: %2").arg(requestRowName(rows.size() - 1), *error);
        skipSpace();
        if (peek(',')) {
            ++mPos;
            skipSpace();
            continue;
        }
        if (peek(']')) {
            ++mPos;
            return readEnd();
        }
        return at("expected ',' or ']'");
    }
}

std::optional<QString> Reader::readValue(JsonField &field)
{
    const std::size_t start = mPos;
    std::optional<QString> error;
    if (mPos >= mText.size())
        return at("expected a value");
    switch (mText[mPos]) {
    case '"':
        field.kind = JsonField::Kind::String;
        error = readString(field.text);
        break;
    case '{':
    case '[':
        field.kind = JsonField::Kind::Nested;
        error = skipNested(1);
        break;
    case 't':
        field.kind = JsonField::Kind::Boolean;
        field.boolean = true;
        error = readLiteral("true");
        break;
    case 'f':
        field.kind = JsonField::Kind::Boolean;
        error = readLiteral("false");
        break;
    case 'n':
        field.kind = JsonField::Kind::Null;
        error = readLiteral("null");
        break;
    default:
        field.kind = JsonField::Kind::Number;
        error = readNumber(field);
    }
    field.raw = mText.substr(start, mPos - start);
    return error;
}

std::optional<QString> Reader::readLiteral(std::string_view word)
{
    if (mText.substr(mPos, word.size()) != word)
        return at("invalid literal");
    mPos += word.size();
    return std::nullopt;
}

std::optional<QString> Reader::readNumber(JsonField &field)
{
    if (const std::size_t length = parseJsonNumber(mText.substr(mPos), field.number)) {
        mPos += length;
        if (!std::isfinite(field.number))
            return QStringLiteral("number %1 is out of range").arg(decodeUtf8(mText.substr(mPos - length, length)));
        return std::nullopt;
    }
    return numberError(field);
}

// Not a number by RFC 8259's grammar, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?: the same
// grammar walked again to name where it fails.
std::optional<QString> Reader::numberError(JsonField &field)
{
    const std::size_t start = mPos;
    if (peek('-'))
        ++mPos;
    if (peek('0')) {
        ++mPos;
    } else if (mPos < mText.size() && isDigit(mText[mPos])) {
        while (mPos < mText.size() && isDigit(mText[mPos]))
            ++mPos;
    } else {
        return at("invalid value");
    }
    if (peek('.')) {
        ++mPos;
        if (mPos >= mText.size() || !isDigit(mText[mPos]))
            return at("expected a digit after '.'");
        while (mPos < mText.size() && isDigit(mText[mPos]))
            ++mPos;
    }
    if (peek('e') || peek('E')) {
        ++mPos;
        if (peek('+') || peek('-'))
            ++mPos;
        if (mPos >= mText.size() || !isDigit(mText[mPos]))
            return at("expected a digit in the exponent");
        while (mPos < mText.size() && isDigit(mText[mPos]))
            ++mPos;
    }
    const auto value = parseNumber(mText.substr(start, mPos - start));
    if (!value || !std::isfinite(*value))
        return QStringLiteral("number %1 is out of range").arg(decodeUtf8(mText.substr(start, mPos - start)));
    field.number = *value;
    return std::nullopt;
}

std::optional<QString> Reader::readString(std::string &out)
{
    ++mPos; // the opening quote
    out.clear();
    const std::size_t start = mPos;
    for (;;) {
        std::size_t run = mPos;
        while (run < mText.size() && isPlainJsonStringByte(mText[run]))
            ++run;
        out.append(mText.substr(mPos, run - mPos));
        mPos = run;
        if (mPos >= mText.size())
            return QStringLiteral("a string opened at byte %1 is never closed").arg(start);
        const char c = mText[mPos];
        if (c == '"') {
            ++mPos;
            break;
        }
        if (c != '\\')
            return at("control character inside a string");
        if (auto error = readEscape(out))
            return error;
    }
    if (const auto bad = firstInvalidUtf8(out))
        return QStringLiteral("invalid UTF-8 in a string starting at byte %1").arg(start);
    return std::nullopt;
}

std::optional<QString> Reader::readHex4(std::uint32_t &code)
{
    if (mText.size() - mPos < 4)
        return at("short \\u escape");
    code = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = mText[mPos++];
        code <<= 4;
        if (isDigit(c))
            code |= std::uint32_t(c - '0');
        else if (c >= 'a' && c <= 'f')
            code |= std::uint32_t(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            code |= std::uint32_t(c - 'A' + 10);
        else
            return at("invalid \\u escape");
    }
    return std::nullopt;
}

std::optional<QString> Reader::readEscape(std::string &out)
{
    ++mPos; // the backslash
    if (mPos >= mText.size())
        return at("unfinished escape");
    const char c = mText[mPos++];
    switch (c) {
    case '"':
        out.push_back('"');
        return std::nullopt;
    case '\\':
        out.push_back('\\');
        return std::nullopt;
    case '/':
        out.push_back('/');
        return std::nullopt;
    case 'b':
        out.push_back('\b');
        return std::nullopt;
    case 'f':
        out.push_back('\f');
        return std::nullopt;
    case 'n':
        out.push_back('\n');
        return std::nullopt;
    case 'r':
        out.push_back('\r');
        return std::nullopt;
    case 't':
        out.push_back('\t');
        return std::nullopt;
    case 'u':
        break;
    default:
        return at("invalid escape");
    }
    std::uint32_t code = 0;
    if (auto error = readHex4(code))
        return error;
    if (code >= 0xDC00 && code <= 0xDFFF)
        return at("unpaired low surrogate");
    if (code >= 0xD800 && code <= 0xDBFF) {
        std::uint32_t low = 0;
        if (mText.substr(mPos, 2) != "\\u")
            return at("unpaired high surrogate");
        mPos += 2;
        if (auto error = readHex4(low))
            return error;
        if (low < 0xDC00 || low > 0xDFFF)
            return at("unpaired high surrogate");
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(code, out);
    return std::nullopt;
}

// Skips the object or array at mPos, validating its syntax.
std::optional<QString> Reader::skipNested(int depth)
{
    if (depth > mLimits.maxDepth)
        return QStringLiteral("nesting deeper than %1 levels").arg(mLimits.maxDepth);
    const char close = mText[mPos] == '{' ? '}' : ']';
    ++mPos;
    skipSpace();
    if (peek(close)) {
        ++mPos;
        return std::nullopt;
    }
    std::string scratch;
    for (;;) {
        skipSpace();
        if (close == '}') {
            if (!peek('"'))
                return at("expected a quoted key");
            if (auto error = readString(scratch))
                return error;
            skipSpace();
            if (!peek(':'))
                return at("expected ':'");
            ++mPos;
            skipSpace();
        }
        if (auto error = skipValue(depth))
            return error;
        skipSpace();
        if (peek(',')) {
            ++mPos;
            continue;
        }
        if (peek(close)) {
            ++mPos;
            return std::nullopt;
        }
        return at(close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

std::optional<QString> Reader::skipValue(int depth)
{
    if (peek('{') || peek('['))
        return skipNested(depth + 1);
    JsonField scratch;
    return readValue(scratch);
}

} // namespace

const JsonField *JsonRow::find(std::string_view key, std::size_t expected) const
{
    if (expected < fields.size() && fields[expected].key == key)
        return &fields[expected];
    return find(key);
}

const JsonField *JsonRow::find(std::string_view key) const
{
    for (const JsonField &field : fields)
        if (field.key == key)
            return &field;
    return nullptr;
}

std::optional<QString> readJsonRow(std::string_view line, JsonRow &row, const JsonRowLimits &limits)
{
    row.fields.clear();
    return Reader(line, limits).readRow(row);
}

QString requestRowName(std::size_t index)
{
    return QStringLiteral("row %1 (0-based index in the request's array)").arg(index);
}

std::optional<Error> readJsonRows(std::string_view text, std::vector<JsonRow> &rows, std::size_t maxRows,
                                  const JsonRowLimits &limits)
{
    rows.clear();
    Reader reader(text, limits);
    if (auto reason = reader.readRows(rows, maxRows))
        return Error{*reason, reader.overLimit() ? Error::Kind::TooLarge : Error::Kind::Invalid};
    return std::nullopt;
}

void appendJsonString(std::string_view text, std::string &out)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : text) {
        const auto byte = std::uint8_t(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (byte < 0x20) {
            out.append("\\u00");
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

} // namespace plumb
