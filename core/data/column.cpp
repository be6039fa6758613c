#include "data/column.h"

#include <QDateTime>

#include <algorithm>
#include <charconv>

namespace plumb {

Column::Column(QString name, ColumnType type) : mName(std::move(name)), mType(type)
{
}

std::size_t Column::size() const
{
    return mType == ColumnType::Categorical ? mCodes.size() : mNumbers.size();
}

bool Column::isMissing(std::size_t row) const
{
    return mType == ColumnType::Categorical ? mCodes[row] < 0 : std::isnan(mNumbers[row]);
}

std::size_t Column::missingCount() const
{
    if (mType == ColumnType::Categorical)
        return std::size_t(std::count_if(mCodes.begin(), mCodes.end(), [](std::int32_t code) { return code < 0; }));
    return std::size_t(std::count_if(mNumbers.begin(), mNumbers.end(), [](double value) { return std::isnan(value); }));
}

QString Column::displayText(std::size_t row) const
{
    if (isMissing(row))
        return {};
    switch (mType) {
    case ColumnType::Categorical:
        return mCategories[qsizetype(mCodes[row])];
    case ColumnType::Boolean:
        return mNumbers[row] != 0 ? QStringLiteral("true") : QStringLiteral("false");
    case ColumnType::Datetime:
        return formatDatetime(mNumbers[row]);
    case ColumnType::Float:
    case ColumnType::Integer: {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, mNumbers[row]);
        return QString::fromLatin1(buffer, qsizetype(result.ptr - buffer));
    }
    }
    return {};
}

QString formatDatetime(double secondsSinceEpoch)
{
    const auto milliseconds = qint64(std::llround(secondsSinceEpoch * 1000.0));
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(milliseconds, Qt::UTC);
    if (milliseconds % 86'400'000 == 0)
        return time.date().toString(Qt::ISODate);
    if (milliseconds % 1000 == 0)
        return time.toString(Qt::ISODate);
    return time.toString(Qt::ISODateWithMs);
}

} // namespace plumb
