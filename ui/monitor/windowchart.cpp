#include "ui/monitor/windowchart.h"

#include "ui/charts/chartstyle.h"
#include "ui/monitor/driftformat.h"

#include <QToolTip>

#include <cmath>

namespace plumb::ui {

namespace {

constexpr double kSmallestP = 1e-12; // p-values below are drawn here on the log axis
constexpr double kFar = 1e4; // bands and lines reach this far past the windows, for panning

} // namespace

// Labels every k-th window so that each label has about 64 pixels.
QSharedPointer<QCPAxisTickerText> windowTicker(const QStringList &labels, int pixels)
{
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int fitting = std::max(1, pixels / 64);
    const int step = std::max(1, int(std::ceil(double(labels.size()) / double(fitting))));
    for (int i = 0; i < labels.size(); i += step)
        ticker->addTick(i, labels[i]);
    return ticker;
}

WindowChart::WindowChart(const QString &title, QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, title);
    setMouseTracking(true);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    chart::placeLegendAboveAxes(this);
    legend->setVisible(false);
    mMessage = new QCPItemText(this);
    // Centred in the whole chart: the axis rect of an emptied chart can be any size.
    mMessage->position->setType(QCPItemPosition::ptViewportRatio);
    mMessage->position->setCoords(0.5, 0.5);
    mMessage->setClipToAxisRect(false);
    mMessage->setColor(chart::axisText());
    mMessage->setVisible(false);
}

void WindowChart::reset(Kind kind, const QString &title, const QStringList &windows)
{
    mKind = kind;
    mWindows = windows;
    mToolTips = QStringList(windows.size());
    mValues = QVector<double>(windows.size(), NAN);
    clearGraphs();
    clearPlottables();
    // Items other than the message are this chart's bands, lines and labels.
    for (int i = itemCount() - 1; i >= 0; --i)
        if (item(i) != mMessage)
            removeItem(i);
    mAlerts = nullptr;
    mMessage->setVisible(false);
    legend->setVisible(false);
    chart::setTitle(this, title);
    yAxis->setScaleType(QCPAxis::stLinear);
    yAxis->setTicker(QSharedPointer<chart::NumberTicker>::create());
    yAxis->setLabel(QString());
    xAxis->setVisible(true);
    yAxis->setVisible(true);
    yAxis2->setVisible(false);
    xAxis->setTicker(windowTicker(windows, width() - 80));
    xAxis->setRange(-0.5, std::max<double>(0.5, double(windows.size()) - 0.5));
}

void WindowChart::showMessage(const QString &title, const QString &message)
{
    reset(Kind::None, title, {});
    xAxis->setVisible(false);
    yAxis->setVisible(false);
    mMessage->setText(message);
    mMessage->setVisible(true);
    replot();
}

void WindowChart::addAlertMarkers(const QVector<double> &x, const QVector<double> &y)
{
    mAlerts = addGraph();
    mAlerts->setName(QStringLiteral("alert"));
    mAlerts->setLineStyle(QCPGraph::lsNone);
    mAlerts->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(themeColors().alert, 2), QBrush(themeColors().chartBackground), 9));
    mAlerts->setData(x, y, true);
}

void WindowChart::addBand(const QVector<double> &x, const QVector<double> &lower, const QVector<double> &upper,
                          const QColor &color, const QString &name)
{
    QCPGraph *low = addGraph();
    QCPGraph *high = addGraph();
    low->setPen(Qt::NoPen);
    high->setPen(Qt::NoPen);
    low->removeFromLegend();
    high->setName(name);
    high->setBrush(withAlpha(color, 45));
    high->setChannelFillGraph(low);
    low->setData(x, lower, true);
    high->setData(x, upper, true);
}

void WindowChart::addLevelLine(double y, const QString &label, const QColor &color)
{
    QCPGraph *line = addGraph();
    line->setName(label);
    line->setPen(QPen(color, 1.5, Qt::DashLine));
    line->setData(QVector<double>{-kFar, kFar}, QVector<double>{y, y}, true);
}

QCPGraph *WindowChart::addValueLine(const QVector<double> &x, const QVector<double> &y, const QString &name, const QColor &color)
{
    QCPGraph *line = addGraph();
    line->setName(name);
    line->setPen(QPen(color, 2));
    line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 5));
    line->setData(x, y, true);
    return line;
}

