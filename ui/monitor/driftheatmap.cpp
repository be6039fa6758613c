#include "ui/monitor/driftheatmap.h"

#include "ui/charts/chartstyle.h"
#include "ui/common/theme.h"
#include "ui/monitor/driftformat.h"
#include "ui/monitor/windowchart.h"

#include "monitor/driftseverity.h"

#include <QToolTip>

#include <cmath>

namespace plumb::ui {

namespace {

// The HTML report's colours (monitor/driftseverity.h).
QCPColorGradient severityGradient()
{
    QCPColorGradient gradient;
    for (const SeverityStop &stop : kSeverityStops)
        gradient.setColorStopAt(stop.position, QColor(stop.red, stop.green, stop.blue));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(kUnscoredColour.red, kUnscoredColour.green, kUnscoredColour.blue));
    return gradient;
}

// Labels every k-th tick so that long series stay readable.
QSharedPointer<QCPAxisTickerText> textTicker(const QStringList &labels, int maxLabels)
{
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = std::max(1, int(std::ceil(double(labels.size()) / double(maxLabels))));
    for (int i = 0; i < labels.size(); i += step)
        ticker->addTick(i, labels[i]);
    return ticker;
}

} // namespace

DriftHeatMap::DriftHeatMap(QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, QStringLiteral("Drift by feature and window"));
    setMouseTracking(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    yAxis->setRangeReversed(true);
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->grid()->setVisible(false);
        axis->setTickLength(0, 3);
    }
    mMap = new QCPColorMap(xAxis, yAxis);
    mMap->setInterpolate(false);
    mMap->setGradient(severityGradient());
    mMap->setDataRange(QCPRange(-1, 1));
    mScale = new QCPColorScale(this);
    mScale->setType(QCPAxis::atRight);
    mScale->setGradient(severityGradient());
    mScale->setDataRange(QCPRange(-1, 1));
    mScale->setBarWidth(10);
    QSharedPointer<QCPAxisTickerText> scaleTicks(new QCPAxisTickerText);
    scaleTicks->addTick(-1, QStringLiteral("\u2264 0.1\u00d7"));
    scaleTicks->addTick(0, QStringLiteral("threshold"));
    scaleTicks->addTick(1, QStringLiteral("\u2265 10\u00d7"));
    mScale->axis()->setTicker(scaleTicks);
    chart::styleAxis(mScale->axis());
    plotLayout()->addElement(1, 1, mScale);
    mMap->setColorScale(mScale);
    auto *margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    mScale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    mDrifted = addGraph();
    mDrifted->setLineStyle(QCPGraph::lsNone);
    mDrifted->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, themeColors().severityMark, 6));
    mOtherAlerts = addGraph();
    mOtherAlerts->setLineStyle(QCPGraph::lsNone);
    mOtherAlerts->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(themeColors().severityMark, 1.5), Qt::NoBrush, 8));
    // The selected cell: an accent frame inside the cell, over the marks, on any cell colour.
    mSelection = new QCPItemRect(this);
    mSelection->setPen(QPen(chart::accent(), 2.5));
    mSelection->setBrush(Qt::NoBrush);
    mSelection->setVisible(false);
    clear();
}

void DriftHeatMap::clear()
{
    mReport = {};
    mMap->data()->clear();
    mDrifted->data()->clear();
    mOtherAlerts->data()->clear();
    mSelected.reset();
    mSelection->setVisible(false);
    mMap->setVisible(false);
    replot();
}

