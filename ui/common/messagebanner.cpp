#include "ui/common/messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

#include <map>

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
    static const std::map<Kind, std::pair<QString, QStyle::StandardPixmap>> kLooks{
        {Kind::Error, {QStringLiteral("ErrorBanner"), QStyle::SP_MessageBoxCritical}},
        {Kind::Warning, {QStringLiteral("WarningBanner"), QStyle::SP_MessageBoxWarning}},
        {Kind::Notice, {QStringLiteral("NoticeBanner"), QStyle::SP_MessageBoxInformation}}};
    const auto &[objectName, pixmap] = kLooks.at(kind);
    setObjectName(objectName);
    // The style sheet selects on the object name: re-polish so the new colours apply.
    style()->unpolish(this);
    style()->polish(this);
    mIcon->setPixmap(style()->standardIcon(pixmap).pixmap(20, 20));

    QString text = messages.first();
    if (kind == Kind::Warning) {
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
    static const std::map<Kind, std::pair<QMessageBox::Icon, QString>> kBoxes{
        {Kind::Error, {QMessageBox::Critical, QStringLiteral("Errors")}},
        {Kind::Warning, {QMessageBox::Warning, QStringLiteral("Warnings")}},
        {Kind::Notice, {QMessageBox::Information, QStringLiteral("Notices")}}};
    const auto &[icon, title] = kBoxes.at(mKind);
    QMessageBox box(icon, title, QStringLiteral("%1 messages").arg(mMessages.size()), QMessageBox::Close, window());
    box.setDetailedText(mMessages.join(QLatin1Char('\n')));
    box.exec();
}

} // namespace plumb::ui
