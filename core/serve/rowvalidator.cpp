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
    case JsonField::Kind::Null:
        return "null";
    case JsonField::Kind::Boolean:
        return "a boolean";
    case JsonField::Kind::Number:
        return "a number";
    case JsonField::Kind::String:
        return "a string";
    case JsonField::Kind::Nested:
        return "an object or array";
    }
    return "a value";
}

} // namespace

RowValidator::RowValidator(const Pipeline &pipeline, ValueSyntax syntax, bool positionalFeatures)
    : mFeatures(pipeline.features()), mSyntax(std::move(syntax)), mPositional(positionalFeatures)
{
    for (std::size_t f = 0; f < mFeatures.size(); ++f) {
        mNames.push_back(mFeatures[f].name.toStdString());
        mAcceptsMissing.push_back(pipeline.acceptsMissing(f));
    }
    std::set<std::string_view> distinct;
    for (const std::string &name : mNames) {
        mPlainJsonKeys = mPlainJsonKeys && std::ranges::all_of(name, isPlainJsonStringByte);
        mPlainJsonKeys = mPlainJsonKeys && !firstInvalidUtf8(name) && distinct.insert(name).second;
    }
}

QString RowValidator::positionalRange() const
{
    return mFeatures.size() == 1 ? mFeatures.front().name
                                 : QStringLiteral("%1..%2").arg(mFeatures.front().name, mFeatures.back().name);
}

QString RowValidator::positionalNotice(const QString &what) const
{
    return QStringLiteral("model features are positional (%1); scoring %2 by position").arg(positionalRange(), what);
}

bool RowValidator::readsByPosition(const QStringList &columns) const
{
    if (!mPositional || std::size_t(columns.size()) != mFeatures.size())
        return false;
    return std::ranges::none_of(mFeatures, [&](const FeatureSpec &feature) { return columns.contains(feature.name); });
}

Result<ColumnBinding> RowValidator::bindColumns(const QStringList &columns) const
{
    ColumnBinding binding;
    if (readsByPosition(columns)) {
        for (std::size_t f = 0; f < mFeatures.size(); ++f)
            binding.positions.push_back(f);
        binding.byPosition = true;
        binding.notice = positionalNotice(QStringLiteral("columns ") + columns.join(QLatin1Char(',')));
        return binding;
    }
    for (const FeatureSpec &feature : mFeatures) {
        const qsizetype at = columns.indexOf(feature.name);
        if (at >= 0) {
            binding.positions.push_back(std::size_t(at));
            continue;
        }
        QString message = QStringLiteral("the input has no column '%1', which the model needs").arg(feature.name);
        if (mPositional)
            message += QStringLiteral("; the model's features are positional (%1): an input of exactly %2 columns, none named "
                                      "like a feature, is scored by position, and this one has %3")
                           .arg(positionalRange())
                           .arg(mFeatures.size())
                           .arg(columns.size());
        return Error::invalid(message);
    }
    return binding;
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
    switch (readFeatureText(spec.type, field, mSyntax, out)) {
    case FeatureReading::Value:
        return std::nullopt;
    case FeatureReading::Missing:
        return missing(feature, out);
    case FeatureReading::Infinite:
        return QStringLiteral("column '%1': infinite values are not allowed").arg(spec.name);
    case FeatureReading::InvalidUtf8:
        return QStringLiteral("column '%1': invalid UTF-8").arg(spec.name);
    case FeatureReading::NotAValue:
        break;
    }
    return QStringLiteral("column '%1': %2 is not %3").arg(spec.name, shown(field), featureValueKind(spec.type));
}

std::optional<QString> RowValidator::readJson(std::size_t feature, const JsonField *field, FeatureValue &out) const
{
    const FeatureSpec &spec = mFeatures[feature];
    if (!field) { // an omitted feature is a missing one, as MLflow treats optional columns
        out = {kMissing, {}, true};
        if (mAcceptsMissing[feature])
            return std::nullopt;
        return QStringLiteral("no column '%1', which the model needs").arg(spec.name);
    }
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

std::optional<QString> RowValidator::readJsonRow(const JsonRow &row, std::vector<FeatureValue> &values, bool *byPosition) const
{
    values.resize(mFeatures.size());
    bool positional = false;
    if (mPositional && row.fields.size() == mFeatures.size()) {
        QStringList keys;
        for (const JsonField &field : row.fields)
            keys.append(decodeUtf8(field.key));
        positional = readsByPosition(keys);
    }
    if (byPosition)
        *byPosition = positional;
    for (std::size_t f = 0; f < mFeatures.size(); ++f) {
        const JsonField *field = positional ? &row.fields[f] : row.find(mNames[f], f);
        if (auto reason = readJson(f, field, values[f])) {
            if (!field && mPositional)
                *reason += QStringLiteral("; the model's features are positional (%1): a row of exactly %2 keys, none named like "
                                          "a feature, is read by position, and this one has %3")
                               .arg(positionalRange())
                               .arg(mFeatures.size())
                               .arg(row.fields.size());
            return reason;
        }
    }
    return std::nullopt;
}

} // namespace plumb
