#pragma once

#include <cstddef>

namespace plumb {

// Asks the kernel to back [data, data + bytes) with transparent huge pages when the buffer is at
// least 4 MiB, as numpy does for its arrays on Linux. Call it before the buffer is first written:
// long streaming passes over a large matrix then cross a page boundary every 2 MiB instead of
// every 4 KiB, which keeps the processor's prefetchers running. Only the whole pages inside the
// buffer are advised; elsewhere, and on other systems, this does nothing.
void adviseHugePages(void *data, std::size_t bytes);

} // namespace plumb
