#include "ui/monitor/monitorview.h"

#include "data/workspace.h"
#include "monitor/driftreporthtml.h"
#include "ui/charts/chartexport.h"
#include "ui/common/buttons.h"
#include "ui/common/emptystateview.h"
#include "ui/common/layoutcheck.h"
#include "ui/common/savelocation.h"
#include "ui/common/scrollpane.h"
#include "ui/common/theme.h"
#include "ui/monitor/distributionoverlay.h"
#include "ui/monitor/driftformat.h"
#include "ui/monitor/driftheatmap.h"
#include "ui/monitor/driftsettingstable.h"
#include "ui/monitor/monitorsourcebar.h"
#include "ui/monitor/retraindialog.h"
#include "ui/monitor/windowchart.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace plumb::ui {

namespace {

const QString kNoWorkspaceNote = QStringLiteral("Open a workspace to take its models and its batches/ files.");

// The column drifting in most windows (the first such), and the newest window.
std::pair<std::size_t, std::size_t> showcaseCell(const DriftReport &report)
{
    std::size_t best = 0, bestCount = 0;
    for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c) {
        std::size_t count = 0;
        for (const auto &row : report.cells)
            count += row[c].score && row[c].score->drifted;
        if (count > bestCount) {
            best = c;
            bestCount = count;
        }
    }
    return {best, report.windows.empty() ? 0 : report.windows.size() - 1};
}

// The column furthest past its threshold in `window`.
std::size_t mostDrifted(const DriftReport &report, std::size_t window)
{
    std::size_t best = 0;
    double bestRatio = -1;
    for (std::size_t c = 0; c < std::size_t(report.columns.size()); ++c)
        if (const auto &score = report.cells[window][c].score) {
            const double ratio = thresholdRatio(*score, report.statisticThresholds);
            if (ratio > bestRatio) {
                best = c;
                bestRatio = ratio;
            }
        }
    return best;
}

} // namespace

MonitorView::MonitorView(QWidget *parent)
    : ViewFrame(QStringLiteral("Monitor"), QStringLiteral("Compare production batches with the reference profile a model keeps."),
                parent),
      mDocument(new MonitorDocument(this)), mSourceBar(new MonitorSourceBar)
{
    mExportButton = createHeaderButton(QStringLiteral("Export"));
    mExportButton->setStyleSheet(QStringLiteral("QPushButton { padding-right: 26px; } QPushButton::menu-indicator { "
                                                "subcontrol-origin: padding; subcontrol-position: right center; right: 8px; }"));
    createExportMenu(mExportButton);
    mExportButton->setEnabled(false);
    addAction(mExportButton);
    mRetrainButton = createHeaderButton(QStringLiteral("Retrain\u2026"));
    mRetrainButton->setToolTip(QStringLiteral("Fit the model's pipeline again on recent labelled windows and compare it with the "
                                              "current model on the newest window."));
    mRetrainButton->setEnabled(false);
    connect(mRetrainButton, &QPushButton::clicked, this, &MonitorView::openRetrainDialog);
    addAction(mRetrainButton);
    addStrip(mSourceBar, StripPlace::BelowHeader);

    setEmptyState(QStringLiteral(":/icons/monitor.svg"), QStringLiteral("Nothing to monitor yet"),
                  QStringLiteral("Pick a model and batches of production data, then Compute: each column of "
                                 "each batch is compared with the reference profile stored in the model, with "
                                 "the method and threshold shown for every column."))
        ->setNote(kNoWorkspaceNote);
    addPage(createReportPage());

    mRecomputeTimer.setSingleShot(true);
    mRecomputeTimer.setInterval(250);
    connect(&mRecomputeTimer, &QTimer::timeout, this, [this] {
        const DriftSettings settings = currentSettings();
        if (!acceptSettings(settings))
            return;
        if (!mDocument->recompute(settings))
            mRecomputePending = mDocument->isBusy();
    });
    connect(mSourceBar, &MonitorSourceBar::computeRequested, this, &MonitorView::compute);
    connect(mDocument, &MonitorDocument::busyChanged, this, &MonitorView::onBusyChanged);
    connect(mDocument, &MonitorDocument::computed, this, &MonitorView::onComputed);
    connect(mDocument, &MonitorDocument::failed, this, [this](const QString &message) { showError(message); });
    connect(mDocument, &MonitorDocument::cancelled, this, [this] {
        showMessage(MessageBanner::Kind::Notice, {QStringLiteral("Cancelled; the charts show the previous result.")});
    });
    connect(this, &ViewFrame::cancelRequested, mDocument, &MonitorDocument::cancel);
    connect(mHeatMap, &DriftHeatMap::cellClicked, this, &MonitorView::showCell);
    connect(mFeatureChart, &WindowChart::windowClicked, this,
            [this](std::size_t window) { showCell(std::size_t(std::max(0, mFeaturePicker->currentIndex())), window); });
    for (WindowChart *chart : {mShareChart, mPredictionChart, mPerformanceChart})
        connect(chart, &WindowChart::windowClicked, this, [this](std::size_t window) {
            if (const MonitorResultPtr result = mDocument->result())
                showCell(mostDrifted(result->report, window), window);
        });
    connect(mFeaturePicker, &QComboBox::currentIndexChanged, this, &MonitorView::showFeature);
}

