#include "ui/screenshotrunner.h"

#include "ui/datadocument.h"
#include "ui/dataview.h"
#include "ui/mainwindow.h"
#include "ui/messagebanner.h"
#include "ui/parameterform.h"
#include "ui/trainsetuppanel.h"
#include "ui/trainview.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QPixmap>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

namespace plumb::ui {

namespace {

void reportError(const QString &message)
{
    QTextStream(stderr) << "plumb-workbench: " << message << Qt::endl;
}

} // namespace

ScreenshotRunner::ScreenshotRunner(MainWindow *window, QString directory, QObject *parent)
    : QObject(parent), mWindow(window), mDirectory(std::move(directory))
{
}

int ScreenshotRunner::run(MainWindow &window, const QString &directory, const QString &path)
{
    ScreenshotRunner runner(&window, directory);
    QEventLoop loop;
    int exitCode = 0;
    connect(&runner, &ScreenshotRunner::finished, &loop, [&](int code) {
        exitCode = code;
        loop.quit();
    });
    // Start from inside the loop, so a run that finishes at once still reaches quit().
    QTimer::singleShot(0, &runner, [&runner, &path] { runner.start(path); });
    loop.exec();
    return exitCode;
}

void ScreenshotRunner::start(const QString &path)
{
    mWindow->show();
    if (path.isEmpty()) {
        capture(0);
        return;
    }
    DataDocument *document = mWindow->document();
    // Capture from the event loop, once the document has left its busy state and the progress
    // strip is gone.
    connect(document, &DataDocument::datasetReplaced, this, [this] {
        QTimer::singleShot(0, this, [this] {
            selectShowcaseColumn();
            trainShowcaseModels();
        });
    });
    connect(document, &DataDocument::loadFailed, this, [this](const QString &message) {
        reportError(message);
        QTimer::singleShot(0, this, [this] { capture(1); });
    });
    connect(document, &DataDocument::loadCancelled, this, [this] {
        QTimer::singleShot(0, this, [this] { capture(1); });
    });
    if (!mWindow->openPath(path)) {
        // openPath has shown why in the Data view; the document emits nothing in that case.
        if (!mCaptured) {
            reportError(QStringLiteral("cannot open %1").arg(path));
            capture(1);
        }
    }
}

void ScreenshotRunner::selectShowcaseColumn()
{
    // The first float feature gives the fullest profile (histogram and quantiles); otherwise the
    // column the Data view selected by itself (the target, or the first column) stays selected.
    const Dataset &dataset = mWindow->document()->dataset();
    for (std::size_t i = 0; i < dataset.columnCount(); ++i) {
        const Column &column = dataset.column(i);
        if (column.type() == ColumnType::Float && column.role() == ColumnRole::Feature) {
            // Leave the table at its first columns: the picture shows the start of the data.
            mWindow->dataView()->selectColumn(int(i), false);
            return;
        }
    }
}

void ScreenshotRunner::trainShowcaseModels()
{
    // Only data with a target (a workspace names one) is trained on. Two real runs give the
    // history something to compare: a shallow tree, then a k-fold validated logistic regression
    // whose curves, confusion matrix and importance are shown. A run that cannot train leaves
    // its message in the view's banner; the screenshots are taken all the same.
    const Dataset &dataset = mWindow->document()->dataset();
    const bool hasTarget = std::any_of(dataset.columns().begin(), dataset.columns().end(),
                                       [](const Column &column) { return column.role() == ColumnRole::Target; });
    TrainView *train = mWindow->trainView();
    if (!hasTarget) {
        capture(0);
        return;
    }
    TrainSetupPanel *setup = train->setupPanel();
    setup->setModelKind(QStringLiteral("decision_tree"));
    setup->parameterForm()->setValue(QStringLiteral("max_depth"), QStringLiteral("4"));
    auto runs = std::make_shared<int>(0);
    connect(train, &TrainView::trainingFinished, this, [this, train, setup, runs](bool ok) {
        if (!ok)
            reportError(QStringLiteral("training for the screenshot failed: %1").arg(train->banner()->text()));
        if (!ok || ++*runs == 2) {
            QTimer::singleShot(0, this, [this] { capture(0); });
            return;
        }
        setup->setModelKind(QStringLiteral("logistic_regression"));
        setup->setValidation(ValidationScheme::parse(QStringLiteral("kfold:5")).value());
        QTimer::singleShot(0, train, [train] { train->startTraining(); });
    });
    if (!train->startTraining()) {
        reportError(QStringLiteral("cannot train on the loaded data: %1").arg(train->banner()->text()));
        capture(0);
    }
}

void ScreenshotRunner::capture(int loadStatus)
{
    if (mCaptured)
        return;
    mCaptured = true;
    if (!QDir().mkpath(mDirectory)) {
        reportError(QStringLiteral("cannot create %1").arg(mDirectory));
        emit finished(2);
        return;
    }
    const MainWindow::View shown = mWindow->currentView();
    int exitCode = loadStatus;
    for (int i = 0; i < MainWindow::kViewCount; ++i) {
        const auto view = MainWindow::View(i);
        mWindow->setCurrentView(view);
        // Let layouts and the chart settle before painting.
        QApplication::sendPostedEvents();
        QApplication::processEvents();
        const QString file = QDir(mDirectory).filePath(MainWindow::viewName(view) + QStringLiteral(".png"));
        if (!mWindow->grab().save(file)) {
            reportError(QStringLiteral("cannot write %1").arg(file));
            exitCode = 2;
            continue;
        }
        mWritten.append(file);
    }
    mWindow->setCurrentView(shown);
    emit finished(exitCode);
}

} // namespace plumb::ui
