#pragma once

#include "ui/common/theme.h"

#include <qcustomplot.h>

namespace plumb::ui::chart {

// The look every workbench chart shares: muted axes and light grid lines, one blue accent,
// a small bold title above the plot. The colours are the active scheme's (ui/theme.h).
inline QColor accent()
{
    return themeColors().accent;
}
inline QColor secondAccent()
{
    return themeColors().secondAccent;
}
inline QColor axisText()
{
    return themeColors().chartAxisText;
}
inline QColor grid()
{
    return themeColors().chartGrid;
}
inline QColor reference()
{
    return themeColors().chartReference;
}
// Value labels and error bars drawn on the plot.
inline QColor labelText()
{
    return themeColors().chartTitle;
}

// Distinct colours for series drawn together (one per class), the accent first; cycles after 8.
QColor seriesColor(int index);
// Smaller muted tick labels in the views' number format (NumberTicker), light grid, no sub-ticks.
void styleAxis(QCPAxis *axis);
// A plot with the scheme's background, styled axes and a title row above the axis rect. The plot
// follows later scheme changes (recolor()).
void stylePlot(QCustomPlot *plot, const QString &title);
// A muted text item centred on the axis rect, for what a chart says when it has nothing to draw.
QCPItemText *addCentredMessage(QCustomPlot *plot);
// Shows `message` in `item` over bare axes (no tick labels, no grid lines); does not replot.
void showMessageOnBareAxes(QCustomPlot *plot, QCPItemText *item, const QString &message);
// Styles a legend: the scheme's translucent background, a grid-coloured border, body text.
void styleLegend(QCPLegend *legend);

// Ticks labelled in the views' one number format (formatNumber: 1,472,135, 0.25, 2.5e-06), so a
// chart's axis reads like the numbers beside it. With integer steps (counts), ticks fall on whole
// numbers only, at least 1 apart, so no two ticks carry the same label ("0 0 1 1 1").
class NumberTicker : public QCPAxisTicker
{
public:
    explicit NumberTicker(bool integerSteps = false) : mIntegerSteps(integerSteps) { }
    bool hasIntegerSteps() const { return mIntegerSteps; }

protected:
    double getTickStep(const QCPRange &range) override;
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override;

private:
    bool mIntegerSteps;
    double mStep = 0;
};

// Sets the tick count of `axis` so that labels of numbers between `lower` and `upper` sit side by
// side without touching at the axis's current length (at most `most`, at least 2).
void fitTickCount(QCPAxis *axis, double lower, double upper, int most);

// Recolours `plot` whenever the scheme changes (recolor()); stylePlot does this already.
void followTheme(QCustomPlot *plot);

// Moves the legend of a plot styled by stylePlot out of the axis rect onto its own row between the
// title and the axes, where it never covers a point, its entries side by side (wrapping after four).
void placeLegendAboveAxes(QCustomPlot *plot);

// Changes the title set by stylePlot.
void setTitle(QCustomPlot *plot, const QString &title);

// Repaints a plot drawn in scheme `from` in scheme `to`: every colour of `from` that the plot uses
// (background, axes, grid, legend, texts, items, graph pens and brushes) becomes the same role's
// colour in `to`; series colours stay. Replots.
void recolor(QCustomPlot *plot, const ThemeColors &from, const ThemeColors &to);

} // namespace plumb::ui::chart
