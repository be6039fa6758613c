#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace plumb::ui {

// The most recently opened files and workspaces, newest first, kept in QSettings under
// "recentFiles" when persistent. Fills a menu whose entries emit openRequested.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaximum = 10;

    // A persistent list reads QSettings now and writes it on every change.
    explicit RecentFiles(bool persistent, QObject *parent = nullptr);

    const QStringList &paths() const { return mPaths; }
    // Moves `path` to the front (adding it if new) and drops the oldest beyond kMaximum.
    void add(const QString &path);
    void clear();
    // Keeps `menu` in step with the list from now on.
    void attachMenu(QMenu *menu);

signals:
    void openRequested(const QString &path);
    void changed();

private:
    void rebuildMenu();
    void save() const;

    bool mPersistent;
    QStringList mPaths;
    QMenu *mMenu = nullptr;
};

} // namespace plumb::ui
