#pragma once

#include "data/valueparser.h"

#include <QStringList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plumb {

// Which field values read as missing, as pandas' read_csv decides it with na_values and
// keep_default_na: the default tokens (isMissingToken) unless turned off, plus extra tokens
// matched exactly (letter case included, surrounding spaces ignored). The empty field is always
// missing. Default-constructed: the default tokens only.
class MissingTokens
{
public:
    MissingTokens() = default;
    // `extra` tokens are added to the defaults, or replace them when `keepDefaults` is false.
    // Empty and blank tokens in `extra` are ignored (the empty field is missing anyway).
    MissingTokens(const QStringList &extra, bool keepDefaults);

    bool matches(std::string_view field) const
    {
        if (mDefaultsOnly)
            return isMissingToken(field);
        return matchesGiven(field);
    }

    // True when `field` is missing only because it is a default token: the user did not list it.
    bool isDefaultOnly(std::string_view field) const;

    bool keepsDefaults() const { return mKeepDefaults; }
    const QStringList &extraTokens() const { return mExtraText; }

    // The default tokens, for documentation and the Data view ("" is the empty field).
    static QStringList defaultTokens();

private:
    bool matchesGiven(std::string_view field) const;

    bool mDefaultsOnly = true;
    bool mKeepDefaults = true;
    QStringList mExtraText;
    std::vector<std::string> mExtra; // UTF-8, trimmed
};

// How a file spells values: its decimal mark ('.' or ',') and its missing-value tokens. Every
// reader of CSV fields (CsvReader, batch scoring) parses numbers and recognises missing values
// through one of these, so a file reads the same way wherever it is read.
class ValueSyntax
{
public:
    ValueSyntax() = default;
    ValueSyntax(char decimal, MissingTokens missing) : mDecimal(decimal == ',' ? ',' : '.'), mMissing(std::move(missing)) { }

    char decimal() const { return mDecimal; }
    const MissingTokens &missingTokens() const { return mMissing; }

    // parseNumber, or parseNumberWithDecimalComma when the decimal mark is ','.
    std::optional<double> parseNumber(std::string_view field, bool *isInteger = nullptr) const
    {
        return mDecimal == '.' ? plumb::parseNumber(field, isInteger) : parseNumberWithDecimalComma(field, isInteger);
    }
    bool isMissing(std::string_view field) const { return mMissing.matches(field); }

private:
    char mDecimal = '.';
    MissingTokens mMissing;
};

// When `token` (a missing-value token met in a categorical column) is shaped like one of the
// column's `categories` — the same run of capitals, lower-case letters, digits and punctuation, so
// "None" like "Some" and "NA" like "EU", but "NA" unlike "Metric" — returns the first such
// category. A column with more than kFewCategories categories never matches: the token is then
// unlikely to be one of its levels. Used to warn that a default token may have been a category.
constexpr qsizetype kFewCategories = 20;
std::optional<QString> categoryAlike(const QString &token, const QStringList &categories);

} // namespace plumb
