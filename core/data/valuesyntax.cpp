#include "data/valuesyntax.h"

#include <algorithm>

namespace plumb {

MissingTokens::MissingTokens(const QStringList &extra, bool keepDefaults) : mKeepDefaults(keepDefaults)
{
    for (const QString &token : extra) {
        const QString trimmed = token.trimmed();
        if (trimmed.isEmpty() || mExtraText.contains(trimmed))
            continue;
        mExtraText.append(trimmed);
        mExtra.push_back(trimmed.toStdString());
    }
    mDefaultsOnly = mKeepDefaults && mExtra.empty();
}

bool MissingTokens::matchesGiven(std::string_view field) const
{
    if (mKeepDefaults && isMissingToken(field))
        return true;
    field = trimSpaces(field);
    return field.empty() || std::find(mExtra.begin(), mExtra.end(), field) != mExtra.end();
}

bool MissingTokens::isDefaultOnly(std::string_view field) const
{
    if (!mKeepDefaults || !isMissingToken(field))
        return false;
    field = trimSpaces(field);
    return std::find(mExtra.begin(), mExtra.end(), field) == mExtra.end();
}

QStringList MissingTokens::defaultTokens()
{
    // The tokens isMissingToken() reads as missing, pandas' first, then Plumb's own.
    return {QString(),
            QStringLiteral("#N/A"),
            QStringLiteral("#N/A N/A"),
            QStringLiteral("#NA"),
            QStringLiteral("-1.#IND"),
            QStringLiteral("-1.#QNAN"),
            QStringLiteral("-NaN"),
            QStringLiteral("-nan"),
            QStringLiteral("1.#IND"),
            QStringLiteral("1.#QNAN"),
            QStringLiteral("<NA>"),
            QStringLiteral("N/A"),
            QStringLiteral("NA"),
            QStringLiteral("NULL"),
            QStringLiteral("NaN"),
            QStringLiteral("None"),
            QStringLiteral("n/a"),
            QStringLiteral("nan"),
            QStringLiteral("null"),
            QStringLiteral("?"),
            QStringLiteral("na"),
            QStringLiteral("NAN"),
            QStringLiteral("Null")};
}

namespace {

// A word's shape: each capital 'A', each digit '9', a run of other letters 'a', anything else
// itself. "None" and "Freq" are "Aa", "NA" and "EU" are "AA", "n/a" is "a/a".
QString shapeOf(const QString &text)
{
    QString shape;
    for (const QChar c : text) {
        const QChar mark = c.isUpper() ? QLatin1Char('A') : c.isDigit() ? QLatin1Char('9') : c.isLetter() ? QLatin1Char('a') : c;
        if (mark == QLatin1Char('a') && shape.endsWith(mark))
            continue;
        shape.append(mark);
    }
    return shape;
}

} // namespace

std::optional<QString> categoryAlike(const QString &token, const QStringList &categories)
{
    if (categories.isEmpty() || categories.size() > kFewCategories)
        return std::nullopt;
    const QString shape = shapeOf(token);
    for (const QString &category : categories)
        if (shapeOf(category) == shape)
            return category;
    return std::nullopt;
}

} // namespace plumb
