#include "ui/data/dataview.h"

#include "ui/common/displayformat.h"
#include "ui/common/emptystateview.h"
#include "ui/data/columnlistmodel.h"
#include "ui/data/datadocument.h"
#include "ui/data/datasettablemodel.h"
#include "ui/data/enumcombodelegate.h"
#include "ui/data/loadsettingsbar.h"
#include "ui/data/profilepanel.h"

#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace plumb::ui {

namespace {

constexpr int kSampledRows = 200; // rows measured to size a column: enough to be typical, cheap at any size
constexpr int kMinColumnWidth = 64;
constexpr int kMaxColumnWidth = 280;

void useFixedRowHeights(QTableView *view)
{
    // Fixed heights let the view map a scroll position to a row with arithmetic instead of
    // asking every row for its size: this is what keeps millions of rows smooth.
    QHeaderView *rows = view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(view->fontMetrics().height() + 10);
}

QString subtitleFor(const DataDocument &document)
{
    if (!document.hasData())
        return QStringLiteral("Open a CSV or TSV file, or a workspace folder, to explore its columns.");
    const QString path = QDir::toNativeSeparators(document.filePath());
    if (const Workspace *workspace = document.workspace())
        return QStringLiteral("Workspace \u201c%1\u201d \u00b7 %2").arg(workspace->name, path);
    return path;
}

} // namespace

DataView::DataView(DataDocument *document, QWidget *parent)
    : ViewFrame(QStringLiteral("Data"), subtitleFor(*document), parent), mDocument(document),
      mTableModel(new DatasetTableModel(document, this)), mColumnModel(new ColumnListModel(document, this)),
      mOpenButton(new QPushButton(QStringLiteral("Open File\u2026"))), mLoadSettings(new LoadSettingsBar),
      mSplitter(new QSplitter(Qt::Horizontal)), mColumnCaption(new QLabel), mColumnList(new QTableView), mTable(new QTableView),
      mProfile(new ProfilePanel)
{
    mOpenButton->setObjectName(QStringLiteral("HeaderButton"));
    mOpenButton->setIcon(QIcon(QStringLiteral(":/icons/open.svg")));
    addAction(mOpenButton);
    mLockBanner = new MessageBanner;
    addStrip(mLockBanner, StripPlace::BelowBanner);
    EmptyStateView *empty = setEmptyState(QStringLiteral(":/icons/data.svg"), QStringLiteral("Open a table to begin"),
                                          QStringLiteral("Plumb reads comma-, semicolon- and tab-separated files of any size, "
                                                         "infers a type for every column and profiles it, so you can check "
                                                         "the data before you train on it."));
    empty->setNote(QStringLiteral("You can also drop a file or a workspace folder onto this window."));
    mEmptyOpenButton = empty->addButton(QStringLiteral("Open File\u2026"));
    connect(mEmptyOpenButton, &QPushButton::clicked, this, &DataView::openFileRequested);
    connect(mOpenButton, &QPushButton::clicked, this, &DataView::openFileRequested);

    auto *profileScroll = new QScrollArea;
    profileScroll->setWidget(mProfile);
    profileScroll->setWidgetResizable(true);
    profileScroll->setFrameShape(QFrame::NoFrame);
    profileScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    profileScroll->setMinimumWidth(300);
    mSplitter->setObjectName(QStringLiteral("DataSplitter"));
    mSplitter->addWidget(createColumnPane());
    mSplitter->addWidget(mTable);
    mSplitter->addWidget(profileScroll);
    mSplitter->setChildrenCollapsible(false);
    mSplitter->setStretchFactor(1, 1);
    mSplitter->setSizes({400, 700, 340});
    auto *dataPage = new QWidget;
    auto *dataLayout = new QVBoxLayout(dataPage);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    dataLayout->setSpacing(0);
    dataLayout->addWidget(mLoadSettings);
    dataLayout->addWidget(mSplitter, 1);
    addPage(dataPage);
    configureTable();
    connectDocument();
    updateSummary();
}

