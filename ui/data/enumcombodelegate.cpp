#include "ui/data/enumcombodelegate.h"

#include <QComboBox>
#include <QPainter>
#include <QPainterPath>

namespace plumb::ui {

namespace {

constexpr int kChevronWidth = 14;

void drawChevron(QPainter *painter, const QRect &cell, const QColor &color)
{
    const QPointF centre(cell.right() - kChevronWidth / 2.0 - 2, cell.center().y() + 0.5);
    QPainterPath path;
    path.moveTo(centre + QPointF(-3.5, -1.75));
    path.lineTo(centre + QPointF(0, 1.75));
    path.lineTo(centre + QPointF(3.5, -1.75));
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(color, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPath(path);
    painter->restore();
}

} // namespace

EnumComboDelegate::EnumComboDelegate(QList<ColumnListModel::Choice> choices, QObject *parent)
    : QStyledItemDelegate(parent), mChoices(std::move(choices))
{
}

QWidget *EnumComboDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    for (const ColumnListModel::Choice &choice : mChoices)
        combo->addItem(choice.icon, choice.label, choice.value);
    // Commit as soon as an entry is picked: a type change starts its reload right away.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        auto *self = const_cast<EnumComboDelegate *>(this);
        emit self->commitData(combo);
        emit self->closeEditor(combo);
    });
    return combo;
}

void EnumComboDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentIndex(combo->findData(index.data(Qt::EditRole).toInt()));
}

void EnumComboDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    if (combo->currentIndex() >= 0 && combo->currentData() != index.data(Qt::EditRole))
        model->setData(index, combo->currentData(), Qt::EditRole);
}

void EnumComboDelegate::updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option, const QModelIndex &) const
{
    editor->setGeometry(option.rect);
}

void EnumComboDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    if (!index.flags().testFlag(Qt::ItemIsEditable))
        return;
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const QColor color = option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText);
    drawChevron(painter, option.rect, color);
}

} // namespace plumb::ui
