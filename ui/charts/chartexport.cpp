#include "ui/charts/chartexport.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QPdfWriter>
#include <QSaveFile>

namespace plumb::ui::chart {

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
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Plumb Workbench"));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Landscape);
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
        writer.setResolution(96); // charts keep their on-screen proportions and font sizes
        QCPPainter painter(&writer);
        const QRect page = writer.pageLayout().paintRectPixels(writer.resolution());
        for (qsizetype i = 0; i < charts.size(); ++i) {
            if (i > 0)
                writer.newPage();
            charts[i]->toPainter(&painter, page.width(), page.height());
        }
    }
    if (bytes.isEmpty()) {
        error = QStringLiteral("cannot draw the charts for %1").arg(path);
        return false;
    }
    return saveBytes(bytes, path, error);
}

} // namespace plumb::ui::chart
