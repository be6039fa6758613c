#pragma once

#include "data/columntype.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QList>

namespace plumb::ui {

class DataDocument;

// One row per dataset column: name, type, role and share of missing values.
// Type and role are editable (Qt::EditRole takes the enum as an int) while the document is idle;
// an edit goes straight to DataDocument::setColumnType / setColumnRole, so a type change may start
// a background reload. The model follows the document's change signals.
class ColumnListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Section { NameSection, TypeSection, RoleSection, MissingSection, SectionCount };

    struct Choice
    {
        QString label;
        int value = 0;
        QIcon icon;
    };

    explicit ColumnListModel(DataDocument *document, QObject *parent = nullptr);

    // The values offered by the type and role editors, in display order.
    static QList<Choice> typeChoices();
    static QList<Choice> roleChoices();
    // The small icon drawn beside a column of this type.
    static QIcon typeIcon(ColumnType type);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(std::size_t column, int section) const;

    DataDocument *mDocument;
};

} // namespace plumb::ui
