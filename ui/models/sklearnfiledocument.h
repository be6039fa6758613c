#pragma once

#include "base/result.h"
#include "interop/picklescanner.h"

#include <QFutureWatcher>
#include <QObject>

#include <memory>

namespace plumb::ui {

// A scikit-learn pickle or joblib file as the Models view shows it: what the static scan found,
// with the SHA-256 of the bytes scanned (report.fileSha256) as sha256sum prints it.
struct ScannedFile
{
    QString path; // absolute
    qint64 fileSize = 0;
    PickleScanReport report;
};

using ScannedFilePtr = std::shared_ptr<const ScannedFile>;

// True for the file names the Models view scans instead of loading: .pkl, .pickle, .joblib.
bool isScikitLearnFile(const QString &path);

// Scans `path` without running anything in it. Safe on any thread; never fails (an unreadable file
// is reported in the scan's verdict).
ScannedFilePtr scanScikitLearnFile(const QString &path);

// The scanned file the Models view shows, wrapped for the GUI thread: scanning and importing run on
// worker threads, one job at a time, and report with signals.
class SklearnFileDocument : public QObject
{
    Q_OBJECT

public:
    enum class Job { None, Scan, Import };

    explicit SklearnFileDocument(QObject *parent = nullptr);
    // Waits for a running job: a worker never outlives the document.
    ~SklearnFileDocument() override;

    // Starts scanning `path`; false, doing nothing, while a job runs.
    bool scan(const QString &path);
    // Converts the scanned file into a .plumb file at `outputPath`; false while busy, or when the
    // scan did not allow importing.
    bool importTo(const QString &outputPath);

    bool isBusy() const { return mJob != Job::None; }
    Job job() const { return mJob; }
    // The last scan; nullptr before the first.
    ScannedFilePtr scanned() const { return mScanned; }

signals:
    void busyChanged(bool busy);
    void scanStarted(const QString &path);
    void scanFinished();
    // After importTo(): the .plumb file written, or the reason it was not.
    void importSucceeded(const QString &modelPath, const QString &summary);
    void importFailed(const QString &message);

private:
    void setJob(Job job);
    void finishScan();
    void finishImport();

    Job mJob = Job::None;
    ScannedFilePtr mScanned;
    QFutureWatcher<ScannedFilePtr> mScanWatcher;
    QFutureWatcher<Result<QString>> mImportWatcher;
    QString mOutputPath;
};

} // namespace plumb::ui
