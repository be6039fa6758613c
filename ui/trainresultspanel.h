#pragma once

#include "learn/evaluation.h"

#include <QWidget>

#include <memory>

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace plumb::ui {

class ConfusionChart;
class CurveChart;
class ImportanceChart;
struct TrainingRun;

// The results of one training run, measured on its validation rows: the metrics table (with the
// spread over folds for k-fold), and the charts for its task. Classification: the confusion
// matrix, ROC, precision-recall and calibration curves (one line per class, one vs rest, for
// more than two classes). Regression: predicted
// against actual, residuals against predicted and the distribution of residuals. Both: the
// permutation importance of each feature.
class TrainResultsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainResultsPanel(QWidget *parent = nullptr);

    void showRun(std::shared_ptr<const TrainingRun> run);
    std::shared_ptr<const TrainingRun> run() const { return mRun; }

    QTableWidget *metricsTable() const { return mMetrics; }
    ConfusionChart *confusionChart() const { return mConfusion; }
    ImportanceChart *importanceChart() const { return mImportance; }
    // The three curve charts in the second row (ROC/PR/calibration, or the regression plots).
    CurveChart *curveChart(int index) const;

private:
    void showMetrics(const TrainingRun &run);
    void showClassification(const TrainingRun &run);
    void showOneVsRest(const Evaluation &evaluation);
    void showRegression(const TrainingRun &run);

    std::shared_ptr<const TrainingRun> mRun;
    QLabel *mTitle;
    QLabel *mDetails;
    QTableWidget *mMetrics;
    QStackedWidget *mFirstChart; // the confusion matrix or predicted-vs-actual
    ConfusionChart *mConfusion;
    CurveChart *mScatter;
    CurveChart *mCurves[3];
    ImportanceChart *mImportance;
};

} // namespace plumb::ui
