#include "data/columnprofile.h"

#include "base/moments.h"
#include "base/parallel.h"
#include "base/radixsort.h"

#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMinBins = 10;
constexpr std::size_t kMaxBins = 50;
constexpr double kMaxUnitBinsRange = 50;

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
    const Moments spread = moments(sorted);
    profile.mean = spread.mean;
    profile.std = sorted.size() > 1 ? spread.sampleStd() : kNaN;
    radixSort(sorted);
    profile.min = sorted.front();
    profile.max = sorted.back();
    profile.unique = 1;
    for (std::size_t i = 1; i < sorted.size(); ++i)
        profile.unique += sorted[i] != sorted[i - 1];
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        profile.quantiles[q] = quantileOfSorted(sorted, ColumnProfile::kQuantileLevels[q]);
    fillHistogram(profile, sorted, column.type());
    profile.knots = cdfKnots(sorted, spread.populationStd());
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
        const auto first = std::find_if(column.numbers().begin(), column.numbers().end(),
                                        [](double v) { return !std::isnan(v); });
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

QJsonObject knotsToJson(const std::vector<CdfKnot> &knots)
{
    QJsonArray values, counts, between;
    for (const CdfKnot &knot : knots) {
        values.append(knot.value);
        counts.append(double(knot.count));
        between.append(double(knot.between));
    }
    return QJsonObject{
        {QStringLiteral("values"), values}, {QStringLiteral("counts"), counts}, {QStringLiteral("between"), between}};
}

} // namespace

QJsonObject profileToJson(const ColumnProfile &profile)
{
    QJsonObject quantiles;
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        quantiles.insert(QString::number(ColumnProfile::kQuantileLevels[q]), numberOrNull(profile.quantiles[q]));
    QJsonArray histogram;
    for (const ColumnProfile::Bin &bin : profile.histogram)
        histogram.append(QJsonObject{{QStringLiteral("lower"), bin.lower},
                                     {QStringLiteral("upper"), bin.upper},
                                     {QStringLiteral("count"), double(bin.count)}});
    QJsonArray top;
    for (const ColumnProfile::Category &category : profile.topCategories)
        top.append(QJsonObject{{QStringLiteral("value"), category.value}, {QStringLiteral("count"), double(category.count)}});
    QJsonObject json{
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
    if (!profile.knots.empty())
        json.insert(QStringLiteral("distribution"), knotsToJson(profile.knots));
    return json;
}

namespace {

constexpr double kMaxExactCount = 9007199254740992.0; // 2^53

// Reads the fields of one JSON object, remembering which it took so unknown ones can be refused.
// The first failure sticks; later reads return defaults.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString path) : mObject(object), mPath(std::move(path)) { }

    QString text(const QString &key) { return take(key, QJsonValue::String, QStringLiteral("text")).toString(); }
    std::size_t count(const QString &key)
    {
        const double value = take(key, QJsonValue::Double, QStringLiteral("a whole number")).toDouble();
        if (!mError && (value < 0 || value > kMaxExactCount || value != std::floor(value)))
            fail(key, QStringLiteral("must be a whole number from 0 to 2^53"));
        return mError ? 0 : std::size_t(value);
    }
    double numberOrNaN(const QString &key)
    {
        const QJsonValue value = mObject.value(key);
        if (value.isNull() && mObject.contains(key)) {
            mSeen.append(key);
            return kNaN;
        }
        return take(key, QJsonValue::Double, QStringLiteral("a number or null")).toDouble();
    }
    double number(const QString &key) { return take(key, QJsonValue::Double, QStringLiteral("a number")).toDouble(); }
    QJsonArray array(const QString &key) { return take(key, QJsonValue::Array, QStringLiteral("an array")).toArray(); }
    QJsonObject object(const QString &key) { return take(key, QJsonValue::Object, QStringLiteral("an object")).toObject(); }

    bool has(const QString &key) const { return mObject.contains(key); }

    void fail(const QString &key, const QString &why)
    {
        if (!mError)
            mError = Error::invalid(QStringLiteral("%1.%2 %3").arg(mPath, key, why));
    }
    // The first failure, or one naming a key that was never read.
    std::optional<Error> finish()
    {
        for (auto it = mObject.begin(); !mError && it != mObject.end(); ++it)
            if (!mSeen.contains(it.key()))
                mError = Error::invalid(QStringLiteral("%1 has an unknown field \"%2\"").arg(mPath, it.key()));
        return mError;
    }

private:
    QJsonValue take(const QString &key, QJsonValue::Type type, const QString &what)
    {
        if (mError)
            return {};
        const QJsonValue value = mObject.value(key);
        if (!mObject.contains(key)) {
            mError = Error::invalid(QStringLiteral("%1 lacks the field \"%2\"").arg(mPath, key));
            return {};
        }
        mSeen.append(key);
        if (value.type() != type) {
            fail(key, QStringLiteral("must be %1").arg(what));
            return {};
        }
        return value;
    }

    const QJsonObject &mObject;
    QString mPath;
    QStringList mSeen;
    std::optional<Error> mError;
};

std::optional<Error> readHistogram(const QJsonArray &array, const QString &path, ColumnProfile &profile)
{
    std::size_t total = 0;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject object = array[i].toObject();
        FieldReader reader(object, QStringLiteral("%1.histogram[%2]").arg(path).arg(i));
        if (!array[i].isObject())
            return Error::invalid(QStringLiteral("%1.histogram[%2] must be an object").arg(path).arg(i));
        ColumnProfile::Bin bin{reader.number(QStringLiteral("lower")), reader.number(QStringLiteral("upper")),
                               reader.count(QStringLiteral("count"))};
        if (!(bin.lower <= bin.upper))
            reader.fail(QStringLiteral("upper"), QStringLiteral("is below its lower edge"));
        else if (!profile.histogram.empty() && bin.lower < profile.histogram.back().upper)
            reader.fail(QStringLiteral("lower"), QStringLiteral("overlaps the bin before"));
        if (auto error = reader.finish())
            return error;
        total += bin.count;
        profile.histogram.push_back(bin);
    }
    if (!profile.histogram.empty() && total != profile.count)
        return Error::invalid(
            QStringLiteral("%1.histogram counts %2 values, but count is %3").arg(path).arg(total).arg(profile.count));
    return std::nullopt;
}

