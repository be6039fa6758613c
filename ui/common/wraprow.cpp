#include "ui/common/wraprow.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <algorithm>

namespace plumb::ui {

namespace {

// The width a layout never gives `widget` less of: its minimum width where one is set, else its
// minimum size hint (its size hint when it must not shrink), as QBoxLayout reads them.
int leastWidth(const QWidget *widget)
{
    if (widget->minimumWidth() > 0)
        return widget->minimumWidth();
    const QSizePolicy::Policy policy = widget->sizePolicy().horizontalPolicy();
    if (policy == QSizePolicy::Ignored)
        return 0;
    const int hint = widget->minimumSizeHint().width();
    return policy & QSizePolicy::ShrinkFlag ? hint : std::max(hint, widget->sizeHint().width());
}

// False for a widget hidden on purpose (not one merely waiting for its window to be shown).
bool takesRoom(const QWidget *widget)
{
    return !(widget->isHidden() && widget->testAttribute(Qt::WA_WState_ExplicitShowHide));
}

} // namespace

WrapRow::WrapRow(QWidget *parent) : QWidget(parent), mLayout(new QVBoxLayout(this))
{
    mLayout->setContentsMargins(0, 0, 0, 0);
    mLayout->setSpacing(mSpacing);
}

void WrapRow::addWidget(QWidget *widget, int stretch)
{
    widget->setParent(this);
    widget->installEventFilter(this);
    mEntries.push_back({widget, stretch});
    mLines.clear(); // laid out again below, whatever the lines were
    arrange();
}

void WrapRow::setSpacing(int spacing)
{
    mSpacing = spacing;
    mLayout->setSpacing(spacing);
    mLines.clear();
    arrange();
}

QSize WrapRow::minimumSizeHint() const
{
    // As narrow as the widest widget (every widget on a line of its own); as tall as the lines
    // are now, which follow the width.
    int width = 0;
    for (const Entry &entry : mEntries)
        if (takesRoom(entry.widget))
            width = std::max(width, leastWidth(entry.widget));
    return {width, mLayout->minimumSize().height()};
}

std::vector<std::size_t> WrapRow::lineStarts(int width) const
{
    std::vector<std::size_t> starts;
    int used = 0;
    for (std::size_t i = 0; i < mEntries.size(); ++i) {
        if (!takesRoom(mEntries[i].widget))
            continue; // rides along on the current line, taking no room
        const int needed = leastWidth(mEntries[i].widget);
        if (starts.empty() || used + mSpacing + needed > width) {
            starts.push_back(starts.empty() ? 0 : i);
            used = needed;
        } else {
            used += mSpacing + needed;
        }
    }
    if (starts.empty())
        starts.push_back(0);
    return starts;
}

void WrapRow::arrange()
{
    const std::vector<std::size_t> starts = lineStarts(width());
    if (starts == mLines && mLayout->count() > 0)
        return;
    mLines = starts;
    // Takes the widgets out of the old lines (they stay this row's children) and lays them out anew.
    while (QLayoutItem *line = mLayout->takeAt(0)) {
        if (QLayout *row = line->layout())
            while (QLayoutItem *item = row->takeAt(0))
                delete item;
        delete line;
    }
    for (std::size_t l = 0; l < starts.size(); ++l) {
        auto *line = new QHBoxLayout;
        line->setSpacing(mSpacing);
        const std::size_t end = l + 1 < starts.size() ? starts[l + 1] : mEntries.size();
        bool stretches = false;
        for (std::size_t i = starts[l]; i < end; ++i) {
            line->addWidget(mEntries[i].widget, mEntries[i].stretch);
            stretches = stretches || mEntries[i].stretch > 0;
        }
        if (!stretches)
            line->addStretch(1); // a table of fixed width alone on its line sits at the left
        mLayout->addLayout(line, 1);
    }
    updateGeometry(); // the height needed follows the lines
}

void WrapRow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrange();
}

bool WrapRow::eventFilter(QObject *watched, QEvent *event)
{
    // A widget shown or hidden changes what fits on a line; a new minimum (a chart asking for
    // more room) too.
    if (event->type() == QEvent::ShowToParent || event->type() == QEvent::HideToParent
        || event->type() == QEvent::LayoutRequest) {
        arrange();
        updateGeometry();
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace plumb::ui
