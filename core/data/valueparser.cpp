#include "data/valueparser.h"

#include <QStringDecoder>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace plumb {

namespace {

bool equalsIgnoringCase(std::string_view text, std::string_view lowerWord)
{
    if (text.size() != lowerWord.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != lowerWord[i])
            return false;
    }
    return true;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at text[pos] into value.
bool readDigits(std::string_view text, std::size_t &pos, int count, int &value)
{
    if (pos + std::size_t(count) > text.size())
        return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
        const char c = text[pos + std::size_t(i)];
        if (!isDigit(c))
            return false;
        value = value * 10 + (c - '0');
    }
    pos += std::size_t(count);
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", days_from_civil).
std::int64_t daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const unsigned yearOfEra = unsigned(year - era * 400);
    const unsigned dayOfYear = unsigned((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + std::int64_t(dayOfEra) - 719468;
}

int daysInMonth(int year, int month)
{
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[std::size_t(month - 1)];
}

// Parses a zone suffix at text[pos..]; sets offsetSeconds (east of UTC positive).
bool parseZone(std::string_view text, std::size_t pos, int &offsetSeconds)
{
    offsetSeconds = 0;
    if (pos == text.size())
        return true;
    if (text[pos] == 'Z' || text[pos] == 'z')
        return pos + 1 == text.size();
    if (text[pos] != '+' && text[pos] != '-')
        return false;
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int hours = 0, minutes = 0;
    if (!readDigits(text, pos, 2, hours) || hours > 23)
        return false;
    if (pos < text.size() && text[pos] == ':')
        ++pos;
    if (pos < text.size() && (!readDigits(text, pos, 2, minutes) || minutes > 59))
        return false;
    offsetSeconds = sign * (hours * 3600 + minutes * 60);
    return pos == text.size();
}

} // namespace

std::string_view trimSpaces(std::string_view field)
{
    std::size_t begin = 0, end = field.size();
    while (begin < end && (field[begin] == ' ' || field[begin] == '\t'))
        ++begin;
    while (end > begin && (field[end - 1] == ' ' || field[end - 1] == '\t'))
        --end;
    return field.substr(begin, end - begin);
}

bool isMissingToken(std::string_view field)
{
    field = trimSpaces(field);
    switch (field.size()) {
    case 0:
        return true;
    case 1:
        return field[0] == '?';
    case 2:
        return field == "NA" || field == "na";
    case 3:
        return field == "N/A" || field == "n/a" || field == "NaN" || field == "nan" || field == "NAN" || field == "#NA";
    case 4:
        return field == "null" || field == "NULL" || field == "Null" || field == "None" || field == "-nan" || field == "-NaN"
            || field == "#N/A" || field == "<NA>";
    case 6:
        return field == "1.#IND";
    case 7:
        return field == "-1.#IND" || field == "1.#QNAN";
    case 8:
        return field == "#N/A N/A" || field == "-1.#QNAN";
    default:
        return false;
    }
}

namespace {

// Powers of ten exactly representable as doubles (10^22 is the largest).
constexpr std::array<double, 23> kExactPowersOfTen{1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Eight ASCII bytes tested at once (SWAR, as in D. Lemire's fast_float): zero when all eight are
// digits; otherwise the lowest non-zero byte is the first non-digit (a carry or borrow only moves
// towards later bytes, which come after it).
[[gnu::always_inline]] inline std::uint64_t nonDigitBytes(std::uint64_t bytes)
{
    return ((bytes & 0xF0F0F0F0F0F0F0F0) | (((bytes + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) ^ 0x3333333333333333;
}

// The value of eight digits already minus '0', the first digit in the lowest byte.
[[gnu::always_inline]] inline std::uint64_t eightDigitValue(std::uint64_t bytes)
{
    bytes = (bytes * 10) + (bytes >> 8); // pairs of digits
    constexpr std::uint64_t kMask = 0x000000FF000000FF;
    constexpr std::uint64_t kHigh = 100 + (std::uint64_t(1000000) << 32);
    constexpr std::uint64_t kLow = 1 + (std::uint64_t(10000) << 32);
    return (((bytes & kMask) * kHigh) + (((bytes >> 16) & kMask) * kLow)) >> 32;
}

// Eight ASCII digits at once: true when all eight bytes are digits, and then their value.
[[gnu::always_inline]] inline bool eightDigits(const char *text, std::uint64_t &value)
{
    std::uint64_t bytes;
    std::memcpy(&bytes, text, sizeof bytes);
    if (nonDigitBytes(bytes) != 0)
        return false;
    value = eightDigitValue(bytes - 0x3030303030303030);
    return true;
}

// Reads the run of digits at `at` into significand (times ten per digit, wrapping past 19
// digits) and returns where the run ends. Eight bytes at a time while eight remain: the first
// non-digit is found from nonDigitBytes, and the digits before it are shifted to the top so that
// the bytes after them drop out and zeros lead.
const char *readDigitRun(const char *at, const char *end, std::uint64_t &significand)
{
    static constexpr std::array<std::uint64_t, 8> kPowers{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    while (end - at >= 8) {
        std::uint64_t bytes;
        std::memcpy(&bytes, at, sizeof bytes);
        const std::uint64_t test = nonDigitBytes(bytes);
        const int run = test == 0 ? 8 : std::countr_zero(test) / 8;
        if (run == 0)
            return at;
        const std::uint64_t values = bytes - 0x3030303030303030;
        if (run == 8) {
            significand = significand * 100000000 + eightDigitValue(values);
            at += 8;
            continue;
        }
        significand = significand * kPowers[std::size_t(run)] + eightDigitValue(values << (8 * (8 - run)));
        return at + run;
    }
    for (; at < end && isDigit(*at); ++at)
        significand = significand * 10 + std::uint64_t(*at - '0');
    return at;
}

// Appends the digits at body[i..] to significand, counting them; stops at the first non-digit.
[[gnu::always_inline]] inline void readSignificandDigits(std::string_view body, std::size_t &i, std::uint64_t &significand,
                                                         int &digits)
{
    std::uint64_t eight = 0;
    while (i + 8 <= body.size() && digits + 8 <= 19 && eightDigits(body.data() + i, eight)) {
        significand = significand * 100000000 + eight;
        digits += 8;
        i += 8;
    }
    for (; i < body.size() && isDigit(body[i]); ++i, ++digits)
        significand = significand * 10 + std::uint64_t(body[i] - '0');
}

// Clinger's fast path (W. D. Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990):
// when the decimal significand fits in 53 bits and the power of ten is exact, one IEEE multiply
// or divide of two exact doubles gives the correctly rounded value of significand * 10^exponent.
// Returns false when the number needs the full algorithm (std::from_chars).
bool exactDecimal(std::uint64_t significand, int exponent, double &value)
{
    if (significand > (std::uint64_t(1) << 53))
        return false;
    if (exponent >= 0 && exponent <= 22)
        value = double(significand) * kExactPowersOfTen[std::size_t(exponent)];
    else if (exponent < 0 && exponent >= -22)
        value = double(significand) / kExactPowersOfTen[std::size_t(-exponent)];
    else
        return false;
    return true;
}

// A CSV number's body (no sign, no spaces) by exactDecimal; false when it needs std::from_chars.
bool parseDecimalFast(std::string_view body, double &value, bool &plainInteger)
{
    std::uint64_t significand = 0;
    int digits = 0; // significant digits taken into `significand`
    int exponent = 0; // power of ten applied to `significand`
    std::size_t i = 0;
    const std::size_t size = body.size();
    std::size_t zeros = 0; // leading zeros, which add no significant digit
    for (; i < size && body[i] == '0'; ++i)
        ++zeros;
    readSignificandDigits(body, i, significand, digits);
    plainInteger = i == size && size > 0;
    if (i < size && body[i] == '.') {
        ++i;
        if (significand == 0)
            for (; i < size && body[i] == '0'; ++i, --exponent)
                ++zeros;
        const int before = digits;
        readSignificandDigits(body, i, significand, digits);
        exponent -= digits - before;
    }
    if (digits == 0 && zeros == 0)
        return false;
    if (i < size && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < size && (body[i] == '+' || body[i] == '-'))
            negative = body[i++] == '-';
        int written = 0, parsed = 0;
        for (; i < size && isDigit(body[i]) && parsed < 6; ++i, ++parsed)
            written = written * 10 + (body[i] - '0');
        if (parsed == 0 || parsed == 6)
            return false;
        exponent += negative ? -written : written;
    }
    if (i != size || digits > 19)
        return false;
    return exactDecimal(significand, exponent, value);
}

std::optional<double> parseDecimalSlow(std::string_view body)
{
    double value = 0;
    const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
    if (end != body.data() + body.size())
        return std::nullopt;
    if (error == std::errc::result_out_of_range) {
        // from_chars leaves value untouched on overflow and underflow; pick the rounded result.
        const auto exponentAt = body.find_first_of("eE");
        const bool tiny = exponentAt != std::string_view::npos && body.find('-', exponentAt) != std::string_view::npos;
        return tiny ? 0.0 : HUGE_VAL;
    }
    if (error != std::errc())
        return std::nullopt;
    return value;
}

} // namespace

std::optional<double> parseNumber(std::string_view field, bool *isInteger)
{
    field = trimSpaces(field);
    if (field.empty())
        return std::nullopt;
    // from_chars takes no leading '+'; a sign followed by another sign is not a number.
    bool negative = false;
    std::string_view body = field;
    if (body[0] == '+' || body[0] == '-') {
        negative = body[0] == '-';
        body.remove_prefix(1);
        if (body.empty())
            return std::nullopt;
    }
    const char first = body[0];
    double value = 0;
    bool plainInteger = false;
    if (isDigit(first) || first == '.') {
        if (!parseDecimalFast(body, value, plainInteger)) {
            // Reject what from_chars would read but CSV users never mean as numbers: hex floats.
            if (body.size() > 1 && (body[1] == 'x' || body[1] == 'X'))
                return std::nullopt;
            const auto slow = parseDecimalSlow(body);
            if (!slow)
                return std::nullopt;
            value = *slow;
            // The fast path takes every integer exact in a double; one that needed the full
            // algorithm was rounded, so it is not an integer column's value.
            plainInteger = false;
        }
    } else if (equalsIgnoringCase(body, "inf") || equalsIgnoringCase(body, "infinity")) {
        value = HUGE_VAL;
    } else {
        return std::nullopt;
    }
    if (isInteger)
        *isInteger = plainInteger;
    return negative ? -value : value;
}

std::optional<double> parseNumberWithDecimalComma(std::string_view field, bool *isInteger)
{
    field = trimSpaces(field);
    const std::size_t comma = field.find(',');
    if (comma == std::string_view::npos)
        return field.find('.') == std::string_view::npos ? parseNumber(field, isInteger) : std::nullopt;
    if (field.find('.') != std::string_view::npos || field.find(',', comma + 1) != std::string_view::npos)
        return std::nullopt;
    // The same text with a decimal point goes through parseNumber, so the double is the one '.'
    // gives: correctly rounded by the same code. Fields longer than the buffer are rare (only
    // long digit strings), and they get a heap copy.
    std::array<char, 64> buffer;
    std::string longField;
    char *copy = buffer.data();
    if (field.size() > buffer.size()) {
        longField.assign(field);
        copy = longField.data();
    } else {
        std::memcpy(copy, field.data(), field.size());
    }
    copy[comma] = '.';
    return parseNumber(std::string_view(copy, field.size()), isInteger);
}

std::size_t parseJsonNumber(std::string_view text, double &value)
{
    const char *const begin = text.data(), *const end = begin + text.size();
    const char *at = begin;
    const bool negative = at < end && *at == '-';
    at += negative;
    std::uint64_t significand = 0; // wraps when more than 19 digits: then unused
    const char *const first = at;
    if (at < end && *at == '0')
        ++at;
    else
        at = readDigitRun(at, end, significand);
    if (at == first)
        return 0;
    std::ptrdiff_t digits = at - first; // a lone leading 0 counted too: only ever more careful
    int exponent = 0;
    if (at < end && *at == '.') {
        const char *const fraction = ++at;
        if ((at = readDigitRun(at, end, significand)) == fraction)
            return 0;
        digits += at - fraction;
        exponent = -int(std::min<std::ptrdiff_t>(at - fraction, 100000));
    }
    bool exact = digits <= 19;
    if (at < end && (*at == 'e' || *at == 'E')) {
        ++at;
        const bool down = at < end && *at == '-';
        at += at < end && (*at == '-' || *at == '+');
        if (at == end || !isDigit(*at))
            return 0;
        int written = 0;
        for (; at < end && isDigit(*at); ++at)
            written = std::min(written * 10 + (*at - '0'), 100000);
        exact = exact && written < 100000;
        exponent += down ? -written : written;
    }
    const std::size_t length = std::size_t(at - begin);
    double magnitude = 0;
    if (exact && exactDecimal(significand, exponent, magnitude))
        value = negative ? -magnitude : magnitude;
    else
        value = *parseNumber(text.substr(0, length)); // a JSON number is always a CSV number
    return length;
}

std::optional<bool> parseBoolean(std::string_view field, bool lenient)
{
    field = trimSpaces(field);
    if (equalsIgnoringCase(field, "true"))
        return true;
    if (equalsIgnoringCase(field, "false"))
        return false;
    if (!lenient)
        return std::nullopt;
    if (equalsIgnoringCase(field, "yes") || equalsIgnoringCase(field, "y") || equalsIgnoringCase(field, "t") || field == "1")
        return true;
    if (equalsIgnoringCase(field, "no") || equalsIgnoringCase(field, "n") || equalsIgnoringCase(field, "f") || field == "0")
        return false;
    return std::nullopt;
}

std::optional<double> parseDatetime(std::string_view field)
{
    const std::string_view text = trimSpaces(field);
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0;
    if (!readDigits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' || !readDigits(text, pos, 2, month)
        || pos >= text.size() || text[pos++] != '-' || !readDigits(text, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return std::nullopt;
    double seconds = double(daysFromCivil(year, month, day)) * 86400.0;
    if (pos == text.size())
        return seconds;
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')
        return std::nullopt;
    ++pos;
    int hour = 0, minute = 0, second = 0;
    if (!readDigits(text, pos, 2, hour) || hour > 23 || pos >= text.size() || text[pos++] != ':'
        || !readDigits(text, pos, 2, minute) || minute > 59)
        return std::nullopt;
    double fraction = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!readDigits(text, pos, 2, second) || second > 60)
            return std::nullopt;
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            double scale = 0.1;
            const std::size_t firstDigit = pos;
            for (; pos < text.size() && isDigit(text[pos]); ++pos, scale /= 10)
                fraction += (text[pos] - '0') * scale;
            if (pos == firstDigit)
                return std::nullopt;
        }
    }
    int zoneOffset = 0;
    if (!parseZone(text, pos, zoneOffset))
        return std::nullopt;
    seconds += hour * 3600.0 + minute * 60.0 + second + fraction - zoneOffset;
    return seconds;
}

QString decodeUtf8(std::string_view text)
{
    // QString::fromUtf8 drops a leading U+FEFF; a field's bytes must come through unchanged.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(QByteArrayView(text.data(), qsizetype(text.size())));
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return i;
        }
        if (i + length > size)
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80)
                return i;
            codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
        }
        static constexpr std::array<std::uint32_t, 5> kMinimum{0, 0, 0x80, 0x800, 0x10000};
        if (codePoint < kMinimum[length] || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return i;
        i += length;
    }
    return std::nullopt;
}

} // namespace plumb
