#include "ui/common/viewheader.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace plumb::ui {

ViewHeader::ViewHeader(const QString &title, const QString &subtitle, QWidget *parent)
    : QFrame(parent), mTitle(new QLabel(title)), mSubtitle(new QLabel(subtitle)), mFullSubtitle(subtitle),
      mActions(new QHBoxLayout)
{
    setObjectName(QStringLiteral("ViewHeader"));
    mTitle->setObjectName(QStringLiteral("ViewTitle"));
    mSubtitle->setObjectName(QStringLiteral("ViewSubtitle"));
    mSubtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSubtitle->setTextFormat(Qt::PlainText);
    // A long path must not widen the window: the label may shrink, and shows the path elided in
    // the middle (its tooltip has it whole).
    mSubtitle->setMinimumWidth(0);
    mSubtitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    mSubtitle->installEventFilter(this);

    auto *text = new QVBoxLayout;
    text->setSpacing(2);
    text->addWidget(mTitle);
    text->addWidget(mSubtitle);

    mActions->setSpacing(8);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->addLayout(text, 1);
    layout->addLayout(mActions);
}

QString ViewHeader::title() const
{
    return mTitle->text();
}

QString ViewHeader::subtitle() const
{
    return mFullSubtitle;
}

void ViewHeader::setSubtitle(const QString &subtitle)
{
    mFullSubtitle = subtitle;
    mSubtitle->setToolTip(subtitle);
    elideSubtitle();
}

bool ViewHeader::eventFilter(QObject *watched, QEvent *event)
{
    // The label's own width: it changes with the header's and with the buttons beside it.
    if (watched == mSubtitle && event->type() == QEvent::Resize)
        elideSubtitle();
    return QFrame::eventFilter(watched, event);
}

void ViewHeader::elideSubtitle()
{
    // Before the first layout the label has no width yet: show the whole text until then.
    const int width = mSubtitle->contentsRect().width();
    mSubtitle->setText(width > 0 ? mSubtitle->fontMetrics().elidedText(mFullSubtitle, Qt::ElideMiddle, width) : mFullSubtitle);
}

void ViewHeader::addAction(QWidget *widget)
{
    mActions->addWidget(widget);
}

} // namespace plumb::ui
