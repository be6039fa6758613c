#pragma once

#include "base/error.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <vector>

namespace plumb {

// Reads the fields of one object of a model file's metadata strictly: every field a known name,
// each of its type, each failure with its own message naming the file and the field's path
// ("model.plumb: metadata field \"training_data.rows\" is not a whole number"). Every reader
// returns the first error, or nothing with `out` set.
class MetadataFields
{
public:
    // `path` is the object's place in the metadata ("" for the metadata itself, "training_data").
    MetadataFields(const QJsonObject &json, const QString &fileName, const QString &path = {});

    // Refuses a field not in `required` or `optional`, and a missing required one.
    std::optional<Error> checkNames(const QStringList &required, const QStringList &optional = {}) const;

    std::optional<Error> text(const QString &key, QString &out) const;
    std::optional<Error> textList(const QString &key, QStringList &out) const;
    // A number without a fraction, 0 to 2^53 (what a JSON number holds exactly).
    std::optional<Error> wholeNumber(const QString &key, qint64 &out) const;
    // A finite number at or above `minimum`.
    std::optional<Error> number(const QString &key, double &out, double minimum) const;
    // A list of finite numbers, each at or above `minimum`.
    std::optional<Error> numberList(const QString &key, std::vector<double> &out, double minimum) const;
    std::optional<Error> boolean(const QString &key, bool &out) const;
    std::optional<Error> object(const QString &key, QJsonObject &out) const;

    // "file: metadata field \"path.key\" why".
    Error bad(const QString &key, const QString &why) const;

private:
    QJsonObject mJson;
    QString mFileName;
    QString mPath;
};

} // namespace plumb
