#include "interop/picklevalue.h"

#include <QStringList>

namespace plumb {

QString NumpyDtype::describe() const
{
    switch (kind) {
    case 'b':
        return QStringLiteral("bool");
    case 'i':
        return QStringLiteral("int%1").arg(itemSize * 8);
    case 'u':
        return QStringLiteral("uint%1").arg(itemSize * 8);
    case 'f':
        return QStringLiteral("float%1").arg(itemSize * 8);
    case 'O':
        return QStringLiteral("object");
    case 'U':
        return QStringLiteral("<U%1").arg(itemSize / 4);
    case 'S':
        return QStringLiteral("|S%1").arg(itemSize);
    case 'V': {
        QStringList parts;
        for (const Field &field : fields)
            parts.append(QStringLiteral("%1: %2 @%3").arg(field.name, field.type.describe()).arg(field.offset));
        return QStringLiteral("record%1 {%2}").arg(itemSize).arg(parts.join(QLatin1String(", ")));
    }
    default:
        return QStringLiteral("%1%2").arg(QLatin1Char(kind)).arg(itemSize);
    }
}

std::int64_t NumpyArray::elementCount() const
{
    // Shapes are checked against the bytes present when the array is built, so the product of a
    // valid array's shape cannot overflow; an empty shape is a scalar (one element).
    std::int64_t count = 1;
    for (std::int64_t extent : shape)
        count *= extent;
    return count;
}

PickleNodeId PickleGraph::add(PickleValue value)
{
    mNodes.push_back(std::move(value));
    return static_cast<PickleNodeId>(mNodes.size() - 1);
}

std::optional<PickleNodeId> PickleGraph::dictValue(PickleNodeId dict, const QString &key) const
{
    if (!contains(dict) || node(dict).kind != PickleValue::Kind::Dict)
        return std::nullopt;
    const std::vector<PickleNodeId> &items = node(dict).items;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        const PickleValue &candidate = node(items[i]);
        if (candidate.kind == PickleValue::Kind::String && candidate.text == key)
            return items[i + 1];
    }
    return std::nullopt;
}

std::optional<PickleNodeId> PickleGraph::attribute(PickleNodeId object, const QString &name) const
{
    if (!contains(object) || node(object).kind != PickleValue::Kind::Object)
        return std::nullopt;
    PickleNodeId state = node(object).state;
    if (!contains(state))
        return std::nullopt;
    if (node(state).kind == PickleValue::Kind::Tuple && !node(state).items.empty())
        state = node(state).items.front();
    return dictValue(state, name);
}

} // namespace plumb
