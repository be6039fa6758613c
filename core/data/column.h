#pragma once

#include "data/columntype.h"

#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <vector>

namespace plumb {

// One column of a Dataset: a name, a type, a role, and its values in columnar form.
// Numeric-storage types keep `numbers()` (NaN = missing); Categorical keeps `codes()` into
// `categories()` (-1 = missing). A column never keeps a reference to the file it came from.
class Column
{
public:
    Column() = default;
    Column(QString name, ColumnType type);

    const QString &name() const { return mName; }
    void setName(const QString &name) { mName = name; }
    ColumnType type() const { return mType; }
    ColumnRole role() const { return mRole; }
    void setRole(ColumnRole role) { mRole = role; }

    std::size_t size() const;
    bool isMissing(std::size_t row) const;
    std::size_t missingCount() const;

    // Numeric storage (every type but Categorical). Datetime values are seconds since the epoch, UTC.
    const std::vector<double> &numbers() const { return mNumbers; }
    std::vector<double> &numbers() { return mNumbers; }

    // Categorical storage: codes index categories(), in order of first appearance in the file.
    const std::vector<std::int32_t> &codes() const { return mCodes; }
    std::vector<std::int32_t> &codes() { return mCodes; }
    const QStringList &categories() const { return mCategories; }
    QStringList &categories() { return mCategories; }

    // The value as a person reads it: numbers in shortest round-trip form, booleans as true/false,
    // datetimes in ISO 8601, categories as stored. Missing values give an empty string.
    QString displayText(std::size_t row) const;

    // Changes the type of a numeric column between Float, Integer and Boolean without reparsing.
    // Categorical and Datetime columns are reloaded from their source instead (see CsvOptions).
    void setNumericType(ColumnType type) { mType = type; }

private:
    QString mName;
    ColumnType mType = ColumnType::Float;
    ColumnRole mRole = ColumnRole::Feature;
    std::vector<double> mNumbers;
    std::vector<std::int32_t> mCodes;
    QStringList mCategories;
};

// Formats seconds since the epoch (UTC) as ISO 8601: a date alone when the time is midnight.
QString formatDatetime(double secondsSinceEpoch);

} // namespace plumb
