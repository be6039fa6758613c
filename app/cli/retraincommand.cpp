#include "retraincommand.h"

#include "artifact/modelartifact.h"
#include "base/sha256.h"
#include "csvoptionargs.h"
#include "data/columnnames.h"
#include "data/csvreader.h"
#include "modelcommands.h"
#include "monitor/retraining.h"
#include "monitor/timewindows.h"

#include <QFileInfo>

namespace plumb::cli {

namespace {

// The files joined into one table, and the rows of the last file (or the last period).
struct Joined
{
    Dataset data;
    RetrainingPlan plan;
    QStringList warnings; // from reading the files
};

Result<Joined> joinAndSplit(const QStringList &paths, const CsvOptions &options, const QString &timestamp, WindowPeriod period)
{
    Joined joined;
    std::size_t lastFileStart = 0;
    for (qsizetype i = 0; i < paths.size(); ++i) {
        Result<Dataset> data = CsvReader::readFile(paths[i], options);
        if (!data)
            return data.error();
        joined.warnings += data.warnings();
        lastFileStart = joined.data.rowCount();
        if (i == 0)
            joined.data = std::move(data).value();
        else if (auto error = joined.data.appendRows(data.value()))
            return *error;
    }
    std::vector<std::size_t> newest;
    if (!timestamp.isEmpty()) {
        const std::optional<std::size_t> index = joined.data.indexOf(timestamp);
        if (!index)
            return Error::invalid(QStringLiteral("--timestamp: the data has no column \"%1\"%2").arg(timestamp, closeColumnsHint(joined.data, timestamp)));
        if (joined.data.column(*index).type() != ColumnType::Datetime)
            return Error::invalid(QStringLiteral("--timestamp needs a datetime column; \"%1\" is not one").arg(timestamp));
        std::size_t missing = 0;
        Result<std::vector<TimeWindow>> windows = windowsByPeriod(joined.data.column(*index).numbers(), period, missing);
        if (!windows)
            return windows.error();
        newest = windows.value().back().rows;
        joined.plan.validationLabel = windows.value().back().label;
    } else {
        if (paths.size() < 2)
            return Error::invalid(QStringLiteral("give several files (the last is the newest window) or --timestamp"));
        for (std::size_t row = lastFileStart; row < joined.data.rowCount(); ++row)
            newest.push_back(row);
        joined.plan.validationLabel = QFileInfo(paths.back()).fileName();
    }
    std::vector<bool> isNewest(joined.data.rowCount(), false);
    for (std::size_t row : newest)
        isNewest[row] = true;
    for (std::size_t row = 0; row < isNewest.size(); ++row)
        (isNewest[row] ? joined.plan.validationRows : joined.plan.trainingRows).push_back(row);
    return joined;
}

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
            << QString::number(retrained, 'f', 6).rightJustified(12) << (better ? "  better" : worse ? "  worse" : "") << '\n';
    }
}

} // namespace

int runRetrain(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Retrain MODEL's pipeline (same preprocessing and parameters) on recent labelled DATA, validate it on the newest "
        "window next to MODEL, and save it as a new file with lineage. MODEL is never changed."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("The current .plumb model."));
    parser.addPositionalArgument(QStringLiteral("DATA"), QStringLiteral("Labelled CSV/TSV files, oldest first."), QStringLiteral("DATA..."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Where to save the new model."), QStringLiteral("NEW.plumb")},
        {QStringLiteral("timestamp"), QStringLiteral("Take the newest window by this datetime column."), QStringLiteral("COL")},
        {QStringLiteral("window"), QStringLiteral("With --timestamp: hour, day, week or month (default)."), QStringLiteral("PERIOD"),
         QStringLiteral("month")},
        {QStringLiteral("reason"), QStringLiteral("Why, for the lineage (default: the drift and metrics found)."), QStringLiteral("TEXT")},
        {QStringLiteral("force"), QStringLiteral("Replace NEW.plumb if it exists.")},
        {QStringLiteral("accept-worse"), QStringLiteral("Save the new model even when it is worse than MODEL on the newest window "
                                                        "(by MODEL's first validation metric); without it such a model is refused.")},
    });
    addCsvOptions(parser);
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
    else if (QFileInfo(output).absoluteFilePath() == QFileInfo(modelPath).absoluteFilePath())
        error = QStringLiteral("the new model must not replace its parent; choose another -o");
    if (!options || !period || !error.isEmpty()) {
        io.err << "plumb retrain: " << error << '\n';
        return kExitUsage;
    }
    if (QFileInfo::exists(output) && !parser.isSet(QStringLiteral("force"))) {
        io.err << "plumb retrain: " << output << " exists; choose another name or pass --force\n";
        return kExitError;
    }
    Result<ModelArtifact> parent = loadModelArtifact(modelPath);
    if (!parent) {
        io.err << "plumb retrain: " << parent.error().message << '\n';
        return parent.error().kind == Error::Kind::Integrity ? kExitVerification : kExitError;
    }
    Result<Joined> joined = joinAndSplit(paths, *options, parser.value(QStringLiteral("timestamp")), *period);
    if (!joined) {
        io.err << "plumb retrain: " << joined.error().message << '\n';
        return kExitError;
    }
    for (const QString &warning : joined.value().warnings)
        io.err << "warning: " << warning << '\n';
    RetrainingPlan &plan = joined.value().plan;
    plan.data = &joined.value().data;
    plan.reason = parser.value(QStringLiteral("reason"));
    Result<RetrainingOutcome> outcome = retrain(parent.value(), plan);
    if (!outcome) {
        io.err << "plumb retrain: " << outcome.error().message << '\n';
        return kExitError;
    }
    for (const QString &warning : outcome.value().fitReport.warnings)
        io.err << "warning: " << warning << '\n';
    io.out << QStringLiteral("retrained %1 on %2 rows in %3 s; validated on %4 rows of %5\n")
                  .arg(parent.value().pipeline->model().kind()).arg(plan.trainingRows.size())
                  .arg(outcome.value().fitSeconds, 0, 'f', 3).arg(plan.validationRows.size()).arg(plan.validationLabel);
    printComparison(io.out, outcome.value(), plan.validationLabel);
    printImportance(io.out, outcome.value().importance);
    const RetrainingVerdict &verdict = outcome.value().verdict;
    if (verdict.worse && !parser.isSet(QStringLiteral("accept-worse"))) {
        io.err << "plumb retrain: " << verdict.describe() << "; nothing was saved (--accept-worse saves it anyway)\n";
        return kExitError;
    }
    if (verdict.worse)
        io.err << "warning: " << verdict.describe() << "; saved as asked (--accept-worse)\n";
    ModelMetadata metadata = retrainedMetadata(parent.value(), plan, outcome.value());
    QStringList names;
    for (const QString &path : paths)
        names.append(QFileInfo(path).fileName());
    metadata.sourceFile = names.join(QLatin1String(", "));
    const Result<QString> sourceSha256 = filesSha256Hex(paths); // as `cat DATA... | sha256sum`
    metadata.sourceSha256 = sourceSha256 ? sourceSha256.value() : QString();
    const Dataset trainingRows = plan.data->selectRows(plan.trainingRows);
    if (auto saveError = saveModelArtifact(output, outcome.value().candidate, metadata,
                                           referenceProfile(trainingRows, outcome.value().candidate), parser.isSet(QStringLiteral("force")))) {
        io.err << "plumb retrain: " << saveError->message << '\n';
        return kExitError;
    }
    io.out << "\nlineage: parent " << parent.value().digest << "\n  reason: " << metadata.lineageReason << '\n';
    io.out << "saved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
