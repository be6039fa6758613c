#include "ui/charts/importancechart.h"

#include "ui/charts/chartstyle.h"

#include <algorithm>
#include <numeric>

namespace plumb::ui {

ImportanceChart::ImportanceChart(QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, QStringLiteral("Permutation importance"));
    setMinimumSize(240, 220);
    mMessage = chart::addCentredMessage(this);
    showMessage(QStringLiteral("Train a model to see which features it relies on"));
}

int ImportanceChart::barCount() const
{
    return mBars ? mBars->data()->size() : 0;
}

void ImportanceChart::clearBars()
{
    clearPlottables();
    mBars = nullptr;
    mErrors = nullptr;
}

void ImportanceChart::showImportance(const PermutationImportance &importance, int limit)
{
    if (importance.features.empty()) {
        showMessage(QStringLiteral("Permutation importance was not measured for this run"));
        return;
    }
    clearBars();
    mMessage->setVisible(false);
    std::vector<std::size_t> order(importance.features.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return importance.features[a].mean > importance.features[b].mean; });
    const int shown = std::min(limit, int(order.size()));
    mBars = new QCPBars(yAxis, xAxis);
    QColor fill = chart::accent();
    fill.setAlpha(200);
    mBars->setBrush(fill);
    mBars->setPen(Qt::NoPen);
    mBars->setWidth(0.65);
    mErrors = new QCPErrorBars(yAxis, xAxis);
    mErrors->setDataPlottable(mBars);
    mErrors->setPen(QPen(chart::labelText()));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double lowest = 0, highest = 0;
    QVector<double> deviations;
    for (int i = 0; i < shown; ++i) {
        const FeatureImportance &feature = importance.features[order[std::size_t(i)]];
        const double key = shown - i; // the largest at the top
        mBars->addData(key, feature.mean);
        deviations.append(feature.standardDeviation);
        ticker->addTick(key, feature.feature);
        lowest = std::min(lowest, feature.mean - feature.standardDeviation);
        highest = std::max(highest, feature.mean + feature.standardDeviation);
    }
    mErrors->setData(deviations);
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, shown + 0.6);
    yAxis->setTickLabels(true);
    yAxis->grid()->setVisible(false);
    const double pad = std::max(highest - lowest, 1e-9) * 0.06;
    xAxis->setRange(lowest - (lowest < 0 ? pad : 0), highest + pad);
    xAxis->setTickLabels(true);
    xAxis->grid()->setVisible(true);
    chart::fitTickCount(xAxis, xAxis->range().lower, xAxis->range().upper, 4);
    xAxis->setLabel(QStringLiteral("%1 drop").arg(importance.metric));
    replot();
}

void ImportanceChart::showMessage(const QString &message)
{
    clearBars();
    chart::showMessageOnBareAxes(this, mMessage, message);
    xAxis->setLabel({});
    replot();
}

} // namespace plumb::ui
