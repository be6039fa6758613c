#include "retraincommand.h"

#include "artifact/modelartifact.h"
#include "artifact/openedmodel.h"
#include "csvoptionargs.h"
#include "modelcommands.h"
#include "monitor/retrainingrun.h"

#include <QFileInfo>

#include <numeric>

namespace plumb::cli {

namespace {

void printComparison(QTextStream &out, const RetrainingOutcome &outcome, const QString &label)
{
    out << "\non the newest window (" << label << "):\n";
    out << "  " << QStringLiteral("metric").leftJustified(20) << QStringLiteral("current").rightJustified(12)
        << QStringLiteral("retrained").rightJustified(12) << "\n";
    for (const auto &[name, value] : outcome.parentOnNewest.metrics) {
        const double retrained = outcome.candidateOnNewest.metric(name);
        const bool better = isHigherBetter(name) ? retrained > value : retrained < value;
        const bool worse = isHigherBetter(name) ? retrained < value : retrained > value;
        out << "  " << name.leftJustified(20) << QString::number(value, 'f', 6).rightJustified(12)
            << QString::number(retrained, 'f', 6).rightJustified(12)
            << (better      ? "  better"
                    : worse ? "  worse"
                            : "")
            << '\n';
    }
}

// The command's description, arguments and options.
void addRetrainOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Retrain MODEL's pipeline (same preprocessing and parameters) on recent labelled DATA, validate it on the newest "
        "window next to MODEL, and save it as a new file with lineage. MODEL is never changed."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("The current .plumb model."));
    parser.addPositionalArgument(QStringLiteral("DATA"), QStringLiteral("Labelled CSV/TSV files, oldest first."),
                                 QStringLiteral("DATA..."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Where to save the new model."),
         QStringLiteral("NEW.plumb")},
        {QStringLiteral("timestamp"), QStringLiteral("Take the newest window by this datetime column."), QStringLiteral("COL")},
        {QStringLiteral("window"), QStringLiteral("With --timestamp: hour, day, week or month (default)."),
         QStringLiteral("PERIOD"), QStringLiteral("month")},
        {QStringLiteral("reason"), QStringLiteral("Why, for the lineage (default: the drift and metrics found)."),
         QStringLiteral("TEXT")},
        {QStringLiteral("force"), QStringLiteral("Replace NEW.plumb if it exists.")},
        {QStringLiteral("accept-worse"),
         QStringLiteral("Save the new model even when it is worse than MODEL on the newest window "
                        "(by MODEL's first validation metric); without it such a model is refused.")},
    });
    addCsvOptions(parser);
}

// Reports the retrained model against MODEL and saves it to `output` unless it is worse and that
// was not accepted.
int reportAndSave(const QCommandLineParser &parser, Io io, const RetrainingRun &run, const ModelArtifact &parent,
                  const QString &modelPath, const QString &output)
{
    const ModelArtifact *model = &parent;
    const RetrainingPlan &plan = run.plan;
    for (const QString &warning : run.outcome.fitReport.warnings)
        io.err << "warning: " << warning << '\n';
    io.out << QStringLiteral("retrained %1 on %2 rows in %3 s; validated on %4 rows of %5\n")
                  .arg(model->pipeline->model().kind())
                  .arg(plan.trainingRows.size())
                  .arg(run.outcome.fitSeconds, 0, 'f', 3)
                  .arg(plan.validationRows.size())
                  .arg(plan.validationLabel);
    printComparison(io.out, run.outcome, plan.validationLabel);
    printImportance(io.out, run.outcome.importance);
    printShapSummary(io.out, run.outcome.shap, {});
    const RetrainingVerdict &verdict = run.outcome.verdict;
    if (verdict.worse && !parser.isSet(QStringLiteral("accept-worse"))) {
        io.err << "plumb retrain: " << verdict.describe() << "; nothing was saved (--accept-worse saves it anyway)\n";
        return kExitError;
    }
    if (verdict.worse)
        io.err << "warning: " << verdict.describe() << "; saved as asked (--accept-worse)\n";
    if (std::optional<Error> saveError = saveRetrainedModel(run, modelPath, output, parser.isSet(QStringLiteral("force")))) {
        io.err << "plumb retrain: " << saveError->message << '\n';
        return kExitError;
    }
    io.out << "\nlineage: parent " << model->digest << "\n  reason: " << run.metadata.lineageReason << '\n';
    io.out << "saved " << output << '\n';
    return kExitOk;
}

} // namespace

int runRetrain(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    addRetrainOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("retrain"), arguments, 2, io, true))
        return *exit;
    QString error;
    const auto options = csvOptionsFrom(parser, error);
    const auto period = windowPeriodFromName(parser.value(QStringLiteral("window")));
    const QString output = parser.value(QStringLiteral("output"));
    QStringList paths = parser.positionalArguments();
    const QString modelPath = paths.takeFirst();
    if (!period)
        error = QStringLiteral("--window takes hour, day, week or month");
    else if (output.isEmpty())
        error = QStringLiteral("-o NEW.plumb is required");
    else if (const std::optional<Error> refused = checkRetrainedModelPath(modelPath, output))
        error = refused->message;
    if (!options || !period || !error.isEmpty()) {
        io.err << "plumb retrain: " << error << '\n';
        return kExitUsage;
    }
    if (QFileInfo::exists(output) && !parser.isSet(QStringLiteral("force"))) {
        io.err << "plumb retrain: " << output << " exists; choose another name or pass --force\n";
        return kExitError;
    }
    Result<OpenedModel> parent = openModelFile(modelPath, Keyring::forModel(modelPath));
    if (!parent) {
        io.err << "plumb retrain: " << parent.error().message << '\n';
        return exitCodeFor(parent.error().kind);
    }
    // The files as `plumb drift` reads them: one window per file, or periods of their timeline.
    MonitoringData data;
    const auto opened = std::make_shared<const OpenedModel>(std::move(parent).value());
    setMonitoredModel(data, opened);
    MonitoringSource source;
    for (const QString &path : paths)
        source.batches.push_back({QString(), path});
    source.timestampColumn = parser.value(QStringLiteral("timestamp"));
    source.period = *period;
    source.csv = *options;
    if (std::optional<Error> failure = readMonitoringData(data, source)) {
        io.err << "plumb retrain: " << failure->message << '\n';
        return kExitError;
    }
    for (const QString &warning : data.warnings)
        io.err << "warning: " << warning << '\n';
    if (data.windows.size() < 2) {
        io.err << "plumb retrain: "
               << (source.timestampColumn.isEmpty()
                       ? QStringLiteral("give several files (the last is the newest window) or --timestamp")
                       : QStringLiteral("no rows to retrain on: the newest window (%1) is all the data")
                             .arg(data.windows.back().label))
               << '\n';
        return kExitError;
    }
    std::vector<std::size_t> training(data.windows.size() - 1);
    std::iota(training.begin(), training.end(), std::size_t(0));
    Result<RetrainingRunPtr> retrained = retrainOnWindows(data, training, parser.value(QStringLiteral("reason")));
    if (!retrained) {
        io.err << "plumb retrain: " << retrained.error().message << '\n';
        return kExitError;
    }
    return reportAndSave(parser, io, *retrained.value(), opened->artifact, modelPath, output);
}

} // namespace plumb::cli