void WindowChart::showFeature(const DriftReport &report, std::size_t column)
{
    QStringList labels;
    for (const WindowDrift &window : report.windows)
        labels.append(window.label);
    const QString name = report.columns[qsizetype(column)];
    const QString scoreName = chartedScoreName(report, column);
    const bool pValue = scoreName == QStringLiteral("p-value");
    reset(Kind::FeatureScore, QStringLiteral("%1: %2").arg(name, methodTitle(report.methods[column])), labels);
    QVector<double> x, y, alertX, alertY;
    double top = report.thresholds[column];
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const DriftCell &cell = report.cells[w][column];
        mToolTips[qsizetype(w)] = cellDescription(report, column, w);
        double value = chartedScore(report, cell);
        if (!std::isfinite(value))
            continue;
        if (pValue)
            value = std::max(value, kSmallestP);
        mValues[qsizetype(w)] = value;
        x.append(double(w));
        y.append(value);
        top = std::max(top, value);
        if (cell.score->drifted) {
            alertX.append(double(w));
            alertY.append(value);
        }
    }
    const double threshold = report.thresholds[column];
    double bottom = 0, ceiling = top * 1.15;
    if (pValue) {
        yAxis->setScaleType(QCPAxis::stLogarithmic);
        yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
        const double smallest = y.isEmpty() ? 1.0 : *std::min_element(y.begin(), y.end());
        bottom = std::min(std::max(kSmallestP, smallest / 3.0), threshold / 10.0);
        ceiling = 1.5;
    } else if (!(ceiling > 0)) {
        ceiling = 1;
    }
    // The drift side of the threshold, shaded.
    if (std::isfinite(threshold) && threshold > 0) {
        auto *band = new QCPItemRect(this);
        band->setPen(Qt::NoPen);
        band->setBrush(withAlpha(themeColors().alert, 28));
        band->topLeft->setCoords(-kFar, pValue ? threshold : ceiling * 10);
        band->bottomRight->setCoords(kFar, pValue ? bottom / 10 : threshold);
        band->setClipToAxisRect(true);
        addLevelLine(threshold, QStringLiteral("threshold %1").arg(threshold, 0, 'g', 3), themeColors().alert);
    }
    addValueLine(x, y, scoreName, chart::accent());
    addAlertMarkers(alertX, alertY);
    yAxis->setLabel(scoreName);
    yAxis->setRange(bottom, ceiling);
    legend->setVisible(true);
    replot();
}

void WindowChart::showDriftShare(const DriftReport &report)
{
    QStringList labels;
    for (const WindowDrift &window : report.windows)
        labels.append(window.label);
    reset(Kind::DriftShare, QStringLiteral("Share of drifted features"), labels);
    auto *bars = new QCPBars(xAxis, yAxis);
    bars->setName(QStringLiteral("drifted share"));
    bars->setWidth(0.65);
    bars->setPen(Qt::NoPen);
    bars->setBrush(chart::accent().lighter(150));
    auto *driftBars = new QCPBars(xAxis, yAxis);
    driftBars->setName(QStringLiteral("dataset drift"));
    driftBars->setWidth(0.65);
    driftBars->setPen(Qt::NoPen);
    driftBars->setBrush(themeColors().alert);
    QVector<double> alertX, alertY;
    for (std::size_t w = 0; w < report.windows.size(); ++w) {
        const WindowDrift &window = report.windows[w];
        const double share = 100.0 * window.driftShare;
        mValues[qsizetype(w)] = share;
        (window.datasetDrift ? driftBars : bars)->addData(double(w), share);
        mToolTips[qsizetype(w)] = QStringLiteral("%1 (%2 rows)\n%3 of %4 features drifted (%5%)\ndataset drift: %6")
                                      .arg(window.label)
                                      .arg(window.rows)
                                      .arg(window.driftedFeatures)
                                      .arg(window.scoredFeatures)
                                      .arg(share, 0, 'f', 1)
                                      .arg(window.datasetDrift ? QStringLiteral("yes") : QStringLiteral("no"));
        if (window.datasetDrift) {
            alertX.append(double(w));
            alertY.append(share);
        }
    }
    mAlerts = addGraph();
    mAlerts->setVisible(false);
    mAlerts->removeFromLegend();
    mAlerts->setData(alertX, alertY, true);
    addLevelLine(100.0 * report.datasetDriftShare,
                 QStringLiteral("dataset drift at %1%").arg(100.0 * report.datasetDriftShare, 0, 'f', 0), chart::axisText());
    yAxis->setLabel(QStringLiteral("% of features"));
    yAxis->setRange(0, 100);
    legend->setVisible(true);
    replot();
}

