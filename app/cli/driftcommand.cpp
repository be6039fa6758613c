#include "driftcommand.h"

#include "artifact/modelartifact.h"
#include "base/closenames.h"
#include "csvoptionargs.h"
#include "data/columnnames.h"
#include "data/csvreader.h"
#include "monitor/driftreport.h"
#include "monitor/driftreporthtml.h"
#include "monitor/performancedecay.h"
#include "monitor/predictiondrift.h"
#include "monitor/retraining.h"
#include "monitor/timewindows.h"
#include "serve/predictionlog.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

#include <deque>

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
                                   "jensenshannon, chisquare; got \"%1\"").arg(pair);
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
    if (!ok || (parser.isSet(QStringLiteral("baseline-windows")) && settings.baselineWindows < 2)) {
        error = QStringLiteral("--baseline-windows takes a whole number of at least 2");
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
    if (!ok || !(settings.datasetDriftShare > 0 && settings.datasetDriftShare <= 1)) {
        error = QStringLiteral("--drift-share takes a number in (0, 1]");
        return std::nullopt;
    }
    return settings;
}

// One window per file, or the file's rows grouped by the calendar period of `timestamp`.
Result<std::vector<DriftWindowInput>> windowsOf(const Dataset &data, const QString &path, const QString &timestamp,
                                                WindowPeriod period, QStringList &warnings)
{
    if (timestamp.isEmpty())
        return std::vector<DriftWindowInput>{{QFileInfo(path).fileName(), NAN, NAN, &data, {}}};
    const std::optional<std::size_t> index = data.indexOf(timestamp);
    if (!index)
        return Error::invalid(QStringLiteral("%1 has no column \"%2\"%3").arg(path, timestamp, closeColumnsHint(data, timestamp)));
    const Column &column = data.column(*index);
    if (column.type() != ColumnType::Datetime)
        return Error::invalid(QStringLiteral("%1: column \"%2\" is %3, not datetime").arg(path, timestamp, columnTypeName(column.type())));
    std::size_t missing = 0;
    Result<std::vector<TimeWindow>> windows = windowsByPeriod(column.numbers(), period, missing);
    if (!windows)
        return Error::invalid(QStringLiteral("%1: %2").arg(path, windows.error().message));
    if (missing)
        warnings.append(QStringLiteral("%1: %2 rows without a timestamp are left out").arg(path).arg(missing));
    std::vector<DriftWindowInput> inputs;
    for (TimeWindow &window : windows.value())
        inputs.push_back({window.label, window.start, window.end, &data, std::move(window.rows)});
    return inputs;
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

// The metric the model file's validation reported first (accuracy, r2), or the one asked for.
std::optional<PerformanceSettings> performanceSettings(const QCommandLineParser &parser, const ModelMetadata &metadata, QString &error)
{
    PerformanceSettings settings;
    settings.metric = parser.isSet(QStringLiteral("metric")) ? parser.value(QStringLiteral("metric"))
                                                             : (metadata.metrics.empty() ? QString() : metadata.metrics.front().first);
    const auto baseline = std::find_if(metadata.metrics.begin(), metadata.metrics.end(),
                                       [&](const auto &metric) { return metric.first == settings.metric; });
    if (baseline == metadata.metrics.end()) {
        QStringList names;
        for (const auto &[name, value] : metadata.metrics)
            names.append(name);
        error = QStringLiteral("the model's validation has no metric \"%1\"%2").arg(settings.metric, closeNamesHint(settings.metric, names));
        return std::nullopt;
    }
    settings.baseline = baseline->second;
    settings.seed = metadata.seed;
    return settings;
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
                   .arg(window.value, 0, 'f', 4).arg(window.lower, 0, 'f', 4).arg(window.upper, 0, 'f', 4)
                   .arg(window.degraded ? QStringLiteral("  below the baseline") : QString());
    }
}

