#include "data/columnnames.h"

#include "base/closenames.h"

namespace plumb {

QStringList columnNames(const Dataset &data)
{
    QStringList names;
    names.reserve(qsizetype(data.columnCount()));
    for (const Column &column : data.columns())
        names.append(column.name());
    return names;
}

QString closeColumnsHint(const Dataset &data, const QString &typed)
{
    return closeNamesHint(typed, columnNames(data));
}

} // namespace plumb
