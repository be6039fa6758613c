#include "monitor/categoricaldrift.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace plumb {

namespace {

std::size_t totalOf(const CategoryCounts &counts)
{
    std::size_t total = 0;
    for (const auto &[value, count] : counts)
        total += count;
    return total;
}

std::optional<Error> checkNotEmpty(const CategoryCounts &reference, const CategoryCounts &current)
{
    if (totalOf(reference) == 0)
        return Error::invalid(QStringLiteral("the reference sample has no non-missing values"));
    if (totalOf(current) == 0)
        return Error::invalid(QStringLiteral("the current sample has no non-missing values"));
    return std::nullopt;
}

QStringList unionOfValues(const CategoryCounts &reference, const CategoryCounts &current)
{
    QStringList values;
    for (const auto &[value, count] : reference)
        if (count > 0)
            values.append(value);
    for (const auto &[value, count] : current)
        if (count > 0 && !reference.contains(value))
            values.append(value);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

std::size_t countOf(const CategoryCounts &counts, const QString &value)
{
    const auto found = counts.find(value);
    return found == counts.end() ? 0 : found->second;
}

// P(a, x) by its power series (Numerical Recipes 6.2), for x < a + 1.
double lowerGammaSeries(double a, double x)
{
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10000; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::abs(term) < std::abs(sum) * 1e-17)
            break;
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by its continued fraction in Lentz's form, for x >= a + 1.
double upperGammaFraction(double a, double x)
{
    constexpr double kTiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 10000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        d = std::abs(d) < kTiny ? kTiny : d;
        c = b + an / c;
        c = std::abs(c) < kTiny ? kTiny : c;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < 1e-16)
            break;
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

} // namespace

CategoryCounts categoryCounts(const Column &column, std::size_t &missing, std::span<const std::size_t> rows)
{
    CategoryCounts counts;
    missing = 0;
    const std::size_t count = rows.empty() ? column.size() : rows.size();
    auto rowAt = [&](std::size_t i) { return rows.empty() ? i : rows[i]; };
    if (column.type() == ColumnType::Categorical) {
        std::vector<std::size_t> byCode(std::size_t(column.categories().size()), 0);
        for (std::size_t i = 0; i < count; ++i) {
            const std::int32_t code = column.codes()[rowAt(i)];
            if (code < 0)
                ++missing;
            else
                ++byCode[std::size_t(code)];
        }
        for (std::size_t c = 0; c < byCode.size(); ++c)
            if (byCode[c] > 0)
                counts[column.categories().at(qsizetype(c))] += byCode[c];
        return counts;
    }
    const bool boolean = column.type() == ColumnType::Boolean;
    for (std::size_t i = 0; i < count; ++i) {
        const double value = column.numbers()[rowAt(i)];
        if (std::isnan(value))
            ++missing;
        else if (boolean)
            ++counts[value != 0 ? QStringLiteral("true") : QStringLiteral("false")];
        else
            ++counts[numberCategory(value)];
    }
    return counts;
}

QString numberCategory(double value)
{
    return QString::number(value, 'g', 17);
}

Result<CategoryShares> categoryShares(const CategoryCounts &reference, const CategoryCounts &current)
{
    if (auto error = checkNotEmpty(reference, current))
        return *error;
    CategoryShares shares;
    shares.values = unionOfValues(reference, current);
    const double referenceTotal = double(totalOf(reference)), currentTotal = double(totalOf(current));
    for (const QString &value : shares.values) {
        shares.reference.push_back(double(countOf(reference, value)) / referenceTotal);
        shares.current.push_back(double(countOf(current, value)) / currentTotal);
    }
    return shares;
}

Result<ChiSquareTest> chiSquareTest(const CategoryCounts &reference, const CategoryCounts &current)
{
    if (auto error = checkNotEmpty(reference, current))
        return *error;
    const QStringList values = unionOfValues(reference, current);
    const double scale = double(totalOf(current)) / double(totalOf(reference));
    ChiSquareTest test;
    test.degreesOfFreedom = int(values.size()) - 1;
    if (test.degreesOfFreedom == 0)
        return test;
    for (const QString &value : values) {
        const double observed = double(countOf(current, value));
        const double expected = double(countOf(reference, value)) * scale;
        // An unseen value (expected 0, observed > 0) makes the statistic infinite, as in scipy.
        test.statistic += expected > 0 ? (observed - expected) * (observed - expected) / expected
                                       : std::numeric_limits<double>::infinity();
    }
    test.pValue = chiSquareSurvival(test.statistic, test.degreesOfFreedom);
    return test;
}

double chiSquareSurvival(double x, double degreesOfFreedom)
{
    if (std::isinf(x))
        return 0.0;
    if (x <= 0)
        return 1.0;
    const double a = degreesOfFreedom / 2.0, half = x / 2.0;
    return half < a + 1.0 ? 1.0 - lowerGammaSeries(a, half) : upperGammaFraction(a, half);
}

std::vector<UnseenCategory> unseenCategories(const CategoryCounts &reference, const CategoryCounts &current)
{
    std::vector<UnseenCategory> unseen;
    for (const auto &[value, count] : current)
        if (count > 0 && countOf(reference, value) == 0)
            unseen.push_back({value, count});
    std::stable_sort(unseen.begin(), unseen.end(), [](const auto &a, const auto &b) { return a.count > b.count; });
    return unseen;
}

} // namespace plumb
