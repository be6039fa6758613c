#pragma once

#include <QList>
#include <QRect>
#include <QString>

class QCustomPlot;
class QWidget;

namespace plumb::ui::chart {

// Writes `area` (a widget holding charts) as one PNG picture. Goes through QSaveFile: a failed
// write leaves no partial file. False with `error` naming the file and the reason.
bool savePng(QWidget *area, const QString &path, QString &error);
// Writes each chart on its own landscape A4 page of one PDF, drawn as vectors, under a heading
// line with `title` (pdfPageLayout). The charts are laid out for the screen again afterwards.
bool savePdf(const QList<QCustomPlot *> &charts, const QString &title, const QString &path, QString &error);
// Writes bytes to `path` through QSaveFile.
bool saveBytes(const QByteArray &bytes, const QString &path, QString &error);

// Where savePdf puts the parts of a page, in the page's pixels (inside its margins): the heading
// with the report's title on top, then the chart, whose own title, legend and plot (axis rect)
// lie within `chart`. Rows of their own, one under the other: none overlaps another. Empty
// rectangles for parts the chart does not show (no title, a hidden legend). `chartTitleText` is
// where the title's letters are drawn, measured in the PDF's own font metrics: inside its row
// when the page's resolution matches the one the chart measured its text with.
struct PdfPageLayout
{
    QRect page;
    QRect heading;
    QRect chart;
    QRect chartTitle;
    QRect chartTitleText;
    QRect legend;
    QRect plot;
};

// The layout savePdf gives `chart` on a page under `title`, measured by drawing the page (not
// written anywhere). Lays the chart out for the screen again afterwards.
PdfPageLayout pdfPageLayout(QCustomPlot *chart, const QString &title);

} // namespace plumb::ui::chart
