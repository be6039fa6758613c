#include "monitor/driftreportparts.h"
#include "monitor/referencecdf.h"
#include "monitor/svgchart.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace plumb::reporthtml {

namespace {

// The column's rows in a window: all of the dataset's when the window lists none.
template<typename Visit> void forEachRow(const DriftWindowInput &window, Visit &&visit)
{
    if (window.rows.empty())
        for (std::size_t row = 0; row < window.data->rowCount(); ++row)
            visit(row);
    else
        for (const std::size_t row : window.rows)
            visit(row);
}

// One row per window: its statistic, p-value, verdict and missing-rate change.
std::vector<QStringList> windowRows(const DriftReport &report, std::size_t column)
{
    std::vector<QStringList> rows;
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const DriftCell &cell = report.cells[w][column];
        if (!cell.score) {
            rows.push_back({report.windows[w].label, cell.error, QString(), QString(), QString()});
            continue;
        }
        rows.push_back({report.windows[w].label, number(cell.score->statistic),
                        cell.score->pValue ? number(*cell.score->pValue) : QString(),
                        cell.score->drifted ? QStringLiteral("yes") : QStringLiteral("no"),
                        QStringLiteral("%1").arg(100.0 * cell.score->missingRateChange, 0, 'f', 1)});
    }
    return rows;
}

// One row per run of windows the heat map draws as one cell: how many were scored and drifted,
// and the range of the statistic.
std::vector<QStringList> runRows(const DriftReport &report, std::size_t column)
{
    std::vector<QStringList> rows;
    const std::size_t windows = report.windows.size(), span = (windows + kHeatMapWindows - 1) / kHeatMapWindows;
    for (std::size_t first = 0; first < windows; first += span) {
        const std::size_t last = std::min(windows, first + span) - 1;
        std::size_t scored = 0, drifted = 0;
        double low = INFINITY, high = -INFINITY;
        for (std::size_t w = first; w <= last; ++w)
            if (const auto &score = report.cells[w][column].score) {
                ++scored;
                drifted += score->drifted;
                low = std::min(low, score->statistic);
                high = std::max(high, score->statistic);
            }
        rows.push_back({QStringLiteral("%1 \u2013 %2").arg(report.windows[first].label, report.windows[last].label),
                        QString::number(scored), QString::number(drifted), scored ? number(low) : QString(),
                        scored ? number(high) : QString()});
    }
    return rows;
}

QString scoreChart(const DriftReport &report, std::size_t column)
{
    const bool pValue = chartsPValue(report, column);
    const double threshold = report.thresholds[column];
    std::vector<double> scores, alertXs, alertYs;
    QStringList alertTitles;
    double top = std::isfinite(threshold) ? threshold * 1.5 : 0;
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const DriftCell &cell = report.cells[w][column];
        const double score = chartedScore(report, cell);
        scores.push_back(score);
        top = std::isfinite(score) ? std::max(top, score) : top;
        if (cell.score && cell.score->drifted) {
            alertXs.push_back(double(w));
            alertYs.push_back(score);
            alertTitles.append(QStringLiteral("%1: %2 %3, drifted")
                                   .arg(report.windows[w].label, pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"),
                                        number(score)));
        }
    }
    SvgChart chart(kChartWidth, 180);
    chart.setCategories(windowLabels(report));
    chart.setYLabel(pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"));
    chart.setYRange(0, pValue ? 1.0 : (top > 0 ? top * 1.05 : 1.0));
    if (std::isfinite(threshold)) {
        chart.addHorizontalBand(pValue ? 0 : threshold, pValue ? threshold : top * 2, QStringLiteral("c-zone"));
        chart.addHorizontalLine(threshold, QStringLiteral("c-threshold"),
                                QStringLiteral("threshold %1").arg(number(threshold, 3)));
    }
    chart.addLine(positions(scores.size()), scores, QStringLiteral("c-line"));
    if (scores.size() <= kHeatMapWindows)
        chart.addMarkers(positions(scores.size()), scores, QStringLiteral("c-point"));
    if (scores.size() <= kHeatMapWindows) // beyond, the line's place in the zone tells
        chart.addMarkers(alertXs, alertYs, QStringLiteral("c-alert"), alertTitles);
    const QString name = report.columns[qsizetype(column)];
    const std::vector<QStringList> rows = report.windows.size() > kHeatMapWindows ? runRows(report, column)
                                                                                  : windowRows(report, column);
    const QString caption = QStringLiteral("The %1 per window; drift where it is in the shaded zone (%2), red dots where it is.")
                                .arg(pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"),
                                     xmlEscaped(thresholdText(report, column)));
    return figure(
        chart.toSvg(
            QStringLiteral("%1: %2 per window").arg(name, pValue ? QStringLiteral("p-value") : QStringLiteral("statistic"))),
        report.windows.size() > kHeatMapWindows
            ? caption + QStringLiteral(" The table summarises runs of windows, as the heat map does.")
            : caption,
        report.windows.size() > kHeatMapWindows
            ? QStringList{QStringLiteral("windows"), QStringLiteral("scored"), QStringLiteral("drifted"),
                          QStringLiteral("lowest statistic"), QStringLiteral("highest statistic")}
            : QStringList{QStringLiteral("window"), QStringLiteral("statistic"), QStringLiteral("p-value"),
                          QStringLiteral("drifted"), QStringLiteral("missing change (points)")},
        rows);
}

