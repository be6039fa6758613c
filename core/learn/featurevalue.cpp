#include "learn/featurevalue.h"

#include "data/valueparser.h"

#include <cmath>
#include <limits>

namespace plumb {

FeatureReading readFeatureText(ColumnType type, std::string_view text, const ValueSyntax &syntax, FeatureValue &out)
{
    switch (type) {
    case ColumnType::Float:
    case ColumnType::Integer:
        if (const auto value = syntax.parseNumber(text)) {
            if (std::isinf(*value))
                return FeatureReading::Infinite;
            out = {*value, {}, false};
            return FeatureReading::Value;
        }
        break;
    case ColumnType::Boolean:
        if (const auto value = parseBoolean(text, true)) {
            out = {*value ? 1.0 : 0.0, {}, false};
            return FeatureReading::Value;
        }
        break;
    case ColumnType::Datetime:
        if (const auto value = parseDatetime(text)) {
            out = {*value, {}, false};
            return FeatureReading::Value;
        }
        break;
    case ColumnType::Categorical:
        if (syntax.isMissing(text))
            break;
        if (firstInvalidUtf8(text))
            return FeatureReading::InvalidUtf8;
        out = {0, text, false};
        return FeatureReading::Value;
    }
    // A token that reads as a value (pandas reads "nan" as a number) is that value; the others
    // are missing when they are missing tokens.
    if (!syntax.isMissing(text))
        return FeatureReading::NotAValue;
    out = {std::numeric_limits<double>::quiet_NaN(), {}, true};
    return FeatureReading::Missing;
}

QString featureValueKind(ColumnType type)
{
    switch (type) {
    case ColumnType::Boolean:
        return QStringLiteral("true or false");
    case ColumnType::Datetime:
        return QStringLiteral("an ISO 8601 date or time");
    case ColumnType::Categorical:
        return QStringLiteral("text");
    case ColumnType::Float:
    case ColumnType::Integer:
        break;
    }
    return QStringLiteral("a number");
}

} // namespace plumb
