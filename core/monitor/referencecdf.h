#pragma once

#include "data/columnprofile.h"

#include <vector>

namespace plumb {

// The reference CDF a numeric column's profile gives: its knots (data/cdfknots.h), each a step by
// the knot's count, with a linear rise between knots. A profile of model format 2 and earlier
// keeps a histogram only; it is read as knots too: one per whole number for a histogram of unit
// bins centred on whole numbers (exact), otherwise one at every bin edge with the bin's count
// spread evenly between them (approximate: the values' places inside each bin are unknown).
class ReferenceCdf
{
public:
    explicit ReferenceCdf(const ColumnProfile &profile);

    bool isEmpty() const { return mTotal == 0; }
    double total() const { return mTotal; }
    // Every value of the column is a knot: statistics from this CDF are those of the data.
    bool isExact() const { return mExact; }
    // Read from a histogram-only profile (model format 2 and earlier).
    bool isFromHistogram() const { return mFromHistogram; }
    const std::vector<CdfKnot> &knots() const { return mKnots; }

    // How many reference values lie below x and at or below x (fractional between knots).
    struct Counts
    {
        double below = 0;
        double atOrBelow = 0;
    };
    // Queries must come in ascending order; rewind() starts again from the lowest.
    Counts at(double x);
    void rewind() { mNext = 0; }

private:
    std::vector<CdfKnot> mKnots;
    std::vector<double> mAtOrBelow; // cumulative count through each knot
    double mTotal = 0;
    std::size_t mNext = 0; // the first knot not below the last query
    bool mExact = false;
    bool mFromHistogram = false;
};

} // namespace plumb
