#include "monitor/driftreport.h"

#include "base/closenames.h"
#include "base/parallel.h"
#include "data/columnnames.h"
#include "monitor/profiledrift.h"

#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <cmath>

namespace plumb {

namespace {

bool comparesCategories(const ColumnProfile &profile)
{
    return profile.type == ColumnType::Categorical || profile.type == ColumnType::Boolean;
}

DriftMethod methodFor(const ColumnProfile &profile, const DriftSettings &settings)
{
    const auto chosen = settings.columns.find(profile.name);
    if (chosen != settings.columns.end() && chosen->second.method)
        return *chosen->second.method;
    return defaultMethodFor(profile, comparesCategories(profile));
}

std::optional<double> thresholdFor(const ColumnProfile &profile, const DriftSettings &settings)
{
    const auto chosen = settings.columns.find(profile.name);
    return chosen != settings.columns.end() ? chosen->second.threshold : std::nullopt;
}

std::optional<std::size_t> binsFor(const ColumnProfile &profile, const DriftSettings &settings)
{
    const auto chosen = settings.columns.find(profile.name);
    return chosen != settings.columns.end() ? chosen->second.bins : std::nullopt;
}

// The window's column for `profile`, or why it cannot be compared.
Result<const Column *> columnFor(const ColumnProfile &profile, const DriftWindowInput &window)
{
    const std::optional<std::size_t> index = window.data->indexOf(profile.name);
    if (!index)
        return Error::invalid(QStringLiteral("window %1 has no column \"%2\"%3")
                                  .arg(window.label, profile.name, closeColumnsHint(*window.data, profile.name)));
    const Column *column = &window.data->column(*index);
    const bool categories = column->type() == ColumnType::Categorical || column->type() == ColumnType::Boolean;
    if (categories != comparesCategories(profile))
        return Error::invalid(QStringLiteral("window %1: column \"%2\" is %3, but the model saw %4")
                                  .arg(window.label, profile.name, columnTypeName(column->type()), columnTypeName(profile.type)));
    return column;
}

DriftCell scoreCell(const ColumnProfile &profile, DriftMethod method, std::optional<double> threshold,
                    std::optional<std::size_t> bins, const Column &column, const DriftWindowInput &window)
{
    DriftCell cell;
    Result<DriftScore> score = Error::invalid(QString());
    if (comparesCategories(profile)) {
        CategoricalSample current;
        current.counts = categoryCounts(column, current.missing, window.rows);
        cell.unseen = unseenCategories(profileCategoryCounts(profile), current.counts);
        if (profile.topCategories.size() == ColumnProfile::kTopCategories)
            cell.unseen.clear(); // the profile kept only the most frequent values: unseen cannot be told
        score = categoricalDriftFromProfile(method, profile, current, threshold);
    } else {
        // Gathered and sorted into buffers each worker thread keeps from cell to cell: a window's
        // 10,000 values are sorted in L1/L2 with no allocation.
        thread_local SortedSample sample;
        thread_local std::vector<double> scratch;
        gatherSortedSample(column.numbers(), window.rows, sample, scratch, needsSortedSample(method));
        score = numericDriftFromProfile(method, profile, sample, threshold, bins);
    }
    if (score)
        cell.score = score.value();
    else
        cell.error = score.error().message;
    return cell;
}

// NannyML's rule: over the baseline windows, mean + 3 standard deviations of the statistic.
void applyBaselineThresholds(DriftReport &report, std::size_t baselineWindows)
{
    const std::size_t baseline = std::min(baselineWindows, report.windows.size());
    for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c) {
        double sum = 0, squares = 0;
        std::size_t n = 0;
        for (std::size_t w = 0; w < baseline; ++w)
            if (const auto &score = report.cells[w][c].score) {
                sum += score->statistic;
                squares += score->statistic * score->statistic;
                ++n;
            }
        const double mean = n ? sum / double(n) : std::numeric_limits<double>::quiet_NaN();
        const double spread = n ? std::sqrt(std::max(0.0, squares / double(n) - mean * mean)) : 0.0;
        report.thresholds[c] = mean + 3 * spread;
        for (auto &row : report.cells)
            if (auto &score = row[c].score) {
                score->threshold = report.thresholds[c];
                score->drifted = score->statistic > report.thresholds[c];
            }
    }
}

void summarise(DriftReport &report, const std::vector<DriftWindowInput> &windows)
{
    for (std::size_t w = 0; w < windows.size(); ++w) {
        WindowDrift &summary = report.windows[w];
        for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c) {
            const DriftCell &cell = report.cells[w][c];
            if (!cell.score || report.roles[c] != ColumnRole::Feature)
                continue;
            ++summary.scoredFeatures;
            if (cell.score->drifted)
                ++summary.driftedFeatures;
        }
        summary.driftShare = summary.scoredFeatures ? double(summary.driftedFeatures) / double(summary.scoredFeatures) : 0.0;
        summary.datasetDrift = summary.scoredFeatures && summary.driftShare >= report.datasetDriftShare;
        for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c)
            if (const auto &score = report.cells[w][c].score; score && score->drifted)
                report.alerts.push_back(
                    {w, report.columns[qsizetype(c)],
                     QStringLiteral("%1 %2 = %3 (threshold %4)")
                         .arg(driftMethodName(score->method),
                              score->pValue && !report.statisticThresholds ? QStringLiteral("p-value")
                                                                           : QStringLiteral("statistic"))
                         .arg(score->pValue && !report.statisticThresholds ? *score->pValue : score->statistic, 0, 'g', 4)
                         .arg(score->threshold, 0, 'g', 4)});
        for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c)
            if (const auto &score = report.cells[w][c].score;
                score && std::abs(score->missingRateChange) >= report.missingRateAlert)
                report.alerts.push_back({w, report.columns[qsizetype(c)],
                                         QStringLiteral("missing rate %1 by %2 points")
                                             .arg(score->missingRateChange > 0 ? QStringLiteral("up") : QStringLiteral("down"))
                                             .arg(100 * std::abs(score->missingRateChange), 0, 'f', 1)});
        if (summary.datasetDrift)
            report.alerts.push_back({w, QString(),
                                     QStringLiteral("dataset drift: %1 of %2 features drifted")
                                         .arg(summary.driftedFeatures)
                                         .arg(summary.scoredFeatures)});
    }
}

