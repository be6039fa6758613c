#include "ui/models/sklearnfiledocument.h"

#include "base/sha256.h"
#include "interop/sklearnmodelfile.h"
#include "interop/xgboostimporter.h"

#include <QFile>
#include <QFileInfo>

namespace plumb::ui {

bool isScikitLearnFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("pkl") || suffix == QLatin1String("pickle") || suffix == QLatin1String("joblib");
}

ScannedFilePtr scanScikitLearnFile(const QString &path)
{
    auto scanned = std::make_shared<ScannedFile>();
    const QFileInfo info(path);
    scanned->path = info.absoluteFilePath();
    scanned->fileSize = info.size();
    scanned->report = scanPickleFile(scanned->path);
    return scanned;
}

bool isXgboostFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("json") || suffix == QLatin1String("ubj");
}

bool looksLikeXgboostModel(const QString &path)
{
    if (!isXgboostFile(path))
        return false;
    if (QFileInfo(path).suffix().toLower() == QLatin1String("ubj"))
        return true;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(64).simplified();
    return head.startsWith("{\"learner\"") || head.startsWith("{ \"learner\"");
}

ScannedFilePtr checkXgboostFile(const QString &path)
{
    auto scanned = std::make_shared<ScannedFile>();
    const QFileInfo info(path);
    scanned->path = info.absoluteFilePath();
    scanned->fileSize = info.size();
    XgboostCheck &check = scanned->xgboost.emplace();
    QFile file(scanned->path);
    if (!file.open(QIODevice::ReadOnly)) {
        check.error = QStringLiteral("%1: %2").arg(info.fileName(), file.errorString());
        return scanned;
    }
    const QByteArray bytes = file.readAll();
    check.sha256 = QString::fromLatin1(sha256(bytes).toHex());
    const Result<XgboostImport> imported = importXgboost(bytes, info.fileName());
    if (!imported) {
        check.error = imported.error().message;
        return scanned;
    }
    const XgboostImport &import = imported.value();
    check.featureCount = int(import.imported.pipeline->features().size());
    check.positionalFeatures = import.imported.positionalFeatures;
    check.warnings = import.imported.warnings;
    check.summary = import.summary();
    check.categorical = import.categorical;
    return scanned;
}

SklearnFileDocument::SklearnFileDocument(QObject *parent) : QObject(parent)
{
}

bool SklearnFileDocument::scan(const QString &path)
{
    if (isBusy())
        return false;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    setJob(Job::Scan);
    emit scanStarted(absolute);
    mScanning.start(
        [absolute](ProgressTracker &) {
            return isXgboostFile(absolute) ? checkXgboostFile(absolute) : scanScikitLearnFile(absolute);
        },
        [this](const ScannedFilePtr &scanned) { finishScan(scanned); });
    return true;
}

bool SklearnFileDocument::importTo(const QString &outputPath, const QStringList &featureNames)
{
    if (isBusy() || !mScanned || !mScanned->isImportable())
        return false;
    setJob(Job::Import);
    mOutputPath = outputPath;
    mImporting.start(
        [scanned = mScanned, outputPath, featureNames](ProgressTracker &) -> Result<QString> {
            // The save dialog has asked before replacing a file.
            if (scanned->xgboost) {
                Result<XgboostImport> imported = importXgboostToFile(scanned->path, outputPath, {}, true, featureNames);
                if (!imported)
                    return imported.error();
                return (QStringList{QStringLiteral("XGBoost %1 model converted").arg(imported.value().version)}
                        + imported.value().imported.warnings)
                    .join(QStringLiteral("; "));
            }
            Result<ImportedModel> imported = importSklearnToFile(scanned->report, scanned->path, outputPath, {}, true);
            if (!imported)
                return imported.error();
            QStringList summary{QStringLiteral("%1 scikit-learn objects converted").arg(imported.value().components.size())};
            summary.append(imported.value().warnings);
            return summary.join(QStringLiteral("; "));
        },
        [this](const Result<QString> &result) { finishImport(result); });
    return true;
}

void SklearnFileDocument::setJob(Job job)
{
    const bool wasBusy = isBusy();
    mJob = job;
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
}

void SklearnFileDocument::finishScan(const ScannedFilePtr &scanned)
{
    mScanned = scanned;
    setJob(Job::None);
    emit scanFinished();
}

void SklearnFileDocument::finishImport(const Result<QString> &result)
{
    setJob(Job::None);
    if (result)
        emit importSucceeded(mOutputPath, result.value());
    else
        emit importFailed(result.error().message);
}

} // namespace plumb::ui
