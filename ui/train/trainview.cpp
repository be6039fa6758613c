#include "ui/train/trainview.h"

#include "artifact/modelartifact.h"
#include "artifact/trainedmodel.h"
#include "data/workspace.h"
#include "learn/targetinference.h"
#include "ui/common/displayformat.h"
#include "ui/common/emptystateview.h"
#include "ui/common/savelocation.h"
#include "ui/data/datadocument.h"
#include "ui/train/runhistoryfile.h"
#include "ui/train/runhistorymodel.h"
#include "ui/train/trainresultspanel.h"
#include "ui/train/trainsetuppanel.h"

#include "ui/common/scrollpane.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

constexpr double kTrainingShare = 0.95; // of the bar; the reference profile takes the rest

// Trains and validates on the worker, then gathers what a model file stores beside the pipeline.
Result<TrainingRun> trainInBackground(const Dataset &data, const TrainingSpec &spec, int number, ProgressTracker &progress)
{
    ProgressRange training(progress, 0.0, kTrainingShare);
    Result<TrainingOutcome> outcome = trainAndValidate(data, spec, training);
    if (!outcome)
        return outcome.error();
    if (progress.isCancelled())
        return Error::cancelled();
    progress.setProgress(kTrainingShare, QStringLiteral("Profiling the training data"));
    ModelMetadata metadata = trainingMetadata(data, spec, outcome.value());
    QJsonArray profile = referenceProfile(data, outcome.value().pipeline);
    return TrainingRun{number, spec, std::move(outcome).value(), std::move(metadata), std::move(profile), true};
}

std::optional<Error> saveInBackground(const TrainingRun &run, const QString &path, const ModelDescription &description,
                                      bool overwrite)
{
    ModelMetadata metadata = run.metadata;
    metadata.name = description.name;
    metadata.description = description.description;
    metadata.tags = description.tags;
    return saveModelArtifact(path, run.outcome.pipeline, metadata, run.profile, overwrite);
}

// What a run read back from the workspace's history says: its settings and metrics, and that its
// model is gone unless it was saved.
QString keptRunHtml(const TrainingRun &run, const QString &savedAs)
{
    QString html = QStringLiteral("<h3>Run #%1 \u00b7 %2</h3>").arg(run.number).arg(run.spec.modelKind.toHtmlEscaped());
    html += savedAs.isEmpty()
        ? QStringLiteral("<p>Kept from an earlier session: its settings and metrics are here, but its model was not "
                         "saved and is gone. Train it again (the settings below) to save it.</p>")
        : QStringLiteral("<p>Kept from an earlier session. Its model was saved as %1; open that file in the Models "
                         "view. This run itself has no model to save again.</p>")
              .arg(QDir::toNativeSeparators(savedAs).toHtmlEscaped());
    QStringList rows;
    const auto row = [&rows](const QString &name, const QString &value) {
        rows.append(QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(name, value.toHtmlEscaped()));
    };
    row(QStringLiteral("Target"), run.spec.target);
    row(QStringLiteral("Task"), taskName(run.outcome.validation.task));
    row(QStringLiteral("Features"),
        QStringLiteral("%1: %2").arg(run.spec.features.size()).arg(run.spec.features.join(QStringLiteral(", "))));
    QStringList parameters;
    for (const auto &[name, value] : run.spec.parameters)
        parameters.append(QStringLiteral("%1=%2").arg(name, value));
    row(QStringLiteral("Parameters"),
        parameters.isEmpty() ? QStringLiteral("the model's defaults") : parameters.join(QStringLiteral(", ")));
    row(QStringLiteral("Validation"), run.spec.validation.toString());
    row(QStringLiteral("Seed"), QString::number(run.spec.seed));
    row(QStringLiteral("Training rows"), formatCount(run.outcome.trainingRows));
    row(QStringLiteral("Fit"), QStringLiteral("%1 s").arg(run.outcome.fitSeconds, 0, 'f', 3));
    for (const auto &[name, value] : run.outcome.validation.metrics)
        row(metricTitle(name), std::isnan(value) ? QStringLiteral("\u2014") : QString::number(value, 'f', 4));
    return html + QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">") + rows.join(QString())
        + QStringLiteral("</table>");
}

} // namespace

