#include "data/typeinference.h"

#include "data/valueparser.h"

namespace plumb {

void TypeGuesser::observe(std::string_view field)
{
    if (mSyntax->isMissing(field))
        return;
    mAnyValue = true;
    if (mAllBoolean && !parseBoolean(field))
        mAllBoolean = false;
    if (mAllNumber) {
        bool isInteger = false;
        if (!mSyntax->parseNumber(field, &isInteger))
            mAllNumber = mAllInteger = false;
        else if (!isInteger)
            mAllInteger = false;
    }
    if (mAllDatetime && !parseDatetime(field))
        mAllDatetime = false;
}

ColumnType TypeGuesser::type() const
{
    if (!mAnyValue)
        return ColumnType::Float;
    if (mAllBoolean)
        return ColumnType::Boolean;
    if (mAllInteger)
        return ColumnType::Integer;
    if (mAllNumber)
        return ColumnType::Float;
    if (mAllDatetime)
        return ColumnType::Datetime;
    return ColumnType::Categorical;
}

} // namespace plumb
