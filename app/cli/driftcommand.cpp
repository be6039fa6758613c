#include "driftcommand.h"

#include "artifact/modelartifact.h"
#include "artifact/openedmodel.h"
#include "csvoptionargs.h"
#include "monitor/driftreporthtml.h"
#include "monitor/monitoringrun.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace plumb::cli {

namespace {

// --method COL=METHOD, --threshold COL=VALUE and --bins COL=N into per-column settings.
std::optional<DriftSettings> settingsFrom(const QCommandLineParser &parser, QString &error)
{
    DriftSettings settings;
    for (const QString &pair : parser.values(QStringLiteral("method"))) {
        const qsizetype split = pair.lastIndexOf(QLatin1Char('='));
        const auto method = split > 0 ? driftMethodFromName(pair.mid(split + 1)) : std::nullopt;
        if (!method) {
            error = QStringLiteral("--method takes COL=METHOD with METHOD one of ks, wasserstein, wasserstein_normed, psi, "
                                   "jensenshannon, chisquare; got \"%1\"")
                        .arg(pair);
            return std::nullopt;
        }
        settings.columns[pair.left(split)].method = method;
    }
    for (const QString &pair : parser.values(QStringLiteral("threshold"))) {
        const qsizetype split = pair.lastIndexOf(QLatin1Char('='));
        bool ok = false;
        const double value = split > 0 ? pair.mid(split + 1).toDouble(&ok) : 0.0;
        if (!ok || !std::isfinite(value)) {
            error = QStringLiteral("--threshold takes COL=NUMBER; got \"%1\"").arg(pair);
            return std::nullopt;
        }
        settings.columns[pair.left(split)].threshold = value;
    }
    for (const QString &pair : parser.values(QStringLiteral("bins"))) {
        const qsizetype split = pair.lastIndexOf(QLatin1Char('='));
        bool ok = false;
        const uint value = split > 0 ? pair.mid(split + 1).toUInt(&ok) : 0;
        if (!ok || value < 2) {
            error = QStringLiteral("--bins takes COL=N with N a whole number of at least 2; got \"%1\"").arg(pair);
            return std::nullopt;
        }
        settings.columns[pair.left(split)].bins = value;
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("baseline-windows")))
        settings.baselineWindows = parser.value(QStringLiteral("baseline-windows")).toUInt(&ok);
    if (!ok) {
        error = QStringLiteral("--baseline-windows takes a whole number");
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("min-rows")))
        settings.minimumRows = parser.value(QStringLiteral("min-rows")).toUInt(&ok);
    if (!ok) {
        error = QStringLiteral("--min-rows takes a whole number");
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("drift-share")))
        settings.datasetDriftShare = parser.value(QStringLiteral("drift-share")).toDouble(&ok);
    if (!ok) {
        error = QStringLiteral("--drift-share takes a number");
        return std::nullopt;
    }
    if (const QString problem = driftSettingsProblem(settings); !problem.isEmpty()) {
        error = problem;
        return std::nullopt;
    }
    return settings;
}

QString driftedColumns(const DriftReport &report, std::size_t window)
{
    QStringList names;
    for (qsizetype c = 0; c < report.columns.size(); ++c)
        if (const auto &score = report.cells[window][std::size_t(c)].score; score && score->drifted)
            names.append(report.columns[c]);
    return names.join(QLatin1String(", "));
}

void printReport(QTextStream &out, const DriftReport &report)
{
    QList<QStringList> rows{{QStringLiteral("window"), QStringLiteral("rows"), QStringLiteral("drifted"), QStringLiteral("share"),
                             QStringLiteral("dataset drift"), QStringLiteral("drifted columns")}};
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const WindowDrift &window = report.windows[w];
        rows.append({window.label, QString::number(window.rows),
                     QStringLiteral("%1 of %2").arg(window.driftedFeatures).arg(window.scoredFeatures),
                     QStringLiteral("%1%").arg(100.0 * window.driftShare, 0, 'f', 1),
                     window.datasetDrift ? QStringLiteral("yes") : QStringLiteral("no"), driftedColumns(report, w)});
    }
    printAlignedTable(out, rows, [&](qsizetype i) { return i >= 1 && i <= 3; });
    const std::vector<UnscoredCells> unscored = unscoredCells(report);
    if (!unscored.empty())
        out << "\nnot scored (left out of the counts above):\n";
    for (const UnscoredCells &cells : unscored)
        out << "  " << describeUnscored(report, cells) << '\n';
    out << '\n' << report.alerts.size() << " alert(s)\n";
    for (const DriftAlert &alert : report.alerts)
        out << "  " << report.windows[alert.window].label << ' '
            << (alert.column.isEmpty() ? QString() : alert.column + QStringLiteral(": ")) << alert.message << '\n';
}

