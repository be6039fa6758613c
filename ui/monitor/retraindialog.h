#pragma once

#include "ui/monitor/retrainjob.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace plumb::ui {

class MessageBanner;
class ModelComparisonView;
class ProgressPanel;

// The retrain flow of the Monitor view. The user picks the labelled windows to train on (all the
// older ones, or those since a feature first drifted) and may give a reason; the same pipeline is
// fitted in the background and validated on the newest window next to the current model, metric
// by metric. A retrained model worse than the current one (RetrainingVerdict) is only saved after
// a confirmation whose default is not to save. Save as writes a new .plumb with lineage (never over the current model) and then
// compares the two files field by field.
class RetrainDialog : public QDialog
{
    Q_OBJECT

public:
    RetrainDialog(MonitorResultPtr result, const MonitorSource &source, const QString &keyringDirectory,
                  QWidget *parent = nullptr);

    // Checks exactly `windows` in the list (indexes into the result's windows).
    void setTrainingWindows(const std::vector<std::size_t> &windows);
    std::vector<std::size_t> trainingWindows() const;
    // Starts the retraining with the checked windows; false while busy or with none checked.
    bool retrain();
    // Saves the retrained model at `path` without asking; false while busy or before a retraining.
    bool saveAs(const QString &path, bool overwrite = false);

    // The workspace's models/ folder, where Save as New Model… starts (modelSaveFolder); the
    // current model's folder when not set.
    void setModelsFolder(const QString &directory) { mModelsFolder = directory; }
    QString saveFolder() const;

    RetrainJob *job() const { return mJob; }
    QListWidget *windowList() const { return mWindows; }
    QTableWidget *comparisonTable() const { return mComparison; }
    ModelComparisonView *fileComparison() const { return mFiles; }
    QTabWidget *resultTabs() const { return mTabs; }

signals:
    void modelSaved(const QString &path);

protected:
    void reject() override;

private:
    QWidget *createChoicePane();
    QWidget *createResultPane();
    void fillWindows();
    void checkSinceDrift();
    void onBusyChanged(bool busy);
    void showOutcome();
    void showSaved(const QString &path);
    void askWhereToSave();
    // When the retrained model is worse than the current one: asks, naming both values, with
    // Don't Save as the default; true to save anyway.
    bool confirmSavingWorse();
    void updateActions();

    MonitorResultPtr mResult;
    MonitorSource mSource;
    QString mKeyringDirectory;
    QString mModelsFolder;
    RetrainJob *mJob;
    QLabel *mIntro;
    QListWidget *mWindows;
    QLabel *mValidation;
    QLineEdit *mReason;
    QPushButton *mRetrain;
    QPushButton *mSinceDrift;
    QPushButton *mSave;
    MessageBanner *mBanner;
    ProgressPanel *mProgress;
    QTabWidget *mTabs;
    QLabel *mCaption;
    QTableWidget *mComparison;
    QLabel *mLineage;
    ModelComparisonView *mFiles;
};

} // namespace plumb::ui
