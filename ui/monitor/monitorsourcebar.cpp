#include "ui/monitor/monitorsourcebar.h"

#include "ui/common/theme.h"

#include "data/workspace.h"
#include "ui/common/buttons.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace plumb::ui {

namespace {

enum WindowMode { kPerFile, kByTimestamp, kLogByPeriod };

bool isLogFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("sqlite") || suffix == QLatin1String("sqlite3") || suffix == QLatin1String("db");
}

} // namespace

MonitorSourceBar::MonitorSourceBar(QWidget *parent) : QFrame(parent)
{
    auto *bar = this;
    bar->setObjectName(QStringLiteral("MonitorSource"));
    mComputeButton = new QPushButton(QStringLiteral("Compute"));
    mComputeButton->setObjectName(QStringLiteral("PrimaryButton"));
    mModelPicker = new QComboBox;
    mModelPicker->setMinimumWidth(200);
    auto *browseModel = createHeaderButton(QStringLiteral("Model\u2026"));
    browseModel->setToolTip(QStringLiteral("Pick a .plumb model file that is not in the list."));
    mBatchesLabel = new QLabel;
    auto *chooseBatches = createHeaderButton(QStringLiteral("Batches\u2026"));
    chooseBatches->setToolTip(QStringLiteral("Pick CSV/TSV files of production data, or the prediction log of plumb serve."));
    mWindowMode = new QComboBox;
    mWindowMode->addItems({QStringLiteral("One window per file"), QStringLiteral("Windows by timestamp"),
                           QStringLiteral("Prediction log by period")});
    mTimestampColumn = new QComboBox;
    mTimestampColumn->setEditable(true);
    mTimestampColumn->setMinimumWidth(130);
    mTimestampColumn->lineEdit()->setPlaceholderText(QStringLiteral("timestamp column"));
    mTimestampColumn->setToolTip(QStringLiteral("The datetime column that places each row in time."));
    mPeriod = new QComboBox;
    for (WindowPeriod period : {WindowPeriod::Hour, WindowPeriod::Day, WindowPeriod::Week, WindowPeriod::Month})
        mPeriod->addItem(windowPeriodName(period), int(period));
    mPeriod->setCurrentIndex(3);
    connect(mWindowMode, &QComboBox::currentIndexChanged, this, &MonitorSourceBar::updateMode);
    updateMode();
    connect(browseModel, &QPushButton::clicked, this, &MonitorSourceBar::chooseModelFile);
    connect(chooseBatches, &QPushButton::clicked, this, &MonitorSourceBar::chooseBatches);

    // Two rows: what is compared (model, batches), then how (windows) and Compute. One row did
    // not fit a 1024-pixel window: the widgets were squeezed over each other.
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(16, 8, 16, 8);
    rows->setSpacing(6);
    auto *sources = new QHBoxLayout;
    sources->setSpacing(8);
    sources->addWidget(new QLabel(QStringLiteral("Model")));
    sources->addWidget(mModelPicker, 1);
    sources->addWidget(browseModel);
    sources->addSpacing(16);
    sources->addWidget(new QLabel(QStringLiteral("Batches")));
    sources->addWidget(mBatchesLabel);
    sources->addWidget(chooseBatches);
    sources->addStretch(1);
    rows->addLayout(sources);
    auto *layout = new QHBoxLayout;
    layout->setSpacing(8);
    rows->addLayout(layout);
    layout->addWidget(new QLabel(QStringLiteral("Windows")));
    layout->addWidget(mWindowMode);
    layout->addWidget(mTimestampColumn);
    layout->addWidget(mPeriod);
    layout->addStretch(1);
    layout->addWidget(mComputeButton);
    connect(mComputeButton, &QPushButton::clicked, this, &MonitorSourceBar::computeRequested);
    updateBatchesLabel();
}

void MonitorSourceBar::updateMode()
{
    const int mode = mWindowMode->currentIndex();
    mTimestampColumn->setEnabled(mode == kByTimestamp);
    mPeriod->setEnabled(mode != kPerFile);
    updateBatchesLabel();
}

void MonitorSourceBar::setWorkspace(const Workspace &workspace)
{
    setModelsFolder(QDir(workspace.rootPath).filePath(QStringLiteral("models")));
    mBatches.clear();
    for (const Workspace::Batch &batch : workspace.batches)
        mBatches.push_back({batch.label, batch.path});
    mLog.clear();
    mWindowMode->setCurrentIndex(kPerFile);
    for (auto it = workspace.roles.begin(); it != workspace.roles.end(); ++it)
        if (it.value() == ColumnRole::Timestamp && mTimestampColumn->findText(it.key()) < 0)
            mTimestampColumn->addItem(it.key());
    updateBatchesLabel();
}

