#include "importcommand.h"

#include "interop/picklescanner.h"
#include "interop/sklearnmodelfile.h"
#include "serve/chunkreader.h"

#include <QFile>

namespace plumb::cli {

namespace {

void printConversion(QTextStream &out, const PickleScanReport &report, const ImportedModel &imported)
{
    out << "scikit-learn "
        << (report.sklearnVersions.isEmpty() ? QStringLiteral("(version not recorded)")
                                             : report.sklearnVersions.join(QLatin1String(", ")))
        << ", " << report.container << ", " << report.globals.size() << " globals\n\nconverted:\n";
    QList<QStringList> rows{{QStringLiteral("path"), QStringLiteral("scikit-learn class"), QStringLiteral("Plumb component")}};
    for (const ConvertedComponent &component : imported.components)
        rows.append({component.path, component.sourceClass, component.component});
    printAlignedTable(out, rows, [](qsizetype) { return false; });
    for (const QString &warning : imported.warnings)
        out << "warning: " << warning << '\n';
}

// The header of the CSV `path`, without the column `target` when it is given (which must be one).
Result<QStringList> headerNames(const QString &path, const QString &target)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    ChunkReader reader(file, path, RowFormat::Csv, 1 << 16);
    CsvOptions options;
    options.header = CsvOptions::Header::Present;
    if (auto error = reader.open(options))
        return *error;
    QStringList names = reader.columnNames();
    if (!target.isEmpty() && names.removeAll(target) == 0)
        return Error::invalid(QStringLiteral("%1 has no column '%2' (--target)").arg(path, target));
    return names;
}

// What is wrong with the combination of --feature-names, --features-from and --target, if anything.
QString featureOptionsProblem(const QCommandLineParser &parser)
{
    const bool from = parser.isSet(QStringLiteral("features-from"));
    if (from && parser.isSet(QStringLiteral("feature-names")))
        return QStringLiteral("give --feature-names or --features-from, not both");
    if (!from && parser.isSet(QStringLiteral("target")))
        return QStringLiteral("--target names a column of the --features-from file");
    return {};
}

// The feature names given with --feature-names or --features-from (empty when neither), or why
// they cannot be read.
Result<QStringList> givenFeatureNames(const QCommandLineParser &parser)
{
    const QString list = parser.value(QStringLiteral("feature-names"));
    const QString from = parser.value(QStringLiteral("features-from"));
    if (!list.isEmpty())
        return list.split(QLatin1Char(','));
    if (from.isEmpty())
        return QStringList();
    return headerNames(from, parser.value(QStringLiteral("target")));
}

} // namespace

int runImportSklearn(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Convert a scikit-learn model saved with pickle or joblib into a .plumb file. "
                       "The file is read as data and never run; files that reference anything "
                       "outside the allow-list are refused."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The pickle or joblib file."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Where to save the model."),
         QStringLiteral("MODEL.plumb")},
        {QStringLiteral("name"), QStringLiteral("The model's name (default: the output file's base name)."),
         QStringLiteral("NAME")},
        {QStringLiteral("force"), QStringLiteral("Overwrite an existing output file.")},
        {QStringLiteral("feature-names"),
         QStringLiteral("For a model fitted on an array (no feature names recorded): its "
                        "features' names in column order, comma-separated."),
         QStringLiteral("A,B,C")},
        {QStringLiteral("features-from"),
         QStringLiteral("For a model fitted on an array: take its features' names from this "
                        "CSV file's header, in column order."),
         QStringLiteral("DATA.csv")},
        {QStringLiteral("target"), QStringLiteral("With --features-from: the column of that file that is not a feature."),
         QStringLiteral("COLUMN")},
    });
    if (auto exit = parseArguments(parser, QStringLiteral("import-sklearn"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().constFirst();
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        io.err << "plumb import-sklearn: --output MODEL.plumb is required\n";
        return kExitUsage;
    }
    if (const QString problem = featureOptionsProblem(parser); !problem.isEmpty()) {
        io.err << "plumb import-sklearn: " << problem << '\n';
        return kExitUsage;
    }
    const Result<QStringList> names = givenFeatureNames(parser);
    if (!names) {
        io.err << "plumb import-sklearn: " << names.error().message << '\n';
        return kExitError;
    }
    const PickleScanReport report = scanPickleFile(path);
    if (!report.isImportable()) {
        io.err << "plumb import-sklearn: " << path << " is " << verdictName(report.verdict) << ": " << report.reason << '\n';
        return report.verdict == PickleScanReport::Verdict::Refused ? kExitVerification : kExitError;
    }
    Result<ImportedModel> imported = importSklearnToFile(report, path, output, parser.value(QStringLiteral("name")),
                                                         parser.isSet(QStringLiteral("force")), names.value());
    if (!imported) {
        io.err << "plumb import-sklearn: " << path << ": " << imported.error().message << '\n';
        return kExitError;
    }
    printConversion(io.out, report, imported.value());
    if (imported.value().positionalFeatures) {
        const auto &features = imported.value().pipeline->features();
        io.out << "features: positional (x0..x" << features.size() - 1 << "), as the model was fitted on an array; "
               << "columns are scored by position, or give their names with --feature-names or --features-from\n";
    }
    io.out << "\nsaved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
