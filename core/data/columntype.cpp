#include "data/columntype.h"

#include <array>
#include <utility>

namespace plumb {

namespace {

constexpr std::array kTypeNames{
    std::pair{ColumnType::Float, "float"},       std::pair{ColumnType::Integer, "integer"},
    std::pair{ColumnType::Boolean, "boolean"},   std::pair{ColumnType::Categorical, "categorical"},
    std::pair{ColumnType::Datetime, "datetime"},
};
constexpr std::array kRoleNames{
    std::pair{ColumnRole::Feature, "feature"},     std::pair{ColumnRole::Target, "target"},
    std::pair{ColumnRole::Timestamp, "timestamp"}, std::pair{ColumnRole::Id, "id"},
    std::pair{ColumnRole::Ignored, "ignored"},
};

template<typename Enum, std::size_t N> QString nameOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[entry, name] : table)
        if (entry == value)
            return QString::fromLatin1(name);
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &table, const QString &name)
{
    for (const auto &[entry, entryName] : table)
        if (name.compare(QLatin1String(entryName), Qt::CaseInsensitive) == 0)
            return entry;
    return std::nullopt;
}

} // namespace

QString columnTypeName(ColumnType type)
{
    return nameOf(kTypeNames, type);
}
QString columnRoleName(ColumnRole role)
{
    return nameOf(kRoleNames, role);
}
std::optional<ColumnType> columnTypeFromName(const QString &name)
{
    return valueOf(kTypeNames, name);
}
std::optional<ColumnRole> columnRoleFromName(const QString &name)
{
    return valueOf(kRoleNames, name);
}

} // namespace plumb
