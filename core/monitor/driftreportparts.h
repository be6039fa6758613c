#pragma once

// Pieces of the HTML drift report (driftreporthtml.cpp) shared with its per-feature sections
// (driftreportfeatures.cpp). Internal to plumb_monitoring.

#include "monitor/monitoringrun.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace plumb::reporthtml {

inline constexpr int kChartWidth = 720;
inline constexpr int kChartHeight = 220;

// A number for people: 4 significant digits, "–" for NaN.
QString number(double value, int digits = 4);
// A chart with its caption, and its numbers as a table under a <details> disclosure.
QString figure(const QString &svg, const QString &caption, const QStringList &header, const std::vector<QStringList> &rows);
// The score the charts show for a column: the p-value of a test unless thresholds apply to the
// statistic, else the statistic; NaN without a score.
double chartedScore(const DriftReport &report, const DriftCell &cell);
bool chartsPValue(const DriftReport &report, std::size_t column);
// "p-value ≤ 0.05", "statistic ≥ 0.1", "statistic > 0.31 (baseline mean + 3 sd)".
QString thresholdText(const DriftReport &report, std::size_t column);
QStringList windowLabels(const DriftReport &report);
std::vector<double> positions(std::size_t count); // 0, 1, ..., count - 1
// The windows a table lists: all of them up to kHeatMapWindows, else those where `keep` holds.
template<typename Keep> std::vector<std::size_t> tableWindows(const DriftReport &report, Keep &&keep);
QString featureAnchor(std::size_t column); // "feature-3"
// One feature's section: its statistic over time and the distributions of its newest drifted window.
QString featureSection(const MonitoringData &data, const MonitoringResult &result, std::size_t column);

} // namespace plumb::reporthtml

#include "monitor/driftreporthtml.h"

template<typename Keep> std::vector<std::size_t> plumb::reporthtml::tableWindows(const DriftReport &report, Keep &&keep)
{
    std::vector<std::size_t> windows;
    const bool all = report.windows.size() <= kHeatMapWindows;
    for (std::size_t w = 0; w < report.windows.size(); ++w)
        if (all || keep(w))
            windows.push_back(w);
    return windows;
}
