#include "ui/screenshotrunner.h"

#include "data/workspace.h"
#include "serve/predictionlog.h"
#include "ui/charts/shapsummarychart.h"
#include "ui/common/layoutcheck.h"
#include "ui/common/messagebanner.h"
#include "ui/data/datadocument.h"
#include "ui/data/dataview.h"
#include "ui/mainwindow.h"
#include "ui/models/modeldetails.h"
#include "ui/models/modeldocument.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsview.h"
#include "ui/monitor/monitorview.h"
#include "ui/monitor/retraindialog.h"
#include "ui/monitor/windowchart.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/predictview.h"
#include "ui/train/parameterform.h"
#include "ui/train/trainresultspanel.h"
#include "ui/train/trainsetuppanel.h"
#include "ui/train/trainview.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QPixmap>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <memory>

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

int ScreenshotRunner::run(MainWindow &window, const QString &directory, const QString &path, QSize size)
{
    ScreenshotRunner runner(&window, directory);
    runner.setSize(size);
    QEventLoop loop;
    int exitCode = 0;
    connect(&runner, &ScreenshotRunner::finished, &loop, [&](int code) {
        exitCode = code;
        loop.quit();
    });
    // Start from inside the loop, so a run that finishes at once still reaches quit().
    QTimer::singleShot(0, &runner, [&runner, &path] { runner.start(path); });
    loop.exec();
    for (const QString &problem : runner.layoutProblems())
        reportError(QStringLiteral("at %1x%2, %3").arg(size.width()).arg(size.height()).arg(problem));
    return exitCode;
}

void ScreenshotRunner::start(const QString &path)
{
    // The size asked for, even below the window's usual minimum or beyond the (offscreen) screen.
    mWindow->setMinimumSize(mWindow->minimumSize().boundedTo(mSize));
    mWindow->resize(mSize);
    mWindow->show();
    if (path.isEmpty()) {
        capture(0);
        return;
    }
    if (path.endsWith(QLatin1String(".plumb"), Qt::CaseInsensitive)) {
        ModelDocument *model = mWindow->modelsView()->document();
        connect(model, &ModelDocument::modelLoaded, this, [this] { QTimer::singleShot(0, this, [this] { capture(0); }); });
        connect(model, &ModelDocument::loadFailed, this, [this](const QString &, const QString &message) {
            reportError(message);
            QTimer::singleShot(0, this, [this] { capture(1); });
        });
        mWindow->openPath(path);
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
    connect(document, &DataDocument::loadCancelled, this, [this] { QTimer::singleShot(0, this, [this] { capture(1); }); });
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
        openShowcaseModel(0);
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
            QTimer::singleShot(0, this, [this] { openShowcaseModel(0); });
            return;
        }
        setup->setModelKind(QStringLiteral("logistic_regression"));
        setup->setValidation(ValidationScheme::parse(QStringLiteral("kfold:5")).value());
        QTimer::singleShot(0, train, [train] { train->startTraining(); });
    });
    if (!train->startTraining()) {
        reportError(QStringLiteral("cannot train on the loaded data: %1").arg(train->banner()->text()));
        openShowcaseModel(0);
    }
}

void ScreenshotRunner::openShowcaseModel(int loadStatus)
{
    const Workspace *workspace = mWindow->document()->workspace();
    const QDir folder(workspace ? QDir(workspace->rootPath).filePath(QStringLiteral("models")) : QString());
    const QFileInfoList files = workspace ? folder.entryInfoList({QStringLiteral("*.plumb")}, QDir::Files, QDir::Name)
                                          : QFileInfoList();
    for (const QFileInfo &file : files)
        mModels.append(file.absoluteFilePath());
    // A signed model shows the whole signature card.
    std::stable_partition(mModels.begin(), mModels.end(),
                          [](const QString &model) { return QFile::exists(model + QStringLiteral(".minisig")); });
    if (mModels.isEmpty()) {
        capture(loadStatus);
        return;
    }
    ModelsView *view = mWindow->modelsView();
    // Capture once the folder list and the model are both in.
    auto pending = std::make_shared<int>(view->modelList()->isBusy() ? 2 : 1);
    const auto arrived = [this, pending, loadStatus] {
        if (--*pending == 0)
            QTimer::singleShot(0, this, [this, loadStatus] { computeMonitor(loadStatus); });
    };
    if (*pending == 2)
        connect(view->modelList(), &ModelListModel::listed, this, arrived, Qt::SingleShotConnection);
    // Both outcomes of the load go through one receiver, deleted at the first: later loads (the
    // tampered copy) must not count.
    auto *outcome = new QObject(this);
    connect(view->document(), &ModelDocument::modelLoaded, outcome, [outcome, arrived] {
        outcome->deleteLater();
        arrived();
    });
    connect(view->document(), &ModelDocument::loadFailed, outcome,
            [this, outcome, arrived](const QString &, const QString &message) {
                outcome->deleteLater();
                reportError(message);
                mExitCode = 1;
                arrived();
            });
    view->openModel(mModels.front());
}

