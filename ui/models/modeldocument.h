#pragma once

#include "artifact/openedmodel.h"
#include "ui/common/backgroundjob.h"

#include <QObject>

#include <memory>

namespace plumb::ui {

// Everything the inspector shows about one model file (core's OpenedModel), read and checked on a
// worker thread.
using LoadedModel = OpenedModel;
using LoadedModelPtr = std::shared_ptr<const LoadedModel>;

// Reads, verifies and decodes `path` and checks its signature against the keyring in
// `keyringDirectory`. Safe on any thread. Fails with the loader's message, which names the file
// and what failed (unreadable, not a model, modified or truncated, a newer format, a bad field).
Result<LoadedModelPtr> readModel(const QString &path, const QString &keyringDirectory);

// The model the Models view shows, wrapped for the GUI thread: loads and signs on worker threads
// (QtConcurrent) and announces the outcome with signals. A failed load replaces the shown model
// with the failure (never a half-read model). One job at a time: open() and sign() refuse while busy.
class ModelDocument : public QObject
{
    Q_OBJECT

public:
    enum class Job { None, Load, Sign, ExportOnnx };

    // A running job is waited for when the document goes (BackgroundJob): a worker never outlives it.
    explicit ModelDocument(QObject *parent = nullptr);

    // Starts loading `path`. Returns false, doing nothing, while a job runs.
    bool open(const QString &path);
    // Loads the shown model's file again (after signing, or a keyring change).
    bool reload();
    // Signs the shown model with the secret key file `keyPath` (`password` for an encrypted key),
    // then reloads it so the signature state is fresh. False while busy or with no model.
    bool sign(const QString &keyPath, const QByteArray &password);
    // Exports the shown model's whole pipeline as an ONNX model at `path` (core's writeOnnxFile,
    // replacing an existing file: the save dialog has asked). False while busy or with no model.
    bool exportOnnx(const QString &path);

    bool isBusy() const { return mJob != Job::None; }
    Job job() const { return mJob; }
    // The model shown; nullptr before the first load and after a failed one.
    LoadedModelPtr model() const { return mModel; }
    // The file of the last load, whether it succeeded or not.
    QString path() const { return mPath; }
    // The failure shown instead of a model; empty when a model is shown.
    const Error &error() const { return mError; }
    bool hasError() const { return !mError.message.isEmpty(); }

    QString keyringDirectory() const { return mKeyringDirectory; }
    void setKeyringDirectory(const QString &directory) { mKeyringDirectory = directory; }

signals:
    void busyChanged(bool busy);
    void loadStarted(const QString &path);
    void modelLoaded();
    void loadFailed(const QString &path, const QString &message);
    // After sign(): the outcome in words; ok false with the reason when signing failed.
    void signingFinished(bool ok, const QString &message);
    // After exportOnnx(): ok with the export's notes (float32 outputs...), or the reason it failed.
    void onnxExportFinished(bool ok, const QString &path, const QStringList &messages);

private:
    void setJob(Job job);
    void finishLoad(const Result<LoadedModelPtr> &result);
    void finishSign(const Result<QString> &result);
    void finishOnnxExport(const Result<QStringList> &result);

    Job mJob = Job::None;
    QString mPath;
    QString mKeyringDirectory;
    LoadedModelPtr mModel;
    Error mError;
    BackgroundJob<Result<LoadedModelPtr>> mLoading{this};
    BackgroundJob<Result<QString>> mSigning{this};
    BackgroundJob<Result<QStringList>> mExporting{this};
    QString mOnnxPath;
};

} // namespace plumb::ui
