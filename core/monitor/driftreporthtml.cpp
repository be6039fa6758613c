#include "monitor/driftreporthtml.h"

#include "monitor/driftreportparts.h"
#include "monitor/driftseverity.h"
#include "monitor/svgchart.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace plumb {

namespace reporthtml {

QString number(double value, int digits)
{
    return std::isfinite(value) ? QString::number(value, 'g', digits) : QStringLiteral("\u2013");
}

QString figure(const QString &svg, const QString &caption, const QStringList &header, const std::vector<QStringList> &rows)
{
    QString html = QStringLiteral("<figure>%1<figcaption>%2</figcaption>\n").arg(svg, caption);
    html += QStringLiteral("<details><summary>The numbers (%1 rows)</summary><div class=\"scroll\"><table><tr>").arg(rows.size());
    for (const QString &cell : header)
        html += QStringLiteral("<th>%1</th>").arg(xmlEscaped(cell));
    html += QStringLiteral("</tr>\n");
    for (const QStringList &row : rows) {
        html += QStringLiteral("<tr>");
        for (qsizetype i = 0; i < row.size(); ++i)
            html += i == 0 ? QStringLiteral("<td>%1</td>").arg(xmlEscaped(row[i]))
                           : QStringLiteral("<td class=\"n\">%1</td>").arg(xmlEscaped(row[i]));
        html += QStringLiteral("</tr>\n");
    }
    return html + QStringLiteral("</table></div></details></figure>\n");
}

double chartedScore(const DriftReport &report, const DriftCell &cell)
{
    if (!cell.score)
        return NAN;
    return cell.score->pValue && !report.statisticThresholds ? *cell.score->pValue : cell.score->statistic;
}

bool chartsPValue(const DriftReport &report, std::size_t column)
{
    const DriftMethod method = report.methods[column];
    return (method == DriftMethod::KolmogorovSmirnov || method == DriftMethod::ChiSquare) && !report.statisticThresholds;
}

QString thresholdText(const DriftReport &report, std::size_t column)
{
    const bool pValue = chartsPValue(report, column);
    const QString relation = pValue
        ? (report.methods[column] == DriftMethod::ChiSquare ? QStringLiteral("<") : QStringLiteral("\u2264"))
        : (report.statisticThresholds ? QStringLiteral(">") : QStringLiteral("\u2265"));
    return QStringLiteral("%1 %2 %3%4")
        .arg(pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"), relation, number(report.thresholds[column], 3),
             report.statisticThresholds ? QStringLiteral(" (baseline mean + 3 sd)") : QString());
}

QStringList windowLabels(const DriftReport &report)
{
    QStringList labels;
    for (const WindowDrift &window : report.windows)
        labels.append(window.label);
    return labels;
}

std::vector<double> positions(std::size_t count)
{
    std::vector<double> xs(count);
    for (std::size_t i = 0; i < count; ++i)
        xs[i] = double(i);
    return xs;
}

QString featureAnchor(std::size_t column)
{
    return QStringLiteral("feature-%1").arg(column);
}

} // namespace reporthtml

using namespace reporthtml;

