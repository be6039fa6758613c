#pragma once

#include <QMainWindow>

class QActionGroup;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace plumb::ui {

class DataDocument;
class DataView;
class ModelsView;
class MonitorView;
class PredictView;
class RecentFiles;
class TrainView;
enum class ColorScheme;

// The workbench shell: a navigation list on the left (Data, Train, Models, Predict, Monitor) and
// the selected view on the right, the menus, a status bar with the data summary, drag and drop of
// files and workspace folders, and the window state remembered between sessions.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class View { Data, Train, Models, Predict, Monitor };
    static constexpr int kViewCount = 5;

    // Remember reads the window state and recent files from QSettings and writes them back on
    // close; Forget touches no settings (screenshots, tests).
    enum class Persistence { Remember, Forget };

    explicit MainWindow(Persistence persistence = Persistence::Remember, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a CSV/TSV file, or a folder with a plumb-workspace.json, in the Data view; a .plumb
    // model file in the Models view. Returns false (and shows why in the view) when nothing could
    // be started.
    bool openPath(const QString &path);

    View currentView() const;
    void setCurrentView(View view);
    // Lower-case name used for screenshot files ("data"), and the title shown ("Data").
    static QString viewName(View view);
    // Window sizes for a screen whose work area is `available` (logical pixels): the smallest
    // size the views are laid out for, capped by the screen, and the size a first start opens at.
    static QSize minimumWindowSize(QSize available);
    static QSize initialWindowSize(QSize available);
    // True when a restored window frame lies wholly inside the screen's work area.
    static bool fitsScreen(const QRect &frame, const QRect &available);
    static QString viewTitle(View view);

    DataDocument *document() const { return mDocument; }
    DataView *dataView() const { return mDataView; }
    TrainView *trainView() const { return mTrainView; }
    ModelsView *modelsView() const { return mModelsView; }
    MonitorView *monitorView() const { return mMonitorView; }
    PredictView *predictView() const { return mPredictView; }
    RecentFiles *recentFiles() const { return mRecentFiles; }
    QWidget *viewWidget(View view) const;

    // Switches every window to `scheme` (View > Colour Scheme) and, with Remember, saves it.
    void setColorScheme(ColorScheme scheme);
    // The scheme saved by setColorScheme (System when none was saved).
    static ColorScheme savedColorScheme();
    static constexpr const char *kColorSchemeKey = "view/colorScheme";

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createViews();
    QWidget *createNavigation();
    void createMenus();
    void showOpenFileDialog();
    void showOpenWorkspaceDialog();
    void showOpenModelDialog();
    void showAbout();
    void onBusyChanged(bool busy);
    void onDatasetReplaced();
    void restoreSettings();
    void saveSettings() const;
    // Asks before quitting when training or saving is under way or runs were never saved; true to quit.
    bool confirmQuit();

    Persistence mPersistence;
    DataDocument *mDocument;
    DataView *mDataView = nullptr;
    TrainView *mTrainView = nullptr;
    ModelsView *mModelsView = nullptr;
    MonitorView *mMonitorView = nullptr;
    PredictView *mPredictView = nullptr;
    RecentFiles *mRecentFiles;
    QListWidget *mNavigation = nullptr;
    QStackedWidget *mViews = nullptr;
    QLabel *mSummary = nullptr;
    QList<QAction *> mOpenActions; // disabled while a job runs
    QAction *mCancelAction = nullptr;
    QString mLastDirectory;
    QActionGroup *mColorSchemeActions = nullptr;
};

} // namespace plumb::ui
