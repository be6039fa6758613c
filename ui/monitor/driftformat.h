#pragma once

#include "monitor/driftreport.h"

#include <QString>

namespace plumb::ui {

// Words and numbers for one drift cell, shared by the Monitor view's charts and captions.

// The score charted for a column: the p-value of a test (unless thresholds apply to the statistic),
// else the statistic; NaN without a score.
double chartedScore(const DriftReport &report, const DriftCell &cell);
// What chartedScore is: "p-value" or "statistic".
QString chartedScoreName(const DriftReport &report, std::size_t column);
// The threshold with its direction: "\u2265 0.1", "\u2264 0.05".
QString thresholdRelation(const DriftReport &report, std::size_t column);
// The method and threshold of a column in words: "PSI >= 0.1", "KS p-value <= 0.05".
QString thresholdText(const DriftReport &report, std::size_t column);
// Several lines: column and window, method, statistic, p-value, threshold, verdict, binning,
// missing-rate change and unseen categories; or why the cell has no score.
QString cellDescription(const DriftReport &report, std::size_t column, std::size_t window);
// The same in a few lines of rich text for a caption: the verdict in red when drifted.
QString cellCaption(const DriftReport &report, std::size_t column, std::size_t window);
// A readable method name: "Kolmogorov–Smirnov", "PSI", ...
QString methodTitle(DriftMethod method);

} // namespace plumb::ui
