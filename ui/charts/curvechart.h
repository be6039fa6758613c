#pragma once

#include <qcustomplot.h>

#include <vector>

namespace plumb::ui {

// A titled x-y chart for validation results: curves (ROC, precision-recall, calibration) or point
// clouds (predicted against actual, residuals), with an optional dashed reference line and a
// legend. When there is nothing to draw it says why in its middle. Long series are thinned to
// every k-th point (at most 2,000 per line, 5,000 per cloud) so that drawing never stalls.
class CurveChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit CurveChart(const QString &title, QWidget *parent = nullptr);

    // Removes everything drawn and sets the title and axis labels for what comes next.
    void reset(const QString &title, const QString &xLabel, const QString &yLabel);
    // A line through the points in the order given (x may run backwards, as recall does);
    // `steps` draws a staircase that holds each y until the next x (matplotlib's steps-post).
    // `color` defaults to the accent.
    void addLine(const std::vector<double> &x, const std::vector<double> &y, const QString &name, bool steps = false,
                 const QColor &color = {});
    // Unconnected points, translucent so dense clouds show their density.
    void addPoints(const std::vector<double> &x, const std::vector<double> &y, const QString &name);
    // A dashed grey line from (x0, y0) to (x1, y1), such as the diagonal of chance or y = x.
    void addReference(double x0, double y0, double x1, double y1, const QString &name);
    // Fixes the ranges (the unit square for rates and probabilities, else the data with a margin),
    // shows the legend (on its own row under the title, never over the data) and draws.
    void finish(bool unitSquare);
    // Clears the chart and writes `message` in its middle.
    void showMessage(const QString &title, const QString &message);

    // Curves and point sets drawn (the reference line not counted), for tests.
    int seriesCount() const { return mSeries; }

private:
    QCPItemText *mMessage;
    QList<QCPCurve *> mCurves; // lines drawn in their own order; point sets are graphs
    int mSeries = 0;
};

} // namespace plumb::ui