void printPerformance(QTextStream &out, const PerformanceReport &performance, const DriftReport &report)
{
    out << "\nperformance: " << performance.metric << " (validation baseline " << QString::number(performance.baseline, 'f', 4)
        << "; 95% bootstrap band)\n";
    for (std::size_t w = 0; w < performance.windows.size(); ++w) {
        const WindowPerformance &window = performance.windows[w];
        out << "  " << report.windows[w].label << "  ";
        if (!window.error.isEmpty()) {
            out << window.error << '\n';
            continue;
        }
        out << QStringLiteral("%1 [%2, %3]%4\n")
                   .arg(window.value, 0, 'f', 4)
                   .arg(window.lower, 0, 'f', 4)
                   .arg(window.upper, 0, 'f', 4)
                   .arg(window.degraded ? QStringLiteral("  below the baseline") : QString());
    }
}

void printPredictionDrift(QTextStream &out, const MonitoringResult &result)
{
    if (!result.predictions) {
        out << "\nprediction drift: not computed: " << result.predictionsError << '\n';
        return;
    }
    const PredictionDrift &drift = *result.predictions;
    out << "\nprediction drift: " << driftMethodName(drift.method) << " against the predictions on the first "
        << drift.referenceWindows << " window(s) (" << drift.referenceRows << " rows)\n";
    for (std::size_t w = 0; w < drift.windows.size(); ++w) {
        const DriftCell &cell = drift.windows[w];
        out << "  " << result.report.windows[w].label << "  ";
        if (!cell.score) {
            out << cell.error << '\n';
            continue;
        }
        out << QString::number(cell.score->score(), 'g', 4) << (cell.score->drifted ? "  drifted" : "") << '\n';
    }
}

// The scoring service's own health per period, from its prediction log.
void printService(QTextStream &out, const ServiceHistory &service)
{
    out << "\nservice: requests per " << windowPeriodName(service.period) << " (latency in ms)\n";
    QList<QStringList> rows{{QStringLiteral("window"), QStringLiteral("requests"), QStringLiteral("errors"),
                             QStringLiteral("rows"), QStringLiteral("p50"), QStringLiteral("p95"), QStringLiteral("p99"),
                             QStringLiteral("max")}};
    const auto ms = [](double value) { return QString::number(value, 'f', 1); };
    for (const ServiceWindow &window : service.windows)
        rows.append({window.label, QString::number(window.requests), QString::number(window.errors), QString::number(window.rows),
                     ms(window.p50Ms), ms(window.p95Ms), ms(window.p99Ms), ms(window.maxMs)});
    printAlignedTable(out, rows, [](qsizetype i) { return i >= 1; });
}

