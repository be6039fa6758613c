#include "traincommand.h"

#include "modelcommands.h"

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "artifact/trainedmodel.h"
#include "csvoptionargs.h"
#include "learn/trainer.h"
#include "learn/validation.h"

#include <QFile>
#include <QFileInfo>

#include <cmath>

namespace plumb::cli {

namespace {

// A metric as printed: six decimals, "undefined" for NaN, and 0 rather than -0.000000.
QString metricText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("undefined");
    return QString::number(std::abs(value) < 5e-7 ? 0.0 : value, 'f', 6);
}

// Rows of the validation target that are 0, where a percentage error divides by zero.
Eigen::Index zeroTargets(const Evaluation &evaluation)
{
    return evaluation.actual.size() == 0 ? 0 : Eigen::Index((evaluation.actual.array() == 0).count());
}

void printMetrics(QTextStream &out, const TrainingOutcome &outcome)
{
    out << "\nvalidation metrics:\n";
    const MetricList &metrics = outcome.validation.metrics;
    qsizetype width = 0;
    for (const auto &[name, value] : metrics)
        width = std::max(width, name.size());
    for (std::size_t m = 0; m < metrics.size(); ++m) {
        const auto &[name, value] = metrics[m];
        out << "  " << name.leftJustified(width + 2);
        const Eigen::Index zeros = name == QLatin1String("mape") ? zeroTargets(outcome.validation) : 0;
        if (zeros > 0) {
            out << "not shown: the target is 0 in " << zeros << " validation row(s), where a percentage error is undefined\n";
            continue;
        }
        out << metricText(value);
        if (outcome.foldMetrics.size() > 1) {
            const FoldSpread spread = foldSpread(outcome.foldMetrics, m);
            out << "   folds: " << metricText(spread.mean) << " +- " << metricText(spread.deviation);
        }
        out << '\n';
    }
}

// "task: classification (target 'carb' holds 6 integer values; pass --task regression to override)"
QString taskLine(const TrainingSpec &spec, const TaskChoice &task)
{
    QString reason = task.reason;
    if (spec.task)
        reason = QStringLiteral("chosen with --task");
    else if (task.inferred)
        reason += QStringLiteral("; pass --task %1 to override")
                      .arg(taskName(task.task == Task::Classification ? Task::Regression : Task::Classification));
    return QStringLiteral("task: %1 (%2)\n").arg(taskName(task.task), reason);
}

// "trained random_forest on 150 rows in 0.412 s", with the solver's iterations when it iterates.
QString trainedLine(const TrainingSpec &spec, const TrainingOutcome &trained)
{
    QString line = QStringLiteral("trained %1 on %2 rows in %3 s")
                       .arg(spec.modelKind)
                       .arg(trained.trainingRows)
                       .arg(trained.fitSeconds, 0, 'f', 3);
    const FitReport &report = trained.fitReport;
    // Models fitted in closed form or by growing trees report no iterations; only solvers do.
    if (report.iterations > 0 || !report.converged)
        line += QStringLiteral(" (%1 iterations, %2)")
                    .arg(report.iterations)
                    .arg(report.converged ? QStringLiteral("converged") : QStringLiteral("NOT converged"));
    return line + QLatin1Char('\n');
}

std::optional<TrainingSpec> trainingSpec(const QCommandLineParser &parser, QString &error)
{
    TrainingSpec spec;
    spec.target = parser.value(QStringLiteral("target")); // empty: defaultTarget() once the data is read
    spec.modelKind = parser.value(QStringLiteral("model"));
    if (spec.modelKind.isEmpty() || parser.value(QStringLiteral("output")).isEmpty()) {
        error = QStringLiteral("--model and -o are required");
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("features")))
        spec.features = parser.value(QStringLiteral("features")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &pair : parser.values(QStringLiteral("set"))) {
        const qsizetype at = pair.indexOf(QLatin1Char('='));
        if (at <= 0) {
            error = QStringLiteral("--set takes NAME=VALUE, got '%1'").arg(pair);
            return std::nullopt;
        }
        spec.parameters.emplace_back(pair.left(at), pair.mid(at + 1));
    }
    Result<ValidationScheme> scheme = ValidationScheme::parse(parser.value(QStringLiteral("validation")));
    if (!scheme) {
        error = scheme.error().message;
        return std::nullopt;
    }
    spec.validation = scheme.value();
    spec.importance = !parser.isSet(QStringLiteral("no-importance"));
    const QString task = parser.value(QStringLiteral("task"));
    if (task == QLatin1String("classification"))
        spec.task = Task::Classification;
    else if (task == QLatin1String("regression"))
        spec.task = Task::Regression;
    else if (!task.isEmpty()) {
        error = QStringLiteral("--task takes classification or regression, got '%1'").arg(task);
        return std::nullopt;
    }
    bool ok = false;
    spec.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok) {
        error = QStringLiteral("--seed takes a whole number, got '%1'").arg(parser.value(QStringLiteral("seed")));
        return std::nullopt;
    }
    return spec;
}

ModelMetadata metadataFor(const QCommandLineParser &parser, const Dataset &data, const TrainingSpec &spec,
                          const TrainingOutcome &outcome)
{
    ModelMetadata metadata = trainingMetadata(data, spec, outcome);
    const QString output = parser.value(QStringLiteral("output"));
    metadata.name = parser.isSet(QStringLiteral("name")) ? parser.value(QStringLiteral("name"))
                                                         : QFileInfo(output).completeBaseName();
    metadata.description = parser.value(QStringLiteral("description"));
    metadata.tags = parser.values(QStringLiteral("tag"));
    return metadata;
}