void MonitorSourceBar::setModelsFolder(const QString &directory)
{
    mModelPicker->clear();
    const QFileInfoList files = QDir(directory).entryInfoList({QStringLiteral("*.plumb")}, QDir::Files, QDir::Name);
    for (const QFileInfo &file : files)
        mModelPicker->addItem(file.fileName(), file.absoluteFilePath());
    mLastDirectory = directory;
}

void MonitorSourceBar::setSource(const MonitorSource &source)
{
    int index = mModelPicker->findData(QFileInfo(source.modelPath).absoluteFilePath());
    if (index < 0) {
        mModelPicker->addItem(QFileInfo(source.modelPath).fileName(), QFileInfo(source.modelPath).absoluteFilePath());
        index = mModelPicker->count() - 1;
    }
    mModelPicker->setCurrentIndex(index);
    mBatches = source.batches;
    mLog = source.log;
    mWindowMode->setCurrentIndex(!source.log.isEmpty()                  ? kLogByPeriod
                                     : source.timestampColumn.isEmpty() ? kPerFile
                                                                        : kByTimestamp);
    if (!source.timestampColumn.isEmpty())
        mTimestampColumn->setCurrentText(source.timestampColumn);
    mPeriod->setCurrentIndex(mPeriod->findData(int(source.period)));
    updateBatchesLabel();
}

MonitorSource MonitorSourceBar::source() const
{
    MonitorSource source;
    source.modelPath = mModelPicker->currentData().toString();
    source.batches = mBatches;
    const int mode = mWindowMode->currentIndex();
    if (mode == kByTimestamp)
        source.timestampColumn = mTimestampColumn->currentText().trimmed();
    if (mode == kLogByPeriod)
        source.log = mLog;
    if (mode != kPerFile)
        source.period = WindowPeriod(mPeriod->currentData().toInt());
    return source;
}

void MonitorSourceBar::updateBatchesLabel()
{
    if (mWindowMode->currentIndex() == kLogByPeriod) {
        mBatchesLabel->setText(mLog.isEmpty() ? QStringLiteral("no log chosen")
                                              : QStringLiteral("log %1").arg(QFileInfo(mLog).fileName()));
        mBatchesLabel->setToolTip(QDir::toNativeSeparators(mLog));
        return;
    }
    if (mBatches.empty()) {
        mBatchesLabel->setText(QStringLiteral("none chosen"));
        return;
    }
    const auto name = [](const MonitorSource::Batch &batch) {
        return batch.label.isEmpty() ? QFileInfo(batch.path).fileName() : batch.label;
    };
    mBatchesLabel->setText(
        mBatches.size() == 1
            ? name(mBatches.front())
            : QStringLiteral("%1 files (%2 \u2026 %3)").arg(mBatches.size()).arg(name(mBatches.front()), name(mBatches.back())));
    QStringList paths;
    for (const MonitorSource::Batch &batch : mBatches)
        paths.append(QDir::toNativeSeparators(batch.path));
    mBatchesLabel->setToolTip(paths.join(QLatin1Char('\n')));
}

void MonitorSourceBar::chooseModelFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Choose a Model"), mLastDirectory,
                                                      QStringLiteral("Plumb models (*.plumb);;All files (*)"));
    if (path.isEmpty())
        return;
    MonitorSource current = source();
    current.modelPath = path;
    setSource(current);
}

void MonitorSourceBar::chooseBatches()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, QStringLiteral("Choose Production Batches or a Prediction Log"), mLastDirectory,
        // The first filter, the one shown, takes both kinds: a log is not hidden behind another filter.
        QStringLiteral(
            "Batches and prediction logs (*.csv *.tsv *.txt *.sqlite *.sqlite3 *.db);;Delimited text (*.csv *.tsv *.txt);;"
            "Prediction logs (*.sqlite *.sqlite3 *.db);;All files (*)"));
    if (paths.isEmpty())
        return;
    mLastDirectory = QFileInfo(paths.front()).absolutePath();
    if (paths.size() == 1 && isLogFile(paths.front())) {
        mLog = paths.front();
        mWindowMode->setCurrentIndex(kLogByPeriod);
        updateBatchesLabel();
        return;
    }
    mBatches.clear();
    for (const QString &path : paths)
        mBatches.push_back({QString(), path});
    // One file is a timeline to window by its timestamp.
    mWindowMode->setCurrentIndex(paths.size() == 1 && mTimestampColumn->count() > 0 ? kByTimestamp : kPerFile);
    updateBatchesLabel();
}

void MonitorSourceBar::setBusy(bool busy)
{
    mComputeButton->setEnabled(!busy);
}

} // namespace plumb::ui
