#pragma once

#include "data/dataset.h"

#include <QStringList>

namespace plumb {

// The names of `data`'s columns, in order.
QStringList columnNames(const Dataset &data);

// For a message about a column name `typed` that `data` lacks: "; close names: Ozone" naming the
// columns that differ from it by case or a slip of the keyboard (closeNames), or an empty string.
// "no column named '%1' in the data%2" with .arg(typed, closeColumnsHint(data, typed)).
QString closeColumnsHint(const Dataset &data, const QString &typed);

} // namespace plumb
