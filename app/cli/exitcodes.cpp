#include "exitcodes.h"

namespace plumb::cli {

namespace {

struct ExitRow
{
    int use;
    int verify;
};

ExitRow exitRow(Error::Kind kind)
{
    // A switch without a default: a new kind is a compiler warning until it has its row here.
    switch (kind) {
    case Error::Kind::Invalid:
        return {kExitError, kExitVerification};
    case Error::Kind::TooLarge:
        return {kExitError, kExitVerification};
    case Error::Kind::Unsupported:
        return {kExitError, kExitVerification};
    case Error::Kind::Integrity:
        return {kExitVerification, kExitVerification};
    case Error::Kind::Untrusted:
        return {kExitVerification, kExitVerification};
    case Error::Kind::Io:
        return {kExitError, kExitError};
    case Error::Kind::Cancelled:
        return {kExitError, kExitError};
    case Error::Kind::Internal:
        return {kExitError, kExitError};
    }
    return {kExitError, kExitError};
}

} // namespace

int exitCodeFor(Error::Kind kind, ExitContext context)
{
    const ExitRow row = exitRow(kind);
    return context == ExitContext::Verify ? row.verify : row.use;
}

} // namespace plumb::cli
