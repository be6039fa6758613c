#pragma once

#include <QStringList>

class QCustomPlot;
class QWidget;

namespace plumb::ui {

// What a person would see cut in `root` as it is laid out now, one line per widget, naming it by
// its object name or text ("QPushButton 'Compute' is 61 px wide and needs 78"):
// - a visible widget that reaches outside its parent (except the content of a scroll area, which
//   scrolls),
// - a button, spin box or combo box narrower than its smallest readable size,
// - a one-line label whose text is wider than the label (a number cut to "0.98" reads as a
//   different value), or a number elided with "…",
// - a chart whose plot (the axis rect inside its title, legend and axis labels) is shorter than
//   kReadablePlotHeight; for a chart of labelled rows (a text ticker on its vertical axis, as a
//   bar per class) shorter than one line of tick text per row, when that is less.
// - a scroll area of widgets whose content is wider than its viewport (sidewaysScrollProblems).
// Empty when everything is fully visible. Used by --screenshot at every size it renders.
QStringList layoutProblems(const QWidget *root);

// Each visible scroll area of widgets (a QScrollArea, not a table) in `root` whose content is wider
// than its viewport, one line each ("QScrollArea#ResultsScroll scrolls sideways: its content is
// 852 px wide in a 474 px viewport"): the right of it is out of sight until scrolled sideways, or
// cut where the area hides its horizontal bar. Empty when every pane fits its width.
QStringList sidewaysScrollProblems(const QWidget *root);

// The least height of a chart's plot, in pixels, for its points and grid to be told apart: about
// eight lines of tick-label text. Below it a line chart of twelve windows reads as a flat line
// and a bar chart's bars as a smear.
constexpr int kReadablePlotHeight = 160;

// Raises `plot`'s minimum height whenever its plot is laid out shorter than kReadablePlotHeight,
// by the shortfall (what its title, legend and axis labels take grows with its content: a legend
// row that appears or wraps): a layout then gives it that room, or a scroll area scrolls, and the
// plot is not left below readable. The minimum never goes down again.
void keepPlotReadable(QCustomPlot *plot);

} // namespace plumb::ui