void DataView::connectDocument()
{
    connect(mDocument, &DataDocument::loadStarted, this, &DataView::onLoadStarted);
    connect(mDocument, &DataDocument::datasetReplaced, this, &DataView::onDatasetReplaced);
    connect(mDocument, &DataDocument::busyChanged, this, &DataView::onBusyChanged);
    connect(mDocument, &DataDocument::columnChanged, this, &DataView::onColumnChanged);
    connect(mDocument, &DataDocument::loadFailed, this, &DataView::showError);
    connect(mDocument, &DataDocument::warningsChanged, this, [this](const QStringList &warnings) {
        if (!warnings.isEmpty())
            showMessage(MessageBanner::Kind::Warning, warnings);
    });
    connect(this, &ViewFrame::cancelRequested, mDocument, &DataDocument::cancel);
    // A reload that failed or was cancelled leaves the data as it was: so must the bar.
    const auto showCurrentSettings = [this] { mLoadSettings->showLoad(mDocument->loadOptions(), mDocument->dialect()); };
    connect(mDocument, &DataDocument::loadFailed, this, showCurrentSettings);
    connect(mDocument, &DataDocument::loadCancelled, this, showCurrentSettings);
    connect(mLoadSettings, &LoadSettingsBar::settingsChanged, this, [this] {
        if (!mDocument->reloadWith(mLoadSettings->options(mDocument->loadOptions())))
            mLoadSettings->showLoad(mDocument->loadOptions(), mDocument->dialect());
    });
}

QWidget *DataView::createColumnPane()
{
    auto *pane = new QFrame;
    pane->setObjectName(QStringLiteral("ColumnPane"));
    mColumnCaption->setObjectName(QStringLiteral("SectionHeading"));
    mColumnList->setObjectName(QStringLiteral("ColumnList"));
    mColumnList->setModel(mColumnModel);
    mColumnList->setSelectionBehavior(QAbstractItemView::SelectRows);
    mColumnList->setSelectionMode(QAbstractItemView::SingleSelection);
    mColumnList->setEditTriggers(QAbstractItemView::CurrentChanged | QAbstractItemView::SelectedClicked
                                 | QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    mColumnList->setShowGrid(false);
    mColumnList->setWordWrap(false);
    mColumnList->setIconSize(QSize(16, 16));
    mColumnList->verticalHeader()->hide();
    useFixedRowHeights(mColumnList);
    mColumnList->verticalHeader()->setDefaultSectionSize(mColumnList->fontMetrics().height() + 14);
    mColumnList->setItemDelegateForColumn(ColumnListModel::TypeSection,
                                          new EnumComboDelegate(ColumnListModel::typeChoices(), mColumnList));
    mColumnList->setItemDelegateForColumn(ColumnListModel::RoleSection,
                                          new EnumComboDelegate(ColumnListModel::roleChoices(), mColumnList));
    QHeaderView *header = mColumnList->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ColumnListModel::NameSection, QHeaderView::Stretch);
    header->resizeSection(ColumnListModel::TypeSection, 98);
    header->resizeSection(ColumnListModel::RoleSection, 98);
    header->resizeSection(ColumnListModel::MissingSection, 72);
    connect(mColumnList->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        mSelectedName = current.isValid() ? mDocument->dataset().column(std::size_t(current.row())).name() : QString();
        showSelectedProfile();
        if (current.isValid() && mRevealSelection)
            revealColumn(current.row());
    });

    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(12, 12, 0, 12);
    layout->setSpacing(8);
    layout->addWidget(mColumnCaption);
    layout->addWidget(mColumnList, 1);
    return pane;
}

void DataView::configureTable()
{
    mTable->setObjectName(QStringLiteral("DataTable"));
    mTable->setModel(mTableModel);
    mTable->setWordWrap(false);
    mTable->setAlternatingRowColors(true);
    mTable->setCornerButtonEnabled(false);
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    mTable->setTextElideMode(Qt::ElideRight);
    useFixedRowHeights(mTable);
    QHeaderView *header = mTable->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    connect(header, &QHeaderView::sectionClicked, this, [this](int column) { selectColumn(column); });
}

void DataView::selectColumn(int column, bool revealInTable)
{
    if (column < 0 || column >= mColumnModel->rowCount())
        return;
    mRevealSelection = revealInTable;
    mColumnList->setCurrentIndex(mColumnModel->index(column, ColumnListModel::NameSection));
    mRevealSelection = true;
}

void DataView::revealColumn(int column)
{
    // A column already in sight stays put; otherwise it becomes the first column shown, whole,
    // rather than the minimal scroll that leaves its left neighbour cut in half.
    const QHeaderView *header = mTable->horizontalHeader();
    const int left = header->sectionViewportPosition(column);
    if (left >= 0 && left + header->sectionSize(column) <= mTable->viewport()->width())
        return;
    mTable->horizontalScrollBar()->setValue(header->sectionPosition(column));
}

