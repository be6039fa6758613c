#include "ui/trainresultspanel.h"

#include "ui/chartstyle.h"
#include "ui/confusionchart.h"
#include "ui/curvechart.h"
#include "ui/displayformat.h"
#include "ui/importancechart.h"
#include "ui/runhistorymodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableWidget>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

constexpr int kResidualBins = 30;
constexpr int kMaxClassCurves = 8; // one-vs-rest lines per chart before they become unreadable

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

// Mean and sample standard deviation of metric m over the folds.
std::pair<double, double> foldSpread(const std::vector<MetricList> &folds, std::size_t m)
{
    double sum = 0, squares = 0;
    for (const MetricList &fold : folds)
        sum += fold[m].second;
    const double mean = sum / double(folds.size());
    for (const MetricList &fold : folds)
        squares += (fold[m].second - mean) * (fold[m].second - mean);
    return {mean, std::sqrt(squares / double(folds.size() - 1))};
}

// A residual histogram as a staircase: x the bin edges, y the counts (the last repeated to close it).
void residualHistogram(const std::vector<double> &residuals, std::vector<double> &edges, std::vector<double> &counts)
{
    const auto [low, high] = std::minmax_element(residuals.begin(), residuals.end());
    const double width = *high > *low ? (*high - *low) / kResidualBins : 1.0;
    counts.assign(kResidualBins + 1, 0.0);
    for (double r : residuals)
        counts[std::size_t(std::min(kResidualBins - 1, int((r - *low) / width)))] += 1;
    counts[kResidualBins] = counts[kResidualBins - 1];
    edges.clear();
    for (int b = 0; b <= kResidualBins; ++b)
        edges.push_back(*low + b * width);
}

} // namespace

TrainResultsPanel::TrainResultsPanel(QWidget *parent)
    : QWidget(parent), mTitle(new QLabel), mDetails(new QLabel), mMetrics(new QTableWidget(0, 3)), mFirstChart(new QStackedWidget),
      mConfusion(new ConfusionChart), mScatter(new CurveChart(QStringLiteral("Predicted vs actual"))),
      mImportance(new ImportanceChart)
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
    mFirstChart->addWidget(mConfusion);
    mFirstChart->addWidget(mScatter);
    for (auto &chart : mCurves)
        chart = new CurveChart(QString());

    auto *top = new QHBoxLayout;
    top->setSpacing(10);
    top->addWidget(mMetrics);
    top->addWidget(mFirstChart, 1);
    top->addWidget(mImportance, 1);
    auto *bottom = new QHBoxLayout;
    bottom->setSpacing(10);
    for (CurveChart *chart : mCurves)
        bottom->addWidget(chart, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(4);
    layout->addWidget(mTitle);
    layout->addWidget(mDetails);
    layout->addSpacing(6);
    layout->addLayout(top, 1);
    layout->addSpacing(10);
    layout->addLayout(bottom, 1);
}

CurveChart *TrainResultsPanel::curveChart(int index) const
{
    return index >= 0 && index < 3 ? mCurves[index] : nullptr;
}

void TrainResultsPanel::showRun(std::shared_ptr<const TrainingRun> run)
{
    mRun = std::move(run);
    if (!mRun)
        return;
    const TrainingRun &r = *mRun;
    const TrainingOutcome &outcome = r.outcome;
    mTitle->setText(QStringLiteral("Run #%1 \u00b7 %2 \u2192 %3").arg(r.number).arg(r.spec.modelKind, r.spec.target));
    QString details = QStringLiteral("%1 features \u00b7 %2 labelled rows \u00b7 validated by %3 \u00b7 seed %4 \u00b7 final fit %5")
                          .arg(outcome.pipeline.features().size())
                          .arg(formatCount(outcome.trainingRows), r.spec.validation.toString())
                          .arg(r.spec.seed)
                          .arg(formatDuration(qint64(std::llround(outcome.fitSeconds * 1000))));
    if (!outcome.fitReport.converged)
        details += QStringLiteral(" \u00b7 did not converge");
    if (!outcome.fitReport.warnings.isEmpty())
        details += QStringLiteral("\n") + outcome.fitReport.warnings.join(QStringLiteral("; "));
    mDetails->setText(details);
    showMetrics(r);
    if (outcome.validation.task == Task::Classification)
        showClassification(r);
    else
        showRegression(r);
    if (r.spec.importance)
        mImportance->showImportance(outcome.importance);
    else
        mImportance->showMessage(QStringLiteral("Permutation importance was switched off for this run"));
}

