#include "interop/sklearnmodelfile.h"

#include "artifact/modelartifact.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>

namespace plumb {

namespace {

ModelMetadata importMetadata(const QString &sourcePath, const QString &name, const PickleScanReport &report,
                             const ImportedModel &imported, const QString &sha256)
{
    ModelMetadata metadata;
    metadata.name = name;
    metadata.description = QStringLiteral("Imported from the scikit-learn file %1").arg(QFileInfo(sourcePath).fileName());
    metadata.author = defaultAuthor();
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.software = softwareEnvironment();
    metadata.imported.source = QFileInfo(sourcePath).fileName();
    metadata.imported.sha256 = sha256;
    metadata.imported.library = QStringLiteral("scikit-learn");
    metadata.imported.libraryVersion = report.sklearnVersions.join(QLatin1String(", "));
    metadata.imported.container = report.container;
    metadata.imported.globals = report.globals;
    metadata.imported.conversion = imported.conversionJson();
    metadata.imported.positionalFeatures = imported.positionalFeatures;
    return metadata;
}

} // namespace

Result<ImportedModel> importSklearnToFile(const PickleScanReport &report, const QString &sourcePath, const QString &outputPath,
                                          const QString &name, bool overwrite, const QStringList &featureNames)
{
    Result<ImportedModel> imported = importSklearn(report, featureNames);
    if (!imported)
        return imported.error();
    if (report.fileSha256.isEmpty())
        return Error::invalid(
            QStringLiteral("%1: the scan holds no digest of the file; scan the file, not bytes").arg(sourcePath));
    const QString modelName = name.isEmpty() ? QFileInfo(outputPath).completeBaseName() : name;
    const ModelMetadata metadata = importMetadata(sourcePath, modelName, report, imported.value(), report.fileSha256);
    if (auto error = saveModelArtifact(outputPath, *imported.value().pipeline, metadata, QJsonArray(), overwrite))
        return *error;
    return imported;
}

} // namespace plumb