QWidget *MonitorView::createReportPage()
{
    mHeatMap = new DriftHeatMap;
    mFeatureChart = new WindowChart(QStringLiteral("Drift score over time"));
    mShareChart = new WindowChart(QStringLiteral("Share of drifted features"));
    mPerformanceChart = new WindowChart(QStringLiteral("Performance over time"));
    mPredictionChart = new WindowChart(QStringLiteral("Predictions over time"));
    mTrendTabs = new QTabWidget;
    mTrendTabs->setDocumentMode(true);
    mTrendTabs->addTab(mShareChart, QStringLiteral("Drift Share"));
    // The metric per labelled window is a chart over time like the others: beside them it gets
    // the height the distributions and the threshold table on the right would otherwise share.
    mTrendTabs->addTab(mPerformanceChart, QStringLiteral("Performance"));
    mTrendTabs->addTab(mPredictionChart, QStringLiteral("Predictions"));
    mServiceChart = new WindowChart(QStringLiteral("Service"));
    mTrendTabs->addTab(mServiceChart, QStringLiteral("Service"));
    mFeaturePicker = new QComboBox;
    mFeaturePicker->setToolTip(QStringLiteral("The feature whose drift score the chart follows."));

    auto *featurePane = new QWidget;
    auto *featureLayout = new QVBoxLayout(featurePane);
    featureLayout->setContentsMargins(0, 0, 0, 0);
    featureLayout->setSpacing(2);
    auto *pickerRow = new QHBoxLayout;
    pickerRow->setContentsMargins(8, 6, 8, 0);
    pickerRow->addWidget(createSectionHeading(QStringLiteral("FEATURE")));
    pickerRow->addWidget(mFeaturePicker, 1);
    featureLayout->addLayout(pickerRow);
    featureLayout->addWidget(mFeatureChart, 1);

    auto *lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(featurePane);
    lower->addWidget(mTrendTabs);
    auto *left = new QSplitter(Qt::Vertical);
    left->addWidget(mHeatMap);
    left->addWidget(lower);
    left->setSizes({440, 330});
    lower->setSizes({450, 330});

    auto *page = new QSplitter(Qt::Horizontal);
    page->setChildrenCollapsible(false);
    page->addWidget(left);
    page->addWidget(createSidePane());
    page->setSizes({760, 520});
    mCharts = page;
    // Every chart keeps a readable plot (kReadablePlotHeight, layoutcheck.h): where the window is
    // shorter than that needs (1024x640), the page scrolls instead of squeezing the charts.
    left->setChildrenCollapsible(false);
    for (QCustomPlot *chart : std::initializer_list<QCustomPlot *>{mHeatMap, mFeatureChart, mShareChart, mPerformanceChart,
                                                                   mPredictionChart, mServiceChart, mOverlay})
        keepPlotReadable(chart);
    // A chart's own smallest width is its legend on one row (QCustomPlot's size hint), four
    // entries wide, until it is first resized and wraps: the panes need not be that wide.
    for (QCustomPlot *chart :
         std::initializer_list<QCustomPlot *>{mFeatureChart, mShareChart, mPerformanceChart, mPredictionChart, mServiceChart})
        chart->setMinimumWidth(200);
    QScrollArea *scroll = scrollPane(page, QStringLiteral("ReportScroll"));
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the panes share the width; only height scrolls
    return scroll;
}

