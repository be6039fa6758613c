#pragma once

#include "data/columnprofile.h"

#include <limits>
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

    // Walks the breakpoints of this CDF (F) and of the empirical CDF of `ascending` values (G):
    // every knot and every distinct value, ascending, calling visit(x, F(x-), F(x), G(x-), G(x))
    // with shares (0 to 1). Between consecutive breakpoints F is linear and G constant, so the
    // KS supremum and the Wasserstein integral need nothing else. One pass, no search, no division
    // per value: what a report over thousands of windows spends its time in.
    template<typename Visit> void sweep(const std::vector<double> &ascending, Visit &&visit) const;

private:
    std::vector<CdfKnot> mKnots;
    std::vector<double> mAtOrBelow; // cumulative count through each knot
    double mTotal = 0;
    std::size_t mNext = 0; // the first knot not below the last query
    bool mExact = false;
    bool mFromHistogram = false;
};

template<typename Visit> void ReferenceCdf::sweep(const std::vector<double> &ascending, Visit &&visit) const
{
    const std::size_t size = ascending.size();
    const double n = double(size), m = mTotal;
    std::size_t j = 0;
    double below = 0, start = 0, slope = 0; // in the span before knot k, F = (below + slope (x - start)) / m
    // The current values below `limit` (each distinct value once), at F's value there.
    auto valuesBelow = [&](double limit) {
        while (j < size && ascending[j] < limit) {
            const double x = ascending[j];
            const double f = (below + slope * (x - start)) / m;
            const double gBelow = double(j) / n;
            while (j < size && ascending[j] == x)
                ++j;
            visit(x, f, f, gBelow, double(j) / n);
        }
    };
    for (std::size_t k = 0; k < mKnots.size(); ++k) {
        const CdfKnot &knot = mKnots[k];
        slope = k > 0 ? double(knot.between) / (knot.value - start) : 0.0;
        valuesBelow(knot.value);
        const double fBelow = (below + double(knot.between)) / m;
        below += double(knot.between) + double(knot.count);
        const double gBelow = double(j) / n;
        while (j < size && ascending[j] == knot.value)
            ++j;
        visit(knot.value, fBelow, below / m, gBelow, double(j) / n);
        start = knot.value;
    }
    slope = 0;
    below = m;
    valuesBelow(std::numeric_limits<double>::infinity());
}

} // namespace plumb