void printPredictionDrift(QTextStream &out, const PredictionDrift &drift, const DriftReport &report)
{
    out << "\nprediction drift: " << driftMethodName(drift.method) << " against the predictions on the first "
        << drift.referenceWindows << " window(s) (" << drift.referenceRows << " rows)\n";
    for (std::size_t w = 0; w < drift.windows.size(); ++w) {
        const DriftCell &cell = drift.windows[w];
        out << "  " << report.windows[w].label << "  ";
        if (!cell.score) {
            out << cell.error << '\n';
            continue;
        }
        out << QString::number(cell.score->score(), 'g', 4) << (cell.score->drifted ? "  drifted" : "") << '\n';
    }
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

// The current data: the CSV files (joined into one timeline when windowed by `timestamp`), or the
// inputs of the prediction log at `log`, windowed by when they were received. `names` gets what
// each dataset is called in messages; `timestamp` the log's timestamp column.
std::optional<Error> readCurrent(const QStringList &paths, const QString &log, const ModelArtifact &model,
                                 const CsvOptions &options, std::deque<Dataset> &datasets, QStringList &names,
                                 QString &timestamp, QStringList &warnings)
{
    if (!log.isEmpty()) {
        Result<LoggedInputs> logged = readLoggedInputs(log, *model.pipeline);
        if (!logged)
            return logged.error();
        warnings += logged.warnings();
        timestamp = logged.value().timestampColumn;
        names.append(log);
        datasets.push_back(std::move(logged.value().data));
        return std::nullopt;
    }
    for (const QString &path : paths) {
        Result<Dataset> data = CsvReader::readFile(path, options);
        if (!data)
            return data.error();
        if (!timestamp.isEmpty() && !datasets.empty()) {
            if (auto error = datasets.front().appendRows(data.value()))
                return error;
        } else {
            datasets.push_back(std::move(data).value());
            names.append(timestamp.isEmpty() ? path : paths.join(QLatin1String(", ")));
        }
        warnings += data.warnings();
    }
    return std::nullopt;
}

} // namespace