QWidget *MonitorView::createSidePane()
{
    mOverlay = new DistributionOverlay;
    mOverlayCaption = new QLabel;
    mOverlayCaption->setWordWrap(true);
    mOverlayCaption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mOverlayCaption->setObjectName(QStringLiteral("ChartCaption"));
    mSettingsTable = new DriftSettingsTable;
    connect(mSettingsTable, &DriftSettingsTable::settingsChanged, this, [this] { mRecomputeTimer.start(); });
    mBaselineWindows = new QSpinBox;
    mBaselineWindows->setRange(0, 52);
    mBaselineWindows->setSpecialValueText(QStringLiteral("fixed thresholds (table)"));
    mBaselineWindows->setPrefix(QStringLiteral("mean + 3 sd of the first "));
    mBaselineWindows->setSuffix(QStringLiteral(" windows"));
    mBaselineWindows->setToolTip(
        QStringLiteral("NannyML-style thresholds: each column drifts where its statistic exceeds the mean + 3 "
                       "standard deviations of that statistic over the first N windows (the baseline "
                       "period). At 0, the fixed thresholds of the table apply."));
    connect(mBaselineWindows, &QSpinBox::valueChanged, this, [this](int windows) {
        mBaselineWindows->setSuffix(windows == 1 ? QStringLiteral(" window") : QStringLiteral(" windows"));
        mRecomputeTimer.start();
    });

    auto *overlayPane = new QWidget;
    overlayPane->setObjectName(QStringLiteral("ChartPane"));
    overlayPane->setAttribute(Qt::WA_StyledBackground);
    auto *overlayLayout = new QVBoxLayout(overlayPane);
    overlayLayout->setContentsMargins(0, 0, 0, 0);
    overlayLayout->setSpacing(0);
    overlayLayout->addWidget(mOverlay, 1);
    overlayLayout->addWidget(mOverlayCaption);

    auto *tablePane = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(8, 6, 8, 8);
    tableLayout->setSpacing(4);
    auto *thresholdRow = new QHBoxLayout;
    QLabel *thresholdHeading = createSectionHeading(QStringLiteral("METHOD AND THRESHOLD PER COLUMN"));
    thresholdHeading->setWordWrap(true); // two lines in a narrow window, never cut
    thresholdRow->addWidget(thresholdHeading, 1);
    thresholdRow->addWidget(mBaselineWindows);
    tableLayout->addLayout(thresholdRow);
    tableLayout->addWidget(mSettingsTable, 1);

    auto *side = new QSplitter(Qt::Vertical);
    side->setChildrenCollapsible(false);
    side->addWidget(overlayPane);
    side->addWidget(tablePane);
    side->setSizes({440, 220});
    return side;
}

void MonitorView::setWorkspace(const Workspace &workspace)
{
    mModelsFolder = workspaceModelsFolder(&workspace);
    mSourceBar->setWorkspace(workspace);
    emptyState()->setNote(
        workspace.rootPath.isEmpty()
            ? kNoWorkspaceNote
            : QStringLiteral("The workspace's models and its batches/ files are in the bar above: pick them and "
                             "press Compute."));
}

void MonitorView::setSource(const MonitorSource &source)
{
    mSourceBar->setSource(source);
}

