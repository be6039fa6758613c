#pragma once

#include "ui/common/backgroundjob.h"
#include "ui/models/modeldocument.h"

#include <QAbstractTableModel>
#include <QDateTime>

namespace plumb::ui {

// The .plumb files of one folder as a table: name, task, created, key metric and signature state.
// Each file is read and verified on a worker thread; a file that does not open is listed with its
// error instead of a metric.
class ModelListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, TaskColumn, CreatedColumn, MetricColumn, SignatureColumn, ColumnCount };
    static constexpr int kPathRole = Qt::UserRole + 1;

    struct Entry
    {
        QString path;
        QString name;
        QString task;
        QDateTime created;
        QString metric; // "accuracy 0.8123"
        SignatureStatus signature;
        QString error; // empty when the file opened
    };

    explicit ModelListModel(QObject *parent = nullptr);

    // Lists `directory`'s *.plumb files (not recursive) in the background; an empty or missing
    // folder gives an empty list.
    void setFolder(const QString &directory, const QString &keyringDirectory);
    void refresh();
    QString folder() const { return mFolder; }
    bool isBusy() const { return mJob.isRunning(); }
    const QList<Entry> &entries() const { return mEntries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void listed();

private:
    void finishListing(const QList<Entry> &entries);

    QString mFolder;
    QString mKeyring;
    QList<Entry> mEntries;
    BackgroundJob<QList<Entry>> mJob{this};
};

} // namespace plumb::ui
