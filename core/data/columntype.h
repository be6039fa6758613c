#pragma once

#include <QString>

#include <optional>

namespace plumb {

// How a column's values are stored and interpreted.
enum class ColumnType {
    Float, // real numbers, stored as double; missing is NaN
    Integer, // whole numbers up to 2^53 in magnitude, stored as double
    Boolean, // true/false, stored as 1.0/0.0
    Categorical, // text, dictionary-encoded
    Datetime, // ISO 8601 date or timestamp, stored as seconds since 1970-01-01T00:00:00Z
};

// What a column is for when a model is trained on the dataset.
enum class ColumnRole { Feature, Target, Timestamp, Id, Ignored };

// Lower-case names used in the CLI, JSON and the model file: "float", "integer", ...
QString columnTypeName(ColumnType type);
QString columnRoleName(ColumnRole role);
// Inverse of the above; std::nullopt for an unknown name.
std::optional<ColumnType> columnTypeFromName(const QString &name);
std::optional<ColumnRole> columnRoleFromName(const QString &name);

// True for the types stored as numbers (everything but Categorical).
inline bool isNumericStorage(ColumnType type)
{
    return type != ColumnType::Categorical;
}

} // namespace plumb
