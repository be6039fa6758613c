#include "ui/common/recentfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace plumb::ui {

namespace {

const QString kSettingsKey = QStringLiteral("recentFiles");

} // namespace

RecentFiles::RecentFiles(bool persistent, QObject *parent) : QObject(parent), mPersistent(persistent)
{
    if (mPersistent)
        mPaths = QSettings().value(kSettingsKey).toStringList().mid(0, kMaximum);
}

void RecentFiles::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    mPaths.removeAll(absolute);
    mPaths.prepend(absolute);
    while (mPaths.size() > kMaximum)
        mPaths.removeLast();
    save();
    rebuildMenu();
    emit changed();
}

void RecentFiles::clear()
{
    mPaths.clear();
    save();
    rebuildMenu();
    emit changed();
}

void RecentFiles::attachMenu(QMenu *menu)
{
    mMenu = menu;
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    if (!mMenu)
        return;
    mMenu->clear();
    for (int i = 0; i < mPaths.size(); ++i) {
        const QString &path = mPaths[i];
        const QString name = QFileInfo(path).fileName();
        // "&1 churn.csv — /home/me/data": numbered for the keyboard, folder for telling apart.
        const QString number = i < 9 ? QStringLiteral("&%1").arg(i + 1) : QString::number(i + 1);
        const QString label
            = QStringLiteral("%1  %2  \u2014  %3").arg(number, name, QDir::toNativeSeparators(QFileInfo(path).path()));
        QAction *action = mMenu->addAction(label);
        action->setToolTip(path);
        // Queued: what the entry starts may rebuild this menu, which deletes the triggering action.
        connect(
            action, &QAction::triggered, this, [this, path] { emit openRequested(path); }, Qt::QueuedConnection);
    }
    if (mPaths.isEmpty()) {
        mMenu->addAction(QStringLiteral("No recent files"))->setEnabled(false);
        return;
    }
    mMenu->addSeparator();
    connect(mMenu->addAction(QStringLiteral("Clear Recent Files")), &QAction::triggered, this, &RecentFiles::clear,
            Qt::QueuedConnection);
}

void RecentFiles::save() const
{
    if (mPersistent)
        QSettings().setValue(kSettingsKey, mPaths);
}

} // namespace plumb::ui
