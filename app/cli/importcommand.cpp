#include "importcommand.h"

#include "artifact/modelartifact.h"
#include "base/sha256.h"
#include "interop/picklescanner.h"
#include "interop/sklearnimporter.h"

#include <QDateTime>
#include <QFileInfo>

namespace plumb::cli {

namespace {

ModelMetadata importMetadata(const QCommandLineParser &parser, const QString &path, const PickleScanReport &report,
                             const ImportedModel &imported)
{
    ModelMetadata metadata;
    const QString output = parser.value(QStringLiteral("output"));
    metadata.name = parser.isSet(QStringLiteral("name")) ? parser.value(QStringLiteral("name")) : QFileInfo(output).completeBaseName();
    metadata.description = QStringLiteral("Imported from the scikit-learn file %1").arg(QFileInfo(path).fileName());
    metadata.author = defaultAuthor();
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.software = softwareEnvironment();
    metadata.imported.source = QFileInfo(path).fileName();
    const Result<QString> sha256 = fileSha256Hex(path); // as sha256sum prints it
    metadata.imported.sha256 = sha256 ? sha256.value() : QString();
    metadata.imported.library = QStringLiteral("scikit-learn");
    metadata.imported.libraryVersion = report.sklearnVersions.join(QLatin1String(", "));
    metadata.imported.container = report.container;
    metadata.imported.globals = report.globals;
    metadata.imported.conversion = imported.conversionJson();
    return metadata;
}

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
    Result<ImportedModel> imported = importSklearn(report);
    if (!imported) {
        io.err << "plumb import-sklearn: " << path << ": " << imported.error().message << '\n';
        return kExitError;
    }
    printConversion(io.out, report, imported.value());
    const ModelMetadata metadata = importMetadata(parser, path, report, imported.value());
    if (auto error = saveModelArtifact(output, *imported.value().pipeline, metadata, QJsonArray(), parser.isSet(QStringLiteral("force")))) {
        io.err << "plumb import-sklearn: " << error->message << '\n';
        return kExitError;
    }
    io.out << "\nsaved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