void ScreenshotRunner::computeMonitor(int loadStatus)
{
    // The showcase model against the workspace's batches (the view took them from the workspace).
    MonitorView *monitor = mWindow->monitorView();
    MonitorSource source = monitor->source();
    if (mModels.isEmpty() || source.batches.empty()) {
        capture(loadStatus);
        return;
    }
    source.modelPath = mModels.front();
    monitor->setSource(source);
    auto *outcome = new QObject(this);
    connect(monitor->document(), &MonitorDocument::computed, outcome, [this, outcome, loadStatus] {
        outcome->deleteLater();
        QTimer::singleShot(0, this, [this, loadStatus] { capture(loadStatus); });
    });
    connect(monitor->document(), &MonitorDocument::failed, outcome, [this, outcome, loadStatus](const QString &message) {
        outcome->deleteLater();
        reportError(QStringLiteral("monitoring for the screenshot failed: %1").arg(message));
        QTimer::singleShot(0, this, [this, loadStatus] { capture(loadStatus); });
    });
    if (!monitor->compute()) {
        outcome->deleteLater();
        capture(loadStatus);
    }
}

bool ScreenshotRunner::grabTo(const QString &name)
{
    if (!grabTo(mWindow, name))
        return false;
    if (mWindow->size() != mSize) {
        mLayoutProblems.append(
            QStringLiteral("%1: the window needs %2x%3").arg(name).arg(mWindow->width()).arg(mWindow->height()));
    }
    for (const QString &problem : plumb::ui::layoutProblems(mWindow->viewWidget(mWindow->currentView())))
        mLayoutProblems.append(name + QStringLiteral(": ") + problem);
    return true;
}

bool ScreenshotRunner::grabTo(QWidget *widget, const QString &name)
{
    // Let layouts and charts settle before painting: a chart that asks for more height
    // (keepPlotReadable) is laid out again a round or two later.
    for (int round = 0; round < 4; ++round) {
        QApplication::sendPostedEvents();
        QApplication::processEvents();
    }
    const QString file = QDir(mDirectory).filePath(name + QStringLiteral(".png"));
    if (!widget->grab().save(file)) {
        reportError(QStringLiteral("cannot write %1").arg(file));
        mExitCode = 2;
        return false;
    }
    mWritten.append(file);
    return true;
}

void ScreenshotRunner::capture(int loadStatus)
{
    if (mCaptured)
        return;
    mCaptured = true;
    mExitCode = std::max(mExitCode, loadStatus);
    if (!QDir().mkpath(mDirectory)) {
        reportError(QStringLiteral("cannot create %1").arg(mDirectory));
        emit finished(2);
        return;
    }
    const MainWindow::View shown = mWindow->currentView();
    for (int i = 0; i < MainWindow::kViewCount; ++i) {
        const auto view = MainWindow::View(i);
        mWindow->setCurrentView(view);
        grabTo(MainWindow::viewName(view));
    }
    mWindow->setCurrentView(MainWindow::View::Train);
    captureShapSummary(mWindow->trainView()->resultsPanel()->shapChart(), QStringLiteral("train-shap"));
    mWindow->setCurrentView(shown);
    captureModelTabs();
    capturePredictBatch();
}

// The SHAP summary below the other validation charts: its view scrolled down to it, then back.
void ScreenshotRunner::captureShapSummary(QWidget *chart, const QString &name)
{
    std::vector<std::pair<QScrollArea *, int>> scrolled;
    for (QWidget *parent = chart->parentWidget(); parent; parent = parent->parentWidget())
        if (auto *scroll = qobject_cast<QScrollArea *>(parent)) {
            scrolled.emplace_back(scroll, scroll->verticalScrollBar()->value());
            scroll->ensureWidgetVisible(chart, 0, 0);
            scroll->horizontalScrollBar()->setValue(0);
        }
    grabTo(name);
    for (const auto &[scroll, value] : scrolled)
        scroll->verticalScrollBar()->setValue(value);
}

