#include "ui/charts/curvechart.h"

#include "ui/charts/chartstyle.h"
#include "ui/common/layoutcheck.h"

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

// Beyond these the picture does not change but drawing takes long enough to stall the window
// (a 200,000-row validation set gives ROC curves and clouds of that many points).
constexpr std::size_t kMaxLinePoints = 2000;
constexpr std::size_t kMaxCloudPoints = 5000;

// Every k-th index so that at most `limit` remain, always keeping the first and the last.
std::vector<std::size_t> thinned(std::size_t count, std::size_t limit)
{
    std::vector<std::size_t> kept;
    const std::size_t step = count <= limit ? 1 : (count + limit - 1) / limit;
    for (std::size_t i = 0; i < count; i += step)
        kept.push_back(i);
    if (count > 0 && kept.back() != count - 1)
        kept.push_back(count - 1);
    return kept;
}

// The data's extent over every series, with 4% margins; [0, 1] when empty.
QCPRange paddedRange(QCustomPlot *plot, bool keys)
{
    bool found = false;
    QCPRange range;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        bool ok = false;
        const QCPRange part = keys ? plot->plottable(i)->getKeyRange(ok) : plot->plottable(i)->getValueRange(ok);
        if (!ok)
            continue;
        range = found ? QCPRange(std::min(range.lower, part.lower), std::max(range.upper, part.upper)) : part;
        found = true;
    }
    if (!found)
        return {0, 1};
    const double pad = range.size() > 0 ? range.size() * 0.04 : 1.0;
    return {range.lower - pad, range.upper + pad};
}

} // namespace

CurveChart::CurveChart(const QString &title, QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, title);
    setMinimumSize(240, 220);
    keepPlotReadable(this);
    mMessage = chart::addCentredMessage(this);
    mMessage->setVisible(false);
    chart::placeLegendAboveAxes(this);
}

void CurveChart::reset(const QString &title, const QString &xLabel, const QString &yLabel)
{
    clearPlottables();
    mCurves.clear();
    mSeries = 0;
    mMessage->setVisible(false);
    chart::setTitle(this, title);
    xAxis->setLabel(xLabel);
    yAxis->setLabel(yLabel);
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->setTickLabels(true);
        axis->grid()->setVisible(true);
    }
    legend->setVisible(false);
}

void CurveChart::addLine(const std::vector<double> &x, const std::vector<double> &y, const QString &name, bool steps,
                         const QColor &color)
{
    const QColor pen = color.isValid() ? color : chart::accent();
    // A QCPCurve keeps the points' order: a graph would sort them by x.
    auto *curve = new QCPCurve(xAxis, yAxis);
    curve->setName(name);
    curve->setPen(QPen(pen, 2));
    QVector<double> xs, ys;
    std::size_t previous = 0;
    for (std::size_t i : thinned(x.size(), kMaxLinePoints)) {
        if (steps && i > 0) {
            xs.append(x[i]);
            ys.append(y[previous]);
        }
        xs.append(x[i]);
        ys.append(y[i]);
        previous = i;
    }
    curve->setData(xs, ys);
    if (!steps && x.size() <= 20)
        curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, pen, themeColors().chartBackground, 6));
    mCurves.append(curve);
    ++mSeries;
}

void CurveChart::addPoints(const std::vector<double> &x, const std::vector<double> &y, const QString &name)
{
    QCPGraph *graph = addGraph();
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    QColor fill = chart::accent();
    fill.setAlpha(x.size() > 2000 ? 70 : 120);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, fill, fill, 4));
    QVector<double> xs, ys;
    for (std::size_t i : thinned(x.size(), kMaxCloudPoints)) {
        xs.append(x[i]);
        ys.append(y[i]);
    }
    graph->setData(xs, ys);
    ++mSeries;
}

void CurveChart::addReference(double x0, double y0, double x1, double y1, const QString &name)
{
    QCPGraph *graph = addGraph();
    graph->setName(name);
    graph->setPen(QPen(chart::reference(), 1.2, Qt::DashLine));
    graph->setData({x0, x1}, {y0, y1}, true);
}

void CurveChart::finish(bool unitSquare)
{
    if (unitSquare) {
        xAxis->setRange(-0.02, 1.02);
        yAxis->setRange(-0.02, 1.02);
    } else {
        xAxis->setRange(paddedRange(this, true));
        yAxis->setRange(paddedRange(this, false));
    }
    legend->setVisible(plottableCount() > 1);
    replot();
}

void CurveChart::showMessage(const QString &title, const QString &message)
{
    reset(title, {}, {});
    chart::showMessageOnBareAxes(this, mMessage, message);
    replot();
}

} // namespace plumb::ui
