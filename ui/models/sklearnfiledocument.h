#pragma once

#include "base/result.h"
#include "interop/picklescanner.h"
#include "ui/common/backgroundjob.h"

#include <QObject>

#include <memory>
#include <optional>

namespace plumb::ui {

// An XGBoost model file (.json, .ubj) as the Models view shows it before importing: what the
// importer (importXgboost, the conversion plumb import-xgboost runs) made of it, or why it refused.
struct XgboostCheck
{
    QString error; // the refusal, naming the field; empty when the file imports
    QString summary; // "XGBoost 1.7.4, UBJSON, binary:logistic: 30 features, 2 classes"
    QStringList categorical; // per categorical feature, how its column is read
    QStringList warnings;
    bool positionalFeatures = false; // the file names no features: the import asks for names
    int featureCount = 0;
    QString sha256; // of the bytes read, as sha256sum prints it
};

// A model file from another library as the Models view shows it. A scikit-learn pickle or joblib
// file: what the static scan found, with the SHA-256 of the bytes scanned (report.fileSha256) as
// sha256sum prints it. An XGBoost file: `xgboost` holds the importer's verdict (report is empty).
struct ScannedFile
{
    QString path; // absolute
    qint64 fileSize = 0;
    PickleScanReport report;
    std::optional<XgboostCheck> xgboost;

    // Whether "Import as .plumb…" may run: the scan allows it, or the XGBoost importer accepts the file.
    bool isImportable() const { return xgboost ? xgboost->error.isEmpty() : report.isImportable(); }
};

using ScannedFilePtr = std::shared_ptr<const ScannedFile>;

// True for the file names the Models view scans instead of loading: .pkl, .pickle, .joblib.
bool isScikitLearnFile(const QString &path);

// Scans `path` without running anything in it. Safe on any thread; never fails (an unreadable file
// is reported in the scan's verdict).
ScannedFilePtr scanScikitLearnFile(const QString &path);

// True for the file names the Models view reads as XGBoost model files: .json, .ubj.
bool isXgboostFile(const QString &path);
// True when `path` is an XGBoost model file by its content too: a .ubj file, or a .json file
// whose first object key is "learner" (as Booster.save_model writes it). A .json file of rows is
// data, opened in the Data view.
bool looksLikeXgboostModel(const QString &path);

// Reads `path` as an XGBoost model file and converts it in memory (importXgboost) to tell whether,
// and as what, it imports. Safe on any thread; never fails (a refusal or an unreadable file is the
// check's error).
ScannedFilePtr checkXgboostFile(const QString &path);

// The scanned file the Models view shows, wrapped for the GUI thread: scanning and importing run on
// worker threads, one job at a time, and report with signals.
class SklearnFileDocument : public QObject
{
    Q_OBJECT

public:
    enum class Job { None, Scan, Import };

    // A running job is waited for when the document goes (BackgroundJob): a worker never outlives it.
    explicit SklearnFileDocument(QObject *parent = nullptr);

    // Starts scanning `path` (an XGBoost file: checking it); false, doing nothing, while a job runs.
    bool scan(const QString &path);
    // Converts the scanned file into a .plumb file at `outputPath`; false while busy, or when the
    // scan did not allow importing. `featureNames` names the features of an XGBoost file that names
    // none (empty: positional x0, x1, ...).
    bool importTo(const QString &outputPath, const QStringList &featureNames = {});

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
    void finishScan(const ScannedFilePtr &scanned);
    void finishImport(const Result<QString> &result);

    Job mJob = Job::None;
    ScannedFilePtr mScanned;
    BackgroundJob<ScannedFilePtr> mScanning{this};
    BackgroundJob<Result<QString>> mImporting{this};
    QString mOutputPath;
};

} // namespace plumb::ui
