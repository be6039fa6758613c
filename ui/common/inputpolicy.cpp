#include "ui/common/inputpolicy.h"

#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTabWidget>
#include <QWheelEvent>

namespace plumb::ui {

namespace {

// Fields whose value the wheel would change: spin boxes (and date/time edits), combo boxes and
// sliders. Scroll bars are sliders too, but scrolling is their job.
bool isValueField(const QWidget *widget)
{
    if (qobject_cast<const QScrollBar *>(widget))
        return false;
    return qobject_cast<const QAbstractSpinBox *>(widget) || qobject_cast<const QComboBox *>(widget)
        || qobject_cast<const QAbstractSlider *>(widget);
}

// Hands a wheel event to the widgets around `field`, innermost first, until one takes it: what
// Qt itself does with a wheel event a widget ignores (QApplication::notify propagates only
// spontaneous events, so this also serves events a test or another widget sends).
void scrollAround(QWidget *field, const QWheelEvent &wheel)
{
    QPointF position = wheel.position();
    for (QWidget *widget = field; !widget->isWindow() && widget->parentWidget(); widget = widget->parentWidget()) {
        position += widget->pos();
        QWidget *parent = widget->parentWidget();
        QWheelEvent forwarded(position, wheel.globalPosition(), wheel.pixelDelta(), wheel.angleDelta(), wheel.buttons(),
                              wheel.modifiers(), wheel.phase(), wheel.inverted(), wheel.source(), wheel.pointingDevice());
        QCoreApplication::sendEvent(parent, &forwarded);
        if (forwarded.isAccepted())
            return;
    }
}

} // namespace

void InputPolicy::install()
{
    auto *application = qobject_cast<QApplication *>(QCoreApplication::instance());
    if (!application || application->findChild<InputPolicy *>(QString(), Qt::FindDirectChildrenOnly))
        return;
    auto *policy = new InputPolicy(application);
    application->installEventFilter(policy);
    // Widgets made before the policy were polished without it: give them the same settings.
    QEvent polish(QEvent::Polish);
    for (QWidget *widget : QApplication::allWidgets())
        policy->eventFilter(widget, &polish);
}

QTabWidget *InputPolicy::tabWidgetFor(QWidget *focus)
{
    if (!focus)
        return nullptr;
    for (QWidget *widget = focus; widget; widget = widget->parentWidget())
        if (auto *tabs = qobject_cast<QTabWidget *>(widget); tabs && tabs->count() > 1)
            return tabs;
    for (QTabWidget *tabs : focus->window()->findChildren<QTabWidget *>())
        if (tabs->isVisible() && tabs->count() > 1)
            return tabs;
    return nullptr;
}

bool InputPolicy::eventFilter(QObject *watched, QEvent *event)
{
    if (!watched->isWidgetType())
        return false;
    auto *widget = static_cast<QWidget *>(watched);
    switch (event->type()) {
    case QEvent::Polish:
        // Focus by click or Tab only: Qt::WheelFocus would hand the field focus, and the value
        // to the wheel, as the pointer passes over it.
        if (isValueField(widget) && widget->focusPolicy() == Qt::WheelFocus)
            widget->setFocusPolicy(Qt::StrongFocus);
        if (auto *view = qobject_cast<QAbstractItemView *>(widget))
            view->setTabKeyNavigation(false);
        return false;
    case QEvent::Wheel:
        if (!isValueField(widget) || widget->hasFocus())
            return false;
        scrollAround(widget, *static_cast<QWheelEvent *>(event));
        event->accept();
        return true;
    case QEvent::KeyPress: {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool previous = key->key() == Qt::Key_PageUp;
        if (key->modifiers() != Qt::ControlModifier || (!previous && key->key() != Qt::Key_PageDown))
            return false;
        QTabWidget *tabs = tabWidgetFor(widget);
        if (!tabs)
            return false;
        // Wrap round, as Ctrl+Tab does in QTabWidget; skip disabled tabs.
        int index = tabs->currentIndex();
        for (int step = 0; step < tabs->count(); ++step) {
            index = (index + (previous ? tabs->count() - 1 : 1)) % tabs->count();
            if (tabs->isTabEnabled(index))
                break;
        }
        tabs->setCurrentIndex(index);
        return true;
    }
    default:
        return false;
    }
}

} // namespace plumb::ui
