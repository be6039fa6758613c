#include "monitor/timewindows.h"

#include <QDate>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace plumb {

namespace {

constexpr std::int64_t kSecondsPerHour = 3600;
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kUnixEpochJulianDay = 2440588; // QDate's Julian day of 1970-01-01
// 1970-01-01 was a Thursday: shifting by three days makes week keys start on Mondays.
constexpr std::int64_t kMondayShift = 3;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

QDate dateOfDay(std::int64_t day)
{
    return QDate::fromJulianDay(day + kUnixEpochJulianDay);
}
std::int64_t dayOfDate(const QDate &date)
{
    return date.toJulianDay() - kUnixEpochJulianDay;
}

// The period's key of a time: hours, days, weeks (from a Monday) or months since the epoch.
std::int64_t periodKey(double seconds, WindowPeriod period)
{
    const auto whole = std::int64_t(std::floor(seconds));
    switch (period) {
    case WindowPeriod::Hour:
        return floorDiv(whole, kSecondsPerHour);
    case WindowPeriod::Day:
        return floorDiv(whole, kSecondsPerDay);
    case WindowPeriod::Week:
        return floorDiv(floorDiv(whole, kSecondsPerDay) + kMondayShift, 7);
    case WindowPeriod::Month: {
        const QDate date = dateOfDay(floorDiv(whole, kSecondsPerDay));
        return std::int64_t(date.year() - 1970) * 12 + (date.month() - 1);
    }
    }
    return 0;
}

// The window a key stands for: label, start and end.
TimeWindow windowOfKey(std::int64_t key, WindowPeriod period)
{
    TimeWindow window;
    switch (period) {
    case WindowPeriod::Hour: {
        window.start = double(key * kSecondsPerHour);
        window.end = window.start + kSecondsPerHour;
        const QDate date = dateOfDay(floorDiv(key, 24));
        window.label = QStringLiteral("%1T%2:00")
                           .arg(date.toString(Qt::ISODate))
                           .arg(int(key - floorDiv(key, 24) * 24), 2, 10, QLatin1Char('0'));
        break;
    }
    case WindowPeriod::Day:
        window.start = double(key * kSecondsPerDay);
        window.end = window.start + kSecondsPerDay;
        window.label = dateOfDay(key).toString(Qt::ISODate);
        break;
    case WindowPeriod::Week: {
        const std::int64_t monday = key * 7 - kMondayShift;
        window.start = double(monday * kSecondsPerDay);
        window.end = window.start + 7 * kSecondsPerDay;
        int isoYear = 0;
        const int week = dateOfDay(monday).weekNumber(&isoYear);
        window.label = QStringLiteral("%1-W%2").arg(isoYear).arg(week, 2, 10, QLatin1Char('0'));
        break;
    }
    case WindowPeriod::Month: {
        const QDate first(int(1970 + floorDiv(key, 12)), int(key - floorDiv(key, 12) * 12) + 1, 1);
        window.start = double(dayOfDate(first) * kSecondsPerDay);
        window.end = double(dayOfDate(first.addMonths(1)) * kSecondsPerDay);
        window.label = first.toString(QStringLiteral("yyyy-MM"));
        break;
    }
    }
    return window;
}

// Rows grouped by key in key order: counting when the keys are dense, sorting otherwise.
std::vector<std::pair<std::int64_t, std::vector<std::size_t>>> groupByKey(const std::vector<std::int64_t> &keys,
                                                                          const std::vector<std::size_t> &rows)
{
    std::vector<std::pair<std::int64_t, std::vector<std::size_t>>> groups;
    const auto [low, high] = std::minmax_element(keys.begin(), keys.end());
    const auto span = std::uint64_t(*high - *low);
    if (span < 4 * keys.size() + 1024) {
        std::vector<std::size_t> counts(span + 1, 0);
        for (std::int64_t key : keys)
            ++counts[std::size_t(key - *low)];
        std::vector<std::size_t> groupOf(span + 1, 0);
        for (std::size_t k = 0; k <= span; ++k)
            if (counts[k] != 0) {
                groupOf[k] = groups.size();
                groups.push_back({*low + std::int64_t(k), {}});
                groups.back().second.reserve(counts[k]);
            }
        for (std::size_t i = 0; i < keys.size(); ++i)
            groups[groupOf[std::size_t(keys[i] - *low)]].second.push_back(rows[i]);
        return groups;
    }
    std::vector<std::size_t> order(keys.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    for (std::size_t i : order) {
        if (groups.empty() || groups.back().first != keys[i])
            groups.push_back({keys[i], {}});
        groups.back().second.push_back(rows[i]);
    }
    return groups;
}

} // namespace

QString windowPeriodName(WindowPeriod period)
{
    switch (period) {
    case WindowPeriod::Hour:
        return QStringLiteral("hour");
    case WindowPeriod::Day:
        return QStringLiteral("day");
    case WindowPeriod::Week:
        return QStringLiteral("week");
    case WindowPeriod::Month:
        return QStringLiteral("month");
    }
    return {};
}

std::optional<WindowPeriod> windowPeriodFromName(const QString &name)
{
    for (WindowPeriod period : {WindowPeriod::Hour, WindowPeriod::Day, WindowPeriod::Week, WindowPeriod::Month})
        if (windowPeriodName(period) == name)
            return period;
    return std::nullopt;
}

Result<std::vector<TimeWindow>> windowsByPeriod(std::span<const double> timestamps, WindowPeriod period, std::size_t &missing)
{
    // Years 0001..9999 keep QDate and the key arithmetic exact.
    constexpr double kEarliest = -62135596800.0, kLatest = 253402300800.0;
    std::vector<std::int64_t> keys;
    std::vector<std::size_t> rows;
    keys.reserve(timestamps.size());
    rows.reserve(timestamps.size());
    for (std::size_t row = 0; row < timestamps.size(); ++row) {
        const double t = timestamps[row];
        if (!(t >= kEarliest && t < kLatest))
            continue;
        keys.push_back(periodKey(t, period));
        rows.push_back(row);
    }
    missing = timestamps.size() - rows.size();
    if (keys.empty())
        return Error::invalid(QStringLiteral("no row has a timestamp between the years 1 and 9999"));
    std::vector<TimeWindow> windows;
    for (auto &[key, members] : groupByKey(keys, rows)) {
        TimeWindow window = windowOfKey(key, period);
        window.rows = std::move(members);
        windows.push_back(std::move(window));
    }
    return windows;
}

} // namespace plumb