// One of distribution's parallel arrays: numbers, as many as `size` (the first array's length).
std::optional<Error> readKnotArray(const QJsonArray &array, const QString &path, qsizetype size, bool whole,
                                   const std::function<void(std::size_t, double)> &store)
{
    if (array.size() != size)
        return Error::invalid(
            QStringLiteral("%1 has %2 entries, but distribution.values has %3").arg(path).arg(array.size()).arg(size));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const double value = array[i].toDouble(kNaN);
        if (!array[i].isDouble() || !std::isfinite(value))
            return Error::invalid(QStringLiteral("%1[%2] must be a finite number").arg(path).arg(i));
        if (whole && (value < 0 || value > kMaxExactCount || value != std::floor(value)))
            return Error::invalid(QStringLiteral("%1[%2] must be a whole number from 0 to 2^53").arg(path).arg(i));
        store(std::size_t(i), value);
    }
    return std::nullopt;
}

std::optional<Error> checkKnots(const ColumnProfile &profile, const QString &path)
{
    const std::vector<CdfKnot> &knots = profile.knots;
    std::size_t total = 0;
    for (std::size_t k = 0; k < knots.size(); ++k) {
        if (k > 0 && !(knots[k].value > knots[k - 1].value))
            return Error::invalid(QStringLiteral("%1.values[%2] is not above the value before").arg(path).arg(k));
        if (knots[k].count == 0)
            return Error::invalid(
                QStringLiteral("%1.counts[%2] must be at least 1: a knot is a value of the column").arg(path).arg(k));
        total += knots[k].count + knots[k].between;
    }
    if (knots.empty())
        return Error::invalid(QStringLiteral("%1.values is empty").arg(path));
    if (knots.front().between != 0)
        return Error::invalid(QStringLiteral("%1.between[0] must be 0: nothing lies below the first knot").arg(path));
    if (knots.front().value != profile.min || knots.back().value != profile.max)
        return Error::invalid(QStringLiteral("%1 must run from min to max").arg(path));
    if (total != profile.count)
        return Error::invalid(QStringLiteral("%1 counts %2 values, but count is %3").arg(path).arg(total).arg(profile.count));
    return std::nullopt;
}

std::optional<Error> readKnots(const QJsonObject &object, const QString &profilePath, ColumnProfile &profile)
{
    const QString path = profilePath + QStringLiteral(".distribution");
    FieldReader reader(object, path);
    const QJsonArray values = reader.array(QStringLiteral("values"));
    const QJsonArray counts = reader.array(QStringLiteral("counts"));
    const QJsonArray between = reader.array(QStringLiteral("between"));
    if (auto error = reader.finish())
        return error;
    if (values.size() > qsizetype(profile.count))
        return Error::invalid(QStringLiteral("%1.values has more knots than the column has values").arg(path));
    profile.knots.resize(std::size_t(values.size()));
    std::vector<CdfKnot> &knots = profile.knots;
    if (auto error = readKnotArray(values, path + QStringLiteral(".values"), values.size(), false,
                                   [&](std::size_t k, double v) { knots[k].value = v; }))
        return error;
    if (auto error = readKnotArray(counts, path + QStringLiteral(".counts"), values.size(), true,
                                   [&](std::size_t k, double v) { knots[k].count = std::size_t(v); }))
        return error;
    if (auto error = readKnotArray(between, path + QStringLiteral(".between"), values.size(), true,
                                   [&](std::size_t k, double v) { knots[k].between = std::size_t(v); }))
        return error;
    return checkKnots(profile, path);
}

