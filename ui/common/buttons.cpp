#include "ui/common/buttons.h"

#include <QApplication>
#include <QClipboard>
#include <QIcon>
#include <QPushButton>
#include <QTimer>

namespace plumb::ui {

QPushButton *createHeaderButton(const QString &text, const QString &iconPath)
{
    auto *button = new QPushButton(text);
    button->setObjectName(QStringLiteral("HeaderButton"));
    if (!iconPath.isEmpty())
        button->setIcon(QIcon(iconPath));
    return button;
}

QPushButton *createCopyButton(std::function<QString()> text)
{
    QPushButton *button = createHeaderButton(QStringLiteral("Copy"), QStringLiteral(":/icons/copy.svg"));
    QObject::connect(button, &QPushButton::clicked, button, [button, text = std::move(text)] {
        QApplication::clipboard()->setText(text());
        button->setText(QStringLiteral("Copied"));
        QTimer::singleShot(1500, button, [button] { button->setText(QStringLiteral("Copy")); });
    });
    return button;
}

} // namespace plumb::ui
