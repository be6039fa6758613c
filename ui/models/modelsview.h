#pragma once

#include "ui/common/viewframe.h"
#include "ui/models/modeldocument.h"
#include "ui/models/sklearnfiledocument.h"

class QLabel;
class QPushButton;
class QSplitter;
class QTableView;

namespace plumb::ui {

class EmptyStateView;
class ModelComparisonView;
class ModelDetails;
class ModelListModel;
class ModelSummaryCard;
class ModelTrustCard;
class PickleScanPage;

// The Models view, the inspector: the .plumb files of a models folder on the left; on the right
// the open model (summary card, integrity and signature card, and tabs with the features,
// pipeline, training-data profile, validation and provenance), or an error page that says exactly
// why a file did not open, or two models compared side by side. A scikit-learn pickle or joblib
// file opens as its static scan report, with an import into .plumb when the scan allows it; an
// XGBoost .json or .ubj file opens as the importer's verdict, with the same import.
// Loading, scanning, importing, listing and signing run off the GUI thread.
class ModelsView : public ViewFrame
{
    Q_OBJECT

public:
    enum class Page { Empty, Loading, Model, Error, Comparison, Scan };

    explicit ModelsView(QWidget *parent = nullptr);

    // Opens a model file in the background; a .pkl, .pickle or .joblib file is scanned instead,
    // and a .json or .ubj file checked as an XGBoost model. False while a load, scan, import or
    // signing runs.
    bool openModel(const QString &path);
    // Imports the scanned scikit-learn or XGBoost file into `outputPath` (the part of "Import as
    // .plumb…" after the dialogs; `featureNames` names the features of an XGBoost file that names
    // none); the new model opens when it is written.
    bool importScanned(const QString &outputPath, const QStringList &featureNames = {});
    // Loads `path` and shows it side by side with the open model; false when none is open or busy.
    bool compareWith(const QString &path);
    // Signs the open model with a secret key file (the part of "Sign…" after the dialogs).
    bool signWithKey(const QString &keyPath, const QByteArray &password);
    // Exports the shown model as ONNX at `path` (what Export ONNX… does after its dialog); the
    // banner reports the outcome. False while busy or with no model.
    bool exportOnnxTo(const QString &path);
    // Lists the .plumb files of `directory`.
    void setModelsFolder(const QString &directory);
    // The keyring used to judge signatures (default: Keyring::defaultDirectory()).
    void setKeyringDirectory(const QString &directory);

    Page currentPage() const;
    ModelDocument *document() const { return mDocument; }
    ModelDocument *comparedDocument() const { return mCompared; }
    SklearnFileDocument *scanDocument() const { return mScan; }
    PickleScanPage *scanPage() const { return mScanPage; }
    ModelListModel *modelList() const { return mList; }
    QTableView *modelTable() const { return mTable; }
    ModelSummaryCard *summaryCard() const { return mSummary; }
    ModelTrustCard *trustCard() const { return mTrust; }
    ModelDetails *details() const { return mDetails; }
    EmptyStateView *errorPage() const { return mErrorPage; }
    ModelComparisonView *comparisonView() const { return mComparison; }

signals:
    void openModelRequested();
    // A model opened successfully (for the recent files list).
    void modelOpened(const QString &path);

private:
    void createPages();
    void connectDocuments();
    QWidget *createListPane();
    QWidget *createModelPage();
    void showOpenDialog();
    void showCompareDialog();
    void showSignDialog();
    void showExportOnnxDialog();
    void onOnnxExportFinished(bool ok, const QString &path, const QStringList &messages);
    // Signs with the key file, asking for its password when it has one; `problem` says why it
    // is asked again.
    void signWithKeyFile(const QString &keyPath, const QString &problem = {});
    void showChooseFolderDialog();
    void onLoadStarted(const QString &path);
    void onModelLoaded();
    void onLoadFailed(const QString &path, const QString &message);
    void onComparedLoaded();
    void onScanStarted(const QString &path);
    void onScanFinished();
    void showImportDialog();
    bool isBusy() const;
    void onListed();
    void selectListed(const QString &path);
    void onBusyChanged();
    void setPage(Page page);

    ModelDocument *mDocument;
    ModelDocument *mCompared;
    SklearnFileDocument *mScan;
    ModelListModel *mList;
    QPushButton *mOpenButton;
    QPushButton *mCompareButton;
    QPushButton *mExportOnnxButton;
    QPushButton *mBackButton;
    QSplitter *mSplitter;
    QLabel *mFolderLabel;
    QTableView *mTable;
    EmptyStateView *mLoadingPage;
    QWidget *mModelPage;
    ModelSummaryCard *mSummary;
    ModelTrustCard *mTrust;
    ModelDetails *mDetails;
    EmptyStateView *mErrorPage;
    ModelComparisonView *mComparison;
    PickleScanPage *mScanPage;
    QString mLastDirectory;
    QString mEncryptedKey; // the password-protected key being signed with, to ask again on failure
};

} // namespace plumb::ui