std::optional<Error> readCategories(const QJsonArray &array, const QString &path, ColumnProfile &profile)
{
    std::size_t total = 0;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject object = array[i].toObject();
        FieldReader reader(object, QStringLiteral("%1.top[%2]").arg(path).arg(i));
        if (!array[i].isObject())
            return Error::invalid(QStringLiteral("%1.top[%2] must be an object").arg(path).arg(i));
        ColumnProfile::Category category{reader.text(QStringLiteral("value")), reader.count(QStringLiteral("count"))};
        if (auto error = reader.finish())
            return error;
        total += category.count;
        profile.topCategories.push_back(category);
    }
    if (total > profile.count)
        return Error::invalid(
            QStringLiteral("%1.top counts %2 values, more than count (%3)").arg(path).arg(total).arg(profile.count));
    return std::nullopt;
}

} // namespace

Result<ColumnProfile> profileFromJson(const QJsonObject &json)
{
    const QString name = json.value(QLatin1String("name")).toString();
    const QString path = QStringLiteral("profile \"%1\"").arg(name);
    FieldReader reader(json, path);
    ColumnProfile profile;
    profile.name = reader.text(QStringLiteral("name"));
    const std::optional<ColumnType> type = columnTypeFromName(reader.text(QStringLiteral("type")));
    const std::optional<ColumnRole> role = columnRoleFromName(reader.text(QStringLiteral("role")));
    profile.count = reader.count(QStringLiteral("count"));
    profile.missing = reader.count(QStringLiteral("missing"));
    profile.unique = reader.count(QStringLiteral("unique"));
    profile.mean = reader.numberOrNaN(QStringLiteral("mean"));
    profile.std = reader.numberOrNaN(QStringLiteral("std"));
    profile.min = reader.numberOrNaN(QStringLiteral("min"));
    profile.max = reader.numberOrNaN(QStringLiteral("max"));
    const QJsonObject quantiles = reader.object(QStringLiteral("quantiles"));
    const QJsonArray histogram = reader.array(QStringLiteral("histogram"));
    const QJsonArray top = reader.array(QStringLiteral("top"));
    const QJsonObject distribution = reader.has(QStringLiteral("distribution")) ? reader.object(QStringLiteral("distribution"))
                                                                                : QJsonObject();
    if (auto error = reader.finish())
        return *error;
    if (!type)
        return Error::invalid(QStringLiteral("%1.type is not a column type").arg(path));
    if (!role)
        return Error::invalid(QStringLiteral("%1.role is not a column role").arg(path));
    profile.type = *type;
    profile.role = *role;
    if (profile.unique > profile.count)
        return Error::invalid(QStringLiteral("%1.unique exceeds count").arg(path));
    if (profile.min > profile.max)
        return Error::invalid(QStringLiteral("%1.min exceeds max").arg(path));
    FieldReader levels(quantiles, path + QStringLiteral(".quantiles"));
    for (std::size_t q = 0; q < profile.quantiles.size(); ++q)
        profile.quantiles[q] = levels.numberOrNaN(QString::number(ColumnProfile::kQuantileLevels[q]));
    if (auto error = levels.finish())
        return *error;
    if (auto error = readHistogram(histogram, path, profile))
        return *error;
    if (auto error = readCategories(top, path, profile))
        return *error;
    if (json.contains(QLatin1String("distribution"))) {
        if (!isNumericStorage(profile.type))
            return Error::invalid(QStringLiteral("%1.distribution belongs to numeric columns only").arg(path));
        if (auto error = readKnots(distribution, path, profile))
            return *error;
    }
    return profile;
}

Result<std::vector<ColumnProfile>> profilesFromJson(const QJsonArray &json)
{
    std::vector<ColumnProfile> profiles;
    for (qsizetype i = 0; i < json.size(); ++i) {
        if (!json[i].isObject())
            return Error::invalid(QStringLiteral("profile[%1] must be an object").arg(i));
        Result<ColumnProfile> profile = profileFromJson(json[i].toObject());
        if (!profile)
            return profile.error();
        profiles.push_back(std::move(profile).value());
    }
    return profiles;
}

} // namespace plumb
