#pragma once

#include "ui/common/viewframe.h"

class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace plumb::ui {

class ColumnListModel;
class DataDocument;
class DatasetTableModel;
class LoadSettingsBar;
class ProfilePanel;

// The Data view: the loaded table (virtual, any number of rows), the list of its columns with
// type and role editors, and the profile of the selected column. Follows a DataDocument: shows
// its progress with a Cancel button, its errors and warnings in a banner, how the file was read
// (decimal mark, missing-value tokens) in a bar that reloads it when changed, and a one-line summary
// (dialect, rows, columns, load time) that the main window puts in its status bar.
class DataView : public ViewFrame
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
    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

    MessageBanner *lockBanner() const { return mLockBanner; }
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
    QPushButton *mOpenButton;
    QPushButton *mEmptyOpenButton = nullptr;
    MessageBanner *mLockBanner; // why the editors are disabled while a model trains
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