int DataView::selectedColumn() const
{
    const QModelIndex current = mColumnList->currentIndex();
    return current.isValid() ? current.row() : -1;
}

bool DataView::isShowingData() const
{
    return currentPageIndex() == 1;
}

QByteArray DataView::saveState() const
{
    return mSplitter->saveState();
}

void DataView::restoreState(const QByteArray &state)
{
    mSplitter->restoreState(state);
}

void DataView::onLoadStarted(const QString &path)
{
    dismissMessage();
    const QString name = QFileInfo(path).fileName();
    const bool reload = mDocument->hasData() && path == mDocument->filePath();
    showProgress(mDocument->progress(),
                 reload ? QStringLiteral("Reloading %1").arg(name) : QStringLiteral("Loading %1").arg(name));
}

void DataView::onDatasetReplaced()
{
    showPage(1);
    mLoadSettings->showLoad(mDocument->loadOptions(), mDocument->dialect());
    setSubtitle(subtitleFor(*mDocument));
    const Dataset &dataset = mDocument->dataset();
    mColumnCaption->setText(QStringLiteral("COLUMNS \u00b7 %1").arg(formatCount(dataset.columnCount())));
    fitColumnWidths();
    updateSummary();

    // Keep the selection across a reload; on a new file start from the target, else the first column.
    std::optional<std::size_t> select = dataset.indexOf(mSelectedName);
    for (std::size_t i = 0; !select && i < dataset.columnCount(); ++i)
        if (dataset.column(i).role() == ColumnRole::Target)
            select = i;
    if (!select && dataset.columnCount() > 0)
        select = 0;
    // The table of a fresh dataset starts at its first column, wherever the selection is.
    if (select)
        selectColumn(int(*select), false);
    else
        mProfile->clear();
}

void DataView::onBusyChanged(bool busy)
{
    mOpenButton->setEnabled(!busy);
    mEmptyOpenButton->setEnabled(!busy);
    mLoadSettings->setEnabled(!busy);
    // Types and roles cannot change under a running fit: say so rather than leave the editors
    // silently dead.
    if (mDocument->isHeld())
        mLockBanner->showMessages(MessageBanner::Kind::Notice,
                                  {QStringLiteral("A model is training on this data: column types and roles are locked until it "
                                                  "finishes or is cancelled (Train view).")});
    else
        mLockBanner->dismiss();
    // Loads show their progress from loadStarted; re-profiling one column is too short to show.
    if (!busy)
        hideProgress();
}

void DataView::onColumnChanged(int column)
{
    if (column == selectedColumn())
        showSelectedProfile();
}

void DataView::showSelectedProfile()
{
    const int column = selectedColumn();
    if (const ColumnProfile *profile = column >= 0 ? mDocument->profile(std::size_t(column)) : nullptr)
        mProfile->showProfile(*profile);
    else
        mProfile->clear();
}

void DataView::fitColumnWidths()
{
    const QFontMetrics cells(mTable->font());
    QFont headerFont = mTable->horizontalHeader()->font();
    headerFont.setBold(true);
    const QFontMetrics headers(headerFont);
    const int rows = std::min(mTableModel->rowCount(), kSampledRows);
    for (int column = 0; column < mTableModel->columnCount(); ++column) {
        int width = headers.horizontalAdvance(mTableModel->headerData(column, Qt::Horizontal).toString()) + 28;
        for (int row = 0; row < rows; ++row)
            width = std::max(width, cells.horizontalAdvance(mTableModel->index(row, column).data().toString()) + 20);
        mTable->setColumnWidth(column, std::clamp(width, kMinColumnWidth, kMaxColumnWidth));
    }
}

void DataView::updateSummary()
{
    if (!mDocument->hasData()) {
        mSummary = QStringLiteral("No file loaded");
    } else {
        const Dataset &dataset = mDocument->dataset();
        mSummary = QStringLiteral("%1   |   %2 rows \u00d7 %3 columns   |   loaded in %4")
                       .arg(dialectSummary(mDocument->dialect()), formatCount(dataset.rowCount()),
                            formatCount(dataset.columnCount()), formatDuration(mDocument->loadMilliseconds()));
    }
    emit summaryChanged(mSummary);
}

} // namespace plumb::ui
