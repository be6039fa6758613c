#include "base/progress.h"

namespace plumb {

ProgressSink::~ProgressSink() = default;

ProgressSink &nullProgress()
{
    static CancelFlag never;
    return never;
}

} // namespace plumb
