#include "data/dataset.h"

#include <QHash>

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

namespace {

bool isWholeOrReal(ColumnType type)
{
    return type == ColumnType::Integer || type == ColumnType::Float;
}

void appendCategories(Column &into, const Column &from)
{
    QHash<QString, std::int32_t> codeOf;
    for (qsizetype c = 0; c < into.categories().size(); ++c)
        codeOf.insert(into.categories()[c], std::int32_t(c));
    std::vector<std::int32_t> remap(std::size_t(from.categories().size()));
    for (qsizetype c = 0; c < from.categories().size(); ++c) {
        const QString &value = from.categories()[c];
        auto found = codeOf.find(value);
        if (found == codeOf.end()) {
            found = codeOf.insert(value, std::int32_t(into.categories().size()));
            into.categories().append(value);
        }
        remap[std::size_t(c)] = found.value();
    }
    into.codes().reserve(into.codes().size() + from.codes().size());
    for (std::int32_t code : from.codes())
        into.codes().push_back(code < 0 ? code : remap[std::size_t(code)]);
}

} // namespace

std::optional<Error> Dataset::appendRows(const Dataset &other)
{
    if (other.columnCount() != columnCount())
        return Error::invalid(QStringLiteral("%1 has %2 columns; %3 has %4")
                                  .arg(other.sourcePath())
                                  .arg(other.columnCount())
                                  .arg(sourcePath())
                                  .arg(columnCount()));
    for (std::size_t i = 0; i < mColumns.size(); ++i) {
        const Column &mine = mColumns[i], &theirs = other.mColumns[i];
        if (mine.name() != theirs.name())
            return Error::invalid(QStringLiteral("%1: column %2 is \"%3\", not \"%4\"")
                                      .arg(other.sourcePath())
                                      .arg(i + 1)
                                      .arg(theirs.name(), mine.name()));
        if (mine.type() != theirs.type() && !(isWholeOrReal(mine.type()) && isWholeOrReal(theirs.type())))
            return Error::invalid(
                QStringLiteral("%1: column \"%2\" is %3, not %4")
                    .arg(other.sourcePath(), theirs.name(), columnTypeName(theirs.type()), columnTypeName(mine.type())));
    }
    for (std::size_t i = 0; i < mColumns.size(); ++i) {
        Column &mine = mColumns[i];
        const Column &theirs = other.mColumns[i];
        if (mine.type() == ColumnType::Categorical) {
            appendCategories(mine, theirs);
            continue;
        }
        if (mine.type() != theirs.type())
            mine.setNumericType(ColumnType::Float);
        mine.numbers().insert(mine.numbers().end(), theirs.numbers().begin(), theirs.numbers().end());
    }
    if (other.mSourceSha256 != mSourceSha256)
        mSourceSha256.clear(); // the rows no longer come from one file's bytes
    return std::nullopt;
}

Dataset Dataset::selectRows(const std::vector<std::size_t> &rows) const
{
    Dataset subset;
    subset.setSourcePath(mSourcePath);
    subset.setSourceSha256(mSourceSha256);
    for (const Column &column : mColumns) {
        Column picked(column.name(), column.type());
        picked.setRole(column.role());
        if (column.type() == ColumnType::Categorical) {
            picked.categories() = column.categories();
            picked.codes().reserve(rows.size());
            for (std::size_t row : rows)
                picked.codes().push_back(column.codes()[row]);
        } else {
            picked.numbers().reserve(rows.size());
            for (std::size_t row : rows)
                picked.numbers().push_back(column.numbers()[row]);
        }
        subset.addColumn(std::move(picked));
    }
    return subset;
}

void Dataset::assignDefaultRoles()
{
    bool haveTimestamp = false;
    for (Column &column : mColumns) {
        if (&column == &mColumns.front() && column.name() == QLatin1String("Unnamed: 0")) {
            column.setRole(ColumnRole::Id);
        } else if (column.type() == ColumnType::Datetime && !haveTimestamp) {
            column.setRole(ColumnRole::Timestamp);
            haveTimestamp = true;
        } else if (looksLikeIdName(column.name()) && column.type() != ColumnType::Float && allDistinct(column)) {
            column.setRole(ColumnRole::Id);
        }
    }
}

} // namespace plumb
