#include "ui/mainwindow.h"

#include "data/workspace.h"
#include "ui/common/inputpolicy.h"
#include "ui/common/recentfiles.h"
#include "ui/common/theme.h"
#include "ui/data/datadocument.h"
#include "ui/data/dataview.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsview.h"
#include "ui/models/sklearnfiledocument.h"
#include "ui/monitor/monitorview.h"
#include "ui/predict/predictview.h"
#include "ui/train/trainview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace plumb::ui {

namespace {

// The first local path among dropped URLs, if any.
QString droppedPath(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return {};
}

} // namespace

MainWindow::MainWindow(Persistence persistence, QWidget *parent)
    : QMainWindow(parent), mPersistence(persistence), mDocument(new DataDocument(this)),
      mRecentFiles(new RecentFiles(persistence == Persistence::Remember, this))
{
    registerResources();
    setWindowTitle(QStringLiteral("Plumb Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/plumb.svg")));
    setAcceptDrops(true);
    InputPolicy::install();
    const QRect available = screen()->availableGeometry();
    setMinimumSize(minimumWindowSize(available.size()));
    resize(initialWindowSize(available.size()));

    createViews();
    createMenus();
    mSummary = new QLabel;
    statusBar()->addPermanentWidget(mSummary);
    statusBar()->setSizeGripEnabled(false);

    connect(mDocument, &DataDocument::busyChanged, this, &MainWindow::onBusyChanged);
    connect(mDocument, &DataDocument::datasetReplaced, this, &MainWindow::onDatasetReplaced);
    connect(mDocument, &DataDocument::loadCancelled, this,
            [this] { statusBar()->showMessage(QStringLiteral("Loading cancelled; the previous data is unchanged."), 8000); });
    connect(mDataView, &DataView::summaryChanged, mSummary, &QLabel::setText);
    connect(mDataView, &DataView::openFileRequested, this, &MainWindow::showOpenFileDialog);
    connect(mRecentFiles, &RecentFiles::openRequested, this, &MainWindow::openPath);
    const auto onModelSaved = [this](const QString &path) {
        statusBar()->showMessage(QStringLiteral("Saved the model as %1").arg(QDir::toNativeSeparators(path)), 8000);
        // A model saved into the listed folder joins the Models view's list.
        if (!mModelsView->modelList()->folder().isEmpty())
            mModelsView->modelList()->refresh();
    };
    connect(mTrainView, &TrainView::modelSaved, this, onModelSaved);
    connect(mMonitorView, &MonitorView::modelSaved, this, onModelSaved);
    connect(mModelsView, &ModelsView::modelOpened, mRecentFiles, &RecentFiles::add);
    connect(mPredictView, &PredictView::openModelRequested, this, &MainWindow::showOpenModelDialog);
    mSummary->setText(mDataView->summary());
    if (mPersistence == Persistence::Remember)
        restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createViews()
{
    mDataView = new DataView(mDocument);
    mViews = new QStackedWidget;
    mTrainView = new TrainView(mDocument);
    // Forget leaves the workspace as it is too: no run history is read or written there.
    mTrainView->setRunHistoryEnabled(mPersistence == Persistence::Remember);
    mModelsView = new ModelsView;
    mPredictView = new PredictView;
    mPredictView->followDocument(mModelsView->document());
    mViews->addWidget(mDataView);
    mViews->addWidget(mTrainView);
    mMonitorView = new MonitorView;
    mViews->addWidget(mModelsView);
    mViews->addWidget(mPredictView);
    mViews->addWidget(mMonitorView);

    auto *central = new QWidget;
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createNavigation());
    layout->addWidget(mViews, 1);
    setCentralWidget(central);
}

