#pragma once

#include "ui/monitor/monitordocument.h"

#include <QFrame>

class QComboBox;
class QLabel;
class QPushButton;

namespace plumb {
struct Workspace;
}

namespace plumb::ui {

// The strip under the Monitor view's header that says what is compared: the model (a picker over
// a models folder, or any file), the production batches or a prediction log, and how they form
// windows (one per file, by a timestamp column and a period, or the log by a period), with the
// Compute button.
class MonitorSourceBar : public QFrame
{
    Q_OBJECT

public:
    explicit MonitorSourceBar(QWidget *parent = nullptr);

    // The workspace's models (the first selected) and its batches, one window each; its timestamp
    // columns are offered for windowing by time.
    void setWorkspace(const Workspace &workspace);
    // Lists the .plumb files of `directory` in the picker.
    void setModelsFolder(const QString &directory);
    void setSource(const MonitorSource &source);
    MonitorSource source() const;
    // Disables Compute while a job runs.
    void setBusy(bool busy);
    QString lastDirectory() const { return mLastDirectory; }

signals:
    void computeRequested();

private:
    void chooseModelFile();
    void chooseBatches();
    void updateBatchesLabel();
    void updateMode();

    QComboBox *mModelPicker;
    QLabel *mBatchesLabel;
    QComboBox *mWindowMode;
    QComboBox *mTimestampColumn;
    QComboBox *mPeriod;
    QPushButton *mComputeButton;
    std::vector<MonitorSource::Batch> mBatches;
    QString mLog; // a prediction log, read instead of the batches in the log mode
    QString mLastDirectory;
};

} // namespace plumb::ui
