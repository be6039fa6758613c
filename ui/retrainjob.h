#pragma once

#include "monitor/retraining.h"
#include "ui/monitordocument.h"

#include <QFutureWatcher>
#include <QObject>

#include <memory>

namespace plumb::ui {

class ProgressTracker;

// A retraining the Monitor view proposes: the same pipeline fitted on some windows of the
// production data the view has read, validated on the newest window next to the current model.
struct RetrainRequest
{
    std::shared_ptr<const MonitorData> data;
    MonitorSource source;                     // where data came from: the files for the metadata
    std::vector<std::size_t> trainingWindows; // indexes into data->windows; never the newest
    QString reason;                           // the user's; empty: written from the drift and metrics
};

// A finished retraining: the chosen windows' rows in one table (training rows first, then the
// newest window's), the plan over that table, what retrain() found, and the new model's metadata.
struct RetrainRun
{
    Dataset table;
    RetrainingPlan plan; // points into table
    RetrainingOutcome outcome;
    ModelMetadata metadata;
};

using RetrainRunPtr = std::shared_ptr<const RetrainRun>;

// What a save gives back: the new file read again, as the Models view would show it.
using SavedModel = Result<LoadedModelPtr>;

// The labelled windows: those whose target column has a value in some row, in order. Without a
// performance report (no labels anywhere) none.
std::vector<std::size_t> labelledWindows(const MonitorResult &result);

// Fits and validates a retrained model for `request` (see RetrainRequest). Fails when no training
// window is given, a training window is the newest, or retrain() fails; safe on any thread.
Result<RetrainRunPtr> runRetraining(const RetrainRequest &request, ProgressSink &progress);

// Saves `run`'s model at `path` with the training rows' profile, then reads the file back (digest,
// signature state) with `keyringDirectory`. Never replaces the parent: a path equal to it fails.
SavedModel saveRetrained(const RetrainRun &run, const QString &parentPath, const QString &path, bool overwrite,
                         const QString &keyringDirectory);

// Runs retrainings and saves on a worker thread (the background pool), one at a time, with a
// ProgressTracker the dialog shows and can cancel.
class RetrainJob : public QObject
{
    Q_OBJECT

public:
    explicit RetrainJob(QObject *parent = nullptr);
    // Cancels and waits for a running retraining or save.
    ~RetrainJob() override;

    // False, doing nothing, while busy.
    bool start(const RetrainRequest &request);
    bool save(const QString &parentPath, const QString &path, bool overwrite, const QString &keyringDirectory);
    void cancel();

    bool isBusy() const;
    std::shared_ptr<const ProgressTracker> tracker() const { return mTracker; }
    // The last successful retraining, and the model it was saved as (when saved).
    RetrainRunPtr run() const { return mRun; }
    LoadedModelPtr saved() const { return mSaved; }

signals:
    void busyChanged(bool busy);
    void retrained();
    void savedAs(const QString &path);
    void failed(const QString &message);
    void cancelled();

private:
    void finishRetraining();
    void finishSave();

    RetrainRunPtr mRun;
    LoadedModelPtr mSaved;
    QString mSavingPath;
    std::shared_ptr<ProgressTracker> mTracker;
    QFutureWatcher<Result<RetrainRunPtr>> mRetrainWatcher;
    QFutureWatcher<SavedModel> mSaveWatcher;
};

} // namespace plumb::ui
