#pragma once

#include <QString>

namespace plumb {

// An expected failure: bad input, a mismatch, a cancelled operation.
// `message` is complete and user-facing; it names the file, line, column or field involved.
struct Error
{
    enum class Kind { Invalid, Io, Cancelled, Integrity };

    QString message;
    Kind kind = Kind::Invalid;

    static Error invalid(QString message) { return {std::move(message), Kind::Invalid}; }
    static Error io(QString message) { return {std::move(message), Kind::Io}; }
    static Error cancelled() { return {QStringLiteral("cancelled"), Kind::Cancelled}; }
    bool isCancelled() const { return kind == Kind::Cancelled; }
};

} // namespace plumb
