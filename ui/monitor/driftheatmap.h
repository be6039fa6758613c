#pragma once

#include "monitor/driftreport.h"

#include <qcustomplot.h>

#include <optional>
#include <utility>

namespace plumb::ui {

// The features x windows heat map of a drift report: one row per compared column (the first at
// the top), one cell per window, coloured by how far its score is toward or past its threshold
// (white far inside, amber at the threshold, red ten times past it), drifted cells marked with a
// dot, the selected cell outlined, cells with another alert (a missing rate that moved) with a ring. Hovering a cell shows its method, statistic, p-value and threshold; clicking it emits
// cellClicked. Drag pans and the wheel zooms along the windows.
class DriftHeatMap : public QCustomPlot
{
    Q_OBJECT

public:
    explicit DriftHeatMap(QWidget *parent = nullptr);

    void setReport(const DriftReport &report);
    void clear();

    // The cell's value on the colour scale: log10 of thresholdRatio, clamped to [-1, 1]; NaN
    // for a cell without a score or out of range.
    double cellLevel(std::size_t column, std::size_t window) const;
    // The centre of a cell in widget pixels (tests click there).
    QPoint cellCenter(std::size_t column, std::size_t window) const;
    std::size_t columnCount() const { return std::size_t(mReport.columns.size()); }
    std::size_t windowCount() const { return mReport.windows.size(); }
    // The cells marked as drifted.
    int driftedMarkCount() const;
    // The cell outlined as the one shown beside the map (cleared by setReport and clear).
    void setSelectedCell(std::size_t column, std::size_t window);
    std::optional<std::pair<std::size_t, std::size_t>> selectedCell() const { return mSelected; }
    // The cell under a widget position, or false.
    bool cellAt(const QPoint &position, std::size_t &column, std::size_t &window) const;

signals:
    void cellClicked(std::size_t column, std::size_t window);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QString cellToolTip(std::size_t column, std::size_t window) const;

    DriftReport mReport;
    QCPColorMap *mMap;
    QCPGraph *mDrifted;
    QCPGraph *mOtherAlerts;
    QCPItemRect *mSelection;
    std::optional<std::pair<std::size_t, std::size_t>> mSelected; // column, window
    QStringList mWindowLabels;
    QCPColorScale *mScale;
    QPoint mPressPosition;
};

} // namespace plumb::ui
