#pragma once

#include "base/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace plumb {

// One parameter of a component: what the workbench turns into a form field, the CLI's --set
// accepts, and the model file records.
struct ParamSpec
{
    enum class Kind { Boolean, Integer, Real, Choice, Text };

    QString name;
    Kind kind = Kind::Real;
    QVariant defaultValue;
    // Integer and Real: the allowed closed range (an open end is +-infinity). `minimumExclusive`
    // makes the lower end open (for "must be > 0").
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    bool minimumExclusive = false;
    QStringList choices; // Choice only
    QString help; // one line

    // Checks a value of the right kind and range; the message names the parameter and the bound.
    std::optional<Error> check(const QVariant &value) const;
    // Reads a value as typed on a command line ("0.5", "true", "l2"), then checks it.
    Result<QVariant> parse(const QString &text) const;
};

// Shorthands for declaring specs.
ParamSpec booleanParam(QString name, bool defaultValue, QString help);
ParamSpec integerParam(QString name, qint64 defaultValue, double minimum, double maximum, QString help);
ParamSpec realParam(QString name, double defaultValue, double minimum, double maximum, QString help,
                    bool minimumExclusive = false);
ParamSpec choiceParam(QString name, QString defaultValue, QStringList choices, QString help);
ParamSpec textParam(QString name, QString defaultValue, QString help);

// The values of a component's parameters, always complete and valid for its schema: constructed
// from the defaults, changed only through set(), which refuses bad values and unknown names.
class ParamValues
{
public:
    ParamValues() = default;
    explicit ParamValues(std::vector<ParamSpec> schema);

    const std::vector<ParamSpec> &schema() const { return mSchema; }
    bool has(const QString &name) const { return spec(name) != nullptr; }
    std::optional<Error> set(const QString &name, const QVariant &value);
    // set() from text, as --set KEY=VALUE gives it.
    std::optional<Error> setFromText(const QString &name, const QString &text);

    bool boolean(const QString &name) const { return mValues.value(name).toBool(); }
    qint64 integer(const QString &name) const { return mValues.value(name).toLongLong(); }
    double real(const QString &name) const { return mValues.value(name).toDouble(); }
    QString choice(const QString &name) const { return mValues.value(name).toString(); }
    QString text(const QString &name) const { return mValues.value(name).toString(); }
    QVariant value(const QString &name) const { return mValues.value(name); }

    // {name: value} for every parameter, in schema order when read back by fromJson.
    QJsonObject toJson() const;
    // Replaces every value from JSON; unknown names, missing names and bad values are errors.
    std::optional<Error> setFromJson(const QJsonObject &json);

    bool operator==(const ParamValues &other) const { return mValues == other.mValues; }

private:
    const ParamSpec *spec(const QString &name) const;

    std::vector<ParamSpec> mSchema;
    QVariantMap mValues;
};

} // namespace plumb
