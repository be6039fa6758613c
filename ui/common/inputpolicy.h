#pragma once

#include <QObject>

class QTabWidget;
class QWidget;

namespace plumb::ui {

// Keyboard and mouse habits applied to every widget of the application at once, so no view can
// forget them:
// - the mouse wheel over a spin box, combo box or slider that does not have focus scrolls the
//   panel around it and leaves the value alone (such fields take focus by click or Tab only);
// - Tab leaves item views (tables, lists, trees) for the next control; their cells are walked
//   with the arrow keys;
// - Ctrl+PgUp / Ctrl+PgDn switch to the previous / next tab of the tab widget around the focus.
class InputPolicy : public QObject
{
    Q_OBJECT

public:
    // Installs the policy on the running QApplication; calling it again does nothing.
    static void install();

    // The tab widget Ctrl+PgUp/PgDn acts on from `focus`: the innermost one around it, else the
    // first visible one in its window. Null when there is none.
    static QTabWidget *tabWidgetFor(QWidget *focus);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};

} // namespace plumb::ui
