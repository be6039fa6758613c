#pragma once

#include <QList>
#include <QString>

class QCustomPlot;
class QWidget;

namespace plumb::ui::chart {

// Writes `area` (a widget holding charts) as one PNG picture. Goes through QSaveFile: a failed
// write leaves no partial file. False with `error` naming the file and the reason.
bool savePng(QWidget *area, const QString &path, QString &error);
// Writes each chart on its own landscape A4 page of one PDF, drawn as vectors.
bool savePdf(const QList<QCustomPlot *> &charts, const QString &title, const QString &path, QString &error);
// Writes bytes to `path` through QSaveFile.
bool saveBytes(const QByteArray &bytes, const QString &path, QString &error);

} // namespace plumb::ui::chart
