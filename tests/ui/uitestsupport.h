#pragma once

// Shared by the ui suites: write a file into a temporary folder and load it
// through a DataDocument, waiting on the document's own signals.

#include "ui/common/theme.h"
#include "ui/data/datadocument.h"

#include <QApplication>
#include <QScrollArea>
#include <QScrollBar>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace plumb::ui::test {

// Generous: only a hang guard for a machine under load, never a performance expectation.
constexpr int kLoadTimeoutMs = 120000;

// A small table with every column type and a missing value in three of them.
inline const QByteArray kMixedCsv = "id,price,city,active,when\n"
                                    "1,2.5,Oslo,true,2024-01-02\n"
                                    "2,,Bergen,false,2024-01-03\n"
                                    "3,-1.25,,true,\n";

inline QString writeFile(const QTemporaryDir &directory, const QString &name, const QByteArray &content)
{
    const QString path = QDir(directory.path()).filePath(name);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return path;
}

// Waits until `document` is idle again; true when it finished without a failure.
inline bool waitUntilIdle(DataDocument &document)
{
    QSignalSpy failed(&document, &DataDocument::loadFailed);
    if (document.isBusy()) {
        QSignalSpy busy(&document, &DataDocument::busyChanged);
        if (!busy.wait(kLoadTimeoutMs))
            return false;
    }
    return !document.isBusy() && failed.isEmpty();
}

// Starts loading `path` and waits for it; true when a dataset arrived.
inline bool loadFile(DataDocument &document, const QString &path)
{
    QSignalSpy replaced(&document, &DataDocument::datasetReplaced);
    if (!document.openFile(path))
        return false;
    return waitUntilIdle(document) && replaced.size() == 1;
}

// For looking at a part of a view: with PLUMB_TEST_GRAB_DIR=DIR set, resizes `window` to 1024x640
// and 1440x900, scrolls `target` into view, and saves DIR/<name>-<size>-<scheme>.png in the light
// and the dark scheme (the light one restored after). Does nothing without the variable.
inline bool grabScrolledTo(QWidget &window, QWidget *target, const QString &name)
{
    const QString directory = qEnvironmentVariable("PLUMB_TEST_GRAB_DIR");
    if (directory.isEmpty())
        return true;
    bool saved = true;
    for (const ColorScheme scheme : {ColorScheme::Light, ColorScheme::Dark}) {
        applyTheme(*qApp, scheme);
        for (const QSize size : {QSize(1024, 640), QSize(1440, 900)}) {
            window.resize(size);
            window.show();
            QCoreApplication::processEvents();
            for (QWidget *parent = target->parentWidget(); parent; parent = parent->parentWidget())
                if (auto *scroll = qobject_cast<QScrollArea *>(parent)) {
                    scroll->ensureWidgetVisible(target, 0, 0);
                    scroll->horizontalScrollBar()->setValue(0); // the left edge, where a person starts reading
                }
            QCoreApplication::processEvents();
            const QString file
                = QStringLiteral("%1-%2x%3-%4.png").arg(name).arg(size.width()).arg(size.height()).arg(colorSchemeName(scheme));
            saved = window.grab().save(QDir(directory).filePath(file)) && saved;
        }
    }
    applyTheme(*qApp, ColorScheme::Light);
    return saved;
}

} // namespace plumb::ui::test