void WindowChart::showPerformance(const DriftReport &report, const PerformanceReport &performance)
{
    QStringList labels;
    for (const WindowDrift &window : report.windows)
        labels.append(window.label);
    reset(Kind::Performance, QStringLiteral("%1 over time (labelled windows)").arg(performance.metric), labels);
    QVector<double> x, value, lower, upper, alertX, alertY;
    double low = performance.baseline, high = performance.baseline;
    for (std::size_t w = 0; w < performance.windows.size() && w < report.windows.size(); ++w) {
        const WindowPerformance &window = performance.windows[w];
        if (!window.error.isEmpty()) {
            mToolTips[qsizetype(w)] = QStringLiteral("%1: %2").arg(report.windows[w].label, window.error);
            continue;
        }
        mValues[qsizetype(w)] = window.value;
        x.append(double(w));
        value.append(window.value);
        lower.append(window.lower);
        upper.append(window.upper);
        low = std::min(low, window.lower);
        high = std::max(high, window.upper);
        mToolTips[qsizetype(w)] = QStringLiteral("%1 (%2 labelled rows)\n%3 %4, 95% band [%5, %6]\nvalidation baseline %7%8")
                                      .arg(report.windows[w].label)
                                      .arg(window.rows)
                                      .arg(performance.metric)
                                      .arg(window.value, 0, 'f', 4)
                                      .arg(window.lower, 0, 'f', 4)
                                      .arg(window.upper, 0, 'f', 4)
                                      .arg(performance.baseline, 0, 'f', 4)
                                      .arg(window.degraded ? QStringLiteral("\nDEGRADED: the whole band is worse") : QString());
        if (window.degraded) {
            alertX.append(double(w));
            alertY.append(window.value);
        }
    }
    if (x.isEmpty()) {
        showMessage(QStringLiteral("Performance over time"), QStringLiteral("No window has labels."));
        return;
    }
    addBand(x, lower, upper, chart::accent(), QStringLiteral("95% bootstrap band"));
    addLevelLine(performance.baseline, QStringLiteral("validation %1").arg(performance.baseline, 0, 'f', 3), chart::axisText());
    addValueLine(x, value, performance.metric, chart::accent());
    addAlertMarkers(alertX, alertY);
    mAlerts->setName(QStringLiteral("degraded"));
    const double margin = std::max(0.01, 0.12 * (high - low));
    yAxis->setLabel(performance.metric);
    yAxis->setRange(low - margin, high + margin);
    legend->setVisible(true);
    replot();
}

void WindowChart::showPredictions(const DriftReport &report, const PredictionDrift &predictions)
{
    QStringList labels;
    for (const WindowDrift &window : report.windows)
        labels.append(window.label);
    reset(Kind::Predictions, QStringLiteral("Predictions over time"), labels);
    const QString reference = predictions.referenceWindows == 1
        ? QStringLiteral("the first window")
        : QStringLiteral("the first %1 windows").arg(predictions.referenceWindows);
    std::vector<std::size_t> scored;
    for (std::size_t w = 0; w < predictions.summaries.size() && w < report.windows.size(); ++w) {
        const DriftCell &cell = predictions.windows[w];
        if (!cell.score) {
            mToolTips[qsizetype(w)] = QStringLiteral("%1: %2").arg(labels[qsizetype(w)], cell.error);
            continue;
        }
        scored.push_back(w);
        mToolTips[qsizetype(w)] = QStringLiteral("%1 (%2 rows scored)\nagainst %3: %4 %5 (%6)")
                                      .arg(labels[qsizetype(w)])
                                      .arg(predictions.summaries[w].rows)
                                      .arg(reference)
                                      .arg(methodTitle(predictions.method))
                                      .arg(cell.score->statistic, 0, 'g', 4)
                                      .arg(cell.score->drifted ? QStringLiteral("drifted") : QStringLiteral("no drift"));
    }
    if (scored.empty()) {
        showMessage(QStringLiteral("Predictions over time"), QStringLiteral("No window could be scored."));
        return;
    }
    if (predictions.classes.isEmpty())
        showPercentiles(predictions, scored);
    else
        showClassShares(predictions, scored);
    mAlerts->setName(QStringLiteral("predictions drifted"));
    legend->setVisible(true);
    replot();
}