TrainView::TrainView(DataDocument *document, QWidget *parent)
    : ViewFrame(QStringLiteral("Train"), QStringLiteral("Fit and validate models on the loaded dataset."), parent),
      mDocument(document), mTrainButton(new QPushButton(QStringLiteral("Train"))),
      mSaveButton(new QPushButton(QStringLiteral("Save Model\u2026"))), mSetup(new TrainSetupPanel(document)),
      mResultPages(new QStackedWidget),
      mNoRuns(new EmptyStateView(QStringLiteral(":/icons/train.svg"), QStringLiteral("No runs yet"),
                                 QStringLiteral("Choose a target, features and a model on the left, then press Train. "
                                                "Training runs in the background; its validation metrics and charts "
                                                "appear here, and every run is kept below for comparison."))),
      mResults(new TrainResultsPanel), mHistory(new RunHistoryModel(this)), mSortedHistory(new QSortFilterProxyModel(this)),
      mHistoryTable(new QTableView)
{
    mTrainButton->setObjectName(QStringLiteral("PrimaryButton"));
    mTrainButton->setIcon(QIcon(QStringLiteral(":/icons/train.svg")));
    mTrainButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    mTrainButton->setToolTip(QStringLiteral("Train and validate the model as set up on the left (Ctrl+T)"));
    mSaveButton->setObjectName(QStringLiteral("HeaderButton"));
    mSaveButton->setShortcut(QKeySequence::Save);
    mSaveButton->setToolTip(QStringLiteral("Save the selected run as a .plumb model file (Ctrl+S)"));
    addAction(mSaveButton);
    addAction(mTrainButton);
    setEmptyState(QStringLiteral(":/icons/train.svg"), QStringLiteral("Load data to train on"),
                  QStringLiteral("Open a CSV file or a workspace in the Data view. Its columns, types and "
                                 "roles carry over here: pick the target, the features and a model, "
                                 "validate it, and save the run you like as a .plumb file."))
        ->setNote(QStringLiteral("The demo workspace has a churn target ready to train on."));
    addPage(createWorkArea());

    connect(mTrainButton, &QPushButton::clicked, this, &TrainView::startTraining);
    connect(mSaveButton, &QPushButton::clicked, this, &TrainView::showSaveDialog);
    connect(this, &ViewFrame::cancelRequested, this, &TrainView::cancelTraining);
    connect(mDocument, &DataDocument::datasetReplaced, this, &TrainView::onDatasetReplaced);
    connect(mDocument, &DataDocument::columnChanged, mSetup, &TrainSetupPanel::reload);
    connect(mDocument, &DataDocument::busyChanged, this, &TrainView::updateActions);
    onDatasetReplaced();
}

TrainView::~TrainView() = default;

QWidget *TrainView::createWorkArea()
{
    auto *setupScroll = new QScrollArea;
    setupScroll->setObjectName(QStringLiteral("SetupScroll"));
    setupScroll->setWidget(mSetup);
    setupScroll->setWidgetResizable(true);
    setupScroll->setFrameShape(QFrame::NoFrame);
    setupScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setupScroll->setMinimumWidth(360);

    mKeptRunText = new QLabel;
    mKeptRunText->setObjectName(QStringLiteral("KeptRunText"));
    mKeptRunText->setWordWrap(true);
    mKeptRunText->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    mKeptRunText->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    mKeptRunText->setContentsMargins(16, 12, 16, 12);
    mRunPages = new QStackedWidget;
    mRunPages->addWidget(scrollPane(mResults, QStringLiteral("ResultsScroll")));
    mRunPages->addWidget(scrollPane(mKeptRunText, QStringLiteral("KeptRunScroll")));

    auto *resultSplitter = new QSplitter(Qt::Vertical);
    resultSplitter->addWidget(mRunPages);
    resultSplitter->addWidget(createHistoryPane());
    resultSplitter->setChildrenCollapsible(false);
    resultSplitter->setStretchFactor(0, 1);
    resultSplitter->setSizes({620, 170});
    mResultPages->addWidget(mNoRuns);
    mResultPages->addWidget(resultSplitter);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("TrainSplitter"));
    splitter->addWidget(setupScroll);
    splitter->addWidget(mResultPages);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({400, 1000});
    return splitter;
}