QString categoryChart(const ColumnProfile &profile, const Column &column, const DriftWindowInput &window, const QString &label)
{
    std::map<QString, std::size_t> current;
    std::size_t currentTotal = 0;
    forEachRow(window, [&](std::size_t row) {
        if (column.isMissing(row))
            return;
        ++current[column.displayText(row)];
        ++currentTotal;
    });
    QStringList categories;
    std::vector<double> reference, now;
    std::size_t referenceShown = 0, currentShown = 0;
    for (const ColumnProfile::Category &category : profile.topCategories) {
        categories.append(category.value);
        referenceShown += category.count;
    }
    std::vector<std::pair<std::size_t, QString>> unseen; // current values the reference's top list lacks, most frequent first
    for (const auto &[value, count] : current)
        if (!categories.contains(value))
            unseen.emplace_back(count, value);
    std::sort(unseen.begin(), unseen.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (std::size_t i = 0; i < unseen.size() && categories.size() < qsizetype(ColumnProfile::kTopCategories) + 5; ++i)
        categories.append(unseen[i].second);
    for (const QString &category : categories) {
        const auto it = std::find_if(profile.topCategories.begin(), profile.topCategories.end(),
                                     [&](const auto &c) { return c.value == category; });
        reference.push_back(it != profile.topCategories.end() && profile.count ? double(it->count) / double(profile.count) : 0.0);
        const std::size_t count = current.count(category) ? current.at(category) : 0;
        currentShown += count;
        now.push_back(currentTotal ? double(count) / double(currentTotal) : 0.0);
    }
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setCategories(categories);
    chart.setYLabel(QStringLiteral("share of rows"));
    const std::vector<double> xs = positions(std::size_t(categories.size()));
    chart.addBars(xs, reference, 0.38, -0.2, QStringLiteral("c-ref"));
    chart.addBars(xs, now, 0.38, 0.2, QStringLiteral("c-cur"));
    std::vector<QStringList> rows;
    for (qsizetype i = 0; i < categories.size(); ++i)
        rows.push_back({categories[i], QStringLiteral("%1%").arg(100.0 * reference[std::size_t(i)], 0, 'f', 1),
                        QStringLiteral("%1%").arg(100.0 * now[std::size_t(i)], 0, 'f', 1)});
    QString caption = QStringLiteral(
                          "The share of each value: <span style=\"color:var(--ref)\">reference</span> (the training data) and "
                          "<span style=\"color:var(--cur)\">%1</span> (%2 rows).")
                          .arg(xmlEscaped(label))
                          .arg(currentTotal);
    if (referenceShown < profile.count || currentShown < currentTotal)
        caption += QStringLiteral(" Values outside the ones shown: %1% of the reference, %2% of the window.")
                       .arg(profile.count ? 100.0 * double(profile.count - referenceShown) / double(profile.count) : 0.0, 0, 'f',
                            1)
                       .arg(currentTotal ? 100.0 * double(currentTotal - currentShown) / double(currentTotal) : 0.0, 0, 'f', 1);
    return figure(chart.toSvg(QStringLiteral("%1: reference and %2 shares").arg(profile.name, label)), caption,
                  {QStringLiteral("value"), QStringLiteral("reference"), label}, rows);
}

// The window's values over the profile's histogram bins, as shares beside the reference's. `values`
// are the window's finite values, sorted, at least one; the profile has bins and rows.
QString histogramChart(const ColumnProfile &profile, const std::vector<double> &values, const QString &label)
{
    std::vector<double> xs, reference, now;
    std::size_t outside = 0;
    std::vector<std::size_t> counts(profile.histogram.size(), 0);
    for (const double value : values) {
        const auto bin = std::find_if(profile.histogram.begin(), profile.histogram.end(),
                                      [&](const ColumnProfile::Bin &b) { return value >= b.lower && value <= b.upper; });
        if (bin == profile.histogram.end())
            ++outside;
        else
            ++counts[std::size_t(bin - profile.histogram.begin())];
    }
    std::vector<QStringList> rows;
    for (std::size_t b = 0; b < profile.histogram.size(); ++b) {
        const ColumnProfile::Bin &bin = profile.histogram[b];
        xs.push_back((bin.lower + bin.upper) / 2);
        reference.push_back(double(bin.count) / double(profile.count));
        now.push_back(double(counts[b]) / double(values.size()));
        rows.push_back({QStringLiteral("%1 \u2013 %2").arg(number(bin.lower), number(bin.upper)),
                        QStringLiteral("%1%").arg(100.0 * reference.back(), 0, 'f', 1),
                        QStringLiteral("%1%").arg(100.0 * now.back(), 0, 'f', 1)});
    }
    const double width = profile.histogram.front().upper - profile.histogram.front().lower;
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setXRange(profile.histogram.front().lower, profile.histogram.back().upper);
    chart.setXLabel(profile.name);
    chart.setYLabel(QStringLiteral("share of rows"));
    chart.addBars(xs, reference, width * 0.45, -width * 0.23, QStringLiteral("c-ref"));
    chart.addBars(xs, now, width * 0.45, width * 0.23, QStringLiteral("c-cur"));
    QString caption = QStringLiteral(
                          "Histogram over the reference profile's bins: <span style=\"color:var(--ref)\">reference</span> and "
                          "<span style=\"color:var(--cur)\">%1</span> (%2 values).")
                          .arg(xmlEscaped(label))
                          .arg(values.size());
    if (outside)
        caption += QStringLiteral(
                       " %1 of the window's values (%2%) lie outside the reference's range [%3, %4] and are not drawn.")
                       .arg(outside)
                       .arg(100.0 * double(outside) / double(values.size()), 0, 'f', 1)
                       .arg(number(profile.min), number(profile.max));
    return figure(chart.toSvg(QStringLiteral("%1: histograms of the reference and %2").arg(profile.name, label)), caption,
                  {QStringLiteral("bin"), QStringLiteral("reference"), label}, rows);
}

// CDFs: the reference's from its knots (linear between them), the window's empirical one, with a
// table of quantiles. `values` are the window's finite values, sorted, at least one; `cdf` is
// not empty.
QString cdfChart(const ColumnProfile &profile, const ReferenceCdf &cdf, const std::vector<double> &values, const QString &label)
{
    std::vector<double> refX, refY;
    double through = 0;
    for (const CdfKnot &knot : cdf.knots()) {
        through += double(knot.between);
        refX.push_back(knot.value);
        refY.push_back(through / cdf.total());
        through += double(knot.count);
        refX.push_back(knot.value);
        refY.push_back(through / cdf.total());
    }
    std::vector<double> curX, curY;
    // The empirical CDF at a few hundred of the window's values: enough to draw it.
    const std::size_t samples = std::min<std::size_t>(values.size(), 400);
    for (std::size_t k = 0; k < samples; ++k) {
        const double x = values[(k + 1) * values.size() / samples - 1];
        curX.push_back(x);
        curY.push_back(double(std::upper_bound(values.begin(), values.end(), x) - values.begin()) / double(values.size()));
    }
    SvgChart chart(kChartWidth, kChartHeight);
    chart.setXRange(std::min(refX.front(), values.front()), std::max(refX.back(), values.back()));
    chart.setYRange(0, 1);
    chart.setXLabel(profile.name);
    chart.setYLabel(QStringLiteral("share at or below"));
    chart.addLine(refX, refY, QStringLiteral("c-ref"));
    chart.addLine(curX, curY, QStringLiteral("c-cur"), true);
    std::vector<QStringList> rows;
    // The profile's quantiles (kQuantileLevels) against the window's, both numpy's linear interpolation.
    for (std::size_t q = 0; q < ColumnProfile::kQuantileLevels.size(); ++q) {
        const double level = ColumnProfile::kQuantileLevels[q];
        rows.push_back(
            {QStringLiteral("%1%").arg(100.0 * level), number(profile.quantiles[q]), number(quantileOfSorted(values, level))});
    }
    return figure(
        chart.toSvg(QStringLiteral("%1: cumulative distributions of the reference and %2").arg(profile.name, label)),
        QStringLiteral(
            "Cumulative distributions: the share of values at or below each value, <span style=\"color:var(--ref)\">reference</span>%1 "
            "and <span style=\"color:var(--cur)\">%2</span>. The KS statistic is the largest vertical gap.")
            .arg(cdf.isExact() ? QString() : QStringLiteral(" (from the profile's knots, linear between them)"),
                 xmlEscaped(label)),
        {QStringLiteral("quantile"), QStringLiteral("reference"), label}, rows);
}

QString numberCharts(const ColumnProfile &profile, const Column &column, const DriftWindowInput &window, const QString &label)
{
    std::vector<double> values;
    forEachRow(window, [&](std::size_t row) {
        const double value = column.numbers()[row];
        if (!column.isMissing(row) && std::isfinite(value))
            values.push_back(value);
    });
    std::sort(values.begin(), values.end());
    QString html;
    if (!profile.histogram.empty() && profile.count && !values.empty())
        html += histogramChart(profile, values, label);
    const ReferenceCdf cdf(profile);
    if (cdf.isEmpty() || values.empty())
        return html;
    return html + cdfChart(profile, cdf, values, label);
}

} // namespace