void TrainResultsPanel::showMetrics(const TrainingRun &run)
{
    const Evaluation &evaluation = run.outcome.validation;
    const auto &folds = run.outcome.foldMetrics;
    mMetrics->setRowCount(int(evaluation.metrics.size()));
    mMetrics->setColumnHidden(2, folds.size() < 2);
    for (std::size_t m = 0; m < evaluation.metrics.size(); ++m) {
        const auto &[name, value] = evaluation.metrics[m];
        auto *title = cell(metricTitle(name), Qt::AlignLeft | Qt::AlignVCenter);
        title->setToolTip(QStringLiteral("%1 (%2 is better)").arg(name, lowerIsBetter(name) ? QStringLiteral("lower") : QStringLiteral("higher")));
        mMetrics->setItem(int(m), 0, title);
        mMetrics->setItem(int(m), 1, cell(std::isnan(value) ? QStringLiteral("\u2014") : QString::number(value, 'f', 4)));
        if (folds.size() >= 2) {
            const auto [mean, sd] = foldSpread(folds, m);
            auto *spread = cell(QStringLiteral("%1 \u00b1 %2").arg(mean, 0, 'f', 3).arg(sd, 0, 'f', 3));
            spread->setToolTip(QStringLiteral("Mean and sample standard deviation over %1 folds").arg(folds.size()));
            mMetrics->setItem(int(m), 2, spread);
        }
    }
}

void TrainResultsPanel::showClassification(const TrainingRun &run)
{
    const Evaluation &evaluation = run.outcome.validation;
    mFirstChart->setCurrentWidget(mConfusion);
    mConfusion->showMatrix(evaluation.confusion, evaluation.classes);
    if (evaluation.classes.size() != 2) {
        showOneVsRest(evaluation);
        return;
    }
    const QString positive = evaluation.classes[1];
    const double auc = evaluation.metric(QStringLiteral("roc_auc"));
    mCurves[0]->reset(QStringLiteral("ROC curve \u00b7 AUC %1").arg(auc, 0, 'f', 3), QStringLiteral("false positive rate"),
                      QStringLiteral("true positive rate"));
    mCurves[0]->addReference(0, 0, 1, 1, QStringLiteral("chance"));
    mCurves[0]->addLine(evaluation.roc.x, evaluation.roc.y, QStringLiteral("positive: %1").arg(positive));
    mCurves[0]->finish(true);
    const Eigen::MatrixXi &confusion = evaluation.confusion;
    const double prevalence = double(confusion.row(1).sum()) / std::max(1, confusion.sum());
    mCurves[1]->reset(QStringLiteral("Precision-recall curve"), QStringLiteral("recall"), QStringLiteral("precision"));
    mCurves[1]->addReference(0, prevalence, 1, prevalence, QStringLiteral("chance"));
    mCurves[1]->addLine(evaluation.precisionRecall.x, evaluation.precisionRecall.y, QStringLiteral("positive: %1").arg(positive), true);
    mCurves[1]->finish(true, Qt::AlignBottom | Qt::AlignLeft);
    mCurves[2]->reset(QStringLiteral("Calibration"), QStringLiteral("mean predicted probability"), QStringLiteral("fraction positive"));
    mCurves[2]->addReference(0, 0, 1, 1, QStringLiteral("perfect"));
    mCurves[2]->addLine(evaluation.calibration.x, evaluation.calibration.y, QStringLiteral("model"));
    mCurves[2]->finish(true, Qt::AlignTop | Qt::AlignLeft);
}