void WindowChart::showClassShares(const PredictionDrift &predictions, const std::vector<std::size_t> &scored)
{
    // Two classes: the second's share says it all; more: one line per class.
    const QStringList &classes = predictions.classes;
    const qsizetype first = classes.size() == 2 ? 1 : 0;
    QVector<double> alertX, alertY;
    for (qsizetype c = first; c < classes.size(); ++c) {
        QVector<double> x, y;
        for (std::size_t w : scored) {
            const double share = 100.0 * predictions.summaries[w].classShares[std::size_t(c)];
            x.append(double(w));
            y.append(share);
            if (c == first) {
                mValues[qsizetype(w)] = share;
                if (predictions.windows[w].score->drifted) {
                    alertX.append(double(w));
                    alertY.append(share);
                }
            }
            mToolTips[qsizetype(w)] += QStringLiteral("\npredicted %1: %2%").arg(classes[c]).arg(share, 0, 'f', 1);
        }
        addValueLine(x, y, QStringLiteral("predicted %1").arg(classes[c]), chart::seriesColor(int(c - first)));
    }
    addAlertMarkers(alertX, alertY);
    double top = 0;
    for (int g = 0; g < graphCount(); ++g)
        for (auto point = graph(g)->data()->constBegin(); point != graph(g)->data()->constEnd(); ++point)
            top = std::max(top, point->value);
    yAxis->setLabel(QStringLiteral("% of rows"));
    yAxis->setRange(0, std::min(100.0, std::max(5.0, top * 1.4)));
}

void WindowChart::showPercentiles(const PredictionDrift &predictions, const std::vector<std::size_t> &scored)
{
    QVector<double> x, p10, p25, p50, p75, p90, alertX, alertY;
    for (std::size_t w : scored) {
        const auto &p = predictions.summaries[w].percentiles;
        x.append(double(w));
        p10.append(p[0]);
        p25.append(p[1]);
        p50.append(p[2]);
        p75.append(p[3]);
        p90.append(p[4]);
        mValues[qsizetype(w)] = p[2];
        mToolTips[qsizetype(w)] += QStringLiteral("\nmedian %1, 25-75%: [%2, %3], 10-90%: [%4, %5]")
                                       .arg(p[2], 0, 'g', 5)
                                       .arg(p[1], 0, 'g', 5)
                                       .arg(p[3], 0, 'g', 5)
                                       .arg(p[0], 0, 'g', 5)
                                       .arg(p[4], 0, 'g', 5);
        if (predictions.windows[w].score->drifted) {
            alertX.append(double(w));
            alertY.append(p[2]);
        }
    }
    addBand(x, p10, p90, chart::accent().lighter(130), QStringLiteral("10-90%"));
    addBand(x, p25, p75, chart::accent(), QStringLiteral("25-75%"));
    addValueLine(x, p50, QStringLiteral("median"), chart::accent());
    addAlertMarkers(alertX, alertY);
    const double low = *std::min_element(p10.begin(), p10.end()), high = *std::max_element(p90.begin(), p90.end());
    const double margin = std::max(1e-9, 0.08 * (high - low));
    yAxis->setLabel(QStringLiteral("prediction"));
    yAxis->setRange(low - margin, high + margin);
}

