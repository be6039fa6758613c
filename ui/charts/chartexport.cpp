#include "ui/charts/chartexport.h"

#include "ui/common/theme.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QGuiApplication>
#include <QPdfWriter>
#include <QSaveFile>
#include <QScreen>

#include <cmath>

namespace plumb::ui::chart {

namespace {

// The PDF's pixels per inch: the screen's logical DPI, the one the charts measure their text with
// (QFontMetrics without a device). At any other resolution a title laid out for one size is
// drawn at another, and runs into the legend row beneath it.
int pdfResolution()
{
    const QScreen *screen = QGuiApplication::primaryScreen();
    return screen ? int(std::lround(screen->logicalDotsPerInchY())) : 96;
}

void setUpWriter(QPdfWriter &writer, const QString &title)
{
    writer.setTitle(title);
    writer.setCreator(QStringLiteral("Plumb Workbench"));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageOrientation(QPageLayout::Landscape);
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    writer.setResolution(pdfResolution()); // charts keep their on-screen proportions and font sizes
}

QFont headingFont(const QCustomPlot *chart)
{
    QFont font = chart->font();
    font.setBold(true);
    return font;
}

// The chart's title and legend as laid out now (the first text element of the plot layout, and
// the legend when it is shown), moved by `offset`.
void readParts(const QCustomPlot *chart, QPaintDevice &device, QPoint offset, PdfPageLayout &layout)
{
    for (int i = 0; i < chart->plotLayout()->elementCount(); ++i)
        if (auto *text = qobject_cast<QCPTextElement *>(chart->plotLayout()->elementAt(i)); text && text->visible()) {
            layout.chartTitle = text->outerRect().translated(offset);
            // QCPTextElement centres its text in its inner rectangle, at the device's font size.
            QRect letters = QFontMetrics(text->font(), &device).boundingRect(QRect(), Qt::AlignCenter, text->text());
            letters.moveCenter(text->rect().center());
            layout.chartTitleText = letters.translated(offset);
            break;
        }
    if (chart->legend && chart->legend->realVisibility() && chart->legend->itemCount() > 0)
        layout.legend = chart->legend->outerRect().translated(offset);
    if (chart->axisRect())
        layout.plot = chart->axisRect()->rect().translated(offset);
}

// Draws one page: the heading, then the chart below it. Returns where each part went.
PdfPageLayout drawPage(QCPPainter &painter, QPaintDevice &device, QCustomPlot *chart, const QString &title, const QRect &page)
{
    PdfPageLayout layout;
    layout.page = page;
    const QFont font = headingFont(chart);
    const QFontMetrics metrics(font, &device);
    layout.heading = QRect(page.left(), page.top(), page.width(), metrics.height() + metrics.height() / 2);
    layout.chart = QRect(page.left(), layout.heading.bottom() + 1, page.width(), page.bottom() - layout.heading.bottom());
    painter.save();
    painter.setFont(font);
    painter.setPen(themeColors().printText);
    painter.drawText(layout.heading, Qt::AlignLeft | Qt::AlignTop,
                     metrics.elidedText(title, Qt::ElideMiddle, layout.heading.width()));
    painter.translate(layout.chart.topLeft());
    chart->toPainter(&painter, layout.chart.width(), layout.chart.height());
    painter.restore();
    // toPainter leaves the layout as it drew it (QCustomPlot 2.1 lays out in draw()): read it,
    // then lay the chart out for the screen again.
    readParts(chart, device, layout.chart.topLeft(), layout);
    chart->replot();
    return layout;
}

} // namespace

bool saveBytes(const QByteArray &bytes, const QString &path, QString &error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool savePng(QWidget *area, const QString &path, QString &error)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!area->grab().save(&buffer, "PNG")) {
        error = QStringLiteral("cannot draw the charts for %1").arg(path);
        return false;
    }
    return saveBytes(bytes, path, error);
}

bool savePdf(const QList<QCustomPlot *> &charts, const QString &title, const QString &path, QString &error)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        setUpWriter(writer, title);
        QCPPainter painter(&writer);
        const QRect page(QPoint(0, 0), writer.pageLayout().paintRectPixels(writer.resolution()).size());
        for (qsizetype i = 0; i < charts.size(); ++i) {
            if (i > 0)
                writer.newPage();
            drawPage(painter, writer, charts[i], title, page);
        }
    }
    if (bytes.isEmpty()) {
        error = QStringLiteral("cannot draw the charts for %1").arg(path);
        return false;
    }
    return saveBytes(bytes, path, error);
}

PdfPageLayout pdfPageLayout(QCustomPlot *chart, const QString &title)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    setUpWriter(writer, title);
    QCPPainter painter(&writer);
    const QRect page(QPoint(0, 0), writer.pageLayout().paintRectPixels(writer.resolution()).size());
    return drawPage(painter, writer, chart, title, page);
}

} // namespace plumb::ui::chart
