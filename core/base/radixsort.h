#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plumb {

// Sorts doubles ascending (-0.0 before +0.0 from 256 values on; NaNs must be removed first) with
// an LSD radix sort: three passes over the bits of each value rounded to float, then the few runs
// of distinct doubles that share one float put in order by std::sort. O(n) unless very many
// distinct values crowd into one float, several times faster than std::sort on large inputs.
// Uses a scratch buffer of the same size.
void radixSort(std::vector<double> &values);
// The same with the caller's scratch buffer (resized to values.size()): no allocation once it is
// large enough, for sorting many samples in a row.
void radixSort(std::vector<double> &values, std::vector<double> &scratch);

// The positions 0..count-1 ordered by values[position] ascending, equal values in position order
// (a stable sort), by an LSD radix sort over the 64-bit patterns (eight 8-bit passes). No NaNs.
std::vector<std::uint32_t> radixArgsort(const double *values, std::size_t count);

} // namespace plumb
