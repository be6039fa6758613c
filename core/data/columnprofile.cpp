#include "data/columnprofile.h"

#include "base/parallel.h"
#include "base/radixsort.h"

#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMinBins = 10;
constexpr std::size_t kMaxBins = 50;
constexpr double kMaxUnitBinsRange = 50;

// numpy.quantile's default ("linear", Hyndman & Fan type 7) on sorted values.
double quantileOfSorted(const std::vector<double> &sorted, double level)
{
    const double position = level * double(sorted.size() - 1);
    const auto lower = std::size_t(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - double(lower);
    const double a = sorted[lower], b = sorted[upper];
    // numpy's _lerp: interpolate from the nearer end so the result stays inside [a, b].
    return fraction >= 0.5 ? b - (b - a) * (1.0 - fraction) : a + (b - a) * fraction;
}

// Bin count: one bin per whole number for small integer ranges, otherwise the Freedman-Diaconis
// rule (bin width 2 IQR / n^(1/3)), clamped to [kMinBins, kMaxBins].
std::size_t binCount(const ColumnProfile &profile, ColumnType type)
{
    const double range = profile.max - profile.min;
    if (range <= 0)
        return 1;
    if (type == ColumnType::Integer && range <= kMaxUnitBinsRange)
        return std::size_t(range) + 1;
    const double iqr = profile.quantiles[4] - profile.quantiles[2];
    if (iqr <= 0)
        return kMinBins;
    const double width = 2.0 * iqr / std::cbrt(double(profile.count));
    return std::clamp<std::size_t>(std::size_t(std::ceil(range / width)), kMinBins, kMaxBins);
}

void fillHistogram(ColumnProfile &profile, const std::vector<double> &sorted, ColumnType type)
{
    const std::size_t bins = binCount(profile, type);
    // Whole-number bins are centred on the numbers; others split [min, max] evenly.
    const bool unitBins = type == ColumnType::Integer && bins > 1 && double(bins) == profile.max - profile.min + 1;
    const double lower = unitBins ? profile.min - 0.5 : profile.min;
    const double upper = unitBins ? profile.max + 0.5 : profile.max;
    const double width = bins > 1 || unitBins ? (upper - lower) / double(bins) : 1.0;
    profile.histogram.resize(bins);
    for (std::size_t b = 0; b < bins; ++b)
        profile.histogram[b] = {lower + width * double(b), b + 1 == bins ? upper : lower + width * double(b + 1), 0};
    for (double value : sorted) {
        auto b = bins > 1 ? std::size_t((value - lower) / width) : 0;
        profile.histogram[std::min(b, bins - 1)].count += 1;
    }
}

void profileNumbers(ColumnProfile &profile, const Column &column)
{
    std::vector<double> sorted;
    sorted.reserve(column.size());
    for (double value : column.numbers())
        if (!std::isnan(value))
            sorted.push_back(value);
    profile.count = sorted.size();
    profile.missing = column.size() - sorted.size();
    if (sorted.empty()) {
        profile.mean = profile.std = profile.min = profile.max = kNaN;
        profile.quantiles.fill(kNaN);
        return;
    }
    // Two passes (mean, then squared deviations) keep the variance accurate for large offsets.
    const double n = double(sorted.size());
    profile.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / n;
    double squares = 0;
    for (double value : sorted)
        squares += (value - profile.mean) * (value - profile.mean);
    profile.std = sorted.size() > 1 ? std::sqrt(squares / (n - 1)) : kNaN;
    radixSort(sorted);
    profile.min = sorted.front();
    profile.max = sorted.back();
    profile.unique = 1;
    for (std::size_t i = 1; i < sorted.size(); ++i)
        profile.unique += sorted[i] != sorted[i - 1];
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        profile.quantiles[q] = quantileOfSorted(sorted, ColumnProfile::kQuantileLevels[q]);
    fillHistogram(profile, sorted, column.type());
}

void addTopCategories(ColumnProfile &profile, std::vector<std::size_t> counts, const QStringList &labels)
{
    std::vector<std::size_t> order(counts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    for (std::size_t index : order) {
        if (counts[index] == 0 || profile.topCategories.size() == ColumnProfile::kTopCategories)
            break;
        profile.topCategories.push_back({labels[qsizetype(index)], counts[index]});
    }
}

void profileCategories(ColumnProfile &profile, const Column &column)
{
    std::vector<std::size_t> counts(std::size_t(column.categories().size()), 0);
    for (std::int32_t code : column.codes()) {
        if (code < 0)
            ++profile.missing;
        else
            ++counts[std::size_t(code)];
    }
    profile.count = column.size() - profile.missing;
    profile.unique = std::size_t(std::count_if(counts.begin(), counts.end(), [](std::size_t n) { return n > 0; }));
    profile.mean = profile.std = profile.min = profile.max = kNaN;
    profile.quantiles.fill(kNaN);
    addTopCategories(profile, std::move(counts), column.categories());
}

} // namespace

ColumnProfile profileColumn(const Column &column)
{
    ColumnProfile profile;
    profile.name = column.name();
    profile.type = column.type();
    profile.role = column.role();
    if (column.type() == ColumnType::Categorical) {
        profileCategories(profile, column);
        return profile;
    }
    profileNumbers(profile, column);
    if (column.type() == ColumnType::Boolean) {
        // Labels in order of first appearance, so ties list the value seen first.
        const auto first = std::find_if(column.numbers().begin(), column.numbers().end(), [](double v) { return !std::isnan(v); });
        const bool trueFirst = first != column.numbers().end() && *first != 0;
        std::vector<std::size_t> counts{0, 0};
        for (double value : column.numbers())
            if (!std::isnan(value))
                ++counts[(value != 0) == trueFirst ? 0 : 1];
        const QStringList labels = trueFirst ? QStringList{QStringLiteral("true"), QStringLiteral("false")}
                                             : QStringList{QStringLiteral("false"), QStringLiteral("true")};
        addTopCategories(profile, std::move(counts), labels);
    }
    return profile;
}

Result<std::vector<ColumnProfile>> profileDataset(const Dataset &dataset, ProgressSink &progress)
{
    std::vector<ColumnProfile> profiles(dataset.columnCount());
    std::atomic<std::size_t> done{0};
    parallelFor(dataset.columnCount(), [&](std::size_t c) {
        if (progress.isCancelled())
            return;
        profiles[c] = profileColumn(dataset.column(c));
        progress.setProgress(double(done.fetch_add(1) + 1) / double(dataset.columnCount()), QStringLiteral("Profiling"));
    });
    if (progress.isCancelled())
        return Error::cancelled();
    return profiles;
}

namespace {

QJsonValue numberOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject profileToJson(const ColumnProfile &profile)
{
    QJsonObject quantiles;
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        quantiles.insert(QString::number(ColumnProfile::kQuantileLevels[q]), numberOrNull(profile.quantiles[q]));
    QJsonArray histogram;
    for (const ColumnProfile::Bin &bin : profile.histogram)
        histogram.append(QJsonObject{{QStringLiteral("lower"), bin.lower}, {QStringLiteral("upper"), bin.upper},
                                     {QStringLiteral("count"), double(bin.count)}});
    QJsonArray top;
    for (const ColumnProfile::Category &category : profile.topCategories)
        top.append(QJsonObject{{QStringLiteral("value"), category.value}, {QStringLiteral("count"), double(category.count)}});
    return QJsonObject{
        {QStringLiteral("name"), profile.name},
        {QStringLiteral("type"), columnTypeName(profile.type)},
        {QStringLiteral("role"), columnRoleName(profile.role)},
        {QStringLiteral("count"), double(profile.count)},
        {QStringLiteral("missing"), double(profile.missing)},
        {QStringLiteral("unique"), double(profile.unique)},
        {QStringLiteral("mean"), numberOrNull(profile.mean)},
        {QStringLiteral("std"), numberOrNull(profile.std)},
        {QStringLiteral("min"), numberOrNull(profile.min)},
        {QStringLiteral("max"), numberOrNull(profile.max)},
        {QStringLiteral("quantiles"), quantiles},
        {QStringLiteral("histogram"), histogram},
        {QStringLiteral("top"), top},
    };
}

namespace {

double numberOrNaN(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : kNaN;
}

// A count as stored (a JSON number): whole and not negative.
bool readCount(const QJsonValue &value, std::size_t &count)
{
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number != std::floor(number))
        return false;
    count = std::size_t(number);
    return true;
}

} // namespace

Result<ColumnProfile> profileFromJson(const QJsonObject &json, const QString &context)
{
    const auto bad = [&](const QString &field) {
        return Error::invalid(QStringLiteral("%1: profile field \"%2\" is missing or malformed").arg(context, field));
    };
    ColumnProfile profile;
    profile.name = json.value(QLatin1String("name")).toString();
    if (!json.value(QLatin1String("name")).isString())
        return bad(QStringLiteral("name"));
    const auto type = columnTypeFromName(json.value(QLatin1String("type")).toString());
    const auto role = columnRoleFromName(json.value(QLatin1String("role")).toString());
    if (!type)
        return bad(QStringLiteral("type"));
    if (!role)
        return bad(QStringLiteral("role"));
    profile.type = *type;
    profile.role = *role;
    if (!readCount(json.value(QLatin1String("count")), profile.count))
        return bad(QStringLiteral("count"));
    if (!readCount(json.value(QLatin1String("missing")), profile.missing))
        return bad(QStringLiteral("missing"));
    if (!readCount(json.value(QLatin1String("unique")), profile.unique))
        return bad(QStringLiteral("unique"));
    profile.mean = numberOrNaN(json.value(QLatin1String("mean")));
    profile.std = numberOrNaN(json.value(QLatin1String("std")));
    profile.min = numberOrNaN(json.value(QLatin1String("min")));
    profile.max = numberOrNaN(json.value(QLatin1String("max")));
    const QJsonObject quantiles = json.value(QLatin1String("quantiles")).toObject();
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        profile.quantiles[q] = numberOrNaN(quantiles.value(QString::number(ColumnProfile::kQuantileLevels[q])));
    for (const QJsonValue &value : json.value(QLatin1String("histogram")).toArray()) {
        const QJsonObject bin = value.toObject();
        ColumnProfile::Bin read{bin.value(QLatin1String("lower")).toDouble(kNaN), bin.value(QLatin1String("upper")).toDouble(kNaN), 0};
        if (!std::isfinite(read.lower) || !std::isfinite(read.upper) || read.upper < read.lower
            || !readCount(bin.value(QLatin1String("count")), read.count))
            return bad(QStringLiteral("histogram"));
        profile.histogram.push_back(read);
    }
    for (const QJsonValue &value : json.value(QLatin1String("top")).toArray()) {
        const QJsonObject category = value.toObject();
        ColumnProfile::Category read{category.value(QLatin1String("value")).toString(), 0};
        if (!category.value(QLatin1String("value")).isString() || !readCount(category.value(QLatin1String("count")), read.count))
            return bad(QStringLiteral("top"));
        profile.topCategories.push_back(read);
    }
    return profile;
}

} // namespace plumb