void DriftHeatMap::setReport(const DriftReport &report)
{
    mReport = report;
    mSelected.reset();
    mSelection->setVisible(false);
    const int windows = int(report.windows.size());
    const int columns = int(report.columns.size());
    mMap->setVisible(windows > 0 && columns > 0);
    mMap->data()->setSize(windows, columns);
    mMap->data()->setRange(QCPRange(0, std::max(0, windows - 1)), QCPRange(0, std::max(0, columns - 1)));
    QVector<double> keys, values;
    for (int w = 0; w < windows; ++w)
        for (int c = 0; c < columns; ++c) {
            mMap->data()->setCell(w, c, cellLevel(std::size_t(c), std::size_t(w)));
            const DriftCell &cell = report.cells[std::size_t(w)][std::size_t(c)];
            if (cell.score && cell.score->drifted) {
                keys.append(w);
                values.append(c);
            }
        }
    mDrifted->setData(keys, values, true);
    // Alerts on cells that did not drift (a missing rate that moved): a ring.
    QVector<double> ringKeys, ringValues;
    for (const DriftAlert &alert : report.alerts) {
        const qsizetype c = report.columns.indexOf(alert.column);
        const auto &score = c >= 0 ? report.cells[alert.window][std::size_t(c)].score : std::nullopt;
        if (c >= 0 && !(score && score->drifted)) {
            ringKeys.append(double(alert.window));
            ringValues.append(double(c));
        }
    }
    mOtherAlerts->setData(ringKeys, ringValues, true);
    QStringList windowLabels;
    for (const WindowDrift &window : report.windows)
        windowLabels.append(window.label);
    QStringList columnLabels;
    for (int c = 0; c < columns; ++c)
        columnLabels.append(report.roles[std::size_t(c)] == ColumnRole::Target ? report.columns[c] + QStringLiteral(" (target)")
                                                                               : report.columns[c]);
    mWindowLabels = windowLabels;
    xAxis->setTicker(windowTicker(windowLabels, width() - 260));
    yAxis->setTicker(textTicker(columnLabels, 40));
    xAxis->setRange(-0.5, windows - 0.5);
    yAxis->setRange(-0.5, columns - 0.5);
    replot();
}

void DriftHeatMap::setSelectedCell(std::size_t column, std::size_t window)
{
    if (column >= columnCount() || window >= windowCount())
        return;
    mSelected = std::pair(column, window);
    // A little inside the cell, so the frame does not spill onto its neighbours.
    mSelection->topLeft->setCoords(double(window) - 0.45, double(column) - 0.45);
    mSelection->bottomRight->setCoords(double(window) + 0.45, double(column) + 0.45);
    mSelection->setVisible(true);
    replot();
}

double DriftHeatMap::cellLevel(std::size_t column, std::size_t window) const
{
    return driftCellLevel(mReport, column, window);
}

QPoint DriftHeatMap::cellCenter(std::size_t column, std::size_t window) const
{
    return QPoint(int(std::lround(xAxis->coordToPixel(double(window)))), int(std::lround(yAxis->coordToPixel(double(column)))));
}

void DriftHeatMap::resizeEvent(QResizeEvent *event)
{
    // Before the base class replots at the new size.
    xAxis->setTicker(windowTicker(mWindowLabels, event->size().width() - 260));
    QCustomPlot::resizeEvent(event);
}

int DriftHeatMap::driftedMarkCount() const
{
    return mDrifted->dataCount();
}

bool DriftHeatMap::cellAt(const QPoint &position, std::size_t &column, std::size_t &window) const
{
    if (!axisRect()->rect().contains(position) || mReport.windows.empty())
        return false;
    const long w = std::lround(xAxis->pixelToCoord(position.x()));
    const long c = std::lround(yAxis->pixelToCoord(position.y()));
    if (w < 0 || c < 0 || std::size_t(w) >= mReport.windows.size() || c >= mReport.columns.size())
        return false;
    window = std::size_t(w);
    column = std::size_t(c);
    return true;
}

QString DriftHeatMap::cellToolTip(std::size_t column, std::size_t window) const
{
    return cellDescription(mReport, column, window) + QStringLiteral("\n\nClick for the distributions.");
}

void DriftHeatMap::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    std::size_t column = 0, window = 0;
    if (event->buttons() == Qt::NoButton && cellAt(event->pos(), column, window))
        QToolTip::showText(event->globalPosition().toPoint(), cellToolTip(column, window), this);
    else
        QToolTip::hideText();
}

void DriftHeatMap::mousePressEvent(QMouseEvent *event)
{
    mPressPosition = event->pos();
    QCustomPlot::mousePressEvent(event);
}

void DriftHeatMap::mouseReleaseEvent(QMouseEvent *event)
{
    QCustomPlot::mouseReleaseEvent(event);
    std::size_t column = 0, window = 0;
    // A click, not the end of a drag.
    if (event->button() == Qt::LeftButton && (event->pos() - mPressPosition).manhattanLength() < 5
        && cellAt(event->pos(), column, window)) {
        setSelectedCell(column, window);
        emit cellClicked(column, window);
    }
}

} // namespace plumb::ui