QWidget *TrainView::createHistoryPane()
{
    auto *pane = new QWidget;
    pane->setObjectName(QStringLiteral("HistoryPane"));
    auto *caption = new QLabel(QStringLiteral("RUN HISTORY \u00b7 click a column to sort, a row to show and save that run"));
    caption->setObjectName(QStringLiteral("SectionHeading"));
    mSortedHistory->setSourceModel(mHistory);
    mSortedHistory->setSortRole(RunHistoryModel::SortRole);
    mHistoryTable->setObjectName(QStringLiteral("HistoryTable"));
    mHistoryTable->setModel(mSortedHistory);
    mHistoryTable->setSortingEnabled(true);
    mHistoryTable->sortByColumn(RunHistoryModel::RunColumn, Qt::AscendingOrder);
    mHistoryTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mHistoryTable->setSelectionMode(QAbstractItemView::SingleSelection);
    mHistoryTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mHistoryTable->setAlternatingRowColors(true);
    mHistoryTable->setShowGrid(false);
    mHistoryTable->verticalHeader()->hide();
    mHistoryTable->verticalHeader()->setDefaultSectionSize(mHistoryTable->fontMetrics().height() + 8);
    mHistoryTable->horizontalHeader()->setHighlightSections(false);
    mHistoryTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    mHistoryTable->horizontalHeader()->setStretchLastSection(true);
    connect(mHistoryTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showHistoryRow(current.row()); });
    mKeepHistory = new QCheckBox(QStringLiteral("Keep in the workspace"));
    mKeepHistory->setToolTip(QStringLiteral("Write the runs' settings and metrics to the workspace's %1, so they are "
                                            "here the next time it opens (their models are kept only by saving them).")
                                 .arg(QString::fromLatin1(RunHistoryFile::kFileName)));
    mKeepHistory->setChecked(keepsRunHistory());
    connect(mKeepHistory, &QCheckBox::toggled, this, &TrainView::setKeepsRunHistory);
    auto *captionRow = new QHBoxLayout;
    caption->setWordWrap(true); // beside the check box in a narrow window: two lines, never cut
    captionRow->addWidget(caption, 1);
    captionRow->addWidget(mKeepHistory);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(16, 10, 16, 12);
    layout->setSpacing(6);
    layout->addLayout(captionRow);
    layout->addWidget(mHistoryTable, 1);
    return pane;
}

bool TrainView::startTraining()
{
    if (isTraining() || mDocument->isBusy())
        return false;
    Result<TrainingSpec> spec = mSetup->spec();
    if (!spec) {
        showMessage(MessageBanner::Kind::Error, spec.error().message.split(QLatin1Char('\n')));
        return false;
    }
    // No copy (a million rows by twenty columns take 140 ms to copy): the document stays as it is
    // until finishTraining lets go, and if it goes first it stops this run and waits for it.
    mDatasetHold = mDocument->holdDataset([this] {
        cancelTraining();
        mTraining.finishNow();
    });
    if (!mDatasetHold)
        return false;
    dismissMessage();
    const Dataset *data = &mDocument->dataset();
    const int number = ++mRunCount;
    mTraining.start(
        [data, request = spec.value(), number](ProgressTracker &progress) {
            return std::make_shared<Result<TrainingRun>>(trainInBackground(*data, request, number, progress));
        },
        [this](const RunResult &result) { finishTraining(result); },
        [this] { finishTraining(std::make_shared<Result<TrainingRun>>(Error::cancelled())); });
    showProgress(mTraining.progress(), QStringLiteral("Training run #%1 (%2)").arg(number).arg(spec.value().modelKind));
    updateActions();
    return true;
}

