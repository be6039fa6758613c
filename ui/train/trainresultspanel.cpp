#include "ui/train/trainresultspanel.h"

#include "ui/charts/curvechart.h"
#include "ui/charts/importancechart.h"
#include "ui/charts/shapsummarychart.h"
#include "ui/common/displayformat.h"
#include "ui/common/wraprow.h"
#include "ui/train/runhistorymodel.h"

#include "learn/validation.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

TrainResultsPanel::TrainResultsPanel(QWidget *parent)
    : QWidget(parent), mTitle(new QLabel), mDetails(new QLabel), mMetrics(new QTableWidget(0, 3)),
      mImportance(new ImportanceChart), mShap(new ShapSummaryChart)
{
    setObjectName(QStringLiteral("ResultsPanel"));
    mTitle->setObjectName(QStringLiteral("ProfileTitle"));
    mDetails->setObjectName(QStringLiteral("StatLabel"));
    mDetails->setWordWrap(true);
    mMetrics->setObjectName(QStringLiteral("MetricsTable"));
    mMetrics->setHorizontalHeaderLabels({QStringLiteral("Metric"), QStringLiteral("Validation"), QStringLiteral("Folds")});
    mMetrics->verticalHeader()->hide();
    mMetrics->setShowGrid(false);
    mMetrics->setAlternatingRowColors(true);
    mMetrics->setSelectionMode(QAbstractItemView::NoSelection);
    mMetrics->setFocusPolicy(Qt::NoFocus);
    mMetrics->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    mMetrics->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    mMetrics->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    mMetrics->verticalHeader()->setDefaultSectionSize(mMetrics->fontMetrics().height() + 8);
    mMetrics->setFixedWidth(320);

    // Rows that wrap: in a narrow pane (1024x640) the table and the charts go one under another
    // instead of past the pane's right edge.
    auto *top = new WrapRow;
    top->addWidget(mMetrics, 0);
    top->addWidget(mCharts.firstChart(), 1);
    top->addWidget(mImportance, 1);
    auto *bottom = new WrapRow;
    for (int i = 0; i < 3; ++i)
        bottom->addWidget(mCharts.curveChart(i), 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(4);
    layout->addWidget(mTitle);
    layout->addWidget(mDetails);
    layout->addSpacing(6);
    layout->addWidget(top, 1);
    layout->addSpacing(10);
    layout->addWidget(bottom, 1);
    layout->addSpacing(10);
    layout->addWidget(mShap, 1);
}

void TrainResultsPanel::showRun(std::shared_ptr<const TrainingRun> run)
{
    mRun = std::move(run);
    if (!mRun)
        return;
    const TrainingRun &r = *mRun;
    const TrainingOutcome &outcome = r.outcome;
    mTitle->setText(QStringLiteral("Run #%1 \u00b7 %2 \u2192 %3").arg(r.number).arg(r.spec.modelKind, r.spec.target));
    QString details = QStringLiteral(
                          "%1 features \u00b7 %2 labelled rows \u00b7 validated by %3 \u00b7 seed %4 \u00b7 final fit %5")
                          .arg(outcome.pipeline.features().size())
                          .arg(formatCount(outcome.trainingRows), r.spec.validation.toString())
                          .arg(r.spec.seed)
                          .arg(formatDuration(qint64(std::llround(outcome.fitSeconds * 1000))));
    if (!outcome.fitReport.converged)
        details += QStringLiteral(" \u00b7 did not converge");
    if (!outcome.task.reason.isEmpty())
        details += QStringLiteral("\nTask: %1 (%2)").arg(taskName(outcome.task.task), outcome.task.reason);
    if (!outcome.fitReport.warnings.isEmpty())
        details += QStringLiteral("\n") + outcome.fitReport.warnings.join(QStringLiteral("; "));
    mDetails->setText(details);
    showMetrics(r);
    mCharts.showEvaluation(outcome.validation);
    if (r.spec.importance)
        mImportance->showImportance(outcome.importance);
    else
        mImportance->showMessage(QStringLiteral("Permutation importance was switched off for this run"));
    if (!r.spec.importance)
        mShap->showMessage(QStringLiteral("The SHAP summary was switched off with permutation importance for this run"));
    else if (outcome.shap.isEmpty())
        mShap->showMessage(QStringLiteral("SHAP summary not available for %1 models: permutation importance is shown instead")
                               .arg(r.spec.modelKind));
    else
        mShap->showSummary(outcome.shap);
}

void TrainResultsPanel::showMetrics(const TrainingRun &run)
{
    const Evaluation &evaluation = run.outcome.validation;
    const auto &folds = run.outcome.foldMetrics;
    mMetrics->setRowCount(int(evaluation.metrics.size()));
    // Every row in sight, also on a line of its own under a narrow pane's charts.
    mMetrics->setMinimumHeight(mMetrics->horizontalHeader()->sizeHint().height()
                               + mMetrics->rowCount() * mMetrics->verticalHeader()->defaultSectionSize()
                               + 2 * mMetrics->frameWidth());
    mMetrics->setColumnHidden(2, folds.size() < 2);
    for (std::size_t m = 0; m < evaluation.metrics.size(); ++m) {
        const auto &[name, value] = evaluation.metrics[m];
        auto *title = cell(metricTitle(name), Qt::AlignLeft | Qt::AlignVCenter);
        title->setToolTip(QStringLiteral("%1 (%2 is better)")
                              .arg(name, lowerIsBetter(name) ? QStringLiteral("lower") : QStringLiteral("higher")));
        mMetrics->setItem(int(m), 0, title);
        mMetrics->setItem(int(m), 1, cell(std::isnan(value) ? QStringLiteral("\u2014") : QString::number(value, 'f', 4)));
        if (folds.size() >= 2) {
            const FoldSpread spread = foldSpread(folds, m);
            auto *text = cell(QStringLiteral("%1 \u00b1 %2").arg(spread.mean, 0, 'f', 3).arg(spread.deviation, 0, 'f', 3));
            text->setToolTip(QStringLiteral("Mean and sample standard deviation over %1 folds").arg(folds.size()));
            mMetrics->setItem(int(m), 2, text);
        }
    }
}

} // namespace plumb::ui
