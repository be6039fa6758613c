#include "ui/data/datasettablemodel.h"

#include "ui/common/theme.h"

#include "ui/common/displayformat.h"
#include "ui/data/datadocument.h"

#include <QBrush>
#include <QColor>

#include <algorithm>
#include <climits>

namespace plumb::ui {

namespace {

// Item views in Qt 6.4 read Qt::TextAlignmentRole as an int.
int alignmentFor(ColumnType type)
{
    const bool number = type == ColumnType::Float || type == ColumnType::Integer;
    return int(Qt::AlignVCenter | (number ? Qt::AlignRight : Qt::AlignLeft));
}

} // namespace

DatasetTableModel::DatasetTableModel(DataDocument *document, QObject *parent) : QAbstractTableModel(parent), mDocument(document)
{
    mMissingFont.setItalic(true);
    connect(document, &DataDocument::aboutToReplaceDataset, this, &DatasetTableModel::beginResetModel);
    connect(document, &DataDocument::datasetReplaced, this, &DatasetTableModel::endResetModel);
    connect(document, &DataDocument::columnChanged, this, [this](int column) {
        // A type change re-renders the column's cells (1 -> 1.0, 1 -> true) and its header.
        emit headerDataChanged(Qt::Horizontal, column, column);
        if (rowCount() > 0)
            emit dataChanged(index(0, column), index(rowCount() - 1, column));
    });
}

DatasetTableModel::DatasetTableModel(std::shared_ptr<const Dataset> dataset, QObject *parent)
    : QAbstractTableModel(parent), mDataset(std::move(dataset))
{
    mMissingFont.setItalic(true);
}

void DatasetTableModel::setDataset(std::shared_ptr<const Dataset> dataset)
{
    beginResetModel();
    mDataset = std::move(dataset);
    endResetModel();
}

const Dataset &DatasetTableModel::dataset() const
{
    static const Dataset kEmpty;
    if (mDocument)
        return mDocument->dataset();
    return mDataset ? *mDataset : kEmpty;
}

int DatasetTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    // Item views index rows with int; a larger dataset shows its first INT_MAX rows.
    return int(std::min<std::size_t>(dataset().rowCount(), INT_MAX));
}

int DatasetTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(dataset().columnCount());
}

QVariant DatasetTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Column &column = dataset().column(std::size_t(index.column()));
    const auto row = std::size_t(index.row());
    if (column.isMissing(row))
        return missingData(role);
    switch (role) {
    case Qt::DisplayRole:
        // Floats for reading (0.674321, 2.56e-06); their exact text in the tooltip, as in the file.
        return column.type() == ColumnType::Float ? formatNumber(column.numbers()[row]) : column.displayText(row);
    case Qt::ToolTipRole:
        return column.type() == ColumnType::Float ? column.displayText(row) : QVariant();
    case Qt::TextAlignmentRole:
        return alignmentFor(column.type());
    case MissingRole:
        return false;
    default:
        return {};
    }
}

QVariant DatasetTableModel::missingData(int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("missing");
    case Qt::FontRole:
        return mMissingFont;
    case Qt::ForegroundRole:
        return QBrush(themeColors().missingText);
    case Qt::BackgroundRole:
        return QBrush(themeColors().missingBackground);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case MissingRole:
        return true;
    default:
        return {};
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignVCenter | Qt::AlignRight);
        return {};
    }
    if (section < 0 || std::size_t(section) >= dataset().columnCount())
        return {};
    const Column &column = dataset().column(std::size_t(section));
    switch (role) {
    case Qt::DisplayRole:
        return column.name();
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2 \u00b7 %3")
            .arg(column.name(), columnTypeLabel(column.type()), columnRoleLabel(column.role()));
    case Qt::TextAlignmentRole:
        return alignmentFor(column.type());
    default:
        return {};
    }
}

} // namespace plumb::ui
