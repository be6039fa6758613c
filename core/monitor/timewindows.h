#pragma once

#include "base/result.h"

#include <QString>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace plumb {

// Calendar periods for windowing production data by a timestamp column, in UTC. Weeks are ISO
// weeks (Monday to Sunday).
enum class WindowPeriod { Hour, Day, Week, Month };

QString windowPeriodName(WindowPeriod period); // "hour", "day", "week", "month"
std::optional<WindowPeriod> windowPeriodFromName(const QString &name);

// One window of rows: its label ("2026-03-01", "2026-W09", "2026-03", "2026-03-01T13:00"), its
// span [start, end) in seconds since the epoch, and the rows that fall in it, ascending.
struct TimeWindow
{
    QString label;
    double start = 0;
    double end = 0;
    std::vector<std::size_t> rows;
};

// Groups rows by the calendar period of their timestamp (seconds since 1970-01-01T00:00:00Z,
// NaN missing), windows in time order and only those holding rows. `missing` receives the count of
// rows without a timestamp, which no window holds. Fails when no row has a timestamp. O(n) when
// the timestamps span fewer periods than about four per row, else O(n log n).
Result<std::vector<TimeWindow>> windowsByPeriod(std::span<const double> timestamps, WindowPeriod period, std::size_t &missing);

} // namespace plumb
