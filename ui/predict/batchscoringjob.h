#pragma once

#include "serve/batchscorer.h"
#include "ui/common/backgroundjob.h"
#include "ui/models/modeldocument.h"

#include <QObject>

#include <memory>

namespace plumb::ui {

// A row of the input that was not scored, and why (from the model's schema check).
struct BatchProblem
{
    qint64 line = 0; // 1-based line in the input file
    QString reason;
};

// What a finished batch run gives the view: the scored table (input columns, prediction and one
// probability per class) for a virtual table, and the refused rows.
struct BatchResult
{
    static constexpr int kMaxProblems = 10000; // listed; the summary counts them all

    LoadedModelPtr model; // what scored the rows; Export scores with it again
    QString inputPath;
    BatchSummary summary;
    std::shared_ptr<const Dataset> table;
    std::vector<BatchProblem> problems;
};

// Scores a CSV file with a model on a worker thread through the streaming batch engine
// (BatchScorer: schema check per row, chunks in parallel) into a table (TableSink): the scored
// rows arrive as columns, never written out and read back. One run at a time; cancel() stops it
// at the next chunk. Export writes the scored CSV `plumb predict` writes, scoring the file again
// into the user's file off the GUI thread, through QSaveFile (a failed export leaves no
// half-written file).
class BatchScoringJob : public QObject
{
    Q_OBJECT

public:
    // A running run is cancelled, and an export waited for, when the job goes (BackgroundJob).
    explicit BatchScoringJob(QObject *parent = nullptr);

    // Starts scoring `csvPath` with `model`, dropping the last result (release the views' references
    // to its table first, so that it is freed off the GUI thread). False, doing nothing, while a
    // run or export is busy.
    bool start(LoadedModelPtr model, const QString &csvPath);
    void cancel();
    bool isBusy() const;
    std::shared_ptr<const ProgressTracker> tracker() const { return mScoring.progress(); }
    // The last successful run; nullptr before one and after a failed or cancelled one.
    std::shared_ptr<const BatchResult> result() const { return mResult; }

    // Writes the scored CSV of the last run's file to `path`. False while busy or with no result.
    bool exportTo(const QString &path);

signals:
    void busyChanged(bool busy);
    // ok: result() holds the run. Otherwise `message` says why (cancelled() is true for Cancel).
    void finished(bool ok, bool cancelled, const QString &message);
    void exportFinished(bool ok, const QString &message);

private:
    void onScored(Result<std::shared_ptr<BatchResult>> outcome);
    // Frees a result that is no longer shown on a worker thread; `result` must be its last owner.
    static void discardInBackground(std::shared_ptr<const BatchResult> result);
    void onExported(const std::optional<Error> &error);

    std::shared_ptr<const BatchResult> mResult;
    BackgroundJob<Result<std::shared_ptr<BatchResult>>> mScoring{this};
    BackgroundJob<std::optional<Error>> mExporting{this};
};

} // namespace plumb::ui