bool writeHtml(const QString &path, const QByteArray &html, QString &error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html) != html.size() || !file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// The command's description, arguments and options.
void addDriftOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Compare current data with the reference profile MODEL keeps: each column's drift (Evidently's default method "
        "and threshold unless set), per file or per time window, and alerts where a threshold is crossed."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addPositionalArgument(QStringLiteral("CURRENT"),
                                 QStringLiteral("CSV/TSV files of current data, one window each "
                                                "(or --log)."),
                                 QStringLiteral("[CURRENT...]"));
    parser.addOption({QStringLiteral("log"),
                      QStringLiteral("Read the current data from a prediction log (plumb serve --log): "
                                     "a SQLite file or postgresql://..., windowed by --window."),
                      QStringLiteral("STORE")});
    parser.addOption(
        {QStringLiteral("timestamp"), QStringLiteral("Window the rows by this datetime column."), QStringLiteral("COL")});
    parser.addOption({QStringLiteral("window"), QStringLiteral("With --timestamp: hour, day (default), week or month."),
                      QStringLiteral("PERIOD"), QStringLiteral("day")});
    parser.addOption({QStringLiteral("method"),
                      QStringLiteral("A column's method: ks, wasserstein, wasserstein_normed, psi, "
                                     "jensenshannon or chisquare."),
                      QStringLiteral("COL=METHOD")});
    parser.addOption({QStringLiteral("threshold"), QStringLiteral("A column's threshold."), QStringLiteral("COL=VALUE")});
    parser.addOption({QStringLiteral("bins"),
                      QStringLiteral("PSI and Jensen-Shannon on a numeric column: merge the profile's bins "
                                     "into at most N of about equal reference share."),
                      QStringLiteral("COL=N")});
    parser.addOption({QStringLiteral("baseline-windows"),
                      QStringLiteral("Thresholds from the first N windows: mean + 3 sd of "
                                     "each statistic (NannyML style)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("drift-share"), QStringLiteral("Share of drifted features that makes a window drift (0.5)."),
                      QStringLiteral("F")});
    parser.addOption(
        {QStringLiteral("min-rows"), QStringLiteral("Windows with fewer rows are not scored (30)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("metric"),
                      QStringLiteral("Where the data has labels, the metric to follow (default: "
                                     "the first the model's validation reported)."),
                      QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("json"), QStringLiteral("Print the report as JSON (the Monitor view's export; \"schema_version\": 1).")});
    parser.addOption(
        {QStringLiteral("html"), QStringLiteral("Also write the report as one HTML page."), QStringLiteral("REPORT.html")});
    addCsvOptions(parser);
}

// Prints (or writes) the report as the options ask: warnings to standard error, the HTML page,
// then JSON or the text report with the retraining proposal.
int reportDrift(const QCommandLineParser &parser, Io io, const MonitoringData &data, const MonitoringResult &result,
                const QString &modelPath)
{
    QString error;
    for (const QString &warning : data.warnings)
        io.err << "warning: " << warning << '\n';
    const PerformanceReport *performance = result.performance ? &*result.performance : nullptr;
    const QString title = QStringLiteral("%1 (%2), digest %3")
                              .arg(data.artifact->metadata.name, QFileInfo(modelPath).fileName(), data.artifact->digest);
    if (parser.isSet(QStringLiteral("html"))
        && !writeHtml(parser.value(QStringLiteral("html")), monitoringReportHtml(data, result), error)) {
        io.err << "plumb drift: " << error << '\n';
        return kExitError;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        io.out << QJsonDocument(monitoringReportJson(data, result)).toJson();
        return kExitOk;
    }
    io.out << title << ": " << result.report.windows.size() << " window(s), " << result.report.columns.size() << " column(s)\n\n";
    printReport(io.out, result.report);
    printPredictionDrift(io.out, result);
    if (performance)
        printPerformance(io.out, *performance, result.report);
    if (data.service)
        printService(io.out, *data.service);
    const RetrainingProposal proposal = proposeRetraining(result.report, performance);
    if (proposal.proposed)
        io.out << "\nretraining proposed: " << proposal.reason << "\n  plumb retrain " << modelPath
               << " DATA... -o NEW.plumb refits the same pipeline and compares it on the newest window\n";
    return kExitOk;
}

} // namespace

int runDrift(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    addDriftOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("drift"), arguments, 1, io, true))
        return *exit;
    const QString log = parser.value(QStringLiteral("log"));
    if ((parser.positionalArguments().size() > 1) == !log.isEmpty()) {
        io.err << "plumb drift: give CURRENT files or --log STORE, " << (log.isEmpty() ? "one of them" : "not both") << '\n';
        return kExitUsage;
    }
    QString error;
    const auto options = csvOptionsFrom(parser, error);
    const auto settings = options ? settingsFrom(parser, error) : std::nullopt;
    const auto period = windowPeriodFromName(parser.value(QStringLiteral("window")));
    if (!period)
        error = QStringLiteral("--window takes hour, day, week or month");
    if (!options || !settings || !period) {
        io.err << "plumb drift: " << error << '\n';
        return kExitUsage;
    }
    QStringList paths = parser.positionalArguments();
    const QString modelPath = paths.takeFirst();
    Result<OpenedModel> opened = openModelFile(modelPath, Keyring::forModel(modelPath));
    if (!opened) {
        io.err << "plumb drift: " << opened.error().message << '\n';
        return exitCodeFor(opened.error().kind);
    }
    MonitoringData data;
    setMonitoredModel(data, std::make_shared<const OpenedModel>(std::move(opened).value()));
    MonitoringSource source;
    for (const QString &path : paths)
        source.batches.push_back({QString(), path});
    source.timestampColumn = parser.value(QStringLiteral("timestamp"));
    source.period = *period;
    source.log = log;
    source.csv = *options;
    if (std::optional<Error> failure = readMonitoringData(data, source)) {
        io.err << "plumb drift: " << failure->message << '\n';
        return kExitError;
    }
    Result<MonitoringResult> computed = computeMonitoring(data, {*settings, parser.value(QStringLiteral("metric"))});
    if (!computed) {
        io.err << "plumb drift: " << computed.error().message << '\n';
        return kExitError;
    }
    return reportDrift(parser, io, data, computed.value(), modelPath);
}

} // namespace plumb::cli