void TrainView::cancelTraining()
{
    mTraining.cancel();
}

void TrainView::finishTraining(const RunResult &result)
{
    // A run cancelled, even one that completed meanwhile, arrives as a cancelled result.
    const bool cancelled = !result->ok() && result->error().isCancelled();
    mDatasetHold.reset();
    hideProgress();
    updateActions();
    if (cancelled || !result->ok()) {
        --mRunCount; // the number goes to the next run that reaches the history
        if (cancelled) {
            // The user's own choice: a notice, not a warning.
            showMessage(MessageBanner::Kind::Notice, {QStringLiteral("Training cancelled; nothing was added to the history.")});
            emit trainingCancelled();
        } else {
            showMessage(MessageBanner::Kind::Error, {QStringLiteral("Training failed: %1").arg(result->error().message)});
        }
        emit trainingFinished(false);
        return;
    }
    auto run = std::make_shared<const TrainingRun>(std::move(*result).value());
    if (!run->outcome.fitReport.warnings.isEmpty())
        showMessage(MessageBanner::Kind::Warning, run->outcome.fitReport.warnings);
    mHistory->addRun(run);
    mResultPages->setCurrentIndex(1);
    const QModelIndex added = mSortedHistory->mapFromSource(mHistory->index(mHistory->rowCount() - 1, 0));
    mHistoryTable->setCurrentIndex(added);
    mHistoryTable->scrollTo(added);
    showRun(run); // also when the selection did not move (a sorted table may keep it)
    storeHistory();
    updateActions();
    emit trainingFinished(true);
}

void TrainView::showHistoryRow(int proxyRow)
{
    if (proxyRow < 0)
        return;
    const QModelIndex source = mSortedHistory->mapToSource(mSortedHistory->index(proxyRow, 0));
    if (auto run = mHistory->run(source.row()); run && run != mShownRun)
        showRun(run);
    updateActions();
}

void TrainView::showRun(const std::shared_ptr<const TrainingRun> &run)
{
    mShownRun = run;
    if (!run || run->modelKept) {
        if (run != mResults->run())
            mResults->showRun(run);
        mRunPages->setCurrentIndex(0);
        return;
    }
    mKeptRunText->setText(keptRunHtml(*run, mSavedPaths.value(run->number)));
    mRunPages->setCurrentIndex(1);
}

bool TrainView::isShowingKeptRun() const
{
    return mRunPages->currentIndex() == 1;
}

bool TrainView::saveRun(const QString &path, const ModelDescription &description, bool overwrite,
                        std::shared_ptr<const TrainingRun> run)
{
    if (!run)
        run = mShownRun;
    if (!run || !run->modelKept || isSaving())
        return false;
    mSavingPath = path;
    mSavingRun = run;
    mSaving.start(
        [run, path, description, overwrite](ProgressTracker &) { return saveInBackground(*run, path, description, overwrite); },
        [this](const std::optional<Error> &error) { finishSave(error); });
    updateActions();
    return true;
}

void TrainView::finishSave(const std::optional<Error> &error)
{
    updateActions();
    if (error) {
        showMessage(MessageBanner::Kind::Error, {QStringLiteral("The model was not saved: %1").arg(error->message)});
        emit saveFailed(error->message);
        return;
    }
    setSubtitle(QStringLiteral("Saved %1").arg(QDir::toNativeSeparators(mSavingPath)));
    if (mSavingRun) {
        mSavedPaths.insert(mSavingRun->number, QFileInfo(mSavingPath).absoluteFilePath());
        storeHistory();
    }
    emit modelSaved(mSavingPath);
}

int TrainView::unsavedRunCount() const
{
    // A run read back from the workspace has no model left to lose.
    int unsaved = 0;
    for (int row = 0; row < mHistory->rowCount(); ++row)
        unsaved += mHistory->run(row)->modelKept && !mSavedPaths.contains(mHistory->run(row)->number);
    return unsaved;
}

