#pragma once

#include "ui/models/sklearnfiledocument.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTreeWidget;

namespace plumb::ui {

// The Models view's page for a scikit-learn pickle or joblib file: the verdict of the static scan
// first (importable, refused and exactly why, or unreadable), the file's SHA-256, container,
// pickle protocol and scikit-learn version, then the estimator tree, every global the stream
// names and the opcodes it uses. "Import as .plumb…" is offered only when the verdict allows it.
// An XGBoost file shows the importer's verdict (what it imports as, or the refusal naming the
// field) and the file's SHA-256, without the pickle tabs.
class PickleScanPage : public QWidget
{
    Q_OBJECT

public:
    explicit PickleScanPage(QWidget *parent = nullptr);

    void showScan(const ScannedFile &scanned);

    QString verdictHeadline() const { return mHeadlineText; }
    QString reason() const;
    QPushButton *importButton() const { return mImport; }
    QTreeWidget *estimatorTree() const { return mEstimators; }
    QTableWidget *globalsTable() const { return mGlobals; }
    QTableWidget *opcodesTable() const { return mOpcodes; }

signals:
    void importRequested();
    void openAnotherRequested();

private:
    QWidget *createVerdictCard();
    QWidget *createFileCard();
    void showXgboost(const ScannedFile &scanned);
    void showEstimators(const std::vector<EstimatorNode> &roots);
    void showGlobals(const PickleScanReport &report);
    void showOpcodes(const PickleScanReport &report);

    QString mHeadlineText;
    QLabel *mVerdictHeading = nullptr; // "STATIC SCAN", or "XGBOOST IMPORT" for an XGBoost file
    QLabel *mVerdictIcon;
    QLabel *mHeadline;
    QLabel *mReason;
    QLabel *mNote;
    QPushButton *mImport;
    QPushButton *mOpenAnother;
    QLabel *mFileFacts;
    QLabel *mSha256;
    QPushButton *mCopy;
    QTabWidget *mTabs;
    QTreeWidget *mEstimators;
    QTableWidget *mGlobals;
    QTableWidget *mOpcodes;
};

} // namespace plumb::ui
