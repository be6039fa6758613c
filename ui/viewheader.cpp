#include "ui/viewheader.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace plumb::ui {

ViewHeader::ViewHeader(const QString &title, const QString &subtitle, QWidget *parent)
    : QFrame(parent), mTitle(new QLabel(title)), mSubtitle(new QLabel(subtitle)), mActions(new QHBoxLayout)
{
    setObjectName(QStringLiteral("ViewHeader"));
    mTitle->setObjectName(QStringLiteral("ViewTitle"));
    mSubtitle->setObjectName(QStringLiteral("ViewSubtitle"));
    mSubtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSubtitle->setTextFormat(Qt::PlainText);
    // A long path must not widen the window: the label may shrink and elide via its tooltip.
    mSubtitle->setMinimumWidth(0);
    mSubtitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

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
    return mSubtitle->text();
}

void ViewHeader::setSubtitle(const QString &subtitle)
{
    mSubtitle->setText(subtitle);
    mSubtitle->setToolTip(subtitle);
}

void ViewHeader::addAction(QWidget *widget)
{
    mActions->addWidget(widget);
}

} // namespace plumb::ui
