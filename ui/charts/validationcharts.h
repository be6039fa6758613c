#pragma once

#include "learn/evaluation.h"

class QStackedWidget;
class QWidget;

namespace plumb::ui {

class ConfusionChart;
class CurveChart;

// The charts of one validation, drawn from an Evaluation. Classification: the confusion matrix,
// then ROC, precision-recall and calibration curves (one line per class, one vs rest, for more
// than two classes). Regression: predicted against actual, then residuals against predicted, the
// distribution of residuals and residuals against actual. The Train view's results and the
// Models view's validation tab each lay the first chart and the three curves out themselves; the
// widgets are created here and owned by whatever layout takes them.
class ValidationCharts
{
public:
    ValidationCharts();

    // The confusion matrix or predicted-vs-actual, whichever suits the task shown.
    QWidget *firstChart() const;
    // The three charts of the second row (index 0..2), or nullptr.
    CurveChart *curveChart(int index) const;
    ConfusionChart *confusionChart() const { return mConfusion; }

    void showEvaluation(const Evaluation &evaluation);
    // Clears every chart and writes `message` in the middle of each (nothing stored to draw).
    void showMessage(const QString &message);

private:
    void showClassification(const Evaluation &evaluation);
    void showOneVsRest(const Evaluation &evaluation);
    void showRegression(const Evaluation &evaluation);

    QStackedWidget *mFirstChart;
    ConfusionChart *mConfusion;
    CurveChart *mScatter;
    CurveChart *mCurves[3];
};

} // namespace plumb::ui