MonitorSource MonitorView::source() const
{
    return mSourceBar->source();
}

bool MonitorView::compute()
{
    const MonitorSource next = source();
    if (next.modelPath.isEmpty() || (next.batches.empty() && next.log.isEmpty())) {
        showMessage(MessageBanner::Kind::Warning,
                    {next.modelPath.isEmpty() ? QStringLiteral("Choose a model to monitor.")
                                              : QStringLiteral("Choose production batches to compare with the model.")});
        return false;
    }
    // The table's choices carry over while the model stays the same.
    const MonitorResultPtr previous = mDocument->result();
    const bool sameModel = previous && previous->data->model->path == QFileInfo(next.modelPath).absoluteFilePath();
    dismissMessage();
    DriftSettings settings = sameModel ? mSettingsTable->settings() : DriftSettings{};
    settings.baselineWindows = std::size_t(mBaselineWindows->value());
    return acceptSettings(settings) && mDocument->compute(next, settings);
}

bool MonitorView::acceptSettings(const DriftSettings &settings)
{
    const QString problem = driftSettingsProblem(settings);
    if (problem.isEmpty())
        return true;
    QString message = problem;
    message[0] = message[0].toUpper();
    showMessage(MessageBanner::Kind::Error, {message + QStringLiteral(". Nothing was computed.")});
    return false;
}

DriftSettings MonitorView::currentSettings() const
{
    DriftSettings settings = mSettingsTable->settings();
    settings.baselineWindows = std::size_t(mBaselineWindows->value());
    return settings;
}

void MonitorView::onBusyChanged(bool busy)
{
    mSourceBar->setBusy(busy);
    mExportButton->setEnabled(!busy && mDocument->result());
    updateRetrainButton();
    mSettingsTable->setEnabled(!busy);
    mBaselineWindows->setEnabled(!busy);
    if (busy) {
        showProgress(mDocument->progress(), QStringLiteral("Computing drift"));
        return;
    }
    hideProgress();
    if (mRecomputePending) {
        mRecomputePending = false;
        mRecomputeTimer.start();
    }
}

void MonitorView::onComputed()
{
    const MonitorResultPtr result = mDocument->result();
    const DriftReport &report = result->report;
    QStringList notices = result->data->warnings;
    const RetrainingProposal proposal = proposeRetraining(report, result->performance ? &*result->performance : nullptr);
    if (proposal.proposed)
        notices.prepend(QStringLiteral("Retraining proposed: %1. Retrain\u2026 fits the same pipeline on recent windows and "
                                       "compares it on the newest.")
                            .arg(proposal.reason));
    // The proposal alone is a notice; with warnings about the data it leads their list.
    if (!notices.isEmpty())
        showMessage(result->data->warnings.isEmpty() ? MessageBanner::Kind::Notice : MessageBanner::Kind::Warning, notices);
    showPage(int(Page::Report));
    mExportButton->setEnabled(!mDocument->isBusy());
    updateRetrainButton();
    mHeatMap->setReport(report);
    std::vector<bool> categories;
    for (const QString &name : report.columns) {
        const ColumnProfile *profile = result->data->model->profile(name);
        categories.push_back(profile && (profile->type == ColumnType::Categorical || profile->type == ColumnType::Boolean));
    }
    mSettingsTable->setReport(report, categories);
    mShareChart->showDriftShare(report);
    if (result->predictions)
        mPredictionChart->showPredictions(report, *result->predictions);
    else
        mPredictionChart->showMessage(QStringLiteral("Predictions over time"), result->predictionsError);
    if (result->data->service)
        mServiceChart->showService(*result->data->service);
    else
        mServiceChart->showMessage(QStringLiteral("Service"),
                                   QStringLiteral("Read a prediction log (plumb serve --log) to see\n"
                                                  "the service's latency, errors and requests."));
    if (result->performance)
        mPerformanceChart->showPerformance(report, *result->performance);
    else
        mPerformanceChart->showMessage(
            QStringLiteral("Performance over time"),
            QStringLiteral("%1 no labels (%2).")
                .arg(result->data->service ? QStringLiteral("A prediction log has") : QStringLiteral("The batches have"),
                     result->data->model->pipeline().target().name));
    std::size_t drifting = 0;
    for (const WindowDrift &window : report.windows)
        drifting += window.datasetDrift;
    setSubtitle(QStringLiteral("%1 \u00b7 %2 windows \u00b7 %3 columns \u00b7 %4 alerts \u00b7 dataset drift in %5 of %2 windows")
                    .arg(QFileInfo(result->data->model->path).fileName())
                    .arg(report.windows.size())
                    .arg(report.columns.size())
                    .arg(report.alerts.size())
                    .arg(drifting));
    // The feature picker keeps its column; the overlay keeps its cell when both still exist.
    const QString keptFeature = mFeaturePicker->currentText();
    const bool keepCell = mCellShown && mShownColumn < std::size_t(report.columns.size()) && mShownWindow < report.windows.size();
    const auto [column, window] = keepCell ? std::pair{mShownColumn, mShownWindow} : showcaseCell(report);
    {
        const QSignalBlocker blocker(mFeaturePicker);
        mFeaturePicker->clear();
        mFeaturePicker->addItems(report.columns);
        mFeaturePicker->setCurrentIndex(
            keepCell && report.columns.contains(keptFeature) ? int(report.columns.indexOf(keptFeature)) : int(column));
    }
    showFeature(mFeaturePicker->currentIndex());
    showCell(column, window);
}