QJsonValue numberOrNull(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

// One column in one window, named with its column, role, method and threshold.
QJsonObject cellJson(const DriftReport &report, std::size_t column, const DriftCell &cell)
{
    QJsonObject json{{QStringLiteral("column"), report.columns[qsizetype(column)]},
                     {QStringLiteral("role"), columnRoleName(report.roles[column])},
                     {QStringLiteral("method"), driftMethodName(report.methods[column])},
                     {QStringLiteral("threshold"), numberOrNull(cell.score ? cell.score->threshold : report.thresholds[column])},
                     {QStringLiteral("scored"), cell.score.has_value()}};
    if (!cell.score) {
        json.insert(QStringLiteral("error"), cell.error);
        return json;
    }
    json.insert(QStringLiteral("statistic"), numberOrNull(cell.score->statistic));
    json.insert(QStringLiteral("drifted"), cell.score->drifted);
    json.insert(QStringLiteral("missing_rate_change"), cell.score->missingRateChange);
    if (cell.score->pValue)
        json.insert(QStringLiteral("p_value"), *cell.score->pValue);
    if (!cell.unseen.empty()) {
        QJsonArray unseen;
        for (const UnseenCategory &category : cell.unseen)
            unseen.append(
                QJsonObject{{QStringLiteral("value"), category.value}, {QStringLiteral("count"), double(category.count)}});
        json.insert(QStringLiteral("unseen"), unseen);
    }
    return json;
}

} // namespace

QString driftSettingsProblem(const DriftSettings &settings)
{
    if (settings.baselineWindows > 0 && settings.baselineWindows < kMinimumBaselineWindows)
        return QStringLiteral("a baseline needs at least %1 windows (the spread of one window's statistic is zero); got %2")
            .arg(kMinimumBaselineWindows)
            .arg(settings.baselineWindows);
    if (!(settings.datasetDriftShare > 0 && settings.datasetDriftShare <= 1))
        return QStringLiteral("the share of drifted features that makes a window drift must lie in (0, 1]; got %1")
            .arg(settings.datasetDriftShare);
    return {};
}

