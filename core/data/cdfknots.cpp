#include "data/cdfknots.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace plumb {

namespace {

// The column's distinct values with their counts, ascending.
struct Run
{
    double value;
    std::size_t count;
};

std::vector<Run> runsOf(const std::vector<double> &sorted)
{
    std::vector<Run> runs;
    for (double value : sorted) {
        if (runs.empty() || runs.back().value != value)
            runs.push_back({value, 0});
        ++runs.back().count;
    }
    return runs;
}

// Runs `first` and `last` are knots; the area between the CDF that rises linearly from one to the
// other and the true one, which steps at each run in between. In counts x value units.
double areaBetween(const std::vector<Run> &runs, std::size_t first, std::size_t last, std::size_t between)
{
    const double start = runs[first].value, width = runs[last].value - start;
    if (between == 0 || !(width > 0))
        return 0;
    const double slope = double(between) / width;
    double area = 0, below = 0, x = start;
    for (std::size_t r = first + 1; r <= last; ++r) {
        const double next = runs[r].value;
        area += absoluteLinearIntegral(slope * (x - start) - below, slope * (next - start) - below, next - x);
        below += double(runs[r].count);
        x = next;
    }
    return area;
}

// The run inside (first, last) at which the count between them reaches its half.
std::size_t medianRun(const std::vector<Run> &runs, std::size_t first, std::size_t last, std::size_t between)
{
    std::size_t seen = 0;
    for (std::size_t r = first + 1; r < last; ++r) {
        seen += runs[r].count;
        if (2 * seen >= between)
            return r;
    }
    return last - 1;
}

// The mass rule: walking up, a run becomes a knot when the values since the last knot would
// otherwise pass `maxBetween`, or 1/kKnotTailShare of the values beyond them on the nearer side
// (so that a bin in a tail holding few values gets its share with a small relative error). The
// first and last runs are always knots.
std::vector<std::size_t> massKnots(const std::vector<Run> &runs, double maxBetween, std::size_t total)
{
    std::vector<std::size_t> knots{0};
    double since = 0, below = double(runs.front().count);
    for (std::size_t r = 1; r < runs.size(); ++r) {
        const double count = double(runs[r].count);
        const double above = double(total) - below - since - count;
        const double tailBound = std::min(below, above) / double(kKnotTailShare);
        if (r + 1 == runs.size() || since + count > std::min(maxBetween, tailBound)) {
            knots.push_back(r);
            below += since + count;
            since = 0;
        } else {
            since += count;
        }
    }
    return knots;
}

std::size_t countBetween(const std::vector<Run> &runs, std::size_t first, std::size_t last)
{
    std::size_t between = 0;
    for (std::size_t r = first + 1; r < last; ++r)
        between += runs[r].count;
    return between;
}

// The area rule: a span whose area passes kKnotAreaShare x std x its count is split at its
// median run, until every span passes.
std::vector<std::size_t> refineByArea(const std::vector<Run> &runs, const std::vector<std::size_t> &knots, double std)
{
    std::vector<std::size_t> refined{knots.front()};
    std::vector<std::pair<std::size_t, std::size_t>> pending;
    for (std::size_t k = knots.size() - 1; k > 0; --k)
        pending.emplace_back(knots[k - 1], knots[k]);
    while (!pending.empty()) {
        const auto [first, last] = pending.back();
        pending.pop_back();
        const std::size_t between = countBetween(runs, first, last);
        if (last - first < 2 || areaBetween(runs, first, last, between) <= kKnotAreaShare * std * double(between)) {
            refined.push_back(last);
            continue;
        }
        const std::size_t middle = medianRun(runs, first, last, between);
        pending.emplace_back(middle, last);
        pending.emplace_back(first, middle);
    }
    return refined;
}

} // namespace

double absoluteLinearIntegral(double f0, double f1, double width)
{
    if ((f0 >= 0) == (f1 >= 0))
        return (std::abs(f0) + std::abs(f1)) / 2 * width;
    return (f0 * f0 + f1 * f1) / (2 * std::abs(f1 - f0)) * width;
}

std::vector<CdfKnot> cdfKnots(const std::vector<double> &sorted, double populationStd)
{
    const std::vector<Run> runs = runsOf(sorted);
    std::vector<CdfKnot> knots;
    if (runs.size() <= kExactDistinctValues) {
        for (const Run &run : runs)
            knots.push_back({run.value, run.count, 0});
        return knots;
    }
    std::vector<std::size_t> chosen = massKnots(runs, double(sorted.size()) / double(kKnotMassSteps), sorted.size());
    if (populationStd > 0 && std::isfinite(populationStd))
        chosen = refineByArea(runs, chosen, populationStd);
    for (std::size_t k = 0; k < chosen.size(); ++k)
        knots.push_back({runs[chosen[k]].value, runs[chosen[k]].count, k ? countBetween(runs, chosen[k - 1], chosen[k]) : 0});
    return knots;
}

bool isExactDistribution(const std::vector<CdfKnot> &knots)
{
    return std::all_of(knots.begin(), knots.end(), [](const CdfKnot &knot) { return knot.between == 0; });
}

} // namespace plumb
