#include "ui/charts/shapsummarychart.h"

#include "ui/charts/chartstyle.h"
#include "ui/common/displayformat.h"
#include "ui/common/wraprow.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace plumb::ui {

namespace {

// The "no summary" sentence is a paragraph (why, and what to do): drawn in lines of at most
// this many characters, it stays inside the plot at 1024x640 instead of running off both sides.
constexpr int kMessageColumns = 70;

QString wrappedAtSpaces(const QString &text, int columns)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > columns) {
            lines.append(line);
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        lines.append(line);
    return lines.join(QLatin1Char('\n'));
}

constexpr int kColourSteps = 9; // low .. high, one graph each
constexpr double kRowHalfHeight = 0.38; // how far a point may be jittered from its row's centre

// The colour of a feature value at percentile `position` (0 low, 1 high): the accent blue through
// a light middle to the alert red, as the shap package's blue-to-red; readable on both schemes.
QColor valueColour(double position)
{
    const ThemeColors &c = themeColors();
    const QColor low = c.accent, high = c.alert;
    const auto mix = [](const QColor &a, const QColor &b, double t) {
        return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                                float(a.blueF() + (b.blueF() - a.blueF()) * t));
    };
    return mix(low, high, std::clamp(position, 0.0, 1.0));
}

QColor neutralColour()
{
    return themeColors().faintText;
}

// Vertical offsets for the points of one beeswarm row: points whose x values fall in the same of
// `bins` bins across the range are spread alternately above and below the row's centre, the
// offset growing with the crowd (as the shap package's beeswarm stacks by density).
std::vector<double> jitter(const std::vector<double> &xs, double lower, double upper, int bins)
{
    std::vector<double> out(xs.size(), 0.0);
    std::map<int, int> counts;
    for (const double x : xs) {
        const int bin = int(std::floor((x - lower) / std::max(upper - lower, 1e-12) * bins));
        ++counts[bin];
    }
    int crowd = 1;
    for (const auto &[bin, count] : counts)
        crowd = std::max(crowd, count);
    const double step = std::min(0.08, 2 * kRowHalfHeight / double(crowd));
    std::map<int, int> placed;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const int bin = int(std::floor((xs[i] - lower) / std::max(upper - lower, 1e-12) * bins));
        const int k = placed[bin]++;
        const double offset = double((k + 1) / 2) * step * (k % 2 ? 1 : -1);
        out[i] = std::clamp(offset, -kRowHalfHeight, kRowHalfHeight);
    }
    return out;
}

QString methodName(ShapMethod method)
{
    return method == ShapMethod::TreeShap ? QStringLiteral("exact TreeSHAP") : QStringLiteral("exact linear SHAP");
}

} // namespace

ShapSummaryChart::ShapSummaryChart(QWidget *parent)
    : QWidget(parent), mHeading(new QLabel), mNote(new QLabel), mOutput(new QComboBox), mBars(new QCustomPlot),
      mSwarm(new QCustomPlot)
{
    setObjectName(QStringLiteral("ShapSummaryChart"));
    mHeading->setObjectName(QStringLiteral("StatLabel"));
    mHeading->setWordWrap(true);
    mNote->setObjectName(QStringLiteral("StatLabel"));
    mNote->setWordWrap(true);
    mOutput->setObjectName(QStringLiteral("ShapOutputBox"));
    mOutput->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    chart::stylePlot(mBars, QStringLiteral("Mean |SHAP| per feature"));
    chart::stylePlot(mSwarm, QStringLiteral("SHAP value of each explained row"));
    mBars->setMinimumSize(220, 260);
    mSwarm->setMinimumSize(320, 260);
    mBarsMessage = chart::addCentredMessage(mBars);

    auto *outputRow = new QHBoxLayout;
    outputRow->setContentsMargins(0, 0, 0, 0);
    mOutputLabel = new QLabel(QStringLiteral("Beeswarm of the class"));
    mOutputLabel->setObjectName(QStringLiteral("StatLabel"));
    outputRow->addWidget(mOutputLabel);
    outputRow->addWidget(mOutput);
    outputRow->addStretch(1);
    mOutputLabel->setVisible(false);
    mOutput->setVisible(false);
    connect(mOutput, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && !mSummary.isEmpty())
            drawBeeswarm(index);
    });
    // Side by side where both fit their minimum widths, the bars above the beeswarm in a narrow pane.
    auto *plots = new WrapRow;
    plots->addWidget(mBars, 2);
    plots->addWidget(mSwarm, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(mHeading);
    layout->addLayout(outputRow);
    layout->addWidget(plots, 1);
    layout->addWidget(mNote);
    // The beeswarm's colours are mixed from the scheme's: drawn again when it changes.
    connect(themeNotifier(), &ThemeNotifier::changed, this, [this] {
        if (!mSummary.isEmpty())
            showSummary(ShapSummary(mSummary), int(mOrder.size()));
    });
    showMessage(QStringLiteral("Train a model to see its SHAP summary"));
}

int ShapSummaryChart::pointCount() const
{
    int points = 0;
    for (int i = 0; i < mSwarm->graphCount(); ++i)
        points += mSwarm->graph(i)->dataCount();
    return points;
}

