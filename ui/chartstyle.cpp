#include "ui/chartstyle.h"

namespace plumb::ui::chart {

QColor seriesColor(int index)
{
    static const QColor colors[] = {kAccent, kSecondAccent, QColor(0x10, 0xb9, 0x81), QColor(0xef, 0x44, 0x44),
                                    QColor(0x8b, 0x5c, 0xf6), QColor(0x06, 0xb6, 0xd4), QColor(0xec, 0x48, 0x99),
                                    QColor(0x64, 0x74, 0x8b)};
    return colors[index % 8];
}

void styleAxis(QCPAxis *axis)
{
    QFont font = axis->tickLabelFont();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    axis->setTickLabelFont(font);
    axis->setTickLabelColor(kAxisText);
    axis->setLabelColor(kAxisText);
    axis->setBasePen(QPen(kGrid));
    axis->setTickPen(QPen(kGrid));
    axis->setSubTickPen(Qt::NoPen);
    axis->grid()->setPen(QPen(kGrid, 1, Qt::SolidLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

void stylePlot(QCustomPlot *plot, const QString &title)
{
    plot->setBackground(Qt::white);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis})
        styleAxis(axis);
    plot->plotLayout()->insertRow(0);
    auto *element = new QCPTextElement(plot, title);
    QFont font = element->font();
    font.setBold(true);
    element->setFont(font);
    element->setTextColor(QColor(0x37, 0x41, 0x51));
    element->setMargins(QMargins(0, 8, 0, 0));
    plot->plotLayout()->addElement(0, 0, element);
}

void setTitle(QCustomPlot *plot, const QString &title)
{
    if (auto *element = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0)))
        element->setText(title);
}

QCPItemText *addCentredMessage(QCustomPlot *plot)
{
    auto *message = new QCPItemText(plot);
    message->setPositionAlignment(Qt::AlignCenter);
    message->position->setType(QCPItemPosition::ptAxisRectRatio);
    message->position->setCoords(0.5, 0.5);
    message->setColor(kAxisText);
    message->setClipToAxisRect(false);
    return message;
}

void showMessageOnBareAxes(QCustomPlot *plot, QCPItemText *item, const QString &message)
{
    item->setText(message);
    item->setVisible(true);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabels(false);
        axis->grid()->setVisible(false);
    }
}

} // namespace plumb::ui::chart