void MonitorView::showFeature(int column)
{
    const MonitorResultPtr result = mDocument->result();
    if (result && column >= 0 && column < result->report.columns.size())
        mFeatureChart->showFeature(result->report, std::size_t(column));
}

void MonitorView::showCell(std::size_t column, std::size_t window)
{
    const MonitorResultPtr result = mDocument->result();
    if (!result || column >= std::size_t(result->report.columns.size()) || window >= result->data->windows.size())
        return;
    mShownColumn = column;
    mShownWindow = window;
    mCellShown = true;
    mHeatMap->setSelectedCell(column, window);
    const DriftReport &report = result->report;
    const QString name = report.columns[qsizetype(column)];
    if (mFeaturePicker->currentIndex() != int(column))
        mFeaturePicker->setCurrentIndex(int(column)); // redraws the feature chart
    const DriftWindowInput &input = result->data->windows[window];
    const ColumnProfile *profile = result->data->model->profile(name);
    const std::optional<std::size_t> index = input.data->indexOf(name);
    const QString title = QStringLiteral("%1 in %2: reference vs current").arg(name, input.label);
    if (!profile || !index)
        mOverlay->showMessage(title, QStringLiteral("No reference profile or current values for %1.").arg(name));
    else
        mOverlay->showDistributions(*profile, input.data->column(*index), input.rows, title);
    QString caption = cellCaption(report, column, window);
    if (profile)
        caption += QStringLiteral("<br><span style=\"color:%1\">reference: %2 values in the model's profile, %3</span>")
                       .arg(themeColors().mutedText.name())
                       .arg(profile->count)
                       .arg(profile->histogram.empty() ? QStringLiteral("%1 kept categories").arg(profile->topCategories.size())
                                                       : QStringLiteral("%1 histogram bins").arg(profile->histogram.size()));
    mOverlayCaption->setText(caption);
}

void MonitorView::updateRetrainButton()
{
    const MonitorResultPtr result = mDocument->result();
    mRetrainButton->setEnabled(!mDocument->isBusy() && result && labelledWindows(*result).size() >= 2);
}

