#include "ui/charts/importancechart.h"

#include "ui/charts/chartstyle.h"
#include "ui/common/layoutcheck.h"

#include <QHelpEvent>
#include <QToolTip>

#include <algorithm>

namespace plumb::ui {

namespace {

// Room a tick label needs across the axis: its line and a little air, so neighbours never touch.
int rowHeight(const QCPAxis *axis)
{
    return QFontMetrics(axis->tickLabelFont()).height() + 2;
}

} // namespace

ImportanceChart::ImportanceChart(QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, QStringLiteral("Permutation importance"));
    setMinimumSize(240, 220);
    keepPlotReadable(this); // room for ten or so names, or the scroll area around it scrolls
    mMessage = chart::addCentredMessage(this);
    showMessage(QStringLiteral("Train a model to see which features it relies on"));
}

int ImportanceChart::barCount() const
{
    return mBars ? mBars->data()->size() : 0;
}

QStringList ImportanceChart::shownLabels() const
{
    QStringList labels;
    if (const auto ticker = yAxis->ticker().dynamicCast<QCPAxisTickerText>())
        for (auto tick = ticker->ticks().constEnd(); tick != ticker->ticks().constBegin();)
            labels.append((--tick).value()); // keys run bottom up: the top row has the largest
    return labels;
}

QString ImportanceChart::axisTitle() const
{
    return xAxis->label();
}

void ImportanceChart::clearBars()
{
    clearPlottables();
    mBars = nullptr;
    mErrors = nullptr;
    mShownNames.clear();
}

void ImportanceChart::showImportance(const PermutationImportance &importance, int limit)
{
    if (importance.features.empty()) {
        showMessage(QStringLiteral("Permutation importance was not measured for this run"));
        return;
    }
    mImportance = importance;
    std::stable_sort(mImportance.features.begin(), mImportance.features.end(),
                     [](const FeatureImportance &a, const FeatureImportance &b) { return a.mean > b.mean; });
    mLimit = std::max(1, limit);
    drawBars();
}

int ImportanceChart::labelWidth() const
{
    // Half the chart for names, at least 110 px: a usual column name ("monthly_charges",
    // "paperless_billing") stays whole in a chart a third of the Train results wide.
    return std::min(kLabelWidth, std::max(110, width() / 2));
}

int ImportanceChart::fittingRows() const
{
    // Before the first layout the axis rect has no height yet: the plot less the title and the
    // value axis (its labels and title) is close.
    const int height = axisRect()->height() > 0 ? axisRect()->height() : this->height() - 90;
    return std::max(1, height / rowHeight(yAxis));
}

void ImportanceChart::drawBars()
{
    clearBars();
    mMessage->setVisible(false);
    const int total = int(mImportance.features.size());
    const int shown = std::min({mLimit, total, fittingRows()});
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
    const QFontMetrics metrics(yAxis->tickLabelFont());
    // Long names are cut in the middle, where two names of one family ("monthly_charges_2024_q1",
    // "..._q2") still differ at both ends.
    mLabelWidth = labelWidth();
    double lowest = 0, highest = 0;
    QVector<double> deviations;
    for (int i = 0; i < shown; ++i) {
        const FeatureImportance &feature = mImportance.features[std::size_t(i)];
        const double key = shown - i; // the largest at the top
        mBars->addData(key, feature.mean);
        deviations.append(feature.standardDeviation);
        ticker->addTick(key, metrics.elidedText(feature.feature, Qt::ElideMiddle, mLabelWidth));
        mShownNames.append(feature.feature);
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
    QString title = QStringLiteral("%1 drop").arg(mImportance.metric);
    if (shown < total)
        title += QStringLiteral(" \u00b7 top %1 of %2 features, %3 more not shown").arg(shown).arg(total).arg(total - shown);
    xAxis->setLabel(title);
    replot();
}

void ImportanceChart::showMessage(const QString &message)
{
    clearBars();
    mImportance = {};
    chart::showMessageOnBareAxes(this, mMessage, message);
    xAxis->setLabel({});
    replot();
}

QString ImportanceChart::featureAt(const QPoint &position) const
{
    const QRect rect = axisRect()->rect();
    if (mShownNames.isEmpty() || position.y() < rect.top() || position.y() > rect.bottom() || position.x() > rect.right())
        return {};
    const int key = int(std::lround(yAxis->pixelToCoord(position.y())));
    const int row = int(mShownNames.size()) - key; // key shown - i is row i
    return row >= 0 && row < mShownNames.size() ? mShownNames[row] : QString();
}

bool ImportanceChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString name = featureAt(help->pos());
        if (name.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), name, this);
        return true;
    }
    return QCustomPlot::event(event);
}

void ImportanceChart::resizeEvent(QResizeEvent *event)
{
    QCustomPlot::resizeEvent(event);
    // A taller or shorter chart has room for more or fewer rows.
    if (!mImportance.features.empty()) {
        const int wanted = std::min({mLimit, int(mImportance.features.size()), fittingRows()});
        if (wanted != barCount() || labelWidth() != mLabelWidth)
            drawBars();
    }
}

} // namespace plumb::ui
