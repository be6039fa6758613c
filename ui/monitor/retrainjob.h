#pragma once

#include "monitor/retrainingrun.h"
#include "ui/monitor/monitordocument.h"

#include <QObject>

#include <memory>

namespace plumb::ui {

// A retraining the Monitor view proposes: the same pipeline fitted on some windows of the
// production data the view has read, validated on the newest window next to the current model
// (retrainOnWindows).
struct RetrainRequest
{
    std::shared_ptr<const MonitorData> data;
    std::vector<std::size_t> trainingWindows; // indexes into data->windows; never the newest
    QString reason; // the user's; empty: written from the drift and metrics
};

using RetrainRun = RetrainingRun;
using RetrainRunPtr = RetrainingRunPtr;

// What a save gives back: the new file read again, as the Models view would show it.
using SavedModel = Result<LoadedModelPtr>;

// The labelled windows of `result` (see plumb::labelledWindows).
std::vector<std::size_t> labelledWindows(const MonitorResult &result);

// retrainOnWindows for `request`; safe on any thread.
Result<RetrainRunPtr> runRetraining(const RetrainRequest &request, ProgressSink &progress);

// Saves `run`'s model at `path` (saveRetrainedModel), then reads the file back (digest, signature
// state) with `keyringDirectory`. Never replaces the parent: a path equal to it fails.
SavedModel saveRetrained(const RetrainRun &run, const QString &parentPath, const QString &path, bool overwrite,
                         const QString &keyringDirectory);

// Runs retrainings and saves on a worker thread (the background pool), one at a time, with a
// ProgressTracker the dialog shows and can cancel.
class RetrainJob : public QObject
{
    Q_OBJECT

public:
    // A running retraining is cancelled, and a save waited for, when the job goes (BackgroundJob).
    explicit RetrainJob(QObject *parent = nullptr);

    // False, doing nothing, while busy.
    bool start(const RetrainRequest &request);
    bool save(const QString &parentPath, const QString &path, bool overwrite, const QString &keyringDirectory);
    void cancel();

    bool isBusy() const;
    std::shared_ptr<const ProgressTracker> tracker() const;
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
    void finishRetraining(const Result<RetrainRunPtr> &outcome);
    void finishSave(const SavedModel &outcome);

    RetrainRunPtr mRun;
    LoadedModelPtr mSaved;
    QString mSavingPath;
    BackgroundJob<Result<RetrainRunPtr>> mRetraining{this};
    BackgroundJob<SavedModel> mSaving{this};
};

} // namespace plumb::ui
