#include "ui/messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace plumb::ui {

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent), mIcon(new QLabel), mText(new QLabel), mDetails(new QPushButton(QStringLiteral("Details\u2026")))
{
    mText->setWordWrap(true);
    mText->setTextFormat(Qt::PlainText);
    mText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mText->setObjectName(QStringLiteral("BannerText"));
    mDetails->setObjectName(QStringLiteral("BannerButton"));
    mDetails->setCursor(Qt::PointingHandCursor);

    auto *close = new QToolButton;
    close->setObjectName(QStringLiteral("BannerClose"));
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(QStringLiteral("Dismiss"));
    close->setAutoRaise(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(24, 10, 12, 10);
    layout->setSpacing(10);
    layout->addWidget(mIcon, 0, Qt::AlignTop);
    layout->addWidget(mText, 1);
    layout->addWidget(mDetails, 0, Qt::AlignVCenter);
    layout->addWidget(close, 0, Qt::AlignVCenter);

    connect(mDetails, &QPushButton::clicked, this, &MessageBanner::showDetails);
    connect(close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    hide();
}

void MessageBanner::showMessages(Kind kind, const QStringList &messages)
{
    if (messages.isEmpty()) {
        dismiss();
        return;
    }
    mKind = kind;
    mMessages = messages;
    const bool error = kind == Kind::Error;
    setObjectName(error ? QStringLiteral("ErrorBanner") : QStringLiteral("WarningBanner"));
    // The style sheet selects on the object name: re-polish so the new colours apply.
    style()->unpolish(this);
    style()->polish(this);
    const QStyle::StandardPixmap pixmap = error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning;
    mIcon->setPixmap(style()->standardIcon(pixmap).pixmap(20, 20));

    QString text = messages.first();
    if (!error) {
        const QString count = messages.size() == 1 ? QStringLiteral("1 warning")
                                                   : QStringLiteral("%1 warnings").arg(messages.size());
        text = QStringLiteral("%1: %2").arg(count, messages.first());
    }
    if (messages.size() > 1)
        text += QStringLiteral(" (and %1 more)").arg(messages.size() - 1);
    mText->setText(text);
    mDetails->setVisible(messages.size() > 1);
    show();
}

void MessageBanner::dismiss()
{
    mMessages.clear();
    mText->clear();
    hide();
}

QString MessageBanner::text() const
{
    return mText->text();
}

void MessageBanner::showDetails()
{
    QMessageBox box(mKind == Kind::Error ? QMessageBox::Critical : QMessageBox::Warning,
                    mKind == Kind::Error ? QStringLiteral("Errors") : QStringLiteral("Warnings"),
                    QStringLiteral("%1 messages").arg(mMessages.size()), QMessageBox::Close, window());
    box.setDetailedText(mMessages.join(QLatin1Char('\n')));
    box.exec();
}

} // namespace plumb::ui
