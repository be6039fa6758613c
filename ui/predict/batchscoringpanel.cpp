#include "ui/predict/batchscoringpanel.h"

#include "ui/common/displayformat.h"
#include "ui/common/messagebanner.h"
#include "ui/common/progresspanel.h"
#include "ui/data/datasettablemodel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace plumb::ui {

BatchScoringPanel::BatchScoringPanel(QWidget *parent)
    : QWidget(parent), mJob(new BatchScoringJob(this)), mBanner(new MessageBanner), mProgress(new ProgressPanel),
      mChoose(new QPushButton(QStringLiteral("Choose CSV\u2026"))), mExport(new QPushButton(QStringLiteral("Export CSV\u2026"))),
      mFile(new QLabel), mSummary(new QLabel), mTable(new QTableView),
      mResults(new DatasetTableModel(std::shared_ptr<const Dataset>(), this)), mProblemsTitle(new QLabel),
      mProblems(new QTableWidget(0, 2))
{
    mChoose->setObjectName(QStringLiteral("PrimaryButton"));
    mExport->setObjectName(QStringLiteral("HeaderButton"));
    mExport->setEnabled(false);
    mFile->setText(QStringLiteral("Score every row of a CSV file: its columns are checked against the model's features; "
                                  "extra columns are kept and ignored."));
    mFile->setObjectName(QStringLiteral("CardText"));
    mFile->setWordWrap(true);
    mSummary->setObjectName(QStringLiteral("StatValue"));
    mSummary->setVisible(false);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(16, 12, 16, 8);
    bar->setSpacing(12);
    bar->addWidget(mChoose);
    bar->addWidget(mFile, 1);
    bar->addWidget(mExport);

    mTable->setModel(mResults);
    mTable->setAlternatingRowColors(true);
    mTable->verticalHeader()->setDefaultSectionSize(24);
    mTable->horizontalHeader()->setDefaultSectionSize(110);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setTextElideMode(Qt::ElideRight);

    mProblemsTitle->setObjectName(QStringLiteral("SectionHeading"));
    mProblems->setHorizontalHeaderLabels({QStringLiteral("Line"), QStringLiteral("Why it was not scored")});
    mProblems->horizontalHeader()->setStretchLastSection(true);
    mProblems->verticalHeader()->setVisible(false);
    mProblems->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mProblems->setColumnWidth(0, 90);
    auto *problemsPane = new QWidget;
    auto *problemsLayout = new QVBoxLayout(problemsPane);
    problemsLayout->setContentsMargins(0, 6, 0, 0);
    problemsLayout->addWidget(mProblemsTitle);
    problemsLayout->addWidget(mProblems, 1);
    problemsPane->setVisible(false);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(mTable);
    splitter->addWidget(problemsPane);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *body = new QVBoxLayout;
    body->setContentsMargins(16, 0, 16, 12);
    body->addWidget(mSummary);
    body->addWidget(splitter, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(mBanner);
    layout->addWidget(mProgress);
    layout->addLayout(bar);
    layout->addLayout(body, 1);

    connect(mChoose, &QPushButton::clicked, this, &BatchScoringPanel::chooseFile);
    connect(mExport, &QPushButton::clicked, this, &BatchScoringPanel::chooseExportPath);
    connect(mProgress, &ProgressPanel::cancelRequested, mJob, &BatchScoringJob::cancel);
    connect(mJob, &BatchScoringJob::busyChanged, this, &BatchScoringPanel::onBusyChanged);
    connect(mJob, &BatchScoringJob::finished, this, &BatchScoringPanel::onFinished);
    connect(mJob, &BatchScoringJob::exportFinished, this, [this](bool ok, const QString &message) {
        if (ok) // said, not assumed: the file is where the reader expects it
            mBanner->showMessages(MessageBanner::Kind::Notice,
                                  {QStringLiteral("Exported %1 scored rows to %2")
                                       .arg(formatCount(mJob->result() ? mJob->result()->summary.rowsScored : 0),
                                            QDir::toNativeSeparators(mExportPath))});
        else
            mBanner->showMessages(MessageBanner::Kind::Error, {message});
    });
    mProblems->parentWidget()->setVisible(false);
}

void BatchScoringPanel::setModel(LoadedModelPtr model)
{
    mJob->cancel();
    mModel = std::move(model);
    mResults->setDataset(nullptr);
    mSummary->setVisible(false);
    mProblems->parentWidget()->setVisible(false);
    mExport->setEnabled(false);
    mChoose->setEnabled(mModel && !mJob->isBusy());
}

QString BatchScoringPanel::summary() const
{
    return mSummary->text();
}

void BatchScoringPanel::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Score a CSV file"), mLastDirectory,
                                                      QStringLiteral("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        scoreFile(path);
}

bool BatchScoringPanel::scoreFile(const QString &path)
{
    if (!mModel || mJob->isBusy())
        return false;
    mLastDirectory = QFileInfo(path).absolutePath();
    mBanner->dismiss();
    mFile->setText(QDir::toNativeSeparators(path));
    mResults->setDataset(nullptr);
    mProblems->setRowCount(0);
    mSummary->setVisible(false);
    mProblems->parentWidget()->setVisible(false);
    mExport->setEnabled(false);
    if (!mJob->start(mModel, path))
        return false;
    mProgress->track(mJob->tracker(), QStringLiteral("Scoring %1").arg(QFileInfo(path).fileName()));
    return true;
}

void BatchScoringPanel::chooseExportPath()
{
    const auto result = mJob->result();
    if (!result)
        return;
    const QFileInfo input(result->inputPath);
    const QString suggested = QDir(input.absolutePath()).filePath(input.completeBaseName() + QStringLiteral("-scored.csv"));
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the scored rows"), suggested,
                                                      QStringLiteral("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportTo(path);
}

bool BatchScoringPanel::exportTo(const QString &path)
{
    mExportPath = path;
    return mJob->exportTo(path);
}

void BatchScoringPanel::onBusyChanged(bool busy)
{
    mChoose->setEnabled(!busy && mModel);
    mExport->setEnabled(!busy && mJob->result());
    if (!busy)
        mProgress->finish();
}

void BatchScoringPanel::onFinished(bool ok, bool cancelled, const QString &message)
{
    mExport->setEnabled(ok);
    if (!ok) {
        mResults->setDataset(nullptr);
        mSummary->setVisible(false);
        mProblems->parentWidget()->setVisible(false);
        mBanner->showMessages(cancelled ? MessageBanner::Kind::Notice : MessageBanner::Kind::Error, {message});
        return;
    }
    const auto result = mJob->result();
    mResults->setDataset(result->table);
    // The prediction and probabilities come last in the file; show them first.
    QHeaderView *header = mTable->horizontalHeader();
    const int columns = mResults->columnCount();
    const int scored = mModel ? 1 + int(mModel->pipeline().target().classes.size()) : 0;
    // Every column at least as wide as its header: a right-aligned name cut on the left
    // ("enure_months") reads as another name.
    for (int c = 0; c < columns; ++c)
        header->resizeSection(c, std::max(header->sectionSize(c), header->sectionSizeHint(c)));
    for (int i = 0; i < scored && scored <= columns; ++i) {
        header->moveSection(header->visualIndex(columns - scored + i), i);
        // Wide enough for the whole header ("probability_churned") and the values read.
        mTable->resizeColumnToContents(columns - scored + i);
    }
    const BatchSummary &s = result->summary;
    const double seconds = s.seconds;
    mSummary->setText(QStringLiteral("%1 rows scored, %2 not scored \u00b7 %3 s (%4 rows/s)%5")
                          .arg(formatCount(s.rowsScored), formatCount(s.rowsRejected), QString::number(seconds, 'f', 2),
                               formatCount(std::size_t(double(s.rowsScored) / std::max(seconds, 1e-9))),
                               s.unknownCategories
                                   ? QStringLiteral(" \u00b7 %1 unknown categories").arg(formatCount(s.unknownCategories))
                                   : QString())
                      + (s.notice.isEmpty() ? QString() : QStringLiteral(" \u00b7 ") + s.notice));
    mSummary->setVisible(true);
    showProblems(*result);
}

void BatchScoringPanel::showProblems(const BatchResult &result)
{
    mProblems->setRowCount(0);
    mProblems->parentWidget()->setVisible(!result.problems.empty());
    if (result.problems.empty())
        return;
    mProblems->setRowCount(int(result.problems.size()));
    for (int row = 0; row < int(result.problems.size()); ++row) {
        const BatchProblem &problem = result.problems[std::size_t(row)];
        auto *line = new QTableWidgetItem(QString::number(problem.line));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        mProblems->setItem(row, 0, line);
        mProblems->setItem(row, 1, new QTableWidgetItem(problem.reason));
    }
    const std::uint64_t total = result.summary.rowsRejected;
    mProblemsTitle->setText(total > result.problems.size() ? QStringLiteral("ROWS NOT SCORED (%1, THE FIRST %2 LISTED)")
                                                                 .arg(formatCount(total), formatCount(result.problems.size()))
                                                           : QStringLiteral("ROWS NOT SCORED (%1)").arg(formatCount(total)));
}

} // namespace plumb::ui
