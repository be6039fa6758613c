#pragma once

#include "data/columntype.h"
#include "data/valuesyntax.h"

#include <string_view>

namespace plumb {

// Guesses a column's type from its values, observed one at a time, read with `syntax` (decimal mark,
// missing tokens; it must outlive the guesser). Missing values are ignored.
// The narrowest type that reads every value wins, in this order: Boolean (true/false), Integer,
// Float, Datetime, Categorical. A column with no values at all is Float (all missing).
class TypeGuesser
{
public:
    explicit TypeGuesser(const ValueSyntax &syntax) : mSyntax(&syntax) { }
    void observe(std::string_view field);
    ColumnType type() const;

private:
    const ValueSyntax *mSyntax;
    bool mAnyValue = false;
    bool mAllBoolean = true;
    bool mAllInteger = true;
    bool mAllNumber = true;
    bool mAllDatetime = true;
};

} // namespace plumb
