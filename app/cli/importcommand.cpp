#include "importcommand.h"

#include "interop/picklescanner.h"
#include "interop/sklearnmodelfile.h"


namespace plumb::cli {

namespace {

void printConversion(QTextStream &out, const PickleScanReport &report, const ImportedModel &imported)
{
    out << "scikit-learn " << (report.sklearnVersions.isEmpty() ? QStringLiteral("(version not recorded)")
                                                                : report.sklearnVersions.join(QLatin1String(", ")))
        << ", " << report.container << ", " << report.globals.size() << " globals\n\nconverted:\n";
    QList<QStringList> rows{{QStringLiteral("path"), QStringLiteral("scikit-learn class"), QStringLiteral("Plumb component")}};
    for (const ConvertedComponent &component : imported.components)
        rows.append({component.path, component.sourceClass, component.component});
    printAlignedTable(out, rows, [](qsizetype) { return false; });
    for (const QString &warning : imported.warnings)
        out << "warning: " << warning << '\n';
}

} // namespace

int runImportSklearn(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Convert a scikit-learn model saved with pickle or joblib into a .plumb file. "
                                                    "The file is read as data and never run; files that reference anything "
                                                    "outside the allow-list are refused."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The pickle or joblib file."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Where to save the model."), QStringLiteral("MODEL.plumb")},
        {QStringLiteral("name"), QStringLiteral("The model's name (default: the output file's base name)."), QStringLiteral("NAME")},
        {QStringLiteral("force"), QStringLiteral("Overwrite an existing output file.")},
    });
    if (auto exit = parseArguments(parser, QStringLiteral("import-sklearn"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().constFirst();
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        io.err << "plumb import-sklearn: --output MODEL.plumb is required\n";
        return kExitUsage;
    }
    const PickleScanReport report = scanPickleFile(path);
    if (!report.isImportable()) {
        io.err << "plumb import-sklearn: " << path << " is " << verdictName(report.verdict) << ": " << report.reason << '\n';
        return report.verdict == PickleScanReport::Verdict::Refused ? kExitVerification : kExitError;
    }
    Result<ImportedModel> imported = importSklearnToFile(report, path, output, parser.value(QStringLiteral("name")),
                                                         parser.isSet(QStringLiteral("force")));
    if (!imported) {
        io.err << "plumb import-sklearn: " << path << ": " << imported.error().message << '\n';
        return kExitError;
    }
    printConversion(io.out, report, imported.value());
    io.out << "\nsaved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
