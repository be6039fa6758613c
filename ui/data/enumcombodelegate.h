#pragma once

#include "ui/data/columnlistmodel.h"

#include <QStyledItemDelegate>

namespace plumb::ui {

// Edits an enum-valued cell with a combo box. The model's Qt::EditRole holds the enum as an int;
// picking an entry commits at once. Editable cells show a small chevron so the edit is discoverable.
class EnumComboDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit EnumComboDelegate(QList<ColumnListModel::Choice> choices, QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QList<ColumnListModel::Choice> mChoices;
};

} // namespace plumb::ui
