#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace plumb::ui {

class ColumnListModel;
class DataDocument;
class DatasetTableModel;
class EmptyStateView;
class LoadSettingsBar;
class MessageBanner;
class ProfilePanel;
class ProgressPanel;
class ViewHeader;

// The Data view: the loaded table (virtual, any number of rows), the list of its columns with
// type and role editors, and the profile of the selected column. Follows a DataDocument: shows
// its progress with a Cancel button, its errors and warnings in a banner, how the file was read
// (decimal mark, missing-value tokens) in a bar that reloads it when changed, and a one-line summary
// (dialect, rows, columns, load time) that the main window puts in its status bar.
class DataView : public QWidget
{
    Q_OBJECT

public:
    explicit DataView(DataDocument *document, QWidget *parent = nullptr);

    // Selects a column in the column list and shows its profile; scrolls the table to the column
    // unless `revealInTable` is false.
    void selectColumn(int column, bool revealInTable = true);
    // The selected column, or -1.
    int selectedColumn() const;
    // "Comma-separated · header row · decimal point · UTF-8 · LF  |  1,000 rows × 12 columns  |  loaded in 85 ms".
    QString summary() const { return mSummary; }
    // Shows an error that did not come from the document (a path that is neither file nor workspace).
    void showError(const QString &message);

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

    ViewHeader *header() const { return mHeader; }
    MessageBanner *banner() const { return mBanner; }
    MessageBanner *lockBanner() const { return mLockBanner; }
    ProgressPanel *progressPanel() const { return mProgress; }
    QTableView *table() const { return mTable; }
    QTableView *columnList() const { return mColumnList; }
    ProfilePanel *profilePanel() const { return mProfile; }
    LoadSettingsBar *loadSettings() const { return mLoadSettings; }
    bool isShowingData() const;

signals:
    void openFileRequested();
    void summaryChanged(const QString &summary);

private:
    QWidget *createColumnPane();
    void configureTable();
    void connectDocument();
    void onLoadStarted(const QString &path);
    void onDatasetReplaced();
    void onBusyChanged(bool busy);
    void onColumnChanged(int column);
    void showSelectedProfile();
    void revealColumn(int column);
    void fitColumnWidths();
    void updateSummary();

    DataDocument *mDocument;
    DatasetTableModel *mTableModel;
    ColumnListModel *mColumnModel;
    ViewHeader *mHeader;
    QPushButton *mOpenButton;
    QPushButton *mEmptyOpenButton = nullptr;
    MessageBanner *mBanner;
    MessageBanner *mLockBanner; // why the editors are disabled while a model trains
    ProgressPanel *mProgress;
    QStackedWidget *mPages;
    EmptyStateView *mEmpty;
    LoadSettingsBar *mLoadSettings;
    QSplitter *mSplitter;
    QLabel *mColumnCaption;
    QTableView *mColumnList;
    QTableView *mTable;
    ProfilePanel *mProfile;
    QString mSummary;
    QString mSelectedName; // kept across reloads, so a type change keeps the column selected
    bool mRevealSelection = true;
};

} // namespace plumb::ui
