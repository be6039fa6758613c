#include "monitor/driftreporthtml.h"

#include <cmath>

namespace plumb {

namespace {

QString escaped(const QString &text) { return text.toHtmlEscaped(); }

// How alarming a score is, 0 (far inside its threshold) to 1 (past it): p-values below the
// threshold and distances above it are past.
double severity(const DriftScore &score, bool onStatistic)
{
    if (score.drifted)
        return 1.0;
    return std::clamp(thresholdRatio(score, onStatistic), 0.0, 0.99);
}

// White through amber to red.
QString cellColour(double severity)
{
    const int green = int(std::lround(255 - 155 * severity));
    const int blue = int(std::lround(255 - 215 * std::min(1.0, severity * 1.6)));
    return QStringLiteral("rgb(255,%1,%2)").arg(green).arg(blue);
}

QString cellText(const DriftCell &cell, bool onStatistic)
{
    if (!cell.score)
        return QStringLiteral("&ndash;");
    const double shown = cell.score->pValue && !onStatistic ? *cell.score->pValue : cell.score->statistic;
    return QString::number(shown, 'g', 3);
}

QString windowsTable(const DriftReport &report)
{
    QString html = QStringLiteral("<table><tr><th>window</th><th>rows</th><th>drifted features</th><th>share</th><th>dataset drift</th></tr>\n");
    for (const WindowDrift &window : report.windows)
        html += QStringLiteral("<tr><td>%1</td><td class=n>%2</td><td class=n>%3 of %4</td><td class=n>%5%</td><td>%6</td></tr>\n")
                    .arg(escaped(window.label)).arg(window.rows).arg(window.driftedFeatures).arg(window.scoredFeatures)
                    .arg(100.0 * window.driftShare, 0, 'f', 1)
                    .arg(window.datasetDrift ? QStringLiteral("<b class=bad>yes</b>") : QStringLiteral("no"));
    html += QStringLiteral("</table>\n");
    const std::vector<UnscoredCells> unscored = unscoredCells(report);
    if (unscored.empty())
        return html;
    html += QStringLiteral("<p>Not scored (left out of the counts above):</p>\n<ul>\n");
    for (const UnscoredCells &cells : unscored)
        html += QStringLiteral("<li>%1</li>\n").arg(escaped(describeUnscored(report, cells)));
    return html + QStringLiteral("</ul>\n");
}

QString heatMap(const DriftReport &report, const PredictionDrift *predictions)
{
    QString html = QStringLiteral("<table class=heat><tr><th>column</th><th>method</th><th>threshold</th>");
    for (const WindowDrift &window : report.windows)
        html += QStringLiteral("<th class=w>%1</th>").arg(escaped(window.label));
    html += QStringLiteral("</tr>\n");
    for (qsizetype c = 0; c < report.columns.size(); ++c) {
        const auto column = std::size_t(c);
        html += QStringLiteral("<tr><td>%1%2</td><td>%3</td><td class=n>%4</td>")
                    .arg(escaped(report.columns[c]),
                         report.roles[column] == ColumnRole::Target ? QStringLiteral(" <i>(target)</i>") : QString(),
                         driftMethodName(report.methods[column]))
                    .arg(report.thresholds[column], 0, 'g', 3);
        for (std::size_t w = 0; w < report.windows.size(); ++w) {
            const DriftCell &cell = report.cells[w][column];
            const double level = cell.score ? severity(*cell.score, report.statisticThresholds) : 0.0;
            html += QStringLiteral("<td class=n style=\"background:%1\" title=\"%2\">%3</td>")
                        .arg(cellColour(level), escaped(cell.error), cellText(cell, report.statisticThresholds));
        }
        html += QStringLiteral("</tr>\n");
    }
    if (predictions) {
        html += QStringLiteral("<tr><td><i>(predictions)</i></td><td>%1</td><td class=n>vs first %2</td>")
                    .arg(driftMethodName(predictions->method))
                    .arg(predictions->referenceWindows);
        for (const DriftCell &cell : predictions->windows)
            html += QStringLiteral("<td class=n style=\"background:%1\" title=\"%2\">%3</td>")
                        .arg(cellColour(cell.score ? severity(*cell.score, false) : 0.0), escaped(cell.error), cellText(cell, false));
        html += QStringLiteral("</tr>\n");
    }
    return html + QStringLiteral("</table>\n");
}

QString alertList(const DriftReport &report)
{
    if (report.alerts.empty())
        return QStringLiteral("<p>No column crossed its threshold.</p>\n");
    QString html = QStringLiteral("<ul>\n");
    for (const DriftAlert &alert : report.alerts)
        html += QStringLiteral("<li><b>%1</b> %2%3</li>\n")
                    .arg(escaped(report.windows[alert.window].label),
                         alert.column.isEmpty() ? QString() : escaped(alert.column) + QStringLiteral(": "), escaped(alert.message));
    return html + QStringLiteral("</ul>\n");
}

QString performanceTable(const PerformanceReport &performance, const DriftReport &report)
{
    QString html = QStringLiteral("<p>%1 on the labelled rows of each window, with a 95% bootstrap band; the validation baseline "
                                  "is %2.</p>\n<table><tr><th>window</th><th>rows</th><th>%1</th><th>band</th><th></th></tr>\n")
                       .arg(escaped(performance.metric))
                       .arg(performance.baseline, 0, 'f', 4);
    for (std::size_t w = 0; w < performance.windows.size(); ++w) {
        const WindowPerformance &window = performance.windows[w];
        html += QStringLiteral("<tr><td>%1</td>").arg(escaped(report.windows[w].label));
        if (!window.error.isEmpty()) {
            html += QStringLiteral("<td colspan=4>%1</td></tr>\n").arg(escaped(window.error));
            continue;
        }
        html += QStringLiteral("<td class=n>%1</td><td class=n>%2</td><td class=n>%3 &ndash; %4</td><td>%5</td></tr>\n")
                    .arg(window.rows)
                    .arg(window.value, 0, 'f', 4)
                    .arg(window.lower, 0, 'f', 4)
                    .arg(window.upper, 0, 'f', 4)
                    .arg(window.degraded ? QStringLiteral("<b class=bad>below the baseline</b>") : QString());
    }
    return html + QStringLiteral("</table>\n");
}

} // namespace

QByteArray driftReportHtml(const DriftReport &report, const QString &title, const PerformanceReport *performance,
                           const PredictionDrift *predictions)
{
    const QString thresholds = report.statisticThresholds
                                   ? QStringLiteral("Thresholds: the baseline windows' mean + 3 standard deviations of each statistic.")
                                   : QStringLiteral("Cells show p-values for the tests (ks, chisquare) and distances otherwise.");
    QString html = QStringLiteral(
                       "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n<style>\n"
                       "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                       "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#f3f3f3}"
                       "td.n{text-align:right;font-variant-numeric:tabular-nums}th.w{writing-mode:vertical-rl;transform:rotate(180deg)}"
                       ".bad{color:#b00}\n</style></head><body>\n<h1>Drift report</h1>\n<p>%1</p>\n")
                       .arg(escaped(title));
    html += QStringLiteral("<h2>Windows</h2>\n") + windowsTable(report);
    html += QStringLiteral("<h2>Columns over time</h2>\n<p>%1 A window drifts as a whole when at least %2% of its features drift.</p>\n")
                .arg(thresholds)
                .arg(100.0 * report.datasetDriftShare, 0, 'g', 3);
    html += heatMap(report, predictions);
    if (performance)
        html += QStringLiteral("<h2>Performance</h2>\n") + performanceTable(*performance, report);
    html += QStringLiteral("<h2>Alerts</h2>\n") + alertList(report);
    html += QStringLiteral("</body></html>\n");
    return html.toUtf8();
}

} // namespace plumb
