#pragma once

#include "base/result.h"
#include "ui/train/savemodeldialog.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace plumb::ui {

class DataDocument;
class EmptyStateView;
class MessageBanner;
class ProgressPanel;
class ProgressTracker;
class RunHistoryModel;
class TrainResultsPanel;
class TrainSetupPanel;
class ViewHeader;
struct TrainingRun;

// The Train view: choose the target, features, preprocessing, model, its parameters and the
// validation on the left; train in the background (progress and Cancel); read the validation
// metrics and charts of a run; compare runs in a sortable history; save the selected run as a
// .plumb file. A run reads the document's dataset in place, without a copy: it holds the
// document (which then refuses edits and loads) until the run ends.
class TrainView : public QWidget
{
    Q_OBJECT

public:
    explicit TrainView(DataDocument *document, QWidget *parent = nullptr);
    // Cancels running work and waits for it.
    ~TrainView() override;

    // Starts a run with the setup as chosen. False, with the reasons in the banner, when the
    // setup is incomplete or a run is already going.
    bool startTraining();
    void cancelTraining();
    bool isTraining() const { return mTracker != nullptr; }

    // Saves `run` (the shown run when null) in the background; modelSaved or saveFailed follows.
    // False when there is no run or a save is already going.
    bool saveRun(const QString &path, const ModelDescription &description, bool overwrite,
                 std::shared_ptr<const TrainingRun> run = nullptr);
    bool isSaving() const { return mSaveWatcher.isRunning(); }
    // Runs in the history that were never saved to a model file (quitting asks about them).
    int unsavedRunCount() const;

    TrainSetupPanel *setupPanel() const { return mSetup; }
    TrainResultsPanel *resultsPanel() const { return mResults; }
    RunHistoryModel *history() const { return mHistory; }
    QTableView *historyTable() const { return mHistoryTable; }
    MessageBanner *banner() const { return mBanner; }
    ProgressPanel *progressPanel() const { return mProgress; }
    QPushButton *trainButton() const { return mTrainButton; }
    QPushButton *saveButton() const { return mSaveButton; }

signals:
    // After every run: `ok` is false when it failed or was cancelled.
    void trainingFinished(bool ok);
    void trainingCancelled();
    // A model file was written; the Models view can open it.
    void modelSaved(const QString &path);
    void saveFailed(const QString &message);

private:
    using RunResult = std::shared_ptr<Result<TrainingRun>>;

    QWidget *createWorkArea();
    QWidget *createHistoryPane();
    void finishTraining();
    void finishSave();
    void showSaveDialog();
    void showHistoryRow(int proxyRow);
    void updateActions();
    void onDatasetReplaced();

    DataDocument *mDocument;
    ViewHeader *mHeader;
    QPushButton *mTrainButton;
    QPushButton *mSaveButton;
    MessageBanner *mBanner;
    ProgressPanel *mProgress;
    QStackedWidget *mPages;
    EmptyStateView *mEmpty;
    TrainSetupPanel *mSetup;
    QStackedWidget *mResultPages;
    EmptyStateView *mNoRuns;
    TrainResultsPanel *mResults;
    RunHistoryModel *mHistory;
    QSortFilterProxyModel *mSortedHistory;
    QTableView *mHistoryTable;
    std::shared_ptr<ProgressTracker> mTracker;
    std::shared_ptr<void> mDatasetHold; // the run reads the document's dataset in place
    QFutureWatcher<RunResult> mTrainWatcher;
    QFutureWatcher<std::optional<Error>> mSaveWatcher;
    QString mSavingPath;
    std::shared_ptr<const TrainingRun> mSavingRun;
    std::vector<int> mSavedRuns; // numbers of the runs written to a model file
    int mRunCount = 0;
};

} // namespace plumb::ui
