#pragma once

#include "ui/common/viewframe.h"
#include "ui/monitor/monitordocument.h"

#include <QTimer>

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace plumb {
struct Workspace;
}

namespace plumb::ui {

class DistributionOverlay;
class DriftHeatMap;
class DriftSettingsTable;
class MonitorSourceBar;
class RetrainDialog;
class WindowChart;

// The Monitor view: a model's reference profile against production batches, window by window.
// A source bar picks the model (a workspace's models by default) and the batches (the workspace's,
// one window each, or files windowed by a timestamp column and a period). The charts: a features
// x windows heat map, one feature's drift score over time with its threshold band and alerts, the
// share of drifted features, the model's predictions per window (prediction drift), the service's
// latency and errors (from a prediction log), and the model's metric per labelled window with its
// bootstrap band;
// clicking a cell or a point shows the reference and current distributions of that feature in
// that window. A table sets each column's method and threshold and recomputes; a spin box turns
// the fixed thresholds into NannyML-style ones (mean + 3 sd over the first N windows). Exports the charts
// (PNG, PDF) and the report (HTML, JSON). Retrain opens the retrain flow on the labelled windows.
// All computing runs off the GUI thread, with Cancel.
class MonitorView : public ViewFrame
{
    Q_OBJECT

public:
    enum class Page { Empty, Report };

    explicit MonitorView(QWidget *parent = nullptr);

    // Lists the workspace's models (the first selected) and takes its batches, one window each.
    void setWorkspace(const Workspace &workspace);
    // Replaces the model picker's choice and the batches.
    void setSource(const MonitorSource &source);
    MonitorSource source() const;

    // Starts computing the source with the current settings; false when busy or nothing to compare.
    bool compute();
    // Shows the distributions of report column `column` in window `window`, and selects the column
    // in the feature chart.
    void showCell(std::size_t column, std::size_t window);
    // Sets a column's method and threshold (NaN: the method's default) and recomputes, as the
    // settings table does.
    void setColumnSettings(const QString &column, DriftMethod method, double threshold);

    bool exportChartsPng(const QString &path, QString &error);
    bool exportChartsPdf(const QString &path, QString &error);
    // The charts the PDF has, one a page, in order (the Service chart only with a prediction log).
    QList<QCustomPlot *> pdfCharts() const;
    // The title each PDF page is headed with: the model's name, file and digest.
    QString reportTitle() const;
    bool exportHtml(const QString &path, QString &error);
    bool exportJson(const QString &path, QString &error);
    // Opens the retrain dialog on the current result (non-modal, deleted when closed); nullptr
    // before a result with labelled windows exists.
    RetrainDialog *openRetrainDialog();

    Page currentPage() const;
    MonitorDocument *document() const { return mDocument; }
    DriftHeatMap *heatMap() const { return mHeatMap; }
    WindowChart *featureChart() const { return mFeatureChart; }
    WindowChart *shareChart() const { return mShareChart; }
    WindowChart *performanceChart() const { return mPerformanceChart; }
    WindowChart *predictionChart() const { return mPredictionChart; }
    WindowChart *serviceChart() const { return mServiceChart; }
    QTabWidget *trendTabs() const { return mTrendTabs; }
    DistributionOverlay *overlay() const { return mOverlay; }
    QLabel *overlayCaption() const { return mOverlayCaption; }
    DriftSettingsTable *settingsTable() const { return mSettingsTable; }
    QComboBox *featurePicker() const { return mFeaturePicker; }
    // 0: the fixed thresholds of the table; N: NannyML-style thresholds from the first N windows.
    QSpinBox *baselineWindows() const { return mBaselineWindows; }
    MonitorSourceBar *sourceBar() const { return mSourceBar; }
    QPushButton *retrainButton() const { return mRetrainButton; }

signals:
    // A retrained model was saved at `path`.
    void modelSaved(const QString &path);

private:
    QWidget *createReportPage();
    QWidget *createSidePane();
    void createExportMenu(QPushButton *button);
    void onComputed();
    void onBusyChanged(bool busy);
    void updateRetrainButton();
    // The table's methods and thresholds with the baseline-windows choice.
    DriftSettings currentSettings() const;
    // True when core accepts `settings` (driftSettingsProblem); otherwise says why in the banner.
    bool acceptSettings(const DriftSettings &settings);
    void showFeature(int column);
    void exportWithDialog(const QString &filter, const QString &suffix, bool (MonitorView::*write)(const QString &, QString &));

    MonitorDocument *mDocument;
    MonitorSourceBar *mSourceBar;
    QPushButton *mExportButton;
    QPushButton *mRetrainButton;
    QWidget *mCharts;
    DriftHeatMap *mHeatMap;
    WindowChart *mFeatureChart;
    WindowChart *mShareChart;
    WindowChart *mPerformanceChart;
    WindowChart *mPredictionChart;
    WindowChart *mServiceChart;
    QTabWidget *mTrendTabs;
    QComboBox *mFeaturePicker;
    DistributionOverlay *mOverlay;
    QLabel *mOverlayCaption;
    DriftSettingsTable *mSettingsTable;
    QSpinBox *mBaselineWindows;
    QTimer mRecomputeTimer;
    bool mRecomputePending = false;
    std::size_t mShownColumn = 0;
    std::size_t mShownWindow = 0;
    bool mCellShown = false;
    QString mModelsFolder; // the workspace's models/, where a retrained model is saved
};

} // namespace plumb::ui
