#include "ui/common/emptystateview.h"

#include "ui/common/theme.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace plumb::ui {

namespace {

constexpr int kIconSize = 72;
constexpr int kTextWidth = 560;

// The view icons are drawn in one neutral colour for the navigation; here they take the
// illustration blue unless the page says otherwise (red for an error).
QPixmap tintedIcon(const QString &path, int size, const QColor &color = themeColors().illustration)
{
    QPixmap pixmap = QIcon(path).pixmap(size, size);
    QPainter painter(&pixmap);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.fillRect(pixmap.rect(), color);
    return pixmap;
}

} // namespace

EmptyStateView::EmptyStateView(const QString &iconPath, const QString &heading, const QString &text, QWidget *parent)
    : QWidget(parent), mIcon(new QLabel), mHeading(new QLabel(heading)), mText(new QLabel(text)), mNote(new QLabel),
      mButtons(new QWidget)
{
    mIcon->setPixmap(tintedIcon(iconPath, kIconSize));
    mIcon->setAlignment(Qt::AlignCenter);
    mHeading->setObjectName(QStringLiteral("EmptyHeading"));
    mText->setObjectName(QStringLiteral("EmptyText"));
    mNote->setObjectName(QStringLiteral("EmptyNote"));
    for (QLabel *label : {mHeading, mText, mNote}) {
        label->setAlignment(Qt::AlignCenter);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
    }
    mNote->hide();
    auto *buttons = new QHBoxLayout(mButtons);
    buttons->setContentsMargins(0, 8, 0, 0);
    buttons->setSpacing(8);
    buttons->addStretch();
    buttons->addStretch();
    mButtons->hide();

    // The card has a fixed width and its labels fill it, so wrapped text gets the height it needs.
    auto *card = new QWidget;
    card->setFixedWidth(kTextWidth);
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(0, 0, 0, 0);
    cardLayout->setSpacing(12);
    cardLayout->addWidget(mIcon);
    cardLayout->addSpacing(4);
    for (QWidget *widget :
         {static_cast<QWidget *>(mHeading), static_cast<QWidget *>(mText), static_cast<QWidget *>(mNote), mButtons})
        cardLayout->addWidget(widget);

    auto *row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(card);
    row->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 32, 32, 48);
    layout->addStretch(2);
    layout->addLayout(row);
    layout->addStretch(3);
}

QString EmptyStateView::heading() const
{
    return mHeading->text();
}

QString EmptyStateView::text() const
{
    return mText->text();
}

void EmptyStateView::setMessage(const QString &heading, const QString &text)
{
    mHeading->setText(heading);
    mText->setText(text);
}

void EmptyStateView::setIcon(const QString &iconPath, const QColor &color)
{
    mIcon->setPixmap(tintedIcon(iconPath, kIconSize, color));
}

void EmptyStateView::setTextSelectable(bool selectable)
{
    mText->setTextInteractionFlags(selectable ? Qt::TextSelectableByMouse : Qt::NoTextInteraction);
}

void EmptyStateView::setNote(const QString &note)
{
    mNote->setText(note);
    mNote->setVisible(!note.isEmpty());
}

QPushButton *EmptyStateView::addButton(const QString &label)
{
    auto *button = new QPushButton(label);
    auto *layout = static_cast<QHBoxLayout *>(mButtons->layout());
    // Buttons sit between the two stretches, so the row stays centred.
    layout->insertWidget(layout->count() - 1, button);
    if (layout->count() == 3) {
        button->setDefault(true);
        button->setObjectName(QStringLiteral("PrimaryButton"));
    }
    mButtons->show();
    return button;
}

} // namespace plumb::ui
