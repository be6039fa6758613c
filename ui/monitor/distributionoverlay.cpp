#include "ui/monitor/distributionoverlay.h"

#include "ui/charts/chartstyle.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>

namespace plumb::ui {

namespace {

const QColor kCurrent(0xea, 0x58, 0x0c);

template<typename Function> void forEachRow(const Column &column, const std::vector<std::size_t> &rows, Function &&function)
{
    if (rows.empty()) {
        for (std::size_t row = 0; row < column.size(); ++row)
            function(row);
        return;
    }
    for (std::size_t row : rows)
        function(row);
}

// Long category names on two or more lines, so that neighbouring labels do not collide.
QString wrapped(const QString &label)
{
    QStringList lines;
    for (const QString &word : label.split(QLatin1Char(' '))) {
        if (!lines.isEmpty() && lines.back().size() + 1 + word.size() <= 14)
            lines.back() += QLatin1Char(' ') + word;
        else
            lines.append(word);
    }
    return lines.join(QLatin1Char('\n'));
}

std::vector<double> shares(const std::vector<double> &counts)
{
    double total = 0;
    for (double count : counts)
        total += count;
    std::vector<double> result(counts.size(), 0.0);
    if (total > 0)
        for (std::size_t i = 0; i < counts.size(); ++i)
            result[i] = counts[i] / total;
    return result;
}

} // namespace

DistributionOverlay::DistributionOverlay(QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, QStringLiteral("Reference vs current"));
    setMouseTracking(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    QFont font = legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    legend->setFont(font);
    legend->setBorderPen(Qt::NoPen);
    chart::styleLegend(legend);
    legend->setBorderPen(Qt::NoPen);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    mMessage = new QCPItemText(this);
    mMessage->position->setType(QCPItemPosition::ptAxisRectRatio);
    mMessage->position->setCoords(0.5, 0.5);
    mMessage->setColor(chart::axisText());
    showMessage(QStringLiteral("Reference vs current"),
                QStringLiteral("Click a heat-map cell or a point to compare distributions."));
}

void DistributionOverlay::reset(const QString &title)
{
    clearPlottables();
    mReference.clear();
    mCurrent.clear();
    mBinLabels.clear();
    mBinCentres.clear();
    mMessage->setVisible(false);
    legend->setVisible(false);
    chart::setTitle(this, title);
    xAxis->setTicker(QSharedPointer<chart::NumberTicker>::create());
    xAxis->setTickLabelRotation(0);
    xAxis->grid()->setVisible(true);
}

void DistributionOverlay::showMessage(const QString &title, const QString &message)
{
    reset(title);
    mColumn.clear();
    mMessage->setText(message);
    mMessage->setVisible(true);
    replot();
}

void DistributionOverlay::addBars(const QVector<double> &x, double width, const QColor &color, const QString &name)
{
    auto *bars = new QCPBars(xAxis, yAxis);
    bars->setName(name);
    bars->setWidth(width);
    QColor fill = color;
    fill.setAlpha(110);
    bars->setBrush(fill);
    bars->setPen(QPen(color, 1));
    const std::vector<double> &values = name.startsWith(QLatin1String("reference")) ? mReference : mCurrent;
    bars->setData(x, QVector<double>(values.begin(), values.end()), true);
}

void DistributionOverlay::showDistributions(const ColumnProfile &reference, const Column &current,
                                            const std::vector<std::size_t> &rows, const QString &title)
{
    reset(title);
    mColumn = reference.name;
    if (isNumericStorage(reference.type) && reference.type != ColumnType::Boolean && !reference.histogram.empty())
        showNumeric(reference, current, rows);
    else if (!reference.topCategories.empty())
        showCategories(reference, current, rows);
    else {
        showMessage(title, QStringLiteral("The reference profile keeps no distribution for %1.").arg(reference.name));
        return;
    }
    legend->setVisible(true);
    double top = 0;
    for (double share : mReference)
        top = std::max(top, share);
    for (double share : mCurrent)
        top = std::max(top, share);
    yAxis->setLabel(QStringLiteral("share of values"));
    yAxis->setRange(0, std::max(0.05, top * 1.15));
    replot();
}

void DistributionOverlay::showNumeric(const ColumnProfile &reference, const Column &current, const std::vector<std::size_t> &rows)
{
    const std::vector<ColumnProfile::Bin> &bins = reference.histogram;
    std::vector<double> referenceCounts, currentCounts(bins.size(), 0.0);
    for (const ColumnProfile::Bin &bin : bins) {
        referenceCounts.push_back(double(bin.count));
        mBinCentres.append(0.5 * (bin.lower + bin.upper));
        mBinLabels.append(QStringLiteral("[%1, %2]").arg(bin.lower, 0, 'g', 4).arg(bin.upper, 0, 'g', 4));
    }
    const std::vector<double> &numbers = current.numbers();
    forEachRow(current, rows, [&](std::size_t row) {
        const double value = numbers[row];
        if (std::isnan(value))
            return;
        // The bin whose upper edge is the first at or above the value; values past the ends go to the end bins.
        const auto it = std::lower_bound(bins.begin(), bins.end(), value,
                                         [](const ColumnProfile::Bin &bin, double v) { return bin.upper < v; });
        currentCounts[std::min<std::size_t>(std::size_t(it - bins.begin()), bins.size() - 1)] += 1;
    });
    mReference = shares(referenceCounts);
    mCurrent = shares(currentCounts);
    const double width = bins.front().upper - bins.front().lower;
    addBars(mBinCentres, width > 0 ? width : 1.0, chart::reference(), QStringLiteral("reference (training profile)"));
    addBars(mBinCentres, width > 0 ? width : 1.0, kCurrent, QStringLiteral("current window"));
    xAxis->setRange(bins.front().lower - width, bins.back().upper + width);
    xAxis->setLabel(reference.name);
}

void DistributionOverlay::showCategories(const ColumnProfile &reference, const Column &current,
                                         const std::vector<std::size_t> &rows)
{
    std::map<QString, double> currentCounts;
    forEachRow(current, rows, [&](std::size_t row) {
        if (!current.isMissing(row))
            currentCounts[current.displayText(row)] += 1;
    });
    std::vector<double> referenceCounts, counts;
    std::size_t kept = 0;
    for (const ColumnProfile::Category &category : reference.topCategories) {
        mBinLabels.append(category.value);
        referenceCounts.push_back(double(category.count));
        kept += category.count;
        const auto found = currentCounts.find(category.value);
        counts.push_back(found == currentCounts.end() ? 0.0 : found->second);
        if (found != currentCounts.end())
            currentCounts.erase(found);
    }
    // Values the profile did not keep: "(other)" when it dropped some, else each one is unseen.
    const bool other = kept < reference.count;
    double otherCount = 0;
    for (const auto &[value, count] : currentCounts) {
        if (other) {
            otherCount += count;
            continue;
        }
        mBinLabels.append(value + QStringLiteral(" (unseen)"));
        referenceCounts.push_back(0.0);
        counts.push_back(count);
    }
    if (other) {
        mBinLabels.append(QStringLiteral("(other)"));
        referenceCounts.push_back(double(reference.count - kept));
        counts.push_back(otherCount);
    }
    mReference = shares(referenceCounts);
    mCurrent = shares(counts);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < mBinLabels.size(); ++i) {
        mBinCentres.append(i);
        ticker->addTick(i, wrapped(mBinLabels[i]));
    }
    xAxis->setTicker(ticker);
    xAxis->setTickLabelRotation(mBinLabels.size() > 8 ? 45 : 0);
    QVector<double> left, right;
    for (double centre : mBinCentres) {
        left.append(centre - 0.19);
        right.append(centre + 0.19);
    }
    addBars(left, 0.38, chart::reference(), QStringLiteral("reference (training profile)"));
    addBars(right, 0.38, kCurrent, QStringLiteral("current window"));
    xAxis->setRange(-0.6, double(mBinLabels.size()) - 0.4);
    xAxis->grid()->setVisible(false);
    xAxis->setLabel(QString());
}

void DistributionOverlay::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    if (mBinCentres.isEmpty() || !axisRect()->rect().contains(event->pos())) {
        QToolTip::hideText();
        return;
    }
    const double x = xAxis->pixelToCoord(event->pos().x());
    const auto nearest = std::min_element(mBinCentres.begin(), mBinCentres.end(),
                                          [x](double a, double b) { return std::abs(a - x) < std::abs(b - x); });
    const auto i = std::size_t(nearest - mBinCentres.begin());
    QToolTip::showText(event->globalPosition().toPoint(),
                       QStringLiteral("%1\nreference %2%\ncurrent %3%")
                           .arg(mBinLabels[qsizetype(i)])
                           .arg(100.0 * mReference[i], 0, 'f', 1)
                           .arg(100.0 * mCurrent[i], 0, 'f', 1),
                       this);
}

} // namespace plumb::ui
