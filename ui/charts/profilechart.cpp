#include "ui/charts/profilechart.h"

#include "ui/charts/chartstyle.h"

#include <QFontMetrics>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

using chart::styleAxis;
constexpr int kLabelChars = 22;
constexpr double kMaxCategoryBarRatio = 0.08;

QString elided(const QString &text)
{
    if (text.size() <= kLabelChars)
        return text;
    return text.left(kLabelChars - 1) + QChar(0x2026);
}

} // namespace

ProfileChart::ProfileChart(QWidget *parent) : QCustomPlot(parent)
{
    setBackground(themeColors().chartBackground);
    chart::followTheme(this);
    setMinimumHeight(220);
    styleAxis(xAxis);
    styleAxis(yAxis);
    mMessage = new QCPItemText(this);
    mMessage->setPositionAlignment(Qt::AlignCenter);
    mMessage->position->setType(QCPItemPosition::ptAxisRectRatio);
    mMessage->position->setCoords(0.5, 0.5);
    mMessage->setColor(chart::axisText());
    mMessage->setClipToAxisRect(false);
    showMessage(QStringLiteral("Select a column to see its distribution"));
}

void ProfileChart::showProfile(const ColumnProfile &profile)
{
    reset();
    const bool categorical = profile.type == ColumnType::Categorical || profile.type == ColumnType::Boolean;
    if (profile.count == 0) {
        showMessage(QStringLiteral("No values to chart: every value is missing"));
        return;
    }
    if (categorical && !profile.topCategories.empty())
        showCategories(profile);
    else if (!profile.histogram.empty())
        showHistogram(profile);
    else
        showMessage(QStringLiteral("No distribution for this column"));
    replot();
}

void ProfileChart::showMessage(const QString &message)
{
    reset();
    mMessage->setText(message);
    mMessage->setVisible(true);
    xAxis->setTickLabels(false);
    yAxis->setTickLabels(false);
    xAxis->grid()->setVisible(false);
    yAxis->grid()->setVisible(false);
    replot();
}

int ProfileChart::barCount() const
{
    return mBars ? mBars->data()->size() : 0;
}

void ProfileChart::reset()
{
    clearPlottables();
    mBars = nullptr;
    mMessage->setVisible(false);
    mHorizontal = false;
    mFittedRange.reset();
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->setTicker(QSharedPointer<chart::NumberTicker>::create());
        axis->setTickLabels(true);
        axis->grid()->setVisible(true);
        axis->setLabel({});
    }
}

void ProfileChart::resizeEvent(QResizeEvent *event)
{
    if (mFittedRange)
        chart::fitTickCount(xAxis, mFittedRange->first, mFittedRange->second, mMostTicks);
    QCustomPlot::resizeEvent(event);
}

QCPBars *ProfileChart::addBars(QCPAxis *keyAxis, QCPAxis *valueAxis)
{
    auto *bars = new QCPBars(keyAxis, valueAxis);
    const QColor bar = chart::accent().lighter(themeColors().dark ? 100 : 115);
    QColor fill = bar;
    fill.setAlpha(210);
    bars->setBrush(fill);
    bars->setPen(QPen(bar.darker(115), 1));
    mBars = bars;
    return bars;
}

void ProfileChart::showHistogram(const ColumnProfile &profile)
{
    QCPBars *bars = addBars(xAxis, yAxis);
    bars->setWidthType(QCPBars::wtPlotCoords);
    const double binWidth = profile.histogram.front().upper - profile.histogram.front().lower;
    // A constant column has one zero-width bin: draw it one unit wide so it stays visible.
    bars->setWidth(binWidth > 0 ? binWidth : 1.0);
    std::size_t highest = 0;
    for (const ColumnProfile::Bin &bin : profile.histogram) {
        bars->addData((bin.lower + bin.upper) / 2.0, double(bin.count));
        highest = std::max(highest, bin.count);
    }
    const double lower = profile.histogram.front().lower;
    const double upper = profile.histogram.back().upper;
    const double pad = upper > lower ? (upper - lower) * 0.02 : 1.0;
    xAxis->setRange(lower - pad, upper + pad);
    yAxis->setRange(0, double(highest) * 1.08);
    yAxis->grid()->setVisible(true);
    xAxis->grid()->setVisible(false);
    if (profile.type == ColumnType::Datetime) {
        auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
        ticker->setDateTimeFormat(QStringLiteral("yyyy-MM-dd"));
        ticker->setDateTimeSpec(Qt::UTC);
        // Full dates are wide: three of them fit the panel without overlapping.
        ticker->setTickCount(3);
        ticker->setTickStepStrategy(QCPAxisTicker::tssMeetTickCount);
        xAxis->setTicker(ticker);
    } else {
        // An integer column's bins start on whole numbers: so do its ticks.
        xAxis->setTicker(QSharedPointer<chart::NumberTicker>::create(profile.type == ColumnType::Integer));
        mFittedRange = std::pair(lower, upper);
        mMostTicks = 5;
        chart::fitTickCount(xAxis, lower, upper, mMostTicks);
    }
    // Row counts: whole ticks only.
    yAxis->setTicker(QSharedPointer<chart::NumberTicker>::create(true));
    yAxis->setLabel(QStringLiteral("rows"));
    yAxis->setLabelColor(chart::axisText());
}

void ProfileChart::showCategories(const ColumnProfile &profile)
{
    mHorizontal = true;
    QCPBars *bars = addBars(yAxis, xAxis);
    const auto count = int(profile.topCategories.size());
    // Bars take 70% of their slot, but never more than a fixed share of the chart's height,
    // so two categories do not become two slabs.
    bars->setWidthType(QCPBars::wtAxisRectRatio);
    bars->setWidth(std::min(0.7 / count, kMaxCategoryBarRatio));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    std::size_t highest = 0;
    // Most frequent at the top: the first category gets the highest key.
    for (int i = 0; i < count; ++i) {
        const ColumnProfile::Category &category = profile.topCategories[std::size_t(i)];
        const double key = count - i;
        bars->addData(key, double(category.count));
        ticker->addTick(key, elided(category.value));
        highest = std::max(highest, category.count);
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, count + 0.6);
    yAxis->grid()->setVisible(false);
    xAxis->setRange(0, double(highest) * 1.08);
    xAxis->grid()->setVisible(true);
    xAxis->setTicker(QSharedPointer<chart::NumberTicker>::create(true));
    mFittedRange = std::pair(0.0, double(highest) * 1.08);
    mMostTicks = 4;
    chart::fitTickCount(xAxis, 0, double(highest) * 1.08, mMostTicks);
    xAxis->setLabel(QStringLiteral("rows"));
    xAxis->setLabelColor(chart::axisText());
}

} // namespace plumb::ui
