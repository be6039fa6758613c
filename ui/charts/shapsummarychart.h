#pragma once

#include "learn/shapsummary.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QCustomPlot;
class QCPItemText;
class QCPColorScale;
class QCPRange;

namespace plumb::ui {

// The SHAP summary of a model's validation rows, as stored with the model: on the left, mean
// |SHAP| per feature as horizontal bars (most important at the top); on the right, the beeswarm:
// one row per feature in the same order, one point per explained row at its SHAP value, jittered
// vertically where points crowd, coloured by where the feature's value lies among the rows (low to
// high; categorical features and missing values in a neutral grey). The x axis names the output
// explained ("SHAP value (log-odds of 'yes')") and the base value. For three classes or more a
// box picks the class whose beeswarm is shown; the bars are the mean over the classes.
class ShapSummaryChart : public QWidget
{
    Q_OBJECT

public:
    explicit ShapSummaryChart(QWidget *parent = nullptr);

    // Shows at most `limit` features, the most important first.
    void showSummary(const ShapSummary &summary, int limit = 12);
    // Shows a sentence instead of the charts ("SHAP summary not available for knn models ...").
    void showMessage(const QString &message);

    // For tests: the features drawn, top to bottom; the points in the beeswarm; the message shown
    // (empty while charts are shown); the beeswarm's x-axis title; the output picked.
    QStringList shownFeatures() const { return mShown; }
    int pointCount() const;
    QString message() const;
    QString axisTitle() const;
    QString note() const;
    QComboBox *outputBox() const { return mOutput; }
    QCustomPlot *barsPlot() const { return mBars; }
    QCustomPlot *beeswarmPlot() const { return mSwarm; }

private:
    void drawBars();
    void drawBeeswarm(int output);
    // The parts of drawBeeswarm: the x range of the shown features' values for `output`, padded
    // 5% each side (zero always inside); the points, one graph per colour step; the feature rows,
    // the x axis with its zero line and title; the low-to-high colour legend.
    QCPRange beeswarmRange(std::size_t output) const;
    void plotBeeswarmPoints(std::size_t output, const QCPRange &range);
    void styleBeeswarmAxes(std::size_t output, const QCPRange &range);
    void showColourScale();

    ShapSummary mSummary;
    std::vector<std::size_t> mOrder; // feature indices drawn, top first
    QStringList mShown;
    QLabel *mHeading;
    QLabel *mNote;
    QLabel *mOutputLabel;
    QComboBox *mOutput;
    QCustomPlot *mBars;
    QCustomPlot *mSwarm;
    QCPItemText *mBarsMessage;
    QString mMessage; // the sentence shown instead of a summary, unwrapped
    QCPColorScale *mScale = nullptr;
};

} // namespace plumb::ui
