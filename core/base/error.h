#pragma once

#include <QString>

namespace plumb {

// An expected failure: bad input, a mismatch, a cancelled operation.
// `message` is complete and user-facing; it names the file, line, column or field involved.
// `kind` is what callers branch on (an HTTP status, an exit code, "was it cancelled?"), never the
// message's text: the tables in serve/errorstatus.h and app/cli map kinds, and only kinds.
struct Error
{
    enum class Kind {
        Invalid, // the input is malformed or inconsistent: a syntax error, a wrong type, an unknown field
        TooLarge, // the input is over a limit set to protect memory or time (rows, keys, bytes)
        Unsupported, // well formed, but newer or other than this Plumb reads (a future format version)
        Integrity, // not the bytes that were written: a digest mismatch, a missing trailer, not a Plumb file
        Untrusted, // intact, but its signature is invalid or by no trusted key when one is required
        Io, // the file system failed: a file that does not open, a write that does not finish
        Cancelled, // the caller cancelled, or a deadline passed
        Internal, // a fault of this program, not of the input (a validated row the model cannot score)
    };

    QString message;
    Kind kind = Kind::Invalid;

    static Error invalid(QString message) { return {std::move(message), Kind::Invalid}; }
    static Error io(QString message) { return {std::move(message), Kind::Io}; }
    static Error cancelled() { return {QStringLiteral("cancelled"), Kind::Cancelled}; }
    bool isCancelled() const { return kind == Kind::Cancelled; }
};

} // namespace plumb
