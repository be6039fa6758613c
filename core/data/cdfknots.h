#pragma once

#include <cstddef>
#include <vector>

namespace plumb {

// A numeric column's distribution as a model file keeps it: the empirical CDF at a few hundred
// values ("knots") taken from the column, with the exact count at each knot and the exact count
// strictly between it and the knot before. Between two knots the CDF is taken as rising linearly;
// at a knot it steps by the knot's count. When the column has few distinct values every value is
// a knot, and the CDF is the empirical one exactly.
//
// The knots are chosen so that every drift statistic computed from them stays close to the
// statistic on the full column (README, "The reference profile"):
//  - no more than 1/kKnotMassSteps of the values lies strictly between two knots, so the CDF is
//    never off by more than that (the KS statistic moves at most as much); a value holding more
//    than that share (a point mass such as 60% zeros) is always a knot;
//  - in the tails, no more than 1/kKnotTailShare of the values beyond a knot (on the nearer side)
//    lies between it and the next, so a bin holding few values gets its share with a small
//    relative error (what PSI's logarithms need);
//  - between two knots, the area between the linear CDF and the true one is at most
//    kKnotAreaShare x the population standard deviation x the share of values between them, so
//    the Wasserstein distance moves at most kKnotAreaShare standard deviations in all.
struct CdfKnot
{
    double value = 0;
    std::size_t count = 0; // values equal to `value`
    std::size_t between = 0; // values strictly between the previous knot and this one (0 for the first)
};

// Every distinct value is a knot while there are at most this many.
inline constexpr std::size_t kExactDistinctValues = 512;
inline constexpr std::size_t kKnotMassSteps = 512;
inline constexpr std::size_t kKnotTailShare = 16;
inline constexpr double kKnotAreaShare = 0.004;

// The knots of non-empty ascending values (no NaN). `populationStd` is the values' standard
// deviation (ddof 0); when it is not positive and finite only the mass rule applies. O(n log n)
// at worst, O(n) for smooth distributions.
std::vector<CdfKnot> cdfKnots(const std::vector<double> &sorted, double populationStd);

// The integral of |f| over a segment `width` long on which f is linear from f0 to f1.
double absoluteLinearIntegral(double f0, double f1, double width);

// Whether the knots hold every value (no value lies between two knots).
bool isExactDistribution(const std::vector<CdfKnot> &knots);

} // namespace plumb
