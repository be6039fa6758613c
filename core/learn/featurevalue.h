#pragma once

#include "data/columntype.h"
#include "data/valuesyntax.h"

#include <string_view>

namespace plumb {

// One feature's value of a row: a number (NaN = missing) for numeric, boolean and datetime
// features; UTF-8 text (empty view with isMissing = missing) for categorical ones.
struct FeatureValue
{
    double number = 0;
    std::string_view text;
    bool isMissing = false;
};

// How a text value stands for a feature, as readFeatureText() found it.
enum class FeatureReading {
    Value, // `out` holds the value
    Missing, // a missing-value token (or the empty text); `out` is missing
    NotAValue, // not a value of the feature's type ("abc" for a number)
    Infinite, // a number feature given an infinite number
    InvalidUtf8, // a categorical value that is not valid UTF-8
};

// Reads one value written as text (a CSV field already unquoted, a field of the scoring form, a
// string typed for a row) as a feature of `type` takes it: numbers with `syntax`'s decimal mark
// for float and integer features, true/false (and the lenient spellings parseBoolean reads) for
// booleans, ISO 8601 for datetimes, the text itself for categories; `syntax`'s missing tokens
// read as missing. The one reading of values behind batch scoring, the scoring service, the
// one-row scorer and the scoring form, so that a value is valid in all of them or in none.
// `out.text` points into `text`.
FeatureReading readFeatureText(ColumnType type, std::string_view text, const ValueSyntax &syntax, FeatureValue &out);

// What a feature of `type` takes, for messages: "a number", "true or false", "an ISO 8601 date
// or time", "text".
QString featureValueKind(ColumnType type);

} // namespace plumb
