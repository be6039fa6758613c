#include "artifact/metadatafields.h"

#include <QJsonArray>

#include <cmath>

namespace plumb {

MetadataFields::MetadataFields(const QJsonObject &json, const QString &fileName, const QString &path)
    : mJson(json), mFileName(fileName), mPath(path)
{
}

Error MetadataFields::bad(const QString &key, const QString &why) const
{
    const QString field = mPath.isEmpty() ? key : key.startsWith(QLatin1Char('[')) ? mPath + key : mPath + QLatin1Char('.') + key;
    return Error::invalid(QStringLiteral("%1: metadata field \"%2\" %3").arg(mFileName, field, why));
}

std::optional<Error> MetadataFields::checkNames(const QStringList &required, const QStringList &optional) const
{
    for (auto it = mJson.begin(); it != mJson.end(); ++it)
        if (!required.contains(it.key()) && !optional.contains(it.key()))
            return bad(it.key(), QStringLiteral("is not a field this version knows"));
    for (const QString &field : required)
        if (!mJson.contains(field))
            return bad(field, QStringLiteral("is missing"));
    return std::nullopt;
}

std::optional<Error> MetadataFields::text(const QString &key, QString &out) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isString())
        return bad(key, QStringLiteral("is not text"));
    out = value.toString();
    return std::nullopt;
}

std::optional<Error> MetadataFields::textList(const QString &key, QStringList &out) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isArray())
        return bad(key, QStringLiteral("is not a list of text"));
    const QJsonArray items = value.toArray();
    out.clear();
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (!items.at(i).isString())
            return bad(QStringLiteral("%1[%2]").arg(key).arg(i), QStringLiteral("is not text"));
        out.append(items.at(i).toString());
    }
    return std::nullopt;
}

std::optional<Error> MetadataFields::wholeNumber(const QString &key, qint64 &out) const
{
    constexpr double kLargestExact = 9007199254740992.0; // 2^53
    const QJsonValue value = mJson.value(key);
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > kLargestExact || number != std::floor(number))
        return bad(key, QStringLiteral("is not a whole number"));
    out = qint64(number);
    return std::nullopt;
}

std::optional<Error> MetadataFields::number(const QString &key, double &out, double minimum) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < minimum)
        return bad(key, QStringLiteral("is not a number of at least %1").arg(minimum));
    out = value.toDouble();
    return std::nullopt;
}

std::optional<Error> MetadataFields::numberList(const QString &key, std::vector<double> &out, double minimum) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isArray())
        return bad(key, QStringLiteral("is not a list of numbers"));
    const QJsonArray items = value.toArray();
    out.clear();
    out.reserve(std::size_t(items.size()));
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (!item.isDouble() || !std::isfinite(item.toDouble()) || item.toDouble() < minimum)
            return bad(QStringLiteral("%1[%2]").arg(key).arg(i), QStringLiteral("is not a number of at least %1").arg(minimum));
        out.push_back(item.toDouble());
    }
    return std::nullopt;
}

std::optional<Error> MetadataFields::boolean(const QString &key, bool &out) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isBool())
        return bad(key, QStringLiteral("is not true or false"));
    out = value.toBool();
    return std::nullopt;
}

std::optional<Error> MetadataFields::object(const QString &key, QJsonObject &out) const
{
    const QJsonValue value = mJson.value(key);
    if (!value.isObject())
        return bad(key, QStringLiteral("is not an object"));
    out = value.toObject();
    return std::nullopt;
}

} // namespace plumb