Result<DriftReport> computeDriftReport(const std::vector<ColumnProfile> &reference, const std::vector<DriftWindowInput> &windows,
                                       const DriftSettings &settings, ProgressSink &progress)
{
    if (windows.empty())
        return Error::invalid(QStringLiteral("no current data to compare"));
    if (const QString problem = driftSettingsProblem(settings); !problem.isEmpty())
        return Error::invalid(problem);
    DriftReport report;
    report.statisticThresholds = settings.baselineWindows > 0;
    report.datasetDriftShare = settings.datasetDriftShare;
    report.missingRateAlert = settings.missingRateAlert;
    // A setting for a name the model does not have would be ignored without a word: refuse it.
    QStringList known;
    for (const ColumnProfile &profile : reference)
        if (profile.role == ColumnRole::Feature || profile.role == ColumnRole::Target)
            known.append(profile.name);
    for (const auto &[name, unused] : settings.columns)
        if (!known.contains(name))
            return Error::invalid(
                QStringLiteral("a drift method, threshold or bins were set for \"%1\", which is not a feature or "
                               "the target of the model%2")
                    .arg(name, closeNamesHint(name, known)));
    std::vector<const ColumnProfile *> compared;
    for (const ColumnProfile &profile : reference) {
        const bool target = profile.role == ColumnRole::Target;
        if (profile.role != ColumnRole::Feature && !target)
            continue;
        if (target && !windows.front().data->indexOf(profile.name))
            continue; // no labels: no target drift
        compared.push_back(&profile);
        report.columns.append(profile.name);
        report.roles.push_back(profile.role);
        report.methods.push_back(methodFor(profile, settings));
        report.thresholds.push_back(thresholdFor(profile, settings).value_or(defaultThreshold(report.methods.back())));
        report.bins.push_back(binsFor(profile, settings).value_or(0));
    }
    // Every column of every window is checked before any work starts.
    std::vector<std::vector<const Column *>> columns(windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w)
        for (const ColumnProfile *profile : compared) {
            Result<const Column *> column = columnFor(*profile, windows[w]);
            if (!column)
                return column.error();
            columns[w].push_back(column.value());
        }
    const std::size_t width = compared.size(), cellCount = windows.size() * width;
    report.cells.assign(windows.size(), std::vector<DriftCell>(width));
    std::atomic<std::size_t> done{0};
    std::atomic<bool> cancelled{false};
    parallelFor(cellCount, [&](std::size_t index) {
        if (cancelled.load(std::memory_order_relaxed) || progress.isCancelled()) {
            cancelled = true;
            return;
        }
        const std::size_t w = index / width, c = index % width;
        const std::size_t rows = windows[w].rows.empty() ? windows[w].data->rowCount() : windows[w].rows.size();
        if (rows < settings.minimumRows)
            report.cells[w][c].error
                = QStringLiteral("too few rows to compare (%1; at least %2)").arg(rows).arg(settings.minimumRows);
        else
            report.cells[w][c] = scoreCell(*compared[c], report.methods[c], thresholdFor(*compared[c], settings),
                                           binsFor(*compared[c], settings), *columns[w][c], windows[w]);
        const std::size_t finished = done.fetch_add(1) + 1;
        if (finished % 64 == 0)
            progress.setProgress(double(finished) / double(cellCount), QStringLiteral("Comparing distributions"));
    });
    if (cancelled)
        return Error::cancelled();
    for (const DriftWindowInput &window : windows)
        report.windows.push_back(
            {window.label, window.start, window.end, window.rows.empty() ? window.data->rowCount() : window.rows.size()});
    if (settings.baselineWindows > 0)
        applyBaselineThresholds(report, settings.baselineWindows);
    summarise(report, windows);
    progress.setProgress(1.0, QStringLiteral("Drift computed"));
    return report;
}

