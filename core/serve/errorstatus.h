#pragma once

#include "base/error.h"

namespace plumb {

// The HTTP status that answers a request refused with an error of `kind`: the one table the
// scoring service takes its error statuses from (Invalid 400, TooLarge 413, Unsupported and
// Integrity 422, Untrusted 403, Io and Internal 500, Cancelled 503: a request is cancelled only
// when its time limit passes). Statuses about the route itself (401, 404, 405) are not errors
// of a request's content and are not here.
int httpStatusFor(Error::Kind kind);

} // namespace plumb
