#pragma once

#include "base/result.h"
#include "data/column.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <map>
#include <span>
#include <vector>

namespace plumb {

// Drift statistics between a reference and a current sample of categories, given as counts per
// value (missing values are counted apart, never as a category).

using CategoryCounts = std::map<QString, std::size_t>;

// Counts of a Categorical or Boolean column's values ("true"/"false" for Boolean); `missing`
// receives the missing count. Numeric columns count their values' text (QString::number).
// Only the given rows when `rows` is not empty.
CategoryCounts categoryCounts(const Column &column, std::size_t &missing, std::span<const std::size_t> rows = {});
// A number as a category: its text with 17 significant digits, which reads back exactly.
QString numberCategory(double value);

// Each sample's share of every value seen in either, values in ascending order.
struct CategoryShares
{
    QStringList values;
    std::vector<double> reference;
    std::vector<double> current;
};
// Fails when either sample has no values.
Result<CategoryShares> categoryShares(const CategoryCounts &reference, const CategoryCounts &current);

// Pearson's goodness-of-fit test of the current counts against the reference frequencies, as
// Evidently's chi-square drift test: scipy.stats.chisquare(observed = current counts, expected =
// reference counts x n_current / n_reference) over every value seen in either sample, k - 1
// degrees of freedom. A value unseen in the reference has expected 0: the statistic is +inf and
// the p-value 0, as scipy gives. One category in all: statistic 0, p-value 1, 0 degrees.
struct ChiSquareTest
{
    double statistic = 0;
    double pValue = 1;
    int degreesOfFreedom = 0;
};
Result<ChiSquareTest> chiSquareTest(const CategoryCounts &reference, const CategoryCounts &current);

// P(X >= x) for X chi-square with `degreesOfFreedom` > 0 (scipy.stats.chi2.sf): the regularised
// upper incomplete gamma Q(k/2, x/2). Accurate to about 1e-14.
double chiSquareSurvival(double x, double degreesOfFreedom);

// Values of the current sample absent from the reference, most frequent first, with their counts.
struct UnseenCategory
{
    QString value;
    std::size_t count = 0;
};
std::vector<UnseenCategory> unseenCategories(const CategoryCounts &reference, const CategoryCounts &current);

} // namespace plumb