int runDrift(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare current data with the reference profile MODEL keeps: each column's drift (Evidently's default method "
        "and threshold unless set), per file or per time window, and alerts where a threshold is crossed."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addPositionalArgument(QStringLiteral("CURRENT"), QStringLiteral("CSV/TSV files of current data, one window each "
                                                                           "(or --log)."),
                                 QStringLiteral("[CURRENT...]"));
    parser.addOption({QStringLiteral("log"), QStringLiteral("Read the current data from a prediction log (plumb serve --log): "
                                                            "a SQLite file or postgresql://..., windowed by --window."),
                      QStringLiteral("STORE")});
    parser.addOption({QStringLiteral("timestamp"), QStringLiteral("Window the rows by this datetime column."), QStringLiteral("COL")});
    parser.addOption({QStringLiteral("window"), QStringLiteral("With --timestamp: hour, day (default), week or month."),
                      QStringLiteral("PERIOD"), QStringLiteral("day")});
    parser.addOption({QStringLiteral("method"), QStringLiteral("A column's method: ks, wasserstein, wasserstein_normed, psi, "
                                                               "jensenshannon or chisquare."), QStringLiteral("COL=METHOD")});
    parser.addOption({QStringLiteral("threshold"), QStringLiteral("A column's threshold."), QStringLiteral("COL=VALUE")});
    parser.addOption({QStringLiteral("bins"), QStringLiteral("PSI and Jensen-Shannon on a numeric column: merge the profile's bins "
                                                             "into at most N of about equal reference share."), QStringLiteral("COL=N")});
    parser.addOption({QStringLiteral("baseline-windows"), QStringLiteral("Thresholds from the first N windows: mean + 3 sd of "
                                                                         "each statistic (NannyML style)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("drift-share"), QStringLiteral("Share of drifted features that makes a window drift (0.5)."),
                      QStringLiteral("F")});
    parser.addOption({QStringLiteral("min-rows"), QStringLiteral("Windows with fewer rows are not scored (30)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("metric"), QStringLiteral("Where the data has labels, the metric to follow (default: "
                                                               "the first the model's validation reported)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the report as JSON.")});
    parser.addOption({QStringLiteral("html"), QStringLiteral("Also write the report as one HTML page."), QStringLiteral("REPORT.html")});
    addCsvOptions(parser);
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
    Result<ModelArtifact> artifact = loadModelArtifact(modelPath);
    if (!artifact) {
        io.err << "plumb drift: " << artifact.error().message << '\n';
        return artifact.error().kind == Error::Kind::Integrity ? kExitVerification : kExitError;
    }
    const std::vector<ColumnProfile> reference = profilesFromJson(artifact.value().profile).value();
    // Without a timestamp each file is a window; with one, the files form one timeline.
    QString timestamp = parser.value(QStringLiteral("timestamp"));
    std::deque<Dataset> datasets; // stable addresses for the windows
    QStringList names, warnings;
    if (auto failure = readCurrent(paths, log, artifact.value(), *options, datasets, names, timestamp, warnings)) {
        io.err << "plumb drift: " << failure->message << '\n';
        return kExitError;
    }
    std::vector<DriftWindowInput> windows;
    for (std::size_t d = 0; d < datasets.size(); ++d) {
        Result<std::vector<DriftWindowInput>> inputs = windowsOf(datasets[d], names[qsizetype(d)], timestamp, *period, warnings);
        if (!inputs) {
            io.err << "plumb drift: " << inputs.error().message << '\n';
            return kExitError;
        }
        for (DriftWindowInput &input : inputs.value())
            windows.push_back(std::move(input));
    }
    Result<DriftReport> report = computeDriftReport(reference, windows, *settings);
    if (!report) {
        io.err << "plumb drift: " << report.error().message << '\n';
        return kExitError;
    }
    // Performance decay, where the current data has labels.
    std::optional<PerformanceReport> performance;
    const ModelArtifact &model = artifact.value();
    if (datasets.front().indexOf(model.pipeline->target().name)) {
        const auto settings = performanceSettings(parser, model.metadata, error);
        Result<PerformanceReport> measured = settings ? performanceOverWindows(*model.pipeline, windows, *settings)
                                                      : Result<PerformanceReport>(Error::invalid(error));
        if (!measured) {
            io.err << "plumb drift: " << measured.error().message << '\n';
            return kExitError;
        }
        performance = std::move(measured).value();
    }
    // Prediction drift: the later windows' predictions against the baseline windows'.
    std::optional<PredictionDrift> predictions;
    if (windows.size() > 1) {
        Result<PredictionDrift> computed = predictionDrift(*model.pipeline, windows, std::max<std::size_t>(settings->baselineWindows, 1));
        if (!computed) {
            io.err << "plumb drift: " << computed.error().message << '\n';
            return kExitError;
        }
        predictions = std::move(computed).value();
    }
    for (const QString &warning : warnings)
        io.err << "warning: " << warning << '\n';
    const QString title = QStringLiteral("%1 (%2), digest %3").arg(artifact.value().metadata.name, QFileInfo(modelPath).fileName(),
                                                                   artifact.value().digest);
    if (parser.isSet(QStringLiteral("html"))
        && !writeHtml(parser.value(QStringLiteral("html")), driftReportHtml(report.value(), title, performance ? &*performance : nullptr,
                                                                            predictions ? &*predictions : nullptr), error)) {
        io.err << "plumb drift: " << error << '\n';
        return kExitError;
    }
    const RetrainingProposal proposal = proposeRetraining(report.value(), performance ? &*performance : nullptr);
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json = report.value().toJson();
        json.insert(QStringLiteral("model"), QJsonObject{{QStringLiteral("file"), modelPath},
                                                         {QStringLiteral("name"), artifact.value().metadata.name},
                                                         {QStringLiteral("digest"), artifact.value().digest}});
        if (performance)
            json.insert(QStringLiteral("performance"), performance->toJson());
        if (predictions)
            json.insert(QStringLiteral("prediction_drift"), predictions->toJson());
        json.insert(QStringLiteral("retraining"), QJsonObject{{QStringLiteral("proposed"), proposal.proposed},
                                                              {QStringLiteral("reason"), proposal.reason}});
        io.out << QJsonDocument(json).toJson();
        return kExitOk;
    }
    io.out << title << ": " << report.value().windows.size() << " window(s), " << report.value().columns.size() << " column(s)\n\n";
    printReport(io.out, report.value());
    if (predictions)
        printPredictionDrift(io.out, *predictions, report.value());
    if (performance)
        printPerformance(io.out, *performance, report.value());
    if (proposal.proposed)
        io.out << "\nretraining proposed: " << proposal.reason << "\n  plumb retrain " << modelPath
               << " DATA... -o NEW.plumb refits the same pipeline and compares it on the newest window\n";
    return kExitOk;
}

} // namespace plumb::cli
