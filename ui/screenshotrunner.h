#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

namespace plumb::ui {

class MainWindow;

// Renders every view of a MainWindow into PNG files (data.png, train.png, models.png,
// predict.png, monitor.png): first loads PATH (a file, a workspace or a .plumb model) if given,
// waits for the load to finish, selects a column so the profile panel shows a chart, and, when the data has a
// target column, trains two models in the Train view so it shows real results and a history. A
// workspace with a models/ folder opens its first signed model (else its first) in the Models
// view and is monitored against the workspace's batches in the Monitor view, and more pictures follow: one per inspector tab (models-pipeline.png, ...), models-compare.png (the first two models side by side) and
// models-tampered.png (the error page for a copy of the model with one byte changed), then one
// models-scan-NAME.png per file of the workspace's scikit-learn/ folder (its safety scan), then
// the Monitor view's predictions tab (monitor-predictions.png) and its retrain dialog after retraining (monitor-retrain.png) and after saving into a
// temporary folder (monitor-retrain-files.png), and last the showcase model's prediction log by
// day with the Service tab shown (monitor-service.png), where the workspace has that log. Works on
// the offscreen platform. The Predict view follows the showcase model: predict.png shows its form
// at typical values with the probability and contribution charts, and predict-batch.png the
// workspace's first batch file scored in the background. The window is rendered at size() (logical
// pixels), and each view is checked for widgets cut at that size (layoutProblems()). The exit code is 0 when every file was written, 1 when the load failed
// (the views are still written, showing the error), 2 when a file could not be written.
class ScreenshotRunner : public QObject
{
    Q_OBJECT

public:
    ScreenshotRunner(MainWindow *window, QString directory, QObject *parent = nullptr);

    // Starts the run; finished(exitCode) follows once the files are written.
    void start(const QString &path);
    // start() and wait in a local event loop; returns the exit code.
    // Layout problems are reported on stderr.
    static int run(MainWindow &window, const QString &directory, const QString &path, QSize size = kDefaultSize);

    static constexpr QSize kDefaultSize{1440, 900};

    // The files written so far.
    const QStringList &writtenFiles() const { return mWritten; }

    // The window's size while rendering (logical pixels); 1440x900 unless set before start().
    QSize size() const { return mSize; }
    void setSize(QSize size) { mSize = size; }
    // What was cut in the views grabbed so far, one line each, prefixed with the picture's name
    // ("monitor: QPushButton 'Compute' is 61 px wide and needs 78"); see layoutProblems().
    const QStringList &layoutProblems() const { return mLayoutProblems; }

signals:
    void finished(int exitCode);

private:
    void selectShowcaseColumn();
    void trainShowcaseModels();
    // After the data: opens the showcase model (if any), then captures.
    void openShowcaseModel(int loadStatus);
    // After the model: the Monitor view computes the showcase model against the batches, then captures.
    void computeMonitor(int loadStatus);
    void capture(int loadStatus);
    bool grabTo(const QString &name); // the main window
    bool grabTo(QWidget *widget, const QString &name);
    void captureModelTabs();
    // Grabs the current view scrolled down to the SHAP summary `chart` as `name` (train-shap,
    // models-shap), then scrolls back.
    void captureShapSummary(QWidget *chart, const QString &name);
    // Scores the workspace's first batch in the Predict view, grabs it, then goes on to the comparison.
    void capturePredictBatch();
    void captureComparison();
    void captureTampered();
    // Scans each file of the workspace's scikit-learn/ folder in the Models view, one picture each.
    void captureScikitLearnScans();
    // Retrains the monitored model in the retrain dialog and grabs it before and after saving.
    void captureRetrain();
    // Monitors the showcase model's prediction log (beside it) by day and grabs the Service tab.
    void captureServiceLog();
    void finish();

    MainWindow *mWindow;
    QString mDirectory;
    QStringList mWritten;
    QStringList mLayoutProblems;
    QSize mSize = kDefaultSize;
    bool mCaptured = false;
    int mExitCode = 0;
    QStringList mModels; // the workspace's model files, showcase first
    std::optional<QStringList> mScikitLearnFiles; // the workspace's scikit-learn files not yet captured, once listed
};

} // namespace plumb::ui
