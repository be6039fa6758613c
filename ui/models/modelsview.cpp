#include "ui/models/modelsview.h"

#include "ui/common/theme.h"

#include "ui/common/buttons.h"
#include "ui/common/emptystateview.h"
#include "ui/common/savelocation.h"
#include "ui/common/wraprow.h"
#include "ui/models/modelcomparison.h"
#include "ui/models/modeldetails.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsummarycard.h"
#include "ui/models/modeltrustcard.h"
#include "ui/models/picklescanpage.h"

#include "ui/common/scrollpane.h"
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace plumb::ui {

namespace {

const QString kModelFilter = QStringLiteral("Models (*.plumb *.pkl *.pickle *.joblib *.json *.ubj);;Plumb models (*.plumb);;"
                                            "scikit-learn pickle or joblib files (*.pkl *.pickle *.joblib);;"
                                            "XGBoost model files (*.json *.ubj);;All files (*)");
const QString kPlumbFilter = QStringLiteral("Plumb models (*.plumb);;All files (*)");

// What kind of failure the error page headline names; the paragraph gives the loader's message.
QString failureHeading(const Error &error)
{
    switch (error.kind) {
    case Error::Kind::Integrity:
        return QStringLiteral("This model file failed its integrity check");
    case Error::Kind::Untrusted:
        return QStringLiteral("This model file's signature is not accepted");
    case Error::Kind::Io:
        return QStringLiteral("This file could not be read");
    case Error::Kind::Invalid:
    case Error::Kind::Unsupported:
    case Error::Kind::TooLarge:
    case Error::Kind::Cancelled:
    case Error::Kind::Internal:
        break;
    }
    return QStringLiteral("This model file cannot be opened");
}

QString failureNote(const Error &error)
{
    if (error.kind == Error::Kind::Integrity)
        return QStringLiteral("Nothing in the file was used: whatever was read from it is discarded unless its content "
                              "matches its embedded SHA-256 digest. Get a fresh copy from where the model was published.");
    return QStringLiteral("Nothing from this file is shown: a model is displayed only when every part of it reads back.");
}

} // namespace

ModelsView::ModelsView(QWidget *parent)
    : ViewFrame(QStringLiteral("Models"), QStringLiteral("Open a .plumb model file to see what is inside it."), parent),
      mDocument(new ModelDocument(this)), mCompared(new ModelDocument(this)), mScan(new SklearnFileDocument(this)),
      mList(new ModelListModel(this)),
      mOpenButton(createHeaderButton(QStringLiteral("Open Model\u2026"), QStringLiteral(":/icons/open.svg"))),
      mCompareButton(createHeaderButton(QStringLiteral("Compare With\u2026"), QStringLiteral(":/icons/compare.svg"))),
      mExportOnnxButton(createHeaderButton(QStringLiteral("Export ONNX\u2026"))),
      mBackButton(createHeaderButton(QStringLiteral("Back to Model"))), mSplitter(new QSplitter(Qt::Vertical)),
      mFolderLabel(new QLabel), mTable(new QTableView),
      mLoadingPage(new EmptyStateView(QStringLiteral(":/icons/models.svg"), QStringLiteral("Opening\u2026"), {})),
      mModelPage(nullptr), mSummary(new ModelSummaryCard), mTrust(new ModelTrustCard), mDetails(new ModelDetails),
      mErrorPage(new EmptyStateView(QStringLiteral(":/icons/model-error.svg"), {}, {})), mComparison(new ModelComparisonView),
      mScanPage(new PickleScanPage)
{
    mCompareButton->setEnabled(false);
    mExportOnnxButton->setEnabled(false);
    mExportOnnxButton->setToolTip(QStringLiteral("Save the whole pipeline as an ONNX model, to serve with ONNX Runtime."));
    mBackButton->hide();
    addAction(mBackButton);
    addAction(mExportOnnxButton);
    addAction(mCompareButton);
    addAction(mOpenButton);

    // The pages sit under the list of the models folder.
    mSplitter->setObjectName(QStringLiteral("ModelsSplitter"));
    mSplitter->addWidget(createListPane());
    mSplitter->addWidget(pages());
    mSplitter->setChildrenCollapsible(false);
    mSplitter->setStretchFactor(1, 1);
    setBody(mSplitter);
    createPages();
    connectDocuments();
    setPage(Page::Empty);
}

// The pages in the order of Page.
void ModelsView::createPages()
{
    EmptyStateView *empty = setEmptyState(QStringLiteral(":/icons/models.svg"), QStringLiteral("Open a model to inspect it"),
                                          QStringLiteral("A .plumb file holds a whole pipeline and everything about it: the "
                                                         "features it expects, each preprocessing step and parameter, the "
                                                         "profile of its training data, its validation scores, who made it "
                                                         "and with what software, and a digest that proves it is intact."));
    empty->setNote(QStringLiteral("You can also drop a .plumb file onto this window, or pass it on the command line. "
                                  "A scikit-learn .pkl or .joblib file opens as a safety scan, and imports when it is safe; "
                                  "an XGBoost .json or .ubj file imports when Plumb supports it."));
    connect(empty->addButton(QStringLiteral("Open Model\u2026")), &QPushButton::clicked, this, &ModelsView::showOpenDialog);
    mErrorPage->setIcon(QStringLiteral(":/icons/model-error.svg"), themeColors().bad);
    mErrorPage->setTextSelectable(true);
    connect(mErrorPage->addButton(QStringLiteral("Open Another Model\u2026")), &QPushButton::clicked, this,
            &ModelsView::showOpenDialog);
    addPage(mLoadingPage);
    addPage(createModelPage());
    addPage(mErrorPage);
    addPage(mComparison);
    addPage(mScanPage);
}

void ModelsView::connectDocuments()
{
    connect(mOpenButton, &QPushButton::clicked, this, &ModelsView::showOpenDialog);
    connect(mCompareButton, &QPushButton::clicked, this, &ModelsView::showCompareDialog);
    connect(mExportOnnxButton, &QPushButton::clicked, this, &ModelsView::showExportOnnxDialog);
    connect(mDocument, &ModelDocument::onnxExportFinished, this, &ModelsView::onOnnxExportFinished);
    connect(mBackButton, &QPushButton::clicked, this, [this] { setPage(mDocument->model() ? Page::Model : Page::Empty); });
    connect(mTrust, &ModelTrustCard::signRequested, this, &ModelsView::showSignDialog);
    connect(mDocument, &ModelDocument::loadStarted, this, &ModelsView::onLoadStarted);
    connect(mDocument, &ModelDocument::modelLoaded, this, &ModelsView::onModelLoaded);
    connect(mDocument, &ModelDocument::loadFailed, this, &ModelsView::onLoadFailed);
    connect(mDocument, &ModelDocument::busyChanged, this, &ModelsView::onBusyChanged);
    connect(mCompared, &ModelDocument::busyChanged, this, &ModelsView::onBusyChanged);
    connect(mDocument, &ModelDocument::signingFinished, this, [this](bool ok, const QString &message) {
        if (ok)
            dismissMessage();
        else
            showMessage(MessageBanner::Kind::Error, {QStringLiteral("Signing failed: ") + message});
        mList->refresh();
        // A password-protected key that failed (most often a mistyped password): ask again, as
        // minisign would, until the user cancels.
        const QString retry = std::exchange(mEncryptedKey, QString());
        if (!ok && !retry.isEmpty())
            QMetaObject::invokeMethod(
                this, [this, retry, message] { signWithKeyFile(retry, QStringLiteral("Signing failed: ") + message); },
                Qt::QueuedConnection);
    });
    connect(mCompared, &ModelDocument::modelLoaded, this, &ModelsView::onComparedLoaded);
    connect(mScan, &SklearnFileDocument::scanStarted, this, &ModelsView::onScanStarted);
    connect(mScan, &SklearnFileDocument::scanFinished, this, &ModelsView::onScanFinished);
    connect(mScan, &SklearnFileDocument::busyChanged, this, &ModelsView::onBusyChanged);
    connect(mScan, &SklearnFileDocument::importSucceeded, this, [this](const QString &modelPath, const QString &) {
        dismissMessage();
        mList->refresh();
        openModel(modelPath);
    });
    connect(mScan, &SklearnFileDocument::importFailed, this, [this](const QString &message) {
        showMessage(MessageBanner::Kind::Error, {QStringLiteral("Import failed: ") + message});
    });
    connect(mScanPage, &PickleScanPage::importRequested, this, &ModelsView::showImportDialog);
    connect(mScanPage, &PickleScanPage::openAnotherRequested, this, &ModelsView::showOpenDialog);
    connect(mCompared, &ModelDocument::loadFailed, this, [this](const QString &, const QString &message) {
        showMessage(MessageBanner::Kind::Error, {QStringLiteral("Cannot compare: ") + message});
    });
}

QWidget *ModelsView::createListPane()
{
    auto *caption = new QLabel(QStringLiteral("MODELS FOLDER"));
    caption->setObjectName(QStringLiteral("SectionHeading"));
    mFolderLabel->setObjectName(QStringLiteral("CardText"));
    mFolderLabel->setText(QStringLiteral("No folder chosen: open a workspace, or choose a folder of .plumb files."));
    mFolderLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *choose = createHeaderButton(QStringLiteral("Choose Folder\u2026"));
    connect(choose, &QPushButton::clicked, this, &ModelsView::showChooseFolderDialog);
    auto *top = new QHBoxLayout;
    top->setSpacing(12);
    top->addWidget(caption);
    top->addWidget(mFolderLabel, 1);
    top->addWidget(choose);

    mTable->setModel(mList);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setSelectionMode(QAbstractItemView::SingleSelection);
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->verticalHeader()->hide();
    mTable->verticalHeader()->setDefaultSectionSize(mTable->fontMetrics().height() + 12);
    mTable->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    mTable->horizontalHeader()->setStretchLastSection(true);
    mTable->setShowGrid(false);
    mTable->setAlternatingRowColors(true);
    mTable->setWordWrap(false);
    mTable->setToolTip(QStringLiteral("Click a model to open it."));
    mTable->hide();
    connect(mTable, &QTableView::clicked, this,
            [this](const QModelIndex &index) { openModel(index.data(ModelListModel::kPathRole).toString()); });
    connect(mList, &ModelListModel::listed, this, &ModelsView::onListed);

    auto *pane = new QWidget;
    pane->setObjectName(QStringLiteral("ColumnPane"));
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(20, 10, 20, 10);
    layout->setSpacing(8);
    layout->addLayout(top);
    layout->addWidget(mTable, 1);
    return pane;
}

void ModelsView::onListed()
{
    const int rows = mList->rowCount();
    mTable->setVisible(rows > 0);
    if (mDocument->model())
        selectListed(mDocument->model()->path);
    if (rows == 0 && !mList->folder().isEmpty())
        mFolderLabel->setText(
            QStringLiteral("%1 \u2014 no .plumb files here yet").arg(QDir::toNativeSeparators(mList->folder())));
    mTable->resizeColumnsToContents();
    for (int column = 0; column < ModelListModel::ColumnCount - 1; ++column)
        mTable->setColumnWidth(column, std::max(mTable->columnWidth(column) + 28, 120));
    // The list is as tall as its rows (at most kVisibleModels); the model takes the rest.
    constexpr int kVisibleModels = 5;
    const int height = mTable->horizontalHeader()->sizeHint().height()
        + std::min(std::max(rows, 1), kVisibleModels) * mTable->verticalHeader()->defaultSectionSize() + 2 * mTable->frameWidth();
    mTable->setFixedHeight(height);
    mSplitter->setSizes({mSplitter->widget(0)->sizeHint().height(), std::max(mSplitter->height(), 600)});
}

QWidget *ModelsView::createModelPage()
{
    // Side by side when the window is wide enough, one above the other at 1024x640.
    auto *cards = new WrapRow;
    cards->setSpacing(14);
    cards->addWidget(mSummary, 3);
    cards->addWidget(mTrust, 2);
    mModelPage = new QWidget;
    auto *layout = new QVBoxLayout(mModelPage);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(12);
    layout->addWidget(cards);
    layout->addWidget(mDetails, 1);
    // The inspector keeps room for a few rows of its tables; below that the page scrolls.
    mDetails->setMinimumHeight(260);
    return scrollPane(mModelPage, QStringLiteral("ModelPageScroll"));
}

bool ModelsView::isBusy() const
{
    return mDocument->isBusy() || mCompared->isBusy() || mScan->isBusy();
}

bool ModelsView::openModel(const QString &path)
{
    if (isBusy())
        return false;
    if (isScikitLearnFile(path) || isXgboostFile(path))
        return mScan->scan(path);
    return mDocument->open(path);
}

bool ModelsView::importScanned(const QString &outputPath, const QStringList &featureNames)
{
    return !isBusy() && mScan->importTo(outputPath, featureNames);
}

bool ModelsView::compareWith(const QString &path)
{
    if (!mDocument->model() || isBusy())
        return false;
    return mCompared->open(path);
}

bool ModelsView::signWithKey(const QString &keyPath, const QByteArray &password)
{
    return mDocument->sign(keyPath, password);
}

void ModelsView::setModelsFolder(const QString &directory)
{
    mFolderLabel->setText(QDir::toNativeSeparators(directory));
    mFolderLabel->setToolTip(mFolderLabel->text());
    mFolderLabel->setWordWrap(false);
    mList->setFolder(directory, mDocument->keyringDirectory());
}

void ModelsView::setKeyringDirectory(const QString &directory)
{
    mDocument->setKeyringDirectory(directory);
    mCompared->setKeyringDirectory(directory);
    if (!mList->folder().isEmpty())
        mList->setFolder(mList->folder(), directory);
}

ModelsView::Page ModelsView::currentPage() const
{
    return Page(currentPageIndex());
}

void ModelsView::setPage(Page page)
{
    showPage(int(page));
    mBackButton->setVisible(page == Page::Comparison);
}

void ModelsView::showOpenDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open Model"), mLastDirectory, kModelFilter);
    if (path.isEmpty())
        return;
    mLastDirectory = QFileInfo(path).path();
    openModel(path);
}