void TrainView::showSaveDialog()
{
    const std::shared_ptr<const TrainingRun> run = mShownRun;
    if (!run || !run->modelKept)
        return;
    const QString base = QStringLiteral("%1-%2").arg(run->spec.target, run->spec.modelKind);
    SaveModelDialog dialog(base, QDir(saveFolder()).filePath(base + QStringLiteral(".plumb")), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = dialog.path();
    if (const std::optional<bool> overwrite = confirmReplace(this, path))
        saveRun(path, dialog.description(), *overwrite, run);
}

QString TrainView::saveFolder() const
{
    return modelSaveFolder(workspaceModelsFolder(mDocument->workspace()), mDocument->filePath());
}

void TrainView::updateActions()
{
    mTrainButton->setEnabled(mDocument->hasData() && !mDocument->isBusy() && !isTraining());
    mSaveButton->setEnabled(mShownRun && mShownRun->modelKept && !isSaving());
}

void TrainView::onDatasetReplaced()
{
    // The runs were trained and validated on the previous data: none of them is shown or saved
    // as if it came from this one. The setup keeps the parameters that still apply (reload).
    mHistory->clear();
    mSavedPaths.clear();
    showRun(nullptr);
    mResultPages->setCurrentIndex(0);
    showPage(mDocument->hasData() ? 1 : 0);
    mSetup->reload();
    restoreHistory();
    if (mDocument->hasData()) {
        const Dataset &data = mDocument->dataset();
        setSubtitle(QStringLiteral("%1 \u00b7 %2 rows \u00b7 %3 columns")
                        .arg(QDir::toNativeSeparators(mDocument->filePath()), formatCount(data.rowCount()),
                             formatCount(data.columnCount())));
    }
    updateActions();
}

bool TrainView::keepsRunHistory() const
{
    return QSettings().value(QString::fromLatin1(kKeepRunHistoryKey), true).toBool();
}

void TrainView::setKeepsRunHistory(bool keep)
{
    QSettings().setValue(QString::fromLatin1(kKeepRunHistoryKey), keep);
    if (mKeepHistory->isChecked() != keep)
        mKeepHistory->setChecked(keep);
    if (keep)
        storeHistory();
}

void TrainView::restoreHistory()
{
    const Workspace *workspace = mDocument->workspace();
    mHistoryFile.reset();
    mHistoryFileUnreadable = false;
    mKeepHistory->setVisible(workspace && mRunHistoryEnabled);
    if (!workspace || !mDocument->hasData() || !mRunHistoryEnabled)
        return;
    mHistoryFile = std::make_unique<RunHistoryFile>(workspace->rootPath);
    Result<std::vector<KeptRun>> kept = mHistoryFile->read(mDocument->filePath());
    if (!kept) {
        // Left as it is for the user to mend or remove; this session's runs are not written over it.
        mHistoryFileUnreadable = true;
        showMessage(MessageBanner::Kind::Warning,
                    {QStringLiteral("The run history was not read, and this session's runs will not be "
                                    "written to it: %1")
                         .arg(kept.error().message)});
        return;
    }
    for (const KeptRun &run : kept.value()) {
        mHistory->addRun(run.run);
        if (!run.savedAs.isEmpty())
            mSavedPaths.insert(run.run->number, run.savedAs);
        mRunCount = std::max(mRunCount, run.run->number);
    }
    if (mHistory->rowCount() > 0) {
        mResultPages->setCurrentIndex(1);
        mHistoryTable->setCurrentIndex(mSortedHistory->index(mSortedHistory->rowCount() - 1, 0));
    }
}

void TrainView::storeHistory()
{
    if (!mHistoryFile || mHistoryFileUnreadable || !keepsRunHistory())
        return;
    std::vector<std::shared_ptr<const TrainingRun>> runs;
    for (int row = 0; row < mHistory->rowCount(); ++row)
        runs.push_back(mHistory->run(row));
    if (const std::optional<Error> error = mHistoryFile->write(mDocument->filePath(), runs, mSavedPaths))
        showMessage(MessageBanner::Kind::Warning,
                    {QStringLiteral("The run history was not kept in the workspace: %1").arg(error->message)});
}

} // namespace plumb::ui
