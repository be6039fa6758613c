#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace plumb {

// Asks the kernel to back [data, data + bytes) with transparent huge pages when the buffer is at
// least 4 MiB, as numpy does for its arrays on Linux. Call it before the buffer is first written:
// long streaming passes over a large matrix then cross a page boundary every 2 MiB instead of
// every 4 KiB, which keeps the processor's prefetchers running. Only the whole pages inside the
// buffer are advised; elsewhere, and on other systems, this does nothing.
void adviseHugePages(void *data, std::size_t bytes);

// Memory for large per-row arrays that are read at scattered rows (a tree node's rows): blocks
// of 4 MiB and more are mapped on their own, aligned to 2 MiB and advised to use huge pages, so a
// scattered read seldom misses the TLB. Mapping them afresh matters: memory the heap hands back
// after an earlier use already has its small pages. Smaller blocks come from operator new.
void *allocateHugePageable(std::size_t bytes);
void freeHugePageable(void *data, std::size_t bytes);

template<typename T> struct HugePageAllocator
{
    using value_type = T;

    HugePageAllocator() = default;
    template<typename U> HugePageAllocator(const HugePageAllocator<U> &) noexcept { }

    T *allocate(std::size_t count)
    {
        static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
        if (count > std::size_t(-1) / sizeof(T))
            throw std::bad_array_new_length();
        return static_cast<T *>(allocateHugePageable(count * sizeof(T)));
    }
    void deallocate(T *data, std::size_t count) noexcept { freeHugePageable(data, count * sizeof(T)); }

    template<typename U> friend bool operator==(const HugePageAllocator &, const HugePageAllocator<U> &) { return true; }
};

template<typename T> using HugePageVector = std::vector<T, HugePageAllocator<T>>;

} // namespace plumb
