#include "ui/charts/chartstyle.h"

#include "ui/common/displayformat.h"

#include <QHash>

#include <cmath>
#include <typeinfo>

namespace plumb::ui::chart {

QColor seriesColor(int index)
{
    static const QColor colors[] = {QColor(0x25, 0x63, 0xeb), QColor(0xf5, 0x9e, 0x0b), QColor(0x10, 0xb9, 0x81),
                                    QColor(0xef, 0x44, 0x44), QColor(0x8b, 0x5c, 0xf6), QColor(0x06, 0xb6, 0xd4),
                                    QColor(0xec, 0x48, 0x99), QColor(0x64, 0x74, 0x8b)};
    return index == 0 ? accent() : colors[index % 8];
}

void styleAxis(QCPAxis *axis)
{
    QFont font = axis->tickLabelFont();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    axis->setTickLabelFont(font);
    axis->setTickLabelColor(axisText());
    axis->setLabelColor(axisText());
    axis->setBasePen(QPen(grid()));
    axis->setTickPen(QPen(grid()));
    axis->setSubTickPen(Qt::NoPen);
    axis->grid()->setPen(QPen(grid(), 1, Qt::SolidLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
    // A ticker of its own (text, dates, a log scale) stays; the plain one gives way.
    if (!axis->ticker() || typeid(*axis->ticker()) == typeid(QCPAxisTicker))
        axis->setTicker(QSharedPointer<NumberTicker>::create());
}

void stylePlot(QCustomPlot *plot, const QString &title)
{
    plot->setBackground(themeColors().chartBackground);
    for (QCPAxis *axis : {plot->xAxis, plot->yAxis})
        styleAxis(axis);
    styleLegend(plot->legend);
    plot->plotLayout()->insertRow(0);
    auto *element = new QCPTextElement(plot, title);
    QFont font = element->font();
    font.setBold(true);
    element->setFont(font);
    element->setTextColor(themeColors().chartTitle);
    element->setMargins(QMargins(0, 8, 0, 0));
    plot->plotLayout()->addElement(0, 0, element);
    followTheme(plot);
}

void followTheme(QCustomPlot *plot)
{
    QObject::connect(themeNotifier(), &ThemeNotifier::changed, plot,
                     [plot](const ThemeColors &from, const ThemeColors &to) { recolor(plot, from, to); });
}

void styleLegend(QCPLegend *legend)
{
    legend->setBrush(themeColors().chartLegend);
    legend->setBorderPen(QPen(grid()));
    legend->setTextColor(themeColors().chartTitle);
}

namespace {

// Keeps a legend row's entries within the plot's width: as many side by side as fit.
class LegendWrapper : public QObject
{
public:
    explicit LegendWrapper(QCustomPlot *plot) : QObject(plot), mPlot(plot) { plot->installEventFilter(this); }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == mPlot && event->type() == QEvent::Resize)
            wrap();
        return false;
    }
    void wrap()
    {
        QCPLegend *legend = mPlot->legend;
        int widest = 1;
        // A wrapped grid has empty cells: walk its elements, not its item indexes.
        for (int i = 0; i < legend->elementCount(); ++i)
            if (QCPLayoutElement *element = legend->elementAt(i))
                widest = std::max(widest, element->minimumOuterSizeHint().width());
        const int columns = std::clamp(mPlot->width() / widest, 1, 4);
        if (columns != legend->wrap()) {
            legend->setWrap(columns);
            legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        }
    }

private:
    QCustomPlot *mPlot;
};

} // namespace

void placeLegendAboveAxes(QCustomPlot *plot)
{
    QCPLegend *legend = plot->legend;
    QFont font = legend->font();
    font.setPointSizeF(font.pointSizeF() * 0.8);
    legend->setFont(font);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    legend->setIconSize(16, 8);
    legend->setMargins(QMargins(4, 2, 4, 2));
    plot->axisRect()->insetLayout()->take(legend);
    plot->plotLayout()->insertRow(1);
    plot->plotLayout()->addElement(1, 0, legend);
    // The legend row as tall as its entries, the axes taking the rest.
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->plotLayout()->setRowSpacing(0);
    auto *wrapper = new LegendWrapper(plot);
    // Entries change with the data: wrap them again before each drawing.
    QObject::connect(plot, &QCustomPlot::beforeReplot, wrapper, &LegendWrapper::wrap);
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
    message->setColor(axisText());
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

double NumberTicker::getTickStep(const QCPRange &range)
{
    const double step = QCPAxisTicker::getTickStep(range);
    // Whole steps of 1, 2, 5, 10, ...: the nice step rounded up to one that is an integer.
    mStep = !mIntegerSteps ? step : step <= 1 ? 1 : std::ceil(step - 1e-9);
    return mStep;
}

QString NumberTicker::getTickLabel(double tick, const QLocale &, QChar, int)
{
    // A tick at 0 computed as 1e-17 reads as 0.
    if (mStep > 0 && std::fabs(tick) < mStep * 1e-9)
        tick = 0;
    return formatNumber(tick);
}

void fitTickCount(QCPAxis *axis, double lower, double upper, int most)
{
    const QFontMetrics metrics(axis->tickLabelFont());
    // Ticks are round numbers: the widest label is about an end of the range to two significant
    // digits (a padded end such as -1.36843 is never a label), and a digit more for safety.
    const auto rounded = [](double value) {
        if (value == 0 || !std::isfinite(value))
            return 0.0;
        const double scale = std::pow(10.0, std::floor(std::log10(std::fabs(value))) - 1);
        return std::round(value / scale) * scale;
    };
    const int label = std::max(metrics.horizontalAdvance(formatNumber(rounded(lower))),
                               metrics.horizontalAdvance(formatNumber(rounded(upper))))
        + metrics.horizontalAdvance(QStringLiteral("0"));
    // The plot less room for the other axis's labels and the title: the axis rect is laid out only
    // at the next replot.
    const QWidget *plot = axis->parentPlot();
    const int length = (axis->orientation() == Qt::Horizontal ? plot->width() : plot->height()) - 90;
    const int across = axis->orientation() == Qt::Horizontal ? label * 2 : metrics.height() * 3;
    const int fitting = length / std::max(1, across);
    axis->ticker()->setTickCount(std::clamp(fitting, 2, most));
}

namespace {

// Each colour of `from` mapped to the same role's colour in `to` (the first role wins where two
// roles share a colour). Compared by RGBA.
class ColorMap
{
public:
    ColorMap(const ThemeColors &from, const ThemeColors &to)
    {
        const QColor ThemeColors::*roles[] = {
            &ThemeColors::chartBackground, &ThemeColors::chartAxisText, &ThemeColors::chartGrid,
            &ThemeColors::chartReference,  &ThemeColors::chartTitle,    &ThemeColors::chartLegend,
            &ThemeColors::accent,          &ThemeColors::alert,         &ThemeColors::text,
            &ThemeColors::heading,         &ThemeColors::mutedText,     &ThemeColors::surface,
            &ThemeColors::border};
        for (auto role : roles)
            if (!mMap.contains((from.*role).rgba()))
                mMap.insert((from.*role).rgba(), to.*role);
    }
    QColor operator()(const QColor &color) const
    {
        const auto found = mMap.find(color.rgba());
        return found == mMap.end() ? color : *found;
    }
    QPen operator()(QPen pen) const
    {
        pen.setColor((*this)(pen.color()));
        return pen;
    }
    QBrush operator()(QBrush brush) const
    {
        if (brush.style() == Qt::SolidPattern)
            brush.setColor((*this)(brush.color()));
        return brush;
    }

private:
    QHash<QRgb, QColor> mMap;
};

void recolorAxis(QCPAxis *axis, const ColorMap &map)
{
    axis->setTickLabelColor(map(axis->tickLabelColor()));
    axis->setLabelColor(map(axis->labelColor()));
    axis->setBasePen(map(axis->basePen()));
    axis->setTickPen(map(axis->tickPen()));
    axis->grid()->setPen(map(axis->grid()->pen()));
}

} // namespace

void recolor(QCustomPlot *plot, const ThemeColors &from, const ThemeColors &to)
{
    const ColorMap map(from, to);
    plot->setBackground(to.chartBackground);
    for (QCPAxisRect *rect : plot->axisRects())
        for (QCPAxis *axis : rect->axes())
            recolorAxis(axis, map);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto *text = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            text->setTextColor(map(text->textColor()));
    QList<QCPLegend *> legends = plot->findChildren<QCPLegend *>();
    if (plot->legend && !legends.contains(plot->legend))
        legends.append(plot->legend);
    for (QCPLegend *legend : std::as_const(legends)) {
        legend->setBrush(map(legend->brush()));
        legend->setBorderPen(map(legend->borderPen()));
        legend->setTextColor(map(legend->textColor()));
        for (int i = 0; i < legend->elementCount(); ++i)
            if (auto *item = qobject_cast<QCPAbstractLegendItem *>(legend->elementAt(i)))
                item->setTextColor(map(item->textColor()));
    }
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem *item = plot->item(i);
        if (auto *text = qobject_cast<QCPItemText *>(item)) {
            text->setColor(map(text->color()));
            text->setBrush(map(text->brush()));
        } else if (auto *line = qobject_cast<QCPItemStraightLine *>(item)) {
            line->setPen(map(line->pen()));
        } else if (auto *segment = qobject_cast<QCPItemLine *>(item)) {
            segment->setPen(map(segment->pen()));
        } else if (auto *rect = qobject_cast<QCPItemRect *>(item)) {
            rect->setPen(map(rect->pen()));
            rect->setBrush(map(rect->brush()));
        }
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *plottable = plot->plottable(i);
        plottable->setPen(map(plottable->pen()));
        plottable->setBrush(map(plottable->brush()));
        if (auto *graph = qobject_cast<QCPGraph *>(plottable)) {
            QCPScatterStyle scatter = graph->scatterStyle();
            scatter.setPen(map(scatter.pen()));
            scatter.setBrush(map(scatter.brush()));
            graph->setScatterStyle(scatter);
        }
    }
    plot->replot();
}

} // namespace plumb::ui::chart
