#pragma once

#include "learn/evaluation.h"
#include "ui/charts/validationcharts.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableWidget;

namespace plumb::ui {

class ConfusionChart;
class CurveChart;
class ImportanceChart;
class ShapSummaryChart;
struct TrainingRun;

// The results of one training run, measured on its validation rows: the metrics table (with the
// spread over folds for k-fold), and the charts for its task. Classification: the confusion
// matrix, ROC, precision-recall and calibration curves (one line per class, one vs rest, for
// more than two classes). Regression: predicted
// against actual, residuals against predicted and the distribution of residuals. Both: the
// permutation importance of each feature and, below, the SHAP summary (mean |SHAP| and beeswarm)
// for models explained exactly.
class TrainResultsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainResultsPanel(QWidget *parent = nullptr);

    void showRun(std::shared_ptr<const TrainingRun> run);
    std::shared_ptr<const TrainingRun> run() const { return mRun; }

    QTableWidget *metricsTable() const { return mMetrics; }
    ConfusionChart *confusionChart() const { return mCharts.confusionChart(); }
    ImportanceChart *importanceChart() const { return mImportance; }
    ShapSummaryChart *shapChart() const { return mShap; }
    // The three curve charts in the second row (ROC/PR/calibration, or the regression plots).
    CurveChart *curveChart(int index) const { return mCharts.curveChart(index); }

private:
    void showMetrics(const TrainingRun &run);

    std::shared_ptr<const TrainingRun> mRun;
    QLabel *mTitle;
    QLabel *mDetails;
    QTableWidget *mMetrics;
    ValidationCharts mCharts;
    ImportanceChart *mImportance;
    ShapSummaryChart *mShap;
};

} // namespace plumb::ui