QJsonObject DriftReport::toJson() const
{
    QJsonArray columnList;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        QJsonObject column{{QStringLiteral("name"), columns[c]},
                           {QStringLiteral("role"), columnRoleName(roles[std::size_t(c)])},
                           {QStringLiteral("method"), driftMethodName(methods[std::size_t(c)])},
                           {QStringLiteral("threshold"), numberOrNull(thresholds[std::size_t(c)])}};
        if (std::size_t(c) < bins.size() && bins[std::size_t(c)] > 0)
            column.insert(QStringLiteral("bins"), double(bins[std::size_t(c)]));
        columnList.append(column);
    }
    QJsonArray windowList;
    for (std::size_t w = 0; w < windows.size(); ++w) {
        QJsonArray cellList;
        for (std::size_t c = 0; c < cells[w].size(); ++c)
            cellList.append(cellJson(*this, c, cells[w][c]));
        const WindowDrift &window = windows[w];
        windowList.append(QJsonObject{{QStringLiteral("label"), window.label},
                                      {QStringLiteral("start"), numberOrNull(window.start)},
                                      {QStringLiteral("end"), numberOrNull(window.end)},
                                      {QStringLiteral("rows"), double(window.rows)},
                                      {QStringLiteral("scored_features"), double(window.scoredFeatures)},
                                      {QStringLiteral("drifted_features"), double(window.driftedFeatures)},
                                      {QStringLiteral("drift_share"), window.driftShare},
                                      {QStringLiteral("dataset_drift"), window.datasetDrift},
                                      {QStringLiteral("columns"), cellList}});
    }
    QJsonArray unscoredList;
    for (const UnscoredCells &unscored : unscoredCells(*this)) {
        QJsonArray labels;
        for (std::size_t w : unscored.windows)
            labels.append(windows[w].label);
        unscoredList.append(QJsonObject{{QStringLiteral("columns"), QJsonArray::fromStringList(unscored.columns)},
                                        {QStringLiteral("windows"), labels},
                                        {QStringLiteral("reason"), unscored.reason}});
    }
    QJsonArray alertList;
    for (const DriftAlert &alert : alerts)
        alertList.append(QJsonObject{{QStringLiteral("window"), windows[alert.window].label},
                                     {QStringLiteral("column"), alert.column.isEmpty() ? QJsonValue() : QJsonValue(alert.column)},
                                     {QStringLiteral("message"), alert.message}});
    return {{QStringLiteral("columns"), columnList},
            {QStringLiteral("thresholds"),
             statisticThresholds ? QStringLiteral("baseline mean + 3 sd of the statistic") : QStringLiteral("fixed")},
            {QStringLiteral("dataset_drift_share"), datasetDriftShare},
            {QStringLiteral("windows"), windowList},
            {QStringLiteral("not_scored"), unscoredList},
            {QStringLiteral("alerts"), alertList}};
}

std::vector<UnscoredCells> unscoredCells(const DriftReport &report)
{
    std::vector<UnscoredCells> groups;
    for (qsizetype c = 0; c < report.columns.size(); ++c) {
        // This column's failures by reason, each with its windows, in the order they first appear.
        std::vector<std::pair<QString, std::vector<std::size_t>>> reasons;
        for (std::size_t w = 0; w < report.cells.size(); ++w) {
            const DriftCell &cell = report.cells[w][std::size_t(c)];
            if (cell.score)
                continue;
            auto found = std::find_if(reasons.begin(), reasons.end(),
                                      [&](const auto &reason) { return reason.first == cell.error; });
            if (found == reasons.end())
                reasons.push_back({cell.error, {w}});
            else
                found->second.push_back(w);
        }
        for (auto &[reason, windows] : reasons) {
            auto group = std::find_if(groups.begin(), groups.end(),
                                      [&](const UnscoredCells &g) { return g.reason == reason && g.windows == windows; });
            if (group == groups.end())
                groups.push_back({{report.columns[c]}, std::move(windows), reason});
            else
                group->columns.append(report.columns[c]);
        }
    }
    return groups;
}

QString describeUnscored(const DriftReport &report, const UnscoredCells &cells)
{
    QStringList labels;
    for (std::size_t w : cells.windows)
        labels.append(report.windows[w].label);
    const QString where = cells.windows.size() == report.windows.size() && report.windows.size() > 1
        ? QStringLiteral("every window")
        : labels.join(QLatin1String(", "));
    return QStringLiteral("%1 (%2): %3").arg(cells.columns.join(QLatin1String(", ")), where, cells.reason);
}

} // namespace plumb
