#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace plumb {

// A small chart drawn as inline SVG text, for pages that must open offline (the drift report):
// a plot area with a left value axis and a bottom axis, lines, bands, bars and markers. The
// colours are CSS classes ("c-ref", "c-cur", "c-alert", ...) the page styles, so one page serves
// light and dark mode; no script, no external font (the page's font family applies).
//
// The bottom axis is either numeric (setXRange) or a list of labels at 0, 1, ... (setCategories);
// the value axis's range is fitted to everything added unless setYRange fixes it. NaN values are
// gaps in lines and are skipped elsewhere.

// Between 2 and about maxTicks round values (1, 2 or 5 times a power of ten) covering [lo, hi].
// Empty when the range is not finite; a single value when lo == hi.
std::vector<double> niceTicks(double lo, double hi, int maxTicks);

// A tick value as text: few digits, no trailing zeros, the step's precision ("0.05", "1.5k").
QString tickText(double value, double step);

// Which of `count` labels, each about `labelWidth` pixels wide, fit side by side in `width`
// pixels: every k-th, starting with the first. At least one when count > 0.
std::vector<int> thinnedLabels(int count, double labelWidth, double width);

// Roughly how wide `text` draws at `fontPixels` in a sans-serif font.
double estimatedTextWidth(const QString &text, double fontPixels);

class SvgChart
{
public:
    SvgChart(int width, int height);

    void setCategories(const QStringList &labels);
    void setXRange(double lo, double hi);
    void setYRange(double lo, double hi);
    void setXLabel(const QString &text) { mXLabel = text; }
    void setYLabel(const QString &text) { mYLabel = text; }

    // Points (xs[i], ys[i]) joined in order; a NaN y breaks the line. `step` draws a step
    // function (horizontal then vertical), as an empirical CDF.
    void addLine(const std::vector<double> &xs, const std::vector<double> &ys, const QString &cssClass, bool step = false);
    // The area between lower and upper at each x (NaN breaks it).
    void addBand(const std::vector<double> &xs, const std::vector<double> &lower, const std::vector<double> &upper,
                 const QString &cssClass);
    // A horizontal line across the plot, labelled at its right end.
    void addHorizontalLine(double y, const QString &cssClass, const QString &label = QString());
    // A shaded horizontal strip from y0 to y1 (clipped to the plot).
    void addHorizontalBand(double y0, double y1, const QString &cssClass);
    // Bars from 0 to ys[i], centred at xs[i] + offset, `width` in x units.
    void addBars(const std::vector<double> &xs, const std::vector<double> &ys, double width, double offset,
                 const QString &cssClass);
    // Markers at (xs[i], ys[i]), each with a tooltip `titles[i]` (empty: none).
    void addMarkers(const std::vector<double> &xs, const std::vector<double> &ys, const QString &cssClass,
                    const QStringList &titles = {});

    // The <svg> element: role="img" with `description` as its accessible name.
    QString toSvg(const QString &description) const;

private:
    struct Item
    {
        enum class Kind { Line, StepLine, Band, HLine, HBand, Bars, Markers } kind;
        std::vector<double> xs, ys, ys2;
        double a = 0, b = 0;
        QString cssClass, label;
        QStringList titles;
    };
    double px(double x) const;
    double py(double y) const;
    void fitRanges(double &xlo, double &xhi, double &ylo, double &yhi) const;
    QString axes(const std::vector<double> &yTicks) const;
    QString item(const Item &item) const;
    QString lineItem(const Item &item) const;
    QString bandItem(const Item &item) const;
    QString horizontalLineItem(const Item &item) const;
    QString barsItem(const Item &item) const;
    QString markersItem(const Item &item) const;

    int mWidth, mHeight;
    double mLeft = 52, mRight = 16, mTop = 10, mBottom = 34;
    QStringList mCategories;
    bool mFixedX = false, mFixedY = false;
    double mXLo = 0, mXHi = 1, mYLo = 0, mYHi = 1;
    QString mXLabel, mYLabel;
    std::vector<Item> mItems;
    // Resolved by toSvg.
    mutable double mX0 = 0, mX1 = 1, mY0 = 0, mY1 = 1;
};

// Text escaped for XHTML and SVG (&, <, >, ").
QString xmlEscaped(const QString &text);

} // namespace plumb
