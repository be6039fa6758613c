#include "ui/models/modellistmodel.h"

#include "ui/common/theme.h"

#include "ui/models/modelsummarycard.h"
#include "ui/models/modeltrustcard.h"

#include <QDir>
#include <QFileInfo>
#include <QIcon>

#include <algorithm>

namespace plumb::ui {

namespace {

QList<ModelListModel::Entry> listFolder(const QString &directory, const QString &keyring, const ProgressSink &progress)
{
    QList<ModelListModel::Entry> entries;
    const QFileInfoList files = QDir(directory).entryInfoList({QStringLiteral("*.plumb")}, QDir::Files, QDir::Name);
    for (const QFileInfo &file : files) {
        if (progress.isCancelled())
            break;
        ModelListModel::Entry entry;
        entry.path = file.absoluteFilePath();
        entry.name = file.completeBaseName();
        const Result<LoadedModelPtr> model = readModel(entry.path, keyring);
        if (!model) {
            entry.error = model.error().message;
            entries.append(entry);
            continue;
        }
        const LoadedModel &loaded = *model.value();
        if (!loaded.metadata().name.isEmpty())
            entry.name = loaded.metadata().name;
        entry.task = taskLabel(loaded.pipeline().target().task);
        entry.created = loaded.metadata().created;
        if (const auto metric = loaded.keyMetric())
            entry.metric = QStringLiteral("%1 %2").arg(metric->first, formatMetric(metric->second));
        entry.signature = loaded.signature;
        entries.append(entry);
    }
    return entries;
}

} // namespace

ModelListModel::ModelListModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void ModelListModel::setFolder(const QString &directory, const QString &keyringDirectory)
{
    mFolder = directory;
    mKeyring = keyringDirectory;
    refresh();
}

void ModelListModel::refresh()
{
    // A listing still running stops after the file it is reading, and only the new one is shown.
    if (mFolder.isEmpty()) { // no folder is not the current directory
        mJob.cancel();
        beginResetModel();
        mEntries.clear();
        endResetModel();
        emit listed();
        return;
    }
    mJob.start(
        [folder = mFolder, keyring = mKeyring](ProgressTracker &progress) { return listFolder(folder, keyring, progress); },
        [this](const QList<Entry> &entries) { finishListing(entries); });
}

void ModelListModel::finishListing(const QList<Entry> &entries)
{
    beginResetModel();
    mEntries = entries;
    endResetModel();
    emit listed();
}

int ModelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(mEntries.size());
}

int ModelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= mEntries.size())
        return {};
    const Entry &entry = mEntries[index.row()];
    if (role == kPathRole)
        return entry.path;
    if (role == Qt::ToolTipRole)
        return entry.error.isEmpty() ? QDir::toNativeSeparators(entry.path) + QLatin1Char('\n') + entry.signature.describe()
                                     : entry.error;
    if (role == Qt::ForegroundRole && !entry.error.isEmpty())
        return themeColors().bad;
    const ModelTrustCard::SignatureLook look = ModelTrustCard::signatureLook(entry.signature);
    if (role == Qt::DecorationRole && index.column() == SignatureColumn && entry.error.isEmpty())
        return QIcon(look.iconPath);
    if (role == Qt::ForegroundRole && index.column() == SignatureColumn)
        return look.color;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case NameColumn: {
        // Two models of one name ("churn-logistic" saved twice) are told apart by their files.
        const bool shared
            = std::count_if(mEntries.cbegin(), mEntries.cend(), [&](const Entry &other) { return other.name == entry.name; }) > 1;
        return shared ? QStringLiteral("%1 (%2)").arg(entry.name, QFileInfo(entry.path).fileName()) : entry.name;
    }
    case TaskColumn:
        return entry.error.isEmpty() ? entry.task : QStringLiteral("cannot open");
    case CreatedColumn:
        return entry.created.isValid() ? entry.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
    case MetricColumn:
        return entry.metric;
    case SignatureColumn:
        if (!entry.error.isEmpty())
            return QStringLiteral("damaged");
        switch (entry.signature.state) {
        case SignatureStatus::State::Trusted:
            return QStringLiteral("trusted");
        case SignatureStatus::State::UnknownKey:
            return QStringLiteral("key not trusted yet"); // as the trust card says
        case SignatureStatus::State::Invalid:
            return QStringLiteral("INVALID");
        case SignatureStatus::State::Unsigned:
            return QStringLiteral("unsigned");
        }
        return {};
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return QStringLiteral("Name");
    case TaskColumn:
        return QStringLiteral("Task");
    case CreatedColumn:
        return QStringLiteral("Created (UTC)");
    case MetricColumn:
        return QStringLiteral("Key metric");
    case SignatureColumn:
        return QStringLiteral("Signature");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace plumb::ui