namespace {

const char kStyle[] = R"(
:root{--fg:#1f2937;--bg:#fff;--muted:#4b5563;--grid:#e5e7eb;--panel:#f3f4f6;--ref:#2563eb;--cur:#ea580c;--alert:#dc2626;
--zone:rgba(220,38,38,.10);--ok:#15803d;--line:#374151;--ci:rgba(37,99,235,.18);--mark:#111827}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--bg:#111827;--muted:#9ca3af;--grid:#374151;--panel:#1f2937;--ref:#60a5fa;
--cur:#fb923c;--alert:#f87171;--zone:rgba(248,113,113,.16);--ok:#4ade80;--line:#d1d5db;--ci:rgba(96,165,250,.25)}}
body{font-family:"DejaVu Sans",system-ui,sans-serif;background:var(--bg);color:var(--fg);max-width:1000px;margin:0 auto;padding:0 1em 2em;line-height:1.45}
h1{font-size:1.6em;margin:.6em 0 .2em}h2{font-size:1.25em;border-bottom:1px solid var(--grid);padding-bottom:.2em}h3{font-size:1.05em;margin-bottom:.3em}
a{color:var(--ref)}.bad{color:var(--alert);font-weight:bold}.good{color:var(--ok)}.muted{color:var(--muted)}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1em;background:var(--panel);padding:.8em 1em;border-radius:6px}
dl.summary dt{font-weight:bold}dl.summary dd{margin:0;overflow-wrap:anywhere}
figure{margin:.8em 0 1.4em}figcaption{font-size:.9em;color:var(--muted)}
svg{max-width:100%;height:auto;display:block}svg text{fill:var(--muted);font-size:11px}svg text.label{font-size:11px}
.axis rect.plot{fill:none;stroke:var(--grid)}.grid{stroke:var(--grid)}polyline{fill:none;stroke-width:1.8}
polyline.c-line{stroke:var(--line)}polyline.c-ref{stroke:var(--ref)}polyline.c-cur{stroke:var(--cur)}polyline.c-p95{stroke:var(--cur)}
polyline.c-p99{stroke:var(--alert);stroke-dasharray:3 2}
rect.c-ref{fill:var(--ref);opacity:.75}rect.c-cur{fill:var(--cur);opacity:.75}rect.c-bar{fill:var(--line);opacity:.55}
line.c-threshold{stroke:var(--alert);stroke-dasharray:5 3}text.c-threshold{fill:var(--alert)}rect.c-zone{fill:var(--zone)}
line.c-baseline{stroke:var(--ok);stroke-dasharray:7 3}text.c-baseline{fill:var(--ok)}polygon.c-ci{fill:var(--ci)}
circle.c-point{fill:var(--line)}circle.c-alert{fill:var(--alert)}
.heat text{fill:var(--fg)}.heat .mark{fill:#111827}.heat .ring{fill:none;stroke:#111827;stroke-width:1.5}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.85em;color:var(--muted);margin:.3em 0}
.swatch{display:inline-block;width:1.6em;height:.8em;vertical-align:middle;margin-right:.3em;border:1px solid var(--grid)}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em}td,th{border:1px solid var(--grid);padding:2px 7px}th{background:var(--panel)}
td.n{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
summary{cursor:pointer;color:var(--muted);font-size:.9em}
section.feature{border-top:1px solid var(--grid);margin-top:1.2em}
@media (max-width:600px){body{padding:0 .5em}dl.summary{grid-template-columns:1fr}h1{font-size:1.3em}}
@media print{body{max-width:none;background:#fff;color:#000}h2,h3,p{break-after:avoid}section.major{break-before:page}section.feature,figure{break-inside:avoid}
summary{display:none}details>div{display:none}a{color:inherit;text-decoration:none}}
)";

// Consecutive runs of windows where `hit` holds, as "2026-06 – 2026-12, 2027-02".
template<typename Hit> QString runs(const DriftReport &report, Hit &&hit, std::size_t &count)
{
    QStringList parts;
    count = 0;
    for (std::size_t w = 0; w < report.windows.size();) {
        if (!hit(w)) {
            ++w;
            continue;
        }
        std::size_t end = w;
        while (end + 1 < report.windows.size() && hit(end + 1))
            ++end;
        count += end - w + 1;
        parts.append(end == w ? report.windows[w].label
                              : QStringLiteral("%1 \u2013 %2").arg(report.windows[w].label, report.windows[end].label));
        w = end + 1;
    }
    if (parts.size() > 6)
        parts = parts.mid(0, 6) << QStringLiteral("and %1 more runs").arg(parts.size() - 6);
    return parts.join(QStringLiteral(", "));
}

// "12 windows, 2024-01 – 2024-12, 8000 rows", and the prediction log they came from.
QString currentDataText(const MonitoringData &data, const DriftReport &report)
{
    std::size_t rows = 0;
    for (const WindowDrift &window : report.windows)
        rows += window.rows;
    return QStringLiteral("%1 windows, %2 \u2013 %3, %4 rows%5")
        .arg(report.windows.size())
        .arg(xmlEscaped(report.windows.front().label), xmlEscaped(report.windows.back().label))
        .arg(rows)
        .arg(data.source.log.isEmpty()
                 ? QString()
                 : QStringLiteral(", from the prediction log ") + xmlEscaped(QFileInfo(data.source.log).fileName()));
}

// A list of the columns that drifted, with the windows where they did; "none".
QString driftedColumnsText(const DriftReport &report)
{
    QString columns;
    for (qsizetype c = 0; c < report.columns.size(); ++c) {
        std::size_t count = 0;
        const QString when = runs(
            report,
            [&](std::size_t w) {
                const DriftCell &cell = report.cells[w][std::size_t(c)];
                return cell.score && cell.score->drifted;
            },
            count);
        if (count)
            columns += QStringLiteral("<li><a href=\"#%1\">%2</a>: %3</li>")
                           .arg(featureAnchor(std::size_t(c)), xmlEscaped(report.columns[c]), xmlEscaped(when));
    }
    return columns.isEmpty() ? QStringLiteral("none") : QStringLiteral("<ul>%1</ul>").arg(columns);
}

// Where the followed metric fell below its validation baseline.
QString performanceText(const PerformanceReport &performance, const DriftReport &report)
{
    std::size_t degraded = 0;
    const QString when = runs(
        report, [&](std::size_t w) { return w < performance.windows.size() && performance.windows[w].degraded; }, degraded);
    if (!degraded)
        return QStringLiteral("within its validation baseline %1 in every labelled window").arg(number(performance.baseline));
    return QStringLiteral("<span class=\"bad\">below its validation baseline %1</span> in %2: %3")
        .arg(number(performance.baseline))
        .arg(degraded == 1 ? QStringLiteral("1 window") : QStringLiteral("%1 windows").arg(degraded), xmlEscaped(when));
}

QString summary(const MonitoringData &data, const MonitoringResult &result)
{
    const DriftReport &report = result.report;
    const ModelMetadata &model = data.artifact->metadata;
    const bool signatureFile = QFileInfo::exists(data.modelPath + QStringLiteral(".minisig"));
    QString html = QStringLiteral("<dl class=\"summary\">\n");
    auto row = [&html](const QString &term, const QString &value) {
        html += QStringLiteral("<dt>%1</dt><dd>%2</dd>\n").arg(term, value);
    };
    row(QStringLiteral("Model"),
        QStringLiteral("%1 <span class=\"muted\">(%2)</span>")
            .arg(xmlEscaped(model.name), xmlEscaped(QFileInfo(data.modelPath).fileName())));
    row(QStringLiteral("Digest"), QStringLiteral("<code>%1</code>").arg(xmlEscaped(data.artifact->digest)));
    row(QStringLiteral("Signature"),
        signatureFile ? QStringLiteral("a signature file sits beside the model (check it with <code>plumb verify</code>)")
                      : QStringLiteral("none beside the model file"));
    row(QStringLiteral("Reference"),
        QStringLiteral("%1, %2 rows, trained %3")
            .arg(xmlEscaped(model.sourceFile.isEmpty() ? QStringLiteral("(unnamed data)") : model.sourceFile))
            .arg(model.rows)
            .arg(xmlEscaped(model.created.toString(Qt::ISODate))));
    row(QStringLiteral("Current data"), currentDataText(data, report));
    std::size_t drifting = 0;
    const QString windowRuns = runs(
        report, [&](std::size_t w) { return report.windows[w].datasetDrift; }, drifting);
    row(QStringLiteral("Dataset drift"),
        drifting ? QStringLiteral("<span class=\"bad\">%1 of %2 windows</span>: %3")
                       .arg(drifting)
                       .arg(report.windows.size())
                       .arg(xmlEscaped(windowRuns))
                 : QStringLiteral("no window (a window drifts when %1% of its features drift)")
                       .arg(100.0 * report.datasetDriftShare, 0, 'g', 3));
    row(QStringLiteral("Drifted columns"), driftedColumnsText(report));
    if (result.performance)
        row(xmlEscaped(result.performance->metric), performanceText(*result.performance, report));
    const RetrainingProposal proposal = proposeRetraining(report, result.performance ? &*result.performance : nullptr);
    row(QStringLiteral("Retraining"),
        proposal.proposed
            ? QStringLiteral("<span class=\"bad\">proposed</span>: %1").arg(xmlEscaped(proposal.reason))
            : QStringLiteral(
                "<span class=\"good\">not proposed</span>: the newest window neither drifts as a whole nor falls below the baseline"));
    html += QStringLiteral("</dl>\n");
    if (!data.warnings.isEmpty()) {
        html += QStringLiteral("<p>Warnings:</p><ul>\n");
        for (const QString &warning : data.warnings)
            html += QStringLiteral("<li>%1</li>\n").arg(xmlEscaped(warning));
        html += QStringLiteral("</ul>\n");
    }
    return html;
}

QString cellTitle(const DriftReport &report, std::size_t column, std::size_t window)
{
    const DriftCell &cell = report.cells[window][column];
    const QString where = QStringLiteral("%1 \u00b7 %2").arg(report.columns[qsizetype(column)], report.windows[window].label);
    if (!cell.score)
        return QStringLiteral("%1: not scored (%2)").arg(where, cell.error);
    QString text
        = QStringLiteral("%1: %2 statistic %3").arg(where, driftMethodName(cell.score->method), number(cell.score->statistic));
    if (cell.score->pValue)
        text += QStringLiteral(", p-value %1").arg(number(*cell.score->pValue));
    return text + (cell.score->drifted ? QStringLiteral(", drifted") : QStringLiteral(", no drift"));
}

// Where the heat map's cells go: beyond kHeatMapWindows windows each cell covers a run of `span`
// windows.
struct HeatMapLayout
{
    std::size_t windows = 0, columns = 0;
    std::size_t span = 1; // windows per cell
    std::size_t cells = 0; // per column
    double labelWidth = 40, cellWidth = 0, cellHeight = 18, width = 0, height = 0;
};

HeatMapLayout heatMapLayout(const DriftReport &report)
{
    HeatMapLayout layout;
    layout.windows = report.windows.size();
    layout.columns = std::size_t(report.columns.size());
    layout.span = (layout.windows + kHeatMapWindows - 1) / kHeatMapWindows;
    layout.cells = (layout.windows + layout.span - 1) / layout.span;
    for (const QString &name : report.columns)
        layout.labelWidth = std::max(layout.labelWidth, estimatedTextWidth(name, 11) + 10);
    layout.labelWidth = std::min(layout.labelWidth, 200.0);
    layout.cellWidth = std::clamp((kChartWidth - layout.labelWidth - 8) / double(layout.cells), 4.0, 44.0);
    layout.width = layout.labelWidth + layout.cellWidth * double(layout.cells) + 8;
    layout.height = layout.cellHeight * double(layout.columns) + 26;
    return layout;
}

// The cell of column c covering the windows of cell k: its rectangle, coloured by the worst
// level among them, with a dot for drift or a ring for another alert, linking to the column.
QString heatMapCell(const DriftReport &report, const HeatMapLayout &layout, std::size_t c, std::size_t k)
{
    const std::size_t first = k * layout.span, last = std::min(layout.windows, first + layout.span) - 1;
    double level = NAN;
    bool drifted = false, otherAlert = false;
    for (std::size_t w = first; w <= last; ++w) {
        const double cellLevel = driftCellLevel(report, c, w);
        if (std::isfinite(cellLevel) && !(level >= cellLevel))
            level = cellLevel;
        const DriftCell &cell = report.cells[w][c];
        drifted = drifted || (cell.score && cell.score->drifted);
    }
    for (const DriftAlert &alert : report.alerts)
        otherAlert = otherAlert
            || (alert.window >= first && alert.window <= last && alert.column == report.columns[qsizetype(c)]);
    const double x = layout.labelWidth + layout.cellWidth * double(k), y = layout.cellHeight * double(c);
    QString attributes;
    QString title;
    if (layout.span == 1) {
        const DriftCell &cell = report.cells[first][c];
        attributes = QStringLiteral(" data-column=\"%1\" data-window=\"%2\"")
                         .arg(xmlEscaped(report.columns[qsizetype(c)]), xmlEscaped(report.windows[first].label));
        if (cell.score)
            attributes += QStringLiteral(" data-statistic=\"%1\" data-drifted=\"%2\"")
                              .arg(QString::number(cell.score->statistic, 'g', 17),
                                   cell.score->drifted ? QStringLiteral("true") : QStringLiteral("false"));
        title = cellTitle(report, c, first);
    } else {
        title = QStringLiteral("%1 \u00b7 %2 \u2013 %3: %4")
                    .arg(report.columns[qsizetype(c)], report.windows[first].label, report.windows[last].label,
                         drifted ? QStringLiteral("drifted in some windows") : QStringLiteral("no drift"));
    }
    QString svg = QStringLiteral(
                      "<a href=\"#%1\"><rect x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\" fill=\"%6\"%7><title>%8</title></rect>")
                      .arg(featureAnchor(c))
                      .arg(x, 0, 'f', 1)
                      .arg(y, 0, 'f', 1)
                      .arg(layout.cellWidth - 1, 0, 'f', 1)
                      .arg(layout.cellHeight - 1)
                      .arg(severityColour(level), attributes, xmlEscaped(title));
    const double cx = x + (layout.cellWidth - 1) / 2, cy = y + (layout.cellHeight - 1) / 2;
    if (drifted)
        svg += QStringLiteral("<circle class=\"mark\" cx=\"%1\" cy=\"%2\" r=\"%3\"/>")
                   .arg(cx, 0, 'f', 1)
                   .arg(cy, 0, 'f', 1)
                   .arg(std::min(3.5, layout.cellWidth / 3), 0, 'f', 1);
    else if (otherAlert)
        svg += QStringLiteral("<circle class=\"ring\" cx=\"%1\" cy=\"%2\" r=\"%3\"/>")
                   .arg(cx, 0, 'f', 1)
                   .arg(cy, 0, 'f', 1)
                   .arg(std::min(4.0, layout.cellWidth / 3), 0, 'f', 1);
    return svg + QStringLiteral("</a>");
}

// The window labels under the heat map, thinned to those that fit.
QString heatMapWindowLabels(const DriftReport &report, const HeatMapLayout &layout)
{
    QStringList labels;
    for (std::size_t k = 0; k < layout.cells; ++k)
        labels.append(report.windows[k * layout.span].label);
    double widest = 0;
    for (const QString &label : labels)
        widest = std::max(widest, estimatedTextWidth(label, 11));
    QString svg;
    for (const int k : thinnedLabels(int(layout.cells), widest, layout.cellWidth * double(layout.cells)))
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
                   .arg(layout.labelWidth + layout.cellWidth * (k + 0.5), 0, 'f', 1)
                   .arg(layout.height - 8, 0, 'f', 1)
                   .arg(xmlEscaped(labels[k]));
    return svg;
}

QString heatMapLegend()
{
    QString legend = QStringLiteral("<div class=\"legend\">");
    for (const auto &[level, text] :
         std::initializer_list<std::pair<double, const char *>>{{-1.0, "\u2264 0.1\u00d7 the threshold"},
                                                                {-0.3, "half-way"},
                                                                {0.05, "at the threshold"},
                                                                {1.0, "\u2265 10\u00d7 past it"}})
        legend += QStringLiteral("<span><span class=\"swatch\" style=\"background:%1\"></span>%2</span>")
                      .arg(severityColour(level), QString::fromUtf8(text));
    legend += QStringLiteral("<span><span class=\"swatch\" style=\"background:%1\"></span>not scored</span>"
                             "<span>\u25cf drifted</span><span>\u25cb another alert (missing rate)</span></div>\n")
                  .arg(severityColour(NAN));
    return legend;
}

// The features x windows grid, coloured as the Monitor view colours it; beyond kHeatMapWindows
// windows each cell covers a run of windows and shows the worst of them.
QString heatMap(const MonitoringResult &result)
{
    const DriftReport &report = result.report;
    const HeatMapLayout layout = heatMapLayout(report);
    QString svg = QStringLiteral(
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heat\" viewBox=\"0 0 %1 %2\" width=\"%1\" height=\"%2\" "
                      "role=\"img\" aria-label=\"Drift of %3 columns over %4 windows\">")
                      .arg(layout.width, 0, 'f', 0)
                      .arg(layout.height, 0, 'f', 0)
                      .arg(layout.columns)
                      .arg(layout.windows);
    for (std::size_t c = 0; c < layout.columns; ++c) {
        const double y = layout.cellHeight * double(c);
        const QString name = report.columns[qsizetype(c)]
            + (report.roles[c] == ColumnRole::Target ? QStringLiteral(" (target)") : QString());
        svg += QStringLiteral("<a href=\"#%1\"><text x=\"%2\" y=\"%3\" text-anchor=\"end\">%4</text></a>")
                   .arg(featureAnchor(c))
                   .arg(layout.labelWidth - 6, 0, 'f', 1)
                   .arg(y + 13, 0, 'f', 1)
                   .arg(xmlEscaped(name));
        for (std::size_t k = 0; k < layout.cells; ++k)
            svg += heatMapCell(report, layout, c, k);
    }
    svg += heatMapWindowLabels(report, layout) + QStringLiteral("</svg>");
    QString caption = QStringLiteral(
        "Each cell is one column in one window, coloured by how far its score is from the column's threshold "
        "(on a log scale); a dot marks drift. Click a cell or a name for the column's charts.");
    if (layout.span > 1)
        caption
            += QStringLiteral(
                   " %1 windows are too many to draw one by one: each cell covers %2 consecutive windows and shows the worst of them.")
                   .arg(layout.windows)
                   .arg(layout.span);
    return QStringLiteral("<figure class=\"scroll\">%1%2<figcaption>%3</figcaption></figure>\n")
        .arg(svg, heatMapLegend(), caption);
}

QString datasetShare(const DriftReport &report)
{
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setCategories(windowLabels(report));
    chart.setYRange(0, 1);
    chart.setYLabel(QStringLiteral("share drifted"));
    std::vector<double> shares, alertXs, alertYs;
    QStringList titles;
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const WindowDrift &window = report.windows[w];
        shares.push_back(window.scoredFeatures ? window.driftShare : NAN);
        if (window.datasetDrift) {
            alertXs.push_back(double(w));
            alertYs.push_back(window.driftShare);
            titles.append(QStringLiteral("%1: %2 of %3 features drifted")
                              .arg(window.label)
                              .arg(window.driftedFeatures)
                              .arg(window.scoredFeatures));
        }
    }
    chart.addHorizontalBand(report.datasetDriftShare, 1, QStringLiteral("c-zone"));
    chart.addBars(positions(shares.size()), shares, 0.7, 0, QStringLiteral("c-bar"));
    chart.addHorizontalLine(report.datasetDriftShare, QStringLiteral("c-threshold"),
                            QStringLiteral("dataset drift at %1%").arg(100.0 * report.datasetDriftShare, 0, 'g', 3));
    chart.addMarkers(alertXs, alertYs, QStringLiteral("c-alert"), titles);
    std::vector<QStringList> rows;
    for (const std::size_t w : tableWindows(report, [&](std::size_t w) { return report.windows[w].datasetDrift; })) {
        const WindowDrift &window = report.windows[w];
        rows.push_back({window.label, QString::number(window.rows),
                        QStringLiteral("%1 of %2").arg(window.driftedFeatures).arg(window.scoredFeatures),
                        QStringLiteral("%1%").arg(100.0 * window.driftShare, 0, 'f', 1),
                        window.datasetDrift ? QStringLiteral("yes") : QStringLiteral("no")});
    }
    return figure(
        chart.toSvg(QStringLiteral("Share of drifted features per window")),
        QStringLiteral("The share of each window's features that drifted; the window drifts as a whole (red dot) at %1% or more.")
            .arg(100.0 * report.datasetDriftShare, 0, 'g', 3),
        {QStringLiteral("window"), QStringLiteral("rows"), QStringLiteral("drifted features"), QStringLiteral("share"),
         QStringLiteral("dataset drift")},
        rows);
}

QString predictionSection(const MonitoringResult &result)
{
    if (!result.predictions)
        return QStringLiteral("<p>Prediction drift: not computed (%1).</p>\n").arg(xmlEscaped(result.predictionsError));
    const PredictionDrift &predictions = *result.predictions;
    const DriftReport &report = result.report;
    const bool pValue = predictions.method == DriftMethod::KolmogorovSmirnov || predictions.method == DriftMethod::ChiSquare;
    const double threshold = defaultThreshold(predictions.method);
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setCategories(windowLabels(report));
    chart.setYLabel(pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"));
    std::vector<double> scores, alertXs, alertYs;
    for (std::size_t w = 0; w < predictions.windows.size(); ++w) {
        const DriftCell &cell = predictions.windows[w];
        scores.push_back(cell.score ? cell.score->score() : NAN);
        if (cell.score && cell.score->drifted) {
            alertXs.push_back(double(w));
            alertYs.push_back(cell.score->score());
        }
    }
    double top = std::isfinite(threshold) ? threshold * 1.5 : 0;
    for (const double score : scores)
        top = std::isfinite(score) ? std::max(top, score) : top;
    chart.setYRange(0, pValue ? 1.0 : top * 1.05);
    if (std::isfinite(threshold)) {
        chart.addHorizontalBand(pValue ? 0 : threshold, pValue ? threshold : top * 2, QStringLiteral("c-zone"));
        chart.addHorizontalLine(threshold, QStringLiteral("c-threshold"),
                                QStringLiteral("threshold %1").arg(number(threshold, 3)));
    }
    chart.addLine(positions(scores.size()), scores, QStringLiteral("c-line"));
    chart.addMarkers(positions(scores.size()), scores, QStringLiteral("c-point"));
    chart.addMarkers(alertXs, alertYs, QStringLiteral("c-alert"));
    std::vector<QStringList> rows;
    for (const std::size_t w : tableWindows(report, [&](std::size_t w) {
             return w < predictions.windows.size() && predictions.windows[w].score && predictions.windows[w].score->drifted;
         })) {
        const DriftCell &cell = predictions.windows[w];
        if (!cell.score) {
            rows.push_back({report.windows[w].label, cell.error, QString(), QString()});
            continue;
        }
        rows.push_back({report.windows[w].label, number(cell.score->statistic),
                        cell.score->pValue ? number(*cell.score->pValue) : QString(),
                        cell.score->drifted ? QStringLiteral("yes") : QStringLiteral("no")});
    }
    return figure(
        chart.toSvg(QStringLiteral("Prediction drift per window")),
        QStringLiteral(
            "The model's %1 in each window against those of the first %2 window(s) (%3 rows), by %4; drift where the %5 "
            "is in the shaded zone.")
            .arg(predictions.classes.isEmpty() ? QStringLiteral("predicted values") : QStringLiteral("predicted classes"))
            .arg(predictions.referenceWindows)
            .arg(predictions.referenceRows)
            .arg(driftMethodName(predictions.method), pValue ? QStringLiteral("p-value") : QStringLiteral("statistic")),
        {QStringLiteral("window"), QStringLiteral("statistic"), QStringLiteral("p-value"), QStringLiteral("drifted")}, rows);
}

QString performanceSection(const MonitoringResult &result)
{
    const PerformanceReport &performance = *result.performance;
    const DriftReport &report = result.report;
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setCategories(windowLabels(report));
    chart.setYLabel(performance.metric);
    std::vector<double> values, lower, upper, alertXs, alertYs;
    QStringList titles, alertTitles;
    for (std::size_t w = 0; w < performance.windows.size(); ++w) {
        const WindowPerformance &window = performance.windows[w];
        const bool has = window.error.isEmpty();
        values.push_back(has ? window.value : NAN);
        lower.push_back(has ? window.lower : NAN);
        upper.push_back(has ? window.upper : NAN);
        titles.append(has ? QStringLiteral("%1: %2 %3 (%4 \u2013 %5)")
                                .arg(report.windows[w].label, performance.metric, number(window.value), number(window.lower),
                                     number(window.upper))
                          : QString());
        if (has && window.degraded) {
            alertXs.push_back(double(w));
            alertYs.push_back(window.value);
            alertTitles.append(titles.back());
        }
    }
    chart.addBand(positions(values.size()), lower, upper, QStringLiteral("c-ci"));
    chart.addHorizontalLine(performance.baseline, QStringLiteral("c-baseline"),
                            QStringLiteral("validation %1").arg(number(performance.baseline)));
    chart.addLine(positions(values.size()), values, QStringLiteral("c-line"));
    chart.addMarkers(positions(values.size()), values, QStringLiteral("c-point"), titles);
    chart.addMarkers(alertXs, alertYs, QStringLiteral("c-alert"), alertTitles);
    std::vector<QStringList> rows;
    for (const std::size_t w : tableWindows(report, [&](std::size_t w) { return performance.windows[w].degraded; })) {
        const WindowPerformance &window = performance.windows[w];
        if (!window.error.isEmpty())
            rows.push_back({report.windows[w].label, QString(), window.error, QString(), QString(), QString()});
        else
            rows.push_back({report.windows[w].label, QString::number(window.rows), number(window.value), number(window.lower),
                            number(window.upper), window.degraded ? QStringLiteral("below the baseline") : QString()});
    }
    return figure(
        chart.toSvg(QStringLiteral("%1 per window with its bootstrap band").arg(performance.metric)),
        QStringLiteral(
            "%1 on each window's labelled rows, with its 95% bootstrap band (shaded); the dashed line is the validation "
            "baseline %2. A red dot marks a window whose whole band is %3 the baseline.")
            .arg(xmlEscaped(performance.metric), number(performance.baseline),
                 performance.higherIsBetter ? QStringLiteral("below") : QStringLiteral("above")),
        {QStringLiteral("window"), QStringLiteral("rows"), performance.metric, QStringLiteral("lower"), QStringLiteral("upper"),
         QString()},
        rows);
}

QString serviceSection(const ServiceHistory &service)
{
    QStringList labels;
    std::vector<double> p50, p95, p99, errors;
    for (const ServiceWindow &window : service.windows) {
        labels.append(window.label);
        p50.push_back(window.p50Ms);
        p95.push_back(window.p95Ms);
        p99.push_back(window.p99Ms);
        errors.push_back(window.errorRate);
    }
    const std::vector<double> xs = positions(labels.size());
    SvgChart latency(kChartWidth, kChartHeight);
    latency.setCategories(labels);
    latency.setYLabel(QStringLiteral("latency (ms)"));
    latency.addLine(xs, p50, QStringLiteral("c-ref"));
    latency.addLine(xs, p95, QStringLiteral("c-p95"));
    latency.addLine(xs, p99, QStringLiteral("c-p99"));
    SvgChart errorChart(kChartWidth, 160);
    errorChart.setCategories(labels);
    errorChart.setYLabel(QStringLiteral("error rate"));
    errorChart.addBars(xs, errors, 0.7, 0, QStringLiteral("c-bar"));
    std::vector<QStringList> rows;
    for (const ServiceWindow &window : service.windows)
        rows.push_back({window.label, QString::number(window.requests), QString::number(window.errors),
                        QStringLiteral("%1%").arg(100.0 * window.errorRate, 0, 'f', 2), number(window.p50Ms),
                        number(window.p95Ms), number(window.p99Ms), number(window.maxMs)});
    const QStringList header{QStringLiteral("period"),     QStringLiteral("requests"), QStringLiteral("errors"),
                             QStringLiteral("error rate"), QStringLiteral("p50 ms"),   QStringLiteral("p95 ms"),
                             QStringLiteral("p99 ms"),     QStringLiteral("max ms")};
    return figure(latency.toSvg(QStringLiteral("Service latency per period")),
                  QStringLiteral(
                      "Latency percentiles of the scoring service's requests: <span style=\"color:var(--ref)\">p50</span>, "
                      "<span style=\"color:var(--cur)\">p95</span>, <span style=\"color:var(--alert)\">p99</span> (dashed)."),
                  header, rows)
        + figure(errorChart.toSvg(QStringLiteral("Service error rate per period")),
                 QStringLiteral("The share of requests answered with status 400 or above."), header, rows);
}

QString alertList(const DriftReport &report)
{
    if (report.alerts.empty())
        return QStringLiteral("<p>No column crossed its threshold.</p>\n");
    QString html = QStringLiteral("<details%1><summary>%2 alerts</summary><ul>\n")
                       .arg(report.alerts.size() <= 40 ? QStringLiteral(" open=\"open\"") : QString())
                       .arg(report.alerts.size());
    for (const DriftAlert &alert : report.alerts)
        html += QStringLiteral("<li><b>%1</b> %2%3</li>\n")
                    .arg(xmlEscaped(report.windows[alert.window].label),
                         alert.column.isEmpty() ? QString() : xmlEscaped(alert.column) + QStringLiteral(": "),
                         xmlEscaped(alert.message));
    html += QStringLiteral("</ul></details>\n");
    const std::vector<UnscoredCells> unscored = unscoredCells(report);
    if (unscored.empty())
        return html;
    html += QStringLiteral("<p>Not scored (left out of the counts):</p>\n<ul>\n");
    for (const UnscoredCells &cells : unscored)
        html += QStringLiteral("<li>%1</li>\n").arg(xmlEscaped(describeUnscored(report, cells)));
    return html + QStringLiteral("</ul>\n");
}

} // namespace

QByteArray monitoringReportHtml(const MonitoringData &data, const MonitoringResult &result)
{
    const DriftReport &report = result.report;
    const QString title = QStringLiteral("Drift report: %1").arg(data.artifact->metadata.name);
    QString html = QStringLiteral(
                       "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
                       "<meta name=\"color-scheme\" content=\"light dark\"/><title>%1</title>\n<style>%2</style></head><body>\n"
                       "<h1>%1</h1>\n<section id=\"summary\">\n")
                       .arg(xmlEscaped(title), QString::fromUtf8(kStyle));
    if (report.windows.empty() || report.columns.isEmpty())
        return (html + QStringLiteral("<p>Nothing was compared.</p></section></body></html>\n")).toUtf8();
    html += summary(data, result) + QStringLiteral("</section>\n");
    html
        += QStringLiteral("<section id=\"heatmap\" class=\"major\"><h2>Where and when: columns over windows</h2>\n<p>%1</p>\n")
               .arg(
                   report.statisticThresholds
                       ? QStringLiteral(
                           "Thresholds: each column's baseline windows' mean + 3 standard deviations of its statistic.")
                       : QStringLiteral(
                           "Each column is compared with the model's reference profile by its method and threshold (listed in its section)."));
    html += heatMap(result) + QStringLiteral("</section>\n");
    html += QStringLiteral("<section id=\"dataset\"><h2>Dataset drift</h2>\n") + datasetShare(report)
        + QStringLiteral("</section>\n");
    html += QStringLiteral("<section id=\"predictions\"><h2>Prediction drift</h2>\n") + predictionSection(result)
        + QStringLiteral("</section>\n");
    if (result.performance)
        html += QStringLiteral("<section id=\"performance\"><h2>Performance</h2>\n") + performanceSection(result)
            + QStringLiteral("</section>\n");
    if (data.service && !data.service->windows.empty())
        html += QStringLiteral("<section id=\"service\"><h2>The scoring service</h2>\n") + serviceSection(*data.service)
            + QStringLiteral("</section>\n");
    html += QStringLiteral("<section id=\"features\" class=\"major\"><h2>Columns</h2>\n");
    for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c)
        html += featureSection(data, result, c);
    html += QStringLiteral("</section>\n<section id=\"alerts\" class=\"major\"><h2>Alerts</h2>\n") + alertList(report)
        + QStringLiteral("</section>\n");
    html += QStringLiteral(
        "<footer><p class=\"muted\">Written by Plumb; the same numbers as <code>plumb drift --json</code>.</p></footer>\n</body></html>\n");
    return html.toUtf8();
}

} // namespace plumb