QString ShapSummaryChart::message() const
{
    return mSummary.isEmpty() ? mMessage : QString();
}

QString ShapSummaryChart::axisTitle() const
{
    return mSwarm->xAxis->label();
}

QString ShapSummaryChart::note() const
{
    return mNote->text();
}

void ShapSummaryChart::showMessage(const QString &message)
{
    mSummary = {};
    mOrder.clear();
    mShown.clear();
    mHeading->clear();
    mNote->clear();
    mOutput->setVisible(false);
    mOutputLabel->setVisible(false);
    for (QCustomPlot *plot : {mBars, mSwarm}) {
        plot->clearPlottables();
        plot->clearGraphs();
        plot->xAxis->setLabel({});
    }
    if (mScale) {
        mSwarm->plotLayout()->remove(mScale);
        mSwarm->plotLayout()->simplify();
        mScale = nullptr;
    }
    // One plot carries the sentence, across the whole width.
    mSwarm->setVisible(false);
    chart::setTitle(mBars, QStringLiteral("SHAP summary"));
    mMessage = message;
    chart::showMessageOnBareAxes(mBars, mBarsMessage, wrappedAtSpaces(message, kMessageColumns));
    mBars->replot();
    mSwarm->replot();
}

void ShapSummaryChart::showSummary(const ShapSummary &summary, int limit)
{
    if (summary.isEmpty()) {
        showMessage(QStringLiteral("This model has no SHAP summary"));
        return;
    }
    mSummary = summary;
    const std::vector<std::size_t> ranking = summary.ranking();
    mOrder.assign(ranking.begin(), ranking.begin() + std::min<std::ptrdiff_t>(limit, std::ptrdiff_t(ranking.size())));
    mShown.clear();
    for (std::size_t f : mOrder)
        mShown.append(summary.features[f].feature);
    mBarsMessage->setVisible(false);
    mSwarm->setVisible(true);
    chart::setTitle(mBars, QStringLiteral("Mean |SHAP| per feature"));

    const QString sample = summary.explainedRows < summary.validationRows
        ? QStringLiteral("%1 of the %2 validation rows (an evenly spaced sample; at most 1,000 are explained)")
              .arg(formatCount(std::size_t(summary.explainedRows)), formatCount(std::size_t(summary.validationRows)))
        : QStringLiteral("all %1 validation rows").arg(formatCount(std::size_t(summary.validationRows)));
    mHeading->setText(
        QStringLiteral("SHAP summary: %1 of %2, on %3.")
            .arg(methodName(summary.method),
                 summary.outputs.size() == 1 ? summary.outputs.front() : QStringLiteral("each class's %1").arg(summary.space),
                 sample));
    QString note = QStringLiteral("Bars: %1. Beeswarm: %2 of the explained rows, one point each; colour: the feature's "
                                  "value among the rows, low (blue) to high (red); grey: categorical or missing.")
                       .arg(summary.importanceLabel())
                       .arg(formatCount(std::size_t(summary.beeswarmRows())));
    if (int(summary.features.size()) > int(mOrder.size()))
        note
            += QStringLiteral(" The %1 most important of %2 features are shown.").arg(mOrder.size()).arg(summary.features.size());
    mNote->setText(note);

    drawBars();
    const bool several = summary.outputs.size() > 1;
    {
        const QSignalBlocker blocker(mOutput);
        mOutput->clear();
        mOutput->addItems(summary.outputLabels);
        mOutput->setCurrentIndex(several ? 0 : -1);
    }
    mOutput->setVisible(several);
    mOutputLabel->setVisible(several);
    drawBeeswarm(0);
}

void ShapSummaryChart::drawBars()
{
    mBars->clearPlottables();
    auto *bars = new QCPBars(mBars->yAxis, mBars->xAxis);
    QColor fill = chart::accent();
    fill.setAlpha(200);
    bars->setBrush(fill);
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.65);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int shown = int(mOrder.size());
    double highest = 0;
    for (int i = 0; i < shown; ++i) {
        const std::size_t f = mOrder[std::size_t(i)];
        const double key = shown - i; // the largest at the top
        bars->addData(key, mSummary.importance(f));
        ticker->addTick(key, mSummary.features[f].feature);
        highest = std::max(highest, mSummary.importance(f));
    }
    mBars->yAxis->setTicker(ticker);
    mBars->yAxis->setRange(0.4, shown + 0.6);
    mBars->yAxis->setTickLabels(true);
    mBars->yAxis->grid()->setVisible(false);
    mBars->xAxis->setRange(0, std::max(highest, 1e-12) * 1.08);
    mBars->xAxis->setTickLabels(true);
    mBars->xAxis->grid()->setVisible(true);
    chart::fitTickCount(mBars->xAxis, 0, mBars->xAxis->range().upper, 4);
    mBars->xAxis->setLabel(mSummary.outputs.size() == 1
                               ? QStringLiteral("mean |SHAP| (%1)").arg(mSummary.space)
                               : QStringLiteral("mean over classes of mean |SHAP| (%1)").arg(mSummary.space));
    mBars->replot();
}

