#pragma once

#include <QJsonValue>
#include <QString>

namespace plumb {

// A JSON value's kind as an error message names it: "null", "a boolean", "a number", "a string",
// "an array", "an object" (or "nothing" for a missing value).
QString jsonTypeName(const QJsonValue &value);

} // namespace plumb
