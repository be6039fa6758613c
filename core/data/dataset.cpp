#include "data/dataset.h"

#include <unordered_set>

namespace plumb {

namespace {

bool looksLikeIdName(const QString &name)
{
    const QString lower = name.toLower();
    return lower == QLatin1String("id") || lower.endsWith(QLatin1String("_id")) || lower.endsWith(QLatin1String(" id"));
}

bool allDistinct(const Column &column)
{
    if (column.type() == ColumnType::Categorical) {
        if (std::size_t(column.categories().size()) != column.size())
            return false;
        return column.missingCount() == 0;
    }
    std::unordered_set<double> seen;
    seen.reserve(column.size());
    for (double value : column.numbers())
        if (std::isnan(value) || !seen.insert(value).second)
            return false;
    return true;
}

} // namespace

std::optional<std::size_t> Dataset::indexOf(const QString &name) const
{
    for (std::size_t i = 0; i < mColumns.size(); ++i)
        if (mColumns[i].name() == name)
            return i;
    return std::nullopt;
}

void Dataset::assignDefaultRoles()
{
    bool haveTimestamp = false;
    for (Column &column : mColumns) {
        if (column.type() == ColumnType::Datetime && !haveTimestamp) {
            column.setRole(ColumnRole::Timestamp);
            haveTimestamp = true;
        } else if (looksLikeIdName(column.name()) && column.type() != ColumnType::Float && allDistinct(column)) {
            column.setRole(ColumnRole::Id);
        }
    }
}

} // namespace plumb
