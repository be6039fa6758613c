#pragma once

#include "data/columnprofile.h"
#include "data/csvreader.h"
#include "data/workspace.h"
#include "ui/common/backgroundjob.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace plumb::ui {

// Everything one background load produces.
struct LoadedData
{
    Dataset dataset;
    std::vector<ColumnProfile> profiles; // one per column, same order
    CsvDialect dialect;
    qint64 elapsedMs = 0; // read + profile, wall clock
};

// Where a dataset comes from and how it is read: replayed when a type change forces a reload.
struct DataSource
{
    QString path;
    CsvOptions options;
    std::optional<Workspace> workspace;
    QHash<QString, ColumnRole> roles; // applied over Dataset::assignDefaultRoles()
};

// The dataset the Data view shows, wrapped for the GUI thread. It owns the core values, runs every
// long step (read, reload with forced types, profile) on a worker thread with a ProgressTracker,
// and announces changes with typed signals that item models and views subscribe to.
// While a job runs (isBusy()) the dataset is read-only: the edit methods return false.
// Failures arrive as loadFailed(message); the previous dataset then stays in place.
class DataDocument : public QObject
{
    Q_OBJECT

public:
    explicit DataDocument(QObject *parent = nullptr);
    // Cancels a running job and waits for it: the worker never outlives the values it reads.
    ~DataDocument() override;

    // Starts loading a CSV/TSV file. Returns false, doing nothing, while busy.
    bool openFile(const QString &path);
    // Reads DIRECTORY/plumb-workspace.json, then loads its training file and applies its target
    // and roles. A bad manifest emits loadFailed before returning false.
    bool openWorkspace(const QString &directory);
    // Reads the loaded file again with other options (decimal mark, missing-value tokens), keeping
    // its roles. Returns false, doing nothing, while busy or before a file is loaded.
    bool reloadWith(const CsvOptions &options);
    // The options the dataset on screen was read with.
    const CsvOptions &loadOptions() const { return mSource.options; }
    // Asks the running job to stop; loadCancelled follows once it has.
    void cancel();

    // True while a job runs or the dataset is held (holdDataset).
    bool isBusy() const { return mJob != Job::None || !mHolds.empty(); }
    // True while another thread reads the dataset in place (hold()): a training run.
    bool isHeld() const { return !mHolds.empty(); }
    bool hasData() const { return mData != nullptr; }
    // The loaded dataset; an empty one before the first successful load.
    const Dataset &dataset() const;
    // nullptr when no dataset is loaded or `column` is out of range.
    const ColumnProfile *profile(std::size_t column) const;
    CsvDialect dialect() const;
    qint64 loadMilliseconds() const;
    const QStringList &warnings() const { return mWarnings; }
    // The loaded file, and the workspace it belongs to (nullptr for a plain file).
    QString filePath() const { return mSource.path; }
    const Workspace *workspace() const;
    // The progress of the running job (nullptr when idle); poll it from the GUI thread.
    std::shared_ptr<const ProgressTracker> progress() const;

    // Keeps the dataset exactly as it is while another thread reads it in place (a training run,
    // which then needs no copy). While any hold lives the document is busy: edits and loads are
    // refused and busyChanged tells the views. `stop` must make that reader finish and wait for
    // it: the document calls it if it is destroyed first. Null (no hold) while a load or profile
    // job runs. Take and release holds on the GUI thread.
    std::shared_ptr<void> holdDataset(std::function<void()> stop);

    // Sets a column's role; making a column the Target turns the previous target into a Feature.
    bool setColumnRole(std::size_t column, ColumnRole role);
    // Changes a column's type. Integer/Boolean -> Float and Boolean -> Integer convert in place
    // (then re-profile the column); any other change reloads the file with CsvOptions::typeOverrides.
    bool setColumnType(std::size_t column, ColumnType type);

signals:
    void busyChanged(bool busy);
    void loadStarted(const QString &path);
    void aboutToReplaceDataset();
    void datasetReplaced();
    void columnChanged(int column);
    void loadFailed(const QString &message);
    void loadCancelled();
    void warningsChanged(const QStringList &warnings);

private:
    enum class Job { None, Load, Profile };
    using LoadResult = std::shared_ptr<Result<LoadedData>>;

    void startLoad(DataSource source);
    void finishLoad(const LoadResult &outcome);
    void finishProfile(const ColumnProfile &profile);
    void setJob(Job job);
    void releaseHold(int id);

    DataSource mSource; // what the current dataset was read from
    DataSource mPending; // what the running load reads
    std::unique_ptr<LoadedData> mData;
    QStringList mWarnings;
    Job mJob = Job::None;
    std::size_t mProfiledColumn = 0;
    std::map<int, std::function<void()>> mHolds; // id -> how to stop that reader
    int mNextHold = 0;
    BackgroundJob<LoadResult> mLoading{this};
    BackgroundJob<ColumnProfile> mProfiling{this};
};

} // namespace plumb::ui