void ScreenshotRunner::capturePredictBatch()
{
    PredictView *predict = mWindow->predictView();
    const Workspace *workspace = mWindow->document()->workspace();
    if (!predict->model() || !workspace || workspace->batches.empty()) {
        captureComparison();
        return;
    }
    BatchScoringPanel *panel = predict->batchPanel();
    connect(
        panel->job(), &BatchScoringJob::finished, this,
        [this, predict] {
            QTimer::singleShot(0, this, [this, predict] {
                const MainWindow::View shown = mWindow->currentView();
                mWindow->setCurrentView(MainWindow::View::Predict);
                predict->tabs()->setCurrentIndex(1);
                grabTo(QStringLiteral("predict-batch"));
                predict->tabs()->setCurrentIndex(0);
                mWindow->setCurrentView(shown);
                captureComparison();
            });
        },
        Qt::SingleShotConnection);
    if (!panel->scoreFile(workspace->batches.front().path))
        captureComparison();
}

void ScreenshotRunner::captureModelTabs()
{
    ModelsView *view = mWindow->modelsView();
    if (!view->document()->model())
        return;
    const MainWindow::View shown = mWindow->currentView();
    mWindow->setCurrentView(MainWindow::View::Models);
    const QStringList names{QStringLiteral("features"), QStringLiteral("pipeline"), QStringLiteral("training-data"),
                            QStringLiteral("validation"), QStringLiteral("lineage")};
    for (int tab = 1; tab < view->details()->count() && tab < names.size(); ++tab) {
        view->details()->setCurrentIndex(tab);
        grabTo(QStringLiteral("models-") + names[tab]);
        if (tab == ModelDetails::ValidationTab)
            captureShapSummary(view->details()->shapChart(), QStringLiteral("models-shap"));
    }
    view->details()->setCurrentIndex(0);
    mWindow->setCurrentView(shown);
}

void ScreenshotRunner::captureComparison()
{
    ModelsView *view = mWindow->modelsView();
    if (mModels.size() < 2 || !view->document()->model()) {
        captureTampered();
        return;
    }
    connect(
        view->comparedDocument(), &ModelDocument::modelLoaded, this,
        [this] {
            QTimer::singleShot(0, this, [this] {
                mWindow->setCurrentView(MainWindow::View::Models);
                grabTo(QStringLiteral("models-compare"));
                captureTampered();
            });
        },
        Qt::SingleShotConnection);
    if (!view->compareWith(mModels.at(1)))
        captureTampered();
}

void ScreenshotRunner::captureTampered()
{
    if (mModels.isEmpty()) {
        finish();
        return;
    }
    // A copy of the showcase model with one byte of its manifest changed, as a careless edit or a
    // damaged download would leave it.
    auto directory = std::make_shared<QTemporaryDir>();
    QFile source(mModels.front());
    QByteArray bytes = source.open(QIODevice::ReadOnly) ? source.readAll() : QByteArray();
    const QString path = QDir(directory->path()).filePath(QFileInfo(mModels.front()).fileName());
    QFile copy(path);
    if (bytes.size() < 200 || !copy.open(QIODevice::WriteOnly)) {
        finish();
        return;
    }
    bytes[160] = char(bytes[160] ^ 0x20);
    copy.write(bytes);
    copy.close();
    ModelDocument *document = mWindow->modelsView()->document();
    connect(
        document, &ModelDocument::loadFailed, this,
        [this, directory] {
            QTimer::singleShot(0, this, [this, directory] {
                mWindow->setCurrentView(MainWindow::View::Models);
                grabTo(QStringLiteral("models-tampered"));
                captureScikitLearnScans();
            });
        },
        Qt::SingleShotConnection);
    if (!mWindow->modelsView()->openModel(path))
        captureScikitLearnScans();
}

