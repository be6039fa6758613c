#pragma once

#include "base/error.h"

#include <QStringList>
#include <QtGlobal>

#include <utility>
#include <variant>

namespace plumb {

// The outcome of a core operation: a value or an Error, never an exception.
// Non-fatal findings (rows skipped, values set missing) travel beside the value as warnings.
template<typename T> class Result
{
public:
    Result(T value) : mState(std::move(value)) { }
    Result(Error error) : mState(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(mState); }
    explicit operator bool() const { return ok(); }

    // The value; asking for it when the result is an error is a programming fault, which stops
    // the program with the error's message (qFatal) rather than an anonymous exception.
    const T &value() const &
    {
        requireValue();
        return *std::get_if<T>(&mState);
    }
    T &value() &
    {
        requireValue();
        return *std::get_if<T>(&mState);
    }
    T &&value() &&
    {
        requireValue();
        return std::move(*std::get_if<T>(&mState));
    }
    // The error; asking for it when the result holds a value stops the program likewise.
    const Error &error() const
    {
        if (ok())
            qFatal("Result::error() called on a result that holds a value");
        return *std::get_if<Error>(&mState);
    }

    const QStringList &warnings() const { return mWarnings; }
    void setWarnings(QStringList warnings) { mWarnings = std::move(warnings); }

private:
    void requireValue() const
    {
        if (!ok())
            qFatal("Result::value() called on an error: %s", qUtf8Printable(std::get_if<Error>(&mState)->message));
    }

    std::variant<T, Error> mState;
    QStringList mWarnings;
};

} // namespace plumb