// The command's description, arguments and options.
void addTrainOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral("Train a model on DATA, validate it, and save the fitted pipeline "
                                                    "(preprocessing + model + metadata) as a .plumb file."));
    parser.addPositionalArgument(QStringLiteral("DATA"), QStringLiteral("The training data (CSV or TSV)."));
    parser.addOptions({
        {QStringLiteral("target"),
         QStringLiteral("The column to predict (default: the column whose role is target, else one "
                        "named target, label, class, y or outcome, else the last column; "
                        "never an id column)."),
         QStringLiteral("COL")},
        {QStringLiteral("model"), QStringLiteral("One of: %1.").arg(modelKinds().join(QLatin1String(", "))),
         QStringLiteral("NAME")},
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Where to save the model."),
         QStringLiteral("MODEL.plumb")},
        {QStringLiteral("task"),
         QStringLiteral("classification or regression (default: the model's only task, else "
                        "classification for text, booleans and whole numbers with at most %1 "
                        "distinct values and at most half as many values as rows; else "
                        "regression).")
             .arg(kMostInferredClasses),
         QStringLiteral("TASK")},
        {QStringLiteral("features"), QStringLiteral("Comma-separated feature columns (default: every feature column)."),
         QStringLiteral("a,b,c")},
        {QStringLiteral("set"), QStringLiteral("A model parameter, e.g. C=0.5 (repeatable)."), QStringLiteral("KEY=VALUE")},
        {QStringLiteral("validation"), QStringLiteral("holdout:FRACTION, kfold:K or time:COLUMN."), QStringLiteral("SCHEME"),
         QStringLiteral("holdout:0.2")},
        {QStringLiteral("seed"), QStringLiteral("Seed for splits and solvers."), QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("name"), QStringLiteral("Model name (default: the output file's name)."), QStringLiteral("NAME")},
        {QStringLiteral("description"), QStringLiteral("Model description."), QStringLiteral("TEXT")},
        {QStringLiteral("tag"), QStringLiteral("A tag (repeatable)."), QStringLiteral("TAG")},
        {QStringLiteral("force"), QStringLiteral("Replace MODEL.plumb if it exists.")},
        {QStringLiteral("no-importance"),
         QStringLiteral("Skip the permutation importance of each feature on the validation rows.")},
        {QStringLiteral("role"), QStringLiteral("Set a column's role (feature, target, timestamp, id, ignored)."),
         QStringLiteral("COL=ROLE")},
    });
    addCsvOptions(parser);
}

} // namespace

int runTrain(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    addTrainOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("train"), arguments, 1, io))
        return *exit;
    QString error;
    const auto options = csvOptionsFrom(parser, error);
    const auto spec = options ? trainingSpec(parser, error) : std::nullopt;
    if (!spec) {
        io.err << "plumb train: " << error << '\n';
        return kExitUsage;
    }
    const QString output = parser.value(QStringLiteral("output"));
    if (QFileInfo::exists(output) && !parser.isSet(QStringLiteral("force"))) { // say so before any work
        io.err << "plumb train: " << output << " exists; choose another name or pass --force\n";
        return kExitError;
    }
    const QString dataPath = parser.positionalArguments().front();
    Result<Dataset> data = CsvReader::readFile(dataPath, *options);
    if (!data) {
        io.err << "plumb train: " << data.error().message << '\n';
        return kExitError;
    }
    for (const QString &warning : data.warnings())
        io.err << "warning: " << warning << '\n';
    if (!applyRoles(parser.values(QStringLiteral("role")), data.value(), error)) {
        io.err << "plumb train: " << error << '\n';
        return kExitUsage;
    }
    TrainingSpec chosen = *spec;
    if (chosen.target.isEmpty()) {
        const TargetChoice target = defaultTarget(data.value());
        if (target.column.isEmpty()) {
            io.err << "plumb train: no --target, and no column can be the default one (" << target.reason << ")\n";
            return kExitUsage;
        }
        chosen.target = target.column;
        io.out << "target: " << target.column << " (" << target.reason << "; pass --target to choose another)\n";
    }
    Result<TrainingOutcome> outcome = trainAndValidate(data.value(), chosen);
    if (!outcome) {
        io.err << "plumb train: " << outcome.error().message << '\n';
        return kExitError;
    }
    const TrainingOutcome &trained = outcome.value();
    for (const QString &warning : trained.fitReport.warnings)
        io.err << "warning: " << warning << '\n';
    io.out << taskLine(chosen, trained.task) << trainedLine(chosen, trained);
    io.out << "validation: " << chosen.validation.toString() << '\n';
    printMetrics(io.out, trained);
    printImportance(io.out, trained.importance);
    printShapSummary(io.out, trained.shap, {});
    const ModelMetadata metadata = metadataFor(parser, data.value(), chosen, trained);
    if (auto saveError = saveModelArtifact(output, trained.pipeline, metadata, referenceProfile(data.value(), trained.pipeline),
                                           parser.isSet(QStringLiteral("force")))) {
        io.err << "plumb train: " << saveError->message << '\n';
        return kExitError;
    }
    io.out << "\nsaved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
