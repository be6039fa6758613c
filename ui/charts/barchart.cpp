#include "ui/charts/barchart.h"

#include "ui/charts/chartstyle.h"

#include <algorithm>

namespace plumb::ui {

BarChart::BarChart(const QString &title, QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, title);
    setMinimumSize(260, 160);
    mMessage = chart::addCentredMessage(this);
    mZeroLine = new QCPItemStraightLine(this);
    mZeroLine->setPen(QPen(chart::reference(), 1));
    mZeroLine->point1->setCoords(0, 0);
    mZeroLine->point2->setCoords(0, 1);
    mZeroLine->setVisible(false);
    showMessage({});
}

void BarChart::setTitle(const QString &title)
{
    chart::setTitle(this, title);
    replot();
}

QString BarChart::title() const
{
    auto *element = qobject_cast<QCPTextElement *>(plotLayout()->element(0, 0));
    return element ? element->text() : QString();
}

QString BarChart::message() const
{
    return mMessage->visible() ? mMessage->text() : QString();
}

void BarChart::clearBars()
{
    clearPlottables();
    for (int i = itemCount() - 1; i >= 0; --i)
        if (item(i) != mMessage && item(i) != mZeroLine)
            removeItem(i);
    mShown.clear();
}

void BarChart::showBars(const std::vector<Bar> &bars, const QString &axisLabel, double lower, double upper)
{
    clearBars();
    if (bars.empty()) {
        showMessage(QStringLiteral("Nothing to show"));
        return;
    }
    mMessage->setVisible(false);
    mShown = bars;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int count = int(bars.size());
    for (int i = 0; i < count; ++i) {
        const Bar &bar = bars[std::size_t(i)];
        const double key = count - i; // the first bar at the top
        auto *plottable = new QCPBars(yAxis, xAxis);
        plottable->setWidth(0.62);
        plottable->setPen(Qt::NoPen);
        plottable->setBrush(bar.color);
        plottable->addData(key, bar.value);
        ticker->addTick(key, bar.label);
        lower = std::min(lower, bar.value);
        upper = std::max(upper, bar.value);
    }
    // Room for the value labels beyond the longest bars.
    const double span = std::max(upper - lower, 1e-12);
    const double padLow = lower < 0 ? span * 0.22 : 0, padHigh = upper > 0 ? span * 0.22 : 0;
    for (int i = 0; i < count; ++i) {
        const Bar &bar = bars[std::size_t(i)];
        auto *text = new QCPItemText(this);
        text->setText(bar.text);
        text->setColor(chart::labelText());
        text->position->setCoords(bar.value, count - i);
        text->setPositionAlignment(Qt::AlignVCenter | (bar.value < 0 ? Qt::AlignRight : Qt::AlignLeft));
        text->setPadding(QMargins(4, 0, 4, 0));
        text->setClipToAxisRect(false);
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, count + 0.6);
    yAxis->setTickLabels(true);
    yAxis->grid()->setVisible(false);
    xAxis->setRange(lower - padLow, upper + padHigh);
    xAxis->setTickLabels(true);
    xAxis->grid()->setVisible(true);
    chart::fitTickCount(xAxis, xAxis->range().lower, xAxis->range().upper, 5);
    xAxis->setLabel(axisLabel);
    mZeroLine->setVisible(lower < 0);
    replot();
}

void BarChart::showMessage(const QString &message)
{
    clearBars();
    mZeroLine->setVisible(false);
    chart::showMessageOnBareAxes(this, mMessage, message);
    xAxis->setLabel({});
    replot();
}

} // namespace plumb::ui