void ScreenshotRunner::captureScikitLearnScans()
{
    if (!mScikitLearnFiles) {
        mScikitLearnFiles.emplace();
        if (const Workspace *workspace = mWindow->document()->workspace()) {
            const QDir folder(QDir(workspace->rootPath).filePath(QStringLiteral("scikit-learn")));
            for (const QFileInfo &file :
                 folder.entryInfoList({QStringLiteral("*.joblib"), QStringLiteral("*.pkl")}, QDir::Files, QDir::Name))
                mScikitLearnFiles->append(file.absoluteFilePath());
        }
    }
    if (mScikitLearnFiles->isEmpty()) {
        captureRetrain();
        return;
    }
    // One picture per file, named after it: models-scan-churn-pipeline.png, ...
    const QString file = mScikitLearnFiles->takeFirst();
    connect(
        mWindow->modelsView()->scanDocument(), &SklearnFileDocument::scanFinished, this,
        [this, file] {
            QTimer::singleShot(0, this, [this, file] {
                mWindow->setCurrentView(MainWindow::View::Models);
                grabTo(QStringLiteral("models-scan-") + QFileInfo(file).completeBaseName());
                captureScikitLearnScans();
            });
        },
        Qt::SingleShotConnection);
    if (!mWindow->modelsView()->openModel(file))
        finish();
}

void ScreenshotRunner::captureRetrain()
{
    MonitorView *monitor = mWindow->monitorView();
    if (monitor->document()->result()) {
        const MainWindow::View shown = mWindow->currentView();
        mWindow->setCurrentView(MainWindow::View::Monitor);
        monitor->trendTabs()->setCurrentWidget(monitor->predictionChart());
        grabTo(QStringLiteral("monitor-predictions"));
        monitor->trendTabs()->setCurrentIndex(0);
        mWindow->setCurrentView(shown);
    }
    RetrainDialog *dialog = monitor->openRetrainDialog();
    if (!dialog) {
        captureServiceLog();
        return;
    }
    // Saved into a temporary folder: the pictures must not add a model to the workspace.
    auto directory = std::make_shared<QTemporaryDir>();
    dialog->resize(1100, 800);
    const auto done = [this, dialog] {
        dialog->close();
        captureServiceLog();
    };
    connect(dialog->job(), &RetrainJob::failed, this, [done](const QString &message) {
        reportError(QStringLiteral("retraining for the screenshot failed: %1").arg(message));
        done();
    });
    connect(
        dialog->job(), &RetrainJob::retrained, this,
        [this, dialog, directory, done] {
            QTimer::singleShot(0, this, [this, dialog, directory, done] {
                grabTo(dialog, QStringLiteral("monitor-retrain"));
                if (!dialog->saveAs(QDir(directory->path()).filePath(QStringLiteral("retrained.plumb"))))
                    done();
            });
        },
        Qt::SingleShotConnection);
    connect(
        dialog->job(), &RetrainJob::savedAs, this,
        [this, dialog, directory, done] {
            QTimer::singleShot(0, this, [this, dialog, directory, done] {
                grabTo(dialog, QStringLiteral("monitor-retrain-files"));
                done();
            });
        },
        Qt::SingleShotConnection);
    if (!dialog->retrain())
        done();
}

void ScreenshotRunner::captureServiceLog()
{
    MonitorView *monitor = mWindow->monitorView();
    const QString log = mModels.isEmpty() ? QString() : defaultLogPath(mModels.front());
    if (log.isEmpty() || !QFileInfo::exists(log)) {
        finish();
        return;
    }
    MonitorSource source = monitor->source();
    source.modelPath = mModels.front();
    source.log = log;
    source.period = WindowPeriod::Day;
    monitor->setSource(source);
    auto *outcome = new QObject(this);
    connect(monitor->document(), &MonitorDocument::computed, outcome, [this, outcome, monitor] {
        outcome->deleteLater();
        QTimer::singleShot(0, this, [this, monitor] {
            mWindow->setCurrentView(MainWindow::View::Monitor);
            monitor->trendTabs()->setCurrentWidget(monitor->serviceChart());
            grabTo(QStringLiteral("monitor-service"));
            finish();
        });
    });
    connect(monitor->document(), &MonitorDocument::failed, outcome, [this, outcome](const QString &message) {
        outcome->deleteLater();
        reportError(QStringLiteral("monitoring the prediction log for the screenshot failed: %1").arg(message));
        QTimer::singleShot(0, this, &ScreenshotRunner::finish);
    });
    if (!monitor->compute()) {
        outcome->deleteLater();
        finish();
    }
}

void ScreenshotRunner::finish()
{
    emit finished(mExitCode);
}

} // namespace plumb::ui
