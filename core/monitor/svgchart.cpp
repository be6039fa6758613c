#include "monitor/svgchart.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

constexpr double kFont = 11; // the axis text, in pixels

QString num(double value)
{
    return QString::number(value, 'f', 1);
}

} // namespace

QString xmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

std::vector<double> niceTicks(double lo, double hi, int maxTicks)
{
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo)
        return {};
    if (hi == lo)
        return {lo};
    // Heckbert's "nice numbers" (Graphics Gems, 1990): the step is 1, 2 or 5 x 10^k.
    const double rough = (hi - lo) / double(std::max(1, maxTicks - 1));
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (const double factor : {1.0, 2.0, 5.0, 10.0})
        if (factor * magnitude >= rough) {
            step = factor * magnitude;
            break;
        }
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1)
        ticks.push_back(std::abs(k * step) < step * 1e-9 ? 0.0 : k * step);
    return ticks;
}

QString tickText(double value, double step)
{
    const double magnitude = std::abs(value);
    if (magnitude >= 1e4) {
        const bool millions = magnitude >= 1e6;
        const double shown = value / (millions ? 1e6 : 1e3);
        return QString::number(shown, 'g', 3) + (millions ? QStringLiteral("M") : QStringLiteral("k"));
    }
    const int decimals = step > 0 && step < 1 ? std::min(8, int(std::ceil(-std::log10(step) - 1e-9))) : 0;
    return QString::number(value, 'f', decimals);
}

double estimatedTextWidth(const QString &text, double fontPixels)
{
    return 0.6 * fontPixels * double(text.size()); // DejaVu Sans averages about 0.55 em
}

std::vector<int> thinnedLabels(int count, double labelWidth, double width)
{
    std::vector<int> shown;
    if (count <= 0)
        return shown;
    const double slot = width / double(count);
    const int every = std::max(1, int(std::ceil((labelWidth + 6) / std::max(slot, 1e-9))));
    for (int i = 0; i < count; i += every)
        shown.push_back(i);
    return shown;
}

SvgChart::SvgChart(int width, int height) : mWidth(width), mHeight(height)
{
}

void SvgChart::setCategories(const QStringList &labels)
{
    mCategories = labels;
    setXRange(-0.5, double(labels.size()) - 0.5);
}

void SvgChart::setXRange(double lo, double hi)
{
    mFixedX = true;
    mXLo = lo;
    mXHi = hi;
}

void SvgChart::setYRange(double lo, double hi)
{
    mFixedY = true;
    mYLo = lo;
    mYHi = hi;
}

void SvgChart::addLine(const std::vector<double> &xs, const std::vector<double> &ys, const QString &cssClass, bool step)
{
    mItems.push_back({step ? Item::Kind::StepLine : Item::Kind::Line, xs, ys, {}, 0, 0, cssClass, {}, {}});
}

void SvgChart::addBand(const std::vector<double> &xs, const std::vector<double> &lower, const std::vector<double> &upper,
                       const QString &cssClass)
{
    mItems.push_back({Item::Kind::Band, xs, lower, upper, 0, 0, cssClass, {}, {}});
}

void SvgChart::addHorizontalLine(double y, const QString &cssClass, const QString &label)
{
    mItems.push_back({Item::Kind::HLine, {}, {y}, {}, y, y, cssClass, label, {}});
}

void SvgChart::addHorizontalBand(double y0, double y1, const QString &cssClass)
{
    mItems.push_back({Item::Kind::HBand, {}, {}, {}, y0, y1, cssClass, {}, {}});
}

void SvgChart::addBars(const std::vector<double> &xs, const std::vector<double> &ys, double width, double offset,
                       const QString &cssClass)
{
    std::vector<double> withZero = ys;
    withZero.push_back(0);
    mItems.push_back({Item::Kind::Bars, xs, withZero, {}, width, offset, cssClass, {}, {}});
}

void SvgChart::addMarkers(const std::vector<double> &xs, const std::vector<double> &ys, const QString &cssClass,
                          const QStringList &titles)
{
    mItems.push_back({Item::Kind::Markers, xs, ys, {}, 0, 0, cssClass, {}, titles});
}

void SvgChart::fitRanges(double &xlo, double &xhi, double &ylo, double &yhi) const
{
    double xMin = INFINITY, xMax = -INFINITY, yMin = INFINITY, yMax = -INFINITY;
    auto take = [](double value, double &low, double &high) {
        if (std::isfinite(value)) {
            low = std::min(low, value);
            high = std::max(high, value);
        }
    };
    for (const Item &item : mItems) {
        for (const double x : item.xs)
            take(x, xMin, xMax);
        for (const double y : item.ys)
            take(y, yMin, yMax);
        for (const double y : item.ys2)
            take(y, yMin, yMax);
        if (item.kind == Item::Kind::HLine)
            take(item.a, yMin, yMax);
    }
    xlo = mFixedX ? mXLo : xMin;
    xhi = mFixedX ? mXHi : xMax;
    ylo = mFixedY ? mYLo : yMin;
    yhi = mFixedY ? mYHi : yMax;
    if (!std::isfinite(xlo) || !std::isfinite(xhi))
        xlo = 0, xhi = 1;
    if (!std::isfinite(ylo) || !std::isfinite(yhi))
        ylo = 0, yhi = 1;
    if (xhi <= xlo)
        xlo -= 0.5, xhi += 0.5;
    if (!mFixedY) {
        const double pad = yhi > ylo ? 0.05 * (yhi - ylo) : std::max(0.5, std::abs(yhi) * 0.1);
        ylo = ylo >= 0 && ylo - pad < 0 ? 0 : ylo - pad;
        yhi += pad;
    }
}

