#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QJsonObject>

namespace plumb {

// Parses a JSON object more strictly than QJsonDocument: refuses duplicate keys in any object
// (QJsonDocument silently keeps one), nesting deeper than `maxDepth`, and anything but an object
// at the top. `what` names the document in messages.
Result<QJsonObject> parseStrictJsonObject(const QByteArray &text, const QString &what, int maxDepth = 64);

} // namespace plumb