QString featureSection(const MonitoringData &data, const MonitoringResult &result, std::size_t column)
{
    const DriftReport &report = result.report;
    const QString name = report.columns[qsizetype(column)];
    std::size_t drifted = 0, newest = report.windows.size();
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const DriftCell &cell = report.cells[w][column];
        if (cell.score && cell.score->drifted) {
            ++drifted;
            newest = w;
        }
    }
    QString html = QStringLiteral("<section class=\"feature\" id=\"%1\"><h3>%2%3</h3>\n")
                       .arg(featureAnchor(column), xmlEscaped(name),
                            report.roles[column] == ColumnRole::Target ? QStringLiteral(" (target)") : QString());
    html += QStringLiteral("<p>Method: %1; drift when %2; bins: %3. %4</p>\n")
                .arg(driftMethodName(report.methods[column]), xmlEscaped(thresholdText(report, column)),
                     report.bins[column] ? QStringLiteral("at most %1 of about equal reference share").arg(report.bins[column])
                                         : QStringLiteral("the method's own"),
                     drifted ? QStringLiteral("<span class=\"bad\">Drifted in %1 of %2 windows.</span>")
                                   .arg(drifted)
                                   .arg(report.windows.size())
                             : QStringLiteral("No drift in any window."));
    html += scoreChart(report, column);
    if (newest == report.windows.size())
        return html + QStringLiteral("</section>\n");
    const DriftScore &score = *report.cells[newest][column].score;
    const QString label = report.windows[newest].label;
    html += QStringLiteral("<p>The newest window where it drifted, <b>%1</b>: %2 statistic %3%4%5.</p>\n")
                .arg(xmlEscaped(label), driftMethodName(score.method), number(score.statistic),
                     score.pValue ? QStringLiteral(", p-value %1").arg(number(*score.pValue)) : QString(),
                     score.binning.isEmpty() ? QString() : QStringLiteral(", bins: ") + xmlEscaped(score.binning));
    const auto profile = std::find_if(data.profiles.begin(), data.profiles.end(),
                                      [&](const ColumnProfile &p) { return p.name == name; });
    const DriftWindowInput &window = data.windows[newest];
    const std::optional<std::size_t> index = window.data ? window.data->indexOf(name) : std::nullopt;
    if (profile == data.profiles.end() || !index)
        return html + QStringLiteral("</section>\n");
    const Column &values = window.data->column(*index);
    const bool categorical = !profile->topCategories.empty() || values.type() == ColumnType::Categorical;
    html += categorical ? categoryChart(*profile, values, window, label) : numberCharts(*profile, values, window, label);
    return html + QStringLiteral("</section>\n");
}

} // namespace plumb::reporthtml
