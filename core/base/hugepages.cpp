#include "base/hugepages.h"

#include <cstdint>
#include <limits>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define PLUMB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLUMB_ASAN 1
#endif
#endif
#if defined(PLUMB_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace plumb {

namespace {

constexpr std::size_t kHugePageThreshold = std::size_t(4) << 20;
constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t roundUp(std::size_t bytes, std::size_t unit)
{
    return (bytes + unit - 1) / unit * unit;
}

// Under AddressSanitizer, the bytes a mapped block has past the size asked for are poisoned, so
// reading or writing past a large array's end is still reported; unpoisoned again before unmapping
// (a later mapping at the same address must start clean).
void poisonTail(void *block, std::size_t bytes, std::size_t mapped)
{
#if defined(PLUMB_ASAN)
    ASAN_POISON_MEMORY_REGION(static_cast<char *>(block) + bytes, mapped - bytes);
#else
    (void)block;
    (void)bytes;
    (void)mapped;
#endif
}

void unpoison(void *block, std::size_t mapped)
{
#if defined(PLUMB_ASAN)
    ASAN_UNPOISON_MEMORY_REGION(block, mapped);
#else
    (void)block;
    (void)mapped;
#endif
}

} // namespace

void adviseHugePages(void *data, std::size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes < kHugePageThreshold)
        return;
    const auto page = std::uintptr_t(sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t first = (start + page - 1) / page * page;
    const std::uintptr_t last = (start + bytes) / page * page;
    if (last > first)
        madvise(reinterpret_cast<void *>(first), last - first, MADV_HUGEPAGE); // advice only: a refusal changes nothing
#else
    (void)data;
    (void)bytes;
#endif
}

#if defined(__linux__) && defined(MADV_HUGEPAGE)

void *allocateHugePageable(std::size_t bytes)
{
    if (bytes < kHugePageThreshold)
        return ::operator new(bytes);
    if (bytes > std::numeric_limits<std::size_t>::max() - 2 * kHugePage)
        throw std::bad_alloc();
    // Map one huge page more than needed and unmap the unaligned head and the tail.
    const std::size_t size = roundUp(bytes, kHugePage);
    void *mapped = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED)
        throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(mapped);
    const std::uintptr_t aligned = roundUp(start, kHugePage);
    if (aligned > start)
        munmap(mapped, aligned - start);
    if (const std::uintptr_t tail = start + size + kHugePage - (aligned + size); tail > 0)
        munmap(reinterpret_cast<void *>(aligned + size), tail);
    adviseHugePages(reinterpret_cast<void *>(aligned), size);
    poisonTail(reinterpret_cast<void *>(aligned), bytes, size);
    return reinterpret_cast<void *>(aligned);
}

void freeHugePageable(void *data, std::size_t bytes)
{
    if (bytes < kHugePageThreshold)
        ::operator delete(data);
    else if (data) {
        unpoison(data, roundUp(bytes, kHugePage));
        munmap(data, roundUp(bytes, kHugePage));
    }
}

#else

void *allocateHugePageable(std::size_t bytes)
{
    return ::operator new(bytes);
}

void freeHugePageable(void *data, std::size_t)
{
    ::operator delete(data);
}

#endif

} // namespace plumb
