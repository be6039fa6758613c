#pragma once

#include "data/columntype.h"

#include <string_view>

namespace plumb {

// Guesses a column's type from its values, observed one at a time. Missing tokens are ignored.
// The narrowest type that reads every value wins, in this order: Boolean (true/false), Integer,
// Float, Datetime, Categorical. A column with no values at all is Float (all missing).
class TypeGuesser
{
public:
    void observe(std::string_view field);
    ColumnType type() const;

private:
    bool mAnyValue = false;
    bool mAllBoolean = true;
    bool mAllInteger = true;
    bool mAllNumber = true;
    bool mAllDatetime = true;
};

} // namespace plumb
