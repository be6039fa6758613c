#include "ui/importancechart.h"

#include <algorithm>

namespace plumb::ui {

namespace {

const QColor kBarColor(0x3b, 0x82, 0xf6);
const QColor kAxisText(0x6b, 0x72, 0x80);
const QColor kGrid(0xe5, 0xe7, 0xeb);

void styleAxis(QCPAxis *axis)
{
    axis->setTickLabelColor(kAxisText);
    axis->setBasePen(QPen(kGrid));
    axis->setTickPen(QPen(kGrid));
    axis->setSubTickPen(Qt::NoPen);
    axis->grid()->setPen(QPen(kGrid));
    axis->grid()->setZeroLinePen(QPen(kAxisText));
    axis->setLabelColor(kAxisText);
}

} // namespace

ImportanceChart::ImportanceChart(QWidget *parent) : QCustomPlot(parent), mMessage(new QCPItemText(this))
{
    setBackground(Qt::white);
    setMinimumHeight(200);
    styleAxis(xAxis);
    styleAxis(yAxis);
    mMessage->setPositionAlignment(Qt::AlignCenter);
    mMessage->position->setType(QCPItemPosition::ptAxisRectRatio);
    mMessage->position->setCoords(0.5, 0.5);
    mMessage->setColor(kAxisText);
    mMessage->setClipToAxisRect(false);
}

void ImportanceChart::reset()
{
    clearPlottables();
    mFeatures.clear();
    mMessage->setVisible(false);
    xAxis->setTickLabels(true);
    yAxis->setTickLabels(true);
}

void ImportanceChart::showMessage(const QString &message)
{
    reset();
    mMessage->setText(message);
    mMessage->setVisible(true);
    xAxis->setTickLabels(false);
    yAxis->setTickLabels(false);
    replot();
}

void ImportanceChart::showImportance(const PermutationImportance &importance)
{
    if (importance.features.empty()) {
        showMessage(QStringLiteral("Permutation importance was not measured for this model"));
        return;
    }
    reset();
    std::vector<const FeatureImportance *> order;
    for (const FeatureImportance &feature : importance.features)
        order.push_back(&feature);
    std::stable_sort(order.begin(), order.end(), [](const auto *a, const auto *b) { return a->mean > b->mean; });

    auto *bars = new QCPBars(yAxis, xAxis);
    QColor fill = kBarColor;
    fill.setAlpha(210);
    bars->setBrush(fill);
    bars->setPen(QPen(kBarColor.darker(115)));
    bars->setWidth(0.62);
    auto *errors = new QCPErrorBars(yAxis, xAxis);
    errors->setDataPlottable(bars);
    errors->setPen(QPen(QColor(0x37, 0x41, 0x51)));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const auto count = int(order.size());
    double low = 0, high = 0;
    QVector<double> deviations;
    // Most important at the top: the first feature gets the highest key.
    for (int i = 0; i < count; ++i) {
        const FeatureImportance &feature = *order[std::size_t(i)];
        const double key = count - i;
        bars->addData(key, feature.mean);
        deviations.append(feature.standardDeviation);
        ticker->addTick(key, feature.feature);
        mFeatures.append(feature.feature);
        low = std::min(low, feature.mean - feature.standardDeviation);
        high = std::max(high, feature.mean + feature.standardDeviation);
    }
    errors->setData(deviations);
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, count + 0.6);
    yAxis->grid()->setVisible(false);
    const double pad = (high - low) * 0.06 + 1e-9;
    xAxis->setRange(low - (low < 0 ? pad : 0), high + pad);
    xAxis->setLabel(QStringLiteral("drop in %1 when shuffled (baseline %2)")
                        .arg(importance.metric, QString::number(importance.baseline, 'f', 4)));
    replot();
}

} // namespace plumb::ui
