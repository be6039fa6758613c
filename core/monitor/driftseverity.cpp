#include "monitor/driftseverity.h"

#include <algorithm>
#include <cmath>

namespace plumb {

double driftCellLevel(const DriftReport &report, std::size_t column, std::size_t window)
{
    if (window >= report.windows.size() || column >= std::size_t(report.columns.size()))
        return NAN;
    const DriftCell &cell = report.cells[window][column];
    if (!cell.score)
        return NAN;
    const double ratio = thresholdRatio(*cell.score, report.statisticThresholds);
    if (cell.score->drifted)
        return std::clamp(std::log10(std::max(ratio, 1.0)), 0.05, 1.0);
    return ratio > 0 ? std::clamp(std::log10(ratio), -1.0, std::nextafter(0.0, -1.0)) : -1.0;
}

QString severityColour(double level)
{
    auto hex = [](double red, double green, double blue) {
        return QStringLiteral("#%1%2%3")
            .arg(int(std::lround(red)), 2, 16, QLatin1Char('0'))
            .arg(int(std::lround(green)), 2, 16, QLatin1Char('0'))
            .arg(int(std::lround(blue)), 2, 16, QLatin1Char('0'));
    };
    if (!std::isfinite(level))
        return hex(kUnscoredColour.red, kUnscoredColour.green, kUnscoredColour.blue);
    const double position = (std::clamp(level, -1.0, 1.0) + 1.0) / 2.0;
    for (std::size_t i = 1; i < kSeverityStops.size(); ++i) {
        const SeverityStop &a = kSeverityStops[i - 1], &b = kSeverityStops[i];
        if (position <= b.position) {
            const double t = (position - a.position) / (b.position - a.position);
            return hex(a.red + t * (b.red - a.red), a.green + t * (b.green - a.green), a.blue + t * (b.blue - a.blue));
        }
    }
    const SeverityStop &last = kSeverityStops.back();
    return hex(last.red, last.green, last.blue);
}

} // namespace plumb
