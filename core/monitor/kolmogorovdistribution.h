#pragma once

#include <cstdint>
#include <optional>

namespace plumb {

// Distributions of Kolmogorov–Smirnov statistics, computed as scipy 1.10 computes them, so that
// p-values agree with scipy.stats.ks_2samp to about 1e-10.

// P(D_n >= d) for the two-sided one-sample statistic D_n = sup |F_n - F| with n observations:
// scipy.stats.kstwo.sf(d, n). Simard & L'Ecuyer (2011) choose between the exact Durbin matrix
// (Marsaglia, Tsang & Wang 2003), Pomeranz's recursion (1974), the Pelz–Good expansion (1976) and
// twice the one-sided Smirnov tail. n >= 1; d outside [0, 1] gives 1 or 0.
double kolmogorovSurvival(std::int64_t n, double d);

// P(D+_n >= d) for the one-sided statistic (Birnbaum & Tingey 1951): scipy.special.smirnov(n, d).
double smirnovSurvival(std::int64_t n, double d);

// The exact two-sided two-sample p-value P(D_{m,n} >= d) as scipy's _attempt_exact_2kssamp:
// d is first rounded to the lattice h / lcm(m, n), which `statistic` returns. Equal sizes count
// paths outside a square band; unequal sizes run Hodges' inside method in Viehmann's (2021) form.
// nullopt when the computation leaves [0, 1] (scipy then falls back to the asymptotic method).
struct ExactKsProbability
{
    double statistic = 0;
    double pValue = 1;
};
std::optional<ExactKsProbability> exactTwoSampleKs(std::int64_t m, std::int64_t n, double d);

} // namespace plumb
