#pragma once

#include <QStringList>

class QWidget;

namespace plumb::ui {

// What a person would see cut in `root` as it is laid out now, one line per widget, naming it by
// its object name or text ("QPushButton 'Compute' is 61 px wide and needs 78"):
// - a visible widget that reaches outside its parent (except the content of a scroll area, which
//   scrolls),
// - a button, spin box or combo box narrower than its smallest readable size,
// - a one-line label whose text is wider than the label (a number cut to "0.98" reads as a
//   different value), or a number elided with "…".
// Empty when everything is fully visible. Used by --screenshot at every size it renders.
QStringList layoutProblems(const QWidget *root);

} // namespace plumb::ui