double SvgChart::px(double x) const
{
    return mLeft + (x - mX0) / (mX1 - mX0) * (double(mWidth) - mLeft - mRight);
}

double SvgChart::py(double y) const
{
    const double clamped = std::clamp(y, mY0, mY1);
    return double(mHeight) - mBottom - (clamped - mY0) / (mY1 - mY0) * (double(mHeight) - mTop - mBottom);
}

QString SvgChart::axes(const std::vector<double> &yTicks) const
{
    const double bottom = double(mHeight) - mBottom, right = double(mWidth) - mRight;
    QString svg = QStringLiteral("<g class=\"axis\"><rect class=\"plot\" x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\"/>")
                      .arg(num(mLeft), num(mTop), num(right - mLeft), num(bottom - mTop));
    // Value ticks: nice numbers, never closer than a line of text (niceTicks' count is chosen from the height).
    const double step = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : 1.0;
    for (const double tick : yTicks) {
        if (tick < mY0 - 1e-12 || tick > mY1 + 1e-12)
            continue;
        svg += QStringLiteral(
                   "<line class=\"grid\" x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\"/><text x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>")
                   .arg(num(mLeft), num(right), num(py(tick)), num(mLeft - 4), num(py(tick) + 4), tickText(tick, step));
    }
    const double plotWidth = right - mLeft;
    if (!mCategories.isEmpty()) {
        double widest = 0;
        for (const QString &label : mCategories)
            widest = std::max(widest, estimatedTextWidth(label, kFont));
        for (const int i : thinnedLabels(int(mCategories.size()), widest, plotWidth))
            svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
                       .arg(num(px(i)), num(bottom + 14), xmlEscaped(mCategories[i]));
    } else {
        const std::vector<double> probe = niceTicks(mX0, mX1, 8);
        const double xStep = probe.size() > 1 ? probe[1] - probe[0] : 1.0;
        double widest = 0;
        for (const double tick : probe)
            widest = std::max(widest, estimatedTextWidth(tickText(tick, xStep), kFont));
        const int fit = std::max(2, int(plotWidth / (widest + 12)));
        const std::vector<double> xTicks = niceTicks(mX0, mX1, std::min(8, fit));
        const double shownStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : 1.0;
        for (const double tick : xTicks)
            svg += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
                       .arg(num(px(tick)), num(bottom + 14), tickText(tick, shownStep));
    }
    if (!mXLabel.isEmpty())
        svg += QStringLiteral("<text class=\"label\" x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>")
                   .arg(num(mLeft + plotWidth / 2), num(double(mHeight) - 4), xmlEscaped(mXLabel));
    if (!mYLabel.isEmpty())
        svg += QStringLiteral("<text class=\"label\" transform=\"translate(12 %1) rotate(-90)\" text-anchor=\"middle\">%2</text>")
                   .arg(num(mTop + (bottom - mTop) / 2), xmlEscaped(mYLabel));
    return svg + QStringLiteral("</g>");
}

// A line (or a step line) through the finite points, broken where a value is not finite.
QString SvgChart::lineItem(const Item &item) const
{
    const QString cls = xmlEscaped(item.cssClass);
    QString svg;
    QString points;
    double lastY = NAN;
    auto flush = [&] {
        if (!points.isEmpty())
            svg += QStringLiteral("<polyline class=\"%1\" points=\"%2\"/>").arg(cls, points.trimmed());
        points.clear();
    };
    for (std::size_t i = 0; i < item.xs.size() && i < item.ys.size(); ++i) {
        if (!std::isfinite(item.ys[i]) || !std::isfinite(item.xs[i])) {
            flush();
            lastY = NAN;
            continue;
        }
        if (item.kind == Item::Kind::StepLine && std::isfinite(lastY))
            points += QStringLiteral("%1,%2 ").arg(num(px(item.xs[i])), num(py(lastY)));
        points += QStringLiteral("%1,%2 ").arg(num(px(item.xs[i])), num(py(item.ys[i])));
        lastY = item.ys[i];
    }
    flush();
    return svg;
}

