#include "learn/params.h"

#include <QJsonValue>

#include <cmath>

namespace plumb {

namespace {

QString rangeText(const ParamSpec &spec)
{
    const QString lower = std::isinf(spec.minimum) ? QStringLiteral("(-inf")
                                                   : QStringLiteral("%1%2")
                                                         .arg(spec.minimumExclusive ? QLatin1Char('(') : QLatin1Char('['))
                                                         .arg(QString::number(spec.minimum, 'g', 15));
    const QString upper = std::isinf(spec.maximum) ? QStringLiteral("inf)")
                                                   : QString::number(spec.maximum, 'g', 15) + QLatin1Char(']');
    return lower + QStringLiteral(", ") + upper;
}

// Numbers only: text and booleans that QVariant would convert are refused.
bool isNumber(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Double:
    case QMetaType::Float:
        return true;
    default:
        return false;
    }
}

bool isWholeNumber(const QVariant &value)
{
    bool ok = false;
    const double number = value.toDouble(&ok);
    return ok && std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 9.0e15;
}

} // namespace

std::optional<Error> ParamSpec::check(const QVariant &value) const
{
    const auto bad = [&](const QString &why) { return Error::invalid(QStringLiteral("parameter '%1': %2").arg(name, why)); };
    switch (kind) {
    case Kind::Boolean:
        if (value.typeId() != QMetaType::Bool)
            return bad(QStringLiteral("expected true or false"));
        return std::nullopt;
    case Kind::Text:
        if (value.typeId() != QMetaType::QString)
            return bad(QStringLiteral("expected text"));
        return std::nullopt;
    case Kind::Choice:
        if (!choices.contains(value.toString()))
            return bad(QStringLiteral("'%1' is not one of %2").arg(value.toString(), choices.join(QLatin1String(", "))));
        return std::nullopt;
    case Kind::Integer:
        if (!isNumber(value) || !isWholeNumber(value))
            return bad(QStringLiteral("expected a whole number, got '%1'").arg(value.toString()));
        break;
    case Kind::Real:
        if (!isNumber(value) || !std::isfinite(value.toDouble()))
            return bad(QStringLiteral("expected a finite number, got '%1'").arg(value.toString()));
        break;
    }
    const double number = value.toDouble();
    const bool belowMinimum = minimumExclusive ? number <= minimum : number < minimum;
    if (belowMinimum || number > maximum)
        return bad(QStringLiteral("%1 is outside %2").arg(value.toString(), rangeText(*this)));
    return std::nullopt;
}

Result<QVariant> ParamSpec::parse(const QString &text) const
{
    QVariant value;
    bool ok = true;
    switch (kind) {
    case Kind::Boolean:
        if (text == QLatin1String("true") || text == QLatin1String("1"))
            value = true;
        else if (text == QLatin1String("false") || text == QLatin1String("0"))
            value = false;
        else
            ok = false;
        break;
    case Kind::Integer:
        value = text.toLongLong(&ok);
        break;
    case Kind::Real:
        value = text.toDouble(&ok);
        break;
    case Kind::Choice:
    case Kind::Text:
        value = text;
        break;
    }
    if (!ok)
        return Error::invalid(QStringLiteral("parameter '%1': cannot read '%2'").arg(name, text));
    if (auto error = check(value))
        return *error;
    return value;
}

namespace {

ParamSpec makeSpec(QString name, ParamSpec::Kind kind, QVariant defaultValue, QString help)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = kind;
    spec.defaultValue = std::move(defaultValue);
    spec.help = std::move(help);
    return spec;
}

} // namespace

ParamSpec booleanParam(QString name, bool defaultValue, QString help)
{
    return makeSpec(std::move(name), ParamSpec::Kind::Boolean, defaultValue, std::move(help));
}

ParamSpec integerParam(QString name, qint64 defaultValue, double minimum, double maximum, QString help)
{
    ParamSpec spec = makeSpec(std::move(name), ParamSpec::Kind::Integer, defaultValue, std::move(help));
    spec.minimum = minimum;
    spec.maximum = maximum;
    return spec;
}

ParamSpec realParam(QString name, double defaultValue, double minimum, double maximum, QString help, bool minimumExclusive)
{
    ParamSpec spec = makeSpec(std::move(name), ParamSpec::Kind::Real, defaultValue, std::move(help));
    spec.minimum = minimum;
    spec.maximum = maximum;
    spec.minimumExclusive = minimumExclusive;
    return spec;
}

ParamSpec choiceParam(QString name, QString defaultValue, QStringList choices, QString help)
{
    ParamSpec spec = makeSpec(std::move(name), ParamSpec::Kind::Choice, std::move(defaultValue), std::move(help));
    spec.choices = std::move(choices);
    return spec;
}

ParamSpec textParam(QString name, QString defaultValue, QString help)
{
    return makeSpec(std::move(name), ParamSpec::Kind::Text, std::move(defaultValue), std::move(help));
}

ParamValues::ParamValues(std::vector<ParamSpec> schema) : mSchema(std::move(schema))
{
    for (const ParamSpec &spec : mSchema)
        mValues.insert(spec.name, spec.defaultValue);
}

const ParamSpec *ParamValues::spec(const QString &name) const
{
    for (const ParamSpec &spec : mSchema)
        if (spec.name == name)
            return &spec;
    return nullptr;
}

std::optional<Error> ParamValues::set(const QString &name, const QVariant &value)
{
    const ParamSpec *found = spec(name);
    if (!found)
        return Error::invalid(QStringLiteral("no parameter named '%1'").arg(name));
    if (auto error = found->check(value))
        return error;
    QVariant stored = value;
    if (found->kind == ParamSpec::Kind::Integer)
        stored = QVariant(qint64(value.toDouble()));
    else if (found->kind == ParamSpec::Kind::Real)
        stored = QVariant(value.toDouble());
    mValues.insert(name, stored);
    return std::nullopt;
}

std::optional<Error> ParamValues::setFromText(const QString &name, const QString &text)
{
    const ParamSpec *found = spec(name);
    if (!found)
        return Error::invalid(QStringLiteral("no parameter named '%1'").arg(name));
    Result<QVariant> value = found->parse(text);
    if (!value)
        return value.error();
    return set(name, value.value());
}

QJsonObject ParamValues::toJson() const
{
    QJsonObject json;
    for (const ParamSpec &spec : mSchema)
        json.insert(spec.name, QJsonValue::fromVariant(mValues.value(spec.name)));
    return json;
}

std::optional<Error> ParamValues::setFromJson(const QJsonObject &json)
{
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!spec(it.key()))
            return Error::invalid(QStringLiteral("no parameter named '%1'").arg(it.key()));
    ParamValues updated = *this; // all or nothing
    for (const ParamSpec &spec : mSchema) {
        if (!json.contains(spec.name))
            return Error::invalid(QStringLiteral("parameter '%1' is missing").arg(spec.name));
        if (auto error = updated.set(spec.name, json.value(spec.name).toVariant()))
            return error;
    }
    *this = std::move(updated);
    return std::nullopt;
}

} // namespace plumb
