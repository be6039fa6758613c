#pragma once

#include "monitor/monitoringrun.h"

#include <QByteArray>

namespace plumb {

// The monitoring report as one self-contained page, the one `plumb drift --html` writes and the
// Monitor view exports: XHTML-compatible HTML5 (every element closed, every attribute quoted, no
// named entities but XML's), with inline SVG charts, a stylesheet for print and dark mode, and
// nothing fetched (no script, no external file, no web font). Every text is escaped.
//
// It holds: a summary (the model's name, file, digest and whether a signature file sits beside
// it; the reference profile's rows; the windows; how many drift; the retraining verdict and its
// reason; warnings); the features x windows heat map in the Monitor view's colours
// (driftseverity.h), each cell a link to its feature's section; the dataset drift share, the
// prediction drift, the metric with its bootstrap band and validation baseline (where labelled)
// and the service's latency and error rate (from a prediction log) over time; per feature its
// statistic over time against the threshold, and for the newest window where it drifted the
// reference against the current distribution (bars for categories; histograms and CDFs for
// numbers), the method, threshold and bins named. Every chart's numbers are in a table under a
// <details> disclosure beside it.
//
// Beyond kHeatMapWindows windows the heat map draws one cell per run of consecutive windows (its
// worst cell), each column's table has a row per such run, and the other tables list only the
// windows with an alert: a year of daily windows over 50 columns, every one drifting, is a page
// of about 4 MB rather than 18,250 charts.
QByteArray monitoringReportHtml(const MonitoringData &data, const MonitoringResult &result);

inline constexpr std::size_t kHeatMapWindows = 60;

} // namespace plumb
