#include "serve/errorstatus.h"

namespace plumb {

int httpStatusFor(Error::Kind kind)
{
    // A switch without a default: a new kind is a compiler warning until it has its status here.
    switch (kind) {
    case Error::Kind::Invalid:
        return 400; // Bad Request
    case Error::Kind::TooLarge:
        return 413; // Content Too Large (RFC 9110, 15.5.14)
    case Error::Kind::Unsupported:
        return 422; // Unprocessable Content: well formed, not readable here
    case Error::Kind::Integrity:
        return 422;
    case Error::Kind::Untrusted:
        return 403; // Forbidden
    case Error::Kind::Io:
        return 500;
    case Error::Kind::Internal:
        return 500;
    case Error::Kind::Cancelled:
        return 503; // Service Unavailable: the time limit passed
    }
    return 500;
}

} // namespace plumb
