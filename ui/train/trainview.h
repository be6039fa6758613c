#pragma once

#include "base/result.h"
#include "ui/common/backgroundjob.h"
#include "ui/common/viewframe.h"
#include "ui/train/runhistorymodel.h"
#include "ui/train/savemodeldialog.h"

#include <QHash>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace plumb::ui {

class DataDocument;
class RunHistoryFile;
class TrainResultsPanel;
class TrainSetupPanel;

// The Train view: choose the target, features, preprocessing, model, its parameters and the
// validation on the left; train in the background (progress and Cancel); read the validation
// metrics and charts of a run; compare runs in a sortable history; save the selected run as a
// .plumb file. A run reads the document's dataset in place, without a copy: it holds the
// document (which then refuses edits and loads) until the run ends. With a workspace open and
// "Keep in the workspace" ticked (the default, a setting), the history is written to the
// workspace's plumb-runs.json after every run and save (RunHistoryFile) and read back when the
// workspace opens again: those runs show their settings and metrics, and say that their model was
// not kept (Save Model… is off for them; train again to save).
class TrainView : public ViewFrame
{
    Q_OBJECT

public:
    explicit TrainView(DataDocument *document, QWidget *parent = nullptr);
    // Cancels running work and waits for it (BackgroundJob).
    ~TrainView() override;

    // Starts a run with the setup as chosen. False, with the reasons in the banner, when the
    // setup is incomplete or a run is already going.
    bool startTraining();
    void cancelTraining();
    bool isTraining() const { return mTraining.isRunning(); }

    // Saves `run` (the shown run when null) in the background; modelSaved or saveFailed follows.
    // False when there is no run or a save is already going.
    bool saveRun(const QString &path, const ModelDescription &description, bool overwrite,
                 std::shared_ptr<const TrainingRun> run = nullptr);
    bool isSaving() const { return mSaving.isRunning(); }
    // Runs in the history that were never saved to a model file (quitting asks about them).
    int unsavedRunCount() const;
    // Where Save Model… suggests the file: the workspace's models/ folder (modelSaveFolder).
    QString saveFolder() const;

    // Whether the run history is kept in the workspace (the setting kKeepRunHistoryKey, on unless
    // turned off); turning it on writes the history at once.
    bool keepsRunHistory() const;
    void setKeepsRunHistory(bool keep);
    static constexpr const char *kKeepRunHistoryKey = "train/keepRunHistory";
    // False: the run history is neither read from nor written to a workspace, whatever the
    // setting (screenshots and tests that must leave the workspace as it is). Applies from the
    // next load.
    void setRunHistoryEnabled(bool enabled) { mRunHistoryEnabled = enabled; }
    // The run shown above the history (a run read back from the workspace has no model), or null.
    std::shared_ptr<const TrainingRun> shownRun() const { return mShownRun; }
    // The page shown for a run read back from the workspace: its settings, metrics and what
    // became of its model.
    QLabel *keptRunText() const { return mKeptRunText; }
    bool isShowingKeptRun() const;

    TrainSetupPanel *setupPanel() const { return mSetup; }
    TrainResultsPanel *resultsPanel() const { return mResults; }
    RunHistoryModel *history() const { return mHistory; }
    QTableView *historyTable() const { return mHistoryTable; }
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
    void finishTraining(const RunResult &result);
    void finishSave(const std::optional<Error> &error);
    void showSaveDialog();
    void showHistoryRow(int proxyRow);
    void updateActions();
    void onDatasetReplaced();
    // Reads the workspace's run history for the loaded data into the table.
    void restoreHistory();
    // Writes the history to the workspace when it is kept; a failure is shown in the banner.
    void storeHistory();
    void showRun(const std::shared_ptr<const TrainingRun> &run);

    DataDocument *mDocument;
    QPushButton *mTrainButton;
    QPushButton *mSaveButton;
    TrainSetupPanel *mSetup;
    QStackedWidget *mResultPages;
    EmptyStateView *mNoRuns;
    TrainResultsPanel *mResults;
    RunHistoryModel *mHistory;
    QSortFilterProxyModel *mSortedHistory;
    QTableView *mHistoryTable;
    std::shared_ptr<void> mDatasetHold; // the run reads the document's dataset in place
    BackgroundJob<RunResult> mTraining{this};
    BackgroundJob<std::optional<Error>> mSaving{this};
    QString mSavingPath;
    std::shared_ptr<const TrainingRun> mSavingRun;
    QHash<int, QString> mSavedPaths; // the model file each saved run was written to, by run number
    std::shared_ptr<const TrainingRun> mShownRun;
    std::unique_ptr<RunHistoryFile> mHistoryFile; // the workspace's, while one is open
    bool mHistoryFileUnreadable = false; // never overwritten: the user may mend it
    bool mRunHistoryEnabled = true;
    QStackedWidget *mRunPages = nullptr; // the results panel, or a kept run's text
    QLabel *mKeptRunText = nullptr;
    QCheckBox *mKeepHistory = nullptr;
    int mRunCount = 0;
};

} // namespace plumb::ui