void ShapSummaryChart::drawBeeswarm(int output)
{
    mSwarm->clearGraphs();
    mSwarm->clearItems();
    const std::size_t o = std::size_t(std::clamp(output, 0, mSummary.outputCount() - 1));
    const QCPRange range = beeswarmRange(o);
    plotBeeswarmPoints(o, range);
    styleBeeswarmAxes(o, range);
    showColourScale();
    mSwarm->replot();
}

QCPRange ShapSummaryChart::beeswarmRange(std::size_t output) const
{
    const std::size_t outputs = std::size_t(mSummary.outputCount());
    double lower = 0, upper = 0;
    for (std::size_t f : mOrder)
        for (std::size_t r = 0; r < std::size_t(mSummary.beeswarmRows()); ++r) {
            const double v = mSummary.features[f].values[r * outputs + output];
            lower = std::min(lower, v);
            upper = std::max(upper, v);
        }
    const double pad = std::max(upper - lower, 1e-9) * 0.05;
    return {lower - pad, upper + pad};
}

void ShapSummaryChart::plotBeeswarmPoints(std::size_t output, const QCPRange &range)
{
    // One graph per colour step and one for grey, each a scatter of discs.
    std::vector<QCPGraph *> graphs;
    for (int step = 0; step <= kColourSteps; ++step) {
        QCPGraph *graph = mSwarm->addGraph(mSwarm->xAxis, mSwarm->yAxis);
        graph->setLineStyle(QCPGraph::lsNone);
        QColor colour = step == kColourSteps ? neutralColour() : valueColour(double(step) / (kColourSteps - 1));
        colour.setAlpha(210);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 4.5));
        graph->setAdaptiveSampling(false);
        graphs.push_back(graph);
    }
    const std::size_t outputs = std::size_t(mSummary.outputCount());
    const int shown = int(mOrder.size());
    for (int i = 0; i < shown; ++i) {
        const ShapSummary::Feature &feature = mSummary.features[mOrder[std::size_t(i)]];
        const double row = shown - i;
        std::vector<double> xs;
        for (std::size_t r = 0; r < feature.positions.size(); ++r)
            xs.push_back(feature.values[r * outputs + output]);
        const std::vector<double> offsets = jitter(xs, range.lower, range.upper, 60);
        for (std::size_t r = 0; r < xs.size(); ++r) {
            const double position = feature.positions[r];
            const int step = position < 0 ? kColourSteps : int(std::lround(position * (kColourSteps - 1)));
            graphs[std::size_t(step)]->addData(xs[r], row + offsets[r]);
        }
    }
}

void ShapSummaryChart::styleBeeswarmAxes(std::size_t output, const QCPRange &range)
{
    const int shown = int(mOrder.size());
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < shown; ++i)
        ticker->addTick(shown - i, mSummary.features[mOrder[std::size_t(i)]].feature);
    mSwarm->yAxis->setTicker(ticker);
    mSwarm->yAxis->setRange(0.4, shown + 0.6);
    mSwarm->yAxis->setTickLabels(true);
    mSwarm->yAxis->grid()->setVisible(true);
    mSwarm->xAxis->setRange(range);
    mSwarm->xAxis->setTickLabels(true);
    mSwarm->xAxis->grid()->setVisible(true);
    chart::fitTickCount(mSwarm->xAxis, range.lower, range.upper, 6);
    // Zero: no effect, the base value.
    auto *zero = new QCPItemStraightLine(mSwarm);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(0, 1);
    zero->setPen(QPen(chart::reference(), 1, Qt::DashLine));
    mSwarm->xAxis->setLabel(QStringLiteral("SHAP value (%1); base value %2")
                                .arg(mSummary.outputs.value(int(output)), formatNumber(mSummary.base[output])));
}

void ShapSummaryChart::showColourScale()
{
    // The colour legend: "feature value: low ... high".
    if (!mScale) {
        mScale = new QCPColorScale(mSwarm);
        mScale->setType(QCPAxis::atRight);
        mScale->setBarWidth(8);
        mSwarm->plotLayout()->addElement(1, 1, mScale);
        auto *margins = new QCPMarginGroup(mSwarm);
        mSwarm->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
        mScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    }
    QCPColorGradient gradient;
    gradient.clearColorStops();
    for (int step = 0; step < kColourSteps; ++step)
        gradient.setColorStopAt(double(step) / (kColourSteps - 1), valueColour(double(step) / (kColourSteps - 1)));
    mScale->setGradient(gradient);
    mScale->setDataRange(QCPRange(0, 1));
    auto scaleTicks = QSharedPointer<QCPAxisTickerText>::create();
    scaleTicks->addTick(0, QStringLiteral("low"));
    scaleTicks->addTick(1, QStringLiteral("high"));
    mScale->axis()->setTicker(scaleTicks);
    chart::styleAxis(mScale->axis());
    mScale->axis()->setTicker(scaleTicks);
    mScale->axis()->setLabel(QStringLiteral("feature value"));
    mScale->axis()->setLabelColor(chart::axisText());
}

} // namespace plumb::ui