// The area between ys and ys2, one polygon per run of finite points.
QString SvgChart::bandItem(const Item &item) const
{
    const QString cls = xmlEscaped(item.cssClass);
    QString svg;
    std::size_t i = 0;
    const std::size_t n = std::min({item.xs.size(), item.ys.size(), item.ys2.size()});
    while (i < n) {
        std::size_t end = i;
        while (end < n && std::isfinite(item.ys[end]) && std::isfinite(item.ys2[end]))
            ++end;
        if (end > i) {
            QString points;
            for (std::size_t k = i; k < end; ++k)
                points += QStringLiteral("%1,%2 ").arg(num(px(item.xs[k])), num(py(item.ys2[k])));
            for (std::size_t k = end; k-- > i;)
                points += QStringLiteral("%1,%2 ").arg(num(px(item.xs[k])), num(py(item.ys[k])));
            svg += QStringLiteral("<polygon class=\"%1\" points=\"%2\"/>").arg(cls, points.trimmed());
        }
        i = end + 1;
    }
    return svg;
}

// A horizontal line at y = a across the plot, with its label at the right; nothing outside the range.
QString SvgChart::horizontalLineItem(const Item &item) const
{
    if (!std::isfinite(item.a) || item.a < mY0 || item.a > mY1)
        return {};
    const QString cls = xmlEscaped(item.cssClass);
    QString svg = QStringLiteral("<line class=\"%1\" x1=\"%2\" x2=\"%3\" y1=\"%4\" y2=\"%4\"/>")
                      .arg(cls, num(mLeft), num(double(mWidth) - mRight), num(py(item.a)));
    if (!item.label.isEmpty())
        svg += QStringLiteral("<text class=\"%1 note\" x=\"%2\" y=\"%3\" text-anchor=\"end\">%4</text>")
                   .arg(cls, num(double(mWidth) - mRight - 3), num(py(item.a) - 3), xmlEscaped(item.label));
    return svg;
}

// Bars of width a, shifted by b, from zero to each finite value.
QString SvgChart::barsItem(const Item &item) const
{
    const QString cls = xmlEscaped(item.cssClass);
    QString svg;
    const double scale = (double(mWidth) - mLeft - mRight) / (mX1 - mX0);
    const double zero = py(0);
    for (std::size_t i = 0; i < item.xs.size() && i + 1 < item.ys.size(); ++i) {
        if (!std::isfinite(item.ys[i]))
            continue;
        const double y = py(item.ys[i]);
        svg += QStringLiteral("<rect class=\"%1\" x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"/>")
                   .arg(cls, num(px(item.xs[i] + item.b - item.a / 2)), num(std::min(y, zero)),
                        num(std::max(0.5, item.a * scale)), num(std::abs(zero - y)));
    }
    return svg;
}

// A circle at each finite point, with its title when it has one.
QString SvgChart::markersItem(const Item &item) const
{
    const QString cls = xmlEscaped(item.cssClass);
    QString svg;
    for (std::size_t i = 0; i < item.xs.size() && i < item.ys.size(); ++i) {
        if (!std::isfinite(item.ys[i]))
            continue;
        const QString title = qsizetype(i) < item.titles.size() && !item.titles[i].isEmpty()
            ? QStringLiteral("<title>%1</title>").arg(xmlEscaped(item.titles[qsizetype(i)]))
            : QString();
        svg += QStringLiteral("<circle class=\"%1\" cx=\"%2\" cy=\"%3\" r=\"3.5\">%4</circle>")
                   .arg(cls, num(px(item.xs[i])), num(py(item.ys[i])), title);
    }
    return svg;
}

QString SvgChart::item(const Item &item) const
{
    switch (item.kind) {
    case Item::Kind::Line:
    case Item::Kind::StepLine:
        return lineItem(item);
    case Item::Kind::Band:
        return bandItem(item);
    case Item::Kind::HLine:
        return horizontalLineItem(item);
    case Item::Kind::HBand: {
        const double top = py(std::max(item.a, item.b)), bottom = py(std::min(item.a, item.b));
        if (bottom - top < 0.05)
            return {};
        return QStringLiteral("<rect class=\"%1\" x=\"%2\" y=\"%3\" width=\"%4\" height=\"%5\"/>")
            .arg(xmlEscaped(item.cssClass), num(mLeft), num(top), num(double(mWidth) - mLeft - mRight), num(bottom - top));
    }
    case Item::Kind::Bars:
        return barsItem(item);
    case Item::Kind::Markers:
        return markersItem(item);
    }
    return {};
}

QString SvgChart::toSvg(const QString &description) const
{
    fitRanges(mX0, mX1, mY0, mY1);
    const int fit = std::max(2, int((double(mHeight) - mTop - mBottom) / 22));
    const std::vector<double> yTicks = niceTicks(mY0, mY1, std::min(6, fit));
    if (!mFixedY && yTicks.size() > 1) { // end the axis on ticks
        mY0 = std::min(mY0, yTicks.front());
        mY1 = std::max(mY1, yTicks.back());
    }
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %1 %2\" "
                                 "width=\"%1\" height=\"%2\" role=\"img\" aria-label=\"%3\">")
                      .arg(mWidth)
                      .arg(mHeight)
                      .arg(xmlEscaped(description));
    svg += axes(yTicks);
    for (const Item &each : mItems)
        svg += item(each);
    return svg + QStringLiteral("</svg>");
}

} // namespace plumb