void WindowChart::showService(const ServiceHistory &service)
{
    QStringList labels;
    for (const ServiceWindow &window : service.windows)
        labels.append(window.label);
    reset(Kind::Service, QStringLiteral("Service: latency and errors per %1").arg(windowPeriodName(service.period)), labels);
    auto *errors = new QCPBars(xAxis, yAxis2);
    errors->setName(QStringLiteral("error rate (right)"));
    errors->setWidth(0.6);
    errors->setPen(Qt::NoPen);
    errors->setBrush(withAlpha(themeColors().alert, 90));
    QVector<double> x, p50, p95, p99;
    double topLatency = 0, topErrors = 0;
    for (std::size_t w = 0; w < service.windows.size(); ++w) {
        const ServiceWindow &window = service.windows[w];
        x.append(double(w));
        p50.append(window.p50Ms);
        p95.append(window.p95Ms);
        p99.append(window.p99Ms);
        errors->addData(double(w), 100.0 * window.errorRate);
        topLatency = std::max(topLatency, window.p99Ms);
        topErrors = std::max(topErrors, 100.0 * window.errorRate);
        mValues[qsizetype(w)] = window.p99Ms;
        mToolTips[qsizetype(w)] = QStringLiteral("%1\n%2 requests (%3 per second on average), %4 rows scored\n"
                                                 "%5 failed (%6%)\nlatency p50 %7 ms, p95 %8 ms, p99 %9 ms, max %10 ms")
                                      .arg(window.label)
                                      .arg(window.requests)
                                      .arg(window.requestsPerSecond, 0, 'g', 3)
                                      .arg(window.rows)
                                      .arg(window.errors)
                                      .arg(100.0 * window.errorRate, 0, 'f', 2)
                                      .arg(window.p50Ms, 0, 'f', 2)
                                      .arg(window.p95Ms, 0, 'f', 2)
                                      .arg(window.p99Ms, 0, 'f', 2)
                                      .arg(window.maxMs, 0, 'f', 2);
    }
    addValueLine(x, p50, QStringLiteral("p50"), chart::accent());
    addValueLine(x, p95, QStringLiteral("p95"), chart::secondAccent());
    addValueLine(x, p99, QStringLiteral("p99"), themeColors().alert);
    yAxis->setLabel(QStringLiteral("latency (ms)"));
    yAxis->setRange(0, std::max(1.0, topLatency * 1.15));
    yAxis2->setVisible(true);
    yAxis2->setTickLabels(true);
    yAxis2->setLabel(QStringLiteral("failed requests (%)"));
    yAxis2->setRange(0, std::max(1.0, topErrors * 1.6));
    legend->setVisible(true);
    replot();
}

QPoint WindowChart::windowPoint(std::size_t window) const
{
    const double value = window < std::size_t(mValues.size()) ? mValues[qsizetype(window)] : NAN;
    return QPoint(int(std::lround(xAxis->coordToPixel(double(window)))),
                  int(std::lround(yAxis->coordToPixel(std::isfinite(value) ? value : yAxis->range().center()))));
}

long WindowChart::windowAt(const QPoint &position) const
{
    if (!axisRect()->rect().contains(position) || mWindows.isEmpty())
        return -1;
    const long w = std::lround(xAxis->pixelToCoord(position.x()));
    return w >= 0 && w < mWindows.size() ? w : -1;
}

void WindowChart::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    const long w = event->buttons() == Qt::NoButton ? windowAt(event->pos()) : -1;
    if (w >= 0 && !mToolTips[w].isEmpty())
        QToolTip::showText(event->globalPosition().toPoint(), mToolTips[w], this);
    else
        QToolTip::hideText();
}

void WindowChart::resizeEvent(QResizeEvent *event)
{
    // Before the base class replots at the new size.
    xAxis->setTicker(windowTicker(mWindows, event->size().width() - 80));
    QCustomPlot::resizeEvent(event);
}

void WindowChart::mousePressEvent(QMouseEvent *event)
{
    mPressPosition = event->pos();
    QCustomPlot::mousePressEvent(event);
}

void WindowChart::mouseReleaseEvent(QMouseEvent *event)
{
    QCustomPlot::mouseReleaseEvent(event);
    const long w = windowAt(event->pos());
    if (event->button() == Qt::LeftButton && w >= 0 && (event->pos() - mPressPosition).manhattanLength() < 5)
        emit windowClicked(std::size_t(w));
}

} // namespace plumb::ui
