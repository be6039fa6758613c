#pragma once

#include <QString>

#include <optional>
#include <string_view>

namespace plumb {

// Parsers for single CSV field values (UTF-8 bytes, already unquoted). They accept surrounding
// ASCII spaces and never allocate.

// True for the default tokens read as a missing value (surrounding spaces ignored): pandas'
// read_csv defaults — empty, #N/A, #N/A N/A, #NA, -1.#IND, -1.#QNAN, -NaN, -nan, 1.#IND,
// 1.#QNAN, <NA>, N/A, NA, NULL, NaN, None, n/a, nan, null — and ?, na, NAN, Null, which Plumb has
// always read as missing (? is the UCI repository's marker). See MissingTokens to change them.
bool isMissingToken(std::string_view field);

// A decimal number: optional sign, digits, optional fraction and exponent, or inf/infinity.
// Correctly rounded to the nearest double (std::from_chars). `isInteger` is set when the token
// is a plain integer whose magnitude is at most 2^53, so it is exact as a double.
std::optional<double> parseNumber(std::string_view field, bool *isInteger = nullptr);

// parseNumber for numbers written with a decimal comma ("2,62", "-1,5e3"): the same double as
// parseNumber gives for the text with '.' in place of ','. No thousands separator is read: a field
// holding a '.' or more than one ',' is not a number (so "1.234,5" and "1.234" are refused, never
// read as 1234.5 or 1.234).
std::optional<double> parseNumberWithDecimalComma(std::string_view field, bool *isInteger = nullptr);

// Reads the JSON number (RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?) at the start of
// `text` and returns how many bytes it took, or 0 when `text` does not start with one. `value` is
// the same double as std::from_chars gives (correctly rounded; beyond the double range, +-HUGE_VAL
// or +-0 as parseNumber gives): the common shape (up to 19 significant digits and a power of ten
// up to 22) in one pass, the others through parseNumber. Stops at the first byte that cannot
// continue the number; the caller checks what follows.
std::size_t parseJsonNumber(std::string_view text, double &value);

// true/false in any letter case. With `lenient`, also yes/no, y/n, t/f and 1/0 (used when the user
// declares a column boolean).
std::optional<bool> parseBoolean(std::string_view field, bool lenient = false);

// ISO 8601: YYYY-MM-DD, optionally followed by 'T' or ' ' and HH:MM[:SS[.fraction]] and a zone
// (Z, +HH:MM, +HHMM, +HH). Without a zone the time is taken as UTC.
// Returns seconds since 1970-01-01T00:00:00Z.
std::optional<double> parseDatetime(std::string_view field);

// Removes leading and trailing ASCII spaces and tabs.
std::string_view trimSpaces(std::string_view field);

// Decodes UTF-8 exactly, keeping a leading U+FEFF (which QString::fromUtf8 would drop).
QString decodeUtf8(std::string_view text);

// Byte index of the first invalid UTF-8 sequence in `text`, or std::nullopt when it is valid.
// Overlong forms, surrogates and code points above U+10FFFF are invalid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

} // namespace plumb
