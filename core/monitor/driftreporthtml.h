#pragma once

#include "monitor/driftreport.h"
#include "monitor/performancedecay.h"
#include "monitor/predictiondrift.h"

#include <QByteArray>

namespace plumb {

// The report as one self-contained HTML page (no scripts, no external files): the windows with
// their drift share, a columns x windows heat map coloured by how far each score is past its
// threshold (the value in each cell, the method and threshold per row), and the alerts.
// `title` heads the page (the model's name and file); every text is HTML-escaped. With
// `performance` (same windows), a table of the metric per window against the baseline; with
// `predictions`, a row of prediction drift under the heat map.
QByteArray driftReportHtml(const DriftReport &report, const QString &title, const PerformanceReport *performance = nullptr,
                           const PredictionDrift *predictions = nullptr);

} // namespace plumb
