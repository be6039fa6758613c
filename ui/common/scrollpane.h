#pragma once

#include <QFrame>
#include <QScrollArea>

namespace plumb::ui {

// `content` in a frameless scroll area that gives it the whole width and height it is offered,
// and scroll bars where the window is smaller than its minimum: a pane that scrolls instead of
// squeezing (and cutting) its widgets on a small screen.
inline QScrollArea *scrollPane(QWidget *content, const QString &objectName = QString())
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(objectName);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

} // namespace plumb::ui