void TrainResultsPanel::showOneVsRest(const Evaluation &evaluation)
{
    const int shown = std::min<int>(kMaxClassCurves, int(evaluation.classRoc.size()));
    const QString suffix = shown < evaluation.classes.size() ? QStringLiteral(" (first %1 classes)").arg(shown) : QString();
    mCurves[0]->reset(QStringLiteral("ROC, one vs rest \u00b7 AUC %1").arg(evaluation.metric(QStringLiteral("roc_auc")), 0, 'f', 3) + suffix,
                      QStringLiteral("false positive rate"), QStringLiteral("true positive rate"));
    mCurves[0]->addReference(0, 0, 1, 1, QStringLiteral("chance"));
    mCurves[1]->reset(QStringLiteral("Precision-recall, one vs rest") + suffix, QStringLiteral("recall"), QStringLiteral("precision"));
    mCurves[2]->reset(QStringLiteral("Calibration, one vs rest") + suffix, QStringLiteral("mean predicted probability"),
                      QStringLiteral("fraction positive"));
    mCurves[2]->addReference(0, 0, 1, 1, QStringLiteral("perfect"));
    for (int c = 0; c < shown; ++c) {
        const QColor color = chart::seriesColor(c);
        const QString name = evaluation.classes[c];
        const std::size_t i = std::size_t(c);
        mCurves[0]->addLine(evaluation.classRoc[i].x, evaluation.classRoc[i].y, name, false, color);
        mCurves[1]->addLine(evaluation.classPrecisionRecall[i].x, evaluation.classPrecisionRecall[i].y, name, true, color);
        mCurves[2]->addLine(evaluation.classCalibration[i].x, evaluation.classCalibration[i].y, name, false, color);
    }
    mCurves[0]->finish(true);
    mCurves[1]->finish(true, Qt::AlignBottom | Qt::AlignLeft);
    mCurves[2]->finish(true, Qt::AlignTop | Qt::AlignLeft);
}

void TrainResultsPanel::showRegression(const TrainingRun &run)
{
    const Evaluation &evaluation = run.outcome.validation;
    const std::vector<double> actual(evaluation.actual.begin(), evaluation.actual.end());
    const std::vector<double> predicted(evaluation.predicted.begin(), evaluation.predicted.end());
    std::vector<double> residuals(actual.size());
    for (std::size_t i = 0; i < actual.size(); ++i)
        residuals[i] = actual[i] - predicted[i];
    mFirstChart->setCurrentWidget(mScatter);
    mScatter->reset(QStringLiteral("Predicted vs actual"), QStringLiteral("actual"), QStringLiteral("predicted"));
    if (!actual.empty()) {
        const auto [low, high] = std::minmax_element(actual.begin(), actual.end());
        mScatter->addReference(*low, *low, *high, *high, QStringLiteral("y = x"));
    }
    mScatter->addPoints(actual, predicted, QStringLiteral("validation rows"));
    mScatter->finish(false);
    mCurves[0]->reset(QStringLiteral("Residuals vs predicted"), QStringLiteral("predicted"), QStringLiteral("actual \u2212 predicted"));
    if (!predicted.empty()) {
        const auto [low, high] = std::minmax_element(predicted.begin(), predicted.end());
        mCurves[0]->addReference(*low, 0, *high, 0, QStringLiteral("zero"));
    }
    mCurves[0]->addPoints(predicted, residuals, QStringLiteral("validation rows"));
    mCurves[0]->finish(false);
    mCurves[1]->reset(QStringLiteral("Residual distribution"), QStringLiteral("actual \u2212 predicted"), QStringLiteral("rows"));
    if (!residuals.empty()) {
        std::vector<double> edges, counts;
        residualHistogram(residuals, edges, counts);
        mCurves[1]->addLine(edges, counts, QStringLiteral("rows"), true);
    }
    mCurves[1]->finish(false);
    mCurves[2]->reset(QStringLiteral("Residuals vs actual"), QStringLiteral("actual"), QStringLiteral("actual \u2212 predicted"));
    mCurves[2]->addPoints(actual, residuals, QStringLiteral("validation rows"));
    mCurves[2]->finish(false);
}

} // namespace plumb::ui
