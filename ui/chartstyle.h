#pragma once

#include <qcustomplot.h>

namespace plumb::ui::chart {

// The look every workbench chart shares: muted axes and light grid lines, one blue accent,
// a small bold title above the plot.
inline const QColor kAccent(0x25, 0x63, 0xeb);
inline const QColor kSecondAccent(0xf5, 0x9e, 0x0b);
inline const QColor kAxisText(0x6b, 0x72, 0x80);
inline const QColor kGrid(0xe5, 0xe7, 0xeb);
inline const QColor kReference(0x9c, 0xa3, 0xaf);

// Distinct colours for series drawn together (one per class), the accent first; cycles after 8.
QColor seriesColor(int index);
// Smaller muted tick labels, light grid, no sub-ticks.
void styleAxis(QCPAxis *axis);
// A plot with a white background, styled axes and a title row above the axis rect.
void stylePlot(QCustomPlot *plot, const QString &title);
// A muted text item centred on the axis rect, for what a chart says when it has nothing to draw.
QCPItemText *addCentredMessage(QCustomPlot *plot);
// Shows `message` in `item` over bare axes (no tick labels, no grid lines); does not replot.
void showMessageOnBareAxes(QCustomPlot *plot, QCPItemText *item, const QString &message);

// Changes the title set by stylePlot.
void setTitle(QCustomPlot *plot, const QString &title);

} // namespace plumb::ui::chart
