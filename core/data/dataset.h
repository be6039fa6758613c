#pragma once

#include "base/error.h"
#include "data/column.h"

#include <QString>

#include <optional>
#include <vector>

namespace plumb {

// A table held in memory column by column. Every column has rowCount() values.
class Dataset
{
public:
    std::size_t rowCount() const { return mColumns.empty() ? 0 : mColumns.front().size(); }
    std::size_t columnCount() const { return mColumns.size(); }

    const std::vector<Column> &columns() const { return mColumns; }
    std::vector<Column> &columns() { return mColumns; }
    const Column &column(std::size_t index) const { return mColumns[index]; }
    Column &column(std::size_t index) { return mColumns[index]; }
    // Index of the column with this exact name, or std::nullopt.
    std::optional<std::size_t> indexOf(const QString &name) const;

    void addColumn(Column column) { mColumns.push_back(std::move(column)); }

    // Appends the rows of `other`, which must have the same column names in the same order and
    // the same types (an Integer column meeting a Float one becomes Float). Categories are matched
    // by text; new ones are added. On failure (naming the column) nothing has changed.
    std::optional<Error> appendRows(const Dataset &other);
    // A copy holding only the given rows, in that order (names, types, roles and categories kept).
    Dataset selectRows(const std::vector<std::size_t> &rows) const;

    // Where the data came from (a file path), for titles and messages.
    const QString &sourcePath() const { return mSourcePath; }
    void setSourcePath(const QString &path) { mSourcePath = path; }
    // The SHA-256 (lower-case hex, as sha256sum prints it) of the bytes the rows were read from,
    // taken during the same reads; empty for data built in memory.
    const QString &sourceSha256() const { return mSourceSha256; }
    void setSourceSha256(const QString &digest) { mSourceSha256 = digest; }

    // Gives default roles from names and types: the first Datetime column becomes the Timestamp,
    // a column named "id" (or ending in "_id") whose values are all distinct becomes an Id, and so
    // does a first column named "Unnamed: 0": row names (R's write.csv) or an index (pandas'
    // to_csv) written under an empty header, which CsvReader names so, as pandas does.
    void assignDefaultRoles();

private:
    std::vector<Column> mColumns;
    QString mSourcePath;
    QString mSourceSha256;
};

} // namespace plumb
