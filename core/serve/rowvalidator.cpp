#include "serve/rowvalidator.h"

#include "data/valueparser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace plumb {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr int kShownChars = 40;

bool readsCategories(ColumnType type) { return type == ColumnType::Categorical; }

// A field quoted for a message, cut to a readable length.
QString shown(std::string_view field)
{
    QString text = decodeUtf8(field.substr(0, std::min<std::size_t>(field.size(), 4 * kShownChars)));
    if (text.size() > kShownChars)
        text = text.left(kShownChars) + QStringLiteral("...");
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

const char *jsonKindName(JsonField::Kind kind)
{
    switch (kind) {
    case JsonField::Kind::Null: return "null";
    case JsonField::Kind::Boolean: return "a boolean";
    case JsonField::Kind::Number: return "a number";
    case JsonField::Kind::String: return "a string";
    case JsonField::Kind::Nested: return "an object or array";
    }
    return "a value";
}

} // namespace

RowValidator::RowValidator(const Pipeline &pipeline, ValueSyntax syntax)
    : mFeatures(pipeline.features()), mSyntax(std::move(syntax))
{
    const bool modelTakesMissing = pipeline.model().inputNeeds().missingAllowed;
    for (const FeatureSpec &feature : mFeatures) {
        mNames.push_back(feature.name.toStdString());
        bool imputed = modelTakesMissing || readsCategories(feature.type) || feature.type == ColumnType::Boolean;
        for (const RouterBranch &branch : pipeline.router().branches()) {
            if (!branch.columns.contains(feature.name))
                continue;
            for (const auto &step : branch.steps)
                imputed = imputed || step->kind() == QLatin1String("simple_imputer");
        }
        mAcceptsMissing.push_back(imputed);
    }
    std::set<std::string_view> distinct;
    for (const std::string &name : mNames) {
        mPlainJsonKeys = mPlainJsonKeys && std::ranges::all_of(name, isPlainJsonStringByte);
        mPlainJsonKeys = mPlainJsonKeys && !firstInvalidUtf8(name) && distinct.insert(name).second;
    }
}

Result<std::vector<std::size_t>> RowValidator::bindColumns(const QStringList &columns) const
{
    std::vector<std::size_t> positions;
    for (const FeatureSpec &feature : mFeatures) {
        const qsizetype at = columns.indexOf(feature.name);
        if (at < 0)
            return Error::invalid(QStringLiteral("the input has no column '%1', which the model needs").arg(feature.name));
        positions.push_back(std::size_t(at));
    }
    return positions;
}

std::optional<QString> RowValidator::missing(std::size_t feature, FeatureValue &out) const
{
    out = {kMissing, {}, true};
    if (mAcceptsMissing[feature])
        return std::nullopt;
    return QStringLiteral("column '%1' is missing, and the model has no way to fill it in").arg(mFeatures[feature].name);
}

std::optional<QString> RowValidator::checkNumber(std::size_t feature, double value, FeatureValue &out) const
{
    if (std::isinf(value))
        return QStringLiteral("column '%1': infinite values are not allowed").arg(mFeatures[feature].name);
    out = {value, {}, false};
    return std::nullopt;
}

std::optional<QString> RowValidator::readField(std::size_t feature, std::string_view field, FeatureValue &out) const
{
    const FeatureSpec &spec = mFeatures[feature];
    switch (spec.type) {
    case ColumnType::Float:
    case ColumnType::Integer:
        if (const auto value = mSyntax.parseNumber(field))
            return checkNumber(feature, *value, out);
        break;
    case ColumnType::Boolean:
        if (const auto value = parseBoolean(field, true)) {
            out = {*value ? 1.0 : 0.0, {}, false};
            return std::nullopt;
        }
        break;
    case ColumnType::Datetime:
        if (const auto value = parseDatetime(field)) {
            out = {*value, {}, false};
            return std::nullopt;
        }
        break;
    case ColumnType::Categorical:
        if (mSyntax.isMissing(field))
            return missing(feature, out);
        if (firstInvalidUtf8(field))
            return QStringLiteral("column '%1': invalid UTF-8").arg(spec.name);
        out = {0, field, false};
        return std::nullopt;
    }
    if (mSyntax.isMissing(field))
        return missing(feature, out);
    return QStringLiteral("column '%1': %2 is not %3").arg(spec.name, shown(field),
        spec.type == ColumnType::Boolean ? QStringLiteral("true or false")
        : spec.type == ColumnType::Datetime ? QStringLiteral("an ISO 8601 date or time") : QStringLiteral("a number"));
}

std::optional<QString> RowValidator::readJson(std::size_t feature, const JsonField *field, FeatureValue &out) const
{
    const FeatureSpec &spec = mFeatures[feature];
    if (!field)
        return QStringLiteral("no column '%1', which the model needs").arg(spec.name);
    using Kind = JsonField::Kind;
    if (field->kind == Kind::Null)
        return missing(feature, out);
    const char *expected = "a number";
    switch (spec.type) {
    case ColumnType::Float:
    case ColumnType::Integer:
        if (field->kind == Kind::Number)
            return checkNumber(feature, field->number, out);
        break;
    case ColumnType::Boolean:
        expected = "true or false";
        if (field->kind == Kind::Boolean) {
            out = {field->boolean ? 1.0 : 0.0, {}, false};
            return std::nullopt;
        }
        break;
    case ColumnType::Datetime:
        expected = "an ISO 8601 string or seconds since 1970";
        if (field->kind == Kind::Number)
            return checkNumber(feature, field->number, out);
        if (field->kind == Kind::String) {
            if (const auto value = parseDatetime(field->text)) {
                out = {*value, {}, false};
                return std::nullopt;
            }
            return QStringLiteral("column '%1': %2 is not an ISO 8601 date or time").arg(spec.name, shown(field->text));
        }
        break;
    case ColumnType::Categorical:
        expected = "a string";
        if (field->kind == Kind::String) {
            out = {0, field->text, false};
            return std::nullopt;
        }
        break;
    }
    return QStringLiteral("column '%1' must be %2, not %3")
        .arg(spec.name, QLatin1String(expected), QLatin1String(jsonKindName(field->kind)));
}

std::optional<QString> RowValidator::readJsonRow(const JsonRow &row, std::vector<FeatureValue> &values) const
{
    values.resize(mFeatures.size());
    for (std::size_t f = 0; f < mFeatures.size(); ++f)
        if (auto reason = readJson(f, row.find(mNames[f], f), values[f]))
            return reason;
    return std::nullopt;
}

} // namespace plumb
