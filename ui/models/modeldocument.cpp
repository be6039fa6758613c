#include "ui/models/modeldocument.h"

#include "artifact/modelfile.h"
#include "interop/onnxexport.h"

#include <QFileInfo>

namespace plumb::ui {

Result<LoadedModelPtr> readModel(const QString &path, const QString &keyringDirectory)
{
    Result<OpenedModel> model = openModelFile(path, Keyring::forModel(path, keyringDirectory));
    if (!model)
        return model.error();
    return LoadedModelPtr(std::make_shared<const OpenedModel>(std::move(model).value()));
}

ModelDocument::ModelDocument(QObject *parent) : QObject(parent), mKeyringDirectory(Keyring::defaultDirectory())
{
}

bool ModelDocument::open(const QString &path)
{
    if (isBusy())
        return false;
    mPath = QFileInfo(path).absoluteFilePath();
    setJob(Job::Load);
    emit loadStarted(mPath);
    const QString keyring = mKeyringDirectory;
    mLoading.start([path = mPath, keyring](ProgressTracker &) { return readModel(path, keyring); },
                   [this](const Result<LoadedModelPtr> &result) { finishLoad(result); });
    return true;
}

bool ModelDocument::reload()
{
    return !mPath.isEmpty() && open(mPath);
}

bool ModelDocument::sign(const QString &keyPath, const QByteArray &password)
{
    if (isBusy() || !mModel)
        return false;
    setJob(Job::Sign);
    const QString modelPath = mModel->path;
    // scrypt on an encrypted key takes about a second and a gigabyte: never on the GUI thread.
    mSigning.start(
        [modelPath, keyPath, password](ProgressTracker &) -> Result<QString> {
            Result<QByteArray> text = readFileBytes(keyPath);
            if (!text)
                return text.error();
            Result<SecretKey> key = SecretKey::fromText(text.value(), password, QFileInfo(keyPath).fileName());
            if (!key)
                return key.error();
            Result<QString> signature = signModelFile(modelPath, key.value());
            if (!signature)
                return signature.error();
            return QStringLiteral("Signed with key %1: %2")
                .arg(key.value().publicKey().id(), QFileInfo(signature.value()).fileName());
        },
        [this](const Result<QString> &result) { finishSign(result); });
    return true;
}

bool ModelDocument::exportOnnx(const QString &path)
{
    if (isBusy() || !mModel)
        return false;
    setJob(Job::ExportOnnx);
    mOnnxPath = path;
    // A kNN model carries its training rows into the graph: building it can take a while.
    mExporting.start([model = mModel, path](ProgressTracker &) { return writeOnnxFile(model->artifact, path, true); },
                     [this](const Result<QStringList> &result) { finishOnnxExport(result); });
    return true;
}

void ModelDocument::finishOnnxExport(const Result<QStringList> &result)
{
    setJob(Job::None);
    if (!result)
        emit onnxExportFinished(false, mOnnxPath, {result.error().message});
    else
        emit onnxExportFinished(true, mOnnxPath, result.value());
}

void ModelDocument::setJob(Job job)
{
    const bool wasBusy = isBusy();
    mJob = job;
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
}

void ModelDocument::finishLoad(const Result<LoadedModelPtr> &result)
{
    // The outcome replaces the shown model whole: a failure never leaves the old one labelled as the new file.
    if (!result) {
        mModel.reset();
        mError = result.error();
    } else {
        mModel = result.value();
        mError = {};
    }
    setJob(Job::None);
    if (mModel)
        emit modelLoaded();
    else
        emit loadFailed(mPath, mError.message);
}

void ModelDocument::finishSign(const Result<QString> &result)
{
    setJob(Job::None);
    if (!result) {
        emit signingFinished(false, result.error().message);
        return;
    }
    reload();
    emit signingFinished(true, result.value());
}

} // namespace plumb::ui
