#pragma once

#include "ui/predict/batchscoringjob.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;

namespace plumb::ui {

class DatasetTableModel;
class MessageBanner;
class ProgressPanel;

// The "Score a file" half of the Predict view: choose a CSV, score it in the background with
// progress and Cancel, browse the scored rows in a virtual table (input columns, prediction, one
// probability per class), see the rows that were refused with their line and reason, and export
// the scored rows as CSV.
class BatchScoringPanel : public QWidget
{
    Q_OBJECT

public:
    explicit BatchScoringPanel(QWidget *parent = nullptr);

    void setModel(LoadedModelPtr model);
    // Scores `path` (the part of "Choose CSV…" after the dialog). False when busy or no model.
    bool scoreFile(const QString &path);
    // Exports the scored rows (the part of "Export CSV…" after the dialog).
    bool exportTo(const QString &path);
    void cancel() { mJob->cancel(); }

    BatchScoringJob *job() const { return mJob; }
    QTableView *resultsTable() const { return mTable; }
    DatasetTableModel *resultsModel() const { return mResults; }
    QTableWidget *problemsTable() const { return mProblems; }
    MessageBanner *banner() const { return mBanner; }
    ProgressPanel *progressPanel() const { return mProgress; }
    QString summary() const;

private:
    void chooseFile();
    void chooseExportPath();
    void onBusyChanged(bool busy);
    void onFinished(bool ok, bool cancelled, const QString &message);
    void showProblems(const BatchResult &result);

    LoadedModelPtr mModel;
    BatchScoringJob *mJob;
    MessageBanner *mBanner;
    ProgressPanel *mProgress;
    QPushButton *mChoose;
    QPushButton *mExport;
    QLabel *mFile;
    QLabel *mSummary;
    QTableView *mTable;
    DatasetTableModel *mResults;
    QLabel *mProblemsTitle;
    QTableWidget *mProblems;
    QString mLastDirectory;
    QString mExportPath;
};

} // namespace plumb::ui
