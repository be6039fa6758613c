#include "ui/common/layoutcheck.h"

#include <qcustomplot.h>

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTextDocument>

#include <algorithm>

namespace plumb::ui {

namespace {

QString describe(const QWidget *widget)
{
    QString text;
    if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
        text = button->text();
    else if (const auto *label = qobject_cast<const QLabel *>(widget))
        text = label->text();
    text = text.simplified();
    if (text.size() > 40)
        text = text.left(39) + QChar(0x2026);
    QString name = QString::fromLatin1(widget->metaObject()->className());
    if (!widget->objectName().isEmpty())
        name += QLatin1Char('#') + widget->objectName();
    return text.isEmpty() ? name : QStringLiteral("%1 '%2'").arg(name, text);
}

// True for the viewport of a scroll area (its content moves inside it) and the scroll area's
// own internals.
bool scrollsItsChildren(const QWidget *parent)
{
    const auto *area = qobject_cast<const QAbstractScrollArea *>(parent->parentWidget());
    return area && area->viewport() == parent;
}

// The width one line of `label`'s text needs, or 0 when the label wraps, shows rich text or a
// picture (those lay themselves out).
int neededTextWidth(const QLabel *label)
{
    if (label->wordWrap() || label->text().isEmpty())
        return 0;
    if (label->textFormat() == Qt::RichText || (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text())))
        return 0;
    int width = 0;
    for (const QString &line : label->text().split(QLatin1Char('\n')))
        width = std::max(width, label->fontMetrics().horizontalAdvance(line));
    return width + 2 * label->margin();
}

// kReadablePlotHeight, or for a chart of labelled rows (a text ticker on its vertical axis: a bar
// per class or feature, a confusion matrix) what its rows need at a line of tick text each, when
// that is less: two classes' probabilities read well in 50 px.
int readablePlotHeight(const QCustomPlot *plot)
{
    const auto rows = plot->yAxis->ticker().dynamicCast<QCPAxisTickerText>();
    if (!rows || !plot->yAxis->tickLabels())
        return kReadablePlotHeight;
    const int line = QFontMetrics(plot->yAxis->tickLabelFont()).height();
    return std::min(kReadablePlotHeight, int(rows->ticks().size()) * line);
}

void check(const QWidget *widget, QStringList &problems)
{
    const QWidget *parent = widget->parentWidget();
    if (!widget->isWindow() && parent && !scrollsItsChildren(parent) && !parent->rect().contains(widget->geometry())) {
        problems.append(QStringLiteral("%1 reaches outside its parent %2 (%3,%4 %5x%6 in %7x%8)")
                            .arg(describe(widget), describe(parent))
                            .arg(widget->x())
                            .arg(widget->y())
                            .arg(widget->width())
                            .arg(widget->height())
                            .arg(parent->width())
                            .arg(parent->height()));
    }
    const bool field = qobject_cast<const QAbstractButton *>(widget) || qobject_cast<const QAbstractSpinBox *>(widget)
        || qobject_cast<const QComboBox *>(widget);
    if (field && widget->width() < widget->minimumSizeHint().width()) {
        problems.append(QStringLiteral("%1 is %2 px wide and needs %3")
                            .arg(describe(widget))
                            .arg(widget->width())
                            .arg(widget->minimumSizeHint().width()));
    }
    if (const auto *plot = qobject_cast<const QCustomPlot *>(widget); plot && plot->axisRect()) {
        const int height = plot->axisRect()->height();
        const int needed = readablePlotHeight(plot);
        if (height < needed) {
            problems.append(QStringLiteral("%1 plots in %2 px of height; a readable chart needs %3")
                                .arg(describe(widget))
                                .arg(height)
                                .arg(needed));
        }
    }
    if (const auto *label = qobject_cast<const QLabel *>(widget)) {
        const int needed = neededTextWidth(label);
        if (needed > label->contentsRect().width()) {
            problems.append(QStringLiteral("%1 is cut: %2 px shown of %3")
                                .arg(describe(widget))
                                .arg(label->contentsRect().width())
                                .arg(needed));
        }
        // A number cut short ("0.98…", "2…"), not a shortened hex digest ("9f3a0c1d2e4b5a67…").
        static const QRegularExpression elidedNumber(QStringLiteral("\\b\\d+([.,]\\d*)?\u2026"));
        if (label->text().contains(elidedNumber))
            problems.append(QStringLiteral("%1 shows an elided number").arg(describe(widget)));
    }
}

// A pane of widgets that needs a sideways scroll: its right part (a chart's half, the end of a
// sentence) is out of sight until scrolled to, or cut where the pane has no horizontal bar. Tables
// may scroll sideways (their columns are the data); a pane laid out for the window must not.
void checkSideways(const QWidget *widget, QStringList &problems)
{
    const auto *area = qobject_cast<const QScrollArea *>(widget);
    if (!area || !area->widget() || area->horizontalScrollBar()->maximum() <= 0)
        return;
    problems.append(QStringLiteral("%1 scrolls sideways: its content is %2 px wide in a %3 px viewport")
                        .arg(describe(widget))
                        .arg(area->widget()->width())
                        .arg(area->viewport()->width()));
}

void walk(const QWidget *widget, QStringList &problems, void (*check)(const QWidget *, QStringList &))
{
    for (const QObject *child : widget->children()) {
        if (!child->isWidgetType())
            continue;
        const auto *childWidget = static_cast<const QWidget *>(child);
        // A tab bar's scroll arrows are its own business: it shows them when the tabs do not fit.
        if (childWidget->isWindow() || !childWidget->isVisible() || qobject_cast<const QTabBar *>(widget))
            continue;
        check(childWidget, problems);
        walk(childWidget, problems, check);
    }
}

} // namespace

void keepPlotReadable(QCustomPlot *plot)
{
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        const QCPAxisRect *rect = plot->axisRect();
        if (!rect)
            return;
        // Short of a readable plot by so many pixels: the chart asks for that much more height
        // (once squeezed to the axis rect's own minimum the rest overflows, and the shortfall
        // shows in steps, enough after a layout or two). Only ever more: a minimum that followed
        // every pixel the axis labels move by would never settle.
        const int shortfall = kReadablePlotHeight - rect->height();
        if (shortfall <= 0)
            return;
        const int minimum = std::max(plot->minimumHeight(), plot->height() + shortfall);
        // Queued: a larger minimum resizes the chart at once, and a resize during a replot is
        // not laid out (QCustomPlot skips a replot inside another).
        if (minimum != plot->minimumHeight())
            QMetaObject::invokeMethod(
                plot, [plot, minimum] { plot->setMinimumHeight(minimum); }, Qt::QueuedConnection);
    });
}

QStringList layoutProblems(const QWidget *root)
{
    QStringList problems;
    if (root && root->isVisible()) {
        walk(root, problems, check);
        walk(root, problems, checkSideways);
    }
    return problems;
}

QStringList sidewaysScrollProblems(const QWidget *root)
{
    QStringList problems;
    if (root && root->isVisible())
        walk(root, problems, checkSideways);
    return problems;
}

} // namespace plumb::ui
