#include "ui/common/viewframe.h"

#include "ui/common/emptystateview.h"
#include "ui/common/progresspanel.h"
#include "ui/common/viewheader.h"

#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace plumb::ui {

namespace {

bool inside(const QList<QWidget *> &parts, const QWidget *widget)
{
    return std::any_of(parts.begin(), parts.end(),
                       [widget](const QWidget *part) { return part == widget || part->isAncestorOf(widget); });
}

// The widgets Tab reaches inside `parts`, in the order of the focus chain that `root` is in.
QList<QWidget *> tabStops(QWidget *root, const QList<QWidget *> &parts)
{
    QList<QWidget *> stops;
    QWidget *widget = root->nextInFocusChain();
    for (; widget && widget != root; widget = widget->nextInFocusChain())
        if ((widget->focusPolicy() & Qt::TabFocus) && inside(parts, widget))
            stops.append(widget);
    return stops;
}

} // namespace

ViewFrame::ViewFrame(const QString &title, const QString &subtitle, QWidget *parent)
    : QWidget(parent), mLayout(new QVBoxLayout(this)), mHeader(new ViewHeader(title, subtitle)), mBanner(new MessageBanner),
      mProgress(new ProgressPanel), mPages(new QStackedWidget)
{
    mLayout->setContentsMargins(0, 0, 0, 0);
    mLayout->setSpacing(0);
    mLayout->addWidget(mHeader);
    mLayout->addWidget(mBanner);
    mLayout->addWidget(mProgress);
    mLayout->addWidget(mPages, 1);
    connect(mProgress, &ProgressPanel::cancelRequested, this, &ViewFrame::cancelRequested);
}

void ViewFrame::setSubtitle(const QString &subtitle)
{
    mHeader->setSubtitle(subtitle);
}

void ViewFrame::addAction(QWidget *action)
{
    mHeader->addAction(action);
    mActions.append(action);
    keepFocusOrder();
}

void ViewFrame::addStrip(QWidget *strip, StripPlace place)
{
    if (place == StripPlace::BelowHeader) {
        mLayout->insertWidget(mLayout->indexOf(mBanner), strip);
        mStripsBelowHeader.append(strip);
    } else {
        mLayout->insertWidget(mLayout->indexOf(mProgress), strip);
        mStripsBelowBanner.append(strip);
    }
    keepFocusOrder();
}

void ViewFrame::keepFocusOrder()
{
    // What a view adds after the frame was built (its actions, its strips) joins the end of the
    // focus chain, behind the frame's own banner and progress panel. Those move back behind it,
    // so Tab goes down the frame as it reads: actions, strips, banner, progress, content.
    const QList<QWidget *> above = tabStops(this, QList<QWidget *>{mHeader} + mStripsBelowHeader);
    QWidget *previous = above.isEmpty() ? nullptr : above.last();
    const auto follow = [this, &previous](const QList<QWidget *> &stops) {
        for (QWidget *stop : stops) {
            if (previous)
                setTabOrder(previous, stop);
            previous = stop;
        }
    };
    follow(tabStops(this, {mBanner}));
    if (const QList<QWidget *> strips = tabStops(this, mStripsBelowBanner); !strips.isEmpty())
        previous = strips.last();
    follow(tabStops(this, {mProgress}));
}

void ViewFrame::showMessage(MessageBanner::Kind kind, const QStringList &messages)
{
    mBanner->showMessages(kind, messages);
}

void ViewFrame::dismissMessage()
{
    mBanner->dismiss();
}

void ViewFrame::showProgress(std::shared_ptr<const ProgressTracker> tracker, const QString &title)
{
    mProgress->track(std::move(tracker), title);
}

void ViewFrame::hideProgress()
{
    mProgress->finish();
}

EmptyStateView *ViewFrame::setEmptyState(const QString &iconPath, const QString &heading, const QString &text)
{
    Q_ASSERT(!mEmpty);
    mEmpty = new EmptyStateView(iconPath, heading, text);
    mPages->insertWidget(0, mEmpty);
    mPages->setCurrentIndex(0);
    return mEmpty;
}

int ViewFrame::addPage(QWidget *page)
{
    return mPages->addWidget(page);
}

void ViewFrame::showPage(int index)
{
    mPages->setCurrentIndex(index);
}

void ViewFrame::showPage(QWidget *page)
{
    mPages->setCurrentWidget(page);
}

int ViewFrame::currentPageIndex() const
{
    return mPages->currentIndex();
}

void ViewFrame::setBody(QWidget *body)
{
    mLayout->addWidget(body, 1);
}

} // namespace plumb::ui
