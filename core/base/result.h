#pragma once

#include "base/error.h"

#include <QStringList>

#include <utility>
#include <variant>

namespace plumb {

// The outcome of a core operation: a value or an Error, never an exception.
// Non-fatal findings (rows skipped, values set missing) travel beside the value as warnings.
template <typename T>
class Result
{
public:
    Result(T value) : mState(std::move(value)) {}
    Result(Error error) : mState(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(mState); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(mState); }
    T &value() & { return std::get<T>(mState); }
    T &&value() && { return std::get<T>(std::move(mState)); }
    const Error &error() const { return std::get<Error>(mState); }

    const QStringList &warnings() const { return mWarnings; }
    void addWarning(const QString &warning) { mWarnings.append(warning); }
    void setWarnings(QStringList warnings) { mWarnings = std::move(warnings); }

private:
    std::variant<T, Error> mState;
    QStringList mWarnings;
};

} // namespace plumb
