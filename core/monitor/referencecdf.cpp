#include "monitor/referencecdf.h"

#include <cmath>

namespace plumb {

namespace {

bool isUnitHistogram(const ColumnProfile &profile)
{
    if (profile.type != ColumnType::Integer || profile.histogram.empty())
        return false;
    for (const ColumnProfile::Bin &bin : profile.histogram) {
        const double centre = (bin.lower + bin.upper) / 2;
        if (bin.upper - bin.lower != 1.0 || centre != std::floor(centre))
            return false;
    }
    return true;
}

std::vector<CdfKnot> knotsFromHistogram(const ColumnProfile &profile, bool unit)
{
    std::vector<CdfKnot> knots;
    for (const ColumnProfile::Bin &bin : profile.histogram) {
        if (unit) {
            if (bin.count > 0)
                knots.push_back({(bin.lower + bin.upper) / 2, bin.count, 0});
        } else if (!(bin.upper > bin.lower)) {
            knots.push_back({bin.lower, bin.count, 0}); // a constant column's one bin
        } else {
            if (knots.empty() || knots.back().value != bin.lower)
                knots.push_back({bin.lower, 0, 0});
            knots.push_back({bin.upper, 0, bin.count});
        }
    }
    return knots;
}

} // namespace

ReferenceCdf::ReferenceCdf(const ColumnProfile &profile)
{
    if (!profile.knots.empty()) {
        mKnots = profile.knots;
        mExact = isExactDistribution(mKnots);
    } else {
        const bool unit = isUnitHistogram(profile);
        mKnots = knotsFromHistogram(profile, unit);
        mFromHistogram = !mKnots.empty();
        mExact = unit || (mKnots.size() == 1 && mKnots.front().between == 0);
    }
    mAtOrBelow.reserve(mKnots.size());
    for (const CdfKnot &knot : mKnots) {
        mTotal += double(knot.between) + double(knot.count);
        mAtOrBelow.push_back(mTotal);
    }
}

ReferenceCdf::Counts ReferenceCdf::at(double x)
{
    while (mNext < mKnots.size() && mKnots[mNext].value < x)
        ++mNext;
    if (mNext == mKnots.size())
        return {mTotal, mTotal};
    const CdfKnot &knot = mKnots[mNext];
    if (knot.value == x)
        return {mAtOrBelow[mNext] - double(knot.count), mAtOrBelow[mNext]};
    if (mNext == 0)
        return {0, 0};
    const double start = mKnots[mNext - 1].value;
    const double below = mAtOrBelow[mNext - 1] + double(knot.between) * ((x - start) / (knot.value - start));
    return {below, below};
}

} // namespace plumb