RetrainDialog *MonitorView::openRetrainDialog()
{
    const MonitorResultPtr result = mDocument->result();
    if (!mRetrainButton->isEnabled() || !result)
        return nullptr;
    auto *dialog = new RetrainDialog(result, mDocument->source(), mDocument->keyringDirectory(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setModelsFolder(mModelsFolder);
    connect(dialog, &RetrainDialog::modelSaved, this, &MonitorView::modelSaved);
    dialog->show();
    return dialog;
}

MonitorView::Page MonitorView::currentPage() const
{
    return Page(currentPageIndex());
}

void MonitorView::setColumnSettings(const QString &column, DriftMethod method, double threshold)
{
    mSettingsTable->setColumn(column, method, threshold);
}

void MonitorView::createExportMenu(QPushButton *button)
{
    auto *menu = new QMenu(button);
    menu->addAction(QStringLiteral("Charts as PNG\u2026"), this, [this] {
        exportWithDialog(QStringLiteral("PNG images (*.png)"), QStringLiteral(".png"), &MonitorView::exportChartsPng);
    });
    menu->addAction(QStringLiteral("Charts as PDF\u2026"), this, [this] {
        exportWithDialog(QStringLiteral("PDF documents (*.pdf)"), QStringLiteral(".pdf"), &MonitorView::exportChartsPdf);
    });
    menu->addSeparator();
    menu->addAction(QStringLiteral("Report as HTML\u2026"), this, [this] {
        exportWithDialog(QStringLiteral("HTML pages (*.html)"), QStringLiteral(".html"), &MonitorView::exportHtml);
    });
    menu->addAction(QStringLiteral("Report as JSON\u2026"), this, [this] {
        exportWithDialog(QStringLiteral("JSON files (*.json)"), QStringLiteral(".json"), &MonitorView::exportJson);
    });
    button->setMenu(menu);
}

void MonitorView::exportWithDialog(const QString &filter, const QString &suffix,
                                   bool (MonitorView::*write)(const QString &, QString &))
{
    const MonitorResultPtr result = mDocument->result();
    if (!result)
        return;
    const QString suggested = QDir(mSourceBar->lastDirectory())
                                  .filePath(QFileInfo(result->data->model->path).completeBaseName() + QStringLiteral("-drift")
                                            + suffix);
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export"), suggested, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    QString error;
    if (!(this->*write)(path, error))
        showMessage(MessageBanner::Kind::Error, {error});
}

QString MonitorView::reportTitle() const
{
    const MonitorResultPtr result = mDocument->result();
    if (!result)
        return {};
    const LoadedModel &model = *result->data->model;
    return QStringLiteral("%1 (%2), digest %3")
        .arg(model.metadata().name, QFileInfo(model.path).fileName(), model.artifact.digest);
}

bool MonitorView::exportChartsPng(const QString &path, QString &error)
{
    if (!mDocument->result()) {
        error = QStringLiteral("nothing computed to export");
        return false;
    }
    return chart::savePng(mCharts, path, error);
}

bool MonitorView::exportChartsPdf(const QString &path, QString &error)
{
    if (!mDocument->result()) {
        error = QStringLiteral("nothing computed to export");
        return false;
    }
    return chart::savePdf(pdfCharts(), reportTitle(), path, error);
}

QList<QCustomPlot *> MonitorView::pdfCharts() const
{
    QList<QCustomPlot *> charts{mHeatMap, mFeatureChart, mShareChart, mPredictionChart, mPerformanceChart, mOverlay};
    if (mServiceChart->kind() == WindowChart::Kind::Service)
        charts.push_back(mServiceChart);
    return charts;
}

bool MonitorView::exportHtml(const QString &path, QString &error)
{
    const MonitorResultPtr result = mDocument->result();
    if (!result) {
        error = QStringLiteral("nothing computed to export");
        return false;
    }
    return chart::saveBytes(monitoringReportHtml(*result->data, *result), path, error);
}

bool MonitorView::exportJson(const QString &path, QString &error)
{
    const MonitorResultPtr result = mDocument->result();
    if (!result) {
        error = QStringLiteral("nothing computed to export");
        return false;
    }
    const QJsonObject json = monitoringReportJson(*result->data, *result);
    return chart::saveBytes(QJsonDocument(json).toJson(), path, error);
}

} // namespace plumb::ui