QWidget *MainWindow::createNavigation()
{
    mNavigation = new QListWidget;
    mNavigation->setObjectName(QStringLiteral("NavigationList"));
    mNavigation->setIconSize(QSize(20, 20));
    mNavigation->setFrameShape(QFrame::NoFrame);
    mNavigation->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    for (int i = 0; i < kViewCount; ++i) {
        const auto view = View(i);
        auto *item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/%1.svg").arg(viewName(view))), viewTitle(view));
        item->setToolTip(QStringLiteral("%1 (Ctrl+%2)").arg(viewTitle(view)).arg(i + 1));
        mNavigation->addItem(item);
    }
    connect(mNavigation, &QListWidget::currentRowChanged, mViews, &QStackedWidget::setCurrentIndex);
    mNavigation->setCurrentRow(0);

    auto *brand = new QLabel(QStringLiteral("Plumb"));
    brand->setObjectName(QStringLiteral("Brand"));
    auto *version = new QLabel(QStringLiteral("Workbench %1").arg(QStringLiteral(PLUMB_VERSION)));
    version->setObjectName(QStringLiteral("BrandVersion"));
    auto *sidebar = new QWidget;
    sidebar->setFixedWidth(172);
    auto *layout = new QVBoxLayout(sidebar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(brand);
    layout->addWidget(version);
    layout->addWidget(mNavigation, 1);
    return sidebar;
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *open = file->addAction(QIcon(QStringLiteral(":/icons/open.svg")), QStringLiteral("&Open File\u2026"), this,
                                    &MainWindow::showOpenFileDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *openWorkspace = file->addAction(QStringLiteral("Open &Workspace\u2026"), this, &MainWindow::showOpenWorkspaceDialog);
    openWorkspace->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction *openModel = file->addAction(QIcon(QStringLiteral(":/icons/models.svg")), QStringLiteral("Open &Model\u2026"), this,
                                         &MainWindow::showOpenModelDialog);
    openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    QMenu *recent = file->addMenu(QStringLiteral("Open &Recent"));
    mRecentFiles->attachMenu(recent);
    mOpenActions = {open, openWorkspace, recent->menuAction()};
    file->addSeparator();
    mCancelAction = file->addAction(QStringLiteral("&Cancel Loading"), mDocument, &DataDocument::cancel);
    mCancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    mCancelAction->setEnabled(false);
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu *viewMenu = menuBar()->addMenu(QStringLiteral("&View"));
    for (int i = 0; i < kViewCount; ++i) {
        QAction *action = viewMenu->addAction(viewTitle(View(i)), this, [this, i] { setCurrentView(View(i)); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    viewMenu->addSeparator();
    QMenu *scheme = viewMenu->addMenu(QStringLiteral("Colour &Scheme"));
    auto *schemes = new QActionGroup(this);
    for (const auto &[value, title] : {std::pair{ColorScheme::System, "Follow the &System"},
                                       std::pair{ColorScheme::Light, "&Light"}, std::pair{ColorScheme::Dark, "&Dark"}}) {
        QAction *action = scheme->addAction(QString::fromLatin1(title), this, [this, value = value] { setColorScheme(value); });
        action->setCheckable(true);
        action->setChecked(value == requestedColorScheme());
        action->setData(int(value));
        schemes->addAction(action);
    }
    mColorSchemeActions = schemes;
    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Plumb Workbench"), this, &MainWindow::showAbout);
}

bool MainWindow::openPath(const QString &path)
{
    const QFileInfo info(path);
    // A missing .plumb file opens too: the Models view's error page says it cannot be read. A
    // scikit-learn pickle or joblib file opens there as its safety scan, an XGBoost model file as
    // its import check.
    const bool isModel = info.suffix().compare(QLatin1String("plumb"), Qt::CaseInsensitive) == 0 || isScikitLearnFile(path)
        || (info.isFile() && looksLikeXgboostModel(path));
    if (!info.isDir() && isModel) {
        setCurrentView(View::Models);
        // A model opened on its own lists its folder, unless a folder is listed already.
        if (mModelsView->modelList()->folder().isEmpty() && info.absoluteDir().exists())
            mModelsView->setModelsFolder(info.absolutePath());
        if (!mModelsView->openModel(path)) {
            statusBar()->showMessage(QStringLiteral("Wait for the model being opened or signed first."), 5000);
            return false;
        }
        return true;
    }
    if (mDocument->isBusy()) {
        statusBar()->showMessage(QStringLiteral("Wait for the current load to finish, or cancel it."), 5000);
        return false;
    }
    setCurrentView(View::Data);
    if (info.isDir()) {
        if (!Workspace::isWorkspace(path)) {
            mDataView->showError(QStringLiteral("%1 is a folder without a %2, so it is not a workspace.")
                                     .arg(QDir::toNativeSeparators(path), QString::fromLatin1(Workspace::kManifestName)));
            return false;
        }
        return mDocument->openWorkspace(path);
    }
    if (!info.isFile()) {
        mDataView->showError(QStringLiteral("%1 does not exist.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    return mDocument->openFile(path);
}

MainWindow::View MainWindow::currentView() const
{
    return View(mViews->currentIndex());
}

void MainWindow::setCurrentView(View view)
{
    mNavigation->setCurrentRow(int(view));
}

namespace {

// Room left around the window's client area for its frame and title bar.
constexpr QSize kFrameAllowance(32, 48);

} // namespace

QSize MainWindow::minimumWindowSize(QSize available)
{
    // Every view is laid out to work from 1024x640 (logical pixels); a smaller screen (a laptop
    // at scale 2) gets a window that fits it, frame included, and the views scroll.
    return QSize(1024, 640).boundedTo(available - kFrameAllowance);
}

QSize MainWindow::initialWindowSize(QSize available)
{
    // 1440x900 where there is room, never more than the screen's work area leaves for the
    // window frame.
    return QSize(1440, 900).boundedTo(available - kFrameAllowance);
}

bool MainWindow::fitsScreen(const QRect &frame, const QRect &available)
{
    return frame.isValid() && available.contains(frame);
}

QString MainWindow::viewName(View view)
{
    return viewTitle(view).toLower();
}

QString MainWindow::viewTitle(View view)
{
    switch (view) {
    case View::Data:
        return QStringLiteral("Data");
    case View::Train:
        return QStringLiteral("Train");
    case View::Models:
        return QStringLiteral("Models");
    case View::Predict:
        return QStringLiteral("Predict");
    case View::Monitor:
        return QStringLiteral("Monitor");
    }
    return {};
}

QWidget *MainWindow::viewWidget(View view) const
{
    return mViews->widget(int(view));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmQuit()) {
        event->ignore();
        return;
    }
    mDocument->cancel();
    if (mPersistence == Persistence::Remember)
        saveSettings();
    event->accept();
}

bool MainWindow::confirmQuit()
{
    const bool training = mTrainView->isTraining() || mTrainView->isSaving();
    const int unsaved = mTrainView->unsavedRunCount();
    if (!training && unsaved == 0)
        return true;
    QStringList lost;
    if (mTrainView->isTraining())
        lost.append(QStringLiteral("the training in progress stops"));
    if (mTrainView->isSaving())
        lost.append(QStringLiteral("the model being saved is not written"));
    if (unsaved > 0)
        lost.append(unsaved == 1 ? QStringLiteral("1 run was never saved as a model and is lost")
                                 : QStringLiteral("%1 runs were never saved as models and are lost").arg(unsaved));
    QString text = lost.join(QStringLiteral("; ")) + QLatin1Char('.');
    text[0] = text[0].toUpper();
    QMessageBox box(QMessageBox::Warning, QStringLiteral("Quit Plumb Workbench?"),
                    QStringLiteral("If you quit now: %1").arg(text), QMessageBox::NoButton, this);
    box.setInformativeText(QStringLiteral("Save the runs you want to keep from the Train view (Save Model\u2026) first."));
    QPushButton *quit = box.addButton(QStringLiteral("Quit"), QMessageBox::DestructiveRole);
    QPushButton *stay = box.addButton(QStringLiteral("Cancel"), QMessageBox::RejectRole);
    box.setDefaultButton(stay);
    box.setEscapeButton(stay);
    box.exec();
    return box.clickedButton() == quit;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!mDocument->isBusy() && !droppedPath(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedPath(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openPath(path);
}

void MainWindow::showOpenFileDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open Data File"), mLastDirectory,
                                                      QStringLiteral("Delimited text (*.csv *.tsv *.tab *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    mLastDirectory = QFileInfo(path).path();
    openPath(path);
}

void MainWindow::showOpenWorkspaceDialog()
{
    const QString path = QFileDialog::getExistingDirectory(this, QStringLiteral("Open Workspace Folder"), mLastDirectory);
    if (path.isEmpty())
        return;
    mLastDirectory = path;
    openPath(path);
}

void MainWindow::showOpenModelDialog()
{
    // Models are looked for where they are kept: the listed models folder (a workspace's models/).
    const QString listed = mModelsView->modelList()->folder();
    const QString path = QFileDialog::getOpenFileName(
        this, QStringLiteral("Open Model"), listed.isEmpty() ? mLastDirectory : listed,
        QStringLiteral("Models (*.plumb *.pkl *.pickle *.joblib *.json *.ubj);;All files (*)"));
    if (path.isEmpty())
        return;
    mLastDirectory = QFileInfo(path).path();
    // Chosen as a model, a .json or .ubj file is an XGBoost model (openPath reads other files as data).
    if (isXgboostFile(path)) {
        setCurrentView(View::Models);
        if (!mModelsView->openModel(path))
            statusBar()->showMessage(QStringLiteral("Wait for the model being opened or signed first."), 5000);
        return;
    }
    openPath(path);
}

void MainWindow::setColorScheme(ColorScheme scheme)
{
    applyTheme(*qApp, scheme);
    for (QAction *action : mColorSchemeActions->actions())
        action->setChecked(action->data().toInt() == int(scheme));
    if (mPersistence == Persistence::Remember)
        QSettings().setValue(QString::fromLatin1(kColorSchemeKey), colorSchemeName(scheme));
}

ColorScheme MainWindow::savedColorScheme()
{
    return parseColorScheme(QSettings().value(QString::fromLatin1(kColorSchemeKey)).toString()).value_or(ColorScheme::System);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, QStringLiteral("About Plumb Workbench"),
                       QStringLiteral("<h3>Plumb Workbench %1</h3><p>A desktop workbench for tabular "
                                      "machine-learning models: explore data, train, inspect, score and "
                                      "monitor.</p>")
                           .arg(QStringLiteral(PLUMB_VERSION)));
}

void MainWindow::onBusyChanged(bool busy)
{
    for (QAction *action : std::as_const(mOpenActions))
        action->setEnabled(!busy);
    mCancelAction->setEnabled(busy);
}

void MainWindow::onDatasetReplaced()
{
    const Workspace *workspace = mDocument->workspace();
    const QString shown = workspace ? workspace->rootPath : mDocument->filePath();
    mRecentFiles->add(shown);
    const QString name = workspace ? workspace->name : QFileInfo(shown).fileName();
    // A workspace keeps its models in models/: list them in the Models view.
    if (workspace && QFileInfo(QDir(workspace->rootPath).filePath(QStringLiteral("models"))).isDir())
        mModelsView->setModelsFolder(QDir(workspace->rootPath).filePath(QStringLiteral("models")));
    // ... and its production batches: the Monitor view compares them with those models.
    if (workspace)
        mMonitorView->setWorkspace(*workspace);
    setWindowTitle(QStringLiteral("%1 \u2014 Plumb Workbench").arg(name));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    // The saved geometry only where it fits the screen now (another monitor, another scale):
    // otherwise the default size, centred.
    const QRect defaultGeometry = geometry();
    const bool restored = restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (restored && !isMaximized() && !fitsScreen(frameGeometry(), screen()->availableGeometry())) {
        setGeometry(defaultGeometry);
        move(screen()->availableGeometry().center() - rect().center());
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    mDataView->restoreState(settings.value(QStringLiteral("data/splitter")).toByteArray());
    mLastDirectory = settings.value(QStringLiteral("window/lastDirectory")).toString();
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("data/splitter"), mDataView->saveState());
    settings.setValue(QStringLiteral("window/lastDirectory"), mLastDirectory);
}

} // namespace plumb::ui