void ModelsView::showCompareDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Compare With Model"), mLastDirectory, kPlumbFilter);
    if (!path.isEmpty())
        compareWith(path);
}

void ModelsView::showExportOnnxDialog()
{
    if (!mDocument->model())
        return;
    const QFileInfo model(mDocument->model()->path);
    const QDir folder(modelSaveFolder(mList->folder(), model.filePath())); // the workspace's models/ (savelocation.h)
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export ONNX Model"),
                                                folder.filePath(model.completeBaseName() + QStringLiteral(".onnx")),
                                                QStringLiteral("ONNX models (*.onnx)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive))
        path += QStringLiteral(".onnx");
    exportOnnxTo(path);
}

bool ModelsView::exportOnnxTo(const QString &path)
{
    return mDocument->exportOnnx(path);
}

void ModelsView::onOnnxExportFinished(bool ok, const QString &path, const QStringList &messages)
{
    if (!ok) {
        showMessage(MessageBanner::Kind::Error, {QStringLiteral("ONNX export failed: ") + messages.join(QLatin1Char(' '))});
        return;
    }
    QStringList lines{QStringLiteral("Exported %1. Its inputs are one tensor per feature; ONNX Runtime serves it.")
                          .arg(QDir::toNativeSeparators(path))};
    lines += messages;
    showMessage(MessageBanner::Kind::Notice, lines);
}

void ModelsView::showChooseFolderDialog()
{
    const QString path = QFileDialog::getExistingDirectory(this, QStringLiteral("Choose Models Folder"), mList->folder());
    if (!path.isEmpty())
        setModelsFolder(path);
}

void ModelsView::showSignDialog()
{
    if (!mDocument->model())
        return;
    // A signature already beside the model is replaced only when the user says so.
    const QString signaturePath = mDocument->model()->path + QStringLiteral(".minisig");
    if (QFileInfo::exists(signaturePath)) {
        QMessageBox box(QMessageBox::Question, QStringLiteral("Replace the Signature?"),
                        QStringLiteral("%1 is already signed: %2")
                            .arg(QFileInfo(mDocument->model()->path).fileName(), mDocument->model()->signature.describe()),
                        QMessageBox::NoButton, this);
        box.setInformativeText(QStringLiteral("Signing again replaces %1.").arg(QFileInfo(signaturePath).fileName()));
        QPushButton *replace = box.addButton(QStringLiteral("Replace Signature…"), QMessageBox::AcceptRole);
        QPushButton *keep = box.addButton(QStringLiteral("Keep It"), QMessageBox::RejectRole);
        box.setDefaultButton(keep);
        box.exec();
        if (box.clickedButton() != replace)
            return;
    }
    const QString keyPath = QFileDialog::getOpenFileName(this, QStringLiteral("Sign With Secret Key"), mLastDirectory,
                                                         QStringLiteral("minisign secret keys (*.key);;All files (*)"));
    if (!keyPath.isEmpty())
        signWithKeyFile(keyPath);
}

void ModelsView::signWithKeyFile(const QString &keyPath, const QString &problem)
{
    QFile file(keyPath);
    QByteArray password;
    mEncryptedKey.clear();
    if (file.open(QIODevice::ReadOnly) && file.size() < 4096 && SecretKey::isEncrypted(file.readAll())) {
        bool ok = false;
        const QString prompt = QStringLiteral("Password for %1:").arg(QFileInfo(keyPath).fileName());
        password = QInputDialog::getText(this, QStringLiteral("Key Password"),
                                         problem.isEmpty() ? prompt : problem + QStringLiteral("\n\n") + prompt,
                                         QLineEdit::Password, {}, &ok)
                       .toUtf8();
        if (!ok)
            return;
        mEncryptedKey = keyPath; // a failure asks again for this key's password
    }
    signWithKey(keyPath, password);
}

void ModelsView::onLoadStarted(const QString &path)
{
    mLoadingPage->setMessage(QStringLiteral("Opening %1\u2026").arg(QFileInfo(path).fileName()),
                             QStringLiteral("Checking its digest and reading every part."));
    // Keep the shown model while it reloads (after signing): only a first open shows the spinner page.
    if (!mDocument->model() || mDocument->model()->path != path)
        setPage(Page::Loading);
    setSubtitle(QDir::toNativeSeparators(path));
}

void ModelsView::onModelLoaded()
{
    const LoadedModelPtr model = mDocument->model();
    mSummary->showModel(*model);
    mTrust->showModel(*model);
    mDetails->showModel(model);
    if (model->warnings.isEmpty())
        dismissMessage();
    else
        showMessage(MessageBanner::Kind::Warning, model->warnings);
    setSubtitle(QDir::toNativeSeparators(model->path));
    selectListed(model->path);
    setPage(Page::Model);
    emit modelOpened(model->path);
}

void ModelsView::selectListed(const QString &path)
{
    for (int row = 0; row < mList->rowCount(); ++row)
        if (mList->index(row, 0).data(ModelListModel::kPathRole).toString() == path) {
            mTable->selectRow(row);
            return;
        }
    mTable->clearSelection();
}

void ModelsView::onLoadFailed(const QString &path, const QString &message)
{
    mErrorPage->setMessage(failureHeading(mDocument->error()), message);
    mErrorPage->setNote(failureNote(mDocument->error()));
    setSubtitle(QDir::toNativeSeparators(path));
    dismissMessage();
    selectListed(path);
    setPage(Page::Error);
}

void ModelsView::onScanStarted(const QString &path)
{
    mLoadingPage->setMessage(QStringLiteral("Scanning %1\u2026").arg(QFileInfo(path).fileName()),
                             isXgboostFile(path) ? QStringLiteral("Reading the XGBoost model file as data.")
                                                 : QStringLiteral("Reading the pickle stream as data; nothing in it is run."));
    setPage(Page::Loading);
    setSubtitle(QDir::toNativeSeparators(path));
}

void ModelsView::onScanFinished()
{
    const ScannedFilePtr scanned = mScan->scanned();
    mScanPage->showScan(*scanned);
    dismissMessage();
    mTable->clearSelection();
    setPage(Page::Scan);
}

void ModelsView::showImportDialog()
{
    const ScannedFilePtr scanned = mScan->scanned();
    if (!scanned || !scanned->isImportable())
        return;
    // An XGBoost file that names no features: ask for their names, in column order.
    QStringList featureNames;
    if (scanned->xgboost && scanned->xgboost->positionalFeatures) {
        const int count = scanned->xgboost->featureCount;
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, QStringLiteral("Name the Features"),
            QStringLiteral("This XGBoost file names none of its %1 features. Their names in column order, comma-separated\n"
                           "(leave empty to keep x0 to x%2, read by column position):")
                .arg(count)
                .arg(count - 1),
            QLineEdit::Normal, QString(), &ok);
        if (!ok)
            return;
        if (!text.trimmed().isEmpty()) {
            for (const QString &name : text.split(QLatin1Char(',')))
                featureNames.append(name.trimmed());
            if (featureNames.size() != count) {
                showMessage(MessageBanner::Kind::Error,
                            {QStringLiteral("Import cancelled: %1 names were given for %2 features")
                                 .arg(featureNames.size())
                                 .arg(count)});
                return;
            }
        }
    }
    const QFileInfo source(scanned->path);
    const QString folder = mList->folder().isEmpty() ? source.path() : mList->folder();
    const QString suggested = QDir(folder).filePath(source.completeBaseName() + QStringLiteral(".plumb"));
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Import as Plumb Model"), suggested, kPlumbFilter);
    if (!path.isEmpty())
        importScanned(path, featureNames);
}

void ModelsView::onComparedLoaded()
{
    mComparison->showComparison(mDocument->model(), mCompared->model());
    setPage(Page::Comparison);
}

void ModelsView::onBusyChanged()
{
    const bool busy = isBusy();
    mOpenButton->setEnabled(!busy);
    mCompareButton->setEnabled(!busy && mDocument->model());
    mExportOnnxButton->setEnabled(!busy && mDocument->model());
    mExportOnnxButton->setText(mDocument->job() == ModelDocument::Job::ExportOnnx ? QStringLiteral("Exporting\u2026")
                                                                                  : QStringLiteral("Export ONNX\u2026"));
    mTrust->signButton()->setEnabled(!busy);
    mScanPage->importButton()->setEnabled(!busy && mScan->scanned() && mScan->scanned()->isImportable());
    mScanPage->importButton()->setText(mScan->job() == SklearnFileDocument::Job::Import
                                           ? QStringLiteral("Importing\u2026")
                                           : QStringLiteral("Import as .plumb\u2026"));
    mTrust->signButton()->setText(mDocument->job() == ModelDocument::Job::Sign ? QStringLiteral("Signing\u2026")
                                                                               : QStringLiteral("Sign\u2026"));
}

} // namespace plumb::ui
