#include "ui/data/columnlistmodel.h"

#include "ui/common/theme.h"

#include "ui/common/displayformat.h"
#include "ui/data/datadocument.h"

#include <QBrush>
#include <QColor>
#include <QHash>
#include <QPixmap>

namespace plumb::ui {

namespace {

constexpr ColumnType kTypes[] = {ColumnType::Float, ColumnType::Integer, ColumnType::Boolean, ColumnType::Categorical,
                                 ColumnType::Datetime};
constexpr ColumnRole kRoles[] = {ColumnRole::Feature, ColumnRole::Target, ColumnRole::Timestamp, ColumnRole::Id,
                                 ColumnRole::Ignored};

} // namespace

ColumnListModel::ColumnListModel(DataDocument *document, QObject *parent) : QAbstractTableModel(parent), mDocument(document)
{
    connect(document, &DataDocument::aboutToReplaceDataset, this, &ColumnListModel::beginResetModel);
    connect(document, &DataDocument::datasetReplaced, this, &ColumnListModel::endResetModel);
    connect(document, &DataDocument::columnChanged, this,
            [this](int column) { emit dataChanged(index(column, 0), index(column, SectionCount - 1)); });
    // Editability follows the document's busy state: repaint so the editor hints follow too.
    connect(document, &DataDocument::busyChanged, this, [this] {
        if (rowCount() > 0)
            emit dataChanged(index(0, TypeSection), index(rowCount() - 1, RoleSection));
    });
}

QList<ColumnListModel::Choice> ColumnListModel::typeChoices()
{
    QList<Choice> choices;
    for (ColumnType type : kTypes)
        choices.append({columnTypeLabel(type), int(type), typeIcon(type)});
    return choices;
}

QList<ColumnListModel::Choice> ColumnListModel::roleChoices()
{
    QList<Choice> choices;
    for (ColumnRole role : kRoles)
        choices.append({columnRoleLabel(role), int(role), {}});
    return choices;
}

QIcon ColumnListModel::typeIcon(ColumnType type)
{
    // Rendered once per type. The selected state reuses the normal pixmaps: the style's default
    // would wash the type colour out with the selection colour.
    static QHash<int, QIcon> cache;
    auto found = cache.constFind(int(type));
    if (found != cache.constEnd())
        return *found;
    const QIcon source(QStringLiteral(":/icons/type-%1.svg").arg(columnTypeName(type)));
    QIcon icon;
    for (int size : {16, 32}) {
        const QPixmap pixmap = source.pixmap(size, size);
        icon.addPixmap(pixmap, QIcon::Normal);
        icon.addPixmap(pixmap, QIcon::Selected);
    }
    return *cache.insert(int(type), icon);
}

int ColumnListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(mDocument->dataset().columnCount());
}

int ColumnListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : SectionCount;
}

QVariant ColumnListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const auto row = std::size_t(index.row());
    const Column &column = mDocument->dataset().column(row);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::EditRole:
        if (index.column() == TypeSection)
            return int(column.type());
        if (index.column() == RoleSection)
            return int(column.role());
        return displayData(row, index.column());
    case Qt::DecorationRole:
        return index.column() == NameSection ? QVariant(typeIcon(column.type())) : QVariant();
    case Qt::ToolTipRole:
        return index.column() == NameSection ? column.name() : QVariant();
    case Qt::TextAlignmentRole:
        return int(Qt::AlignVCenter | (index.column() == MissingSection ? Qt::AlignRight : Qt::AlignLeft));
    case Qt::ForegroundRole:
        if (column.role() == ColumnRole::Ignored)
            return QBrush(themeColors().missingText);
        if (column.role() == ColumnRole::Target && index.column() == RoleSection)
            return QBrush(themeColors().accentText);
        return {};
    default:
        return {};
    }
}

QVariant ColumnListModel::displayData(std::size_t column, int section) const
{
    const Column &entry = mDocument->dataset().column(column);
    switch (section) {
    case NameSection:
        return entry.name();
    case TypeSection:
        return columnTypeLabel(entry.type());
    case RoleSection:
        return columnRoleLabel(entry.role());
    case MissingSection:
        if (const ColumnProfile *profile = mDocument->profile(column))
            return formatPercent(profile->missingRate());
        return {};
    default:
        return {};
    }
}

bool ColumnListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    bool isInt = false;
    const int choice = value.toInt(&isInt);
    if (!isInt)
        return false;
    const auto column = std::size_t(index.row());
    if (index.column() == TypeSection && choice >= 0 && choice < int(std::size(kTypes)))
        return mDocument->setColumnType(column, ColumnType(choice));
    if (index.column() == RoleSection && choice >= 0 && choice < int(std::size(kRoles)))
        return mDocument->setColumnRole(column, ColumnRole(choice));
    return false;
}

Qt::ItemFlags ColumnListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    const bool editable = index.column() == TypeSection || index.column() == RoleSection;
    if (editable && !mDocument->isBusy())
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant ColumnListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignVCenter | (section == MissingSection ? Qt::AlignRight : Qt::AlignLeft));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameSection:
        return QStringLiteral("Column");
    case TypeSection:
        return QStringLiteral("Type");
    case RoleSection:
        return QStringLiteral("Role");
    case MissingSection:
        return QStringLiteral("Missing");
    default:
        return {};
    }
}

} // namespace plumb::ui
